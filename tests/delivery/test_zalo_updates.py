"""Zalo's updates and errors read as plain values: both update forms, image captions, the error table."""

from __future__ import annotations

import pytest

from bot.delivery.messenger import FailureKind
from bot.delivery.zalo import ZaloApiError, classify, parse_update, secret_matches

MESSAGE = {
    "from": {"id": "6ede9afa66b88fe6d6a9", "display_name": "Ted", "is_bot": False},
    "chat": {"id": "6ede9afa66b88fe6d6a9", "chat_type": "PRIVATE"},
    "text": "Xin chào",
    "message_id": "2d758cb5e222177a4e35",
    "date": 1750316131602,
}


def test_an_update_is_read_bare_or_in_the_envelope() -> None:
    bare = parse_update({"event_name": "message.text.received", "message": MESSAGE})
    wrapped = parse_update(
        {"ok": True, "result": {"event_name": "message.text.received", "message": MESSAGE}}
    )
    assert bare == wrapped and bare is not None
    assert (bare.chat_id, bare.user_id, bare.display_name, bare.text) == (
        "6ede9afa66b88fe6d6a9",
        "6ede9afa66b88fe6d6a9",
        "Ted",
        "Xin chào",
    )
    assert bare.is_private and not bare.from_bot and bare.date_ms == 1750316131602


def test_an_image_brings_its_caption_and_other_events_no_text() -> None:
    image = {**MESSAGE, "photo_url": "https://zalo.example/p.jpg", "caption": "tim hội nghị"}
    del image["text"]
    read = parse_update({"event_name": "message.image.received", "message": image})
    assert read is not None and read.text == "tim hội nghị" and read.photo_url == "https://zalo.example/p.jpg"
    sticker = parse_update({"event_name": "message.sticker.received", "message": {**MESSAGE, "sticker": "x"}})
    assert sticker is not None and sticker.text == ""
    group = parse_update(
        {
            "event_name": "message.text.received",
            "message": {**MESSAGE, "chat": {"id": "g1", "chat_type": "GROUP"}},
        }
    )
    assert group is not None and not group.is_private


@pytest.mark.parametrize(
    "body",
    [None, [], "x", {}, {"ok": True, "result": {}}, {"event_name": "message.text.received"},
     {"event_name": "message.text.received", "message": {"text": "no chat"}}],
)  # fmt: skip
def test_anything_else_is_no_update(body: object) -> None:
    assert parse_update(body) is None


def test_the_secret_is_compared_exactly() -> None:
    assert secret_matches("zalo-hook-secret-77", "zalo-hook-secret-77")
    assert not secret_matches("zalo-hook-secret-7", "zalo-hook-secret-77")
    assert not secret_matches(None, "zalo-hook-secret-77") and not secret_matches("", "")


@pytest.mark.parametrize(
    ("code", "description", "kind"),
    [
        (429, "Quota exceeded", FailureKind.RATE_LIMITED),
        (404, "Not found", FailureKind.NOT_FOUND),
        (400, "Bad request", FailureKind.BAD_REQUEST),
        (400, "Bad request: caption length must be from 1 to 2000 characters", FailureKind.TOO_LONG),
        (401, "Unauthorized", FailureKind.SERVER),
        (403, "Internal server error", FailureKind.SERVER),
        (403, "User has blocked the bot", FailureKind.BLOCKED),
        (403, "Người dùng đã chặn bot", FailureKind.BLOCKED),
        (408, "Request timeout", FailureKind.NETWORK),
        (500, "Internal Server Error", FailureKind.SERVER),
        (503, "Service Unavailable", FailureKind.SERVER),
        (418, "I'm a teapot", FailureKind.BAD_REQUEST),
    ],
)
def test_zalos_error_codes_are_classified(code: int, description: str, kind: FailureKind) -> None:
    failed = classify(ZaloApiError(code, description))
    assert failed.kind is kind and str(code) in failed.detail
    assert (failed.retry_after is not None) is (kind is FailureKind.RATE_LIMITED)
