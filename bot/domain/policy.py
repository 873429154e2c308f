"""Timing policy for polling and retries. Pure: the random source is injected."""

from __future__ import annotations

import random
from collections.abc import Callable

__all__ = ["backoff_delay", "next_poll_delay"]


def _unit(rand: Callable[[], float]) -> float:
    return min(max(rand(), 0.0), 1.0)


def backoff_delay(
    consecutive_errors: int, base: float, cap: float, rand: Callable[[], float] = random.random
) -> float:
    """Delay before the next attempt after `consecutive_errors` failures in a row.

    Exponential backoff with full jitter above a floor: the ceiling is ``min(cap, base * 2**(n-1))`` and
    the delay is uniform in ``[min(base, cap), ceiling]``.  Jitter spreads the retries of many feeds (and
    of several bot instances) instead of hammering a recovering server in lock-step; the floor keeps a
    retry from landing immediately, which a NukeViet flood blocker (40 req/min per IP) would punish.
    ``n <= 0`` -> 0.0 (no error, no backoff).
    """
    if consecutive_errors <= 0:
        return 0.0
    base = max(base, 0.0)
    cap = max(cap, 0.0)
    floor = min(base, cap)
    exponent = min(consecutive_errors - 1, 64)  # 2**64 * base is past any sane cap; avoids overflow
    ceiling = min(cap, base * (2.0**exponent))
    return floor + _unit(rand) * (ceiling - floor)


def next_poll_delay(
    interval: float, jitter_fraction: float, rand: Callable[[], float] = random.random
) -> float:
    """Delay until the next regular poll: `interval` ± `jitter_fraction`, uniform (fraction clamped to 0..1).

    E.g. interval=600, jitter_fraction=0.1 -> uniform in [540, 660].  Never negative.
    """
    interval = max(interval, 0.0)
    j = min(max(jitter_fraction, 0.0), 1.0)
    return max(0.0, interval * (1.0 + j * (2.0 * _unit(rand) - 1.0)))
