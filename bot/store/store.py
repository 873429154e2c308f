"""The only place that speaks SQL. One `Store` per process over one engine (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.identity import category_alias
from bot.domain.models import Article, Kind
from bot.domain.text import fold, word_text
from bot.settings import FeedConfig
from bot.store.admin import AdminQueries
from bot.store.feed_admin import FeedAdminQueries
from bot.store.prefs import PrefsQueries
from bot.store.records import (
    ArticleRecord,
    BroadcastRecord,
    ChatRecord,
    DeliveryJob,
    FeedRecord,
    Outcome,
    PollOutcome,
)
from bot.store.schema import (
    articles,
    audit_log,
    broadcasts,
    chats,
    deliveries,
    feeds,
    follows,
    leader,
    mutes,
    processes,
)

OPEN = ("pending", "sending")
CATEGORY_RE = re.compile(r"[a-z0-9][a-z0-9-]*")  # an alias as category_alias reads it: safe in LIKE


def _chat(row: Any) -> ChatRecord:
    return ChatRecord(
        id=row.id,
        type=row.type,
        title=row.title,
        username=row.username,
        language=row.language,
        subscribed=row.subscribed,
        active=row.active,
        topics=row.topics,
        feed_ids=row.feed_ids,
        mode=row.mode,
        digest_hour=row.digest_hour,
        quiet_start=row.quiet_start,
        quiet_end=row.quiet_end,
        quiet_mode=row.quiet_mode,
        link_previews=row.link_previews,
        created_at=row.created_at,
        last_digest_at=row.last_digest_at,
        digest_weekday=row.digest_weekday,
        categories=row.categories,
        thread_id=row.thread_id,
    )


def _feed(row: Any) -> FeedRecord:
    return FeedRecord(**{name: getattr(row, name) for name in FeedRecord.__dataclass_fields__})


def _article(row: Any) -> ArticleRecord:
    return ArticleRecord(**{name: getattr(row, name) for name in ArticleRecord.__dataclass_fields__})


def insert_ignore(postgres: bool, table: sa.Table) -> Any:
    """INSERT that does nothing when the row exists (both backends)."""
    if postgres:
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).on_conflict_do_nothing()
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table).on_conflict_do_nothing()


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


def topic_match(kind: str, feed_id: int, category: str | None = None) -> sa.ColumnElement[bool]:
    """The chats whose chosen topics include an article of this kind, in this site category, from this
    feed (topics "feeds": a choice of whole feeds made before categories existed, still honoured)."""
    feed_match = (sa.literal(",") + chats.c.feed_ids + sa.literal(",")).like(f"%,{int(feed_id)},%")
    in_category: sa.ColumnElement[bool] = sa.false()
    if category and CATEGORY_RE.fullmatch(category):
        in_category = (sa.literal(",") + chats.c.categories + sa.literal(",")).like(f"%,{category},%")
    return sa.or_(
        chats.c.topics == "all",
        sa.and_(chats.c.topics == "awards", sa.literal(kind == Kind.AWARD.value)),
        sa.and_(chats.c.topics == "categories", in_category),
        sa.and_(chats.c.topics == "feeds", feed_match),
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
        chats.c.subscribed, chats.c.active, chats.c.mode == "instant", topic, not_muted(search_text)
    )


class Store(PrefsQueries, AdminQueries, FeedAdminQueries):
    """Async data access. Every method is one transaction."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.is_postgres = engine.dialect.name == "postgresql"

    async def close(self) -> None:
        await self.engine.dispose()

    async def ping(self) -> bool:
        async with self.engine.connect() as conn:
            await conn.execute(sa.text("SELECT 1"))
        return True

    # ---- chats -------------------------------------------------------------------------------

    async def get_chat(self, chat_id: int) -> ChatRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
        return _chat(row) if row else None

    async def subscribe(
        self,
        chat_id: int,
        *,
        type: str,
        title: str | None,
        username: str | None,
        language: str,
        now: datetime,
        topics: str | None = None,
        added_by: int | None = None,
        thread_id: int | None = None,
    ) -> bool:
        """Subscribe (or re-activate) a chat. Returns True when it was not subscribed before. In a forum
        supergroup `thread_id` is the topic /start was sent in (None: the main chat); a later /start
        elsewhere in the group moves the subscription there."""
        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
            if row is None:
                await conn.execute(
                    chats.insert().values(
                        id=chat_id,
                        type=type,
                        title=title,
                        username=username,
                        language=language,
                        subscribed=True,
                        active=True,
                        topics=topics or "all",
                        quiet_start=22 if type == "private" else None,
                        quiet_end=6 if type == "private" else None,
                        added_by=added_by,
                        created_at=now,
                        updated_at=now,
                        thread_id=thread_id,
                    )
                )
                return True
            values: dict[str, Any] = {
                "subscribed": True,
                "active": True,
                "type": type,
                "title": title,
                "username": username,
                "updated_at": now,
                "thread_id": thread_id,
            }
            if topics:
                values["topics"] = topics
            if added_by is not None:
                values["added_by"] = added_by
            await conn.execute(chats.update().where(chats.c.id == chat_id).values(**values))
            return not (row.subscribed and row.active)

    async def unsubscribe(self, chat_id: int, now: datetime) -> bool:
        """End a subscription; its queued deliveries are cancelled. True when it was subscribed."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                chats.update()
                .where(chats.c.id == chat_id, chats.c.subscribed)
                .values(subscribed=False, updated_at=now)
            )
            await self._cancel_open(conn, chat_id, "unsubscribed")
            return bool(result.rowcount)

    async def set_active(self, chat_id: int, active: bool, now: datetime) -> None:
        """Reachability: a blocked or kicked bot makes the chat inactive (kept for statistics)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                chats.update().where(chats.c.id == chat_id).values(active=active, updated_at=now)
            )
            if not active:
                await self._cancel_open(conn, chat_id, "chat inactive")

    async def set_chat_fields(self, chat_id: int, now: datetime, **values: Any) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(chats.update().where(chats.c.id == chat_id).values(updated_at=now, **values))

    async def _cancel_open(self, conn: AsyncConnection, chat_id: int, why: str) -> None:
        await conn.execute(
            deliveries.update()
            .where(deliveries.c.chat_id == chat_id, deliveries.c.status == "pending")
            .values(status="cancelled", error=why)
        )

    async def leave_thread(self, chat_id: int, thread_id: int, now: datetime) -> bool:
        """The chat's topic is gone (deleted, or topics turned off): messages go to the main chat from now
        on; the subscription stays. False when the chat had already moved on to another place."""
        async with self.engine.begin() as conn:
            result = await conn.execute(
                chats.update()
                .where(chats.c.id == chat_id, chats.c.thread_id == thread_id)
                .values(thread_id=None, updated_at=now)
            )
        return bool(result.rowcount)

    async def migrate_chat(self, old_id: int, new_id: int, now: datetime) -> None:
        """A group became a supergroup: its id changes everywhere (deliveries and follows cascade)."""
        async with self.engine.begin() as conn:
            exists = (await conn.execute(sa.select(chats.c.id).where(chats.c.id == new_id))).first()
            if exists:
                # Both ids are known: keep the new row, move over what it does not have yet.
                mine = sa.select(deliveries.c.article_id).where(deliveries.c.chat_id == new_id)
                await conn.execute(
                    deliveries.delete().where(
                        deliveries.c.chat_id == old_id, deliveries.c.article_id.in_(mine)
                    )
                )
                await conn.execute(
                    deliveries.update().where(deliveries.c.chat_id == old_id).values(chat_id=new_id)
                )
                await conn.execute(chats.delete().where(chats.c.id == old_id))
            else:
                await conn.execute(
                    chats.update()
                    .where(chats.c.id == old_id)
                    .values(id=new_id, type="supergroup", updated_at=now)
                )

    # ---- feeds -------------------------------------------------------------------------------

    async def sync_feeds(self, configured: Sequence[FeedConfig], default_interval: int) -> list[FeedRecord]:
        """Make the feeds table match the settings: add new feeds, update names and intervals,
        disable feeds no longer configured (their articles stay in the archive). What admins changed from
        the chat wins: their name and interval, a feed they removed, the feeds they added."""
        async with self.engine.begin() as conn:
            existing = {r.configured_url: r for r in (await conn.execute(sa.select(feeds))).all()}
            wanted = {f.url for f in configured}
            for cfg in configured:
                interval = cfg.interval_seconds or default_interval
                row = existing.get(cfg.url)
                if row is not None:
                    await conn.execute(
                        feeds.update()
                        .where(feeds.c.configured_url == cfg.url)
                        .values(
                            name=row.admin_name or cfg.name,
                            interval_seconds=row.admin_interval or interval,
                            enabled=not row.removed,
                        )
                    )
                else:
                    await conn.execute(
                        feeds.insert().values(
                            configured_url=cfg.url, url=cfg.url, name=cfg.name, interval_seconds=interval
                        )
                    )
            gone = [url for url, row in existing.items() if url not in wanted and row.origin == "config"]
            if gone:
                await conn.execute(
                    feeds.update().where(feeds.c.configured_url.in_(gone)).values(enabled=False)
                )
            rows = (await conn.execute(sa.select(feeds).where(feeds.c.enabled).order_by(feeds.c.id))).all()
        return [_feed(r) for r in rows]

    async def list_feeds(self) -> list[FeedRecord]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(feeds).where(feeds.c.enabled).order_by(feeds.c.id))).all()
        return [_feed(r) for r in rows]

    async def get_feed(self, feed_id: int) -> FeedRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(feeds).where(feeds.c.id == feed_id))).first()
        return _feed(row) if row else None

    async def due_feeds(self, now: datetime) -> list[FeedRecord]:
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(feeds)
                    .where(
                        feeds.c.enabled,
                        ~feeds.c.paused,
                        sa.or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now),
                    )
                    .order_by(feeds.c.next_poll_at, feeds.c.id)
                )
            ).all()
        return [_feed(r) for r in rows]

    async def acquire_feed_lease(
        self, feed_id: int, owner: str, now: datetime, ttl: float
    ) -> FeedRecord | None:
        """At most one process polls a feed at a time; a crashed owner's lease runs out. Returns the feed's
        current state when the lease is ours, None when another process holds it."""
        async with self.engine.begin() as conn:
            row = (
                await conn.execute(
                    feeds.update()
                    .where(
                        feeds.c.id == feed_id,
                        sa.or_(
                            feeds.c.lease_owner.is_(None),
                            feeds.c.lease_owner == owner,
                            feeds.c.lease_until < now,
                        ),
                    )
                    .values(lease_owner=owner, lease_until=now + timedelta(seconds=ttl))
                    .returning(*feeds.c)
                )
            ).first()
            return _feed(row) if row else None

    async def release_feed_lease(self, feed_id: int, owner: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                feeds.update()
                .where(feeds.c.id == feed_id, feeds.c.lease_owner == owner)
                .values(lease_owner=None, lease_until=None)
            )

    async def known_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        if not keys:
            return set()
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(articles.c.key).where(articles.c.key.in_(keys)))
            return {r[0] for r in rows}

    async def record_poll(self, outcome: PollOutcome) -> None:
        """A poll that found nothing new (unchanged, or an error): update the feed's state only."""
        async with self.engine.begin() as conn:
            await conn.execute(self._feed_update(outcome))

    def _feed_update(self, o: PollOutcome) -> sa.Update:
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

    async def save_poll(
        self,
        outcome: PollOutcome,
        new_articles: Sequence[Article],
        deliver: Sequence[str],
    ) -> dict[str, int]:
        """The outbox write: new articles, deliveries for the chats that want them (only for the keys
        in `deliver`; the rest is backlog), the feed's validators and state — one transaction.
        Articles are inserted in the given order (oldest first), so delivery ids follow it per chat.
        An article already stored (the same article in another feed of the site, polled at the same time)
        is skipped quietly: stored and delivered once.
        Returns {article key: deliveries queued}."""
        queued: dict[str, int] = {}
        deliver_set = set(deliver)
        async with self.engine.begin() as conn:
            for art in new_articles:
                content = article_content(art)
                result = await conn.execute(
                    insert_ignore(self.is_postgres, articles)
                    .values(
                        feed_id=outcome.feed_id,
                        key=art.key,
                        link=art.link,
                        discovered_at=outcome.at,
                        **content,
                    )
                    .returning(articles.c.id)
                )
                article_id = result.scalar_one_or_none()
                if article_id is None:  # stored meanwhile from another feed of the site
                    continue
                if art.key in deliver_set:
                    queued[art.key] = await self._enqueue_article(
                        conn,
                        article_id,
                        outcome.feed_id,
                        art.kind.value,
                        content["search_text"],
                        outcome.at,
                        content["category"],
                    )
            values = self._feed_update(outcome).values(initialized=True)
            if new_articles:
                values = values.values(last_new_at=outcome.at)
            await conn.execute(values)
        return queued

    async def _enqueue_article(
        self,
        conn: AsyncConnection,
        article_id: int,
        feed_id: int,
        kind: str,
        search_text: str,
        now: datetime,
        category: str | None = None,
    ) -> int:
        select = sa.select(
            chats.c.id,
            sa.literal(article_id),
            sa.literal("pending"),
            sa.literal(now, type_=articles.c.discovered_at.type),
            sa.literal(now, type_=articles.c.discovered_at.type),
        ).where(wants_article(kind, feed_id, search_text, category))
        result = await conn.execute(
            deliveries.insert().from_select(
                ["chat_id", "article_id", "status", "due_at", "created_at"], select
            )
        )
        # outside its chosen topics, a chat gets the article for a keyword it follows: say which
        only_keyword = (
            sa.select(chats.c.id, sa.func.min(follows.c.shown))
            .join(follows, follows.c.chat_id == chats.c.id)
            .where(
                chats.c.subscribed,
                chats.c.active,
                chats.c.mode == "instant",
                ~topic_match(kind, feed_id, category),
                sa.literal(search_text).contains(follows.c.keyword),
            )
            .group_by(chats.c.id)
        )
        reasons = [
            {"a": article_id, "c": chat_id, "p": {"keyword": shown}}
            for chat_id, shown in await conn.execute(only_keyword)
        ]
        if reasons:
            await conn.execute(
                deliveries.update()
                .where(
                    deliveries.c.article_id == sa.bindparam("a"), deliveries.c.chat_id == sa.bindparam("c")
                )
                .values(payload=sa.bindparam("p", type_=deliveries.c.payload.type)),
                reasons,
            )
        return int(result.rowcount or 0)

    async def update_article(self, article_id: int, art: Article) -> None:
        """A corrected article (read again from its page): new text, summary, image and kind."""
        async with self.engine.begin() as conn:
            await conn.execute(
                articles.update().where(articles.c.id == article_id).values(**article_content(art))
            )

    # ---- articles ----------------------------------------------------------------------------

    async def get_article(self, article_id: int) -> ArticleRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(articles).where(articles.c.id == article_id))).first()
        return _article(row) if row else None

    async def article_with_body(self, article_id: int) -> tuple[ArticleRecord, str] | None:
        """An article and its full text (paragraphs joined by blank lines), for the full-text page."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(articles).where(articles.c.id == article_id))).first()
        return (_article(row), str(row.body or "")) if row else None

    async def articles_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleRecord]:
        ids = list(set(ids))
        if not ids:
            return {}
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(articles).where(articles.c.id.in_(ids)))).all()
        return {r.id: _article(r) for r in rows}

    async def latest_articles(
        self, limit: int, kind: str | None = None, *, with_retracted: bool = False
    ) -> list[ArticleRecord]:
        query = sa.select(articles)
        if not with_retracted:
            query = query.where(articles.c.status.in_(("published", "corrected")))
        if kind:
            query = query.where(articles.c.kind == kind)
        query = query.order_by(
            sa.func.coalesce(articles.c.published_at, articles.c.discovered_at).desc(), articles.c.id.desc()
        ).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_article(r) for r in rows]

    # ---- outbox ------------------------------------------------------------------------------

    async def release_stale_claims(self, now: datetime, owner: str | None = None) -> int:
        """Deliveries left 'sending' by a dead process go back to pending (at-least-once: a send that was
        in flight at the crash may be repeated). With `owner`, also this process's own earlier claims."""
        cond = deliveries.c.lease_until < now
        if owner is not None:
            cond = sa.or_(cond, deliveries.c.lease_owner == owner)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                deliveries.update()
                .where(deliveries.c.status == "sending", cond)
                .values(status="pending", lease_owner=None, lease_until=None)
            )
            return int(result.rowcount or 0)

    async def claim(self, owner: str, now: datetime, limit: int, lease_seconds: float) -> list[DeliveryJob]:
        """Claim due deliveries, at most one per chat and only a chat's oldest open one (so each chat
        receives in order). PostgreSQL: FOR UPDATE SKIP LOCKED, so several processes never overlap."""
        earlier = deliveries.alias("earlier")
        head_of_chat = ~sa.exists().where(
            earlier.c.chat_id == deliveries.c.chat_id,
            earlier.c.status.in_(OPEN),
            earlier.c.id < deliveries.c.id,
        )
        candidates = (
            sa.select(deliveries.c.id)
            .where(deliveries.c.status == "pending", deliveries.c.due_at <= now, head_of_chat)
            .order_by(deliveries.c.id)
            .limit(limit)
        )
        if self.is_postgres:
            candidates = candidates.with_for_update(skip_locked=True, of=deliveries)
        until = now + timedelta(seconds=lease_seconds)
        async with self.engine.begin() as conn:
            # One statement that writes from the start: on SQLite a read that later turns into a write
            # fails at once ("database is locked") when another connection wrote in between.
            claimed = await conn.execute(
                deliveries.update()
                .where(deliveries.c.id.in_(candidates.scalar_subquery()))
                .values(status="sending", lease_owner=owner, lease_until=until)
                .returning(deliveries.c.id)
            )
            ids = [r[0] for r in claimed]
            if not ids:
                return []
            rows = (
                await conn.execute(
                    sa.select(
                        deliveries.c.id,
                        deliveries.c.chat_id,
                        deliveries.c.attempts,
                        deliveries.c.article_id,
                        deliveries.c.broadcast_id,
                        deliveries.c.silent,
                        deliveries.c.payload,
                        chats.c.type,
                        chats.c.language,
                        chats.c.link_previews,
                        chats.c.quiet_start,
                        chats.c.quiet_end,
                        chats.c.quiet_mode,
                        chats.c.thread_id,
                    )
                    .join(chats, chats.c.id == deliveries.c.chat_id)
                    .where(deliveries.c.id.in_(ids))
                    .order_by(deliveries.c.id)
                )
            ).all()
        return [
            DeliveryJob(
                id=r.id,
                chat_id=r.chat_id,
                chat_type=r.type,
                language=r.language,
                link_previews=r.link_previews,
                quiet_start=r.quiet_start,
                quiet_end=r.quiet_end,
                quiet_mode=r.quiet_mode,
                attempts=r.attempts,
                article_id=r.article_id,
                broadcast_id=r.broadcast_id,
                silent=r.silent,
                payload=r.payload,
                thread_id=r.thread_id,
            )
            for r in rows
        ]

    async def record_outcomes(self, outcomes: Sequence[Outcome], owner: str | None = None) -> None:
        """Write a batch of send outcomes in one transaction; outcomes of the same shape (the common
        case: sent) go in one executemany. With `owner`, only deliveries this process still holds are
        written: one that was taken over (its owner looked dead) stays with the process that has it."""
        if not outcomes:
            return
        groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        deactivate: list[Outcome] = []
        for o in outcomes:
            params: dict[str, Any] = {"b_id": o.delivery_id, "status": o.status, "error": o.error}
            if o.status == "sent":
                params.update(sent_at=o.at, message_id=o.message_id)
            if o.retry_at is not None:
                params["due_at"] = o.retry_at
            key = (*sorted(params), "+" if o.count_attempt else "")
            groups.setdefault(key, []).append(params)
            if o.deactivate_chat is not None:
                deactivate.append(o)
        async with self.engine.begin() as conn:
            for key, rows in groups.items():
                values: dict[str, Any] = {
                    name: sa.bindparam(name) for name in key if name and name not in ("b_id", "+")
                }
                values.update(lease_owner=None, lease_until=None)
                if "+" in key:
                    values["attempts"] = deliveries.c.attempts + 1
                held = deliveries.c.id == sa.bindparam("b_id")
                if owner is not None:
                    held = sa.and_(held, deliveries.c.lease_owner == owner)
                stmt = deliveries.update().where(held).values(**values)
                await conn.execute(stmt, rows)
            for o in deactivate:
                assert o.deactivate_chat is not None
                await conn.execute(
                    chats.update()
                    .where(chats.c.id == o.deactivate_chat)
                    .values(active=False, updated_at=o.at)
                )
                await self._cancel_open(conn, o.deactivate_chat, o.error or "chat inactive")

    async def delay_chat(self, chat_id: int, until: datetime) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                deliveries.update()
                .where(deliveries.c.chat_id == chat_id, deliveries.c.status == "pending")
                .values(due_at=until)
            )

    async def next_due_at(self) -> datetime | None:
        async with self.engine.connect() as conn:
            value = (
                await conn.execute(
                    sa.select(sa.func.min(deliveries.c.due_at)).where(deliveries.c.status == "pending")
                )
            ).scalar()
        return value  # type: ignore[no-any-return]

    async def delivery_counts(self, **where: Any) -> dict[str, int]:
        query = sa.select(deliveries.c.status, sa.func.count()).group_by(deliveries.c.status)
        for name, value in where.items():
            query = query.where(deliveries.c[name] == value)
        async with self.engine.connect() as conn:
            return {r[0]: int(r[1]) for r in await conn.execute(query)}

    async def broadcasts_by_ids(self, ids: Iterable[int]) -> dict[int, BroadcastRecord]:
        ids = list(set(ids))
        if not ids:
            return {}
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(broadcasts).where(broadcasts.c.id.in_(ids)))).all()
        return {
            r.id: BroadcastRecord(**{n: getattr(r, n) for n in BroadcastRecord.__dataclass_fields__})
            for r in rows
        }

    async def enqueue_payload(
        self, chat_id: int, payload: dict[str, Any], now: datetime, silent: bool = False
    ) -> None:
        """One pre-rendered message for one chat, through the outbox (digests, admin alerts)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                deliveries.insert().values(
                    chat_id=chat_id,
                    payload=payload,
                    status="pending",
                    due_at=now,
                    created_at=now,
                    silent=silent,
                )
            )

    # ---- operations ------------------------------------------------------------------------

    async def health_figures(self, now: datetime) -> tuple[datetime | None, datetime | None, int]:
        """(newest successful poll, oldest due pending delivery, pending deliveries)."""
        async with self.engine.connect() as conn:
            last = (
                await conn.execute(sa.select(sa.func.max(feeds.c.last_success_at)).where(feeds.c.enabled))
            ).scalar()
            oldest, depth = (
                await conn.execute(
                    sa.select(sa.func.min(deliveries.c.due_at), sa.func.count()).where(
                        deliveries.c.status == "pending"
                    )
                )
            ).one()
        return last, (oldest if oldest is not None and oldest <= now else None), int(depth)

    async def try_lead(self, name: str, owner: str, now: datetime, ttl: float) -> bool:
        """Take or renew the named leadership for `ttl` seconds; False while another live process has it."""
        until = now + timedelta(seconds=ttl)
        async with self.engine.begin() as conn:
            result = await conn.execute(
                leader.update()
                .where(leader.c.name == name, sa.or_(leader.c.owner == owner, leader.c.until < now))
                .values(owner=owner, until=until)
            )
            if result.rowcount:
                return True
            exists = (await conn.execute(sa.select(leader.c.owner).where(leader.c.name == name))).first()
            if exists:
                return False
            await conn.execute(
                insert_ignore(self.is_postgres, leader).values(name=name, owner=owner, until=until)
            )
            row = (await conn.execute(sa.select(leader.c.owner).where(leader.c.name == name))).first()
            return bool(row and row.owner == owner)

    async def reserve_send_slots(self, count: int, spacing: float) -> float:
        """Reserve `count` evenly spaced send slots on the bot-wide timeline (PostgreSQL, several processes).
        Returns the first slot as a Unix time; slots follow every `spacing` seconds. The database's clock is
        the one clock all processes share."""
        span = count * spacing
        query = sa.text(
            "INSERT INTO send_pacing (name, next_slot)"
            " VALUES ('global', clock_timestamp() + make_interval(secs => :span))"
            " ON CONFLICT (name) DO UPDATE SET next_slot ="
            " GREATEST(send_pacing.next_slot, clock_timestamp()) + make_interval(secs => :span)"
            " RETURNING extract(epoch FROM next_slot) - :span"
        )
        async with self.engine.begin() as conn:
            return float((await conn.execute(query, {"span": span})).scalar_one())

    async def pause_send_slots(self, seconds: float) -> None:
        """Telegram said 429: no process gets a slot for `seconds`."""
        query = sa.text(
            "INSERT INTO send_pacing (name, next_slot)"
            " VALUES ('global', clock_timestamp() + make_interval(secs => :s))"
            " ON CONFLICT (name) DO UPDATE SET next_slot ="
            " GREATEST(send_pacing.next_slot, clock_timestamp() + make_interval(secs => :s))"
        )
        async with self.engine.begin() as conn:
            await conn.execute(query, {"s": seconds})

    # ---- process heartbeats -------------------------------------------------------------------

    async def heartbeat(self, owner: str, now: datetime) -> None:
        """This process is alive (and the database can be written). PostgreSQL: the database's clock, the
        one all processes share."""
        if self.is_postgres:
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            beat: Any = sa.func.clock_timestamp()
            stmt: Any = pg_insert(processes).values(owner=owner, started_at=beat, heartbeat_at=beat)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            beat = now
            stmt = sqlite_insert(processes).values(owner=owner, started_at=now, heartbeat_at=now)
        stmt = stmt.on_conflict_do_update(index_elements=[processes.c.owner], set_={"heartbeat_at": beat})
        async with self.engine.begin() as conn:
            await conn.execute(stmt)

    async def release_dead(self, owner: str, stale_seconds: float) -> dict[str, int]:
        """Processes other than `owner` whose heartbeat is older than `stale_seconds` are dead: their claimed
        deliveries go back to the queue, their feed leases and update lease are freed, and they are
        forgotten. PostgreSQL only (one process per SQLite file)."""
        if not self.is_postgres:
            return {}
        stale = sa.func.clock_timestamp() - sa.func.make_interval(0, 0, 0, 0, 0, 0, float(stale_seconds))
        async with self.engine.begin() as conn:
            dead = [
                r.owner
                for r in await conn.execute(
                    sa.select(processes.c.owner)
                    .where(processes.c.heartbeat_at < stale, processes.c.owner != owner)
                    .with_for_update(skip_locked=True)
                )
            ]
            if not dead:
                return {}
            claims = await conn.execute(
                deliveries.update()
                .where(deliveries.c.status == "sending", deliveries.c.lease_owner.in_(dead))
                .values(status="pending", lease_owner=None, lease_until=None)
            )
            leases = await conn.execute(
                feeds.update().where(feeds.c.lease_owner.in_(dead)).values(lease_owner=None, lease_until=None)
            )
            await conn.execute(leader.delete().where(leader.c.owner.in_(dead)))
            await conn.execute(processes.delete().where(processes.c.owner.in_(dead)))
        return {"deliveries": int(claims.rowcount or 0), "feed_leases": int(leases.rowcount or 0)}

    async def release_own(self, owner: str) -> dict[str, int]:
        """At start: what a process of this name held when it last died goes back at once."""
        async with self.engine.begin() as conn:
            claims = await conn.execute(
                deliveries.update()
                .where(deliveries.c.status == "sending", deliveries.c.lease_owner == owner)
                .values(status="pending", lease_owner=None, lease_until=None)
            )
            leases = await conn.execute(
                feeds.update().where(feeds.c.lease_owner == owner).values(lease_owner=None, lease_until=None)
            )
        return {"deliveries": int(claims.rowcount or 0), "feed_leases": int(leases.rowcount or 0)}

    async def forget_process(self, owner: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(processes.delete().where(processes.c.owner == owner))

    async def resign(self, name: str, owner: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(leader.delete().where(leader.c.name == name, leader.c.owner == owner))

    # ---- audit -------------------------------------------------------------------------------

    async def audit(
        self, admin_id: int, action: str, detail: Any, now: datetime, recipients: int | None = None
    ) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                audit_log.insert().values(
                    at=now,
                    admin_id=admin_id,
                    action=action,
                    detail=detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False),
                    recipients=recipients,
                )
            )
