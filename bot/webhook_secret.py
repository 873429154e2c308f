"""The webhook's secret token is checked in constant time.

python-telegram-bot's webhook server compares the ``X-Telegram-Bot-Api-Secret-Token`` header with ``!=``
(time depends on how much of a guess is right) and logs a wrong guess.  `install` replaces that check
with one built on `hmac.compare_digest`; requests are answered exactly as before (403 without the right
token, 403 for a body that is not JSON).
"""

from __future__ import annotations

import hmac
from http import HTTPStatus

import tornado.web
from telegram.ext._utils.webhookhandler import TelegramHandler

__all__ = ["install", "secret_matches"]

HEADER = "X-Telegram-Bot-Api-Secret-Token"


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a received secret token with the configured one."""
    return given is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _validate_post(self: TelegramHandler) -> None:
    if self.request.headers.get("Content-Type", None) != "application/json":
        raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
    if self.secret_token is not None and not secret_matches(
        self.request.headers.get(HEADER), self.secret_token
    ):
        raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN, reason="Request had no or a wrong secret token")


def install() -> None:
    """Use the constant-time check in python-telegram-bot's webhook handler (idempotent)."""
    TelegramHandler._validate_post = _validate_post  # type: ignore[method-assign]
