"""Feeds managed from the chat: added, removed, paused, renamed, re-timed by admins, each change kept over
the settings file's at the next start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.schema import audit_log, feeds


class Added(Enum):
    ADDED = "added"  # a new feed
    RESTORED = "restored"  # one removed before, back
    PRESENT = "present"  # already polled


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: int
    url: str
    name: str | None
    title: str | None
    interval_seconds: int
    origin: str
    paused: bool


def _entry(row: Any) -> FeedEntry:
    return FeedEntry(
        row.id, row.configured_url, row.name, row.title, row.interval_seconds, row.origin, row.paused
    )


class FeedAdminQueries:
    engine: AsyncEngine

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
                        origin="admin",
                    )
                    .returning(feeds.c.id)
                )
                feed_id, result = int(inserted.scalar_one()), Added.ADDED
            await conn.execute(
                audit_log.insert().values(admin_id=admin_id, action="addfeed", detail=url, at=now)
            )
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
            await conn.execute(
                audit_log.insert().values(
                    admin_id=admin_id, action=action, detail=str(row.configured_url), at=now
                )
            )
        return True
