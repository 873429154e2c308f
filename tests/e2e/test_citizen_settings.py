"""/settings end to end: inline keyboards edited in place, every choice confirmed, stored and obeyed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from tests.e2e.citizen_support import START, answered, article, command, news, press, publish, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.standin import BotApiStandIn

USER = 811


async def test_topic_choice_in_the_menu_changes_what_arrives(server: BotApiStandIn, sqlite_url: str) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        menu = await command(server, USER, "/settings")
        assert "Cài đặt" in menu.plain_text and "tất cả tin" in menu.plain_text
        topics = await press(server, USER, "s||menu|topics", menu.message_id)
        assert "s||t|awards" in topics.callback_data
        chosen = await press(server, USER, "s||t|awards", menu.message_id)
        assert "Đã lưu: chỉ nhận tin khen thưởng" in chosen.plain_text
        assert any(b["text"].startswith("✅") and "khen thưởng" in b["text"] for b in chosen.buttons)
        assert "Đã lưu" in str((await answered(server, 2)).get("text"))
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and chat.topics == "awards"
        # no message spam: one welcome, one menu, the rest were edits of the menu
        assert [m.method for m in server.messages_to(USER) if not m.is_edit] == ["sendMessage", "sendMessage"]

        await publish(
            svc, clock, article("Hội nghị chuyển đổi số"), article("Trao Bằng khen cho 5 tập thể", award=True)
        )
        await server.wait_for(chat_id=USER, contains="Trao Bằng khen cho 5 tập thể")
        await settle()
        assert [m for m in news(server, USER) if "Hội nghị chuyển đổi số" in m.plain_text] == []

        await press(server, USER, "s||t|all", menu.message_id)
        await publish(svc, clock, article("Tập huấn an toàn thông tin"))
        await server.wait_for(chat_id=USER, contains="Tập huấn an toàn thông tin")


async def test_choosing_categories_sends_only_those_categories(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        await publish(svc, clock, article("Bài đầu tiên của chuyên mục"))  # the site's category "tin-tuc"
        await server.wait_for(chat_id=USER, contains="Bài đầu tiên của chuyên mục")
        menu = await command(server, USER, "/settings")
        await press(server, USER, "s||menu|topics", menu.message_id)
        ticked = await press(server, USER, "s||c|tin-tuc", menu.message_id)
        assert "1 chuyên mục" in ticked.plain_text and any(b["text"].startswith("☑️") for b in ticked.buttons)
        await publish(svc, clock, article("Bài trong chuyên mục đã chọn"))
        await server.wait_for(chat_id=USER, contains="Bài trong chuyên mục đã chọn")
        unticked = await press(server, USER, "s||c|tin-tuc", menu.message_id)
        assert "chỉ các bài có từ khóa" in unticked.plain_text
        await publish(svc, clock, article("Bài sau khi bỏ chọn"))
        await settle()
        assert not any("Bài sau khi bỏ chọn" in m.plain_text for m in news(server, USER))


async def test_quiet_hours_hold_until_morning_or_arrive_silently(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    hold, silent, off = 821, 822, 823
    night = START.replace(hour=16)  # 23:00 in Tây Ninh
    clock = ManualClock(night)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        for chat_id, choice in ((hold, "hold"), (silent, "silent"), (off, "off")):
            await start(server, chat_id)
            menu = await command(server, chat_id, "/settings")
            assert "22:00–06:00" in menu.plain_text  # the default for private chats
            await press(server, chat_id, "s||menu|quiet", menu.message_id)
            done = await press(server, chat_id, f"s||q|{choice}", menu.message_id)
            assert "Đã lưu" in done.plain_text
        await publish(svc, clock, article("Tin lúc nửa đêm"))
        quiet = await server.wait_for(chat_id=silent, contains="Tin lúc nửa đêm")
        loud = await server.wait_for(chat_id=off, contains="Tin lúc nửa đêm")
        assert quiet.disable_notification is True and loud.disable_notification is False
        await settle()
        assert news(server, hold) == []  # waits for the morning

        clock.set(night + timedelta(hours=7, minutes=1))  # 06:01 local
        svc.sender.wake()
        morning = await server.wait_for(chat_id=hold, contains="Tin lúc nửa đêm")
        assert morning.disable_notification is False


async def test_quiet_hours_can_be_moved(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)) as svc:
        await start(server, USER)
        menu = await command(server, USER, "/settings")
        await press(server, USER, "s||menu|quiet", menu.message_id)
        moved = await press(server, USER, "s||qs|21", menu.message_id)
        moved = await press(server, USER, "s||qe|7", menu.message_id)
        assert "21:00–07:00, tin chờ đến" not in moved.plain_text  # silent by default: nothing waits
        assert (
            "21:00–07:00" in moved.plain_text
            and "Đã lưu: không làm phiền từ 21:00 đến 07:00" in moved.plain_text
        )
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and (chat.quiet_start, chat.quiet_end) == (21, 7)


async def test_language_and_link_previews(server: BotApiStandIn, sqlite_url: str) -> None:
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        menu = await command(server, USER, "/settings")
        await press(server, USER, "s||menu|lang", menu.message_id)
        english = await press(server, USER, "s||l|en", menu.message_id)
        assert "Saved: English" in english.plain_text and "Settings" in english.plain_text
        back = await press(server, USER, "s||menu|main", menu.message_id)
        assert "Link previews: off" in back.plain_text
        on = await press(server, USER, "s||p|on", menu.message_id)
        assert "Saved: link previews on" in on.plain_text and "Link previews: on" in on.plain_text
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and chat.language == "en" and chat.link_previews
        help_reply = await command(server, USER, "/help", language_code="vi")
        assert "Commands" in help_reply.plain_text  # the stored language wins over Telegram's
        await publish(svc, clock, article("Bài không có ảnh"))
        post = await server.wait_for(chat_id=USER, contains="Bài không có ảnh")
        assert post.method == "sendMessage" and not post.link_preview_disabled
        assert post.buttons[0]["text"] == "📖 Read more"  # the link once: the button, previewed
        assert post.link_preview_options == {"is_disabled": False, "url": post.buttons[0]["url"]}
        closed = await press(server, USER, "s||x|", menu.message_id)
        assert "Settings saved" in closed.plain_text and closed.buttons == []


async def test_group_settings_belong_to_its_administrators(server: BotApiStandIn, sqlite_url: str) -> None:
    group, admin, member = -1009876, 831, 832
    server.set_chat(group, type="supergroup", title="Tổ dân phố 5")
    server.set_chat_member(group, admin, "administrator")
    server.set_chat_member(group, member, "member")
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)) as svc:
        server.inject_message("/start", chat_id=group, user_id=admin, chat_type="supergroup")
        await server.wait_for(chat_id=group, contains="Nhóm này đã đăng ký")
        refused = await command(server, group, "/settings", user_id=member, chat_type="supergroup")
        assert "quản trị viên" in refused.plain_text
        menu = await command(server, group, "/settings", user_id=admin, chat_type="supergroup")
        assert "Tổ dân phố 5" in menu.plain_text
        server.inject_callback("s||t|awards", chat_id=group, user_id=member, message_id=menu.message_id)
        answer = await answered(server, 1)
        assert "quản trị viên" in str(answer.get("text")) and answer.get("show_alert") is True
        chat = await svc.store.chats.get_chat(group)
        assert chat is not None and chat.topics == "all"
        await press(server, group, "s||menu|topics", menu.message_id, user_id=admin)
        await press(server, group, "s||t|awards", menu.message_id, user_id=admin)
        chat = await svc.store.chats.get_chat(group)
        assert chat is not None and chat.topics == "awards"


async def test_a_channel_is_subscribed_only_by_its_administrator(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    channel, admin, stranger = -1005551, 841, 842
    server.set_chat(channel, type="channel", title="Tin Tây Ninh", username="tintayninh")
    server.set_chat_member(channel, admin, "administrator")
    server.set_chat_member(channel, stranger, "member")
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)) as svc:
        refused = await command(server, stranger, "/subscribe @tintayninh")
        assert "Chỉ quản trị viên của kênh" in refused.plain_text
        assert await svc.store.chats.get_chat(channel) is None

        server.set_chat_member(channel, server.bot_id, "member")
        cannot = await command(server, admin, "/subscribe @tintayninh")
        assert "chưa có quyền đăng bài" in cannot.plain_text
        assert await svc.store.chats.get_chat(channel) is None

        server.set_chat_member(channel, server.bot_id, "administrator")
        done = await command(server, admin, "/subscribe @tintayninh")
        assert "đã đăng ký" in done.plain_text
        chat = await svc.store.chats.get_chat(channel)
        assert chat is not None and chat.type == "channel" and chat.subscribed

        denied = await command(server, stranger, "/settings @tintayninh")
        assert "Chỉ quản trị viên của kênh" in denied.plain_text
        menu = await command(server, admin, "/settings @tintayninh")
        assert f"s|{channel}|menu|topics" in menu.callback_data
        await press(server, admin, f"s|{channel}|menu|topics", menu.message_id)
        await press(server, admin, f"s|{channel}|t|awards", menu.message_id)
        chat = await svc.store.chats.get_chat(channel)
        assert chat is not None and chat.topics == "awards"
        mine = await svc.store.chats.get_chat(admin)
        assert mine is None  # the admin's own chat was not subscribed by any of this


@pytest.mark.parametrize(
    ("language", "label", "button", "off_label"),
    [
        ("vi", "13:00–15:00, tin chờ đến 15:00", "⏸ Tin chờ đến 15:00", "Không làm phiền: tắt"),
        ("en", "13:00–15:00, messages wait until 15:00", "⏸ Messages wait until 15:00", "Quiet hours: off"),
    ],
)
async def test_a_quiet_window_is_labelled_by_its_hours_and_kept_when_turned_off_and_on(
    server: BotApiStandIn, sqlite_url: str, language: str, label: str, button: str, off_label: str
) -> None:
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)) as svc:
        await start(server, USER, language=language)
        await svc.store.chats.set_prefs(USER, START, quiet_start=14, quiet_end=16)  # an afternoon nap
        menu = await command(server, USER, "/settings", language_code=language)
        await press(server, USER, "s||menu|quiet", menu.message_id)
        await press(server, USER, "s||q|hold", menu.message_id)
        await press(server, USER, "s||qs|13", menu.message_id)
        moved = await press(server, USER, "s||qe|15", menu.message_id)
        assert (
            label in moved.plain_text and "morning" not in moved.plain_text and "sáng" not in moved.plain_text
        )
        assert any(b["text"] == f"✅ {button}" for b in moved.buttons)
        off = await press(server, USER, "s||q|off", menu.message_id)
        assert off_label in off.plain_text
        assert not any(b.get("callback_data", "").startswith("s||qs|") for b in off.buttons)  # no hour rows
        on = await press(server, USER, "s||q|hold", menu.message_id)
        assert label in on.plain_text  # the chosen hours came back
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and (chat.quiet_start, chat.quiet_end, chat.quiet_mode) == (13, 15, "hold")


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_the_digest_hour_row_appears_only_for_a_digest(
    server: BotApiStandIn, sqlite_url: str, language: str
) -> None:
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)):
        await start(server, USER, language=language)
        menu = await command(server, USER, "/settings", language_code=language)
        instant = await press(server, USER, "s||menu|mode", menu.message_id)
        assert not any(d.startswith("s||h|") for d in instant.callback_data)
        daily = await press(server, USER, "s||m|daily", menu.message_id)
        assert "s||h|7" in daily.callback_data
        at = await press(server, USER, "s||h|7", menu.message_id)
        assert ("bản tin gửi lúc 07:00" if language == "vi" else "the digest comes at 07:00") in at.plain_text
        back = await press(server, USER, "s||m|instant", menu.message_id)
        assert not any(d.startswith("s||h|") for d in back.callback_data)


@pytest.mark.parametrize(
    ("language", "says"), [("vi", "Nút này không còn dùng được"), ("en", "This button no longer works")]
)
async def test_a_stale_or_forged_button_is_answered_and_changes_nothing(
    server: BotApiStandIn, sqlite_url: str, language: str, says: str
) -> None:
    async with running_bot(make_settings(server, sqlite_url), ManualClock(START)) as svc:
        await start(server, USER, language=language)
        menu = await command(server, USER, "/settings", language_code=language)
        for n, data in enumerate(("s||t|everything", "s||h|99", "zz|1", "bc:send:abc"), start=1):
            server.inject_callback(data, chat_id=USER, message_id=menu.message_id, language_code=language)
            answer = await answered(server, n)
            assert says in str(answer.get("text")) and answer.get("show_alert") is True, data
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and chat.topics == "all" and chat.digest_hour != 99
        assert not [m for m in server.messages_to(USER) if m.is_edit]  # the menu was left as it was
