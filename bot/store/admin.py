"""Queries for the admin console (broadcasts, statistics, feed health, retractions, export, audit)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.progress import BroadcastCounts
from bot.store.records import BroadcastRecord
from bot.store.schema import articles, audit_log, broadcasts, chats, deliveries, feeds

AUDIENCES = ("all", "awards", "vi", "en")
OPEN_STATUSES = ("pending", "sending")
BLOCKED = "Forbidden%"  # a failed delivery whose error is Telegram's 403: the chat blocked or kicked the bot
EXPORT_COLUMNS = (
    "id",
    "type",
    "title",
    "username",
    "language",
    "subscribed",
    "active",
    "topics",
    "feed_ids",
    "categories",
    "mode",
    "digest_hour",
    "digest_weekday",
    "quiet_start",
    "quiet_end",
    "quiet_mode",
    "link_previews",
    "created_at",
)


@dataclass(frozen=True, slots=True)
class SubscriberStats:
    active: int
    blocked: int
    unsubscribed: int
    by_topic: dict[str, int]
    by_type: dict[str, int]  # private | group | channel (supergroups count as groups)
    new_week: int
    new_month: int
    sent_day: int
    sent_week: int
    failed_day: int
    failed_week: int
    queue: int


@dataclass(frozen=True, slots=True)
class DailySeries:
    days: list[str]  # YYYY-MM-DD, local, oldest first
    subscribers: list[int]  # chats subscribed now, counted from the day they joined
    deliveries: list[int]  # messages sent that day


@dataclass(frozen=True, slots=True)
class DeliveredMessage:
    delivery_id: int
    chat_id: int
    message_id: int
    language: str


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    admin_id: int
    action: str
    detail: str
    recipients: int | None


def audience_filter(audience: str) -> sa.ColumnElement[bool]:
    """The chats a broadcast goes to: subscribed, reachable, and of the chosen audience."""
    cond = sa.and_(chats.c.subscribed, chats.c.active)
    if audience == "awards":
        return sa.and_(cond, chats.c.topics == "awards")
    if audience in ("vi", "en"):
        return sa.and_(cond, chats.c.language == audience)
    return cond


def _broadcast(row: Any) -> BroadcastRecord:
    return BroadcastRecord(**{n: getattr(row, n) for n in BroadcastRecord.__dataclass_fields__})


class AdminQueries:
    engine: AsyncEngine
    is_postgres: bool

    # ---- broadcasts --------------------------------------------------------------------------

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
                    audience="all",
                    status="draft",
                    created_at=now,
                )
                .returning(broadcasts.c.id)
            )
            return int(result.scalar_one())

    async def get_broadcast(self, broadcast_id: int) -> BroadcastRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(broadcasts).where(broadcasts.c.id == broadcast_id))).first()
        return _broadcast(row) if row else None

    async def latest_broadcast(self, statuses: Sequence[str]) -> BroadcastRecord | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(broadcasts)
                    .where(broadcasts.c.status.in_(statuses))
                    .order_by(broadcasts.c.id.desc())
                    .limit(1)
                )
            ).first()
        return _broadcast(row) if row else None

    async def open_broadcasts(self, limit: int = 10) -> list[BroadcastRecord]:
        """Drafts and broadcasts being sent, newest first: what /cancel_broadcast may stop."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(broadcasts)
                    .where(broadcasts.c.status.in_(("draft", "sending")))
                    .order_by(broadcasts.c.id.desc())
                    .limit(limit)
                )
            ).all()
        return [_broadcast(r) for r in rows]

    async def audience_sizes(self) -> dict[str, int]:
        """How many chats each audience reaches now."""
        async with self.engine.connect() as conn:
            return {
                a: int(
                    (await conn.execute(sa.select(sa.func.count()).where(audience_filter(a)))).scalar_one()
                )
                for a in AUDIENCES
            }

    async def set_broadcast_audience(self, broadcast_id: int, audience: str) -> bool:
        if audience not in AUDIENCES:
            return False
        async with self.engine.begin() as conn:
            result = await conn.execute(
                broadcasts.update()
                .where(broadcasts.c.id == broadcast_id, broadcasts.c.status == "draft")
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
                .where(broadcasts.c.id == broadcast_id, broadcasts.c.status == "draft")
                .values(status="sending")
            )
            if not claimed.rowcount:
                return None
            audience = (
                await conn.execute(sa.select(broadcasts.c.audience).where(broadcasts.c.id == broadcast_id))
            ).scalar_one()
            at = sa.literal(now, type_=deliveries.c.due_at.type)
            select = sa.select(chats.c.id, sa.literal(broadcast_id), sa.literal("pending"), at, at).where(
                audience_filter(audience)
            )
            result = await conn.execute(
                deliveries.insert().from_select(
                    ["chat_id", "broadcast_id", "status", "due_at", "created_at"], select
                )
            )
            total = int(result.rowcount or 0)
            await conn.execute(broadcasts.update().where(broadcasts.c.id == broadcast_id).values(total=total))
            await self._audit(conn, admin_id, "broadcast", f"#{broadcast_id} → {audience}", now, total)
            return total

    async def cancel_broadcast(self, broadcast_id: int, admin_id: int, now: datetime) -> int | None:
        """Stop a draft or a broadcast being sent: what has not been sent is cancelled.
        Returns the number of deliveries cancelled, None when it was not a draft or sending."""
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(sa.select(broadcasts.c.status).where(broadcasts.c.id == broadcast_id))
            ).first()
            if row is None or row.status not in ("draft", "sending"):
                return None
            values: dict[str, Any] = {"status": "cancelled"}
            if row.status == "draft":
                values["finished_at"] = now  # nothing was sent: no report to wait for
            await conn.execute(
                broadcasts.update()
                .where(broadcasts.c.id == broadcast_id, broadcasts.c.status == row.status)
                .values(**values)
            )
            result = await conn.execute(
                deliveries.update()
                .where(deliveries.c.broadcast_id == broadcast_id, deliveries.c.status == "pending")
                .values(status="cancelled", error="broadcast cancelled")
            )
            stopped = int(result.rowcount or 0)
            action = "broadcast_cancel" if row.status == "sending" else "broadcast_discard"
            await self._audit(conn, admin_id, action, f"#{broadcast_id}", now, stopped)
            return stopped

    async def unfinished_broadcasts(self) -> list[BroadcastRecord]:
        """Broadcasts whose final report is still due: being sent, or cancelled with sends in flight."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(broadcasts)
                    .where(
                        broadcasts.c.status.in_(("sending", "cancelled")), broadcasts.c.finished_at.is_(None)
                    )
                    .order_by(broadcasts.c.id)
                )
            ).all()
        return [_broadcast(r) for r in rows]

    async def broadcast_counts(self, broadcast_id: int, now: datetime | None = None) -> BroadcastCounts:
        """Deliveries of a broadcast by outcome; with `now`, the pending ones due more than a minute
        later (held for their recipients' quiet hours) are also counted as scheduled."""
        blocked = sa.and_(deliveries.c.status == "failed", deliveries.c.error.like(BLOCKED))
        later: sa.ColumnElement[bool] = (
            sa.and_(deliveries.c.status == "pending", deliveries.c.due_at > now + timedelta(minutes=1))
            if now is not None
            else sa.false()
        )
        query = sa.select(
            sa.func.count().filter(deliveries.c.status == "sent"),
            sa.func.count().filter(deliveries.c.status == "failed", ~blocked),
            sa.func.count().filter(blocked),
            sa.func.count().filter(deliveries.c.status == "cancelled"),
            sa.func.count().filter(deliveries.c.status.in_(OPEN_STATUSES)),
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
            deliveries.c.broadcast_id == broadcast_id, deliveries.c.status.in_(OPEN_STATUSES)
        )
        async with self.engine.begin() as conn:
            result = await conn.execute(
                broadcasts.update()
                .where(
                    broadcasts.c.id == broadcast_id,
                    broadcasts.c.status.in_(("sending", "cancelled")),
                    broadcasts.c.finished_at.is_(None),
                    ~open_left,
                )
                .values(
                    status=sa.case((broadcasts.c.status == "sending", "done"), else_=broadcasts.c.status),
                    finished_at=now,
                )
            )
            return bool(result.rowcount)

    # ---- statistics --------------------------------------------------------------------------

    async def subscriber_stats(self, now: datetime) -> SubscriberStats:
        day, week, month = now - timedelta(days=1), now - timedelta(days=7), now - timedelta(days=30)
        live = sa.and_(chats.c.subscribed, chats.c.active)
        sent, failed = deliveries.c.status == "sent", deliveries.c.status == "failed"
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
            kind = sa.case((chats.c.type.in_(("group", "supergroup")), "group"), else_=chats.c.type).label(
                "kind"
            )
            by_type = {
                r[0]: int(r[1])
                for r in await conn.execute(sa.select(kind, sa.func.count()).where(live).group_by(kind))
            }
            sent_day, sent_week, failed_day, failed_week, queue = (
                await conn.execute(
                    sa.select(
                        sa.func.count().filter(sent, deliveries.c.sent_at >= day),
                        sa.func.count().filter(sent, deliveries.c.sent_at >= week),
                        sa.func.count().filter(failed, deliveries.c.due_at >= day),
                        sa.func.count().filter(failed, deliveries.c.due_at >= week),
                        sa.func.count().filter(deliveries.c.status.in_(OPEN_STATUSES)),
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
                    .where(deliveries.c.status == "sent", deliveries.c.sent_at >= since)
                    .group_by(sent_day)
                )
            }
        running = int(before) + sum(n for d, n in joined.items() if d < labels[0])
        subscribers = []
        for label in labels:
            running += joined.get(label, 0)
            subscribers.append(running)
        return DailySeries(labels, subscribers, [sent.get(label, 0) for label in labels])

    # ---- feed health -------------------------------------------------------------------------

    async def record_feed_alert(
        self,
        feed_id: int,
        old: str | None,
        new: str | None,
        messages: dict[int, str],
        now: datetime,
    ) -> bool:
        """Compare-and-set the feed's outstanding alert and queue the alert to each admin (HTML payload
        through the delivery engine), in one transaction: only one process alerts, and only once.
        `messages` maps admin user id (= their private chat) to the text."""
        previous = feeds.c.alerted.is_(None) if old is None else feeds.c.alerted == old
        async with self.engine.begin() as conn:
            result = await conn.execute(
                feeds.update().where(feeds.c.id == feed_id, previous).values(alerted=new)
            )
            if not result.rowcount:
                return False
            for admin_id, text in messages.items():
                await self._ensure_chat(conn, admin_id, now)
                await conn.execute(
                    deliveries.insert().values(
                        chat_id=admin_id, payload={"text": text}, status="pending", due_at=now, created_at=now
                    )
                )
            return True

    async def chat_languages(self, chat_ids: Sequence[int]) -> dict[int, str]:
        if not chat_ids:
            return {}
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(chats.c.id, chats.c.language).where(chats.c.id.in_(chat_ids)))
            return {r[0]: r[1] for r in rows}

    async def _ensure_chat(self, conn: AsyncConnection, chat_id: int, now: datetime) -> None:
        """An admin who never subscribed still needs a chats row to receive alerts (not news)."""
        exists = (await conn.execute(sa.select(chats.c.id).where(chats.c.id == chat_id))).first()
        if exists is None:
            await conn.execute(
                chats.insert().values(
                    id=chat_id, type="private", subscribed=False, active=True, created_at=now, updated_at=now
                )
            )

    # ---- corrections -------------------------------------------------------------------------

    async def find_article_id(self, ref: str) -> int | None:
        """An article by the site's own number (the 1234 of `news_1234` and `…-1234.html`), its link, its
        identity key, or the bot's own number."""
        ref = ref.strip()
        async with self.engine.connect() as conn:
            if ref.isdigit():
                on_site = sa.or_(
                    articles.c.key.like(f"%/{int(ref)}"), articles.c.link.like(f"%-{int(ref)}.html")
                )
                query = sa.select(articles.c.id).where(on_site).order_by(articles.c.id.desc()).limit(1)
                found = (await conn.execute(query)).scalar()
                if found is not None:
                    return int(found)
                cond = articles.c.id == int(ref)
            else:
                cond = sa.or_(articles.c.link == ref, articles.c.key == ref)
            return (await conn.execute(sa.select(articles.c.id).where(cond).limit(1))).scalar()

    async def retract_article(self, article_id: int) -> list[DeliveredMessage]:
        """Withdraw an article: it is marked retracted, what was not sent yet is cancelled, and the
        messages already delivered (their ids are stored) are returned, to be edited."""
        async with self.engine.begin() as conn:
            await conn.execute(
                articles.update().where(articles.c.id == article_id).values(status="retracted")
            )
            await conn.execute(
                deliveries.update()
                .where(deliveries.c.article_id == article_id, deliveries.c.status == "pending")
                .values(status="cancelled", error="article withdrawn")
            )
            rows = (
                await conn.execute(
                    sa.select(
                        deliveries.c.id, deliveries.c.chat_id, deliveries.c.message_id, chats.c.language
                    )
                    .join(chats, chats.c.id == deliveries.c.chat_id)
                    .where(
                        deliveries.c.article_id == article_id,
                        deliveries.c.status == "sent",
                        deliveries.c.message_id.is_not(None),
                    )
                    .order_by(deliveries.c.id)
                )
            ).all()
        return [DeliveredMessage(r.id, r.chat_id, r.message_id, r.language) for r in rows]

    async def requeue_article(self, article_id: int, now: datetime, *, status: str = "published") -> int:
        """/resend: the (corrected) article is published again and delivered once more to every chat that
        had it and still wants news, and to every chat that wants it and never had it."""
        from bot.store.store import wants_article  # the store module imports this mixin

        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(articles).where(articles.c.id == article_id))).first()
            if row is None:
                return 0
            await conn.execute(articles.update().where(articles.c.id == article_id).values(status=status))
            live = sa.select(chats.c.id).where(chats.c.subscribed, chats.c.active)
            again = await conn.execute(
                deliveries.update()
                .where(
                    deliveries.c.article_id == article_id,
                    deliveries.c.status.in_(("sent", "failed", "cancelled")),
                    deliveries.c.chat_id.in_(live),
                )
                .values(status="pending", attempts=0, due_at=now, error=None, lease_owner=None)
            )
            at = sa.literal(now, type_=deliveries.c.due_at.type)
            fresh = await conn.execute(
                deliveries.insert().from_select(
                    ["chat_id", "article_id", "status", "due_at", "created_at"],
                    sa.select(chats.c.id, sa.literal(article_id), sa.literal("pending"), at, at)
                    .where(wants_article(row.kind, row.feed_id, row.search_text, row.category))
                    .where(
                        ~sa.exists().where(
                            deliveries.c.chat_id == chats.c.id, deliveries.c.article_id == article_id
                        )
                    ),
                )
            )
            return int(again.rowcount or 0) + int(fresh.rowcount or 0)

    # ---- export and audit --------------------------------------------------------------------

    async def export_chats(self) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(*(chats.c[name] for name in EXPORT_COLUMNS)).order_by(
                        chats.c.created_at, chats.c.id
                    )
                )
            ).all()
        return [dict(r._mapping) for r in rows]

    async def record_action(
        self, admin_id: int, action: str, detail: str, now: datetime, recipients: int | None = None
    ) -> None:
        async with self.engine.begin() as conn:
            await self._audit(conn, admin_id, action, detail, now, recipients)

    async def _audit(
        self,
        conn: AsyncConnection,
        admin_id: int,
        action: str,
        detail: str,
        now: datetime,
        recipients: int | None,
    ) -> None:
        await conn.execute(
            audit_log.insert().values(
                at=now, admin_id=admin_id, action=action, detail=detail[:2000], recipients=recipients
            )
        )

    async def latest_audit(self, limit: int) -> list[AuditEntry]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc()).limit(limit)
                )
            ).all()
        return [AuditEntry(r.at, r.admin_id, r.action, r.detail, r.recipients) for r in rows]
