"""Daily and weekly digests: one message listing the period's articles (awards first), split under
Telegram's limit, queued through the outbox at the chat's chosen local hour.

`run_due` is idempotent: the store marks a chat's digest done and queues its messages in one transaction,
and only if no other run did it since the chat was read, so a digest is never sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.domain.choices import DeliveryMode, QuietMode
from bot.domain.digest_schedule import digest_due, period_start
from bot.domain.outcomes import in_quiet_hours
from bot.domain.render import local_date, render_digest
from bot.domain.render_plain import render_digest_plain
from bot.domain.render_plain import text as plain_text
from bot.domain.statuses import Platform
from bot.i18n import t
from bot.store.records import ArticleRecord, ChatRecord


class ChatRepo(Protocol):
    """What this module uses of the store's chats."""

    async def digest_chats(self) -> list[ChatRecord]: ...

    async def record_digest(
        self,
        chat_id: int,
        texts: Sequence[str],
        now: datetime,
        previous: datetime | None,
        *,
        silent: bool = False,
        plain: bool = False,
    ) -> bool: ...


class ArticleRepo(Protocol):
    """What this module uses of the store's articles."""

    async def digest_articles(
        self, chat: ChatRecord, since: datetime, until: datetime
    ) -> list[ArticleRecord]: ...


log = logging.getLogger(__name__)


class DigestService:
    def __init__(
        self,
        chats: ChatRepo,
        articles: ArticleRepo,
        clock: Clock,
        zone: ZoneInfo,
        on_queued: Callable[[], None] | None = None,
    ) -> None:
        self.chats = chats
        self.articles = articles
        self.clock = clock
        self.zone = zone  # local time: digest hours, quiet hours, dates
        self.on_queued = on_queued

    async def run_due(self) -> int:
        """Queue every digest that is due now; returns how many chats got one."""
        now = self.clock.now()
        sent = 0
        for chat in await self.chats.digest_chats():
            due = digest_due(
                chat.mode, chat.digest_hour, chat.last_digest_at, now, self.zone, chat.digest_weekday
            )
            if due is None:
                continue
            try:
                if await self._digest(chat):
                    sent += 1
            except Exception:  # one chat's problem must not stop the others' digests
                log.exception("digest for chat %d failed", chat.id)
        if sent and self.on_queued:
            self.on_queued()
        return sent

    async def _digest(self, chat: ChatRecord) -> bool:
        now = self.clock.now()
        since = period_start(chat.mode, chat.last_digest_at, now)
        items = await self.articles.digest_articles(chat, since, now)
        texts: list[str] = []
        plain = chat.platform != Platform.TELEGRAM
        if items:
            key = "digest_heading_weekly" if chat.mode == DeliveryMode.WEEKLY else "digest_heading_daily"
            values = {
                "date": local_date(now, self.zone)[:10],
                "since": local_date(since, self.zone)[:10],
                "n": len(items),
            }
            if plain:  # a messenger without HTML (Zalo): plain text, each part its own message
                heading = plain_text(key, chat.language, **values)
                texts = render_digest_plain(items, chat.language, self.zone, heading)
            else:
                texts = render_digest(items, chat.language, self.zone, t(key, chat.language, **values))
        # the user chose the hour: inside their quiet hours it arrives without a sound
        quiet = chat.quiet_mode != QuietMode.OFF  # OFF keeps the hours for when it is turned on again
        silent = quiet and in_quiet_hours(chat.digest_hour, chat.quiet_start, chat.quiet_end)
        done = await self.chats.record_digest(
            chat.id, texts, now, chat.last_digest_at, silent=silent, plain=plain
        )
        return done and bool(texts)
