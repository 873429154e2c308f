"""The process heartbeat: this process says it is alive every second; a process silent for longer than
`STALE_SECONDS` is dead, and its claimed deliveries, feed leases and update lease go back at once (not
after `DELIVERY_LEASE_SECONDS`).

The same write is the health check's proof that the database (and its disk) can be written. A process
that has not written its heartbeat for half of `STALE_SECONDS` (a database outage, a stalled loop) no longer
sends what it claimed: another process may have taken it over, and a delivery must not go out twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.metrics import Metrics

log = logging.getLogger(__name__)


class ProcessLeases(Protocol):
    """What the heartbeat uses of the store: the processes table and what dead processes held."""

    async def heartbeat(self, owner: str, now: datetime) -> None: ...

    async def release_own(self, owner: str) -> dict[str, int]: ...

    async def release_dead(self, owner: str, stale_seconds: float) -> dict[str, int]: ...

    async def forget_process(self, owner: str) -> None: ...


HEARTBEAT_SECONDS = 1.0
STALE_SECONDS = 5.0  # another process silent this long is dead
WRITE_LOOP = "database_write"


class Heartbeat:
    def __init__(
        self,
        store: ProcessLeases,
        clock: Clock,
        owner: str,
        metrics: Metrics,
        *,
        interval: float = HEARTBEAT_SECONDS,
        stale: float = STALE_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.store = store
        self.clock = clock
        self.owner = owner
        self.metrics = metrics
        self.interval = interval
        self.stale = stale
        self._monotonic = monotonic
        self._last_ok: float | None = None
        self._task: asyncio.Task[None] | None = None
        self.failures = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> dict[str, int]:
        """The first beat (raises when the database cannot be written: start-up stops there), then what a
        process of the same name held when it died goes back, then a beat every `interval`."""
        await self.store.heartbeat(self.owner, self.clock.now())
        self._last_ok = self._monotonic()
        self.metrics.beat(WRITE_LOOP, self.stale)
        released = await self.store.release_own(self.owner)
        if any(released.values()):
            log.info("taking back what this process held when it last stopped: %s", released)
        self._task = asyncio.create_task(self._run(), name="heartbeat")
        return released

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        with contextlib.suppress(Exception):
            await self.store.forget_process(self.owner)
        self.metrics.forget_loop(WRITE_LOOP)

    def holds_claims(self) -> bool:
        """True while no other process can have judged this one dead (its last heartbeat is recent)."""
        if self._task is None:
            return True  # not started (a sender used on its own): leases alone protect the claims
        return self._last_ok is not None and self._monotonic() - self._last_ok < self.stale / 2

    async def beat(self) -> None:
        """One heartbeat and one look for dead processes; failures are counted and logged, never raised."""
        try:
            await asyncio.wait_for(self.store.heartbeat(self.owner, self.clock.now()), self.stale)
            self._last_ok = self._monotonic()
            self.metrics.beat(WRITE_LOOP, self.stale)
            if self.failures:
                log.info("the database can be written again (after %d failed heartbeats)", self.failures)
            self.failures = 0
            released = await asyncio.wait_for(self.store.release_dead(self.owner, self.stale), self.stale)
            if any(released.values()):
                log.info("a process stopped answering; taking over what it held: %s", released)
        except Exception as exc:
            self.failures += 1
            if self.failures == 1 or self.failures % 30 == 0:
                log.warning("heartbeat failed (%d in a row): %s", self.failures, exc)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.beat()
