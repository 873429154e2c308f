"""Citizens subscribe and leave, over real HTTP, through the real Application."""

from __future__ import annotations

import pytest

from bot.app import Services
from tests.e2e.harness import bot_in_mode
from tests.standin import BotApiStandIn

USER = 501


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    """Every subscription flow runs with updates by long polling and by webhook."""
    return str(request.param)


async def test_start_subscribes_and_welcomes_in_vietnamese(
    server: BotApiStandIn, sqlite_url: str, mode: str
) -> None:
    async with bot_in_mode(mode, server, sqlite_url) as svc:
        server.inject_message("/start", chat_id=USER, language_code="vi")
        reply = await server.wait_for(chat_id=USER)
        assert "Xin chào" in reply.plain_text and "/stop" in reply.plain_text
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and chat.subscribed and chat.active and chat.language == "vi"


async def test_start_twice_is_one_subscription(server: BotApiStandIn, sqlite_url: str, mode: str) -> None:
    async with bot_in_mode(mode, server, sqlite_url) as svc:
        server.inject_message("/start", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="Xin chào")
        server.inject_message("/start", chat_id=USER)
        again = await server.wait_for(chat_id=USER, contains="vẫn đang nhận")
        assert "Xin chào" not in again.plain_text
        async with svc.store.engine.connect() as conn:
            from sqlalchemy import text

            count = (
                await conn.execute(text("SELECT count(*) FROM chats WHERE id = :i"), {"i": USER})
            ).scalar()
        assert count == 1


async def test_english_user_gets_english(server: BotApiStandIn, sqlite_url: str, mode: str) -> None:
    async with bot_in_mode(mode, server, sqlite_url):
        server.inject_message("/start", chat_id=USER, language_code="en-US")
        reply = await server.wait_for(chat_id=USER)
        assert "Hello" in reply.plain_text and "subscribed" in reply.plain_text
        server.inject_message("/help", chat_id=USER, language_code="en-US")
        helped = await server.wait_for(chat_id=USER, contains="Commands")
        assert "/stop" in helped.plain_text


async def test_stop_unsubscribes(server: BotApiStandIn, sqlite_url: str, mode: str) -> None:
    async with bot_in_mode(mode, server, sqlite_url) as svc:
        server.inject_message("/start", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="Xin chào")
        server.inject_message("/stop", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="hủy đăng ký")
        chat = await svc.store.chats.get_chat(USER)
        assert chat is not None and not chat.subscribed
        server.inject_message("/unsubscribe", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="chưa đăng ký")


async def test_blocked_user_becomes_inactive_and_start_reactivates(
    server: BotApiStandIn, sqlite_url: str, mode: str
) -> None:
    async with bot_in_mode(mode, server, sqlite_url) as svc:
        server.inject_message("/start", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="Xin chào")
        server.inject_my_chat_member(chat_id=USER, user_id=USER, old_status="member", new_status="kicked")
        await wait_until(svc, USER, active=False)
        server.inject_my_chat_member(chat_id=USER, user_id=USER, old_status="kicked", new_status="member")
        server.inject_message("/start", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="Xin chào", predicate=lambda m: m.message_id > 1)
        await wait_until(svc, USER, active=True)


async def wait_until(svc: Services, chat_id: int, *, active: bool) -> None:
    import asyncio

    for _ in range(100):
        chat = await svc.store.chats.get_chat(chat_id)
        if chat is not None and chat.active == active:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"chat {chat_id} never became active={active}")


async def test_group_admin_subscribes_group_non_admin_cannot(
    server: BotApiStandIn, sqlite_url: str, mode: str
) -> None:
    group = -1001234
    admin, member = 700, 701
    server.set_chat(group, type="supergroup", title="Tổ dân phố 3")
    server.set_chat_member(group, admin, "administrator")
    server.set_chat_member(group, member, "member")
    async with bot_in_mode(mode, server, sqlite_url) as svc:
        server.inject_message(
            "/start", chat_id=group, user_id=member, chat_type="supergroup", chat_title="Tổ dân phố 3"
        )
        refused = await server.wait_for(chat_id=group)
        assert "quản trị viên" in refused.plain_text
        assert await svc.store.chats.get_chat(group) is None
        server.inject_message(
            "/start", chat_id=group, user_id=admin, chat_type="supergroup", chat_title="Tổ dân phố 3"
        )
        await server.wait_for(chat_id=group, contains="Nhóm này đã đăng ký")
        chat = await svc.store.chats.get_chat(group)
        assert chat is not None and chat.subscribed and chat.type == "supergroup"


async def test_help_menu_and_unknown_command(server: BotApiStandIn, sqlite_url: str, mode: str) -> None:
    async with bot_in_mode(mode, server, sqlite_url):
        menus = server.calls("setMyCommands")
        languages = {call.params.get("language_code") for call in menus}
        assert {None, "en"} <= languages
        vi_menu = next(c for c in menus if c.params.get("language_code") is None)
        names = [cmd["command"] for cmd in vi_menu.params["commands"]]
        assert "start" in names and "stop" in names and "help" in names
        server.inject_message("/help", chat_id=USER)
        helped = await server.wait_for(chat_id=USER, contains="Các lệnh")
        assert "/start" in helped.plain_text and "/stop" in helped.plain_text
        server.inject_message("/frobnicate", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="không hợp lệ")


async def test_webhook_rejects_a_request_with_a_wrong_secret(server: BotApiStandIn, sqlite_url: str) -> None:
    async with bot_in_mode("webhook", server, sqlite_url) as svc:
        assert server.webhook_url == "https://bot.example.org/telegram"
        update = {
            "message": {
                "message_id": 1,
                "date": 1700000000,
                "text": "/start",
                "chat": {"id": USER, "type": "private", "first_name": "Kẻ giả mạo"},
                "from": {"id": USER, "is_bot": False, "first_name": "Kẻ giả mạo"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            }
        }
        assert await server.post_update_with_secret(update, "wrong") == 403
        assert await server.post_update_with_secret(update, "") == 403
        import asyncio

        await asyncio.sleep(0.3)
        assert server.messages_to(USER) == []
        assert await svc.store.chats.get_chat(USER) is None
        server.inject_message("/start", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="Xin chào")
