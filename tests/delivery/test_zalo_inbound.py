"""Zalo updates reach the bot by webhook (secret header checked, repeats ignored) and by long polling,
against the Zalo stand-in over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from bot.delivery.zalo import ZaloClient, ZaloIncoming
from bot.delivery.zalo_inbound import ZaloWebhook, poll_updates
from tests.standin.zalo import SECRET_HEADER, ZaloApiStandIn, post_webhook, server_error, text_update

SECRET = "zalo-hook-secret-77"
CHAT = "6ede9afa66b88fe6d6a9"


class Inbox:
    def __init__(self) -> None:
        self.updates: list[ZaloIncoming] = []
        self._changed = asyncio.Condition()

    async def deliver(self, update: ZaloIncoming) -> None:
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()

    async def wait(self, count: int, within: float = 5.0) -> list[str]:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(within), self._changed:
                await self._changed.wait_for(lambda: len(self.updates) >= count)
        return [u.text for u in self.updates]


@pytest.fixture
async def webhook() -> AsyncIterator[tuple[ZaloWebhook, Inbox, str]]:
    inbox = Inbox()
    hook = ZaloWebhook(SECRET, inbox.deliver)
    app = web.Application()
    app.add_routes(hook.routes("/zalo"))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield hook, inbox, f"http://127.0.0.1:{runner.addresses[0][1]}/zalo"
    finally:
        await hook.drain()
        await runner.cleanup()


async def test_messages_arrive_by_webhook_with_the_secret(webhook: tuple[ZaloWebhook, Inbox, str]) -> None:
    _, inbox, url = webhook
    async with ZaloApiStandIn() as zalo:
        async with ZaloClient(zalo.token, zalo.base_url, rate_per_second=None) as client:
            await client.set_webhook("https://bot.example.org/zalo", SECRET)
        zalo.webhook_deliver_to = url
        zalo.inject_text("đăng ký", chat_id=CHAT, display_name="Lan")
        assert await inbox.wait(1) == ["đăng ký"]
        assert await zalo.flush_webhooks() == [200]
    [update] = inbox.updates
    assert (update.chat_id, update.display_name, update.is_private) == (CHAT, "Lan", True)


async def test_a_request_without_the_right_secret_is_refused(webhook: tuple[ZaloWebhook, Inbox, str]) -> None:
    _, inbox, url = webhook
    assert await post_webhook(url, text_update("/stop", CHAT), "not-the-secret") == 403
    assert await post_webhook(url, text_update("/stop", CHAT), None) == 403
    await asyncio.sleep(0.1)
    assert inbox.updates == []


async def test_both_update_forms_are_accepted_and_a_repeat_is_handled_once(
    webhook: tuple[ZaloWebhook, Inbox, str],
) -> None:
    _, inbox, url = webhook
    first = text_update("/latest", CHAT, message_id="16f6366b3f02645a3d15")
    assert await post_webhook(url, first, SECRET, envelope=True) == 200
    assert await post_webhook(url, first, SECRET, envelope=False) == 200  # the same message again
    assert (
        await post_webhook(url, text_update("/help", CHAT, message_id="26f6"), SECRET, envelope=False) == 200
    )
    assert await inbox.wait(2) == ["/latest", "/help"]
    await asyncio.sleep(0.1)
    assert len(inbox.updates) == 2


async def test_a_body_that_is_not_an_update_is_a_bad_request(webhook: tuple[ZaloWebhook, Inbox, str]) -> None:
    _, inbox, url = webhook
    async with httpx.AsyncClient() as client:
        broken = await client.post(url, content=b"{not json", headers={SECRET_HEADER: SECRET})
        empty = await client.post(url, json={"ok": True, "result": {}}, headers={SECRET_HEADER: SECRET})
        wrong = await client.get(url, headers={SECRET_HEADER: SECRET})
    assert (broken.status_code, empty.status_code, wrong.status_code) == (400, 400, 405)
    bot_message = text_update("echo", CHAT)
    bot_message["message"]["from"]["is_bot"] = True
    assert await post_webhook(url, bot_message, SECRET) == 200
    await asyncio.sleep(0.1)
    assert inbox.updates == []


def test_the_webhook_needs_a_secret() -> None:
    with pytest.raises(ValueError):
        ZaloWebhook("", Inbox().deliver)


async def test_long_polling_hands_on_each_update_and_survives_errors() -> None:
    inbox = Inbox()
    stop = asyncio.Event()
    async with ZaloApiStandIn() as zalo:
        zalo.fail_next("getUpdates", server_error())
        async with ZaloClient(zalo.token, zalo.base_url, rate_per_second=None) as client:
            loop = asyncio.create_task(
                poll_updates(client, inbox.deliver, stop, poll_seconds=2, error_pause=0.1)
            )
            zalo.inject_text("dang ky", chat_id=CHAT)
            zalo.inject_text("tim chuyển đổi số", chat_id=CHAT)
            assert await inbox.wait(2) == ["dang ky", "tim chuyển đổi số"]
            started = time.monotonic()
            stop.set()
            await asyncio.wait_for(loop, 3)
            assert time.monotonic() - started < 1.5  # a pending poll does not hold the stop up
        assert zalo.calls("getUpdates")[0].error_code == 500
