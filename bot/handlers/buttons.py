"""Every inline button press comes here: decoded by the codec (bot.handlers.callbacks) and handed, typed,
to the handler of its kind. A press the codec does not recognise (an old, forged or broken button) gets
a short "this button no longer works" answer, never silence."""

from __future__ import annotations

from typing import assert_never

from telegram import Update

from bot.handlers import (
    admin,
    admin_tools,
    citizen_follow,
    citizen_lookup,
    citizen_mute,
    citizen_privacy,
    citizen_settings,
)
from bot.handlers.callbacks import (
    ArticleAction,
    BroadcastAction,
    BroadcastAudience,
    DeleteData,
    FeedAction,
    FeedDraft,
    ListKind,
    PagedKind,
    RemoveWord,
    ResultPage,
    SettingsChosen,
    SettingsClose,
    SettingsMenu,
    decode,
)
from bot.handlers.common import reply_language
from bot.handlers.context import Context
from bot.i18n import t


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    press = decode(query.data)
    match press:
        case None:
            await query.answer(t("button_expired", await reply_language(update, context)), show_alert=True)
        case SettingsMenu() | SettingsChosen() | SettingsClose():
            await citizen_settings.settings_button(update, context, press)
        case ResultPage():
            paged = (
                citizen_lookup.search_page
                if press.kind is PagedKind.SEARCH
                else citizen_lookup.award_search_page
            )
            await paged(update, context, press)
        case RemoveWord():
            listed = (
                citizen_follow.unfollow_button
                if press.kind is ListKind.FOLLOWS
                else citizen_mute.unmute_button
            )
            await listed(update, context, press)
        case DeleteData():
            await citizen_privacy.delete_button(update, context, press)
        case BroadcastAudience() | BroadcastAction():
            await admin.broadcast_button(update, context, press)
        case ArticleAction():
            await admin.article_button(update, context, press)
        case FeedDraft() | FeedAction():
            await admin_tools.feed_button(update, context, press)
        case _:
            assert_never(press)
