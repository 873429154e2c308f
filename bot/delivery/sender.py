"""The only code that sends to subscribers: claim due deliveries → render → pace → send → record.

A steady stream: one dispatcher hands out evenly spaced slots, sends run concurrently (bounded by
SENDER_CONCURRENCY), and outcomes are written in small batches (at least every FLUSH_SECONDS, or as soon
as FLUSH_MAX are waiting). The database is the source of truth: a delivery is claimed with a lease; if the
process dies, the lease runs out (or the next start releases it) and it is sent again. What a kill can
repeat is therefore bounded: the sends in flight (≤ SENDER_CONCURRENCY) plus the outcomes not yet written
(≤ FLUSH_MAX, in practice rate × FLUSH_SECONDS) — see `duplicate_window`.

The sender speaks to subscribers only through a Messenger (bot.delivery.messenger) and delegates to small
units: what to send (`RenderCache`), the quiet-hours rule (bot.domain.quiet), the fallbacks of one send
(bot.delivery.fallback) and the outcome batches (bot.delivery.batching).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.delivery.batching import FLUSH_MAX, FLUSH_SECONDS, OutcomeBatch, describe
from bot.delivery.fallback import Moves, send_with_fallbacks
from bot.delivery.heartbeat import Heartbeat
from bot.delivery.messenger import Messenger, Platform, Sent
from bot.delivery.pacing import Pacer
from bot.delivery.render_cache import RenderCache
from bot.domain.choices import QuietMode
from bot.domain.outcomes import Action
from bot.domain.quiet import quiet_decision
from bot.domain.statuses import DeliveryStatus
from bot.metrics import Metrics
from bot.store.records import ArticleRecord, BroadcastRecord, DeliveryJob, Outcome

__all__ = ["FLUSH_MAX", "FLUSH_SECONDS", "Sender"]

log = logging.getLogger(__name__)


class Outbox(Protocol):
    """What the sender uses of the store: the outbox, what it renders, the chats that move, the shared
    send timeline, and (for its heartbeat) the process leases."""

    is_postgres: bool

    async def release_stale_claims(self, now: datetime, owner: str | None = None) -> int: ...

    async def claim(
        self, owner: str, now: datetime, limit: int, lease_seconds: float
    ) -> list[DeliveryJob]: ...

    async def record_outcomes(self, outcomes: Sequence[Outcome], owner: str | None = None) -> None: ...

    async def next_due_at(self) -> datetime | None: ...

    async def articles_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleRecord]: ...

    async def broadcasts_by_ids(self, ids: Iterable[int]) -> dict[int, BroadcastRecord]: ...

    async def migrate_chat(self, old_id: int, new_id: int, now: datetime) -> None: ...

    async def leave_thread(self, chat_id: int, thread_id: int, now: datetime) -> bool: ...

    async def reserve_send_slots(self, count: int, spacing: float) -> float: ...

    async def pause_send_slots(self, seconds: float) -> None: ...

    async def heartbeat(self, owner: str, now: datetime) -> None: ...

    async def release_own(self, owner: str) -> dict[str, int]: ...

    async def release_dead(self, owner: str, stale_seconds: float) -> dict[str, int]: ...

    async def forget_process(self, owner: str) -> None: ...


IDLE_SECONDS = 1.0  # longest nap when nothing is due (a new article wakes the sender at once)
MIN_NAP_SECONDS = 0.05
REAP_SECONDS = 10.0  # how often expired claims of dead processes are looked for
BACKOFF_FIRST, BACKOFF_MAX = 0.25, 10.0  # waits after database errors: 0.25 s, 0.5 s, 1 s … 10 s
OUTCOME_NAMES = {Action.PAUSE: "paused", Action.DEACTIVATE: "inactive", Action.RETRY: "retry"}
SIDE_ROUND_SECONDS = (
    2.0  # another messenger's share of a batch is dispatched this long, the rest queued again
)
UNCONFIGURED_WAIT = 600.0  # a delivery for a messenger that is not configured is looked at again after this
SENDER_SILENCE = 120.0  # the sender loop is stuck when it makes no progress this long (a 429 pause included)
FLUSH_SILENCE = 30.0


@dataclass(frozen=True, slots=True)
class SenderSettings:
    """What the sender reads."""

    zone: ZoneInfo  # quiet hours are local
    send_rate_per_second: float
    private_chat_interval_seconds: float
    group_messages_per_minute: float
    sender_concurrency: int
    delivery_lease_seconds: float
    max_send_attempts: int
    public_base_url: str | None  # the full-text pages an article links to
    zalo_send_rate_per_second: float = 2.0  # Zalo's own pace (when Zalo is on)


class Sender:
    def __init__(
        self,
        store: Outbox,
        clock: Clock,
        settings: SenderSettings,
        messenger: Messenger,
        *,
        owner: str,
        metrics: Metrics | None = None,
        more: Sequence[Messenger] = (),
    ) -> None:
        self.metrics = metrics or Metrics()
        self.store = store
        self.clock = clock
        self.settings = settings
        self.messenger = messenger
        self.messengers: Mapping[str, Messenger] = {m.platform.value: m for m in (messenger, *more)}
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
        # each messenger has its own pace and its own pauses: a Zalo 429 never holds up Telegram
        self.pacers: dict[str, Pacer] = {messenger.platform.value: self.pacer}
        for other in more:
            if other.platform is Platform.ZALO:
                self.pacers[other.platform.value] = Pacer(
                    settings.zalo_send_rate_per_second, private_interval=0.0, group_per_minute=6000.0
                )
        self.batch = int(min(2000, max(50, settings.send_rate_per_second * 2)))
        self.heartbeat = Heartbeat(store, clock, owner, self.metrics)
        self.content = RenderCache(store, self.messengers, settings.public_base_url)
        self.outcomes = OutcomeBatch(store, owner, self.metrics, on_written=self.wake)
        self._moves = {  # a fallback's send takes a slot of its own messenger's pace
            platform: Moves(migrated=self._migrated, thread_gone=self._thread_gone, next_slot=pacer.slot)
            for platform, pacer in self.pacers.items()
        }
        self._own_heartbeat = False
        self._wake = asyncio.Event()
        self._stopping = False
        self._task: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Semaphore(settings.sender_concurrency)
        self.sent_count = 0

    @property
    def duplicate_window(self) -> int:
        """At most this many sends can be repeated after a kill: in flight plus not yet recorded."""
        return self.settings.sender_concurrency + FLUSH_MAX

    # ---- life cycle --------------------------------------------------------------------------

    async def start(self) -> None:
        self._stopping = False
        if not self.heartbeat.running:
            await self.heartbeat.start()
            self._own_heartbeat = True
        self.metrics.beat("sender", SENDER_SILENCE)
        self.metrics.beat("sender_outcomes", FLUSH_SILENCE)
        released = await self.store.release_stale_claims(self.clock.now(), owner=self.owner)
        if not self.store.is_postgres:
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
        await self.outcomes.flush()
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

    def forget_broadcast(self, broadcast_id: int) -> None:
        """A cancelled broadcast stops at once, also for deliveries already claimed: without it in the
        batch's cache, they are recorded as cancelled instead of sent."""
        self.content.forget_broadcast(broadcast_id)

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
            handled: set[int] = set()
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
                await self.content.load(jobs)
                by_platform: dict[str, list[DeliveryJob]] = {}
                for job in jobs:
                    by_platform.setdefault(job.platform, []).append(job)
                # each messenger's share of the batch at its own pace, side by side: a slow or paused
                # messenger never holds up another
                done = await asyncio.gather(
                    *(
                        self._dispatch_share(platform, share, claimed_at, handled)
                        for platform, share in by_platform.items()
                    ),
                    return_exceptions=True,  # every share stops first; then what was not handled goes back
                )
                failed = next((r for r in done if isinstance(r, BaseException)), None)
                if failed is not None:
                    raise failed
                jobs = []
            except Exception as exc:
                failures += 1
                for unsent in jobs:
                    if unsent.id not in handled:
                        self._hand_back(unsent)
                if failures == 1 or failures % 20 == 0:
                    log.warning("sender: %s (%d in a row); backing off", describe(exc), failures)
                await asyncio.sleep(min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** min(failures - 1, 8)))

    async def _dispatch_share(
        self, platform: str, jobs: list[DeliveryJob], claimed_at: float, handled: set[int]
    ) -> None:
        """One messenger's jobs of a claimed batch, in order. Another messenger than the main one gets a
        short round (SIDE_ROUND_SECONDS) and none while paused: the rest goes back to the queue (while paused:
        due when its slots would come, so the next claims are not filled with what must wait anyway)."""
        pacer = self.pacers.get(platform)
        side = platform != self.messenger.platform.value and pacer is not None
        began = time.monotonic()
        for index, job in enumerate(jobs):
            if (
                time.monotonic() - claimed_at > self.settings.delivery_lease_seconds / 2
                or not self.heartbeat.holds_claims()
            ):
                # the claim would run out, or another process may think this one dead and take the
                # claims over: hand them back rather than risk sending them twice
                for unsent in jobs[index:]:
                    handled.add(unsent.id)
                    self._hand_back(unsent)
                return
            paused = pacer.paused_for if pacer is not None else 0.0
            if side and pacer is not None and (paused > 0 or time.monotonic() - began > SIDE_ROUND_SECONDS):
                # paused: due when the pause ends, spaced at the messenger's pace; else at once (the next
                # claim takes them up again)
                for n, unsent in enumerate(jobs[index:], start=1):
                    handled.add(unsent.id)
                    self._hand_back(unsent, paused + n * pacer.spacing if paused > 0 else 0.0)
                return
            await self._dispatch(job)  # a failure here (the shared timeline is away) leaves it unhandled
            handled.add(job.id)
            self.metrics.beat("sender", SENDER_SILENCE)

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

    def _hand_back(self, job: DeliveryJob, delay: float = 0.0) -> None:
        at = self.clock.now()
        self.outcomes.add(
            Outcome(
                job.id,
                DeliveryStatus.PENDING,
                at,
                retry_at=at + timedelta(seconds=delay),
                count_attempt=False,
            )
        )

    async def _dispatch(self, job: DeliveryJob) -> None:
        pacer = self.pacers.get(job.platform)
        if pacer is None or job.platform not in self.messengers:
            # a messenger that is not configured (any more): the delivery waits for it to come back
            self._hand_back(job, UNCONFIGURED_WAIT)
            return
        wait = pacer.chat_wait(job.chat_id, job.chat_type)
        if wait > 0:
            self._hand_back(job, wait)
            return
        quiet = quiet_decision(
            self.clock.now().astimezone(self.zone),
            job.quiet_start,
            job.quiet_end,
            # no silent messages on Zalo: quiet hours there hold the news until morning
            QuietMode.HOLD
            if job.platform == Platform.ZALO and job.quiet_mode == QuietMode.SILENT
            else job.quiet_mode,
            news=job.article_id is not None or job.broadcast_id is not None,
            silent=job.silent,
        )
        if quiet.hold_until is not None:
            self.outcomes.add(
                Outcome(
                    job.id,
                    DeliveryStatus.PENDING,
                    self.clock.now(),
                    retry_at=quiet.hold_until,
                    count_attempt=False,
                )
            )
            return
        # the gate first, then the slot: a slot taken while waiting for a free connection would be used late,
        # bunched with the next one
        await self._gate.acquire()
        try:
            await pacer.slot()
        except BaseException:
            self._gate.release()
            raise
        pacer.sent(job.chat_id)
        task = asyncio.create_task(self._deliver(job, quiet.silent))
        self._inflight.add(task)
        task.add_done_callback(self._inflight.discard)

    async def _deliver(self, job: DeliveryJob, silent: bool) -> None:
        try:
            self.outcomes.add(await self._attempt(job, silent))
        except Exception as exc:  # never lose a claimed delivery to a bug: retry it later
            log.exception("delivery %d crashed", job.id)
            at = self.clock.now()
            self.outcomes.add(
                Outcome(
                    job.id,
                    DeliveryStatus.PENDING,
                    at,
                    error=repr(exc)[:300],
                    retry_at=at + timedelta(seconds=60),
                )
            )
        finally:
            self._gate.release()

    async def _attempt(self, job: DeliveryJob, silent: bool) -> Outcome:
        item = self.content.item(job)
        if item is None:
            return Outcome(
                job.id,
                DeliveryStatus.CANCELLED,
                self.clock.now(),
                error="nothing to send (withdrawn or cancelled)",
            )
        message = self.content.message(job, item)
        if silent != message.silent:
            message = replace(message, silent=silent)
        final = await send_with_fallbacks(
            self.messengers[job.platform],
            job.to,
            message,
            item,
            job.language,
            attempts=job.attempts + 1,
            max_attempts=self.settings.max_send_attempts,
            moves=self._moves[job.platform],
        )
        now = self.clock.now()
        result = final.result
        if isinstance(result, Sent):
            self.sent_count += 1
            self.metrics.messages_sent.inc()  # the messenger accepted it
            self.metrics.platform_messages.labels(job.platform, DeliveryStatus.SENT.value).inc()
            first = result.message_ids[0] if result.message_ids else None
            numeric = job.platform == Platform.TELEGRAM and first is not None and first.lstrip("-").isdigit()
            ref = None if numeric else ",".join(result.message_ids)[:128] or None
            return Outcome(
                job.id,
                DeliveryStatus.SENT,
                now,
                message_id=int(first) if numeric and first else None,
                message_ref=ref,
            )
        assert final.decision is not None
        decision, error = final.decision, result.detail[:300]
        self.metrics.platform_messages.labels(
            job.platform, OUTCOME_NAMES.get(decision.action, DeliveryStatus.FAILED.value)
        ).inc()
        if decision.action is Action.PAUSE:
            self.pacers[job.platform].pause(decision.delay)
            log.warning("%s asked to slow down: pausing %.1f s", job.platform, decision.delay)
            return Outcome(
                job.id,
                DeliveryStatus.PENDING,
                now,
                error=error,
                retry_at=now + timedelta(seconds=decision.delay),
                count_attempt=False,
            )
        if decision.action is Action.DEACTIVATE:
            return Outcome(
                job.id,
                DeliveryStatus.FAILED,
                now,
                error=error,
                deactivate_chat=self._chat_key(job, final.chat_id),
            )
        if decision.action is Action.RETRY:
            return Outcome(
                job.id,
                DeliveryStatus.PENDING,
                now,
                error=error,
                retry_at=now + timedelta(seconds=decision.delay),
            )
        log.warning("delivery %d parked as failed: %s", job.id, result.detail[:200])
        return Outcome(job.id, DeliveryStatus.FAILED, now, error=error)

    @staticmethod
    def _chat_key(job: DeliveryJob, sent_to: str) -> int:
        """The internal id of the chat a send went to (a Telegram group may have moved on the way)."""
        if job.platform == Platform.TELEGRAM and sent_to != job.to:
            return int(sent_to)
        return job.chat_id

    async def _migrated(self, old: str, new: str) -> None:
        """A group became a supergroup: its subscription moves to the new id."""
        await self.store.migrate_chat(int(old), int(new), self.clock.now())
        self.pacer.forget(int(old))

    async def _thread_gone(self, chat_id: str, thread_id: int) -> None:
        await self.store.leave_thread(int(chat_id), thread_id, self.clock.now())
        log.warning(
            "chat %s: topic %d is gone (deleted, or topics turned off); the subscription stays "
            "and messages go to the main chat from now on",
            chat_id,
            thread_id,
        )

    # ---- outcomes ----------------------------------------------------------------------------

    async def _flush_loop(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.outcomes.full.wait(), FLUSH_SECONDS)
            self.outcomes.full.clear()
            self.metrics.beat("sender_outcomes", FLUSH_SILENCE)
            await self.outcomes.flush()
