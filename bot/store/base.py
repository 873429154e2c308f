"""What every table family of the store shares: the engine, the row mappers (written once), the
dialect helpers (PostgreSQL/SQLite upsert and row locks) and the few writes several families make
in their own transactions (cancelling a chat's queue, the audit row, a poll's feed state)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.choices import DeliveryMode, Topics
from bot.domain.identity import category_alias
from bot.domain.models import Article, AwardInfo, Kind
from bot.domain.statuses import ArticleStatus, BroadcastStatus, ChatType, DeliveryStatus, FeedHealth
from bot.domain.text import fold, word_text
from bot.store.records import ArticleRecord, BroadcastRecord, ChatRecord, FeedRecord, PollOutcome
from bot.store.schema import audit_log, chats, deliveries, feeds, follows, mutes

CATEGORY_RE = re.compile(r"[a-z0-9][a-z0-9-]*")  # an alias as category_alias reads it: safe in LIKE


class Family:
    """One family of tables over the shared engine. Every method is one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"


# ---- row mappers ---------------------------------------------------------------------------------


def _fields(record: type[Any], row: Any) -> dict[str, Any]:
    return {name: getattr(row, name) for name in record.__dataclass_fields__}


def chat_record(row: Any) -> ChatRecord:
    return ChatRecord(**_fields(ChatRecord, row))


def feed_record(row: Any) -> FeedRecord:
    values = _fields(FeedRecord, row)
    values["alerted"] = FeedHealth(row.alerted) if row.alerted else None
    return FeedRecord(**values)


def article_record(row: Any) -> ArticleRecord:
    values = _fields(ArticleRecord, row)
    stored = values["award"]
    values["award"] = AwardInfo.from_json(stored) if isinstance(stored, Mapping) else None
    values["status"] = ArticleStatus(row.status)
    return ArticleRecord(**values)


def broadcast_record(row: Any) -> BroadcastRecord:
    return BroadcastRecord(**{**_fields(BroadcastRecord, row), "status": BroadcastStatus(row.status)})


def article_content(art: Article) -> dict[str, Any]:
    """The columns an article's content fills (on insert, and again when it is corrected)."""
    return {
        "title": art.title,
        "lead": art.lead,
        "body": art.body,
        "summary": art.summary,
        "image": art.image,
        "source": art.source,
        "kind": art.kind.value,
        "award": art.award.as_json() if art.award else None,
        "media": {
            "images": list(art.images),
            "attachments": [{"url": url, "name": name} for url, name in art.attachments],
        }
        if art.images or art.attachments
        else None,
        "search_text": fold(" ".join([art.title, art.lead, art.body])),
        "published_at": art.published,
        "category": art.category or category_alias(art.link),
        "category_name": art.category_name,
    }


# ---- dialect helpers -----------------------------------------------------------------------------


def insert_ignore(postgres: bool, table: sa.Table) -> Any:
    """INSERT that does nothing when the row exists (both backends)."""
    if postgres:
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def upsert(
    postgres: bool,
    table: sa.Table,
    values: dict[str, Any],
    key: Sequence[sa.Column[Any]],
    update: dict[str, Any],
) -> Any:
    """INSERT, or UPDATE `update` when a row with the same `key` exists (both backends)."""
    insert = postgresql.insert(table) if postgres else sqlite.insert(table)
    return insert.values(**values).on_conflict_do_update(index_elements=list(key), set_=update)


def locked(postgres: bool, query: sa.Select[Any]) -> sa.Select[Any]:
    """The rows of `query` locked for this transaction (PostgreSQL; SQLite writes one at a time)."""
    return query.with_for_update() if postgres else query


# ---- writes several families make ----------------------------------------------------------------


async def cancel_open(conn: AsyncConnection, chat_id: int, why: str) -> None:
    """What is still queued for a chat is cancelled (it unsubscribed, or blocked the bot)."""
    await conn.execute(
        deliveries.update()
        .where(deliveries.c.chat_id == chat_id, deliveries.c.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, error=why)
    )


async def write_audit(
    conn: AsyncConnection,
    admin_id: int,
    action: str,
    detail: str,
    now: datetime,
    recipients: int | None = None,
) -> None:
    """The one writer of the audit log."""
    await conn.execute(
        audit_log.insert().values(
            at=now, admin_id=admin_id, action=action, detail=detail[:2000], recipients=recipients
        )
    )


async def ensure_chat(conn: AsyncConnection, chat_id: int, now: datetime) -> None:
    """An admin who never subscribed still needs a chats row to receive alerts (not news)."""
    exists = (await conn.execute(sa.select(chats.c.id).where(chats.c.id == chat_id))).first()
    if exists is None:
        await conn.execute(
            chats.insert().values(
                id=chat_id,
                type=ChatType.PRIVATE,
                subscribed=False,
                active=True,
                created_at=now,
                updated_at=now,
            )
        )


def poll_update(o: PollOutcome) -> sa.Update:
    """The feed's new state after a poll; it also gives the poll's lease back."""
    values: dict[str, Any] = {
        "last_polled_at": o.at,
        "next_poll_at": o.next_poll_at,
        "last_duration_ms": o.duration_ms,
        "lease_owner": None,
        "lease_until": None,
    }
    if o.ok:
        values.update(
            last_success_at=o.at,
            consecutive_errors=0,
            last_error=None,
            etag=o.etag,
            last_modified=o.last_modified,
            body_hash=o.body_hash,
        )
        if o.title:
            values["title"] = o.title
        if o.new_url:
            values["url"] = o.new_url
    else:
        values.update(consecutive_errors=feeds.c.consecutive_errors + 1, last_error=o.error)
    return feeds.update().where(feeds.c.id == o.feed_id).values(**values)


# ---- who wants an article ------------------------------------------------------------------------


def topic_match(kind: str, feed_id: int, category: str | None = None) -> sa.ColumnElement[bool]:
    """The chats whose chosen topics include an article of this kind, in this site category, from this
    feed (Topics.FEEDS: a choice of whole feeds made before categories existed, still honoured)."""
    feed_match = (sa.literal(",") + chats.c.feed_ids + sa.literal(",")).like(f"%,{int(feed_id)},%")
    in_category: sa.ColumnElement[bool] = sa.false()
    if category and CATEGORY_RE.fullmatch(category):
        in_category = (sa.literal(",") + chats.c.categories + sa.literal(",")).like(f"%,{category},%")
    return sa.or_(
        chats.c.topics == Topics.ALL,
        sa.and_(chats.c.topics == Topics.AWARDS, sa.literal(kind == Kind.AWARD.value)),
        sa.and_(chats.c.topics == Topics.CATEGORIES, in_category),
        sa.and_(chats.c.topics == Topics.FEEDS, feed_match),
    )


def not_muted(search_text: str) -> sa.ColumnElement[bool]:
    """The chats that muted none of the article's words (whole words: " word " in the padded text;
    a mute wins over a followed keyword)."""
    padded = sa.literal(word_text(search_text), sa.String)
    return ~sa.exists().where(
        mutes.c.chat_id == chats.c.id,
        padded.contains(sa.literal(" ", sa.String) + mutes.c.word + sa.literal(" ", sa.String)),
    )


def wants_article(
    kind: str, feed_id: int, search_text: str, category: str | None = None
) -> sa.ColumnElement[bool]:
    """The chats that receive an article instantly: subscribed, reachable, instant mode, topic match,
    or a followed keyword that the article mentions; and no muted word in it."""
    topic = sa.or_(
        topic_match(kind, feed_id, category),
        sa.exists().where(
            follows.c.chat_id == chats.c.id,
            sa.literal(search_text).contains(follows.c.keyword),
        ),
    )
    return sa.and_(
        chats.c.subscribed,
        chats.c.active,
        chats.c.mode == DeliveryMode.INSTANT,
        topic,
        not_muted(search_text),
    )
