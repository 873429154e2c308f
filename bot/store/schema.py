"""The tables. Migrations under bot/store/migrations are the source of the live schema; this module
describes the same tables for queries and is checked against the migrations by a test."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from bot.domain.choices import DeliveryMode, QuietMode, Topics
from bot.domain.statuses import ArticleStatus, Audience, BroadcastStatus, DeliveryStatus, FeedOrigin, Platform


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on every backend (SQLite stores naive text)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _own_id(context: Any) -> str:
    """A Telegram chat's address is its id."""
    return str(context.get_current_parameters()["id"])


metadata = sa.MetaData()

TS = UTCDateTime()

chats = sa.Table(
    "chats",
    metadata,
    # the internal key: a Telegram chat's own id; other messengers' chats get ids from ZALO_ID_BASE up
    sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("platform", sa.String(16), nullable=False, server_default=Platform.TELEGRAM.value),
    # the messenger's own chat id, as text (a Telegram chat's: its id, filled in when not given)
    sa.Column("address", sa.String(64), nullable=False, default=_own_id),
    sa.Column("type", sa.String(16), nullable=False),  # private, group, supergroup, channel
    sa.Column("title", sa.String(256)),
    sa.Column("username", sa.String(64)),
    sa.Column("language", sa.String(8), nullable=False, server_default="vi"),
    sa.Column("subscribed", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),  # false: blocked/kicked
    sa.Column("topics", sa.String(16), nullable=False, server_default=Topics.ALL.value),  # a Topics value
    sa.Column("feed_ids", sa.String(256), nullable=False, server_default=""),  # for topics=feeds (older)
    sa.Column("categories", sa.String(1024), nullable=False, server_default=""),  # for topics=categories
    sa.Column(
        "mode", sa.String(16), nullable=False, server_default=DeliveryMode.INSTANT.value
    ),  # a DeliveryMode value
    sa.Column("digest_hour", sa.SmallInteger, nullable=False, server_default="7"),
    sa.Column("digest_weekday", sa.SmallInteger, nullable=False, server_default="0"),  # 0 Monday … 6 Sunday
    sa.Column("quiet_start", sa.SmallInteger),  # local hour; null: no quiet hours
    sa.Column("quiet_end", sa.SmallInteger),
    sa.Column(
        "quiet_mode", sa.String(8), nullable=False, server_default=QuietMode.SILENT.value
    ),  # a QuietMode value
    sa.Column("link_previews", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("added_by", sa.BigInteger),  # user who subscribed a group or channel
    sa.Column("created_at", TS, nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.Column("last_digest_at", TS),
    sa.Column("thread_id", sa.BigInteger),  # a forum topic's message_thread_id; null: the main chat
    sa.Index("uq_chats_platform_address", "platform", "address", unique=True),
    sa.Index("ix_chats_platform_fanout", "platform", "subscribed", "active"),
)

chat_menus = sa.Table(  # the last numbered menu shown to a chat on a messenger without buttons (Zalo)
    "chat_menus",
    metadata,
    sa.Column(
        "chat_id",
        sa.BigInteger,
        sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("options", sa.JSON, nullable=False),
    sa.Column("shown_at", TS, nullable=False),
)

feeds = sa.Table(
    "feeds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("configured_url", sa.String(1024), nullable=False, unique=True),
    sa.Column("url", sa.String(1024), nullable=False),  # after permanent redirects
    sa.Column("name", sa.String(256)),
    sa.Column("title", sa.String(512)),
    sa.Column("interval_seconds", sa.Integer, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("etag", sa.String(512)),
    sa.Column("last_modified", sa.String(128)),
    sa.Column("body_hash", sa.String(64)),
    sa.Column("initialized", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("next_poll_at", TS),
    sa.Column("last_polled_at", TS),
    sa.Column("last_success_at", TS),
    sa.Column("last_new_at", TS),
    sa.Column("consecutive_errors", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("last_duration_ms", sa.Integer),
    sa.Column("alerted", sa.String(16)),  # failing | stale | null: which admin alert is outstanding
    sa.Column("lease_owner", sa.String(64)),
    sa.Column("lease_until", TS),
    # managed from the chat: "config" (the settings file) or "admin"; an admin's pause, removal, name and
    # interval outlive restarts (the settings file is only the start-up default)
    sa.Column("origin", sa.String(16), nullable=False, server_default=FeedOrigin.CONFIG.value),
    sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("removed", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("admin_name", sa.String(256)),
    sa.Column("admin_interval", sa.Integer),
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id", ondelete="CASCADE"), nullable=False),
    sa.Column("key", sa.String(512), nullable=False, unique=True),
    sa.Column("link", sa.String(2048), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("lead", sa.Text, nullable=False, server_default=""),
    sa.Column("body", sa.Text, nullable=False, server_default=""),
    sa.Column("summary", sa.Text, nullable=False, server_default=""),
    sa.Column("image", sa.String(2048)),
    sa.Column("source", sa.String(256)),
    sa.Column("kind", sa.String(16), nullable=False, server_default="article"),
    sa.Column("award", sa.JSON),
    sa.Column("media", sa.JSON),  # {"images": [url, …], "attachments": [{"url": …, "name": …}, …]}
    sa.Column("search_text", sa.Text, nullable=False, server_default=""),  # accent-folded
    sa.Column("published_at", TS),
    sa.Column("discovered_at", TS, nullable=False),
    sa.Column(
        "status", sa.String(16), nullable=False, server_default=ArticleStatus.PUBLISHED.value
    ),  # corrected | retracted
    sa.Column("category", sa.String(128)),  # the site's category alias, from the link
    sa.Column("category_name", sa.String(128)),  # its name, from the article page's breadcrumb
    sa.Index("ix_articles_published", "published_at"),
    sa.Index("ix_articles_kind_published", "kind", "published_at"),
    sa.Index("ix_articles_category", "category"),
)

broadcasts = sa.Table(
    "broadcasts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("admin_id", sa.BigInteger, nullable=False),
    sa.Column("admin_chat_id", sa.BigInteger, nullable=False),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("entities", sa.JSON),
    sa.Column("photo", sa.String(512)),
    sa.Column("audience", sa.String(16), nullable=False, server_default=Audience.ALL.value),
    sa.Column(
        "status", sa.String(16), nullable=False, server_default=BroadcastStatus.DRAFT.value
    ),  # draft|sending|done|cancelled
    sa.Column("progress_message_id", sa.BigInteger),
    sa.Column("total", sa.Integer, nullable=False, server_default="0"),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("finished_at", TS),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "chat_id",
        sa.BigInteger,
        sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
        nullable=False,
    ),
    sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id", ondelete="CASCADE")),
    sa.Column("broadcast_id", sa.Integer, sa.ForeignKey("broadcasts.id", ondelete="CASCADE")),
    sa.Column("status", sa.String(16), nullable=False, server_default=DeliveryStatus.PENDING.value),
    # pending | sending | sent | failed | cancelled
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("due_at", TS, nullable=False),
    sa.Column("lease_owner", sa.String(64)),
    sa.Column("lease_until", TS),
    sa.Column("silent", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("payload", sa.JSON),  # a pre-rendered message: {"text": html} (digests, alerts)
    sa.Column("sent_at", TS),
    sa.Column("message_id", sa.BigInteger),
    sa.Column("message_ref", sa.String(128)),  # message ids that are not integers (Zalo), comma-separated
    sa.Column("error", sa.Text),
    sa.Column("created_at", TS, nullable=False),
    sa.UniqueConstraint("chat_id", "article_id", name="uq_delivery_chat_article"),
    sa.UniqueConstraint("chat_id", "broadcast_id", name="uq_delivery_chat_broadcast"),
    sa.Index("ix_deliveries_due", "status", "due_at"),
    sa.Index("ix_deliveries_chat", "chat_id", "status", "id"),
)

follows = sa.Table(
    "follows",
    metadata,
    sa.Column(
        "chat_id",
        sa.BigInteger,
        sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    sa.Column("keyword", sa.String(128), primary_key=True),  # accent-folded
    sa.Column("shown", sa.String(128), nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

mutes = sa.Table(
    "mutes",
    metadata,
    sa.Column(
        "chat_id",
        sa.BigInteger,
        sa.ForeignKey("chats.id", ondelete="CASCADE", onupdate="CASCADE"),
        primary_key=True,
    ),
    sa.Column("word", sa.String(128), primary_key=True),  # accent-folded words, one space between
    sa.Column("shown", sa.String(128), nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", TS, nullable=False),
    sa.Column("admin_id", sa.BigInteger, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("recipients", sa.Integer),
)

leader = sa.Table(
    "leader",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("owner", sa.String(64), nullable=False),
    sa.Column("until", TS, nullable=False),
)

send_pacing = sa.Table(
    "send_pacing",
    metadata,
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("next_slot", TS, nullable=False),
)

processes = sa.Table(
    "processes",
    metadata,
    sa.Column("owner", sa.String(64), primary_key=True),  # host:pid, the name on its claims and leases
    sa.Column("started_at", TS, nullable=False),
    sa.Column("heartbeat_at", TS, nullable=False),
)
