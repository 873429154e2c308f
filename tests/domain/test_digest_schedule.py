"""When a digest is due (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.digest_schedule import digest_due, last_slot, period_start

VN = ZoneInfo("Asia/Ho_Chi_Minh")
THURSDAY_10 = datetime(2026, 11, 26, 10, 0, tzinfo=VN)


def test_daily_slot_is_today_after_the_hour_and_yesterday_before_it() -> None:
    assert last_slot("daily", 7, THURSDAY_10, VN) == datetime(2026, 11, 26, 7, tzinfo=VN)
    assert last_slot("daily", 19, THURSDAY_10, VN) == datetime(2026, 11, 25, 19, tzinfo=VN)
    assert last_slot("instant", 7, THURSDAY_10, VN) is None


def test_weekly_slot_is_the_last_monday_at_the_hour() -> None:
    assert last_slot("weekly", 7, THURSDAY_10, VN) == datetime(2026, 11, 23, 7, tzinfo=VN)
    monday_6 = datetime(2026, 11, 23, 6, 0, tzinfo=VN)
    assert last_slot("weekly", 7, monday_6, VN) == datetime(2026, 11, 16, 7, tzinfo=VN)


def test_due_once_per_slot_in_local_time() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # 19:00 in Vietnam
    slot = datetime(2026, 11, 26, 19, tzinfo=VN)
    assert digest_due("daily", 19, now - timedelta(days=1), now, VN) == slot
    assert digest_due("daily", 19, now, now, VN) is None  # just sent
    assert digest_due("daily", 19, now - timedelta(days=1), now - timedelta(minutes=1), VN) is None  # 18:59
    assert digest_due("daily", 19, None, now, VN) == slot


def test_period_starts_at_the_previous_digest_or_one_period_ago() -> None:
    now = THURSDAY_10
    assert period_start("daily", now - timedelta(hours=3), now) == now - timedelta(hours=3)
    assert period_start("weekly", None, now) == now - timedelta(days=7)
    assert period_start("daily", None, now) == now - timedelta(days=1)


def test_a_weekly_digest_on_the_chosen_day() -> None:
    friday = 4
    assert last_slot("weekly", 7, THURSDAY_10, VN, friday) == datetime(2026, 11, 20, 7, tzinfo=VN)
    assert last_slot("weekly", 7, THURSDAY_10, VN, 3) == datetime(2026, 11, 26, 7, tzinfo=VN)  # today
    assert digest_due("weekly", 7, None, THURSDAY_10, VN, friday) == datetime(2026, 11, 20, 7, tzinfo=VN)
