"""Running the bot: the Application's life cycle, updates by long polling (one leader among processes)
or by webhook, the health server, and a clean stop on SIGTERM/SIGINT.

Several processes may run with the same settings on one PostgreSQL database. Polling: Telegram allows one
getUpdates consumer per token, so the processes elect one through a lease in the database; the others
poll feeds and send deliveries, and take over within `LEADER_TTL_SECONDS` when the leader dies. Webhook:
every process listens; Telegram (or a load balancer) spreads the updates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

from telegram.ext import Application

from bot import webhook_secret
from bot.app import ALLOWED_UPDATES, Services, build_application, build_services
from bot.clock import Clock
from bot.delivery.replies import FairUpdates, ReplyPacing
from bot.delivery.zalo import ZaloApiError, ZaloClient, ZaloNetworkError
from bot.delivery.zalo_inbound import Deliver, ZaloWebhook, poll_updates
from bot.domain.statuses import Platform
from bot.fulltext import FullTextPages, PageSettings
from bot.handlers.zalo import ZaloHandler
from bot.healthz import HealthServer
from bot.settings import Settings
from bot.startup import check_zalo
from bot.store.db import create_engine, upgrade
from bot.store.store import Store

log = logging.getLogger(__name__)
LEADER_SILENCE_EXTRA = 30.0  # the leadership loop is stuck after ttl/3 + this without a round


class DatabaseUnavailable(Exception):
    """The database cannot be opened or written at start: one line says which and why."""


def database_problem(url: str, exc: BaseException) -> DatabaseUnavailable:
    from sqlalchemy.engine import make_url

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception:
        shown = "DATABASE_URL"
    cause: BaseException = getattr(exc, "orig", None) or exc
    while cause.__cause__ is not None and not str(cause).strip():
        cause = cause.__cause__
    lines = str(cause).strip().splitlines()
    reason = lines[0] if lines else type(cause).__name__
    return DatabaseUnavailable(f"cannot open or write the database {shown}: {reason}")


async def check_database(settings: Settings) -> None:
    """Open, migrate and write the database once, before anything else is started: a database that cannot
    be used stops the start with one line (`DatabaseUnavailable`), not after Telegram was reached."""
    engine = None
    try:
        engine = create_engine(settings.database_url)
        await upgrade(engine)
        store = Store(engine)
        probe = f"start-check-{os.getpid()}"
        await store.leases.heartbeat(probe, datetime.now(UTC))
        await store.leases.forget_process(probe)
    except Exception as exc:
        raise database_problem(settings.database_url, exc) from exc
    finally:
        if engine is not None:
            with contextlib.suppress(Exception):
                await engine.dispose()


class ZaloRejected(Exception):
    """Zalo refused ZALO_BOT_TOKEN at start: one line says so."""


ZALO_WEBHOOK_PATH = "/zalo/webhook"  # on the health server's port, forwarded by the reverse proxy like /bai/
ZALO_STOP_SECONDS = 5.0


class ZaloPolling:
    """Zalo's long polling (development), run by the process that receives updates."""

    def __init__(self, client: ZaloClient, deliver: Deliver) -> None:
        self.client = client
        self.deliver = deliver
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if self.running:
            return
        try:  # Zalo serves no updates by polling while a webhook is set
            await self.client.delete_webhook()
        except (ZaloApiError, ZaloNetworkError) as exc:
            log.warning("could not delete the Zalo webhook before polling: %s", exc)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(
            poll_updates(self.client, self.deliver, self._stop), name="zalo-poll"
        )
        log.info("this process now receives Zalo messages (long polling)")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stop.set()
        try:
            await asyncio.wait_for(task, ZALO_STOP_SECONDS)
        except (TimeoutError, asyncio.CancelledError):
            task.cancel()
        except Exception:
            log.warning("Zalo polling ended with an error", exc_info=True)


class ZaloProbe:
    """Can Zalo be reached with the token (getMe)? Asked at most once a minute, for /healthz."""

    def __init__(self, client: ZaloClient, every: float = 60.0) -> None:
        self.client = client
        self.every = every
        self._last: tuple[float, str] | None = None

    async def check(self) -> str:
        now = time.monotonic()
        if self._last is not None and now - self._last[0] < self.every:
            return self._last[1]
        try:
            await self.client.get_me()
            status = "ok"
        except ZaloApiError as exc:
            status = f"refused: {exc.code}"
        except ZaloNetworkError:
            status = "unreachable"
        self._last = (now, status)
        return status


LEADER = "updates"
WEBHOOK_PATH = "telegram"
STOP_POLLING_SECONDS = 12  # a getUpdates long poll lasts up to 10 s
REPLY_GRACE_SECONDS = 5.0  # on a stop, replies in hand get this long before they are cancelled
SLOW_STEP_SECONDS = 2.0


class Leadership:
    """Keeps (or waits for) the update-receiving lease and starts/stops long polling accordingly."""

    def __init__(
        self,
        app: Application,  # type: ignore[type-arg]
        services: Services,
        owner: str,
        ttl: float,
        zalo: ZaloPolling | None = None,
    ) -> None:
        self.app = app
        self.zalo = zalo
        self.services = services
        self.owner = owner
        self.ttl = ttl
        self.leading = False
        self._renewed: float | None = None

    async def step(self) -> None:
        store, clock = self.services.store, self.services.clock
        try:
            leading = await store.leases.try_lead(LEADER, self.owner, clock.now(), self.ttl)
            self._renewed = time.monotonic() if leading else None
        except Exception as exc:
            # the database is away: the lease taken last time still runs (no other process can take it
            # before it ends), so keep receiving updates until it would have run out
            held = self._renewed is not None and time.monotonic() - self._renewed < self.ttl * 2 / 3
            log.warning("leadership check failed (%s); %s", exc, "still leading" if held else "not leading")
            leading = self.leading and held
        updater = self.app.updater
        assert updater is not None
        if leading and not self.leading:
            log.info("this process now receives updates (long polling)")
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
            if self.zalo is not None:
                await self.zalo.start()
        elif not leading and self.leading:
            log.warning("lost the update lease: stopping long polling")
            if self.zalo is not None:
                await self.zalo.stop()
            await updater.stop()
        self.leading = leading
        self.services.metrics.is_leader.set(1 if leading else 0)

    async def run(self, stop: asyncio.Event) -> None:
        within = self.ttl / 3 + LEADER_SILENCE_EXTRA
        while not stop.is_set():
            self.services.metrics.beat("leader", within)
            try:
                await self.step()
            except Exception:  # starting or stopping long polling failed: try again next round
                log.warning("leadership round failed", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.ttl / 3)

    async def resign(self) -> None:
        if self.zalo is not None:
            await self.zalo.stop()
        updater = self.app.updater
        # also when stopped in the middle of a round that had just started polling
        if updater is not None and (self.leading or updater.running):
            log.info("stopping long polling")
            try:
                await asyncio.wait_for(updater.stop(), STOP_POLLING_SECONDS)
            except TimeoutError:
                log.warning("long polling did not stop within %d s; going on", STOP_POLLING_SECONDS)
        self.leading = False
        with contextlib.suppress(Exception):
            await self.services.store.leases.resign(LEADER, self.owner)


async def serve(
    settings: Settings,
    *,
    webhook: bool,
    stop: asyncio.Event | None = None,
    clock: Clock | None = None,
    ready: asyncio.Future[Services] | None = None,
) -> None:
    """Run until SIGTERM/SIGINT (or `stop`): in-flight sends finish, claims are handed back.
    `ready` receives the services once the bot is up (tests)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    engine = None
    try:
        engine = create_engine(settings.database_url)
        await upgrade(engine)
        services = build_services(settings, Store(engine), clock)
        await services.sender.heartbeat.start()  # the first write: proves the database can be written
    except Exception as exc:
        if engine is not None:
            with contextlib.suppress(Exception):
                await engine.dispose()
        raise database_problem(settings.database_url, exc) from exc
    zalo_pacer = services.sender.pacers.get(Platform.ZALO)
    zalo_handler = (
        ZaloHandler(services, services.zalo, zalo_pacer.slot if zalo_pacer else None)
        if services.zalo is not None
        else None
    )
    zalo_webhook: ZaloWebhook | None = None
    try:
        if services.zalo is not None:
            problem = await check_zalo(services.zalo.client.get_me)
            if problem is not None:
                raise ZaloRejected(problem)
            if webhook:
                secret, base = settings.zalo_webhook_secret, settings.public_base_url
                if secret is None or not base or not settings.health_port:
                    raise ZaloRejected(
                        "Zalo by webhook needs ZALO_WEBHOOK_SECRET, PUBLIC_BASE_URL and HEALTH_PORT"
                    )
                assert zalo_handler is not None
                zalo_webhook = ZaloWebhook(secret.get_secret_value(), zalo_handler)
                await services.zalo.client.set_webhook(
                    base.rstrip("/") + ZALO_WEBHOOK_PATH, secret.get_secret_value()
                )
    except Exception:
        for zalo in (services.zalo, services.zalo_sender):
            if zalo is not None:
                await zalo.client.aclose()
        await services.sender.heartbeat.stop()
        await engine.dispose()
        raise
    app = build_application(settings, services)
    health = None
    if settings.health_port:
        health = HealthServer(
            services.store.stats,
            services.clock,
            services.metrics,
            port=settings.health_port,
            poll_interval=settings.poll_interval_seconds,
            host=settings.health_listen,
            metrics_token=settings.metrics_token.get_secret_value() if settings.metrics_token else None,
            pages=FullTextPages(
                services.store.articles, PageSettings(settings.department_name, settings.zone)
            )
            if settings.public_base_url
            else None,
            extra_routes=zalo_webhook.routes(ZALO_WEBHOOK_PATH) if zalo_webhook else (),
            informative={Platform.ZALO.value: ZaloProbe(services.zalo.client).check}
            if services.zalo
            else None,
        )
        await health.start()
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.start()
    updater = app.updater
    assert updater is not None
    leadership: Leadership | None = None
    leader_task: asyncio.Task[None] | None = None
    try:
        if webhook:
            assert settings.webhook_url and settings.webhook_secret
            webhook_secret.install()
            await updater.start_webhook(
                listen=settings.webhook_listen,
                port=settings.port,
                url_path=WEBHOOK_PATH,
                webhook_url=f"{settings.webhook_url}/{WEBHOOK_PATH}",
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=ALLOWED_UPDATES,
            )
            log.info("receiving updates by webhook on port %d", settings.port)
        else:
            await app.bot.delete_webhook()
            zalo_polling = (
                ZaloPolling(services.zalo.client, zalo_handler)
                if services.zalo is not None and zalo_handler is not None
                else None
            )
            leadership = Leadership(
                app, services, services.sender.owner, settings.leader_ttl_seconds, zalo=zalo_polling
            )
            leader_task = asyncio.create_task(leadership.run(stop), name="leadership")
        if ready is not None:
            ready.set_result(services)
        await stop.wait()
        log.info("stopping: finishing the sends in flight")
    finally:
        began = time.monotonic()
        if leader_task:
            leader_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await leader_task
            log.info("leadership task stopped")
        async with _step("stopping the updates"):
            if leadership:
                await leadership.resign()
            elif updater.running:
                await updater.stop()
        # no update comes in any more: the replies in hand get a short grace, then what is left is cancelled
        # (a reply waiting out a 429 or a send slot would otherwise hold the stop for minutes)
        processor = app.update_processor
        if isinstance(processor, FairUpdates):
            await processor.close(REPLY_GRACE_SECONDS)
        limiter = app.bot.rate_limiter
        if isinstance(limiter, ReplyPacing):  # what jobs still send is tried once, not retried for minutes
            limiter.close()
        if zalo_webhook is not None:  # the Zalo messages in hand are answered before the sender stops
            async with _step("answering the Zalo messages in hand"):
                await zalo_webhook.drain()
        async with _step("stopping the application and its jobs"):
            await app.stop()
        async with _step("stopping the sender"):
            if app.post_stop:
                await app.post_stop(app)
        async with _step("closing the connections"):
            await app.shutdown()
            if app.post_shutdown:
                await app.post_shutdown(app)
            if health:
                await health.stop()
            await services.sender.heartbeat.stop()
            await engine.dispose()
        log.info("stopped in %.1f s", time.monotonic() - began)


@contextlib.asynccontextmanager
async def _step(name: str) -> AsyncIterator[None]:
    """A step of the stop that takes long is named in the log (a stop must stay short)."""
    began = time.monotonic()
    yield
    took = time.monotonic() - began
    if took >= SLOW_STEP_SECONDS:
        log.warning("stopping: %s took %.1f s", name, took)
