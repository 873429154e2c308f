"""A chat's choices (/settings), keyword alerts (/follow), channels (/subscribe @channel) and privacy
(/mydata, /deletedata). One call per handler; every change is stored before it is confirmed."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock
from bot.domain.choices import (
    DeliveryMode,
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
    ToggleCategory,
    ToggleFeed,
    Topics,
    category_arg,
)
from bot.domain.statuses import ChatType
from bot.domain.text import fold, normalize, words_of
from bot.services.health import feed_category
from bot.services.subscribe import ChatInfo
from bot.store.records import CategoryRecord, ChatRecord, FeedRecord


class ChatRepo(Protocol):
    """What this module uses of the store's chats."""

    async def get_chat(self, chat_id: int) -> ChatRecord | None: ...

    async def set_prefs(self, chat_id: int, now: datetime, **values: Any) -> ChatRecord | None: ...

    async def add_follow(self, chat_id: int, keyword: str, shown: str, now: datetime, limit: int) -> str: ...

    async def remove_follow(self, chat_id: int, keyword: str) -> bool: ...

    async def list_follows(self, chat_id: int) -> list[tuple[str, str]]: ...

    async def add_mute(self, chat_id: int, word: str, shown: str, now: datetime, limit: int) -> str: ...

    async def remove_mute(self, chat_id: int, word: str) -> bool: ...

    async def list_mutes(self, chat_id: int) -> list[tuple[str, str]]: ...

    async def subscribe(
        self,
        chat_id: int,
        *,
        type: str,
        title: str | None,
        username: str | None,
        language: str,
        now: datetime,
        topics: str | None = None,
        added_by: int | None = None,
        thread_id: int | None = None,
    ) -> bool: ...

    async def chat_data(
        self, chat_id: int
    ) -> tuple[ChatRecord | None, list[tuple[str, str]], dict[str, int]]: ...

    async def erase_chat(self, chat_id: int, user_id: int | None = None) -> bool: ...


class FeedRepo(Protocol):
    """What this module uses of the store's feeds."""

    async def list_feeds(self) -> list[FeedRecord]: ...


class ArticleRepo(Protocol):
    """What this module uses of the store's articles."""

    async def list_categories(self, limit: int = 30) -> list[CategoryRecord]: ...


MAX_FOLLOWS = 10
MAX_MUTES = 20
KEYWORD_MIN, KEYWORD_MAX = 2, 64
DEFAULT_QUIET = (22, 6)


def clock_hour(h: int) -> str:
    """An hour as the settings show it everywhere: 07:00."""
    return f"{h % 24:02d}:00"


WORD = re.compile(r"\w+")


def category_label(category: CategoryRecord, feeds: tuple[FeedRecord, ...] = ()) -> str:
    """A category's name for a citizen: the name its pages' breadcrumb gives, else the name or title of a
    feed of that category ("Tin tức - Thông báo" → "Thông báo"), else its alias in words."""
    if category.name:
        return category.name
    for feed in feeds:
        if feed_category(feed.url) == category.alias and (feed.name or feed.title):
            return feed.name or (feed.title or "").rsplit(" - ", 1)[-1].strip()
    return category.alias.replace("-", " ").capitalize()


@dataclass(frozen=True, slots=True)
class SettingsView:
    """What the settings menu shows: the chat's choices, the site's categories one can pick, and the
    feeds (which name a choice of whole feeds made before categories existed)."""

    chat: ChatRecord
    feeds: tuple[FeedRecord, ...]
    categories: tuple[CategoryRecord, ...] = ()

    @property
    def chosen_feeds(self) -> set[int]:
        return {int(x) for x in self.chat.feed_ids.split(",") if x.strip().isdigit()}

    @property
    def chosen_categories(self) -> set[str]:
        if self.chat.topics != Topics.CATEGORIES:
            return set()
        return {c.strip() for c in self.chat.categories.split(",") if c.strip()}

    def category_name(self, alias: str) -> str:
        for category in self.categories:
            if category.alias == alias:
                return category_label(category, self.feeds)
        return category_label(CategoryRecord(alias, None, 0), self.feeds)


@dataclass(frozen=True, slots=True)
class Choice:
    """The outcome of one press: the stored state, and what to confirm (a catalog key and its values);
    `confirm` is None when the press was not a valid choice (nothing stored)."""

    view: SettingsView | None
    confirm: str | None = None
    values: dict[str, Any] = field(default_factory=dict)


class FollowStatus(enum.Enum):
    ADDED = "added"
    EXISTS = "exists"
    FULL = "full"
    INVALID = "invalid"
    NOT_SUBSCRIBED = "not_subscribed"
    REMOVED = "removed"
    NOT_FOLLOWED = "not_followed"


@dataclass(frozen=True, slots=True)
class FollowResult:
    status: FollowStatus
    shown: str
    follows: tuple[str, ...]  # what the chat follows now, as written


class ChannelResult(enum.Enum):
    SUBSCRIBED = "subscribed"
    ALREADY = "already"
    NOT_A_CHANNEL = "not_a_channel"
    USER_NOT_ADMIN = "user_not_admin"
    BOT_CANNOT_POST = "bot_cannot_post"


@dataclass(frozen=True, slots=True)
class MyData:
    chat: ChatRecord | None
    follows: tuple[str, ...]
    messages: dict[str, int]
    topics: SettingsView | None = None  # names the chosen categories (or feeds)
    mutes: tuple[str, ...] = ()


def keyword_of(text: str) -> tuple[str, str]:
    """(folded keyword for matching, the words as shown): punctuation dropped, spaces collapsed."""
    shown = " ".join(WORD.findall(normalize(text)))
    return fold(shown), shown


def mute_of(text: str) -> tuple[str, str]:
    """(folded words for whole-word matching, the words as shown): letters and digits only, so nothing a
    user types is ever read as a pattern."""
    shown = " ".join(words_of(normalize(text)))
    return " ".join(words_of(fold(shown))), shown


class PreferencesService:
    def __init__(self, chats: ChatRepo, feeds: FeedRepo, articles: ArticleRepo, clock: Clock) -> None:
        self.chats = chats
        self.feeds = feeds
        self.articles = articles
        self.clock = clock

    async def view(self, chat_id: int) -> SettingsView | None:
        chat = await self.chats.get_chat(chat_id)
        if chat is None:
            return None
        feeds = tuple(await self.feeds.list_feeds())
        categories = await self.articles.list_categories()
        listed = {c.alias for c in categories}
        chosen = SettingsView(chat, feeds).chosen_categories
        categories += [CategoryRecord(alias, None, 0) for alias in sorted(chosen - listed)]
        return SettingsView(chat, feeds, tuple(categories))

    async def choose(self, chat_id: int, choice: SettingsChoice) -> Choice:
        """Apply one settings choice (a pressed button, decoded) and store it."""
        view = await self.view(chat_id)
        if view is None:
            return Choice(None)
        chat = view.chat
        values: dict[str, Any] = {}
        confirm: str
        info: dict[str, Any] = {}
        match choice:
            case PickTopics(topics) if topics in (Topics.ALL, Topics.AWARDS):
                values["topics"] = topics.value
                confirm = f"set_ok_topics_{topics.value}"
            case ToggleFeed(feed_id) if feed_id in {f.id for f in view.feeds}:
                chosen = view.chosen_feeds if chat.topics == Topics.FEEDS else set()
                chosen ^= {feed_id}
                values.update(topics=Topics.FEEDS.value, feed_ids=",".join(str(i) for i in sorted(chosen)))
                confirm = "set_ok_feeds"
                info["n"] = len(chosen)
            case ToggleCategory(ref) if (alias := self._category(view, ref)) is not None:
                picked = view.chosen_categories ^ {alias}
                values.update(topics=Topics.CATEGORIES.value, categories=",".join(sorted(picked)))
                confirm = "set_ok_categories"
                info["n"] = len(picked)
            case PickMode(mode):
                values["mode"] = mode.value
                if mode.is_digest and chat.mode == DeliveryMode.INSTANT:
                    values["last_digest_at"] = self.clock.now()  # the digest covers what comes from now on
                confirm = f"set_ok_mode_{mode.value}"
                info["hour"] = clock_hour(chat.digest_hour)
                info["day"] = chat.digest_weekday
            case PickWeekday(day) if 0 <= day <= 6:
                values["digest_weekday"] = day
                confirm = "set_ok_weekday"
                info["day"] = day
            case PickDigestHour(hour) if 0 <= hour <= 23:
                values["digest_hour"] = hour
                confirm = "set_ok_hour"
                info["hour"] = clock_hour(hour)
            case PickQuiet(quiet):
                values["quiet_mode"] = (
                    quiet.value
                )  # off keeps the chosen hours for when it is turned on again
                if quiet is not QuietMode.OFF and (chat.quiet_start is None or chat.quiet_end is None):
                    values.update(quiet_start=DEFAULT_QUIET[0], quiet_end=DEFAULT_QUIET[1])
                confirm = f"set_ok_quiet_{quiet.value}"
            case QuietStart(hour) | QuietEnd(hour) if 0 <= hour <= 23:
                start = chat.quiet_start if chat.quiet_start is not None else DEFAULT_QUIET[0]
                end = chat.quiet_end if chat.quiet_end is not None else DEFAULT_QUIET[1]
                start, end = (hour, end) if isinstance(choice, QuietStart) else (start, hour)
                values.update(quiet_start=start, quiet_end=end)
                confirm = "set_ok_quiet_hours"
                info.update(start=clock_hour(start), end=clock_hour(end))
            case PickLanguage(language):
                values["language"] = language.value
                confirm = "set_ok_language"
            case SetPreviews(on):
                values["link_previews"] = on
                confirm = "set_ok_previews_on" if on else "set_ok_previews_off"
            case _:  # a feed or category no longer offered, an hour out of range: nothing stored
                return Choice(view)
        stored = await self.chats.set_prefs(chat_id, self.clock.now(), **values)
        if stored is None:
            return Choice(None)
        return Choice(SettingsView(stored, view.feeds, view.categories), confirm, info)

    @staticmethod
    def _category(view: SettingsView, arg: str) -> str | None:
        for category in view.categories:
            if arg in (category.alias, category_arg(category.alias)):
                return category.alias
        return None

    # ---- keyword alerts ----------------------------------------------------------------------

    async def follow(self, chat_id: int, text: str) -> FollowResult:
        keyword, shown = keyword_of(text)
        chat = await self.chats.get_chat(chat_id)
        if chat is None or not chat.subscribed:
            return FollowResult(FollowStatus.NOT_SUBSCRIBED, shown, ())
        if not KEYWORD_MIN <= len(keyword) <= KEYWORD_MAX:
            return FollowResult(FollowStatus.INVALID, shown, await self._shown(chat_id))
        status = await self.chats.add_follow(chat_id, keyword, shown, self.clock.now(), MAX_FOLLOWS)
        return FollowResult(FollowStatus(status), shown, await self._shown(chat_id))

    async def unfollow(self, chat_id: int, text: str) -> FollowResult:
        keyword, shown = keyword_of(text)
        removed = bool(keyword) and await self.chats.remove_follow(chat_id, keyword)
        status = FollowStatus.REMOVED if removed else FollowStatus.NOT_FOLLOWED
        return FollowResult(status, shown, await self._shown(chat_id))

    async def follows(self, chat_id: int) -> tuple[str, ...]:
        return await self._shown(chat_id)

    async def _shown(self, chat_id: int) -> tuple[str, ...]:
        return tuple(shown for _, shown in await self.chats.list_follows(chat_id))

    # ---- mute words -------------------------------------------------------------------------

    async def mute(self, chat_id: int, text: str) -> FollowResult:
        word, shown = mute_of(text)
        chat = await self.chats.get_chat(chat_id)
        if chat is None or not chat.subscribed:
            return FollowResult(FollowStatus.NOT_SUBSCRIBED, shown, ())
        if not KEYWORD_MIN <= len(word) <= KEYWORD_MAX:
            return FollowResult(FollowStatus.INVALID, shown, await self.mutes(chat_id))
        status = await self.chats.add_mute(chat_id, word, shown, self.clock.now(), MAX_MUTES)
        return FollowResult(FollowStatus(status), shown, await self.mutes(chat_id))

    async def unmute(self, chat_id: int, text: str) -> FollowResult:
        word, shown = mute_of(text)
        removed = bool(word) and await self.chats.remove_mute(chat_id, word)
        status = FollowStatus.REMOVED if removed else FollowStatus.NOT_FOLLOWED
        return FollowResult(status, shown, await self.mutes(chat_id))

    async def mutes(self, chat_id: int) -> tuple[str, ...]:
        return tuple(shown for _, shown in await self.chats.list_mutes(chat_id))

    # ---- channels ----------------------------------------------------------------------------

    async def subscribe_channel(
        self, channel: ChatInfo, language: str, *, user_id: int, user_is_admin: bool, bot_can_post: bool
    ) -> ChannelResult:
        """/subscribe @channel from a private chat: only a channel's administrator may, and only when the
        bot can post there."""
        if channel.type != ChatType.CHANNEL:
            return ChannelResult.NOT_A_CHANNEL
        if not user_is_admin:
            return ChannelResult.USER_NOT_ADMIN
        if not bot_can_post:
            return ChannelResult.BOT_CANNOT_POST
        created = await self.chats.subscribe(
            channel.id,
            type=ChatType.CHANNEL,
            title=channel.title,
            username=channel.username,
            language=language,
            now=self.clock.now(),
            added_by=user_id,
        )
        return ChannelResult.SUBSCRIBED if created else ChannelResult.ALREADY

    # ---- privacy -----------------------------------------------------------------------------

    async def my_data(self, chat_id: int) -> MyData:
        chat, words, messages = await self.chats.chat_data(chat_id)
        view = await self.view(chat_id) if chat is not None else None
        muted = await self.mutes(chat_id)
        return MyData(chat, tuple(shown for _, shown in words), messages, topics=view, mutes=muted)

    async def delete_data(self, chat_id: int, user_id: int | None) -> bool:
        return await self.chats.erase_chat(chat_id, user_id)
