"""Before the bot starts: can Telegram be reached with this token at this base URL?

`diagnose` is pure (an HTTP answer or a transport error → what failed, in one line, and whether waiting
helps); `reach_telegram` asks `getMe` and retries with backoff while waiting helps (no network yet, the
Bot API server restarting), and gives up at once on a wrong token or a base URL that is not a Bot API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
BACKOFF_FIRST_SECONDS = 2.0
BACKOFF_MAX_SECONDS = 60.0
CHECK_TIMEOUT_SECONDS = 10.0


class Problem(Enum):
    NETWORK = "network"
    TOKEN = "token"
    BASE_URL = "base_url"
    SERVER = "server"


@dataclass(frozen=True)
class Diagnosis:
    problem: Problem
    line: str

    @property
    def retry(self) -> bool:
        """Waiting helps for a network fault or a server error, never for a wrong token or address."""
        return self.problem in (Problem.NETWORK, Problem.SERVER)


def host_of(base_url: str) -> str:
    parts = urlsplit(base_url)
    return parts.netloc or base_url


def diagnose_error(base_url: str, error: BaseException) -> Diagnosis:
    """A transport error (nothing answered)."""
    reason = str(error) or type(error).__name__
    if isinstance(error, httpx.TimeoutException):
        reason = "no answer in time"
    return Diagnosis(
        Problem.NETWORK,
        f"network: cannot reach the Telegram Bot API at {host_of(base_url)} ({reason})",
    )


def diagnose_answer(base_url: str, status: int, body: bytes) -> Diagnosis | None:
    """An HTTP answer to getMe: None when it is a bot's own description (all is well)."""
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except ValueError:
        data = None
    is_bot_api = isinstance(data, dict) and "ok" in data
    if is_bot_api and data.get("ok") is True and status == 200:
        return None
    custom = base_url.rstrip("/") != DEFAULT_BASE_URL
    if status >= 500 or status == 429:
        line = f"network: the Bot API at {host_of(base_url)} answered HTTP {status}"
        return Diagnosis(Problem.SERVER, line)
    if not is_bot_api:
        return Diagnosis(
            Problem.BASE_URL,
            f"wrong base URL: {host_of(base_url)} answered HTTP {status} but is not a Telegram Bot API; "
            "check TELEGRAM_API_BASE_URL (default https://api.telegram.org/bot)",
        )
    if status == 401:
        return Diagnosis(
            Problem.TOKEN,
            "wrong token: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized); "
            "copy it again from @BotFather (/mybots → API Token)",
        )
    if status == 404 and custom:
        return Diagnosis(
            Problem.BASE_URL,
            f"wrong token or base URL: {host_of(base_url)} answered 404 Not Found; "
            "check TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL (it ends in /bot)",
        )
    return Diagnosis(
        Problem.TOKEN,
        f"wrong token: Telegram answered HTTP {status} to TELEGRAM_BOT_TOKEN; "
        "copy it again from @BotFather (/mybots → API Token)",
    )


def backoff(attempt: int) -> float:
    """Seconds to wait after the `attempt`-th failure (1-based): 2, 4, 8 … up to 60."""
    return min(BACKOFF_MAX_SECONDS, BACKOFF_FIRST_SECONDS * 2.0 ** (attempt - 1))


async def check_once(base_url: str, token: str, proxy: str | None = None) -> Diagnosis | None:
    url = f"{base_url}{token}/getMe"
    try:
        async with httpx.AsyncClient(timeout=CHECK_TIMEOUT_SECONDS, proxy=proxy) as client:
            response = await client.get(url)
    except httpx.HTTPError as exc:
        found = diagnose_error(base_url, exc)
        return Diagnosis(found.problem, found.line.replace(token, "<token>")) if token else found
    return diagnose_answer(base_url, response.status_code, response.content)


async def reach_telegram(
    base_url: str, token: str, stop: asyncio.Event, proxy: str | None = None
) -> Diagnosis | None:
    """None once getMe answers (or when `stop` is set while waiting); the diagnosis when retrying
    cannot help. Each failed attempt is logged in one line; the token never appears in it."""
    attempt = 0
    while not stop.is_set():
        diagnosis = await check_once(base_url, token, proxy)
        if diagnosis is None:
            return None
        if not diagnosis.retry:
            return diagnosis
        attempt += 1
        wait = backoff(attempt)
        log.error("%s; retrying in %.0f s", diagnosis.line, wait)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), wait)
    return None


async def check_zalo(get_me: Callable[[], Awaitable[object]]) -> str | None:
    """Zalo's getMe with the configured token: one line saying why the token is refused (None: accepted,
    or Zalo could not be reached now, which is logged and left to the sends' own retries)."""
    from bot.delivery.zalo import ZaloApiError, ZaloNetworkError

    try:
        await get_me()
    except ZaloApiError as exc:
        if exc.code in (401, 403, 404):
            return (
                f"wrong token: Zalo rejected ZALO_BOT_TOKEN ({exc.code}); copy it again from Zalo Bot Creator"
            )
        log.warning("Zalo getMe failed (%s); Zalo messages will be retried", exc)
    except ZaloNetworkError as exc:
        log.warning("cannot reach Zalo now (%s); Zalo messages will be retried", exc)
    return None
