"""The only code that edits messages already delivered to subscribers (retractions and corrections).

Politely paced: one edit at a time, evenly spaced at the configured send rate; a 429 waits as told.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from bot.delivery.messenger import ArticleItem, FailureKind, Messenger, Refused, Sent
from bot.store.records import ArticleRecord, DeliveredMessage

log = logging.getLogger(__name__)

TRIES = 3


@dataclass(frozen=True, slots=True)
class EditReport:
    edited: int
    failed: int


@dataclass(frozen=True, slots=True)
class EditorSettings:
    send_rate_per_second: float  # edits share the send rate


class Editor:
    def __init__(
        self,
        settings: EditorSettings,
        messenger: Messenger,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.messenger = messenger
        self.spacing = 1.0 / settings.send_rate_per_second
        self._sleep = sleep

    async def mark_withdrawn(
        self,
        article: ArticleRecord,
        messages: Sequence[DeliveredMessage],
        *,
        superseded: bool = False,
    ) -> EditReport:
        """Edit each delivered message of `article` to say it was withdrawn (or, `superseded`, that a
        correction follows)."""
        edited = failed = 0
        for index, message in enumerate(messages):
            if index:
                await self._sleep(self.spacing)
            if await self._withdraw_one(article, message, superseded):
                edited += 1
            else:
                failed += 1
        return EditReport(edited, failed)

    async def _withdraw_one(
        self, article: ArticleRecord, message: DeliveredMessage, superseded: bool
    ) -> bool:
        # sent as a photo when the article has a picture, unless the sender fell back to text
        as_caption = article.image is not None
        for _ in range(TRIES):
            item = ArticleItem(article, with_photo=as_caption, withdrawn=True, superseded=superseded)
            outgoing = self.messenger.render(item, message.language)
            result = await self.messenger.edit(str(message.chat_id), str(message.message_id), outgoing)
            if isinstance(result, Sent):
                return True
            if result.kind is FailureKind.RATE_LIMITED:
                await self._sleep(result.retry_after or 1.0)
                continue
            if result.refused is Refused.KIND:  # a text message, or a photo: the other kind of edit
                as_caption = not as_caption
                continue
            if result.kind is not FailureKind.BLOCKED:
                log.warning(
                    "could not edit message %d in %d: %s", message.message_id, message.chat_id, result.detail
                )
            return False
        return False
