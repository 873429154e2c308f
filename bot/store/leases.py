"""Leases: who polls a feed, who leads, which processes are alive, the shared send timeline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bot.domain.statuses import DeliveryStatus
from bot.store.base import Family, feed_record, insert_ignore, upsert
from bot.store.records import FeedRecord
from bot.store.schema import deliveries, feeds, leader, processes


class Leases(Family):
    """Who holds what among processes: feed polls, leadership, heartbeats, the send timeline."""

    async def acquire_feed_lease(
        self, feed_id: int, owner: str, now: datetime, ttl: float
    ) -> FeedRecord | None:
        """At most one process polls a feed at a time; a crashed owner's lease runs out. Returns the feed's
        current state when the lease is ours, None when another process holds it."""
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(
                    feeds.update()
                    .where(
                        feeds.c.id == feed_id,
                        sa.or_(
                            feeds.c.lease_owner.is_(None),
                            feeds.c.lease_owner == owner,
                            feeds.c.lease_until < now,
                        ),
                    )
                    .values(lease_owner=owner, lease_until=now + timedelta(seconds=ttl))
                    .returning(*feeds.c)
                )
            ).first()
            return feed_record(row) if row else None

    async def release_feed_lease(self, feed_id: int, owner: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                feeds.update()
                .where(feeds.c.id == feed_id, feeds.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )

    async def try_lead(self, name: str, owner: str, now: datetime, ttl: float) -> bool:
        """Take or renew the named leadership for `ttl` seconds; False while another live process has it."""
        until = now + timedelta(seconds=ttl)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                leader.update()
                .where(leader.c.name == name, sa.or_(leader.c.owner == owner, leader.c.until < now))
                .values(owner=owner, until=until)
            )
            if result.rowcount:
                return True
            exists = (await conn.execute(sa.select(leader.c.owner).where(leader.c.name == name))).first()
            if exists:
                return False
            await conn.execute(
                insert_ignore(self.is_postgres, leader).values(name=name, owner=owner, until=until)
            )
            row = (await conn.execute(sa.select(leader.c.owner).where(leader.c.name == name))).first()
            return bool(row and row.owner == owner)

    async def resign(self, name: str, owner: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(leader.delete().where(leader.c.name == name, leader.c.owner == owner))

    async def heartbeat(self, owner: str, now: datetime) -> None:
        """This process is alive (and the database can be written). PostgreSQL: the database's clock, the
        one all processes share."""
        beat: Any = sa.func.clock_timestamp() if self.is_postgres else now
        stmt = upsert(
            self.is_postgres,
            processes,
            {"owner": owner, "started_at": beat, "heartbeat_at": beat},
            [processes.c.owner],
            {"heartbeat_at": beat},
        )
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def release_dead(self, owner: str, stale_seconds: float) -> dict[str, int]:
        """Processes other than `owner` whose heartbeat is older than `stale_seconds` are dead: their claimed
        deliveries go back to the queue, their feed leases and update lease are freed, and they are
        forgotten. PostgreSQL only (one process per SQLite file)."""
        if not self.is_postgres:
            return {}
        stale = sa.func.clock_timestamp() - sa.func.make_interval(0, 0, 0, 0, 0, 0, float(stale_seconds))
        async with self.engine.begin() as conn:
            dead = [
                r.owner
                for r in await conn.execute(
                    sa.select(processes.c.owner)
                    .where(processes.c.heartbeat_at < stale, processes.c.owner != owner)
                    .with_for_update(skip_locked=True)
                )
            ]
            if not dead:
                return {}
            claims = await conn.execute(
                deliveries.update()
                .where(deliveries.c.status == DeliveryStatus.SENDING, deliveries.c.lease_owner.in_(dead))
                .values(status=DeliveryStatus.PENDING, lease_owner=None, lease_until=None)
            )
            leases = await conn.execute(
                feeds.update().where(feeds.c.lease_owner.in_(dead)).values(lease_owner=None, lease_until=None)
            )
            await conn.execute(leader.delete().where(leader.c.owner.in_(dead)))
            await conn.execute(processes.delete().where(processes.c.owner.in_(dead)))
        return {"deliveries": int(claims.rowcount or 0), "feed_leases": int(leases.rowcount or 0)}

    async def release_own(self, owner: str) -> dict[str, int]:
        """At start: what a process of this name held when it last died goes back at once."""
        async with self.engine.begin() as conn:
            claims = await conn.execute(
                deliveries.update()
                .where(deliveries.c.status == DeliveryStatus.SENDING, deliveries.c.lease_owner == owner)
                .values(status=DeliveryStatus.PENDING, lease_owner=None, lease_until=None)
            )
            leases = await conn.execute(
                feeds.update().where(feeds.c.lease_owner == owner).values(lease_owner=None, lease_until=None)
            )
        return {"deliveries": int(claims.rowcount or 0), "feed_leases": int(leases.rowcount or 0)}

    async def forget_process(self, owner: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(processes.delete().where(processes.c.owner == owner))

    async def reserve_send_slots(self, count: int, spacing: float) -> float:
        """Reserve `count` evenly spaced send slots on the bot-wide timeline (PostgreSQL, several processes).
        Returns the first slot as a Unix time; slots follow every `spacing` seconds. The database's clock is
        the one clock all processes share."""
        span = count * spacing
        query = sa.text(
            "INSERT INTO send_pacing (name, next_slot)"
            " VALUES ('global', clock_timestamp() + make_interval(secs => :span))"
            " ON CONFLICT (name) DO UPDATE SET next_slot ="
            " GREATEST(send_pacing.next_slot, clock_timestamp()) + make_interval(secs => :span)"
            " RETURNING extract(epoch FROM next_slot) - :span"
        )
        async with self.engine.begin() as conn:
            return float((await conn.execute(query, {"span": span})).scalar_one())

    async def pause_send_slots(self, seconds: float) -> None:
        """Telegram said 429: no process gets a slot for `seconds`."""
        query = sa.text(
            "INSERT INTO send_pacing (name, next_slot)"
            " VALUES ('global', clock_timestamp() + make_interval(secs => :s))"
            " ON CONFLICT (name) DO UPDATE SET next_slot ="
            " GREATEST(send_pacing.next_slot, clock_timestamp() + make_interval(secs => :s))"
        )
        async with self.engine.begin() as conn:
            await conn.execute(query, {"s": seconds})
