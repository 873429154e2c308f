"""The outbox: deliveries claimed, sent and recorded by the sender."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.domain.statuses import OPEN_DELIVERY, DeliveryStatus
from bot.store.base import Family, cancel_open
from bot.store.records import DeliveryJob, Outcome
from bot.store.schema import chats, deliveries


class Outbox(Family):
    """The deliveries: claimed in order per chat, their outcomes recorded in batches."""

    async def release_stale_claims(self, now: datetime, owner: str | None = None) -> int:
        """Deliveries left 'sending' by a dead process go back to pending (at-least-once: a send that was
        in flight at the crash may be repeated). With `owner`, also this process's own earlier claims."""
        cond = deliveries.c.lease_until < now
        if owner is not None:
            cond = sa.or_(cond, deliveries.c.lease_owner == owner)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                deliveries.update()
                .where(deliveries.c.status == DeliveryStatus.SENDING, cond)
                .values(status=DeliveryStatus.PENDING, lease_owner=None, lease_until=None)
            )
            return int(result.rowcount or 0)

    async def claim(self, owner: str, now: datetime, limit: int, lease_seconds: float) -> list[DeliveryJob]:
        """Claim due deliveries, at most one per chat and only a chat's oldest open one (so each chat
        receives in order). PostgreSQL: FOR UPDATE SKIP LOCKED, so several processes never overlap."""
        earlier = deliveries.alias("earlier")
        head_of_chat = ~sa.exists().where(
            earlier.c.chat_id == deliveries.c.chat_id,
            earlier.c.status.in_(OPEN_DELIVERY),
            earlier.c.id < deliveries.c.id,
        )
        candidates = (
            sa.select(deliveries.c.id)
            .where(deliveries.c.status == DeliveryStatus.PENDING, deliveries.c.due_at <= now, head_of_chat)
            .order_by(deliveries.c.id)
            .limit(limit)
        )
        if self.is_postgres:
            candidates = candidates.with_for_update(skip_locked=True, of=deliveries)
        until = now + timedelta(seconds=lease_seconds)
        async with self.engine.begin() as conn:
            # One statement that writes from the start: on SQLite a read that later turns into a write
            # fails at once ("database is locked") when another connection wrote in between.
            claimed = await conn.execute(
                deliveries.update()
                .where(deliveries.c.id.in_(candidates.scalar_subquery()))
                .values(status=DeliveryStatus.SENDING, lease_owner=owner, lease_until=until)
                .returning(deliveries.c.id)
            )
            ids = [r[0] for r in claimed]
            if not ids:
                return []
            rows = (
                await conn.execute(
                    sa.select(
                        deliveries.c.id,
                        deliveries.c.chat_id,
                        deliveries.c.attempts,
                        deliveries.c.article_id,
                        deliveries.c.broadcast_id,
                        deliveries.c.silent,
                        deliveries.c.payload,
                        chats.c.type,
                        chats.c.language,
                        chats.c.link_previews,
                        chats.c.quiet_start,
                        chats.c.quiet_end,
                        chats.c.quiet_mode,
                        chats.c.thread_id,
                        chats.c.platform,
                        chats.c.address,
                    )
                    .join(chats, chats.c.id == deliveries.c.chat_id)
                    .where(deliveries.c.id.in_(ids))
                    .order_by(deliveries.c.id)
                )
            ).all()
        return [
            DeliveryJob(
                id=r.id,
                chat_id=r.chat_id,
                chat_type=r.type,
                language=r.language,
                link_previews=r.link_previews,
                quiet_start=r.quiet_start,
                quiet_end=r.quiet_end,
                quiet_mode=r.quiet_mode,
                attempts=r.attempts,
                article_id=r.article_id,
                broadcast_id=r.broadcast_id,
                silent=r.silent,
                payload=r.payload,
                thread_id=r.thread_id,
                platform=r.platform,
                address=r.address,
            )
            for r in rows
        ]

    async def record_outcomes(self, outcomes: Sequence[Outcome], owner: str | None = None) -> None:
        """Write a batch of send outcomes in one transaction; outcomes of the same shape (the common
        case: sent) go in one executemany. With `owner`, only deliveries this process still holds are
        written: one that was taken over (its owner looked dead) stays with the process that has it."""
        if not outcomes:
            return
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        deactivate: list[Outcome] = []
        for o in outcomes:
            params: dict[str, Any] = {"b_id": o.delivery_id, "status": o.status, "error": o.error}
            if o.status == DeliveryStatus.SENT:
                params.update(sent_at=o.at, message_id=o.message_id, message_ref=o.message_ref)
            if o.retry_at is not None:
                params["due_at"] = o.retry_at
            key = (*sorted(params), "+" if o.count_attempt else "")
            groups.setdefault(key, []).append(params)
            if o.deactivate_chat is not None:
                deactivate.append(o)
        async with self.engine.begin() as conn:
            for key, rows in groups.items():
                values: dict[str, Any] = {
                    name: sa.bindparam(name) for name in key if name and name not in ("b_id", "+")
                }
                values.update(lease_owner=None, lease_until=None)
                if "+" in key:
                    values["attempts"] = deliveries.c.attempts + 1
                held = deliveries.c.id == sa.bindparam("b_id")
                if owner is not None:
                    held = sa.and_(held, deliveries.c.lease_owner == owner)
                stmt = deliveries.update().where(held).values(**values)
                await conn.execute(stmt, rows)
            for o in deactivate:
                assert o.deactivate_chat is not None
                await conn.execute(
                    chats.update()
                    .where(chats.c.id == o.deactivate_chat)
                    .values(active=False, updated_at=o.at)
                )
                await cancel_open(conn, o.deactivate_chat, o.error or "chat inactive")

    async def next_due_at(self) -> datetime | None:
        async with self.engine.connect() as conn:
            value = (
                await conn.execute(
                    sa.select(sa.func.min(deliveries.c.due_at)).where(
                        deliveries.c.status == DeliveryStatus.PENDING
                    )
                )
            ).scalar()
        return value  # type: ignore[no-any-return]

    async def delivery_counts(self, **where: Any) -> dict[str, int]:
        query = sa.select(deliveries.c.status, sa.func.count()).group_by(deliveries.c.status)
        for name, value in where.items():
            query = query.where(deliveries.c[name] == value)
        async with self.engine.connect() as conn:
            return {r[0]: int(r[1]) for r in await conn.execute(query)}
