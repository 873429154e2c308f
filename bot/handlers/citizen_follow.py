"""Keyword alerts: /follow <words>, /unfollow <words>, /following. Parse, call one service, reply."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.handlers.callbacks import RemoveWord
from bot.handlers.citizen_views import follows_keyboard, follows_text
from bot.handlers.common import Context, reply_language
from bot.handlers.word_lists import WordList, add_word, remove_button, remove_word
from bot.i18n import t
from bot.services.preferences import MAX_FOLLOWS, PreferencesService

FOLLOWS = WordList(
    name="follow",
    limit=MAX_FOLLOWS,
    current=PreferencesService.follows,
    add=PreferencesService.follow,
    remove=PreferencesService.unfollow,
    text=follows_text,
    keyboard=follows_keyboard,
)


async def follow(update: Update, context: Context) -> None:
    await add_word(FOLLOWS, update, context)


async def unfollow(update: Update, context: Context) -> None:
    await remove_word(FOLLOWS, update, context)


async def following(update: Update, context: Context) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    lang = await reply_language(update, context)
    words = await context.services.preferences.follows(chat.id)
    note = t("following_hint", lang) if words else ""
    await message.reply_text(
        follows_text(words, lang) + (f"\n\n<i>{note}</i>" if note else ""),
        parse_mode=ParseMode.HTML,
        reply_markup=follows_keyboard(words, lang),
    )


async def unfollow_button(update: Update, context: Context, press: RemoveWord) -> None:
    """A ❌ under the list: stop that alert, and show the list as it is now, in place."""
    await remove_button(FOLLOWS, update, context, press)
