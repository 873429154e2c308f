"""CPU time per call of the hot paths of one poll.

    python -m bench.poll_parse_bench [N]

1. sniff + sha256 check of an unchanged 30-item feed body (what every NukeViet poll costs),
2. parse_feed on the 30-item feed (only when the hash changed),
3. parse_page on the seed article page (once per new article).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from bot.feeds.fetch import body_hash, looks_like_feed
from bot.feeds.page import parse_page
from bot.feeds.parse import parse_feed

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FEED_URL = "https://sotttt.tayninh.gov.vn/vi/news/rss/"
PAGE_URL = (
    "https://sotttt.tayninh.gov.vn/vi/news/tin-hoat-dong/"
    "hoi-nghi-dien-hinh-tien-tien-so-thong-tin-va-truyen-thong-1234.html"
)


def cpu_per_call(fn: Callable[[], object], n: int) -> float:
    fn()  # warm-up (imports, caches)
    start = time.process_time()
    for _ in range(n):
        fn()
    return (time.process_time() - start) / n


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    feed = (DATA / "feeds" / "site-30.xml").read_bytes()
    page = (DATA / "pages" / "seed-article-1234.html").read_bytes()
    stored = body_hash(feed)

    def unchanged_check() -> bool:
        return looks_like_feed(feed) and body_hash(feed) == stored

    rows = [
        (f"sniff+sha256, unchanged 30-item feed ({len(feed)} B)", cpu_per_call(unchanged_check, n * 50)),
        ("parse_feed, 30 items", cpu_per_call(lambda: parse_feed(feed, FEED_URL), n)),
        (f"parse_page, seed article ({len(page)} B)", cpu_per_call(lambda: parse_page(page, PAGE_URL), n)),
    ]
    print(f"CPU time per call (time.process_time, mean over N={n}; sniff over N*50)")
    for label, seconds in rows:
        print(f"  {label:<52} {seconds * 1e3:9.3f} ms")


if __name__ == "__main__":
    main()
