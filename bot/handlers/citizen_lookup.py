"""/latest, /awards, /search and /khenthuong (paged with Prev/Next, edited in place): parse, call one
service, reply."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.handlers.callbacks import ResultPage
from bot.handlers.citizen_views import (
    article_list,
    award_search_keyboard,
    award_search_text,
    search_keyboard,
    search_text,
)
from bot.handlers.common import Context, reply_language
from bot.i18n import t
from bot.services.lookup import LookupService, Paged

P = TypeVar("P", bound=Paged[Any])
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def latest(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = context.services
    items = await svc.lookup.latest()
    text = article_list(items, lang, context.config.zone, "latest_heading")
    await message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def awards(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = context.services
    items = await svc.lookup.awards()
    text = (
        article_list(items, lang, context.config.zone, "awards_heading") if items else t("awards_none", lang)
    )
    await message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def _reply_page(
    update: Update,
    context: Context,
    fetch: Callable[[LookupService, str, int], Awaitable[P]],
    show: tuple[Callable[[P, str, ZoneInfo], str], Callable[[P, str], InlineKeyboardMarkup | None]],
    usage: str,
) -> None:
    """The first page of a paged search, or how to use it when no words were given."""
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = context.services
    page = await fetch(svc.lookup, " ".join(context.args or []), 0)
    if not page.query:
        await message.reply_text(t(usage, lang), parse_mode=ParseMode.HTML)
        return
    text, keyboard = show
    await message.reply_text(
        text(page, lang, context.config.zone),
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(page, lang),
        link_preview_options=NO_PREVIEW,
    )


async def _turn_page(
    update: Update,
    context: Context,
    fetch: Callable[[LookupService, str, int], Awaitable[P]],
    show: tuple[Callable[[P, str, ZoneInfo], str], Callable[[P, str], InlineKeyboardMarkup | None]],
    press: ResultPage,
) -> None:
    """Prev/Next under a paged result: that page, edited in place."""
    query = update.callback_query
    if query is None:
        return
    lang = await reply_language(update, context)
    svc = context.services
    page = await fetch(svc.lookup, press.words, press.page)
    await query.answer(t("search_page", lang, page=page.page + 1, pages=page.pages))
    text, keyboard = show
    try:
        await query.edit_message_text(
            text(page, lang, context.config.zone),
            parse_mode=ParseMode.HTML,
            reply_markup=keyboard(page, lang),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


SEARCH = (search_text, search_keyboard)
AWARD_SEARCH = (award_search_text, award_search_keyboard)


async def search(update: Update, context: Context) -> None:
    await _reply_page(update, context, LookupService.search, SEARCH, "search_usage")


async def search_page(update: Update, context: Context, press: ResultPage) -> None:
    """Prev/Next under a search result (and the search button under a plain message)."""
    await _turn_page(update, context, LookupService.search, SEARCH, press)


async def award_search(update: Update, context: Context) -> None:
    """/khenthuong <name or organisation>: who received which award, from whom, when."""
    await _reply_page(update, context, LookupService.award_search, AWARD_SEARCH, "kt_usage")


async def award_search_page(update: Update, context: Context, press: ResultPage) -> None:
    """Prev/Next under an award search."""
    await _turn_page(update, context, LookupService.award_search, AWARD_SEARCH, press)
