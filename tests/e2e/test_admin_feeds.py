"""Feeds managed from the chat by admins, through the real Application and the Bot API stand-in: /addfeed
of a broken and a good feed, /feeds buttons (pause, resume, rename, interval), /removefeed, what admins
changed kept over the settings file at the next start, and an OPML round trip between two bots."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.domain.opml import parse_opml
from bot.store.records import FeedEntry
from tests.data.make_feed import SITE_TITLE
from tests.e2e.admin_helpers import ADMIN, CITIZEN, admin_settings
from tests.e2e.harness import running_bot
from tests.e2e.site import NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn
from tests.standin.server import SentMessage

START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
CONFIGURED = "http://127.0.0.1:9/unused.rss"  # the settings file's feed (make_settings)


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


def by_url(entries: list[FeedEntry]) -> dict[str, FeedEntry]:
    return {f.url: f for f in entries}


async def reply_to(server: BotApiStandIn, text: str | None, contains: str, **kwargs: Any) -> SentMessage:
    before = len(server.sent)
    server.inject_message(text, chat_id=ADMIN, **kwargs)
    return await server.wait_for(
        lambda m: server.sent.index(m) >= before and not m.is_edit, chat_id=ADMIN, contains=contains
    )


async def press(server: BotApiStandIn, data: str, on: SentMessage, contains: str) -> SentMessage:
    before = len(server.sent)
    server.inject_callback(data, chat_id=ADMIN, message_id=on.message_id)
    return await server.wait_for(lambda m: server.sent.index(m) >= before, chat_id=ADMIN, contains=contains)


async def test_an_admin_adds_a_broken_and_a_good_feed_and_manages_it_from_the_chat(
    server: BotApiStandIn, site: NewsSite, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    for n, title in enumerate(["Bài một", "Bài hai", "Bài ba", "Bài bốn"]):
        site.publish(300 + n, title)
    settings = admin_settings(server, url, poll_jitter_fraction=0)
    broken = site.server.url("/khong-co.rss")  # 404
    page = site.server.url("/vi/news/tin-hoat-dong/bai-mot-300.html")  # a web page, not a feed
    async with running_bot(settings, ManualClock(START)) as svc:
        refused = await reply_to(server, f"/addfeed {broken}", "Không thêm được")
        assert "404" in refused.plain_text and "Chưa có gì được lưu" in refused.plain_text
        refused = await reply_to(server, f"/addfeed {page}", "Không thêm được")
        assert [f.url for f in await svc.store.feeds.active_feeds()] == [CONFIGURED]  # nothing saved

        preview = await reply_to(server, f"/addfeed {site.feed_url}", "Thêm nguồn tin này?")
        shown = preview.plain_text
        assert SITE_TITLE in shown and site.feed_url in shown
        assert "Bài bốn" in shown and "Bài ba" in shown and "Bài hai" in shown and "Bài một" not in shown
        assert [f.url for f in await svc.store.feeds.active_feeds()] == [CONFIGURED]  # not before the ✅
        ok = next(d for d in preview.callback_data if d.startswith("fa:ok:"))
        await press(server, ok, preview, "Đã thêm nguồn tin")
        added = by_url(await svc.store.feeds.active_feeds())[site.feed_url]
        assert added.origin == "admin" and added.name == SITE_TITLE and not added.paused
        again = await reply_to(server, f"/addfeed {site.feed_url}", "đã có trong danh sách")
        assert not again.callback_data

        listing = await reply_to(server, "/feeds", "Tình trạng nguồn tin")
        text = listing.plain_text
        assert f"#{added.id} {SITE_TITLE} · đã thêm bởi quản trị viên" in text
        assert "từ tệp cấu hình" in text
        assert {f"fa:p:{added.id}", f"fa:n:{added.id}", f"fa:i:{added.id}", f"fa:x:{added.id}"} <= set(
            listing.callback_data
        )

        await press(server, f"fa:p:{added.id}", listing, f"Đã tạm dừng nguồn tin #{added.id}")
        assert by_url(await svc.store.feeds.active_feeds())[site.feed_url].paused
        assert {r.feed_id for r in await svc.ingest.poll_now()} == {1}  # only the configured one

        question = await press(server, f"fa:n:{added.id}", listing, "tên mới cho nguồn tin")
        await reply_to(server, "Tin Sở KH&CN", "Đã đổi tên", reply_to=question.message_id)
        choices = await press(server, f"fa:i:{added.id}", listing, "bao lâu một lần")
        assert f"fa:i:{added.id}:1800" in choices.callback_data
        await press(server, f"fa:i:{added.id}:1800", choices, "lấy tin mỗi 30 phút")
        changed = by_url(await svc.store.feeds.active_feeds())[site.feed_url]
        assert (changed.name, changed.interval_seconds) == ("Tin Sở KH&CN", 1800)

        confirm = await reply_to(server, "/removefeed 1", "Bỏ nguồn tin #1")
        await press(server, "fa:xy:1", confirm, "Đã bỏ nguồn tin #1")  # the configured feed, by an admin

        server.inject_message(f"/addfeed {site.feed_url}", chat_id=CITIZEN)
        assert "quản trị viên" in (await server.wait_for(chat_id=CITIZEN)).plain_text

    async with running_bot(settings, ManualClock(START)) as svc:  # the settings file again at the start
        kept = by_url(await svc.store.feeds.active_feeds())
        assert list(kept) == [site.feed_url]  # the removed configured feed stays removed
        assert (kept[site.feed_url].name, kept[site.feed_url].interval_seconds) == ("Tin Sở KH&CN", 1800)
        assert kept[site.feed_url].paused
        listing = await reply_to(server, "/feeds", "Tình trạng nguồn tin")
        assert "Tin Sở KH&amp;CN" not in listing.plain_text and "Tin Sở KH&CN" in listing.plain_text
        assert "đang tạm dừng" in listing.plain_text
        await press(server, f"fa:r:{added.id}", listing, "được lấy tin trở lại")
        reports = await svc.ingest.poll_now()
        assert [(r.feed_id, r.status) for r in reports] == [(added.id, "new")]


async def test_opml_round_trip_between_two_bots(
    server: BotApiStandIn, site: NewsSite, tmp_path: Path
) -> None:
    site.publish(400, "Bài mở đầu")
    first = admin_settings(server, f"sqlite:///{tmp_path / 'a.sqlite3'}")
    async with running_bot(first, ManualClock(START)) as svc:
        preview = await reply_to(server, f"/addfeed {site.feed_url}", "Thêm nguồn tin này?")
        ok = next(d for d in preview.callback_data if d.startswith("fa:ok:"))
        await press(server, ok, preview, "Đã thêm nguồn tin")
        exported_from = await svc.store.feeds.active_feeds()
        sent = await reply_to(server, "/opml", "2 nguồn tin")
        [upload] = sent.files.values()
        assert upload.filename == "feeds.opml"
        opml = upload.data
    assert [(f.url, f.name) for f in parse_opml(opml)] == [(CONFIGURED, None), (site.feed_url, SITE_TITLE)]

    other = admin_settings(
        server, f"sqlite:///{tmp_path / 'b.sqlite3'}", feeds=[{"url": "http://127.0.0.1:9/other.rss"}]
    )
    async with running_bot(other, ManualClock(START)) as svc:
        await reply_to(server, None, "thêm 2 nguồn tin", document=("feeds.opml", opml, "text/x-opml"))
        assert server.file_downloads  # fetched through getFile and the file URL
        imported = by_url(await svc.store.feeds.active_feeds())
        for f in exported_from:
            assert imported[f.url].origin == "admin"
            assert imported[f.url].interval_seconds == f.interval_seconds
        assert imported[site.feed_url].name == SITE_TITLE
        await reply_to(
            server, None, "0 nguồn tin, 2 nguồn đã có sẵn", document=("feeds.opml", opml, "text/xml")
        )
        back = await reply_to(server, "/opml", "3 nguồn tin")
        [upload] = back.files.values()
        urls = [f.url for f in parse_opml(upload.data)]
        assert urls == ["http://127.0.0.1:9/other.rss", CONFIGURED, site.feed_url]
        await reply_to(
            server, None, "không phải danh sách nguồn tin", document=("notes.xml", b"<notes/>", "text/xml")
        )
