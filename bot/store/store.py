"""The store: one family of queries per group of tables, all over one engine (SQLite or PostgreSQL).

`Store` builds them all for the application and the tests; each service receives only the families
it uses, typed by a narrow Protocol declared where it is used."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.articles import Articles
from bot.store.audit import AuditLog
from bot.store.broadcasts import Broadcasts
from bot.store.chats import Chats
from bot.store.feeds import Feeds
from bot.store.leases import Leases
from bot.store.outbox import Outbox
from bot.store.records import ArticleRecord, BroadcastRecord, DeliveryJob, Outcome
from bot.store.stats import Stats


class Store:
    """Every family of the store over one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"
        self.chats = Chats(engine)
        self.feeds = Feeds(engine)
        self.articles = Articles(engine)
        self.outbox = Outbox(engine)
        self.broadcasts = Broadcasts(engine)
        self.stats = Stats(engine)
        self.leases = Leases(engine)
        self.audit = AuditLog(engine)
        self.sending = Sending(self)

    async def close(self) -> None:
        await self.engine.dispose()


class Sending:
    """What the delivery engine reads and writes, across the families: the outbox, the articles and
    broadcasts it renders, the chats that move, the shared send timeline and the process leases.

    Why it exists: the sender is one component that needs a little of five families. Handing it the
    whole `Store` would let delivery reach any query; handing it five families would spread the store's
    layout through its constructor and its tests. This adapter is the one object that satisfies the
    sender's `Outbox` protocol. It holds no logic: each method forwards to the family that owns the
    query, with the same arguments, and returns what that family returns."""

    def __init__(self, store: Store) -> None:
        self.is_postgres = store.is_postgres
        self._store = store

    async def release_stale_claims(self, now: datetime, owner: str | None = None) -> int:
        return await self._store.outbox.release_stale_claims(now, owner)

    async def claim(self, owner: str, now: datetime, limit: int, lease_seconds: float) -> list[DeliveryJob]:
        return await self._store.outbox.claim(owner, now, limit, lease_seconds)

    async def record_outcomes(self, outcomes: Sequence[Outcome], owner: str | None = None) -> None:
        await self._store.outbox.record_outcomes(outcomes, owner)

    async def next_due_at(self) -> datetime | None:
        return await self._store.outbox.next_due_at()

    async def articles_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleRecord]:
        return await self._store.articles.articles_by_ids(ids)

    async def broadcasts_by_ids(self, ids: Iterable[int]) -> dict[int, BroadcastRecord]:
        return await self._store.broadcasts.broadcasts_by_ids(ids)

    async def migrate_chat(self, old_id: int, new_id: int, now: datetime) -> None:
        await self._store.chats.migrate_chat(old_id, new_id, now)

    async def leave_thread(self, chat_id: int, thread_id: int, now: datetime) -> bool:
        return await self._store.chats.leave_thread(chat_id, thread_id, now)

    async def reserve_send_slots(self, count: int, spacing: float) -> float:
        return await self._store.leases.reserve_send_slots(count, spacing)

    async def pause_send_slots(self, seconds: float) -> None:
        await self._store.leases.pause_send_slots(seconds)

    async def heartbeat(self, owner: str, now: datetime) -> None:
        await self._store.leases.heartbeat(owner, now)

    async def release_own(self, owner: str) -> dict[str, int]:
        return await self._store.leases.release_own(owner)

    async def release_dead(self, owner: str, stale_seconds: float) -> dict[str, int]:
        return await self._store.leases.release_dead(owner, stale_seconds)

    async def forget_process(self, owner: str) -> None:
        await self._store.leases.forget_process(owner)
