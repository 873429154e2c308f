"""Pacing: evenly spaced sends under the overall cap, one message a second per private chat, N a minute
per group or channel, and a shared pause after a 429. Evenly spaced, not bursty: a leaky bucket that
lets a second's worth through at once draws 429s from Telegram (see the notes on AIORateLimiter)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class Pacer:
    def __init__(
        self,
        rate_per_second: float,
        *,
        private_interval: float = 1.0,
        group_per_minute: float = 20.0,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.spacing = 1.0 / rate_per_second
        self.private_interval = private_interval
        self.group_interval = 60.0 / group_per_minute
        self._monotonic = monotonic
        self._sleep = sleep
        self._next = 0.0
        self._last: dict[int, float] = {}

    def _interval(self, chat_type: str) -> float:
        return self.private_interval if chat_type == "private" else self.group_interval

    def chat_wait(self, chat_id: int, chat_type: str) -> float:
        """Seconds until this chat may receive another message (0 when it may now)."""
        last = self._last.get(chat_id)
        if last is None:
            return 0.0
        return max(0.0, last + self._interval(chat_type) - self._monotonic())

    async def slot(self) -> None:
        """Wait for the next overall send slot. Slots are reserved in call order, never bunched."""
        now = self._monotonic()
        at = max(now, self._next)
        self._next = at + self.spacing
        if at > now:
            await self._sleep(at - now)

    def sent(self, chat_id: int) -> None:
        now = self._monotonic()
        self._last[chat_id] = now
        if len(self._last) > 50_000:  # forget chats whose interval has long passed
            horizon = now - max(self.private_interval, self.group_interval)
            self._last = {c: t for c, t in self._last.items() if t > horizon}

    def pause(self, seconds: float) -> None:
        """Telegram said 429: no slot is handed out for `seconds`."""
        self._next = max(self._next, self._monotonic() + seconds)

    def forget(self, chat_id: int) -> None:
        self._last.pop(chat_id, None)
