"""Each feed is polled on a task of its own, and each article page has its own deadline: ten article pages
that trickle a few bytes at a time on one feed never delay a good article on another feed, nor the next
tick; the slow feed's articles still arrive (with their feed lead) once their pages have timed out."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from tests.e2e.harness import make_settings, running_bot
from tests.e2e.site import NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

USER = 808
START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


@pytest.fixture
async def sites() -> AsyncIterator[tuple[NewsSite, NewsSite]]:
    async with FeedServer() as slow, FeedServer() as good:
        yield NewsSite(slow), NewsSite(good)


async def test_trickling_pages_on_one_feed_never_delay_another_feed(
    server: BotApiStandIn, sites: tuple[NewsSite, NewsSite], sqlite_url: str
) -> None:
    slow, good = sites
    slow.publish(1, "Tin cũ bên chậm")
    good.publish(2, "Tin cũ bên nhanh")
    settings = make_settings(
        server,
        sqlite_url,
        feeds=[{"url": slow.feed_url}, {"url": good.feed_url}],
        poll_interval_seconds=600,
        poll_jitter_fraction=0,
        fetch_timeout_seconds=2,
    )
    clock = ManualClock(START)
    async with running_bot(settings, clock) as svc:
        server.inject_message("/start", chat_id=USER)
        await server.wait_for(chat_id=USER, contains="Xin chào")
        assert len(await svc.ingest.poll_due()) == 2  # the backlogs are archived

        for n in range(10):  # pages that send 16 bytes a second: never finished within the timeout
            slow.publish(100 + n, f"Bài chậm số {n}", lead=f"Tin chậm {n}.", trickle=1.0)
        good.publish(200, "Hội nghị chuyển đổi số", lead="Sở tổ chức hội nghị.")
        clock.advance(minutes=11)

        began = time.monotonic()
        assert await svc.ingest.tick() == 2
        assert time.monotonic() - began < 1.0  # the tick returns at once
        await server.wait_for(chat_id=USER, contains="Hội nghị chuyển đổi số", timeout=10)
        good_after = time.monotonic() - began
        slow_so_far = [m for m in server.messages_to(USER) if "Bài chậm" in m.plain_text]
        assert await svc.ingest.tick() == 0  # the slow feed is still being polled: not started twice

        arrived = await server.wait_for_count(
            10, chat_id=USER, predicate=lambda m: "Bài chậm" in m.plain_text, timeout=40
        )
        slow_after = time.monotonic() - began
    print(f"\ngood article after {good_after:.1f} s; ten trickling pages done after {slow_after:.1f} s")
    assert good_after < 3.0
    assert slow_so_far == []  # the good article did not wait for the slow feed
    assert slow_after >= 2.0 * 5 * 0.9  # ten pages, two at a time, each stopped at its 2 s deadline
    assert {m.plain_text.split("\n")[0] for m in arrived} == {f"Bài chậm số {n}" for n in range(10)}
