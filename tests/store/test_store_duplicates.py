"""The same article in two feeds of one site, saved by two polls at the same time: stored once, delivered
once, no error (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio

from bot.settings import FeedConfig
from bot.store.store import Store
from tests.store.test_store import article, poll, subscribe


async def test_an_article_in_two_feeds_is_stored_and_queued_once(store: Store) -> None:
    feeds = await store.feeds.sync_feeds(
        [
            FeedConfig(url="https://sokhcn.tayninh.gov.vn/vi/news/rss/"),
            FeedConfig(url="https://sokhcn.tayninh.gov.vn/vi/news/rss/tin-hoat-dong/"),
        ],
        600,
    )
    await subscribe(store, 1)
    await subscribe(store, 2)
    shared, own = article(7), article(8)
    first, second = await asyncio.gather(
        store.articles.save_poll(poll(feeds[0].id), [shared], [shared.key]),
        store.articles.save_poll(poll(feeds[1].id), [shared, own], [shared.key, own.key]),
    )
    assert sorted([first.get(shared.key, 0), second.get(shared.key, 0)]) == [0, 2]  # one of them queued it
    assert second[own.key] == 2
    stored = await store.articles.latest_articles(10)
    assert sorted(a.key for a in stored) == sorted([shared.key, own.key])
    assert await store.outbox.delivery_counts() == {"pending": 4}
    for feed in await store.feeds.list_feeds():
        assert feed.initialized and feed.consecutive_errors == 0
