"""The admin console besides broadcasts: /stats (PNG chart), /feeds and feed alerts, /retract and /resend,
/export, /audit — through the real Application and the Bot API stand-in."""

from __future__ import annotations

import asyncio
import csv
import io
import struct
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.clock import ManualClock
from bot.store.schema import audit_log, deliveries
from tests.e2e.admin_helpers import ADMIN, OTHER_ADMIN, add_subscribers, admin_settings
from tests.e2e.harness import running_bot
from tests.e2e.site import FEED_PATH, NewsSite, article_page
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh: outside quiet hours


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def test_stats_sends_a_png_chart_with_the_right_numbers(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        now = svc.clock.now()
        ids = await add_subscribers(svc, 4)  # private, all topics
        await add_subscribers(svc, 2, base=40_000, topics="awards")
        for chat_id, kind in ((-100_500, "supergroup"), (-100_501, "channel")):
            await svc.store.chats.subscribe(
                chat_id, type=kind, title="Nhóm", username=None, language="vi", now=now
            )
        await svc.store.chats.set_active(ids[0], False, now)  # blocked the bot
        await svc.store.chats.unsubscribe(ids[1], now)
        async with svc.store.engine.begin() as conn:
            rows = [("sent", timedelta(hours=2))] * 3 + [("sent", timedelta(days=3))] * 2
            rows += [("failed", timedelta(hours=1)), ("failed", timedelta(days=5))]
            for n, (status, ago) in enumerate(rows):
                at = now - ago
                await conn.execute(
                    deliveries.insert().values(
                        chat_id=ids[2] if n % 2 else ids[3],
                        payload={"text": f"tin {n}"},
                        status=status,
                        due_at=at,
                        created_at=at,
                        sent_at=at if status == "sent" else None,
                    )
                )
        server.inject_message("/stats", chat_id=ADMIN)
        photo = await server.wait_for(chat_id=ADMIN, method="sendPhoto")
        caption = photo.plain_text
        assert "Đang nhận tin: 6 · đã chặn bot: 1 · đã hủy: 1" in caption
        assert "cá nhân 4 · nhóm 1 · kênh 1" in caption
        assert "tất cả tin 4 · chỉ tin khen thưởng 2" in caption  # topics by name
        assert "Đã gửi: 3 trong 24 giờ · 5 trong 7 ngày" in caption
        assert "Gửi lỗi: 1 trong 24 giờ · 2 trong 7 ngày" in caption
        assert "Hàng đợi: 0" in caption
        [upload] = photo.files.values()
        png = upload.data
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (900, 450)
        series = await svc.store.stats.daily_series(now, 30, 7 * 3600)
        assert len(series.days) == 30 and series.subscribers[-1] == 7  # subscribed now (blocked included)
        assert sum(series.deliveries) == 5


async def test_feed_failure_alerted_once_and_recovery_once(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Bài đầu tiên")
    clock = ManualClock(START)
    settings = admin_settings(
        server, sqlite_url, feeds=[{"url": site.feed_url}], feed_failing_threshold=2, poll_jitter_fraction=0
    )
    alerts = "lỗi 2 lần liên tiếp"
    recovered = "hoạt động bình thường trở lại"
    async with running_bot(settings, clock) as svc:
        await svc.ingest.poll_now()
        await svc.health.check()
        site.server.fail(FEED_PATH, 500, count=3)
        for _ in range(3):
            clock.advance(minutes=30)
            await svc.ingest.poll_now()
            await svc.health.check()
        await server.wait_for(chat_id=ADMIN, contains=alerts)
        await server.wait_for(chat_id=OTHER_ADMIN, contains=alerts)

        server.inject_message("/feeds", chat_id=ADMIN)
        health = await server.wait_for(chat_id=ADMIN, contains="Tình trạng nguồn tin")
        assert "Lỗi liên tiếp: 3" in health.plain_text and "tạm lùi" in health.plain_text

        clock.advance(minutes=30)
        site.publish(101, "Bài sau khi phục hồi")
        server.inject_message("/poll", chat_id=ADMIN)
        polled = await server.wait_for(chat_id=ADMIN, contains="Đã lấy tin")
        assert "1 bài mới" in polled.plain_text
        for _ in range(3):
            await svc.health.check()
        await server.wait_for(chat_id=ADMIN, contains=recovered)
        await asyncio.sleep(0.5)
        for admin in (ADMIN, OTHER_ADMIN):
            texts = [m.plain_text for m in server.messages_to(admin)]
            assert sum(alerts in t for t in texts) == 1, texts
            assert sum(recovered in t for t in texts) == 1, texts

        clock.advance(days=8)  # nothing new for more than feed_stale_days (7)
        await svc.ingest.poll_now()
        await svc.health.check()
        await svc.health.check()
        stale = await server.wait_for(chat_id=ADMIN, contains="không có bài mới trong 7 ngày")
        await asyncio.sleep(0.3)
        assert [m.plain_text for m in server.messages_to(ADMIN)].count(stale.plain_text) == 1
        admin_chat = await svc.store.chats.get_chat(ADMIN)
        assert admin_chat is not None and not admin_chat.subscribed  # alerts, not news


async def test_retract_edits_exactly_the_delivered_messages_and_resend_redelivers(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(200, "Bài cũ")
    clock = ManualClock(START)
    settings = admin_settings(server, sqlite_url, feeds=[{"url": site.feed_url}], poll_jitter_fraction=0)
    readers = [701, 702]
    async with running_bot(settings, clock) as svc:
        for chat_id in readers:
            server.inject_message("/start", chat_id=chat_id)
            await server.wait_for(chat_id=chat_id, contains="Xin chào")
        await svc.ingest.poll_now()
        wrong_page = site.publish(201, "Bài có sai sót")
        site.publish(202, "Bài khác không bị gỡ")
        clock.advance(minutes=11)
        await svc.ingest.poll_now()
        posts = await server.wait_for_count(4, chat_id=None, method="sendPhoto")
        wrong = [m for m in posts if "Bài có sai sót" in (m.text or "")]
        assert sorted(m.chat_id for m in wrong) == readers
        latecomer = 703
        server.inject_message("/start", chat_id=latecomer)
        await server.wait_for(chat_id=latecomer, contains="Xin chào")
        article = next(a for a in await svc.store.articles.latest_articles(5) if a.title == "Bài có sai sót")

        server.inject_message("/retract 201", chat_id=ADMIN)  # the site's own number
        confirm = await server.wait_for(chat_id=ADMIN, contains="Gỡ bài Bài có sai sót?")
        assert confirm.callback_data == [f"ar:do:r:{article.id}", f"ar:no:r:{article.id}"]
        assert not [m for m in server.sent if m.is_edit and m.chat_id != ADMIN]  # nothing before the yes
        server.inject_callback(f"ar:do:r:{article.id}", chat_id=ADMIN, message_id=confirm.message_id)
        done = await server.wait_for(chat_id=ADMIN, contains="Đã gỡ bài «Bài có sai sót»")
        assert "sửa 2 tin đã gửi" in done.plain_text
        edits = [m for m in server.sent if m.is_edit and m.chat_id != ADMIN]
        assert sorted((m.chat_id, m.message_id) for m in edits) == sorted(
            (m.chat_id, m.message_id) for m in wrong
        )
        assert all(
            m.method == "editMessageCaption" and m.plain_text.startswith("⚠️ Sở đã gỡ bài viết này.")
            for m in edits
        )
        assert all("Bài có sai sót" in m.plain_text for m in edits)

        corrected = article_page(  # the editor corrects the article on the site
            "Bài có sai sót (đã đính chính)", "Tin 201.", ["Số liệu đúng là 95 đại biểu tham dự."],
            "/uploads/news/201.jpg", "21/11/2026 05:00",
        )  # fmt: skip
        site.server.set(wrong_page, corrected, content_type="text/html; charset=utf-8")
        server.inject_message("/resend", chat_id=ADMIN)  # chosen from the newest articles
        listing = await server.wait_for(chat_id=ADMIN, contains="Chọn bài cần đính chính")
        assert f"ar:pick:s:{article.id}" in listing.callback_data
        server.inject_callback(f"ar:pick:s:{article.id}", chat_id=ADMIN, message_id=listing.message_id)
        await server.wait_for(
            chat_id=ADMIN, predicate=lambda m: m.is_edit and f"ar:do:s:{article.id}" in m.callback_data
        )
        server.inject_callback(f"ar:do:s:{article.id}", chat_id=ADMIN, message_id=listing.message_id)
        await server.wait_for(chat_id=ADMIN, contains="bản đính chính sẽ được gửi tới 3 người nhận")
        again = await server.wait_for_count(
            3,
            predicate=lambda m: (
                not m.is_edit and m.chat_id != ADMIN and "Bài có sai sót" in (m.text or "") and m not in wrong
            ),
        )
        assert sorted(m.chat_id for m in again) == [*readers, latecomer]
        assert all(m.plain_text.startswith("✏️ ĐÍNH CHÍNH\nBài có sai sót (đã đính chính)") for m in again)
        assert all("gỡ" not in m.plain_text and "95 đại biểu" in m.plain_text for m in again)
        pointed = [m for m in server.sent if m.is_edit and m.chat_id in readers][-2:]
        assert all(m.plain_text.startswith("✏️ Bài viết này đã được đính chính") for m in pointed)

        async with svc.store.engine.connect() as conn:
            actions = (await conn.execute(sa.select(audit_log.c.action, audit_log.c.recipients))).all()
        assert ("retract", 2) in [tuple(a) for a in actions] and ("resend", 3) in [tuple(a) for a in actions]


async def test_export_csv_and_audit_log(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        ids = await add_subscribers(svc, 3)
        await svc.store.chats.subscribe(
            -100_900,
            type="supergroup",
            title="Tổ dân phố 3, phường 1",
            username=None,
            language="vi",
            now=svc.clock.now(),
        )
        await svc.store.chats.unsubscribe(ids[2], svc.clock.now())
        server.inject_message("/export", chat_id=ADMIN)
        document = await server.wait_for(chat_id=ADMIN, method="sendDocument")
        [upload] = document.files.values()
        assert (upload.filename or "").endswith(".csv")
        rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8-sig"))))
        assert sorted(int(r["id"]) for r in rows) == sorted([*ids, -100_900])
        group = next(r for r in rows if r["id"] == "-100900")
        assert group["title"] == "Tổ dân phố 3, phường 1" and group["type"] == "supergroup"
        assert next(r for r in rows if r["id"] == str(ids[2]))["subscribed"] == "0"
        assert "4 chat" in document.plain_text

        server.inject_message("/stats", chat_id=OTHER_ADMIN, first_name="Lan")
        await server.wait_for(chat_id=OTHER_ADMIN, method="sendPhoto")
        server.inject_message("/audit", chat_id=ADMIN)
        log = await server.wait_for(chat_id=ADMIN, contains="Nhật ký quản trị")
        lines = log.plain_text.splitlines()[1:]
        assert "· Lan · xem thống kê" in lines[0]  # newest first; admins by name, actions in words
        assert "· An · xuất danh sách" in lines[1] and "4 người nhận" in lines[1]
        assert str(ADMIN) not in log.plain_text and "export" not in log.plain_text


async def test_stats_without_the_chart_extra_gives_the_text_and_says_what_the_chart_needs(
    server: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if `pip install -e .` without [chart]
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await add_subscribers(svc, 3)
        server.inject_message("/stats", chat_id=ADMIN)
        reply = await server.wait_for(chat_id=ADMIN, contains="Thống kê")
        assert reply.method == "sendMessage" and not server.calls("sendPhoto")
        assert "Đang nhận tin: 3" in reply.plain_text
        assert "pip install -e '.[chart]'" in reply.plain_text
        server.inject_message("/stats", chat_id=ADMIN, language_code="en")
        english = await server.wait_for(chat_id=ADMIN, contains="Statistics")
        assert "The chart needs the chart extra" in english.plain_text
