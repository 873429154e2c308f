"""When a digest is due. Pure: local time in, a decision out.

A daily digest is due once a day at the chat's `digest_hour` (local time); a weekly one on the chat's
`weekday` (Monday unless chosen) at that hour. "Due" means: the latest scheduled moment has passed and no
digest was recorded since then — so a bot that was down at the hour catches up when it comes back, and a
digest is never sent twice for one slot.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from bot.domain.choices import DeliveryMode

WEEKLY_DAY = 0  # Monday
PERIODS: dict[str, timedelta] = {
    DeliveryMode.DAILY: timedelta(days=1),
    DeliveryMode.WEEKLY: timedelta(days=7),
}


def last_slot(
    mode: str, hour: int, now: datetime, zone: tzinfo, weekday: int = WEEKLY_DAY
) -> datetime | None:
    """The latest scheduled digest moment at or before `now` (None: the mode has no digest)."""
    if mode not in PERIODS:
        return None
    local = now.astimezone(zone)
    slot = local.replace(hour=hour % 24, minute=0, second=0, microsecond=0)
    if mode == DeliveryMode.WEEKLY:
        slot -= timedelta(days=(local.weekday() - weekday % 7) % 7)
    if slot > local:
        slot -= PERIODS[mode]
    return slot


def digest_due(
    mode: str,
    hour: int,
    last_digest_at: datetime | None,
    now: datetime,
    zone: tzinfo,
    weekday: int = WEEKLY_DAY,
) -> datetime | None:
    """The slot a digest is owed for, or None when nothing is owed now."""
    slot = last_slot(mode, hour, now, zone, weekday)
    if slot is None:
        return None
    if last_digest_at is not None and last_digest_at >= slot:
        return None
    return slot


def period_start(mode: str, last_digest_at: datetime | None, now: datetime) -> datetime:
    """Where a digest's period begins: the previous digest, else one period ago."""
    if last_digest_at is not None:
        return last_digest_at
    return now - PERIODS.get(mode, PERIODS[DeliveryMode.DAILY])
