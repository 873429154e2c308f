"""Feeds managed from the chat, on SQLite and PostgreSQL: what admins change outlives the settings file's
start-up sync; a paused feed is not due."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from bot.settings import FeedConfig
from bot.store.records import Added
from bot.store.schema import audit_log
from bot.store.store import Store

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
FILE_FEED = "https://sokhcn.tayninh.gov.vn/vi/news/rss/"
ADMIN_FEED = "https://tayninh.gov.vn/vi/news/rss/"


async def test_admin_changes_win_over_the_settings_file_at_every_start(store: Store) -> None:
    config = [FeedConfig(url=FILE_FEED, name="Sở KH&CN", interval_seconds=600)]
    [file_feed] = await store.feeds.sync_feeds(config, 600)
    assert file_feed.origin == "config"
    added, admin_id = await store.feeds.add_feed(7, ADMIN_FEED, "Cổng tỉnh", 900, NOW)
    assert added is Added.ADDED
    assert (await store.feeds.add_feed(7, ADMIN_FEED, "again", 900, NOW))[0] is Added.PRESENT
    assert await store.feeds.change_feed(7, file_feed.id, "renamefeed", NOW, admin_name="Tin Sở")
    assert await store.feeds.change_feed(7, file_feed.id, "feedinterval", NOW, admin_interval=1800)
    assert await store.feeds.change_feed(7, admin_id, "pausefeed", NOW, paused=True)

    feeds = {f.url: f for f in await store.feeds.sync_feeds(config, 600)}  # the next start
    assert (feeds[FILE_FEED].name, feeds[FILE_FEED].interval_seconds) == ("Tin Sở", 1800)
    assert feeds[ADMIN_FEED].origin == "admin" and feeds[ADMIN_FEED].paused  # not in the file, kept
    assert [f.url for f in await store.feeds.due_feeds(NOW)] == [FILE_FEED]  # paused: not due

    assert await store.feeds.change_feed(7, file_feed.id, "removefeed", NOW, enabled=False, removed=True)
    assert [f.url for f in await store.feeds.sync_feeds(config, 600)] == [ADMIN_FEED]  # removed stays removed
    assert not await store.feeds.change_feed(7, file_feed.id, "pausefeed", NOW, paused=True)  # gone
    assert (await store.feeds.add_feed(7, FILE_FEED, None, 600, NOW))[0] is Added.RESTORED
    assert {f.url for f in await store.feeds.sync_feeds(config, 600)} == {FILE_FEED, ADMIN_FEED}

    async with store.engine.connect() as conn:
        actions = (await conn.execute(sa.select(audit_log.c.action).order_by(audit_log.c.id))).scalars().all()
    assert actions == ["addfeed", "renamefeed", "feedinterval", "pausefeed", "removefeed", "addfeed"]
