"""summarize, is_byline, is_caption, source_credit."""

from __future__ import annotations

import re

import pytest

from bot.domain.summary import is_byline, is_caption, source_credit, summarize

TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")

TITLE = "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông"
LEAD = (
    "Ngày 26.6, Sở Thông tin và Truyền thông tỉnh Tây Ninh tổ chức Hội nghị Điển hình tiên tiến giai đoạn "
    "2015 - 2020."
)
BODY = [
    "Giai đoạn 2015 - 2020, công tác thi đua, khen thưởng của Sở tiếp tục có sự đổi mới và đạt kết quả quan "
    "trọng.",
    "Trao bằng khen của Chủ tịch UBND tỉnh cho bà Nguyễn Thị Kiều Oanh - Chuyên viên Phòng Công nghệ thông "
    "tin.",
    "Hạ tầng mạng viễn thông đã đến 100% đơn vị cấp xã và hầu hết các ấp.",
    "Dịp này, Sở tặng Giấy khen cho 9 tập thể, 12 cá nhân có thành tích xuất sắc.",
    "Theo BTNO",
]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Theo BTNO", True),
        ("Theo Báo Tây Ninh", True),
        ("(Nguồn: Báo Tây Ninh)", True),
        ("Tin, ảnh: Minh Tâm", True),
        ("Tin và ảnh: Thanh Hà", True),
        ("Bài, ảnh: Ngọc Anh", True),
        ("PV", True),
        ("Minh Tâm", True),
        ("Thanh Hà - Văn Phòng Sở", True),
        ("Ngày 26.6, Sở tổ chức hội nghị.", False),
        (
            "Theo đó, Sở sẽ tiếp tục phát động phong trào thi đua trong toàn ngành và các đơn vị trực thuộc.",
            False,
        ),
        ("Hội nghị Điển hình tiên tiến", False),
        ("", False),
    ],
)
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Trao bằng khen của Chủ tịch UBND tỉnh cho bà Nguyễn Thị Kiều Oanh.", True),
        ("Tặng Giấy khen của Giám đốc Sở cho các tập thể, cá nhân điển hình tiên tiến.", True),
        ("Quang cảnh hội nghị", True),
        ("Giám đốc Sở phát biểu tại hội nghị", True),
        ("Các đại biểu dự hội nghị (Ảnh: Minh Tâm)", True),
        ("Ảnh: Văn phòng Sở", True),
        ("Giám đốc Sở phát biểu tại hội nghị. Ông đề nghị các đơn vị tiếp tục cố gắng.", False),
        ("Dịp này, Sở tặng Giấy khen cho 9 tập thể, 12 cá nhân.", False),
    ],
)
def test_is_caption(line: str, expected: bool) -> None:
    assert is_caption(line) is expected


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        (["Nội dung.", "Theo BTNO"], "BTNO"),
        (["Nội dung.", "(Nguồn: Báo Tây Ninh)"], "Báo Tây Ninh"),
        (["Nội dung.", "Theo Báo Tây Ninh."], "Báo Tây Ninh"),
        (["Nội dung.", "Tin, ảnh: Minh Tâm"], None),
        ([], None),
    ],
)
def test_source_credit(paragraphs: list[str], expected: str | None) -> None:
    assert source_credit(paragraphs) == expected


def test_good_lead_is_the_summary() -> None:
    assert summarize(TITLE, LEAD, BODY, 300) == LEAD


def test_lead_repeating_the_title_is_not_used() -> None:
    out = summarize(TITLE, TITLE, BODY, 300)
    assert out != TITLE and out.startswith("Giai đoạn 2015 - 2020")


def test_lead_is_normalized() -> None:
    assert summarize("Tiêu đề", "Uỷ ban  nhân dân tỉnh họp phiên thường kỳ tháng 6 – năm 2024.", [], 300) == (
        "Ủy ban nhân dân tỉnh họp phiên thường kỳ tháng 6 - năm 2024."
    )


def test_body_sentences_keep_original_order_and_skip_chrome() -> None:
    out = summarize(TITLE, "", BODY, 700)
    assert "Theo BTNO" not in out
    assert "Trao bằng khen" not in out  # a caption
    parts = [s for s in BODY if s in out]
    assert parts == sorted(parts, key=BODY.index) and len(parts) >= 2
    assert len(out) <= 700


@pytest.mark.parametrize("budget", [20, 60, 100, 150, 300, 700, 2000])
def test_never_over_budget_and_never_mid_sentence(budget: int) -> None:
    for lead in (LEAD, ""):
        out = summarize(TITLE, lead, BODY, budget)
        assert 0 < len(out) <= budget
        assert TERMINAL.search(out), out


def test_sentences_are_verbatim() -> None:
    out = summarize(TITLE, "", BODY, 300)
    sentences = re.split(r"(?<=\.) ", out)
    assert all(any(s in p for p in BODY) for s in sentences)


def test_long_single_sentence_is_cut_at_a_clause_with_ellipsis() -> None:
    long = (
        "Giai đoạn 2015 - 2020, công tác thi đua của Sở tiếp tục đổi mới về nội dung, hình thức, "
        "phương pháp thực hiện và đã đạt được những kết quả quan trọng trên nhiều lĩnh vực."
    )
    out = summarize("Tin", "", [long], 100)
    assert out.endswith("…") and len(out) <= 100
    assert long.startswith(out[:-1])
    assert out[:-1].endswith(("nội dung", "hình thức")), out


def test_cut_at_word_when_no_clause() -> None:
    long = (
        "Sở Thông tin và Truyền thông tổ chức hội nghị điển hình tiên tiến cho toàn thể cán bộ công chức "
        "viên chức"
    )
    out = summarize("Tin", "", [long], 40)
    assert out.endswith("…") and len(out) <= 40
    assert long.startswith(out[:-1]) and long[len(out) - 1] == " "


def test_sentence_without_final_punctuation_gets_a_period() -> None:
    assert summarize(
        "Tin", "Sở Thông tin và Truyền thông tổ chức Hội nghị Điển hình tiên tiến", [], 300
    ).endswith("tiên tiến.")


@pytest.mark.parametrize("budget", [0, -5])
def test_zero_budget(budget: int) -> None:
    assert summarize(TITLE, LEAD, BODY, budget) == ""


def test_no_body_falls_back_to_title() -> None:
    assert summarize("Thông báo lịch tiếp công dân", "", [], 300) == "Thông báo lịch tiếp công dân."
