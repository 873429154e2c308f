"""The fetch policy: pure rules, and the client refusing what they forbid against local servers."""

import pytest

from bot.domain.fetch_policy import FetchPolicy, address_is_public, origin_of
from bot.feeds.fetch import FeedClient, Validators
from tests.feedserver import FeedServer

FEED = b"<rss version='2.0'><channel><title>T</title></channel></rss>"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://sokhcn.tayninh.gov.vn/vi/news/rss/", "sokhcn.tayninh.gov.vn"),
        ("http://SoKHCN.TayNinh.gov.vn./a", "sokhcn.tayninh.gov.vn"),
        ("https://sokhcn.tayninh.gov.vn:443/a", "sokhcn.tayninh.gov.vn"),
        ("http://127.0.0.1:8001/rss", "127.0.0.1:8001"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("file:///etc/passwd", None),
        ("ftp://example.org/x", None),
        ("http://[::1", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin


def test_only_the_feeds_site_and_listed_hosts():
    policy = FetchPolicy.for_feed(
        "https://sokhcn.tayninh.gov.vn/vi/news/rss/", ["tayninh.gov.vn", "cdn.vn:8080"]
    )
    assert policy.allows("https://sokhcn.tayninh.gov.vn/vi/news/a-1.html")
    assert policy.allows("http://sokhcn.tayninh.gov.vn/uploads/a.jpg")  # http and https: one site
    assert policy.allows("https://tayninh.gov.vn/vi/news/b-2.html")
    assert policy.allows("http://cdn.vn:8080/x.jpg")
    assert not policy.allows("http://cdn.vn/x.jpg")
    assert not policy.allows("https://evil.example/x")
    assert not policy.allows("https://sub.sokhcn.tayninh.gov.vn/x")
    assert not policy.allows("http://sokhcn.tayninh.gov.vn:5432/")
    assert not policy.allows("javascript:alert(1)")
    assert not policy.allows(None)
    assert "is not this feed's site" in (policy.refusal("https://evil.example/x") or "")


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("fe80::1", False),
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("240.0.0.1", False),
        ("::ffff:127.0.0.1", False),
        ("not an address", False),
    ],
)
def test_address_is_public(address, public):
    assert address_is_public(address) is public


async def test_a_public_feed_never_reaches_a_loopback_address():
    """Even a URL the host rule allows is refused at connect time when it resolves to loopback and the feed
    itself is public: checked after DNS resolution, on the address connected to."""
    async with FeedServer() as server, FeedClient() as client:
        server.set("/rss", FEED)
        server.set("/page.html", b"<html>SECRET</html>", content_type="text/html")
        for host in ("127.0.0.1", "localhost"):
            url = f"http://{host}:{server.port}"
            policy = FetchPolicy(feed_host="8.8.8.8", origins=frozenset({f"{host}:{server.port}"}))
            result = await client.fetch_feed(url + "/rss", Validators(), policy=policy)
            assert result.status == "error" and "non-public address" in (result.error or "")
            assert await client.fetch_page(url + "/page.html", policy=policy) is None
    assert server.requests == {}


async def test_a_feed_on_a_local_address_reaches_its_own_site():
    async with FeedServer() as server, FeedClient() as client:
        server.set("/rss", FEED)
        server.set("/page.html", b"<html>ok</html>", content_type="text/html")
        policy = FetchPolicy.for_feed(server.url("/rss"))
        assert (await client.fetch_feed(server.url("/rss"), Validators(), policy=policy)).status == "ok"
        assert await client.fetch_page(server.url("/page.html"), policy=policy) == b"<html>ok</html>"


async def test_redirects_are_checked_at_every_hop():
    async with FeedServer() as feed, FeedServer() as other, FeedClient() as client:
        other.set("/rss", FEED)
        other.set("/page.html", b"<html>SECRET</html>", content_type="text/html")
        feed.set("/rss", FEED)
        feed.redirect("/moved", "/rss", status=301)  # same site: followed
        feed.redirect("/away", other.url("/rss"), status=301)
        feed.redirect("/page.html", other.url("/page.html"), status=302)
        feed.redirect("/script", "javascript:alert(1)", status=302)
        policy = FetchPolicy.for_feed(feed.url("/rss"))
        moved = await client.fetch_feed(feed.url("/moved"), Validators(), policy=policy)
        assert moved.status == "ok" and moved.permanent_redirect == feed.url("/rss")
        away = await client.fetch_feed(feed.url("/away"), Validators(), policy=policy)
        assert away.status == "error" and "not this feed's site" in (away.error or "")
        assert await client.fetch_page(feed.url("/page.html"), policy=policy) is None
        script = await client.fetch_feed(feed.url("/script"), Validators(), policy=policy)
        assert script.status == "error"
    assert other.requests == {}
