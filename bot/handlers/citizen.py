"""Citizen commands: parse the update, call one service, reply."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ParseMode

from bot.handlers.common import Context, is_chat_admin, reply_language, services
from bot.i18n import language_of, t
from bot.services.subscribe import ChatInfo, StartResult


async def start(update: Update, context: Context) -> None:
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or message is None:
        return
    svc = services(context)
    lang = language_of(user.language_code if user else None, svc.settings.default_language)
    payload = context.args[0] if context.args else None
    result = await svc.subscriptions.start(
        ChatInfo(chat.id, chat.type, chat.title, chat.username),
        lang,
        user_id=user.id if user else None,
        is_admin=await is_chat_admin(update, context),
        payload=payload,
    )
    department = svc.settings.department_name
    if result is StartResult.NOT_ADMIN:
        text = t("group_admin_only", lang)
    elif chat.type != "private":
        text = t("welcome_group", lang, department=department)
    elif payload and payload.lower() in ("khenthuong", "awards"):
        text = t("welcome_awards", lang, department=department)
    elif result is StartResult.SUBSCRIBED:
        text = t("welcome", lang, department=department)
    else:
        text = t("welcome_again", lang, department=department)
    await message.reply_text(text, parse_mode=ParseMode.HTML)


async def stop(update: Update, context: Context) -> None:
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return
    lang = await reply_language(update, context)
    if not await is_chat_admin(update, context):
        await message.reply_text(t("group_admin_only", lang))
        return
    stopped = await services(context).subscriptions.stop(chat.id)
    await message.reply_text(t("stopped" if stopped else "not_subscribed", lang))


async def help_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    await message.reply_text(t("help", lang), parse_mode=ParseMode.HTML)


async def unknown(update: Update, context: Context) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or chat.type != "private":
        return  # in groups, other bots' commands are none of our business
    await message.reply_text(t("unknown_command", await reply_language(update, context)))
