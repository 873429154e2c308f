"""The pacer on a clock of its own: evenly spaced slots, bounded catch-up, per-chat intervals, pauses."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Coroutine
from typing import Any

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


# ---- replies to commands --------------------------------------------------------------------------


async def test_a_reply_that_meets_429_waits_retry_after_and_is_sent_again() -> None:
    from telegram.error import RetryAfter

    from bot.delivery.replies import ReplyPacing

    clock = Clock()
    limiter = ReplyPacing(pacer(clock), sleep=clock.sleep)
    answers: list[float] = []

    async def send(**_: object) -> dict[str, object]:
        answers.append(clock.now)
        if len(answers) < 3:
            raise RetryAfter(2)
        return {"message_id": 7}

    result = await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert result == {"message_id": 7}
    assert len(answers) == 3 and answers[1] - answers[0] >= 2.0 and answers[2] - answers[1] >= 2.0


async def test_a_reply_gives_up_after_its_attempts_and_says_so() -> None:
    from telegram.error import RetryAfter

    from bot.delivery.replies import ReplyPacing

    clock = Clock()
    failed: list[int] = []
    limiter = ReplyPacing(pacer(clock), sleep=clock.sleep, attempts=3, on_failed=lambda: failed.append(1))
    calls = 0

    async def send(**_: object) -> bool:
        nonlocal calls
        calls += 1
        raise RetryAfter(1)

    with pytest.raises(RetryAfter):
        await limiter.process_request(send, (), {}, "sendMessage", {"chat_id": 5}, None)
    assert calls == 3 and failed == [1]


async def test_replies_to_one_chat_keep_their_order_and_its_interval() -> None:
    import asyncio

    from bot.delivery.replies import ReplyPacing

    clock = Clock()
    limiter = ReplyPacing(pacer(clock, rate=100), sleep=clock.sleep)
    sent: list[tuple[int, str, float]] = []

    def sender(chat: int, text: str) -> Callable[..., Coroutine[Any, Any, bool]]:
        async def send(**_: object) -> bool:
            sent.append((chat, text, clock.now))
            await asyncio.sleep(0)
            return True

        return send

    await asyncio.gather(
        *(
            limiter.process_request(sender(c, f"{c}-{n}"), (), {}, "sendMessage", {"chat_id": c}, None)
            for n in range(3)
            for c in (1, 2)
        )
    )
    for chat in (1, 2):
        mine = [(text, at) for c, text, at in sent if c == chat]
        assert [text for text, _ in mine] == [f"{chat}-0", f"{chat}-1", f"{chat}-2"]
        assert all(b - a >= 1.0 for (_, a), (_, b) in itertools.pairwise(mine))


# ---- a stalled event loop -------------------------------------------------------------------------


class StallingClock:
    """Time moves only when the test says so; sleepers wake together when it jumps (a stalled loop)."""

    def __init__(self) -> None:
        self.now = 100.0
        self._sleepers: list[tuple[float, Any]] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        import asyncio

        woken = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, woken))
        await woken

    async def jump(self, to: float) -> None:
        import asyncio

        self.now = to
        for entry in list(self._sleepers):
            if entry[0] <= to + 1e-9:
                self._sleepers.remove(entry)
                entry[1].set_result(None)
        for _ in range(50):  # let every woken caller run
            await asyncio.sleep(0)


async def _stalled_run(clock: StallingClock, p: Pacer) -> list[float]:
    """Six callers wait for a slot; the loop stalls 0.45 s, then time runs on in small steps."""
    import asyncio

    sent: list[float] = []

    async def caller() -> None:
        await p.slot()
        sent.append(clock.now)

    tasks = [asyncio.create_task(caller()) for _ in range(6)]
    for _ in range(50):
        await asyncio.sleep(0)
    await clock.jump(100.45)  # nobody woke on time: every sleeper is due at once
    t = 100.45
    while not all(task.done() for task in tasks):
        t += 0.01
        await clock.jump(t)
        assert t < 110, "a caller never got its slot"
    return sent


def _busiest(times: list[float], window: float) -> int:
    return max(sum(1 for t in times if start <= t < start + window - 1e-9) for start in times)


async def test_sleepers_woken_late_by_a_stalled_loop_do_not_send_together() -> None:
    clock = StallingClock()
    p = Pacer(10, monotonic=clock.monotonic, sleep=clock.sleep)
    sent = await _stalled_run(clock, p)
    assert len(sent) == 6
    # the missed slots are not made up at once: never more than two sends within one spacing
    assert _busiest(sent, 0.1) <= 2, sent
    assert _busiest(sent, 1.0) <= 10 + 1


async def test_sleepers_woken_late_on_the_shared_timeline_do_not_send_together() -> None:
    clock = StallingClock()
    timeline = {"next": 0.0}

    async def reserve(count: int, spacing: float) -> float:  # the database's row, on the same clock
        start = max(timeline["next"], clock.now)
        timeline["next"] = start + count * spacing
        return start

    p = Pacer(10, monotonic=clock.monotonic, sleep=clock.sleep, reserve=reserve, wall=clock.monotonic)
    sent = await _stalled_run(clock, p)
    assert len(sent) == 6
    assert _busiest(sent, 0.1) <= 2, sent
    assert _busiest(sent, 1.0) <= 10 + 1


# ---- stopping with updates in hand ----------------------------------------------------------------


async def test_a_stop_gives_updates_in_hand_a_grace_then_cancels_the_rest() -> None:
    import asyncio
    import time

    from bot.delivery.replies import FairUpdates

    cancelled: list[int] = []
    fair = FairUpdates(workers=2, on_cancelled=lambda: cancelled.append(1))
    await fair.initialize()
    answered: list[str] = []

    async def quick() -> None:
        await asyncio.sleep(0.05)
        answered.append("quick")

    async def stuck() -> None:  # a reply waiting out a long 429 pause
        await asyncio.sleep(3600)
        answered.append("stuck")

    async def waiting() -> None:  # its turn never comes before the stop
        answered.append("waiting")

    tasks = [
        asyncio.create_task(fair.process_update(None, quick())),
        asyncio.create_task(fair.process_update(None, stuck())),
        asyncio.create_task(fair.process_update(None, stuck())),
        asyncio.create_task(fair.process_update(None, waiting())),
    ]
    await asyncio.sleep(0.01)
    began = time.monotonic()
    left = await fair.close(0.5)
    took = time.monotonic() - began
    assert answered == ["quick"]  # what could finish within the grace did
    assert left == 3 and took < 2.0  # the rest was cancelled, the stop did not wait for it
    await asyncio.wait_for(asyncio.gather(*tasks), 1.0)  # every update is done for the application
    await fair.process_update(None, waiting())  # after the stop: dropped, never run
    assert answered == ["quick"]
    assert fair.dropped == 4 and len(cancelled) == 4 and fair.pending == 0


async def test_once_stopping_a_reply_that_meets_429_is_not_sent_again() -> None:
    from telegram.error import RetryAfter

    from bot.delivery.replies import ReplyPacing

    clock = Clock()
    failed: list[int] = []
    limiter = ReplyPacing(pacer(clock), sleep=clock.sleep, on_failed=lambda: failed.append(1))
    limiter.close()
    calls = 0

    async def send(**_: object) -> bool:
        nonlocal calls
        calls += 1
        raise RetryAfter(30)

    began = clock.now
    with pytest.raises(RetryAfter):
        await limiter.process_request(send, (), {}, "editMessageText", {"chat_id": 5}, None)
    assert calls == 1 and failed == [1] and clock.now - began < 1.0
