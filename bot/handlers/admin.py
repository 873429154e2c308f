"""Admin console commands: parse the update, call one service, reply.

Only the user ids in ADMIN_IDS may use them, and only in a private chat with the bot; everyone else
gets a polite refusal and nothing happens.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, MessageEntity, Update
from telegram.constants import ChatType, ParseMode

from bot.domain.progress import strip_command
from bot.domain.render import CAPTION_LIMIT, TEXT_LIMIT, telegram_length
from bot.domain.statuses import Audience
from bot.handlers.callbacks import (
    ArticleAction,
    ArticleKind,
    ArticleOp,
    BroadcastAction,
    BroadcastAudience,
    BroadcastOp,
    encode,
)
from bot.handlers.common import Context, reply_language
from bot.i18n import t
from bot.store.records import ArticleRecord, BroadcastRecord

AdminHandler = Callable[[Update, Context, Message, int, str], Awaitable[None]]


def is_admin(context: Context, user_id: int | None) -> bool:
    return user_id is not None and user_id in context.config.admin_ids


def admin_command(func: AdminHandler) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """Refuse non-admins and group chats before anything else happens."""

    @functools.wraps(func)
    async def wrapper(update: Update, context: Context) -> None:
        chat, user, message = update.effective_chat, update.effective_user, update.effective_message
        if chat is None or message is None:
            return
        lang = await reply_language(update, context)
        if user is None or not is_admin(context, user.id):
            await message.reply_text(t("admin_only", lang))
            return
        if chat.type != ChatType.PRIVATE:
            await message.reply_text(t("admin_private_only", lang))
            return
        await func(update, context, message, user.id, lang)

    return wrapper


# ---- broadcasts ------------------------------------------------------------------------------


def _entities(entities: tuple[MessageEntity, ...]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in entities]


def broadcast_keyboard(cast: BroadcastRecord, sizes: dict[str, int], lang: str) -> InlineKeyboardMarkup:
    def audience(name: Audience) -> InlineKeyboardButton:
        label = t(f"admin_audience_{name.value}", lang, n=sizes.get(name.value, 0))
        mark = "🔘 " if cast.audience == name else ""
        return InlineKeyboardButton(mark + label, callback_data=encode(BroadcastAudience(cast.id, name)))

    def action(key: str, op: BroadcastOp) -> InlineKeyboardButton:
        return InlineKeyboardButton(t(key, lang), callback_data=encode(BroadcastAction(op, cast.id)))

    return InlineKeyboardMarkup(
        [
            [
                action("admin_btn_send", BroadcastOp.SEND),
                action("admin_btn_cancel", BroadcastOp.CANCEL),
            ],
            [audience(Audience.ALL), audience(Audience.AWARDS)],
            [audience(Audience.VI), audience(Audience.EN)],
            *([[audience(Audience.TELEGRAM), audience(Audience.ZALO)]] if sizes.get(Audience.ZALO) else []),
        ]
    )


@admin_command
async def broadcast(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/broadcast <text> (formatting kept), or in reply to a photo (its caption, or the text given)."""
    text, entities = strip_command(message.text or "", _entities(message.entities))
    photo: str | None = None
    replied = message.reply_to_message
    if replied is not None and replied.photo:
        photo = replied.photo[-1].file_id
        if not text.strip():
            text, entities = replied.caption or "", _entities(replied.caption_entities)
    elif replied is not None and not text.strip() and replied.text:
        text, entities = replied.text, _entities(replied.entities)
    if not text.strip() and photo is None:
        await message.reply_text(t("admin_broadcast_usage", lang), parse_mode=ParseMode.HTML)
        return
    limit = CAPTION_LIMIT if photo is not None else TEXT_LIMIT
    if telegram_length(text) > limit:  # Telegram would refuse it: say so, keep nothing half-made
        await message.reply_text(
            t("admin_broadcast_too_long", lang, length=telegram_length(text), limit=limit)
        )
        return
    svc = context.services
    cast = await svc.broadcasts.draft(admin_id, message.chat_id, text, entities, photo)
    markup = broadcast_keyboard(cast, await svc.broadcasts.audience_sizes(), lang)
    formatted = [MessageEntity.de_json(e, context.bot) for e in entities]
    if photo is not None:  # the exact message subscribers will get, with the controls on it
        await context.bot.send_photo(
            message.chat_id, photo, caption=text, caption_entities=formatted, reply_markup=markup
        )
    else:
        await context.bot.send_message(message.chat_id, text, entities=formatted, reply_markup=markup)


async def broadcast_button(
    update: Update, context: Context, press: BroadcastAudience | BroadcastAction
) -> None:
    """The preview's buttons: audience, ✅ send, ❌ cancel; and the choice under /cancel_broadcast."""
    query = update.callback_query
    if query is None:
        return
    lang = await reply_language(update, context)
    if not is_admin(context, query.from_user.id):
        await query.answer(t("admin_only", lang), show_alert=True)
        return
    svc = context.services
    match press:
        case BroadcastAudience(cast_id, audience):
            if not await svc.broadcasts.choose_audience(cast_id, audience.value):
                await query.answer(t("admin_broadcast_not_draft", lang), show_alert=True)
                return
            cast = await svc.broadcasts.get(cast_id)
            assert cast is not None
            await query.answer()
            await query.edit_message_reply_markup(
                broadcast_keyboard(cast, await svc.broadcasts.audience_sizes(), lang)
            )
        case BroadcastAction(BroadcastOp.SEND, cast_id):
            total = await svc.broadcasts.send(cast_id, query.from_user.id)
            if total is None:
                await query.answer(t("admin_broadcast_not_draft", lang), show_alert=True)
                return
            await query.answer(t("admin_broadcast_started", lang, total=total))
            await query.edit_message_reply_markup(None)
            await svc.broadcasts.update_progress()  # the progress message, at once
        case BroadcastAction(BroadcastOp.STOP, cast_id):  # chosen under /cancel_broadcast
            await query.answer()
            await query.edit_message_text(await _cancel(context, query.from_user.id, cast_id, lang))
        case BroadcastAction(BroadcastOp.CANCEL, cast_id):
            result = await svc.broadcasts.cancel(query.from_user.id, cast_id)
            if result is None:
                await query.answer(t("admin_broadcast_not_draft", lang), show_alert=True)
                return
            await query.answer()
            await query.edit_message_reply_markup(None)
            if query.message is not None:
                await context.bot.send_message(
                    query.message.chat.id, t("admin_broadcast_discarded", lang, id=cast_id)
                )


@admin_command
async def cancel_broadcast(
    update: Update, context: Context, message: Message, admin_id: int, lang: str
) -> None:
    """/cancel_broadcast [id]: with an id, stop it; without, ask which (the drafts and those being sent)."""
    arg = context.args[0] if context.args else None
    wanted = int(arg.lstrip("#")) if arg and arg.lstrip("#").isdigit() else None
    svc = context.services.broadcasts
    if wanted is None:
        casts = await svc.open_broadcasts()
        if not casts:
            await message.reply_text(t("admin_cancel_nothing", lang))
            return
        rows = [
            [
                InlineKeyboardButton(
                    t(f"admin_cancel_pick_{c.status}", lang, id=c.id, text=_short(c.text or "", 36)),
                    callback_data=encode(BroadcastAction(BroadcastOp.STOP, c.id)),
                )
            ]
            for c in casts
        ]
        await message.reply_text(t("admin_cancel_which", lang), reply_markup=InlineKeyboardMarkup(rows))
        return
    await message.reply_text(await _cancel(context, admin_id, wanted, lang))


async def _cancel(context: Context, admin_id: int, broadcast_id: int, lang: str) -> str:
    result = await context.services.broadcasts.cancel(admin_id, broadcast_id)
    if result is None:
        return t("admin_cancel_nothing", lang)
    if result.was_draft:
        return t("admin_broadcast_discarded", lang, id=result.broadcast_id)
    return t("admin_cancel_done", lang, id=result.broadcast_id, stopped=result.stopped)


# ---- statistics, feeds -----------------------------------------------------------------------


@admin_command
async def stats(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    report = await context.services.admin.stats(admin_id, lang)
    if report.png is None:
        await message.reply_text(report.caption, parse_mode=ParseMode.HTML)
        return
    await message.reply_photo(
        InputFile(report.png, filename="stats.png"), caption=report.caption, parse_mode=ParseMode.HTML
    )


@admin_command
async def poll(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    await message.reply_text(
        await context.services.admin.poll(admin_id, lang),
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
    )


# ---- corrections -----------------------------------------------------------------------------


ARTICLE_ACTIONS = {ArticleKind.RETRACT: "retract", ArticleKind.RESEND: "resend"}
_IN_HAND: set[int] = set()  # articles being withdrawn or corrected by this process right now


def _short(text: str, limit: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _confirm_keyboard(kind: ArticleKind, article_id: int, lang: str) -> InlineKeyboardMarkup:
    yes = encode(ArticleAction(ArticleOp.DO, kind, article_id))
    no = encode(ArticleAction(ArticleOp.NO, kind, article_id))
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t(f"admin_btn_{ARTICLE_ACTIONS[kind]}", lang), callback_data=yes),
                InlineKeyboardButton(t("admin_btn_cancel", lang), callback_data=no),
            ]
        ]
    )


def _confirm_text(kind: ArticleKind, article: ArticleRecord, lang: str) -> str:
    title = html.escape(article.title.strip(), quote=False)
    link = html.escape(article.link, quote=True)
    return t(f"admin_confirm_{ARTICLE_ACTIONS[kind]}", lang, title=title, link=link)


async def _article_command(message: Message, context: Context, lang: str, kind: ArticleKind) -> None:
    """/retract or /resend: with an article (site number or link) ask to confirm; without, offer the
    recent articles as buttons."""
    svc = context.services.admin
    command = ARTICLE_ACTIONS[kind]
    if context.args:
        article = await svc.find_article(context.args[0])
        if article is None:
            await message.reply_text(
                t("admin_article_not_found", lang, command=command), parse_mode=ParseMode.HTML
            )
            return
        await message.reply_text(
            _confirm_text(kind, article, lang),
            parse_mode=ParseMode.HTML,
            reply_markup=_confirm_keyboard(kind, article.id, lang),
            disable_web_page_preview=True,
        )
        return
    recent = await svc.recent_articles(retracted=kind is ArticleKind.RESEND)
    if not recent:
        await message.reply_text(t("admin_article_none", lang))
        return
    zone = context.config.zone
    rows = [
        [
            InlineKeyboardButton(
                f"{a.published_at.astimezone(zone):%d/%m} · {_short(a.title)}"
                if a.published_at
                else _short(a.title),
                callback_data=encode(ArticleAction(ArticleOp.PICK, kind, a.id)),
            )
        ]
        for a in recent
    ]
    await message.reply_text(
        t(f"admin_pick_{command}", lang, command=command),
        parse_mode=ParseMode.HTML,
        reply_markup=InlineKeyboardMarkup(rows),
    )


@admin_command
async def retract(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    await _article_command(message, context, lang, ArticleKind.RETRACT)


@admin_command
async def resend(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    await _article_command(message, context, lang, ArticleKind.RESEND)


async def article_button(update: Update, context: Context, press: ArticleAction) -> None:
    """An article chosen from the list, confirmed, or not."""
    query = update.callback_query
    if query is None:
        return
    lang = await reply_language(update, context)
    if not is_admin(context, query.from_user.id):
        await query.answer(t("admin_only", lang), show_alert=True)
        return
    op, kind, article_id = press.op, press.kind, press.article_id
    svc = context.services.admin
    article = await svc.article(article_id)
    if article is None:
        await query.answer(t("admin_article_not_found", lang, command=ARTICLE_ACTIONS[kind]), show_alert=True)
        return
    await query.answer()
    if op is ArticleOp.PICK:
        await query.edit_message_text(
            _confirm_text(kind, article, lang),
            parse_mode=ParseMode.HTML,
            reply_markup=_confirm_keyboard(kind, article.id, lang),
            disable_web_page_preview=True,
        )
        return
    if op is ArticleOp.NO:
        await query.edit_message_text(t("admin_article_kept", lang))
        return
    if article_id in _IN_HAND:  # a second tap while the first is at work does nothing
        return
    _IN_HAND.add(article_id)
    try:
        await query.edit_message_reply_markup(None)  # confirmed once: the buttons go
        title = html.escape(article.title.strip(), quote=False)
        if kind is ArticleKind.RETRACT:
            done = await svc.retract(query.from_user.id, article_id)
            text = t("admin_retracted", lang, title=title, edited=done.count, failed=done.failed)
        else:
            done = await svc.resend(query.from_user.id, article_id)
            text = t("admin_resent", lang, title=title, edited=done.edited, queued=done.count)
    finally:
        _IN_HAND.discard(article_id)
    if query.message is not None:
        await context.bot.send_message(query.message.chat.id, text, parse_mode=ParseMode.HTML)


# ---- export, audit ---------------------------------------------------------------------------


@admin_command
async def export(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    result = await context.services.admin.export(admin_id)
    await message.reply_document(
        InputFile(result.data, filename=result.filename),
        caption=t("admin_export_caption", lang, n=result.rows),
    )


@admin_command
async def audit(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    await message.reply_text(await context.services.admin.audit(lang, context.bot), parse_mode=ParseMode.HTML)
