"""Citizen commands: parse the update, call one service, reply."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType, ParseMode

from bot.domain.choices import Topics
from bot.handlers.callbacks import PagedKind, ResultPage, encode, fits
from bot.handlers.common import Context, is_chat_admin, reply_language
from bot.i18n import language_of, t
from bot.services.subscribe import ChatInfo, StartResult


async def start(update: Update, context: Context) -> None:
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None or message is None:
        return
    svc = context.services
    lang = language_of(user.language_code if user else None, context.config.default_language)
    payload = context.args[0] if context.args else None
    thread_id = message.message_thread_id if message.is_topic_message else None  # a forum's topic
    outcome = await svc.subscriptions.start(
        ChatInfo(chat.id, chat.type, chat.title, chat.username, thread_id),
        lang,
        user_id=user.id if user else None,
        is_admin=await is_chat_admin(update, context),
        payload=payload,
    )
    department = context.config.department_name
    if outcome.result is StartResult.NOT_ADMIN:
        text = t("group_admin_only", lang)
    elif outcome.changed:  # a deep link moved a subscribed chat to other topics: say what changed
        before = t(f"topics_name_{outcome.before}", lang)
        text = t(f"switched_to_{outcome.topics}", lang, department=department, before=before)
    elif thread_id is not None:
        text = t("welcome_topic", lang, department=department)
    elif chat.type != ChatType.PRIVATE:
        text = t("welcome_group", lang, department=department)
    elif outcome.topics == Topics.AWARDS and outcome.result is StartResult.SUBSCRIBED:
        text = t("welcome_awards", lang, department=department)
    elif outcome.result is StartResult.SUBSCRIBED:
        text = t("welcome", lang, department=department)
    elif outcome.topics == Topics.AWARDS:
        text = t("welcome_again_awards", lang, department=department)
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
    stopped = await context.services.subscriptions.stop(chat.id)
    await message.reply_text(t("stopped" if stopped else "not_subscribed", lang))


async def plain_text(update: Update, context: Context) -> None:
    """A message that is not a command, in a private chat: what the bot does, and a search of the words."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or chat.type != ChatType.PRIVATE or not message.text:
        return
    lang = await reply_language(update, context)
    words = " ".join(message.text.split())
    markup = None
    search = ResultPage(PagedKind.SEARCH, 0, words)
    if words and fits(search):
        button = InlineKeyboardButton(t("btn_search_text", lang, words=words), callback_data=encode(search))
        markup = InlineKeyboardMarkup([[button]])
    await message.reply_text(t("plain_text_reply", lang), parse_mode=ParseMode.HTML, reply_markup=markup)


async def unknown(update: Update, context: Context) -> None:
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None or chat.type != ChatType.PRIVATE:
        return  # in groups, other bots' commands are none of our business
    await message.reply_text(t("unknown_command", await reply_language(update, context)))
