"""The admin console as a clerk without training sees it, in Vietnamese and English: articles chosen from
a list or by the site's number and confirmed, the citizen told which it was, statistics and the audit log
in words rather than codes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.clock import ManualClock
from bot.domain.models import Article
from tests.codes import internal_codes
from tests.e2e.admin_helpers import ADMIN, add_subscribers, admin_settings
from tests.e2e.citizen_support import START, article, command, publish, start
from tests.e2e.harness import running_bot
from tests.standin import BotApiStandIn

READER = 7301


def local(item: Article) -> Article:
    """The article's page on a closed local port: a correction's re-read fails at once, stays here."""
    return replace(item, link=item.link.replace("https://sokhcn.tayninh.gov.vn", "http://127.0.0.1:9"))


WORDS = {
    "vi": {
        "pick": "Chọn bài cần gỡ",
        "confirm": "Gỡ bài",
        "kept": "Đã hủy, không có gì thay đổi.",
        "done": "Đã gỡ bài «Tin cần gỡ»",
        "withdrawn": "⚠️ Sở đã gỡ bài viết này.\nTin cần gỡ",
        "resend_done": "Đã đính chính bài «Tin cần sửa»",
        "superseded": "✏️ Bài viết này đã được đính chính",
        "correction": "✏️ ĐÍNH CHÍNH\nTin cần sửa",
    },
    "en": {
        "pick": "Choose the article to withdraw",
        "confirm": "Withdraw",
        "kept": "Cancelled: nothing changed.",
        "done": "Withdrew “Tin cần gỡ”",
        "withdrawn": "⚠️ The department has withdrawn this article.\nTin cần gỡ",
        "resend_done": "Corrected “Tin cần sửa”",
        "superseded": "✏️ This article has been corrected",
        "correction": "✏️ CORRECTION\nTin cần sửa",
    },
}


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_retract_and_resend_choose_confirm_and_tell_the_citizen_which(
    server: BotApiStandIn, sqlite_url: str, language: str
) -> None:
    words = WORDS[language]
    clock = ManualClock(START)
    async with running_bot(admin_settings(server, sqlite_url), clock) as svc:
        await start(server, READER, language=language)
        await publish(svc, clock, local(article("Tin cần gỡ")), local(article("Tin cần sửa")))
        await server.wait_for_count(2, chat_id=READER, predicate=lambda m: "Tin cần" in m.plain_text)
        [gone] = [a for a in await svc.store.articles.latest_articles(5) if a.title == "Tin cần gỡ"]

        listing = await command(server, ADMIN, "/retract", language_code=language)
        assert words["pick"] in listing.plain_text
        assert any("Tin cần gỡ" in b["text"] for b in listing.buttons)
        server.inject_callback(f"ar:pick:r:{gone.id}", chat_id=ADMIN, message_id=listing.message_id,
                               language_code=language)  # fmt: skip
        asked = await server.wait_for(
            chat_id=ADMIN, predicate=lambda m: m.is_edit and f"ar:do:r:{gone.id}" in m.callback_data
        )
        assert words["confirm"] in asked.plain_text and "Tin cần gỡ" in asked.plain_text
        server.inject_callback(f"ar:no:r:{gone.id}", chat_id=ADMIN, message_id=listing.message_id,
                               language_code=language)  # fmt: skip
        kept = await server.wait_for(chat_id=ADMIN, contains=words["kept"])
        assert kept.buttons == [] and not [m for m in server.messages_to(READER) if m.is_edit]

        # by the site's own number, as a clerk reads it off the article's address
        number = gone.link.rsplit("-", 1)[1].removesuffix(".html")
        confirm = await command(server, ADMIN, f"/retract {number}", language_code=language)
        assert confirm.callback_data == [f"ar:do:r:{gone.id}", f"ar:no:r:{gone.id}"]
        server.inject_callback(f"ar:do:r:{gone.id}", chat_id=ADMIN, message_id=confirm.message_id,
                               language_code=language)  # fmt: skip
        await server.wait_for(chat_id=ADMIN, contains=words["done"])
        edited = await server.wait_for(chat_id=READER, predicate=lambda m: m.is_edit)
        assert edited.plain_text.startswith(words["withdrawn"])

        [fix] = [a for a in await svc.store.articles.latest_articles(5) if a.title == "Tin cần sửa"]
        confirm = await command(server, ADMIN, f"/resend {fix.link}", language_code=language)
        server.inject_callback(f"ar:do:s:{fix.id}", chat_id=ADMIN, message_id=confirm.message_id,
                               language_code=language)  # fmt: skip
        await server.wait_for(chat_id=ADMIN, contains=words["resend_done"])
        pointed = await server.wait_for(
            chat_id=READER, predicate=lambda m: m.is_edit and "Tin cần sửa" in m.plain_text
        )
        assert pointed.plain_text.startswith(words["superseded"])
        again = await server.wait_for(
            chat_id=READER, predicate=lambda m: not m.is_edit and m.plain_text.startswith(words["correction"])
        )
        assert again.buttons[0]["url"] == fix.link


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", ["Thống kê", "tất cả tin 2 · chỉ tin khen thưởng 1", "gửi thông báo", "→ tất cả", "· Hà ·"]),
        (
            "en",
            ["Statistics", "all news 2 · award announcements only 1", "sent an announcement", "→ everyone"],
        ),
    ],
)
async def test_statistics_feeds_and_the_audit_log_speak_words_not_codes(
    server: BotApiStandIn, sqlite_url: str, language: str, expected: list[str]
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await add_subscribers(svc, 2)
        await add_subscribers(svc, 1, base=40_000, topics="awards")
        cast = await svc.broadcasts.draft(ADMIN, ADMIN, "Thông báo thử", [], None)
        await svc.broadcasts.send(cast.id, ADMIN)
        await server.wait_for(
            chat_id=ADMIN, predicate=lambda m: not m.is_edit and f"#{cast.id}" in m.plain_text
        )
        await server.wait_for(chat_id=ADMIN, predicate=lambda m: not m.is_edit and ": 3/3" in m.plain_text)
        stats = await command(server, ADMIN, "/stats", language_code=language, first_name="Hà")
        feeds = await command(server, ADMIN, "/feeds", language_code=language)
        audit = await command(server, ADMIN, "/audit", language_code=language)
        shown = "\n".join(m.plain_text for m in (stats, feeds, audit))
        for words in expected:
            assert words in shown, words
        assert str(ADMIN) not in audit.plain_text  # the admin by name, not by number
        if language == "vi":
            # technical detail may follow in monospace (<code>), for whoever maintains the bot
            assert internal_codes("\n".join(m.text or "" for m in (stats, feeds, audit))) == []
            assert "không kết nối được tới trang nguồn" in feeds.plain_text


@pytest.mark.parametrize(
    ("language", "waiting", "done"),
    [
        ("vi", "1 người nhận còn lại đang trong giờ không làm phiền: sẽ gửi lúc 06:00", "Đã gửi xong"),
        ("en", "The 1 remaining recipient is in their quiet hours: sent at 06:00", "finished"),
    ],
)
async def test_a_broadcast_at_night_schedules_quiet_hour_recipients_and_reports_once(
    server: BotApiStandIn, sqlite_url: str, language: str, waiting: str, done: str
) -> None:
    night = START.replace(hour=16)  # 23:00 in Tây Ninh
    clock = ManualClock(night)
    async with running_bot(admin_settings(server, sqlite_url), clock) as svc:
        hold, silent, off = await add_subscribers(svc, 3)
        await svc.store.chats.set_prefs(hold, night, quiet_mode="hold")
        await svc.store.chats.set_prefs(off, night, quiet_mode="off")
        await command(
            server, ADMIN, "/help", language_code=language
        )  # the admin's language, as Telegram says
        cast = await svc.broadcasts.draft(ADMIN, ADMIN, "Thông báo buổi tối", [], None)
        await svc.store.chats.subscribe(
            ADMIN, type="private", title=None, username=None, language=language, now=night
        )  # fmt: skip  (the admin's chat and language, known to the bot)
        await svc.store.chats.unsubscribe(ADMIN, night)
        await svc.broadcasts.send(cast.id, ADMIN)
        quiet = await server.wait_for(chat_id=silent, contains="Thông báo buổi tối")
        loud = await server.wait_for(chat_id=off, contains="Thông báo buổi tối")
        assert quiet.disable_notification is True and not loud.disable_notification
        progress = await server.wait_for(chat_id=ADMIN, contains=waiting, timeout=10)  # not frozen: explained
        assert "2/3" in progress.plain_text
        assert not server.messages_to(hold)
        assert not any(done in m.plain_text for m in server.messages_to(ADMIN))

        clock.set(night + timedelta(hours=7, minutes=1))  # 06:01
        svc.sender.wake()
        await server.wait_for(chat_id=hold, contains="Thông báo buổi tối")
        report = await server.wait_for(
            chat_id=ADMIN, predicate=lambda m: not m.is_edit and done in m.plain_text
        )
        assert "3/3" in report.plain_text
        await asyncio.sleep(0.8)
        assert [m for m in server.messages_to(ADMIN) if not m.is_edit and done in m.plain_text] == [report]


@pytest.mark.parametrize(
    ("language", "which", "draft", "discarded"),
    [
        ("vi", "Dừng thông báo nào?", "bản nháp · Họp tổ dân phố", "Đã hủy bản nháp thông báo"),
        ("en", "Which announcement should be stopped?", "draft · Họp tổ dân phố", "draft #{id} discarded"),
    ],
)
async def test_cancel_broadcast_without_an_id_asks_which(
    server: BotApiStandIn, sqlite_url: str, language: str, which: str, draft: str, discarded: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        first = await svc.broadcasts.draft(ADMIN, ADMIN, "Họp tổ dân phố tối thứ Bảy", [], None)
        second = await svc.broadcasts.draft(ADMIN, ADMIN, "Lịch tiếp công dân", [], None)
        asked = await command(server, ADMIN, "/cancel_broadcast", language_code=language)
        assert asked.plain_text == which
        assert asked.callback_data == [f"bc:stop:{second.id}", f"bc:stop:{first.id}"]  # newest first
        assert draft in asked.buttons[1]["text"]
        server.inject_callback(f"bc:stop:{first.id}", chat_id=ADMIN, message_id=asked.message_id,
                               language_code=language)  # fmt: skip
        done = await server.wait_for(
            chat_id=ADMIN, predicate=lambda m: m.is_edit and m.message_id == asked.message_id
        )
        assert discarded.format(id=first.id) in done.plain_text
        kept = await svc.broadcasts.get(second.id)
        assert kept is not None and kept.status == "draft"
