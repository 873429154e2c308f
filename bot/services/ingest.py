"""Poll a feed → new articles + their deliveries + the feed's validators, in one transaction."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.domain.article import build_article
from bot.domain.fetch_policy import FetchPolicy
from bot.domain.models import Article, FeedEntry
from bot.domain.policy import backoff_delay, next_poll_delay
from bot.feeds.fetch import FeedClient, FetchResult, Validators
from bot.feeds.page import parse_page
from bot.feeds.parse import FeedError, parse_feed
from bot.metrics import Metrics
from bot.settings import FeedConfig
from bot.store.records import ArticleRecord, FeedRecord, PollOutcome


class FeedRepo(Protocol):
    """What this module uses of the store's feeds."""

    async def due_feeds(self, now: datetime) -> list[FeedRecord]: ...

    async def list_feeds(self) -> list[FeedRecord]: ...

    async def record_poll(self, outcome: PollOutcome) -> None: ...


class LeaseRepo(Protocol):
    """What this module uses of the store's leases."""

    async def acquire_feed_lease(
        self, feed_id: int, owner: str, now: datetime, ttl: float
    ) -> FeedRecord | None: ...


class ArticleRepo(Protocol):
    """What this module uses of the store's articles."""

    async def known_keys(self, keys: Iterable[str]) -> set[str]: ...

    async def save_poll(
        self,
        outcome: PollOutcome,
        new_articles: Sequence[Article],
        deliver: Sequence[str],
    ) -> dict[str, int]: ...

    async def get_article(self, article_id: int) -> ArticleRecord | None: ...

    async def update_article(self, article_id: int, art: Article) -> None: ...


log = logging.getLogger(__name__)

PAGE_CONCURRENCY = 2  # NukeViet's flood blocker allows 40 requests a minute per address
POLL_SILENCE_EXTRA = 120.0  # the poller is stuck after three ticks plus this without a tick
OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class PollReport:
    feed_id: int
    status: str  # new | unchanged | not_modified | error | busy
    new: int = 0
    queued: int = 0
    error: str | None = None


def feed_policy(configured: Sequence[FeedConfig], configured_url: str, url: str) -> FetchPolicy:
    """The sites a feed's fetches may reach: its own (as configured and where it moved) and the hosts an
    admin listed for it."""
    listed = [h for config in configured if config.url == configured_url for h in config.allowed_hosts]
    return FetchPolicy.for_feed(url, (*listed, configured_url))


def _own_image(article: Article, policy: FetchPolicy) -> Article:
    """The article without its image when the image is not on the feed's sites."""
    if article.image and not policy.allows(article.image):
        log.warning("article %s: image dropped: %s", article.key, policy.refusal(article.image))
        return dataclasses.replace(article, image=None)
    return article


def oldest_first(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Feeds list newest first; undated entries keep their feed position relative to the others."""
    in_order = list(reversed(entries))
    return (
        sorted(in_order, key=lambda e: e.published or OLDEST)
        if all(e.published for e in entries)
        else in_order
    )


def new_entries(entries: Sequence[FeedEntry], known: set[str]) -> list[FeedEntry]:
    """Entries whose identity the archive does not have yet, each once, oldest first."""
    seen: set[str] = set()
    fresh = []
    for entry in entries:
        if entry.key not in known and entry.key not in seen:
            seen.add(entry.key)
            fresh.append(entry)
    return oldest_first(fresh)


@dataclass(frozen=True, slots=True)
class IngestSettings:
    """What polling and ingesting read."""

    feeds: tuple[FeedConfig, ...]  # the configured feeds (their allowed hosts, names)
    fetch_timeout_seconds: float
    scheduler_tick_seconds: float
    poll_jitter_fraction: float
    backoff_base_seconds: float
    backoff_max_seconds: float
    backlog_send_latest: int
    summary_caption_budget: int


class IngestService:
    def __init__(
        self,
        feeds: FeedRepo,
        leases: LeaseRepo,
        articles: ArticleRepo,
        client: FeedClient,
        clock: Clock,
        settings: IngestSettings,
        *,
        owner: str,
        on_queued: Callable[[], None] = lambda: None,
        metrics: Metrics | None = None,
    ) -> None:
        self.metrics = metrics or Metrics()
        self.feeds = feeds
        self.leases = leases
        self.articles = articles
        self.client = client
        self.clock = clock
        self.settings = settings
        self.owner = owner
        self.on_queued = on_queued
        self._locks: dict[int, asyncio.Lock] = {}
        self._tasks: dict[int, asyncio.Task[PollReport]] = {}
        timeout = settings.fetch_timeout_seconds
        # the feed itself, then its pages two at a time, each page within the fetch timeout
        self.poll_deadline = timeout * 8 + 30
        self.lease_seconds = self.poll_deadline + 60

    async def aclose(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        await self.client.aclose()

    async def tick(self) -> int:
        """The scheduler's tick: every feed whose time has come is polled on a task of its own, with its
        own deadline; the tick returns at once, so a slow feed (or a slow article page) never delays
        another feed, nor the next tick. Returns how many polls were started."""
        self.metrics.beat("poller", 3 * self.settings.scheduler_tick_seconds + POLL_SILENCE_EXTRA)
        due = await self.feeds.due_feeds(self.clock.now())
        started = 0
        for feed in due:
            if feed.id in self._tasks:
                continue
            task = asyncio.create_task(self._poll_in_time(feed), name=f"poll-{feed.id}")
            self._tasks[feed.id] = task
            task.add_done_callback(functools.partial(self._task_done, feed.id))
            started += 1
        return started

    def _task_done(self, feed_id: int, _task: asyncio.Task[PollReport]) -> None:
        self._tasks.pop(feed_id, None)

    async def poll_due(self) -> list[PollReport]:
        """Poll every feed whose time has come, concurrently, one poll per feed, and wait for them all."""
        due = await self.feeds.due_feeds(self.clock.now())
        if not due:
            return []
        return list(await asyncio.gather(*(self._poll_in_time(feed) for feed in due)))

    async def poll_now(self) -> list[PollReport]:
        """Poll every feed now (admin /poll), regardless of schedule and backoff; not a paused one."""
        feeds = [feed for feed in await self.feeds.list_feeds() if not feed.paused]
        return list(await asyncio.gather(*(self._poll_in_time(feed) for feed in feeds)))

    async def _poll_in_time(self, feed: FeedRecord) -> PollReport:
        """One feed's poll within its deadline; never raises (a database error is logged and the feed is
        polled again at a later tick)."""
        started = time.monotonic()
        try:
            return await asyncio.wait_for(self.poll(feed), self.poll_deadline)
        except TimeoutError:
            error = f"the poll took longer than {self.poll_deadline:.0f} s"
            try:
                return await self._failed(feed, error, None, started)
            except Exception as exc:
                log.warning("feed %s: %s, and recording it failed: %s", feed.url, error, exc)
                return PollReport(feed.id, "error", error=error)
        except Exception as exc:  # the database is away: the lease runs out, a later tick tries again
            log.warning("polling feed %s failed: %s: %s", feed.url, type(exc).__name__, exc)
            return PollReport(feed.id, "error", error=str(exc))

    async def poll(self, feed: FeedRecord) -> PollReport:
        lock = self._locks.setdefault(feed.id, asyncio.Lock())
        if lock.locked():
            return PollReport(feed.id, "busy")
        async with lock:
            lease = self.lease_seconds
            fresh = await self.leases.acquire_feed_lease(feed.id, self.owner, self.clock.now(), lease)
            if fresh is None:
                return PollReport(feed.id, "busy")
            try:
                return await self._poll(fresh)  # recording the outcome gives the lease back
            except Exception as exc:  # a bug must not stop the schedule: record it as the feed's error
                log.exception("polling feed %s failed", feed.url)
                return await self._failed(fresh, f"internal error: {exc!r}", None, time.monotonic())

    async def _poll(self, feed: FeedRecord) -> PollReport:
        started = time.monotonic()
        policy = self.policy_for(feed)
        result = await self.client.fetch_feed(
            feed.url, Validators(feed.etag, feed.last_modified, feed.body_hash), policy=policy
        )
        if result.status == "error":
            return await self._failed(feed, result.error or "fetch failed", result.retry_after, started)
        if result.status in ("unchanged", "not_modified"):
            await self.feeds.record_poll(self._ok(feed, result, started))
            return PollReport(feed.id, result.status)
        assert result.body is not None
        try:
            parsed = await asyncio.to_thread(parse_feed, result.body, result.url)  # CPU: off the loop
        except FeedError as exc:
            return await self._failed(feed, str(exc), None, started)
        if parsed.warning:
            log.warning("feed %s is malformed but readable: %s", feed.url, parsed.warning)
        fresh = new_entries(parsed.entries, await self.articles.known_keys(e.key for e in parsed.entries))
        if feed.initialized:
            deliver = fresh
        else:  # first poll: the backlog is archived, only the latest N (setting) are sent
            latest = self.settings.backlog_send_latest
            deliver = fresh[-latest:] if latest else []
        articles = await self._articles(fresh, {e.key for e in deliver}, policy)
        outcome = self._ok(feed, result, started, title=parsed.title)
        queued = await self.articles.save_poll(outcome, articles, [e.key for e in deliver])
        total = sum(queued.values())
        if total:
            self.on_queued()
        self.metrics.poll_duration.labels(feed.url).observe(time.monotonic() - started)
        if fresh:
            self.metrics.new_articles.labels(feed.url).inc(len(fresh))
            log.info("feed %s: %d new article(s), %d deliveries queued", feed.url, len(fresh), total)
        return PollReport(feed.id, "new" if fresh else "unchanged", new=len(fresh), queued=total)

    def policy_for(self, feed: FeedRecord) -> FetchPolicy:
        return feed_policy(self.settings.feeds, feed.configured_url, feed.url)

    async def _articles(
        self, entries: Sequence[FeedEntry], with_page: set[str], policy: FetchPolicy
    ) -> list[Article]:
        """Build articles; pages are fetched (politely, few at a time) only for those to be delivered, and
        only from the feed's sites (`policy`; a link elsewhere keeps the feed's lead, an image elsewhere is
        dropped). A page that fails leaves the article with its feed lead: it is still delivered."""
        gate = asyncio.Semaphore(PAGE_CONCURRENCY)
        budget = self.settings.summary_caption_budget

        async def one(entry: FeedEntry) -> Article:
            page = None
            if entry.key in with_page and entry.link:
                if policy.allows(entry.link):
                    async with gate:
                        raw = await self.client.fetch_page(entry.link, policy=policy)
                    if raw:
                        page = await asyncio.to_thread(parse_page, raw, entry.link)
                else:
                    log.warning("article %s: page not fetched: %s", entry.key, policy.refusal(entry.link))
            return _own_image(await asyncio.to_thread(build_article, entry, page, budget), policy)

        return list(await asyncio.gather(*(one(e) for e in entries)))

    async def refresh_article(self, article_id: int) -> bool:
        """Read a published article's page again (an editor corrected it) and store what it says now.
        False when the article is unknown or its page cannot be read (the stored version stays)."""
        stored = await self.articles.get_article(article_id)
        if stored is None:
            return False
        feeds = [f for f in await self.feeds.list_feeds() if f.id == stored.feed_id]
        policy = self.policy_for(feeds[0]) if feeds else FetchPolicy(feed_host="", origins=frozenset())
        raw = await self.client.fetch_page(stored.link, policy=policy) if policy.allows(stored.link) else None
        if not raw:
            return False
        page = parse_page(raw, stored.link)
        entry = FeedEntry(
            key=stored.key,
            link=stored.link,
            title=page.title or stored.title,
            lead=stored.lead,
            thumbnail=stored.image,
            published=stored.published_at,
        )
        await self.articles.update_article(
            article_id, _own_image(build_article(entry, page, self.settings.summary_caption_budget), policy)
        )
        return True

    def _ok(
        self, feed: FeedRecord, result: FetchResult, started: float, title: str | None = None
    ) -> PollOutcome:
        now = self.clock.now()
        delay = next_poll_delay(feed.interval_seconds, self.settings.poll_jitter_fraction)
        return PollOutcome(
            feed_id=feed.id,
            at=now,
            next_poll_at=now + timedelta(seconds=delay),
            ok=True,
            etag=result.validators.etag,
            last_modified=result.validators.last_modified,
            body_hash=result.validators.body_hash,
            title=title,
            new_url=result.permanent_redirect,
            duration_ms=int((time.monotonic() - started) * 1000),
        )

    async def _failed(
        self, feed: FeedRecord, error: str, retry_after: float | None, started: float
    ) -> PollReport:
        now = self.clock.now()
        delay = backoff_delay(
            feed.consecutive_errors + 1, self.settings.backoff_base_seconds, self.settings.backoff_max_seconds
        )
        delay = max(delay, retry_after or 0.0)
        log.warning(
            "feed %s failed (%d in a row): %s; next try in %.0f s",
            feed.url,
            feed.consecutive_errors + 1,
            error,
            delay,
        )
        self.metrics.poll_errors.labels(feed.url).inc()
        await self.feeds.record_poll(
            PollOutcome(
                feed_id=feed.id,
                at=now,
                next_poll_at=now + timedelta(seconds=delay),
                ok=False,
                error=error[:500],
                duration_ms=int((time.monotonic() - started) * 1000),
            )
        )
        return PollReport(feed.id, "error", error=error)
