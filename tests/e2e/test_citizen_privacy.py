"""/mydata shows what is stored about a chat; /deletedata erases it after confirmation."""

from __future__ import annotations

import sqlalchemy as sa

from bot.app import Services
from bot.clock import ManualClock
from tests.e2e.citizen_support import START, article, command, press, publish, settle, start
from tests.e2e.harness import make_settings, running_bot
from tests.standin import BotApiStandIn

USER = 611
OTHER = 612


async def rows_about(svc: Services, chat_id: int) -> dict[str, int]:
    counts = {}
    async with svc.store.engine.connect() as conn:
        for table, column in (
            ("chats", "id"),
            ("follows", "chat_id"),
            ("mutes", "chat_id"),
            ("deliveries", "chat_id"),
            ("chats", "added_by"),
        ):
            query = sa.text(f"SELECT count(*) FROM {table} WHERE {column} = :c")
            counts[f"{table}.{column}"] = int((await conn.execute(query, {"c": chat_id})).scalar_one())
    return counts


async def test_mydata_then_deletedata_leaves_nothing_behind(server: BotApiStandIn, sqlite_url: str) -> None:
    channel = -1007771
    server.set_chat(channel, type="channel", title="Kênh phường", username="kenhphuong")
    server.set_chat_member(channel, USER, "creator")
    clock = ManualClock(START)
    async with running_bot(make_settings(server, sqlite_url), clock) as svc:
        await start(server, USER)
        await start(server, OTHER)
        await command(server, USER, "/follow khen thuong")
        await command(server, USER, "/mute xo so")
        await command(server, USER, "/subscribe @kenhphuong")
        await publish(svc, clock, article("Tin để có lịch sử gửi"))
        await server.wait_for(chat_id=USER, contains="Tin để có lịch sử gửi")
        await server.wait_for(chat_id=OTHER, contains="Tin để có lịch sử gửi")
        await settle()  # the sender records outcomes in small batches

        mine = await command(server, USER, "/mydata")
        text = mine.plain_text
        assert str(USER) in text and "khen thuong" in text and "tất cả tin" in text and "26/11/2026" in text
        assert "Tin đã gửi: 1" in text and "Từ đang chặn: xo so" in text

        ask = await command(server, USER, "/deletedata")
        assert ask.callback_data == ["d|yes", "d|no"]
        kept = await press(server, USER, "d|no", ask.message_id)
        assert "giữ nguyên" in kept.plain_text
        assert (await rows_about(svc, USER))["chats.id"] == 1

        ask = await command(server, USER, "/deletedata")
        done = await press(server, USER, "d|yes", ask.message_id)
        assert "Đã xóa toàn bộ dữ liệu" in done.plain_text
        assert await rows_about(svc, USER) == {
            "chats.id": 0, "follows.chat_id": 0, "mutes.chat_id": 0, "deliveries.chat_id": 0,
            "chats.added_by": 0,
        }  # fmt: skip
        channel_row = await svc.store.chats.get_chat(channel)
        assert channel_row is not None and channel_row.subscribed  # the channel's own subscription stays
        other = await rows_about(svc, OTHER)
        assert other["chats.id"] == 1 and other["deliveries.chat_id"] == 1  # nobody else's data touched

        gone = await command(server, USER, "/mydata")
        assert "không lưu dữ liệu nào" in gone.plain_text
        await publish(svc, clock, article("Tin sau khi xóa"))
        await server.wait_for(chat_id=OTHER, contains="Tin sau khi xóa")
        assert not any("Tin sau khi xóa" in m.plain_text for m in server.messages_to(USER))
