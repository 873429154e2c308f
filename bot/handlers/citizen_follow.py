"""Keyword alerts: /follow <words>, /unfollow <words>, /following. Parse, call one service, reply."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.domain.render import esc
from bot.handlers.citizen_views import follows_keyboard, follows_text
from bot.handlers.common import Context, admin_chat, is_chat_admin, reply_language, services
from bot.i18n import t
from bot.services.preferences import MAX_FOLLOWS, FollowStatus


async def reply_follows(message: Message, words: Sequence[str], lang: str, note: str) -> None:
    """A note (what happened, or how to use the command) above the list of followed words."""
    await message.reply_text(
        note + "\n\n" + follows_text(words, lang),
        parse_mode=ParseMode.HTML,
        reply_markup=follows_keyboard(words, lang),
    )


async def follow(update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    prefs = services(context).preferences
    if not context.args:
        await reply_follows(message, await prefs.follows(chat.id), lang, t("follow_usage", lang))
        return
    result = await prefs.follow(chat.id, " ".join(context.args))
    if result.status is FollowStatus.NOT_SUBSCRIBED:
        await message.reply_text(t("not_subscribed", lang))
        return
    key = {
        FollowStatus.ADDED: "follow_added",
        FollowStatus.EXISTS: "follow_exists",
        FollowStatus.FULL: "follow_full",
    }.get(result.status, "follow_invalid")
    await reply_follows(message, result.follows, lang, t(key, lang, word=esc(result.shown), max=MAX_FOLLOWS))


async def unfollow(update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    prefs = services(context).preferences
    if not context.args:
        await reply_follows(message, await prefs.follows(chat.id), lang, t("unfollow_usage", lang))
        return
    result = await prefs.unfollow(chat.id, " ".join(context.args))
    key = "unfollow_done" if result.status is FollowStatus.REMOVED else "unfollow_unknown"
    await reply_follows(message, result.follows, lang, t(key, lang, word=esc(result.shown)))


async def following(update: Update, context: Context) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    lang = await reply_language(update, context)
    words = await services(context).preferences.follows(chat.id)
    note = t("following_hint", lang) if words else ""
    await message.reply_text(
        follows_text(words, lang) + (f"\n\n<i>{note}</i>" if note else ""),
        parse_mode=ParseMode.HTML,
        reply_markup=follows_keyboard(words, lang),
    )


async def unfollow_button(update: Update, context: Context) -> None:
    """A ❌ under the list: stop that alert, and show the list as it is now, in place."""
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
        current = await prefs.follows(chat.id)
        index = int(wanted[1:])
        wanted = current[index] if index < len(current) else ""
    result = await prefs.unfollow(chat.id, wanted)
    done = result.status is FollowStatus.REMOVED
    note = t("unfollow_done" if done else "unfollow_unknown", lang, word=esc(result.shown))
    await query.answer()
    try:
        await query.edit_message_text(
            note + "\n\n" + follows_text(result.follows, lang),
            parse_mode=ParseMode.HTML,
            reply_markup=follows_keyboard(result.follows, lang),
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
