"""One sender, two messengers: each chat gets its messages from its own messenger, at its own address,
with its own pace; a Zalo failure is handled like its Telegram counterpart without touching Telegram."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.clock import ManualClock
from bot.delivery.messenger import FailureKind, Platform
from bot.delivery.sender import Sender, SenderSettings
from bot.store.db import create_engine, upgrade
from bot.store.schema import deliveries
from bot.store.store import Store
from tests.delivery.fakes import FakeMessenger
from tests.delivery.test_sender_units import until

NOON = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)
NIGHT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 23:00 in Tây Ninh
TG_USER = 1001
ZALO_USER = "8a3f2b7c9d"


@dataclass
class Rig:
    store: Store
    clock: ManualClock
    telegram: FakeMessenger
    zalo: FakeMessenger
    sender: Sender
    zalo_chat: int = 0

    async def broadcast(self, text: str) -> None:
        bid = await self.store.broadcasts.create_broadcast(TG_USER, TG_USER, text, [], None, self.clock.now())
        await self.store.broadcasts.set_broadcast_audience(bid, "all")
        await self.store.broadcasts.start_broadcast(bid, TG_USER, self.clock.now())
        self.sender.wake()

    async def rows(self) -> dict[int, Any]:
        async with self.store.engine.connect() as conn:
            return {r.chat_id: r for r in await conn.execute(sa.select(deliveries))}


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    engine = create_engine(url)
    await upgrade(engine)
    store = Store(engine)
    settings = SenderSettings(
        zone=ZoneInfo("Asia/Ho_Chi_Minh"),
        send_rate_per_second=1000,
        private_chat_interval_seconds=0,
        group_messages_per_minute=60000,
        sender_concurrency=16,
        delivery_lease_seconds=120.0,
        max_send_attempts=3,
        public_base_url=None,
        zalo_send_rate_per_second=100,
    )
    clock = ManualClock(NOON)
    telegram, zalo = FakeMessenger(), FakeMessenger(platform=Platform.ZALO)
    sender = Sender(store.sending, clock, settings, telegram, owner="unit", more=(zalo,))
    now = clock.now()
    await store.chats.subscribe(TG_USER, type="private", title=None, username=None, language="vi", now=now)
    chat = await store.chats.get_or_create_chat(
        "zalo", ZALO_USER, type="private", title="Lan", language="vi", now=now
    )
    await store.chats.subscribe(chat.id, type="private", title="Lan", username=None, language="vi", now=now)
    await sender.start()
    try:
        yield Rig(store, clock, telegram, zalo, sender, chat.id)
    finally:
        await sender.stop()
        await store.close()


async def test_a_broadcast_reaches_each_chat_once_through_its_own_messenger(rig: Rig) -> None:
    await rig.broadcast("Thông báo lịch tiếp công dân")

    async def done() -> bool:
        return await rig.store.outbox.delivery_counts() == {"sent": 2}

    await until(done)
    await asyncio.sleep(0.1)
    assert [c.chat_id for c in rig.telegram.sent] == [str(TG_USER)]
    assert [c.chat_id for c in rig.zalo.sent] == [ZALO_USER]  # the Zalo address, not the internal id
    rows = await rig.rows()
    assert rows[rig.zalo_chat].message_ref == rig.zalo.sent[0].message_id
    shown = rig.sender.metrics.render().decode()
    for platform in ("telegram", "zalo"):
        assert f'bot_platform_messages_total{{outcome="sent",platform="{platform}"}} 1.0' in shown
    assert rows[TG_USER].message_id == int(rig.telegram.sent[0].message_id or 0)


async def test_a_zalo_429_pauses_only_zalo(rig: Rig) -> None:
    rig.zalo.fail(FailureKind.RATE_LIMITED, retry_after=30)
    await rig.broadcast("Thông báo cắt điện")

    async def telegram_sent() -> bool:
        counts = await rig.store.outbox.delivery_counts()
        return counts == {"sent": 1, "pending": 1} and len(rig.zalo.calls) == 1

    await until(telegram_sent)
    assert rig.sender.pacers["zalo"].paused_for > 20 and rig.sender.pacers["telegram"].paused_for == 0
    row = (await rig.rows())[rig.zalo_chat]
    assert row.status == "pending" and row.attempts == 0


async def test_a_zalo_user_who_blocked_the_bot_becomes_inactive_telegram_untouched(rig: Rig) -> None:
    rig.zalo.fail(FailureKind.BLOCKED, chat_id=ZALO_USER)
    await rig.broadcast("Thông báo khẩn")

    async def done() -> bool:
        return await rig.store.outbox.delivery_counts() == {"failed": 1, "sent": 1}

    await until(done)
    zalo, telegram = await rig.store.chats.get_chat(rig.zalo_chat), await rig.store.chats.get_chat(TG_USER)
    assert 'bot_platform_messages_total{outcome="inactive",platform="zalo"} 1.0' in (
        rig.sender.metrics.render().decode()
    )
    assert zalo is not None and not zalo.active and telegram is not None and telegram.active


async def test_quiet_hours_hold_news_on_zalo_which_has_no_silent_messages(rig: Rig) -> None:
    rig.clock.set(NIGHT)  # both chats have the default quiet hours 22–6, mode "silent"
    await rig.broadcast("Tin buổi tối")

    async def telegram_sent() -> bool:
        return bool(rig.telegram.sent)

    await until(telegram_sent)
    await asyncio.sleep(0.2)
    assert rig.telegram.sent[0].message is not None and rig.telegram.sent[0].message.silent
    assert rig.zalo.calls == []
    row = (await rig.rows())[rig.zalo_chat]
    assert row.status == "pending" and row.due_at.replace(tzinfo=UTC) > NIGHT


async def test_a_paused_zalo_never_holds_up_telegram_even_when_its_deliveries_come_first(rig: Rig) -> None:
    now = rig.clock.now()
    zalo_chats = [rig.zalo_chat]
    for n in range(5):
        chat = await rig.store.chats.get_or_create_chat(
            "zalo", f"other{n}", type="private", title=None, language="vi", now=now
        )
        await rig.store.chats.subscribe(
            chat.id, type="private", title=None, username=None, language="vi", now=now
        )
        zalo_chats.append(chat.id)
    async with rig.store.engine.begin() as conn:  # the Zalo messages are older: claimed first
        for chat_id in [*zalo_chats, TG_USER]:
            await conn.execute(
                deliveries.insert().values(
                    chat_id=chat_id,
                    payload={"text": "Lịch cắt điện"},
                    status="pending",
                    due_at=now,
                    created_at=now,
                )
            )
    rig.sender.pacers["zalo"].pause(30)  # Zalo answered 429 a moment ago
    rig.sender.wake()

    async def telegram_sent() -> bool:
        return bool(rig.telegram.sent)

    await until(telegram_sent, within=2.0)
    assert rig.zalo.calls == []

    async def zalo_waiting() -> bool:
        counts = await rig.store.outbox.delivery_counts()
        return counts == {"sent": 1, "pending": 6}

    await until(zalo_waiting)
    async with rig.store.engine.connect() as conn:
        due = [
            r.due_at
            for r in await conn.execute(sa.select(deliveries).where(deliveries.c.status == "pending"))
        ]
    assert all(d.replace(tzinfo=UTC) >= now + timedelta(seconds=29) for d in due)  # due after the pause
