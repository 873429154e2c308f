"""Crash safety with the real command: `python -m bot run` in a subprocess, killed with SIGKILL in the
middle of a fan-out (then started again), or stopped with SIGTERM. Every subscriber gets the article;
only sends that were in flight (or answered but not yet recorded) at the kill may be repeated."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.delivery.sender import FLUSH_MAX
from bot.settings import FeedConfig
from bot.store.db import create_engine, upgrade
from bot.store.records import PollOutcome
from bot.store.schema import deliveries
from bot.store.store import Store
from tests.e2e.outbox import add_chats
from tests.e2e.site import NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

ROOT = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 300
RATE = 50
CONCURRENCY = 4

pytestmark = pytest.mark.slow


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


async def prepared_database(url: str, site: NewsSite) -> None:
    """The feed is known and its (empty) backlog archived; 300 chats are subscribed."""
    engine = create_engine(url)
    await upgrade(engine)
    store = Store(engine)
    [feed] = await store.feeds.sync_feeds([FeedConfig(url=site.feed_url)], 600)
    now = datetime.now(UTC)
    await store.articles.save_poll(PollOutcome(feed_id=feed.id, at=now, next_poll_at=now, ok=True), [], [])
    await add_chats(store, range(1, SUBSCRIBERS + 1))
    await engine.dispose()


async def start_bot(server: BotApiStandIn, url: str, site: NewsSite) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": url,
        "FEED_URLS": site.feed_url,
        "SCHEDULER_TICK_SECONDS": "0.3",
        "POLL_INTERVAL_SECONDS": "3600",
        "SEND_RATE_PER_SECOND": str(RATE),
        "SENDER_CONCURRENCY": str(CONCURRENCY),
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "WARNING",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def received(server: BotApiStandIn) -> Counter[int]:
    return Counter(m.chat_id for m in server.sent if m.method == "sendPhoto")


async def wait_until_received(server: BotApiStandIn, n: int, timeout: float) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while len(received(server)) < n:
        if time.monotonic() > deadline:
            raise AssertionError(f"only {len(received(server))} of {n} chats received within {timeout}s")
        await asyncio.sleep(0.02)


async def delivery_statuses(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            query = sa.select(deliveries.c.status, sa.func.count()).group_by(deliveries.c.status)
            rows = await conn.execute(query)
            return Counter({r[0]: int(r[1]) for r in rows})
    finally:
        await engine.dispose()


async def stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.kill()
    await proc.wait()


async def test_sigkill_mid_fan_out_then_restart_finishes_it_exactly_once(
    server: BotApiStandIn, site: NewsSite, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    await prepared_database(url, site)
    site.publish(900, "Sở công bố kết quả đề tài khoa học cấp tỉnh")
    proc = await start_bot(server, url, site)
    try:
        await wait_until_received(server, 100, timeout=30)
        proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        await proc.wait()
        before = received(server)
        assert 100 <= len(before) < SUBSCRIBERS  # really in the middle of the fan-out
        in_flight = [r for r in server.requests if r.method == "sendPhoto" and r.outcome == "pending"]

        proc = await start_bot(server, url, site)
        await wait_until_received(server, SUBSCRIBERS, timeout=30)
        await asyncio.sleep(0.5)
    finally:
        await stop(proc)
    got = received(server)
    assert set(got) == set(range(1, SUBSCRIBERS + 1))  # every subscriber has the article
    repeated = sorted(c for c, n in got.items() if n > 1)
    assert max(got.values()) <= 2
    # Only what was in flight at the kill, or answered but not yet written, was sent again: at most
    # SENDER_CONCURRENCY + FLUSH_MAX, and in fact only sends from the last moments before the kill.
    assert len(repeated) <= CONCURRENCY + FLUSH_MAX
    assert len(repeated) <= len(in_flight) + RATE // 2
    first_send = {m.chat_id: m.time for m in reversed(server.sent) if m.method == "sendPhoto"}
    assert all(killed_at - first_send[c] < 0.5 for c in repeated)
    assert await delivery_statuses(url) == Counter({"sent": SUBSCRIBERS})


async def test_sigterm_finishes_the_sends_in_flight_and_nothing_is_lost_or_repeated(
    server: BotApiStandIn, site: NewsSite, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    await prepared_database(url, site)
    site.publish(901, "Hội nghị tổng kết công tác năm")
    proc = await start_bot(server, url, site)
    try:
        await wait_until_received(server, 80, timeout=30)
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(proc.wait(), 15)
        assert code == 0
        assert all(r.outcome != "pending" for r in server.requests)  # no send was cut off
        statuses = await delivery_statuses(url)
        assert statuses["sending"] == 0  # claimed but unsent deliveries were handed back
        assert statuses["sent"] == len(received(server))  # every answered send was recorded
        assert 80 <= statuses["sent"] < SUBSCRIBERS

        proc = await start_bot(server, url, site)
        await wait_until_received(server, SUBSCRIBERS, timeout=30)
        await asyncio.sleep(0.5)
    finally:
        await stop(proc)
    got = received(server)
    assert set(got) == set(range(1, SUBSCRIBERS + 1)) and max(got.values()) == 1
    assert await delivery_statuses(url) == Counter({"sent": SUBSCRIBERS})
