"""Every inline button's callback data, one codec: `encode` turns a typed press into at most 64 bytes,
`decode` turns the bytes Telegram sends back into the typed press, or None for anything it does not
recognise (a button from an older version, a forged or truncated press), which gets the "this button no
longer works" answer.

Formats (unchanged since the buttons were first sent, so buttons already in chats keep working):
  settings   ``s|<target>|<action>|<arg>`` — target "" is the chat the menu is in, else a channel's id;
             actions: ``menu`` <page>, ``t`` topics, ``c`` category (alias or ``~`` hash), ``f`` feed,
             ``m`` mode, ``w`` weekday, ``h`` digest hour, ``q`` quiet mode, ``qs``/``qe`` quiet hours,
             ``l`` language, ``p`` previews, ``x`` close
  search     ``q|<page>|<words>``; awards search ``kt|<page>|<words>``
  word lists ``u|<words>`` / ``u|#<index>`` (keyword alerts), ``mu|…`` (mute words)
  privacy    ``d|yes`` / ``d|no``
  broadcast  ``bc:aud:<id>:<audience>``, ``bc:send|cancel|stop:<id>``
  article    ``ar:pick|do|no:<r|s>:<article id>``
  feeds      ``fa:ok|no:<token>``, ``fa:p|r|n|i|x|xy|xn:<feed id>``, ``fa:i:<feed id>:<seconds>``
"""

from __future__ import annotations

import enum
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.choices import (
    DeliveryMode,
    Language,
    PickDigestHour,
    PickLanguage,
    PickMode,
    PickQuiet,
    PickTopics,
    PickWeekday,
    QuietEnd,
    QuietMode,
    QuietStart,
    SetPreviews,
    SettingsChoice,
    SettingsPage,
    ToggleCategory,
    ToggleFeed,
    Topics,
)
from bot.domain.statuses import Audience

MAX_BYTES = 64  # Telegram's limit on a button's callback data


class CallbackTooLong(ValueError):
    """Raised by `encode` for data Telegram would refuse: a programming error, never a user's."""


class ListKind(enum.StrEnum):
    """A chat's two lists of words; the value is the button's prefix."""

    FOLLOWS = "u"
    MUTES = "mu"


class PagedKind(enum.StrEnum):
    """The two paged results; the value is the button's prefix."""

    SEARCH = "q"
    AWARDS = "kt"


class BroadcastOp(enum.StrEnum):
    SEND = "send"
    CANCEL = "cancel"  # the draft's ❌
    STOP = "stop"  # chosen under /cancel_broadcast


class ArticleOp(enum.StrEnum):
    PICK = "pick"
    DO = "do"
    NO = "no"


class ArticleKind(enum.StrEnum):
    RETRACT = "r"
    RESEND = "s"


class FeedOp(enum.StrEnum):
    PAUSE = "p"
    RESUME = "r"
    RENAME = "n"
    INTERVAL = "i"  # with seconds: set it; without: ask
    REMOVE = "x"  # ask
    REMOVE_YES = "xy"
    REMOVE_NO = "xn"


# ---- the presses ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SettingsMenu:
    target: str  # "" for the chat the menu is in, else a channel's id
    page: SettingsPage


@dataclass(frozen=True, slots=True)
class SettingsChosen:
    target: str
    choice: SettingsChoice


@dataclass(frozen=True, slots=True)
class SettingsClose:
    target: str


@dataclass(frozen=True, slots=True)
class ResultPage:
    kind: PagedKind
    page: int
    words: str


@dataclass(frozen=True, slots=True)
class RemoveWord:
    kind: ListKind
    word: str = ""  # the words as listed
    index: int | None = None  # instead of words too long for the button: the position in the list


@dataclass(frozen=True, slots=True)
class DeleteData:
    confirmed: bool


@dataclass(frozen=True, slots=True)
class BroadcastAudience:
    broadcast_id: int
    audience: Audience


@dataclass(frozen=True, slots=True)
class BroadcastAction:
    op: BroadcastOp
    broadcast_id: int


@dataclass(frozen=True, slots=True)
class ArticleAction:
    op: ArticleOp
    kind: ArticleKind
    article_id: int


@dataclass(frozen=True, slots=True)
class FeedDraft:
    """The ✅ / ❌ under a feed checked by /addfeed."""

    confirmed: bool
    token: str


@dataclass(frozen=True, slots=True)
class FeedAction:
    op: FeedOp
    feed_id: int
    seconds: int | None = None  # FeedOp.INTERVAL: the interval chosen


SettingsPress = SettingsMenu | SettingsChosen | SettingsClose
Callback = (
    SettingsMenu
    | SettingsChosen
    | SettingsClose
    | ResultPage
    | RemoveWord
    | DeleteData
    | BroadcastAudience
    | BroadcastAction
    | ArticleAction
    | FeedDraft
    | FeedAction
)


# ---- encode -------------------------------------------------------------------------------------


def _choice_parts(choice: SettingsChoice) -> tuple[str, str]:
    match choice:
        case PickTopics(topics):
            return "t", topics.value
        case ToggleFeed(feed_id):
            return "f", str(feed_id)
        case ToggleCategory(ref):
            return "c", ref
        case PickMode(mode):
            return "m", mode.value
        case PickWeekday(day):
            return "w", str(day)
        case PickDigestHour(hour):
            return "h", str(hour)
        case PickQuiet(mode):
            return "q", mode.value
        case QuietStart(hour):
            return "qs", str(hour)
        case QuietEnd(hour):
            return "qe", str(hour)
        case PickLanguage(language):
            return "l", language.value
        case SetPreviews(on):
            return "p", "on" if on else "off"


def _unchecked(press: Callback) -> str:
    match press:
        case SettingsMenu(target, page):
            return f"s|{target}|menu|{page.value}"
        case SettingsChosen(target, choice):
            action, arg = _choice_parts(choice)
            return f"s|{target}|{action}|{arg}"
        case SettingsClose(target):
            return f"s|{target}|x|"
        case ResultPage(kind, page, words):
            return f"{kind.value}|{page}|{words}"
        case RemoveWord(kind, word, index):
            return f"{kind.value}|#{index}" if index is not None else f"{kind.value}|{word}"
        case DeleteData(confirmed):
            return "d|yes" if confirmed else "d|no"
        case BroadcastAudience(broadcast_id, audience):
            return f"bc:aud:{broadcast_id}:{audience.value}"
        case BroadcastAction(op, broadcast_id):
            return f"bc:{op.value}:{broadcast_id}"
        case ArticleAction(op, kind, article_id):
            return f"ar:{op.value}:{kind.value}:{article_id}"
        case FeedDraft(confirmed, token):
            return f"fa:{'ok' if confirmed else 'no'}:{token}"
        case FeedAction(op, feed_id, seconds):
            return f"fa:{op.value}:{feed_id}" + (f":{seconds}" if seconds is not None else "")


def fits(press: Callback) -> bool:
    return len(_unchecked(press).encode()) <= MAX_BYTES


def encode(press: Callback) -> str:
    """The press as a button's callback data (≤ 64 bytes)."""
    data = _unchecked(press)
    if len(data.encode()) > MAX_BYTES:
        raise CallbackTooLong(data)
    return data


def word_button(kind: ListKind, words: Sequence[str], index: int) -> str:
    """The ❌ under one word of a list: the words themselves when they fit, else their position."""
    by_word = RemoveWord(kind, words[index])
    return encode(by_word if fits(by_word) else RemoveWord(kind, index=index))


def page_button(kind: PagedKind, page: int, shown: str, query: str) -> str:
    """Prev/Next under a paged result: the words as typed when they fit, else the folded ones."""
    typed = ResultPage(kind, page, shown)
    return encode(typed if shown and fits(typed) else ResultPage(kind, page, query))


# ---- decode -------------------------------------------------------------------------------------

E = TypeVar("E", bound=enum.StrEnum)
_NUMBER = re.compile(r"\d{1,19}")  # a chat id has up to 13 digits
_HOUR = re.compile(r"\d{1,2}")


def _int(text: str, low: int = 0, high: int = 10**19) -> int | None:
    if _NUMBER.fullmatch(text) is None:
        return None
    value = int(text)
    return value if low <= value <= high else None


def _enum(kind: type[E], text: str) -> E | None:
    try:
        return kind(text)
    except ValueError:
        return None


def _choice(action: str, arg: str) -> SettingsChoice | None:
    number = _int(arg, 0, 23) if _HOUR.fullmatch(arg) else None
    match action:
        case "t":
            topics = _enum(Topics, arg)
            return PickTopics(topics) if topics in (Topics.ALL, Topics.AWARDS) and topics else None
        case "f":
            feed_id = _int(arg)
            return ToggleFeed(feed_id) if feed_id is not None else None
        case "c":
            return ToggleCategory(arg) if arg else None
        case "m":
            mode = _enum(DeliveryMode, arg)
            return PickMode(mode) if mode else None
        case "w":
            return PickWeekday(number) if number is not None and number <= 6 else None
        case "h":
            return PickDigestHour(number) if number is not None else None
        case "q":
            quiet = _enum(QuietMode, arg)
            return PickQuiet(quiet) if quiet else None
        case "qs":
            return QuietStart(number) if number is not None else None
        case "qe":
            return QuietEnd(number) if number is not None else None
        case "l":
            language = _enum(Language, arg)
            return PickLanguage(language) if language else None
        case "p" if arg in ("on", "off"):
            return SetPreviews(arg == "on")
    return None


def _settings(rest: str) -> SettingsPress | None:
    parts = rest.split("|")
    if len(parts) != 3:
        return None
    target, action, arg = parts
    if target and _int(target.removeprefix("-")) is None:  # a channel's id
        return None
    if action == "menu":
        page = _enum(SettingsPage, arg)
        return SettingsMenu(target, page) if page else None
    if action == "x":
        return SettingsClose(target)
    choice = _choice(action, arg)
    return SettingsChosen(target, choice) if choice else None


def _piped(prefix: str, rest: str) -> Callback | None:
    if prefix == "s":
        return _settings(rest)
    if (paged := _enum(PagedKind, prefix)) is not None:
        number, _, words = rest.partition("|")
        page = _int(number)
        return ResultPage(paged, page, words) if page is not None and words.strip() else None
    if (listed := _enum(ListKind, prefix)) is not None:
        if rest.startswith("#"):
            index = _int(rest[1:])
            return RemoveWord(listed, index=index) if index is not None else None
        return RemoveWord(listed, rest) if rest.strip() else None
    if prefix == "d" and rest in ("yes", "no"):
        return DeleteData(rest == "yes")
    return None


def _coloned(parts: list[str]) -> Callback | None:
    match parts:
        case ["bc", "aud", number, audience]:
            broadcast_id, chosen = _int(number), _enum(Audience, audience)
            return BroadcastAudience(broadcast_id, chosen) if broadcast_id is not None and chosen else None
        case ["bc", op, number]:
            action, broadcast_id = _enum(BroadcastOp, op), _int(number)
            return BroadcastAction(action, broadcast_id) if action and broadcast_id is not None else None
        case ["ar", op, kind, number]:
            step, which, article_id = _enum(ArticleOp, op), _enum(ArticleKind, kind), _int(number)
            if step and which and article_id is not None:
                return ArticleAction(step, which, article_id)
        case ["fa", ("ok" | "no") as op, token] if re.fullmatch(r"[0-9a-f]{1,32}", token):
            return FeedDraft(op == "ok", token)
        case ["fa", "i", number, seconds]:
            feed_id, interval = _int(number), _int(seconds)
            if feed_id is not None and interval is not None:
                return FeedAction(FeedOp.INTERVAL, feed_id, interval)
        case ["fa", op, number]:
            feed_op, feed_id = _enum(FeedOp, op), _int(number)
            return FeedAction(feed_op, feed_id) if feed_op and feed_id is not None else None
    return None


def decode(data: object) -> Callback | None:
    """The press a button's data stands for, or None when it is not one of ours (or no longer valid)."""
    if not isinstance(data, str) or not data or len(data.encode()) > MAX_BYTES:
        return None
    if ":" in data.split("|", 1)[0]:
        return _coloned(data.split(":"))
    prefix, bar, rest = data.partition("|")
    return _piped(prefix, rest) if bar else None
