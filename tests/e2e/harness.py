"""Runs the real bot (python-telegram-bot Application, services, sender, JobQueue, leader election) in the
test's event loop through `bot.runner.serve` — exactly what `python -m bot run` runs — against the Bot API
stand-in over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.app import Services
from bot.clock import Clock
from bot.runner import serve
from bot.settings import Settings
from tests.standin import BotApiStandIn


def make_settings(server: BotApiStandIn, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": server.token,
        "telegram_api_base_url": server.base_url,
        "database_url": database_url,
        "feeds": [{"url": "http://127.0.0.1:9/unused.rss"}],
        "scheduler_tick_seconds": 3600,
        "poll_interval_seconds": 3600,
        "send_rate_per_second": 200,
        "private_chat_interval_seconds": 0,
        "group_messages_per_minute": 6000,
        "health_port": 0,
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(
    settings: Settings, clock: Clock | None = None, *, webhook: bool = False
) -> AsyncIterator[Services]:
    """Start the bot as `python -m bot run` does and stop it as SIGTERM does."""
    stop = asyncio.Event()
    ready: asyncio.Future[Services] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(serve(settings, webhook=webhook, stop=stop, clock=clock, ready=ready))
    waiters: list[asyncio.Future[Any]] = [task, ready]
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # start-up failed: raise its error
    services = ready.result()
    try:
        yield services
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


WEBHOOK_SECRET = "s3cret-token_for-tests"


def bot_in_mode(
    mode: str, server: BotApiStandIn, database_url: str, clock: Clock | None = None, **overrides: Any
) -> contextlib.AbstractAsyncContextManager[Services]:
    """The same bot receiving updates by long polling or by webhook (the stand-in then POSTs updates to the
    bot's own webhook listener, with the secret token header, as Telegram does)."""
    if mode == "webhook":
        port = free_port()
        overrides = {
            "webhook_url": "https://bot.example.org",
            "webhook_secret": WEBHOOK_SECRET,
            "webhook_listen": "127.0.0.1",
            "port": port,
            **overrides,
        }
        server.webhook_deliver_to = f"http://127.0.0.1:{port}/telegram"
    return running_bot(make_settings(server, database_url, **overrides), clock, webhook=mode == "webhook")
