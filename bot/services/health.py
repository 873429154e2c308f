"""Feed health: alert the admins once when a feed keeps failing or goes stale, and once when it recovers.

The alert goes through the delivery engine (an HTML payload per admin), queued in the same transaction
that records which alert is outstanding, so several processes never alert twice.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.health import decide_alert, feed_state
from bot.domain.statuses import FeedHealth
from bot.i18n import t
from bot.store.records import FeedRecord


class ChatRepo(Protocol):
    """What this module uses of the store's chats."""

    async def chat_languages(self, chat_ids: Sequence[int]) -> dict[int, str]: ...


class FeedRepo(Protocol):
    """What this module uses of the store's feeds."""

    async def list_feeds(self) -> list[FeedRecord]: ...

    async def record_feed_alert(
        self,
        feed_id: int,
        old: str | None,
        new: str | None,
        messages: dict[int, str],
        now: datetime,
    ) -> bool: ...


log = logging.getLogger(__name__)


def feed_category(url: str) -> str:
    """The category alias of a NukeViet category feed ("" for a site-wide feed): `…/rss/thong-bao/` or
    `…&op=rss/thong-bao`."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    if "/rss" in path:
        return path.rsplit("/rss", 1)[1].strip("/")
    op = dict(parse_qsl(parts.query)).get("op", "")
    return op.split("/", 1)[1].strip("/") if op.startswith("rss/") else ""


def address_label(url: str) -> str:
    """A feed without a name, before its first poll tells its title: its site, and the category
    address of a NukeViet category feed (`…/rss/thong-bao/` → `sokhcn.tayninh.gov.vn › thong-bao`)."""
    host = urlsplit(url).netloc.removeprefix("www.") or url
    alias = feed_category(url)
    return f"{host} › {alias}" if alias else host


def feed_name(feed: FeedRecord) -> str:
    return feed.name or feed.title or address_label(feed.url)


CONNECT_SIGNS = ("connecterror", "connection", "name or service", "nodename", "resolution", "network")


def error_words(error: str | None, lang: str, limit: int = 200) -> str:
    """A feed's last error for an admin (HTML): what it means in words, the technical text after it in
    monospace for whoever maintains the bot."""
    if not error:
        return t("feed_error_unknown", lang)
    low = error.lower()
    if low.startswith("timeout") or "timeout" in low.split(":", 1)[0]:
        key, values = "feed_error_timeout", {}
    elif low.startswith("http ") and low[5:8].isdigit():
        key, values = "feed_error_http", {"code": low[5:8]}
    elif low.startswith("too large"):
        key, values = "feed_error_too_large", {}
    elif any(sign in low for sign in CONNECT_SIGNS):
        key, values = "feed_error_connect", {}
    else:
        key, values = "feed_error_other", {}
    return f"{t(key, lang, **values)} (<code>{html.escape(error[:limit], quote=False)}</code>)"


class Zoned(Protocol):
    @property
    def zone(self) -> ZoneInfo: ...


def local_time(moment: datetime | None, settings: Zoned, lang: str) -> str:
    if moment is None:
        return t("admin_never", lang)
    return moment.astimezone(settings.zone).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True, slots=True)
class HealthSettings:
    """What the feed health check reads."""

    admin_ids: tuple[int, ...]  # who is alerted
    default_language: str  # an admin's language when the bot has no chat with them
    failing_threshold: int  # failed polls in a row before an alert
    stale_days: int  # days without a new article before an alert
    zone: ZoneInfo


class HealthService:
    def __init__(
        self,
        chats: ChatRepo,
        feeds: FeedRepo,
        clock: Clock,
        settings: HealthSettings,
        *,
        wake: Callable[[], None] = lambda: None,
    ) -> None:
        self.chats = chats
        self.feeds = feeds
        self.clock = clock
        self.settings = settings
        self.wake = wake

    async def check(self) -> list[tuple[int, str]]:
        """Look at every feed; returns the (feed id, alert) pairs sent now."""
        now = self.clock.now()
        sent: list[tuple[int, str]] = []
        admins = list(self.settings.admin_ids)
        languages = await self.chats.chat_languages(admins)
        for feed in await self.feeds.list_feeds():
            if feed.paused:  # an admin stopped it: silence is expected, not news
                continue
            state = feed_state(
                feed.consecutive_errors,
                feed.last_new_at,
                now,
                failing_threshold=self.settings.failing_threshold,
                stale_days=self.settings.stale_days,
            )
            decision = decide_alert(feed.alerted, state)
            if decision.alert is None:
                continue
            messages = {
                admin: self.alert_text(
                    feed, decision.alert, languages.get(admin) or self.settings.default_language
                )
                for admin in admins
            }
            if await self.feeds.record_feed_alert(feed.id, feed.alerted, decision.state, messages, now):
                log.warning("feed %s: %s (admins alerted)", feed.url, decision.alert)
                sent.append((feed.id, decision.alert))
        if sent and admins:
            self.wake()
        return sent

    def alert_text(self, feed: FeedRecord, alert: str, lang: str) -> str:
        name = html.escape(feed_name(feed), quote=False)
        if alert == FeedHealth.FAILING:
            return t(
                "admin_alert_failing",
                lang,
                name=name,
                errors=feed.consecutive_errors,
                error=error_words(feed.last_error, lang),
                next=local_time(feed.next_poll_at, self.settings, lang),
            )
        if alert == FeedHealth.STALE:
            return t(
                "admin_alert_stale",
                lang,
                name=name,
                days=self.settings.stale_days,
                last=local_time(feed.last_new_at, self.settings, lang),
            )
        return t("admin_alert_recovered", lang, name=name)
