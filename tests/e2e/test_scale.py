"""Three bot processes on one PostgreSQL database, one token: every subscriber gets the article exactly
once, the combined send rate stays under the cap, and killing one process mid-way loses nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.clock import ManualClock
from bot.settings import Settings
from bot.store.db import create_engine, upgrade
from bot.store.schema import chats
from bot.store.store import Store
from tests.e2e.site import NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 3000
LIMIT = 100  # what the Bot API stand-in allows the bot as a whole, per rolling second (Telegram: about 30)
CAP = 80  # SEND_RATE_PER_SECOND: under the limit with room for arrival jitter (2 cores, 4 busy processes)
NOW = datetime(2026, 11, 26, 3, tzinfo=UTC)


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def prepare(database_url: str, site: NewsSite) -> None:
    """Subscribers in place and the feed's backlog archived, as after weeks of service."""
    engine = create_engine(database_url)
    await upgrade(engine)
    async with engine.begin() as conn:
        await conn.execute(
            chats.insert(),
            [
                {"id": 10_000 + i, "type": "private", "language": "vi", "created_at": NOW, "updated_at": NOW}
                for i in range(SUBSCRIBERS)
            ],
        )
    settings = Settings(feed_urls=(site.feed_url,), database_url=database_url)
    store = Store(engine)
    from bot.app import ingest_settings
    from bot.feeds.fetch import FeedClient
    from bot.services.ingest import IngestService

    client = FeedClient(user_agent="test")
    ingest = IngestService(
        store.feeds,
        store.leases,
        store.articles,
        client,
        ManualClock(NOW),
        ingest_settings(settings),
        owner="setup",
    )
    [feed] = await store.feeds.sync_feeds(settings.feed_list, 600)
    report = await ingest.poll(feed)
    assert report.status == "new" and report.queued == 0
    async with engine.begin() as conn:  # the next poll is due now
        await conn.execute(sa.text("UPDATE feeds SET next_poll_at = NULL"))
    await client.aclose()
    await engine.dispose()


def start_bot(server: BotApiStandIn, database_url: str, site: NewsSite, n: int) -> subprocess.Popen[bytes]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": database_url,
        "FEED_URLS": site.feed_url,
        "SCHEDULER_TICK_SECONDS": "0.5",
        "POLL_INTERVAL_SECONDS": "3600",
        "SEND_RATE_PER_SECOND": str(CAP),
        "DELIVERY_LEASE_SECONDS": "5",
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "INFO",
    }
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"bot-scale-{n}.log", "wb")  # noqa: SIM115
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log, stderr=log)


@pytest.mark.slow
@pytest.mark.usefixtures("no_gc_pauses")  # the stand-in's clock must not stall while it counts
async def test_three_processes_share_the_work_and_the_rate(
    server: BotApiStandIn, postgres_url: str, site: NewsSite
) -> None:
    site.publish(1, "Bài cũ")
    await prepare(postgres_url, site)
    site.publish(2, "Thông báo mới gửi tới mọi người")
    server.set_limits(global_per_second=LIMIT, per_private_chat_per_second=1, per_group_per_minute=20)
    bots = [start_bot(server, postgres_url, site, n) for n in range(3)]
    try:
        await server.wait_for_count(SUBSCRIBERS // 3, timeout=60, contains="Thông báo mới")
        bots[1].send_signal(signal.SIGKILL)
        await asyncio.to_thread(bots[1].wait, timeout=10)
        in_flight_at_kill = (
            16 + 32
        )  # SENDER_CONCURRENCY + outcomes not yet recorded (Sender.duplicate_window)
        received = await server.wait_for_count(SUBSCRIBERS, timeout=120, contains="Thông báo mới")
        await asyncio.sleep(1.0)
    finally:
        for bot in bots:
            if bot.poll() is None:
                bot.send_signal(signal.SIGTERM)
        for bot in bots:
            try:
                await asyncio.to_thread(bot.wait, timeout=30)  # the stand-in keeps serving meanwhile
            except subprocess.TimeoutExpired:
                bot.kill()
    received = [m for m in server.sent if "Thông báo mới" in (m.text or "")]
    per_chat = Counter(m.chat_id for m in received)
    assert set(per_chat) == {10_000 + i for i in range(SUBSCRIBERS)}  # nobody missed it
    duplicates = sum(count - 1 for count in per_chat.values())
    assert duplicates <= in_flight_at_kill  # only sends in flight in the killed process may repeat
    overall = [v for v in server.rate_violations if v.kind == "global"]
    assert overall == [], overall[:3]  # three processes together never went over the limit
    times = sorted(m.time for m in received)
    busiest = max(sum(1 for t in times[i : i + LIMIT + 5] if t - times[i] < 1.0) for i in range(len(times)))
    assert busiest <= LIMIT  # evenly spaced at the configured cap: no second holds more than cap + jitter
    assert bots[0].returncode == 0 and bots[2].returncode == 0  # SIGTERM: clean stop
