"""Runs the real bot (python-telegram-bot Application, services, sender, JobQueue) in the test's event
loop, against the Bot API stand-in over HTTP, exactly as `python -m bot run` wires it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.app import ALLOWED_UPDATES, Services, build_application, build_services
from bot.clock import Clock
from bot.settings import Settings
from bot.store.db import create_engine, upgrade
from bot.store.store import Store
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
    }
    values.update(overrides)
    return Settings(**values)


@asynccontextmanager
async def running_bot(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Services]:
    """Start the bot like `Application.run_polling` does (same hooks, same order) and stop it cleanly."""
    engine = create_engine(settings.database_url)
    await upgrade(engine)
    services = build_services(settings, Store(engine), clock)
    app = build_application(settings, services)
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    await app.post_init(app)
    await app.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        yield services
    finally:
        await app.updater.stop()
        await app.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
        await engine.dispose()
