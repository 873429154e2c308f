"""Zalo as the second messenger, end to end: the real bot (`bot.runner.serve`, as `python -m bot run`) against
the Telegram stand-in and the Zalo stand-in over HTTP. A Zalo citizen subscribes, receives articles and award
announcements in plain text, changes topics with numbered choices, stops; news and broadcasts reach both
messengers once each; Zalo's failures are handled like Telegram's, without touching Telegram; a crash in
the middle of a fan-out loses nothing on either messenger."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa

from bot.app import Services
from bot.clock import ManualClock
from bot.domain.models import Article, AwardInfo, Kind, Recipient, Stage
from bot.domain.statuses import Audience
from bot.handlers.callbacks import BroadcastAudience, encode
from bot.runner import ZaloRejected
from bot.settings import FeedConfig, Settings
from bot.store.db import create_engine, upgrade
from bot.store.records import PollOutcome
from bot.store.schema import deliveries
from bot.store.store import Store
from tests.e2e.admin_helpers import ADMIN, preview_of
from tests.e2e.citizen_support import START, publish
from tests.e2e.citizen_support import article as support_article
from tests.e2e.harness import free_port, make_settings, running_bot
from tests.e2e.outbox import T0, add_chats, article, queue
from tests.e2e.site import NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn
from tests.standin.zalo import (
    ZaloApiStandIn,
    ZaloSent,
    forbidden,
    post_webhook,
    quota_exceeded,
    server_error,
    text_update,
)

ROOT = Path(__file__).resolve().parents[2]
LAN, MINH = "7f3a9c2e1b5d4a60", "2b8e6d4f0a1c3e57"  # Zalo chat ids are opaque strings
TG_USER = 501
TAGS = re.compile(r"</?(b|i|a|u|s|code|pre|blockquote)\b[^>]*>")
ZALO_SECRET = "zalo-webhook-secret-123"


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloApiStandIn]:
    async with ZaloApiStandIn(rate_per_second=None) as standin:
        yield standin


def both(server: BotApiStandIn, zalo: ZaloApiStandIn, url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "zalo_bot_token": zalo.token,
        "zalo_api_base_url": zalo.base_url,
        "zalo_send_rate_per_second": 50,
    }
    values.update(overrides)
    return make_settings(server, url, **values)


async def until(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def reply(zalo: ZaloApiStandIn, chat_id: str, contains: str, timeout: float = 10.0) -> ZaloSent:  # noqa: ASYNC109
    """The first message to `chat_id` that contains `contains` (waiting for it)."""
    found: list[ZaloSent] = []

    async def check() -> bool:
        found[:] = [m for m in zalo.messages_to(chat_id) if contains in m.text]
        return bool(found)

    try:
        await until(check, timeout)
    except AssertionError:
        shown = [m.text[:120] for m in zalo.messages_to(chat_id)]
        raise AssertionError(f"no message with {contains!r} to {chat_id}; got {shown}") from None
    return found[0]


async def say(zalo: ZaloApiStandIn, chat_id: str, words: str, expect: str) -> ZaloSent:
    """Type `words` on Zalo and wait for the new reply that contains `expect`."""
    before = len(zalo.messages_to(chat_id))
    zalo.inject_text(words, chat_id=chat_id, display_name="Chị Lan")

    async def check() -> bool:
        return any(expect in m.text for m in zalo.messages_to(chat_id)[before:])

    try:
        await until(check)
    except AssertionError:
        shown = [m.text[:200] for m in zalo.messages_to(chat_id)[before:]]
        raise AssertionError(f"{words!r}: no reply with {expect!r}; got {shown}") from None
    return next(m for m in zalo.messages_to(chat_id)[before:] if expect in m.text)


def option(menu: str, label: str) -> str:
    """The number of the menu line that contains `label`."""
    for line in menu.splitlines():
        match = re.match(r"^(\d+)\. (.*)$", line)
        if match and label in match.group(2):
            return match.group(1)
    raise AssertionError(f"{label!r} is not in the menu:\n{menu}")


async def zalo_chat(svc: Services, address: str) -> Any:
    return await svc.store.chats.chat_by_address("zalo", address)


def award_article(n: int) -> Article:
    base = article(n, title=f"Trao Bằng khen của Chủ tịch UBND tỉnh cho tập thể số {n}")
    award = AwardInfo(
        stage=Stage.CONFERRED,
        kinds=("Bằng khen của Chủ tịch UBND tỉnh",),
        authorities=("Chủ tịch UBND tỉnh",),
        recipients=(Recipient("Nguyễn Thị Kiều Oanh", "Chuyên viên"),),
    )
    return replace(base, kind=Kind.AWARD, award=award)


# ---- a citizen on Zalo ---------------------------------------------------------------------------


async def test_a_zalo_citizen_subscribes_receives_news_and_awards_changes_topics_and_stops(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(both(server, zalo, sqlite_url), ManualClock(T0)) as svc:
        welcome = await say(zalo, LAN, "Đăng ký", "Xin chào")
        assert "dang ky" in welcome.text and not TAGS.search(welcome.text)  # plain text, typed words
        chat = await zalo_chat(svc, LAN)
        assert chat is not None and chat.subscribed and chat.id >= 2**62 and chat.title == "Chị Lan"
        await add_chats(svc.store, [TG_USER])

        await queue(svc.store, [article(1), award_article(2)])
        svc.sender.wake()
        news = await reply(zalo, LAN, "Bài số 1")
        award = await reply(zalo, LAN, "Trao Bằng khen")
        for sent in (news, award):
            assert not TAGS.search(sent.text) and len(sent.text.encode("utf-16-le")) // 2 <= 2000
        assert "https://sokhcn.tayninh.gov.vn/vi/news/tin-hoat-dong/bai-1.html" in news.text
        assert news.photo == "https://sokhcn.tayninh.gov.vn/uploads/news/1.jpg"
        assert "🏅" in award.text and "Nguyễn Thị Kiều Oanh" in award.text
        telegram = await server.wait_for(chat_id=TG_USER, contains="Bài số 1")
        assert telegram.parse_mode == "HTML" and "<b>" in str(telegram.params.get("caption", ""))

        menu = await say(zalo, LAN, "cai dat", "1.")
        topics = await say(zalo, LAN, option(menu.text, "Loại tin"), "1.")
        await say(zalo, LAN, option(topics.text, "khen thưởng"), "1.")
        chat = await zalo_chat(svc, LAN)
        assert chat.topics == "awards"
        await queue(svc.store, [article(3), award_article(4)])
        svc.sender.wake()
        await reply(zalo, LAN, "tập thể số 4")
        assert not any("Bài số 3" in m.text for m in zalo.messages_to(LAN))

        await say(zalo, LAN, "9", "Số 9")  # a number that is not on the menu shown
        await say(zalo, LAN, "xin chào bot", "chưa hiểu")
        await say(zalo, LAN, "huy dang ky", "hủy đăng ký")
        chat = await zalo_chat(svc, LAN)
        assert not chat.subscribed


async def test_lookups_and_help_on_zalo_are_plain_text(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(both(server, zalo, sqlite_url), ManualClock(T0)) as svc:
        await say(zalo, LAN, "/start", "Xin chào")
        await queue(svc.store, [article(1), award_article(2)])
        latest = await say(zalo, LAN, "tin moi", "Bài số 1")
        assert "bai-1.html" in latest.text and not TAGS.search(latest.text)
        helped = await say(zalo, LAN, "giúp", "/settings")
        assert "dang ky" in helped.text and not TAGS.search(helped.text)
        await say(zalo, LAN, "/nope", "không")  # an unknown command says so
        found = await say(zalo, LAN, "tim Bài số 2", "Trao Bằng khen")
        assert "bai-2.html" in found.text


async def test_a_zalo_citizen_sees_and_erases_their_data(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(both(server, zalo, sqlite_url), ManualClock(T0)) as svc:
        await say(zalo, LAN, "dang ky", "Xin chào")
        mine = await say(zalo, LAN, "/mydata", "Chị Lan")
        assert not TAGS.search(mine.text)
        confirm = await say(zalo, LAN, "xoa du lieu", "1.")
        await say(zalo, LAN, option(confirm.text, "Hủy"), "giữ nguyên")
        assert (await zalo_chat(svc, LAN)).subscribed
        confirm = await say(zalo, LAN, "/deletedata", "1.")
        await say(zalo, LAN, option(confirm.text, "Xóa hết"), "Đã xóa toàn bộ")
        assert await zalo_chat(svc, LAN) is None


async def test_a_zalo_digest_reader_chooses_it_by_number_and_gets_it_in_plain_text(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)  # 10:00 local
    async with running_bot(both(server, zalo, sqlite_url), clock) as svc:
        await say(zalo, LAN, "dang ky", "Xin chào")
        menu = await say(zalo, LAN, "cai dat", "1.")
        modes = await say(zalo, LAN, option(menu.text, "Cách nhận"), "1.")
        daily = await say(zalo, LAN, option(modes.text, "Hằng ngày"), "Đã lưu: bản tin hằng ngày")
        await say(zalo, LAN, option(daily.text, "20:00"), "lúc 20:00")
        clock.advance(hours=1)
        await publish(
            svc,
            clock,
            support_article("Hội nghị chuyển đổi số"),
            support_article("Tặng Bằng khen cho 5 tập thể", award=True),
        )
        await asyncio.sleep(0.3)
        assert not any("Hội nghị" in m.text for m in zalo.messages_to(LAN))  # a digest reader waits
        clock.set(START + timedelta(hours=10))  # 20:00 local
        assert await svc.digests.run_due() == 1
        svc.sender.wake()
        digest = await reply(zalo, LAN, "Bản tin ngày 26/11/2026")
        assert digest.text.index("Tặng Bằng khen") < digest.text.index("Hội nghị chuyển đổi số")
        assert "https://sokhcn.tayninh.gov.vn/" in digest.text and not TAGS.search(digest.text)


async def test_keyword_alerts_and_mute_words_on_zalo(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(both(server, zalo, sqlite_url), ManualClock(T0)) as svc:
        await say(zalo, LAN, "dang ky", "Xin chào")
        listed = await say(zalo, LAN, "theo dõi chuyển đổi số", "chuyển đổi số")
        assert await svc.store.chats.list_follows((await zalo_chat(svc, LAN)).id) == [
            ("chuyen doi so", "chuyển đổi số")
        ]
        await say(zalo, LAN, option(listed.text, "chuyển đổi số"), "chuyển đổi số")  # its ❌, by number
        assert await svc.store.chats.list_follows((await zalo_chat(svc, LAN)).id) == []
        await say(zalo, LAN, "/mute xổ số", "xổ số")
        await queue(svc.store, [article(1, title="Kết quả xổ số kiến thiết"), article(2)])
        svc.sender.wake()
        await reply(zalo, LAN, "Bài số 2")
        assert not any("xổ số kiến thiết" in m.text for m in zalo.messages_to(LAN))


# ---- both messengers ----------------------------------------------------------------------------


async def test_an_admin_broadcast_reaches_telegram_and_zalo_subscribers_once_each(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    settings = both(server, zalo, sqlite_url, admin_ids=[ADMIN], broadcast_progress_seconds=0.3)
    async with running_bot(settings, ManualClock(T0)) as svc:
        await add_chats(svc.store, [TG_USER, TG_USER + 1])
        await say(zalo, LAN, "dang ky", "Xin chào")
        await say(zalo, MINH, "dang ky", "Xin chào")
        server.inject_message("/broadcast Lịch tiếp công dân tháng 12", chat_id=ADMIN)
        preview, cast_id = await preview_of(server)
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        report = await server.wait_for(
            lambda m: not m.is_edit and "Đã gửi xong" in m.plain_text, chat_id=ADMIN, timeout=20
        )
        assert f"#{cast_id}: 4/4" in report.plain_text
        await asyncio.sleep(0.3)
        for chat_id in (LAN, MINH):
            got = [m for m in zalo.messages_to(chat_id) if "Lịch tiếp công dân" in m.text]
            assert [m.text for m in got] == ["Lịch tiếp công dân tháng 12"]
        for user in (TG_USER, TG_USER + 1):
            assert len([m for m in server.messages_to(user) if "Lịch tiếp công dân" in m.plain_text]) == 1
        server.inject_message("/stats", chat_id=ADMIN)
        stats = await server.wait_for(chat_id=ADMIN, contains="Thống kê")
        assert "Telegram 2 · Zalo 2" in stats.plain_text
        server.inject_message("/export", chat_id=ADMIN)
        document = await server.wait_for(chat_id=ADMIN, method="sendDocument")
        [upload] = document.files.values()
        rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8-sig"))))
        subscribed = sorted((r["platform"], r["address"]) for r in rows if r["subscribed"] == "1")
        telegram = [("telegram", str(TG_USER)), ("telegram", str(TG_USER + 1))]
        assert subscribed == [*telegram, ("zalo", MINH), ("zalo", LAN)]

        # an announcement for Zalo users only; a Zalo user who blocked the bot counts as blocked
        zalo.block_chat(MINH)
        server.inject_message("/broadcast Chỉ gửi người dùng Zalo", chat_id=ADMIN)
        preview, cast_id = await preview_of(server, "Chỉ gửi người dùng Zalo")
        assert any(b["text"] == "Zalo (2)" for b in preview.buttons)
        only_zalo = encode(BroadcastAudience(cast_id, Audience.ZALO))
        server.inject_callback(only_zalo, chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id)
        await server.wait_for(
            lambda m: m.is_edit and any("🔘 Zalo" in b["text"] for b in m.buttons), chat_id=ADMIN
        )
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        report = await server.wait_for(
            lambda m: not m.is_edit and f"#{cast_id}" in m.plain_text and "Đã gửi xong" in m.plain_text,
            chat_id=ADMIN,
            timeout=20,
        )
        assert f"#{cast_id}: 1/2" in report.plain_text and "Đã chặn bot: 1" in report.plain_text
        assert [m.text for m in zalo.messages_to(LAN) if "Chỉ gửi" in m.text] == ["Chỉ gửi người dùng Zalo"]
        assert not [m for m in server.sent if "Chỉ gửi" in m.plain_text and m.chat_id != ADMIN]


async def test_a_withdrawn_article_is_edited_on_telegram_and_announced_on_zalo(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    settings = both(server, zalo, sqlite_url, admin_ids=[ADMIN])
    async with running_bot(settings, ManualClock(T0)) as svc:
        await add_chats(svc.store, [TG_USER])
        await say(zalo, LAN, "dang ky", "Xin chào")
        await queue(svc.store, [article(1, title="Bài có sai sót")])
        svc.sender.wake()
        sent = await server.wait_for(chat_id=TG_USER, contains="Bài có sai sót")
        await reply(zalo, LAN, "Bài có sai sót")

        async def recorded() -> bool:  # outcomes are written a moment after the sends
            return await svc.store.outbox.delivery_counts() == {"sent": 2}

        await until(recorded)
        link = "https://sokhcn.tayninh.gov.vn/vi/news/tin-hoat-dong/bai-1.html"
        server.inject_message(f"/retract {link}", chat_id=ADMIN)
        confirm = await server.wait_for(chat_id=ADMIN, contains="Gỡ bài Bài có sai sót?")
        server.inject_callback(confirm.callback_data[0], chat_id=ADMIN, message_id=confirm.message_id)
        done = await server.wait_for(chat_id=ADMIN, contains="Đã gỡ bài «Bài có sai sót»")
        assert "sửa 2 tin đã gửi" in done.plain_text
        edit = await server.wait_for(lambda m: m.is_edit, chat_id=TG_USER)
        assert edit.message_id == sent.message_id and edit.plain_text.startswith("⚠️ Sở đã gỡ bài viết này.")
        notice = await reply(zalo, LAN, "⚠️ Sở đã gỡ bài viết này.")
        assert "Bài có sai sót" in notice.text and notice.photo is None and not TAGS.search(notice.text)


async def test_zalo_failures_are_handled_like_telegrams_and_never_touch_telegram(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(T0)
    async with running_bot(both(server, zalo, sqlite_url), clock) as svc:
        await add_chats(svc.store, [TG_USER])
        await say(zalo, LAN, "dang ky", "Xin chào")
        await say(zalo, MINH, "dang ky", "Xin chào")

        zalo.block_chat(MINH)  # 403 "User has blocked the bot": the chat becomes inactive
        await queue(svc.store, [article(1)], now=clock.now())
        svc.sender.wake()
        await reply(zalo, LAN, "Bài số 1")
        await server.wait_for(chat_id=TG_USER, contains="Bài số 1")

        async def minh_inactive() -> bool:
            chat = await zalo_chat(svc, MINH)
            return chat is not None and not chat.active

        await until(minh_inactive)
        assert (await svc.store.chats.get_chat(TG_USER)).active  # type: ignore[union-attr]
        zalo.unblock_chat(MINH)  # a message from the chat shows it can be reached again
        await say(zalo, MINH, "tin moi", "Bài số 1")
        assert (await zalo_chat(svc, MINH)).active
        await say(zalo, MINH, "huy dang ky", "hủy đăng ký")  # only LAN from here on

        zalo.fail_next("sendPhoto", quota_exceeded(retry_after=2))  # 429: Zalo pauses, Telegram does not
        await queue(svc.store, [article(2)], now=clock.now())
        svc.sender.wake()
        await until(lambda: asyncio.sleep(0, any(r.error_code == 429 for r in zalo.requests)))
        await server.wait_for(chat_id=TG_USER, contains="Bài số 2")
        await queue(svc.store, [article(3)], now=clock.now())
        svc.sender.wake()
        await server.wait_for(chat_id=TG_USER, contains="Bài số 3")  # while Zalo waits out its 429
        assert svc.sender.pacers["zalo"].paused_for > 0 and svc.sender.pacers["telegram"].paused_for == 0
        assert not any("Bài số 2" in m.text or "Bài số 3" in m.text for m in zalo.messages_to(LAN))
        await asyncio.sleep(2)  # the pause is over
        for _ in range(40):  # and so is the retry's wait, on the database's clock
            if any("Bài số 2" in m.text for m in zalo.messages_to(LAN)):
                break
            clock.advance(seconds=1)
            svc.sender.wake()
            await asyncio.sleep(0.1)
        await reply(zalo, LAN, "Bài số 2")
        await reply(zalo, LAN, "Bài số 3")

        zalo.fail_next("sendPhoto", server_error())  # 500: retried after a back-off, delivered once
        zalo.fail_next("sendPhoto", forbidden())  # a 403 that is not a block (Zalo's "internal error")
        await queue(svc.store, [article(4)], now=clock.now())
        svc.sender.wake()
        for _ in range(40):
            if any("Bài số 4" in m.text for m in zalo.messages_to(LAN)):
                break
            clock.advance(seconds=15)
            svc.sender.wake()
            await asyncio.sleep(0.1)
        got = await reply(zalo, LAN, "Bài số 4")
        assert [m.text for m in zalo.messages_to(LAN)].count(got.text) == 1
        assert [r.error_code for r in zalo.requests if r.error_code] == [403, 429, 500, 403]
        chat = await zalo_chat(svc, LAN)
        assert chat.active and [m.chat_id for m in server.sent].count(TG_USER) == 4


async def test_replies_and_the_fan_out_together_stay_under_zalos_rate(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    async with ZaloApiStandIn(rate_per_second=5) as zalo:  # a 6th call within a second: 429
        settings = both(server, zalo, sqlite_url, zalo_send_rate_per_second=4)
        async with running_bot(settings, ManualClock(T0)) as svc:
            readers = [f"reader{n}" for n in range(6)]
            for address in readers:
                zalo.inject_text("dang ky", chat_id=address)
            for address in readers:
                await reply(zalo, address, "Xin chào")
            await queue(svc.store, [article(1)])
            svc.sender.wake()
            for address in readers[:3]:  # citizens ask while the fan-out runs
                zalo.inject_text("tin moi", chat_id=address)
            for address in readers:
                await reply(zalo, address, "Tóm tắt bài số 1")
            for address in readers[:3]:
                await reply(zalo, address, "bai-1.html")
        assert zalo.rate_violations == [] and not [r for r in zalo.requests if r.error_code == 429]


# ---- how Zalo updates arrive -----------------------------------------------------------------------


async def test_the_zalo_webhook_needs_its_secret(
    server: BotApiStandIn, zalo: ZaloApiStandIn, sqlite_url: str
) -> None:
    health = free_port()
    settings = both(
        server,
        zalo,
        sqlite_url,
        webhook_url="https://bot.example.org",
        webhook_secret="s3cret-token_for-tests",
        webhook_listen="127.0.0.1",
        port=free_port(),
        health_port=health,
        public_base_url="https://bot.example.org",
        zalo_webhook_secret=ZALO_SECRET,
    )
    async with running_bot(settings, webhook=True) as svc:
        assert zalo.webhook_url == "https://bot.example.org/zalo/webhook"
        assert zalo.webhook_secret == ZALO_SECRET
        url = f"http://127.0.0.1:{health}/zalo/webhook"
        assert await post_webhook(url, text_update("dang ky", LAN), "wrong-secret-123") == 403
        assert await post_webhook(url, text_update("dang ky", LAN), None) == 403
        await asyncio.sleep(0.3)
        assert await zalo_chat(svc, LAN) is None and zalo.messages_to(LAN) == []
        zalo.webhook_deliver_to = url
        await say(zalo, LAN, "dang ky", "Xin chào")
        assert await zalo.flush_webhooks() == [200]
        healthz = f"http://127.0.0.1:{health}/healthz"
        async with aiohttp.ClientSession() as session, session.get(healthz) as response:
            shown = await response.json()
        assert shown["zalo"] == "ok" and len(zalo.calls("getMe")) == 2  # start-up, then /healthz


async def test_a_wrong_zalo_token_stops_the_start(server: BotApiStandIn, sqlite_url: str) -> None:
    async with ZaloApiStandIn() as zalo:
        settings = make_settings(
            server, sqlite_url, zalo_bot_token="1234567:not-the-token", zalo_api_base_url=zalo.base_url
        )
        with pytest.raises(ZaloRejected, match="ZALO_BOT_TOKEN"):
            async with running_bot(settings):
                pass


async def test_python_m_bot_run_stops_with_one_line_and_status_2_on_a_refused_zalo_token(
    server: BotApiStandIn, tmp_path: Path
) -> None:
    async with ZaloApiStandIn() as zalo:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "TELEGRAM_BOT_TOKEN": server.token,
            "TELEGRAM_API_BASE_URL": server.base_url,
            "ZALO_BOT_TOKEN": "1234567:not-the-zalo-secret",
            "ZALO_API_BASE_URL": zalo.base_url,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.sqlite3'}",
            "HEALTH_PORT": "0",
            "LOG_LEVEL": "WARNING",
        }
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        _out, err = await asyncio.wait_for(bot.communicate(), 60)
    shown = err.decode()
    assert bot.returncode == 2
    assert "Zalo rejected ZALO_BOT_TOKEN" in shown and "Traceback" not in shown
    assert "not-the-zalo-secret" not in shown


# ---- a crash in the middle of a fan-out -------------------------------------------------------------

SUBSCRIBERS = 120  # on each messenger


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def prepared(url: str, site: NewsSite, zalo: ZaloApiStandIn) -> list[str]:
    engine = create_engine(url)
    await upgrade(engine)
    store = Store(engine)
    [feed] = await store.feeds.sync_feeds([FeedConfig(url=site.feed_url)], 600)
    now = datetime.now(UTC)
    await store.articles.save_poll(PollOutcome(feed_id=feed.id, at=now, next_poll_at=now, ok=True), [], [])
    await add_chats(store, range(1, SUBSCRIBERS + 1))
    addresses = [f"z{n:05d}" for n in range(SUBSCRIBERS)]
    for address in addresses:
        chat = await store.chats.get_or_create_chat(
            "zalo", address, type="private", title=None, language="vi", now=now
        )
        await store.chats.subscribe(
            chat.id, type="private", title=None, username=None, language="vi", now=now
        )
        await store.chats.set_prefs(chat.id, now, quiet_mode="off")
        zalo.add_chat(address)
    await engine.dispose()
    return addresses


async def start_bot(
    server: BotApiStandIn, zalo: ZaloApiStandIn, url: str, site: NewsSite
) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "ZALO_BOT_TOKEN": zalo.token,
        "ZALO_API_BASE_URL": zalo.base_url,
        "ZALO_SEND_RATE_PER_SECOND": "40",
        "DATABASE_URL": url,
        "FEED_URLS": site.feed_url,
        "SCHEDULER_TICK_SECONDS": "0.3",
        "POLL_INTERVAL_SECONDS": "3600",
        "SEND_RATE_PER_SECOND": "40",
        "SENDER_CONCURRENCY": "4",
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def zalo_received(zalo: ZaloApiStandIn) -> Counter[str]:
    return Counter(m.chat_id for m in zalo.sent if m.method == "sendPhoto")


def telegram_received(server: BotApiStandIn) -> Counter[int]:
    return Counter(m.chat_id for m in server.sent if m.method == "sendPhoto")


@pytest.mark.slow
async def test_a_crash_mid_fan_out_loses_nothing_on_either_messenger(
    server: BotApiStandIn, zalo: ZaloApiStandIn, site: NewsSite, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    addresses = await prepared(url, site, zalo)
    site.publish(900, "Sở công bố kết quả đề tài khoa học cấp tỉnh")
    proc = await start_bot(server, zalo, url, site)
    try:
        deadline = time.monotonic() + 40
        while len(zalo_received(zalo)) + len(telegram_received(server)) < SUBSCRIBERS:
            assert time.monotonic() < deadline, "the fan-out did not start"
            await asyncio.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
        assert len(zalo_received(zalo)) + len(telegram_received(server)) < 2 * SUBSCRIBERS
        proc = await start_bot(server, zalo, url, site)
        deadline = time.monotonic() + 60
        while len(zalo_received(zalo)) < SUBSCRIBERS or len(telegram_received(server)) < SUBSCRIBERS:
            assert time.monotonic() < deadline, "the fan-out did not finish after the restart"
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()
    assert set(zalo_received(zalo)) == set(addresses)
    assert set(telegram_received(server)) == set(range(1, SUBSCRIBERS + 1))
    assert max(zalo_received(zalo).values()) <= 2 and max(telegram_received(server).values()) <= 2
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.select(deliveries.c.status, sa.func.count()).group_by(deliveries.c.status)
            )
            assert {r[0]: int(r[1]) for r in rows} == {"sent": 2 * SUBSCRIBERS}
    finally:
        await engine.dispose()
