"""The quiet-hours rule for one delivery. Pure: the local time and the chat's settings in, a decision out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.choices import QuietMode
from bot.domain.outcomes import in_quiet_hours

__all__ = ["QuietDecision", "quiet_decision"]


@dataclass(frozen=True, slots=True)
class QuietDecision:
    silent: bool  # send without a notification sound
    hold_until: datetime | None = None  # not now: send at this (local) moment, when quiet hours end


def quiet_decision(
    local: datetime,
    start: int | None,
    end: int | None,
    mode: str,
    *,
    news: bool,
    silent: bool = False,
) -> QuietDecision:
    """During a chat's quiet hours [start, end) (local hours, may wrap midnight) news — an article or an
    admin's broadcast (`news`) — is sent silently (`mode` "silent") or held until they end ("hold");
    "off" sends as usual. Other messages (digests, alerts) keep their own `silent`."""
    if not news or mode == QuietMode.OFF or start is None or not in_quiet_hours(local.hour, start, end):
        return QuietDecision(silent)
    if mode == QuietMode.HOLD:
        until = local.replace(hour=end or 0, minute=0, second=0, microsecond=0)
        if until <= local:
            until += timedelta(days=1)
        return QuietDecision(silent, hold_until=until)
    return QuietDecision(True)
