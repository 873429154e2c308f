"""Feeds: the configured and admin-added feeds, their poll state and health alerts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from bot.domain.statuses import DeliveryStatus, FeedOrigin
from bot.settings import FeedConfig
from bot.store.base import Family, ensure_chat, feed_record, poll_update, write_audit
from bot.store.records import Added, FeedEntry, FeedRecord, PollOutcome
from bot.store.schema import deliveries, feeds


def _entry(row: Any) -> FeedEntry:
    return FeedEntry(
        row.id, row.configured_url, row.name, row.title, row.interval_seconds, row.origin, row.paused
    )


class Feeds(Family):
    """The feeds: synchronised with the settings, managed from the chat, their poll state."""

    async def sync_feeds(self, configured: Sequence[FeedConfig], default_interval: int) -> list[FeedRecord]:
        """Make the feeds table match the settings: add new feeds, update names and intervals,
        disable feeds no longer configured (their articles stay in the archive). What admins changed from
        the chat wins: their name and interval, a feed they removed, the feeds they added."""
        async with self.engine.begin() as conn:
            existing = {r.configured_url: r for r in (await conn.execute(sa.select(feeds))).all()}
            wanted = {f.url for f in configured}
            for cfg in configured:
                interval = cfg.interval_seconds or default_interval
                row = existing.get(cfg.url)
                if row is not None:
                    await conn.execute(
                        feeds.update()
                        .where(feeds.c.configured_url == cfg.url)
                        .values(
                            name=row.admin_name or cfg.name,
                            interval_seconds=row.admin_interval or interval,
                            enabled=not row.removed,
                        )
                    )
                else:
                    await conn.execute(
                        feeds.insert().values(
                            configured_url=cfg.url, url=cfg.url, name=cfg.name, interval_seconds=interval
                        )
                    )
            gone = [
                url for url, row in existing.items() if url not in wanted and row.origin == FeedOrigin.CONFIG
            ]
            if gone:
                await conn.execute(
                    feeds.update().where(feeds.c.configured_url.in_(gone)).values(enabled=False)
                )
            rows = (await conn.execute(sa.select(feeds).where(feeds.c.enabled).order_by(feeds.c.id))).all()
        return [feed_record(r) for r in rows]

    async def list_feeds(self) -> list[FeedRecord]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(feeds).where(feeds.c.enabled).order_by(feeds.c.id))).all()
        return [feed_record(r) for r in rows]

    async def get_feed(self, feed_id: int) -> FeedRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(feeds).where(feeds.c.id == feed_id))).first()
        return feed_record(row) if row else None

    async def due_feeds(self, now: datetime) -> list[FeedRecord]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(feeds)
                    .where(
                        feeds.c.enabled,
                        ~feeds.c.paused,
                        sa.or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now),
                    )
                    .order_by(feeds.c.next_poll_at, feeds.c.id)
                )
            ).all()
        return [feed_record(r) for r in rows]

    async def record_poll(self, outcome: PollOutcome) -> None:
        """A poll that found nothing new (unchanged, or an error): update the feed's state only."""
        async with self.engine.begin() as conn:
            await conn.execute(poll_update(outcome))

    async def active_feeds(self) -> list[FeedEntry]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(feeds).where(feeds.c.enabled).order_by(feeds.c.id))).all()
        return [_entry(r) for r in rows]

    async def add_feed(
        self, admin_id: int, url: str, name: str | None, interval: int, now: datetime
    ) -> tuple[Added, int]:
        """A feed from the chat (by its URL as given); one removed before comes back as it was."""
        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(feeds).where(feeds.c.configured_url == url))).first()
            if row is not None and row.enabled:
                return Added.PRESENT, int(row.id)
            if row is not None:
                await conn.execute(
                    feeds.update()
                    .where(feeds.c.id == row.id)
                    .values(enabled=True, removed=False, paused=False, next_poll_at=None)
                )
                feed_id, result = int(row.id), Added.RESTORED
            else:
                inserted = await conn.execute(
                    feeds.insert()
                    .values(
                        configured_url=url,
                        url=url,
                        name=name,
                        admin_name=name,
                        interval_seconds=interval,
                        origin=FeedOrigin.ADMIN,
                    )
                    .returning(feeds.c.id)
                )
                feed_id, result = int(inserted.scalar_one()), Added.ADDED
            await write_audit(conn, admin_id, "addfeed", url, now)
        return result, feed_id

    async def change_feed(
        self, admin_id: int, feed_id: int, action: str, now: datetime, **values: Any
    ) -> bool:
        """Pause, resume, rename, re-time or remove a feed that is there; False when it is not."""
        columns = dict(values)
        if "admin_name" in columns:
            columns["name"] = columns["admin_name"]
        if "admin_interval" in columns:
            columns["interval_seconds"] = columns["admin_interval"]
            columns["next_poll_at"] = None  # the new interval from now on
        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(feeds).where(feeds.c.id == feed_id, feeds.c.enabled))).first()
            if row is None:
                return False
            await conn.execute(feeds.update().where(feeds.c.id == feed_id).values(**columns))
            await write_audit(conn, admin_id, action, str(row.configured_url), now)
        return True

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
                await ensure_chat(conn, admin_id, now)
                await conn.execute(
                    deliveries.insert().values(
                        chat_id=admin_id,
                        payload={"text": text},
                        status=DeliveryStatus.PENDING,
                        due_at=now,
                        created_at=now,
                    )
                )
            return True
