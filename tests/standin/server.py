"""A local stand-in for the Telegram Bot API, for end-to-end tests.

A real aiohttp HTTP server on 127.0.0.1 (random free port) that python-telegram-bot's
``Bot``/``Application`` talks to through ``base_url=server.base_url``. The test side injects
updates (served by long-polling ``getUpdates``), inspects what the bot sent
(``server.sent``, ``server.requests``) and injects faults (429/403/400/500, dropped
connections, delays).

All state lives in the event loop that called :meth:`BotApiStandIn.start`; call the
``inject_*``/``fail_next``/... helpers from that loop (i.e. from the test coroutine).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

from tests.standin.html_check import HtmlParseError, parse_html, utf16_len

__all__ = [
    "BotApiStandIn",
    "Fault",
    "RateLimits",
    "RateViolation",
    "RequestRecord",
    "SentMessage",
    "StandInApiError",
    "UploadedFile",
    "bad_request",
    "delay",
    "drop",
    "forbidden",
    "iter_texts",
    "migrated",
    "server_error",
    "too_many",
]

JSONDict = dict[str, Any]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64

# Form values that are plain strings and must never be JSON-decoded ("123" stays "123").
_STRING_PARAMS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_message_id",
        "url",
        "photo",
        "document",
        "video",
        "audio",
        "animation",
        "voice",
        "sticker",
        "secret_token",
        "description",
        "short_description",
        "name",
        "title",
        "emoji",
        "query",
        "custom_title",
        "business_connection_id",
        "file_id",
        "action",
        "ip_address",
        "language_code",
        "data",
        "question",
        "address",
        "performer",
    }
)
_NUMBER_RE = re.compile(r"-?\d+(?:\.\d+)?")
_COMMAND_RE = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?")
_BOT_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")

_SEND_METHODS = frozenset(
    {
        "sendmessage",
        "sendphoto",
        "senddocument",
        "copymessage",
        "forwardmessage",
        "sendvideo",
        "sendaudio",
        "sendanimation",
        "sendvoice",
        "sendsticker",
        "sendmediagroup",
        "sendlocation",
        "sendpoll",
    }
)
# Methods whose chat_id is subject to block/migrate rules.
_CHAT_TARGETED = _SEND_METHODS | frozenset(
    {"editmessagetext", "editmessagecaption", "editmessagereplymarkup", "deletemessage", "sendchataction"}
)
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


# ----------------------------------------------------------------------------- faults


@dataclass(frozen=True)
class Fault:
    """What the server answers instead of the normal result. Build with the factories below."""

    kind: str  # "error" | "drop" | "delay"
    status: int = 200
    description: str = ""
    parameters: JSONDict | None = None
    seconds: float = 0.0


def too_many(retry_after: int) -> Fault:
    """429 "Too Many Requests: retry after N" with parameters.retry_after (PTB: RetryAfter)."""
    return Fault("error", 429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


def forbidden(description: str = "Forbidden: bot was blocked by the user") -> Fault:
    """403 (PTB: Forbidden)."""
    return Fault("error", 403, description)


def bad_request(description: str) -> Fault:
    """400 with the given description (prefix "Bad Request: " added if missing)."""
    if not description.startswith("Bad Request"):
        description = f"Bad Request: {description}"
    return Fault("error", 400, description)


def migrated(new_chat_id: int) -> Fault:
    """400 with parameters.migrate_to_chat_id (PTB: ChatMigrated)."""
    return Fault(
        "error",
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": new_chat_id},
    )


def server_error() -> Fault:
    """500 Internal Server Error (PTB: NetworkError)."""
    return Fault("error", 500, "Internal Server Error")


def drop() -> Fault:
    """Close the connection without answering (PTB: NetworkError)."""
    return Fault("drop")


def delay(seconds: float) -> Fault:
    """Wait, then answer normally (use with a short read_timeout to provoke TimedOut)."""
    return Fault("delay", seconds=seconds)


class StandInApiError(Exception):
    """Raised inside method handlers; becomes a Bot API error response."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def _bad(description: str) -> StandInApiError:
    return StandInApiError(400, f"Bad Request: {description}")


# ----------------------------------------------------------------------------- records


@dataclass
class UploadedFile:
    """A multipart file part (e.g. ``photo`` sent as bytes)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RequestRecord:
    """One HTTP call to the API. ``outcome`` is "pending", "ok", "error", "dropped" or "cancelled"."""

    method: str
    params: JSONDict
    time: float
    files: dict[str, UploadedFile] = field(default_factory=dict)
    status: int | None = None
    description: str | None = None
    outcome: str = "pending"
    fault: Fault | None = None

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class SentMessage:
    """A message the bot sent (send*/copyMessage) or edited (editMessage*).

    ``text`` holds the text, or the caption for media messages, exactly as sent (with HTML);
    ``plain_text`` is what the user sees (tags removed, entities decoded).
    """

    method: str
    chat_id: int
    message_id: int
    text: str | None
    caption: str | None
    parse_mode: str | None
    photo: str | None
    document: str | None
    reply_markup: JSONDict | None
    disable_notification: bool
    link_preview_options: JSONDict | None
    disable_web_page_preview: bool | None
    entities: list[JSONDict]
    plain_text: str
    time: float
    params: JSONDict
    files: dict[str, UploadedFile] = field(default_factory=dict)
    result: JSONDict = field(default_factory=dict)

    @property
    def is_edit(self) -> bool:
        return self.method.lower().startswith("edit")

    @property
    def link_preview_disabled(self) -> bool:
        if self.disable_web_page_preview:
            return True
        return bool(self.link_preview_options and self.link_preview_options.get("is_disabled"))

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard")
        return list(rows) if isinstance(rows, list) else []

    @property
    def buttons(self) -> list[JSONDict]:
        return [button for row in self.inline_keyboard for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    def short(self) -> str:
        body = (self.plain_text or "").replace("\n", "\\n")
        if len(body) > 80:
            body = body[:77] + "..."
        return f"{self.method}(chat={self.chat_id}, id={self.message_id}) {body!r}"


@dataclass(frozen=True)
class RateViolation:
    kind: str  # "global" | "private_chat" | "group"
    chat_id: int | None
    method: str
    time: float
    count: int  # sends in the window including this one
    limit: int
    window: float
    enforced: bool


@dataclass
class RateLimits:
    global_per_second: int = 30
    per_private_chat_per_second: int = 1
    per_group_per_minute: int = 20
    enforce: bool = False


@dataclass
class _FailRule:
    method: str | None
    chat_id: int | str | None
    fault: Fault
    remaining: int


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    is_forum: bool = False  # a supergroup with topics turned on
    topics: set[int] = field(default_factory=set)  # the message_thread_id of each existing topic

    def to_json(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "type": self.type}
        if self.is_forum:
            data["is_forum"] = True
        if self.type == "private":
            data["first_name"] = self.first_name or f"User {self.id}"
            if self.last_name:
                data["last_name"] = self.last_name
        else:
            data["title"] = self.title or f"Chat {self.id}"
        if self.username:
            data["username"] = self.username
        return data


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def _normalise_chat_key(value: Any) -> int | str | None:
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text.lower()


def _coerce(key: str, value: Any) -> Any:
    """Turn a form value (always a string) back into the JSON value PTB encoded."""
    if not isinstance(value, str) or key in _STRING_PARAMS or not value:
        return value
    first = value[0]
    if first in "{[" or value in ("true", "false", "null") or _NUMBER_RE.fullmatch(value):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _as_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise _bad(f"invalid {name} specified")
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except ValueError:
        raise _bad(f"invalid {name} specified") from None


def _scope_key(scope: Any) -> str:
    if not isinstance(scope, dict):
        return "default"
    kind = str(scope.get("type", "default"))
    if "chat_id" in scope and "user_id" in scope:
        return f"{kind}:{scope['chat_id']}:{scope['user_id']}"
    if "chat_id" in scope:
        return f"{kind}:{scope['chat_id']}"
    return kind


Handler = Callable[[JSONDict, dict[str, UploadedFile], RequestRecord], Awaitable[Any]]


# ----------------------------------------------------------------------------- server


class BotApiStandIn:
    """Local Bot API server.

    ``async with BotApiStandIn() as server: Bot(token, base_url=server.base_url)``.
    """

    def __init__(
        self,
        *,
        bot_id: int = 7_000_000_001,
        bot_username: str = "tayninh_test_bot",
        bot_first_name: str = "Tây Ninh Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        html_strict: bool = True,
    ) -> None:
        self._bot_id = bot_id
        self._bot_username = bot_username
        self._bot_first_name = bot_first_name
        self._host = host
        self._port = port
        self._runner: web.AppRunner | None = None
        self._bound_port: int | None = None
        #: Strict HTML: reject raw ">" and "&" that Telegram would show literally.
        self.html_strict = html_strict
        #: Sending to an unregistered chat id answers "chat not found" (else positive ids are private).
        self.unknown_chats_fail = False
        #: Photo URLs Telegram cannot fetch or use: sendPhoto and sendMediaGroup refuse them as Telegram does.
        self.refused_photo_urls: set[str] = set()

        # Recording.
        self.requests: list[RequestRecord] = []
        self.file_downloads: list[str] = []  # file paths downloaded from /file/bot<token>/…
        self.sent: list[SentMessage] = []
        self.deleted: list[tuple[int, int]] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.callback_answers: dict[str, JSONDict] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.menu_buttons: dict[int | None, JSONDict] = {}
        # setMyDescription / setMyShortDescription: {language_code ("" = default): text}
        self.descriptions: dict[str, str] = {}
        self.short_descriptions: dict[str, str] = {}
        self.rate_violations: list[RateViolation] = []
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        #: Where updates are POSTed while a webhook is set (Telegram would use `webhook_url`, a public HTTPS
        #: address; tests point this at the bot's local listener). None: updates stay queued.
        self.webhook_deliver_to: str | None = None
        self.webhook_responses: list[int] = []
        self.allowed_updates: list[str] | None = None

        # State.
        self._chats: dict[int, _Chat] = {}
        self._webhook_tasks: set[asyncio.Task[int]] = set()
        self._usernames: dict[str, int] = {}
        self._users: dict[int, JSONDict] = {}
        self._members: dict[tuple[int, int], JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._last_bot_message: dict[int, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._updates: deque[JSONDict] = deque()
        self._update_ids = itertools.count(100_001)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id → (file_path, content): users' documents
        self._update_event = asyncio.Event()
        self._activity: asyncio.Event | None = None
        self._closing = False
        self._fail_rules: list[_FailRule] = []
        self._blocked: dict[int, str] = {}
        self._migrated: dict[int, int] = {}
        self._limits: RateLimits | None = RateLimits()
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = {}
        self._extra_methods: dict[str, Handler] = {}
        self._handlers: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "close": self._true,
            "logout": self._true,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setchatmenubutton": self._set_chat_menu_button,
            "setmydescription": self._set_my_description,
            "setmyshortdescription": self._set_my_short_description,
            "getchatmenubutton": self._get_chat_menu_button,
            "sendmessage": self._send_message,
            "sendphoto": self._send_photo,
            "sendmediagroup": self._send_media_group,
            "senddocument": self._send_document,
            "copymessage": self._copy_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "getchat": self._get_chat,
            "getchatmember": self._get_chat_member,
            "getfile": self._get_file,
            "getchatadministrators": self._get_chat_administrators,
            "sendchataction": self._send_chat_action,
        }

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> Self:
        if self._runner is not None:
            return self
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=0.5)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._port)
        await site.start()
        self._runner = runner
        self._bound_port = int(runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self._closing = True
        self._wake_pollers()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ properties

    @property
    def port(self) -> int:
        if self._bound_port is None:
            raise RuntimeError("BotApiStandIn is not started")
        return self._bound_port

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``Bot(token, base_url=...)``: PTB calls ``{base_url}{token}/{method}``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    @property
    def bot_id(self) -> int:
        return self._bot_id

    @property
    def bot_username(self) -> str:
        return self._bot_username

    @property
    def token(self) -> str:
        """A token whose id part matches :attr:`bot_id` (any token is accepted)."""
        return f"{self._bot_id}:AAStandInTestToken_abcdefghijklmnopqrstuv"

    @property
    def bot_user(self) -> JSONDict:
        return {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": self._bot_first_name,
            "username": self._bot_username,
        }

    @property
    def pending_updates(self) -> list[JSONDict]:
        return list(self._updates)

    # ------------------------------------------------------------------ assertions helpers

    def messages_to(self, chat_id: int | str) -> list[SentMessage]:
        key = self._lookup_chat_id(chat_id)
        return [m for m in self.sent if m.chat_id == key]

    def calls(self, method: str) -> list[RequestRecord]:
        name = method.lower()
        return [r for r in self.requests if r.method.lower() == name]

    def find(self, predicate: Callable[[SentMessage], bool]) -> list[SentMessage]:
        return [m for m in self.sent if predicate(m)]

    async def wait_for(
        self,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        *,
        chat_id: int | str | None = None,
        contains: str | None = None,
        method: str | None = None,
    ) -> SentMessage:
        """First recorded message matching ``predicate`` and the keyword filters (waits for it)."""
        match = self._matcher(predicate, chat_id, contains, method)
        checked = 0
        deadline = time.monotonic() + timeout
        while True:
            while checked < len(self.sent):
                message = self.sent[checked]
                checked += 1
                if match(message):
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(self._dump(f"no sent message matched within {timeout}s"))
            await self._wait_activity(remaining)

    async def wait_for_count(
        self,
        n: int,
        timeout: float = 5.0,  # noqa: ASYNC109
        predicate: Callable[[SentMessage], bool] | None = None,
        *,
        chat_id: int | str | None = None,
        contains: str | None = None,
        method: str | None = None,
    ) -> list[SentMessage]:
        """Wait until at least ``n`` recorded messages match; returns all matching ones."""
        match = self._matcher(predicate, chat_id, contains, method)
        found: list[SentMessage] = []
        checked = 0
        deadline = time.monotonic() + timeout
        while True:
            while checked < len(self.sent):
                message = self.sent[checked]
                checked += 1
                if match(message):
                    found.append(message)
            if len(found) >= n:
                return found
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    self._dump(f"expected {n} matching messages within {timeout}s, got {len(found)}")
                )
            await self._wait_activity(remaining)

    async def wait_for_request(
        self,
        method: str,
        timeout: float = 5.0,  # noqa: ASYNC109
        predicate: Callable[[RequestRecord], bool] | None = None,
    ) -> RequestRecord:
        """Wait for a finished call of ``method`` (any outcome) matching ``predicate``."""
        name = method.lower()
        deadline = time.monotonic() + timeout
        checked = 0  # every record before this index is finished and was looked at
        while True:
            first_pending: int | None = None
            for index in range(checked, len(self.requests)):
                record = self.requests[index]
                if record.outcome == "pending":
                    if first_pending is None:
                        first_pending = index
                    continue
                if record.method.lower() == name and (predicate is None or predicate(record)):
                    return record
            checked = len(self.requests) if first_pending is None else first_pending
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(self._dump(f"no finished {method} call within {timeout}s"))
            await self._wait_activity(min(remaining, 0.05))

    def _matcher(
        self,
        predicate: Callable[[SentMessage], bool] | None,
        chat_id: int | str | None,
        contains: str | None,
        method: str | None,
    ) -> Callable[[SentMessage], bool]:
        chat_key = None if chat_id is None else self._lookup_chat_id(chat_id)
        method_key = None if method is None else method.lower()

        def match(message: SentMessage) -> bool:
            if chat_key is not None and message.chat_id != chat_key:
                return False
            if method_key is not None and message.method.lower() != method_key:
                return False
            if (
                contains is not None
                and contains not in message.plain_text
                and contains not in (message.text or "")
            ):
                return False
            return predicate is None or predicate(message)

        return match

    async def _wait_activity(self, timeout: float) -> None:  # noqa: ASYNC109
        if self._activity is None:
            self._activity = asyncio.Event()
        event = self._activity
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def _notify(self) -> None:
        event = self._activity
        if event is not None:
            self._activity = None
            event.set()

    def _dump(self, headline: str, last: int = 25) -> str:
        lines = [headline, f"sent ({len(self.sent)} total, last {min(last, len(self.sent))}):"]
        lines += [f"  {m.short()}" for m in self.sent[-last:]]
        failed = [r for r in self.requests if r.outcome not in ("ok", "pending")]
        if failed:
            lines.append(f"failed requests ({len(failed)} total, last {min(last, len(failed))}):")
            lines += [
                f"  {r.method} chat={r.chat_id} -> {r.outcome} {r.status} {r.description}"
                for r in failed[-last:]
            ]
        return "\n".join(lines)

    # ------------------------------------------------------------------ chats, users, members

    def set_chat(
        self,
        chat_id: int,
        type: str | None = None,
        title: str | None = None,
        username: str | None = None,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> JSONDict:
        """Register (or update) a chat; ``username`` (with or without "@") becomes resolvable."""
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = _Chat(id=chat_id, type=type or self._default_chat_type(chat_id))
            self._chats[chat_id] = chat
        if type is not None:
            chat.type = type
        if title is not None:
            chat.title = title
        if first_name is not None:
            chat.first_name = first_name
        if last_name is not None:
            chat.last_name = last_name
        if username is not None:
            chat.username = username.lstrip("@")
            self._usernames[chat.username.lower()] = chat_id
        return chat.to_json()

    def set_chat_member(self, chat_id: int, user_id: int, status: str, **fields: Any) -> None:
        """Status for getChatMember/getChatAdministrators: creator, administrator, member,
        restricted, left, kicked (aliases owner, banned); ``fields`` override the JSON."""
        status = {"owner": "creator", "banned": "kicked"}.get(status, status)
        self._members[(chat_id, user_id)] = {"status": status, **fields}

    def block_chat(self, chat_id: int, description: str = "Forbidden: bot was blocked by the user") -> None:
        """Every send/edit to ``chat_id`` answers 403 until :meth:`unblock_chat`."""
        self._blocked[chat_id] = description

    def unblock_chat(self, chat_id: int) -> None:
        self._blocked.pop(chat_id, None)

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """Every send to ``old_chat_id`` answers 400 with migrate_to_chat_id=new_chat_id."""
        self._migrated[old_chat_id] = new_chat_id
        old = self._chats.get(old_chat_id)
        self.set_chat(new_chat_id, "supergroup", title=old.title if old else None)

    def _default_chat_type(self, chat_id: int) -> str:
        if chat_id > 0:
            return "private"
        return "supergroup" if str(chat_id).startswith("-100") else "group"

    def create_forum_topic(self, chat_id: int, title: str | None = None) -> int:
        """Turn topics on in a supergroup (if they are not) and open a topic; returns its message_thread_id
        (as Telegram does: the id of the service message that created it)."""
        chat = self._ensure_chat(chat_id, "supergroup", title)
        chat.type = "supergroup"
        chat.is_forum = True
        thread_id = self._next_id(chat_id)
        chat.topics.add(thread_id)
        return thread_id

    def delete_forum_topic(self, chat_id: int, thread_id: int) -> None:
        """A topic deleted by an administrator: sending to it answers "message thread not found"."""
        self._chats[chat_id].topics.discard(thread_id)

    def set_forum(self, chat_id: int, enabled: bool) -> None:
        """Turn a supergroup's topics on or off (off: every topic's thread is gone for sending)."""
        chat = self._chats[chat_id]
        chat.is_forum = enabled

    def _check_thread(self, chat: _Chat, value: Any) -> int | None:
        """message_thread_id of a send: only an existing topic of a forum supergroup is accepted."""
        if value is None or value == "":
            return None
        thread_id = _as_int(value, "message_thread_id")
        if not (chat.is_forum and thread_id in chat.topics):
            raise _bad("message thread not found")
        return thread_id

    def _ensure_chat(self, chat_id: int, type: str | None = None, title: str | None = None) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            self.set_chat(chat_id, type, title)
            chat = self._chats[chat_id]
        elif title is not None and chat.title is None:
            chat.title = title
        return chat

    def _lookup_chat_id(self, value: int | str) -> int | str:
        key = _normalise_chat_key(value)
        if isinstance(key, str):
            return self._usernames.get(key.lstrip("@"), key)
        return key if key is not None else 0

    def _resolve_chat(self, value: Any, *, must_exist: bool = False) -> _Chat:
        if value is None or value == "":
            raise _bad("chat_id is empty")
        key = _normalise_chat_key(value)
        if isinstance(key, str):
            chat_id = self._usernames.get(key.lstrip("@"))
            if chat_id is None:
                raise _bad("chat not found")
            return self._chats[chat_id]
        assert key is not None
        chat = self._chats.get(key)
        if chat is None:
            if must_exist or self.unknown_chats_fail:
                raise _bad("chat not found")
            chat = self._ensure_chat(key)
        return chat

    def _user_json(self, user_id: int) -> JSONDict:
        if user_id == self._bot_id:
            return self.bot_user
        user = self._users.get(user_id)
        if user is None:
            return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}
        return dict(user)

    def _register_user(
        self,
        user_id: int,
        first_name: str,
        username: str | None,
        language_code: str | None,
        last_name: str | None = None,
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return dict(user)

    def _member_status(self, chat: _Chat, user_id: int) -> JSONDict:
        stored = self._members.get((chat.id, user_id))
        if stored is not None:
            return stored
        if user_id == self._bot_id and chat.type != "private":
            return {"status": "administrator"}
        return {"status": "member"}

    def _member_json(self, chat: _Chat, user_id: int, status: JSONDict | str | None = None) -> JSONDict:
        if status is None:
            info = dict(self._member_status(chat, user_id))
        elif isinstance(status, str):
            info = {"status": {"owner": "creator", "banned": "kicked"}.get(status, status)}
        else:
            info = dict(status)
        kind = info.pop("status")
        data: JSONDict = {"status": kind, "user": self._user_json(user_id)}
        if kind == "creator":
            data["is_anonymous"] = False
        elif kind == "administrator":
            data.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=True,
                can_edit_stories=True,
                can_delete_stories=True,
                can_post_messages=True,
                can_edit_messages=True,
                can_pin_messages=True,
            )
            if chat.type == "supergroup":
                data["can_manage_topics"] = False
        elif kind == "restricted":
            data.update(
                is_member=True,
                can_change_info=False,
                can_invite_users=False,
                can_pin_messages=False,
                can_send_messages=False,
                can_send_polls=False,
                can_send_other_messages=False,
                can_add_web_page_previews=False,
                can_manage_topics=False,
                until_date=0,
                can_send_audios=False,
                can_send_documents=False,
                can_send_photos=False,
                can_send_videos=False,
                can_send_video_notes=False,
                can_send_voice_notes=False,
                can_edit_tag=False,
                can_react_to_messages=False,
            )
        elif kind == "kicked":
            data["until_date"] = 0
        data.update(info)
        return data

    # ------------------------------------------------------------------ injection (test side)

    def _next_id(self, chat_id: int) -> int:
        value = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = value
        return value

    def _push_update(self, update: JSONDict) -> JSONDict:
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        if self.webhook_url and self.webhook_deliver_to:
            task = asyncio.get_running_loop().create_task(self._post_webhook(update))
            self._webhook_tasks.add(task)
            task.add_done_callback(self._webhook_tasks.discard)
            return update
        self._updates.append(update)
        self._wake_pollers()
        return update

    async def _post_webhook(self, update: JSONDict, secret: str | None = None) -> int:
        """Deliver one update the way Telegram does: POST JSON with the secret token header."""
        import aiohttp

        assert self.webhook_deliver_to is not None
        headers = {}
        token = self.webhook_secret if secret is None else secret
        if token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        async with (
            aiohttp.ClientSession() as session,
            session.post(self.webhook_deliver_to, json=update, headers=headers) as response,
        ):
            self.webhook_responses.append(response.status)
            return response.status

    async def post_update_with_secret(self, update: JSONDict, secret: str) -> int:
        """POST an update to the webhook with a chosen secret (e.g. a wrong one); returns the HTTP status."""
        if "update_id" not in update:
            update = {"update_id": next(self._update_ids), **update}
        return await self._post_webhook(update, secret)

    def _wake_pollers(self) -> None:
        event = self._update_event
        self._update_event = asyncio.Event()
        event.set()

    def inject_update(self, update: JSONDict) -> JSONDict:
        """Queue a raw update (``update_id`` assigned if missing)."""
        return self._push_update(dict(update))

    def inject_message(
        self,
        text: str | None,
        chat_id: int,
        user_id: int | None = None,
        chat_type: str | None = None,
        language_code: str | None = "vi",
        first_name: str = "An",
        username: str | None = None,
        chat_title: str | None = None,
        entities: list[JSONDict] | None = None,
        reply_to: int | JSONDict | None = None,
        photo: bool | str | None = None,
        *,
        last_name: str | None = None,
        message_thread_id: int | None = None,
        document: tuple[str, bytes, str] | None = None,
    ) -> JSONDict:
        """Queue a user's message; returns the update. ``chat_type`` defaults from the id sign;
        ``user_id`` defaults to ``chat_id`` in private chats; a leading /command gets a
        bot_command entity; ``photo`` (True or a file_id) makes ``text`` the caption, and so does
        ``document`` (file name, content, MIME type), which getFile and the file URL then serve;
        ``message_thread_id`` posts it inside that topic of a forum supergroup."""
        chat = self._ensure_chat(chat_id, chat_type, chat_title)
        if chat.type == "private" and chat.first_name is None:
            chat.first_name = first_name
            chat.last_name = last_name
            chat.username = chat.username or username
        if user_id is None:
            user_id = chat_id if chat.type == "private" else 424_242
        user = self._register_user(user_id, first_name, username, language_code, last_name)
        message: JSONDict = {
            "message_id": self._next_id(chat_id),
            "date": int(time.time()),
            "chat": chat.to_json(),
            "from": user,
        }
        if entities is None and text:
            command = _COMMAND_RE.match(text)
            entities = (
                [{"type": "bot_command", "offset": 0, "length": utf16_len(command.group(0))}]
                if command
                else []
            )
        if document is not None:
            name, content, mime = document
            file_id = f"user-document-{next(self._file_ids)}"
            self._files[file_id] = (f"documents/file_{len(self._files)}{_suffix(name)}", content)
            message["document"] = {
                "file_id": file_id,
                "file_unique_id": f"{file_id}-u",
                "file_name": name,
                "mime_type": mime,
                "file_size": len(content),
            }
            if text is not None:
                message["caption"] = text
        elif photo:
            file_id = photo if isinstance(photo, str) else f"user-photo-{next(self._file_ids)}"
            message["photo"] = self._photo_sizes(file_id)
            if text is not None:
                message["caption"] = text
                if entities:
                    message["caption_entities"] = entities
        elif text is not None:
            message["text"] = text
            if entities:
                message["entities"] = entities
        if message_thread_id is not None:
            assert chat.is_forum and message_thread_id in chat.topics, "no such topic"
            message["message_thread_id"] = message_thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = (
                reply_to
                if isinstance(reply_to, dict)
                else self._messages.get((chat_id, reply_to))
                or {"message_id": reply_to, "date": 0, "chat": chat.to_json()}
            )
        self._messages[(chat_id, message["message_id"])] = message
        return self._push_update({"message": message})

    def inject_channel_post(
        self,
        text: str,
        chat_id: int,
        chat_title: str | None = None,
        username: str | None = None,
    ) -> JSONDict:
        """Queue a ``channel_post`` update in a channel chat."""
        self.set_chat(chat_id, "channel", chat_title, username)
        chat = self._chats[chat_id]
        message: JSONDict = {
            "message_id": self._next_id(chat_id),
            "date": int(time.time()),
            "chat": chat.to_json(),
            "sender_chat": chat.to_json(),
            "text": text,
        }
        self._messages[(chat_id, message["message_id"])] = message
        return self._push_update({"channel_post": message})

    def inject_callback(
        self,
        data: str,
        chat_id: int,
        user_id: int | None = None,
        message_id: int | None = None,
        language_code: str | None = "vi",
        chat_type: str | None = None,
        first_name: str = "An",
        username: str | None = None,
    ) -> JSONDict:
        """Queue a callback_query pressed on ``message_id`` (default: the bot's last message in
        the chat). Unknown messages get a placeholder so edits on them work."""
        chat = self._ensure_chat(chat_id, chat_type)
        if user_id is None:
            user_id = chat_id if chat.type == "private" else 424_242
        user = self._register_user(user_id, first_name, username, language_code)
        if message_id is None:
            message_id = self._last_bot_message.get(chat_id)
        message = self._messages.get((chat_id, message_id)) if message_id is not None else None
        if message is None:
            if message_id is None:
                message_id = self._next_id(chat_id)
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": chat.to_json(),
                "from": self.bot_user,
                "text": "…",
            }
            self._messages[(chat_id, message_id)] = message
        query_id = f"cbq{next(self._callback_ids)}"
        query: JSONDict = {
            "id": query_id,
            "from": user,
            "chat_instance": f"ci{chat_id}",
            "data": data,
            "message": message,
        }
        return self._push_update({"callback_query": query})

    def inject_my_chat_member(
        self,
        chat_id: int,
        user_id: int,
        old_status: str,
        new_status: str,
        chat_type: str | None = None,
        chat_title: str | None = None,
        *,
        first_name: str = "An",
        username: str | None = None,
        language_code: str | None = "vi",
        auto_block: bool = True,
    ) -> JSONDict:
        """Queue a ``my_chat_member`` update (the bot's own status changed by ``user_id``).

        With ``auto_block`` the server also behaves accordingly: "kicked"/"left" makes later
        sends to the chat answer 403, "member"/"administrator" lifts that again."""
        chat = self._ensure_chat(chat_id, chat_type, chat_title)
        user = self._register_user(user_id, first_name, username, language_code)
        if chat.type == "private" and chat.first_name is None:
            chat.first_name = first_name
        old = self._member_json(chat, self._bot_id, old_status)
        new = self._member_json(chat, self._bot_id, new_status)
        self._members[(chat_id, self._bot_id)] = {"status": new["status"]}
        if auto_block:
            status = new["status"]
            if status in ("kicked", "left"):
                if chat.type == "private":
                    self.block_chat(chat_id)
                elif status == "kicked":
                    self.block_chat(chat_id, f"Forbidden: bot was kicked from the {chat.type} chat")
                else:
                    self.block_chat(chat_id, f"Forbidden: bot is not a member of the {chat.type} chat")
            elif status in ("member", "administrator", "creator", "restricted"):
                self.unblock_chat(chat_id)
        update = {
            "my_chat_member": {
                "chat": chat.to_json(),
                "from": user,
                "date": int(time.time()),
                "old_chat_member": old,
                "new_chat_member": new,
            }
        }
        return self._push_update(update)

    # ------------------------------------------------------------------ faults & limits

    def fail_next(
        self,
        method: str | None = None,
        chat_id: int | str | None = None,
        error: Fault | None = None,
        count: int = 1,
    ) -> None:
        """The next ``count`` calls matching ``method``/``chat_id`` (None = any) get ``error``
        (default: ``server_error()``). Rules are checked in the order they were added.
        ``method=None`` never matches getUpdates (name it explicitly to fault polling)."""
        self._fail_rules.append(
            _FailRule(
                method=method.lower() if method else None,
                chat_id=_normalise_chat_key(chat_id),
                fault=error or server_error(),
                remaining=count,
            )
        )

    def clear_faults(self) -> None:
        self._fail_rules.clear()
        self._blocked.clear()
        self._migrated.clear()

    def set_limits(
        self,
        global_per_second: int = 30,
        per_private_chat_per_second: int = 1,
        per_group_per_minute: int = 20,
        *,
        enforce: bool = False,
    ) -> None:
        """Track Telegram's flood limits in ``rate_violations`` (on by default, not enforced)."""
        self._limits = RateLimits(
            global_per_second, per_private_chat_per_second, per_group_per_minute, enforce
        )
        self._global_window.clear()
        self._chat_windows.clear()

    def strict_limits(
        self,
        global_per_second: int = 30,
        per_private_chat_per_second: int = 1,
        per_group_per_minute: int = 20,
    ) -> None:
        """Like :meth:`set_limits`, and a send over a limit answers 429 with retry_after."""
        self.set_limits(global_per_second, per_private_chat_per_second, per_group_per_minute, enforce=True)

    def disable_limits(self) -> None:
        self._limits = None

    def add_method(self, name: str, handler: Handler) -> None:
        """Serve an extra method: ``async handler(params, files, record) -> result``;
        raise :class:`StandInApiError` for an error answer."""
        self._extra_methods[name.lower()] = handler

    def _take_fault(self, method: str, params: JSONDict) -> Fault | None:
        if not self._fail_rules:
            return None
        chat_key = _normalise_chat_key(params.get("chat_id"))
        resolved = self._lookup_chat_id(chat_key) if chat_key is not None else None
        for rule in self._fail_rules:
            if rule.method is None and method == "getupdates":
                continue  # a catch-all rule must not be eaten by a background long poll
            if rule.method is not None and rule.method != method:
                continue
            if rule.chat_id is not None and rule.chat_id not in (chat_key, resolved):
                continue
            rule.remaining -= 1
            if rule.remaining <= 0:
                self._fail_rules.remove(rule)
            return rule.fault
        return None

    def _check_rate(self, method: str, chat: _Chat, now: float) -> None:
        limits = self._limits
        if limits is None:
            return
        checks: list[tuple[str, int | None, deque[float], int, float]] = [
            ("global", None, self._global_window, limits.global_per_second, 1.0)
        ]
        window = self._chat_windows.get(chat.id)
        if window is None:
            window = self._chat_windows[chat.id] = deque()
        if chat.type == "private":
            checks.append(("private_chat", chat.id, window, limits.per_private_chat_per_second, 1.0))
        else:
            checks.append(("group", chat.id, window, limits.per_group_per_minute, 60.0))
        retry_after = 0
        for kind, chat_id, times, limit, span in checks:
            cutoff = now - span
            while times and times[0] <= cutoff:
                times.popleft()
            if len(times) >= limit:
                self.rate_violations.append(
                    RateViolation(kind, chat_id, method, now, len(times) + 1, limit, span, limits.enforce)
                )
                retry_after = max(retry_after, math.ceil(times[0] + span - now))
        if retry_after and limits.enforce:
            raise StandInApiError(
                429,
                f"Too Many Requests: retry after {max(retry_after, 1)}",
                {"retry_after": max(retry_after, 1)},
            )
        for _kind, _chat_id, times, _limit, _span in checks:
            times.append(now)

    # ------------------------------------------------------------------ HTTP plumbing

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, UploadedFile]]:
        params: JSONDict = {}
        files: dict[str, UploadedFile] = {}
        for key, value in request.query.items():
            params[key] = _coerce(key, value)
        if request.method != "POST" or not request.can_read_body:
            return params, files
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                for key, value in body.items():
                    params[key] = _coerce(key, value) if isinstance(value, str) else value
            return params, files
        form = await request.post()
        for key, item in form.items():
            if isinstance(item, web.FileField):
                files[key] = UploadedFile(key, item.filename, item.content_type, item.file.read())
            else:
                params[key] = _coerce(key, item)
        return params, files

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path.startswith("/file/bot"):  # a file getFile pointed to, as Telegram serves it
            token, _, file_path = path[len("/file/bot") :].partition("/")
            found = [data for stored, data in self._files.values() if stored == file_path]
            if not token or not found:
                return self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            self.file_downloads.append(file_path)
            return web.Response(body=found[0], content_type="application/octet-stream")
        if not path.startswith("/bot"):
            return self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, _, method = path[4:].partition("/")
        if not token or not method or "/" in method:
            return self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        try:
            params, files = await self._read_params(request)
        except ValueError:
            return self._json(
                400, {"ok": False, "error_code": 400, "description": "Bad Request: invalid request body"}
            )
        record = RequestRecord(method=method, params=params, time=time.monotonic(), files=files)
        self.requests.append(record)
        key = method.lower()
        try:
            fault = self._take_fault(key, params)
            if fault is not None:
                record.fault = fault
                if fault.kind == "drop":
                    record.outcome = "dropped"
                    self._notify()
                    if request.transport is not None:
                        request.transport.abort()
                    raise asyncio.CancelledError
                if fault.kind == "delay":
                    await asyncio.sleep(fault.seconds)
                else:
                    raise StandInApiError(fault.status, fault.description, fault.parameters)
            handler = self._handlers.get(key) or self._extra_methods.get(key)
            if handler is None:
                raise StandInApiError(404, "Not Found: method not found")
            result = await handler(params, files, record)
        except StandInApiError as exc:
            record.status = exc.status
            record.description = exc.description
            record.outcome = "error"
            self._notify()
            body: JSONDict = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.parameters:
                body["parameters"] = exc.parameters
            return self._json(exc.status, body)
        except asyncio.CancelledError:
            if record.outcome == "pending":
                record.outcome = "cancelled"
            raise
        record.status = 200
        record.outcome = "ok"
        self._notify()
        return self._json(200, {"ok": True, "result": result})

    @staticmethod
    def _json(status: int, body: JSONDict) -> web.Response:
        return web.Response(
            status=status,
            body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            content_type="application/json",
        )

    # ------------------------------------------------------------------ content validation

    def _formatted(
        self, text: Any, parse_mode: Any, entities: Any, *, caption: bool
    ) -> tuple[str, list[JSONDict]]:
        """Validate text/caption like Telegram; returns (visible text, entities)."""
        raw = "" if text is None else str(text)
        mode = str(parse_mode).lower() if parse_mode else ""
        if mode == "html":
            try:
                parsed = parse_html(raw, strict=self.html_strict)
            except HtmlParseError as exc:
                raise _bad(f"can't parse entities: {exc.reason}") from None
            plain, found = parsed.text, parsed.entities
        elif mode in ("", "markdown", "markdownv2"):
            plain = raw
            found = list(entities) if isinstance(entities, list) else []
        else:
            raise _bad("unsupported parse_mode")
        if caption:
            if utf16_len(plain) > CAPTION_LIMIT:  # Telegram counts UTF-16 code units
                raise _bad("message caption is too long")
        else:
            if not plain.strip():
                raise _bad("message text is empty")
            if utf16_len(plain) > TEXT_LIMIT:
                raise _bad("message is too long")
        return plain, found

    @staticmethod
    def _check_markup(markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup
        if not isinstance(rows, list):
            raise _bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
        for row in rows:
            for button in row if isinstance(row, list) else []:
                if not isinstance(button, dict) or not button.get("text"):
                    raise _bad("text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                    raise _bad("BUTTON_DATA_INVALID")
                url = button.get("url")
                if url is not None and not re.match(r"^(https?|tg)://\S+$", str(url)):
                    raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
        return markup

    def _check_chat_rules(self, method: str, chat: _Chat) -> None:
        if method not in _CHAT_TARGETED:
            return
        new_id = self._migrated.get(chat.id)
        if new_id is not None:
            fault = migrated(new_id)
            raise StandInApiError(fault.status, fault.description, fault.parameters)
        reason = self._blocked.get(chat.id)
        if reason is not None:
            raise StandInApiError(403, reason)

    def _photo_sizes(self, file_id: str) -> list[JSONDict]:
        return [
            {"file_id": f"{file_id}-s", "file_unique_id": f"{file_id}-us", "width": 90, "height": 60},
            {"file_id": file_id, "file_unique_id": f"{file_id}-u", "width": 1280, "height": 853},
        ]

    def _record_message(
        self,
        method: str,
        chat: _Chat,
        message: JSONDict,
        params: JSONDict,
        files: dict[str, UploadedFile],
        plain: str,
        entities: list[JSONDict],
        now: float,
    ) -> SentMessage:
        is_caption = "caption" in params or method.lower() == "editmessagecaption"
        photo = params.get("photo")
        document = params.get("document")
        sent = SentMessage(
            method=method,
            chat_id=chat.id,
            message_id=int(message["message_id"]),
            text=params.get("caption") if is_caption else params.get("text"),
            caption=params.get("caption"),
            parse_mode=params.get("parse_mode"),
            photo="<upload>" if "photo" in files else (str(photo) if photo is not None else None),
            document="<upload>" if "document" in files else (str(document) if document is not None else None),
            reply_markup=params.get("reply_markup"),
            disable_notification=bool(params.get("disable_notification", False)),
            link_preview_options=params.get("link_preview_options"),
            disable_web_page_preview=params.get("disable_web_page_preview"),
            entities=entities,
            plain_text=plain,
            time=now,
            params=params,
            files=files,
            result=message,
        )
        self.sent.append(sent)
        return sent

    def _new_message(self, chat: _Chat, now_date: int) -> JSONDict:
        message: JSONDict = {
            "message_id": self._next_id(chat.id),
            "date": now_date,
            "chat": chat.to_json(),
        }
        if chat.type == "channel":
            message["sender_chat"] = chat.to_json()
        else:
            message["from"] = self.bot_user
        return message

    async def _send(
        self,
        method: str,
        params: JSONDict,
        files: dict[str, UploadedFile],
        record: RequestRecord,
        media: str | None,
    ) -> JSONDict:
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_chat_rules(method.lower(), chat)
        if media is None:
            plain, entities = self._formatted(
                params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
            )
        else:
            if media not in files and not params.get(media):
                raise _bad(f"there is no {media} in the request")
            if media == "photo" and str(params.get("photo")) in self.refused_photo_urls:
                raise _bad("failed to get HTTP URL content")
            plain, entities = self._formatted(
                params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
        markup = self._check_markup(params.get("reply_markup"))
        thread_id = self._check_thread(chat, params.get("message_thread_id"))
        self._check_rate(record.method, chat, record.time)
        message = self._new_message(chat, int(time.time()))
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if media is None:
            message["text"] = plain
            if entities:
                message["entities"] = entities
            if isinstance(params.get("link_preview_options"), dict):
                message["link_preview_options"] = params["link_preview_options"]
        else:
            file_id = f"standin-{media}-{next(self._file_ids)}"
            if media == "photo":
                message["photo"] = self._photo_sizes(file_id)
            else:
                upload = files.get(media)
                document: JSONDict = {"file_id": file_id, "file_unique_id": f"{file_id}-u"}
                if upload is not None:
                    document["file_name"] = upload.filename or "file"
                    document["file_size"] = len(upload.data)
                    if upload.content_type:
                        document["mime_type"] = upload.content_type
                message["document"] = document
            if plain:
                message["caption"] = plain
                if entities:
                    message["caption_entities"] = entities
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            replied = self._messages.get((chat.id, _as_int(reply["message_id"], "message_id")))
            if replied is not None:
                message["reply_to_message"] = replied
            elif not reply.get("allow_sending_without_reply"):
                raise _bad("message to be replied not found")
        self._store(chat.id, message)
        self._record_message(record.method, chat, message, params, files, plain, entities, record.time)
        return message

    def _store(self, chat_id: int, message: JSONDict) -> None:
        message_id = int(message["message_id"])
        self._messages[(chat_id, message_id)] = message
        self._last_bot_message[chat_id] = message_id

    # ------------------------------------------------------------------ method handlers

    async def _true(self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord) -> Any:
        return True

    async def _get_file(self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord) -> Any:
        """Files users sent (up to 20 MB, as Telegram allows bots to download)."""
        file_id = params.get("file_id")
        if not file_id:
            raise _bad("file_id is empty")
        if file_id not in self._files:
            raise _bad("invalid file_id")
        file_path, content = self._files[file_id]
        if len(content) > 20 * 1024 * 1024:
            raise _bad("file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"{file_id}-u",
            "file_size": len(content),
            "file_path": file_path,
        }

    async def _get_me(self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord) -> Any:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        if self.webhook_url:
            raise StandInApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _as_int(params.get("offset", 0), "offset")
        limit = max(1, min(100, _as_int(params.get("limit", 100), "limit")))
        timeout = max(0.0, float(params.get("timeout", 0) or 0))
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.allowed_updates = [str(a) for a in allowed]
        deadline = time.monotonic() + timeout
        while True:
            result = self._select_updates(offset, limit)
            remaining = deadline - time.monotonic()
            if result or remaining <= 0 or self._closing:
                return result
            event = self._update_event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), remaining)

    def _select_updates(self, offset: int, limit: int) -> list[JSONDict]:
        updates = self._updates
        if offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        elif offset > 0:
            while updates and updates[0]["update_id"] < offset:
                updates.popleft()
        allowed = self.allowed_updates
        result: list[JSONDict] = []
        for update in list(updates):
            kind = next((k for k in update if k != "update_id"), "")
            permitted = kind in allowed if allowed else kind not in _DEFAULT_EXCLUDED_UPDATES
            if not permitted:
                updates.remove(update)  # Telegram drops updates the bot did not ask for
                continue
            result.append(update)
            if len(result) >= limit:
                break
        return result

    async def _set_webhook(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook_url = url
        secret = params.get("secret_token")
        self.webhook_secret = str(secret) if secret else None
        return True

    async def _delete_webhook(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _get_webhook_info(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _set_my_commands(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not _BOT_COMMAND_RE.match(str(command.get("command", ""))):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        if commands:
            self.commands[key] = [dict(c) for c in commands]
        else:
            self.commands.pop(key, None)
        return True

    async def _get_my_commands(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return self.commands.get(key, [])

    async def _delete_my_commands(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        key = (_scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self.commands.pop(key, None)
        return True

    def _store_description(self, params: JSONDict, into: dict[str, str], field: str, limit: int) -> bool:
        text = str(params.get(field) or "")
        if len(text) > limit:
            raise _bad(f"{field.upper()}_INVALID")
        language = str(params.get("language_code") or "")
        if text:
            into[language] = text
        else:
            into.pop(language, None)
        return True

    async def _set_my_description(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        return self._store_description(params, self.descriptions, "description", 512)

    async def _set_my_short_description(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        return self._store_description(params, self.short_descriptions, "short_description", 120)

    async def _set_chat_menu_button(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        chat_id = params.get("chat_id")
        button = params.get("menu_button") or {"type": "default"}
        self.menu_buttons[None if chat_id is None else _as_int(chat_id, "chat_id")] = button
        return True

    async def _get_chat_menu_button(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        chat_id = params.get("chat_id")
        key = None if chat_id is None else _as_int(chat_id, "chat_id")
        return self.menu_buttons.get(key) or self.menu_buttons.get(None) or {"type": "commands"}

    async def _send_message(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        return await self._send("sendMessage", params, files, record, None)

    async def _send_photo(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        return await self._send("sendPhoto", params, files, record, "photo")

    async def _send_media_group(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        """An album: 2–10 photos/videos (or only documents, or only audio) sent as messages sharing a
        ``media_group_id``; each item's caption is validated like a caption. The method takes no
        ``reply_markup`` (Telegram ignores one). A photo URL Telegram cannot use fails the whole album with
        the item's number, as Telegram answers."""
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_chat_rules("sendmediagroup", chat)
        media = params.get("media")
        if not isinstance(media, list) or not all(isinstance(item, dict) for item in media):
            raise _bad("can't parse media JSON object")
        if not 2 <= len(media) <= 10:
            raise _bad("wrong number of media items: must include 2-10 items")
        kinds = {str(item.get("type")) for item in media}
        if not kinds <= {"photo", "video", "document", "audio"} or (
            len(kinds) > 1 and not kinds <= {"photo", "video"}
        ):
            raise _bad("MEDIA_INVALID: documents and audio files can only be grouped with their own kind")
        formatted: list[tuple[str, list[JSONDict]]] = []
        for number, item in enumerate(media, start=1):
            source = item.get("media")
            if not isinstance(source, str) or not source:
                raise _bad(f"there is no media in the item #{number}")
            formatted.append(
                self._formatted(
                    item.get("caption"), item.get("parse_mode"), item.get("caption_entities"), caption=True
                )
            )
        for number, item in enumerate(media, start=1):
            if item.get("type") == "photo" and str(item["media"]) in self.refused_photo_urls:
                raise _bad(f'failed to send message #{number} with the error message "WEBPAGE_MEDIA_EMPTY"')
        self._check_rate(record.method, chat, record.time)
        group_id = f"standin-group-{next(self._file_ids)}"
        result: list[JSONDict] = []
        for item, (plain, entities) in zip(media, formatted, strict=True):
            message = self._new_message(chat, int(time.time()))
            message["media_group_id"] = group_id
            kind = str(item["type"])
            file_id = f"standin-{kind}-{next(self._file_ids)}"
            if kind == "photo":
                message["photo"] = self._photo_sizes(file_id)
            else:
                message[kind] = {"file_id": file_id, "file_unique_id": f"{file_id}-u"}
            if plain:
                message["caption"] = plain
                if entities:
                    message["caption_entities"] = entities
            self._store(chat.id, message)
            one = {
                key: value
                for key, value in params.items()
                if key in ("chat_id", "disable_notification", "allow_paid_broadcast")
            }
            one[kind] = item["media"]
            for key in ("caption", "parse_mode"):
                if key in item:
                    one[key] = item[key]
            self._record_message(record.method, chat, message, one, files, plain, entities, record.time)
            result.append(message)
        return result

    async def _send_document(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        return await self._send("sendDocument", params, files, record, "document")

    async def _copy_message(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        source_chat = self._resolve_chat(params.get("from_chat_id"))
        source = self._messages.get((source_chat.id, _as_int(params.get("message_id"), "message_id")))
        if source is None:
            raise _bad("message to copy not found")
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_chat_rules("copymessage", chat)
        message = self._new_message(chat, int(time.time()))
        for key in ("text", "entities", "photo", "document"):
            if key in source:
                message[key] = source[key]
        has_media = "photo" in source or "document" in source
        if has_media and "caption" in params:
            plain, entities = self._formatted(
                params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
            )
            if plain:
                message["caption"] = plain
                if entities:
                    message["caption_entities"] = entities
        else:
            plain = str(source.get("text", source.get("caption", "")))
            entities = list(source.get("entities") or source.get("caption_entities") or [])
            if has_media and "caption" in source:
                message["caption"] = source["caption"]
                if "caption_entities" in source:
                    message["caption_entities"] = source["caption_entities"]
        markup = self._check_markup(params.get("reply_markup"))
        self._check_rate(record.method, chat, record.time)
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._store(chat.id, message)
        sent = self._record_message(record.method, chat, message, params, files, plain, entities, record.time)
        if sent.text is None:
            sent.text = plain
        return {"message_id": message["message_id"]}

    def _editable(self, params: JSONDict) -> tuple[_Chat, JSONDict] | None:
        if params.get("inline_message_id"):
            return None
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_chat_rules("editmessagetext", chat)
        message = self._messages.get((chat.id, _as_int(params.get("message_id"), "message_id")))
        if message is None:
            raise _bad("message to edit not found")
        return chat, message

    @staticmethod
    def _not_modified() -> StandInApiError:
        return _bad(
            "message is not modified: specified new message content and reply markup are exactly "
            "the same as a current content and reply markup of the message"
        )

    def _apply_edit(
        self,
        record: RequestRecord,
        params: JSONDict,
        files: dict[str, UploadedFile],
        chat: _Chat,
        message: JSONDict,
        changes: JSONDict,
        plain: str,
        entities: list[JSONDict],
    ) -> JSONDict:
        updated = dict(message)
        for key, value in changes.items():
            if value is None or value == []:
                updated.pop(key, None)
            else:
                updated[key] = value
        if updated == message:
            raise self._not_modified()
        updated["edit_date"] = int(time.time())
        self._messages[(chat.id, int(message["message_id"]))] = updated
        self._record_message(record.method, chat, updated, params, files, plain, entities, record.time)
        return updated

    @staticmethod
    def _inline_markup(markup: JSONDict | None) -> JSONDict | None:
        return markup if markup and "inline_keyboard" in markup else None

    async def _edit_message_text(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        plain, entities = self._formatted(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        markup = self._inline_markup(self._check_markup(params.get("reply_markup")))
        target = self._editable(params)
        if target is None:
            return True
        chat, message = target
        if "text" not in message:
            raise _bad("there is no text in the message to edit")
        changes: JSONDict = {"text": plain, "entities": entities or None, "reply_markup": markup}
        if isinstance(params.get("link_preview_options"), dict):
            changes["link_preview_options"] = params["link_preview_options"]
        return self._apply_edit(record, params, files, chat, message, changes, plain, entities)

    async def _edit_message_caption(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        plain, entities = self._formatted(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        markup = self._inline_markup(self._check_markup(params.get("reply_markup")))
        target = self._editable(params)
        if target is None:
            return True
        chat, message = target
        if "text" in message:
            raise _bad("there is no caption in the message to edit")
        changes: JSONDict = {
            "caption": plain or None,
            "caption_entities": entities or None,
            "reply_markup": markup,
        }
        return self._apply_edit(record, params, files, chat, message, changes, plain, entities)

    async def _edit_message_reply_markup(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        markup = self._inline_markup(self._check_markup(params.get("reply_markup")))
        target = self._editable(params)
        if target is None:
            return True
        chat, message = target
        plain = str(message.get("text", message.get("caption", "")))
        entities: list[JSONDict] = list(message.get("entities") or message.get("caption_entities") or [])
        return self._apply_edit(
            record, params, files, chat, message, {"reply_markup": markup}, plain, entities
        )

    async def _delete_message(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_chat_rules("deletemessage", chat)
        message_id = _as_int(params.get("message_id"), "message_id")
        if self._messages.pop((chat.id, message_id), None) is None:
            raise _bad("message to delete not found")
        self.deleted.append((chat.id, message_id))
        return True

    async def _answer_callback_query(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        if not query_id:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = params
        return True

    async def _get_chat(self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord) -> Any:
        chat = self._resolve_chat(params.get("chat_id"), must_exist=self.unknown_chats_fail)
        data = chat.to_json()
        data.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        return data

    async def _get_chat_member(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        chat = self._resolve_chat(params.get("chat_id"))
        user_id = _as_int(params.get("user_id"), "user_id")
        return self._member_json(chat, user_id)

    async def _get_chat_administrators(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        chat = self._resolve_chat(params.get("chat_id"))
        if chat.type == "private":
            raise _bad("there are no administrators in the private chat")
        admins = [
            self._member_json(chat, user_id)
            for (chat_id, user_id), info in self._members.items()
            if chat_id == chat.id
            and info["status"] in ("creator", "administrator")
            and user_id != self._bot_id
        ]
        if self._member_status(chat, self._bot_id)["status"] == "administrator":
            admins.append(self._member_json(chat, self._bot_id))
        return admins

    async def _send_chat_action(
        self, params: JSONDict, files: dict[str, UploadedFile], record: RequestRecord
    ) -> Any:
        chat = self._resolve_chat(params.get("chat_id"))
        self._check_chat_rules("sendchataction", chat)
        self.chat_actions.append((chat.id, str(params.get("action", ""))))
        return True


def iter_texts(messages: Iterable[SentMessage]) -> list[str]:
    """Visible texts of ``messages`` (handy in assertions)."""
    return [m.plain_text for m in messages]
