"""The only code that sends to subscribers: claim due deliveries → render → pace → send → record.

A steady stream: one dispatcher hands out evenly spaced slots, sends run concurrently (bounded), and
outcomes are written in small batches. The database is the source of truth: a delivery is claimed with a
lease; if the process dies, the lease runs out (or the next start releases it) and it is sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
)
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.clock import Clock
from bot.delivery.pacing import Pacer
from bot.domain.outcomes import Action, Failure, decide, in_quiet_hours
from bot.domain.render import Rendered, fit_sentences, render_article, visible_length
from bot.settings import Settings
from bot.store.records import ArticleRecord, BroadcastRecord, DeliveryJob, Outcome
from bot.store.store import Store

log = logging.getLogger(__name__)

TAG = re.compile(r"<[^>]+>")
FLUSH_SECONDS = 0.1
IDLE_SECONDS = 1.0


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
        return Failure("timed_out_read", str(exc))
    return Failure("network", str(exc) or type(exc).__name__)


def plain(html_text: str) -> str:
    """The visible words of an HTML message we rendered (for the parse-error fallback)."""
    return html.unescape(TAG.sub("", html_text))


class Sender:
    def __init__(self, store: Store, clock: Clock, settings: Settings, *, owner: str) -> None:
        self.store = store
        self.clock = clock
        self.settings = settings
        self.owner = owner
        self.zone = settings.zone
        self.pacer = Pacer(
            settings.send_rate_per_second,
            private_interval=settings.private_chat_interval_seconds,
            group_per_minute=settings.group_messages_per_minute,
        )
        self.batch = int(min(2000, max(50, settings.send_rate_per_second * 2)))
        self._bot: Bot | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(settings.sender_concurrency)
        self._outcomes: list[Outcome] = []
        self._articles: dict[int, ArticleRecord] = {}
        self._broadcasts: dict[int, BroadcastRecord] = {}
        self.sent_count = 0

    # ---- life cycle --------------------------------------------------------------------------

    async def start(self, bot: Bot) -> None:
        self._bot = bot
        self._stopping = False
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
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._inflight:
            await asyncio.gather(*self._inflight, return_exceptions=True)
        if self._flusher:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        await self._flush()
        await self.store.release_stale_claims(self.clock.now(), owner=self.owner)

    def wake(self) -> None:
        self._wake.set()

    # ---- the stream --------------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping:
            try:
                jobs = await self.store.claim(
                    self.owner, self.clock.now(), self.batch, self.settings.delivery_lease_seconds
                )
            except Exception:
                log.exception("claiming deliveries failed; retrying")
                await asyncio.sleep(IDLE_SECONDS)
                continue
            if not jobs:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), IDLE_SECONDS)
                continue
            await self._load_articles(jobs)
            for index, job in enumerate(jobs):
                if self._stopping:
                    self._hand_back(jobs[index:])
                    break
                await self._dispatch(job)

    async def _load_articles(self, jobs: list[DeliveryJob]) -> None:
        wanted = {j.article_id for j in jobs if j.article_id is not None} - self._articles.keys()
        if wanted:
            if len(self._articles) > 256:
                self._articles.clear()
            self._articles.update(await self.store.articles_by_ids(wanted))
        casts = {j.broadcast_id for j in jobs if j.broadcast_id is not None}
        if casts:  # always fresh: a cancelled broadcast must stop at once
            self._broadcasts = await self.store.broadcasts_by_ids(casts)

    def _hand_back(self, jobs: list[DeliveryJob], delay: float = 0.0) -> None:
        at = self.clock.now()
        for job in jobs:
            self._outcomes.append(
                Outcome(job.id, "pending", at, retry_at=at + timedelta(seconds=delay), count_attempt=False)
            )

    async def _dispatch(self, job: DeliveryJob) -> None:
        wait = self.pacer.chat_wait(job.chat_id, job.chat_type)
        if wait > 0:
            self._hand_back([job], wait)
            return
        silent = job.silent
        local = self.clock.now().astimezone(self.zone)
        if job.article_id is not None and in_quiet_hours(local.hour, job.quiet_start, job.quiet_end):
            if job.quiet_mode == "hold":
                end = local.replace(hour=job.quiet_end or 0, minute=0, second=0, microsecond=0)
                if end <= local:
                    end += timedelta(days=1)
                self._outcomes.append(
                    Outcome(job.id, "pending", self.clock.now(), retry_at=end, count_attempt=False)
                )
                return
            silent = True
        await self.pacer.slot()
        await self._gate.acquire()
        self.pacer.sent(job.chat_id)
        task = asyncio.create_task(self._deliver(job, silent))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _deliver(self, job: DeliveryJob, silent: bool) -> None:
        try:
            self._outcomes.append(await self._attempt(job, silent))
        except Exception as exc:  # never lose a claimed delivery to a bug: retry it later
            log.exception("delivery %d crashed", job.id)
            at = self.clock.now()
            self._outcomes.append(
                Outcome(job.id, "pending", at, error=repr(exc)[:300], retry_at=at + timedelta(seconds=60))
            )
        finally:
            self._gate.release()
        if len(self._outcomes) >= 200:
            await self._flush()

    def _render(self, job: DeliveryJob) -> Rendered | None:
        """What to send for a delivery: an article, an admin's broadcast, or a pre-rendered payload."""
        if job.article_id is not None:
            article = self._articles.get(job.article_id)
            return render_article(article, job.language, self.zone) if article else None
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
        as_plain = False
        for _ in range(4):  # fallbacks: no photo, plain text, shorter — each at most once
            try:
                message = await self._send(chat_id, rendered, silent, job.link_previews, as_plain)
                self.sent_count += 1
                return Outcome(job.id, "sent", self.clock.now(), message_id=message.message_id)
            except (RetryAfter, ChatMigrated, Forbidden, NetworkError) as exc:
                error = exc
                failure = failure_of(exc)
                decision = decide(
                    failure,
                    attempts,
                    self.settings.max_send_attempts,
                    had_photo=rendered.photo is not None,
                    was_plain=as_plain,
                )
            now = self.clock.now()
            if decision.action is Action.NO_PHOTO:
                rendered = replace(rendered, photo=None)
                continue
            if decision.action is Action.PLAIN_TEXT:
                as_plain = True
                continue
            if decision.action is Action.SHORTEN:
                rendered = self._shorter(rendered)
                continue
            if decision.action is Action.MIGRATE:
                assert isinstance(error, ChatMigrated)
                new_id = int(error.new_chat_id)
                await self.store.migrate_chat(chat_id, new_id, now)
                self.pacer.forget(chat_id)
                chat_id = new_id
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
            return Outcome(job.id, "failed", now, error=failure.description[:300])
        return Outcome(job.id, "failed", self.clock.now(), error="every fallback failed")

    def _shorter(self, rendered: Rendered) -> Rendered:
        limit = rendered.limit
        text = rendered.text
        while visible_length(text) > limit and "\n\n" in text:
            text = text.rsplit("\n\n", 1)[0]
        if visible_length(text) > limit:
            text = fit_sentences(plain(text), limit - 1)
        return replace(rendered, text=text)

    async def _send(
        self, chat_id: int, rendered: Rendered, silent: bool, previews: bool, as_plain: bool
    ) -> Message:
        assert self._bot is not None
        markup = None
        if rendered.button_url and rendered.button_text:
            markup = InlineKeyboardMarkup(
                [[InlineKeyboardButton(rendered.button_text, url=rendered.button_url)]]
            )
        text = plain(rendered.text) if as_plain and rendered.html else rendered.text
        parse_mode = "HTML" if rendered.html and not as_plain else None
        extra: dict[str, Any] = {}
        if rendered.entities:
            entities = [MessageEntity.de_json(e, self._bot) for e in rendered.entities]
            extra["caption_entities" if rendered.photo else "entities"] = entities
        if self.settings.paid_broadcast:
            extra["allow_paid_broadcast"] = True
        if rendered.photo:
            return await self._bot.send_photo(
                chat_id,
                rendered.photo,
                caption=text,
                parse_mode=parse_mode,
                disable_notification=silent,
                reply_markup=markup,
                **extra,
            )
        return await self._bot.send_message(
            chat_id,
            text,
            parse_mode=parse_mode,
            disable_notification=silent,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=not previews),
            **extra,
        )

    # ---- outcomes ----------------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            await self._flush()

    async def _flush(self) -> None:
        if not self._outcomes:
            return
        batch, self._outcomes = self._outcomes, []
        try:
            await self.store.record_outcomes(batch)
        except Exception:
            log.exception("recording %d outcomes failed; will retry", len(batch))
            self._outcomes[:0] = batch
            return
        if any(o.status == "pending" for o in batch):
            self._wake.set()
