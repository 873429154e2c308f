"""Where Zalo updates enter: a webhook endpoint (production) and a long-polling loop (development).

Both hand each update, parsed (`ZaloIncoming`), to one `deliver` coroutine; what it means is decided there.
Messages the bot itself wrote (``from.is_bot``) are not handed on. The webhook checks Zalo's
``X-Bot-Api-Secret-Token`` header in constant time, answers at once and works afterwards, and ignores an
update it has already seen (Zalo may send one again when an answer was slow).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.delivery.zalo import (
    SECRET_HEADER,
    ZaloApiError,
    ZaloClient,
    ZaloIncoming,
    ZaloNetworkError,
    parse_update,
    secret_matches,
)

log = logging.getLogger(__name__)

Deliver = Callable[[ZaloIncoming], Awaitable[None]]


class ZaloWebhook:
    """The aiohttp handler for Zalo's webhook POSTs: 403 without the right secret, 400 for a body that is
    not an update, 200 otherwise (a repeated update included, which is not handed on twice)."""

    def __init__(
        self, secret: str, deliver: Deliver, *, replay_seconds: float = 300.0, remember: int = 5000
    ) -> None:
        if not secret:
            raise ValueError("the Zalo webhook needs ZALO_WEBHOOK_SECRET")
        self._secret = secret
        self._deliver = deliver
        self._replay_seconds = replay_seconds
        self._remember = remember
        self._seen: OrderedDict[tuple[str, str], float] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, request: web.Request) -> web.Response:
        if request.method != "POST":
            return web.Response(status=405, text="method not allowed")
        if not secret_matches(request.headers.get(SECRET_HEADER), self._secret):
            return web.Response(status=403, text="forbidden")
        try:
            body = await request.json()
        except ValueError:
            return web.Response(status=400, text="bad request")
        update = parse_update(body)
        if update is None:
            return web.Response(status=400, text="bad request")
        if update.from_bot or self._repeated(update):
            return web.Response(text="ok")
        task = asyncio.get_running_loop().create_task(self._run(update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(text="ok")

    def _repeated(self, update: ZaloIncoming) -> bool:
        if not update.message_id:
            return False
        now = time.monotonic()
        while self._seen and (
            len(self._seen) > self._remember or now - next(iter(self._seen.values())) > self._replay_seconds
        ):
            self._seen.popitem(last=False)
        key = (update.event_name, update.message_id)
        if key in self._seen:
            return True
        self._seen[key] = now
        return False

    async def _run(self, update: ZaloIncoming) -> None:
        try:
            await self._deliver(update)
        except Exception:
            log.exception("handling a Zalo update failed (event %s)", update.event_name)

    async def drain(self) -> None:
        """Wait until every update received so far has been handled (for a clean stop)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def routes(self, path: str = "/zalo") -> list[web.RouteDef]:
        return [web.post(path, self.handle)]


async def poll_updates(
    client: ZaloClient,
    deliver: Deliver,
    stop: asyncio.Event,
    *,
    poll_seconds: int = 30,
    error_pause: float = 5.0,
) -> None:
    """Long polling until `stop` is set: each update is handled before the next poll (Zalo hands out one
    update per poll). Errors are logged (without the token) and polling resumes after a pause — Zalo's
    retry_after for a 429. The webhook must be deleted first: Zalo serves no updates while one is set."""
    while not stop.is_set():
        try:
            updates = await _until_stopped(client.get_updates(poll_seconds), stop)
        except (ZaloApiError, ZaloNetworkError) as exc:
            pause = exc.retry_after if isinstance(exc, ZaloApiError) and exc.retry_after else error_pause
            log.warning("Zalo getUpdates failed (%s); again in %.0f s", exc, pause)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), pause)
            continue
        for update in updates or ():
            if update.from_bot:
                continue
            try:
                await deliver(update)
            except Exception:
                log.exception("handling a Zalo update failed (event %s)", update.event_name)


async def _until_stopped(
    call: Awaitable[list[ZaloIncoming]], stop: asyncio.Event
) -> list[ZaloIncoming] | None:
    """The call's result, or None as soon as `stop` is set (the poll is cancelled)."""
    poll = asyncio.ensure_future(call)
    stopped = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
    if poll.done():
        return poll.result()
    poll.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await poll
    return None
