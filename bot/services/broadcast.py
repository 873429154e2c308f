"""Admin broadcasts: draft → preview → send (fan-out through the outbox) → progress → report.

All state is in the database (broadcasts + deliveries), so a restarted process picks up a broadcast
being sent: the progress updater finds it and the sender finds its pending deliveries.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.delivery.messenger import Messenger, OutgoingMessage, Sent
from bot.domain.progress import BroadcastCounts, eta_seconds, format_duration
from bot.domain.statuses import BroadcastStatus
from bot.i18n import t
from bot.store.records import BroadcastRecord


class BroadcastRepo(Protocol):
    """What this module uses of the store's broadcasts."""

    async def create_broadcast(
        self,
        admin_id: int,
        admin_chat_id: int,
        text: str,
        entities: list[dict[str, Any]],
        photo: str | None,
        now: datetime,
    ) -> int: ...

    async def get_broadcast(self, broadcast_id: int) -> BroadcastRecord | None: ...

    async def audience_sizes(self) -> dict[str, int]: ...

    async def set_broadcast_audience(self, broadcast_id: int, audience: str) -> bool: ...

    async def start_broadcast(self, broadcast_id: int, admin_id: int, now: datetime) -> int | None: ...

    async def open_broadcasts(self, limit: int = 10) -> list[BroadcastRecord]: ...

    async def cancel_broadcast(self, broadcast_id: int, admin_id: int, now: datetime) -> int | None: ...

    async def unfinished_broadcasts(self) -> list[BroadcastRecord]: ...

    async def broadcast_counts(self, broadcast_id: int, now: datetime | None = None) -> BroadcastCounts: ...

    async def finish_broadcast(self, broadcast_id: int, now: datetime) -> bool: ...

    async def set_progress_message(self, broadcast_id: int, message_id: int) -> None: ...


class ChatRepo(Protocol):
    """What this module uses of the store's chats."""

    async def chat_languages(self, chat_ids: Sequence[int]) -> dict[int, str]: ...


log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CancelResult:
    broadcast_id: int
    stopped: int  # pending deliveries cancelled
    was_draft: bool


@dataclass(frozen=True, slots=True)
class BroadcastSettings:
    """What broadcasting reads."""

    default_language: str  # an admin's language when the bot has no chat with them
    send_rate_per_second: float  # for the progress message's estimate
    zone: ZoneInfo


class BroadcastService:
    def __init__(
        self,
        broadcasts: BroadcastRepo,
        chats: ChatRepo,
        clock: Clock,
        settings: BroadcastSettings,
        messenger: Messenger,
        *,
        wake: Callable[[], None] = lambda: None,
        on_cancel: Callable[[int], None] = lambda _id: None,
    ) -> None:
        self.messenger = messenger
        self.broadcasts = broadcasts
        self.chats = chats
        self.clock = clock
        self.settings = settings
        self.wake = wake
        self.on_cancel = on_cancel
        self._lock = asyncio.Lock()
        self._shown: dict[int, str] = {}  # broadcast id → progress text last shown

    async def draft(
        self, admin_id: int, chat_id: int, text: str, entities: list[dict[str, Any]], photo: str | None
    ) -> BroadcastRecord:
        bid = await self.broadcasts.create_broadcast(
            admin_id, chat_id, text, entities, photo, self.clock.now()
        )
        record = await self.broadcasts.get_broadcast(bid)
        assert record is not None
        return record

    async def get(self, broadcast_id: int) -> BroadcastRecord | None:
        return await self.broadcasts.get_broadcast(broadcast_id)

    async def audience_sizes(self) -> dict[str, int]:
        return await self.broadcasts.audience_sizes()

    async def choose_audience(self, broadcast_id: int, audience: str) -> bool:
        return await self.broadcasts.set_broadcast_audience(broadcast_id, audience)

    async def send(self, broadcast_id: int, admin_id: int) -> int | None:
        """Fan out (one transaction) and wake the sender. None if it was not a draft any more."""
        total = await self.broadcasts.start_broadcast(broadcast_id, admin_id, self.clock.now())
        if total is not None:
            self.wake()
        return total

    async def open_broadcasts(self) -> list[BroadcastRecord]:
        """What may be stopped: drafts and broadcasts being sent, newest first."""
        return await self.broadcasts.open_broadcasts()

    async def cancel(self, admin_id: int, broadcast_id: int) -> CancelResult | None:
        """Stop a broadcast: a draft is discarded, one being sent stops what has not been sent."""
        target = await self.broadcasts.get_broadcast(broadcast_id)
        if target is None:
            return None
        stopped = await self.broadcasts.cancel_broadcast(target.id, admin_id, self.clock.now())
        if stopped is None:
            return None
        self.on_cancel(target.id)
        return CancelResult(target.id, stopped, target.status == BroadcastStatus.DRAFT)

    # ---- progress (JobQueue) -----------------------------------------------------------------

    async def update_progress(self) -> None:
        """Edit each running broadcast's one progress message; when nothing is open, the final report
        (once: the store lets exactly one caller finish a broadcast)."""
        async with self._lock:
            for cast in await self.broadcasts.unfinished_broadcasts():
                try:
                    await self._progress(cast)
                except Exception:
                    log.exception("progress of broadcast %d could not be shown", cast.id)

    async def _language(self, chat_id: int) -> str:
        languages = await self.chats.chat_languages([chat_id])
        return languages.get(chat_id) or self.settings.default_language

    async def _progress(self, cast: BroadcastRecord) -> None:
        counts = await self.broadcasts.broadcast_counts(cast.id, self.clock.now())
        lang = await self._language(cast.admin_chat_id)
        if counts.finished and await self.broadcasts.finish_broadcast(cast.id, self.clock.now()):
            key = "admin_report_done" if cast.status == BroadcastStatus.SENDING else "admin_report_cancelled"
            report = t(key, lang, id=cast.id, **_values(counts))
            if cast.progress_message_id is not None:  # the progress message points to the one report
                await self._edit(
                    cast.admin_chat_id,
                    cast.progress_message_id,
                    t("admin_progress_over", lang, id=cast.id),
                )
            await self._send(cast.admin_chat_id, report)
            self._shown.pop(cast.id, None)
            return
        if cast.status != BroadcastStatus.SENDING:
            return  # cancelled: the report comes when the sends in flight are recorded
        eta = format_duration(eta_seconds(counts.open - counts.scheduled, self.settings.send_rate_per_second))
        text = t("admin_progress", lang, id=cast.id, eta=eta, **_values(counts))
        if counts.scheduled and counts.scheduled_at is not None:  # held for quiet hours: not stuck
            at = counts.scheduled_at.astimezone(self.settings.zone).strftime("%H:%M")
            if counts.waiting_only:
                text = "\n".join(
                    [
                        t("admin_progress_sent_now", lang, id=cast.id, **_values(counts)),
                        t("admin_progress_waiting", lang, n=counts.scheduled, at=at),
                    ]
                )
            else:
                text += "\n" + t("admin_progress_scheduled", lang, n=counts.scheduled, at=at)
        if cast.progress_message_id is None:
            message_id = await self._send(cast.admin_chat_id, text)
            await self.broadcasts.set_progress_message(cast.id, message_id)
        elif self._shown.get(cast.id) != text:
            await self._edit(cast.admin_chat_id, cast.progress_message_id, text)
        self._shown[cast.id] = text

    async def _send(self, chat_id: int, text: str) -> int:
        result = await self.messenger.send(str(chat_id), OutgoingMessage(text))
        if not isinstance(result, Sent) or not result.message_ids:
            raise ProgressNotShown(result.detail if not isinstance(result, Sent) else "no message id")
        return int(result.message_ids[0])

    async def _edit(self, chat_id: int, message_id: int, text: str) -> None:
        result = await self.messenger.edit(str(chat_id), str(message_id), OutgoingMessage(text))
        if not isinstance(result, Sent):  # an edit that changes nothing counts as done (the messenger)
            raise ProgressNotShown(result.detail)


class ProgressNotShown(Exception):
    """The admin's progress message or report could not be sent or edited (the next tick tries again)."""


def _values(counts: BroadcastCounts) -> dict[str, int]:
    return {
        "sent": counts.sent,
        "total": counts.total,
        "blocked": counts.blocked,
        "failed": counts.failed,
        "cancelled": counts.cancelled,
    }
