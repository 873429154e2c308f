"""Admin tools: /qr posters of the deep links; feeds managed from the chat (/addfeed, /removefeed, /feeds
with buttons, OPML in and out). Parse the update, call one service, reply."""

from __future__ import annotations

import html

from telegram import ForceReply, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.constants import ParseMode

from bot.domain.opml import MAX_BYTES as OPML_MAX_BYTES
from bot.handlers.admin import _short, admin_command, is_admin
from bot.handlers.callbacks import FeedAction, FeedDraft, FeedOp, encode
from bot.handlers.citizen import plain_text
from bot.handlers.common import Context, reply_language
from bot.i18n import t
from bot.services.feed_admin import INTERVALS
from bot.services.qr import QR_TOPICS
from bot.store.records import Added, FeedEntry


@admin_command
async def qr(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/qr [topic]: a print-ready PNG of the deep link's QR code, the department's name in the caption."""
    topic = context.args[0] if context.args else None
    svc = context.services
    code = await svc.qr.make(admin_id, context.bot.username, topic)
    if code is None:
        topics = ", ".join(f"<code>{name}</code>" for name in QR_TOPICS)
        await message.reply_text(t("admin_qr_usage", lang, topics=topics), parse_mode=ParseMode.HTML)
        return
    what = t(f"admin_qr_topic_{code.topic}" if code.topic in QR_TOPICS else "admin_qr_topic_none", lang)
    caption = t(
        "admin_qr_caption",
        lang,
        department=html.escape(context.config.department_name, quote=False),
        link=html.escape(code.link, quote=False),
        what=what,
        cm=f"{code.width_cm:g}",
        px=code.width_px,
    )
    name = f"qr-{code.topic or 'bot'}.png"
    await message.reply_document(  # a document, not a photo: Telegram would recompress a photo
        InputFile(code.png, filename=name), caption=caption, parse_mode=ParseMode.HTML
    )


# ---- feeds managed from the chat -------------------------------------------------------------


def interval_words(seconds: int, lang: str) -> str:
    if seconds % 3600 == 0:
        return t("admin_interval_hours", lang, n=seconds // 3600)
    return t("admin_interval_minutes", lang, n=max(1, seconds // 60))


def _feed_label(feed: FeedEntry) -> str:
    return feed.name or feed.title or feed.url


def feeds_keyboard(entries: list[FeedEntry]) -> InlineKeyboardMarkup:
    rows = []
    for f in entries:
        toggle = (
            InlineKeyboardButton(f"▶️ #{f.id}", callback_data=encode(FeedAction(FeedOp.RESUME, f.id)))
            if f.paused
            else InlineKeyboardButton(f"⏸ #{f.id}", callback_data=encode(FeedAction(FeedOp.PAUSE, f.id)))
        )
        rows.append(
            [
                toggle,
                InlineKeyboardButton(f"✏️ #{f.id}", callback_data=encode(FeedAction(FeedOp.RENAME, f.id))),
                InlineKeyboardButton(f"⏱ #{f.id}", callback_data=encode(FeedAction(FeedOp.INTERVAL, f.id))),
                InlineKeyboardButton(f"🗑 #{f.id}", callback_data=encode(FeedAction(FeedOp.REMOVE, f.id))),
            ]
        )
    return InlineKeyboardMarkup(rows)


@admin_command
async def feeds(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/feeds: each feed's health, where it comes from, and buttons to manage it."""
    svc = context.services
    text = await svc.admin.feeds(admin_id, lang)
    entries = await svc.feed_admin.feeds()
    if entries:
        text += "\n\n" + t("admin_feeds_buttons", lang)
    await message.reply_text(
        text,
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=feeds_keyboard(entries) if entries else None,
    )


@admin_command
async def addfeed(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/addfeed URL: read once, shown (title, the latest three items) with ✅ / ❌; nothing saved yet."""
    if not context.args:
        await message.reply_text(t("admin_addfeed_usage", lang), parse_mode=ParseMode.HTML)
        return
    url = context.args[0]
    check = await context.services.feed_admin.check(admin_id, url)
    shown = html.escape(url, quote=False)
    if check.present:
        await message.reply_text(t("admin_addfeed_present", lang))
    elif check.error == "url":
        await message.reply_text(t("admin_addfeed_bad_url", lang))
    elif not check.ok:
        reason = t("admin_addfeed_empty", lang) if check.error == "empty" else check.error
        await message.reply_text(
            t("admin_addfeed_broken", lang, url=shown, reason=html.escape(_short(reason, 160), quote=False)),
            parse_mode=ParseMode.HTML,
            disable_web_page_preview=True,
        )
    else:
        zone = context.config.zone
        items = "\n".join(
            f"• {html.escape(_short(i.title, 90), quote=False)}"
            + (f" ({i.published.astimezone(zone):%d/%m/%Y})" if i.published else "")
            for i in check.items
        )
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        t("admin_btn_addfeed", lang), callback_data=encode(FeedDraft(True, check.token))
                    ),
                    InlineKeyboardButton(
                        t("admin_btn_cancel", lang), callback_data=encode(FeedDraft(False, check.token))
                    ),
                ]
            ]
        )
        await message.reply_text(
            t(
                "admin_addfeed_preview",
                lang,
                title=html.escape(check.title, quote=False),
                url=shown,
                items=items,
            ),
            parse_mode=ParseMode.HTML,
            disable_web_page_preview=True,
            reply_markup=markup,
        )


@admin_command
async def removefeed(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/removefeed [#id]: asks to confirm; without an id, the feeds as buttons."""
    entries = await context.services.feed_admin.feeds()
    wanted = context.args[0].lstrip("#") if context.args else ""
    chosen = [f for f in entries if str(f.id) == wanted]
    if chosen:
        text, markup = _remove_question(chosen[0], lang)
        await message.reply_text(text, reply_markup=markup, disable_web_page_preview=True)
        return
    if not entries:
        await message.reply_text(t("admin_no_feeds", lang))
        return
    rows = [
        [
            InlineKeyboardButton(
                f"#{f.id} {_short(_feed_label(f), 40)}", callback_data=encode(FeedAction(FeedOp.REMOVE, f.id))
            )
        ]
        for f in entries
    ]
    await message.reply_text(t("admin_removefeed_which", lang), reply_markup=InlineKeyboardMarkup(rows))


def _remove_question(feed: FeedEntry, lang: str) -> tuple[str, InlineKeyboardMarkup]:
    markup = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    t("admin_btn_remove", lang), callback_data=encode(FeedAction(FeedOp.REMOVE_YES, feed.id))
                ),
                InlineKeyboardButton(
                    t("admin_btn_cancel", lang), callback_data=encode(FeedAction(FeedOp.REMOVE_NO, feed.id))
                ),
            ]
        ]
    )
    return t("admin_feed_remove_ask", lang, id=feed.id, name=_feed_label(feed)), markup


async def feed_button(update: Update, context: Context, press: FeedDraft | FeedAction) -> None:
    """The buttons of /addfeed, /feeds and /removefeed."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    lang = await reply_language(update, context)
    admin_id = query.from_user.id
    if not is_admin(context, admin_id):
        await query.answer(t("admin_only", lang), show_alert=True)
        return
    svc = context.services.feed_admin
    chat_id = query.message.chat.id
    if isinstance(press, FeedDraft):
        await query.answer()
        await query.edit_message_reply_markup(None)
        if not press.confirmed:
            svc.discard(press.token)
            await context.bot.send_message(chat_id, t("admin_addfeed_discarded", lang))
            return
        done = await svc.confirm(admin_id, press.token)
        if done is None:
            await context.bot.send_message(chat_id, t("admin_addfeed_expired", lang))
            return
        added, title = done
        key = "admin_addfeed_restored" if added is Added.RESTORED else "admin_addfeed_done"
        if added is Added.PRESENT:
            key = "admin_addfeed_present"
        interval = interval_words(context.config.poll_interval_seconds, lang)
        await context.bot.send_message(chat_id, t(key, lang, title=title, interval=interval))
        return
    op, feed_id = press.op, press.feed_id
    entry = next((f for f in await svc.feeds() if f.id == feed_id), None)
    if entry is None:
        await query.answer(t("admin_feed_gone", lang), show_alert=True)
        return
    await query.answer()
    if op in (FeedOp.PAUSE, FeedOp.RESUME):
        await svc.pause(admin_id, feed_id, op is FeedOp.PAUSE)
        key = "admin_feed_paused_done" if op is FeedOp.PAUSE else "admin_feed_resumed_done"
        await query.edit_message_reply_markup(feeds_keyboard(await svc.feeds()))
        await context.bot.send_message(chat_id, t(key, lang, id=feed_id))
    elif op is FeedOp.RENAME:
        asked = await context.bot.send_message(
            chat_id, t("admin_feed_rename_ask", lang, id=feed_id), reply_markup=ForceReply(selective=True)
        )
        svc.ask_rename(chat_id, asked.message_id, feed_id)
    elif op is FeedOp.INTERVAL and press.seconds is None:
        buttons = [
            InlineKeyboardButton(
                interval_words(s, lang), callback_data=encode(FeedAction(FeedOp.INTERVAL, feed_id, s))
            )
            for s in INTERVALS
        ]
        rows = [buttons[i : i + 4] for i in range(0, len(buttons), 4)]
        await context.bot.send_message(
            chat_id, t("admin_feed_interval_ask", lang, id=feed_id), reply_markup=InlineKeyboardMarkup(rows)
        )
    elif op is FeedOp.INTERVAL and press.seconds is not None:
        seconds = press.seconds
        if await svc.set_interval(admin_id, feed_id, seconds):
            await query.edit_message_text(
                t("admin_feed_interval_done", lang, id=feed_id, interval=interval_words(seconds, lang))
            )
    elif op is FeedOp.REMOVE:
        text, markup = _remove_question(entry, lang)
        await context.bot.send_message(chat_id, text, reply_markup=markup, disable_web_page_preview=True)
    elif op is FeedOp.REMOVE_YES:
        await svc.remove(admin_id, feed_id)
        await query.edit_message_text(t("admin_feed_removed", lang, id=feed_id))
    elif op is FeedOp.REMOVE_NO:
        await query.edit_message_text(t("admin_feed_kept", lang))


async def text_reply(update: Update, context: Context) -> None:
    """An admin's answer to "the new name of feed #n"; any other text goes to the citizens' handler."""
    message, user = update.effective_message, update.effective_user
    replied = message.reply_to_message if message is not None else None
    if message is not None and replied is not None and user is not None and is_admin(context, user.id):
        feed_id = context.services.feed_admin.renaming(message.chat_id, replied.message_id)
        if feed_id is not None:
            lang = await reply_language(update, context)
            name = await context.services.feed_admin.rename(user.id, feed_id, message.text or "")
            if name is None:
                await message.reply_text(t("admin_feed_gone", lang))
            else:
                await message.reply_text(t("admin_feed_renamed", lang, id=feed_id, name=name))
            return
    await plain_text(update, context)


@admin_command
async def opml(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/opml: every feed the bot polls, as an OPML file."""
    data, count = await context.services.feed_admin.export_opml(admin_id)
    await message.reply_document(
        InputFile(data, filename="feeds.opml"),
        caption=t("admin_opml_caption", lang, n=count),
    )


@admin_command
async def opml_file(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """An .opml (or .xml) file sent by an admin: its feeds are added."""
    document = message.document
    if document is None:
        return
    if document.file_size and document.file_size > OPML_MAX_BYTES:
        await message.reply_text(t("admin_opml_too_big", lang))
        return
    file = await context.bot.get_file(document.file_id)
    data = bytes(await file.download_as_bytearray())
    result = await context.services.feed_admin.import_opml(admin_id, data)
    if result.error is not None:
        await message.reply_text(t("admin_opml_not_opml", lang))
        return
    await message.reply_text(
        t("admin_opml_imported", lang, added=result.added, present=result.present, invalid=result.invalid)
    )
