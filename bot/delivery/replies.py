"""Replies to commands: paced with the fan-out, retried after a 429, in order per chat, fair among chats.

Two pieces, both installed once on the Application (handlers stay unaware of them):

``ReplyPacing`` (python-telegram-bot's rate-limiter seam) — every send, edit or copy a handler makes waits
for the next overall slot of the sender's pacer, so replies and the fan-out share one cap (on PostgreSQL the
timeline shared by every process), and a send waits for its chat's interval (one message a second in a
private chat, `GROUP_MESSAGES_PER_MINUTE` in a group). A 429 pauses every send for `retry_after` and the
reply is sent again afterwards (at most `REPLY_ATTEMPTS` times and `REPLY_PATIENCE_SECONDS` in all); a
reply that finally fails is logged with its chat. Replies to one chat leave in the order they were made.

``FairUpdates`` (the update-processor seam) — one update per chat at a time, at most `workers` chats at
once. A chat that floods the bot queues behind itself: its commands are answered one after another at its
chat's pace, while every other chat's command takes the next free worker.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter, BaseUpdateProcessor

from bot.delivery.pacing import Pacer
from bot.delivery.transport import NotSent
from bot.domain.statuses import ChatType

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]

REPLY_ATTEMPTS = 6  # sends of one reply at most (the first and five after a 429 or a connection failure)
REPLY_PATIENCE_SECONDS = 300.0  # … and at most this long waiting for Telegram in all
NETWORK_RETRY_SECONDS = 1.0  # first wait after a connection that failed before the request left
SENDS = ("send", "copyMessage", "forwardMessage")  # what counts against a chat's own limit
PACED = (*SENDS, "editMessage")  # what takes an overall slot


def _retry_after(exc: RetryAfter) -> float:
    value: Any = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _not_sent(exc: NetworkError) -> bool:
    """A connection that failed before the request left: safe to send again (no duplicate possible)."""
    if isinstance(exc, BadRequest | Forbidden):
        return False
    cause = exc.__cause__
    if isinstance(exc, TimedOut):
        return isinstance(cause, NotSent | httpx.ConnectTimeout | httpx.PoolTimeout)
    return isinstance(cause, NotSent | httpx.ConnectError)


class _ChatLocks:
    """One lock per chat, forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}

    def acquire(self, key: object) -> asyncio.Lock:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        return lock

    def release(self, key: object) -> None:
        lock, users = self._locks[key]
        if users <= 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class ReplyPacing(BaseRateLimiter[None]):
    def __init__(
        self,
        pacer: Pacer,
        *,
        attempts: int = REPLY_ATTEMPTS,
        patience: float = REPLY_PATIENCE_SECONDS,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_failed: Callable[[], None] | None = None,
    ) -> None:
        self.pacer = pacer
        self.attempts = attempts
        self.patience = patience
        self._sleep = sleep
        self._chats = _ChatLocks()
        self._on_failed = on_failed
        self._closing = False

    async def initialize(self) -> None:
        self._closing = False

    def close(self) -> None:
        """The bot is stopping: a send that fails from now on is not tried again (a job's edit meeting a
        429 must not hold the stop for the reply patience)."""
        self._closing = True

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> bool | JSONDict | list[JSONDict]:
        if not endpoint.startswith(PACED) or endpoint == "sendChatAction":
            return await callback(*args, **kwargs)
        chat = data.get("chat_id")
        if chat is None:  # an inline message edit: no chat to order by
            await self.pacer.slot()
            return await callback(*args, **kwargs)
        key = chat if isinstance(chat, int) else str(chat)
        lock = self._chats.acquire(key)
        try:
            async with lock:
                return await self._send(callback, args, kwargs, endpoint, key)
        finally:
            self._chats.release(key)

    async def _send(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        chat: int | str,
    ) -> bool | JSONDict | list[JSONDict]:
        counts = endpoint.startswith(SENDS)
        chat_type = ChatType.PRIVATE if isinstance(chat, int) and chat > 0 else ChatType.GROUP
        chat_id = chat if isinstance(chat, int) else None
        waited = 0.0
        network_wait = NETWORK_RETRY_SECONDS
        for attempt in range(1, self.attempts + 1):
            if counts and chat_id is not None:
                wait = self.pacer.chat_wait(chat_id, chat_type)
                if wait > 0:
                    await self._sleep(wait)
            await self.pacer.slot()
            if counts and chat_id is not None:
                self.pacer.sent(chat_id)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                delay = _retry_after(exc)
                self.pacer.pause(delay)
                problem: Exception = exc
            except NetworkError as exc:
                if not _not_sent(exc):
                    self._failed(chat, endpoint, exc)
                    raise
                delay, network_wait = network_wait, min(network_wait * 2, 30.0)
                problem = exc
            waited += delay
            if attempt == self.attempts or waited > self.patience or self._closing:
                self._failed(chat, endpoint, problem)
                raise problem
            log.info("reply to chat %s: %s; sending again in %.1f s", chat, problem, delay)
            if not isinstance(problem, RetryAfter):
                await self._sleep(delay)  # a 429's pause is waited for in the next slot, for everyone
        raise AssertionError("unreachable")

    def _failed(self, chat: int | str, endpoint: str, exc: Exception) -> None:
        log.warning("reply to chat %s could not be sent (%s): %s", chat, endpoint, exc)
        if self._on_failed is not None:
            self._on_failed()


def update_chat(update: object) -> object:
    """The chat an update belongs to (None: no chat, processed without a turn)."""
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


class FairUpdates(BaseUpdateProcessor):
    """One update per chat at a time, `workers` chats at once; updates wait in order (at most `backlog`).

    `close` bounds a stop: updates that arrive from then on are dropped, the ones being answered (or waiting
    for their turn, a send slot or the end of a 429 pause) get a short grace, and what is left is cancelled.
    """

    def __init__(
        self, workers: int, backlog: int = 10_000, *, on_cancelled: Callable[[], None] | None = None
    ) -> None:
        super().__init__(backlog)
        self.workers = workers
        self._slots: asyncio.Semaphore | None = None
        self._chats = _ChatLocks()
        self._running: set[asyncio.Task[None]] = set()
        self._closing = False
        self._on_cancelled = on_cancelled
        self.dropped = 0  # updates not answered because the bot was stopping

    async def initialize(self) -> None:
        self._slots = asyncio.Semaphore(self.workers)
        self._closing = False

    async def shutdown(self) -> None:
        return None

    @property
    def pending(self) -> int:
        """Updates being answered or waiting for their turn."""
        return len(self._running)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        if self._closing:
            _discard(coroutine)
            self._drop(1)
            log.warning(
                "stopping: an update that came in during the stop is not answered (chat %s)",
                update_chat(update),
            )
            return
        task = asyncio.ensure_future(self._turn(update, coroutine))
        self._running.add(task)
        try:
            await task
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not (task.cancelled() and self._closing) or (current is not None and current.cancelling()):
                raise  # cancelled from outside, not by `close`: let it through
        finally:
            self._running.discard(task)

    async def _turn(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = False
        try:
            if self._slots is None:
                self._slots = asyncio.Semaphore(self.workers)
            key = update_chat(update)
            if key is None:
                async with self._slots:
                    started = True
                    await coroutine
                return
            lock = self._chats.acquire(key)
            try:
                async with lock, self._slots:
                    started = True
                    await coroutine
            finally:
                self._chats.release(key)
        finally:
            if not started:
                _discard(coroutine)

    async def close(self, grace: float) -> int:
        """Take no more updates; wait up to `grace` seconds for those in hand, then cancel the rest.
        Returns how many were cancelled."""
        self._closing = True
        if not self._running:
            return 0
        log.info("stopping: %d update(s) in hand; waiting up to %.0f s", len(self._running), grace)
        _, left = await asyncio.wait(set(self._running), timeout=grace)
        if not left:
            return 0
        for task in left:
            task.cancel()
        await asyncio.gather(*left, return_exceptions=True)
        self._drop(len(left))
        log.warning("stopping: %d update(s) left unanswered after %.0f s (cancelled)", len(left), grace)
        return len(left)

    def _drop(self, count: int) -> None:
        self.dropped += count
        if self._on_cancelled is not None:
            for _ in range(count):
                self._on_cancelled()


def _discard(coroutine: Awaitable[Any]) -> None:
    """An update's handler that never started: closed, so that it is not reported as never awaited."""
    close = getattr(coroutine, "close", None)
    if close is not None:
        close()
