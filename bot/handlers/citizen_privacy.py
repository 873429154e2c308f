"""/mydata (what is stored about this chat) and /deletedata (erase it, after confirmation)."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType, ParseMode

from bot.handlers.callbacks import DeleteData
from bot.handlers.citizen_views import delete_keyboard, my_data_text
from bot.handlers.common import Context, admin_chat, is_chat_admin, reply_language
from bot.i18n import t


async def my_data(update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    chat, message, lang = prepared
    svc = context.services
    data = await svc.preferences.my_data(chat.id)
    await message.reply_text(my_data_text(data, lang, context.config.zone), parse_mode=ParseMode.HTML)


async def delete_data(update: Update, context: Context) -> None:
    prepared = await admin_chat(update, context)
    if prepared is None:
        return
    _chat, message, lang = prepared
    await message.reply_text(
        t("delete_confirm", lang), parse_mode=ParseMode.HTML, reply_markup=delete_keyboard(lang)
    )


async def delete_button(update: Update, context: Context, press: DeleteData) -> None:
    """Yes erases the chat's data; no keeps it."""
    query, chat, user = update.callback_query, update.effective_chat, update.effective_user
    if query is None or chat is None:
        return
    lang = await reply_language(update, context)
    if not await is_chat_admin(update, context):
        await query.answer(t("set_not_admin", lang), show_alert=True)
        return
    if not press.confirmed:
        await query.answer()
        await query.edit_message_text(t("delete_cancelled", lang))
        return
    user_id = user.id if user is not None and chat.type == ChatType.PRIVATE else None
    erased = await context.services.preferences.delete_data(chat.id, user_id)
    await query.answer(t("delete_done_short", lang))
    await query.edit_message_text(t("delete_done" if erased else "mydata_nothing", lang))
