"""Admin broadcasts end to end: preview → send → progress → report; audience; cancel; restart; refusal."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from bot.store.schema import audit_log, broadcasts, deliveries
from tests.e2e.admin_helpers import (
    ADMIN,
    CITIZEN,
    add_subscribers,
    admin_settings,
    preview_of,
    to_subscribers,
    wait_until,
)
from tests.e2e.harness import running_bot
from tests.standin import BotApiStandIn, bad_request
from tests.standin.html_check import utf16_len

BODY = 'Thông báo <b>&</b> lịch tiếp dân 🗓️ "quan trọng": xem tại đây'


def command_with_entities() -> tuple[str, list[dict[str, object]], list[dict[str, object]]]:
    """The admin's message (/broadcast + BODY, bold and a link applied in Telegram) and the entities the
    subscribers must receive (same, relative to BODY)."""
    prefix = "/broadcast "
    text = prefix + BODY
    bold_at = BODY.index('"quan trọng"')
    link_at = BODY.index("tại đây")
    wanted: list[dict[str, object]] = [
        {"type": "bold", "offset": utf16_len(BODY[:bold_at]), "length": utf16_len('"quan trọng"')},
        {
            "type": "text_link",
            "offset": utf16_len(BODY[:link_at]),
            "length": utf16_len("tại đây"),
            "url": "https://sokhcn.tayninh.gov.vn/lich",
        },
    ]
    shift = utf16_len(prefix)
    sent = [{"type": "bot_command", "offset": 0, "length": utf16_len("/broadcast")}]
    sent += [{**e, "offset": int(e["offset"]) + shift} for e in wanted]  # type: ignore[call-overload]
    return text, sent, wanted


def shape(entities: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(e["type"], e["offset"], e["length"], e.get("url")) for e in entities]


async def test_preview_send_progress_and_report(server: BotApiStandIn, sqlite_url: str) -> None:
    settings = admin_settings(server, sqlite_url, send_rate_per_second=20)
    async with running_bot(settings) as svc:
        ids = await add_subscribers(svc, 40)
        blocked = ids[:2]
        for chat_id in blocked:
            server.block_chat(chat_id)
        server.fail_next("sendMessage", chat_id=ids[2], error=bad_request("entity text is invalid"))
        text, entities, wanted = command_with_entities()
        server.inject_message(text, chat_id=ADMIN, entities=entities)

        preview, cast_id = await preview_of(server)
        assert preview.plain_text == BODY and preview.parse_mode is None
        assert shape(preview.entities) == shape(wanted)
        assert [b["text"] for b in preview.buttons[:2]] == ["✅ Gửi", "❌ Hủy"]
        assert any("Tất cả (40)" in b["text"] for b in preview.buttons)
        assert to_subscribers(server, ids, BODY) == {i: [] for i in ids}  # nothing before ✅

        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        report = await server.wait_for(
            lambda m: not m.is_edit and "Đã gửi xong" in m.plain_text, chat_id=ADMIN, timeout=20
        )
        assert f"#{cast_id}: 37/40" in report.plain_text
        assert "Đã chặn bot: 2" in report.plain_text and "Lỗi: 1" in report.plain_text

        progress = [m for m in server.messages_to(ADMIN) if "Đang gửi" in m.plain_text]
        assert len({m.message_id for m in progress}) == 1  # one progress message…
        assert sum(m.is_edit for m in progress) >= 2  # …edited as it goes
        assert any("Còn lại khoảng" in m.plain_text for m in progress)
        final = [m for m in server.messages_to(ADMIN) if m.is_edit and m.message_id == progress[0].message_id]
        assert "đã kết thúc: xem báo cáo bên dưới" in final[-1].plain_text  # the report itself, once
        assert not any("Đã gửi xong" in m.plain_text for m in final)

        got = to_subscribers(server, ids, BODY)
        for chat_id in ids[3:]:
            [message] = got[chat_id]
            assert message.parse_mode is None and shape(message.entities) == shape(wanted)
        assert all(not got[c] for c in ids[:3])
        await asyncio.sleep(0.8)  # the report is sent once
        reports = [m for m in server.messages_to(ADMIN) if not m.is_edit and "Đã gửi xong" in m.plain_text]
        assert len(reports) == 1

        async with svc.store.engine.connect() as conn:
            status = (await conn.execute(sa.select(broadcasts.c.status))).scalar_one()
            audits = (
                await conn.execute(
                    sa.select(audit_log.c.action, audit_log.c.recipients, audit_log.c.admin_id)
                )
            ).all()
        assert status == "done"
        assert ("broadcast", 40, ADMIN) in [tuple(a) for a in audits]


async def test_audience_language_and_awards(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        vi = await add_subscribers(svc, 3, base=30_000)
        en = await add_subscribers(svc, 2, base=31_000, language="en")
        awards = await add_subscribers(svc, 2, base=32_000, topics="awards")
        server.inject_message("/broadcast Chỉ tiếng Anh", chat_id=ADMIN)
        preview, cast_id = await preview_of(server)
        server.inject_callback(
            f"bc:aud:{cast_id}:en", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        edited = await server.wait_for(
            lambda m: m.is_edit and m.message_id == preview.message_id, chat_id=ADMIN
        )
        assert any(b["text"].startswith("🔘") and "Tiếng Anh (2)" in b["text"] for b in edited.buttons)
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await server.wait_for(
            lambda m: "Đã gửi xong" in m.plain_text and not m.is_edit, chat_id=ADMIN, timeout=10
        )
        got = to_subscribers(server, vi + en + awards, "Chỉ tiếng Anh")
        assert [c for c, ms in got.items() if ms] == en

        server.inject_message("/broadcast Tin cho người theo dõi khen thưởng", chat_id=ADMIN)
        preview, cast_id = await preview_of(server, "Tin cho người theo dõi khen thưởng")
        server.inject_callback(
            f"bc:aud:{cast_id}:awards", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await server.wait_for(lambda m: m.is_edit and m.message_id == preview.message_id, chat_id=ADMIN)
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await server.wait_for_count(
            2, predicate=lambda m: "Đã gửi xong" in m.plain_text and not m.is_edit, chat_id=ADMIN, timeout=10
        )
        got = to_subscribers(server, vi + en + awards, "Tin cho người theo dõi khen thưởng")
        assert [c for c, ms in got.items() if ms] == awards


async def test_photo_broadcast_in_reply_keeps_caption_and_entities(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        ids = await add_subscribers(svc, 3)
        caption = "Ảnh <hội nghị> & tọa đàm"
        bold = [{"type": "bold", "offset": 0, "length": 3}]
        original = server.inject_message(caption, chat_id=ADMIN, photo="admin-photo-1", entities=bold)
        server.inject_message("/broadcast", chat_id=ADMIN, reply_to=original["message"]["message_id"])
        preview, cast_id = await preview_of(server)
        assert preview.method == "sendPhoto" and preview.photo == "admin-photo-1"
        assert preview.plain_text == caption and shape(preview.entities) == shape(bold)
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await server.wait_for(
            lambda m: "Đã gửi xong" in m.plain_text and not m.is_edit, chat_id=ADMIN, timeout=10
        )
        for chat_id, [message] in to_subscribers(server, ids, caption).items():
            assert message.method == "sendPhoto" and message.photo == "admin-photo-1", chat_id
            assert message.parse_mode is None and shape(message.entities) == shape(bold)


async def test_a_too_long_broadcast_is_refused_with_a_clear_message(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        ids = await add_subscribers(svc, 2)
        server.inject_message("/broadcast " + "Thông báo dài. " * 300, chat_id=ADMIN)
        refused = await server.wait_for(chat_id=ADMIN, contains="rút gọn")
        assert "4500" in refused.plain_text and "4096" in refused.plain_text
        await asyncio.sleep(0.3)
        assert to_subscribers(server, ids) == {i: [] for i in ids}
        async with svc.store.engine.connect() as conn:
            assert (await conn.execute(sa.select(sa.func.count()).select_from(broadcasts))).scalar_one() == 0


async def test_cancel_button_discards_the_draft(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        ids = await add_subscribers(svc, 3)
        server.inject_message("/broadcast Bản nháp sẽ bị hủy", chat_id=ADMIN)
        preview, cast_id = await preview_of(server)
        server.inject_callback(
            f"bc:cancel:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await server.wait_for(chat_id=ADMIN, contains="Đã hủy bản nháp")
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await server.wait_for_request(
            "answerCallbackQuery", predicate=lambda r: "đã hủy" in str(r.params.get("text"))
        )
        await asyncio.sleep(0.5)
        assert to_subscribers(server, ids) == {i: [] for i in ids}
        cast = await svc.store.broadcasts.get_broadcast(cast_id)
        assert cast is not None and cast.status == "cancelled"


async def test_cancel_midway_stops_the_rest(server: BotApiStandIn, sqlite_url: str) -> None:
    async with running_bot(admin_settings(server, sqlite_url, send_rate_per_second=20)) as svc:
        ids = await add_subscribers(svc, 120)
        server.inject_message("/broadcast Tin sẽ bị dừng giữa chừng", chat_id=ADMIN)
        preview, cast_id = await preview_of(server)
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await wait_until(lambda: sum(map(len, to_subscribers(server, ids).values())) >= 10)
        server.inject_message("/cancel_broadcast", chat_id=ADMIN)  # without an id: which one?
        which = await server.wait_for(chat_id=ADMIN, contains="Dừng thông báo nào?")
        assert which.callback_data == [f"bc:stop:{cast_id}"]
        assert which.buttons[0]["text"].startswith(f"⛔ #{cast_id} đang gửi · Tin sẽ bị dừng")
        server.inject_callback(
            f"bc:stop:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=which.message_id
        )
        await server.wait_for(chat_id=ADMIN, contains="Đang dừng thông báo")
        report = await server.wait_for(
            lambda m: not m.is_edit and "Đã dừng thông báo" in m.plain_text, chat_id=ADMIN, timeout=10
        )
        sent = sum(map(len, to_subscribers(server, ids).values()))
        await asyncio.sleep(1.5)
        got = to_subscribers(server, ids)
        assert sum(map(len, got.values())) == sent  # nothing more after the report
        assert all(len(ms) <= 1 for ms in got.values())
        assert 10 <= sent <= 60  # stopped well before the 120 (at 20/s, within a couple of seconds)
        assert f"đã gửi {sent}/120, không gửi {120 - sent}" in report.plain_text
        counts = await svc.store.outbox.delivery_counts(broadcast_id=cast_id)
        assert counts == {"sent": sent, "cancelled": 120 - sent}


async def test_restart_mid_broadcast_finishes_without_duplicates(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    settings = admin_settings(server, sqlite_url, send_rate_per_second=20)
    async with running_bot(settings) as svc:
        ids = await add_subscribers(svc, 60)
        server.inject_message("/broadcast Tin gửi qua lần khởi động lại", chat_id=ADMIN)
        preview, cast_id = await preview_of(server)
        server.inject_callback(
            f"bc:send:{cast_id}", chat_id=ADMIN, user_id=ADMIN, message_id=preview.message_id
        )
        await wait_until(lambda: sum(map(len, to_subscribers(server, ids).values())) >= 15)
    before = sum(map(len, to_subscribers(server, ids).values()))
    assert before < 60  # really stopped mid-way
    async with running_bot(settings) as svc:
        report = await server.wait_for(
            lambda m: not m.is_edit and "Đã gửi xong" in m.plain_text, chat_id=ADMIN, timeout=20
        )
        assert "60/60" in report.plain_text
        got = to_subscribers(server, ids, "Tin gửi qua lần khởi động lại")
        assert {c: len(ms) for c, ms in got.items()} == {c: 1 for c in ids}
        async with svc.store.engine.connect() as conn:
            open_left = (
                await conn.execute(
                    sa.select(sa.func.count()).where(deliveries.c.status.in_(("pending", "sending")))
                )
            ).scalar_one()
        assert open_left == 0


async def test_non_admins_are_refused_and_nothing_is_sent(server: BotApiStandIn, sqlite_url: str) -> None:
    group = -100777
    server.set_chat(group, type="supergroup", title="Nhóm")
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        ids = await add_subscribers(svc, 3)
        for command in (
            "/broadcast Tin giả mạo",
            "/stats",
            "/export",
            "/audit",
            "/retract 1",
            "/cancel_broadcast",
        ):
            replies = len(server.messages_to(CITIZEN))
            server.inject_message(command, chat_id=CITIZEN)
            reply = (await server.wait_for_count(replies + 1, chat_id=CITIZEN))[-1]
            assert "chỉ dành cho quản trị viên" in reply.plain_text, command
        server.inject_callback("bc:send:1", chat_id=CITIZEN, user_id=CITIZEN)
        answer = await server.wait_for_request("answerCallbackQuery")
        assert "chỉ dành cho quản trị viên" in str(answer.params.get("text"))
        server.inject_message("/broadcast Trong nhóm", chat_id=group, user_id=ADMIN, chat_type="supergroup")
        refused = await server.wait_for(chat_id=group)
        assert "không dùng trong nhóm" in refused.plain_text
        await asyncio.sleep(0.5)
        assert to_subscribers(server, ids) == {i: [] for i in ids}
        async with svc.store.engine.connect() as conn:
            assert (await conn.execute(sa.select(sa.func.count()).select_from(broadcasts))).scalar_one() == 0

        # the command menus: admins see the admin commands in their own chat, nobody else does
        admin_menu = [c["command"] for c in server.commands[(f"chat:{ADMIN}", "")]]
        assert {"broadcast", "stats", "feeds", "retract", "export", "audit"} <= set(admin_menu)
        assert "start" in admin_menu
        for (scope, _lang), commands in server.commands.items():
            if not scope.startswith("chat:"):
                assert "broadcast" not in [c["command"] for c in commands], scope
