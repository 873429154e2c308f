"""Subscriptions: start, stop, blocked, unblocked, migrated. One call per handler."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.domain.choices import Topics
from bot.domain.statuses import ChatType
from bot.store.records import ChatRecord


class ChatRepo(Protocol):
    """What this module uses of the store's chats."""

    async def get_chat(self, chat_id: int) -> ChatRecord | None: ...

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

    async def unsubscribe(self, chat_id: int, now: datetime) -> bool: ...

    async def set_active(self, chat_id: int, active: bool, now: datetime) -> None: ...

    async def migrate_chat(self, old_id: int, new_id: int, now: datetime) -> None: ...


# a deep link names a topic in Vietnamese or by its own name
DEEP_LINK_TOPICS = {
    "khenthuong": Topics.AWARDS,
    "tatca": Topics.ALL,
    **{topic.value: topic for topic in (Topics.AWARDS, Topics.ALL)},
}


class StartResult(enum.Enum):
    SUBSCRIBED = "subscribed"
    ALREADY = "already"
    NOT_ADMIN = "not_admin"


@dataclass(frozen=True, slots=True)
class StartOutcome:
    result: StartResult
    topics: str = Topics.ALL  # what the chat receives now (a Topics value)
    before: str | None = None  # what it received before, when a deep link changed it

    @property
    def changed(self) -> bool:
        return self.before is not None and self.before != self.topics


@dataclass(frozen=True, slots=True)
class ChatInfo:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    thread_id: int | None = None  # the forum topic the command came from


class SubscriptionService:
    def __init__(self, chats: ChatRepo, clock: Clock) -> None:
        self.chats = chats
        self.clock = clock

    async def start(
        self,
        chat: ChatInfo,
        language: str,
        *,
        user_id: int | None,
        is_admin: bool,
        payload: str | None = None,
    ) -> StartOutcome:
        """/start: subscribe the chat. In a group only an administrator may; repeating is harmless.
        A deep-link payload chooses the topic (`khenthuong` → award announcements only); the outcome says
        what a subscribed chat received before, so the reply can say what changed."""
        if chat.type != ChatType.PRIVATE and not is_admin:
            return StartOutcome(StartResult.NOT_ADMIN)
        topics = DEEP_LINK_TOPICS.get((payload or "").strip().lower())
        existing = await self.chats.get_chat(chat.id)
        was = existing.topics if existing is not None and existing.subscribed else None
        created = await self.chats.subscribe(
            chat.id,
            type=chat.type,
            title=chat.title,
            username=chat.username,
            language=language,
            now=self.clock.now(),
            topics=topics,
            added_by=user_id if chat.type != ChatType.PRIVATE else None,
            thread_id=chat.thread_id,
        )
        now_topics = topics or (existing.topics if existing is not None else Topics.ALL)
        result = StartResult.SUBSCRIBED if created else StartResult.ALREADY
        return StartOutcome(result, now_topics, was if topics else None)

    async def stop(self, chat_id: int) -> bool:
        return await self.chats.unsubscribe(chat_id, self.clock.now())

    async def reachable(self, chat_id: int, reachable: bool) -> None:
        """The user blocked (or unblocked) the bot, or the bot left (or joined) a group."""
        if await self.chats.get_chat(chat_id) is not None:
            await self.chats.set_active(chat_id, reachable, self.clock.now())

    async def migrated(self, old_id: int, new_id: int) -> None:
        await self.chats.migrate_chat(old_id, new_id, self.clock.now())

    async def language(self, chat_id: int, fallback: str) -> str:
        chat = await self.chats.get_chat(chat_id)
        return chat.language if chat else fallback
