"""Composition root: builds the python-telegram-bot Application, the services, handlers and jobs."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from telegram import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeDefault, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import Clock, SystemClock
from bot.delivery.sender import Sender
from bot.feeds.fetch import FeedClient
from bot.handlers import citizen, errors, membership
from bot.i18n import t
from bot.services.ingest import IngestService
from bot.services.subscribe import SubscriptionService
from bot.settings import Settings
from bot.store.store import Store

log = logging.getLogger(__name__)

CITIZEN_COMMANDS = ("start", "latest", "awards", "settings", "search", "help", "stop")


@dataclass
class Services:
    """Everything handlers and jobs may call. Built once per process."""

    settings: Settings
    store: Store
    clock: Clock
    subscriptions: SubscriptionService
    ingest: IngestService
    sender: Sender


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def build_services(settings: Settings, store: Store, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    owner = process_name()
    sender = Sender(store, clock, settings, owner=owner)
    feed_client = FeedClient(
        user_agent=settings.user_agent,
        timeout=settings.fetch_timeout_seconds,
        max_bytes=settings.max_feed_bytes,
    )
    ingest = IngestService(store, feed_client, clock, settings, owner=owner, on_queued=sender.wake)
    return Services(
        settings=settings,
        store=store,
        clock=clock,
        subscriptions=SubscriptionService(store, clock),
        ingest=ingest,
        sender=sender,
    )


async def _tick_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc: Services = context.bot_data["services"]
    await svc.ingest.poll_due()


async def register_commands(app: Application) -> None:  # type: ignore[type-arg]
    """The command menu, in Vietnamese (default) and English."""
    for lang in ("vi", "en"):
        commands = [BotCommand(name, t(f"cmd_{name}", lang)) for name in CITIZEN_COMMANDS]
        code = None if lang == "vi" else "en"
        await app.bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=code)
        await app.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code=code)


def build_application(settings: Settings, services: Services) -> Application:  # type: ignore[type-arg]
    """The bot: handlers, jobs, and the sender's life cycle tied to the Application's."""
    token = settings.token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the application")

    async def post_init(app: Application) -> None:  # type: ignore[type-arg]
        await services.store.sync_feeds(settings.feed_list, settings.poll_interval_seconds)
        await services.sender.start(app.bot)
        try:
            await register_commands(app)
        except Exception:  # the menu is a convenience: never a reason not to start
            log.warning("could not register the command menu", exc_info=True)

    async def post_stop(app: Application) -> None:  # type: ignore[type-arg]
        await services.sender.stop()

    async def post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
        await services.ingest.aclose()

    app = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_base_url)
        .connection_pool_size(max(8, settings.sender_concurrency + 4))
        .pool_timeout(10)
        .connect_timeout(10)
        .read_timeout(15)
        .write_timeout(15)
        .get_updates_read_timeout(40)
        .concurrent_updates(16)
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data["services"] = services
    app.add_handler(CommandHandler("start", citizen.start))
    app.add_handler(CommandHandler(["stop", "unsubscribe"], citizen.stop))
    app.add_handler(CommandHandler("help", citizen.help_command))
    app.add_handler(ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    app.add_handler(MessageHandler(filters.COMMAND, citizen.unknown))  # last: only unknown commands
    app.add_error_handler(errors.on_error)
    assert app.job_queue is not None
    app.job_queue.run_repeating(
        _tick_feeds,
        interval=settings.scheduler_tick_seconds,
        first=1.0,
        name="feeds",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
    return app


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER, Update.CHANNEL_POST]
