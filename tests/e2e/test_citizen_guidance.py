"""What a citizen (Vietnamese or English) and an admin see when they ask for help or just type: the help
lists every command, admins see theirs, plain text gets a short answer, the bot describes itself."""

from __future__ import annotations

import pytest

from bot.handlers.commands import Role, of_role
from tests.e2e.admin_helpers import ADMIN, admin_settings
from tests.e2e.citizen_support import article, command, press, publish, start
from tests.e2e.harness import running_bot
from tests.standin import BotApiStandIn

USER = 7101
COMMANDS = [(c.name, c.in_menu) for c in of_role(Role.CITIZEN)]
ADMIN_COMMANDS = [c.name for c in of_role(Role.ADMIN)]


@pytest.mark.parametrize(("language", "heading"), [("vi", "Các lệnh"), ("en", "Commands")])
async def test_help_lists_every_command_a_citizen_can_use(
    server: BotApiStandIn, sqlite_url: str, language: str, heading: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)):
        reply = await command(server, USER, "/help", language_code=language)
        text = reply.plain_text
        assert text.startswith(heading)
        for name, _ in COMMANDS:
            assert f"/{name} — " in text, name
        assert "/following" in text and "/broadcast" not in text  # citizens are not shown admin commands
        menu = {c["command"] for c in server.commands[("default", "" if language == "vi" else "en")]}
        assert "following" in menu and menu <= {name for name, _ in COMMANDS}


@pytest.mark.parametrize(("language", "heading"), [("vi", "Lệnh quản trị"), ("en", "Admin commands")])
async def test_help_shows_admins_their_commands(
    server: BotApiStandIn, sqlite_url: str, language: str, heading: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)):
        text = (await command(server, ADMIN, "/help", language_code=language)).plain_text
        assert heading in text
        after = text.split(heading, 1)[1]
        for name in ADMIN_COMMANDS:
            assert f"/{name} — " in after, name


@pytest.mark.parametrize(
    ("language", "says", "button"),
    [("vi", "không đọc tin nhắn", "🔎 Tìm «chuyển đổi số»"), ("en", "does not read messages", "🔎 Search")],
)
async def test_plain_text_gets_a_short_answer_and_a_search_of_its_words(
    server: BotApiStandIn, sqlite_url: str, language: str, says: str, button: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await start(server, USER, language=language)
        await publish(svc, svc.clock, article("Hội thảo chuyển đổi số cấp tỉnh"))  # type: ignore[arg-type]
        await server.wait_for(chat_id=USER, contains="Hội thảo chuyển đổi số cấp tỉnh")
        reply = await command(server, USER, "chuyển đổi số", language_code=language)
        assert says in reply.plain_text and "/help" in reply.plain_text
        assert len(reply.plain_text) < 200
        [tap] = reply.buttons
        assert tap["text"].startswith(button) and tap["callback_data"] == "q|0|chuyển đổi số"
        server.inject_callback(tap["callback_data"], chat_id=USER, message_id=reply.message_id)
        found = await server.wait_for(
            chat_id=USER, predicate=lambda m: m.is_edit and m.message_id == reply.message_id
        )
        assert "Hội thảo chuyển đổi số cấp tỉnh" in found.plain_text


async def test_the_bot_describes_itself_in_both_languages(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        department = svc.config.department_name
        assert department in server.descriptions[""] and "khen thưởng" in server.descriptions[""]
        assert department in server.descriptions["en"] and "award" in server.descriptions["en"]
        assert department in server.short_descriptions[""] and "Tin tức" in server.short_descriptions[""]
        assert server.short_descriptions["en"].startswith("News and award announcements")


@pytest.mark.parametrize(
    ("language", "removed", "hint"),
    [
        ("vi", "Đã bỏ theo dõi «chuyển đổi số»", "Chạm ❌"),
        ("en", "No longer following “chuyển đổi số”", "Tap ❌"),
    ],
)
async def test_following_lists_keywords_with_tap_to_remove_buttons(
    server: BotApiStandIn, sqlite_url: str, language: str, removed: str, hint: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await start(server, USER, language=language)
        await command(server, USER, "/follow chuyển đổi số", language_code=language)
        long_word = (
            "ứng dụng khoa học công nghệ và đổi mới sáng tạo"  # over 64 bytes: the button names its place
        )
        await command(server, USER, f"/follow {long_word}", language_code=language)
        listed = await command(server, USER, "/following", language_code=language)
        assert hint in listed.plain_text
        assert [b["text"] for b in listed.buttons] == ["❌ chuyển đổi số", f"❌ {long_word}"]
        assert listed.buttons[1]["callback_data"] == "u|#1"
        first = listed.buttons[0]["callback_data"]
        after = await press(server, USER, first, listed.message_id, language_code=language)
        assert removed in after.plain_text
        assert [b["text"] for b in after.buttons] == [f"❌ {long_word}"]
        assert (
            await svc.store.chats.list_follows(USER) != []
            and len(await svc.store.chats.list_follows(USER)) == 1
        )
        last = await press(
            server, USER, after.buttons[0]["callback_data"], listed.message_id, language_code=language
        )
        assert after.buttons != last.buttons and last.buttons == []
        assert await svc.store.chats.list_follows(USER) == []


@pytest.mark.parametrize(
    ("language", "to_awards", "to_all"),
    [
        (
            "vi",
            "Đã chuyển: từ nay Quý vị chỉ nhận tin khen thưởng",
            "Đã chuyển: từ nay Quý vị nhận tất cả tin",
        ),
        ("en", "Switched: from now on you receive only award announcements", "receive all news"),
    ],
)
async def test_a_deep_link_that_switches_topics_says_what_changed(
    server: BotApiStandIn, sqlite_url: str, language: str, to_awards: str, to_all: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await start(server, USER, language=language)
        switched = await command(server, USER, "/start khenthuong", language_code=language)
        assert to_awards in switched.plain_text
        assert ("trước đây: tất cả tin" if language == "vi" else "before: all news") in switched.plain_text
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and chat.topics == "awards"
        again = await command(server, USER, "/start khenthuong", language_code=language)
        assert "Switched" not in again.plain_text and "Đã chuyển" not in again.plain_text
        assert ("vẫn đang nhận tin khen thưởng" if language == "vi" else "still subscribed to award") in (
            again.plain_text
        )
        back = await command(server, USER, "/start all", language_code=language)
        assert to_all in back.plain_text
        assert ("trước đây: chỉ tin khen thưởng" if language == "vi" else "before: award") in back.plain_text


@pytest.mark.parametrize(
    ("language", "because"),
    [("vi", "Gửi vì Quý vị theo dõi «chuyển đổi số»"), ("en", "Sent because you follow “chuyển đổi số”")],
)
async def test_a_keyword_alert_outside_the_chosen_topics_says_why(
    server: BotApiStandIn, sqlite_url: str, language: str, because: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await start(server, USER, "khenthuong", language=language)  # award announcements only
        await command(server, USER, "/follow chuyển đổi số", language_code=language)
        await publish(
            svc,
            svc.clock,  # type: ignore[arg-type]
            article("Hội thảo chuyển đổi số cấp tỉnh"),
            article("Tặng Bằng khen về chuyển đổi số", award=True),
        )
        alert = await server.wait_for(chat_id=USER, contains="Hội thảo chuyển đổi số cấp tỉnh")
        assert alert.plain_text.rstrip().endswith(because + " (/following)")
        award = await server.wait_for(chat_id=USER, contains="Tặng Bằng khen về chuyển đổi số")
        assert because not in award.plain_text  # within the chosen topics: no explanation needed
