"""Errors escaping a handler: logged once, and the user gets an apology instead of silence."""

from __future__ import annotations

import logging

from telegram import Update

from bot.handlers.context import Context
from bot.i18n import language_of, t

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    log.error("handler failed for update %s", getattr(update, "update_id", "?"), exc_info=context.error)
    if isinstance(update, Update) and update.effective_message and update.effective_chat:
        try:
            lang = language_of(update.effective_user.language_code if update.effective_user else None)
            await update.effective_message.reply_text(t("error_generic", lang))
        except Exception:
            log.debug("could not tell the user about the error", exc_info=True)
