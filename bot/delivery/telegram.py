"""The Telegram messenger: the one home of Telegram's wire format and of python-telegram-bot's private API.

Sends are built as plain JSON and the answers read as plain JSON through python-telegram-bot's own request
layer (`Bot._post` / `Bot._do_post`: its URL building and its mapping of Telegram's answers to RetryAfter,
ChatMigrated, Forbidden, BadRequest, TimedOut) but without building Message objects: the hot path of a
fan-out. Those exceptions are classified here into the port's `FailureKind`s; nothing Telegram-shaped
leaves this module.

The sender's messenger has its own HTTP connection pool (`start`: aiohttp, SENDER_CONCURRENCY connections),
separate from the one command replies use, so a large fan-out never makes a citizen's /help wait for a
connection; edits and progress messages go through the application's bot (`bind`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery.messenger import (
    ArticleItem,
    BroadcastItem,
    Button,
    Failed,
    FailureKind,
    OutgoingMessage,
    Platform,
    Refused,
    Renderable,
    SendResult,
    Sent,
    without_markup,
)
from bot.delivery.transport import AiohttpRequest
from bot.domain.render import (
    CAPTION_LIMIT,
    TEXT_LIMIT,
    Rendered,
    fit_sentences,
    render_article,
    telegram_length,
    visible_length,
)

log = logging.getLogger(__name__)

PHOTO_ERRORS = (
    "wrong file identifier",
    "failed to get http url content",
    "wrong type of the web page content",
    "image_process_failed",
    "photo_invalid_dimensions",
    "wrong remote file",
    "webpage_media_empty",
    "failed to send message #",  # sendMediaGroup: one of the album's items was refused
)
GONE_THREAD = ("message thread not found", "topic_deleted", "topic not found")
GONE_CHAT = ("chat not found", "have no rights to send", "not enough rights", "chat_write_forbidden")
WRONG_KIND = ("no caption", "no text")  # an edit of a caption on a text message, or the reverse


def classify(exc: Exception, *, album: bool = False) -> Failed | None:
    """Telegram's answer, as python-telegram-bot raised it, as a classified failure (None: not an answer
    about this message). Specific classes first: ChatMigrated and RetryAfter come before status codes;
    BadRequest and TimedOut are NetworkErrors."""
    if isinstance(exc, RetryAfter):
        value: Any = exc.retry_after
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        return Failed(FailureKind.RATE_LIMITED, str(exc), retry_after=seconds)
    if isinstance(exc, ChatMigrated):
        return Failed(FailureKind.MIGRATED, str(exc), new_chat_id=str(exc.new_chat_id))
    if isinstance(exc, Forbidden):
        return Failed(FailureKind.BLOCKED, str(exc))
    if isinstance(exc, BadRequest):
        return _bad_request(str(exc), album)
    if isinstance(exc, TimedOut):
        return Failed(FailureKind.NETWORK, str(exc) or "timed out")
    if isinstance(exc, NetworkError):  # raised by the transport (with a cause) or for a 5xx answer
        kind = FailureKind.SERVER if exc.__cause__ is None else FailureKind.NETWORK
        return Failed(kind, str(exc) or type(exc).__name__)
    return None


def _bad_request(description: str, album: bool) -> Failed:
    text = description.lower()
    if any(marker in text for marker in GONE_THREAD):
        return Failed(FailureKind.BAD_REQUEST, description, refused=Refused.THREAD)
    if any(marker in text for marker in WRONG_KIND):
        return Failed(FailureKind.BAD_REQUEST, description, refused=Refused.KIND)
    if "can't parse entities" in text:
        return Failed(FailureKind.BAD_REQUEST, description, refused=Refused.MARKUP)
    if "too long" in text:
        return Failed(FailureKind.TOO_LONG, description)
    if any(marker in text for marker in PHOTO_ERRORS):
        return Failed(FailureKind.BAD_REQUEST, description, refused=Refused.PHOTO)
    if album and "media" in text:
        return Failed(FailureKind.BAD_REQUEST, description, refused=Refused.ALBUM)
    if any(marker in text for marker in GONE_CHAT):
        return Failed(FailureKind.NOT_FOUND, description)
    return Failed(FailureKind.BAD_REQUEST, description)


def outgoing(rendered: Rendered) -> OutgoingMessage:
    """A message of the HTML renderers (bot.domain.render) as the port's message."""
    photos = rendered.album or ((rendered.photo,) if rendered.photo else ())
    return OutgoingMessage(
        text=rendered.text,
        photos=photos,
        buttons=tuple(tuple(Button(key["text"], url=key["url"]) for key in row) for row in rendered.keyboard),
        html=rendered.html,
        entities=rendered.entities,
        preview_url=rendered.button_url,
        single=outgoing(rendered.single) if rendered.single is not None else None,
    )


def _keyboard(message: OutgoingMessage) -> dict[str, Any] | None:
    rows = [
        [
            {"text": b.text, "url": b.url}
            if b.url is not None
            else {"text": b.text, "callback_data": b.callback}
            for b in row
        ]
        for row in message.buttons
    ]
    return {"inline_keyboard": rows} if rows else None


def _chat(chat_id: str) -> int | str:
    return int(chat_id) if chat_id.lstrip("-").isdigit() else chat_id


@dataclass(frozen=True, slots=True)
class MessengerSettings:
    """What the Telegram messenger reads."""

    zone: ZoneInfo  # dates in a rendered article are local
    send_timeout_seconds: float
    sender_concurrency: int  # its own connection pool's size
    telegram_proxy: str | None
    telegram_api_base_url: str
    paid_broadcast: bool


class TelegramMessenger:
    platform = Platform.TELEGRAM
    max_text = TEXT_LIMIT
    max_caption = CAPTION_LIMIT

    def __init__(self, settings: MessengerSettings, bot: Bot | None = None) -> None:
        self.settings = settings
        self.zone = settings.zone
        self._bot = bot
        self._own_bot = False

    # ---- life cycle --------------------------------------------------------------------------

    def bind(self, bot: Bot) -> None:
        """Send through `bot` as it is (the application's bot: its pool, its reply pacing)."""
        self._bot = bot

    async def start(self, bot: Bot) -> None:
        """Send through a Bot of our own (own connection pool, send timeouts) with `bot`'s token. Anything
        else (a test double) is used as given."""
        if isinstance(bot, Bot):
            timeout = self.settings.send_timeout_seconds
            request = AiohttpRequest(
                pool_size=self.settings.sender_concurrency,
                read_timeout=timeout,
                connect_timeout=min(timeout, 10.0),
                proxy=self.settings.telegram_proxy,
            )
            self._bot = Bot(bot.token, base_url=self.settings.telegram_api_base_url, request=request)
            await request.initialize()
            self._own_bot = True
        else:
            self._bot = bot

    async def close(self) -> None:
        if self._own_bot and self._bot is not None:
            await self._bot.request.shutdown()
            self._own_bot = False

    # ---- rendering ---------------------------------------------------------------------------

    def render(self, item: Renderable, language: str) -> OutgoingMessage:
        if isinstance(item, ArticleItem):
            rendered = render_article(
                item.article,
                language,
                self.zone,
                with_photo=item.with_photo,
                withdrawn=item.withdrawn,
                superseded=item.superseded,
                reason=item.reason,
                full_text_url=item.full_text_url,
                with_album=item.with_album,
            )
            if item.withdrawn:  # an edited message keeps one button; the first photo of an album none
                album = item.with_photo and len(item.article.images) > 1
                keep = rendered.button_text and rendered.button_url and not album
                rendered = replace(
                    rendered,
                    buttons=(),
                    button_text=rendered.button_text if keep else None,
                    button_url=rendered.button_url if keep else None,
                )
            return outgoing(rendered)
        if isinstance(item, BroadcastItem):
            return outgoing(Rendered(item.text, item.photo, html=False, entities=item.entities))
        return outgoing(Rendered(item.text, item.photo))

    def shorten(self, item: Renderable, message: OutgoingMessage, language: str) -> OutgoingMessage:
        """Telegram counted the message as too long: about a third shorter, cut at a sentence. An article
        keeps its title, date and link and loses the end of its summary."""
        limit = self.max_caption if message.photos else self.max_text
        shown = visible_length(message.text) if message.html else telegram_length(message.text)
        target = max(1, min(limit, shown) * 2 // 3)
        if isinstance(item, ArticleItem) and message.html:
            summary = item.article.summary
            while summary:
                summary = fit_sentences(summary, telegram_length(summary) * 2 // 3)
                candidate = self.render(
                    replace(
                        item,
                        article=replace(item.article, summary=summary),
                        with_photo=bool(message.photos),
                        with_album=False,
                    ),
                    language,
                )
                if visible_length(candidate.text) <= target or not summary:
                    return replace(
                        candidate,
                        silent=message.silent,
                        link_preview=message.link_preview,
                        thread_id=message.thread_id,
                    )
        text = without_markup(message).text
        return replace(message, text=fit_sentences(text, target), html=False, entities=(), single=None)

    # ---- the wire ----------------------------------------------------------------------------

    async def send(self, chat_id: str, message: OutgoingMessage) -> SendResult:
        """One sendMessage, sendPhoto or sendMediaGroup (2+ photos: one request, the caption on the first)."""
        assert self._bot is not None, "the messenger has no bot yet"
        params: dict[str, Any] = {"chat_id": _chat(chat_id)}
        if message.thread_id is not None:  # a forum topic subscribed with /start inside it
            params["message_thread_id"] = message.thread_id
        if message.silent:
            params["disable_notification"] = True
        album = len(message.photos) >= 2
        try:
            if album:
                first: dict[str, Any] = {"type": "photo", "media": message.photos[0], "caption": message.text}
                if message.html:
                    first["parse_mode"] = "HTML"
                params["media"] = [first, *({"type": "photo", "media": url} for url in message.photos[1:])]
                if self.settings.paid_broadcast:
                    params["allow_paid_broadcast"] = True
                # _do_post: python-telegram-bot's _post would read the media as its InputMedia objects
                post = getattr(self._bot, "_do_post", self._bot._post)
                result = await post("sendMediaGroup", params)
                ids = (
                    [str(m["message_id"]) for m in result if isinstance(m, dict)]
                    if isinstance(result, list)
                    else []
                )
                return Sent(tuple(ids))
            keyboard = _keyboard(message)
            if keyboard:
                params["reply_markup"] = keyboard
            if message.html:
                params["parse_mode"] = "HTML"
            if message.entities:
                params["caption_entities" if message.photos else "entities"] = list(message.entities)
            if self.settings.paid_broadcast:
                params["allow_paid_broadcast"] = True
            if message.photos:
                endpoint = "sendPhoto"
                params["photo"] = message.photos[0]
                params["caption"] = message.text
            else:
                endpoint = "sendMessage"
                params["text"] = message.text
                params["link_preview_options"] = {"is_disabled": not message.link_preview}
                if message.link_preview and message.preview_url:  # the link is the button, not in the text
                    params["link_preview_options"]["url"] = message.preview_url
            result = await self._bot._post(endpoint, params)
        except (RetryAfter, ChatMigrated, Forbidden, NetworkError) as exc:
            failed = classify(exc, album=album)
            assert failed is not None
            return failed
        return Sent(_ids(result))

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> SendResult:
        """editMessageCaption for a photo message (`message.photos`), else editMessageText. An edit that
        changes nothing counts as done."""
        assert self._bot is not None, "the messenger has no bot yet"
        params: dict[str, Any] = {"chat_id": _chat(chat_id), "message_id": int(message_id)}
        if message.photos:
            endpoint = "editMessageCaption"
            params["caption"] = message.text
        else:
            endpoint = "editMessageText"
            params["text"] = message.text
        if message.html:
            params["parse_mode"] = "HTML"
        if message.entities:
            params["caption_entities" if message.photos else "entities"] = list(message.entities)
        keyboard = _keyboard(message)
        if keyboard:
            params["reply_markup"] = keyboard
        try:
            await self._bot._post(endpoint, params)
        except (RetryAfter, ChatMigrated, Forbidden, NetworkError) as exc:
            if isinstance(exc, BadRequest) and "not modified" in str(exc).lower():
                return Sent((message_id,))  # it already says so
            failed = classify(exc)
            assert failed is not None
            return failed
        return Sent((message_id,))

    async def delete(self, chat_id: str, message_id: str) -> SendResult:
        assert self._bot is not None, "the messenger has no bot yet"
        try:
            await self._bot._post("deleteMessage", {"chat_id": _chat(chat_id), "message_id": int(message_id)})
        except (RetryAfter, ChatMigrated, Forbidden, NetworkError) as exc:
            failed = classify(exc)
            assert failed is not None
            return failed
        return Sent((message_id,))


def _ids(result: object) -> tuple[str, ...]:
    if isinstance(result, dict) and "message_id" in result:
        return (str(result["message_id"]),)
    return ()
