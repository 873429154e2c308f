"""ZaloMessenger against the Zalo stand-in over real HTTP on 127.0.0.1: what a citizen on Zalo receives,
and how each failure is classified for the outbox."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import pytest

from bot.delivery.messenger import Button, Failed, FailureKind, OutgoingMessage, Platform, Sent
from bot.delivery.zalo import (
    ZaloApiError,
    ZaloClient,
    ZaloMessenger,
    classify,
    outgoing,
    split_text,
)
from bot.domain.render_plain import PlainMessage
from tests.standin.zalo import (
    ZaloApiStandIn,
    bad_request,
    delay,
    drop,
    forbidden,
    quota_exceeded,
    server_error,
)

CHAT = "e4ea2cd5189df1c3a88c"
PHOTO = "https://sokhcn.tayninh.gov.vn/uploads/anh-1.jpg"


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloApiStandIn]:
    async with ZaloApiStandIn(rate_per_second=None) as server:
        server.add_chat(CHAT)
        yield server


@pytest.fixture
async def messenger(zalo: ZaloApiStandIn) -> AsyncIterator[ZaloMessenger]:
    async with ZaloClient(zalo.token, zalo.base_url, timeout=2.0, rate_per_second=None) as client:
        yield ZaloMessenger(client, default_retry_after=45.0)


async def test_a_text_message_arrives_as_plain_text(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    assert messenger.platform is Platform.ZALO and messenger.max_text == 2000
    result = await messenger.send(CHAT, OutgoingMessage("Tin mới: Hội nghị khoa học & công nghệ"))
    [sent] = zalo.messages_to(CHAT)
    assert sent.method == "sendMessage" and sent.text == "Tin mới: Hội nghị khoa học & công nghệ"
    assert "parse_mode" not in sent.params
    assert result == Sent((sent.message_id,))


async def test_a_photo_carries_the_text_as_its_caption(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    result = await messenger.send(CHAT, OutgoingMessage("Bài viết có ảnh", photos=(PHOTO,)))
    [sent] = zalo.messages_to(CHAT)
    assert (sent.method, sent.photo, sent.text) == ("sendPhoto", PHOTO, "Bài viết có ảnh")
    assert isinstance(result, Sent) and len(result.message_ids) == 1


async def test_a_photo_with_text_longer_than_a_caption_comes_first_then_the_text(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    text = "\n\n".join(f"Đoạn {i}: " + "nội dung bài viết " * 20 for i in range(8))
    result = await messenger.send(CHAT, OutgoingMessage(text, photos=("javascript:alert(1)", PHOTO)))
    sent = zalo.messages_to(CHAT)
    assert sent[0].method == "sendPhoto" and sent[0].photo == PHOTO and sent[0].text == ""
    assert [m.method for m in sent[1:]] == ["sendMessage"] * (len(sent) - 1) and len(sent) >= 3
    assert " ".join(m.text for m in sent[1:]).split() == text.split()
    assert isinstance(result, Sent) and len(result.message_ids) == len(sent)


async def test_long_text_is_split_at_paragraphs_within_zalos_limit(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    paragraphs = [f"{i}. " + "Sở Khoa học và Công nghệ tỉnh Tây Ninh thông báo. " * 9 for i in range(12)]
    result = await messenger.send(CHAT, OutgoingMessage("\n\n".join(paragraphs)))
    parts = [m.text for m in zalo.messages_to(CHAT)]
    assert len(parts) >= 3 and all(len(p.encode("utf-16-le")) // 2 <= 2000 for p in parts)
    assert all(p.startswith(tuple(f"{i}. " for i in range(12))) for p in parts)  # cut between paragraphs
    assert isinstance(result, Sent) and len(result.message_ids) == len(parts)


async def test_emoji_count_double_so_the_split_never_exceeds_the_limit(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    await messenger.send(CHAT, OutgoingMessage("🏅" * 1500))
    parts = [m.text for m in zalo.messages_to(CHAT)]
    assert "".join(parts) == "🏅" * 1500 and len(parts) == 2


def test_split_text_prefers_line_breaks_then_spaces() -> None:
    assert split_text("") == []
    assert split_text("abc def", 5) == ["abc", "def"]
    assert split_text("aaaa\nbb cc", 8) == ["aaaa", "bb cc"]
    assert split_text("x" * 12, 5) == ["xxxxx", "xxxxx", "xx"]


async def test_url_buttons_are_written_out_as_links(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    buttons = (
        (Button("📖 Đọc tiếp", url="https://sokhcn.tayninh.gov.vn/bai-1"),),
        (Button("Chọn", callback="x"),),
    )
    await messenger.send(CHAT, OutgoingMessage("Tiêu đề", buttons=buttons))
    [sent] = zalo.messages_to(CHAT)
    assert sent.text == "Tiêu đề\n📖 Đọc tiếp: https://sokhcn.tayninh.gov.vn/bai-1"


async def test_edit_and_delete_are_unsupported_and_call_nothing(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    edited = await messenger.edit(CHAT, "82599fa32f56d00e8941", OutgoingMessage("Sửa"))
    deleted = await messenger.delete(CHAT, "82599fa32f56d00e8941")
    for result in (edited, deleted):
        assert isinstance(result, Failed) and result.kind is FailureKind.BAD_REQUEST
        assert result.detail.startswith("unsupported")
    assert zalo.requests == []


async def test_an_empty_message_is_refused_without_a_call(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    result = await messenger.send(CHAT, OutgoingMessage("   "))
    assert isinstance(result, Failed) and result.kind is FailureKind.BAD_REQUEST and zalo.requests == []


async def test_quota_exceeded_pauses_with_zalos_retry_after_or_the_default(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    zalo.fail_next("sendMessage", quota_exceeded(retry_after=7))
    zalo.fail_next("sendMessage", quota_exceeded())
    first = await messenger.send(CHAT, OutgoingMessage("a"))
    second = await messenger.send(CHAT, OutgoingMessage("b"))
    assert first == Failed(FailureKind.RATE_LIMITED, "zalo 429: Quota exceeded", retry_after=7.0)
    assert (
        isinstance(second, Failed) and second.kind is FailureKind.RATE_LIMITED and second.retry_after == 45.0
    )


async def test_a_chat_that_blocked_the_bot_is_blocked(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    zalo.block_chat(CHAT)
    result = await messenger.send(CHAT, OutgoingMessage("Tin mới"))
    assert isinstance(result, Failed) and result.kind is FailureKind.BLOCKED


async def test_zalos_403_internal_server_error_is_retried_not_a_block(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    zalo.fail_next("sendMessage", forbidden())
    result = await messenger.send(CHAT, OutgoingMessage("Tin mới"))
    assert isinstance(result, Failed) and result.kind is FailureKind.SERVER


async def test_an_unknown_chat_is_not_found(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    result = await messenger.send("0000deadbeef00000000", OutgoingMessage("Tin mới"))
    assert isinstance(result, Failed) and result.kind is FailureKind.NOT_FOUND


async def test_a_refused_photo_is_a_bad_request(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    zalo.fail_next("sendPhoto", bad_request("Bad request: photo could not be downloaded"))
    result = await messenger.send(CHAT, OutgoingMessage("Ảnh", photos=(PHOTO,)))
    assert isinstance(result, Failed) and result.kind is FailureKind.BAD_REQUEST


async def test_a_length_complaint_is_too_long() -> None:
    error = ZaloApiError(400, "Bad request: text length must be from 1 to 2000 characters")
    assert classify(error).kind is FailureKind.TOO_LONG


async def test_server_errors_and_dropped_connections_are_retried(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    zalo.fail_next("sendMessage", server_error())
    zalo.fail_next("sendMessage", drop())
    zalo.fail_next("sendMessage", delay(3.0))  # longer than the client's 2 s timeout
    kinds = [await messenger.send(CHAT, OutgoingMessage(str(i))) for i in range(3)]
    assert [r.kind for r in kinds if isinstance(r, Failed)] == [
        FailureKind.SERVER,
        FailureKind.NETWORK,
        FailureKind.NETWORK,
    ]


async def test_errors_answered_with_http_200_are_classified_the_same(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    zalo.errors_as_http_200 = True
    zalo.block_chat(CHAT)
    result = await messenger.send(CHAT, OutgoingMessage("Tin mới"))
    assert isinstance(result, Failed) and result.kind is FailureKind.BLOCKED


async def test_a_wrong_token_is_not_the_chats_fault_and_never_shows_the_token(zalo: ZaloApiStandIn) -> None:
    token = "999999:wrong-token-value-xyz"
    async with ZaloClient(token, zalo.base_url, rate_per_second=None) as client:
        result = await ZaloMessenger(client).send(CHAT, OutgoingMessage("Tin mới"))
    assert isinstance(result, Failed) and result.kind is FailureKind.SERVER
    assert "ZALO_BOT_TOKEN" in result.detail and "wrong-token-value-xyz" not in result.detail
    assert "wrong-token-value-xyz" not in repr(client)


async def test_a_network_failure_never_shows_the_token() -> None:
    token = "4242:secret-part-of-the-token"
    async with ZaloClient(token, "http://127.0.0.1:9", timeout=1.0, rate_per_second=None) as client:
        result = await ZaloMessenger(client).send(CHAT, OutgoingMessage("Tin mới"))
    assert isinstance(result, Failed) and result.kind is FailureKind.NETWORK
    assert "secret-part-of-the-token" not in result.detail


async def test_a_failure_part_way_says_how_much_was_sent(
    zalo: ZaloApiStandIn, messenger: ZaloMessenger
) -> None:
    zalo.fail_next("sendPhoto", delay(0))
    zalo.fail_next("sendMessage", delay(0))
    zalo.fail_next("sendMessage", quota_exceeded(retry_after=3))
    text = "\n\n".join("Đoạn văn dài. " * 100 for _ in range(3))
    result = await messenger.send(CHAT, OutgoingMessage(text, photos=(PHOTO,)))
    assert isinstance(result, Failed) and result.kind is FailureKind.RATE_LIMITED
    assert "after 2 of" in result.detail and len(zalo.sent) == 2


async def test_sends_are_paced_to_stay_under_the_quota() -> None:
    async with ZaloApiStandIn(rate_per_second=5) as zalo:
        zalo.add_chat(CHAT)
        async with ZaloClient(zalo.token, zalo.base_url, rate_per_second=4) as client:
            messenger = ZaloMessenger(client)
            started = time.monotonic()
            results = [await messenger.send(CHAT, OutgoingMessage(f"Tin {i}")) for i in range(6)]
            elapsed = time.monotonic() - started
        assert all(isinstance(r, Sent) for r in results) and zalo.rate_violations == []
        assert elapsed >= 1.2  # 6 sends at 4 per second


async def test_typing_shows_a_chat_action(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    await messenger.typing(CHAT)
    await messenger.typing("unknown-chat-0000")  # best effort: a failure is not raised
    assert zalo.chat_actions == [(CHAT, "typing")]


async def test_long_polling_gets_injected_messages_one_by_one(zalo: ZaloApiStandIn) -> None:
    async with ZaloClient(zalo.token, zalo.base_url, rate_per_second=None) as client:
        zalo.inject_text("/start", chat_id="c0ffee00c0ffee00c0ff", display_name="Lan")
        zalo.inject_text("dang ky", chat_id="c0ffee00c0ffee00c0ff")
        first = await client.get_updates(poll_seconds=2)
        second = await client.get_updates(poll_seconds=2)
        empty = await client.get_updates(poll_seconds=1)
    assert [u.text for u in first + second] == ["/start", "dang ky"]
    assert first[0].chat_id == "c0ffee00c0ffee00c0ff" and first[0].display_name == "Lan"
    assert first[0].is_private and empty == []


async def test_webhook_settings_are_checked_before_zalo_is_called(zalo: ZaloApiStandIn) -> None:
    async with ZaloClient(zalo.token, zalo.base_url, rate_per_second=None) as client:
        with pytest.raises(ValueError):
            await client.set_webhook("http://bot.example.org/zalo", "long-enough-secret")
        with pytest.raises(ValueError):
            await client.set_webhook("https://bot.example.org/zalo", "short")
        await client.set_webhook("https://bot.example.org/zalo", "long-enough-secret")
        assert (await client.get_webhook_info())["url"] == "https://bot.example.org/zalo"
        with pytest.raises(ZaloApiError):  # no long polling while a webhook is set
            await client.get_updates(poll_seconds=1)
        await client.delete_webhook()
        assert (await client.get_me())["account_name"] == zalo.account_name
    assert zalo.webhook_secret == ""


async def test_a_plain_rendering_is_sent_as_rendered(zalo: ZaloApiStandIn, messenger: ZaloMessenger) -> None:
    await messenger.send(CHAT, outgoing(PlainMessage("Tiêu đề\n\n📖 Đọc tiếp: https://a.vn/1", PHOTO)))
    await messenger.send(CHAT, outgoing("Chỉ chữ"))
    first, second = zalo.messages_to(CHAT)
    assert (first.photo, first.text) == (PHOTO, "Tiêu đề\n\n📖 Đọc tiếp: https://a.vn/1")
    assert (second.method, second.text) == ("sendMessage", "Chỉ chữ")
