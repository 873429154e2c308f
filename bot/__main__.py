"""Command line: `python -m bot run | preview SOURCE | db upgrade`. Reads settings once, hands them down."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.logs import setup_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.startup import Diagnosis, reach_telegram

log = logging.getLogger("bot")

NO_TOKEN = """error: TELEGRAM_BOT_TOKEN is not set.
Create a bot with @BotFather in Telegram (send /newbot), then run:
    TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot run
To see what the bot would post without Telegram or a database:
    python -m bot preview https://sokhcn.tayninh.gov.vn/vi/news/rss/ --limit 3"""


RUN_HELP = """Runs the bot until SIGTERM or Ctrl-C.

environment:
  TELEGRAM_BOT_TOKEN      the bot's token from @BotFather (required; never logged)
  TELEGRAM_API_BASE_URL   Bot API base (default https://api.telegram.org/bot)
  TELEGRAM_PROXY_URL      http://, https://, socks5:// or socks5h:// proxy for every Bot API call
  DATABASE_URL            sqlite:///data/bot.sqlite3 (default) or postgresql://user@host/db
  ADMIN_IDS               comma-separated Telegram user ids of the department's admins

If Telegram cannot be reached, one line says why (network, wrong token, wrong base URL); a network
fault is retried with backoff (2 s, 4 s … up to 60 s), a wrong token or base URL stops at once."""

DB_UPGRADE_HELP = """Applies the schema migrations to DATABASE_URL (default sqlite:///data/bot.sqlite3) and
exits. The bot also does this at every start; run it alone before starting several processes."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Tây Ninh department news bot for Telegram")
    p.add_argument("--config", type=Path, help="settings file (default: config/settings.toml)")
    sub = p.add_subparsers(dest="command", required=True)
    raw = argparse.RawDescriptionHelpFormatter
    run = sub.add_parser(
        "run",
        help="run the bot (needs TELEGRAM_BOT_TOKEN; long polling, or --webhook)",
        description=RUN_HELP,
        formatter_class=raw,
    )
    run.add_argument(
        "--webhook",
        action="store_true",
        help="receive updates by webhook instead of polling (needs WEBHOOK_URL and WEBHOOK_SECRET)",
    )
    pre = sub.add_parser("preview", help="print what the bot would post for a feed URL or file")
    pre.add_argument("source", help="feed URL, or a path to a feed file")
    pre.add_argument("--json", action="store_true", help="one JSON object per item and line")
    pre.add_argument("--limit", type=int, default=None, help="at most N items (newest)")
    pre.add_argument("--no-fetch", action="store_true", help="do not fetch article pages")
    db = sub.add_parser("db", help="database maintenance", description="Database maintenance.")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser(
        "upgrade", help="apply schema migrations", description=DB_UPGRADE_HELP, formatter_class=raw
    )
    return p


async def _db_upgrade(settings: Settings) -> None:
    from bot.store.db import create_engine, upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _reach_telegram(settings: Settings) -> Diagnosis | None:
    """getMe until it answers, retrying with backoff while waiting helps; SIGTERM/SIGINT end the wait."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    assert settings.token
    found = await reach_telegram(
        settings.telegram_api_base_url, settings.token, stop, settings.telegram_proxy
    )
    if stop.is_set():
        raise _Stopped
    return found


class _Stopped(Exception):
    pass


def _run(settings: Settings, webhook: bool) -> int:
    from telegram.error import InvalidToken, NetworkError

    from bot.runner import DatabaseUnavailable, ZaloRejected, check_database, serve

    if webhook and not (settings.webhook_url and settings.webhook_secret):
        print(
            "error: --webhook needs WEBHOOK_URL (public https:// address) and WEBHOOK_SECRET", file=sys.stderr
        )
        return 2
    try:
        asyncio.run(check_database(settings))
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        problem = asyncio.run(_reach_telegram(settings))
    except _Stopped:
        log.info("bot stopped before it reached Telegram")
        return 0
    if problem is not None:
        log.error("%s", problem.line)
        return 2
    log.info(
        "bot starting: %d feed(s), %s", len(settings.feed_list), "webhook" if webhook else "long polling"
    )
    try:
        asyncio.run(serve(settings, webhook=webhook))
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ZaloRejected as exc:
        log.error("%s", exc)
        return 2
    except InvalidToken:
        log.error("wrong token: Telegram rejected TELEGRAM_BOT_TOKEN; copy it again from @BotFather")
        return 2
    except NetworkError as exc:
        log.error("network: lost the Telegram Bot API while starting (%s); start again", exc)
        return 1
    except Exception:  # shown through the log, which redacts every secret, never as a bare traceback
        log.critical("the bot stopped on an error", exc_info=True)
        return 1
    log.info("bot stopped")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings)
    if args.command == "preview":
        from bot.services.preview import preview

        return asyncio.run(
            preview(settings, args.source, as_json=args.json, limit=args.limit, fetch=not args.no_fetch)
        )
    if args.command == "db":
        asyncio.run(_db_upgrade(settings))
        print("database is up to date")
        return 0
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    return _run(settings, args.webhook)


if __name__ == "__main__":
    sys.exit(main())
