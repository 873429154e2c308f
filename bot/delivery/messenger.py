"""The Messenger port: what the delivery code needs from a messenger (Telegram, Zalo …).

The sender, the editor and the services speak to subscribers only through this port: a message rendered
for one messenger (`OutgoingMessage`) goes in, a `Sent` (the message ids) or a classified `Failed` comes
out. A messenger never raises for a refused send: the outbox policy (bot.domain.outcomes) decides from the
`FailureKind` what happens next. Each messenger owns its wire format and its formatting (`render`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol

from bot.domain.statuses import Platform  # re-exported: part of the port
from bot.store.records import ArticleRecord

__all__ = [
    "ArticleItem",
    "BroadcastItem",
    "Button",
    "Failed",
    "FailureKind",
    "Messenger",
    "OutgoingMessage",
    "Platform",
    "Refused",
    "Renderable",
    "SendResult",
    "Sent",
    "TextItem",
    "without_markup",
]


class FailureKind(StrEnum):
    """A classified failure: what the outbox policy needs to decide."""

    BLOCKED = "blocked"  # the user blocked the bot / bot removed from chat -> chat inactive
    NOT_FOUND = "not_found"  # chat does not exist / deleted -> chat inactive
    RATE_LIMITED = "rate_limited"  # 429 with retry_after -> pause all sends, retry
    TOO_LONG = "too_long"  # text/caption over the messenger's limit -> fallback (shorter)
    BAD_REQUEST = "bad_request"  # other 400 (formatting, bad photo) -> fallback, then park
    SERVER = "server"  # 5xx -> retry with backoff
    NETWORK = "network"  # timeout / connection dropped (may or may not have arrived) -> retry
    MIGRATED = "migrated"  # group -> supergroup (new_chat_id) -> move chat id, retry


class Refused(StrEnum):
    """Which part of a message a BAD_REQUEST refused, when the messenger can tell (picks the fallback)."""

    PHOTO = "photo"  # an image could not be used -> send without it
    ALBUM = "album"  # the album as a whole -> send the one-photo message
    MARKUP = "markup"  # the formatting -> send the same words without it
    THREAD = "thread"  # the forum topic is gone -> send to the main chat
    KIND = "kind"  # an edit of the wrong kind (a caption on a text message, or text on a photo)


@dataclass(frozen=True)
class Sent:
    message_ids: tuple[str, ...]  # ids as strings (Zalo ids are strings; Telegram ints as str)


@dataclass(frozen=True)
class Failed:
    kind: FailureKind
    detail: str = ""  # for logs only, never shown to users
    retry_after: float | None = None
    new_chat_id: str | None = None
    refused: Refused | None = None


SendResult = Sent | Failed


@dataclass(frozen=True)
class Button:
    text: str
    url: str | None = None
    callback: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """A message rendered FOR one messenger (Telegram: HTML; Zalo: plain text)."""

    text: str
    photos: tuple[str, ...] = ()  # image URLs; text becomes the caption where the messenger supports it
    buttons: tuple[tuple[Button, ...], ...] = ()
    silent: bool = False
    link_preview: bool = False
    thread_id: int | None = None  # Telegram forum topic
    html: bool = False  # `text` is HTML markup (Telegram's renderer); False: the words as they are
    entities: tuple[dict[str, Any], ...] = ()  # formatting as Telegram entities (an admin's own message)
    preview_url: str | None = None  # the page a link preview shows (when `link_preview`)
    single: OutgoingMessage | None = None  # the one-photo message to send when an album is refused


TAG = re.compile(r"<[^>]+>")


def without_markup(message: OutgoingMessage) -> OutgoingMessage:
    """The same words without formatting (a messenger refused the markup)."""
    text = html.unescape(TAG.sub("", message.text)) if message.html else message.text
    return replace(message, text=text, html=False, entities=(), single=None)


@dataclass(frozen=True)
class ArticleItem:
    """An article to render: as delivered, or as edited after the fact (`withdrawn`, `superseded`)."""

    article: ArticleRecord
    full_text_url: str | None = None
    reason: str | None = None  # the followed keyword it was sent for, outside the chosen topics
    with_photo: bool = True
    with_album: bool = True
    withdrawn: bool = False
    superseded: bool = False


@dataclass(frozen=True)
class BroadcastItem:
    """An admin's message, kept exactly: plain text formatted by its entities."""

    text: str
    photo: str | None = None
    entities: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class TextItem:
    """A message rendered when it was queued (digests, alerts): Telegram HTML, or plain text (`plain`)
    for a messenger without HTML."""

    text: str
    photo: str | None = None
    plain: bool = False


Renderable = ArticleItem | BroadcastItem | TextItem


class Messenger(Protocol):
    platform: Platform
    max_text: int  # in the messenger's own length unit (Telegram: UTF-16 units, 4096; caption 1024)

    def render(self, item: Renderable, language: str) -> OutgoingMessage: ...

    def shorten(self, item: Renderable, message: OutgoingMessage, language: str) -> OutgoingMessage:
        """`message` was refused as too long: about a third shorter, cut at a sentence."""
        ...

    async def send(self, chat_id: str, message: OutgoingMessage) -> SendResult: ...

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> SendResult: ...

    async def delete(self, chat_id: str, message_id: str) -> SendResult: ...
