"""What a citizen types on Zalo (no command menu, no buttons) becomes a typed command."""

from __future__ import annotations

import pytest

from bot.domain.textcommands import Choice, Command, NotUnderstood, Verb, fold, parse


@pytest.mark.parametrize(
    ("typed", "verb"),
    [
        ("/start", Verb.START),
        ("/START", Verb.START),
        ("/stop", Verb.STOP),
        ("/unsubscribe", Verb.STOP),
        ("/help", Verb.HELP),
        ("/latest", Verb.LATEST),
        ("/awards", Verb.AWARDS),
        ("/settings", Verb.SETTINGS),
        ("/search", Verb.SEARCH),
    ],
)
def test_slash_commands(typed: str, verb: Verb) -> None:
    assert parse(typed) == Command(verb)


@pytest.mark.parametrize(
    ("typed", "verb"),
    [
        ("đăng ký", Verb.START),
        ("Dang ky", Verb.START),
        ("ĐĂNG KÝ!", Verb.START),
        ("  dang   ky  ", Verb.START),
        ("hủy", Verb.STOP),
        ("Huy dang ky", Verb.STOP),
        ("ngừng nhận tin", Verb.STOP),
        ("giúp", Verb.HELP),
        ("trợ giúp", Verb.HELP),
        ("tin mới", Verb.LATEST),
        ("Tin moi nhat", Verb.LATEST),
        ("khen thưởng", Verb.AWARDS),
        ("cài đặt", Verb.SETTINGS),
        ("Cai dat.", Verb.SETTINGS),
    ],
)
def test_vietnamese_words_with_or_without_accents(typed: str, verb: Verb) -> None:
    assert parse(typed) == Command(verb)


def test_search_words_are_kept_exactly_as_typed() -> None:
    assert parse("/search chuyển đổi số") == Command(Verb.SEARCH, "chuyển đổi số")
    assert parse("/search   Chuyển   Đổi Số ") == Command(Verb.SEARCH, "Chuyển Đổi Số")
    assert parse("tìm chuyển đổi số") == Command(Verb.SEARCH, "chuyển đổi số")
    assert parse("Tim kiem Khoa học") == Command(Verb.SEARCH, "Khoa học")
    assert parse("tra cứu hội nghị") == Command(Verb.SEARCH, "hội nghị")
    assert parse("tìm") == Command(Verb.SEARCH)


def test_award_lookup_by_name() -> None:
    assert parse("/khenthuong Nguyễn Văn A") == Command(Verb.AWARD_SEARCH, "Nguyễn Văn A")
    assert parse("khen thưởng Nguyễn Thị Kiều Oanh") == Command(Verb.AWARD_SEARCH, "Nguyễn Thị Kiều Oanh")
    assert parse("tra cứu khen thưởng Sở Y tế") == Command(Verb.AWARD_SEARCH, "Sở Y tế")


def test_numbers_answer_the_last_menu() -> None:
    assert parse("1") == Choice(1) and parse(" 9 ") == Choice(9)
    assert parse("3", menu_size=3) == Choice(3)
    assert parse("4", menu_size=3) == NotUnderstood("4")
    assert parse("0") == NotUnderstood("0") and parse("10") == NotUnderstood("10")


def test_anything_else_is_not_understood() -> None:
    assert parse("") == NotUnderstood("")
    assert parse("Xin chào, cho hỏi giờ làm việc của Sở?") == NotUnderstood(
        "Xin chào, cho hỏi giờ làm việc của Sở?"
    )
    assert parse("/subscribe @kenh") == NotUnderstood("/subscribe @kenh", command="subscribe")
    assert parse("đăng ký kinh doanh ở đâu") == NotUnderstood("đăng ký kinh doanh ở đâu")


def test_keyword_alerts_and_mute_words_are_typed_commands() -> None:
    assert parse("/follow đất đai") == Command(Verb.FOLLOW, "đất đai")
    assert parse("Theo dõi chuyển đổi số") == Command(Verb.FOLLOW, "chuyển đổi số")
    assert parse("bỏ theo dõi chuyển đổi số") == Command(Verb.UNFOLLOW, "chuyển đổi số")
    assert parse("theo doi") == Command(Verb.FOLLOW)  # no words: the list
    assert parse("/mute xổ số") == Command(Verb.MUTE, "xổ số") and parse("/unmute") == Command(Verb.UNMUTE)


def test_fold_keeps_positions() -> None:
    assert fold("Đăng Ký Tìm Kiếm") == "dang ky tim kiem"
    for text in ("Nguyễn Thị Kiều Oanh", "Ứng dụng", "ﬁ ß İ"):
        assert len(fold(text)) == len(text)
