"""Broadcast progress, pure: counts → what the admin reads (sent / total, blocked, failed, time left).

Also the admin's message with its leading /command removed, entity offsets shifted in UTF-16 units
(Telegram's unit), so what subscribers receive is exactly what the admin typed and formatted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class BroadcastCounts:
    """Deliveries of one broadcast by outcome. `blocked` are failures because the chat blocked the bot."""

    total: int
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    cancelled: int = 0
    open: int = 0  # pending or in flight
    scheduled: int = 0  # of the open ones: held for a recipient's quiet hours, due later
    scheduled_at: datetime | None = None  # the earliest of those

    @property
    def waiting_only(self) -> bool:
        """Everything that could go now has gone: only recipients in their quiet hours are left."""
        return self.open > 0 and self.open == self.scheduled

    @property
    def finished(self) -> bool:
        return self.open == 0


def eta_seconds(remaining: int, rate_per_second: float) -> int:
    """Seconds left at the configured send rate (each recipient gets one message)."""
    if remaining <= 0 or rate_per_second <= 0:
        return 0
    return math.ceil(remaining / rate_per_second)


def format_duration(seconds: float) -> str:
    """`75` → `1:15`, `3725` → `1:02:05`: language-neutral."""
    total = max(0, round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def strip_command(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """`/broadcast <b>Hi</b>` → `Hi` with its entities shifted: the command and the whitespace after it
    are cut; entities are in UTF-16 code units; the command's own entity is dropped, one that straddles
    the cut is clipped, one that ends before it is dropped."""
    body = text
    if body.startswith("/"):
        end = 0
        while end < len(body) and not body[end].isspace():
            end += 1
        body = body[end:]
    rest = body.lstrip()
    cut = utf16_len(text) - utf16_len(rest)
    shifted: list[dict[str, Any]] = []
    for entity in entities:
        if entity.get("type") == "bot_command" and int(entity.get("offset", 0)) == 0:
            continue
        start = int(entity["offset"])
        end16 = start + int(entity["length"])
        if end16 <= cut:
            continue
        new = dict(entity)
        new["offset"] = max(0, start - cut)
        new["length"] = end16 - max(start, cut)
        shifted.append(new)
    return rest, shifted
