"""The only code that edits messages already delivered to subscribers (retractions and corrections).

Politely paced: one edit at a time, evenly spaced at the configured send rate; a 429 waits as told.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError

from bot.domain.render import Rendered, render_article
from bot.settings import Settings
from bot.store.records import ArticleRecord, DeliveredMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class EditReport:
    edited: int
    failed: int


def _markup(rendered: Rendered) -> InlineKeyboardMarkup | None:
    if rendered.button_url and rendered.button_text:
        return InlineKeyboardMarkup([[InlineKeyboardButton(rendered.button_text, url=rendered.button_url)]])
    return None


class Editor:
    def __init__(
        self, settings: Settings, *, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    ) -> None:
        self.settings = settings
        self.spacing = 1.0 / settings.send_rate_per_second
        self._sleep = sleep

    async def mark_withdrawn(
        self,
        bot: Bot,
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
            if await self._withdraw_one(bot, article, message, superseded):
                edited += 1
            else:
                failed += 1
        return EditReport(edited, failed)

    async def _withdraw_one(
        self, bot: Bot, article: ArticleRecord, message: DeliveredMessage, superseded: bool = False
    ) -> bool:
        zone = self.settings.zone
        # sent as a photo when the article has a picture, unless the sender fell back to text
        as_caption = article.image is not None
        for _ in range(3):
            rendered = render_article(
                article, message.language, zone, with_photo=as_caption, withdrawn=True, superseded=superseded
            )
            try:
                if as_caption:
                    await bot.edit_message_caption(
                        chat_id=message.chat_id,
                        message_id=message.message_id,
                        caption=rendered.text,
                        parse_mode=ParseMode.HTML,
                        # the first photo of an album carries no buttons: none are added
                        reply_markup=None if len(article.images) > 1 else _markup(rendered),
                    )
                else:
                    await bot.edit_message_text(
                        rendered.text,
                        chat_id=message.chat_id,
                        message_id=message.message_id,
                        parse_mode=ParseMode.HTML,
                        reply_markup=_markup(rendered),
                    )
                return True
            except RetryAfter as exc:
                wait = exc.retry_after
                await self._sleep(wait.total_seconds() if isinstance(wait, timedelta) else float(wait))
            except BadRequest as exc:
                text = str(exc).lower()
                if "not modified" in text:
                    return True  # already says so
                if "no caption" in text or "no text" in text:
                    as_caption = not as_caption
                    continue
                log.warning("could not edit message %d in %d: %s", message.message_id, message.chat_id, exc)
                return False
            except Forbidden:
                return False
            except TelegramError as exc:
                log.warning("could not edit message %d in %d: %s", message.message_id, message.chat_id, exc)
                return False
        return False
