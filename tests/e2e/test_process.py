"""`python -m bot run` as a real process: structured logs that never contain the token, and a clean stop."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.standin import BotApiStandIn

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
async def test_json_logs_never_show_the_token_and_sigterm_stops_cleanly(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": sqlite_url,
        "FEED_URLS": "http://127.0.0.1:9/rss",  # refused: an error worth logging
        "SCHEDULER_TICK_SECONDS": "0.5",
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "DEBUG",
        "LOG_JSON": "true",
    }
    bot = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        server.inject_message("/start", chat_id=4242)  # queued until the bot's first getUpdates
        await server.wait_for(chat_id=4242, contains="Xin chào", timeout=30)
        await asyncio.sleep(1.5)  # a feed poll fails meanwhile and is logged
    finally:
        bot.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(bot.communicate(), 30)
    assert bot.returncode == 0
    lines = [line for line in err.decode().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any("failed" in r["message"] and r["level"] == "WARNING" for r in records)
    assert records[-1]["message"] == "bot stopped"
    secret = server.token.split(":", 1)[1]
    assert secret not in err.decode() and secret not in out.decode()
