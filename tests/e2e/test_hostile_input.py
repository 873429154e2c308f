"""Hostile feeds against the real bot: local servers only (127.0.0.1), the real fetch and parse code, the
Bot API stand-in. Nothing is fetched from another origin, nothing from it is sent, work stays bounded
(figures printed), commands are answered throughout, and the admins get a clear alert when a feed is the
cause."""

from __future__ import annotations

import asyncio
import gzip
import logging
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.clock import ManualClock
from bot.settings import Settings
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.site import FEED_PATH, NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

USER = 701
ADMIN = 702
OTHER = 703
START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh: outside quiet hours
SECRET = "DB password: SECRET-INTERNAL-4242"
SECRET_PAGE = f"""<html><head><meta charset="utf-8"><title>{SECRET}</title></head><body>
<h1 class="title">{SECRET}</h1><div class="hometext">{SECRET}.</div>
<div id="news-bodyhtml"><p>{SECRET}. Mật khẩu nội bộ.</p></div></body></html>""".encode()


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


@pytest.fixture
async def internal() -> AsyncIterator[FeedServer]:
    """Another origin on the same machine (another port): a database console, an admin page…"""
    async with FeedServer() as other:
        other.set("/secret.html", SECRET_PAGE, content_type="text/html; charset=utf-8")
        other.set("/secret.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
        other.set(FEED_PATH, b"<rss version='2.0'><channel><title>x</title></channel></rss>")
        yield other


def settings_for(server: BotApiStandIn, site: NewsSite, url: str, **kw: Any) -> Settings:
    values: dict[str, Any] = {
        "feeds": [{"url": site.feed_url}],
        "poll_interval_seconds": 600,
        "poll_jitter_fraction": 0,
        "admin_ids": [ADMIN],
        "feed_failing_threshold": 1,
    }
    values.update(kw)
    return make_settings(server, url, **values)


async def subscribed(server: BotApiStandIn, chat_id: int) -> None:
    server.inject_message("/start", chat_id=chat_id)
    await server.wait_for(chat_id=chat_id, contains="Xin chào")


def sent_to(server: BotApiStandIn, chat_id: int) -> list[Any]:
    return [m for m in server.messages_to(chat_id) if m.method in ("sendPhoto", "sendMessage")]


def everything_sent(server: BotApiStandIn) -> str:
    return "\n".join(f"{m.text or ''} {m.photo or ''}" for m in server.sent)


async def command_latency(server: BotApiStandIn, chat_id: int) -> float:
    """Seconds until /help is answered."""
    started = time.monotonic()
    before = len(server.messages_to(chat_id))
    server.inject_message("/help", chat_id=chat_id)
    await server.wait_for_count(before + 1, timeout=10, chat_id=chat_id)
    return time.monotonic() - started


async def test_links_to_another_origin_are_never_fetched_nor_sent(
    server: BotApiStandIn, site: NewsSite, internal: FeedServer, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server, USER)
        await svc.ingest.poll_due()  # the backlog is archived
        # an item whose link and thumbnail point to another port of this machine
        site.items.insert(
            0,
            {
                "id": 101,
                "title": "Thông báo quan trọng",
                "link": internal.url("/secret.html"),
                "lead": "Thông báo của Sở về lịch làm việc tuần tới.",
                "thumbnail": internal.url("/secret.jpg"),
                "published": START,
            },
        )
        # an item on the feed's own site whose page redirects to the other origin
        path = site.publish(102, "Tin chuyển hướng", lead="Sở tổ chức hội nghị tổng kết năm 2026.")
        site.server.redirect(path, internal.url("/secret.html"), status=302)
        clock.advance(minutes=11)
        [report] = await svc.ingest.poll_due()
        assert (report.status, report.new, report.queued) == ("new", 2, 2)
        await server.wait_for_count(3, chat_id=USER)  # the welcome and both articles
        await asyncio.sleep(0.3)
    assert internal.requests == {}  # nothing was asked of the other origin
    sent = sent_to(server, USER)
    texts = everything_sent(server)
    assert "SECRET" not in texts and internal.url("") not in texts.replace(internal.url("/secret.html"), "")
    assert any("Thông báo của Sở về lịch làm việc tuần tới." in (m.text or "") for m in sent)
    assert any("Sở tổ chức hội nghị tổng kết năm 2026." in (m.text or "") for m in sent)
    assert all(not (m.photo or "").startswith(internal.url("")) for m in sent)


async def test_a_listed_host_may_serve_pages(
    server: BotApiStandIn, site: NewsSite, internal: FeedServer, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    allowed = internal.url("").removeprefix("http://").rstrip("/")
    settings = settings_for(
        server, site, sqlite_url, feeds=[{"url": site.feed_url, "allowed_hosts": [allowed]}]
    )
    async with running_bot(settings, clock) as svc:
        await subscribed(server, USER)
        await svc.ingest.poll_due()
        internal.set(
            "/bai-101.html",
            b"<html><body><h1 class='title'>T</h1><div id='news-bodyhtml'><p>Trang tin tren may chu phu "
            b"cua So, noi dung day du.</p></div></body></html>",
            content_type="text/html; charset=utf-8",
        )
        site.items.insert(
            0,
            {
                "id": 101,
                "title": "Tin trên máy chủ phụ",
                "link": internal.url("/bai-101.html"),
                "published": START,
            },
        )
        site.refresh()
        clock.advance(minutes=11)
        await svc.ingest.poll_due()
        await server.wait_for(chat_id=USER, contains="Tin trên máy chủ phụ")
    assert "/bai-101.html" in internal.requests


async def test_a_feed_redirect_to_another_origin_is_refused_and_admins_alerted(
    server: BotApiStandIn, site: NewsSite, internal: FeedServer, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server, ADMIN)
        await svc.ingest.poll_due()
        site.server.redirect(FEED_PATH, internal.url(FEED_PATH), status=301)
        clock.advance(minutes=11)
        [report] = await svc.ingest.poll_due()
        assert report.status == "error" and "not this feed's site" in (report.error or "")
        await svc.health.check()
        alert = await server.wait_for(chat_id=ADMIN, contains="not this feed")
        [feed] = await svc.store.feeds.list_feeds()
        assert feed.url == site.feed_url  # the stored address did not move
    assert internal.requests == {}
    assert "lỗi 1 lần liên tiếp" in (alert.text or "")


def gzip_bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(b"<rss>")]
    parts += [packer.compress(b" " * 1_000_000) for _ in range(megabytes)]
    parts.append(packer.flush())
    return gzip.compress(b"".join(parts))


async def test_a_stacked_gzip_bomb_is_refused_commands_answered_admins_alerted(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    bomb = gzip_bomb(300)
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server, ADMIN)
        await subscribed(server, OTHER)
        site.server.gzip = False
        site.server.set(FEED_PATH, bomb, headers={"Content-Encoding": "gzip, gzip"})
        tracemalloc.start()
        started = time.monotonic()
        poll = asyncio.create_task(svc.ingest.poll_due())
        latency = await command_latency(server, OTHER)
        [report] = await poll
        seconds = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"\nstacked gzip feed ({len(bomb)} bytes → 300 MB): poll {seconds:.3f} s,"
            f" peak {peak / 1e6:.1f} MB traced, /help answered in {latency:.3f} s"
        )
        assert report.status == "error" and "stacked content encodings refused" in (report.error or "")
        await svc.health.check()
        alert = await server.wait_for(chat_id=ADMIN, contains="stacked content encodings refused")
    assert len(bomb) < 2_000 and peak < 50e6 and latency < 5
    assert "lỗi 1 lần liên tiếp" in (alert.text or "")


async def test_a_megabyte_of_sentences_is_posted_promptly_and_commands_answered(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server, USER)
        await subscribed(server, OTHER)
        await svc.ingest.poll_due()
        flood = "Câu. " * 200_000
        site.publish(101, "Tin rất dài", lead=flood, paragraphs=[flood, flood])
        clock.advance(minutes=11)
        started = time.monotonic()
        poll = asyncio.create_task(svc.ingest.poll_due())
        latency = await command_latency(server, OTHER)
        [report] = await poll
        seconds = time.monotonic() - started
        post = await server.wait_for(chat_id=USER, contains="Tin rất dài", timeout=10)
        print(f"\n1 MB lead and 2 MB page: poll {seconds:.3f} s, /help answered in {latency:.3f} s")
    assert report.status == "new" and report.queued == 2
    assert "Câu. Câu." in (post.text or "") and len(post.text or "") <= 1024
    assert seconds < 15 and latency < 5


async def test_an_article_in_two_feeds_of_the_site_is_sent_once_without_errors(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    category = "/vi/news/rss/tin-hoat-dong/"
    site.publish(100, "Tin cũ")
    site.server.set(category, site.server._resources[FEED_PATH].body)
    clock = ManualClock(START)
    feeds = [{"url": site.feed_url}, {"url": site.server.url(category)}]
    async with running_bot(settings_for(server, site, sqlite_url, feeds=feeds), clock) as svc:
        await subscribed(server, USER)
        await svc.ingest.poll_due()
        site.publish(101, "Tin đăng ở cả hai mục")
        site.server.set(category, site.server._resources[FEED_PATH].body)
        clock.advance(minutes=11)
        with caplog.at_level(logging.INFO):
            reports = await svc.ingest.poll_due()  # both feeds at once
        assert sorted(r.status for r in reports) == ["new", "new"]
        assert sum(r.queued for r in reports) == 1
        await server.wait_for(chat_id=USER, contains="Tin đăng ở cả hai mục")
        await asyncio.sleep(0.5)
        assert len(await svc.store.articles.latest_articles(10)) == 2
        assert all(f.consecutive_errors == 0 for f in await svc.store.feeds.list_feeds())
    assert sum("Tin đăng ở cả hai mục" in (m.text or "") for m in sent_to(server, USER)) == 1
    logged = "\n".join(r.getMessage() + (str(r.exc_info) if r.exc_info else "") for r in caplog.records)
    assert "UNIQUE" not in logged and "IntegrityError" not in logged and "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_a_script_link_leaves_no_link_element(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Tin cũ")
    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server, USER)
        await svc.ingest.poll_due()
        for news_id, bad in ((101, "javascript:alert(document.cookie)"), (102, "data:text/html,<b>x</b>")):
            site.items.insert(
                0,
                {
                    "id": news_id,
                    "title": f"Tin có liên kết lạ {news_id}",
                    "link": bad,
                    "lead": "Sở thông báo lịch tiếp công dân.",
                    "thumbnail": bad,
                    "published": START,
                },
            )
        site.refresh()
        clock.advance(minutes=11)
        [report] = await svc.ingest.poll_due()
        assert report.queued == 2
        await server.wait_for_count(3, chat_id=USER)
    posts = [m for m in sent_to(server, USER) if "Tin có liên kết lạ" in (m.text or "")]
    assert len(posts) == 2
    for post in posts:
        assert post.parse_mode == "HTML"  # sent as formatted at once, not as a plain-text fallback
        assert "<a" not in (post.text or "") and "javascript" not in (post.text or "")
        assert post.reply_markup is None and post.photo is None
        assert "Sở thông báo lịch tiếp công dân." in (post.text or "")


async def test_an_entity_expansion_feed_is_refused_and_admins_alerted(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    from tests.feeds.test_bounded_parse import billion_laughs

    clock = ManualClock(START)
    async with running_bot(settings_for(server, site, sqlite_url), clock) as svc:
        await subscribed(server, ADMIN)
        await subscribed(server, OTHER)
        site.server.set(FEED_PATH, billion_laughs())
        started = time.monotonic()
        poll = asyncio.create_task(svc.ingest.poll_due())
        latency = await command_latency(server, OTHER)
        [report] = await poll
        seconds = time.monotonic() - started
        print(f"\nbillion laughs feed: poll {seconds:.3f} s, /help answered in {latency:.3f} s")
        assert report.status == "error" and "declares XML entities" in (report.error or "")
        await svc.health.check()
        alert = await server.wait_for(chat_id=ADMIN, contains="declares XML entities")
    assert "lỗi 1 lần liên tiếp" in (alert.text or "")
    assert seconds < 5 and latency < 5
