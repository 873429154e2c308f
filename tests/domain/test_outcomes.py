"""What the sender does after each kind of failed send: Telegram's answer, as the Telegram messenger
classifies it, in; a decision out."""

from __future__ import annotations

import itertools

import httpx
import pytest
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.delivery.messenger import Failed
from bot.delivery.telegram import classify
from bot.domain.outcomes import Action, decide, in_quiet_hours, retry_delay


def answer(
    kind: str, description: str = "", retry_after: float | None = None, *, album: bool = False
) -> Failed:
    """Telegram's answer of each kind, raised as python-telegram-bot raises it, then classified."""
    exc: Exception
    if kind == "retry_after":
        exc = RetryAfter(int(retry_after or 1))
    elif kind == "migrated":
        exc = ChatMigrated(-100123)
    elif kind == "forbidden":
        exc = Forbidden(description)
    elif kind == "bad_request":
        exc = BadRequest(description)
    elif kind.startswith("timed_out"):
        exc = TimedOut(description)
    else:
        exc = NetworkError(description)
        if kind == "network_dropped":
            exc.__cause__ = httpx.RemoteProtocolError("dropped")
    failed = classify(exc, album=album)
    assert failed is not None
    return failed


def decision(kind: str, description: str = "", *, attempts: int = 1, photo: bool = False, plain: bool = False,
             retry_after: float | None = None) -> Action:  # fmt: skip
    failure = answer(kind, description, retry_after)
    return decide(failure, attempts, 8, had_photo=photo, was_plain=plain, rand=lambda: 0.5).action


@pytest.mark.parametrize(
    ("kind", "description", "kw", "expected"),
    [
        ("retry_after", "Too Many Requests: retry after 7", {"retry_after": 7}, Action.PAUSE),
        ("migrated", "Group migrated to supergroup", {}, Action.MIGRATE),
        ("forbidden", "Forbidden: bot was blocked by the user", {}, Action.DEACTIVATE),
        ("forbidden", "Forbidden: user is deactivated", {}, Action.DEACTIVATE),
        ("bad_request", "Chat not found", {}, Action.DEACTIVATE),
        ("bad_request", "Can't parse entities: unsupported start tag", {}, Action.PLAIN_TEXT),
        ("bad_request", "Can't parse entities: unsupported start tag", {"plain": True}, Action.FAIL),
        ("bad_request", "Message is too long", {}, Action.SHORTEN),
        ("bad_request", "Message caption is too long", {"photo": True}, Action.SHORTEN),
        ("bad_request", "Wrong type of the web page content", {"photo": True}, Action.NO_PHOTO),
        ("bad_request", "Failed to get http url content", {"photo": True}, Action.NO_PHOTO),
        ("bad_request", "Something else entirely", {}, Action.FAIL),
        ("network", "Internal Server Error", {}, Action.RETRY),
        ("network_dropped", "Server disconnected", {}, Action.RETRY),
        ("timed_out_read", "Timed out", {}, Action.RETRY),
        ("timed_out_connect", "Connect timeout", {}, Action.RETRY),
        ("network", "Internal Server Error", {"attempts": 8}, Action.FAIL),
    ],
)
def test_each_failure_has_its_rule(
    kind: str, description: str, kw: dict[str, object], expected: Action
) -> None:
    assert decision(kind, description, **kw) is expected  # type: ignore[arg-type]


def test_a_429_pauses_for_what_telegram_asked() -> None:
    d = decide(answer("retry_after", "retry after 12", 12.0), 1, 8, had_photo=False, was_plain=False)
    assert d.action is Action.PAUSE and d.delay == 12.0


def test_retry_delays_grow_jittered_and_capped() -> None:
    low = [retry_delay(n, rand=lambda: 0.0) for n in range(1, 12)]
    high = [retry_delay(n, rand=lambda: 1.0) for n in range(1, 12)]
    assert low[0] == pytest.approx(4.0) and high[0] == pytest.approx(6.0)  # 5 s ± 20 %
    assert all(a < b for a, b in itertools.pairwise(low[:7]))  # doubling
    assert max(high) == pytest.approx(900 * 1.2)  # capped at 15 minutes (+ jitter)


@pytest.mark.parametrize(
    ("hour", "start", "end", "quiet"),
    [(23, 22, 6, True), (3, 22, 6, True), (6, 22, 6, False), (12, 22, 6, False), (22, 22, 6, True),
     (13, 12, 14, True), (14, 12, 14, False), (5, None, None, False), (5, 7, 7, False)],
)  # fmt: skip
def test_quiet_hours_wrap_midnight(hour: int, start: int | None, end: int | None, quiet: bool) -> None:
    assert in_quiet_hours(hour, start, end) is quiet


def test_a_gone_forum_topic_falls_back_to_the_main_chat_only_when_a_topic_was_used() -> None:
    gone = answer("bad_request", "Bad Request: message thread not found")
    assert decide(gone, 1, 8, had_photo=False, was_plain=False, had_thread=True).action is Action.NO_THREAD
    assert (
        decide(gone, 1, 8, had_photo=False, was_plain=False).action is Action.FAIL
    )  # no topic: nothing to drop


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ('Failed to send message #2 with the error message "WEBPAGE_MEDIA_EMPTY"', Action.NO_ALBUM),
        ("Failed to get http url content", Action.NO_ALBUM),
        ("Message caption is too long", Action.NO_ALBUM),
        ("Can't parse entities: unsupported start tag", Action.PLAIN_TEXT),
        ("Chat not found", Action.DEACTIVATE),
    ],
)
def test_a_refused_album_falls_back_to_one_photo_first(description: str, expected: Action) -> None:
    failure = answer("bad_request", description, album=True)
    assert decide(failure, 1, 8, had_photo=True, was_plain=False, had_album=True).action is expected
    retry = decide(answer("retry_after", "", 3.0), 1, 8, had_photo=True, was_plain=False, had_album=True)
    assert retry.action is Action.PAUSE  # a 429 on an album waits as any send does
