"""A chat's choices (/settings), keyword alerts (/follow), channels (/subscribe @channel) and privacy
(/mydata, /deletedata). One call per handler; every change is stored before it is confirmed."""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from bot.clock import Clock
from bot.domain.statuses import ChatType
from bot.domain.text import fold, normalize, words_of
from bot.i18n import LANGUAGES
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


TOPICS = ("all", "awards")
MODES = ("instant", "daily", "weekly")
QUIET_MODES = ("hold", "silent", "off")
WORD = re.compile(r"\w+")


CATEGORY_ARG_MAX = 40  # bytes of an alias in a button's data; a longer one goes by a short hash


def category_arg(alias: str) -> str:
    """How a category's button names it: its alias, or "~" and a hash when the alias is long."""
    if len(alias.encode()) <= CATEGORY_ARG_MAX:
        return alias
    return "~" + hashlib.sha256(alias.encode()).hexdigest()[:12]


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
        if self.chat.topics != "categories":
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

    async def choose(self, chat_id: int, action: str, arg: str) -> Choice:
        """Apply one settings choice (a pressed button) and store it."""
        view = await self.view(chat_id)
        if view is None:
            return Choice(None)
        chat = view.chat
        values: dict[str, Any] = {}
        confirm: str
        info: dict[str, Any] = {}
        if action == "t" and arg in TOPICS:
            values["topics"] = arg
            confirm = f"set_ok_topics_{arg}"
        elif action == "f" and arg.isdigit() and int(arg) in {f.id for f in view.feeds}:
            chosen = view.chosen_feeds if chat.topics == "feeds" else set()
            chosen ^= {int(arg)}
            values.update(topics="feeds", feed_ids=",".join(str(i) for i in sorted(chosen)))
            confirm = "set_ok_feeds"
            info["n"] = len(chosen)
        elif action == "c" and (alias := self._category(view, arg)) is not None:
            picked = view.chosen_categories ^ {alias}
            values.update(topics="categories", categories=",".join(sorted(picked)))
            confirm = "set_ok_categories"
            info["n"] = len(picked)
        elif action == "m" and arg in MODES:
            values["mode"] = arg
            if arg != "instant" and chat.mode == "instant":
                values["last_digest_at"] = self.clock.now()  # the digest covers what comes from now on
            confirm = f"set_ok_mode_{arg}"
            info["hour"] = clock_hour(chat.digest_hour)
            info["day"] = chat.digest_weekday
        elif action == "w" and arg.isdigit() and 0 <= int(arg) <= 6:
            values["digest_weekday"] = int(arg)
            confirm = "set_ok_weekday"
            info["day"] = int(arg)
        elif action == "h" and arg.isdigit() and 0 <= int(arg) <= 23:
            values["digest_hour"] = int(arg)
            confirm = "set_ok_hour"
            info["hour"] = clock_hour(int(arg))
        elif action == "q" and arg in QUIET_MODES:
            values["quiet_mode"] = arg  # "off" keeps the chosen hours for when it is turned on again
            if arg != "off" and (chat.quiet_start is None or chat.quiet_end is None):
                values.update(quiet_start=DEFAULT_QUIET[0], quiet_end=DEFAULT_QUIET[1])
            confirm = f"set_ok_quiet_{arg}"
        elif action in ("qs", "qe") and arg.isdigit() and 0 <= int(arg) <= 23:
            start = chat.quiet_start if chat.quiet_start is not None else DEFAULT_QUIET[0]
            end = chat.quiet_end if chat.quiet_end is not None else DEFAULT_QUIET[1]
            start, end = (int(arg), end) if action == "qs" else (start, int(arg))
            values.update(quiet_start=start, quiet_end=end)
            confirm = "set_ok_quiet_hours"
            info.update(start=clock_hour(start), end=clock_hour(end))
        elif action == "l" and arg in LANGUAGES:
            values["language"] = arg
            confirm = "set_ok_language"
        elif action == "p" and arg in ("on", "off"):
            values["link_previews"] = arg == "on"
            confirm = f"set_ok_previews_{arg}"
        else:
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
