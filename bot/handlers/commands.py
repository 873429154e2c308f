"""The one table of commands: what each is called, who may use it, whether the command menu shows it, and
its texts in the catalog. bot/app.py registers the handlers from it, sets the menus from it (both
languages; admins' own chats get theirs too), and /help lists it."""

from __future__ import annotations

import enum
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update
from telegram.constants import ChatType, ParseMode

from bot.handlers import (
    admin,
    admin_tools,
    citizen,
    citizen_follow,
    citizen_lookup,
    citizen_mute,
    citizen_privacy,
    citizen_settings,
)
from bot.handlers.admin import is_admin
from bot.handlers.common import reply_language
from bot.handlers.context import Context
from bot.i18n import t

Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]


class Role(enum.StrEnum):
    CITIZEN = "citizen"
    ADMIN = "admin"  # ADMIN_IDS only, in a private chat


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    handler: Handler
    role: Role = Role.CITIZEN
    in_menu: bool = True
    aliases: tuple[str, ...] = ()  # also answered, never shown

    @property
    def menu_key(self) -> str:
        """The catalog key of its line in the command menu."""
        return f"cmd_{self.name}" if self.role is Role.CITIZEN else f"admin_cmd_{self.name}"

    @property
    def help_key(self) -> str:
        """The catalog key of its line in /help."""
        return f"help_{self.name}" if self.role is Role.CITIZEN else f"admin_cmd_{self.name}"


async def help_command(update: Update, context: Context) -> None:
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None:
        return
    lang = await reply_language(update, context)
    private = chat is not None and chat.type == ChatType.PRIVATE
    admin_asks = private and is_admin(context, user.id if user else None)
    await message.reply_text(help_text(lang, admin=admin_asks), parse_mode=ParseMode.HTML)


CITIZEN = Role.CITIZEN
ADMIN = Role.ADMIN

# In the order /help and the menus list them.
COMMANDS: tuple[Command, ...] = (
    Command("start", citizen.start),
    Command("latest", citizen_lookup.latest),
    Command("awards", citizen_lookup.awards),
    Command("search", citizen_lookup.search),
    Command("khenthuong", citizen_lookup.award_search),
    Command("follow", citizen_follow.follow),
    Command("following", citizen_follow.following),
    Command("unfollow", citizen_follow.unfollow),
    Command("mute", citizen_mute.mute),
    Command("unmute", citizen_mute.unmute),
    Command("settings", citizen_settings.settings_command),
    Command("subscribe", citizen_settings.subscribe_channel, in_menu=False),  # channels, from a private chat
    Command("mydata", citizen_privacy.my_data),
    Command("deletedata", citizen_privacy.delete_data),
    Command("stop", citizen.stop, aliases=("unsubscribe",)),
    Command("help", help_command),
    Command("broadcast", admin.broadcast, ADMIN),
    Command("cancel_broadcast", admin.cancel_broadcast, ADMIN),
    Command("stats", admin.stats, ADMIN),
    Command("feeds", admin_tools.feeds, ADMIN),
    Command("poll", admin.poll, ADMIN),
    Command("retract", admin.retract, ADMIN),
    Command("resend", admin.resend, ADMIN),
    Command("export", admin.export, ADMIN),
    Command("audit", admin.audit, ADMIN),
    Command("addfeed", admin_tools.addfeed, ADMIN),
    Command("removefeed", admin_tools.removefeed, ADMIN),
    Command("opml", admin_tools.opml, ADMIN),
    Command("qr", admin_tools.qr, ADMIN),
)


def of_role(role: Role) -> tuple[Command, ...]:
    return tuple(c for c in COMMANDS if c.role is role)


def menu(lang: str, *, admin: bool = False) -> list[BotCommand]:
    """The command menu in `lang`: the citizens' commands, and an admin's own below them."""
    shown = [c for c in COMMANDS if c.in_menu and (admin or c.role is Role.CITIZEN)]
    return [BotCommand(c.name, t(c.menu_key, lang)) for c in shown]


def help_text(lang: str, *, admin: bool = False) -> str:
    """Every command a citizen can use; an admin's own commands below, for admins."""
    lines = [t("help_heading", lang)]
    lines += [f"/{c.name} — {t(c.help_key, lang)}" for c in of_role(Role.CITIZEN)]
    if admin:
        lines += ["", t("help_admin_heading", lang)]
        lines += [f"/{c.name} — {t(c.help_key, lang)}" for c in of_role(Role.ADMIN)]
    return "\n".join(lines)
