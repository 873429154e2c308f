"""Decompression is bounded by the bytes it produces, through the real client against a local server:
a tiny body that inflates to hundreds of MB is refused with bounded memory and time (figures printed)."""

import functools
import gzip
import time
import tracemalloc
import zlib

import pytest

from bot.feeds.fetch import FeedClient, Validators
from tests.feedserver import FeedServer

BOMB_MB = 300
MAX_BYTES = 5_000_000
FEED = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title></channel></rss>'


@functools.cache
def gzip_bomb() -> bytes:
    """gzip of BOMB_MB megabytes of spaces after an RSS start tag, built a megabyte at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    parts = [packer.compress(b"<rss>")]
    block = b" " * 1_000_000
    parts += [packer.compress(block) for _ in range(BOMB_MB)]
    parts.append(packer.flush())
    return b"".join(parts)


async def fetch_measured(client: FeedClient, coro_factory):
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = await coro_factory(client)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 1e6, time.perf_counter() - started


@pytest.mark.parametrize("what", ["feed", "page"])
async def test_stacked_gzip_bomb_is_refused_with_bounded_memory(what):
    body = gzip.compress(gzip_bomb())
    async with FeedServer(gzip=False) as server, FeedClient(max_bytes=MAX_BYTES, timeout=10) as client:
        server.set("/x", body, headers={"Content-Encoding": "gzip, gzip"})
        url = server.url("/x")
        if what == "feed":
            result, peak, seconds = await fetch_measured(client, lambda c: c.fetch_feed(url, Validators()))
            assert result.status == "error" and "stacked content encodings refused" in (result.error or "")
        else:
            result, peak, seconds = await fetch_measured(client, lambda c: c.fetch_page(url))
            assert result is None
    print(f"\n{what}: {len(body)}-byte body, gzip, gzip of {BOMB_MB} MB: peak {peak:.1f} MB, {seconds:.3f} s")
    assert len(body) < 2_000
    assert peak < 20


@pytest.mark.parametrize("what", ["feed", "page"])
async def test_single_gzip_bomb_stops_at_the_size_cap(what):
    body = gzip_bomb()
    async with FeedServer(gzip=False) as server, FeedClient(max_bytes=MAX_BYTES, timeout=10) as client:
        server.set("/x", body, headers={"Content-Encoding": "gzip"})
        url = server.url("/x")
        if what == "feed":
            result, peak, seconds = await fetch_measured(client, lambda c: c.fetch_feed(url, Validators()))
            assert result.status == "error" and "too large" in (result.error or "")
        else:
            result, peak, seconds = await fetch_measured(client, lambda c: c.fetch_page(url))
            assert result is None
    print(f"\n{what}: {len(body):,}-byte gzip of {BOMB_MB} MB: peak {peak:.1f} MB, {seconds:.3f} s")
    assert peak < 3 * MAX_BYTES / 1e6
    assert seconds < 5


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
        ("gzip", lambda b: gzip.compress(b[:50]) + gzip.compress(b[50:])),  # two gzip members
        ("identity", lambda b: b),
        ("", lambda b: b),
    ],
)
async def test_honest_encodings_are_decoded(encoding, encode):
    async with FeedServer(gzip=False) as server, FeedClient() as client:
        server.set("/rss", encode(FEED), headers={"Content-Encoding": encoding} if encoding else {})
        result = await client.fetch_feed(server.url("/rss"), Validators())
    assert result.status == "ok" and result.body == FEED


@pytest.mark.parametrize("encoding", ["br", "compress", "zstd"])
async def test_encodings_never_asked_for_are_refused(encoding):
    async with FeedServer(gzip=False) as server, FeedClient() as client:
        server.set("/rss", FEED, headers={"Content-Encoding": encoding})
        result = await client.fetch_feed(server.url("/rss"), Validators())
    assert result.status == "error" and "unsupported content encoding" in (result.error or "")


async def test_corrupt_gzip_is_an_error_not_a_crash():
    async with FeedServer(gzip=False) as server, FeedClient() as client:
        server.set("/rss", b"\x1f\x8b\x08\x00garbage" * 10, headers={"Content-Encoding": "gzip"})
        result = await client.fetch_feed(server.url("/rss"), Validators())
    assert result.status == "error" and "invalid gzip data" in (result.error or "")
