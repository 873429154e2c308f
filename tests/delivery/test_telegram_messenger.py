"""The Telegram messenger's wire format and its reading of Telegram's answers, against a recording bot."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery.messenger import (
    ArticleItem,
    Button,
    Failed,
    FailureKind,
    OutgoingMessage,
    Refused,
    Sent,
)
from bot.delivery.telegram import MessengerSettings, TelegramMessenger
from bot.domain.statuses import ArticleStatus
from bot.store.records import ArticleRecord


class RecordingBot:
    """Answers as Telegram's JSON; raises what it is told to."""

    def __init__(self, error: Exception | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.error = error

    async def _post(self, endpoint: str, data: dict[str, Any]) -> Any:
        self.calls.append((endpoint, data))
        if self.error is not None:
            raise self.error
        if endpoint == "sendMediaGroup":
            return [{"message_id": 10 + i} for i in range(len(data["media"]))]
        return {"message_id": 7} if endpoint.startswith("send") else True

    async def _do_post(self, endpoint: str, data: dict[str, Any]) -> Any:
        return await self._post(endpoint, data)


def messenger(bot: RecordingBot, **overrides: Any) -> TelegramMessenger:
    values: dict[str, Any] = {
        "zone": ZoneInfo("Asia/Ho_Chi_Minh"),
        "send_timeout_seconds": 15.0,
        "sender_concurrency": 4,
        "telegram_proxy": None,
        "telegram_api_base_url": "http://127.0.0.1:9/bot",
        "paid_broadcast": False,
    }
    values.update(overrides)
    return TelegramMessenger(MessengerSettings(**values), cast(Bot, bot))


async def test_a_text_message_is_html_with_its_buttons_topic_and_no_sound() -> None:
    bot = RecordingBot()
    message = OutgoingMessage(
        "<b>Tin</b>",
        buttons=((Button("📖 Đọc tiếp", url="https://so.example/1"),),),
        silent=True,
        link_preview=True,
        thread_id=5,
        html=True,
        preview_url="https://so.example/1",
    )
    assert await messenger(bot).send("-1001", message) == Sent(("7",))
    [(endpoint, params)] = bot.calls
    assert endpoint == "sendMessage"
    assert params == {
        "chat_id": -1001,
        "message_thread_id": 5,
        "disable_notification": True,
        "reply_markup": {"inline_keyboard": [[{"text": "📖 Đọc tiếp", "url": "https://so.example/1"}]]},
        "parse_mode": "HTML",
        "text": "<b>Tin</b>",
        "link_preview_options": {"is_disabled": False, "url": "https://so.example/1"},
    }


async def test_a_photo_carries_the_text_as_caption_and_an_admins_entities() -> None:
    bot = RecordingBot()
    bold = ({"type": "bold", "offset": 0, "length": 3},)
    await messenger(bot).send("5", OutgoingMessage("Tin", photos=("https://x/1.jpg",), entities=bold))
    [(endpoint, params)] = bot.calls
    assert endpoint == "sendPhoto" and params["photo"] == "https://x/1.jpg" and params["caption"] == "Tin"
    assert params["caption_entities"] == list(bold) and "parse_mode" not in params


async def test_an_album_is_one_media_group_with_the_caption_on_its_first_photo() -> None:
    bot = RecordingBot()
    result = await messenger(bot, paid_broadcast=True).send(
        "5", OutgoingMessage("<i>Tin</i>", photos=("https://x/1.jpg", "https://x/2.jpg"), html=True)
    )
    assert result == Sent(("10", "11"))
    [(endpoint, params)] = bot.calls
    assert endpoint == "sendMediaGroup" and params["allow_paid_broadcast"] is True
    assert params["media"] == [
        {"type": "photo", "media": "https://x/1.jpg", "caption": "<i>Tin</i>", "parse_mode": "HTML"},
        {"type": "photo", "media": "https://x/2.jpg"},
    ]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (RetryAfter(9), Failed(FailureKind.RATE_LIMITED, retry_after=9.0)),
        (ChatMigrated(-100555), Failed(FailureKind.MIGRATED, new_chat_id="-100555")),
        (Forbidden("Forbidden: bot was blocked by the user"), Failed(FailureKind.BLOCKED)),
        (BadRequest("Bad Request: chat not found"), Failed(FailureKind.NOT_FOUND)),
        (BadRequest("Bad Request: message is too long"), Failed(FailureKind.TOO_LONG)),
        (
            BadRequest("Can't parse entities: bad tag"),
            Failed(FailureKind.BAD_REQUEST, refused=Refused.MARKUP),
        ),
        (BadRequest("Wrong remote file identifier"), Failed(FailureKind.BAD_REQUEST, refused=Refused.PHOTO)),
        (BadRequest("Message thread not found"), Failed(FailureKind.BAD_REQUEST, refused=Refused.THREAD)),
        (BadRequest("Something else"), Failed(FailureKind.BAD_REQUEST)),
        (NetworkError("Internal Server Error (500)"), Failed(FailureKind.SERVER)),
        (TimedOut("read timeout"), Failed(FailureKind.NETWORK)),
    ],
)
async def test_telegrams_answers_are_classified(error: Exception, expected: Failed) -> None:
    result = await messenger(RecordingBot(error)).send("5", OutgoingMessage("Tin"))
    assert isinstance(result, Failed)
    got = (result.kind, result.retry_after, result.new_chat_id, result.refused)
    assert got == (expected.kind, expected.retry_after, expected.new_chat_id, expected.refused)
    assert result.detail  # for the logs


async def test_an_edit_that_changes_nothing_counts_as_done() -> None:
    bot = RecordingBot(BadRequest("Bad Request: message is not modified"))
    assert await messenger(bot).edit("5", "77", OutgoingMessage("Tin")) == Sent(("77",))
    assert bot.calls[0][0] == "editMessageText"


async def test_a_withdrawn_album_is_edited_as_a_caption_without_buttons() -> None:
    bot = RecordingBot()
    article = ArticleRecord(
        id=1, feed_id=1, key="k", link="https://so.example/bai-1.html", title="Bài có sai sót", lead="",
        summary="Tóm tắt.", image="https://x/1.jpg", source=None, kind="news", award=None,
        published_at=None, discovered_at=datetime(2026, 3, 2, tzinfo=UTC), status=ArticleStatus.RETRACTED,
        media={"images": ["https://x/1.jpg", "https://x/2.jpg"]},
    )  # fmt: skip
    tg = messenger(bot)
    message = tg.render(ArticleItem(article, withdrawn=True), "vi")
    await tg.edit("5", "77", message)
    [(endpoint, params)] = bot.calls
    assert endpoint == "editMessageCaption" and "reply_markup" not in params
    assert params["caption"].startswith("<b>⚠️ Sở đã gỡ bài viết này.</b>") and params["parse_mode"] == "HTML"
