"""What to do after a send failed. Pure: a messenger classifies its answer (bot.delivery.messenger's
`Failed`: a kind, and which part of the message was refused when it can tell), this module decides, the
sender and the store carry it out.

The rule for timeouts: a connect or pool timeout means the request never left, so it is retried. A read
or write timeout means the messenger may have delivered it; sends have no idempotency key, so the delivery
is retried (at-least-once): a rare duplicate is better than a citizen silently missing an article. The
duplicate window is thereby limited to the sends in flight at that moment.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class Action(enum.Enum):
    RETRY = "retry"  # later, with backoff, counts as an attempt
    PAUSE = "pause"  # 429: everything waits retry_after, the delivery is rescheduled, no attempt counted
    DEACTIVATE = "deactivate"  # blocked / chat gone: the chat is marked inactive, the delivery fails
    MIGRATE = "migrate"  # group → supergroup: rewrite the chat id, send again at once
    NO_THREAD = "no_thread"  # the forum topic is gone: send to the main chat from now on, at once
    PLAIN_TEXT = "plain_text"  # the formatting was refused: send the same words without markup
    SHORTEN = "shorten"  # too long: send a shorter version
    NO_PHOTO = "no_photo"  # the image could not be used: send text only
    NO_ALBUM = "no_album"  # an album was refused (an image, its size): send the one-photo message
    FAIL = "fail"  # give up: parked as failed, shown in the admin statistics


class FailureLike(Protocol):
    """A classified failure (bot.delivery.messenger.Failed): `kind` is a FailureKind value, `refused`
    a Refused value or None."""

    @property
    def kind(self) -> str: ...

    @property
    def retry_after(self) -> float | None: ...

    @property
    def refused(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Decision:
    action: Action
    delay: float = 0.0


def retry_delay(attempts: int, rand: Callable[[], float] = random.random) -> float:
    """5 s, 10 s, 20 s … capped at 15 minutes, with ±20 % jitter."""
    base = min(5.0 * 2.0 ** max(attempts - 1, 0), 900.0)
    return float(base * (0.8 + 0.4 * rand()))


def decide(
    failure: FailureLike,
    attempts: int,
    max_attempts: int,
    *,
    had_photo: bool,
    was_plain: bool,
    had_thread: bool = False,
    had_album: bool = False,
    rand: Callable[[], float] = random.random,
) -> Decision:
    """`attempts` counts this one. Fallbacks (plain text, shorter, no photo) are tried once each; a send
    into a forum topic (`had_thread`) that is gone goes to the main chat instead; an album refused for an
    image or its length falls back to one photo first."""
    kind, refused = failure.kind, failure.refused
    if had_album and (kind == "too_long" or (kind == "bad_request" and refused in ("photo", "album"))):
        return Decision(Action.NO_ALBUM)
    if kind == "rate_limited":
        return Decision(Action.PAUSE, float(failure.retry_after or 1.0))
    if kind == "migrated":
        return Decision(Action.MIGRATE)
    if kind in ("blocked", "not_found"):
        return Decision(Action.DEACTIVATE)
    if kind == "too_long":
        return Decision(Action.SHORTEN)
    if kind == "bad_request":
        if had_thread and refused == "thread":
            return Decision(Action.NO_THREAD)
        if had_photo and refused == "photo":
            return Decision(Action.NO_PHOTO)
        if refused == "markup" and not was_plain:
            return Decision(Action.PLAIN_TEXT)
        return Decision(Action.FAIL)
    if attempts >= max_attempts:  # server, network
        return Decision(Action.FAIL)
    return Decision(Action.RETRY, retry_delay(attempts, rand))


def in_quiet_hours(local_hour: int, start: int | None, end: int | None) -> bool:
    """Quiet hours [start, end) in local hours; a window may wrap midnight (22 → 6)."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local_hour < end
    return local_hour >= start or local_hour < end
