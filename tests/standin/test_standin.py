"""Tests of the Bot API stand-in itself, driven by a real ``telegram.Bot``."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ChatMemberStatus, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.request import HTTPXRequest

from tests.standin import (
    BotApiStandIn,
    bad_request,
    check_html,
    delay,
    drop,
    forbidden,
    migrated,
    parse_html,
    server_error,
    too_many,
)

CHAT = 1001

# PTB 22 warns when RetryAfter.retry_after is read as int (it becomes a timedelta later).
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:DeprecationWarning")


@pytest.fixture
async def server() -> AsyncIterator[BotApiStandIn]:
    async with BotApiStandIn() as srv:
        yield srv


@pytest.fixture
async def bot(server: BotApiStandIn) -> AsyncIterator[Bot]:
    request = HTTPXRequest(connection_pool_size=8, read_timeout=2.0)
    tg_bot = Bot(server.token, base_url=server.base_url, request=request, get_updates_request=HTTPXRequest())
    await tg_bot.initialize()
    try:
        yield tg_bot
    finally:
        await tg_bot.shutdown()


# ------------------------------------------------------------------ basics


async def test_get_me_and_base_url(server: BotApiStandIn, bot: Bot) -> None:
    assert server.base_url.startswith("http://127.0.0.1:")
    assert server.base_url.endswith("/bot")
    me = await bot.get_me()
    assert me.id == server.bot_id
    assert me.username == server.bot_username == "tayninh_test_bot"
    assert me.is_bot


async def test_send_valid_html_is_recorded(server: BotApiStandIn, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Xem", callback_data="news:1")]])
    message = await bot.send_message(
        CHAT,
        '<b>Tin mới</b> &amp; <a href="https://example.vn/a?x=1&amp;y=2">chi tiết</a> 5 &lt; 6',
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        disable_notification=True,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert message.message_id == 1
    assert message.chat.type == "private"
    assert message.text == "Tin mới & chi tiết 5 < 6"
    assert message.reply_markup == keyboard
    second = await bot.send_message(CHAT, "again")
    assert second.message_id == 2

    sent = server.sent[0]
    assert sent.method == "sendMessage"
    assert sent.chat_id == CHAT
    assert sent.parse_mode == "HTML"
    assert sent.text is not None and sent.text.startswith("<b>Tin mới</b>")
    assert sent.plain_text == "Tin mới & chi tiết 5 < 6"
    assert sent.disable_notification is True
    assert sent.link_preview_disabled
    assert sent.callback_data == ["news:1"]
    assert {e["type"] for e in sent.entities} == {"bold", "text_link"}
    assert [m.message_id for m in server.messages_to(CHAT)] == [1, 2]
    assert await server.wait_for(lambda m: m.plain_text == "again") is server.sent[1]
    assert len(await server.wait_for_count(2, chat_id=CHAT)) == 2
    assert server.requests[0].method == "getMe"


async def test_photo_upload_and_document(server: BotApiStandIn, bot: Bot) -> None:
    photo = await bot.send_photo(-100123, b"\x89PNG fake bytes", caption="<i>Ảnh</i>", parse_mode="HTML")
    assert photo.photo and photo.caption == "Ảnh"
    assert photo.chat.type == "supergroup"
    url_photo = await bot.send_photo(CHAT, "https://example.vn/p.jpg")
    assert url_photo.photo
    doc = await bot.send_document(CHAT, b"%PDF-1.4", filename="quyet-dinh.pdf")
    assert doc.document is not None and doc.document.file_name == "quyet-dinh.pdf"
    first, second, third = server.sent
    assert first.photo == "<upload>" and first.text == "<i>Ảnh</i>" and first.plain_text == "Ảnh"
    assert first.files["photo"].data == b"\x89PNG fake bytes"
    assert second.photo == "https://example.vn/p.jpg"
    assert third.document == "<upload>"


async def test_edit_delete_copy_and_callbacks(server: BotApiStandIn, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]])
    message = await bot.send_message(CHAT, "một", reply_markup=keyboard)
    edited = await bot.edit_message_text("hai", chat_id=CHAT, message_id=message.message_id)
    assert not isinstance(edited, bool) and edited.text == "hai"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("hai", chat_id=CHAT, message_id=message.message_id)
    await bot.edit_message_reply_markup(chat_id=CHAT, message_id=message.message_id, reply_markup=keyboard)
    copied = await bot.copy_message(-100777, from_chat_id=CHAT, message_id=message.message_id)
    assert copied.message_id == 1
    assert server.messages_to(-100777)[0].plain_text == "hai"
    assert await bot.delete_message(CHAT, message.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await bot.delete_message(CHAT, message.message_id)
    assert [m.method for m in server.sent] == [
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "copyMessage",
    ]
    await bot.send_chat_action(CHAT, "typing")
    assert server.chat_actions == [(CHAT, "typing")]


async def test_commands_menu_webhook(server: BotApiStandIn, bot: Bot) -> None:
    from telegram import BotCommand, BotCommandScopeAllPrivateChats, MenuButtonCommands

    await bot.set_my_commands([BotCommand("start", "Bắt đầu")], language_code="vi")
    await bot.set_my_commands([BotCommand("help", "Help")], scope=BotCommandScopeAllPrivateChats())
    assert server.commands[("default", "vi")] == [{"command": "start", "description": "Bắt đầu"}]
    assert server.commands[("all_private_chats", "")][0]["command"] == "help"
    assert (await bot.get_my_commands(language_code="vi"))[0].command == "start"
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Bad-Command", "x")])
    await bot.delete_my_commands(language_code="vi")
    assert ("default", "vi") not in server.commands
    assert await bot.set_chat_menu_button(menu_button=MenuButtonCommands())
    assert await bot.delete_webhook(drop_pending_updates=True)
    info = await bot.get_webhook_info()
    assert info.url == "" and info.pending_update_count == 0
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("noSuchMethod")
    async with httpx.AsyncClient() as client:
        response = await client.post(f"{server.base_url}{server.token}/noSuchMethod")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}


# ------------------------------------------------------------------ validation


async def test_invalid_html_is_rejected(server: BotApiStandIn, bot: Bot) -> None:
    expected = r"(?i)can't parse entities: Unsupported start tag \"div\" at byte offset 6"
    with pytest.raises(BadRequest, match=expected):
        await bot.send_message(CHAT, "Hello <div>x</div>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(CHAT, "a < b", parse_mode=ParseMode.HTML)
    assert server.sent == []
    failed = server.calls("sendMessage")
    assert [r.outcome for r in failed] == ["error", "error"]
    assert failed[0].status == 400


async def test_length_limits(server: BotApiStandIn, bot: Bot) -> None:
    await bot.send_message(CHAT, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)  # tags don't count
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(CHAT, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await bot.send_photo(CHAT, "https://example.vn/p.jpg", caption="y" * 1025)
    assert len(server.sent) == 1


async def test_callback_data_too_long(bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="d" * 65)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "hi", reply_markup=keyboard)


# ------------------------------------------------------------------ faults


async def test_fault_errors_map_to_ptb_exceptions(server: BotApiStandIn, bot: Bot) -> None:
    server.fail_next("sendMessage", error=too_many(7))
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(CHAT, "x")
    assert retry.value.retry_after in (7, __import__("datetime").timedelta(seconds=7))

    server.fail_next("sendMessage", chat_id=CHAT, error=forbidden())
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(CHAT, "x")

    server.fail_next(error=migrated(-100999))
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(-555, "x")
    assert moved.value.new_chat_id == -100999

    server.fail_next("sendMessage", error=bad_request("chat not found"))
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(CHAT, "x")

    server.fail_next("sendMessage", error=server_error())
    with pytest.raises(NetworkError) as err:
        await bot.send_message(CHAT, "x")
    assert not isinstance(err.value, BadRequest)

    server.fail_next("sendMessage", error=drop())
    with pytest.raises(NetworkError):
        await bot.send_message(CHAT, "x")

    # Other chats/methods are unaffected by chat-scoped rules; the counter is consumed.
    server.fail_next("sendMessage", chat_id=2002, error=forbidden(), count=2)
    await bot.send_message(CHAT, "ok")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(2002, "x")
    await bot.send_message(2002, "ok now")

    assert [m.plain_text for m in server.sent] == ["ok", "ok now"]
    outcomes = [r.outcome for r in server.calls("sendMessage")]
    assert outcomes == ["error"] * 5 + ["dropped", "ok", "error", "error", "ok"]


async def test_delay_causes_timeout(server: BotApiStandIn, bot: Bot) -> None:
    server.fail_next("getChat", error=delay(0.5))
    with pytest.raises(TimedOut):
        await bot.get_chat(CHAT, read_timeout=0.1)
    server.fail_next("getChat", error=delay(0.05))
    chat = await bot.get_chat(CHAT)
    assert chat.id == CHAT


async def test_persistent_block_and_migrate(server: BotApiStandIn, bot: Bot) -> None:
    server.block_chat(CHAT)
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(CHAT, "x")
    server.unblock_chat(CHAT)
    await bot.send_message(CHAT, "x")
    server.migrate_chat(-4001, -1004001)
    with pytest.raises(ChatMigrated) as moved:
        await bot.send_message(-4001, "x")
    assert moved.value.new_chat_id == -1004001
    await bot.send_message(-1004001, "x")
    assert [m.chat_id for m in server.sent] == [CHAT, -1004001]


async def test_unknown_chats(server: BotApiStandIn, bot: Bot) -> None:
    await bot.send_message(5555, "x")
    server.unknown_chats_fail = True
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(6666, "x")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message("@nobody", "x")
    server.set_chat(-1001234, "channel", "Sở Nội vụ", username="sonoivu_tn")
    chat = await bot.get_chat("@sonoivu_tn")
    assert chat.id == -1001234 and chat.type == "channel" and chat.title == "Sở Nội vụ"
    message = await bot.send_message("@sonoivu_tn", "bài mới")
    assert message.chat.id == -1001234 and message.sender_chat is not None
    assert server.messages_to("@sonoivu_tn")[0].plain_text == "bài mới"


async def test_chat_members(server: BotApiStandIn, bot: Bot) -> None:
    member = await bot.get_chat_member(-1001234, 42)
    assert member.status == ChatMemberStatus.MEMBER
    me = await bot.get_chat_member(-1001234, server.bot_id)
    assert me.status == ChatMemberStatus.ADMINISTRATOR
    assert getattr(me, "can_post_messages", None) is True
    server.set_chat_member(-1001234, 42, "creator")
    server.set_chat_member(-1001234, 43, "restricted")
    server.set_chat_member(-1001234, 44, "kicked")
    assert (await bot.get_chat_member(-1001234, 43)).status == ChatMemberStatus.RESTRICTED
    assert (await bot.get_chat_member(-1001234, 44)).status == ChatMemberStatus.BANNED
    admins = await bot.get_chat_administrators(-1001234)
    assert {a.user.id for a in admins} == {42, server.bot_id}


async def test_rate_violations_and_strict_limits(server: BotApiStandIn, bot: Bot) -> None:
    await bot.send_message(CHAT, "1")
    await bot.send_message(CHAT, "2")  # second within a second to one private chat
    assert [v.kind for v in server.rate_violations] == ["private_chat"]
    assert not server.rate_violations[0].enforced

    server.strict_limits(global_per_second=30, per_private_chat_per_second=1, per_group_per_minute=2)
    await bot.send_message(-500, "a")
    await bot.send_message(-500, "b")
    with pytest.raises(RetryAfter):
        await bot.send_message(-500, "c")
    await bot.send_message(3003, "other chat is fine")
    assert len(server.messages_to(-500)) == 2


# ------------------------------------------------------------------ updates


async def test_get_updates_long_poll_and_command_entity(server: BotApiStandIn, bot: Bot) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=0) == ()

    async def inject_later() -> None:
        await asyncio.sleep(0.1)
        server.inject_message("/start@tayninh_test_bot abc", chat_id=CHAT, username="an_nguyen")

    task = asyncio.create_task(inject_later())
    updates = await bot.get_updates(timeout=5, allowed_updates=["message", "callback_query"])
    await task
    assert time.monotonic() - started < 2.0
    assert len(updates) == 1
    message = updates[0].message
    assert message is not None and message.text == "/start@tayninh_test_bot abc"
    assert message.from_user is not None and message.from_user.language_code == "vi"
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 23
    assert message.parse_entities(["bot_command"]) == {message.entities[0]: "/start@tayninh_test_bot"}

    # Confirming with offset forgets the update.
    assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_callbacks_my_chat_member_and_groups(server: BotApiStandIn, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Đăng ký", callback_data="sub:award")]])
    sent = await bot.send_message(CHAT, "Chọn", reply_markup=keyboard)
    server.inject_callback("sub:award", chat_id=CHAT, user_id=CHAT, message_id=sent.message_id)
    server.inject_my_chat_member(CHAT, CHAT, "member", "kicked")
    server.inject_my_chat_member(-100222, 77, "left", "member", chat_title="Nhóm Tây Ninh")
    server.inject_message("xin chào", chat_id=-100222, user_id=77)
    updates = await bot.get_updates(timeout=0)
    assert len(updates) == 4
    query = updates[0].callback_query
    assert query is not None and query.data == "sub:award"
    assert query.message is not None and query.message.message_id == sent.message_id
    assert await query.answer("Đã đăng ký")
    assert server.callback_answers[query.id]["text"] == "Đã đăng ký"

    blocked = updates[1].my_chat_member
    assert blocked is not None and blocked.new_chat_member.status == ChatMemberStatus.BANNED
    assert blocked.chat.type == "private"
    with pytest.raises(Forbidden, match=r"(?i)blocked by the user"):
        await bot.send_message(CHAT, "x")

    added = updates[2].my_chat_member
    assert added is not None and added.chat.title == "Nhóm Tây Ninh"
    assert added.new_chat_member.status == ChatMemberStatus.MEMBER
    group_message = updates[3].message
    assert group_message is not None and group_message.chat.type == "supergroup"
    assert group_message.from_user is not None and group_message.from_user.id == 77
    reply = await bot.send_message(-100222, "chào nhóm")
    assert reply.chat.title == "Nhóm Tây Ninh"


async def test_wait_for_failure_dumps_messages(server: BotApiStandIn, bot: Bot) -> None:
    await bot.send_message(CHAT, "có tin mới")
    with pytest.raises(AssertionError, match=r"(?i)có tin mới"):
        await server.wait_for(lambda m: "không có" in m.plain_text, timeout=0.1)


# ------------------------------------------------------------------ html_check (pure)


@pytest.mark.parametrize(
    "text",
    [
        "plain text",
        "<b>bold <i>both</i></b> <u>u</u> <s>s</s> <strike>s</strike> <del>d</del> <ins>i</ins>",
        "<strong>x</strong><em>y</em>",
        '<span class="tg-spoiler">hidden</span> <tg-spoiler>hidden</tg-spoiler>',
        '<a href="https://example.vn/?a=1&amp;b=2">link</a>',
        '<pre><code class="language-python">print("hi")</code></pre>',
        "<code>x &lt; y &gt; z &amp; &quot;q&quot;</code>",
        "<blockquote expandable>long quote</blockquote><blockquote>q</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "numeric &#39; &#x1F600; entities",
        "<B>upper case tags</B>",
    ],
)
def test_html_check_accepts(text: str) -> None:
    assert check_html(text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hello <div>x</div>", 'Unsupported start tag "div" at byte offset 6'),
        ("<b>bold <i>both</b></i>", 'Unmatched end tag at byte offset 15, expected "</i>", found "</b>"'),
        ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
        ("text</b>", "Unexpected end tag at byte offset 4"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Tôi <3 bạn", 'Unsupported start tag "3" at byte offset 5'),
        ("a &nbsp; b", 'Unsupported HTML entity "&nbsp;" at byte offset 2'),
        ("AT&T", 'Unescaped "&" at byte offset 2'),
        ("x > y", 'Unescaped ">" at byte offset 2'),
        ("<a>no href</a>", 'Tag "a" must have attribute "href" at byte offset 0'),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<tg-emoji>x</tg-emoji>", 'Tag "tg-emoji" must have attribute "emoji-id" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
    ],
)
def test_html_check_rejects(text: str, reason: str) -> None:
    assert check_html(text) == reason


def test_html_non_strict_matches_telegram_leniency() -> None:
    assert check_html("AT&T x > y &nbsp;", strict=False) is None
    assert parse_html("AT&T", strict=False).text == "AT&T"


def test_parse_html_entities_use_utf16_offsets() -> None:
    parsed = parse_html(
        '😀 <b>Đậm</b> <a href="https://x.vn">l</a> <pre><code class="language-py">p</code></pre>'
    )
    assert parsed.text == "😀 Đậm l p"
    bold, link, pre = parsed.entities
    assert bold == {"type": "bold", "offset": 3, "length": 3}
    assert link == {"type": "text_link", "offset": 7, "length": 1, "url": "https://x.vn"}
    assert pre == {"type": "pre", "offset": 9, "length": 1, "language": "py"}


# ------------------------------------------------------------------ full Application


async def test_application_polling_round_trip(server: BotApiStandIn) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tin", callback_data="news")]])
        await update.effective_message.reply_html("<b>Xin chào</b>", reply_markup=keyboard)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text("Đã chọn: tin")

    app = ApplicationBuilder().token(server.token).base_url(server.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        server.inject_message("/start", chat_id=CHAT)
        greeting = await server.wait_for(chat_id=CHAT, contains="Xin chào")
        assert greeting.parse_mode == "HTML" and greeting.callback_data == ["news"]
        server.inject_callback("news", chat_id=CHAT, message_id=greeting.message_id)
        edited = await server.wait_for(method="editMessageText")
        assert edited.plain_text == "Đã chọn: tin" and edited.message_id == greeting.message_id
        await server.wait_for_request("answerCallbackQuery")
        await app.updater.stop()
        await app.stop()
    assert server.calls("deleteWebhook")


async def test_stop_releases_pending_long_poll() -> None:
    server = await BotApiStandIn().start()
    poller = Bot(server.token, base_url=server.base_url)
    await poller.initialize()
    task = asyncio.create_task(poller.get_updates(timeout=30))
    await asyncio.sleep(0.1)
    server.inject_message("hi", chat_id=CHAT)
    (first,) = await task
    task = asyncio.create_task(poller.get_updates(offset=first.update_id + 1, timeout=30))
    await asyncio.sleep(0.1)
    await server.wait_for_request("getMe")  # not blocked by the pending poll
    started = time.monotonic()
    await server.stop()
    assert await task == ()
    assert time.monotonic() - started < 2.0
    await poller.shutdown()


async def test_media_group_validates_like_telegram_and_refuses_an_unusable_photo(
    server: BotApiStandIn, bot: Bot
) -> None:
    from telegram import InputMediaDocument, InputMediaPhoto

    album = [
        InputMediaPhoto("https://site.example/a.jpg", caption="<b>Tin</b> mới", parse_mode=ParseMode.HTML),
        InputMediaPhoto("https://site.example/b.jpg"),
    ]
    messages = await bot.send_media_group(CHAT, album)
    assert len(messages) == 2
    assert messages[0].media_group_id == messages[1].media_group_id is not None
    assert messages[0].caption == "Tin mới" and messages[1].caption is None
    sent = server.messages_to(CHAT)
    assert [m.photo for m in sent] == ["https://site.example/a.jpg", "https://site.example/b.jpg"]

    with pytest.raises(BadRequest, match="2-10 items"):
        await bot.send_media_group(CHAT, album[:1])
    with pytest.raises(BadRequest, match="grouped"):
        await bot.send_media_group(CHAT, [album[0], InputMediaDocument("https://site.example/q.pdf")])
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_media_group(
            CHAT, [InputMediaPhoto("https://site.example/a.jpg", caption="x" * 1025), album[1]]
        )
    server.refused_photo_urls.add("https://site.example/b.jpg")
    with pytest.raises(BadRequest, match="message #2"):
        await bot.send_media_group(CHAT, album)
    with pytest.raises(BadRequest, match=r"(?i)failed to get http url content"):
        await bot.send_photo(CHAT, "https://site.example/b.jpg")
    assert len(server.messages_to(CHAT)) == 2  # nothing of a refused album was sent
