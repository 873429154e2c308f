"""Feeds managed from the chat by admins: /addfeed (fetched once and shown before it is saved),
/removefeed, pause, resume, rename, interval, and OPML in and out. The settings file is the start-up
default; what admins change is kept in the database (and says so)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.clock import Clock
from bot.domain.models import FeedEntry as Item
from bot.domain.opml import OpmlError, OpmlFeed, build_opml, parse_opml
from bot.feeds.fetch import FeedClient, Validators
from bot.feeds.parse import FeedError, parse_feed
from bot.settings import FeedConfig
from bot.store.records import Added, FeedEntry


class FeedRepo(Protocol):
    """What this module uses of the store's feeds."""

    async def active_feeds(self) -> list[FeedEntry]: ...

    async def add_feed(
        self, admin_id: int, url: str, name: str | None, interval: int, now: datetime
    ) -> tuple[Added, int]: ...

    async def change_feed(
        self, admin_id: int, feed_id: int, action: str, now: datetime, **values: Any
    ) -> bool: ...


class AuditRepo(Protocol):
    """What this module uses of the store's audit."""

    async def record_action(
        self, admin_id: int, action: str, detail: str, now: datetime, recipients: int | None = None
    ) -> None: ...


PREVIEW_ITEMS = 3
DRAFT_SECONDS = 3600  # a shown feed waits this long for its ✅
INTERVALS = (300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 24 * 3600)
MAX_NAME = 80


@dataclass(frozen=True, slots=True)
class FeedCheck:
    """A feed fetched once: its title and newest items, or what is wrong with it."""

    url: str
    ok: bool
    title: str = ""
    items: tuple[Item, ...] = ()
    error: str = ""  # a reason for an admin ("HTTP 404", "not a feed …")
    token: str = ""  # the ✅ button's handle
    present: bool = False  # already polled


@dataclass(frozen=True, slots=True)
class OpmlImport:
    added: int
    present: int
    invalid: int  # outlines that are no feed URL the bot can poll
    error: str | None = None  # the file is no OPML


@dataclass
class _Draft:
    admin_id: int
    url: str
    title: str
    until: datetime


@dataclass(frozen=True, slots=True)
class FeedAdminSettings:
    department_name: str  # the OPML file's title
    poll_interval_seconds: int  # a new feed's interval


class FeedAdminService:
    def __init__(
        self,
        feeds: FeedRepo,
        audit_log: AuditRepo,
        clock: Clock,
        settings: FeedAdminSettings,
        client: FeedClient,
    ) -> None:
        self.feeds_repo = feeds
        self.audit_log = audit_log
        self.clock = clock
        self.settings = settings
        self.client = client
        self._drafts: dict[str, _Draft] = {}
        self._renames: dict[tuple[int, int], int] = {}  # (chat, the bot's question) → feed being renamed

    def ask_rename(self, chat_id: int, message_id: int, feed_id: int) -> None:
        self._renames[(chat_id, message_id)] = feed_id

    def renaming(self, chat_id: int, message_id: int) -> int | None:
        """The feed an admin's reply to this question renames (once)."""
        return self._renames.pop((chat_id, message_id), None)

    async def feeds(self) -> list[FeedEntry]:
        return await self.feeds_repo.active_feeds()

    async def check(self, admin_id: int, url: str) -> FeedCheck:
        """Fetch `url` once and parse it; a good feed is kept as a draft for the ✅ button."""
        url = url.strip()
        try:
            FeedConfig(url=url)
        except ValueError:
            return FeedCheck(url, False, error="url")
        if any(f.url == url for f in await self.feeds_repo.active_feeds()):
            return FeedCheck(url, False, present=True)
        result = await self.client.fetch_feed(url, Validators())
        if result.status != "ok" or result.body is None:
            return FeedCheck(url, False, error=result.error or f"HTTP {result.http_status}")
        try:
            parsed = parse_feed(result.body, result.url)
        except FeedError as exc:
            return FeedCheck(url, False, error=str(exc))
        if not parsed.entries:
            return FeedCheck(url, False, error="empty")
        newest = sorted(
            parsed.entries, key=lambda e: e.published.timestamp() if e.published else 0.0, reverse=True
        )[:PREVIEW_ITEMS]
        now = self.clock.now()
        self._drafts = {k: d for k, d in self._drafts.items() if d.until > now}
        token = secrets.token_hex(6)
        title = parsed.title or url
        self._drafts[token] = _Draft(admin_id, url, title, now + timedelta(seconds=DRAFT_SECONDS))
        return FeedCheck(url, True, title=title, items=tuple(newest), token=token)

    async def confirm(self, admin_id: int, token: str) -> tuple[Added, str] | None:
        """The ✅ of a shown feed: saved, named after its title; None when the draft is gone."""
        draft = self._drafts.pop(token, None)
        if draft is None or draft.until <= self.clock.now():
            return None
        added, _ = await self.feeds_repo.add_feed(
            admin_id, draft.url, draft.title[:MAX_NAME], self.settings.poll_interval_seconds, self.clock.now()
        )
        return added, draft.title

    def discard(self, token: str) -> None:
        self._drafts.pop(token, None)

    async def pause(self, admin_id: int, feed_id: int, paused: bool) -> bool:
        action = "pausefeed" if paused else "resumefeed"
        return await self.feeds_repo.change_feed(admin_id, feed_id, action, self.clock.now(), paused=paused)

    async def rename(self, admin_id: int, feed_id: int, name: str) -> str | None:
        name = " ".join(name.split())[:MAX_NAME]
        if not name:
            return None
        done = await self.feeds_repo.change_feed(
            admin_id, feed_id, "renamefeed", self.clock.now(), admin_name=name
        )
        return name if done else None

    async def set_interval(self, admin_id: int, feed_id: int, seconds: int) -> bool:
        if seconds not in INTERVALS:
            return False
        return await self.feeds_repo.change_feed(
            admin_id, feed_id, "feedinterval", self.clock.now(), admin_interval=seconds
        )

    async def remove(self, admin_id: int, feed_id: int) -> bool:
        """Not polled any more (its articles stay in the archive), also after a restart."""
        return await self.feeds_repo.change_feed(
            admin_id, feed_id, "removefeed", self.clock.now(), enabled=False, removed=True
        )

    async def export_opml(self, admin_id: int) -> tuple[bytes, int]:
        entries = await self.feeds_repo.active_feeds()
        items = [OpmlFeed(f.url, f.name or f.title, f.interval_seconds) for f in entries]
        data = build_opml(self.settings.department_name, items, self.clock.now())
        await self.audit_log.record_action(admin_id, "opml", f"{len(items)}", self.clock.now())
        return data, len(items)

    async def import_opml(self, admin_id: int, data: bytes) -> OpmlImport:
        """Every feed of the file that the bot does not poll yet, added as an admin's."""
        try:
            found = parse_opml(data)
        except OpmlError as exc:
            return OpmlImport(0, 0, 0, error=str(exc))
        added = present = invalid = 0
        for item in found:
            try:
                FeedConfig(url=item.url)
            except ValueError:
                invalid += 1
                continue
            interval = item.interval_seconds if 60 <= (item.interval_seconds or 0) <= 86_400 else None
            result, _ = await self.feeds_repo.add_feed(
                admin_id,
                item.url,
                item.name[:MAX_NAME] if item.name else None,
                interval or self.settings.poll_interval_seconds,
                self.clock.now(),
            )
            if result is Added.PRESENT:
                present += 1
            else:
                added += 1
        return OpmlImport(added, present, invalid)
