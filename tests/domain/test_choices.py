"""The typed choices: their values are the strings the database holds, and each one a user can meet has its
text in both languages."""

from __future__ import annotations

import pytest

from bot.domain.choices import DeliveryMode, Language, QuietMode, SettingsPage, Topics
from bot.domain.statuses import Audience
from bot.i18n import LANGUAGES, catalog


def test_values_are_the_stored_strings() -> None:
    assert [a.value for a in Audience] == ["all", "awards", "vi", "en", "telegram", "zalo"]
    assert tuple(Language) == LANGUAGES
    stored = [Topics.AWARDS.value, DeliveryMode.WEEKLY.value, QuietMode.HOLD.value]
    assert stored == ["awards", "weekly", "hold"]
    assert DeliveryMode("daily") is DeliveryMode.DAILY  # a stored value reads back as its member


def test_only_a_digest_is_a_digest() -> None:
    assert [m for m in DeliveryMode if m.is_digest] == [DeliveryMode.DAILY, DeliveryMode.WEEKLY]


KEYS = [
    *(f"topics_name_{x.value}" for x in Topics),
    *(f"set_ok_topics_{x.value}" for x in (Topics.ALL, Topics.AWARDS)),
    *(f"set_ok_mode_{x.value}" for x in DeliveryMode),
    *(f"set_ok_quiet_{x.value}" for x in QuietMode),
    *(f"lang_name_{x.value}" for x in Language),
    *(f"set_hint_{x.value}" for x in SettingsPage),
    *(f"admin_audience_{x.value}" for x in Audience),
]


@pytest.mark.parametrize("key", KEYS)
def test_every_choice_reads_in_both_languages(key: str) -> None:
    entry = catalog().get(key, {})
    assert entry.get("vi") and entry.get("en")
