"""The Zalo stand-in enforces what the Zalo Bot API documents, over plain HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from tests.standin.zalo import (
    SECRET_HEADER,
    ZaloApiStandIn,
    drop,
    post_webhook,
    quota_exceeded,
    server_error,
    text_update,
)

CHAT = "6ede9afa66b88fe6d6a9"


@pytest.fixture
async def zalo() -> AsyncIterator[ZaloApiStandIn]:
    async with ZaloApiStandIn() as server:
        server.add_chat(CHAT)
        yield server


async def call(
    zalo: ZaloApiStandIn, method: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    url = f"{zalo.base_url}/bot{token or zalo.token}/{method}"
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(url, json=body or {})
    return response.status_code, response.json()


async def test_get_me_answers_the_documented_fields(zalo: ZaloApiStandIn) -> None:
    status, body = await call(zalo, "getMe")
    assert status == 200 and body["ok"] is True
    assert set(body["result"]) == {"id", "account_name", "account_type", "can_join_groups"}


async def test_a_wrong_token_is_unauthorized_and_method_names_are_case_sensitive(
    zalo: ZaloApiStandIn,
) -> None:
    assert await call(zalo, "getMe", token="1:nope") == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    status, body = await call(zalo, "sendmessage", {"chat_id": CHAT, "text": "x"})
    assert status == 404 and body["error_code"] == 404 and zalo.sent == []


async def test_send_message_checks_its_parameters_and_the_2000_character_limit(zalo: ZaloApiStandIn) -> None:
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT}))[0] == 400
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": ""}))[0] == 400
    assert (await call(zalo, "sendMessage", {"chat_id": 12345, "text": "số"}))[0] == 400  # ids are strings
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "a" * 2001}))[0] == 400
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "🏅" * 1001}))[0] == 400  # UTF-16
    status, body = await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "a" * 2000})
    assert status == 200 and set(body["result"]) == {"message_id", "date"}
    assert [m.text for m in zalo.messages_to(CHAT)] == ["a" * 2000]


async def test_send_photo_needs_an_image_url_and_a_caption_within_the_limit(zalo: ZaloApiStandIn) -> None:
    photo = "https://placehold.co/600x400"
    assert (await call(zalo, "sendPhoto", {"chat_id": CHAT, "photo": "/tmp/a.jpg"}))[0] == 400
    assert (await call(zalo, "sendPhoto", {"chat_id": CHAT, "photo": photo, "caption": "c" * 2001}))[0] == 400
    assert (await call(zalo, "sendPhoto", {"chat_id": CHAT, "photo": photo, "caption": "Ảnh"}))[0] == 200
    assert [(m.photo, m.text) for m in zalo.sent] == [(photo, "Ảnh")]


async def test_chat_actions_are_typing_or_upload_photo(zalo: ZaloApiStandIn) -> None:
    assert await call(zalo, "sendChatAction", {"chat_id": CHAT, "action": "typing"}) == (200, {"ok": True})
    assert (await call(zalo, "sendChatAction", {"chat_id": CHAT, "action": "dancing"}))[0] == 400
    assert zalo.chat_actions == [(CHAT, "typing")]


async def test_unknown_and_blocked_chats(zalo: ZaloApiStandIn) -> None:
    assert (await call(zalo, "sendMessage", {"chat_id": "ffff0000", "text": "x"}))[0] == 404
    zalo.block_chat(CHAT)
    status, body = await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "x"})
    assert status == 403 and body["description"] == "User has blocked the bot"
    zalo.unblock_chat(CHAT)
    zalo.forget_chat(CHAT)
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "x"}))[0] == 404


async def test_more_sends_than_the_rate_allows_are_quota_exceeded(zalo: ZaloApiStandIn) -> None:
    statuses = [(await call(zalo, "sendMessage", {"chat_id": CHAT, "text": str(i)}))[0] for i in range(7)]
    assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    assert len(zalo.rate_violations) == 2
    zalo.rate_per_second = None
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "later"}))[0] == 200


async def test_a_proactive_window_refuses_chats_that_have_been_quiet(zalo: ZaloApiStandIn) -> None:
    zalo.proactive_window_seconds = 0.2
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "now"}))[0] == 200
    await asyncio.sleep(0.3)
    status, body = await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "later"})
    assert (status, body["error_code"]) == (403, 403)
    zalo.inject_text("xin chào", chat_id=CHAT)  # the citizen writes again
    assert (await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "reply"}))[0] == 200


async def test_faults_on_demand(zalo: ZaloApiStandIn) -> None:
    zalo.fail_next("sendMessage", quota_exceeded(retry_after=5))
    zalo.fail_next("sendMessage", server_error())
    zalo.fail_next("*", drop())
    status, body = await call(zalo, "sendMessage", {"chat_id": CHAT, "text": "a"})
    assert status == 429 and body["parameters"] == {"retry_after": 5}
    async with httpx.AsyncClient() as client:
        response = await client.post(
            f"{zalo.base_url}/bot{zalo.token}/sendMessage", json={"chat_id": CHAT, "text": "b"}
        )
        assert response.status_code == 500 and "html" in response.text
        with pytest.raises(httpx.TransportError):
            await client.post(f"{zalo.base_url}/bot{zalo.token}/getMe", json={})
    assert zalo.sent == []


async def test_errors_can_be_answered_with_http_200(zalo: ZaloApiStandIn) -> None:
    zalo.errors_as_http_200 = True
    status, body = await call(zalo, "sendMessage", {"chat_id": "ffff0000", "text": "x"})
    assert status == 200 and body == {"ok": False, "error_code": 404, "description": "Not found"}


async def test_get_updates_long_polls_one_update_per_call(zalo: ZaloApiStandIn) -> None:
    started = time.monotonic()
    status, body = await call(zalo, "getUpdates", {"timeout": "1"})
    assert (status, body["error_code"]) == (408, 408) and time.monotonic() - started >= 0.9

    async def later() -> None:
        await asyncio.sleep(0.2)
        zalo.inject_text("/start", chat_id="abc123abc123")
        zalo.inject_text("/help", chat_id="abc123abc123")

    task = asyncio.create_task(later())
    status, body = await call(zalo, "getUpdates", {"timeout": "5"})
    await task
    assert status == 200 and body["result"]["event_name"] == "message.text.received"
    assert body["result"]["message"]["text"] == "/start" and zalo.pending_updates == 1
    assert (await call(zalo, "getUpdates", {"timeout": "1"}))[1]["result"]["message"]["text"] == "/help"


async def test_set_webhook_needs_https_and_a_secret_of_8_to_256_characters(zalo: ZaloApiStandIn) -> None:
    url = "https://bot.example.org/zalo"
    assert (await call(zalo, "setWebhook", {"url": "http://bot.example.org", "secret_token": "x" * 8}))[
        0
    ] == 400
    assert (await call(zalo, "setWebhook", {"url": url, "secret_token": "x" * 7}))[0] == 400
    assert (await call(zalo, "setWebhook", {"url": url, "secret_token": "x" * 257}))[0] == 400
    status, body = await call(zalo, "setWebhook", {"url": url, "secret_token": "s3cret-token"})
    assert status == 200 and body["result"]["url"] == url
    assert (await call(zalo, "getWebhookInfo"))[1]["result"]["url"] == url
    assert (await call(zalo, "getUpdates", {"timeout": "1"}))[0] == 400  # not while a webhook is set
    assert (await call(zalo, "deleteWebhook"))[1]["result"]["url"] == ""


async def test_updates_reach_the_webhook_with_the_secret_header() -> None:
    received: list[tuple[str | None, dict[str, Any]]] = []

    async def handler(request: web.Request) -> web.Response:
        received.append((request.headers.get(SECRET_HEADER), await request.json()))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/zalo", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    local = f"http://127.0.0.1:{runner.addresses[0][1]}/zalo"
    try:
        async with ZaloApiStandIn() as zalo:
            await call(
                zalo, "setWebhook", {"url": "https://bot.example.org/zalo", "secret_token": "s3cret-token"}
            )
            zalo.webhook_deliver_to = local
            zalo.inject_text("dang ky", chat_id=CHAT)
            assert await zalo.flush_webhooks() == [200]
        assert await post_webhook(local, text_update("huy", CHAT), "wrong", envelope=False) == 200
    finally:
        await runner.cleanup()
    (secret, body), (wrong, bare) = received
    assert secret == "s3cret-token" and body["ok"] is True
    assert body["result"]["message"]["text"] == "dang ky" and body["result"]["message"]["chat"]["id"] == CHAT
    assert wrong == "wrong" and bare["event_name"] == "message.text.received"
