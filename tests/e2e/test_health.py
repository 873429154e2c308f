"""/healthz and /metrics: the pure judgement, and the real server over HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from bot.healthz import Health, judge
from tests.e2e.harness import free_port, make_settings, running_bot
from tests.standin import BotApiStandIn

NOW = datetime(2026, 11, 26, 3, tzinfo=UTC)
GRACE: dict[str, Any] = {"poll_grace": timedelta(minutes=30), "queue_grace": timedelta(minutes=15)}


def test_healthy_when_polls_are_recent_and_the_queue_moves() -> None:
    health = judge(
        database_ok=True,
        last_success=NOW - timedelta(minutes=5),
        started_at=NOW - timedelta(days=1),
        oldest_due=NOW - timedelta(seconds=10),
        now=NOW,
        **GRACE,
    )
    assert health.ok and set(health.checks.values()) == {"ok"}


def test_unhealthy_reasons_are_named() -> None:
    health = judge(
        database_ok=True,
        last_success=NOW - timedelta(hours=2),
        started_at=NOW - timedelta(days=1),
        oldest_due=NOW - timedelta(hours=1),
        now=NOW,
        **GRACE,
    )
    assert not health.ok
    assert health.checks["polls"].startswith("no successful poll") and health.checks["queue"].startswith(
        "stuck"
    )
    assert not judge(
        database_ok=False, last_success=NOW, started_at=NOW, oldest_due=None, now=NOW, **GRACE
    ).ok


def test_a_stuck_loop_or_an_unwritable_database_is_named() -> None:
    def with_overdue(overdue: dict[str, float]) -> Health:
        return judge(
            database_ok=True,
            last_success=NOW,
            started_at=NOW,
            oldest_due=None,
            now=NOW,
            poll_grace=timedelta(minutes=30),
            queue_grace=timedelta(minutes=15),
            overdue=overdue,
        )

    stuck = with_overdue({"sender": 130.0})
    assert not stuck.ok and stuck.checks["loops"] == "stuck: sender silent for 130 s"
    assert stuck.checks["database"] == "ok"
    full = with_overdue({"database_write": 7.0})
    assert not full.ok and full.checks["database"].startswith("cannot be written")
    assert full.checks["loops"] == "ok"
    assert with_overdue({}).ok


def test_a_young_process_is_healthy_before_its_first_poll() -> None:
    assert judge(
        database_ok=True,
        last_success=None,
        started_at=NOW - timedelta(minutes=1),
        oldest_due=None,
        now=NOW,
        **GRACE,
    ).ok


async def test_health_and_metrics_endpoints(server: BotApiStandIn, sqlite_url: str) -> None:
    port = free_port()
    async with (
        running_bot(make_settings(server, sqlite_url, health_port=port)),
        httpx.AsyncClient() as client,
    ):
        for _ in range(50):  # the leader election's first round runs right after start-up
            metrics = await client.get(f"http://127.0.0.1:{port}/metrics")
            if "bot_update_leader 1.0" in metrics.text:
                break
            await asyncio.sleep(0.05)
        health = await client.get(f"http://127.0.0.1:{port}/healthz")
    assert health.status_code == 200
    assert health.json() == {"ok": True, "database": "ok", "loops": "ok", "polls": "ok", "queue": "ok"}
    assert metrics.status_code == 200
    body = metrics.text
    assert "bot_queue_depth 0.0" in body and "bot_update_leader 1.0" in body
    assert "bot_deliveries_total" in body and "bot_poll_duration_seconds" in body


async def until_status(client: httpx.AsyncClient, url: str, status: int) -> httpx.Response:
    for _ in range(50):
        answer = await client.get(url)
        if answer.status_code == status:
            break
        await asyncio.sleep(0.1)
    return answer


async def test_health_turns_503_when_the_disk_is_full_or_the_sender_hangs_and_200_after(
    server: BotApiStandIn, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from bot.delivery import sender as sender_module

    monkeypatch.setattr(sender_module, "SENDER_SILENCE", 1.5)
    port = free_port()
    async with (
        running_bot(make_settings(server, sqlite_url, health_port=port)) as svc,
        httpx.AsyncClient() as client,
    ):
        url = f"http://127.0.0.1:{port}/healthz"
        store = svc.store.sending  # what the sender and its heartbeat use
        svc.sender.heartbeat.stale = 1.5
        await asyncio.sleep(1.2)  # a heartbeat with the shorter allowance
        assert (await client.get(url)).status_code == 200

        real_heartbeat = store.heartbeat

        async def disk_full(owner: str, now: datetime) -> None:
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(store, "heartbeat", disk_full)
        await asyncio.sleep(2.5)
        full = await client.get(url)
        monkeypatch.setattr(store, "heartbeat", real_heartbeat)
        recovered = await until_status(client, url, 200)

        release = asyncio.Event()
        real_claim = store.claim

        async def hanging_claim(*args: Any, **kwargs: Any) -> Any:
            await release.wait()
            return await real_claim(*args, **kwargs)

        monkeypatch.setattr(store, "claim", hanging_claim)
        svc.sender.wake()
        await asyncio.sleep(3.0)
        stuck = await client.get(url)
        release.set()
        monkeypatch.setattr(store, "claim", real_claim)
        moving = await until_status(client, url, 200)
    assert full.status_code == 503 and full.json()["database"].startswith("cannot be written")
    assert recovered.status_code == 200
    assert stuck.status_code == 503 and stuck.json()["loops"].startswith("stuck: sender silent for")
    assert moving.status_code == 200, moving.json()
