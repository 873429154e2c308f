"""`python -m bot run` when Telegram cannot be reached: one line saying what failed, retries where
they help."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.standin import BotApiStandIn
from tests.standin.server import Fault

ROOT = Path(__file__).resolve().parents[2]


def _env(token: str, base_url: str, sqlite_url: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": base_url,
        "DATABASE_URL": sqlite_url,
        "FEED_URLS": "http://127.0.0.1:9/rss",
        "HEALTH_PORT": "0",
    }


async def _run(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.slow
async def test_a_rejected_token_stops_with_one_line(server: BotApiStandIn, sqlite_url: str) -> None:
    server.fail_next("getMe", error=Fault("error", 401, "Unauthorized"), count=100)
    bot = await _run(_env(server.token, server.base_url, sqlite_url), "run")
    out, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 2
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "wrong token" in lines[0] and "TELEGRAM_BOT_TOKEN" in lines[0] and "@BotFather" in lines[0]
    assert "Traceback" not in err.decode()
    assert server.token.split(":", 1)[1] not in err.decode() + out.decode()
    assert len(server.calls("getMe")) == 1  # no retry: waiting cannot fix a token


@pytest.mark.slow
async def test_a_base_url_that_is_not_the_bot_api_stops_with_one_line(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    bot = await _run(_env(server.token, f"{server.url}/nothing-here/", sqlite_url), "run")
    _, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 2
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "base URL" in lines[0] and "TELEGRAM_API_BASE_URL" in lines[0]


@pytest.mark.slow
async def test_no_route_to_telegram_is_retried_with_backoff_in_one_line_each(sqlite_url: str) -> None:
    token = "123456:AAUnreachableTokenabcdefghijklmnopq"
    bot = await _run(_env(token, "http://127.0.0.1:9/bot", sqlite_url), "run")
    assert bot.stderr is not None
    seen: list[str] = []
    try:
        while len(seen) < 2:  # attempts at 0 s and 2 s, then a wait of 4 s
            line = (await asyncio.wait_for(bot.stderr.readline(), 30)).decode()
            assert line, seen
            seen.append(line)
    finally:
        bot.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0
    text = "".join(seen) + err.decode()
    assert "Traceback" not in text
    failures = [line for line in text.splitlines() if "network: cannot reach" in line]
    assert len(failures) == 2, text
    assert "127.0.0.1:9" in failures[0] and "retrying in 2 s" in failures[0]
    assert "retrying in 4 s" in failures[1]
    assert "AAUnreachableToken" not in text + out.decode()


@pytest.mark.slow
async def test_help_texts_name_the_token_and_db_upgrade_has_its_own(sqlite_url: str) -> None:
    bot = await _run(_env("", "http://127.0.0.1:9/bot", sqlite_url), "run", "--help")
    out, _ = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0 and "TELEGRAM_BOT_TOKEN" in out.decode() and "@BotFather" in out.decode()
    bot = await _run(_env("", "http://127.0.0.1:9/bot", sqlite_url), "db", "upgrade", "--help")
    out, _ = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0 and "migrations" in out.decode() and "DATABASE_URL" in out.decode()
