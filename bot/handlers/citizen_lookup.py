"""/latest, /awards, /search and /khenthuong (paged with Prev/Next, edited in place): parse, call one
service, reply."""

from __future__ import annotations

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.handlers.citizen_views import (
    article_list,
    award_search_keyboard,
    award_search_text,
    search_keyboard,
    search_text,
)
from bot.handlers.common import Context, reply_language, services
from bot.i18n import t

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def latest(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = services(context)
    items = await svc.lookup.latest()
    text = article_list(items, lang, svc.settings.zone, "latest_heading")
    await message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def awards(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = services(context)
    items = await svc.lookup.awards()
    text = article_list(items, lang, svc.settings.zone, "awards_heading") if items else t("awards_none", lang)
    await message.reply_text(text, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)


async def search(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = services(context)
    page = await svc.lookup.search(" ".join(context.args or []))
    if not page.query:
        await message.reply_text(t("search_usage", lang), parse_mode=ParseMode.HTML)
        return
    await message.reply_text(
        search_text(page, lang, svc.settings.zone),
        parse_mode=ParseMode.HTML,
        reply_markup=search_keyboard(page, lang),
        link_preview_options=NO_PREVIEW,
    )


async def search_page(update: Update, context: Context) -> None:
    """Prev/Next under a search result: `q|<page>|<query>`."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, number, words = [*query.data.split("|", 2), "", ""][:3]
    lang = await reply_language(update, context)
    svc = services(context)
    page = await svc.lookup.search(words, int(number) if number.isdigit() else 0)
    await query.answer(t("search_page", lang, page=page.page + 1, pages=page.pages))
    try:
        await query.edit_message_text(
            search_text(page, lang, svc.settings.zone),
            parse_mode=ParseMode.HTML,
            reply_markup=search_keyboard(page, lang),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def award_search(update: Update, context: Context) -> None:
    """/khenthuong <name or organisation>: who received which award, from whom, when."""
    message = update.effective_message
    if message is None:
        return
    lang = await reply_language(update, context)
    svc = services(context)
    page = await svc.lookup.award_search(" ".join(context.args or []))
    if not page.query:
        await message.reply_text(t("kt_usage", lang), parse_mode=ParseMode.HTML)
        return
    await message.reply_text(
        award_search_text(page, lang, svc.settings.zone),
        parse_mode=ParseMode.HTML,
        reply_markup=award_search_keyboard(page, lang),
        link_preview_options=NO_PREVIEW,
    )


async def award_search_page(update: Update, context: Context) -> None:
    """Prev/Next under an award search: `kt|<page>|<query>`."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    _, number, words = [*query.data.split("|", 2), "", ""][:3]
    lang = await reply_language(update, context)
    svc = services(context)
    page = await svc.lookup.award_search(words, int(number) if number.isdigit() else 0)
    await query.answer(t("search_page", lang, page=page.page + 1, pages=page.pages))
    try:
        await query.edit_message_text(
            award_search_text(page, lang, svc.settings.zone),
            parse_mode=ParseMode.HTML,
            reply_markup=award_search_keyboard(page, lang),
            link_preview_options=NO_PREVIEW,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
