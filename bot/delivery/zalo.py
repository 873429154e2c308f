"""Zalo as a messenger: a small Zalo Bot API client and `ZaloMessenger`, the Messenger port for Zalo.

Zalo's Bot API has Telegram's shape (``<base>/bot<TOKEN>/<method>``, answers ``{ok, result}`` or
``{ok: false, error_code, description}``) but fewer features: plain text of at most 2000 characters, a
photo by URL with a caption, no edits, deletes, buttons or albums (docs/zalo-bot-api.md). The token sits in
every request URL, so it never appears in a log line or an error detail written here.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from bot.delivery.messenger import (
    ArticleItem,
    BroadcastItem,
    Failed,
    FailureKind,
    OutgoingMessage,
    Platform,
    Renderable,
    SendResult,
    Sent,
)
from bot.domain.render import fit_sentences, safe_url, telegram_length
from bot.domain.render_plain import PlainMessage, html_to_plain, render_article_plain, split_plain

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://bot-api.zaloplatforms.com"
SECRET_HEADER = "X-Bot-Api-Secret-Token"  # the webhook's secret_token comes back in this header
TEXT_LIMIT = 2000  # sendMessage.text: 1–2000 characters, counted here in UTF-16 units (never fewer)
CAPTION_LIMIT = 2000  # sendPhoto.caption: 1–2000 characters
SECRET_MIN, SECRET_MAX = 8, 256  # setWebhook.secret_token length
DEFAULT_RETRY_AFTER = 60.0  # a 429 without a retry_after: Zalo documents no value, so wait a minute

EVENT_TEXT = "message.text.received"
EVENT_IMAGE = "message.image.received"
EVENT_STICKER = "message.sticker.received"
EVENT_VOICE = "message.voice.received"
EVENT_UNSUPPORTED = "message.unsupported.received"

_SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendChatAction", "sendSticker"})
_LENGTH_WORDS = ("too long", "length", "độ dài", "quá dài")
_BLOCK_WORDS = ("block", "chặn", "not allowed", "không cho phép", "unfollow")


class ZaloApiError(Exception):
    """Zalo answered ``ok: false`` (or an HTTP error): `code` is its error_code (else the HTTP status)."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code}: {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after


class ZaloNetworkError(Exception):
    """The request timed out or the connection failed: it may or may not have reached Zalo."""


@dataclass(frozen=True)
class ZaloIncoming:
    """One update from Zalo (getUpdates or the webhook), reduced to what the bot reads."""

    event_name: str
    chat_id: str
    chat_type: str  # "PRIVATE" or "GROUP"
    user_id: str
    display_name: str
    text: str  # the message's text, or an image's caption; "" for other events
    message_id: str
    date_ms: int | None = None
    photo_url: str | None = None
    from_bot: bool = False

    @property
    def is_private(self) -> bool:
        return self.chat_type.upper() != "GROUP"


def parse_update(body: Any) -> ZaloIncoming | None:
    """An update as Zalo delivers it — bare (``{event_name, message}``) or in the envelope
    (``{ok: true, result: {…}}``); both forms are in use. None for anything without an event and a chat."""
    if isinstance(body, dict) and body.get("ok") is True and isinstance(body.get("result"), dict):
        body = body["result"]
    if not isinstance(body, dict):
        return None
    event, message = body.get("event_name"), body.get("message")
    if not isinstance(event, str) or not event or not isinstance(message, dict):
        return None
    raw_chat, raw_sender = message.get("chat"), message.get("from")
    chat: dict[str, Any] = raw_chat if isinstance(raw_chat, dict) else {}
    sender: dict[str, Any] = raw_sender if isinstance(raw_sender, dict) else {}
    chat_id = chat.get("id")
    if chat_id in (None, ""):
        return None
    if event == EVENT_TEXT:
        text = message.get("text")
    elif event == EVENT_IMAGE:
        text = message.get("caption")
    else:
        text = None
    date = message.get("date")
    photo = message.get("photo_url") or message.get("photo")
    name = sender.get("display_name") or sender.get("name") or sender.get("first_name") or ""
    return ZaloIncoming(
        event_name=event,
        chat_id=str(chat_id),
        chat_type=str(chat.get("chat_type") or "PRIVATE"),
        user_id=str(sender.get("id") or chat_id),
        display_name=str(name),
        text=text if isinstance(text, str) else "",
        message_id=str(message.get("message_id") or ""),
        date_ms=int(date) if isinstance(date, int | float) else None,
        photo_url=photo if isinstance(photo, str) and photo else None,
        from_bot=bool(sender.get("is_bot")),
    )


def secret_matches(header: str | None, secret: str) -> bool:
    """Whether a webhook request's X-Bot-Api-Secret-Token is our secret (constant-time)."""
    if not header or not secret:
        return False
    return hmac.compare_digest(header.encode("utf-8"), secret.encode("utf-8"))


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in parts of at most `limit` UTF-16 units, cut at paragraphs, lines, then words."""
    return split_plain(text, limit)


def compose_text(message: OutgoingMessage) -> str:
    """The message's text with its URL buttons written out ("label: url" lines): Zalo has no buttons.
    Callback buttons are dropped; a Zalo renderer offers such choices as numbered lines instead."""
    lines = [
        f"{button.text}: {url}"
        for row in message.buttons
        for button in row
        if (url := safe_url(button.url)) and url not in message.text
    ]
    return "\n".join([message.text.strip(), *lines]).strip() if lines else message.text.strip()


def classify(error: ZaloApiError, default_retry_after: float = DEFAULT_RETRY_AFTER) -> Failed:
    """What a Zalo error means for the outbox (docs/zalo-bot-api.md, "Errors")."""
    code, description = error.code, error.description
    words = description.lower()
    detail = f"zalo {code}: {description}"
    if code == 429:
        return Failed(FailureKind.RATE_LIMITED, detail, retry_after=error.retry_after or default_retry_after)
    if code == 404:
        return Failed(FailureKind.NOT_FOUND, detail)
    if code == 400:
        too_long = any(word in words for word in _LENGTH_WORDS)
        return Failed(FailureKind.TOO_LONG if too_long else FailureKind.BAD_REQUEST, detail)
    if code == 401:
        return Failed(FailureKind.SERVER, detail + " (check ZALO_BOT_TOKEN)")
    if code == 403:  # documented as "Internal server error"; a block only when it says so
        blocked = any(word in words for word in _BLOCK_WORDS)
        return Failed(FailureKind.BLOCKED if blocked else FailureKind.SERVER, detail)
    if code == 408:
        return Failed(FailureKind.NETWORK, detail)
    if code >= 500:
        return Failed(FailureKind.SERVER, detail)
    return Failed(FailureKind.BAD_REQUEST, detail)


class Pacer:
    """At most `per_second` calls per second, spaced evenly (None or 0: unpaced)."""

    def __init__(
        self,
        per_second: float | None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        if not self.interval:
            return
        async with self._lock:
            now = self._clock()
            if self._next > now:
                await self._sleep(self._next - now)
                now = self._clock()
            self._next = max(now, self._next) + self.interval


class ZaloClient:
    """The Zalo Bot API over HTTPS (JSON POSTs). The token is never logged nor put in an exception."""

    def __init__(
        self,
        token: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 15.0,
        rate_per_second: float | None = 2.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is needed")
        self._token = token
        self._base = base_url.rstrip("/")
        self.timeout = timeout
        self.pacer = Pacer(rate_per_second)
        self._own_http = http is None
        self._http = http or httpx.AsyncClient(timeout=timeout)

    def __repr__(self) -> str:
        return f"ZaloClient(base_url={self._base!r})"

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> ZaloClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _scrub(self, text: str) -> str:
        secret = self._token.split(":", 1)[-1]
        return text.replace(self._token, "<redacted>").replace(secret, "<redacted>")

    async def call(
        self, method: str, params: dict[str, Any] | None = None, *, wait_seconds: float | None = None
    ) -> Any:
        """One API call; its `result`. Raises ZaloApiError or ZaloNetworkError (details without the token)."""
        if method in _SEND_METHODS:
            await self.pacer.wait()
        url = f"{self._base}/bot{self._token}/{method}"
        try:
            response = await self._http.post(url, json=params or {}, timeout=wait_seconds or self.timeout)
        except (httpx.TimeoutException, httpx.TransportError) as exc:
            raise ZaloNetworkError(f"{method}: {type(exc).__name__}: {self._scrub(str(exc))}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            status = response.status_code if response.status_code >= 400 else 502
            raise ZaloApiError(status, f"{method}: not a JSON answer (HTTP {response.status_code})")
        if body.get("ok") is True:
            return body.get("result")
        code = body.get("error_code")
        if not isinstance(code, int) or isinstance(code, bool):
            code = response.status_code if response.status_code >= 400 else 400
        description = self._scrub(str(body.get("description") or f"HTTP {response.status_code}"))
        raise ZaloApiError(code, description, _retry_after(body, response))

    async def get_me(self) -> dict[str, Any]:
        result = await self.call("getMe")
        return result if isinstance(result, dict) else {}

    async def get_updates(self, poll_seconds: int = 30) -> list[ZaloIncoming]:
        """Long poll: the updates Zalo has (one per call, as documented; a list is accepted too). An empty
        poll (Zalo's 408) gives []."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": str(poll_seconds)}, wait_seconds=poll_seconds + 10.0
            )
        except ZaloApiError as exc:
            if exc.code == 408:
                return []
            raise
        raw = result if isinstance(result, list) else [result]
        return [update for item in raw if (update := parse_update(item)) is not None]

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        if not url.startswith("https://"):
            raise ValueError("Zalo only calls https:// webhook URLs")
        if not SECRET_MIN <= len(secret_token) <= SECRET_MAX:
            raise ValueError(f"the webhook secret must be {SECRET_MIN}–{SECRET_MAX} characters")
        result = await self.call("setWebhook", {"url": url, "secret_token": secret_token})
        return result if isinstance(result, dict) else {}

    async def delete_webhook(self) -> dict[str, Any]:
        result = await self.call("deleteWebhook")
        return result if isinstance(result, dict) else {}

    async def get_webhook_info(self) -> dict[str, Any]:
        result = await self.call("getWebhookInfo")
        return result if isinstance(result, dict) else {}

    async def send_message(self, chat_id: str, text: str) -> str:
        """Sends plain text (no parse_mode); the new message's id."""
        return _message_id(await self.call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(self, chat_id: str, photo: str, caption: str | None = None) -> str:
        params: dict[str, Any] = {"chat_id": chat_id, "photo": photo}
        if caption:
            params["caption"] = caption
        return _message_id(await self.call("sendPhoto", params))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


def _retry_after(body: dict[str, Any], response: httpx.Response) -> float | None:
    parameters = body.get("parameters")
    value: Any = parameters.get("retry_after") if isinstance(parameters, dict) else None
    if value is None:
        value = response.headers.get("Retry-After")
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None


def _message_id(result: Any) -> str:
    return str(result.get("message_id") or "") if isinstance(result, dict) else ""


def outgoing(message: PlainMessage | str, *, silent: bool = False) -> OutgoingMessage:
    """A plain-text rendering (bot/domain/render_plain.py) as the port's message for Zalo."""
    if isinstance(message, str):
        return OutgoingMessage(message, silent=silent)
    return OutgoingMessage(message.text, photos=(message.photo,) if message.photo else (), silent=silent)


class ZaloMessenger:
    """The Messenger port for Zalo: plain text split at 2000 UTF-16 units, the first photo with the text
    as its caption when it fits, no edits or deletes (Zalo has neither)."""

    platform = Platform.ZALO
    max_text = TEXT_LIMIT
    max_caption = CAPTION_LIMIT

    def __init__(
        self,
        client: ZaloClient,
        *,
        zone: ZoneInfo | None = None,
        default_retry_after: float = DEFAULT_RETRY_AFTER,
    ) -> None:
        self.client = client
        self.zone = zone or ZoneInfo("Asia/Ho_Chi_Minh")
        self.default_retry_after = default_retry_after

    def render(self, item: Renderable, language: str, *, limit: int = TEXT_LIMIT) -> OutgoingMessage:
        """Plain text, never Telegram HTML: an article by the plain renderer, an admin's broadcast as its
        words (its Telegram formatting dropped), a queued message as stored (HTML turned to plain)."""
        if isinstance(item, ArticleItem):
            rendered = render_article_plain(
                item.article,
                language,
                self.zone,
                with_photo=item.with_photo,
                withdrawn=item.withdrawn,
                superseded=item.superseded,
                reason=item.reason,
                full_text_url=item.full_text_url,
                limit=limit,
            )
            return outgoing(rendered)
        if isinstance(item, BroadcastItem):
            return OutgoingMessage(item.text.strip(), photos=(item.photo,) if item.photo else ())
        words = item.text if item.plain else html_to_plain(item.text)
        return OutgoingMessage(words.strip(), photos=(item.photo,) if item.photo else ())

    def shorten(self, item: Renderable, message: OutgoingMessage, language: str) -> OutgoingMessage:
        """Zalo said too long: about a third shorter. An article keeps its headline and links."""
        target = max(1, min(self.max_text, telegram_length(message.text)) * 2 // 3)
        if isinstance(item, ArticleItem):
            shorter = self.render(item, language, limit=max(200, target))
        else:
            shorter = replace(message, text=fit_sentences(message.text, target))
        return replace(shorter, silent=message.silent)

    async def send(self, chat_id: str, message: OutgoingMessage) -> SendResult:
        """Sends the message as one photo (captioned when the text fits) and/or text parts. A failure part
        way through says in its detail how many parts had been sent (Zalo cannot take them back)."""
        text = compose_text(message)
        photo = next((url for url in (safe_url(p) for p in message.photos) if url), None)
        parts: list[tuple[str, str | None]] = []  # (text, photo)
        if photo and text and telegram_length(text) <= self.max_caption:
            parts.append((text, photo))
        else:
            if photo:
                parts.append(("", photo))
            parts.extend((part, None) for part in split_text(text, self.max_text))
        if not parts:
            return Failed(FailureKind.BAD_REQUEST, "empty message")
        ids: list[str] = []
        for text_part, photo_part in parts:
            try:
                if photo_part:
                    ids.append(await self.client.send_photo(chat_id, photo_part, text_part or None))
                else:
                    ids.append(await self.client.send_message(chat_id, text_part))
            except ZaloApiError as exc:
                failed = classify(exc, self.default_retry_after)
                return _partial(failed, ids, len(parts))
            except ZaloNetworkError as exc:
                return _partial(Failed(FailureKind.NETWORK, str(exc)), ids, len(parts))
        return Sent(tuple(ids))

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> SendResult:
        return Failed(FailureKind.BAD_REQUEST, "unsupported: Zalo cannot edit a sent message")

    async def delete(self, chat_id: str, message_id: str) -> SendResult:
        return Failed(FailureKind.BAD_REQUEST, "unsupported: Zalo cannot delete a sent message")

    async def typing(self, chat_id: str) -> None:
        """Shows "typing…" while a reply is being prepared; best effort."""
        try:
            await self.client.send_chat_action(chat_id, "typing")
        except (ZaloApiError, ZaloNetworkError) as exc:
            log.debug("zalo typing indicator failed: %s", exc)


def _partial(failed: Failed, ids: list[str], total: int) -> Failed:
    if not ids:
        return failed
    detail = f"{failed.detail} (after {len(ids)} of {total} parts were sent: {', '.join(ids)})"
    return Failed(failed.kind, detail, failed.retry_after, failed.new_chat_id)
