"""The pacer on a clock of its own: evenly spaced slots, bounded catch-up, per-chat intervals, pauses."""

from __future__ import annotations

import itertools

import pytest

from bot.delivery.pacing import Pacer


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def pacer(clock: Clock, rate: float = 10.0) -> Pacer:
    return Pacer(
        rate, private_interval=1.0, group_per_minute=20, monotonic=clock.monotonic, sleep=clock.sleep
    )


async def test_slots_are_evenly_spaced_at_the_rate() -> None:
    clock = Clock()
    p = pacer(clock, rate=10)
    times = []
    for _ in range(21):
        await p.slot()
        times.append(clock.now)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps == pytest.approx([0.1] * 20)
    assert sum(1 for t in times if t < times[0] + 1.0 - 1e-9) == 10  # never more than the rate in a second


async def test_a_short_delay_is_caught_up_but_never_bunched() -> None:
    clock = Clock()
    p = pacer(clock, rate=10)
    await p.slot()
    start = clock.now
    clock.now += 0.05  # the loop was busy for half a slot
    await p.slot()
    assert clock.now == pytest.approx(start + 0.1)  # the timeline holds: this slot was not lost
    clock.now += 5.0  # idle for long: the timeline restarts instead of firing a burst
    before = clock.now
    await p.slot()
    await p.slot()
    assert clock.now - before == pytest.approx(0.1)


async def test_a_pause_holds_every_slot() -> None:
    clock = Clock()
    p = pacer(clock)
    await p.slot()
    p.pause(3.0)
    paused_at = clock.now
    await p.slot()
    assert clock.now >= paused_at + 3.0


def test_private_chats_wait_a_second_groups_three() -> None:
    clock = Clock()
    p = pacer(clock)
    p.sent(1)
    p.sent(-100)
    assert p.chat_wait(1, "private") == pytest.approx(1.05)  # one second plus the safety margin
    assert p.chat_wait(-100, "supergroup") == pytest.approx(3.05)  # 20 a minute
    clock.now += 1.1
    assert p.chat_wait(1, "private") == 0 and p.chat_wait(-100, "supergroup") > 0
    assert p.chat_wait(2, "private") == 0  # a chat never sent to waits for nothing


async def test_shared_timeline_skips_slots_it_can_no_longer_use_on_time() -> None:
    clock = Clock()
    reserved: list[tuple[int, float]] = []

    async def reserve(count: int, spacing: float) -> float:
        reserved.append((count, spacing))
        return 1_000_000.0  # Unix time of the block's first slot, given by the database

    p = Pacer(
        10, monotonic=clock.monotonic, sleep=clock.sleep, reserve=reserve, wall=lambda: 1_000_000.0 - 0.35
    )
    # wall clock is 0.35 s before the block: the first three slots are ahead, wait for the first
    await p.slot()
    assert reserved == [(1, 0.1)] and clock.sleeps == [pytest.approx(0.35)]
