"""What the citizen handlers show: texts (from the catalog) and inline keyboards. No I/O.

Callback data (≤ 64 bytes):
  settings  ``s|<target>|<action>|<arg>`` — target "" is the chat the menu is in, else a channel's id
            (a channel's settings are managed from a private chat); actions: ``menu`` (main, topics, mode,
            quiet, lang), ``t`` topic, ``c`` category toggle (its alias, or ``~`` and a hash when
            long), ``f`` toggle of a whole feed (chosen before categories existed), ``m`` mode, ``h``
            digest hour, ``q`` quiet mode,
            ``qs``/``qe`` quiet start/end hour, ``l`` language, ``p`` previews, ``x`` close.
  search    ``q|<page>|<words>`` — as typed when they fit, else folded
  privacy   ``d|yes`` / ``d|no``
  unfollow  ``u|<word>`` or ``u|#<index>`` (a button under /following)
  awards    ``kt|<page>|<words>`` — Prev/Next under /khenthuong
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.render import esc, link, local_date
from bot.domain.statuses import OPEN_DELIVERY, DeliveryStatus
from bot.i18n import t
from bot.services.health import feed_name as health_feed_name
from bot.services.lookup import AwardPage, SearchPage
from bot.services.preferences import MyData, SettingsView, category_arg
from bot.store.records import ArticleRecord, ChatRecord

CHECK = "✅ "


def hour(h: int) -> str:
    return f"{h % 24:02d}:00"


# ---- settings ------------------------------------------------------------------------------------


def _data(target: str, action: str, arg: str = "") -> str:
    data = f"s|{target}|{action}|{arg}"
    assert len(data.encode()) <= 64, data
    return data


def _button(
    label: str, target: str, action: str, arg: str = "", chosen: bool = False
) -> InlineKeyboardButton:
    return InlineKeyboardButton((CHECK if chosen else "") + label, callback_data=_data(target, action, arg))


def feed_name(view: SettingsView, feed_id: int) -> str:
    for feed in view.feeds:
        if feed.id == feed_id:
            return health_feed_name(feed)
    return str(feed_id)


def topics_text(view: SettingsView, lang: str) -> str:
    chat = view.chat
    if chat.topics == "awards":
        return t("set_topics_awards", lang)
    if chat.topics == "categories":
        names = sorted(view.category_name(alias) for alias in view.chosen_categories)
        if names:
            return t("set_topics_categories", lang, categories=", ".join(names))
        return t("set_topics_none", lang)
    if chat.topics == "feeds":
        names = [feed_name(view, i) for i in sorted(view.chosen_feeds)]
        return t("set_topics_feeds", lang, feeds=", ".join(names)) if names else t("set_topics_none", lang)
    return t("set_topics_all", lang)


def mode_text(chat: ChatRecord, lang: str) -> str:
    if chat.mode in ("daily", "weekly"):
        day = t(f"weekday_{chat.digest_weekday % 7}", lang)
        return t(f"set_mode_{chat.mode}_at", lang, hour=hour(chat.digest_hour), day=day)
    return t("set_mode_instant", lang)


def quiet_off(chat: ChatRecord) -> bool:
    return chat.quiet_start is None or chat.quiet_end is None or chat.quiet_mode == "off"


def quiet_text(chat: ChatRecord, lang: str) -> str:
    if quiet_off(chat):
        return t("set_quiet_off", lang)
    assert chat.quiet_start is not None and chat.quiet_end is not None
    key = "set_quiet_hold_at" if chat.quiet_mode == "hold" else "set_quiet_silent_at"
    return t(key, lang, start=hour(chat.quiet_start), end=hour(chat.quiet_end))


def settings_text(view: SettingsView, lang: str, page: str, confirm: str | None = None) -> str:
    chat = view.chat
    where = t("set_for_chat", lang, name=esc(chat.title)) if chat.title and not chat.is_private else ""
    lines = [t("set_title", lang) + (f" — {where}" if where else "")]
    if confirm:
        lines += ["", f"<b>{confirm}</b>"]
    lines += [
        "",
        t("set_line_topics", lang, value=esc(topics_text(view, lang))),
        t("set_line_mode", lang, value=mode_text(chat, lang)),
        t("set_line_quiet", lang, value=quiet_text(chat, lang)),
        t("set_line_language", lang, value=t(f"lang_name_{chat.language}", lang)),
        t("set_line_previews", lang, value=t("word_on" if chat.link_previews else "word_off", lang)),
    ]
    hint = "set_hint_topics_empty" if page == "topics" and not view.categories else f"set_hint_{page}"
    lines += ["", f"<i>{t(hint, lang)}</i>"]
    return "\n".join(lines)


def settings_keyboard(view: SettingsView, lang: str, page: str, target: str = "") -> InlineKeyboardMarkup:
    chat = view.chat
    back = [_button(t("btn_back", lang), target, "menu", "main")]
    rows: list[list[InlineKeyboardButton]]
    if page == "topics":
        rows = [
            [_button(t("btn_topics_all", lang), target, "t", "all", chat.topics == "all")],
            [_button(t("btn_topics_awards", lang), target, "t", "awards", chat.topics == "awards")],
        ]
        picked = view.chosen_categories
        for category in view.categories:
            name = view.category_name(category.alias)
            label = ("☑️ " if category.alias in picked else "⬜ ") + name
            rows.append([_button(label[:60], target, "c", category_arg(category.alias))])
        if chat.topics == "feeds":  # whole feeds chosen before categories existed: shown until changed
            for feed_id in sorted(view.chosen_feeds):
                rows.append([_button(("☑️ " + feed_name(view, feed_id))[:60], target, "f", str(feed_id))])
        rows.append(back)
    elif page == "mode":
        h = chat.digest_hour
        rows = [
            [_button(t("btn_mode_instant", lang), target, "m", "instant", chat.mode == "instant")],
            [
                _button(t("btn_mode_daily", lang), target, "m", "daily", chat.mode == "daily"),
                _button(t("btn_mode_weekly", lang), target, "m", "weekly", chat.mode == "weekly"),
            ],
        ]
        if chat.mode in ("daily", "weekly"):  # an hour applies only to a digest
            rows += [
                [
                    _button("◀", target, "h", str((h - 1) % 24)),
                    _button(t("btn_digest_hour", lang, hour=hour(h)), target, "menu", "mode"),
                    _button("▶", target, "h", str((h + 1) % 24)),
                ],
                [_button(hour(x), target, "h", str(x), x == h) for x in (6, 7, 12, 17, 20)],
            ]
        if chat.mode == "weekly":  # and the day, for a weekly one
            day = chat.digest_weekday % 7
            rows += [
                [_button(t(f"weekday_short_{d}", lang), target, "w", str(d), d == day) for d in range(4)],
                [_button(t(f"weekday_short_{d}", lang), target, "w", str(d), d == day) for d in range(4, 7)],
            ]
        rows.append(back)
    elif page == "quiet":
        off = quiet_off(chat)
        start = 22 if chat.quiet_start is None else chat.quiet_start
        end = 6 if chat.quiet_end is None else chat.quiet_end
        hold = t("btn_quiet_hold", lang, end=hour(end))
        rows = [
            [_button(hold, target, "q", "hold", not off and chat.quiet_mode == "hold")],
            [
                _button(
                    t("btn_quiet_silent", lang),
                    target,
                    "q",
                    "silent",
                    not off and chat.quiet_mode == "silent",
                )
            ],
            [_button(t("btn_quiet_off", lang), target, "q", "off", off)],
        ]
        if not off:
            rows += [
                [
                    _button("◀", target, "qs", str((start - 1) % 24)),
                    _button(t("btn_quiet_from", lang, hour=hour(start)), target, "menu", "quiet"),
                    _button("▶", target, "qs", str((start + 1) % 24)),
                ],
                [
                    _button("◀", target, "qe", str((end - 1) % 24)),
                    _button(t("btn_quiet_to", lang, hour=hour(end)), target, "menu", "quiet"),
                    _button("▶", target, "qe", str((end + 1) % 24)),
                ],
            ]
        rows.append(back)
    elif page == "lang":
        rows = [
            [
                _button(t("lang_name_vi", lang), target, "l", "vi", chat.language == "vi"),
                _button(t("lang_name_en", lang), target, "l", "en", chat.language == "en"),
            ],
            back,
        ]
    else:
        previews = "off" if chat.link_previews else "on"
        rows = [
            [
                _button(t("btn_topics", lang), target, "menu", "topics"),
                _button(t("btn_mode", lang), target, "menu", "mode"),
            ],
            [
                _button(t("btn_quiet", lang), target, "menu", "quiet"),
                _button(t("btn_language", lang), target, "menu", "lang"),
            ],
            [_button(t(f"btn_previews_{previews}", lang), target, "p", previews)],
            [_button(t("btn_close", lang), target, "x")],
        ]
    return InlineKeyboardMarkup(rows)


PAGE_OF_ACTION = {
    "t": "topics",
    "f": "topics",
    "c": "topics",
    "m": "mode",
    "h": "mode",
    "w": "mode",
    "q": "quiet",
    "qs": "quiet",
}
PAGE_OF_ACTION |= {"qe": "quiet", "l": "lang", "p": "main"}


# ---- lists and search ------------------------------------------------------------------------------


def article_lines(items: Sequence[ArticleRecord], zone: ZoneInfo, first: int = 1) -> list[str]:
    lines = []
    for n, art in enumerate(items, start=first):
        mark = "🏅 " if art.kind == "award" else ""
        date = local_date(art.published_at or art.discovered_at, zone)
        lines.append(f"{n}. {mark}{link(art.link, esc(art.title.strip()))} <i>({date})</i>")
    return lines


def article_list(items: Sequence[ArticleRecord], lang: str, zone: ZoneInfo, heading_key: str) -> str:
    if not items:
        return t("no_articles", lang)
    return "\n".join([f"<b>{t(heading_key, lang)}</b>", "", *article_lines(items, zone)])


def search_text(page: SearchPage, lang: str, zone: ZoneInfo) -> str:
    if not page.total:
        return t("search_none", lang, query=esc(page.echo))
    key = "search_heading_one" if page.total == 1 else "search_heading"
    head = t(key, lang, query=esc(page.echo), total=page.total)
    lines = article_lines(page.items, zone, first=page.page * 5 + 1)
    if page.pages > 1:
        lines += ["", f"<i>{t('search_page', lang, page=page.page + 1, pages=page.pages)}</i>"]
    return "\n".join([f"<b>{head}</b>", "", *lines])


def search_keyboard(page: SearchPage, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if page.has_prev:
        buttons.append(
            InlineKeyboardButton(t("btn_prev", lang), callback_data=page.button_data(page.page - 1))
        )
    if page.has_next:
        buttons.append(
            InlineKeyboardButton(t("btn_next", lang), callback_data=page.button_data(page.page + 1))
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


def award_search_text(page: AwardPage, lang: str, zone: ZoneInfo) -> str:
    """Each award found: the article (linked, dated), who among its recipients, which forms, from whom."""
    if not page.total:
        return t("kt_none", lang, query=esc(page.echo))
    key = "kt_heading_one" if page.total == 1 else "kt_heading"
    lines = [f"<b>{t(key, lang, query=esc(page.echo), total=page.total)}</b>"]
    for n, hit in enumerate(page.items, start=page.page * 5 + 1):
        art, found = hit.article, hit.match
        lines += ["", *article_lines([art], zone, first=n)]
        people = "; ".join(
            esc(f"{r.name} ({r.position})" if r.position else r.name) for r in found.recipients
        )
        lines.append(f"👤 {t('render_to', lang)}: {people}")
        if found.kinds:
            lines.append(f"🎖 {t('render_what', lang)}: <b>{esc('; '.join(found.kinds))}</b>")
        if found.authorities:
            lines.append(f"🏛 {t('render_from', lang)}: {esc('; '.join(found.authorities))}")
    if page.pages > 1:
        lines += ["", f"<i>{t('search_page', lang, page=page.page + 1, pages=page.pages)}</i>"]
    return "\n".join(lines)


def award_search_keyboard(page: AwardPage, lang: str) -> InlineKeyboardMarkup | None:
    buttons = []
    if page.has_prev:
        buttons.append(
            InlineKeyboardButton(t("btn_prev", lang), callback_data=page.button_data(page.page - 1))
        )
    if page.has_next:
        buttons.append(
            InlineKeyboardButton(t("btn_next", lang), callback_data=page.button_data(page.page + 1))
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


# ---- follows and privacy ------------------------------------------------------------------------------


def follows_text(words: Sequence[str], lang: str) -> str:
    if not words:
        return t("follow_list_empty", lang)
    listed = "\n".join(f"• {esc(w)}" for w in words)
    return t("follow_list", lang, n=len(words), words=listed)


def unfollow_data(words: Sequence[str], index: int) -> str:
    """``u|<word>`` when it fits in 64 bytes, else ``u|#<index>`` (checked against the list on a tap)."""
    data = f"u|{words[index]}"
    return data if len(data.encode()) <= 64 else f"u|#{index}"


def follows_keyboard(words: Sequence[str], lang: str) -> InlineKeyboardMarkup | None:
    """One ❌ button per followed word: a tap stops that alert."""
    if not words:
        return None
    rows = [
        [InlineKeyboardButton(t("btn_unfollow", lang, word=w), callback_data=unfollow_data(words, i))]
        for i, w in enumerate(words)
    ]
    return InlineKeyboardMarkup(rows)


def my_data_text(data: MyData, lang: str, zone: ZoneInfo) -> str:
    chat = data.chat
    if chat is None:
        return t("mydata_nothing", lang)
    view = data.topics or SettingsView(chat, ())
    words = ", ".join(esc(w) for w in data.follows) or t("mydata_none", lang)
    sent = data.messages.get(DeliveryStatus.SENT, 0)
    waiting = sum(data.messages.get(s, 0) for s in OPEN_DELIVERY)
    return t(
        "mydata",
        lang,
        id=chat.id,
        type=t(f"chat_type_{chat.type}", lang),
        name=esc(chat.title or chat.username or "—"),
        since=local_date(chat.created_at, zone),
        subscribed=t("word_yes" if chat.subscribed and chat.active else "word_no", lang),
        topics=esc(topics_text(view, lang)),
        mode=mode_text(chat, lang),
        quiet=quiet_text(chat, lang),
        language=t(f"lang_name_{chat.language}", lang),
        previews=t("word_on" if chat.link_previews else "word_off", lang),
        follows=words,
        mutes=", ".join(esc(w) for w in data.mutes) or t("mydata_none", lang),
        sent=sent,
        waiting=waiting,
        last_digest=local_date(chat.last_digest_at, zone) or "—",
    )


def delete_keyboard(lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t("btn_delete_yes", lang), callback_data="d|yes"),
                InlineKeyboardButton(t("btn_delete_no", lang), callback_data="d|no"),
            ]
        ]
    )
