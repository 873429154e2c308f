"""Pacing: evenly spaced sends under the overall cap, one message a second per private chat, N a minute
per group or channel, and a shared pause after a 429. Evenly spaced, not bursty: a leaky bucket that
lets a second's worth through at once draws 429s from Telegram (see the notes on AIORateLimiter).

Slots follow an ideal timeline (slot k at start + k × spacing), so a small delay between two sends (the
event loop busy with a claim or a reply) is made up instead of lowering the rate. Catching up is
bounded: a slot is never used more than one spacing after its time — also not by a caller that slept
until it and woke late (a stalled loop wakes every sleeper at once: each of them takes a fresh slot
instead of all sending together) — so at most two sends share one spacing, and in any one-second window
at most cap + 1 sends leave. Missed slots are lost, never made up in a burst. After a longer idle time
the timeline restarts.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bot.domain.statuses import ChatType

CHAT_MARGIN = 0.05  # seconds added to per-chat intervals: network jitter must not make two sends look closer


Reserve = Callable[[int, float], Awaitable[float]]


class Pacer:
    """One process's pacing. With `reserve` (several processes on PostgreSQL) the overall slots come from
    a timeline shared by every process: blocks of a few consecutive slots are reserved at once, and a
    reserved slot that can no longer be used on time is skipped rather than sent late (never bunched)."""

    def __init__(
        self,
        rate_per_second: float,
        *,
        private_interval: float = 1.0,
        group_per_minute: float = 20.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        reserve: Reserve | None = None,
        share_pause: Callable[[float], Coroutine[Any, Any, None]] | None = None,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.spacing = 1.0 / rate_per_second
        self._reserve = reserve
        self._share_pause = share_pause
        self._wall = wall
        self.block_size = max(1, min(50, int(rate_per_second * 0.1)))
        self._block: deque[float] = deque()
        self._pause_tasks: set[asyncio.Task[None]] = set()
        self.private_interval = private_interval + (CHAT_MARGIN if private_interval > 0 else 0.0)
        self.group_interval = 60.0 / group_per_minute + CHAT_MARGIN
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._resume_at = 0.0
        self._last: dict[int, float] = {}

    def _interval(self, chat_type: str) -> float:
        return self.private_interval if chat_type == ChatType.PRIVATE else self.group_interval

    def chat_wait(self, chat_id: int, chat_type: str) -> float:
        """Seconds until this chat may receive another message (0 when it may now)."""
        last = self._last.get(chat_id)
        if last is None:
            return 0.0
        return max(0.0, last + self._interval(chat_type) - self._monotonic())

    async def slot(self) -> None:
        """Wait for the next overall send slot. Slots are reserved in call order on an ideal timeline;
        a pause (429) that arrives while waiting moves the slot behind the pause."""
        if self._reserve is not None:
            await self._shared_slot(self._reserve)
            return
        while True:
            now = self._monotonic()
            # late by less than a slot (a claim, a busy loop): keep the timeline; idle longer: restart it
            at = self._next if self._next >= now - self.spacing else now
            at = max(at, self._resume_at)
            self._next = at + self.spacing
            if at <= now:
                return
            await self._sleep(at - now)
            if self._usable(at):
                return

    def _usable(self, at: float) -> bool:
        """After sleeping until slot `at`: still on time (woke at most one spacing late) and not paused."""
        now = self._monotonic()
        return now >= self._resume_at and now - at <= self.spacing

    async def _shared_slot(self, reserve: Reserve) -> None:
        while True:
            if not self._block:
                start = await reserve(self.block_size, self.spacing)  # Unix time of the first slot
                base = start + (self._monotonic() - self._wall())
                self._block.extend(base + i * self.spacing for i in range(self.block_size))
            at = self._block.popleft()
            now = self._monotonic()
            if at < now - self.spacing or at < self._resume_at:
                continue  # too late to use on time, or inside a pause: skip it, never send it late
            if at > now:
                await self._sleep(at - now)
                if not self._usable(at):
                    continue  # paused meanwhile, or woke too late: the next slot, not a late burst
            return

    def sent(self, chat_id: int) -> None:
        now = self._monotonic()
        self._last[chat_id] = now
        if len(self._last) > 50_000:  # forget chats whose interval has long passed
            horizon = now - max(self.private_interval, self.group_interval)
            self._last = {c: t for c, t in self._last.items() if t > horizon}

    def pause(self, seconds: float) -> None:
        """Telegram said 429: no slot is handed out for `seconds`, and the timeline restarts after it."""
        resume = self._monotonic() + seconds
        if resume > self._resume_at:
            self._resume_at = resume
        if self._share_pause is not None:  # every process waits, not only this one
            self._block.clear()
            task = asyncio.get_running_loop().create_task(self._share_pause(seconds))
            self._pause_tasks.add(task)
            task.add_done_callback(self._pause_tasks.discard)
            self._next = max(self._next, resume)

    @property
    def paused_for(self) -> float:
        return max(0.0, self._resume_at - self._monotonic())

    def take(self, chat_id: int | None = None) -> None:
        """Something else (a reply to a command) is sent now, without waiting: it uses up the next
        overall slot, and the chat's interval starts again."""
        now = self._monotonic()
        self._next = max(self._next, now) + self.spacing
        if chat_id is not None:
            self._last[chat_id] = now

    def forget(self, chat_id: int) -> None:
        self._last.pop(chat_id, None)
