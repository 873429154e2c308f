"""/qr: the QR code of a deep link, for posters at the department's offices and its website."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.domain.choices import Topics
from bot.domain.qr import deep_link, print_width_cm, qr_png
from bot.services.subscribe import DEEP_LINK_TOPICS


class AuditRepo(Protocol):
    """What this module uses of the store's audit."""

    async def record_action(
        self, admin_id: int, action: str, detail: str, now: datetime, recipients: int | None = None
    ) -> None: ...


QR_TOPICS = ("khenthuong", Topics.ALL.value)  # shown in the usage; every key of DEEP_LINK_TOPICS is accepted


@dataclass(frozen=True, slots=True)
class QrCode:
    link: str
    topic: str | None
    png: bytes
    width_px: int
    width_cm: float


class QrService:
    def __init__(self, audit_log: AuditRepo, clock: Clock) -> None:
        self.audit_log = audit_log
        self.clock = clock

    async def make(self, admin_id: int, bot_username: str, topic: str | None) -> QrCode | None:
        """The code of t.me/<bot>?start=<topic> (the bot's plain link without a topic); None for a topic
        the bot does not know."""
        if topic is not None:
            topic = topic.strip().lower()
            if topic not in DEEP_LINK_TOPICS:
                return None
        link = deep_link(bot_username, topic)
        png = qr_png(link)
        width = struct.unpack(">I", png[16:20])[0]
        await self.audit_log.record_action(admin_id, "qr", link, self.clock.now())
        return QrCode(link, topic, png, width, print_width_cm(width))
