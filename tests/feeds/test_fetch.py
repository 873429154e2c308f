import gzip
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import pytest

from bot.feeds.fetch import (
    DEFAULT_USER_AGENT,
    FeedClient,
    Validators,
    body_hash,
    looks_like_feed,
    parse_retry_after,
)
from tests.feedserver import FeedServer

DATA = Path(__file__).resolve().parent.parent / "data" / "feeds"
FEED = (DATA / "site-30.xml").read_bytes()
FEED31 = (DATA / "site-31.xml").read_bytes()
FLOOD = (DATA / "flood-blocker.html").read_bytes()
LM = "Tue, 30 Jun 2020 09:06:00 GMT"
PATH = "/vi/news/rss/"
NONE = Validators()


def mock_client(handler, **kw) -> FeedClient:
    return FeedClient(
        httpx.AsyncClient(transport=httpx.MockTransport(handler)), user_agent=DEFAULT_USER_AGENT, **kw
    )


# -- sniffing and helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        FEED,
        b"\xef\xbb\xbf<?xml version='1.0'?>\n<rss version='2.0'></rss>",
        b'<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="/rss.xsl"?><!-- x --><rss>',
        b'<feed xmlns="http://www.w3.org/2005/Atom">',
        b'  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
        '<?xml version="1.0" encoding="utf-16"?><rss/>'.encode("utf-16"),
    ],
)
def test_sniff_accepts_feeds(body):
    assert looks_like_feed(body)


@pytest.mark.parametrize(
    "body",
    [
        FLOOD,
        b"",
        b"   ",
        b"<html><body>rss</body></html>",
        b"<!DOCTYPE html><html>",
        b"<rssx>",
        b"{}",
        b"<?xml",
    ],
)
def test_sniff_rejects_non_feeds(body):
    assert not looks_like_feed(body)


def test_parse_retry_after():
    now = datetime(2020, 6, 28, 11, 0, tzinfo=UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after(format_datetime(now + timedelta(seconds=90), usegmt=True), now) == 90.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=90), usegmt=True), now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None


# -- through httpx.MockTransport -----------------------------------------------------------------


async def test_ok_sends_headers_and_returns_validators():
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=FEED, headers={"Last-Modified": LM, "ETag": '"abc"'})

    client = mock_client(handler)
    r = await client.fetch_feed(
        "https://sotttt.tayninh.gov.vn/vi/news/rss/", Validators('"old"', "Mon, 1 Jun 2020", "x")
    )
    assert r.status == "ok" and r.http_status == 200 and r.body == FEED
    assert r.validators == Validators('"abc"', LM, body_hash(FEED))
    req = seen[0]
    assert req.headers["User-Agent"] == DEFAULT_USER_AGENT
    assert req.headers["Accept-Encoding"] == "gzip"
    assert req.headers["If-None-Match"] == '"old"'
    assert req.headers["If-Modified-Since"] == "Mon, 1 Jun 2020"
    assert r.elapsed >= 0 and r.error is None and r.permanent_redirect is None


async def test_no_validators_no_conditional_headers():
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return httpx.Response(200, content=FEED)

    await mock_client(handler).fetch_feed("https://x.vn/rss/", NONE)
    assert "If-None-Match" not in seen[0].headers and "If-Modified-Since" not in seen[0].headers


async def test_304_not_modified_keeps_validators():
    client = mock_client(lambda req: httpx.Response(304))
    stored = Validators('"e"', LM, "h")
    r = await client.fetch_feed("https://x.vn/rss/", stored)
    assert r.status == "not_modified" and r.body is None and r.validators == stored


async def test_same_hash_is_unchanged_even_with_same_last_modified():
    client = mock_client(lambda req: httpx.Response(200, content=FEED, headers={"Last-Modified": LM}))
    r = await client.fetch_feed("https://x.vn/rss/", Validators(None, LM, body_hash(FEED)))
    assert r.status == "unchanged" and r.body is None
    assert r.validators.body_hash == body_hash(FEED)


async def test_same_last_modified_but_new_body_is_ok():
    client = mock_client(lambda req: httpx.Response(200, content=FEED31, headers={"Last-Modified": LM}))
    r = await client.fetch_feed("https://x.vn/rss/", Validators(None, LM, body_hash(FEED)))
    assert r.status == "ok" and r.validators.body_hash == body_hash(FEED31)


async def test_flood_blocker_200_is_error():
    client = mock_client(
        lambda req: httpx.Response(200, content=FLOOD, headers={"Content-Type": "text/html; charset=utf-8"})
    )
    stored = Validators(None, LM, "h")
    r = await client.fetch_feed("https://x.vn/rss/", stored)
    assert r.status == "error" and r.http_status == 200
    assert r.error is not None and r.error.startswith("not a feed:") and "Hãy đợi" in r.error
    assert r.validators == stored and r.body is None


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds(status):
    client = mock_client(lambda req: httpx.Response(status, headers={"Retry-After": "120"}))
    r = await client.fetch_feed("https://x.vn/rss/", NONE)
    assert r.status == "error" and r.http_status == status and r.retry_after == 120.0


async def test_retry_after_http_date():
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
    client = mock_client(lambda req: httpx.Response(503, headers={"Retry-After": when}))
    r = await client.fetch_feed("https://x.vn/rss/", NONE)
    assert r.retry_after is not None and 290 <= r.retry_after <= 300


async def test_other_status_is_error():
    r = await mock_client(lambda req: httpx.Response(404, text="nope")).fetch_feed("https://x.vn/rss/", NONE)
    assert (r.status, r.http_status, r.retry_after, r.error) == ("error", 404, None, "HTTP 404")


async def test_permanent_redirect_reported():
    def handler(request):
        if request.url.path == "/old/rss/":
            return httpx.Response(301, headers={"Location": "/vi/news/rss/"})
        return httpx.Response(200, content=FEED)

    r = await mock_client(handler).fetch_feed("https://x.vn/old/rss/", NONE)
    assert (
        r.status == "ok"
        and r.permanent_redirect == "https://x.vn/vi/news/rss/"
        and r.url == r.permanent_redirect
    )


async def test_temporary_redirect_not_reported_and_ends_permanent_chain():
    def handler(request):
        path = request.url.path
        if path == "/a":
            return httpx.Response(308, headers={"Location": "/b"})
        if path == "/b":
            return httpx.Response(302, headers={"Location": "/c"})
        if path == "/c":
            return httpx.Response(301, headers={"Location": "/d"})
        return httpx.Response(200, content=FEED)

    r = await mock_client(handler).fetch_feed("https://x.vn/a", NONE)
    assert r.status == "ok" and r.permanent_redirect == "https://x.vn/b" and r.url == "https://x.vn/d"


async def test_redirect_loop_is_error():
    r = await mock_client(lambda req: httpx.Response(302, headers={"Location": "/loop"})).fetch_feed(
        "https://x.vn/loop", NONE
    )
    assert r.status == "error" and "redirect" in (r.error or "").lower()


async def test_size_cap_declared_and_streamed():
    big = b"<rss>" + b" " * 2000 + b"</rss>"
    r = await mock_client(lambda req: httpx.Response(200, content=big), max_bytes=1000).fetch_feed(
        "https://x.vn/", NONE
    )
    assert r.status == "error" and (r.error or "").startswith("too large")

    async def stream():
        for _ in range(100):
            yield b"x" * 100

    r = await mock_client(lambda req: httpx.Response(200, content=stream()), max_bytes=1000).fetch_feed(
        "https://x.vn/", NONE
    )
    assert r.status == "error" and (r.error or "").startswith("too large")


async def test_gzip_bomb_counts_decoded_size():
    bomb = gzip.compress(b"<rss>" + b" " * 50_000 + b"</rss>")
    client = mock_client(
        lambda req: httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip"}), max_bytes=10_000
    )
    r = await client.fetch_feed("https://x.vn/", NONE)
    assert r.status == "error" and (r.error or "").startswith("too large")


async def test_network_error_is_error_text():
    def handler(request):
        raise httpx.ConnectError("connection refused", request=request)

    r = await mock_client(handler).fetch_feed("https://x.vn/", NONE)
    assert r.status == "error" and r.http_status is None and "ConnectError" in (r.error or "")


async def test_fetch_page_none_on_failures():
    def handler(request):
        if request.url.path == "/ok":
            return httpx.Response(200, content=b"<html><div class='bodytext'>x</div></html>")
        if request.url.path == "/flood":
            return httpx.Response(200, content=FLOOD)
        return httpx.Response(500)

    client = mock_client(handler)
    assert await client.fetch_page("https://x.vn/ok") == b"<html><div class='bodytext'>x</div></html>"
    assert await client.fetch_page("https://x.vn/flood") is None
    assert await client.fetch_page("https://x.vn/boom") is None
    assert await client.fetch_page("not a url") is None


def test_empty_user_agent_refused():
    with pytest.raises(ValueError):
        FeedClient(user_agent=" ")


# -- through the real local server ---------------------------------------------------------------


@pytest.fixture
async def server():
    async with FeedServer() as s:
        yield s


@pytest.fixture
async def client():
    c = FeedClient(user_agent=DEFAULT_USER_AGENT, timeout=5)
    yield c
    await c.aclose()


async def test_server_nukeviet_like_validators_ignored_hash_decides(server, client):
    server.set(PATH, FEED, last_modified=LM)
    first = await client.fetch_feed(server.url(PATH), NONE)
    assert first.status == "ok" and first.body == FEED  # gzip decoded
    assert first.validators == Validators(None, LM, body_hash(FEED))

    second = await client.fetch_feed(server.url(PATH), first.validators)
    assert second.status == "unchanged"
    headers = server.requests[PATH][-1]
    assert headers["If-Modified-Since"] == LM
    assert headers["User-Agent"] == DEFAULT_USER_AGENT
    assert headers["Accept-Encoding"] == "gzip"
    assert "If-None-Match" not in headers

    server.set(PATH, FEED31, last_modified="Wed, 1 Jul 2020 02:07:00 GMT")
    third = await client.fetch_feed(server.url(PATH), second.validators)
    assert third.status == "ok" and third.body == FEED31


async def test_server_honouring_validators_gives_304(server, client):
    server.honour_validators = True
    server.set(PATH, FEED, last_modified=LM)
    first = await client.fetch_feed(server.url(PATH), NONE)
    assert first.validators.etag == FeedServer.etag_for(FEED)
    second = await client.fetch_feed(server.url(PATH), first.validators)
    assert second.status == "not_modified" and second.http_status == 304
    assert server.requests[PATH][-1]["If-None-Match"] == first.validators.etag


async def test_server_permanent_redirect(server, client):
    server.set(PATH, FEED)
    server.redirect("/rss/", PATH, status=301)
    r = await client.fetch_feed(server.url("/rss/"), NONE)
    assert r.status == "ok" and r.permanent_redirect == server.url(PATH)
    server.redirect("/tmp-rss/", PATH, status=302)
    r = await client.fetch_feed(server.url("/tmp-rss/"), NONE)
    assert r.status == "ok" and r.permanent_redirect is None


async def test_server_size_cap(server):
    server.set(PATH, FEED)
    server.gzip = False
    small = FeedClient(user_agent=DEFAULT_USER_AGENT, max_bytes=10_000)
    try:
        r = await small.fetch_feed(server.url(PATH), NONE)
    finally:
        await small.aclose()
    assert r.status == "error" and (r.error or "").startswith("too large")


async def test_server_retry_after_seconds_and_date_then_recovers(server, client):
    server.set(PATH, FEED)
    server.fail(PATH, 429, headers={"Retry-After": "30"}, count=1)
    r = await client.fetch_feed(server.url(PATH), NONE)
    assert (r.status, r.http_status, r.retry_after) == ("error", 429, 30.0)
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=600), usegmt=True)
    server.fail(PATH, 503, headers={"Retry-After": when})
    r = await client.fetch_feed(server.url(PATH), NONE)
    assert r.http_status == 503 and r.retry_after is not None and 590 <= r.retry_after <= 600
    r = await client.fetch_feed(server.url(PATH), NONE)
    assert r.http_status == 503  # until cleared
    server.clear_failure(PATH)
    assert (await client.fetch_feed(server.url(PATH), NONE)).status == "ok"


async def test_server_flood_blocker(server, client):
    server.set(PATH, FLOOD, content_type="text/html; charset=utf-8")
    r = await client.fetch_feed(server.url(PATH), NONE)
    assert r.status == "error" and r.http_status == 200 and (r.error or "").startswith("not a feed:")


async def test_server_timeout(server):
    server.set(PATH, FEED, delay=1)
    quick = FeedClient(user_agent=DEFAULT_USER_AGENT, timeout=0.3)
    try:
        r = await quick.fetch_feed(server.url(PATH), NONE)
    finally:
        await quick.aclose()
    assert r.status == "error" and (r.error or "").startswith("timeout")


async def test_network_error_connection_refused(client):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    r = await client.fetch_feed(f"http://127.0.0.1:{port}/rss/", NONE)
    assert r.status == "error" and r.http_status is None and r.error


async def test_server_fetch_page(server, client):
    page = (DATA.parent / "pages" / "seed-article-1234.html").read_bytes()
    server.set("/vi/news/tin-hoat-dong/a-1234.html", page, content_type="text/html; charset=utf-8")
    assert await client.fetch_page(server.url("/vi/news/tin-hoat-dong/a-1234.html")) == page
    assert await client.fetch_page(server.url("/missing.html")) is None
