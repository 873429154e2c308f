"""What a citizen typed on a messenger without a command menu or buttons (Zalo), as a typed command. Pure.

Understood: the slash commands (``/start``, ``/stop``, ``/help``, ``/latest``, ``/awards``, ``/search
words``, ``/khenthuong name``, ``/settings``, ``/mydata``, ``/deletedata``; case-insensitive), the same
in Vietnamese words without the slash, with or without accents (``đăng ký`` = ``dang ky``, ``hủy đăng
ký``, ``tin mới``, ``khen thưởng``, ``tìm chuyển đổi số``, ``cài đặt``, ``giúp``, ``xóa dữ liệu``), and a
number answering the last numbered menu (1 to its size; 1–9 when the size is not known).
Search words are kept exactly as typed (accents included); only the command word is matched loosely.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Verb(StrEnum):
    START = "start"
    STOP = "stop"
    HELP = "help"
    LATEST = "latest"
    AWARDS = "awards"
    SEARCH = "search"
    AWARD_SEARCH = "khenthuong"  # who received an award: /khenthuong <name>
    SETTINGS = "settings"
    MYDATA = "mydata"  # what is stored about the chat
    DELETEDATA = "deletedata"  # erase it (after a numbered confirmation)
    FOLLOW = "follow"  # keyword alerts: /follow words (without words: the list)
    UNFOLLOW = "unfollow"
    MUTE = "mute"  # mute words: /mute words (without words: the list)
    UNMUTE = "unmute"


@dataclass(frozen=True, slots=True)
class Command:
    verb: Verb
    argument: str = ""  # /search's words, as typed ("" when none were given)


@dataclass(frozen=True, slots=True)
class Choice:
    number: int  # 1–9: the option of the last numbered menu


@dataclass(frozen=True, slots=True)
class NotUnderstood:
    text: str
    command: str | None = None  # an unknown "/word" (without the slash), else None


TextInput = Command | Choice | NotUnderstood

MAX_CHOICE = 9  # without a menu at hand: a single digit is taken as a choice
MAX_MENU = 40  # a menu's options (a settings page lists the site's categories)
_SLASH = {
    "start": Verb.START,
    "batdau": Verb.START,
    "dangky": Verb.START,
    "stop": Verb.STOP,
    "unsubscribe": Verb.STOP,
    "huy": Verb.STOP,
    "help": Verb.HELP,
    "giup": Verb.HELP,
    "latest": Verb.LATEST,
    "tinmoi": Verb.LATEST,
    "awards": Verb.AWARDS,
    "search": Verb.SEARCH,
    "tim": Verb.SEARCH,
    "timkiem": Verb.SEARCH,
    "khenthuong": Verb.AWARD_SEARCH,
    "settings": Verb.SETTINGS,
    "caidat": Verb.SETTINGS,
    "mydata": Verb.MYDATA,
    "dulieu": Verb.MYDATA,
    "deletedata": Verb.DELETEDATA,
    "xoadulieu": Verb.DELETEDATA,
    "follow": Verb.FOLLOW,
    "following": Verb.FOLLOW,
    "theodoi": Verb.FOLLOW,
    "unfollow": Verb.UNFOLLOW,
    "botheodoi": Verb.UNFOLLOW,
    "mute": Verb.MUTE,
    "unmute": Verb.UNMUTE,
}
_WORDS = {  # whole messages, folded (lower case, no accents, single spaces, no end punctuation)
    Verb.START: ("dang ky", "dang ki", "dangky", "bat dau", "dang ky nhan tin", "start", "subscribe"),
    Verb.STOP: ("huy", "huy dang ky", "huy dang ki", "ngung", "ngung nhan tin", "dung nhan tin", "stop"),
    Verb.HELP: ("giup", "tro giup", "huong dan", "help", "menu", "?"),
    Verb.LATEST: ("tin moi", "tin moi nhat", "moi nhat", "latest"),
    Verb.AWARDS: ("khen thuong", "tin khen thuong", "awards"),
    Verb.SETTINGS: ("cai dat", "thiet lap", "settings"),
    Verb.SEARCH: ("tim", "tim kiem", "tra cuu", "search"),
    Verb.MYDATA: ("du lieu cua toi", "du lieu", "my data"),
    Verb.FOLLOW: ("theo doi", "tu khoa"),
    Verb.DELETEDATA: ("xoa du lieu", "xoa du lieu cua toi", "delete my data"),
}
_BY_WORDS = {words: verb for verb, phrases in _WORDS.items() for words in phrases}
# a command word followed by what it is about: "tim chuyen doi so", "tra cuu Nguyen Van A"
_WITH_ARGUMENT = re.compile(
    r"^(tra cuu khen thuong|tim kiem|tim|tra cuu|search|khen thuong|bo theo doi|theo doi)\s+(\S.*)$", re.S
)
_ARGUMENT_VERB = {
    "tim kiem": Verb.SEARCH,
    "tim": Verb.SEARCH,
    "tra cuu": Verb.SEARCH,
    "search": Verb.SEARCH,
    "khen thuong": Verb.AWARD_SEARCH,
    "tra cuu khen thuong": Verb.AWARD_SEARCH,
    "theo doi": Verb.FOLLOW,
    "bo theo doi": Verb.UNFOLLOW,
}
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\S+)?(?:\s+(.*))?$", re.S)


def fold(text: str) -> str:
    """Lower case without accents, character for character (``Đăng Ký`` → ``dang ky``): the result has
    the same length as `text`, so a position in it is a position in `text`."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


def parse(text: str, menu_size: int | None = None) -> TextInput:
    """What `text` asks for. `menu_size`: how many options the last numbered menu had (None: no check
    here, the caller holds the menu); a number beyond it is not understood."""
    original = text.strip()
    if not original:
        return NotUnderstood(text)
    match = _COMMAND.match(original)
    if match:
        name = fold(match.group(1))
        argument = " ".join((match.group(2) or "").split())
        verb = _SLASH.get(name)
        return Command(verb, argument) if verb else NotUnderstood(text, command=name)
    if original.isascii() and original.isdigit():
        number = int(original)
        limit = MAX_CHOICE if menu_size is None else min(menu_size, MAX_MENU)
        return Choice(number) if 1 <= number <= limit else NotUnderstood(text)
    folded = fold(original)
    key = " ".join(folded.split()).rstrip(".!").strip()
    if key in _BY_WORDS:
        return Command(_BY_WORDS[key])
    match = _WITH_ARGUMENT.match(folded)
    if match:
        prefix = " ".join(match.group(1).split())
        argument = " ".join(original[match.start(2) :].split())
        return Command(_ARGUMENT_VERB[prefix], argument)
    return NotUnderstood(text)
