"""Composition root: builds the python-telegram-bot Application, the services, handlers and jobs."""

from __future__ import annotations

import logging
import os
import socket
from dataclasses import dataclass

from telegram import (
    BotCommand,
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
from bot.delivery.editor import Editor
from bot.delivery.replies import FairUpdates, ReplyPacing
from bot.delivery.sender import Sender
from bot.feeds.fetch import FeedClient
from bot.handlers import admin as admin_handlers
from bot.handlers import (
    admin_tools,
    citizen,
    citizen_follow,
    citizen_lookup,
    citizen_mute,
    citizen_privacy,
    citizen_settings,
    errors,
    membership,
)
from bot.i18n import t
from bot.metrics import Metrics
from bot.services.admin import AdminService
from bot.services.broadcast import BroadcastService
from bot.services.digest import DigestService
from bot.services.feed_admin import FeedAdminService
from bot.services.health import HealthService
from bot.services.ingest import IngestService
from bot.services.lookup import LookupService
from bot.services.preferences import PreferencesService
from bot.services.qr import QrService
from bot.services.subscribe import SubscriptionService
from bot.settings import Settings
from bot.store.store import Store

log = logging.getLogger(__name__)

CITIZEN_COMMANDS = citizen.MENU_COMMANDS
DIGEST_TICK_SECONDS = 60.0


@dataclass
class Services:
    """Everything handlers and jobs may call. Built once per process."""

    settings: Settings
    store: Store
    clock: Clock
    subscriptions: SubscriptionService
    ingest: IngestService
    sender: Sender
    preferences: PreferencesService
    lookup: LookupService
    digests: DigestService
    metrics: Metrics
    broadcasts: BroadcastService
    admin: AdminService
    health: HealthService
    qr: QrService
    feed_admin: FeedAdminService


def process_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def build_services(settings: Settings, store: Store, clock: Clock | None = None) -> Services:
    clock = clock or SystemClock()
    owner = process_name()
    metrics = Metrics()
    sender = Sender(store, clock, settings, owner=owner, metrics=metrics)
    feed_client = FeedClient(
        user_agent=settings.user_agent,
        timeout=settings.fetch_timeout_seconds,
        max_bytes=settings.max_feed_bytes,
        proxy=settings.feeds_proxy,
    )
    ingest = IngestService(
        store, feed_client, clock, settings, owner=owner, on_queued=sender.wake, metrics=metrics
    )
    return Services(
        settings=settings,
        store=store,
        clock=clock,
        subscriptions=SubscriptionService(store, clock),
        ingest=ingest,
        sender=sender,
        preferences=PreferencesService(store, clock),
        lookup=LookupService(store),
        digests=DigestService(store, clock, settings, on_queued=sender.wake),
        metrics=metrics,
        broadcasts=BroadcastService(
            store, clock, settings, wake=sender.wake, on_cancel=sender.forget_broadcast
        ),
        admin=AdminService(store, clock, settings, ingest, Editor(settings), wake=sender.wake),
        health=HealthService(store, clock, settings, wake=sender.wake),
        qr=QrService(store, clock),
        feed_admin=FeedAdminService(store, clock, settings, feed_client),
    )


async def _tick_broadcasts(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc: Services = context.bot_data["services"]
    try:
        await svc.broadcasts.update_progress(context.bot)
    except Exception as exc:  # the database or Telegram is away: the next tick tries again
        log.warning("broadcast progress tick failed: %s: %s", type(exc).__name__, exc)


async def _check_feed_health(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc: Services = context.bot_data["services"]
    try:
        await svc.health.check()
    except Exception as exc:  # the database is away: the next tick tries again
        log.warning("feed health tick failed: %s: %s", type(exc).__name__, exc)


async def _tick_feeds(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc: Services = context.bot_data["services"]
    try:
        await svc.ingest.tick()  # each due feed on a task of its own: the tick returns at once
    except Exception as exc:  # the database is away: the next tick tries again
        log.warning("feed tick failed: %s: %s", type(exc).__name__, exc)


async def _tick_digests(context: ContextTypes.DEFAULT_TYPE) -> None:
    svc: Services = context.bot_data["services"]
    svc.metrics.beat("digests", 3 * DIGEST_TICK_SECONDS + 120)
    try:
        await svc.digests.run_due()
    except Exception as exc:  # the database is away: the next tick tries again
        log.warning("digest tick failed: %s: %s", type(exc).__name__, exc)


async def register_commands(app: Application) -> None:  # type: ignore[type-arg]
    """The command menu and the bot's descriptions (the empty chat's screen, the profile), in Vietnamese
    (default) and English."""
    department = app.bot_data["services"].settings.department_name
    for lang in ("vi", "en"):
        commands = [BotCommand(name, t(f"cmd_{name}", lang)) for name in CITIZEN_COMMANDS]
        code = None if lang == "vi" else "en"
        await app.bot.set_my_description(
            t("bot_description", lang, department=department)[:512], language_code=code
        )
        await app.bot.set_my_short_description(
            t("bot_short_description", lang, department=department)[:120], language_code=code
        )
        await app.bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code=code)
        await app.bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code=code)
    settings: Settings = app.bot_data["services"].settings
    for admin_id in settings.admin_ids:  # admins (only they) see the admin commands in their chat
        for lang in ("vi", "en"):
            commands = [BotCommand(name, t(f"cmd_{name}", lang)) for name in CITIZEN_COMMANDS]
            commands += [BotCommand(n, t(f"admin_cmd_{n}", lang)) for n in admin_handlers.ADMIN_COMMANDS]
            code = None if lang == "vi" else "en"
            try:
                await app.bot.set_my_commands(
                    commands, scope=BotCommandScopeChat(admin_id), language_code=code
                )
            except Exception:  # e.g. an admin who never opened a chat with the bot
                log.warning("could not register the admin menu for %s", admin_id, exc_info=True)


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

    builder = ApplicationBuilder()
    if settings.telegram_proxy:  # replies, long polling and the webhook set-up (the sender has its own)
        builder = builder.proxy(settings.telegram_proxy).get_updates_proxy(settings.telegram_proxy)
    app = (
        builder.token(token)
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
    app.bot_data["services"] = services
    app.add_handler(CommandHandler("start", citizen.start))
    app.add_handler(CommandHandler(["stop", "unsubscribe"], citizen.stop))
    app.add_handler(CommandHandler("help", citizen.help_command))
    app.add_handler(ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    app.add_handler(CommandHandler("settings", citizen_settings.settings_command))
    app.add_handler(CommandHandler("subscribe", citizen_settings.subscribe_channel))
    app.add_handler(CallbackQueryHandler(citizen_settings.settings_button, pattern=r"^s\|"))
    app.add_handler(CommandHandler("latest", citizen_lookup.latest))
    app.add_handler(CommandHandler("awards", citizen_lookup.awards))
    app.add_handler(CommandHandler("search", citizen_lookup.search))
    app.add_handler(CallbackQueryHandler(citizen_lookup.search_page, pattern=r"^q\|"))
    app.add_handler(CommandHandler("khenthuong", citizen_lookup.award_search))
    app.add_handler(CallbackQueryHandler(citizen_lookup.award_search_page, pattern=r"^kt\|"))
    app.add_handler(CommandHandler("follow", citizen_follow.follow))
    app.add_handler(CommandHandler("unfollow", citizen_follow.unfollow))
    app.add_handler(CommandHandler("following", citizen_follow.following))
    app.add_handler(CallbackQueryHandler(citizen_follow.unfollow_button, pattern=r"^u\|"))
    app.add_handler(CommandHandler("mute", citizen_mute.mute))
    app.add_handler(CommandHandler("unmute", citizen_mute.unmute))
    app.add_handler(CallbackQueryHandler(citizen_mute.unmute_button, pattern=r"^mu\|"))
    app.add_handler(CommandHandler("mydata", citizen_privacy.my_data))
    app.add_handler(CommandHandler("deletedata", citizen_privacy.delete_data))
    app.add_handler(CallbackQueryHandler(citizen_privacy.delete_button, pattern=r"^d\|"))
    for name, handler in {**admin_handlers.HANDLERS, **admin_tools.HANDLERS}.items():
        app.add_handler(CommandHandler(name, handler))
    app.add_handler(CallbackQueryHandler(admin_handlers.broadcast_button, pattern=r"^bc:"))
    app.add_handler(CallbackQueryHandler(admin_handlers.article_button, pattern=r"^ar:"))
    app.add_handler(CallbackQueryHandler(admin_tools.feed_button, pattern=r"^fa:"))
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
