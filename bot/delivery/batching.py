"""The sender's outcomes, written in small batches: at least every FLUSH_SECONDS while sending, and as
soon as FLUSH_MAX are waiting. When the database is away they wait (in order) and are written when it is
back, with a growing pause between attempts."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.domain.statuses import DeliveryStatus
from bot.metrics import Metrics
from bot.store.records import Outcome

log = logging.getLogger(__name__)


class OutcomeSink(Protocol):
    """Where outcomes are written: the outbox."""

    async def record_outcomes(self, outcomes: Sequence[Outcome], owner: str | None = None) -> None: ...


FLUSH_SECONDS = 0.05  # outcomes are written at least this often while sending
FLUSH_MAX = 32  # … and at once when this many are waiting


def describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


class OutcomeBatch:
    def __init__(
        self,
        store: OutcomeSink,
        owner: str,
        metrics: Metrics,
        *,
        on_written: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.owner = owner
        self.metrics = metrics
        self.on_written = on_written
        self.full = asyncio.Event()  # set when FLUSH_MAX are waiting
        self._waiting: list[Outcome] = []
        self.failures = 0

    def __len__(self) -> int:
        return len(self._waiting)

    def add(self, outcome: Outcome) -> None:
        self._waiting.append(outcome)
        if len(self._waiting) >= FLUSH_MAX:
            self.full.set()

    async def flush(self) -> bool:
        """Write what is waiting; False when the database refused (the outcomes wait for the next try)."""
        if not self._waiting:
            return True
        batch, self._waiting = self._waiting, []
        try:
            await self.store.record_outcomes(batch, owner=self.owner)
        except Exception as exc:
            self._waiting[:0] = batch
            self.failures += 1
            if self.failures == 1 or self.failures % 20 == 0:
                log.warning(
                    "recording %d outcomes failed (%d in a row): %s; will retry",
                    len(batch),
                    self.failures,
                    describe(exc),
                )
            await asyncio.sleep(min(2.0, FLUSH_SECONDS * 2 ** min(self.failures, 6)))
            return False
        if self.failures:
            log.info("outcomes recorded again after %d failed attempts", self.failures)
            self.failures = 0
        for outcome in batch:
            if outcome.count_attempt or outcome.status != DeliveryStatus.PENDING:
                self.metrics.deliveries.labels(
                    "retry" if outcome.status == DeliveryStatus.PENDING else outcome.status
                ).inc()
        self.on_written()  # a chat's next delivery may be claimable now
        return True
