"""One delivery's send with its fallbacks: an album refused → one photo, a photo refused → text,
formatting refused → plain words, too long → shorter, a migrated chat → its new id, a gone forum topic →
the main chat. What is left (sent, or a failure to retry, pause for or park) goes back to the sender."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from bot.delivery.messenger import (
    Failed,
    FailureKind,
    Messenger,
    OutgoingMessage,
    Renderable,
    SendResult,
    Sent,
    without_markup,
)
from bot.domain.outcomes import Action, Decision, decide

log = logging.getLogger(__name__)

MAX_STEPS = 7  # no photo, plain text, shorter (twice), a migrated chat, no topic, and the last try


@dataclass(frozen=True, slots=True)
class Final:
    result: SendResult
    decision: Decision | None  # None: sent
    chat_id: str  # where it went (a migrated group's new id)


@dataclass(frozen=True, slots=True)
class Moves:
    """What the sender does when the chat itself changed."""

    migrated: Callable[[str, str], Awaitable[None]]  # (old id, new id)
    thread_gone: Callable[[str, int], Awaitable[None]]  # (chat id, topic)
    next_slot: Callable[[], Awaitable[None]]  # a fallback is one more request: it waits for a send slot


async def send_with_fallbacks(
    messenger: Messenger,
    chat_id: str,
    message: OutgoingMessage,
    item: Renderable,
    language: str,
    *,
    attempts: int,
    max_attempts: int,
    moves: Moves,
) -> Final:
    """Send `message`; each fallback at most once. `attempts` counts this attempt."""
    was_plain = False
    for step in range(MAX_STEPS):
        if step:
            await moves.next_slot()
        result = await messenger.send(chat_id, message)
        if isinstance(result, Sent):
            return Final(result, None, chat_id)
        decision = decide(
            result,
            attempts,
            max_attempts,
            had_photo=bool(message.photos),
            was_plain=was_plain,
            had_thread=message.thread_id is not None,
            had_album=len(message.photos) >= 2,
        )
        action = decision.action
        if action is Action.NO_ALBUM:
            log.info("album refused (%s); one photo instead", result.detail[:120])
            one = message.single or replace(message, photos=message.photos[:1])
            message = replace(
                one,
                silent=message.silent,
                link_preview=message.link_preview,
                thread_id=message.thread_id,
                single=None,
            )
        elif action is Action.NO_PHOTO:
            message = replace(message, photos=(), single=None)
        elif action is Action.PLAIN_TEXT:
            message = without_markup(message)
            was_plain = True
        elif action is Action.SHORTEN:
            message = messenger.shorten(item, message, language)
        elif action is Action.MIGRATE and result.new_chat_id is not None:
            await moves.migrated(chat_id, result.new_chat_id)
            chat_id = result.new_chat_id
        elif action is Action.NO_THREAD and message.thread_id is not None:
            await moves.thread_gone(chat_id, message.thread_id)
            message = replace(message, thread_id=None)
        else:
            return Final(result, decision, chat_id)
    return Final(Failed(FailureKind.BAD_REQUEST, "every fallback failed"), Decision(Action.FAIL), chat_id)
