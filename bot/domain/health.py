"""Feed health, pure: is a feed failing or stale, and which admin alert (if any) that calls for.

An alert is sent when the state changes, never again while it stays the same: `alerted` is what the
admins were last told ('failing', 'stale' or None for healthy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.statuses import FeedHealth


@dataclass(frozen=True, slots=True)
class HealthDecision:
    state: str | None  # failing | stale | None (healthy): store this as the feed's `alerted`
    alert: str | None  # failing | stale | recovered | None: the message to send now


def feed_state(
    consecutive_errors: int,
    last_new_at: datetime | None,
    now: datetime,
    *,
    failing_threshold: int,
    stale_days: int,
) -> str | None:
    """failing: at least `failing_threshold` polls in a row failed; stale: it answers, but nothing new
    for `stale_days` days (a feed that never had an article is not judged)."""
    if consecutive_errors >= failing_threshold:
        return FeedHealth.FAILING
    if last_new_at is not None and now - last_new_at >= timedelta(days=stale_days):
        return FeedHealth.STALE
    return None


def decide_alert(alerted: str | None, state: str | None) -> HealthDecision:
    """Once per change: healthy → failing/stale alerts; back to healthy says recovered; no change: nothing."""
    if state == alerted:
        return HealthDecision(state, None)
    if state is None:
        return HealthDecision(None, "recovered")
    return HealthDecision(state, state)
