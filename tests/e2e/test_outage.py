"""PostgreSQL goes away for 10 s in the middle of a fan-out (a restart, a failover): nothing is lost, the
next article goes out too, /healthz says 503 during the outage and 200 after, and the sent counter is what
Telegram accepted."""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy.engine import make_url

from tests.e2e.harness import free_port, make_settings, running_bot
from tests.e2e.outbox import add_chats, article, queue
from tests.e2e.tcpproxy import TcpProxy
from tests.standin import BotApiStandIn

SUBSCRIBERS = 300
OUTAGE_SECONDS = 10.0


@pytest.fixture
async def proxied(postgres_url: str) -> AsyncIterator[tuple[str, TcpProxy]]:
    url = make_url(postgres_url)
    proxy = await TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    try:
        yield url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False), proxy
    finally:
        await proxy.stop()


LAST_HEALTH: list[str] = []


async def health(client: httpx.AsyncClient, port: int) -> int:
    try:
        answer = await client.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
    except httpx.HTTPError as exc:
        LAST_HEALTH.append(repr(exc))
        return 0
    LAST_HEALTH.append(answer.text)
    return answer.status_code


def sent_counter(body: str) -> float:
    match = re.search(r"^bot_messages_sent_total (\S+)$", body, re.MULTILINE)
    assert match, body
    return float(match.group(1))


@pytest.mark.slow
async def test_a_database_outage_mid_fan_out_loses_nothing_and_health_tells(
    server: BotApiStandIn, proxied: tuple[str, TcpProxy]
) -> None:
    url, proxy = proxied
    port = free_port()
    settings = make_settings(server, url, send_rate_per_second=25, health_port=port)
    subscribers = range(1, SUBSCRIBERS + 1)
    async with running_bot(settings) as svc, httpx.AsyncClient() as client:
        await add_chats(svc.store, subscribers)
        assert await health(client, port) == 200
        await queue(svc.store, [article(1)], now=datetime.now(UTC))
        svc.sender.wake()
        await server.wait_for_count(60, method="sendPhoto", timeout=20)

        await proxy.cut()
        cut_at = time.monotonic()
        during = []
        while time.monotonic() - cut_at < OUTAGE_SECONDS:
            during.append(await health(client, port))
            await asyncio.sleep(0.5)
        sent_during = len(server.calls("sendPhoto"))
        await proxy.restore()

        got = await server.wait_for_count(SUBSCRIBERS, method="sendPhoto", timeout=60, contains="Bài số 1")
        after = 0
        for _ in range(40):
            after = await health(client, port)
            if after == 200:
                break
            await asyncio.sleep(0.5)

        await queue(svc.store, [article(2)], now=datetime.now(UTC))  # the next article goes out too
        svc.sender.wake()
        await server.wait_for_count(SUBSCRIBERS, method="sendPhoto", timeout=60, contains="Bài số 2")
        await asyncio.sleep(0.5)
        metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text

    assert 503 in during[2:], during  # the outage is reported while it lasts …
    assert after == 200, LAST_HEALTH[-1]  # … and health comes back with the database
    assert sent_during < SUBSCRIBERS  # the outage really came mid fan-out
    first = Counter(m.chat_id for m in got)
    assert set(first) == set(subscribers)  # every subscriber got the article
    assert max(first.values()) - 1 <= settings.sender_concurrency  # repeats bounded by the sends in flight
    accepted = [r for r in server.requests if r.method == "sendPhoto" and r.ok]
    assert sent_counter(metrics) == len(accepted)  # counted: what Telegram accepted, no more, no less
