"""What every handler receives: a typed context (`context.services`, `context.config`) instead of a
dictionary, and the bundle of services the composition root (bot/app.py) builds once per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import Application, CallbackContext, ExtBot

from bot.clock import Clock
from bot.delivery.sender import Sender
from bot.delivery.telegram import TelegramMessenger
from bot.delivery.zalo import ZaloMessenger
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


@dataclass(frozen=True, slots=True)
class HandlerConfig:
    """The few settings the handlers read."""

    admin_ids: frozenset[int]
    default_language: str
    department_name: str
    zone: ZoneInfo
    poll_interval_seconds: int

    @classmethod
    def of(cls, settings: Settings) -> HandlerConfig:
        return cls(
            admin_ids=frozenset(settings.admin_ids),
            default_language=settings.default_language,
            department_name=settings.department_name,
            zone=settings.zone,
            poll_interval_seconds=settings.poll_interval_seconds,
        )


@dataclass
class Services:
    """Everything handlers and jobs may call. Built once per process (bot.app.build_services); the whole
    Settings stay in the composition root."""

    config: HandlerConfig
    store: Store
    clock: Clock
    subscriptions: SubscriptionService
    ingest: IngestService
    sender: Sender
    messenger: TelegramMessenger  # edits and admin progress, through the application's bot
    sender_messenger: TelegramMessenger  # the fan-out, through a connection pool of its own
    preferences: PreferencesService
    lookup: LookupService
    digests: DigestService
    metrics: Metrics
    broadcasts: BroadcastService
    admin: AdminService
    health: HealthService
    qr: QrService
    feed_admin: FeedAdminService
    zalo: ZaloMessenger | None = None  # replies on Zalo (None: Zalo is off, ZALO_BOT_TOKEN not set)
    zalo_sender: ZaloMessenger | None = None  # the fan-out to Zalo, paced by the sender


SERVICES_KEY = "services"


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The context of every handler and job: the Application's services, typed."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        found = self.bot_data[SERVICES_KEY]
        if not isinstance(found, Services):  # only bot.app puts it there
            raise TypeError("the application has no services")
        return found

    @property
    def config(self) -> HandlerConfig:
        return self.services.config


Context = BotContext
