"""normalize, fold and split_sentences."""

from __future__ import annotations

import pytest

from bot.domain.text import SPLIT_GOLD, fold, naive_split_sentences, normalize, split_sentences


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hoà", "hòa"),
        ("Hoà Thành", "Hòa Thành"),
        ("HOÀ", "HÒA"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("uỷ quyền", "ủy quyền"),
        ("Thuý", "Thúy"),
        ("khoẻ", "khỏe"),
        ("KHOẺ", "KHỎE"),
        ("tuỳ", "tùy"),
        ("thoả thuận", "thỏa thuận"),
        ("hoạ sĩ", "họa sĩ"),
        ("Toà án", "Tòa án"),
        # unchanged: "qu" onset, closed syllables, triphthongs, already new style
        ("quý", "quý"),
        ("Quỳnh", "Quỳnh"),
        ("hoàng", "hoàng"),
        ("thuyết", "thuyết"),
        ("hoài", "hoài"),
        ("hòa", "hòa"),
    ],
)
def test_normalize_tone_placement(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Thi đua – Khen thưởng", "Thi đua - Khen thưởng"),
        ("Thi đua — Khen thưởng", "Thi đua - Khen thưởng"),
        ("kinh tế\u2011xã hội", "kinh tế-xã hội"),
        ("  Sở \u00a0Thông tin\n\tvà  Truyền thông  ", "Sở Thông tin và Truyền thông"),
        ("Kh\u200ben", "Khen"),
        ("Kho\u0300a", "Khòa"),  # decomposed input comes back NFC (and new style)
    ],
)
def test_normalize_dashes_whitespace_nfc(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Khen Thưởng", "khen thuong"),
        ("Đồng chí", "dong chi"),
        ("Uỷ ban", "uy ban"),
        ("Chiến sỹ thi đua", "chien sy thi dua"),
        ("Bằng khen – Giấy khen", "bang khen - giay khen"),
        ("khen thuong", "khen thuong"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_matches_old_and_new_tone_placement() -> None:
    assert fold("hoà") == fold("hòa") == "hoa"


@pytest.mark.parametrize(
    ("paragraph", "expected"), SPLIT_GOLD, ids=[f"gold{i}" for i in range(len(SPLIT_GOLD))]
)
def test_split_gold(paragraph: str, expected: tuple[str, ...]) -> None:
    assert tuple(split_sentences(paragraph)) == expected


@pytest.mark.parametrize(
    "unsplit",
    [
        "Đoàn làm việc tại TP.HCM và TP. Hồ Chí Minh trong 3 ngày.",
        "Ngày 26.6 Sở tổ chức hội nghị.",
        "Có GS.TS. Nguyễn Văn A và PGS.TS. Trần Văn B dự.",
        "Báo cáo của TS. Lê Văn C được đánh giá cao.",
        "Hội thảo có ThS. Phạm Thị D trình bày.",
        "Tăng trưởng đạt 3,5% và doanh thu 1.234 tỷ đồng.",
        "Sở triển khai Một cửa điện tử… tạo bước đột phá.",
        "Ngày 12/5/2024 UBND tỉnh ban hành văn bản.",
        "Quyết định số 1234/QĐ-UBND tặng Bằng khen.",
        "UBND tỉnh và HĐND tỉnh cùng dự.",
        "Ông Nguyễn V. Bình phát biểu.",
    ],
)
def test_split_keeps_abbreviations_and_numbers(unsplit: str) -> None:
    assert split_sentences(unsplit) == [unsplit]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Câu một.\nCâu hai", ["Câu một.", "Câu hai"]),
        ("Vì sao? Vì thế!", ["Vì sao?", "Vì thế!"]),
        ("Ông nói: “Tốt lắm.” Sau đó về.", ["Ông nói: “Tốt lắm.”", "Sau đó về."]),
        (
            "Tham dự có lãnh đạo (Sở Y tế). Hội nghị bắt đầu.",
            ["Tham dự có lãnh đạo (Sở Y tế).", "Hội nghị bắt đầu."],
        ),
        ("Kết thúc năm 2020. 100% xã có internet.", ["Kết thúc năm 2020.", "100% xã có internet."]),
        ("Thông tin gồm: văn bản… Và còn nữa.", ["Thông tin gồm: văn bản…", "Và còn nữa."]),
        ("Cấp tại UBND. Sau đó nộp.", ["Cấp tại UBND.", "Sau đó nộp."]),
        ("", []),
    ],
)
def test_split_boundaries(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_our_splitter_beats_naive_on_gold() -> None:
    ours = sum(tuple(split_sentences(p)) == g for p, g in SPLIT_GOLD)
    naive = sum(tuple(naive_split_sentences(p)) == g for p, g in SPLIT_GOLD)
    assert ours == len(SPLIT_GOLD)
    assert naive < ours
