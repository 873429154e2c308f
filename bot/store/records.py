"""Plain records the store hands out. No behaviour; the services and the sender read them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

from bot.domain.models import AwardInfo
from bot.domain.statuses import ArticleStatus, BroadcastStatus, ChatType, FeedHealth, FeedOrigin, Platform


@dataclass(frozen=True, slots=True)
class ChatRecord:
    id: int
    type: str
    title: str | None
    username: str | None
    language: str
    subscribed: bool
    active: bool
    topics: str
    feed_ids: str
    mode: str
    digest_hour: int
    quiet_start: int | None
    quiet_end: int | None
    quiet_mode: str
    link_previews: bool
    created_at: datetime
    last_digest_at: datetime | None = None
    digest_weekday: int = 0  # the weekly digest's day: 0 Monday … 6 Sunday
    categories: str = ""  # the chosen category aliases, comma-separated (topics = "categories")
    thread_id: int | None = None  # the forum topic messages go to; None: the main chat
    platform: str = Platform.TELEGRAM  # the messenger the chat lives on
    address: str = ""  # the messenger's own chat id (a Telegram chat's: its id)

    @property
    def is_private(self) -> bool:
        return self.type == ChatType.PRIVATE


@dataclass(frozen=True, slots=True)
class FeedRecord:
    id: int
    configured_url: str
    url: str
    name: str | None
    title: str | None
    interval_seconds: int
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    initialized: bool
    next_poll_at: datetime | None
    last_polled_at: datetime | None
    last_success_at: datetime | None
    last_new_at: datetime | None
    consecutive_errors: int
    last_error: str | None
    last_duration_ms: int | None
    alerted: FeedHealth | None
    origin: str = FeedOrigin.CONFIG  # the settings file, or added from the chat (FeedOrigin)
    paused: bool = False


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    id: int
    feed_id: int
    key: str
    link: str
    title: str
    lead: str
    summary: str
    image: str | None
    source: str | None
    kind: str
    award: AwardInfo | None  # read from and written to its stored JSON by the store only
    published_at: datetime | None
    discovered_at: datetime
    status: ArticleStatus
    category: str | None = None
    category_name: str | None = None

    media: dict[str, Any] | None = None  # every photo and attachment of the page (see Article)

    @property
    def images(self) -> tuple[str, ...]:
        found = (self.media or {}).get("images") or ()
        return tuple(str(u) for u in found if u)

    @property
    def attachments(self) -> tuple[tuple[str, str], ...]:
        found = (self.media or {}).get("attachments") or ()
        return tuple(
            (str(a["url"]), str(a.get("name") or "")) for a in found if isinstance(a, dict) and a.get("url")
        )


@dataclass(frozen=True, slots=True)
class CategoryRecord:
    """A category of the site, as the archive knows it: its alias, its name (None until a page named
    it) and how many articles it holds."""

    alias: str
    name: str | None
    articles: int


@dataclass(frozen=True, slots=True)
class DeliveryJob:
    """A claimed delivery with what the sender needs to render and pace it."""

    id: int
    chat_id: int
    chat_type: str
    language: str
    link_previews: bool
    quiet_start: int | None
    quiet_end: int | None
    quiet_mode: str
    attempts: int
    article_id: int | None
    broadcast_id: int | None
    silent: bool
    payload: dict[str, Any] | None = None
    thread_id: int | None = None  # the forum topic the chat subscribed from (message_thread_id)
    platform: str = Platform.TELEGRAM  # the messenger the chat lives on
    address: str = ""  # the messenger's own chat id

    @property
    def to(self) -> str:
        """Where the messenger sends: its own chat id."""
        return self.address or str(self.chat_id)


@dataclass(frozen=True, slots=True)
class BroadcastRecord:
    id: int
    admin_id: int
    admin_chat_id: int
    text: str
    entities: list[dict[str, Any]] | None
    photo: str | None
    audience: str
    status: BroadcastStatus
    progress_message_id: int | None
    total: int
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one send, as the sender reports it to the store."""

    delivery_id: int
    status: str  # sent | pending (retry) | failed | cancelled
    at: datetime
    message_id: int | None = None
    message_ref: str | None = None  # the message ids when they are not integers (Zalo), comma-separated
    error: str | None = None
    retry_at: datetime | None = None
    deactivate_chat: int | None = None  # chat to mark inactive (blocked, kicked)
    count_attempt: bool = True


@dataclass(frozen=True, slots=True)
class PollOutcome:
    """What a poll of one feed learnt, written in one transaction."""

    feed_id: int
    at: datetime
    next_poll_at: datetime
    ok: bool
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    title: str | None = None
    new_url: str | None = None
    error: str | None = None
    duration_ms: int | None = None


@dataclass(frozen=True, slots=True)
class DeliveredMessage:
    delivery_id: int
    chat_id: int
    message_id: int  # 0 on a messenger whose ids are not numbers (Zalo: nothing to edit there)
    language: str
    platform: str = Platform.TELEGRAM


@dataclass(frozen=True, slots=True)
class SubscriberStats:
    active: int
    blocked: int
    unsubscribed: int
    by_topic: dict[str, int]
    by_type: dict[str, int]  # private | group | channel (supergroups count as groups)
    new_week: int
    new_month: int
    sent_day: int
    sent_week: int
    failed_day: int
    failed_week: int
    queue: int
    by_platform: dict[str, int] = field(default_factory=dict)  # active chats per messenger


@dataclass(frozen=True, slots=True)
class DailySeries:
    days: list[str]  # YYYY-MM-DD, local, oldest first
    subscribers: list[int]  # chats subscribed now, counted from the day they joined
    deliveries: list[int]  # messages sent that day


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    admin_id: int
    action: str
    detail: str
    recipients: int | None


class Added(Enum):
    ADDED = "added"  # a new feed
    RESTORED = "restored"  # one removed before, back
    PRESENT = "present"  # already polled


@dataclass(frozen=True, slots=True)
class FeedEntry:
    id: int
    url: str
    name: str | None
    title: str | None
    interval_seconds: int
    origin: str
    paused: bool
