"""The bot's own membership in a chat changed: blocked, unblocked, kicked, added, migrated."""

from __future__ import annotations

from telegram import ChatMember, Update

from bot.handlers.context import Context

GONE = {ChatMember.BANNED, ChatMember.LEFT}


async def my_chat_member(update: Update, context: Context) -> None:
    change = update.my_chat_member
    if change is None:
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    if new in GONE and old not in GONE:
        # blocked by a user, or removed from a group or channel: keep the row, never message it again
        await context.services.subscriptions.reachable(change.chat.id, False)


async def migrated(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    await context.services.subscriptions.migrated(message.chat.id, message.migrate_to_chat_id)
