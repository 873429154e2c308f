"""/settings (inline keyboards, edited in place) and /subscribe @channel: parse, call one service, reply.

A group's settings belong to its administrators. A channel is subscribed and configured from a private chat
by one of its administrators (`/subscribe @channel`, `/settings @channel`); the bot must be able to post.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from typing import Any

from telegram import ChatMemberAdministrator, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, TelegramError

from bot.domain.choices import SettingsPage, page_of
from bot.handlers.callbacks import SettingsChosen, SettingsClose, SettingsMenu, SettingsPress
from bot.handlers.citizen_views import settings_keyboard, settings_text
from bot.handlers.common import Context, is_chat_admin, reply_language
from bot.i18n import t
from bot.services.preferences import ChannelResult
from bot.services.subscribe import ChatInfo

log = logging.getLogger(__name__)

ADMINS = (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def channel_rights(context: Context, ref: str, user_id: int) -> tuple[ChatInfo | None, bool, bool]:
    """(the channel, is the user one of its administrators, can the bot post there)."""
    try:
        chat = await context.bot.get_chat(int(ref) if ref.lstrip("-").isdigit() else "@" + ref.lstrip("@"))
    except TelegramError:
        return None, False, False
    info = ChatInfo(chat.id, chat.type, chat.title, chat.username)
    try:
        user = await context.bot.get_chat_member(chat.id, user_id)
        me = await context.bot.get_chat_member(chat.id, context.bot.id)
    except TelegramError:
        return info, False, False
    can_post = me.status == ChatMemberStatus.OWNER or (
        isinstance(me, ChatMemberAdministrator) and bool(me.can_post_messages)
    )
    return info, user.status in ADMINS, can_post


async def subscribe_channel(update: Update, context: Context) -> None:
    """/subscribe @channel (private chat only)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or user is None or message is None:
        return
    lang = await reply_language(update, context)
    if chat.type != ChatType.PRIVATE or not context.args:
        await message.reply_text(t("channel_usage", lang), parse_mode=ParseMode.HTML)
        return
    ref = context.args[0]
    channel, is_admin, can_post = await channel_rights(context, ref, user.id)
    if channel is None:
        await message.reply_text(t("channel_not_found", lang))
        return
    result = await context.services.preferences.subscribe_channel(
        channel, lang, user_id=user.id, user_is_admin=is_admin, bot_can_post=can_post
    )
    await message.reply_text(t(f"channel_{result.value}", lang, name=channel.title or ref))


async def settings_command(update: Update, context: Context) -> None:
    """/settings in this chat, or /settings @channel from a private chat."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or message is None:
        return
    lang = await reply_language(update, context)
    target_id, target = chat.id, ""
    if context.args and chat.type == ChatType.PRIVATE and user is not None:
        channel, is_admin, _ = await channel_rights(context, context.args[0], user.id)
        if channel is None or channel.type != ChatType.CHANNEL or not is_admin:
            await message.reply_text(
                t("channel_" + ChannelResult.USER_NOT_ADMIN.value, lang, name=context.args[0])
            )
            return
        target_id, target = channel.id, str(channel.id)
    elif not await is_chat_admin(update, context):
        await message.reply_text(t("set_not_admin", lang))
        return
    view = await context.services.preferences.view(target_id)
    if view is None or not view.chat.subscribed:
        await message.reply_text(t("not_subscribed", lang))
        return
    if not target:
        lang = view.chat.language
    await message.reply_text(
        settings_text(view, lang, SettingsPage.MAIN),
        parse_mode=ParseMode.HTML,
        reply_markup=settings_keyboard(view, lang, SettingsPage.MAIN, target),
    )


async def settings_button(update: Update, context: Context, press: SettingsPress) -> None:
    """A press in the settings menu: store the choice, confirm it, edit the menu in place."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if query is None or chat is None or user is None:
        return
    target = press.target
    lang = await reply_language(update, context)
    if target:
        channel, is_admin, _ = await channel_rights(context, target, user.id)
        allowed = chat.type == ChatType.PRIVATE and channel is not None and is_admin
        target_id = int(target)
    else:
        allowed = await is_chat_admin(update, context)
        target_id = chat.id
    if not allowed:
        await query.answer(t("set_not_admin", lang), show_alert=True)
        return
    prefs = context.services.preferences
    confirm: str | None = None
    match press:
        case SettingsClose():
            await query.answer()
            await _edit(query.edit_message_text(t("set_closed", lang)))
            return
        case SettingsMenu(_, page):
            view = await prefs.view(target_id)
        case SettingsChosen(_, choice):
            chosen = await prefs.choose(target_id, choice)
            view, page = chosen.view, page_of(choice)
            if view is not None and not target:
                lang = view.chat.language
            values = dict(chosen.values)
            if "day" in values:  # a weekday by name
                values["day"] = t(f"weekday_{values['day']}", lang)
            confirm = t(chosen.confirm, lang, **values) if chosen.confirm else None
    if view is None:
        await query.answer(t("not_subscribed", lang), show_alert=True)
        return
    await query.answer(confirm or None)
    await _edit(
        query.edit_message_text(
            settings_text(view, lang, page, confirm),
            parse_mode=ParseMode.HTML,
            reply_markup=settings_keyboard(view, lang, page, target),
        )
    )


async def _edit(call: Awaitable[Any]) -> None:
    """An edit whose content did not change is not an error (a second press on the same button)."""
    try:
        await call
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
