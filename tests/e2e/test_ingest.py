"""Feed ingestion end to end: a local NukeViet-like site, the real bot, the Bot API stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import Services
from bot.clock import ManualClock
from bot.domain.models import FormCount
from bot.settings import Settings
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.site import FEED_PATH, NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

USER = 601
START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh: outside quiet hours


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


def settings_for(server: BotApiStandIn, site: NewsSite, url: str, **kw: Any) -> Settings:
    return make_settings(
        server, url, feeds=[{"url": site.feed_url}], poll_interval_seconds=600, poll_jitter_fraction=0, **kw
    )


async def subscribed(server: BotApiStandIn, chat_id: int = USER) -> None:
    server.inject_message("/start", chat_id=chat_id)
    await server.wait_for(chat_id=chat_id, contains="Xin chào")


async def tick(svc: Services, clock: ManualClock, minutes: float = 11) -> list[Any]:
    clock.advance(minutes=minutes)
    return await svc.ingest.poll_due()


def posts(server: BotApiStandIn, chat_id: int = USER) -> list[str]:
    return [
        m.text or ""
        for m in server.messages_to(chat_id)
        if m.method in ("sendPhoto", "sendMessage") and "Xin chào" not in (m.text or "")
    ]


async def settle() -> None:
    await asyncio.sleep(0.4)


async def test_first_poll_sends_nothing_then_each_new_article_once(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    for n in range(1, 4):
        site.publish(100 + n, f"Tin cũ số {n}")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server)
        [first] = await svc.ingest.poll_due()
        assert (first.status, first.new, first.queued) == ("new", 3, 0)
        await settle()
        assert posts(server) == []

        site.publish(
            200,
            "Sở tổ chức hội nghị chuyển đổi số",
            paragraphs=["Hội nghị diễn ra ngày 25/11.", "Có 80 đại biểu."],
        )
        [second] = await tick(svc, clock)
        assert (second.new, second.queued) == (1, 1)
        photo = await server.wait_for(chat_id=USER, method="sendPhoto")
        assert "Sở tổ chức hội nghị chuyển đổi số" in (photo.text or "")
        assert photo.photo == site.server.url("/uploads/news/200.jpg")  # the page's large image
        assert photo.parse_mode == "HTML"
        assert any(b.get("url", "").endswith("-200.html") for b in photo.buttons)

        [third] = await tick(svc, clock)
        assert third.status == "unchanged"
        await settle()
        assert len(posts(server)) == 1


async def test_two_new_items_are_both_sent_oldest_first(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(300, "Bài đã có")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        site.publish(301, "Bài thứ nhất", minutes=1)
        site.publish(302, "Bài thứ hai", minutes=2)
        [report] = await tick(svc, clock)
        assert report.queued == 2
        got = await server.wait_for_count(2, chat_id=USER, method="sendPhoto")
        assert "Bài thứ nhất" in (got[0].text or "") and "Bài thứ hai" in (got[1].text or "")


async def test_edits_reordering_and_restarts_never_resend(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(400, "Bài A")
    clock = ManualClock(START)
    settings = settings_for(server, site, sqlite_url)
    async with running_bot(settings, clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        site.publish(401, "Bài B")
        await tick(svc, clock)
        await server.wait_for(chat_id=USER, contains="Bài B")
        site.retitle(401, "Bài B (đã sửa tiêu đề)")
        site.reorder()
        [report] = await tick(svc, clock)
        assert (report.status, report.new) == ("unchanged", 0)
    async with running_bot(settings, clock) as svc:  # a restart on the same database
        clock.advance(minutes=11)
        [report] = await svc.ingest.poll_due()
        assert report.new == 0
        await settle()
    assert len(posts(server)) == 1


async def test_errors_back_off_and_recover(server: BotApiStandIn, site: NewsSite, sqlite_url: str) -> None:
    site.publish(500, "Bài đầu")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url, backoff_base_seconds=120), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        site.server.fail(FEED_PATH, 500, count=1)
        [failed] = await tick(svc, clock)
        assert failed.status == "error" and "500" in (failed.error or "")
        feed = (await svc.store.feeds.list_feeds())[0]
        assert feed.consecutive_errors == 1
        assert feed.next_poll_at is not None and feed.next_poll_at >= clock.now() + timedelta(seconds=120)
        assert await svc.ingest.poll_due() == []  # still backing off

        # the flood blocker: a 200 HTML page is an error, not an empty feed
        site.server.set(FEED_PATH, "<html><body>Hãy đợi...</body></html>".encode(), content_type="text/html")
        clock.set(feed.next_poll_at + timedelta(seconds=1))
        [blocked] = await svc.ingest.poll_due()
        assert blocked.status == "error" and "not a feed" in (blocked.error or "")
        feed = (await svc.store.feeds.list_feeds())[0]
        assert feed.consecutive_errors == 2

        site.publish(501, "Bài sau khi phục hồi")
        assert feed.next_poll_at is not None
        clock.set(feed.next_poll_at + timedelta(seconds=1))
        [ok] = await svc.ingest.poll_due()
        assert ok.status == "new" and ok.queued == 1
        feed = (await svc.store.feeds.list_feeds())[0]
        assert feed.consecutive_errors == 0 and feed.last_error is None
        await server.wait_for(chat_id=USER, contains="Bài sau khi phục hồi")


async def test_conditional_headers_are_sent_back(server: BotApiStandIn, sqlite_url: str) -> None:
    async with FeedServer(honour_validators=True) as feeds:
        site = NewsSite(feeds)
        site.publish(600, "Bài có ETag")
        clock = ManualClock(START)
        async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
            await svc.ingest.poll_due()
            [again] = await tick(svc, clock)
            assert again.status == "not_modified"
            first, second = feeds.requests[FEED_PATH][:2]
            assert "If-None-Match" not in first
            assert second["If-None-Match"] == FeedServer.etag_for(feeds._resources[FEED_PATH].body)
            assert second["If-Modified-Since"] == first_response_last_modified(site)
            assert "TayNinhNewsBot" in second["User-Agent"] and "gzip" in second["Accept-Encoding"]


def first_response_last_modified(site: NewsSite) -> str:
    resource = site.server._resources[FEED_PATH]
    assert resource.last_modified is not None
    return resource.last_modified


async def test_the_job_queue_polls_on_its_own(server: BotApiStandIn, site: NewsSite, sqlite_url: str) -> None:
    site.publish(700, "Bài cũ")
    settings = make_settings(
        server,
        sqlite_url,
        feeds=[{"url": site.feed_url}],
        scheduler_tick_seconds=0.2,
        poll_interval_seconds=5,
        poll_jitter_fraction=0,
    )
    async with running_bot(settings) as svc:
        await subscribed(server)
        for _ in range(50):
            feed = (await svc.store.feeds.list_feeds())[0]
            if feed.initialized:
                break
            await asyncio.sleep(0.1)
        assert feed.initialized
        site.publish(701, "Bài mới do lịch tự lấy")
        await server.wait_for(chat_id=USER, contains="Bài mới do lịch tự lấy", timeout=12)


async def test_an_award_announcement_is_posted_headline_first_then_the_facts(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    seed = (site_data() / "pages" / "seed-article-1234.html").read_bytes()
    site.publish(1200, "Bài cũ")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        site.publish(1234, "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông", page=seed)
        await tick(svc, clock)
        post = await server.wait_for(chat_id=USER, method="sendMediaGroup")  # the page has three photos
        caption = post.plain_text
        headline = "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông"
        assert caption.startswith(f"{headline}\n\n🏅 KHEN THƯỞNG")
        links = [e["url"] for e in post.entities if e["type"] == "text_link"]
        assert "http" not in caption and links[0].endswith("-1234.html")  # the link once, as "Đọc tiếp"
        assert "Nguyễn Thị Kiều Oanh" in caption and "9 tập thể, 12 cá nhân" in caption
        assert len(caption) <= 1024
        [stored] = await svc.store.articles.latest_articles(1, kind="award")
        assert stored.award is not None
        assert FormCount("Giấy khen của Giám đốc Sở", collectives=9, individuals=12) in stored.award.counts


def site_data() -> Path:
    from tests.e2e.site import DATA

    return DATA


async def test_a_permanent_redirect_updates_the_stored_url(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(800, "Bài trước khi chuyển địa chỉ")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server)
        await svc.ingest.poll_due()
        moved = "/news/rss/"  # the site changed its rewrite rules
        site.server.set(moved, site.server._resources[FEED_PATH].body)
        site.server.redirect(FEED_PATH, moved, status=301)
        [report] = await tick(svc, clock)
        assert report.status == "unchanged"
        [feed] = await svc.store.feeds.list_feeds()
        assert feed.url == site.server.url(moved) and feed.configured_url == site.feed_url
        await tick(svc, clock)
        assert site.server.requests[moved] and len(site.server.requests[FEED_PATH]) == 2  # not asked again


async def test_retry_after_on_503_is_honoured(server: BotApiStandIn, site: NewsSite, sqlite_url: str) -> None:
    site.publish(900, "Bài đầu")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url, backoff_base_seconds=5), clock) as svc:
        await svc.ingest.poll_due()
        site.server.fail(FEED_PATH, 503, headers={"Retry-After": "3600"}, count=1)
        [failed] = await tick(svc, clock)
        assert failed.status == "error"
        [feed] = await svc.store.feeds.list_feeds()
        assert feed.next_poll_at is not None and feed.next_poll_at >= clock.now() + timedelta(seconds=3600)


async def test_a_new_feed_can_send_its_latest_items_on_the_first_poll(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    for n in range(1, 6):
        site.publish(1000 + n, f"Bài số {n}", minutes=n)
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url, backlog_send_latest=2), clock) as svc:
        await subscribed(server)
        [first] = await svc.ingest.poll_due()
        assert (first.new, first.queued) == (5, 2)
        got = await server.wait_for_count(2, chat_id=USER, method="sendPhoto")
        assert ["Bài số 4" in (got[0].text or ""), "Bài số 5" in (got[1].text or "")] == [True, True]
        await settle()
        assert len(posts(server)) == 2
