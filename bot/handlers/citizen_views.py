"""What the citizen handlers show: texts (from the catalog) and inline keyboards. No I/O. Every button's
data comes from the codec in bot.handlers.callbacks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.domain.choices import (
    DeliveryMode,
    Language,
    PickDigestHour,
    PickLanguage,
    PickMode,
    PickQuiet,
    PickTopics,
    PickWeekday,
    QuietEnd,
    QuietMode,
    QuietStart,
    SetPreviews,
    SettingsChoice,
    SettingsPage,
    ToggleCategory,
    ToggleFeed,
    Topics,
    category_arg,
)
from bot.domain.render import esc, link, local_date
from bot.domain.statuses import OPEN_DELIVERY, DeliveryStatus
from bot.handlers.callbacks import (
    DeleteData,
    ListKind,
    PagedKind,
    SettingsChosen,
    SettingsClose,
    SettingsMenu,
    SettingsPress,
    encode,
    page_button,
    word_button,
)
from bot.i18n import t
from bot.services.health import feed_name as health_feed_name
from bot.services.lookup import AwardPage, Paged, SearchPage
from bot.services.preferences import MyData, SettingsView
from bot.store.records import ArticleRecord, ChatRecord

CHECK = "✅ "


def hour(h: int) -> str:
    return f"{h % 24:02d}:00"


# ---- settings ------------------------------------------------------------------------------------


def _button(label: str, press: SettingsPress, chosen: bool = False) -> InlineKeyboardButton:
    return InlineKeyboardButton((CHECK if chosen else "") + label, callback_data=encode(press))


def feed_name(view: SettingsView, feed_id: int) -> str:
    for feed in view.feeds:
        if feed.id == feed_id:
            return health_feed_name(feed)
    return str(feed_id)


def topics_text(view: SettingsView, lang: str) -> str:
    chat = view.chat
    if chat.topics == Topics.AWARDS:
        return t("set_topics_awards", lang)
    if chat.topics == Topics.CATEGORIES:
        names = sorted(view.category_name(alias) for alias in view.chosen_categories)
        if names:
            return t("set_topics_categories", lang, categories=", ".join(names))
        return t("set_topics_none", lang)
    if chat.topics == Topics.FEEDS:
        names = [feed_name(view, i) for i in sorted(view.chosen_feeds)]
        return t("set_topics_feeds", lang, feeds=", ".join(names)) if names else t("set_topics_none", lang)
    return t("set_topics_all", lang)


def mode_text(chat: ChatRecord, lang: str) -> str:
    if chat.mode in (DeliveryMode.DAILY, DeliveryMode.WEEKLY):
        day = t(f"weekday_{chat.digest_weekday % 7}", lang)
        return t(f"set_mode_{chat.mode}_at", lang, hour=hour(chat.digest_hour), day=day)
    return t("set_mode_instant", lang)


def quiet_off(chat: ChatRecord) -> bool:
    return chat.quiet_start is None or chat.quiet_end is None or chat.quiet_mode == QuietMode.OFF


def quiet_text(chat: ChatRecord, lang: str) -> str:
    if quiet_off(chat):
        return t("set_quiet_off", lang)
    assert chat.quiet_start is not None and chat.quiet_end is not None
    key = "set_quiet_hold_at" if chat.quiet_mode == QuietMode.HOLD else "set_quiet_silent_at"
    return t(key, lang, start=hour(chat.quiet_start), end=hour(chat.quiet_end))


def settings_text(view: SettingsView, lang: str, page: SettingsPage, confirm: str | None = None) -> str:
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
    empty = page is SettingsPage.TOPICS and not view.categories
    hint = "set_hint_topics_empty" if empty else f"set_hint_{page.value}"
    lines += ["", f"<i>{t(hint, lang)}</i>"]
    return "\n".join(lines)


def settings_keyboard(
    view: SettingsView, lang: str, page: SettingsPage, target: str = ""
) -> InlineKeyboardMarkup:
    chat = view.chat

    def pick(label: str, choice: SettingsChoice, chosen: bool = False) -> InlineKeyboardButton:
        return _button(label, SettingsChosen(target, choice), chosen)

    def goto(label: str, to: SettingsPage) -> InlineKeyboardButton:
        return _button(label, SettingsMenu(target, to))

    back = [goto(t("btn_back", lang), SettingsPage.MAIN)]
    rows: list[list[InlineKeyboardButton]]
    if page is SettingsPage.TOPICS:
        rows = [
            [pick(t("btn_topics_all", lang), PickTopics(Topics.ALL), chat.topics == Topics.ALL)],
            [pick(t("btn_topics_awards", lang), PickTopics(Topics.AWARDS), chat.topics == Topics.AWARDS)],
        ]
        picked = view.chosen_categories
        for category in view.categories:
            name = view.category_name(category.alias)
            label = ("☑️ " if category.alias in picked else "⬜ ") + name
            rows.append([pick(label[:60], ToggleCategory(category_arg(category.alias)))])
        if chat.topics == Topics.FEEDS:  # whole feeds chosen before categories existed: shown until changed
            for feed_id in sorted(view.chosen_feeds):
                rows.append([pick(("☑️ " + feed_name(view, feed_id))[:60], ToggleFeed(feed_id))])
        rows.append(back)
    elif page is SettingsPage.MODE:
        h = chat.digest_hour
        mode = chat.mode
        rows = [
            [pick(t("btn_mode_instant", lang), PickMode(DeliveryMode.INSTANT), mode == DeliveryMode.INSTANT)],
            [
                pick(t("btn_mode_daily", lang), PickMode(DeliveryMode.DAILY), mode == DeliveryMode.DAILY),
                pick(t("btn_mode_weekly", lang), PickMode(DeliveryMode.WEEKLY), mode == DeliveryMode.WEEKLY),
            ],
        ]
        if mode in (DeliveryMode.DAILY, DeliveryMode.WEEKLY):  # an hour applies only to a digest
            rows += [
                [
                    pick("◀", PickDigestHour((h - 1) % 24)),
                    goto(t("btn_digest_hour", lang, hour=hour(h)), SettingsPage.MODE),
                    pick("▶", PickDigestHour((h + 1) % 24)),
                ],
                [pick(hour(x), PickDigestHour(x), x == h) for x in (6, 7, 12, 17, 20)],
            ]
        if mode == DeliveryMode.WEEKLY:  # and the day, for a weekly one
            day = chat.digest_weekday % 7
            rows += [
                [pick(t(f"weekday_short_{d}", lang), PickWeekday(d), d == day) for d in range(4)],
                [pick(t(f"weekday_short_{d}", lang), PickWeekday(d), d == day) for d in range(4, 7)],
            ]
        rows.append(back)
    elif page is SettingsPage.QUIET:
        off = quiet_off(chat)
        start = 22 if chat.quiet_start is None else chat.quiet_start
        end = 6 if chat.quiet_end is None else chat.quiet_end
        hold = t("btn_quiet_hold", lang, end=hour(end))
        rows = [
            [pick(hold, PickQuiet(QuietMode.HOLD), not off and chat.quiet_mode == QuietMode.HOLD)],
            [
                pick(
                    t("btn_quiet_silent", lang),
                    PickQuiet(QuietMode.SILENT),
                    not off and chat.quiet_mode == QuietMode.SILENT,
                )
            ],
            [pick(t("btn_quiet_off", lang), PickQuiet(QuietMode.OFF), off)],
        ]
        if not off:
            rows += [
                [
                    pick("◀", QuietStart((start - 1) % 24)),
                    goto(t("btn_quiet_from", lang, hour=hour(start)), SettingsPage.QUIET),
                    pick("▶", QuietStart((start + 1) % 24)),
                ],
                [
                    pick("◀", QuietEnd((end - 1) % 24)),
                    goto(t("btn_quiet_to", lang, hour=hour(end)), SettingsPage.QUIET),
                    pick("▶", QuietEnd((end + 1) % 24)),
                ],
            ]
        rows.append(back)
    elif page is SettingsPage.LANG:
        rows = [
            [
                pick(t("lang_name_vi", lang), PickLanguage(Language.VI), chat.language == Language.VI),
                pick(t("lang_name_en", lang), PickLanguage(Language.EN), chat.language == Language.EN),
            ],
            back,
        ]
    else:
        previews = "off" if chat.link_previews else "on"
        rows = [
            [goto(t("btn_topics", lang), SettingsPage.TOPICS), goto(t("btn_mode", lang), SettingsPage.MODE)],
            [
                goto(t("btn_quiet", lang), SettingsPage.QUIET),
                goto(t("btn_language", lang), SettingsPage.LANG),
            ],
            [pick(t(f"btn_previews_{previews}", lang), SetPreviews(not chat.link_previews))],
            [_button(t("btn_close", lang), SettingsClose(target))],
        ]
    return InlineKeyboardMarkup(rows)


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


def _turn(page: Paged[Any], kind: PagedKind, step: int) -> str:
    """Prev (-1) or Next (+1) under a paged result."""
    return page_button(kind, page.page + step, page.shown, page.query)


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
            InlineKeyboardButton(t("btn_prev", lang), callback_data=_turn(page, PagedKind.SEARCH, -1))
        )
    if page.has_next:
        buttons.append(
            InlineKeyboardButton(t("btn_next", lang), callback_data=_turn(page, PagedKind.SEARCH, 1))
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
            InlineKeyboardButton(t("btn_prev", lang), callback_data=_turn(page, PagedKind.AWARDS, -1))
        )
    if page.has_next:
        buttons.append(
            InlineKeyboardButton(t("btn_next", lang), callback_data=_turn(page, PagedKind.AWARDS, 1))
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None


# ---- follows and privacy ------------------------------------------------------------------------------


def follows_text(words: Sequence[str], lang: str) -> str:
    if not words:
        return t("follow_list_empty", lang)
    listed = "\n".join(f"• {esc(w)}" for w in words)
    return t("follow_list", lang, n=len(words), words=listed)


def follows_keyboard(words: Sequence[str], lang: str) -> InlineKeyboardMarkup | None:
    """One ❌ button per followed word: a tap stops that alert."""
    if not words:
        return None
    rows = [
        [
            InlineKeyboardButton(
                t("btn_unfollow", lang, word=w), callback_data=word_button(ListKind.FOLLOWS, words, i)
            )
        ]
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
                InlineKeyboardButton(t("btn_delete_yes", lang), callback_data=encode(DeleteData(True))),
                InlineKeyboardButton(t("btn_delete_no", lang), callback_data=encode(DeleteData(False))),
            ]
        ]
    )
