"""The only code that sends to subscribers: claim due deliveries → render → pace → send → record.

A steady stream: one dispatcher hands out evenly spaced slots, sends run concurrently (bounded by
SENDER_CONCURRENCY), and outcomes are written in small batches (at least every FLUSH_SECONDS, or as soon
as FLUSH_MAX are waiting). The database is the source of truth: a delivery is claimed with a lease; if the
process dies, the lease runs out (or the next start releases it) and it is sent again. What a kill can
repeat is therefore bounded: the sends in flight (≤ SENDER_CONCURRENCY) plus the outcomes not yet written
(≤ FLUSH_MAX, in practice rate × FLUSH_SECONDS) — see `duplicate_window`.

The sender has its own HTTP connection pool (SENDER_CONCURRENCY connections), separate from the one the
command handlers reply through, so a large fan-out never makes a citizen's /help wait for a connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import time
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import Clock
from bot.delivery.heartbeat import Heartbeat
from bot.delivery.pacing import Pacer
from bot.delivery.transport import AiohttpRequest, NotSent
from bot.domain.outcomes import Action, Failure, decide, in_quiet_hours
from bot.domain.render import Rendered, fit_sentences, render_article, telegram_length, visible_length
from bot.metrics import Metrics
from bot.settings import Settings
from bot.store.records import ArticleRecord, BroadcastRecord, DeliveryJob, Outcome
from bot.store.store import Store

log = logging.getLogger(__name__)

TAG = re.compile(r"<[^>]+>")
FLUSH_SECONDS = 0.05  # outcomes are written at least this often while sending
FLUSH_MAX = 32  # … and at once when this many are waiting
IDLE_SECONDS = 1.0  # longest nap when nothing is due (a new article wakes the sender at once)
MIN_NAP_SECONDS = 0.05
REAP_SECONDS = 10.0  # how often expired claims of dead processes are looked for
ARTICLE_CACHE = 256
BACKOFF_FIRST, BACKOFF_MAX = 0.25, 10.0  # waits after database errors: 0.25 s, 0.5 s, 1 s … 10 s
SENDER_SILENCE = 120.0  # the sender loop is stuck when it makes no progress this long (a 429 pause included)
FLUSH_SILENCE = 30.0


def failure_of(exc: Exception) -> Failure:
    """Telegram's answer (as python-telegram-bot raised it) as plain data. Specific classes first:
    ChatMigrated and RetryAfter come before status codes; BadRequest and TimedOut are NetworkErrors."""
    if isinstance(exc, RetryAfter):
        value: Any = exc.retry_after
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        return Failure("retry_after", str(exc), seconds)
    if isinstance(exc, ChatMigrated):
        return Failure("migrated", str(exc))
    if isinstance(exc, Forbidden):
        return Failure("forbidden", str(exc))
    if isinstance(exc, BadRequest):
        return Failure("bad_request", str(exc))
    if isinstance(exc, TimedOut):
        cause = exc.__cause__
        if isinstance(cause, NotSent | httpx.ConnectTimeout | httpx.PoolTimeout):
            return Failure("timed_out_connect", str(exc) or "connect timeout")
        return Failure("timed_out_read", str(exc) or "read timeout")
    return Failure("network", str(exc) or type(exc).__name__)


def plain(html_text: str) -> str:
    """The visible words of an HTML message we rendered (for the parse-error fallback)."""
    return html.unescape(TAG.sub("", html_text))


class Sender:
    def __init__(
        self, store: Store, clock: Clock, settings: Settings, *, owner: str, metrics: Metrics | None = None
    ) -> None:
        self.metrics = metrics or Metrics()
        self.store = store
        self.clock = clock
        self.settings = settings
        self.owner = owner
        self.zone = settings.zone
        shared = store.is_postgres  # several processes may share the database: one timeline for all
        self.pacer = Pacer(
            settings.send_rate_per_second,
            private_interval=settings.private_chat_interval_seconds,
            group_per_minute=settings.group_messages_per_minute,
            reserve=store.reserve_send_slots if shared else None,
            share_pause=store.pause_send_slots if shared else None,
        )
        self.batch = int(min(2000, max(50, settings.send_rate_per_second * 2)))
        self.heartbeat = Heartbeat(store, clock, owner, self.metrics)
        self._own_heartbeat = False
        self._bot: Bot | None = None
        self._own_bot = False
        self._wake = asyncio.Event()
        self._flush_now = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(settings.sender_concurrency)
        self._outcomes: list[Outcome] = []
        self._articles: dict[int, ArticleRecord] = {}
        self._rendered: dict[tuple[int, str], Rendered] = {}
        self._broadcasts: dict[int, BroadcastRecord] = {}
        self.sent_count = 0
        self._flush_failures = 0

    @property
    def duplicate_window(self) -> int:
        """At most this many sends can be repeated after a kill: in flight plus not yet recorded."""
        return self.settings.sender_concurrency + FLUSH_MAX

    # ---- life cycle --------------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        """Start sending through a Bot of our own (own connection pool, send timeouts) with `bot`'s
        token. Anything else (a test double) is used as given."""
        if isinstance(bot, Bot):
            timeout = self.settings.send_timeout_seconds
            request = AiohttpRequest(
                pool_size=self.settings.sender_concurrency,
                read_timeout=timeout,
                connect_timeout=min(timeout, 10.0),
                proxy=self.settings.telegram_proxy,
            )
            self._bot = Bot(bot.token, base_url=self.settings.telegram_api_base_url, request=request)
            await request.initialize()
            self._own_bot = True
        else:
            self._bot = bot
        self._stopping = False
        if not self.heartbeat.running:
            await self.heartbeat.start()
            self._own_heartbeat = True
        self.metrics.beat("sender", SENDER_SILENCE)
        self.metrics.beat("sender_outcomes", FLUSH_SILENCE)
        released = await self.store.release_stale_claims(self.clock.now(), owner=self.owner)
        if self.store.engine.dialect.name == "sqlite":
            # one process per SQLite file: whatever is still 'sending' was in flight when we last died
            released += await self.store.release_stale_claims(self.clock.now() + timedelta(days=36500))
        if released:
            log.info("resuming %d deliveries that were in flight when the bot last stopped", released)
        self._task = asyncio.create_task(self._run(), name="sender")
        self._flusher = asyncio.create_task(self._flush_loop(), name="sender-flush")

    async def stop(self) -> None:
        """Finish the sends in flight, record them, hand back what was claimed but not sent."""
        self._stopping = True
        self._wake.set()
        if self._task:
            self._task.cancel()  # waiting for a slot, a claim or the gate: nothing is lost (see below)
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        if self._flusher:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        await self._flush()
        # claimed but never sent (the rest of the batch): back to the queue
        try:
            await self.store.release_stale_claims(self.clock.now(), owner=self.owner)
        except Exception as exc:  # the database is away: the next start (or another process) takes them
            log.warning("could not hand back the unsent claims: %s", exc)
        self.metrics.forget_loop("sender")
        self.metrics.forget_loop("sender_outcomes")
        if self._own_heartbeat:
            await self.heartbeat.stop()
            self._own_heartbeat = False
        if self._own_bot and self._bot is not None:
            await self._bot.request.shutdown()

    def forget_broadcast(self, broadcast_id: int) -> None:
        """A cancelled broadcast stops at once, also for deliveries already claimed: without it in the
        batch's cache, they are recorded as cancelled instead of sent."""
        self._broadcasts.pop(broadcast_id, None)

    def wake(self) -> None:
        self._wake.set()

    # ---- the stream --------------------------------------------------------------------------

    async def _run(self) -> None:
        """Claim, dispatch, repeat — and survive: a database or network error is logged (once per run of
        errors), the rest of the batch is handed back, and the loop backs off and resumes."""
        reaped = time.monotonic()
        failures = 0
        while not self._stopping:
            self.metrics.beat("sender", SENDER_SILENCE)
            jobs: list[DeliveryJob] = []
            index = 0
            try:
                now = self.clock.now()
                if time.monotonic() - reaped >= min(REAP_SECONDS, self.settings.delivery_lease_seconds / 2):
                    # an older process died holding claims: its leases ran out, send them again
                    reaped = time.monotonic()
                    released = await self.store.release_stale_claims(now)
                    if released:
                        log.info("took over %d deliveries whose claim expired", released)
                if not self.heartbeat.holds_claims():
                    await asyncio.sleep(self.heartbeat.interval)  # cannot prove we are alive: claim nothing
                    continue
                lease = self.settings.delivery_lease_seconds
                jobs = await self.store.claim(self.owner, now, self.batch, lease)
                if failures:
                    log.info("the sender is working again after %d failed rounds", failures)
                    failures = 0
                if not jobs:
                    await self._nap(now)
                    continue
                claimed_at = time.monotonic()
                await self._load_articles(jobs)
                for index, job in enumerate(jobs):
                    if (
                        time.monotonic() - claimed_at > self.settings.delivery_lease_seconds / 2
                        or not self.heartbeat.holds_claims()
                    ):
                        # the claim would run out, or another process may think this one dead and take
                        # the claims over: hand them back rather than risk sending them twice
                        for unsent in jobs[index:]:
                            self._hand_back(unsent)
                        jobs = []
                        break
                    await self._dispatch(job)
                    self.metrics.beat("sender", SENDER_SILENCE)
                jobs = []
            except Exception as exc:
                failures += 1
                for unsent in jobs[index:]:
                    self._hand_back(unsent)
                if failures == 1 or failures % 20 == 0:
                    log.warning("sender: %s (%d in a row); backing off", _describe(exc), failures)
                await asyncio.sleep(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(failures - 1, 8)))

    async def _nap(self, now: Any) -> None:
        """Nothing to claim: sleep until the next delivery is due (at most IDLE_SECONDS) or a wake."""
        self._wake.clear()
        timeout = IDLE_SECONDS
        with contextlib.suppress(Exception):
            due = await self.store.next_due_at()
            if due is not None:
                timeout = min(IDLE_SECONDS, max(MIN_NAP_SECONDS, (due - now).total_seconds()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout)

    async def _load_articles(self, jobs: list[DeliveryJob]) -> None:
        wanted = {j.article_id for j in jobs if j.article_id is not None}
        if wanted:  # read each batch: an article corrected since (/resend) is rendered anew
            if len(self._articles) > ARTICLE_CACHE:
                self._articles.clear()
                self._rendered.clear()
            for article_id, record in (await self.store.articles_by_ids(wanted)).items():
                if self._articles.get(article_id) != record:
                    self._articles[article_id] = record
                    for key in [k for k in self._rendered if k[0] == article_id]:
                        del self._rendered[key]
        casts = {j.broadcast_id for j in jobs if j.broadcast_id is not None}
        if casts:  # always fresh: a cancelled broadcast must stop at once
            self._broadcasts = await self.store.broadcasts_by_ids(casts)

    def _record(self, outcome: Outcome) -> None:
        self._outcomes.append(outcome)
        if len(self._outcomes) >= FLUSH_MAX:
            self._flush_now.set()

    def _hand_back(self, job: DeliveryJob, delay: float = 0.0) -> None:
        at = self.clock.now()
        self._record(
            Outcome(job.id, "pending", at, retry_at=at + timedelta(seconds=delay), count_attempt=False)
        )

    async def _dispatch(self, job: DeliveryJob) -> None:
        wait = self.pacer.chat_wait(job.chat_id, job.chat_type)
        if wait > 0:
            self._hand_back(job, wait)
            return
        silent = job.silent
        quiet = job.quiet_start is not None and job.quiet_mode != "off"
        if quiet and (job.article_id is not None or job.broadcast_id is not None):
            local = self.clock.now().astimezone(self.zone)
            if in_quiet_hours(local.hour, job.quiet_start, job.quiet_end):
                if job.quiet_mode == "hold":
                    end = local.replace(hour=job.quiet_end or 0, minute=0, second=0, microsecond=0)
                    if end <= local:
                        end += timedelta(days=1)
                    self._record(
                        Outcome(job.id, "pending", self.clock.now(), retry_at=end, count_attempt=False)
                    )
                    return
                silent = True
        # the gate first, then the slot: a slot taken while waiting for a free connection would be used late,
        # bunched with the next one
        await self._gate.acquire()
        try:
            await self.pacer.slot()
        except BaseException:
            self._gate.release()
            raise
        self.pacer.sent(job.chat_id)
        task = asyncio.create_task(self._deliver(job, silent))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _deliver(self, job: DeliveryJob, silent: bool) -> None:
        try:
            self._record(await self._attempt(job, silent))
        except Exception as exc:  # never lose a claimed delivery to a bug: retry it later
            log.exception("delivery %d crashed", job.id)
            at = self.clock.now()
            self._record(
                Outcome(job.id, "pending", at, error=repr(exc)[:300], retry_at=at + timedelta(seconds=60))
            )
        finally:
            self._gate.release()

    def _render(self, job: DeliveryJob) -> Rendered | None:
        """What to send for a delivery: an article, an admin's broadcast, or a pre-rendered payload."""
        if job.article_id is not None:
            keyword = job.payload.get("keyword") if job.payload else None
            full_text = self.settings.full_text_url(job.article_id, job.language)
            if keyword:  # sent for a followed keyword, outside the chosen topics: rare, not cached
                found = self._articles.get(job.article_id)
                if found is None:
                    return None
                return render_article(
                    found, job.language, self.zone, reason=str(keyword), full_text_url=full_text
                )
            key = (job.article_id, job.language)
            cached = self._rendered.get(key)
            if cached is None:
                article = self._articles.get(job.article_id)
                if article is None:
                    return None
                cached = self._rendered[key] = render_article(
                    article, job.language, self.zone, full_text_url=full_text
                )
            return cached
        if job.broadcast_id is not None:
            cast = self._broadcasts.get(job.broadcast_id)
            if cast is None or cast.status == "cancelled":
                return None
            return Rendered(cast.text, cast.photo, html=False, entities=tuple(cast.entities or ()))
        if job.payload and job.payload.get("text"):
            return Rendered(str(job.payload["text"]), job.payload.get("photo"))
        return None

    async def _attempt(self, job: DeliveryJob, silent: bool) -> Outcome:
        rendered = self._render(job)
        now = self.clock.now()
        if rendered is None:
            return Outcome(job.id, "cancelled", now, error="nothing to send (withdrawn or cancelled)")
        attempts = job.attempts + 1
        chat_id = job.chat_id
        thread_id = job.thread_id
        as_plain = False
        for tries in range(7):  # fallbacks: no photo, plain text, shorter (twice), a migrated chat, no topic
            if tries:
                await self.pacer.slot()  # a fallback is one more request: it takes a slot of its own
            try:
                message_id = await self._send(
                    chat_id, rendered, silent, job.link_previews, as_plain, thread_id=thread_id
                )
                self.sent_count += 1
                self.metrics.messages_sent.inc()  # Telegram accepted it
                return Outcome(job.id, "sent", self.clock.now(), message_id=message_id)
            except (RetryAfter, ChatMigrated, Forbidden, NetworkError) as exc:
                error = exc
                failure = failure_of(exc)
                decision = decide(
                    failure,
                    attempts,
                    self.settings.max_send_attempts,
                    had_photo=rendered.photo is not None,
                    was_plain=as_plain,
                    had_thread=thread_id is not None,
                    had_album=bool(rendered.album),
                )
            now = self.clock.now()
            if decision.action is Action.NO_ALBUM:
                log.info(
                    "delivery %d: album refused (%s); one photo instead", job.id, failure.description[:120]
                )
                rendered = rendered.single or replace(rendered, album=())
                continue
            if decision.action is Action.NO_PHOTO:
                rendered = replace(rendered, photo=None)
                continue
            if decision.action is Action.PLAIN_TEXT:
                as_plain = True
                continue
            if decision.action is Action.SHORTEN:
                rendered = self._shorter(job, rendered, as_plain)
                continue
            if decision.action is Action.MIGRATE:
                assert isinstance(error, ChatMigrated)
                new_id = int(error.new_chat_id)
                await self.store.migrate_chat(chat_id, new_id, now)
                self.pacer.forget(chat_id)
                chat_id = new_id
                continue
            if decision.action is Action.NO_THREAD:
                assert thread_id is not None
                await self.store.leave_thread(chat_id, thread_id, now)
                log.warning(
                    "chat %d: topic %d is gone (deleted, or topics turned off); the subscription stays "
                    "and messages go to the main chat from now on",
                    chat_id,
                    thread_id,
                )
                thread_id = None
                continue
            if decision.action is Action.PAUSE:
                self.pacer.pause(decision.delay)
                log.warning("Telegram asked to slow down: pausing %.1f s", decision.delay)
                return Outcome(
                    job.id,
                    "pending",
                    now,
                    error=failure.description[:300],
                    retry_at=now + timedelta(seconds=decision.delay),
                    count_attempt=False,
                )
            if decision.action is Action.DEACTIVATE:
                return Outcome(
                    job.id, "failed", now, error=failure.description[:300], deactivate_chat=chat_id
                )
            if decision.action is Action.RETRY:
                return Outcome(
                    job.id,
                    "pending",
                    now,
                    error=failure.description[:300],
                    retry_at=now + timedelta(seconds=decision.delay),
                )
            log.warning("delivery %d parked as failed: %s", job.id, failure.description[:200])
            return Outcome(job.id, "failed", now, error=failure.description[:300])
        return Outcome(job.id, "failed", self.clock.now(), error="every fallback failed")

    def _shorter(self, job: DeliveryJob, rendered: Rendered, as_plain: bool) -> Rendered:
        """Telegram counted the message as too long: about a third shorter, cut at a sentence. An
        article keeps its title, date and link and loses the end of its summary."""
        shown = visible_length(rendered.text) if rendered.html else telegram_length(rendered.text)
        target = max(1, min(rendered.limit, shown) * 2 // 3)
        article = self._articles.get(job.article_id) if job.article_id is not None else None
        if article is not None and rendered.html and not as_plain:
            summary = article.summary
            while summary:
                summary = fit_sentences(summary, telegram_length(summary) * 2 // 3)
                candidate = render_article(
                    replace(article, summary=summary),
                    job.language,
                    self.zone,
                    with_photo=rendered.photo is not None,
                    with_album=False,
                    full_text_url=self.settings.full_text_url(article.id, job.language),
                    reason=str(job.payload["keyword"])
                    if job.payload and job.payload.get("keyword")
                    else None,
                )
                if visible_length(candidate.text) <= target or not summary:
                    return candidate
        text = plain(rendered.text) if rendered.html else rendered.text
        return replace(rendered, text=fit_sentences(text, target), html=False, entities=())

    async def _send(
        self,
        chat_id: int,
        rendered: Rendered,
        silent: bool,
        previews: bool,
        as_plain: bool,
        *,
        thread_id: int | None = None,
    ) -> int | None:
        """One sendPhoto/sendMessage/sendMediaGroup. The parameters are built as plain JSON and the answer
        is read as plain JSON (python-telegram-bot's own request layer, its errors — RetryAfter, ChatMigrated,
        Forbidden, BadRequest, TimedOut — but no Message objects): the hot path of a fan-out."""
        assert self._bot is not None
        params: dict[str, Any] = {"chat_id": chat_id}
        if thread_id is not None:  # a forum topic subscribed with /start inside it
            params["message_thread_id"] = thread_id
        if silent:
            params["disable_notification"] = True
        keyboard = rendered.keyboard
        if keyboard:
            params["reply_markup"] = {"inline_keyboard": keyboard}
        text = plain(rendered.text) if as_plain and rendered.html else rendered.text
        if rendered.album:  # one request, one delivery: the caption on the first photo
            first: dict[str, Any] = {"type": "photo", "media": rendered.album[0], "caption": text}
            if rendered.html and not as_plain:
                first["parse_mode"] = "HTML"
            params["media"] = [first, *({"type": "photo", "media": url} for url in rendered.album[1:])]
            if self.settings.paid_broadcast:
                params["allow_paid_broadcast"] = True
            # _do_post: python-telegram-bot's _post would read the media as its InputMedia objects
            post = getattr(self._bot, "_do_post", self._bot._post)
            result = await post("sendMediaGroup", params)
            if isinstance(result, list) and result and isinstance(result[0], dict):
                return int(result[0]["message_id"])
            return None
        if rendered.html and not as_plain:
            params["parse_mode"] = "HTML"
        if rendered.entities:
            params["caption_entities" if rendered.photo else "entities"] = list(rendered.entities)
        if self.settings.paid_broadcast:
            params["allow_paid_broadcast"] = True
        if rendered.photo:
            endpoint = "sendPhoto"
            params["photo"] = rendered.photo
            params["caption"] = text
        else:
            endpoint = "sendMessage"
            params["text"] = text
            params["link_preview_options"] = {"is_disabled": not previews}
            if previews and rendered.button_url:  # the link is the button, not in the text
                params["link_preview_options"]["url"] = rendered.button_url
        result = await self._bot._post(endpoint, params)
        return int(result["message_id"]) if isinstance(result, dict) and "message_id" in result else None

    # ---- outcomes ----------------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._flush_now.wait(), FLUSH_SECONDS)
            self._flush_now.clear()
            self.metrics.beat("sender_outcomes", FLUSH_SILENCE)
            await self._flush()

    async def _flush(self) -> None:
        """Write the outcomes waiting; when the database is away they wait (in order) and are written when
        it is back, with a growing pause between attempts."""
        if not self._outcomes:
            return
        batch, self._outcomes = self._outcomes, []
        try:
            await self.store.record_outcomes(batch, owner=self.owner)
        except Exception as exc:
            self._outcomes[:0] = batch
            self._flush_failures += 1
            if self._flush_failures == 1 or self._flush_failures % 20 == 0:
                log.warning(
                    "recording %d outcomes failed (%d in a row): %s; will retry",
                    len(batch),
                    self._flush_failures,
                    _describe(exc),
                )
            await asyncio.sleep(min(2.0, FLUSH_SECONDS * 2 ** min(self._flush_failures, 6)))
            return
        if self._flush_failures:
            log.info("outcomes recorded again after %d failed attempts", self._flush_failures)
            self._flush_failures = 0
        for outcome in batch:
            if outcome.count_attempt or outcome.status != "pending":
                self.metrics.deliveries.labels(
                    "retry" if outcome.status == "pending" else outcome.status
                ).inc()
        self._wake.set()  # a chat's next delivery may be claimable now


def _describe(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
