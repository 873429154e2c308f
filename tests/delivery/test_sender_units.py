"""The sender's claim loop against a real SQLite store, a FakeMessenger and a ManualClock: no HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.clock import ManualClock
from bot.delivery.messenger import FailureKind
from bot.delivery.sender import Sender, SenderSettings
from bot.store.db import create_engine, upgrade
from bot.store.schema import deliveries
from bot.store.store import Store
from tests.delivery.fakes import FakeMessenger

NOON = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)  # 12:00 in Tây Ninh (UTC+7)
NIGHT = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # 23:00 in Tây Ninh
USER, OTHER, GROUP, SUPERGROUP = 1001, 1002, -2001, -1002001


@dataclass
class Rig:
    store: Store
    clock: ManualClock
    messenger: FakeMessenger
    sender: Sender

    async def subscribe(self, chat_id: int, **prefs: Any) -> None:
        kind = "private" if chat_id > 0 else "group"
        await self.store.chats.subscribe(
            chat_id, type=kind, title=None, username=None, language="vi", now=self.clock.now()
        )
        if prefs:
            await self.store.chats.set_prefs(chat_id, self.clock.now(), **prefs)

    async def queue(self, chat_id: int, text: str) -> None:
        now = self.clock.now()
        async with self.store.engine.begin() as conn:  # a pre-rendered message, as digests queue them
            await conn.execute(
                deliveries.insert().values(
                    chat_id=chat_id, payload={"text": text}, status="pending", due_at=now, created_at=now
                )
            )
        self.sender.wake()

    async def broadcast(self, text: str) -> None:
        """An admin's broadcast to every subscriber: news, to which quiet hours apply."""
        bid = await self.store.broadcasts.create_broadcast(USER, USER, text, [], None, self.clock.now())
        await self.store.broadcasts.set_broadcast_audience(bid, "all")
        await self.store.broadcasts.start_broadcast(bid, USER, self.clock.now())
        self.sender.wake()

    async def row(self) -> Any:
        async with self.store.engine.connect() as conn:
            return (await conn.execute(sa.select(deliveries).order_by(deliveries.c.id.desc()))).first()

    async def statuses(self) -> dict[str, int]:
        return await self.store.outbox.delivery_counts()


async def until(check: Callable[[], Awaitable[bool]], within: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + within
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the sender did not get there in time")
        await asyncio.sleep(0.01)


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
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
    )
    clock = ManualClock(NOON)
    messenger = FakeMessenger(max_text=60)
    sender = Sender(store.sending, clock, settings, messenger, owner="unit")
    await sender.start()
    try:
        yield Rig(store, clock, messenger, sender)
    finally:
        await sender.stop()
        await store.close()


async def test_a_message_is_delivered_once_and_recorded_as_sent(rig: Rig) -> None:
    await rig.subscribe(USER)
    await rig.queue(USER, "Lịch tiếp công dân tuần này")

    async def sent() -> bool:
        return (await rig.statuses()).get("sent") == 1

    await until(sent)
    await asyncio.sleep(0.1)  # nothing more goes out
    assert [(c.chat_id, c.message.text) for c in rig.messenger.sent if c.message] == [
        (str(USER), "Lịch tiếp công dân tuần này")
    ]
    assert (await rig.row()).message_id == int(rig.messenger.sent[0].message_id or 0)


async def test_a_429_pauses_then_the_message_arrives_without_counting_an_attempt(rig: Rig) -> None:
    await rig.subscribe(USER)
    rig.messenger.fail(FailureKind.RATE_LIMITED, retry_after=0.05)
    await rig.queue(USER, "Thông báo cắt điện")

    async def waiting() -> bool:
        row = await rig.row()
        return bool(row.status == "pending" and row.error is not None)

    await until(waiting)
    row = await rig.row()
    assert row.attempts == 0 and row.due_at.replace(tzinfo=UTC) > rig.clock.now()
    assert rig.messenger.sent == []
    rig.clock.advance(seconds=1)
    rig.sender.wake()

    async def sent() -> bool:
        return (await rig.statuses()).get("sent") == 1

    await until(sent)
    assert len(rig.messenger.sent) == 1


async def test_a_chat_that_blocked_the_bot_is_made_inactive_and_others_still_get_theirs(rig: Rig) -> None:
    await rig.subscribe(USER, quiet_mode="off")
    await rig.subscribe(OTHER, quiet_mode="off")
    rig.messenger.fail(FailureKind.BLOCKED, chat_id=str(USER))
    await rig.broadcast("Thông báo khẩn")

    async def done() -> bool:
        return await rig.statuses() == {"failed": 1, "sent": 1}

    await until(done)
    blocked, other = await rig.store.chats.get_chat(USER), await rig.store.chats.get_chat(OTHER)
    assert blocked is not None and not blocked.active
    assert other is not None and other.active
    assert [c.chat_id for c in rig.messenger.sent] == [str(OTHER)]


async def test_a_message_too_long_goes_out_shorter(rig: Rig) -> None:
    await rig.subscribe(USER)
    long = "Thông báo về lịch tiếp công dân định kỳ của lãnh đạo Sở trong tháng này. " * 2
    await rig.queue(USER, long)

    async def sent() -> bool:
        return (await rig.statuses()).get("sent") == 1

    await until(sent)
    [call] = rig.messenger.sent
    assert call.message is not None and long.startswith(call.message.text)
    assert len(call.message.text) <= rig.messenger.max_text


async def test_a_server_error_is_retried_with_growing_waits_then_parked(rig: Rig) -> None:
    await rig.subscribe(USER)
    rig.messenger.fail(FailureKind.SERVER, times=3)
    await rig.queue(USER, "Tin sẽ không đến")
    waits: list[float] = []
    for attempt in (1, 2):

        async def retried(attempt: int = attempt) -> bool:
            row = await rig.row()
            return bool(row.status == "pending" and row.attempts == attempt)

        await until(retried)
        due = (await rig.row()).due_at.replace(tzinfo=UTC)
        waits.append((due - rig.clock.now()).total_seconds())
        rig.clock.set(due + timedelta(milliseconds=1))
        rig.sender.wake()

    async def parked() -> bool:
        return (await rig.statuses()) == {"failed": 1}

    await until(parked)
    assert 4 <= waits[0] <= 6 and 8 <= waits[1] <= 12  # 5 s, then 10 s (± 20 %)
    assert rig.messenger.sent == [] and len(rig.messenger.calls) == 3
    chat = await rig.store.chats.get_chat(USER)
    assert chat is not None and chat.active  # a server's trouble is not the chat's


async def test_a_migrated_group_gets_it_at_its_new_id(rig: Rig) -> None:
    await rig.subscribe(GROUP)
    rig.messenger.fail(FailureKind.MIGRATED, new_chat_id=str(SUPERGROUP))
    await rig.queue(GROUP, "Tin cho nhóm")

    async def sent() -> bool:
        return (await rig.statuses()).get("sent") == 1

    await until(sent)
    assert [c.chat_id for c in rig.messenger.sent] == [str(SUPERGROUP)]
    moved = await rig.store.chats.get_chat(SUPERGROUP)
    assert moved is not None and moved.subscribed


async def test_news_in_quiet_hours_is_held_until_morning(rig: Rig) -> None:
    rig.clock.set(NIGHT)
    await rig.subscribe(USER, quiet_start=22, quiet_end=6, quiet_mode="hold")
    await rig.broadcast("Thông báo lúc khuya")

    async def held() -> bool:
        row = await rig.row()
        return bool(row.status == "pending" and row.due_at.replace(tzinfo=UTC) > rig.clock.now())

    await until(held)
    assert (await rig.row()).due_at.replace(tzinfo=UTC) == datetime(2026, 3, 2, 23, 0, tzinfo=UTC)  # 06:00
    assert rig.messenger.calls == []
    rig.clock.set(datetime(2026, 3, 2, 23, 0, 1, tzinfo=UTC))
    rig.sender.wake()

    async def sent() -> bool:
        return (await rig.statuses()).get("sent") == 1

    await until(sent)
    [call] = rig.messenger.sent
    assert call.message is not None and not call.message.silent


async def test_news_in_quiet_hours_goes_out_silently_when_the_chat_chose_so(rig: Rig) -> None:
    rig.clock.set(NIGHT)
    await rig.subscribe(USER, quiet_start=22, quiet_end=6, quiet_mode="silent")
    await rig.subscribe(OTHER, quiet_mode="off")
    await rig.broadcast("Thông báo lúc khuya")

    async def sent() -> bool:
        return (await rig.statuses()).get("sent") == 2

    await until(sent)
    silent = {c.chat_id: c.message.silent for c in rig.messenger.sent if c.message}
    assert silent == {str(USER): True, str(OTHER): False}
