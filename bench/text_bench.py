"""CPU time of the text algorithms on hostile input: 1 MB of sentences, summaries, an oversized feed item.

    python -m bench.text_bench

Every figure should grow linearly with the input; 1 MB should cost well under a second.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable

from bot.domain.summary import summarize
from bot.domain.text import SPLIT_GOLD, split_sentences
from bot.feeds.parse import FeedError, parse_feed
from tests.data.make_feed import make_feed

MB = 1_000_000


def cpu(fn: Callable[[], object]) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    logging.disable(logging.WARNING)  # the cut notices of the oversized item
    gold = "\n".join(text for text, _ in SPLIT_GOLD)
    cases: list[tuple[str, Callable[[], object]]] = []
    for size in (MB // 4, MB // 2, MB):
        short = "Câu. " * (size // 5)
        cases.append(
            (f"split_sentences, {size:,} chars of 'Câu. '", functools.partial(split_sentences, short))
        )
    cases += [
        ("split_sentences, 1 MB of news paragraphs", lambda: split_sentences(gold * (MB // len(gold)))),
        ("split_sentences, 1 MB of '.'", lambda: split_sentences("." * MB)),
        ("split_sentences, 1 MB of 'TS. A '", lambda: split_sentences("TS. A " * (MB // 6))),
        (
            "summarize, 1 MB title + lead + body",
            lambda: summarize("Tiêu đề " * (MB // 8), "Câu. " * (MB // 5), ["Câu. " * (MB // 5)], 700),
        ),
    ]
    feed = make_feed([{"id": 1, "title": "Tiêu đề " * (MB // 8), "lead": "Câu. " * (MB // 5)}])
    parse_feed(feed, "https://example.org/rss/")  # warm-up: one-time tables
    cases.append((f"parse_feed, one item of {len(feed):,} bytes", lambda: parse_feed(feed, "https://e.org/")))
    many = b"".join(b"<item><title>T%d</title><guid>news_%d</guid></item>" % (i, i) for i in range(100_000))
    many = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>' + many + b"</channel></rss>"
    cases.append(
        (f"parse_feed, 100,000 items ({len(many):,} bytes)", lambda: parse_feed(many, "https://e.org/"))
    )
    junk = make_feed([{"id": 1, "title": "T"}]).replace(b"<item>", b"<x>y</x>" * 600_000 + b"<item>", 1)
    cases.append((f"parse_feed, 600,000 stray tags ({len(junk):,} bytes)", lambda: _refused(junk)))
    print(f"{'case':<52} {'CPU s':>8}")
    for name, fn in cases:
        print(f"{name:<52} {cpu(fn):>8.3f}")


def _refused(body: bytes) -> None:
    try:
        parse_feed(body, "https://e.org/")
    except FeedError:
        return
    raise AssertionError("a flood of tags before the first item should be refused")


if __name__ == "__main__":
    main()
