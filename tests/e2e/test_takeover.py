"""Fast takeover on PostgreSQL: processes keep a heartbeat, and what a SIGKILLed process held — claimed
deliveries in a fan-out, a feed it was polling — goes to the live processes within seconds, not after the
claim's lease (`DELIVERY_LEASE_SECONDS`, 120 s) or the feed lease ran out. Nothing is sent twice but the
sends that were in flight at the kill."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.delivery.sender import FLUSH_MAX
from bot.store.db import create_engine
from bot.store.schema import deliveries, feeds
from tests.e2e.site import NewsSite
from tests.e2e.test_scale import CAP, LIMIT, SUBSCRIBERS, prepare
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

ROOT = Path(__file__).resolve().parents[2]
RESUME_WITHIN = 15.0
CONCURRENCY = 16

pytestmark = pytest.mark.slow


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds_server:
        yield NewsSite(feeds_server)


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
        "SENDER_CONCURRENCY": str(CONCURRENCY),
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "INFO",
    }  # DELIVERY_LEASE_SECONDS stays at its default (120 s): takeover must not wait for it
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"bot-takeover-{n}.log", "wb")  # noqa: SIM115
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=log, stderr=log)


def owner_of(proc: subprocess.Popen[bytes]) -> str:
    return f"{socket.gethostname()}:{proc.pid}"


async def held_by(database_url: str, owner: str) -> set[int]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                sa.select(deliveries.c.chat_id).where(
                    deliveries.c.status == "sending", deliveries.c.lease_owner == owner
                )
            )
            return {int(r[0]) for r in rows}
    finally:
        await engine.dispose()


async def feed_lease_owner(database_url: str) -> str | None:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(sa.select(feeds.c.lease_owner))).scalar()
    finally:
        await engine.dispose()


def received(server: BotApiStandIn, title: str) -> Counter[int]:
    return Counter(int(m.chat_id) for m in server.sent if m.method == "sendPhoto" and title in m.plain_text)


async def until(check: object, timeout: float, what: str) -> float:  # noqa: ASYNC109
    began = time.monotonic()
    while not check():  # type: ignore[operator]
        if time.monotonic() - began > timeout:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - began


async def stop_all(bots: list[subprocess.Popen[bytes]]) -> None:
    for bot in bots:
        if bot.poll() is None:
            bot.send_signal(signal.SIGTERM)
    for bot in bots:
        try:
            await asyncio.to_thread(bot.wait, timeout=30)
        except subprocess.TimeoutExpired:
            bot.kill()


async def test_sigkill_of_one_of_three_processes_mid_fan_out_resumes_within_seconds(
    server: BotApiStandIn, postgres_url: str, site: NewsSite
) -> None:
    title = "Thông báo mới gửi tới mọi người"
    site.publish(1, "Bài cũ")
    await prepare(postgres_url, site)
    site.publish(2, title)
    server.set_limits(global_per_second=LIMIT, per_private_chat_per_second=1, per_group_per_minute=20)
    bots = [start_bot(server, postgres_url, site, n) for n in range(3)]
    try:
        await until(lambda: len(received(server, title)) >= SUBSCRIBERS // 3, 90, "a third of the fan-out")
        victim = bots[1]
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        await asyncio.to_thread(victim.wait, timeout=10)
        at_kill = set(received(server, title))
        held = await held_by(postgres_url, owner_of(victim))
        waiting = held - at_kill  # claimed by the dead process and not sent before it died
        assert waiting, "the killed process held nothing: the test proves nothing"
        await until(lambda: waiting <= set(received(server, title)), 60, "the dead process's claims")
        resumed = time.monotonic() - killed_at
        await until(lambda: len(received(server, title)) >= SUBSCRIBERS, 120, "the whole fan-out")
        await asyncio.sleep(1.0)
    finally:
        await stop_all(bots)
    print(f"\nSIGKILL of 1 of 3 processes: its {len(waiting)} claimed deliveries sent {resumed:.1f} s later")
    assert resumed <= RESUME_WITHIN
    got = received(server, title)
    assert set(got) == {10_000 + i for i in range(SUBSCRIBERS)}
    duplicates = sum(n - 1 for n in got.values())
    assert duplicates <= CONCURRENCY + FLUSH_MAX  # only the sends in flight in the killed process
    assert bots[0].returncode == 0 and bots[2].returncode == 0


async def test_sigkill_during_a_poll_the_next_process_polls_within_seconds(
    server: BotApiStandIn, postgres_url: str, site: NewsSite
) -> None:
    title = "Kết quả đề tài khoa học cấp tỉnh"
    site.publish(1, "Bài cũ")
    await prepare(postgres_url, site)
    path = site.publish(2, title, trickle=1.0)  # the page trickles: the poll holds the feed for minutes
    server.disable_limits()
    first = start_bot(server, postgres_url, site, 10)
    bots = [first]
    try:
        await until(lambda: bool(site.server.requests.get(path)), 60, "the page fetch")
        assert await feed_lease_owner(postgres_url) == owner_of(first)
        first.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        await asyncio.to_thread(first.wait, timeout=10)
        site.server.set_trickle(path, 0.0)  # the site answers normally again
        bots.append(start_bot(server, postgres_url, site, 11))  # a new process (another pid)
        await until(lambda: len(received(server, title)) >= 1, 60, "the first message")
        resumed = time.monotonic() - killed_at
        await until(lambda: len(received(server, title)) >= SUBSCRIBERS, 120, "the article")
        await asyncio.sleep(1.0)
    finally:
        await stop_all(bots)
    print(f"\nSIGKILL during a poll: the article went out {resumed:.1f} s after the kill")
    assert resumed <= RESUME_WITHIN
    got = received(server, title)
    assert set(got) == {10_000 + i for i in range(SUBSCRIBERS)} and max(got.values()) == 1
