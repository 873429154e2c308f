"""The Messenger port: what the delivery code needs of a messenger (Telegram, Zalo), and nothing more.

A messenger sends a message already rendered for it, and answers `Sent` or a classified `Failed` that the
outbox policy acts on (deactivate the chat, pause, retry, fall back, park).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Platform(StrEnum):
    """Which messenger a chat lives on."""

    TELEGRAM = "telegram"
    ZALO = "zalo"


class FailureKind(StrEnum):
    """A classified failure: what the outbox policy needs to decide."""

    BLOCKED = "blocked"  # the user blocked the bot / bot removed from chat -> chat inactive
    NOT_FOUND = "not_found"  # chat does not exist / deleted -> chat inactive
    RATE_LIMITED = "rate_limited"  # 429 with retry_after -> pause all sends, retry
    TOO_LONG = "too_long"  # text/caption over the messenger's limit -> fallback (shorter)
    BAD_REQUEST = "bad_request"  # other 400 (e.g. formatting, bad photo) -> fallback, then park
    SERVER = "server"  # 5xx -> retry with backoff
    NETWORK = "network"  # timeout / connection dropped (may or may not have arrived) -> retry with backoff
    MIGRATED = "migrated"  # Telegram group -> supergroup (new_chat_id) -> move chat id, retry


@dataclass(frozen=True)
class Sent:
    message_ids: tuple[str, ...]  # ids as strings (Zalo ids are strings; Telegram ints as str)


@dataclass(frozen=True)
class Failed:
    kind: FailureKind
    detail: str = ""  # for logs only, never shown to users
    retry_after: float | None = None
    new_chat_id: str | None = None


SendResult = Sent | Failed


@dataclass(frozen=True)
class Button:
    text: str
    url: str | None = None
    callback: str | None = None


@dataclass(frozen=True)
class OutgoingMessage:
    """Rendered FOR one messenger (Telegram: HTML; Zalo: plain text)."""

    text: str
    photos: tuple[str, ...] = ()  # image URLs; text becomes the caption where the messenger supports it
    buttons: tuple[tuple[Button, ...], ...] = ()
    silent: bool = False
    link_preview: bool = False
    thread_id: int | None = None  # Telegram forum topic


class Messenger(Protocol):
    platform: Platform
    max_text: int  # in the messenger's own length unit (Telegram: UTF-16 units, 4096; caption 1024)

    async def send(self, chat_id: str, message: OutgoingMessage) -> SendResult: ...

    async def edit(self, chat_id: str, message_id: str, message: OutgoingMessage) -> SendResult: ...

    async def delete(self, chat_id: str, message_id: str) -> SendResult: ...
