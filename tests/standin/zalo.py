"""A local stand-in for the Zalo Bot API, for tests (docs/zalo-bot-api.md says what it is built after).

A real aiohttp server on 127.0.0.1 (a free port) answering ``/bot<TOKEN>/<method>`` the way the Zalo Bot
API documents: POST with a JSON body (query strings and forms are read too), answers ``{ok, result}`` or
``{ok: false, error_code, description}``. It checks the token, the parameters and their lengths, records
what was sent, and can be told to fail (429/403/400/404/500, dropped connections, delays).

Where Zalo's documentation is silent the behaviour is a setting with a conservative default:
`rate_per_second` (5 sends per second over all chats, else 429 "Quota exceeded"), `proactive_window_seconds`
(off: any known chat may be sent to), `unknown_chats_fail` (on: a chat that never wrote to the bot is
"Not found"), `errors_as_http_200` (off: an error's HTTP status is its error_code), and lengths counted in
UTF-16 units (never fewer than Zalo's "characters").

Usage::

    async with ZaloApiStandIn() as zalo:
        client = ZaloClient(zalo.token, zalo.base_url)
        zalo.inject_text("/start", chat_id="a1b2c3")
        ...
        assert zalo.messages_to("a1b2c3")[0].text == "…"
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Self

import aiohttp
from aiohttp import web

__all__ = [
    "SECRET_HEADER",
    "ZaloApiStandIn",
    "ZaloFault",
    "ZaloRequest",
    "ZaloSent",
    "bad_request",
    "delay",
    "drop",
    "forbidden",
    "not_found",
    "post_webhook",
    "quota_exceeded",
    "server_error",
    "text_update",
]

JSONDict = dict[str, Any]
SECRET_HEADER = "X-Bot-Api-Secret-Token"
TEXT_MAX = 2000
CAPTION_MAX = 2000
SECRET_MIN, SECRET_MAX = 8, 256
ACTIONS = frozenset({"typing", "upload_photo"})


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class ZaloFault:
    """What the stand-in answers instead of the result. Build with the factories below."""

    kind: str  # "error" | "drop" | "delay"
    code: int = 0
    description: str = ""
    retry_after: float | None = None
    seconds: float = 0.0
    json_body: bool = True  # False: an HTML error page, as a failing proxy would answer


def quota_exceeded(retry_after: float | None = None) -> ZaloFault:
    """429 "Quota exceeded" (Zalo's documented label); with parameters.retry_after when given."""
    return ZaloFault("error", 429, "Quota exceeded", retry_after=retry_after)


def forbidden(description: str = "Internal server error") -> ZaloFault:
    """403: Zalo documents it as "Internal server error"; a block is given its own description."""
    return ZaloFault("error", 403, description)


def bad_request(description: str = "Bad request") -> ZaloFault:
    return ZaloFault("error", 400, description)


def not_found(description: str = "Not found") -> ZaloFault:
    return ZaloFault("error", 404, description)


def server_error(*, json_body: bool = False) -> ZaloFault:
    """HTTP 500 — by default an HTML page, not the JSON envelope."""
    return ZaloFault("error", 500, "Internal Server Error", json_body=json_body)


def drop() -> ZaloFault:
    """Close the connection without an answer (the request may have been acted on)."""
    return ZaloFault("drop")


def delay(seconds: float) -> ZaloFault:
    """Answer normally after `seconds`."""
    return ZaloFault("delay", seconds=seconds)


class _Error(Exception):
    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class ZaloRequest:
    method: str
    params: JSONDict
    time: float
    token_ok: bool = True
    outcome: str = "pending"  # ok | error | dropped
    error_code: int | None = None


@dataclass(frozen=True)
class ZaloSent:
    method: str  # sendMessage | sendPhoto
    chat_id: str
    message_id: str
    text: str  # the text, or the photo's caption ("" without one)
    photo: str | None = None
    params: JSONDict = field(default_factory=dict)


def text_update(
    text: str,
    chat_id: str,
    *,
    user_id: str | None = None,
    display_name: str = "Người dùng",
    message_id: str = "",
    chat_type: str = "PRIVATE",
    date_ms: int | None = None,
) -> JSONDict:
    """A ``message.text.received`` update as Zalo documents it."""
    return {
        "event_name": "message.text.received",
        "message": {
            "from": {"id": user_id or chat_id, "display_name": display_name, "is_bot": False},
            "chat": {"id": chat_id, "chat_type": chat_type},
            "text": text,
            "message_id": message_id,
            "date": date_ms if date_ms is not None else int(time.time() * 1000),
        },
    }


async def post_webhook(url: str, update: JSONDict, secret: str | None, *, envelope: bool = True) -> int:
    """POST an update to a bot's webhook as Zalo does (JSON, the secret in X-Bot-Api-Secret-Token); the
    HTTP status the bot answered. `envelope`: wrapped in ``{ok: true, result: …}`` as the docs' sample."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    body = {"ok": True, "result": update} if envelope else update
    async with aiohttp.ClientSession() as session, session.post(url, json=body, headers=headers) as response:
        return response.status


class ZaloApiStandIn:
    """``async with ZaloApiStandIn() as zalo: ZaloClient(zalo.token, zalo.base_url)``."""

    def __init__(
        self,
        *,
        token: str = "3141592653:zalo-standin-secret-Q7x9",
        bot_id: str = "1459232241454765289",
        account_name: str = "bot.TayNinhTest",
        host: str = "127.0.0.1",
        rate_per_second: float | None = 5.0,
        proactive_window_seconds: float | None = None,
        unknown_chats_fail: bool = True,
        errors_as_http_200: bool = False,
    ) -> None:
        self._token = token
        self.bot_id = bot_id
        self.account_name = account_name
        self._host = host
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        #: Valid sends (sendMessage, sendPhoto, sendChatAction) allowed per second over all chats.
        self.rate_per_second = rate_per_second
        #: When set, a chat whose last message to the bot is older than this may not be sent to.
        self.proactive_window_seconds = proactive_window_seconds
        self.proactive_error = (403, "User has not interacted with the bot recently")
        self.unknown_chats_fail = unknown_chats_fail
        self.errors_as_http_200 = errors_as_http_200
        self.webhook_url = ""
        self.webhook_secret = ""
        #: Where updates are POSTed while a webhook is set (a local listener in tests).
        self.webhook_deliver_to: str | None = None
        self.webhook_envelope = True
        self.webhook_responses: list[int] = []

        self.requests: list[ZaloRequest] = []
        self.sent: list[ZaloSent] = []
        self.chat_actions: list[tuple[str, str]] = []
        self.rate_violations: list[float] = []

        self._updates: deque[JSONDict] = deque()
        self._update_event = asyncio.Event()
        self._chats: dict[str, float] = {}  # chat id → when it last wrote to the bot (monotonic)
        self._blocked: dict[str, tuple[int, str]] = {}
        self._faults: list[tuple[str, ZaloFault]] = []
        self._window: deque[float] = deque()
        self._ids = itertools.count(0x82599FA32F56D00E8941)
        self._tasks: set[asyncio.Task[int]] = set()
        self._handlers = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self._host, 0)
        await site.start()
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self._update_event.set()
        for task in list(self._tasks):
            task.cancel()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    @property
    def token(self) -> str:
        return self._token

    @property
    def base_url(self) -> str:
        """What ZALO_API_BASE_URL is set to (the client appends /bot<TOKEN>/<method>)."""
        assert self._port is not None, "start() the stand-in first"
        return f"http://{self._host}:{self._port}"

    # ------------------------------------------------------------------ test side

    def add_chat(self, chat_id: str) -> None:
        """A chat that has written to the bot (so the bot may send to it)."""
        self._chats[chat_id] = time.monotonic()

    def forget_chat(self, chat_id: str) -> None:
        """The chat no longer exists: sends to it are "Not found"."""
        self._chats.pop(chat_id, None)

    def block_chat(
        self, chat_id: str, code: int = 403, description: str = "User has blocked the bot"
    ) -> None:
        self._blocked[chat_id] = (code, description)

    def unblock_chat(self, chat_id: str) -> None:
        self._blocked.pop(chat_id, None)

    def fail_next(self, method: str, fault: ZaloFault, times: int = 1) -> None:
        """The next `times` calls of `method` ("*" for any) answer `fault`."""
        self._faults.extend((method, fault) for _ in range(times))

    def inject_update(self, update: JSONDict) -> JSONDict:
        """Queue an update for getUpdates, or POST it to the webhook when one is set."""
        message = update.get("message") or {}
        chat_id = (message.get("chat") or {}).get("id")
        if chat_id:
            self.add_chat(str(chat_id))
        if self.webhook_url and self.webhook_deliver_to:
            task = asyncio.get_running_loop().create_task(self._deliver(update))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return update
        self._updates.append(update)
        self._update_event.set()
        return update

    def inject_text(self, text: str, chat_id: str, **fields: Any) -> JSONDict:
        return self.inject_update(text_update(text, chat_id, message_id=self._next_id(), **fields))

    async def _deliver(self, update: JSONDict) -> int:
        assert self.webhook_deliver_to is not None
        status = await post_webhook(
            self.webhook_deliver_to, update, self.webhook_secret, envelope=self.webhook_envelope
        )
        self.webhook_responses.append(status)
        return status

    async def flush_webhooks(self) -> list[int]:
        """Wait for the webhook POSTs under way; the HTTP statuses the bot answered so far."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        return self.webhook_responses

    def messages_to(self, chat_id: str) -> list[ZaloSent]:
        return [m for m in self.sent if m.chat_id == chat_id]

    def calls(self, method: str) -> list[ZaloRequest]:
        return [r for r in self.requests if r.method == method]

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    # ------------------------------------------------------------------ HTTP

    def _next_id(self) -> str:
        return f"{next(self._ids):020x}"

    def _answer(self, code: int, body: JSONDict) -> web.Response:
        status = 200 if self.errors_as_http_200 else code
        return web.Response(
            status=status,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            content_type="application/json",
        )

    async def _params(self, request: web.Request) -> JSONDict:
        params: JSONDict = dict(request.query)
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                body = await request.json()
                if not isinstance(body, dict):
                    raise _Error(400, "Bad request: the body is not a JSON object")
                params.update(body)
            else:
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if not path.startswith("/bot"):
            return self._answer(404, {"ok": False, "error_code": 404, "description": "Not found"})
        token, _, method = path[len("/bot") :].partition("/")
        record = ZaloRequest(method=method, params={}, time=time.monotonic(), token_ok=token == self._token)
        self.requests.append(record)
        try:
            try:
                record.params = await self._params(request)
            except ValueError:
                raise _Error(400, "Bad request: the body is not valid JSON") from None
            if not record.token_ok:
                raise _Error(401, "Unauthorized")
            handler = self._handlers.get(method)  # method names are case-sensitive
            if handler is None:
                raise _Error(404, "Not found")
            fault = self._take_fault(method)
            if fault is not None:
                if fault.kind == "drop":
                    record.outcome = "dropped"
                    if request.transport is not None:
                        request.transport.abort()
                    raise asyncio.CancelledError
                if fault.kind == "delay":
                    await asyncio.sleep(fault.seconds)
                elif not fault.json_body:
                    record.outcome, record.error_code = "error", fault.code
                    return web.Response(status=fault.code, text="<html><body>Error</body></html>")
                else:
                    raise _Error(fault.code, fault.description, fault.retry_after)
            result = await handler(record.params)
        except _Error as exc:
            record.outcome, record.error_code = "error", exc.code
            body: JSONDict = {"ok": False, "error_code": exc.code, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return self._answer(exc.code, body)
        record.outcome = "ok"
        return self._answer(200, {"ok": True, "result": result} if result is not None else {"ok": True})

    def _take_fault(self, method: str) -> ZaloFault | None:
        for index, (target, fault) in enumerate(self._faults):
            if target in (method, "*"):
                del self._faults[index]
                return fault
        return None

    def _check_rate(self) -> None:
        """A valid send counts against the quota; beyond `rate_per_second` in one second: 429."""
        if not self.rate_per_second:
            return
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= self.rate_per_second:
            self.rate_violations.append(now)
            raise _Error(429, "Quota exceeded")
        self._window.append(now)

    # ------------------------------------------------------------------ parameters

    @staticmethod
    def _string(params: JSONDict, name: str, *, required: bool = True) -> str | None:
        value = params.get(name)
        if value is None or value == "":
            if required:
                raise _Error(400, f"Bad request: {name} is required")
            return None
        if not isinstance(value, str):
            raise _Error(400, f"Bad request: {name} must be a string")
        return value

    def _chat(self, params: JSONDict) -> str:
        chat_id = self._string(params, "chat_id")
        assert chat_id is not None
        if chat_id in self._blocked:
            code, description = self._blocked[chat_id]
            raise _Error(code, description)
        if chat_id not in self._chats:
            if self.unknown_chats_fail:
                raise _Error(404, "Not found")
            self._chats[chat_id] = time.monotonic()
        window = self.proactive_window_seconds
        if window is not None and time.monotonic() - self._chats[chat_id] > window:
            raise _Error(*self.proactive_error)
        return chat_id

    @staticmethod
    def _check_length(name: str, value: str, limit: int) -> None:
        if not 1 <= utf16_len(value) <= limit:
            raise _Error(400, f"Bad request: {name} length must be from 1 to {limit} characters")

    # ------------------------------------------------------------------ methods

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            "id": self.bot_id,
            "account_name": self.account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }

    async def _get_updates(self, params: JSONDict) -> JSONDict:
        if self.webhook_url:
            raise _Error(400, "Bad request: getUpdates does not work while a webhook is set")
        raw = params.get("timeout", "30")
        try:
            timeout = float(raw)
        except (TypeError, ValueError):
            raise _Error(400, "Bad request: timeout must be a number of seconds") from None
        deadline = time.monotonic() + max(0.0, timeout)
        while not self._updates:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self._runner is None:
                raise _Error(408, "Request timeout")
            self._update_event.clear()
            try:
                await asyncio.wait_for(self._update_event.wait(), remaining)
            except TimeoutError:
                continue
        return self._updates.popleft()  # one update per call, as documented

    async def _set_webhook(self, params: JSONDict) -> JSONDict:
        url = self._string(params, "url")
        secret = self._string(params, "secret_token")
        assert url is not None and secret is not None
        if not url.startswith("https://"):
            raise _Error(400, "Bad request: url must be an HTTPS URL")
        if not SECRET_MIN <= len(secret) <= SECRET_MAX:
            raise _Error(400, f"Bad request: secret_token must be {SECRET_MIN} to {SECRET_MAX} characters")
        self.webhook_url, self.webhook_secret = url, secret
        return {"url": url, "updated_at": int(time.time() * 1000)}

    async def _delete_webhook(self, params: JSONDict) -> JSONDict:
        self.webhook_url, self.webhook_secret = "", ""
        return {"url": "", "updated_at": int(time.time() * 1000)}

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        return {"url": self.webhook_url, "updated_at": int(time.time() * 1000)}

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat(params)
        text = self._string(params, "text")
        assert text is not None
        self._check_length("text", text, TEXT_MAX)
        return self._record("sendMessage", chat_id, text, None, params)

    async def _send_photo(self, params: JSONDict) -> JSONDict:
        chat_id = self._chat(params)
        photo = self._string(params, "photo")
        assert photo is not None
        if not photo.startswith(("http://", "https://")):
            raise _Error(400, "Bad request: photo must be an image URL")
        caption = self._string(params, "caption", required=False)
        if caption is not None:
            self._check_length("caption", caption, CAPTION_MAX)
        return self._record("sendPhoto", chat_id, caption or "", photo, params)

    async def _send_chat_action(self, params: JSONDict) -> None:
        chat_id = self._chat(params)
        action = self._string(params, "action")
        if action not in ACTIONS:
            raise _Error(400, "Bad request: action must be typing or upload_photo")
        self._check_rate()
        self.chat_actions.append((chat_id, action))
        return None

    def _record(self, method: str, chat_id: str, text: str, photo: str | None, params: JSONDict) -> JSONDict:
        self._check_rate()
        message_id = self._next_id()
        self.sent.append(ZaloSent(method, chat_id, message_id, text, photo, dict(params)))
        return {"message_id": message_id, "date": int(time.time() * 1000)}
