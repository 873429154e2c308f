"""Broadcasts: drafts, their audience, sending, cancelling and the final counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.domain.choices import Topics
from bot.domain.progress import BroadcastCounts
from bot.domain.statuses import (
    OPEN_BROADCAST,
    OPEN_DELIVERY,
    Audience,
    BroadcastStatus,
    DeliveryStatus,
    Platform,
)
from bot.store.base import Family, broadcast_record, write_audit
from bot.store.records import BroadcastRecord
from bot.store.schema import broadcasts, chats, deliveries

BLOCKED = "Forbidden%"  # a failed delivery whose error is Telegram's 403: the chat blocked or kicked the bot


def audience_filter(audience: str) -> sa.ColumnElement[bool]:
    """The chats a broadcast goes to: subscribed, reachable, and of the chosen audience."""
    cond = sa.and_(chats.c.subscribed, chats.c.active)
    if audience == Audience.AWARDS:
        return sa.and_(cond, chats.c.topics == Topics.AWARDS)
    if audience in (Audience.VI, Audience.EN):
        return sa.and_(cond, chats.c.language == audience)
    if audience in (Audience.TELEGRAM, Audience.ZALO):
        return sa.and_(cond, chats.c.platform == audience)
    return cond


class Broadcasts(Family):
    """Admin broadcasts from draft to final report."""

    async def create_broadcast(
        self,
        admin_id: int,
        admin_chat_id: int,
        text: str,
        entities: list[dict[str, Any]],
        photo: str | None,
        now: datetime,
    ) -> int:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                broadcasts.insert()
                .values(
                    admin_id=admin_id,
                    admin_chat_id=admin_chat_id,
                    text=text,
                    entities=entities or None,
                    photo=photo,
                    audience=Audience.ALL,
                    status=BroadcastStatus.DRAFT,
                    created_at=now,
                )
                .returning(broadcasts.c.id)
            )
            return int(result.scalar_one())

    async def get_broadcast(self, broadcast_id: int) -> BroadcastRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(broadcasts).where(broadcasts.c.id == broadcast_id))).first()
        return broadcast_record(row) if row else None

    async def open_broadcasts(self, limit: int = 10) -> list[BroadcastRecord]:
        """Drafts and broadcasts being sent, newest first: what /cancel_broadcast may stop."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(broadcasts)
                    .where(broadcasts.c.status.in_(OPEN_BROADCAST))
                    .order_by(broadcasts.c.id.desc())
                    .limit(limit)
                )
            ).all()
        return [broadcast_record(r) for r in rows]

    async def audience_sizes(self) -> dict[str, int]:
        """How many chats each audience reaches now."""
        async with self.engine.connect() as conn:
            return {
                a: int(
                    (await conn.execute(sa.select(sa.func.count()).where(audience_filter(a)))).scalar_one()
                )
                for a in Audience
            }

    async def set_broadcast_audience(self, broadcast_id: int, audience: str) -> bool:
        if audience not in set(Audience):
            return False
        async with self.engine.begin() as conn:
            result = await conn.execute(
                broadcasts.update()
                .where(broadcasts.c.id == broadcast_id, broadcasts.c.status == BroadcastStatus.DRAFT)
                .values(audience=audience)
            )
            return bool(result.rowcount)

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                broadcasts.update()
                .where(broadcasts.c.id == broadcast_id)
                .values(progress_message_id=message_id)
            )

    async def start_broadcast(self, broadcast_id: int, admin_id: int, now: datetime) -> int | None:
        """Send: one transaction — status 'sending', a delivery for every chat of the audience (the
        unique (chat, broadcast) pair means nobody twice), the total, and the audit row.
        None when the broadcast is not a draft any more (pressed twice, cancelled, sent elsewhere)."""
        async with self.engine.begin() as conn:
            claimed = await conn.execute(
                broadcasts.update()
                .where(broadcasts.c.id == broadcast_id, broadcasts.c.status == BroadcastStatus.DRAFT)
                .values(status=BroadcastStatus.SENDING)
            )
            if not claimed.rowcount:
                return None
            audience = (
                await conn.execute(sa.select(broadcasts.c.audience).where(broadcasts.c.id == broadcast_id))
            ).scalar_one()
            at = sa.literal(now, type_=deliveries.c.due_at.type)
            select = sa.select(
                chats.c.id, sa.literal(broadcast_id), sa.literal(DeliveryStatus.PENDING.value), at, at
            ).where(audience_filter(audience))
            result = await conn.execute(
                deliveries.insert().from_select(
                    ["chat_id", "broadcast_id", "status", "due_at", "created_at"], select
                )
            )
            total = int(result.rowcount or 0)
            await conn.execute(broadcasts.update().where(broadcasts.c.id == broadcast_id).values(total=total))
            await write_audit(conn, admin_id, "broadcast", f"#{broadcast_id} → {audience}", now, total)
            return total

    async def cancel_broadcast(self, broadcast_id: int, admin_id: int, now: datetime) -> int | None:
        """Stop a draft or a broadcast being sent: what has not been sent is cancelled.
        Returns the number of deliveries cancelled, None when it was not a draft or sending."""
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(sa.select(broadcasts.c.status).where(broadcasts.c.id == broadcast_id))
            ).first()
            if row is None or row.status not in OPEN_BROADCAST:
                return None
            values: dict[str, Any] = {"status": BroadcastStatus.CANCELLED}
            if row.status == BroadcastStatus.DRAFT:
                values["finished_at"] = now  # nothing was sent: no report to wait for
            await conn.execute(
                broadcasts.update()
                .where(broadcasts.c.id == broadcast_id, broadcasts.c.status == row.status)
                .values(**values)
            )
            result = await conn.execute(
                deliveries.update()
                .where(
                    deliveries.c.broadcast_id == broadcast_id, deliveries.c.status == DeliveryStatus.PENDING
                )
                .values(status=DeliveryStatus.CANCELLED, error="broadcast cancelled")
            )
            stopped = int(result.rowcount or 0)
            action = "broadcast_cancel" if row.status == BroadcastStatus.SENDING else "broadcast_discard"
            await write_audit(conn, admin_id, action, f"#{broadcast_id}", now, stopped)
            return stopped

    async def unfinished_broadcasts(self) -> list[BroadcastRecord]:
        """Broadcasts whose final report is still due: being sent, or cancelled with sends in flight."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(broadcasts)
                    .where(
                        broadcasts.c.status.in_((BroadcastStatus.SENDING, BroadcastStatus.CANCELLED)),
                        broadcasts.c.finished_at.is_(None),
                    )
                    .order_by(broadcasts.c.id)
                )
            ).all()
        return [broadcast_record(r) for r in rows]

    async def broadcast_counts(self, broadcast_id: int, now: datetime | None = None) -> BroadcastCounts:
        """Deliveries of a broadcast by outcome; with `now`, the pending ones due more than a minute
        later (held for their recipients' quiet hours) are also counted as scheduled."""
        # on Zalo a block has no error of its own: a failure that made the chat inactive counts as one
        gone = sa.select(chats.c.id).where(chats.c.platform != Platform.TELEGRAM, ~chats.c.active)
        blocked = sa.and_(
            deliveries.c.status == DeliveryStatus.FAILED,
            sa.or_(deliveries.c.error.like(BLOCKED), deliveries.c.chat_id.in_(gone)),
        )
        later: sa.ColumnElement[bool] = (
            sa.and_(
                deliveries.c.status == DeliveryStatus.PENDING,
                deliveries.c.due_at > now + timedelta(minutes=1),
            )
            if now is not None
            else sa.false()
        )
        query = sa.select(
            sa.func.count().filter(deliveries.c.status == DeliveryStatus.SENT),
            sa.func.count().filter(deliveries.c.status == DeliveryStatus.FAILED, ~blocked),
            sa.func.count().filter(blocked),
            sa.func.count().filter(deliveries.c.status == DeliveryStatus.CANCELLED),
            sa.func.count().filter(deliveries.c.status.in_(OPEN_DELIVERY)),
            sa.func.count().filter(later),
            sa.func.min(deliveries.c.due_at).filter(later),
        ).where(deliveries.c.broadcast_id == broadcast_id)
        async with self.engine.connect() as conn:
            sent, failed, blocked_n, cancelled, open_n, scheduled, first = (await conn.execute(query)).one()
            total = (
                await conn.execute(sa.select(broadcasts.c.total).where(broadcasts.c.id == broadcast_id))
            ).scalar()
        return BroadcastCounts(
            total=int(total or 0),
            sent=int(sent),
            failed=int(failed),
            blocked=int(blocked_n),
            cancelled=int(cancelled),
            open=int(open_n),
            scheduled=int(scheduled or 0),
            scheduled_at=(first if first.tzinfo else first.replace(tzinfo=UTC))
            if first is not None
            else None,
        )

    async def finish_broadcast(self, broadcast_id: int, now: datetime) -> bool:
        """Mark a broadcast finished once nothing is open. True for exactly one caller (the report)."""
        open_left = sa.exists().where(
            deliveries.c.broadcast_id == broadcast_id, deliveries.c.status.in_(OPEN_DELIVERY)
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(
                broadcasts.update()
                .where(
                    broadcasts.c.id == broadcast_id,
                    broadcasts.c.status.in_((BroadcastStatus.SENDING, BroadcastStatus.CANCELLED)),
                    broadcasts.c.finished_at.is_(None),
                    ~open_left,
                )
                .values(
                    status=sa.case(
                        (broadcasts.c.status == BroadcastStatus.SENDING, BroadcastStatus.DONE.value),
                        else_=broadcasts.c.status,
                    ),
                    finished_at=now,
                )
            )
            return bool(result.rowcount)

    async def broadcasts_by_ids(self, ids: Iterable[int]) -> dict[int, BroadcastRecord]:
        ids = list(set(ids))
        if not ids:
            return {}
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(broadcasts).where(broadcasts.c.id.in_(ids)))).all()
        return {r.id: broadcast_record(r) for r in rows}
