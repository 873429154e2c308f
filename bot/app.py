"""Composition root: builds the python-telegram-bot Application, the services, handlers and jobs."""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from telegram import (
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.clock import Clock, SystemClock
from bot.delivery.editor import Editor, EditorSettings
from bot.delivery.replies import FairUpdates, ReplyPacing
from bot.delivery.sender import Sender, SenderSettings
from bot.delivery.telegram import MessengerSettings, TelegramMessenger
from bot.delivery.zalo import ZaloClient, ZaloMessenger
from bot.feeds.fetch import FeedClient
from bot.handlers import admin_tools, buttons, citizen, commands, errors, membership
from bot.handlers.context import SERVICES_KEY, BotContext, HandlerConfig, Services
from bot.i18n import t
from bot.metrics import Metrics
from bot.services.admin import AdminService, AdminSettings
from bot.services.broadcast import BroadcastService, BroadcastSettings
from bot.services.digest import DigestService
from bot.services.feed_admin import FeedAdminService, FeedAdminSettings
from bot.services.health import HealthService, HealthSettings
from bot.services.ingest import IngestService, IngestSettings
from bot.services.lookup import LookupService
from bot.services.preferences import PreferencesService
from bot.services.qr import QrService
from bot.services.subscribe import SubscriptionService
from bot.settings import Settings
from bot.store.store import Store

log = logging.getLogger(__name__)

__all__ = ["Services", "build_application", "build_services"]

CITIZEN_COMMANDS = tuple(c.name for c in commands.of_role(commands.Role.CITIZEN) if c.in_menu)
DIGEST_TICK_SECONDS = 60.0
App = Application[Any, BotContext, Any, Any, Any, Any]


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def ingest_settings(settings: Settings) -> IngestSettings:
    return IngestSettings(
        feeds=settings.feed_list,
        fetch_timeout_seconds=settings.fetch_timeout_seconds,
        scheduler_tick_seconds=settings.scheduler_tick_seconds,
        poll_jitter_fraction=settings.poll_jitter_fraction,
        backoff_base_seconds=settings.backoff_base_seconds,
        backoff_max_seconds=settings.backoff_max_seconds,
        backlog_send_latest=settings.backlog_send_latest,
        summary_caption_budget=settings.summary_caption_budget,
    )


def sender_settings(settings: Settings) -> SenderSettings:
    return SenderSettings(
        zone=settings.zone,
        send_rate_per_second=settings.send_rate_per_second,
        private_chat_interval_seconds=settings.private_chat_interval_seconds,
        group_messages_per_minute=settings.group_messages_per_minute,
        sender_concurrency=settings.sender_concurrency,
        delivery_lease_seconds=settings.delivery_lease_seconds,
        max_send_attempts=settings.max_send_attempts,
        public_base_url=settings.public_base_url,
        zalo_send_rate_per_second=settings.zalo_send_rate_per_second,
    )


def messenger_settings(settings: Settings) -> MessengerSettings:
    return MessengerSettings(
        zone=settings.zone,
        send_timeout_seconds=settings.send_timeout_seconds,
        sender_concurrency=settings.sender_concurrency,
        telegram_proxy=settings.telegram_proxy,
        telegram_api_base_url=settings.telegram_api_base_url,
        paid_broadcast=settings.paid_broadcast,
    )


def broadcast_settings(settings: Settings) -> BroadcastSettings:
    return BroadcastSettings(settings.default_language, settings.send_rate_per_second, settings.zone)


def build_services(settings: Settings, store: Store, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    owner = process_name()
    metrics = Metrics()
    sender_messenger = TelegramMessenger(messenger_settings(settings))
    messenger = TelegramMessenger(
        messenger_settings(settings)
    )  # bound to the application's bot when it is built
    zalo, zalo_sender = zalo_messengers(settings)
    sender = Sender(
        store.sending,
        clock,
        sender_settings(settings),
        sender_messenger,
        owner=owner,
        metrics=metrics,
        more=(zalo_sender,) if zalo_sender else (),
    )
    feed_client = FeedClient(
        user_agent=settings.user_agent,
        timeout=settings.fetch_timeout_seconds,
        max_bytes=settings.max_feed_bytes,
        proxy=settings.feeds_proxy,
    )
    ingest = IngestService(
        store.feeds,
        store.leases,
        store.articles,
        feed_client,
        clock,
        ingest_settings(settings),
        owner=owner,
        on_queued=sender.wake,
        metrics=metrics,
    )
    return Services(
        config=HandlerConfig.of(settings),
        store=store,
        clock=clock,
        subscriptions=SubscriptionService(store.chats, clock),
        ingest=ingest,
        sender=sender,
        messenger=messenger,
        sender_messenger=sender_messenger,
        preferences=PreferencesService(store.chats, store.feeds, store.articles, clock),
        lookup=LookupService(store.articles),
        digests=DigestService(store.chats, store.articles, clock, settings.zone, on_queued=sender.wake),
        metrics=metrics,
        broadcasts=BroadcastService(
            store.broadcasts,
            store.chats,
            clock,
            broadcast_settings(settings),
            messenger,
            wake=sender.wake,
            on_cancel=sender.forget_broadcast,
        ),
        admin=AdminService(
            store.stats,
            store.audit,
            store.feeds,
            store.articles,
            store.chats,
            clock,
            AdminSettings(settings.zone),
            ingest,
            Editor(EditorSettings(settings.send_rate_per_second), messenger),
            wake=sender.wake,
        ),
        health=HealthService(
            store.chats,
            store.feeds,
            clock,
            HealthSettings(
                admin_ids=settings.admin_ids,
                default_language=settings.default_language,
                failing_threshold=settings.feed_failing_threshold,
                stale_days=settings.feed_stale_days,
                zone=settings.zone,
            ),
            wake=sender.wake,
        ),
        qr=QrService(store.audit, clock),
        feed_admin=FeedAdminService(
            store.feeds,
            store.audit,
            clock,
            FeedAdminSettings(settings.department_name, settings.poll_interval_seconds),
            feed_client,
        ),
        zalo=zalo,
        zalo_sender=zalo_sender,
    )


def zalo_messengers(settings: Settings) -> tuple[ZaloMessenger | None, ZaloMessenger | None]:
    """Zalo is on when ZALO_BOT_TOKEN is set: a client for replies and one for the fan-out, both paced by
    the sender's Zalo pacer (one ZALO_SEND_RATE_PER_SECOND for the two together)."""
    token = settings.zalo_token
    if not token:
        return None, None
    replies = ZaloClient(token, settings.zalo_api_base_url, rate_per_second=None)
    fan_out = ZaloClient(token, settings.zalo_api_base_url, rate_per_second=None)
    return ZaloMessenger(replies, zone=settings.zone), ZaloMessenger(fan_out, zone=settings.zone)


async def _tick_broadcasts(context: BotContext) -> None:
    svc = context.services
    try:
        await svc.broadcasts.update_progress()
    except Exception as exc:  # the database or Telegram is away: the next tick tries again
        log.warning("broadcast progress tick failed: %s: %s", type(exc).__name__, exc)


async def _check_feed_health(context: BotContext) -> None:
    svc = context.services
    try:
        await svc.health.check()
    except Exception as exc:  # the database is away: the next tick tries again
        log.warning("feed health tick failed: %s: %s", type(exc).__name__, exc)


async def _tick_feeds(context: BotContext) -> None:
    svc = context.services
    try:
        await svc.ingest.tick()  # each due feed on a task of its own: the tick returns at once
    except Exception as exc:  # the database is away: the next tick tries again
        log.warning("feed tick failed: %s: %s", type(exc).__name__, exc)


async def _tick_digests(context: BotContext) -> None:
    svc = context.services
    svc.metrics.beat("digests", 3 * DIGEST_TICK_SECONDS + 120)
    try:
        await svc.digests.run_due()
    except Exception as exc:  # the database is away: the next tick tries again
        log.warning("digest tick failed: %s: %s", type(exc).__name__, exc)


async def register_commands(app: App, services: Services) -> None:
    """The command menu and the bot's descriptions (the empty chat's screen, the profile), in Vietnamese
    (default) and English; each admin's own chat also lists the admin commands."""
    department = services.config.department_name
    for lang in ("vi", "en"):
        menu = commands.menu(lang)
        code = None if lang == "vi" else "en"
        await app.bot.set_my_description(
            t("bot_description", lang, department=department)[:512], language_code=code
        )
        await app.bot.set_my_short_description(
            t("bot_short_description", lang, department=department)[:120], language_code=code
        )
        await app.bot.set_my_commands(menu, scope=BotCommandScopeDefault(), language_code=code)
        await app.bot.set_my_commands(menu, scope=BotCommandScopeAllPrivateChats(), language_code=code)
    for admin_id in services.config.admin_ids:  # admins (only they) see the admin commands in their chat
        for lang in ("vi", "en"):
            code = None if lang == "vi" else "en"
            try:
                await app.bot.set_my_commands(
                    commands.menu(lang, admin=True), scope=BotCommandScopeChat(admin_id), language_code=code
                )
            except Exception:  # e.g. an admin who never opened a chat with the bot
                log.warning("could not register the admin menu for %s", admin_id, exc_info=True)


def build_application(settings: Settings, services: Services) -> App:
    """The bot: handlers, jobs, and the sender's life cycle tied to the Application's."""
    token = settings.token
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to build the application")

    async def post_init(app: App) -> None:
        await services.store.feeds.sync_feeds(settings.feed_list, settings.poll_interval_seconds)
        await services.sender_messenger.start(app.bot)
        await services.sender.start()
        try:
            await register_commands(app, services)
        except Exception:  # the menu is a convenience: never a reason not to start
            log.warning("could not register the command menu", exc_info=True)

    async def post_stop(app: App) -> None:
        await services.sender.stop()
        await services.sender_messenger.close()

    async def post_shutdown(app: App) -> None:
        await services.ingest.aclose()
        for zalo in (services.zalo, services.zalo_sender):
            if zalo is not None:
                await zalo.client.aclose()

    builder = ApplicationBuilder()
    if settings.telegram_proxy:  # replies, long polling and the webhook set-up (the sender has its own)
        builder = builder.proxy(settings.telegram_proxy).get_updates_proxy(settings.telegram_proxy)
    app = (
        builder.token(token)
        .context_types(ContextTypes(context=BotContext))
        .base_url(settings.telegram_api_base_url)
        .base_file_url(settings.telegram_file_base_url)  # OPML files admins send
        .connection_pool_size(8)  # replies and edits; the sender has its own pool (sender_concurrency)
        .pool_timeout(10)
        .connect_timeout(10)
        .read_timeout(15)
        .write_timeout(15)
        .rate_limiter(  # replies share the sender's cap, wait out a 429 and are sent again
            ReplyPacing(services.sender.pacer, on_failed=services.metrics.replies_failed.inc)
        )
        .get_updates_read_timeout(40)
        .concurrent_updates(  # one update per chat at a time, 16 chats at once
            FairUpdates(workers=16, on_cancelled=services.metrics.replies_failed.inc)
        )
        .post_init(post_init)
        .post_stop(post_stop)
        .post_shutdown(post_shutdown)
        .build()
    )
    app.bot_data[SERVICES_KEY] = services
    for command in commands.COMMANDS:  # one table: handlers, menus and /help
        app.add_handler(CommandHandler((command.name, *command.aliases), command.handler))
    services.messenger.bind(app.bot)
    app.add_handler(ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    app.add_handler(CallbackQueryHandler(buttons.on_button))  # every button, decoded by one codec
    opml_file = filters.Document.FileExtension("opml") | filters.Document.FileExtension("xml")
    app.add_handler(MessageHandler(opml_file & filters.ChatType.PRIVATE, admin_tools.opml_file))
    app.add_handler(MessageHandler(filters.COMMAND, citizen.unknown))  # last: only unknown commands
    plain = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(plain, admin_tools.text_reply))  # a new message, not an edit
    app.add_error_handler(errors.on_error)
    assert app.job_queue is not None
    jobs = (  # the JobQueue is only a clock: each tick asks the database what is due
        ("feeds", _tick_feeds, settings.scheduler_tick_seconds, 1.0),
        ("digests", _tick_digests, DIGEST_TICK_SECONDS, 5.0),
        ("broadcast-progress", _tick_broadcasts, settings.broadcast_progress_seconds, 1.0),
        ("feed-health", _check_feed_health, settings.scheduler_tick_seconds, 2.0),
    )
    for name, callback, interval, first in jobs:
        app.job_queue.run_repeating(
            callback,
            interval=interval,
            first=first,
            name=name,
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )
    return app


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER, Update.CHANNEL_POST]
