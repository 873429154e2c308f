"""The two lists of words a chat keeps — keyword alerts (/follow) and mute words (/mute) — handled alike:
add, remove, and the ❌ button under the list that removes one word in place. Parse, call one service,
reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.domain.render import esc
from bot.handlers.callbacks import RemoveWord
from bot.handlers.common import Context, admin_chat, is_chat_admin, reply_language
from bot.i18n import t
from bot.services.preferences import FollowResult, FollowStatus, PreferencesService

Words = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WordList:
    """One list: its catalog keys start with `name` ("follow_added", "unfollow_done" …)."""

    name: str
    limit: int
    current: Callable[[PreferencesService, int], Awaitable[Words]]
    add: Callable[[PreferencesService, int, str], Awaitable[FollowResult]]
    remove: Callable[[PreferencesService, int, str], Awaitable[FollowResult]]
    text: Callable[[Sequence[str], str], str]
    keyboard: Callable[[Sequence[str], str], InlineKeyboardMarkup | None]


async def reply_list(spec: WordList, message: Message, words: Sequence[str], lang: str, note: str) -> None:
    """A note (what happened, or how to use the command) above the list."""
    await message.reply_text(
        note + "\n\n" + spec.text(words, lang),
        parse_mode=ParseMode.HTML,
        reply_markup=spec.keyboard(words, lang),
    )


async def add_word(spec: WordList, update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    prefs = context.services.preferences
    if not context.args:
        await reply_list(
            spec, message, await spec.current(prefs, chat.id), lang, t(f"{spec.name}_usage", lang)
        )
        return
    result = await spec.add(prefs, chat.id, " ".join(context.args))
    if result.status is FollowStatus.NOT_SUBSCRIBED:
        await message.reply_text(t("not_subscribed", lang))
        return
    outcome = {FollowStatus.ADDED: "added", FollowStatus.EXISTS: "exists", FollowStatus.FULL: "full"}
    key = f"{spec.name}_{outcome.get(result.status, 'invalid')}"
    note = t(key, lang, word=esc(result.shown), max=spec.limit)
    await reply_list(spec, message, result.follows, lang, note)


async def remove_word(spec: WordList, update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    prefs = context.services.preferences
    if not context.args:
        await reply_list(
            spec, message, await spec.current(prefs, chat.id), lang, t(f"un{spec.name}_usage", lang)
        )
        return
    result = await spec.remove(prefs, chat.id, " ".join(context.args))
    await reply_list(spec, message, result.follows, lang, _removed_note(spec, result, lang))


async def remove_button(spec: WordList, update: Update, context: Context, press: RemoveWord) -> None:
    """A ❌ under the list: remove that word, and show the list as it is now, in place."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or chat is None:
        return
    lang = await reply_language(update, context)
    if not await is_chat_admin(update, context):
        await query.answer(t("set_not_admin", lang), show_alert=True)
        return
    prefs = context.services.preferences
    wanted = press.word
    if press.index is not None:  # words too long for the button's data: their place in the list
        current = await spec.current(prefs, chat.id)
        wanted = current[press.index] if press.index < len(current) else ""
    result = await spec.remove(prefs, chat.id, wanted)
    await query.answer()
    try:
        await query.edit_message_text(
            _removed_note(spec, result, lang) + "\n\n" + spec.text(result.follows, lang),
            parse_mode=ParseMode.HTML,
            reply_markup=spec.keyboard(result.follows, lang),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


def _removed_note(spec: WordList, result: FollowResult, lang: str) -> str:
    done = "done" if result.status is FollowStatus.REMOVED else "unknown"
    return t(f"un{spec.name}_{done}", lang, word=esc(result.shown))
