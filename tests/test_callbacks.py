"""The button codec: every press a keyboard can carry survives the trip through Telegram unchanged and fits
in 64 bytes; anything else (old, forged, cut short) decodes to None instead of reaching a handler."""

from __future__ import annotations

import pytest

from bot.domain.choices import (
    DeliveryMode,
    Language,
    PickDigestHour,
    PickLanguage,
    PickMode,
    PickQuiet,
    PickTopics,
    PickWeekday,
    QuietEnd,
    QuietMode,
    QuietStart,
    SetPreviews,
    SettingsPage,
    ToggleCategory,
    ToggleFeed,
    Topics,
    category_arg,
    page_of,
)
from bot.domain.statuses import Audience
from bot.handlers.callbacks import (
    MAX_BYTES,
    ArticleAction,
    ArticleKind,
    ArticleOp,
    BroadcastAction,
    BroadcastAudience,
    BroadcastOp,
    Callback,
    CallbackTooLong,
    DeleteData,
    FeedAction,
    FeedDraft,
    FeedOp,
    ListKind,
    PagedKind,
    RemoveWord,
    ResultPage,
    SettingsChosen,
    SettingsClose,
    SettingsMenu,
    decode,
    encode,
    page_button,
    word_button,
)

CHANNEL = "-1001234567890"
PRESSES: list[Callback] = [
    *(SettingsMenu(target, page) for target in ("", CHANNEL) for page in SettingsPage),
    SettingsClose(""),
    SettingsChosen("", PickTopics(Topics.AWARDS)),
    SettingsChosen(CHANNEL, ToggleFeed(12)),
    SettingsChosen("", ToggleCategory(category_arg("tin-tuc-" + "rất-dài-" * 10))),
    *(SettingsChosen("", PickMode(mode)) for mode in DeliveryMode),
    SettingsChosen("", PickWeekday(6)),
    SettingsChosen("", PickDigestHour(0)),
    *(SettingsChosen("", PickQuiet(mode)) for mode in QuietMode),
    SettingsChosen("", QuietStart(23)),
    SettingsChosen("", QuietEnd(6)),
    *(SettingsChosen("", PickLanguage(lang)) for lang in Language),
    SettingsChosen("", SetPreviews(True)),
    SettingsChosen("", SetPreviews(False)),
    ResultPage(PagedKind.SEARCH, 3, "chuyển đổi số | a:b"),
    ResultPage(PagedKind.AWARDS, 0, "bằng khen"),
    RemoveWord(ListKind.FOLLOWS, "khoa học"),
    RemoveWord(ListKind.MUTES, index=4),
    DeleteData(True),
    DeleteData(False),
    *(BroadcastAudience(7, audience) for audience in Audience),
    *(BroadcastAction(op, 7) for op in BroadcastOp),
    *(ArticleAction(op, kind, 99) for op in ArticleOp for kind in ArticleKind),
    FeedDraft(True, "0a1b2c3d4e5f"),
    FeedDraft(False, "0a1b2c3d4e5f"),
    *(FeedAction(op, 5) for op in FeedOp),
    FeedAction(FeedOp.INTERVAL, 5, 3600),
]


@pytest.mark.parametrize("press", PRESSES, ids=repr)
def test_every_press_survives_the_round_trip_within_64_bytes(press: Callback) -> None:
    data = encode(press)
    assert len(data.encode()) <= MAX_BYTES
    assert decode(data) == press


def test_the_wire_formats_of_buttons_already_in_chats_are_kept() -> None:
    assert encode(SettingsMenu("", SettingsPage.TOPICS)) == "s||menu|topics"
    assert encode(SettingsChosen(CHANNEL, PickTopics(Topics.AWARDS))) == f"s|{CHANNEL}|t|awards"
    assert encode(SettingsClose("")) == "s||x|"
    assert encode(ResultPage(PagedKind.SEARCH, 0, "chuyển đổi số")) == "q|0|chuyển đổi số"
    assert encode(RemoveWord(ListKind.FOLLOWS, index=1)) == "u|#1"
    assert encode(DeleteData(True)) == "d|yes"
    assert encode(BroadcastAction(BroadcastOp.STOP, 3)) == "bc:stop:3"
    assert encode(ArticleAction(ArticleOp.DO, ArticleKind.RETRACT, 8)) == "ar:do:r:8"
    assert encode(FeedAction(FeedOp.INTERVAL, 2, 900)) == "fa:i:2:900"


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "s||t|feeds",  # whole feeds are toggled one by one, never picked as a topic
        "s||t|everything",
        "s||h|24",
        "s||w|7",
        "s||qs|-1",
        "s||menu|admin",
        "s||l|fr",
        "s||p|maybe",
        "s|@channel|menu|main",  # a target is a channel's id, nothing else
        "s||m",
        "s||m|daily|extra",
        "q|x|words",
        "q|0|",
        "u|",
        "u|#x",
        "d|perhaps",
        "bc:aud:1:everyone",
        "bc:send:abc",
        "bc:launch:1",
        "ar:do:z:1",
        "ar:do:r",
        "fa:ok:not-a-token!",
        "fa:zz:1",
        "fa:i:1:soon",
        "zz|1",
        "no separator",
        "q|0|" + "x" * 61,  # over Telegram's 64 bytes: never ours
    ],
)
def test_an_unknown_or_hostile_press_decodes_to_nothing(data: str | None) -> None:
    assert decode(data) is None


def test_long_words_go_by_their_place_in_the_list() -> None:
    words = ["ngắn", "một cụm từ rất dài về khoa học công nghệ đổi mới sáng tạo"]
    assert decode(word_button(ListKind.MUTES, words, 0)) == RemoveWord(ListKind.MUTES, "ngắn")
    assert decode(word_button(ListKind.MUTES, words, 1)) == RemoveWord(ListKind.MUTES, index=1)


def test_a_page_button_falls_back_to_the_folded_words_when_the_typed_ones_do_not_fit() -> None:
    typed = "Ủy ban nhân dân tỉnh Tây Ninh khen thưởng"
    assert decode(page_button(PagedKind.AWARDS, 1, typed, "q")) == ResultPage(PagedKind.AWARDS, 1, typed)
    long = "đ" * 40
    assert decode(page_button(PagedKind.SEARCH, 1, long, "d")) == ResultPage(PagedKind.SEARCH, 1, "d")


def test_data_over_64_bytes_is_refused_when_a_keyboard_is_built() -> None:
    with pytest.raises(CallbackTooLong):
        encode(RemoveWord(ListKind.FOLLOWS, "x" * 70))


def test_each_choice_returns_to_its_own_page() -> None:
    assert page_of(PickTopics(Topics.ALL)) is SettingsPage.TOPICS
    assert page_of(PickWeekday(1)) is SettingsPage.MODE
    assert page_of(QuietEnd(5)) is SettingsPage.QUIET
    assert page_of(PickLanguage(Language.EN)) is SettingsPage.LANG
    assert page_of(SetPreviews(True)) is SettingsPage.MAIN
