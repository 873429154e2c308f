"""Behind a proxy: every Bot API call (the fan-out's aiohttp transport, replies and long polling through
python-telegram-bot, the webhook set-up) goes through TELEGRAM_PROXY_URL, and feed requests through
FEEDS_PROXY_URL — proxies on 127.0.0.1 that record what passed through them."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.delivery.transport import USER_AGENT as SENDER_AGENT
from tests.e2e.harness import bot_in_mode, make_settings, running_bot
from tests.e2e.proxies import HttpProxy, Socks5Proxy
from tests.e2e.site import FEED_PATH, NewsSite
from tests.feedserver import FeedServer
from tests.standin import BotApiStandIn

START = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Tây Ninh: outside quiet hours
READERS = [701, 702]


@pytest.fixture
async def site() -> AsyncIterator[NewsSite]:
    async with FeedServer() as feeds:
        yield NewsSite(feeds)


def api_calls(server: BotApiStandIn) -> Counter[str]:
    return Counter(r.method for r in server.requests)


def went_around(server: BotApiStandIn, through: list[str]) -> Counter[str]:
    """Calls the stand-in answered that did not pass the proxy (a long poll cut at the stop may have
    passed the proxy without reaching the stand-in: the other way round is allowed)."""
    return api_calls(server) - Counter(through)


async def test_every_bot_api_call_and_feed_request_goes_through_the_proxies(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Bài cũ")
    async with HttpProxy(credentials=("sokhcn", "mật-khẩu")) as telegram, HttpProxy() as feeds:
        settings = make_settings(
            server,
            sqlite_url,
            feeds=[{"url": site.feed_url}],
            poll_jitter_fraction=0,
            telegram_proxy_url=telegram.url(),
            feeds_proxy_url=feeds.url(),
        )
        async with running_bot(settings, ManualClock(START)) as svc:
            for chat_id in READERS:  # replies, through python-telegram-bot's own transport
                server.inject_message("/start", chat_id=chat_id)
                await server.wait_for(chat_id=chat_id, contains="Xin chào")
            await svc.ingest.poll_now()  # the first poll archives what is there
            site.publish(101, "Bài mới qua máy chủ trung gian")
            svc.clock.advance(minutes=11)  # type: ignore[attr-defined]
            await svc.ingest.poll_now()
            posts = await server.wait_for_count(2, chat_id=None, contains="Bài mới qua máy chủ trung gian")
            assert sorted(m.chat_id for m in posts) == READERS
        assert telegram.refused == 0  # the credentials in the URL were sent (UTF-8: a Vietnamese password)
        through = [p for p in telegram.passed if p.kind == "forward"]
        assert not went_around(server, [p.bot_method for p in through])  # every call, none around it
        fan_out = {p.bot_method for p in through if p.user_agent == SENDER_AGENT}
        replies = {p.bot_method for p in through if p.user_agent != SENDER_AGENT}
        assert fan_out & {"sendPhoto", "sendMessage"}  # the sender's aiohttp transport
        assert {"getMe", "getUpdates", "sendMessage"} <= replies  # python-telegram-bot's
        fetched = [p.path for p in feeds.passed]
        assert fetched.count(FEED_PATH) == 2 and any(path.endswith(".html") for path in fetched)
        assert all(p.user_agent == settings.user_agent for p in feeds.passed)
        assert not any(p.bot_method in ("getMe", "sendMessage") for p in feeds.passed)


async def test_the_webhook_is_registered_through_the_proxy(server: BotApiStandIn, sqlite_url: str) -> None:
    async with HttpProxy() as telegram:
        async with bot_in_mode("webhook", server, sqlite_url, telegram_proxy_url=telegram.url()):
            server.inject_message("/start", chat_id=READERS[0])
            await server.wait_for(chat_id=READERS[0], contains="Xin chào")
        methods = [p.bot_method for p in telegram.passed]
        assert "setWebhook" in methods and "sendMessage" in methods
        assert not went_around(server, methods)


async def test_a_socks5_proxy_carries_the_fan_out_and_the_replies(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    site.publish(100, "Bài cũ")
    async with Socks5Proxy() as socks:
        settings = make_settings(
            server,
            sqlite_url,
            feeds=[{"url": site.feed_url}],
            poll_jitter_fraction=0,
            telegram_proxy_url=socks.url("socks5h"),
        )
        async with running_bot(settings, ManualClock(START)) as svc:
            server.inject_message("/start", chat_id=READERS[0])
            await server.wait_for(chat_id=READERS[0], contains="Xin chào")
            await svc.ingest.poll_now()
            site.publish(101, "Bài mới qua SOCKS")
            svc.clock.advance(minutes=11)  # type: ignore[attr-defined]
            await svc.ingest.poll_now()
            await server.wait_for(chat_id=READERS[0], contains="Bài mới qua SOCKS")
        assert {p.target for p in socks.passed} == {f"127.0.0.1:{server.port}"}
        assert len(socks.passed) >= 2  # python-telegram-bot's connections and the sender's


async def test_a_proxy_that_is_down_is_a_network_error_retried_not_a_lost_message(
    server: BotApiStandIn, site: NewsSite, sqlite_url: str
) -> None:
    from telegram import Bot
    from telegram.error import NetworkError

    from bot.delivery.transport import AiohttpRequest, NotSent

    async with HttpProxy() as gone:
        port = gone.port
    for proxy in (f"http://127.0.0.1:{port}", f"socks5://127.0.0.1:{port}"):
        request = AiohttpRequest(pool_size=1, read_timeout=5, connect_timeout=5, proxy=proxy)
        bot = Bot(server.token, base_url=server.base_url, request=request)
        await request.initialize()
        try:
            with pytest.raises(NetworkError) as caught:
                await bot.send_message(READERS[0], "x")
            assert isinstance(caught.value.__cause__, NotSent)  # safe to send again
        finally:
            await request.shutdown()
    assert server.calls("sendMessage") == []


async def test_the_start_up_check_asks_telegram_through_the_proxy(server: BotApiStandIn) -> None:
    from bot.startup import check_once

    async with HttpProxy() as telegram:
        assert await check_once(server.base_url, server.token, telegram.url()) is None  # getMe answered
        assert [p.bot_method for p in telegram.passed] == ["getMe"]
        async with HttpProxy() as gone:
            port = gone.port
        found = await check_once(server.base_url, server.token, f"http://127.0.0.1:{port}")
        assert found is not None and found.retry and found.line.startswith("network:")
        assert server.token not in found.line
