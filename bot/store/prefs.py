"""Queries for the citizen's choices and look-ups (settings, follows, search, digests, privacy).

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

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.text import word_text
from bot.store.records import ArticleRecord, CategoryRecord, ChatRecord
from bot.store.schema import articles, chats, deliveries, follows, mutes

VISIBLE = ("published", "corrected")  # a corrected article is shown like any other; a retracted one is not

PREF_COLUMNS = frozenset(
    {
        "topics",
        "feed_ids",
        "categories",
        "mode",
        "digest_hour",
        "digest_weekday",
        "quiet_start",
        "quiet_end",
        "quiet_mode",
        "link_previews",
        "language",
        "last_digest_at",
    }
)


def _article_row(row: Any) -> ArticleRecord:
    return ArticleRecord(**{name: getattr(row, name) for name in ArticleRecord.__dataclass_fields__})


def _chat_row(row: Any) -> ChatRecord:
    return ChatRecord(**{name: getattr(row, name) for name in ChatRecord.__dataclass_fields__})


def _occurrences(text: sa.ColumnElement[Any], token: str) -> sa.ColumnElement[Any]:
    """How often `token` occurs in `text` (works on SQLite and PostgreSQL)."""
    return (sa.func.length(text) - sa.func.length(sa.func.replace(text, token, ""))) / len(token)


class PrefsQueries:
    engine: AsyncEngine
    is_postgres: bool

    # ---- settings ----------------------------------------------------------------------------

    async def set_prefs(self, chat_id: int, now: datetime, **values: Any) -> ChatRecord | None:
        """Store a chat's choices; returns the chat as stored (None: unknown chat)."""
        unknown = set(values) - PREF_COLUMNS
        if unknown:
            raise ValueError(f"not a preference: {sorted(unknown)}")
        async with self.engine.begin() as conn:
            await conn.execute(chats.update().where(chats.c.id == chat_id).values(updated_at=now, **values))
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
        return _chat_row(row) if row else None

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

    # ---- word lists: keyword alerts (follows.keyword) and mute words (mutes.word) -------------------

    async def _add_word(
        self, table: sa.Table, column: str, chat_id: int, word: str, shown: str, now: datetime, limit: int
    ) -> str:
        """'added', 'exists', or 'full' (the chat already has `limit`). The limit holds under concurrent
        requests: the count and the insert are one statement, and on PostgreSQL the chat's row is locked
        first, so two transactions cannot both see room for one."""
        async with self.engine.begin() as conn:
            if self.is_postgres:
                await conn.execute(sa.select(chats.c.id).where(chats.c.id == chat_id).with_for_update())
            mine = table.c.chat_id == chat_id
            same = table.c[column] == word
            room = sa.select(sa.func.count()).select_from(table).where(mine).scalar_subquery() < limit
            values = sa.select(
                sa.literal(chat_id, sa.BigInteger),
                sa.literal(word, sa.String),
                sa.literal(shown, sa.String),
                sa.literal(now, table.c.created_at.type),
            ).where(room, ~sa.exists().where(mine, same))
            inserted = await conn.execute(
                table.insert().from_select(["chat_id", column, "shown", "created_at"], values)
            )
            if inserted.rowcount == 1:
                return "added"
            exists = (await conn.execute(sa.select(table.c[column]).where(mine, same))).first()
        return "exists" if exists else "full"

    async def _remove_word(self, table: sa.Table, column: str, chat_id: int, word: str) -> bool:
        async with self.engine.begin() as conn:
            result = await conn.execute(
                table.delete().where(table.c.chat_id == chat_id, table.c[column] == word)
            )
        return bool(result.rowcount)

    async def _list_words(self, table: sa.Table, column: str, chat_id: int) -> list[tuple[str, str]]:
        """(folded word, as the user wrote it), oldest first."""
        async with self.engine.connect() as conn:
            rows = await conn.execute(
                sa.select(table.c[column], table.c.shown)
                .where(table.c.chat_id == chat_id)
                .order_by(table.c.created_at, table.c[column])
            )
            return [(r[0], r[1]) for r in rows]

    async def add_follow(self, chat_id: int, keyword: str, shown: str, now: datetime, limit: int) -> str:
        """Follow a folded keyword: 'added', 'exists', or 'full'."""
        return await self._add_word(follows, "keyword", chat_id, keyword, shown, now, limit)

    async def remove_follow(self, chat_id: int, keyword: str) -> bool:
        return await self._remove_word(follows, "keyword", chat_id, keyword)

    async def list_follows(self, chat_id: int) -> list[tuple[str, str]]:
        return await self._list_words(follows, "keyword", chat_id)

    async def add_mute(self, chat_id: int, word: str, shown: str, now: datetime, limit: int) -> str:
        """Mute folded words: 'added', 'exists', or 'full'."""
        return await self._add_word(mutes, "word", chat_id, word, shown, now, limit)

    async def remove_mute(self, chat_id: int, word: str) -> bool:
        return await self._remove_word(mutes, "word", chat_id, word)

    async def list_mutes(self, chat_id: int) -> list[tuple[str, str]]:
        return await self._list_words(mutes, "word", chat_id)

    # ---- search ------------------------------------------------------------------------------

    def _search_filter(self, tokens: Sequence[str], phrase: str) -> sa.ColumnElement[bool]:
        published = articles.c.status.in_(VISIBLE)
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
        return [_article_row(r) for r in rows], int(total)

    # ---- award look-up ----------------------------------------------------------------------

    async def award_articles(self) -> list[ArticleRecord]:
        """Every visible award announcement with its stored facts, newest first (the archive of one
        department holds hundreds; the facts are matched in Python, see bot.domain.awards.search)."""
        newest = sa.func.coalesce(articles.c.published_at, articles.c.discovered_at)
        query = (
            sa.select(articles)
            .where(articles.c.kind == "award", articles.c.status.in_(VISIBLE), articles.c.award.is_not(None))
            .order_by(newest.desc(), articles.c.id.desc())
        )
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return [_article_row(r) for r in rows]

    # ---- digests -----------------------------------------------------------------------------

    async def digest_chats(self) -> list[ChatRecord]:
        """Subscribed, reachable chats that receive a daily or weekly digest."""
        async with self.engine.connect() as conn:
            rows = (
                await conn.execute(
                    sa.select(chats)
                    .where(chats.c.subscribed, chats.c.active, chats.c.mode.in_(("daily", "weekly")))
                    .order_by(chats.c.id)
                )
            ).all()
        return [_chat_row(r) for r in rows]

    async def digest_articles(
        self, chat: ChatRecord, since: datetime, until: datetime
    ) -> list[ArticleRecord]:
        """What a chat's digest lists: articles discovered in (since, until] that its topics or its
        followed keywords select, oldest first."""
        ids = [int(x) for x in chat.feed_ids.split(",") if x.strip().isdigit()]
        chosen = [c for c in chat.categories.split(",") if c.strip()]
        topic: sa.ColumnElement[bool]
        if chat.topics == "awards":
            topic = articles.c.kind == "award"
        elif chat.topics == "categories":
            topic = articles.c.category.in_(chosen) if chosen else sa.false()
        elif chat.topics == "feeds":
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
                articles.c.status.in_(VISIBLE),
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
            _article_row(r)
            for r in rows
            if not any(m in word_text(r.search_text) for m in padded_mutes)  # a mute wins, as when sent
        ]

    async def record_digest(
        self,
        chat_id: int,
        texts: Sequence[str],
        now: datetime,
        previous: datetime | None,
        *,
        silent: bool = False,
    ) -> bool:
        """One transaction: mark the digest done (only if nobody did since `previous` was read) and
        queue its messages, in order, through the outbox. False: already done, nothing queued."""
        done = chats.c.last_digest_at.is_(None) if previous is None else chats.c.last_digest_at == previous
        async with self.engine.begin() as conn:
            result = await conn.execute(
                chats.update().where(chats.c.id == chat_id, done).values(last_digest_at=now)
            )
            if not result.rowcount:
                return False
            for text in texts:
                await conn.execute(
                    deliveries.insert().values(
                        chat_id=chat_id,
                        payload={"text": text},
                        status="pending",
                        due_at=now,
                        created_at=now,
                        silent=silent,
                    )
                )
        return True

    # ---- privacy -----------------------------------------------------------------------------

    async def chat_data(
        self, chat_id: int
    ) -> tuple[ChatRecord | None, list[tuple[str, str]], dict[str, int]]:
        """Everything stored about a chat: its row, its followed keywords, its messages by status."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(sa.select(chats).where(chats.c.id == chat_id))).first()
            kept = await conn.execute(
                sa.select(follows.c.keyword, follows.c.shown)
                .where(follows.c.chat_id == chat_id)
                .order_by(follows.c.created_at, follows.c.keyword)
            )
            words = [(r.keyword, r.shown) for r in kept]
            counts = await conn.execute(
                sa.select(deliveries.c.status, sa.func.count())
                .where(deliveries.c.chat_id == chat_id)
                .group_by(deliveries.c.status)
            )
            by_status = {str(r[0]): int(r[1]) for r in counts}
        return (_chat_row(row) if row else None), words, by_status

    async def erase_chat(self, chat_id: int, user_id: int | None = None) -> bool:
        """Forget a chat: its deliveries, keywords and row; and `user_id` as the one who added other
        chats. True when something was stored."""
        async with self.engine.begin() as conn:
            removed = 0
            owned = (
                (deliveries, deliveries.c.chat_id),
                (follows, follows.c.chat_id),
                (mutes, mutes.c.chat_id),
            )
            for table, column in owned:
                result = await conn.execute(table.delete().where(column == chat_id))
                removed += int(result.rowcount or 0)
            result = await conn.execute(chats.delete().where(chats.c.id == chat_id))
            removed += int(result.rowcount or 0)
            if user_id is not None:
                await conn.execute(chats.update().where(chats.c.added_by == user_id).values(added_by=None))
        return removed > 0
