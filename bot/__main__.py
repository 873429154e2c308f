"""Command line: `python -m bot run | preview SOURCE | db upgrade`. Reads settings once, hands them down."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("bot")

NO_TOKEN = """error: TELEGRAM_BOT_TOKEN is not set.
Create a bot with @BotFather in Telegram (send /newbot), then run:
    TELEGRAM_BOT_TOKEN=123456:ABC... python -m bot run
To see what the bot would post without Telegram or a database:
    python -m bot preview https://sokhcn.tayninh.gov.vn/vi/news/rss/ --limit 3"""


class RedactToken(logging.Filter):
    """Keeps the bot token out of every log line (httpx logs request URLs, which contain it)."""

    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
        return True


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
    handler = logging.StreamHandler()
    handler.addFilter(RedactToken(settings.token))
    handler.setFormatter(
        JsonFormatter()
        if settings.log_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="Tây Ninh department news bot for Telegram")
    p.add_argument("--config", type=Path, help="settings file (default: config/settings.toml)")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook instead of polling")
    pre = sub.add_parser("preview", help="print what the bot would post for a feed URL or file")
    pre.add_argument("source", help="feed URL, or a path to a feed file")
    pre.add_argument("--json", action="store_true", help="one JSON object per item and line")
    pre.add_argument("--limit", type=int, default=None, help="at most N items (newest)")
    pre.add_argument("--no-fetch", action="store_true", help="do not fetch article pages")
    db = sub.add_parser("db", help="database maintenance")
    db.add_argument("action", choices=["upgrade"], help="apply schema migrations")
    return p


async def _db_upgrade(settings: Settings) -> None:
    from bot.store.db import create_engine, upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _run(settings: Settings, webhook: bool) -> int:
    from bot.runner import DatabaseUnavailable, serve

    if webhook and not (settings.webhook_url and settings.webhook_secret):
        print(
            "error: --webhook needs WEBHOOK_URL (public https:// address) and WEBHOOK_SECRET", file=sys.stderr
        )
        return 2
    log.info(
        "bot starting: %d feed(s), %s", len(settings.feed_list), "webhook" if webhook else "long polling"
    )
    try:
        asyncio.run(serve(settings, webhook=webhook))
    except DatabaseUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
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
