import itertools
import random

import pytest

from bot.domain.policy import backoff_delay, next_poll_delay


def test_no_errors_no_backoff():
    assert backoff_delay(0, 30, 3600) == 0.0


def test_backoff_ceiling_grows_and_is_capped():
    top = [backoff_delay(n, 30, 3600, rand=lambda: 1.0) for n in range(1, 12)]
    assert top[:5] == [30, 60, 120, 240, 480]
    assert all(a <= b for a, b in itertools.pairwise(top))
    assert max(top) == 3600
    assert backoff_delay(10_000, 30, 3600, rand=lambda: 1.0) == 3600  # no overflow


def test_backoff_jitter_within_bounds():
    rng = random.Random(7)
    for n in range(1, 15):
        ceiling = min(3600, 30 * 2 ** (n - 1))
        values = [backoff_delay(n, 30, 3600, rand=rng.random) for _ in range(200)]
        assert all(30 <= v <= ceiling for v in values)
        if ceiling > 30:
            assert len(set(values)) > 100  # really jittered
    assert backoff_delay(5, 30, 3600, rand=lambda: 0.0) == 30


def test_backoff_cap_below_base():
    assert backoff_delay(3, 100, 10, rand=lambda: 0.5) == 10


def test_backoff_tolerates_bad_rand():
    assert backoff_delay(3, 30, 3600, rand=lambda: 7.0) == 120
    assert backoff_delay(3, 30, 3600, rand=lambda: -1.0) == 30


@pytest.mark.parametrize("r", [0.0, 0.25, 0.5, 0.999, 1.0])
def test_poll_delay_within_jitter(r):
    d = next_poll_delay(600, 0.1, rand=lambda: r)
    assert 540 <= d <= 660


def test_poll_delay_spread_and_edges():
    rng = random.Random(1)
    values = [next_poll_delay(600, 0.2, rng.random) for _ in range(500)]
    assert min(values) >= 480 and max(values) <= 720
    assert min(values) < 500 and max(values) > 700
    assert next_poll_delay(600, 0, rand=lambda: 0.9) == 600
    assert next_poll_delay(600, 5, rand=lambda: 0.0) == 0.0  # fraction clamped to 1, never negative
