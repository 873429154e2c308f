"""Pure parts of the admin console: the broadcast text without its command, progress/ETA, feed alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.health import HealthDecision, decide_alert, feed_state
from bot.domain.progress import BroadcastCounts, eta_seconds, format_duration, strip_command, utf16_len


def test_strip_command_shifts_entities_in_utf16_units() -> None:
    text = "/broadcast 🗓️ Lịch <b>&</b> họp"
    body = "🗓️ Lịch <b>&</b> họp"
    at = utf16_len("/broadcast 🗓️ Lịch ")
    entities = [
        {"type": "bot_command", "offset": 0, "length": 10},
        {"type": "bold", "offset": at, "length": utf16_len("<b>&</b>")},
        {"type": "text_link", "offset": at + 9, "length": 3, "url": "https://x.vn"},
    ]
    got_text, got = strip_command(text, entities)
    assert got_text == body
    offset = utf16_len("🗓️ Lịch ")
    assert (len("🗓️ Lịch "), offset) == (8, 9)  # the emoji is two UTF-16 units, one code point
    assert got == [
        {"type": "bold", "offset": offset, "length": 8},
        {"type": "text_link", "offset": offset + 9, "length": 3, "url": "https://x.vn"},
    ]


def test_strip_command_with_bot_name_newlines_and_straddling_entity() -> None:
    text = "/broadcast@tayninh_bot\n\nDòng một"
    entities = [{"type": "italic", "offset": 0, "length": len(text)}]
    got_text, got = strip_command(text, entities)
    assert got_text == "Dòng một"
    assert got == [{"type": "italic", "offset": 0, "length": len("Dòng một")}]
    assert strip_command("/broadcast", [{"type": "bot_command", "offset": 0, "length": 10}]) == ("", [])


def test_eta_and_duration() -> None:
    assert eta_seconds(0, 28) == 0
    assert eta_seconds(57, 28) == 3
    assert eta_seconds(10_000, 28) == 358
    assert format_duration(358) == "5:58"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(0) == "0:00"
    assert BroadcastCounts(total=3, sent=3).finished and not BroadcastCounts(total=3, open=1).finished


NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def test_feed_state() -> None:
    kw = {"failing_threshold": 5, "stale_days": 7}
    assert feed_state(4, NOW, NOW, **kw) is None
    assert feed_state(5, NOW, NOW, **kw) == "failing"
    assert feed_state(0, NOW - timedelta(days=7), NOW, **kw) == "stale"
    assert feed_state(0, NOW - timedelta(days=6, hours=23), NOW, **kw) is None
    assert feed_state(9, NOW - timedelta(days=30), NOW, **kw) == "failing"  # failing wins
    assert feed_state(0, None, NOW, **kw) is None  # never had an article: not judged


def test_alert_once_per_change() -> None:
    assert decide_alert(None, None) == HealthDecision(None, None)
    assert decide_alert(None, "failing") == HealthDecision("failing", "failing")
    assert decide_alert("failing", "failing") == HealthDecision("failing", None)  # not repeatedly
    assert decide_alert("failing", None) == HealthDecision(None, "recovered")
    assert decide_alert("stale", "failing") == HealthDecision("failing", "failing")
    assert decide_alert("failing", "stale") == HealthDecision("stale", "stale")
