"""Look-ups: /latest, /awards and /search over the archive. One call per handler.

A search query is folded (accents dropped, lowercase: "khen thưởng" → "khen thuong") and split into words;
every word must match. Ranking and the per-backend full-text method are described in `bot.store.articles`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from bot.domain.awards.search import AwardMatch, award_query, match_award
from bot.domain.text import fold
from bot.store.records import ArticleRecord


class ArticleRepo(Protocol):
    """What this module uses of the store's articles."""

    async def latest_articles(
        self, limit: int, kind: str | None = None, *, with_retracted: bool = False
    ) -> list[ArticleRecord]: ...

    async def search_articles(
        self, tokens: Sequence[str], limit: int, offset: int
    ) -> tuple[list[ArticleRecord], int]: ...

    async def award_articles(self) -> list[ArticleRecord]: ...


LIST_SIZE = 8
PAGE_SIZE = 5
MAX_TOKENS = 8
MAX_QUERY_BYTES = 48  # the query travels in the Prev/Next buttons' callback data (≤ 64 bytes)
WORD = re.compile(r"\w+")
T = TypeVar("T")


def search_tokens(text: str) -> list[str]:
    """The folded words of a query, deduplicated, in order, bounded so they fit in a button."""
    tokens: list[str] = []
    size = 0
    for word in WORD.findall(fold(text)):
        if word in tokens:
            continue
        extra = len(word.encode()) + (1 if tokens else 0)
        if len(tokens) >= MAX_TOKENS or size + extra > MAX_QUERY_BYTES:
            break
        tokens.append(word)
        size += extra
    return tokens


SHOWN_MAX_CHARS = 60


@dataclass(frozen=True, slots=True)
class Paged(Generic[T]):
    """One page of results, paged with Prev/Next buttons (their data: bot.handlers.callbacks)."""

    query: str  # the folded words, space-separated
    items: tuple[T, ...]
    total: int
    page: int  # 0-based
    pages: int
    shown: str = ""  # the words as the user typed them (accents kept), to echo back

    @property
    def echo(self) -> str:
        return self.shown or self.query

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


@dataclass(frozen=True, slots=True)
class SearchPage(Paged[ArticleRecord]):
    """One page of /search."""


@dataclass(frozen=True, slots=True)
class AwardHit:
    article: ArticleRecord
    match: AwardMatch


@dataclass(frozen=True, slots=True)
class AwardPage(Paged[AwardHit]):
    """One page of /khenthuong: who got which award, from whom, when, in which article."""


class LookupService:
    def __init__(self, articles: ArticleRepo) -> None:
        self.articles = articles

    async def latest(self, limit: int = LIST_SIZE) -> list[ArticleRecord]:
        return await self.articles.latest_articles(limit)

    async def awards(self, limit: int = LIST_SIZE) -> list[ArticleRecord]:
        return await self.articles.latest_articles(limit, kind="award")

    async def search(self, text: str, page: int = 0) -> SearchPage:
        tokens = search_tokens(text)
        page = max(page, 0)
        items, total = await self.articles.search_articles(tokens, PAGE_SIZE, page * PAGE_SIZE)
        pages = max(1, -(-total // PAGE_SIZE))
        if total and page >= pages:  # a stale button after the archive shrank: show the last page
            page = pages - 1
            items, total = await self.articles.search_articles(tokens, PAGE_SIZE, page * PAGE_SIZE)
        shown = " ".join(text.split())
        if len(shown) > SHOWN_MAX_CHARS:
            shown = shown[: SHOWN_MAX_CHARS - 1].rstrip() + "…"
        return SearchPage(" ".join(tokens), tuple(items), total, page, pages, shown)

    async def award_search(self, text: str, page: int = 0) -> AwardPage:
        """Award announcements whose recipients' names or positions hold the words (accents aside)."""
        query = award_query(text)
        hits: list[AwardHit] = []
        if query:
            for art in await self.articles.award_articles():
                found = match_award(art.award, query)
                if found is not None:
                    hits.append(AwardHit(art, found))
        pages = max(1, -(-len(hits) // PAGE_SIZE))
        page = min(max(page, 0), pages - 1)
        shown = " ".join(text.split())
        if len(shown) > SHOWN_MAX_CHARS:
            shown = shown[: SHOWN_MAX_CHARS - 1].rstrip() + "…"
        items = tuple(hits[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
        return AwardPage(query, items, len(hits), page, pages, shown)
