"""CPU time of one whole poll, through the real IngestService and a real SQLite store.

    python -m bench.poll_bench [N]

The feed and the article page are served by an in-process httpx.MockTransport, so what is measured is the
bot's own work (HTTP client, hashing, parsing, page extraction, summary, award detection, the outbox
transaction), not a server's. Two cases:

1. unchanged: a 30-item NukeViet feed whose body did not change (every NukeViet poll: no ETag, full 200);
2. changed: the same feed with one new item on top: parse, identify, fetch and read its page, summarise,
   detect awards, and write article + deliveries (100 subscribers) + validators in one transaction.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bot.app import ingest_settings
from bot.clock import ManualClock
from bot.feeds.fetch import FeedClient
from bot.services.ingest import IngestService
from bot.settings import Settings
from bot.store.db import create_engine, upgrade
from bot.store.store import Store
from tests.data.make_feed import make_feed

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
HOST = "https://sotttt.tayninh.gov.vn"
FEED_URL = f"{HOST}/vi/news/rss/"
SEED_PAGE = (DATA / "pages" / "seed-article-1234.html").read_bytes()


def items(newest: int) -> list[dict[str, object]]:
    base = datetime(2026, 11, 1, 1, tzinfo=UTC)
    return [
        {
            "id": n,
            "title": f"Tin hoạt động số {n}: Sở triển khai chuyển đổi số",
            "lead": f"Ngày {n % 28 + 1}/11, Sở tổ chức hội nghị triển khai nhiệm vụ chuyển đổi số năm 2026.",
            "thumbnail": f"{HOST}/assets/news/{n}.jpg",
            "published": base + timedelta(hours=n),
        }
        for n in range(newest, newest - 30, -1)
    ]


class Site:
    def __init__(self) -> None:
        self.feed = make_feed(items(100))

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/rss/"):
            return httpx.Response(200, content=self.feed, headers={"Content-Type": "text/xml; charset=utf-8"})
        return httpx.Response(200, content=SEED_PAGE, headers={"Content-Type": "text/html; charset=utf-8"})


def cpu_ms(samples: list[float]) -> str:
    return (
        f"median {statistics.median(samples) * 1000:.2f} ms, mean {statistics.fmean(samples) * 1000:.2f} ms"
    )


async def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(feed_urls=(FEED_URL,), database_url=f"sqlite:///{tmp}/bench.db")
        engine = create_engine(settings.database_url)
        await upgrade(engine)
        store = Store(engine)
        clock = ManualClock(datetime(2026, 11, 26, 3, tzinfo=UTC))
        for chat in range(1, 101):
            await store.chats.subscribe(
                chat, type="private", title=None, username=None, language="vi", now=clock.now()
            )
        [feed] = await store.feeds.sync_feeds(settings.feed_list, 600)
        site = Site()
        client = FeedClient(
            httpx.AsyncClient(transport=httpx.MockTransport(site.handler)), user_agent="bench"
        )
        ingest = IngestService(
            store.feeds, store.leases, store.articles, client, clock, ingest_settings(settings), owner="bench"
        )
        await ingest.poll(feed)  # first poll: backlog archived

        unchanged: list[float] = []
        for _ in range(n):
            clock.advance(minutes=11)
            started = time.process_time()
            [report] = [await ingest.poll(feed)]
            unchanged.append(time.process_time() - started)
            assert report.status == "unchanged", report

        changed: list[float] = []
        for i in range(max(5, n // 10)):
            site.feed = make_feed(items(101 + i))
            clock.advance(minutes=11)
            started = time.process_time()
            report = await ingest.poll(feed)
            changed.append(time.process_time() - started)
            assert report.new == 1 and report.queued == 100, report
        await engine.dispose()
    print(f"poll of an unchanged 30-item feed:          {cpu_ms(unchanged)} CPU  (target: well under 5 ms)")
    print(
        f"poll of a 30-item feed with one new item:   {cpu_ms(changed)} CPU"
        "  (target: under 50 ms + page fetch)"
    )
    print(
        "  (the changed case includes fetching and reading the article page, summary, award detection and the"
    )
    print("   outbox transaction queueing 100 deliveries)")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
