"""Logging set-up: plain or JSON lines on stderr, and no secret in any of them.

Every line is redacted as it is written -- message, arguments, tracebacks, at every level and from every
logger, the libraries' included (python-telegram-bot logs request parameters such as setWebhook's
``secret_token`` at DEBUG; httpx logs URLs, which hold the bot token).  Redacted: the bot token (whole and
its secret part, also URL-encoded), the webhook secret, the metrics token, a database password, and the
Zalo bot token and webhook secret.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from bot.settings import Settings

__all__ = ["JsonFormatter", "RedactingFormatter", "secrets_of", "setup_logging"]

REDACTED = "<redacted>"
_MIN_SECRET = 6  # shorter strings would redact ordinary words


def secrets_of(settings: Settings) -> list[str]:
    """Every secret the settings hold, in every form it could be written in a log line."""
    found: list[str] = []
    token = settings.token
    if token:
        found += [token, quote(token, safe=""), token.split(":", 1)[-1]]
    zalo_token = settings.zalo_token
    if zalo_token:
        found += [zalo_token, quote(zalo_token, safe=""), zalo_token.split(":", 1)[-1]]
    for secret in (
        settings.webhook_secret,
        getattr(settings, "metrics_token", None),
        settings.zalo_webhook_secret,
    ):
        if secret is not None:
            value = secret.get_secret_value()
            found += [value, quote(value, safe="")]
    try:
        password = urlsplit(settings.database_url).password
    except ValueError:
        password = None
    if password:
        found += [password, quote(password, safe="")]
    unique = {s for s in found if len(s) >= _MIN_SECRET}
    return sorted(unique, key=len, reverse=True)  # the longest first: a token before its secret part


class RedactingFormatter(logging.Formatter):
    """Formats with `inner`, then replaces every secret in the finished line (tracebacks included)."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str]) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        line = self.inner.format(record)
        for secret in self.secrets:
            if secret in line:
                line = line.replace(secret, REDACTED)
        return line


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def setup_logging(settings: Settings) -> None:
    inner = (
        JsonFormatter()
        if settings.log_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter(inner, secrets_of(settings)))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
