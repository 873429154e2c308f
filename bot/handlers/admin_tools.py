"""Admin tools: /qr posters of the deep links. Parse the update, call one service, reply."""

from __future__ import annotations

import html

from telegram import InputFile, Message, Update
from telegram.constants import ParseMode

from bot.handlers.admin import admin_command
from bot.handlers.common import Context, services
from bot.i18n import t
from bot.services.qr import QR_TOPICS


@admin_command
async def qr(update: Update, context: Context, message: Message, admin_id: int, lang: str) -> None:
    """/qr [topic]: a print-ready PNG of the deep link's QR code, the department's name in the caption."""
    topic = context.args[0] if context.args else None
    svc = services(context)
    code = await svc.qr.make(admin_id, context.bot.username, topic)
    if code is None:
        topics = ", ".join(f"<code>{name}</code>" for name in QR_TOPICS)
        await message.reply_text(t("admin_qr_usage", lang, topics=topics), parse_mode=ParseMode.HTML)
        return
    what = t(f"admin_qr_topic_{code.topic}" if code.topic in QR_TOPICS else "admin_qr_topic_none", lang)
    caption = t(
        "admin_qr_caption",
        lang,
        department=html.escape(svc.settings.department_name, quote=False),
        link=html.escape(code.link, quote=False),
        what=what,
        cm=f"{code.width_cm:g}",
        px=code.width_px,
    )
    name = f"qr-{code.topic or 'bot'}.png"
    await message.reply_document(  # a document, not a photo: Telegram would recompress a photo
        InputFile(code.png, filename=name), caption=caption, parse_mode=ParseMode.HTML
    )


HANDLERS = {"qr": qr}
