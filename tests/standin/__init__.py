"""Local Telegram Bot API stand-in for end-to-end tests.

Usage::

    async with BotApiStandIn() as server:
        bot = Bot(server.token, base_url=server.base_url)
        await bot.initialize()
        server.inject_message("/start", chat_id=1001)
        ...
        sent = await server.wait_for(chat_id=1001, contains="Xin chào")
"""

from tests.standin.html_check import (
    ALLOWED_TAGS,
    HtmlParseError,
    ParsedHtml,
    check_html,
    parse_html,
    utf16_len,
)
from tests.standin.server import (
    BotApiStandIn,
    Fault,
    RateLimits,
    RateViolation,
    RequestRecord,
    SentMessage,
    StandInApiError,
    UploadedFile,
    bad_request,
    delay,
    drop,
    forbidden,
    iter_texts,
    migrated,
    server_error,
    too_many,
)

__all__ = [
    "ALLOWED_TAGS",
    "BotApiStandIn",
    "Fault",
    "HtmlParseError",
    "ParsedHtml",
    "RateLimits",
    "RateViolation",
    "RequestRecord",
    "SentMessage",
    "StandInApiError",
    "UploadedFile",
    "bad_request",
    "check_html",
    "delay",
    "drop",
    "forbidden",
    "iter_texts",
    "migrated",
    "parse_html",
    "server_error",
    "too_many",
    "utf16_len",
]
