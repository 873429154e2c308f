"""Statistics and health figures for the admin console and the health endpoint."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.domain.statuses import OPEN_DELIVERY, ChatType, DeliveryStatus
from bot.store.base import Family
from bot.store.records import DailySeries, SubscriberStats
from bot.store.schema import chats, deliveries, feeds


class Stats(Family):
    """Figures for the admin console and the health check."""

    async def ping(self) -> bool:
        async with self.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
        return True

    async def health_figures(self, now: datetime) -> tuple[datetime | None, datetime | None, int]:
        """(newest successful poll, oldest due pending delivery, pending deliveries)."""
        async with self.engine.connect() as conn:
            last = (
                await conn.execute(sa.select(sa.func.max(feeds.c.last_success_at)).where(feeds.c.enabled))
            ).scalar()
            oldest, depth = (
                await conn.execute(
                    sa.select(sa.func.min(deliveries.c.due_at), sa.func.count()).where(
                        deliveries.c.status == DeliveryStatus.PENDING
                    )
                )
            ).one()
        return last, (oldest if oldest is not None and oldest <= now else None), int(depth)

    async def subscriber_stats(self, now: datetime) -> SubscriberStats:
        day, week, month = now - timedelta(days=1), now - timedelta(days=7), now - timedelta(days=30)
        live = sa.and_(chats.c.subscribed, chats.c.active)
        sent, failed = (
            deliveries.c.status == DeliveryStatus.SENT,
            deliveries.c.status == DeliveryStatus.FAILED,
        )
        async with self.engine.connect() as conn:
            active, blocked, unsubscribed, new_week, new_month = (
                await conn.execute(
                    sa.select(
                        sa.func.count().filter(live),
                        sa.func.count().filter(~chats.c.active),
                        sa.func.count().filter(~chats.c.subscribed),
                        sa.func.count().filter(chats.c.subscribed, chats.c.created_at >= week),
                        sa.func.count().filter(chats.c.subscribed, chats.c.created_at >= month),
                    )
                )
            ).one()
            by_topic = {
                r[0]: int(r[1])
                for r in await conn.execute(
                    sa.select(chats.c.topics, sa.func.count()).where(live).group_by(chats.c.topics)
                )
            }
            kind = sa.case(
                (chats.c.type.in_((ChatType.GROUP, ChatType.SUPERGROUP)), ChatType.GROUP.value),
                else_=chats.c.type,
            ).label("kind")
            by_type = {
                r[0]: int(r[1])
                for r in await conn.execute(sa.select(kind, sa.func.count()).where(live).group_by(kind))
            }
            by_platform = {
                r[0]: int(r[1])
                for r in await conn.execute(
                    sa.select(chats.c.platform, sa.func.count()).where(live).group_by(chats.c.platform)
                )
            }
            sent_day, sent_week, failed_day, failed_week, queue = (
                await conn.execute(
                    sa.select(
                        sa.func.count().filter(sent, deliveries.c.sent_at >= day),
                        sa.func.count().filter(sent, deliveries.c.sent_at >= week),
                        sa.func.count().filter(failed, deliveries.c.due_at >= day),
                        sa.func.count().filter(failed, deliveries.c.due_at >= week),
                        sa.func.count().filter(deliveries.c.status.in_(OPEN_DELIVERY)),
                    )
                )
            ).one()
        return SubscriberStats(
            active=int(active),
            blocked=int(blocked),
            unsubscribed=int(unsubscribed),
            by_topic=by_topic,
            by_type=by_type,
            new_week=int(new_week),
            new_month=int(new_month),
            sent_day=int(sent_day),
            sent_week=int(sent_week),
            failed_day=int(failed_day),
            failed_week=int(failed_week),
            queue=int(queue),
            by_platform=by_platform,
        )

    def _local_day(self, column: Any, offset_seconds: int) -> sa.ColumnElement[str]:
        """The local calendar day (YYYY-MM-DD) of a UTC timestamp column, for a fixed UTC offset."""
        if self.is_postgres:
            shifted = sa.func.timezone("UTC", column) + sa.literal(
                timedelta(seconds=offset_seconds), sa.Interval()
            )
            return sa.func.to_char(shifted, "YYYY-MM-DD")
        return sa.func.strftime("%Y-%m-%d", column, f"{offset_seconds:+d} seconds")

    async def daily_series(self, now: datetime, days: int, offset_seconds: int) -> DailySeries:
        """Per local day over the last `days` days: subscribers (chats subscribed now, by the day they
        joined: there is no history table) and messages sent."""
        local_today = (now + timedelta(seconds=offset_seconds)).date()
        labels = [(local_today - timedelta(days=days - 1 - i)).isoformat() for i in range(days)]
        since = now - timedelta(days=days + 1)
        sub_day = self._local_day(chats.c.created_at, offset_seconds)
        sent_day = self._local_day(deliveries.c.sent_at, offset_seconds)
        async with self.engine.connect() as conn:
            joined = {
                r[0]: int(r[1])
                for r in await conn.execute(
                    sa.select(sub_day, sa.func.count())
                    .where(chats.c.subscribed, chats.c.created_at >= since)
                    .group_by(sub_day)
                )
            }
            before = (
                await conn.execute(
                    sa.select(sa.func.count()).where(chats.c.subscribed, chats.c.created_at < since)
                )
            ).scalar_one()
            sent = {
                r[0]: int(r[1])
                for r in await conn.execute(
                    sa.select(sent_day, sa.func.count())
                    .where(deliveries.c.status == DeliveryStatus.SENT, deliveries.c.sent_at >= since)
                    .group_by(sent_day)
                )
            }
        running = int(before) + sum(n for d, n in joined.items() if d < labels[0])
        subscribers = []
        for label in labels:
            running += joined.get(label, 0)
            subscribers.append(running)
        return DailySeries(labels, subscribers, [sent.get(label, 0) for label in labels])
