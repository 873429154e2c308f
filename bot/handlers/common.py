"""What every handler needs: the services, the reply language, and whether the sender is an admin."""

from __future__ import annotations

from telegram import Chat, Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.handlers.context import Context
from bot.i18n import language_of, t

__all__ = ["Context", "admin_chat", "is_chat_admin", "reply_language"]


async def reply_language(update: Update, context: Context) -> str:
    """The chat's stored language, else the user's Telegram language (English or Vietnamese)."""
    user = update.effective_user
    fallback = language_of(user.language_code if user else None, context.config.default_language)
    chat = update.effective_chat
    if chat is None:
        return fallback
    return await context.services.subscriptions.language(chat.id, fallback)


async def is_chat_admin(update: Update, context: Context) -> bool:
    """True in a private chat; in a group, for its administrators (anonymous ones included)."""
    chat, user, message = update.effective_chat, update.effective_user, update.effective_message
    if chat is None:
        return False
    if chat.type == ChatType.PRIVATE:
        return True
    if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator posts as the group itself
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)


async def admin_chat(update: Update, context: Context) -> tuple[Chat, Message, str] | None:
    """The prelude of a command that changes a chat: its chat, message and reply language, or None
    (after a polite refusal) when the sender may not change this chat (a group's non-administrator)."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return None
    lang = await reply_language(update, context)
    if not await is_chat_admin(update, context):
        await message.reply_text(t("set_not_admin", lang))
        return None
    return chat, message, lang
