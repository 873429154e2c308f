"""Mute words: /mute <words>, /unmute <words>; the list under each reply, a ❌ button per word.
Parse, call one service, reply."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.render import esc
from bot.handlers.callbacks import ListKind, RemoveWord, word_button
from bot.handlers.context import Context
from bot.handlers.word_lists import WordList, add_word, remove_button, remove_word
from bot.i18n import t
from bot.services.preferences import MAX_MUTES, PreferencesService


def mutes_text(words: Sequence[str], lang: str) -> str:
    if not words:
        return t("mute_list_empty", lang)
    listed = "\n".join(f"• {esc(w)}" for w in words)
    return t("mute_list", lang, n=len(words), words=listed) + "\n\n<i>" + t("mute_hint", lang) + "</i>"


def mutes_keyboard(words: Sequence[str], lang: str) -> InlineKeyboardMarkup | None:
    """One ❌ button per muted word: a tap lets its articles through again."""
    if not words:
        return None
    rows = [
        [
            InlineKeyboardButton(
                t("btn_unmute", lang, word=w), callback_data=word_button(ListKind.MUTES, words, i)
            )
        ]
        for i, w in enumerate(words)
    ]
    return InlineKeyboardMarkup(rows)


MUTES = WordList(
    name="mute",
    limit=MAX_MUTES,
    current=PreferencesService.mutes,
    add=PreferencesService.mute,
    remove=PreferencesService.unmute,
    text=mutes_text,
    keyboard=mutes_keyboard,
)


async def mute(update: Update, context: Context) -> None:
    await add_word(MUTES, update, context)


async def unmute(update: Update, context: Context) -> None:
    await remove_word(MUTES, update, context)


async def unmute_button(update: Update, context: Context, press: RemoveWord) -> None:
    """A ❌ under the list: unmute that word, and show the list as it is now, in place."""
    await remove_button(MUTES, update, context, press)
