"""Citizens on Zalo: what they type (bot.domain.textcommands) → the same services as on Telegram → plain
replies through the Zalo messenger.

Zalo has no command menu and no buttons. Commands are typed (``/start`` or ``dang ky``); where Telegram shows
buttons, Zalo gets a numbered menu made from the very same keyboard (the same catalog texts and the same
button codec), stored in the database (`chat_menus`) so that the answer "2" is understood by any process,
also after a restart. Replies go straight to the messenger, like Telegram's replies; news goes through the
outbox. Admin commands stay on Telegram (admins are Telegram users).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup

from bot.delivery.messenger import OutgoingMessage
from bot.delivery.zalo import EVENT_IMAGE, EVENT_TEXT, ZaloIncoming, ZaloMessenger
from bot.domain.choices import SettingsPage, Topics, page_of
from bot.domain.render import esc
from bot.domain.render_plain import html_to_plain, render_help_plain, render_menu_plain, text
from bot.domain.statuses import ChatType, Platform
from bot.domain.textcommands import MAX_CHOICE, Choice, Command, NotUnderstood, Verb, parse
from bot.handlers.callbacks import (
    DeleteData,
    ListKind,
    PagedKind,
    RemoveWord,
    ResultPage,
    SettingsChosen,
    SettingsClose,
    SettingsMenu,
    decode,
)
from bot.handlers.citizen_follow import FOLLOWS
from bot.handlers.citizen_mute import MUTES
from bot.handlers.citizen_views import (
    article_list,
    award_search_keyboard,
    award_search_text,
    delete_keyboard,
    my_data_text,
    search_keyboard,
    search_text,
    settings_keyboard,
    settings_text,
)
from bot.handlers.context import Services
from bot.handlers.word_lists import WordList
from bot.i18n import t
from bot.services.lookup import Paged
from bot.services.preferences import FollowStatus
from bot.services.subscribe import ChatInfo, StartResult
from bot.store.records import ChatRecord

log = logging.getLogger(__name__)

MENU_TTL = timedelta(minutes=30)  # a numbered menu older than this is not answered by a number
NOT_UNDERSTOOD_EVERY = 600.0  # a sticker, a voice message…: "not understood" at most once per chat per 10 min
PUZZLED_MAX = 10_000
ARROWS = ("◀", "▶")  # hour steppers: on Zalo the hours are picked from the list instead
KIND_SETTINGS, KIND_PAGE, KIND_DELETE, KIND_WORDS = "settings", "page", "delete", "words"
ADDED = {FollowStatus.ADDED: "added", FollowStatus.EXISTS: "exists", FollowStatus.FULL: "full"}
P = TypeVar("P", bound=Paged[Any])


class ZaloHandler:
    """Handles one Zalo update at a time (called by the webhook or the polling loop)."""

    def __init__(
        self,
        services: Services,
        messenger: ZaloMessenger,
        pace: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.services = services
        self.messenger = messenger
        self._pace = pace  # the sender's Zalo pace: replies and the fan-out stay under one rate together
        self.config = services.config
        self._puzzled: dict[str, float] = {}

    async def __call__(self, update: ZaloIncoming) -> None:
        if not update.is_private:  # groups are a beta feature on Zalo: not served
            return
        words = update.text.strip() if update.event_name in (EVENT_TEXT, EVENT_IMAGE) else ""
        if not words:
            await self._puzzled_once(update)
            return
        store, now = self.services.store, self.services.clock.now()
        chat = await store.chats.get_or_create_chat(
            Platform.ZALO.value,
            update.chat_id,
            type=ChatType.PRIVATE,
            title=update.display_name or None,
            language=self.config.default_language,
            now=now,
        )
        if not chat.active:  # a message from the chat proves it can be reached again (an unblock)
            await self.services.subscriptions.reachable(chat.id, True)
        lang = chat.language
        await self._slot()
        await self.messenger.typing(update.chat_id)
        try:
            replies = await self._answer(chat, words, lang)
        except Exception:
            log.exception("a Zalo message could not be answered")
            replies = [text("error_generic", lang)]
        for reply in replies:
            await self._slot()
            await self.messenger.send(update.chat_id, OutgoingMessage(reply))

    async def _slot(self) -> None:
        if self._pace is not None:
            await self._pace()

    async def _puzzled_once(self, update: ZaloIncoming) -> None:
        now = time.monotonic()
        if now - self._puzzled.get(update.chat_id, -NOT_UNDERSTOOD_EVERY) < NOT_UNDERSTOOD_EVERY:
            return
        if len(self._puzzled) > PUZZLED_MAX:
            self._puzzled = {c: at for c, at in self._puzzled.items() if now - at < NOT_UNDERSTOOD_EVERY}
        self._puzzled[update.chat_id] = now
        chat = await self.services.store.chats.chat_by_address(Platform.ZALO.value, update.chat_id)
        lang = chat.language if chat else self.config.default_language
        await self._slot()
        await self.messenger.send(update.chat_id, OutgoingMessage(text("zalo_not_understood", lang)))

    # ---- what was typed ----------------------------------------------------------------------

    async def _answer(self, chat: ChatRecord, words: str, lang: str) -> list[str]:
        store, now = self.services.store, self.services.clock.now()
        menu = await store.chats.last_menu(chat.id)
        options = menu[1] if menu and now - menu[2] <= MENU_TTL else None
        # a number beyond the menu is answered "not one of the choices", not "not understood"
        typed = parse(words, max(len(options), MAX_CHOICE) if options else None)
        match typed:
            case Choice(number):
                if not options or number > len(options):
                    return [text("zalo_choice_unknown", lang, number=number)]
                return await self._choose(chat, options[number - 1], lang, number)
            case NotUnderstood(command=name) if name is not None:
                return [text("unknown_command", lang)]
            case NotUnderstood():
                return [text("zalo_not_understood", lang)]
            case Command(verb, argument):
                return await self._command(chat, verb, argument, lang)
        return [text("zalo_not_understood", lang)]

    async def _command(self, chat: ChatRecord, verb: Verb, argument: str, lang: str) -> list[str]:
        svc, zone = self.services, self.config.zone
        if verb is Verb.START:
            return [await self._start(chat, lang)]
        if verb is Verb.STOP:
            stopped = await svc.subscriptions.stop(chat.id)
            await svc.store.chats.clear_menu(chat.id)
            return [text("stopped" if stopped else "not_subscribed", lang)]
        if verb is Verb.HELP:
            return [render_help_plain(lang)]
        if verb is Verb.LATEST:
            return [html_to_plain(article_list(await svc.lookup.latest(), lang, zone, "latest_heading"))]
        if verb is Verb.AWARDS:
            items = await svc.lookup.awards()
            shown = article_list(items, lang, zone, "awards_heading") if items else t("awards_none", lang)
            return [html_to_plain(shown)]
        if verb is Verb.SEARCH:
            return await self._page(chat, PagedKind.SEARCH, argument, 0, lang)
        if verb is Verb.AWARD_SEARCH:
            return await self._page(chat, PagedKind.AWARDS, argument, 0, lang)
        if verb in (Verb.FOLLOW, Verb.UNFOLLOW, Verb.MUTE, Verb.UNMUTE):
            spec = FOLLOWS if verb in (Verb.FOLLOW, Verb.UNFOLLOW) else MUTES
            return await self._words(chat, spec, argument, lang, remove=verb in (Verb.UNFOLLOW, Verb.UNMUTE))
        if verb is Verb.MYDATA:
            return [html_to_plain(my_data_text(await svc.preferences.my_data(chat.id), lang, zone))]
        if verb is Verb.DELETEDATA:
            return [
                await self._menu(chat, KIND_DELETE, t("delete_confirm", lang), delete_keyboard(lang), lang)
            ]
        return await self._settings(chat, SettingsPage.MAIN, lang)

    async def _start(self, chat: ChatRecord, lang: str) -> str:
        outcome = await self.services.subscriptions.start(
            ChatInfo(chat.id, ChatType.PRIVATE, chat.title), lang, user_id=None, is_admin=True
        )
        department = self.config.department_name
        awards = outcome.topics == Topics.AWARDS
        if outcome.result is StartResult.SUBSCRIBED:
            key = "welcome_awards" if awards else "welcome"
        else:
            key = "welcome_again_awards" if awards else "welcome_again"
        return "\n\n".join([text(key, lang, department=department), text("zalo_help_words", lang)])

    # ---- numbered menus (Telegram's buttons) ---------------------------------------------------

    async def _choose(self, chat: ChatRecord, data: str, lang: str, number: int) -> list[str]:
        press = decode(data)
        match press:
            case SettingsMenu(_, page):
                return await self._settings(chat, page, lang)
            case SettingsChosen(_, choice):
                chosen = await self.services.preferences.choose(chat.id, choice)
                if chosen.view is None or not chosen.view.chat.subscribed:
                    return [text("not_subscribed", lang)]
                lang = chosen.view.chat.language
                values = dict(chosen.values)
                if "day" in values:
                    values["day"] = t(f"weekday_{values['day']}", lang)
                confirm = t(chosen.confirm, lang, **values) if chosen.confirm else None
                return await self._settings(chat, page_of(choice), lang, confirm)
            case SettingsClose():
                await self.services.store.chats.clear_menu(chat.id)
                return [text("set_closed", lang)]
            case ResultPage(kind, page, words):
                return await self._page(chat, kind, words, page, lang)
            case RemoveWord(kind, word, index):
                spec = FOLLOWS if kind is ListKind.FOLLOWS else MUTES
                if index is not None:  # words too long for the button's data: their place in the list
                    current = await spec.current(self.services.preferences, chat.id)
                    word = current[index] if index < len(current) else ""
                return await self._words(chat, spec, word, lang, remove=True)
            case DeleteData(confirmed):
                if not confirmed:
                    await self.services.store.chats.clear_menu(chat.id)
                    return [text("delete_cancelled", lang)]
                erased = await self.services.preferences.delete_data(chat.id, None)
                return [text("delete_done" if erased else "mydata_nothing", lang)]
        return [text("zalo_choice_unknown", lang, number=number)]

    async def _words(
        self, chat: ChatRecord, spec: WordList, words: str, lang: str, *, remove: bool
    ) -> list[str]:
        """Keyword alerts or mute words: add or remove `words` (none given: how to), then the list, each
        word a numbered choice that removes it."""
        prefs = self.services.preferences
        if not words:
            listed = await spec.current(prefs, chat.id)
            note = t(f"{'un' if remove else ''}{spec.name}_usage", lang)
        elif remove:
            result = await spec.remove(prefs, chat.id, words)
            listed = result.follows
            done = "done" if result.status is FollowStatus.REMOVED else "unknown"
            note = t(f"un{spec.name}_{done}", lang, word=esc(result.shown))
        else:
            result = await spec.add(prefs, chat.id, words)
            if result.status is FollowStatus.NOT_SUBSCRIBED:
                return [text("not_subscribed", lang)]
            listed = result.follows
            key = f"{spec.name}_{ADDED.get(result.status, 'invalid')}"
            note = t(key, lang, word=esc(result.shown), max=spec.limit)
        shown = note + "\n\n" + spec.text(listed, lang)
        return [await self._menu(chat, KIND_WORDS, shown, spec.keyboard(listed, lang), lang)]

    async def _settings(
        self, chat: ChatRecord, page: SettingsPage, lang: str, confirm: str | None = None
    ) -> list[str]:
        view = await self.services.preferences.view(chat.id)
        if view is None or not view.chat.subscribed:
            return [text("not_subscribed", lang)]
        lang = view.chat.language
        heading = settings_text(view, lang, page, confirm)
        keyboard = settings_keyboard(view, lang, page)
        return [await self._menu(chat, KIND_SETTINGS, heading, keyboard, lang, page)]

    async def _page(self, chat: ChatRecord, kind: PagedKind, words: str, page: int, lang: str) -> list[str]:
        lookup, zone = self.services.lookup, self.config.zone
        if kind is PagedKind.SEARCH:
            found = await _fetch(lookup.search, words, page)
            if not found.query:
                return [text("search_usage", lang)]
            return [
                await self._menu(
                    chat, KIND_PAGE, search_text(found, lang, zone), search_keyboard(found, lang), lang
                )
            ]
        awards = await _fetch(lookup.award_search, words, page)
        if not awards.query:
            return [text("kt_usage", lang)]
        shown = award_search_text(awards, lang, zone)
        return [await self._menu(chat, KIND_PAGE, shown, award_search_keyboard(awards, lang), lang)]

    async def _menu(
        self,
        chat: ChatRecord,
        kind: str,
        heading: str,
        keyboard: InlineKeyboardMarkup | None,
        lang: str,
        page: SettingsPage | None = None,
    ) -> str:
        """`heading` (HTML) as plain text with the keyboard's buttons as numbered choices (links written
        out); the choices are stored for the answer."""
        labels, data, links = numbered(keyboard, page)
        chats, now = self.services.store.chats, self.services.clock.now()
        if not data:
            await chats.clear_menu(chat.id)
            return "\n".join([html_to_plain(heading), *links]).strip()
        await chats.save_menu(chat.id, kind, data, now)
        shown = render_menu_plain(heading, labels, lang)
        return "\n".join([shown, *links]) if links else shown


def numbered(
    keyboard: InlineKeyboardMarkup | None, page: SettingsPage | None = None
) -> tuple[list[str], list[str], list[str]]:
    """A Telegram keyboard as (labels, button data, link lines): hour steppers and buttons that only
    name the page being shown are left out (the hours are listed as choices of their own)."""
    labels: list[str] = []
    data: list[str] = []
    links: list[str] = []
    for row in keyboard.inline_keyboard if keyboard else ():
        for button in row:
            if button.url:
                links.append(f"{button.text}: {button.url}")
                continue
            raw = button.callback_data
            if not isinstance(raw, str) or button.text in ARROWS:
                continue
            press = decode(raw)
            if press is None or (isinstance(press, SettingsMenu) and press.page == page):
                continue
            labels.append(button.text)
            data.append(raw)
    return labels, data, links


async def _fetch(call: Callable[[str, int], Awaitable[P]], words: str, page: int) -> P:
    return await call(words, page)
