"""Site categories in the store, on SQLite and PostgreSQL: who receives an article of a category, what a
digest lists, which categories /settings offers (with their names), and chats that chose whole feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from bot.domain.models import Article, Kind
from bot.settings import FeedConfig
from bot.store.records import PollOutcome
from bot.store.schema import deliveries
from bot.store.store import Store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
SITE = "https://sokhcn.tayninh.gov.vn/vi/news"


def art(n: int, category: str, name: str | None = None) -> Article:
    return Article(
        key=f"k/{n}",
        link=f"{SITE}/{category}/bai-{n}-{n}.html",
        title=f"Bài {n}",
        lead="",
        body="",
        image=None,
        published=NOW,
        summary=f"Bài {n}",
        kind=Kind.ARTICLE,
        category_name=name,
    )


async def save(store: Store, *items: Article) -> int:
    [feed] = await store.feeds.sync_feeds([FeedConfig(url=f"{SITE}/rss/")], 600)
    outcome = PollOutcome(feed_id=feed.id, at=NOW, next_poll_at=NOW + timedelta(minutes=10), ok=True)
    await store.articles.save_poll(outcome, list(items), [a.key for a in items])
    return feed.id


async def chat(store: Store, chat_id: int, **prefs: object) -> None:
    await store.chats.subscribe(chat_id, type="private", title=None, username=None, language="vi", now=NOW)
    await store.chats.set_prefs(chat_id, NOW, **prefs)


async def received(store: Store, chat_id: int) -> set[str]:
    async with store.engine.connect() as conn:
        rows = await conn.execute(
            sa.text(
                "SELECT a.title FROM deliveries d JOIN articles a ON a.id = d.article_id WHERE d.chat_id = :c"
            ),
            {"c": chat_id},
        )
        return {r[0] for r in rows}


async def test_a_chat_receives_the_categories_it_chose_and_old_feed_choices_still_work(store: Store) -> None:
    [feed] = await store.feeds.sync_feeds([FeedConfig(url=f"{SITE}/rss/")], 600)
    await chat(store, 1, topics="categories", categories="thong-bao,thi-dua-khen-thuong")
    await chat(store, 2, topics="categories", categories="chuyen-doi-so")
    await chat(store, 3, topics="feeds", feed_ids=str(feed.id))  # chosen before categories existed
    await chat(store, 4, topics="categories", categories="")
    await chat(store, 5, topics="categories", categories="thong-bao-moi")  # a longer alias, not a match
    await save(store, art(1, "thong-bao"), art(2, "thi-dua-khen-thuong"), art(3, "chuyen-doi-so"))
    assert await received(store, 1) == {"Bài 1", "Bài 2"}
    assert await received(store, 2) == {"Bài 3"}
    assert await received(store, 3) == {"Bài 1", "Bài 2", "Bài 3"}
    assert await received(store, 4) == set()
    assert await received(store, 5) == set()
    async with store.engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(deliveries))).scalar() == 6


async def test_a_digest_lists_the_chosen_categories_only(store: Store) -> None:
    await chat(store, 7, topics="categories", categories="thong-bao", mode="daily")
    await save(store, art(11, "thong-bao"), art(12, "chuyen-doi-so"))
    [row] = [c for c in await store.chats.digest_chats() if c.id == 7]
    assert row.categories == "thong-bao"
    listed = await store.articles.digest_articles(row, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
    assert [a.title for a in listed] == ["Bài 11"]
    assert listed[0].category == "thong-bao"


async def test_the_categories_offered_are_those_seen_fullest_first_with_their_latest_name(
    store: Store,
) -> None:
    await save(
        store,
        art(21, "thong-bao"),  # a backlog article whose page was not read: no name yet
        art(22, "thong-bao", "Thông báo"),
        art(23, "thong-bao"),
        art(24, "thi-dua-khen-thuong", "Thi đua – khen thưởng"),
        art(25, "chuyen-doi-so"),
    )
    cats = await store.articles.list_categories()
    assert [(c.alias, c.name, c.articles) for c in cats] == [
        ("thong-bao", "Thông báo", 3),
        ("chuyen-doi-so", None, 1),
        ("thi-dua-khen-thuong", "Thi đua – khen thưởng", 1),
    ]
