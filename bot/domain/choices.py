"""What a chat can choose, as types: topics, delivery modes, quiet modes, languages, and one settings choice
(a pressed button, decoded). Each enum's values are the strings stored in the database, so a stored value
compares equal to its member (``chat.mode == DeliveryMode.DAILY``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum


class Topics(StrEnum):
    """Which articles a chat receives."""

    ALL = "all"
    AWARDS = "awards"
    CATEGORIES = "categories"  # the site's sections the chat ticked
    FEEDS = "feeds"  # whole feeds, chosen before categories existed


class DeliveryMode(StrEnum):
    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"

    @property
    def is_digest(self) -> bool:
        return self is not DeliveryMode.INSTANT


class QuietMode(StrEnum):
    HOLD = "hold"  # articles wait until the quiet hours end
    SILENT = "silent"  # articles arrive without a sound
    OFF = "off"


class Language(StrEnum):
    VI = "vi"
    EN = "en"


class SettingsPage(StrEnum):
    """The pages of the settings menu."""

    MAIN = "main"
    TOPICS = "topics"
    MODE = "mode"
    QUIET = "quiet"
    LANG = "lang"


CATEGORY_ARG_MAX = 40  # bytes of an alias in a button's data; a longer one goes by a short hash


def category_arg(alias: str) -> str:
    """How a category's button names it: its alias, or "~" and a hash when the alias is long."""
    if len(alias.encode()) <= CATEGORY_ARG_MAX:
        return alias
    return "~" + hashlib.sha256(alias.encode()).hexdigest()[:12]


# ---- one settings choice ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PickTopics:
    topics: Topics  # ALL or AWARDS: the others are chosen item by item


@dataclass(frozen=True, slots=True)
class ToggleFeed:
    feed_id: int


@dataclass(frozen=True, slots=True)
class ToggleCategory:
    ref: str  # the category's alias, or its short hash (see category_arg)


@dataclass(frozen=True, slots=True)
class PickMode:
    mode: DeliveryMode


@dataclass(frozen=True, slots=True)
class PickWeekday:
    day: int  # 0 = Monday … 6 = Sunday


@dataclass(frozen=True, slots=True)
class PickDigestHour:
    hour: int  # 0–23


@dataclass(frozen=True, slots=True)
class PickQuiet:
    mode: QuietMode


@dataclass(frozen=True, slots=True)
class QuietStart:
    hour: int  # 0–23


@dataclass(frozen=True, slots=True)
class QuietEnd:
    hour: int  # 0–23


@dataclass(frozen=True, slots=True)
class PickLanguage:
    language: Language


@dataclass(frozen=True, slots=True)
class SetPreviews:
    on: bool


SettingsChoice = (
    PickTopics
    | ToggleFeed
    | ToggleCategory
    | PickMode
    | PickWeekday
    | PickDigestHour
    | PickQuiet
    | QuietStart
    | QuietEnd
    | PickLanguage
    | SetPreviews
)


def page_of(choice: SettingsChoice) -> SettingsPage:
    """The settings page a choice is made on (shown again after it)."""
    match choice:
        case PickTopics() | ToggleFeed() | ToggleCategory():
            return SettingsPage.TOPICS
        case PickMode() | PickWeekday() | PickDigestHour():
            return SettingsPage.MODE
        case PickQuiet() | QuietStart() | QuietEnd():
            return SettingsPage.QUIET
        case PickLanguage():
            return SettingsPage.LANG
        case SetPreviews():
            return SettingsPage.MAIN
