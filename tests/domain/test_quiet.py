"""The quiet-hours rule: local time and a chat's settings in, send now / silently / later out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.quiet import QuietDecision, quiet_decision

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=ZONE)


def test_news_at_night_is_held_until_the_quiet_hours_end_the_next_morning() -> None:
    assert quiet_decision(at(2, 23, 30), 22, 6, "hold", news=True) == QuietDecision(False, at(3, 6))


def test_news_after_midnight_is_held_until_the_same_morning() -> None:
    assert quiet_decision(at(3, 2, 15), 22, 6, "hold", news=True) == QuietDecision(False, at(3, 6))


def test_news_at_night_goes_out_without_sound_when_the_chat_chose_silent() -> None:
    assert quiet_decision(at(2, 23), 22, 6, "silent", news=True) == QuietDecision(True)


@pytest.mark.parametrize(
    ("local", "mode", "news"),
    [
        (at(2, 12), "hold", True),  # outside the quiet hours
        (at(2, 6), "hold", True),  # the end hour is no longer quiet
        (at(2, 23), "off", True),  # the chat turned quiet hours off
        (at(2, 23), "hold", False),  # a digest or an alert keeps its own timing
    ],
)
def test_otherwise_it_goes_out_now_as_it_is(local: datetime, mode: str, news: bool) -> None:
    assert quiet_decision(local, 22, 6, mode, news=news) == QuietDecision(False)
    assert quiet_decision(local, 22, 6, mode, news=news, silent=True) == QuietDecision(True)


def test_no_quiet_hours_set_means_no_rule() -> None:
    assert quiet_decision(at(2, 23), None, None, "hold", news=True) == QuietDecision(False)
