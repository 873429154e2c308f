"""Articles: the archive, the outbox write of a poll, search, digests, corrections.

Search
------
No new tables (a SQLite FTS5 index would need a migration), so the "equivalent" of full-text search is
computed over ``articles.search_text`` (accent-folded title + lead + body, written at ingest):

* SQLite: every query token must occur in ``search_text`` (``LIKE``, escaped); the score counts the
  occurrences of each token, occurrences in the title region (the first ``length(title)`` characters of
  ``search_text``, which starts with the folded title) weigh 3 more, and the whole phrase 5 more.
* PostgreSQL: ``to_tsvector('simple', search_text) @@ plainto_tsquery('simple', folded query)`` (every
  word must match, whole words), ranked by ``ts_rank`` plus the same title and phrase bonus.

Both rank newer articles first on equal scores. The archive of one department is thousands of rows, so a
scan per query is cheap; an expression index can be added with a migration when it is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.choices import DeliveryMode, Topics
from bot.domain.models import Article
from bot.domain.statuses import VISIBLE_ARTICLE, ArticleStatus, DeliveryStatus
from bot.domain.text import word_text
from bot.store.base import (
    Family,
    article_content,
    article_record,
    insert_ignore,
    poll_update,
    topic_match,
    wants_article,
)
from bot.store.records import ArticleRecord, CategoryRecord, ChatRecord, DeliveredMessage, PollOutcome
from bot.store.schema import articles, chats, deliveries, follows, mutes


def _occurrences(text: sa.ColumnElement[Any], token: str) -> sa.ColumnElement[Any]:
    """How often `token` occurs in `text` (works on SQLite and PostgreSQL)."""
    return (sa.func.length(text) - sa.func.length(sa.func.replace(text, token, ""))) / len(token)


class Articles(Family):
    """The archive: what a poll stores and queues, look-ups, digests, corrections."""

    async def known_keys(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        if not keys:
            return set()
        async with self.engine.connect() as conn:
            rows = await conn.execute(sa.select(articles.c.key).where(articles.c.key.in_(keys)))
            return {r[0] for r in rows}

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
            values = poll_update(outcome).values(initialized=True)
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
            sa.literal(DeliveryStatus.PENDING.value),
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
                chats.c.mode == DeliveryMode.INSTANT,
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

    async def get_article(self, article_id: int) -> ArticleRecord | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(articles).where(articles.c.id == article_id))).first()
        return article_record(row) if row else None

    async def article_with_body(self, article_id: int) -> tuple[ArticleRecord, str] | None:
        """An article and its full text (paragraphs joined by blank lines), for the full-text page."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(articles).where(articles.c.id == article_id))).first()
        return (article_record(row), str(row.body or "")) if row else None

    async def articles_by_ids(self, ids: Iterable[int]) -> dict[int, ArticleRecord]:
        ids = list(set(ids))
        if not ids:
            return {}
        async with self.engine.connect() as conn:
            rows = (await conn.execute(sa.select(articles).where(articles.c.id.in_(ids)))).all()
        return {r.id: article_record(r) for r in rows}

    async def latest_articles(
        self, limit: int, kind: str | None = None, *, with_retracted: bool = False
    ) -> list[ArticleRecord]:
        query = sa.select(articles)
        if not with_retracted:
            query = query.where(articles.c.status.in_(VISIBLE_ARTICLE))
        if kind:
            query = query.where(articles.c.kind == kind)
        query = query.order_by(
            sa.func.coalesce(articles.c.published_at, articles.c.discovered_at).desc(), articles.c.id.desc()
        ).limit(limit)
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [article_record(r) for r in rows]

    def _search_filter(self, tokens: Sequence[str], phrase: str) -> sa.ColumnElement[bool]:
        published = articles.c.status.in_(VISIBLE_ARTICLE)
        if self.is_postgres:
            matches = sa.func.to_tsvector("simple", articles.c.search_text).op("@@")(
                sa.func.plainto_tsquery("simple", phrase)
            )
            return sa.and_(published, matches)
        return sa.and_(published, *(articles.c.search_text.contains(tok, autoescape=True) for tok in tokens))

    async def search_articles(
        self, tokens: Sequence[str], limit: int, offset: int
    ) -> tuple[list[ArticleRecord], int]:
        """Articles whose folded text holds every token, best first; and how many match in all."""
        if not tokens:
            return [], 0
        phrase = " ".join(tokens)
        where = self._search_filter(tokens, phrase)
        text = articles.c.search_text
        title_region = sa.func.substr(text, 1, sa.func.length(articles.c.title))
        bonus: sa.ColumnElement[Any] = sa.literal(0.0)
        for tok in tokens:
            bonus = bonus + 3 * _occurrences(title_region, tok)
        if len(tokens) > 1:
            bonus = bonus + 5 * _occurrences(text, phrase)
        if self.is_postgres:
            base: sa.ColumnElement[Any] = sa.func.ts_rank(
                sa.func.to_tsvector("simple", text), sa.func.plainto_tsquery("simple", phrase)
            )
        else:
            base = sa.literal(0.0)
            for tok in tokens:
                base = base + _occurrences(text, tok)
        score = (base + bonus).label("score")
        newest = sa.func.coalesce(articles.c.published_at, articles.c.discovered_at)
        query = (
            sa.select(articles, score)
            .where(where)
            .order_by(sa.desc("score"), newest.desc(), articles.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            total = (
                await conn.execute(sa.select(sa.func.count()).select_from(articles).where(where))
            ).scalar_one()
        return [article_record(r) for r in rows], int(total)

    async def award_articles(self) -> list[ArticleRecord]:
        """Every visible award announcement with its stored facts, newest first (the archive of one
        department holds hundreds; the facts are matched in Python, see bot.domain.awards.search)."""
        newest = sa.func.coalesce(articles.c.published_at, articles.c.discovered_at)
        query = (
            sa.select(articles)
            .where(
                articles.c.kind == "award",
                articles.c.status.in_(VISIBLE_ARTICLE),
                articles.c.award.is_not(None),
            )
            .order_by(newest.desc(), articles.c.id.desc())
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [article_record(r) for r in rows]

    async def list_categories(self, limit: int = 30) -> list[CategoryRecord]:
        """The site's categories seen in the archive, the fullest first; each with the latest name a
        page gave it."""
        counted = (
            sa.select(articles.c.category, sa.func.count().label("n"))
            .where(articles.c.category.is_not(None))
            .group_by(articles.c.category)
            .subquery()
        )
        named = (
            sa.select(articles.c.category, sa.func.max(articles.c.id).label("last"))
            .where(articles.c.category_name.is_not(None))
            .group_by(articles.c.category)
            .subquery()
        )
        query = (
            sa.select(counted.c.category, counted.c.n, articles.c.category_name)
            .select_from(counted)
            .outerjoin(named, named.c.category == counted.c.category)
            .outerjoin(articles, articles.c.id == named.c.last)
            .order_by(counted.c.n.desc(), counted.c.category)
            .limit(limit)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [CategoryRecord(r.category, r.category_name, int(r.n)) for r in rows]

    async def digest_articles(
        self, chat: ChatRecord, since: datetime, until: datetime
    ) -> list[ArticleRecord]:
        """What a chat's digest lists: articles discovered in (since, until] that its topics or its
        followed keywords select, oldest first."""
        ids = [int(x) for x in chat.feed_ids.split(",") if x.strip().isdigit()]
        chosen = [c for c in chat.categories.split(",") if c.strip()]
        topic: sa.ColumnElement[bool]
        if chat.topics == Topics.AWARDS:
            topic = articles.c.kind == "award"
        elif chat.topics == Topics.CATEGORIES:
            topic = articles.c.category.in_(chosen) if chosen else sa.false()
        elif chat.topics == Topics.FEEDS:
            topic = articles.c.feed_id.in_(ids) if ids else sa.false()
        else:
            topic = sa.true()
        followed = sa.exists().where(
            follows.c.chat_id == chat.id,
            articles.c.search_text.contains(follows.c.keyword),
        )
        query = (
            sa.select(articles)
            .where(
                articles.c.status.in_(VISIBLE_ARTICLE),
                articles.c.discovered_at > since,
                articles.c.discovered_at <= until,
                sa.or_(topic, followed),
            )
            .order_by(sa.func.coalesce(articles.c.published_at, articles.c.discovered_at), articles.c.id)
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
            muted = (await conn.execute(sa.select(mutes.c.word).where(mutes.c.chat_id == chat.id))).scalars()
            padded_mutes = [f" {w} " for w in muted]
        return [
            article_record(r)
            for r in rows
            if not any(m in word_text(r.search_text) for m in padded_mutes)  # a mute wins, as when sent
        ]

    async def find_article_id(self, ref: str) -> int | None:
        """An article by the site's own number (the 1234 of `news_1234` and `…-1234.html`), its link, its
        identity key, or the bot's own number."""
        ref = ref.strip()
        async with self.engine.connect() as conn:
            if ref.isdigit():
                on_site = sa.or_(
                    articles.c.key.like(f"%/{int(ref)}"), articles.c.link.like(f"%-{int(ref)}.html")
                )
                query = sa.select(articles.c.id).where(on_site).order_by(articles.c.id.desc()).limit(1)
                found = (await conn.execute(query)).scalar()
                if found is not None:
                    return int(found)
                cond = articles.c.id == int(ref)
            else:
                cond = sa.or_(articles.c.link == ref, articles.c.key == ref)
            return (await conn.execute(sa.select(articles.c.id).where(cond).limit(1))).scalar()

    async def retract_article(self, article_id: int) -> list[DeliveredMessage]:
        """Withdraw an article: it is marked retracted, what was not sent yet is cancelled, and the
        messages already delivered (their ids are stored) are returned, to be edited."""
        async with self.engine.begin() as conn:
            await conn.execute(
                articles.update().where(articles.c.id == article_id).values(status=ArticleStatus.RETRACTED)
            )
            await conn.execute(
                deliveries.update()
                .where(deliveries.c.article_id == article_id, deliveries.c.status == DeliveryStatus.PENDING)
                .values(status=DeliveryStatus.CANCELLED, error="article withdrawn")
            )
            rows = (
                await conn.execute(
                    sa.select(
                        deliveries.c.id,
                        deliveries.c.chat_id,
                        deliveries.c.message_id,
                        chats.c.language,
                        chats.c.platform,
                    )
                    .join(chats, chats.c.id == deliveries.c.chat_id)
                    .where(
                        deliveries.c.article_id == article_id,
                        deliveries.c.status == DeliveryStatus.SENT,
                        sa.or_(deliveries.c.message_id.is_not(None), deliveries.c.message_ref.is_not(None)),
                    )
                    .order_by(deliveries.c.id)
                )
            ).all()
        return [DeliveredMessage(r.id, r.chat_id, r.message_id or 0, r.language, r.platform) for r in rows]

    async def queue_notices(self, notices: Sequence[tuple[int, str]], now: datetime) -> int:
        """Plain-text messages (chat, text) through the outbox: what a messenger that cannot edit a sent
        message (Zalo) gets instead of the edit."""
        if not notices:
            return 0
        async with self.engine.begin() as conn:
            await conn.execute(
                deliveries.insert(),
                [
                    {
                        "chat_id": chat_id,
                        "payload": {"text": text, "plain": True},
                        "status": DeliveryStatus.PENDING,
                        "due_at": now,
                        "created_at": now,
                    }
                    for chat_id, text in notices
                ],
            )
        return len(notices)

    async def requeue_article(
        self, article_id: int, now: datetime, *, status: ArticleStatus = ArticleStatus.PUBLISHED
    ) -> int:
        """/resend: the (corrected) article is published again and delivered once more to every chat that
        had it and still wants news, and to every chat that wants it and never had it."""
        async with self.engine.begin() as conn:
            row = (await conn.execute(sa.select(articles).where(articles.c.id == article_id))).first()
            if row is None:
                return 0
            await conn.execute(articles.update().where(articles.c.id == article_id).values(status=status))
            live = sa.select(chats.c.id).where(chats.c.subscribed, chats.c.active)
            again = await conn.execute(
                deliveries.update()
                .where(
                    deliveries.c.article_id == article_id,
                    deliveries.c.status.in_(
                        (DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.CANCELLED)
                    ),
                    deliveries.c.chat_id.in_(live),
                )
                .values(status=DeliveryStatus.PENDING, attempts=0, due_at=now, error=None, lease_owner=None)
            )
            at = sa.literal(now, type_=deliveries.c.due_at.type)
            fresh = await conn.execute(
                deliveries.insert().from_select(
                    ["chat_id", "article_id", "status", "due_at", "created_at"],
                    sa.select(
                        chats.c.id, sa.literal(article_id), sa.literal(DeliveryStatus.PENDING.value), at, at
                    )
                    .where(wants_article(row.kind, row.feed_id, row.search_text, row.category))
                    .where(
                        ~sa.exists().where(
                            deliveries.c.chat_id == chats.c.id, deliveries.c.article_id == article_id
                        )
                    ),
                )
            )
            return int(again.rowcount or 0) + int(fresh.rowcount or 0)
