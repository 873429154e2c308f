"""Outcome batches: written together, kept in order while the database is away."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.delivery.batching import FLUSH_MAX, OutcomeBatch
from bot.metrics import Metrics
from bot.store.records import Outcome

AT = datetime(2026, 3, 2, 5, 0, tzinfo=UTC)


class FlakyStore:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.written: list[list[int]] = []

    async def record_outcomes(self, outcomes: Sequence[Outcome], owner: str | None = None) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database away")
        self.written.append([o.delivery_id for o in outcomes])


def batch_for(store: FlakyStore, woken: list[int]) -> OutcomeBatch:
    return OutcomeBatch(store, "unit", Metrics(), on_written=lambda: woken.append(1))


async def test_outcomes_are_written_together_and_the_sender_is_woken() -> None:
    store = FlakyStore(0)
    woken: list[int] = []
    batch = batch_for(store, woken)
    for n in (1, 2, 3):
        batch.add(Outcome(n, "sent", AT))
    assert await batch.flush()
    assert store.written == [[1, 2, 3]] and woken == [1] and len(batch) == 0


async def test_outcomes_wait_in_order_while_the_database_is_away() -> None:
    store = FlakyStore(2)
    woken: list[int] = []
    batch = batch_for(store, woken)
    batch.add(Outcome(1, "sent", AT))
    assert not await batch.flush()
    batch.add(Outcome(2, "failed", AT))
    assert not await batch.flush()
    assert store.written == [] and len(batch) == 2 and woken == []
    assert await batch.flush()
    assert store.written == [[1, 2]] and batch.failures == 0


async def test_a_full_batch_asks_to_be_written_at_once() -> None:
    batch = batch_for(FlakyStore(0), [])
    extra: dict[str, Any] = {"count_attempt": False}
    for n in range(FLUSH_MAX - 1):
        batch.add(Outcome(n, "pending", AT, **extra))
    assert not batch.full.is_set()
    batch.add(Outcome(FLUSH_MAX, "pending", AT, **extra))
    assert batch.full.is_set()
