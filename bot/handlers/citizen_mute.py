"""Mute words: /mute <words>, /unmute <words>; the list under each reply, a ❌ button per word.
Parse, call one service, reply."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.domain.render import esc
from bot.handlers.common import Context, admin_chat, is_chat_admin, reply_language, services
from bot.i18n import t
from bot.services.preferences import MAX_MUTES, FollowStatus


def mutes_text(words: Sequence[str], lang: str) -> str:
    if not words:
        return t("mute_list_empty", lang)
    listed = "\n".join(f"• {esc(w)}" for w in words)
    return t("mute_list", lang, n=len(words), words=listed) + "\n\n<i>" + t("mute_hint", lang) + "</i>"


def unmute_data(words: Sequence[str], index: int) -> str:
    """``mu|<words>`` when it fits in 64 bytes, else ``mu|#<index>`` (checked against the list on a tap)."""
    data = f"mu|{words[index]}"
    return data if len(data.encode()) <= 64 else f"mu|#{index}"


def mutes_keyboard(words: Sequence[str], lang: str) -> InlineKeyboardMarkup | None:
    """One ❌ button per muted word: a tap lets its articles through again."""
    if not words:
        return None
    rows = [
        [InlineKeyboardButton(t("btn_unmute", lang, word=w), callback_data=unmute_data(words, i))]
        for i, w in enumerate(words)
    ]
    return InlineKeyboardMarkup(rows)


async def reply_mutes(message: Message, words: Sequence[str], lang: str, note: str) -> None:
    await message.reply_text(
        note + "\n\n" + mutes_text(words, lang),
        parse_mode=ParseMode.HTML,
        reply_markup=mutes_keyboard(words, lang),
    )


async def mute(update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    prefs = services(context).preferences
    if not context.args:
        await reply_mutes(message, await prefs.mutes(chat.id), lang, t("mute_usage", lang))
        return
    result = await prefs.mute(chat.id, " ".join(context.args))
    if result.status is FollowStatus.NOT_SUBSCRIBED:
        await message.reply_text(t("not_subscribed", lang))
        return
    key = {
        FollowStatus.ADDED: "mute_added",
        FollowStatus.EXISTS: "mute_exists",
        FollowStatus.FULL: "mute_full",
    }.get(result.status, "mute_invalid")
    await reply_mutes(message, result.follows, lang, t(key, lang, word=esc(result.shown), max=MAX_MUTES))


async def unmute(update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    prefs = services(context).preferences
    if not context.args:
        await reply_mutes(message, await prefs.mutes(chat.id), lang, t("unmute_usage", lang))
        return
    result = await prefs.unmute(chat.id, " ".join(context.args))
    key = "unmute_done" if result.status is FollowStatus.REMOVED else "unmute_unknown"
    await reply_mutes(message, result.follows, lang, t(key, lang, word=esc(result.shown)))


async def unmute_button(update: Update, context: Context) -> None:
    """A ❌ under the list: unmute that word, and show the list as it is now, in place."""
    query, chat = update.callback_query, update.effective_chat
    if query is None or query.data is None or chat is None:
        return
    lang = await reply_language(update, context)
    if not await is_chat_admin(update, context):
        await query.answer(t("set_not_admin", lang), show_alert=True)
        return
    prefs = services(context).preferences
    wanted = query.data.split("|", 1)[1]
    if wanted.startswith("#") and wanted[1:].isdigit():
        current = await prefs.mutes(chat.id)
        index = int(wanted[1:])
        wanted = current[index] if index < len(current) else ""
    result = await prefs.unmute(chat.id, wanted)
    done = result.status is FollowStatus.REMOVED
    note = t("unmute_done" if done else "unmute_unknown", lang, word=esc(result.shown))
    await query.answer()
    try:
        await query.edit_message_text(
            note + "\n\n" + mutes_text(result.follows, lang),
            parse_mode=ParseMode.HTML,
            reply_markup=mutes_keyboard(result.follows, lang),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
