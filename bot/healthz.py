"""/healthz and /metrics on a port of their own (HEALTH_PORT; 0 disables), on 127.0.0.1 unless
HEALTH_LISTEN says otherwise; /metrics behind a bearer token when METRICS_TOKEN is set (compared in
constant time); and the full-text pages."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from aiohttp import web

from bot.clock import Clock
from bot.delivery.heartbeat import WRITE_LOOP
from bot.fulltext import FullTextPages
from bot.metrics import Metrics


class StatsRepo(Protocol):
    """What this module uses of the store's stats."""

    async def ping(self) -> bool: ...

    async def health_figures(self, now: datetime) -> tuple[datetime | None, datetime | None, int]: ...


log = logging.getLogger(__name__)
CHECK_SECONDS = 3.0  # a database that does not answer within this is reported, not waited for


@dataclass(frozen=True, slots=True)
class Health:
    ok: bool
    checks: dict[str, str]


def judge(
    *,
    database_ok: bool,
    last_success: datetime | None,
    started_at: datetime,
    oldest_due: datetime | None,
    now: datetime,
    poll_grace: timedelta,
    queue_grace: timedelta,
    overdue: Mapping[str, float] | None = None,
) -> Health:
    """Pure: healthy when the database answers and can be written (the process heartbeat was written
    recently), every background loop made progress lately (`overdue`: the loops silent for too long, in
    seconds), a poll succeeded recently (or the process is young), and the oldest due delivery is not older
    than the grace (the queue is moving)."""
    late = dict(overdue or {})
    unwritten = late.pop(WRITE_LOOP, None)
    if not database_ok:
        checks: dict[str, str] = {"database": "unreachable"}
    elif unwritten is not None:
        checks = {"database": f"cannot be written: no successful write for {unwritten:.0f} s"}
    else:
        checks = {"database": "ok"}
    checks["loops"] = (
        "stuck: " + ", ".join(f"{name} silent for {late[name]:.0f} s" for name in sorted(late))
        if late
        else "ok"
    )
    reference = last_success or started_at
    checks["polls"] = (
        "ok" if now - reference <= poll_grace else f"no successful poll since {reference.isoformat()}"
    )
    if oldest_due is None or now - oldest_due <= queue_grace:
        checks["queue"] = "ok"
    else:
        checks["queue"] = f"stuck: oldest due delivery since {oldest_due.isoformat()}"
    return Health(all(v == "ok" for v in checks.values()), checks)


class HealthServer:
    def __init__(
        self,
        stats: StatsRepo,
        clock: Clock,
        metrics: Metrics,
        *,
        port: int,
        poll_interval: int,
        host: str = "127.0.0.1",
        metrics_token: str | None = None,
        pages: FullTextPages | None = None,
        extra_routes: Sequence[web.RouteDef] = (),
        informative: Mapping[str, Callable[[], Awaitable[str]]] | None = None,
    ) -> None:
        # shown in /healthz without deciding it (another messenger being away is not this process's fault)
        self.informative = dict(informative or {})
        self.pages = pages
        self.extra_routes = tuple(extra_routes)  # e.g. Zalo's webhook, behind the same reverse proxy
        self.stats = stats
        self.clock = clock
        self.metrics = metrics
        self.port = port
        self.host = host
        self._metrics_token = metrics_token.encode() if metrics_token else None
        self.poll_grace = timedelta(seconds=max(3 * poll_interval, 900))
        self.queue_grace = timedelta(minutes=15)
        self.started_at = clock.now()
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)
        if self.pages is not None:
            self.pages.add_to(app)
        app.router.add_routes(self.extra_routes)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        log.info(
            "health and metrics on %s port %d%s",
            self.host,
            self.port,
            " (metrics need the bearer token)" if self._metrics_token else "",
        )

    async def stop(self) -> None:
        if self._runner:
            await self._runner.cleanup()

    async def check(self) -> Health:
        try:
            await asyncio.wait_for(self.stats.ping(), CHECK_SECONDS)
            database_ok = True
            last_success, oldest_due, depth = await asyncio.wait_for(
                self.stats.health_figures(self.clock.now()), CHECK_SECONDS
            )
        except Exception as exc:
            log.warning("health check: database unreachable: %s: %s", type(exc).__name__, exc)
            database_ok, last_success, oldest_due, depth = False, None, None, 0
        self.metrics.queue_depth.set(depth)
        now = self.clock.now()
        self.metrics.oldest_due_seconds.set((now - oldest_due).total_seconds() if oldest_due else 0)
        return judge(
            database_ok=database_ok,
            last_success=last_success,
            started_at=self.started_at,
            oldest_due=oldest_due,
            now=now,
            poll_grace=self.poll_grace,
            queue_grace=self.queue_grace,
            overdue=self.metrics.overdue(),
        )

    async def healthz(self, request: web.Request) -> web.Response:
        health = await self.check()
        shown: dict[str, object] = {"ok": health.ok, **health.checks}
        for name, probe in self.informative.items():
            try:
                shown[name] = await asyncio.wait_for(probe(), CHECK_SECONDS)
            except Exception as exc:
                shown[name] = f"unreachable: {type(exc).__name__}"
        return web.json_response(shown, status=200 if health.ok else 503)

    def _authorised(self, request: web.Request) -> bool:
        if self._metrics_token is None:
            return True
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self._metrics_token)

    async def metrics_page(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.Response(status=401, text="unauthorised\n", headers={"WWW-Authenticate": "Bearer"})
        await self.check()
        return web.Response(body=self.metrics.render(), content_type="text/plain", charset="utf-8")
