"""detect_award and naive_is_award: kinds, authorities, stages, counts, recipients, traps."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.domain.awards import detect_award, naive_is_award
from bot.domain.models import AwardInfo, FormCount, Recipient, Stage
from bot.domain.render import render_article
from bot.domain.text import normalize, split_sentences
from tests.standin import parse_html

SEED = Path(__file__).resolve().parents[1] / "data" / "seed" / "department-article-2020-06-28.txt"


def _body(text: str) -> tuple[str, str, str]:
    """A one-sentence article: plain title, the sentence as the body."""
    return ("Tin hoạt động", "", text)


# --- kinds -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 5 tập thể.", "Bằng khen của Chủ tịch UBND tỉnh"),
        (
            "Dịp này, UBND tỉnh trao Bằng khen của UBND tỉnh cho 5 tập thể.",
            "Bằng khen của Chủ tịch UBND tỉnh",
        ),
        ("Đơn vị vinh dự đón nhận Bằng khen của Thủ tướng Chính phủ.", "Bằng khen của Thủ tướng Chính phủ"),
        (
            "Sở trao Bằng khen của Bộ trưởng Bộ Thông tin và Truyền thông cho 3 cá nhân.",
            "Bằng khen của Bộ trưởng Bộ Thông tin và Truyền thông",
        ),
        (
            "Sở trao Bằng khen của Bộ TT&TT cho 3 cá nhân.",
            "Bằng khen của Bộ trưởng Bộ Thông tin và Truyền thông",
        ),
        ("Dịp này, Giám đốc Sở Y tế tặng Giấy khen cho 4 tập thể.", "Giấy khen của Giám đốc Sở"),
        ("Chủ tịch UBND huyện Gò Dầu trao Giấy khen cho 3 cá nhân.", "Giấy khen của Chủ tịch UBND huyện"),
        ("Đơn vị đón nhận Cờ thi đua của Chính phủ.", "Cờ thi đua của Chính phủ"),
        ("Đơn vị đón nhận Cờ thi đua của Thủ tướng Chính phủ.", "Cờ thi đua của Chính phủ"),
        ("Chủ tịch UBND tỉnh trao Cờ thi đua của UBND tỉnh cho 2 đơn vị.", "Cờ thi đua của UBND tỉnh"),
        ("Trường đón nhận Huân chương Lao động hạng Ba.", "Huân chương Lao động hạng Ba"),
        ("Trường đón nhận Huân chương Lao động Hạng ba.", "Huân chương Lao động hạng Ba"),
        ("Công an tỉnh đón nhận Huân chương Bảo vệ Tổ quốc hạng Nhì.", "Huân chương Bảo vệ Tổ quốc hạng Nhì"),
        ("Trao Huân chương Độc lập hạng Nhất cho Tỉnh ủy.", "Huân chương Độc lập hạng Nhất"),
        ("Trao Huân chương Chiến công hạng Ba cho 2 cá nhân.", "Huân chương Chiến công hạng Ba"),
        ("Trao Huân chương Đại đoàn kết dân tộc cho ông Lê Văn An.", "Huân chương Đại đoàn kết dân tộc"),
        ("Trao Huy chương Quân kỳ quyết thắng cho 5 cán bộ.", "Huy chương Quân kỳ quyết thắng"),
        ("Trao Huy chương Vì an ninh Tổ quốc cho 12 cán bộ.", "Huy chương Vì an ninh Tổ quốc"),
        ("Giám đốc Sở công nhận danh hiệu Chiến sĩ thi đua cơ sở cho 9 cá nhân.", "Chiến sĩ thi đua cơ sở"),
        ("Giám đốc Sở công nhận danh hiệu Chiến sỹ thi đua cơ sở cho 9 cá nhân.", "Chiến sĩ thi đua cơ sở"),
        (
            "Chủ tịch UBND tỉnh tặng danh hiệu Chiến sĩ thi đua cấp tỉnh cho 8 cá nhân.",
            "Chiến sĩ thi đua cấp tỉnh",
        ),
        ("Ông vinh dự được tặng danh hiệu Chiến sĩ thi đua toàn quốc.", "Chiến sĩ thi đua toàn quốc"),
        ("Giám đốc Sở công nhận danh hiệu Lao động tiên tiến cho 45 cá nhân.", "Lao động tiên tiến"),
        (
            "UBND tỉnh công nhận danh hiệu Tập thể lao động xuất sắc cho 25 tập thể.",
            "Tập thể lao động xuất sắc",
        ),
        (
            "Sở trao Kỷ niệm chương “Vì sự nghiệp Thông tin và Truyền thông” cho 15 cá nhân.",
            "Kỷ niệm chương Vì sự nghiệp Thông tin và Truyền thông",
        ),
        ("Sở trao Kỷ niệm chương cho 15 cá nhân.", "Kỷ niệm chương"),
        (
            "Nhà khoa học được trao Giải thưởng Nhà nước về khoa học và công nghệ.",
            "Giải thưởng Nhà nước về khoa học và công nghệ",
        ),
        ("Ba nhà giáo được phong tặng danh hiệu Nhà giáo Ưu tú.", "Nhà giáo ưu tú"),
        ("Lễ truy tặng danh hiệu Bà mẹ Việt Nam anh hùng cho 2 mẹ.", "Bà mẹ Việt Nam anh hùng"),
        (
            "Xã được phong tặng danh hiệu Anh hùng Lực lượng vũ trang nhân dân.",
            "Anh hùng Lực lượng vũ trang nhân dân",
        ),
        ("Bác sĩ được phong tặng danh hiệu Thầy thuốc Nhân dân.", "Thầy thuốc nhân dân"),
        ("Ông vinh dự được trao tặng Giải thưởng Hồ Chí Minh.", "Giải thưởng Hồ Chí Minh"),
        ("Tại hội nghị, Sở tuyên dương 30 điển hình tiên tiến.", "Điển hình tiên tiến"),
    ],
)
def test_kind_families(sentence: str, kind: str) -> None:
    info = detect_award(*_body(sentence))
    assert info is not None
    assert kind in info.kinds


@pytest.mark.parametrize(
    ("sentence", "authority"),
    [
        ("Trường đón nhận Huân chương Lao động hạng Ba.", "Chủ tịch nước"),
        ("Chủ tịch nước tặng Huân chương Lao động hạng Ba cho 3 tập thể.", "Chủ tịch nước"),
        ("Đơn vị đón nhận Bằng khen của Thủ tướng Chính phủ.", "Thủ tướng Chính phủ"),
        ("Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 5 tập thể.", "Chủ tịch UBND tỉnh"),
        (
            "Sở trao Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ cho 2 cá nhân.",
            "Bộ trưởng Bộ Khoa học và Công nghệ",
        ),
        ("Dịp này, Giám đốc Sở tặng Giấy khen cho 4 tập thể.", "Giám đốc Sở"),
        ("Dịp này, Sở Tư pháp tặng Giấy khen cho 4 tập thể.", "Giám đốc Sở"),
        ("Phó Giám đốc Sở trao Giấy khen cho 4 tập thể.", "Giám đốc Sở"),
        ("Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 12 tổ chức cơ sở đảng.", "Ban Thường vụ Tỉnh ủy"),
        ("Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 15 tập thể.", "Ủy ban MTTQ Việt Nam tỉnh"),
        ("Liên đoàn Lao động tỉnh tặng Bằng khen cho 8 công đoàn cơ sở.", "Liên đoàn Lao động tỉnh"),
        ("Tỉnh đoàn trao Bằng khen cho 10 cá nhân.", "Tỉnh đoàn"),
        ("Chủ tịch UBND xã Thạnh Đức trao Giấy khen cho em Nguyễn Văn Nam.", "Chủ tịch UBND xã"),
        ("Công an huyện được Chủ tịch UBND tỉnh tặng Bằng khen.", "Chủ tịch UBND tỉnh"),
        ("Theo Quyết định số 45/QĐ-TTg, 2 tập thể được tặng Bằng khen.", "Thủ tướng Chính phủ"),
    ],
)
def test_authorities(sentence: str, authority: str) -> None:
    info = detect_award(*_body(sentence))
    assert info is not None
    assert authority in info.authorities


def test_thua_uy_quyen_names_the_authority_not_the_presenter() -> None:
    info = detect_award(
        "Sở Nội vụ đón nhận Huân chương",
        "",
        "Thừa ủy quyền của Chủ tịch nước, đồng chí Nguyễn Thành Tâm, Bí thư Tỉnh ủy trao Huân chương Lao "
        "động "
        "hạng Ba cho Sở Nội vụ.",
    )
    assert info is not None
    assert info.authorities == ("Chủ tịch nước",)
    assert all(r.name != "Nguyễn Thành Tâm" for r in info.recipients)
    assert Recipient("Sở Nội vụ") in info.recipients


def test_thua_uy_quyen_old_tone_and_owner() -> None:
    info = detect_award(
        "Lễ trao",
        "",
        "Thừa uỷ quyền Thủ tướng Chính phủ, Phó Chủ tịch UBND tỉnh trao Bằng khen cho 2 tập thể.",
    )
    assert info is not None
    assert info.kinds == ("Bằng khen của Thủ tướng Chính phủ",)
    assert info.authorities == ("Thủ tướng Chính phủ",)


# --- stages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "lead", "stage"),
    [
        ("Trao Bằng khen cho 5 tập thể", "Chủ tịch UBND tỉnh trao Bằng khen cho 5 tập thể.", Stage.CONFERRED),
        ("Sở đón nhận Huân chương Lao động hạng Ba", "", Stage.CONFERRED),
        (
            "Tặng Bằng khen cho lực lượng cứu hộ",
            "Chủ tịch UBND tỉnh vừa ký Quyết định số 1234/QĐ-UBND tặng Bằng khen cho 2 tập thể.",
            Stage.DECIDED,
        ),
        (
            "UBND tỉnh khen thưởng doanh nghiệp",
            "UBND tỉnh ban hành Quyết định số 2101/QĐ-UBND tặng Bằng khen cho 30 doanh nghiệp.",
            Stage.DECIDED,
        ),
        (
            "Lấy ý kiến nhân dân",
            "Sở Nội vụ lấy ý kiến nhân dân đối với ông Nguyễn Văn Hùng - Giám đốc Sở Tài chính, được đề nghị "
            "tặng Huân chương Lao động hạng Nhì.",
            Stage.PROPOSED,
        ),
        (
            "Xét đề nghị khen thưởng",
            "Hội đồng thông qua danh sách đề nghị Thủ tướng Chính phủ tặng Bằng khen cho 6 tập thể.",
            Stage.PROPOSED,
        ),
    ],
)
def test_stages(title: str, lead: str, stage: Stage) -> None:
    info = detect_award(title, lead, "")
    assert info is not None
    assert info.stage is stage


def test_decision_number() -> None:
    info = detect_award(
        "Tin", "Chủ tịch UBND tỉnh ký Quyết định số 1234/QĐ-UBND ngày 12/5/2024 tặng Bằng khen.", ""
    )
    assert info is not None and info.decision == "1234/QĐ-UBND"


# --- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "collectives", "individuals"),
    [
        ("Dịp này, Giám đốc Sở tặng Giấy khen cho 9 tập thể, 12 cá nhân.", 9, 12),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho 23 tập thể và 23 cá nhân.", 23, 23),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho 06 tập thể và 07 cá nhân.", 6, 7),
        # several forms and no stated total: no total (the same units may receive several forms)
        (
            "Chủ tịch UBND tỉnh tặng Cờ thi đua cho 02 tập thể; Bằng khen cho 05 tập thể, 07 cá nhân.",
            None,
            None,
        ),
        (
            "UBND tỉnh trao: Cờ thi đua của UBND tỉnh cho 14 tập thể; Bằng khen của Chủ tịch UBND tỉnh cho "
            "54 tập "
            "thể, 120 cá nhân; danh hiệu Chiến sĩ thi đua cấp tỉnh cho 8 cá nhân.",
            None,
            None,
        ),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho hai tập thể và năm cá nhân.", 2, 5),
        ("Dịp này, Giám đốc Sở tặng Giấy khen cho 9 tập thể.", 9, None),
        ("Dịp này, Giám đốc Sở tặng Giấy khen cho các tập thể, cá nhân.", None, None),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho 50 tập thể, cá nhân.", None, None),
        (
            "Chủ tịch UBND tỉnh tặng Bằng khen cho 50 tập thể, cá nhân. Trong đó, có 20 tập thể và 30 cá "
            "nhân.",
            20,
            30,
        ),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho 20 tập thể, trong đó có 5 tập thể ngành giáo dục.", 20, None),
        # with no number, the named people are counted
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho bà Nguyễn Thị Lan - Chuyên viên Văn phòng.", None, 1),
    ],
)
def test_counts(body: str, collectives: int | None, individuals: int | None) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert (info.collectives, info.individuals) == (collectives, individuals)


def test_counts_repeated_in_title_and_caption_are_counted_once() -> None:
    info = detect_award(
        "Trao Bằng khen cho 23 tập thể, 23 cá nhân",
        "",
        "Chủ tịch UBND tỉnh trao Bằng khen của Chủ tịch UBND tỉnh cho 23 tập thể và 23 cá nhân.",
        ["Trao Bằng khen cho 23 tập thể, 23 cá nhân."],
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (23, 23)


def test_history_sentence_adds_no_kind_and_no_count() -> None:
    info = detect_award(
        "Tin",
        "",
        "Trong 5 năm qua, Sở đã được tặng Cờ Thi đua của Chính phủ, 4 Cờ Thi đua xuất sắc cho 3 tập thể. "
        "Dịp này, Giám đốc Sở tặng Giấy khen cho 9 tập thể, 12 cá nhân.",
    )
    assert info is not None
    assert info.kinds == ("Giấy khen của Giám đốc Sở",)
    assert (info.collectives, info.individuals) == (9, 12)


# --- recipients --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Chủ tịch UBND tỉnh tặng bằng khen cho bà Nguyễn Thị Kiều Oanh-Chuyên viên Phòng Công nghệ "
            "thông tin, "
            "Bưu chính và Viễn thông vì đã có thành tích xuất sắc.",
            [
                Recipient(
                    "Nguyễn Thị Kiều Oanh", "Chuyên viên Phòng Công nghệ thông tin, Bưu chính và Viễn thông"
                )
            ],
        ),
        (
            "Chủ tịch UBND tỉnh trao Bằng khen cho ông Nguyễn Văn Bé - Đội trưởng Đội Cảnh sát PCCC và bà "
            "Lê Thị "
            "Thu - Chuyên viên Văn phòng UBND tỉnh vì đã có hành động dũng cảm.",
            [
                Recipient("Nguyễn Văn Bé", "Đội trưởng Đội Cảnh sát PCCC"),
                Recipient("Lê Thị Thu", "Chuyên viên Văn phòng UBND tỉnh"),
            ],
        ),
        (
            "Thừa ủy quyền Chủ tịch nước, Chủ tịch UBND tỉnh trao Huân chương Lao động hạng Nhì cho ông "
            "Nguyễn "
            "Văn Quý, nguyên Giám đốc Sở Văn hóa, Thể thao và Du lịch.",
            [Recipient("Nguyễn Văn Quý", "nguyên Giám đốc Sở Văn hóa, Thể thao và Du lịch")],
        ),
        (
            "TS. Huỳnh Thanh Hải - Phó Giám đốc Sở Khoa học và Công nghệ vinh dự nhận Bằng khen của Bộ "
            "trưởng Bộ "
            "Khoa học và Công nghệ.",
            [Recipient("Huỳnh Thanh Hải", "Phó Giám đốc Sở Khoa học và Công nghệ")],
        ),
        (
            "Sở Tài nguyên và Môi trường vinh dự đón nhận Cờ thi đua của Chính phủ.",
            [Recipient("Sở Tài nguyên và Môi trường")],
        ),
        (
            "Phó Chủ tịch UBND tỉnh trao Bằng khen của Thủ tướng Chính phủ cho Trung tâm Công nghệ thông "
            "tin và "
            "Truyền thông vì đã có thành tích xuất sắc.",
            [Recipient("Trung tâm Công nghệ thông tin và Truyền thông")],
        ),
    ],
)
def test_recipients(body: str, expected: list[Recipient]) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert list(info.recipients) == expected


def test_presenter_is_not_a_recipient() -> None:
    info = detect_award(
        "Tin",
        "",
        "Ông Trần Văn Chiến - Phó Chủ tịch UBND tỉnh trao Bằng khen cho bà Lê Thị Hoa - Kế toán Sở.",
    )
    assert info is not None
    assert [r.name for r in info.recipients] == ["Lê Thị Hoa"]


def test_reason_and_period() -> None:
    info = detect_award(
        "Hội nghị",
        "Sở tổ chức hội nghị điển hình tiên tiến giai đoạn 2015 - 2020.",
        "Dịp này, Giám đốc Sở tặng Giấy khen cho 9 tập thể vì đã có thành tích xuất sắc trong công tác.",
    )
    assert info is not None
    assert info.reason == "vì đã có thành tích xuất sắc trong công tác"
    assert info.period == "giai đoạn 2015 - 2020"


def test_caption_only_award() -> None:
    info = detect_award(
        "Hội nghị tổng kết ngành giáo dục",
        "Sở Giáo dục và Đào tạo tổ chức hội nghị tổng kết năm học.",
        "Năm học vừa qua, toàn ngành đạt nhiều kết quả.",
        ["Phó Chủ tịch UBND tỉnh trao Bằng khen của Chủ tịch UBND tỉnh cho 12 tập thể, 20 cá nhân."],
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (12, 20)


def test_award_in_last_paragraph_is_found() -> None:
    body = "Năm 2023, Sở hoàn thành 18/18 chỉ tiêu.\n\nDịp này, Giám đốc Sở tặng Giấy khen cho 06 tập thể."
    info = detect_award("Sở tổng kết công tác năm 2023", "Sở tổ chức hội nghị tổng kết.", body)
    assert info is not None and info.collectives == 6


# --- the seed ----------------------------------------------------------------------------------


def test_seed_article() -> None:
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    info = detect_award(
        "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông", paras[2], "\n\n".join(paras[3:-1])
    )
    assert info is not None
    assert info.stage is Stage.CONFERRED
    assert {"Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở"} <= set(info.kinds)
    assert "Cờ thi đua của Chính phủ" not in info.kinds  # the "Trong 5 năm qua" history sentence
    assert {"Chủ tịch UBND tỉnh", "Giám đốc Sở"} <= set(info.authorities)
    assert (
        Recipient("Nguyễn Thị Kiều Oanh", "Chuyên viên Phòng Công nghệ thông tin, Bưu chính và Viễn thông")
        in info.recipients
    )
    # counts per form: the Bằng khen to one named person, the Giấy khen to 9 collectives and 12 people;
    # no total, since the article states none
    assert FormCount("Bằng khen của Chủ tịch UBND tỉnh", None, 1) in info.counts
    assert FormCount("Giấy khen của Giám đốc Sở", 9, 12) in info.counts
    assert (info.collectives, info.individuals) == (None, None)
    assert info.period == "giai đoạn 2015 - 2020"


# --- traps -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "lead", "body"),
    [
        (
            "Phát động phong trào thi đua",
            "UBND tỉnh phát động phong trào thi đua yêu nước.",
            "Các đơn vị ký kết giao ước thi đua.",
        ),
        ("Khối thi đua ký kết", "", "Các đơn vị đăng ký phấn đấu đạt Cờ thi đua của UBND tỉnh và Bằng khen."),
        (
            "Tổng kết công tác thi đua, khen thưởng",
            "Hội nghị tổng kết công tác thi đua – khen thưởng năm 2023.",
            "",
        ),
        (
            "Hội đồng Thi đua - Khen thưởng tỉnh họp",
            "Hội đồng Thi đua – Khen thưởng tỉnh họp phiên quý III.",
            "",
        ),
        ("Tập huấn", "", "Dự có ông Trần Văn Bình, Phó Trưởng ban Ban Thi đua - Khen thưởng tỉnh."),
        ("Quy chế", "Ban hành Quy chế thi đua, khen thưởng; quy định tiêu chuẩn xét tặng Giấy khen.", ""),
        ("Khen ngợi", "Chủ tịch UBND tỉnh gửi thư khen ngợi lực lượng chữa cháy.", "Việc làm rất đáng khen."),
        ("Trao bằng tốt nghiệp", "Trường trao bằng tốt nghiệp cho 500 sinh viên.", ""),
        ("Trao Giấy chứng nhận ISO", "Sở trao Giấy chứng nhận ISO 9001 cho 20 cơ quan.", ""),
        ("Cấp bằng sáng chế", "Doanh nghiệp được cấp bằng sáng chế.", ""),
        ("Công nhận nông thôn mới", "UBND tỉnh trao quyết định công nhận xã đạt chuẩn nông thôn mới.", ""),
        ("Xếp hạng nhất", "Tây Ninh xếp hạng nhất chỉ số PAR Index, dẫn đầu chỉ số DTI.", ""),
        ("Trao quà", "Sở trao 200 phần quà, tặng 50 suất học bổng và tặng hoa các Mẹ Việt Nam Anh hùng.", ""),
        ("Huy hiệu Đảng", "Trao Huy hiệu 30 năm tuổi Đảng cho 3 đảng viên.", ""),
        ("Bổ nhiệm", "Chủ tịch UBND tỉnh trao Quyết định số 555/QĐ-UBND bổ nhiệm Phó Giám đốc Sở.", ""),
        (
            "Họp mặt",
            "",
            "Tham dự có NGƯT Nguyễn Văn Bảy; Anh hùng LLVTND Võ Văn Tám và Mẹ Việt Nam Anh hùng Lê Thị Năm.",
        ),
        (
            "Liên đoàn Lao động",
            "Liên đoàn Lao động tỉnh phát động Tháng Công nhân.",
            "Tư vấn xuất khẩu lao động cho 300 người.",
        ),
        ("Treo cờ", "Các cơ quan treo cờ Tổ quốc; giải cờ vua học sinh; cán bộ, chiến sĩ diễu hành.", ""),
        (
            "Hướng dẫn xét tặng",
            "Sở hướng dẫn lập hồ sơ đề nghị xét tặng Kỷ niệm chương.",
            "Hồ sơ gửi trước ngày 30/9.",
        ),
        ("Thông báo xét tặng", "Thông báo xét tặng danh hiệu Nghệ nhân ưu tú lần thứ 4.", ""),
        (
            "Hủy bỏ",
            "Chủ tịch UBND tỉnh hủy bỏ quyết định tặng Bằng khen đối với ông A.",
            "Thu hồi Bằng khen.",
        ),
        ("Kỷ luật", "UBND tỉnh thi hành kỷ luật cảnh cáo ông B.", "Trước đó, ông từng được tặng Bằng khen."),
        ("Kỷ niệm 20 năm", "", "Trong 20 năm qua, Trung tâm đã được tặng 1 Cờ thi đua của UBND tỉnh."),
        ("Kế hoạch", "UBND tỉnh sẽ tặng Bằng khen cho các tập thể, cá nhân tiêu biểu.", ""),
        ("Thống kê", "", "Trong 6 tháng đầu năm, UBND tỉnh đã tặng Bằng khen cho 320 tập thể."),
        (
            "Giải báo chí",
            "Sở trao 1 giải Nhất, 2 giải Nhì cuộc thi báo chí.",
            "Học sinh giành Huy chương Vàng.",
        ),
    ],
)
def test_traps_are_not_announcements(title: str, lead: str, body: str) -> None:
    assert detect_award(title, lead, body) is None


# --- naive baseline ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "lead", "expected"),
    [
        ("Trao Bằng khen cho 5 tập thể", "", True),
        ("Tin", "Tặng giấy khen cho học sinh.", True),
        ("Tổng kết công tác thi đua, khen thưởng", "", True),  # the baseline falls into the trap
        ("Tin", "Khen thuong cho 5 tap the", True),  # accent-insensitive
        ("Sở đón nhận Huân chương Lao động hạng Ba", "", False),  # and misses real ones
    ],
)
def test_naive_baseline(title: str, lead: str, expected: bool) -> None:
    assert naive_is_award(title, lead) is expected


# --- revocation: the whole article is judged ---------------------------------------------------

_REVOKING_LEAD = "Ngày 2/4/2023, Chủ tịch UBND tỉnh ký quyết định thu hồi Bằng khen đã tặng Công ty X."


@pytest.mark.parametrize(
    ("title", "lead", "body"),
    [
        # the title revokes; the body only restates the revoked award
        (
            "Thu hồi Bằng khen của doanh nghiệp vi phạm",
            _REVOKING_LEAD,
            "Năm 2020, Công ty X được Chủ tịch UBND tỉnh tặng Bằng khen vì có thành tích trong sản xuất.",
        ),
        # the revoked award is not named: any restated award goes
        (
            "Hủy bỏ quyết định khen thưởng đối với một cán bộ",
            "Ngày 5/3/2024, Chủ tịch UBND tỉnh ký quyết định hủy bỏ quyết định khen thưởng đối với ông T.",
            "Trước đó, ông T được Chủ tịch UBND tỉnh tặng Bằng khen. Ông T đã nhận Bằng khen tại hội nghị.",
        ),
        # "tước danh hiệu", restated with a year frame
        (
            "Tước danh hiệu Chiến sĩ thi đua cơ sở",
            "Ngày 9/8/2024, Giám đốc Sở ký quyết định tước danh hiệu Chiến sĩ thi đua cơ sở của ông B.",
            "Năm 2022, ông B được công nhận danh hiệu Chiến sĩ thi đua cơ sở.",
        ),
        # a revoked decision with a long object ("hủy bỏ Quyết định số … về việc tặng …")
        (
            "Tin",
            "",
            "Chủ tịch UBND tỉnh hủy bỏ Quyết định số 123/QĐ-UBND ngày 12/3/2024 của Chủ tịch UBND tỉnh về "
            "việc tặng Bằng khen cho ông Lê Văn T.",
        ),
        # passive revocation
        ("Tin", "", "Bằng khen đã tặng cho ông K bị thu hồi do kê khai không trung thực."),
    ],
)
def test_revocation_articles_are_not_announcements(title: str, lead: str, body: str) -> None:
    assert detect_award(title, lead, body) is None


@pytest.mark.parametrize(
    ("body", "kinds", "counts"),
    [
        # a separate conferral in another sentence: counted recipients
        (
            "Cũng tại phiên họp, Chủ tịch UBND tỉnh tặng Bằng khen cho 4 doanh nghiệp.",
            ("Bằng khen của Chủ tịch UBND tỉnh",),
            (4, None),
        ),
        # … or an active, present "X tặng … cho <named>"
        (
            "Đồng thời, Chủ tịch UBND tỉnh tặng Bằng khen cho ông Nguyễn Văn Hai, Giám đốc Công ty Y.",
            ("Bằng khen của Chủ tịch UBND tỉnh",),
            (None, 1),
        ),
        # … or another family
        (
            "Dịp này, Giám đốc Sở Tài nguyên và Môi trường tặng Giấy khen cho 3 cá nhân.",
            ("Giấy khen của Giám đốc Sở",),
            (None, 3),
        ),
    ],
)
def test_revocation_article_with_a_separate_conferral(
    body: str, kinds: tuple[str, ...], counts: tuple[int | None, int | None]
) -> None:
    info = detect_award("Thu hồi Bằng khen của doanh nghiệp vi phạm", _REVOKING_LEAD, body)
    assert info is not None
    assert info.kinds == kinds
    assert (info.collectives, info.individuals) == counts


def test_revocation_and_conferral_in_one_sentence() -> None:
    info = detect_award(
        "Tin",
        "",
        "Chủ tịch UBND tỉnh thu hồi Bằng khen đã tặng Công ty A; đồng thời tặng Bằng khen cho 3 tập thể có "
        "thành tích trong bảo vệ môi trường.",
    )
    assert info is not None
    assert info.kinds == ("Bằng khen của Chủ tịch UBND tỉnh",)
    assert (info.collectives, info.individuals) == (3, None)


@pytest.mark.parametrize(
    "body",
    [
        "Dịp này, Giám đốc Sở Tài chính tặng Giấy khen cho 5 cá nhân có thành tích trong công tác thu hồi "
        "nợ đọng thuế.",
        "Chi cục có thành tích trong thu hồi nợ đọng, được Giám đốc Sở Tài chính tặng Giấy khen cho 5 cá "
        "nhân.",
        "Dịp này, Giám đốc Sở tặng Giấy khen cho 5 cá nhân vì đã có thành tích giữ nghiêm kỷ luật lao động.",
    ],
)
def test_revoke_and_discipline_words_outside_the_award_are_no_veto(body: str) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert info.individuals == 5


def test_a_giver_the_lexicon_does_not_know_leaves_the_form_without_a_count() -> None:
    """ "Giấy khen" of a giver we cannot name would be shown under the wrong form: say less; a body
    the article names as an office or organisation gives under its own name."""
    info = detect_award("Tin", "", "Dịp này, Câu lạc bộ Hưu trí tỉnh trao Giấy khen cho 12 hội viên.")
    assert info is not None
    assert info.counts == (FormCount("Giấy khen", None, None),)
    named = detect_award(
        "Tin", "", "Dịp này, Công đoàn Viên chức tỉnh trao Giấy khen cho 12 công đoàn cơ sở."
    )
    assert named is not None
    assert named.counts == (FormCount("Giấy khen của Công đoàn Viên chức tỉnh", 12, None),)
    caption = detect_award(
        "Tin", "", "Hội nghị tổng kết.", ["Lãnh đạo Chi cục trao Giấy khen cho 2 tập thể."]
    )
    assert caption is not None and caption.counts == (FormCount("Giấy khen", 2, None),)  # a presenter


# --- history frames ----------------------------------------------------------------------------

_CURRENT = "Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 6 tập thể và 9 cá nhân."


@pytest.mark.parametrize(
    "history",
    [
        "Trước đó, Sở đã được Chủ tịch nước tặng Huân chương Lao động hạng Ba năm 2012.",
        "Trước đây, Sở đã được tặng Cờ thi đua của Chính phủ và 2 Bằng khen của Thủ tướng Chính phủ.",
        "Sở đã từng được tặng Cờ thi đua của Chính phủ cho 2 tập thể.",
        "Năm 2019, Sở được Thủ tướng Chính phủ tặng Bằng khen cho 2 tập thể và 3 cá nhân.",
        "Sở đã được Nhà nước tặng thưởng Huân chương Lao động hạng Nhì (năm 2012).",
        "Sở đã được Nhà nước tặng thưởng Huân chương Lao động hạng Nhì (2012).",
        "Đơn vị nhiều năm liền được tặng Cờ thi đua của UBND tỉnh.",
        "Trong các năm qua, đơn vị được tặng Cờ thi đua của Bộ Y tế.",
        "Trải qua 30 năm xây dựng, đơn vị được tặng Huân chương Lao động hạng Nhất.",
        "Đơn vị đã được tặng Huân chương Độc lập hạng Ba và nhiều Cờ thi đua của Bộ Y tế.",
    ],
)
def test_history_frames_add_no_kind_authority_or_count(history: str) -> None:
    info = detect_award("Tin", "Sáng 3/5/2024, Sở Y tế tổ chức lễ kỷ niệm.", f"{history} {_CURRENT}")
    assert info is not None
    assert info.kinds == ("Bằng khen của Chủ tịch UBND tỉnh",)
    assert info.authorities == ("Chủ tịch UBND tỉnh",)
    assert (info.collectives, info.individuals) == (6, 9)


def test_year_frame_of_the_article_year_is_not_history() -> None:
    """Only a year before the article's (its latest dd/mm/yyyy date) frames history."""
    info = detect_award(
        "Tin",
        "Ngày 10/12/2024, Sở tổ chức hội nghị tổng kết.",
        "Năm 2024, Sở được Chủ tịch UBND tỉnh tặng Cờ thi đua của UBND tỉnh. " + _CURRENT,
    )
    assert info is not None
    assert set(info.kinds) == {"Cờ thi đua của UBND tỉnh", "Bằng khen của Chủ tịch UBND tỉnh"}


def test_earlier_frame_alone_still_reports_the_award() -> None:
    """A "Trước đó, …" frame only steps aside for a current conferral elsewhere in the article."""
    info = detect_award(
        "Tin", "Sáng 3/5/2024, Sở tổ chức hội nghị.", "Trước đó, UBND tỉnh tặng Bằng khen cho 6 tập thể."
    )
    assert info is not None
    assert info.collectives == 6


# --- giver resolution --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "kinds", "authorities"),
    [
        (
            "Dịp này, Bộ trưởng Bộ Y tế tặng Bằng khen cho 3 tập thể.",
            {"Bằng khen của Bộ trưởng Bộ Y tế"},
            {"Bộ trưởng Bộ Y tế"},
        ),
        (
            "Đơn vị đón nhận Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo.",
            {"Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"},
            {"Bộ trưởng Bộ Giáo dục và Đào tạo"},
        ),
        # the giver of the second clause, not the subject of the first
        (
            "Trường được nhận Cờ thi đua của UBND tỉnh; Bộ trưởng Bộ Tài chính tặng Bằng khen cho "
            "02 tập thể.",
            {"Cờ thi đua của UBND tỉnh", "Bằng khen của Bộ trưởng Bộ Tài chính"},
            {"Chủ tịch UBND tỉnh", "Bộ trưởng Bộ Tài chính"},
        ),
        (
            "Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 2 tập thể; Giám đốc Sở Nội vụ tặng Giấy khen "
            "cho 4 tập thể và 8 cá nhân.",
            {"Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở"},
            {"Chủ tịch UBND tỉnh", "Giám đốc Sở"},
        ),
        # a clause with no subject of its own keeps the giver of the clause before it
        (
            "Dịp này, Giám đốc Sở Y tế tặng Giấy khen cho 4 tập thể; trao Giấy khen cho 8 cá nhân.",
            {"Giấy khen của Giám đốc Sở"},
            {"Giám đốc Sở"},
        ),
        # "… do X trao tặng"
        (
            "Trường vinh dự đón nhận Bằng khen do Chủ tịch UBND tỉnh trao tặng.",
            {"Bằng khen của Chủ tịch UBND tỉnh"},
            {"Chủ tịch UBND tỉnh"},
        ),
    ],
)
def test_giver_per_clause(body: str, kinds: set[str], authorities: set[str]) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert set(info.kinds) == kinds
    assert set(info.authorities) == authorities


# --- counts with other nouns -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "collectives", "individuals"),
    [
        (
            "Tại buổi lễ, 10 gương thanh niên tiêu biểu được tuyên dương và nhận Bằng khen của UBND tỉnh.",
            None,
            10,
        ),
        ("Dịp này, Tỉnh đoàn tặng Bằng khen cho 05 chi đoàn, 15 đoàn viên và 12 học sinh.", 5, 27),
        ("Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 3 hợp tác xã, 4 trường học và 20 hội viên.", 7, 20),
        ("Hội nghị đã tuyên dương 8 gương điển hình tiên tiến.", None, 8),
        # numbers in the reason clause count nobody
        (
            "Dịp này, Giám đốc Sở tặng Giấy khen cho 3 cá nhân vì đã có thành tích giúp đỡ 20 học "
            "sinh nghèo.",
            None,
            3,
        ),
        # "lớp 5 Trường …" is no count
        (
            "Chủ tịch UBND xã trao Giấy khen cho em Lê Văn Nam, học sinh lớp 5 Trường Tiểu học Hòa Bình.",
            None,
            1,
        ),
    ],
)
def test_counts_with_other_nouns(body: str, collectives: int | None, individuals: int | None) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert (info.collectives, info.individuals) == (collectives, individuals)


# --- decision numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "decision"),
    [
        # a decision on another matter is not the award's
        (
            "Lãnh đạo tỉnh trao Quyết định số 100/QĐ-UBND công nhận xã đạt chuẩn nông thôn mới. Dịp này, Chủ "
            "tịch UBND tỉnh tặng Bằng khen cho 5 tập thể.",
            None,
        ),
        # two decisions in the award sentence: the one about the award
        (
            "Tại buổi lễ, lãnh đạo tỉnh trao Quyết định số 100/QĐ-UBND công nhận xã đạt chuẩn nông thôn mới "
            "và Quyết định số 101/QĐ-UBND tặng Bằng khen cho 5 tập thể.",
            "101/QĐ-UBND",
        ),
        # an award decision in another sentence
        (
            "Quyết định số 2345/QĐ-UBND ngày 3/5/2024 của Chủ tịch UBND tỉnh về việc tặng Bằng khen đã được "
            "công bố. Dịp này, Chủ tịch UBND tỉnh trao Bằng khen cho 5 tập thể.",
            "2345/QĐ-UBND",
        ),
        # the number after the conferral ("… theo Quyết định số …")
        (
            "Thừa ủy quyền của Chủ tịch nước, ông Lê Văn Ba trao Huân chương Lao động hạng Nhì cho Sở theo "
            "Quyết định số 987/QĐ-CTN ngày 5/9/2023.",
            "987/QĐ-CTN",
        ),
    ],
)
def test_decision_belongs_to_the_award(body: str, decision: str | None) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert info.decision == decision


# --- trap families: no award card, or no count --------------------------------------------------

NO_CARD = [
    # announcements without recipients
    (
        "regulation",
        "Ban hành Quy chế xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh",
        "UBND tỉnh ban hành Quyết định số 12/2024/QĐ-UBND về Quy chế xét tặng danh hiệu Chiến sĩ thi đua cấp "
        "tỉnh và Bằng khen của Chủ tịch UBND tỉnh.",
        "Quy chế quy định tiêu chuẩn, hồ sơ và thời hạn đề nghị khen thưởng.",
    ),
    (
        "call for nominations",
        "Thông báo nhận hồ sơ xét tặng Kỷ niệm chương",
        'Sở Nội vụ thông báo tiếp nhận hồ sơ đề nghị xét tặng Kỷ niệm chương "Vì sự nghiệp xây dựng tổ chức '
        'nhà nước" năm 2025.',
        "Các cơ quan gửi hồ sơ về Sở Nội vụ trước ngày 30/6/2025.",
    ),
    (
        "voters' petition",
        "Trả lời kiến nghị cử tri về chế độ cho người được tặng Huy chương Kháng chiến",
        "Sở Lao động - Thương binh và Xã hội trả lời kiến nghị của cử tri huyện Tân Châu.",
        "Cử tri đề nghị hỗ trợ những người đã được tặng Huy chương Kháng chiến nhưng chưa hưởng trợ cấp.",
    ),
    (
        "school praise of graduates",
        "Trường THPT chuyên tuyên dương thủ khoa",
        "Trường THPT chuyên Hoàng Lê Kha tổ chức lễ tuyên dương 12 học sinh thủ khoa kỳ thi tốt nghiệp.",
        "Hiệu trưởng khen ngợi các em và trao thưởng cho 25 học sinh đỗ đại học với điểm cao.",
    ),
    (
        "retrospective",
        "Nhìn lại 4 kỳ Đại hội Thi đua yêu nước của tỉnh",
        "Từ năm 2000 đến nay, tỉnh đã tổ chức 4 kỳ Đại hội Thi đua yêu nước.",
        "Tại đại hội lần thứ nhất, 25 tập thể và 40 cá nhân được tặng Bằng khen của UBND tỉnh.",
    ),
    (
        "revocation",
        "Thu hồi Bằng khen của doanh nghiệp nợ bảo hiểm",
        "Chủ tịch UBND tỉnh ký quyết định thu hồi Bằng khen đã tặng cho Công ty TNHH Phú Lộc.",
        "Doanh nghiệp nợ bảo hiểm xã hội của 120 người lao động.",
    ),
    (
        "target",
        "Ngành Giáo dục triển khai nhiệm vụ năm học mới",
        "Sở Giáo dục và Đào tạo tổ chức hội nghị triển khai nhiệm vụ năm học 2025 - 2026.",
        "Năm học mới, ngành phấn đấu có 20 tập thể được tặng Cờ thi đua của UBND tỉnh.",
    ),
    (
        "pre-vote list",
        "Đại hội Thi đua yêu nước ngành Y tế",
        "Sở Y tế tổ chức Đại hội Thi đua yêu nước lần thứ V.",
        "Đại hội thông qua danh sách 12 đại biểu dự Đại hội Thi đua yêu nước của tỉnh.",
    ),
    # the families of shared notes
    (
        "campaign",
        "Phát động phong trào thi đua năm 2025",
        "UBND tỉnh phát động phong trào thi đua yêu nước năm 2025.",
        "Các khối thi đua ký kết giao ước thi đua, đăng ký phấn đấu đạt Cờ thi đua của UBND tỉnh.",
    ),
    (
        "review",
        "Tổng kết công tác thi đua, khen thưởng năm 2024",
        "Hội đồng Thi đua - Khen thưởng tỉnh tổng kết công tác thi đua, khen thưởng năm 2024.",
        "Trong năm, Chủ tịch UBND tỉnh đã khen thưởng 1.200 tập thể và 2.300 cá nhân.",
    ),
    (
        "agency name",
        "Họp Hội đồng Thi đua - Khen thưởng tỉnh",
        "Ông Lê Văn Hai, Trưởng ban Ban Thi đua - Khen thưởng tỉnh dự họp.",
        "Hội đồng thống nhất kế hoạch công tác năm 2025.",
    ),
    (
        "other senses of khen",
        "Chủ tịch UBND tỉnh thăm lực lượng cứu hộ",
        "Chủ tịch UBND tỉnh khen ngợi tinh thần trách nhiệm của lực lượng cứu hộ.",
        "Những việc làm đáng khen của các chiến sĩ được người dân ghi nhận.",
    ),
    (
        "degrees",
        "Trao bằng tốt nghiệp cho tân cử nhân",
        "Trường Đại học Tây Ninh trao bằng tốt nghiệp cho 500 tân cử nhân.",
        "Nhà trường cũng trao Giấy chứng nhận ISO cho các phòng.",
    ),
    (
        "công nhận without a title",
        "Xã Thạnh Đức đạt chuẩn nông thôn mới",
        "UBND tỉnh trao Quyết định công nhận xã Thạnh Đức đạt chuẩn nông thôn mới.",
        "Trường Tiểu học Thạnh Đức được công nhận đạt chuẩn quốc gia.",
    ),
    (
        "ranking",
        "Sở dẫn đầu chỉ số cải cách hành chính",
        "Sở Khoa học và Công nghệ đứng đầu chỉ số cải cách hành chính (PAR Index) năm 2024.",
        "Sở xếp hạng nhất trong khối sở, ngành.",
    ),
    (
        "gifts and charity",
        "Trao quà Tết cho hộ nghèo",
        "Liên đoàn Lao động tỉnh tặng 200 suất quà cho công nhân khó khăn.",
        "Đoàn cũng trao 50 suất học bổng cho học sinh nghèo.",
    ),
    (
        "personnel",
        "Trao quyết định bổ nhiệm Phó Giám đốc Sở",
        "Giám đốc Sở Nội vụ trao Quyết định bổ nhiệm ông Trần Văn Ba giữ chức Phó Giám đốc Sở.",
        "Ông Ba từng là Trưởng phòng, được tặng danh hiệu Chiến sĩ thi đua cơ sở năm 2020.",
    ),
    (
        "held titles as honorifics",
        "Họp mặt kỷ niệm Ngày Thương binh - Liệt sĩ",
        "Dự buổi họp mặt có Mẹ Việt Nam Anh hùng Nguyễn Thị Ba, Anh hùng LLVTND Trần Văn Tư.",
        "NGƯT Lê Văn Năm phát biểu tri ân.",
    ),
    (
        "substring collisions",
        "Liên đoàn Lao động tỉnh tổ chức hội thao",
        "Liên đoàn Lao động tỉnh tổ chức hội thao công nhân; Sở Lao động giới thiệu việc làm xuất khẩu lao "
        "động.",
        "Giải cờ vua và lễ chào cờ Tổ quốc diễn ra sáng 1/5; cán bộ, chiến sĩ tham dự đông đủ.",
    ),
    (
        "discipline",
        "Kỷ luật cán bộ vi phạm",
        "UBND huyện thi hành kỷ luật khiển trách 2 cán bộ.",
        "Một cán bộ từng được tặng Giấy khen nay bị cảnh cáo.",
    ),
]


NO_CARD.append(
    (
        "guidance beside numbers",
        "Tập huấn nghiệp vụ cho cán bộ làm công tác thi đua",
        "Sở Nội vụ tổ chức lớp bồi dưỡng nghiệp vụ năm 2025.",
        "Lớp học giúp 200 cán bộ nắm quy trình, thủ tục đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh.",
    )
)


@pytest.mark.parametrize(("family", "title", "lead", "body"), NO_CARD, ids=[c[0] for c in NO_CARD])
def test_trap_families_give_no_card_or_no_count(family: str, title: str, lead: str, body: str) -> None:
    assert detect_award(title, lead, body) is None, family


NO_COUNT = [
    # totals that are not facts: the same units receive several forms, no total is stated
    (
        "sum across forms",
        "Tại hội nghị, Chủ tịch UBND tỉnh tặng Cờ thi đua cho 12 tập thể; Bằng khen cho 202 tập thể và 150 "
        "cá nhân; công nhận danh hiệu Tập thể lao động xuất sắc cho 280 tập thể.",
        {
            "Cờ thi đua của UBND tỉnh": (12, None),
            "Bằng khen của Chủ tịch UBND tỉnh": (202, 150),
            "Tập thể lao động xuất sắc": (280, None),
        },
        (None, None),
    ),
    # numbers from another time or event
    (
        "past period",
        "Trong 5 năm qua, toàn ngành có 72 lượt tập thể và 140 lượt cá nhân được tặng Bằng khen của Chủ tịch "
        "UBND tỉnh.\n\nDịp này, Giám đốc Sở tặng Giấy khen cho 8 tập thể và 15 cá nhân.",
        {"Giấy khen của Giám đốc Sở": (8, 15)},
        (8, 15),
    ),
    (
        "period paragraph",
        "Giai đoạn 2015 - 2020, các phong trào được triển khai sâu rộng. Chủ tịch UBND tỉnh đã tặng Bằng "
        "khen cho 72 tập thể.\n\nNhân dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 10 tập thể và 12 cá "
        "nhân.",
        {"Bằng khen của Chủ tịch UBND tỉnh": (10, 12)},
        (10, 12),
    ),
    (
        "second event",
        "Dịp này, Giám đốc Sở tặng Giấy khen cho 6 tập thể.\n\nTrước đó, năm 2019, Sở đã được tặng Cờ thi "
        "đua của Chính phủ.",
        {"Giấy khen của Giám đốc Sở": (6, None)},
        (6, None),
    ),
    # two forms named together before the number: whose number it is stays unsaid
    (
        "forms joined",
        "Dịp này, lãnh đạo tỉnh trao Bằng khen của Chủ tịch UBND tỉnh và Giấy khen của Giám đốc Sở cho 30 "
        "tập thể, 45 cá nhân.",
        {"Bằng khen của Chủ tịch UBND tỉnh": (None, None), "Giấy khen của Giám đốc Sở": (None, None)},
        (None, None),
    ),
    # a gift in the next clause is no recipient of the award
    (
        "gift clause",
        "Dịp này, Tỉnh đoàn tặng Bằng khen cho 20 tập thể; trao 50 suất quà cho 50 thiếu nhi.",
        {"Bằng khen của Tỉnh đoàn": (20, None)},
        (20, None),
    ),
]


@pytest.mark.parametrize(("family", "body", "per_form", "total"), NO_COUNT, ids=[c[0] for c in NO_COUNT])
def test_numbers_of_other_forms_times_and_events_are_not_counted(
    family: str,
    body: str,
    per_form: dict[str, tuple[int | None, int | None]],
    total: tuple[int | None, int | None],
) -> None:
    info = detect_award("Hội nghị tổng kết", "Sở tổ chức hội nghị tổng kết năm 2024.", body)
    assert info is not None, family
    assert {c.kind: (c.collectives, c.individuals) for c in info.counts} == per_form
    assert (info.collectives, info.individuals) == total


def test_stated_total_beside_forms() -> None:
    info = detect_award(
        "Ngành Giáo dục tổng kết năm học",
        "",
        "Tại hội nghị, tổng cộng 45 tập thể và 120 cá nhân được khen thưởng, trong đó: Cờ thi đua của "
        "UBND tỉnh cho 05 tập thể; Bằng khen của Chủ tịch UBND tỉnh cho 10 tập thể, 30 cá nhân; Giấy khen "
        "của Giám đốc Sở cho 30 tập thể, 90 cá nhân.",
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (45, 120)
    assert FormCount("Bằng khen của Chủ tịch UBND tỉnh", 10, 30) in info.counts
    assert FormCount("Giấy khen của Giám đốc Sở", 30, 90) in info.counts


@pytest.mark.parametrize(
    ("body", "kind", "pair"),
    [
        (
            "Bộ trưởng Bộ Y tế Trần Văn Thuấn nhận Huân chương Lao động hạng Ba.",
            "Huân chương Lao động hạng Ba",
            (None, 1),
        ),
        (
            "Thừa ủy quyền của Chủ tịch nước, Phó Chủ tịch UBND tỉnh trao Huân chương Lao động hạng Ba cho "
            "ông Nguyễn Văn Tám - Giám đốc Sở Y tế.",
            "Huân chương Lao động hạng Ba",
            (None, 1),
        ),
        (
            "Trường THPT Lê Quý Đôn vinh dự đón nhận Cờ thi đua của Chính phủ.",
            "Cờ thi đua của Chính phủ",
            (1, None),
        ),
        (
            "Sáng 5/9, Công an tỉnh Tây Ninh tổ chức lễ kỷ niệm 80 năm Ngày truyền thống và đón nhận Huân "
            "chương Bảo vệ Tổ quốc hạng Nhì.",
            "Huân chương Bảo vệ Tổ quốc hạng Nhì",
            (1, None),
        ),
    ],
)
def test_named_recipients_are_counted_when_no_number_is_stated(
    body: str, kind: str, pair: tuple[int | None, int | None]
) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert FormCount(kind, *pair) in info.counts


def test_authority_on_whose_behalf() -> None:
    info = detect_award(
        "Tin",
        "",
        "Thừa ủy quyền của Chủ tịch UBND tỉnh, ông Lê Văn An - Giám đốc Sở Nội vụ trao Bằng khen cho 3 tập "
        "thể.",
    )
    assert info is not None
    assert info.authorities == ("Chủ tịch UBND tỉnh",)
    assert info.kinds == ("Bằng khen của Chủ tịch UBND tỉnh",)


# --- evidence -----------------------------------------------------------------------------------

EVIDENCE_CASES = [
    ("Hội nghị Điển hình tiên tiến", "", "\n".join(SEED.read_text(encoding="utf-8").split("\n")[3:])),
    (
        "Tin",
        "Chủ tịch UBND tỉnh ký Quyết định số 1234/QĐ-UBND tặng Bằng khen cho 5 tập thể.",
        "Dịp này, Giám đốc Sở tặng Giấy khen cho bà Lê Thị Hoa - Kế toán Sở.",
    ),
]


@pytest.mark.parametrize(("title", "lead", "body"), EVIDENCE_CASES)
def test_every_fact_carries_the_sentence_it_came_from(title: str, lead: str, body: str) -> None:
    info = detect_award(title, lead, body)
    assert info is not None
    sentences = {normalize(x) for part in (title, lead, body) for x in split_sentences(part)}
    for e in info.evidence:
        assert e.text in sentences, e
    assert info.evidence_for("stage", info.stage.value)
    for kind in info.kinds:
        assert info.evidence_for("kind", kind), kind
    for authority in info.authorities:
        assert info.evidence_for("authority", authority), authority
    for r in info.recipients:
        assert r.name in info.evidence_for("recipient", r.name).text  # type: ignore[union-attr]
    for c in info.counts:
        for n in (c.collectives, c.individuals):
            if n is not None:
                assert any(e.fact == "count" and e.value.startswith(c.kind + ": ") for e in info.evidence)
    if info.decision:
        assert info.decision in info.evidence_for("decision", info.decision).text  # type: ignore[union-attr]


# --- the award card: per-form lines, only facts with evidence -------------------------------------


@dataclass
class _Art:
    award: AwardInfo | None
    title: str = "Hội nghị Điển hình tiên tiến"
    summary: str = "Sở tổ chức hội nghị."
    link: str = "https://sokhcn.tayninh.gov.vn/vi/news/tin-hoat-dong/hoi-nghi-1234.html"
    image: str | None = None
    kind: str = "award"
    published_at: datetime | None = None
    source: str | None = None


def _card(award: dict[str, Any], lang: str = "vi") -> str:
    return parse_html(
        render_article(_Art(AwardInfo.from_json(award)), lang, ZoneInfo("Asia/Ho_Chi_Minh")).text
    ).text


def _seed_award() -> AwardInfo:
    paras = [p for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    info = detect_award(
        "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông", paras[2], "\n\n".join(paras[3:-1])
    )
    assert info is not None
    return info


def test_seed_card_shows_each_form_with_its_own_counts() -> None:
    shown = _card(_seed_award().as_json())
    assert "Bằng khen của Chủ tịch UBND tỉnh: 1 cá nhân" in shown
    assert "Giấy khen của Giám đốc Sở: 9 tập thể, 12 cá nhân" in shown
    assert "Nguyễn Thị Kiều Oanh" in shown
    assert "Tổng cộng" not in shown  # the article states no total
    english = _card(_seed_award().as_json(), "en")
    assert "Giấy khen của Giám đốc Sở: 9 collectives, 12 individuals" in english


def test_card_shows_no_fact_without_evidence() -> None:
    award = _seed_award().as_json()
    evidence = award["evidence"]
    assert isinstance(evidence, list)
    award["evidence"] = [
        e
        for e in evidence
        if not (e["fact"] == "count" and e["value"].startswith("Giấy khen"))
        and not (e["fact"] == "kind" and e["value"].startswith("Bằng khen"))
        and e["fact"] != "recipient"
    ]
    shown = _card(award)
    assert "Giấy khen của Giám đốc Sở" in shown and "9 tập thể" not in shown
    assert "Bằng khen của Chủ tịch UBND tỉnh" not in shown
    assert "Nguyễn Thị Kiều Oanh" not in shown


def test_stated_total_is_shown_beside_the_forms() -> None:
    info = detect_award(
        "Ngành Giáo dục tổng kết năm học",
        "",
        "Tại hội nghị, tổng cộng 45 tập thể và 120 cá nhân được khen thưởng, trong đó: Cờ thi đua của "
        "UBND tỉnh cho 05 tập thể; Bằng khen của Chủ tịch UBND tỉnh cho 10 tập thể, 30 cá nhân.",
    )
    assert info is not None
    shown = _card(info.as_json())
    assert "Tổng cộng: 45 tập thể, 120 cá nhân" in shown
    assert "Cờ thi đua của UBND tỉnh: 5 tập thể" in shown


def test_award_stored_before_evidence_is_still_read_and_shown() -> None:
    old_row = {
        "stage": "decided",
        "kinds": ["Bằng khen của Chủ tịch UBND tỉnh"],
        "authorities": ["Chủ tịch UBND tỉnh"],
        "recipients": [{"name": "Lê Thị Hoa", "position": None}],
        "collectives": 5,
        "individuals": None,
        "decision": "12/QĐ-UBND",
        "reason": None,
        "period": None,
    }
    info = AwardInfo.from_json(old_row)
    assert info.stage is Stage.DECIDED and info.counts == () and info.evidence == ()
    assert info.recipients == (Recipient("Lê Thị Hoa"),) and info.collectives == 5
    shown = _card(old_row)
    assert "Bằng khen của Chủ tịch UBND tỉnh" in shown and "12/QĐ-UBND" in shown


def test_award_round_trips_through_its_stored_form() -> None:
    info = _seed_award()
    assert AwardInfo.from_json(json.loads(json.dumps(info.as_json(), ensure_ascii=False))) == info


def test_discipline_is_no_award() -> None:
    body = (
        "Giám đốc Sở ký quyết định kỷ luật khiển trách đối với 2 cán bộ được tặng Giấy khen của Giám đốc Sở."
    )
    assert detect_award("Tin", "", body) is None


def test_a_tally_of_award_items_is_no_conferral() -> None:
    body = "Toàn tỉnh có 21 Cờ thi đua và 185 Bằng khen được trao cho các tập thể, cá nhân."
    assert detect_award("Tin", "", body) is None


def test_a_decision_handed_over_at_a_ceremony_is_conferred() -> None:
    info = detect_award(
        "Tin",
        "",
        "Tại buổi lễ, Phó Chủ tịch UBND tỉnh trao các quyết định đã ký quyết định tặng Bằng khen cho 5 tập "
        "thể.",
    )
    assert info is not None and info.stage is Stage.CONFERRED


def test_a_decision_on_another_matter_is_not_the_awards() -> None:
    body = (
        "Dịp này, lãnh đạo tỉnh trao Quyết định số 100/QĐ-UBND bổ nhiệm ông Lê Văn An và tặng Bằng khen "
        "cho 5 tập thể."
    )
    info = detect_award("Tin", "", body)
    assert info is not None and info.decision is None


def test_on_whose_behalf_beats_the_presenters_office() -> None:
    body = (
        "Ông Nguyễn Văn Út, Phó Chủ tịch UBND tỉnh, thừa ủy quyền của Thủ tướng Chính phủ trao Bằng khen "
        "cho 3 tập thể."
    )
    info = detect_award("Tin", "", body)
    assert info is not None
    assert info.kinds == ("Bằng khen của Thủ tướng Chính phủ",)
    assert info.authorities == ("Thủ tướng Chính phủ",)


# --- counts per form in the many ways articles state them -----------------------------------------

_BK = "Bằng khen của Chủ tịch UBND tỉnh"
PER_FORM = [
    (
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 15 tập thể và 20 cá nhân; Giám đốc Sở Nội vụ tặng Giấy khen "
        "cho 12 "
        "tập thể, 30 cá nhân.",
        {_BK: (15, 20), "Giấy khen của Giám đốc Sở": (12, 30)},
    ),
    (
        "Tại buổi lễ, 8 tập thể được tặng Cờ thi đua của UBND tỉnh, 20 tập thể và 35 cá nhân được tặng Bằng "
        "khen "
        "của Chủ tịch UBND tỉnh.",
        {"Cờ thi đua của UBND tỉnh": (8, None), _BK: (20, 35)},
    ),
    (
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 10 tập thể. Ngoài ra, Giám đốc Sở tặng Giấy khen cho 5 cá "
        "nhân.",
        {_BK: (10, None), "Giấy khen của Giám đốc Sở": (None, 5)},
    ),
    (
        "Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 3 tập thể, 6 cá nhân thuộc Sở có thành tích trong tổ "
        "chức 20 hội nghị quốc tế.",
        {_BK: (3, 6)},
    ),
    ("Bằng khen của Chủ tịch UBND tỉnh được trao cho 7 tập thể và 9 cá nhân của ngành Y tế.", {_BK: (7, 9)}),
    (
        "Chủ tịch UBND tỉnh tặng Bằng khen cho 04 tập thể, 06 cá nhân; tặng danh hiệu Chiến sĩ thi đua cấp "
        "tỉnh "
        "cho 02 cá nhân.",
        {_BK: (4, 6), "Chiến sĩ thi đua cấp tỉnh": (None, 2)},
    ),
    (
        "Dịp này, Bộ trưởng Bộ Công an tặng Bằng khen cho 6 tập thể, 14 cá nhân; Giám đốc Công an tỉnh tặng "
        "Giấy "
        "khen cho 30 tập thể, 60 cá nhân.",
        {"Bằng khen của Bộ trưởng Bộ Công an": (6, 14), "Giấy khen của Giám đốc Công an tỉnh": (30, 60)},
    ),
    (
        "Dịp này, 3 tập thể, 5 cá nhân nhận Bằng khen của Thủ tướng Chính phủ.",
        {"Bằng khen của Thủ tướng Chính phủ": (3, 5)},
    ),
    # comparisons and asides are no recipients
    (
        "Năm nay, 15 tập thể được tặng Bằng khen của Chủ tịch UBND tỉnh, tăng 5 tập thể so với năm trước.",
        {_BK: (15, None)},
    ),
    (
        "Năm nay có 30 tập thể được tặng Cờ thi đua của UBND tỉnh (năm trước là 25 tập thể).",
        {"Cờ thi đua của UBND tỉnh": (30, None)},
    ),
    (
        "Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 10 tập thể, nâng tổng số tập thể được khen thưởng "
        "trong "
        "năm lên 120.",
        {_BK: (10, None)},
    ),
]


@pytest.mark.parametrize(("body", "per_form"), PER_FORM)
def test_counts_per_form_in_the_ways_articles_state_them(
    body: str, per_form: dict[str, tuple[int | None, int | None]]
) -> None:
    info = detect_award("Tin", "Ngày 5/1/2025, Sở tổ chức hội nghị tổng kết.", body)
    assert info is not None
    assert {c.kind: (c.collectives, c.individuals) for c in info.counts} == per_form


LONG_RALLY = """Báo cáo tại đại hội nêu rõ, nhiệm kỳ 2020 - 2025, Hội Nông dân tỉnh đã vận động hội viên \
đóng góp hơn 120 tỷ đồng xây dựng nông thôn mới.

Trong nhiệm kỳ, Trung ương Hội Nông dân Việt Nam tặng Cờ thi đua cho 5 đơn vị; Ban Chấp hành Hội \
Nông dân tỉnh tặng Bằng khen cho 230 tập thể và 415 cá nhân.

Đại hội đề ra mục tiêu phấn đấu đến năm 2030 có 70% hội viên đạt danh hiệu nông dân sản xuất, \
kinh doanh giỏi.

Đại hội đã thông qua danh sách 15 đại biểu đi dự Đại hội đại biểu toàn quốc Hội Nông dân Việt Nam.

Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho 6 tập thể và 12 cá nhân có thành tích xuất sắc trong công tác \
Hội nhiệm kỳ 2020 - 2025."""

LONG_CEREMONY = """Sáng 10/3/2025, Công an tỉnh tổ chức lễ đón nhận Huân chương Chiến công hạng Nhất.

Thừa ủy quyền của Chủ tịch nước, Bộ trưởng Bộ Công an trao Huân chương Chiến công hạng Nhất cho Công an tỉnh.

Năm 2015, Công an tỉnh đã được tặng Huân chương Chiến công hạng Nhì; năm 2020, được tặng Huân chương \
Bảo vệ Tổ quốc hạng Ba.

Cũng tại buổi lễ, Bộ trưởng Bộ Công an tặng Bằng khen cho 10 tập thể và 25 cá nhân."""


@pytest.mark.parametrize(
    ("title", "lead", "body", "per_form"),
    [
        (
            "Đại hội Hội Nông dân tỉnh lần thứ X",
            "Ngày 20/8/2025, Hội Nông dân tỉnh tổ chức Đại hội đại biểu lần thứ X, nhiệm kỳ 2025 - 2030.",
            LONG_RALLY,
            {_BK: (6, 12)},
        ),
        (
            "Công an tỉnh đón nhận Huân chương Chiến công hạng Nhất",
            "",
            LONG_CEREMONY,
            {"Huân chương Chiến công hạng Nhất": (1, None), "Bằng khen của Bộ trưởng Bộ Công an": (10, 25)},
        ),
    ],
)
def test_long_articles_keep_only_the_current_conferral(
    title: str, lead: str, body: str, per_form: dict[str, tuple[int | None, int | None]]
) -> None:
    info = detect_award(title, lead, body)
    assert info is not None
    assert {c.kind: (c.collectives, c.individuals) for c in info.counts} == per_form
    assert (info.collectives, info.individuals) == (
        next(iter(per_form.values())) if len(per_form) == 1 else (None, None)
    )


MORE_NO_CARD = [
    (
        "Gương sáng",
        "",
        "Chị Lê Thị Hoa từng 3 lần được tặng Bằng khen của UBND tỉnh và 5 năm liền đạt danh hiệu "
        "Chiến sĩ thi đua cơ sở.",
    ),
    (
        "Khen thưởng học sinh giỏi",
        "Ngày 1/6/2024, Trường THCS B tổ chức lễ tổng kết.",
        "Nhà trường khen thưởng 120 học sinh giỏi và 300 học sinh tiên tiến.",
    ),
    (
        "Giao ban",
        "",
        "Lãnh đạo Sở yêu cầu các phòng hoàn thiện hồ sơ đề nghị tặng Bằng khen của Chủ tịch UBND tỉnh "
        "cho 10 tập thể trước ngày 30/11.",
    ),
    (
        "Tiễn biệt đồng chí Nguyễn Văn Tám",
        "",
        "Đồng chí sinh năm 1940, được Đảng, Nhà nước tặng Huân chương Kháng "
        "chiến hạng Nhất, Huân chương Lao động hạng Ba và nhiều phần thưởng cao quý khác.",
    ),
    (
        "Doanh nghiệp đóng góp ngân sách",
        "Ngày 10/10/2024, Sở Tài chính cho biết …",
        "Năm 2023, công ty được UBND tỉnh tặng Bằng khen vì đóng góp cho ngân sách. Năm 2024, doanh thu đạt "
        "500 tỷ.",
    ),
    (
        "Hội nghị sơ kết",
        "Ngày 8/7/2025, Sở Y tế sơ kết 6 tháng.",
        "Sở Y tế cho biết trước đó, hồi tháng 3, Chủ tịch UBND tỉnh đã tặng Bằng khen cho 5 tập thể của "
        "ngành.",
    ),
    (
        "Hội nghị bình xét thi đua",
        "Ngày 10/12/2024, Sở Nội vụ tổ chức hội nghị bình xét thi đua.",
        "Hội nghị đã bỏ phiếu giới thiệu 10 cá nhân xét tặng danh hiệu Chiến sĩ thi đua cấp tỉnh.",
    ),
    (
        "Đoàn thể thao giành 5 huy chương",
        "",
        "Đoàn vận động viên tỉnh giành 2 Huy chương Vàng, 3 Huy chương Bạc tại Đại hội Thể thao toàn quốc.",
    ),
    (
        "Kỷ niệm 70 năm thành lập trường",
        "Sáng 15/11/2024, Trường THCS Lê Lợi kỷ niệm 70 năm thành lập.",
        "Qua 70 năm, trường đã được Nhà nước tặng Huân chương Lao động hạng Ba, nhiều Bằng khen của UBND "
        "tỉnh.",
    ),
    (
        "Chủ tịch tỉnh thăm lực lượng chữa cháy",
        "",
        "Chủ tịch UBND tỉnh biểu dương và khen ngợi tinh thần của 40 cán bộ, chiến sĩ tham gia chữa cháy.",
    ),
    ("Trao Huy hiệu 50 năm tuổi Đảng", "", "Bí thư Tỉnh ủy trao Huy hiệu 50 năm tuổi Đảng cho 20 đảng viên."),
]


@pytest.mark.parametrize(("title", "lead", "body"), MORE_NO_CARD, ids=[c[0] for c in MORE_NO_CARD])
def test_more_articles_that_mention_awards_without_announcing_one(title: str, lead: str, body: str) -> None:
    assert detect_award(title, lead, body) is None


def test_an_award_held_in_an_aside_is_no_conferral() -> None:
    info = detect_award(
        "Hội nghị doanh nhân",
        "Ngày 12/10/2024, UBND tỉnh gặp mặt doanh nhân.",
        "Ông Nguyễn Văn An (được phong tặng danh hiệu Anh hùng Lao động năm 2000) phát biểu tại hội nghị.",
    )
    assert info is None


@pytest.mark.parametrize(
    ("title", "lead", "body"),
    [
        (
            "Hủy bỏ quyết định tặng Huân chương",
            "",
            "Chủ tịch nước quyết định hủy bỏ quyết định tặng Huân chương Lao động hạng Ba đối với ông Nguyễn "
            "Văn Xuân, nguyên Giám đốc Sở Y tế, do vi phạm kỷ luật.",
        ),
        (
            "Đề nghị thu hồi Bằng khen",
            "",
            "UBND tỉnh đề nghị Thủ tướng Chính phủ thu hồi Bằng khen đã tặng cho Công ty Y vì doanh nghiệp "
            "vi "
            "phạm pháp luật về thuế.",
        ),
        (
            "Tước danh hiệu",
            "",
            "Ông Trần Văn Zung bị tước danh hiệu Chiến sĩ thi đua cấp tỉnh do kê khai thành tích không "
            "trung thực.",
        ),
        (
            "Sơ kết công tác thi đua 6 tháng",
            "Ngày 10/7/2024, Sở Nội vụ sơ kết công tác thi đua, khen thưởng.",
            "Sáu tháng đầu năm, Chủ tịch UBND tỉnh đã tặng Bằng khen cho 215 tập thể và 480 cá nhân.",
        ),
        (
            "Ký giao ước thi đua năm 2025",
            "",
            "Khối thi đua các sở ngành ký giao ước thi đua; năm 2024, khối có 3 đơn vị được tặng Cờ thi đua "
            "của "
            "UBND tỉnh.",
        ),
        (
            "Nghỉ hưu theo chế độ",
            "Ngày 1/12/2024, Sở Nội vụ trao quyết định nghỉ hưu cho ông Lê Văn Năm.",
            "Trong quá trình công tác, ông Năm đã được tặng nhiều Bằng khen của UBND tỉnh.",
        ),
    ],
)
def test_revocations_reviews_and_careers_give_no_card(title: str, lead: str, body: str) -> None:
    assert detect_award(title, lead, body) is None


@pytest.mark.parametrize(
    ("title", "body", "stage", "per_form", "decision"),
    [
        (
            "Bộ KH&CN khen thưởng các đơn vị",
            "Bộ trưởng Bộ KH&CN vừa ký Quyết định số 1234/QĐ-BKHCN tặng Bằng khen cho 12 tập thể và 20 cá "
            "nhân.",
            Stage.DECIDED,
            {"Bằng khen của Bộ trưởng Bộ Khoa học và Công nghệ": (12, 20)},
            "1234/QĐ-BKHCN",
        ),
        (
            "Đề nghị tặng Huân chương cho 3 tập thể",
            "Hội đồng thống nhất trình Thủ tướng Chính phủ đề nghị Chủ tịch nước tặng Huân chương Lao động "
            "hạng Ba "
            "cho 3 tập thể và 2 cá nhân.",
            Stage.PROPOSED,
            {"Huân chương Lao động hạng Ba": (3, 2)},
            None,
        ),
        (
            "Phụ nữ tỉnh tổng kết",
            "Dịp này, Ban Thường vụ Hội Liên hiệp Phụ nữ tỉnh tặng Bằng khen cho 20 tập thể và 35 cá nhân.",
            Stage.CONFERRED,
            {"Bằng khen của Hội Liên hiệp Phụ nữ tỉnh": (20, 35)},
            None,
        ),
    ],
)
def test_decisions_proposals_and_other_givers(
    title: str,
    body: str,
    stage: Stage,
    per_form: dict[str, tuple[int | None, int | None]],
    decision: str | None,
) -> None:
    info = detect_award(title, "", body)
    assert info is not None and info.stage is stage and info.decision == decision
    assert {c.kind: (c.collectives, c.individuals) for c in info.counts} == per_form


# --- lists published for comment, named owners, unit numbers -----------------------------------


def _counts(info: AwardInfo | None) -> dict[str, tuple[int | None, int | None]]:
    assert info is not None
    return {c.kind: (c.collectives, c.individuals) for c in info.counts}


def test_a_list_published_for_comment_is_a_proposal_with_its_candidates() -> None:
    info = detect_award(
        "Công khai danh sách đề nghị xét tặng danh hiệu Nhà giáo ưu tú",
        "Sở Giáo dục và Đào tạo thông báo công khai danh sách 12 nhà giáo được đề nghị xét tặng danh hiệu "
        "Nhà giáo ưu tú lần thứ 16 năm 2024.",
        "Ý kiến góp ý gửi về Văn phòng Sở trước ngày 10/6/2024.",
    )
    assert info is not None and info.stage is Stage.PROPOSED
    assert _counts(info) == {"Nhà giáo ưu tú": (None, 12)}
    assert info.authorities == ("Chủ tịch nước",)
    listed = detect_award(
        "Lấy ý kiến nhân dân đối với đề nghị tặng Huân chương Lao động hạng Ba",
        "Ngày 3/4/2023, UBND tỉnh thông báo lấy ý kiến nhân dân đối với các trường hợp được đề nghị Chủ tịch "
        "nước tặng thưởng Huân chương Lao động hạng Ba.",
        "Các trường hợp gồm: ông Nguyễn Văn An - Giám đốc Sở Y tế; bà Lê Thị Bình - Hiệu trưởng Trường THPT "
        "Tân Châu.",
    )
    assert listed is not None and listed.stage is Stage.PROPOSED
    assert listed.kinds == ("Huân chương Lao động hạng Ba",)
    unit = detect_award(
        "Lấy ý kiến nhân dân về đề nghị phong tặng Anh hùng Lao động",
        "Sở Nội vụ thông báo lấy ý kiến nhân dân đối với tập thể được đề nghị phong tặng danh hiệu Anh hùng "
        "Lao động: Hợp tác xã Nông nghiệp Tân Phú.",
        "Ý kiến gửi về Sở Nội vụ trước ngày 10/6/2024.",
    )
    assert unit is not None and unit.stage is Stage.PROPOSED and unit.kinds == ("Anh hùng Lao động",)


@pytest.mark.parametrize(
    ("title", "lead", "body"),
    [
        (
            "Lấy ý kiến nhân dân về dự thảo Quy chế xét tặng danh hiệu Nghệ nhân ưu tú",
            "Sở Văn hóa thông báo lấy ý kiến nhân dân đối với dự thảo Quy chế xét tặng danh hiệu Nghệ nhân "
            "ưu tú.",
            "Dự thảo gồm 5 chương, 20 điều. Ý kiến gửi về Sở trước ngày 10/6/2024.",
        ),
        (
            "Hướng dẫn lấy ý kiến nhân dân đối với cá nhân được đề nghị xét tặng Nghệ sĩ ưu tú",
            "Sở Văn hóa hướng dẫn quy trình lấy ý kiến nhân dân đối với cá nhân được đề nghị xét tặng "
            "danh hiệu Nghệ sĩ ưu tú.",
            "Thời gian lấy ý kiến là 10 ngày.",
        ),
        (
            "Công khai danh sách đề nghị Thủ tướng Chính phủ tặng Bằng khen",
            "Sở Nội vụ thông báo công khai danh sách tập thể, cá nhân được UBND tỉnh đề nghị Thủ tướng Chính "
            "phủ tặng Bằng khen.",
            "Danh sách được đăng trên Cổng thông tin điện tử tỉnh; ý kiến gửi về Sở Nội vụ trong 05 ngày.",
        ),
    ],
)
def test_a_call_for_comment_that_names_no_candidate_gives_no_card(title: str, lead: str, body: str) -> None:
    assert detect_award(title, lead, body) is None


def test_a_named_forms_owner_gives_it_not_who_hands_it_over() -> None:
    info = detect_award(
        "Liên đoàn Lao động tỉnh tổng kết năm 2024",
        "",
        "Tại hội nghị, Liên đoàn Lao động tỉnh đã trao Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức công "
        "đoàn” của Tổng Liên đoàn Lao động Việt Nam cho 12 cá nhân; tặng Bằng khen cho 18 tập thể và 25 cá "
        "nhân.",
    )
    assert info is not None
    assert set(info.authorities) == {"Tổng Liên đoàn Lao động Việt Nam", "Liên đoàn Lao động tỉnh"}
    assert any(e.fact == "authority" and e.value == "Tổng Liên đoàn Lao động Việt Nam" for e in info.evidence)
    assert _counts(info) == {
        "Kỷ niệm chương Vì sự nghiệp xây dựng tổ chức công đoàn": (None, 12),
        "Bằng khen của Liên đoàn Lao động tỉnh": (18, 25),
    }


def test_a_units_number_counts_nobody_and_the_unit_is_one_collective() -> None:
    info = detect_award(
        "Lữ đoàn 490 đón nhận danh hiệu Anh hùng Lực lượng vũ trang nhân dân",
        "Sáng 2/9/2024, Lữ đoàn 490 tổ chức lễ đón nhận danh hiệu Anh hùng Lực lượng vũ trang nhân dân.",
        "Thừa ủy quyền của Chủ tịch nước, Thượng tướng Nguyễn Văn Hùng trao danh hiệu cho Lữ đoàn.",
    )
    assert _counts(info) == {"Anh hùng Lực lượng vũ trang nhân dân": (1, None)}


def test_sorts_in_brackets_and_a_part_given_another_form() -> None:
    info = detect_award(
        "Tuyên dương điển hình tiên tiến",
        "Sáng 15/5/2025, UBND tỉnh tổ chức hội nghị điển hình tiên tiến.",
        "Dịp này, UBND tỉnh tuyên dương 50 điển hình tiên tiến (18 tập thể, 32 cá nhân); trong đó, 10 tập "
        "thể và 15 cá nhân được Chủ tịch UBND tỉnh tặng Bằng khen.",
    )
    assert _counts(info) == {"Điển hình tiên tiến": (18, 32), "Bằng khen của Chủ tịch UBND tỉnh": (10, 15)}
    assert info is not None and (info.collectives, info.individuals) == (None, None)


def test_counted_advanced_examples_are_counts_of_that_form() -> None:
    info = detect_award(
        "Tuyên dương điển hình tiên tiến",
        "Sáng 5/5/2025, UBND tỉnh tổ chức hội nghị.",
        "Dịp này, UBND tỉnh tuyên dương 45 tập thể và 60 cá nhân điển hình tiên tiến giai đoạn 2020 - 2025.",
    )
    assert _counts(info) == {"Điển hình tiên tiến": (45, 60)}
    past = detect_award(
        "Hội nghị điển hình tiên tiến",
        "Sáng 5/5/2025, UBND tỉnh tổ chức hội nghị.",
        "Trong 5 năm qua, tỉnh đã tuyên dương 450 tập thể và 600 cá nhân điển hình tiên tiến.",
    )
    assert past is None


def test_a_part_that_held_another_form_before_is_not_counted_for_it() -> None:
    info = detect_award(
        "Khen thưởng",
        "Ngày 5/5/2024, Sở Y tế tổ chức hội nghị.",
        "Dịp này, Giám đốc Sở tặng Giấy khen cho 40 cá nhân, trong đó 12 cá nhân đã được tặng Bằng khen năm "
        "trước.",
    )
    counts = _counts(info)
    assert counts["Giấy khen của Giám đốc Sở"] == (None, 40)
    assert all(pair == (None, None) for form, pair in counts.items() if form.startswith("Bằng khen"))


def test_a_named_fallen_soldier_is_one_individual() -> None:
    info = detect_award(
        "Truy tặng danh hiệu Anh hùng Lực lượng vũ trang nhân dân cho liệt sĩ Trần Văn Chín",
        "Sáng 28/9/2025, UBND thành phố tổ chức lễ truy tặng danh hiệu Anh hùng Lực lượng vũ trang nhân dân "
        "cho liệt sĩ Trần Văn Chín.",
        "Thừa ủy quyền của Chủ tịch nước, Chủ tịch UBND thành phố trao danh hiệu cho thân nhân liệt sĩ.",
    )
    assert _counts(info) == {"Anh hùng Lực lượng vũ trang nhân dân": (None, 1)}
    assert info is not None and [r.name for r in info.recipients] == ["Trần Văn Chín"]


# --- givers the lexicon does not know, distributive phrasing, named recipients -------------------


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "120 công nhân xuất sắc nhận Bằng khen của Tổng Giám đốc Tổng công ty.",
            "Bằng khen của Tổng Giám đốc Tổng công ty",
        ),
        (
            "Dịp này, 12 sinh viên nhận Giấy khen của Hiệu trưởng Trường Đại học Cần Thơ vì thành tích "
            "học tập.",
            "Giấy khen của Hiệu trưởng Trường Đại học Cần Thơ",
        ),
        (
            "Dịp này, 20 hội viên nhận Bằng khen của Trung ương Hội Nông dân Việt Nam.",
            "Bằng khen của Trung ương Hội Nông dân Việt Nam",
        ),
        (
            "Dịp này, 20 chiến sĩ nhận Bằng khen của Tư lệnh Quân khu 7.",
            "Bằng khen của Tư lệnh Quân khu 7",
        ),
        (
            "Dịp này, 9 tập thể nhận Cờ thi đua của Ủy ban Trung ương MTTQ Việt Nam.",
            "Cờ thi đua của Ủy ban Trung ương MTTQ Việt Nam",
        ),
        # a person's name is no office, one word is too vague: the form stays bare
        ("Dịp này, 12 sinh viên nhận Giấy khen của Chủ tịch Nguyễn Văn Minh.", "Giấy khen"),
        ("Dịp này, 12 học sinh nhận Giấy khen của Trường.", "Giấy khen"),
    ],
)
def test_a_giver_outside_the_lexicon_is_taken_from_the_article(body: str, kind: str) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert info.kinds == (kind,)
    if kind != "Giấy khen":
        assert info.authorities == (kind.split(" của ", 1)[1],)


def test_each_of_the_counted_receives_the_count_is_theirs_not_one() -> None:
    info = detect_award(
        "Tuyên dương thanh niên tiêu biểu",
        "Tối 2/3, Tỉnh đoàn tổ chức chương trình tuyên dương thanh niên tiêu biểu.",
        "Chương trình đã tuyên dương 30 gương thanh niên tiêu biểu. Mỗi gương được tặng Bằng khen của "
        "Tỉnh đoàn kèm phần quà.",
        ["Anh Trần Văn Bình nhận Bằng khen"],
    )
    assert info is not None
    assert info.individuals == 30
    # a number of something else before it (the audience, another noun) is not theirs
    for before in ("Buổi lễ có sự tham dự của 300 người.", "Chương trình đã tuyên dương 30 học sinh giỏi."):
        info = detect_award(
            "Tuyên dương thanh niên tiêu biểu",
            "Tối 2/3, Tỉnh đoàn tổ chức chương trình tuyên dương thanh niên tiêu biểu.",
            before + " Mỗi gương được tặng Bằng khen của Tỉnh đoàn kèm phần quà.",
        )
        assert info is not None
        assert (info.collectives, info.individuals) == (None, None), before
    # both sorts, each named after "mỗi"
    info = detect_award(
        "Tuyên dương điển hình",
        "Sáng 2/3, UBND huyện tổ chức hội nghị.",
        "Hội nghị đã tuyên dương 12 tập thể và 20 cá nhân tiêu biểu. Mỗi tập thể, cá nhân được tặng "
        "Giấy khen của Chủ tịch UBND huyện.",
        ["Ông Nguyễn Văn An nhận Giấy khen"],
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (12, 20)
    # the title may state it
    info = detect_award(
        "Tuyên dương 30 gương thanh niên tiêu biểu",
        "Tối 2/3, Tỉnh đoàn tổ chức chương trình tuyên dương thanh niên tiêu biểu.",
        "Mỗi gương được tặng Bằng khen của Tỉnh đoàn kèm phần quà.",
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (None, 30)
    # with no number stated, "mỗi" counts nobody (not the one person in the caption)
    info = detect_award(
        "Tuyên dương thanh niên tiêu biểu",
        "Tối 2/3, Tỉnh đoàn tổ chức chương trình tuyên dương thanh niên tiêu biểu.",
        "Mỗi gương được tặng Bằng khen của Tỉnh đoàn kèm phần quà.",
        ["Anh Trần Văn Bình nhận Bằng khen"],
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (None, None)


def test_a_party_secretary_hands_over_for_the_committee() -> None:
    info = detect_award(
        "Tổng kết phong trào",
        "",
        "Tại hội nghị, Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 12 tập thể và 20 cá nhân.",
        ["Bí thư Tỉnh ủy trao Bằng khen cho các tập thể"],
    )
    assert info is not None
    assert info.kinds == ("Bằng khen của Ban Thường vụ Tỉnh ủy",)
    assert info.authorities == ("Ban Thường vụ Tỉnh ủy",)
    assert (info.collectives, info.individuals) == (12, 20)


@pytest.mark.parametrize(
    ("body", "counts"),
    [
        (
            "Thừa ủy quyền của Chủ tịch nước, Phó Thủ tướng trao Huân chương Lao động hạng Nhì cho Bộ trưởng "
            "Bộ Xây dựng Trần Văn Sơn vì đã có thành tích xuất sắc.",
            {"Huân chương Lao động hạng Nhì": (None, 1)},
        ),
        (
            "Chủ tịch UBND tỉnh tặng Bằng khen cho Phòng Cảnh sát giao thông và 4 cá nhân có thành tích.",
            {"Bằng khen của Chủ tịch UBND tỉnh": (1, 4)},
        ),
        (
            "Hội đồng thống nhất đề nghị tặng Huân chương Lao động hạng Nhì cho Bộ Chỉ huy Quân sự tỉnh và "
            "Huân chương Lao động hạng Ba cho 04 cá nhân.",
            {"Huân chương Lao động hạng Nhì": (1, None), "Huân chương Lao động hạng Ba": (None, 4)},
        ),
        (
            "Giám đốc Sở công nhận danh hiệu Chiến sĩ thi đua cơ sở cho 18 cá nhân và Tập thể lao động xuất "
            "sắc cho 06 phòng, đơn vị.",
            {"Chiến sĩ thi đua cơ sở": (None, 18), "Tập thể lao động xuất sắc": (6, None)},
        ),
        (
            "Bộ trưởng Bộ Tài chính trao Cờ thi đua của Bộ Tài chính cho 07 Cục Thuế dẫn đầu phong trào.",
            {"Cờ thi đua của Bộ Tài chính": (7, None)},
        ),
    ],
)
def test_named_and_counted_recipients_per_form(
    body: str, counts: dict[str, tuple[int | None, int | None]]
) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert {c.kind: (c.collectives, c.individuals) for c in info.counts} == counts


def test_a_title_count_is_used_only_when_the_body_states_none() -> None:
    lead = "Sáng 3/4, UBND tỉnh tổ chức hội nghị tổng kết công tác năm 2024."
    info = detect_award(
        "UBND tỉnh trao Bằng khen cho 25 tập thể",
        lead,
        "Tại hội nghị, Chủ tịch UBND tỉnh trao Bằng khen cho các tập thể có thành tích xuất sắc.",
    )
    assert info is not None and info.collectives == 25
    info = detect_award(
        "UBND tỉnh trao Bằng khen cho 25 tập thể",
        lead,
        "Tại hội nghị, Chủ tịch UBND tỉnh trao Bằng khen cho 20 tập thể có thành tích xuất sắc.",
    )
    assert info is not None and info.collectives is None


def test_a_decision_closing_the_giving_sentence_is_the_awards() -> None:
    info = detect_award(
        "Trao Huân chương Lao động hạng Ba cho nguyên Giám đốc Sở",
        "Chiều 8/9, UBND tỉnh tổ chức lễ trao Huân chương Lao động hạng Ba của Chủ tịch nước cho ông Lê "
        "Văn Tâm.",
        "Thừa ủy quyền của Chủ tịch nước, Chủ tịch UBND tỉnh trao Huân chương cho ông Lê Văn Tâm theo Quyết "
        "định số 815/QĐ-CTN ngày 2/6/2023.",
    )
    assert info is not None and info.decision == "815/QĐ-CTN"
    # a regulation issued with a decision is no decision on this award
    info = detect_award(
        "Trao Kỷ niệm chương của tỉnh",
        "",
        "Chủ tịch UBND tỉnh tặng Kỷ niệm chương cho 40 cá nhân. Kỷ niệm chương được xét theo Quy chế ban "
        "hành kèm theo Quyết định số 412/QĐ-UBND ngày 20/02/2024.",
    )
    assert info is not None and info.decision is None


def test_a_ceremony_of_posthumous_conferral_is_conferred() -> None:
    info = detect_award(
        "Truy tặng danh hiệu Bà mẹ Việt Nam anh hùng cho 5 mẹ",
        "Ngày 26/7, UBND huyện tổ chức lễ truy tặng danh hiệu Bà mẹ Việt Nam anh hùng.",
        "Theo Quyết định số 1049/QĐ-CTN của Chủ tịch nước, 5 mẹ trên địa bàn huyện được truy tặng danh hiệu "
        "Bà mẹ Việt Nam anh hùng.",
    )
    assert info is not None and info.stage is Stage.CONFERRED


@pytest.mark.parametrize(
    ("body", "collectives", "individuals"),
    [
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho mười hai tập thể và hai mươi cá nhân.", 12, 20),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho hai mươi lăm tập thể.", 25, None),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho mười tập thể và ba mươi mốt cá nhân.", 10, 31),
        # part of a number not read ("một trăm hai") is no count of two
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho một trăm hai cá nhân.", None, None),
    ],
)
def test_compound_number_words_are_read_whole(
    body: str, collectives: int | None, individuals: int | None
) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert (info.collectives, info.individuals) == (collectives, individuals)


@pytest.mark.parametrize(
    "body",
    [
        "Sáng 2/9, xã Tân Hòa vinh dự đón nhận danh hiệu Anh hùng Lực lượng vũ trang nhân dân.",
        "Tại buổi lễ, thị xã Hòa Thành vinh dự đón nhận Cờ thi đua của Chính phủ.",
        "Tại buổi lễ, huyện Gò Dầu vinh dự đón nhận Huân chương Lao động hạng Ba của Chủ tịch nước.",
    ],
)
def test_a_named_locality_receiving_a_form_is_one_collective(body: str) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert (info.collectives, info.individuals) == (1, None)


@pytest.mark.parametrize(
    ("units", "collectives"),
    [
        ("Sở Y tế, Sở Tài chính và Công an tỉnh", 3),
        ("Trung tâm Y tế huyện và Phòng Giáo dục huyện", 2),
        ("Sở Giáo dục và Đào tạo và Công an tỉnh", 2),
        # one name with "và" or a comma inside is one collective
        ("Sở Lao động - Thương binh và Xã hội", 1),
        ("Sở Văn hóa, Thể thao và Du lịch", 1),
    ],
)
def test_each_collective_named_after_cho_is_counted(units: str, collectives: int) -> None:
    info = detect_award(
        "Tin hoạt động", "", f"Chủ tịch UBND tỉnh tặng Bằng khen cho {units} vì có thành tích xuất sắc."
    )
    assert info is not None
    assert (info.collectives, info.individuals) == (collectives, None)


@pytest.mark.parametrize(
    ("body", "collectives", "individuals"),
    [
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho ông Nguyễn Văn An và 5 cá nhân khác.", None, 6),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho bà Trần Thị Lan, Giám đốc Sở Y tế và 4 cá nhân.", None, 5),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho 3 tập thể và ông Nguyễn Văn An.", 3, 1),
        # the presenter before the verb is nobody's count
        ("Ông Nguyễn Văn An, Chủ tịch UBND tỉnh tặng Bằng khen cho 3 tập thể và 4 cá nhân.", 3, 4),
        # "… và 1 cá nhân" beside a named one: two, which is not read as one
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho ông Nguyễn Văn An và 1 cá nhân.", None, None),
    ],
)
def test_a_named_person_beside_counted_recipients_is_one_more(
    body: str, collectives: int | None, individuals: int | None
) -> None:
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert (info.collectives, info.individuals) == (collectives, individuals)


def test_the_same_form_from_two_givers_keeps_two_counts() -> None:
    body = (
        "Dịp này, Bộ trưởng Bộ Quốc phòng tặng Bằng khen cho 02 tập thể, 04 cá nhân; "
        "Tư lệnh Quân khu 9 tặng Bằng khen cho 03 tập thể, 09 cá nhân."
    )
    assert _counts(detect_award("Tổng kết năm 2020", "", body)) == {
        "Bằng khen của Bộ trưởng Bộ Quốc phòng": (2, 4),
        "Bằng khen của Tư lệnh Quân khu 9": (3, 9),
    }


def test_a_host_holding_a_ceremony_is_no_giver_named_in_its_words() -> None:
    body = "Dịp này, Công ty TNHH Hòa Bình tổ chức lễ trao Giấy khen cho 20 công nhân."
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert not any("tổ chức" in k for k in info.kinds)
    assert not any("tổ chức" in a for a in info.authorities)


def test_a_second_giver_that_cannot_be_named_gives_no_merged_count() -> None:
    body = (
        "Dịp này, Bộ trưởng Bộ Quốc phòng tặng Bằng khen cho 02 tập thể, 04 cá nhân; "
        "Sư đoàn 330 tặng Bằng khen cho 03 tập thể, 09 cá nhân."
    )
    counts = _counts(detect_award("Tổng kết năm 2020", "", body))
    assert (5, 13) not in counts.values()
    assert counts.get("Bằng khen của Bộ trưởng Bộ Quốc phòng") in (None, (None, None))


@pytest.mark.parametrize(
    ("body", "kind", "pair"),
    [
        (
            "Ban Chấp hành Hội Nông dân thành phố tặng Bằng khen cho 16 tập thể, 34 cá nhân.",
            "Bằng khen của Ban Chấp hành Hội Nông dân thành phố",
            (16, 34),
        ),
        (
            "Ban Chấp hành Hội Cựu chiến binh tỉnh tặng Giấy khen cho 25 tập thể, 40 cá nhân.",
            "Giấy khen của Ban Chấp hành Hội Cựu chiến binh tỉnh",
            (25, 40),
        ),
        (
            "Ủy ban MTTQ Việt Nam xã tặng Giấy khen cho 10 cá nhân tiêu biểu.",
            "Giấy khen của Ủy ban MTTQ Việt Nam xã",
            (None, 10),
        ),
        (
            "Chủ tịch UBND tỉnh tặng Bằng khen cho 9 vận động viên và 3 huấn luyện viên.",
            "Bằng khen của Chủ tịch UBND tỉnh",
            (None, 12),
        ),
        (
            "Ban Chấp hành Liên đoàn Lao động tỉnh tặng Cờ thi đua cho 06 công đoàn cấp trên cơ sở.",
            "Cờ thi đua của Liên đoàn Lao động tỉnh",
            (6, None),
        ),
    ],
)
def test_givers_and_recipients_in_the_articles_words(
    body: str, kind: str, pair: tuple[int | None, int | None]
) -> None:
    assert _counts(detect_award("Tin hoạt động", "", body)) == {kind: pair}


def test_the_others_of_a_named_list_are_no_second_count() -> None:
    body = (
        "Theo quyết định, Cờ thi đua của UBND tỉnh được tặng cho 9 đơn vị dẫn đầu các Khối thi đua.\n\n"
        "Các đơn vị dẫn đầu gồm Sở Tài chính, Cục Thuế tỉnh, Kho bạc Nhà nước tỉnh và 6 đơn vị khác."
    )
    lead = "Chủ tịch UBND tỉnh vừa ban hành Quyết định số 415/QĐ-UBND công nhận danh hiệu thi đua năm 2014."
    assert _counts(detect_award("Công nhận danh hiệu thi đua", lead, body)) == {
        "Cờ thi đua của UBND tỉnh": (9, None)
    }


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (
            "Chủ tịch nước tặng danh hiệu Anh hùng Lao động cho Tổng công ty Viễn thông Viettel.",
            "Anh hùng Lao động",
        ),
        (
            "Thừa ủy quyền của Chủ tịch nước, Trung tướng Tư lệnh Bộ đội Biên phòng đã trao "
            "Huân chương Bảo vệ Tổ quốc hạng Ba cho Bộ đội Biên phòng tỉnh Quảng Ninh.",
            "Huân chương Bảo vệ Tổ quốc hạng Ba",
        ),
    ],
)
def test_a_named_company_or_force_is_one_collective(body: str, kind: str) -> None:
    assert _counts(detect_award("Tin hoạt động", "", body)) == {kind: (1, None)}


def test_the_titles_count_serves_the_only_form_given_to_uncounted_recipients() -> None:
    body = "Tại hội nghị, lãnh đạo tỉnh đã trao Bằng khen của Chủ tịch UBND tỉnh cho các tập thể, cá nhân."
    titled = detect_award("Tây Ninh khen thưởng 12 tập thể, 35 cá nhân", "", body)
    assert _counts(titled) == {"Bằng khen của Chủ tịch UBND tỉnh": (12, 35)}
    body2 = body + " Dịp này, Giám đốc Sở Nội vụ tặng Giấy khen cho các tập thể, cá nhân."
    two_forms = _counts(detect_award("Tây Ninh khen thưởng 12 tập thể, 35 cá nhân", "", body2))
    assert (12, 35) not in two_forms.values()


def test_each_of_a_counted_noun_broken_down_takes_the_breakdown() -> None:
    body = (
        "Tại đại hội, thành phố đã tuyên dương 150 điển hình tiên tiến, gồm 60 tập thể và 90 cá nhân "
        "tiêu biểu. Mỗi điển hình được tặng Bằng khen của Chủ tịch UBND thành phố."
    )
    counts = _counts(detect_award("Đại hội thi đua yêu nước", "", body))
    assert counts["Bằng khen của Chủ tịch UBND thành phố"] == (60, 90)


def test_a_form_owned_by_the_central_front_names_it_as_giver() -> None:
    body = (
        "Đồng thời, Kỷ niệm chương “Vì sự nghiệp Đại đoàn kết dân tộc” của Ủy ban Trung ương MTTQ Việt Nam "
        "được trao cho 18 cá nhân."
    )
    info = detect_award("Tin hoạt động", "", body)
    assert info is not None
    assert info.authorities == ("Ủy ban Trung ương MTTQ Việt Nam",)


def test_the_signed_award_decision_beats_a_later_one_given_as_reference() -> None:
    info = detect_award(
        "Chủ tịch nước tặng Huân chương cho Tập đoàn",
        "Chủ tịch nước đã ký Quyết định số 2210/QĐ-CTN tặng thưởng Huân chương cho các tập thể, cá nhân.",
        "Theo quyết định, Huân chương Lao động hạng Ba được tặng cho 5 tập thể và 3 cá nhân.\n\n"
        "Cùng thời điểm, Thủ tướng Chính phủ tặng Bằng khen cho 15 tập thể theo Quyết định số 1780/QĐ-TTg.",
    )
    assert info is not None
    assert info.decision == "2210/QĐ-CTN"


def test_a_form_named_only_in_the_decisions_title_is_not_conferred() -> None:
    body = (
        "Theo Quyết định số 164/QĐ-CTN của Chủ tịch nước về việc phong tặng danh hiệu Thầy thuốc nhân dân, "
        "Thầy thuốc ưu tú lần thứ 14, Bệnh viện có 3 bác sĩ được phong tặng danh hiệu Thầy thuốc ưu tú."
    )
    info = detect_award("Bệnh viện có thêm 3 Thầy thuốc ưu tú", "", body)
    assert info is not None
    assert info.kinds == ("Thầy thuốc ưu tú",)


def test_a_years_provincial_tally_is_no_conferral_beside_a_proposal() -> None:
    info = detect_award(
        "Lấy ý kiến nhân dân đề nghị khen thưởng Huân chương Lao động",
        "",
        "Hội đồng thống nhất đề nghị Chủ tịch nước tặng thưởng Huân chương Lao động hạng Ba "
        "cho 03 tập thể.\n\n"
        "Năm 2022, toàn tỉnh có 11 tập thể, cá nhân được Chủ tịch nước tặng Huân chương Lao động.",
    )
    assert info is not None
    assert info.stage is Stage.PROPOSED


@pytest.mark.parametrize(
    ("body", "pair"),
    [
        ("Tại buổi lễ, trường vinh dự đón nhận danh hiệu Tập thể lao động xuất sắc.", (1, None)),
        ("Tại buổi lễ, các trường được công nhận danh hiệu Tập thể lao động xuất sắc.", (None, None)),
    ],
)
def test_the_articles_own_unit_named_by_its_kind_is_one_collective(
    body: str, pair: tuple[int | None, int | None]
) -> None:
    assert _counts(detect_award("Trường THCS Nguyễn Trãi kỷ niệm Ngày Nhà giáo", "", body)) == {
        "Tập thể lao động xuất sắc": pair
    }


def test_each_individual_takes_the_count_of_any_individuals_before() -> None:
    body = (
        "Tại chương trình, Ban Thường vụ Tỉnh đoàn đã tuyên dương 30 gương thanh niên tiên tiến làm theo lời "
        "Bác. Mỗi cá nhân được tuyên dương được tặng Bằng khen của Ban Chấp hành Tỉnh đoàn."
    )
    assert _counts(detect_award("Tỉnh đoàn tuyên dương thanh niên tiên tiến", "", body)) == {
        "Bằng khen của Ban Chấp hành Tỉnh đoàn": (None, 30)
    }


def test_a_count_whose_noun_is_a_forms_name_is_that_forms() -> None:
    info = detect_award(
        "Quảng Ninh công nhận 3 Chiến sĩ thi đua toàn quốc và 40 Chiến sĩ thi đua cấp tỉnh",
        "",
        "Tại hội nghị, Chủ tịch UBND tỉnh trao danh hiệu Chiến sĩ thi đua cấp tỉnh cho 40 cá nhân.",
    )
    counts = _counts(info)
    assert counts["Chiến sĩ thi đua cấp tỉnh"] == (None, 40)
    assert counts["Chiến sĩ thi đua toàn quốc"] in ((None, 3), (None, None))


def test_a_clause_giving_something_else_before_the_forms_clause_counts_for_no_form() -> None:
    body = (
        "Nhân dịp này, Ban Thường vụ Tỉnh ủy đã trao Huy hiệu 40 năm tuổi Đảng cho 5 đảng viên lão thành; "
        "đồng thời Ban Thường vụ Tỉnh ủy tặng Bằng khen cho 8 tổ chức cơ sở đảng tiêu biểu."
    )
    assert _counts(detect_award("Hội nghị Tỉnh ủy cuối năm", "", body)) == {
        "Bằng khen của Ban Thường vụ Tỉnh ủy": (8, None)
    }


def test_the_host_of_a_ceremony_for_a_named_unit_is_no_second_recipient() -> None:
    info = detect_award(
        "Phòng Cảnh sát giao thông đón nhận Huân chương Chiến công hạng Nhì",
        "Ngày 3/9, Công an tỉnh Bình Định tổ chức lễ đón nhận Huân chương Chiến công hạng Nhì "
        "cho Phòng Cảnh sát giao thông.",
        "",
    )
    assert _counts(info) == {"Huân chương Chiến công hạng Nhì": (1, None)}


@pytest.mark.parametrize(
    "title",
    [
        "Đại hội Thi đua yêu nước tỉnh Bến Tre lần thứ V: nhìn lại chặng đường 5 năm",
        "Sở Văn hóa thông báo tiếp nhận hồ sơ đề nghị xét tặng danh hiệu Nghệ nhân ưu tú",
    ],
)
def test_a_retrospective_or_a_call_for_nominations_gives_no_card(title: str) -> None:
    body = (
        "Tại Đại hội, Chủ tịch UBND tỉnh tặng Bằng khen cho 60 tập thể và 90 cá nhân. "
        "Tỉnh có 9 nghệ nhân được phong tặng danh hiệu Nghệ nhân ưu tú."
    )
    assert detect_award(title, "", body) is None
    assert detect_award("Bến Tre tổng kết phong trào thi đua", "", body) is not None


def test_a_giver_after_words_of_recognition_is_still_the_giver() -> None:
    body = (
        "Ghi nhận thành tích của lực lượng, Giám đốc Công an tỉnh đã ký quyết định tặng Giấy khen "
        "cho ba tập thể và bảy cá nhân."
    )
    info = detect_award("Khen thưởng lực lượng phá chuyên án ma túy", "", body)
    assert _counts(info) == {"Giấy khen của Giám đốc Công an tỉnh": (3, 7)}


def test_a_medal_given_in_its_classes_together_is_one_kind() -> None:
    body = (
        "Thừa ủy quyền của Chủ tịch nước, Giám đốc Công an tỉnh trao Huy chương Chiến sĩ vẻ vang "
        "hạng Nhất, hạng Nhì, hạng Ba cho 80 cán bộ, chiến sĩ."
    )
    info = detect_award("Công an tỉnh kỷ niệm ngày truyền thống", "", body)
    assert info is not None
    assert info.kinds == ("Huy chương Chiến sĩ vẻ vang",)


def test_a_giver_written_short_takes_the_number_and_full_name_the_article_gives_it() -> None:
    body = (
        "Thiếu tướng Trần Văn A, Tư lệnh Quân khu 7, dự và phát biểu. Tại buổi lễ, Tư lệnh Quân khu tặng "
        "Bằng khen cho 6 tập thể. Tổng công ty Điện lực miền Nam (EVNSPC) tổng kết năm; Tổng Giám đốc "
        "Tổng công ty Điện lực miền Nam tặng Bằng khen cho 9 tập thể."
    )
    info = detect_award("Tổng Giám đốc EVNSPC tặng Bằng khen", "", body)
    assert info is not None
    assert set(info.kinds) == {
        "Bằng khen của Tư lệnh Quân khu 7",
        "Bằng khen của Tổng Giám đốc Tổng công ty Điện lực miền Nam",
    }


def test_a_decision_recognising_emulation_titles_is_an_award() -> None:
    info = detect_award(
        "Sở Giáo dục công nhận danh hiệu thi đua năm học 2023 - 2024",
        "Giám đốc Sở Giáo dục và Đào tạo vừa ban hành quyết định công nhận danh hiệu thi đua cho các "
        "tập thể, cá nhân thuộc ngành.",
        "Cụ thể: danh hiệu Lao động tiên tiến: 2.315 cá nhân; danh hiệu Chiến sĩ thi đua cơ sở: 210 cá nhân.",
    )
    assert info is not None
    assert _counts(info) == {"Lao động tiên tiến": (None, 2315), "Chiến sĩ thi đua cơ sở": (None, 210)}


def test_a_number_after_a_pair_of_state_honours_is_their_total() -> None:
    info = detect_award(
        "Phong tặng danh hiệu Thầy thuốc nhân dân, Thầy thuốc ưu tú cho 25 thầy thuốc",
        "",
        "Lần này, tỉnh có 2 thầy thuốc được phong tặng danh hiệu Thầy thuốc nhân dân và 23 thầy thuốc "
        "được phong tặng danh hiệu Thầy thuốc ưu tú.",
    )
    assert info is not None
    assert _counts(info) == {"Thầy thuốc nhân dân": (None, 2), "Thầy thuốc ưu tú": (None, 23)}
    assert info.individuals == 25


@pytest.mark.parametrize(
    ("sentence", "pair"),
    [
        ("Ủy ban MTTQ Việt Nam tỉnh tặng Bằng khen cho 4 khu dân cư tiêu biểu.", (4, None)),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho 12 quân nhân.", (None, 12)),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho khoa Cấp cứu.", (1, None)),
        ("Chủ tịch UBND tỉnh tặng Bằng khen cho công ty và 04 cá nhân.", (1, 4)),
    ],
)
def test_recipients_counted_by_their_own_nouns(sentence: str, pair: tuple[int | None, int | None]) -> None:
    info = detect_award(
        "Khen thưởng nhân dịp tổng kết năm", "", "Tại buổi lễ, " + sentence[0].lower() + sentence[1:]
    )
    assert list(_counts(info).values()) == [pair]


def test_a_ministry_that_gives_as_itself_keeps_the_articles_name() -> None:
    body = (
        "Tại hội nghị, Cục Thống kê tỉnh đón nhận Cờ thi đua của Bộ Kế hoạch và Đầu tư. "
        "Bộ Kế hoạch và Đầu tư tặng Bằng khen cho 3 tập thể và 7 cá nhân."
    )
    info = detect_award("Cục Thống kê tổng kết năm", "", body)
    assert info is not None
    assert _counts(info).get("Bằng khen của Bộ Kế hoạch và Đầu tư") == (3, 7)
    assert "Bằng khen của Bộ trưởng Bộ Kế hoạch và Đầu tư" not in info.kinds


def test_a_minister_named_as_the_giver_keeps_his_office() -> None:
    body = "Tại hội nghị, Bộ trưởng Bộ Kế hoạch và Đầu tư tặng Bằng khen cho 3 tập thể và 7 cá nhân."
    info = detect_award("Cục Thống kê tổng kết năm", "", body)
    assert info is not None
    assert _counts(info) == {"Bằng khen của Bộ trưởng Bộ Kế hoạch và Đầu tư": (3, 7)}


def test_a_title_the_recipients_earned_is_the_reason_for_their_giay_khen() -> None:
    body = (
        "Dịp này, Giám đốc bệnh viện tặng Giấy khen cho 9 tập thể và 31 cá nhân đạt danh hiệu "
        "Lao động tiên tiến năm 2024."
    )
    info = detect_award("Bệnh viện tổng kết năm 2024", "", body)
    assert info is not None
    assert _counts(info) == {"Giấy khen của Giám đốc bệnh viện": (9, 31)}


def test_an_order_in_several_classes_for_a_group_is_one_order() -> None:
    info = detect_award(
        "Chủ tịch nước tặng Huân chương Lao động cho ngành Y tế",
        "Chủ tịch nước vừa ký quyết định tặng thưởng Huân chương Lao động hạng Nhất, Nhì, Ba cho "
        "8 tập thể và 15 cá nhân ngành Y tế.",
        "",
    )
    assert info is not None
    assert _counts(info) == {"Huân chương Lao động": (8, 15)}


def test_a_proposal_still_under_consideration_adds_no_form() -> None:
    info = detect_award(
        "Tặng Bằng khen cho 6 tập thể ngành Giáo dục",
        "Chủ tịch UBND tỉnh vừa tặng Bằng khen cho 6 tập thể ngành Giáo dục.",
        "Ngoài ra, 3 trường đề nghị tặng Cờ thi đua của Chính phủ đang được xem xét.",
    )
    assert info is not None
    assert info.kinds == ("Bằng khen của Chủ tịch UBND tỉnh",)


def test_an_award_at_that_earlier_congress_is_no_announcement() -> None:
    info = detect_award(
        "Hội Cựu chiến binh tỉnh chuẩn bị Đại hội lần thứ VIII",
        "Công tác chuẩn bị Đại hội đang được khẩn trương hoàn thiện.",
        "Nhìn lại Đại hội lần thứ VII năm 2019, 200 đại biểu đã bầu Ban Chấp hành. Tại đại hội năm đó, "
        "Trung ương Hội Cựu chiến binh Việt Nam đã tặng Bằng khen cho 4 tập thể và 9 cá nhân.",
    )
    assert info is None


def test_each_of_those_counted_earlier_in_the_sentence_receives_one() -> None:
    body = (
        "Tại hội nghị, 25 hội viên tiêu biểu được tuyên dương; mỗi người được tặng Bằng khen của "
        "Chủ tịch UBND tỉnh."
    )
    info = detect_award("Tuyên dương hội viên tiêu biểu", "", body)
    assert info is not None
    assert _counts(info) == {"Bằng khen của Chủ tịch UBND tỉnh": (None, 25)}


def test_the_whole_countrys_figures_are_not_the_provinces() -> None:
    body = (
        "Theo đó, tỉnh có 4 nhà giáo được phong tặng danh hiệu Nhà giáo ưu tú. Trên cả nước, đợt này có "
        "410 nhà giáo được phong tặng Nhà giáo ưu tú."
    )
    info = detect_award("Tỉnh có 4 Nhà giáo ưu tú", "", body)
    assert info is not None
    assert _counts(info) == {"Nhà giáo ưu tú": (None, 4)}


def test_a_flag_named_with_its_committee_or_as_excellent_keeps_the_articles_words() -> None:
    body = (
        "Tại hội nghị, Huyện đoàn Phù Cát nhận Cờ thi đua của Ban Chấp hành Trung ương Đoàn. "
        "Công đoàn ngành Y tế đón nhận Cờ thi đua xuất sắc của Tổng Liên đoàn Lao động Việt Nam."
    )
    info = detect_award("Tổng kết năm", "", body)
    assert info is not None
    assert set(info.kinds) == {
        "Cờ thi đua của Ban Chấp hành Trung ương Đoàn",
        "Cờ thi đua xuất sắc của Tổng Liên đoàn Lao động Việt Nam",
    }


def test_a_giver_whose_name_has_a_dash_is_read_whole() -> None:
    body = (
        "Dịp này, Tổng Giám đốc Tổng công ty Gang Thép - Xây dựng Việt Nam tặng Bằng khen cho "
        "4 tập thể và 9 cá nhân."
    )
    info = detect_award("Tổng kết năm", "", body)
    assert info is not None
    assert _counts(info) == {"Bằng khen của Tổng Giám đốc Tổng công ty Gang Thép - Xây dựng Việt Nam": (4, 9)}


def test_hundreds_of_past_awards_are_a_tally_beside_a_proposal() -> None:
    info = detect_award(
        "Hội đồng Thi đua - Khen thưởng huyện xét đề nghị khen thưởng năm 2024",
        "",
        "Hội đồng thống nhất đề nghị Chủ tịch UBND tỉnh tặng Bằng khen cho 05 tập thể và 08 cá nhân. "
        "Huyện cũng đã tặng Giấy khen cho hàng trăm lượt tập thể, cá nhân trong các đợt thi đua chuyên đề.",
    )
    assert info is not None
    assert info.stage is Stage.PROPOSED
    assert info.kinds == ("Bằng khen của Chủ tịch UBND tỉnh",)


def test_a_unit_named_after_the_law_it_teaches_is_no_guidance() -> None:
    info = detect_award(
        "Sở Tư pháp tổng kết năm",
        "",
        "Tại hội nghị, Phòng Phổ biến, giáo dục pháp luật được công nhận Tập thể lao động tiên tiến.",
    )
    assert info is not None
    assert info.kinds == ("Tập thể lao động tiên tiến",)


def test_a_ministry_and_its_minister_giving_one_bang_khen_are_one_form_with_its_count() -> None:
    info = detect_award(
        "Bộ Tài chính tặng Bằng khen cho các kho bạc",
        "Bộ trưởng Bộ Tài chính vừa ký quyết định tặng Bằng khen cho các đơn vị.",
        "Theo quyết định, Bằng khen của Bộ trưởng Bộ Tài chính được tặng cho 12 tập thể và 30 cá nhân.",
    )
    assert info is not None
    assert [(c.kind, c.collectives, c.individuals) for c in info.counts] == [
        ("Bằng khen của Bộ trưởng Bộ Tài chính", 12, 30)
    ]


def test_a_caption_naming_the_giver_by_its_initials_adds_no_second_award() -> None:
    info = detect_award(
        "Điện lực Hà Tĩnh tổng kết năm 2020",
        "Ngày 10/1, Công ty Điện lực Hà Tĩnh tổ chức hội nghị tổng kết năm 2020.",
        "Tại hội nghị, Công ty Điện lực Hà Tĩnh vinh dự đón nhận Bằng khen của Tổng Giám đốc Tập đoàn "
        "Điện lực Việt Nam. Giám đốc công ty tặng Giấy khen cho 8 tập thể và 20 cá nhân.",
        ("Công ty đón nhận Bằng khen của Tổng Giám đốc EVN",),
    )
    assert info is not None
    assert info.kinds == (
        "Bằng khen của Tổng Giám đốc Tập đoàn Điện lực Việt Nam",
        "Giấy khen của Giám đốc công ty",
    )
    assert "Tổng Giám đốc EVN" not in info.authorities


def test_a_flag_a_deputy_hands_over_is_the_government_flag_the_article_names() -> None:
    info = detect_award(
        "Trường THCS Lê Lợi đón nhận Cờ thi đua của Chính phủ",
        "Sáng 5/9, Trường THCS Lê Lợi vinh dự đón nhận Cờ thi đua của Chính phủ.",
        "Phó Chủ tịch UBND tỉnh đã trao Cờ thi đua cho nhà trường và đánh trống khai giảng.",
    )
    assert info is not None
    assert info.kinds == ("Cờ thi đua của Chính phủ",)
    assert "Chủ tịch UBND tỉnh" not in info.authorities
    assert (info.collectives, info.individuals) == (1, None)


def test_a_review_meeting_reporting_the_years_awards_gives_no_card() -> None:
    info = detect_award(
        "Tổng kết công tác thi đua, khen thưởng năm 2023",
        "Chiều 12/1, Hội đồng Thi đua - Khen thưởng tỉnh tổ chức hội nghị tổng kết năm 2023.",
        "Năm 2023, các phong trào thi đua được triển khai rộng khắp. Công tác khen thưởng kịp thời; "
        "UBND tỉnh đã khen thưởng 980 tập thể, 1.730 cá nhân; trình cấp trên khen thưởng 120 trường hợp.",
    )
    assert info is None


def test_a_published_list_of_proposed_recipients_is_a_proposal_with_its_counts() -> None:
    info = detect_award(
        "Lấy ý kiến nhân dân đề nghị tặng Huân chương Lao động",
        "UBND huyện thông báo lấy ý kiến nhân dân đối với tập thể, cá nhân được đề nghị khen thưởng.",
        "Thực hiện Luật Thi đua, khen thưởng và hướng dẫn của Ban Thi đua - Khen thưởng tỉnh, UBND huyện "
        "thông báo trên trang thông tin điện tử huyện danh sách đề nghị Chủ tịch nước tặng Huân chương Lao "
        "động hạng Ba cho 01 tập thể và 03 cá nhân như sau:",
    )
    assert info is not None
    assert info.stage is Stage.PROPOSED
    assert [(c.kind, c.collectives, c.individuals) for c in info.counts] == [
        ("Huân chương Lao động hạng Ba", 1, 3)
    ]


def _per_form(info: AwardInfo | None) -> list[tuple[str, int | None, int | None]]:
    assert info is not None
    return [(c.kind, c.collectives, c.individuals) for c in info.counts]


def test_two_committees_giving_bang_khen_in_one_sentence_keep_their_own_per_form() -> None:
    info = detect_award(
        "Hội LHPN tỉnh tổng kết năm 2024",
        "Ngày 8/1/2025, Hội LHPN tỉnh Vĩnh Long tổ chức hội nghị tổng kết.",
        "Tại hội nghị, Đoàn Chủ tịch Trung ương Hội Liên hiệp Phụ nữ Việt Nam tặng Bằng khen cho 2 tập thể "
        "và 5 cá nhân; Ban Chấp hành Hội Liên hiệp Phụ nữ tỉnh tặng Bằng khen cho 14 tập thể và 30 cá nhân.",
    )
    assert _per_form(info) == [
        ("Bằng khen của Đoàn Chủ tịch Trung ương Hội Liên hiệp Phụ nữ Việt Nam", 2, 5),
        ("Bằng khen của Ban Chấp hành Hội Liên hiệp Phụ nữ tỉnh", 14, 30),
    ]


def test_each_unit_takes_the_count_of_the_collectives_honoured_just_before() -> None:
    info = detect_award(
        "Tuyên dương công đoàn cơ sở xuất sắc",
        "Ngày 20/7/2024, Liên đoàn Lao động tỉnh tổ chức hội nghị sơ kết.",
        "Tại hội nghị, Liên đoàn Lao động tỉnh tuyên dương 4 công đoàn cơ sở xuất sắc. Mỗi đơn vị được "
        "tặng Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh và 3 triệu đồng.",
    )
    assert _per_form(info) == [("Bằng khen của Ban Chấp hành Liên đoàn Lao động tỉnh", 4, None)]


def test_units_that_reach_a_title_and_paired_unit_nouns_are_counted() -> None:
    info = detect_award(
        "Bình xét thi đua năm 2023",
        "Giám đốc Bệnh viện vừa ký quyết định công nhận danh hiệu thi đua năm 2023.",
        "Theo đó, 25 khoa, phòng đạt danh hiệu Tập thể lao động tiên tiến. Chủ tịch UBND tỉnh tặng Bằng "
        "khen cho 12 cơ quan, đơn vị có thành tích xuất sắc.",
    )
    assert ("Tập thể lao động tiên tiến", 25, None) in _per_form(info)
    assert ("Bằng khen của Chủ tịch UBND tỉnh", 12, None) in _per_form(info)


def test_a_unit_and_a_person_named_together_are_one_collective_and_one_individual() -> None:
    info = detect_award(
        "Khen thưởng người dũng cảm bắt cướp",
        "Chủ tịch UBND tỉnh vừa ký quyết định tặng Bằng khen cho tập thể, cá nhân bắt cướp.",
        "Theo Quyết định số 12/QĐ-UBND, Bằng khen của Chủ tịch UBND tỉnh được tặng cho Công an xã Tân Hòa "
        "và anh Nguyễn Văn Tài, người dân ấp 3.",
    )
    assert _per_form(info) == [("Bằng khen của Chủ tịch UBND tỉnh", 1, 1)]


def test_a_unit_commander_or_board_chair_giving_giay_khen_keeps_the_counts() -> None:
    info = detect_award(
        "Trung đoàn 9 tổng kết năm 2022",
        "Ngày 10/1/2023, Trung đoàn 9 tổ chức tổng kết công tác quân sự, quốc phòng năm 2022.",
        "Tại hội nghị, Trung đoàn 9 đón nhận danh hiệu Đơn vị quyết thắng. Cũng dịp này, Trung đoàn trưởng "
        "tặng Giấy khen cho 8 tập thể và 30 cá nhân.",
    )
    assert ("Giấy khen của Trung đoàn trưởng", 8, 30) in _per_form(info)


def test_communes_and_a_venerable_named_are_counted_recipients() -> None:
    communes = detect_award(
        "Ba xã được Thủ tướng tặng Bằng khen",
        "Ngày 2/12/2019, tỉnh tổ chức hội nghị tổng kết phong trào nông thôn mới.",
        "Tại hội nghị, lãnh đạo tỉnh đã trao Bằng khen của Thủ tướng Chính phủ cho 03 xã: Thạch Văn, Cẩm "
        "Quan và Kỳ Phong.",
    )
    assert _per_form(communes) == [("Bằng khen của Thủ tướng Chính phủ", 3, None)]
    monk = detect_award(
        "Trao Huân chương Đại đoàn kết dân tộc",
        "Sáng 25/3/2024, UBND tỉnh tổ chức lễ trao tặng Huân chương Đại đoàn kết dân tộc.",
        "Thừa ủy quyền của Chủ tịch nước, Phó Chủ tịch UBND tỉnh đã trao Huân chương Đại đoàn kết dân tộc "
        "cho Hòa thượng Thạch Sok Xane - Trụ trì chùa Kompông.",
    )
    assert _per_form(monk) == [("Huân chương Đại đoàn kết dân tộc", None, 1)]


def test_rules_on_who_may_give_an_award_are_no_announcement() -> None:
    info = detect_award(
        "Ngành Nội vụ tổng kết công tác thi đua, khen thưởng năm 2025",
        "Ngày 16/01/2026, Sở Nội vụ tổ chức hội nghị tổng kết năm 2025.",
        "Sở Nội vụ cho biết, từ ngày 01/7/2025, thẩm quyền tặng Giấy khen cấp huyện được chuyển về Chủ tịch "
        "UBND 96 xã, phường.",
    )
    assert info is None


def test_a_number_whose_noun_is_the_honour_counts_for_that_honour() -> None:
    info = detect_award(
        "Trao tặng danh hiệu NSND, NSƯT lần thứ 10",
        "Tối 5/9/2023, Bộ tổ chức lễ trao tặng danh hiệu Nghệ sĩ nhân dân, Nghệ sĩ ưu tú lần thứ 10.",
        "Lần này có tổng cộng 318 nghệ sĩ được phong tặng, gồm 64 Nghệ sĩ nhân dân và 254 Nghệ sĩ ưu tú.",
    )
    assert _per_form(info) == [("Nghệ sĩ nhân dân", None, 64), ("Nghệ sĩ ưu tú", None, 254)]


def test_two_numbers_for_one_form_are_added_only_when_joined() -> None:
    unread_second_form = detect_award(
        "Tôn vinh nghệ nhân hát Xoan",
        "Sáng 17/4/2019, UBND tỉnh tổ chức lễ đón nhận danh hiệu “Nghệ nhân nhân dân”, “Nghệ nhân ưu tú”.",
        "Thừa ủy quyền của Chủ tịch nước, Bộ trưởng đã trao danh hiệu “Nghệ nhân nhân dân” cho 02 nghệ "
        "nhân và "
        "“Nghệ nhân ưu tú” cho 15 nghệ nhân của tỉnh.",
    )
    assert unread_second_form is not None
    assert all(c.individuals != 17 for c in unread_second_form.counts)
    joined = detect_award(
        "Khen thưởng các địa phương dẫn đầu chỉ số DDCI",
        "Ngày 10/3/2024, UBND tỉnh công bố kết quả DDCI năm 2023.",
        "Tại hội nghị, Chủ tịch UBND tỉnh đã tặng Bằng khen cho 03 sở, ngành và 02 địa phương dẫn đầu.",
    )
    assert _per_form(joined) == [("Bằng khen của Chủ tịch UBND tỉnh", 5, None)]


def test_places_of_one_level_named_in_a_row_are_each_counted() -> None:
    info = detect_award(
        "Khối thi đua các huyện miền núi tổng kết năm 2013",
        "Ngày 27/12/2013, Khối thi đua các huyện miền núi tổ chức hội nghị tổng kết.",
        "Tại hội nghị, Phó Chủ tịch UBND tỉnh đã trao Cờ thi đua của UBND tỉnh cho huyện Sơn Hà và Bằng "
        "khen của "
        "Chủ tịch UBND tỉnh cho huyện Trà Bồng, Minh Long vì đã có thành tích xuất sắc.",
    )
    assert ("Bằng khen của Chủ tịch UBND tỉnh", 2, None) in _per_form(info)


def test_models_given_a_bang_khen_are_its_recipients_not_a_form() -> None:
    info = detect_award(
        "Biểu dương 45 điển hình tiên tiến học tập và làm theo Bác",
        "Ngày 19/5/2024, Ban Thường vụ Tỉnh ủy tổ chức hội nghị sơ kết.",
        "Tại hội nghị, Ban Thường vụ Tỉnh ủy biểu dương và tặng Bằng khen cho 15 tập thể, 30 cá nhân điển "
        "hình "
        "tiên tiến.",
    )
    assert info is not None
    assert info.kinds == ("Bằng khen của Ban Thường vụ Tỉnh ủy",)
    assert (info.collectives, info.individuals) == (15, 30)


def test_a_list_announced_without_naming_a_form_is_read_through_its_items() -> None:
    info = detect_award(
        "Bưu điện tỉnh tổng kết công tác năm 2017",
        "Ngày 12/1/2018, Bưu điện tỉnh tổ chức hội nghị tổng kết.",
        "Tại hội nghị, Bưu điện tỉnh công bố quyết định khen thưởng của Tổng Giám đốc Tổng công ty. Cụ "
        "thể:\n\n"
        "- Bằng khen của Tổng Giám đốc Tổng công ty cho 04 tập thể;\n"
        "- Bằng khen của Tổng Giám đốc Tổng công ty cho 09 cá nhân.",
    )
    assert info is not None
    assert _per_form(info) == [("Bằng khen của Tổng Giám đốc Tổng công ty", 4, 9)]


def test_a_profile_recalling_an_old_title_gives_no_card() -> None:
    info = detect_award(
        "NSƯT Thu Hà – nửa đời giữ lửa cải lương",
        "Ở tuổi 70, NSƯT Thu Hà vẫn truyền nghề cho lớp diễn viên trẻ.",
        "Bà từng giành nhiều huy chương vàng tại các kỳ hội diễn toàn quốc và năm 1997 được Nhà nước phong "
        "tặng "
        "danh hiệu Nghệ sĩ ưu tú.",
    )
    assert info is None


def test_a_hmong_name_and_an_abbreviated_federation_are_read() -> None:
    people = detect_award(
        "Đồn Biên phòng đón nhận Huân chương",
        "Ngày 20/12/2014, Đồn Biên phòng tổ chức lễ đón nhận Huân chương Bảo vệ Tổ quốc hạng Ba.",
        "Cũng tại buổi lễ, Thượng úy Giàng A Páo, Đội trưởng Đội trinh sát, và Trung úy Lê Văn Đạt, nhân "
        "viên "
        "trinh sát, được Bộ trưởng Bộ Quốc phòng tặng Bằng khen.",
    )
    assert ("Bằng khen của Bộ trưởng Bộ Quốc phòng", None, 2) in _per_form(people)
    federation = detect_award(
        "Tặng quà Tết cho công nhân",
        "Ngày 20/1/2024, LĐLĐ tỉnh tổ chức chương trình Tết Sum vầy.",
        "Dịp này, LĐLĐ tỉnh tặng Bằng khen cho 2 tập thể, 4 cá nhân.",
    )
    assert _per_form(federation) == [("Bằng khen của Liên đoàn Lao động tỉnh", 2, 4)]


def test_a_second_name_after_a_counted_unit_leaves_the_count_unsaid() -> None:
    info = detect_award(
        "Trao Cờ thi đua cho các trường dẫn đầu",
        "Ngày 5/9/2024, UBND tỉnh tổ chức lễ khai giảng.",
        "Tại buổi lễ, Chủ tịch UBND tỉnh trao Cờ thi đua của UBND tỉnh cho Trường THPT Lê Lợi, Trần Phú "
        "vì dẫn đầu phong trào thi đua.",
    )
    assert info is not None
    assert _per_form(info) == [("Cờ thi đua của UBND tỉnh", None, None)]


def test_names_read_in_full_or_not_counted() -> None:
    one_word = detect_award(
        "Khen thưởng hai người bắt cướp",
        "Chiều 7/4/2024, Công an thành phố tổ chức trao thưởng.",
        "Chủ tịch UBND thành phố tặng Bằng khen cho ông Thành và anh Đỗ Xuân Quý, nhân viên bảo vệ.",
    )
    assert _per_form(one_word) == [("Bằng khen của Chủ tịch UBND thành phố", None, 2)]
    plural = detect_award(
        "Khen thưởng vận động viên",
        "Chiều 22/12/2025, Bộ tổ chức lễ mừng công.",
        "Tại buổi lễ, Bộ trưởng Bộ Văn hóa, Thể thao và Du lịch đã tặng Bằng khen cho các vận động viên "
        "Nguyễn "
        "Thị Huyền Trang (điền kinh), Trần Hưng Nguyên (bơi) và huấn luyện viên Vũ Ngọc Lợi.",
    )
    assert plural is not None and all(c.individuals is None for c in plural.counts)
    examples = detect_award(
        "Tuyên dương điển hình",
        "Ngày 25/7/2024, Công đoàn ngành tổ chức hội nghị.",
        "Tại hội nghị, Công đoàn ngành tặng Giấy khen cho 80 đoàn viên, trong đó có BSCKII Nguyễn Thị Thu, "
        "Trưởng khoa.",
    )
    assert examples is not None
    assert all(c.individuals in (None, 80) for c in examples.counts)


def test_a_crew_beside_its_captain_is_one_collective_and_one_person() -> None:
    info = detect_award(
        "Khen thưởng thuyền viên tàu cá",
        "Sáng 6/11/2024, UBND tỉnh tổ chức khen thưởng.",
        "Phó Chủ tịch UBND tỉnh trao Bằng khen của Chủ tịch UBND tỉnh cho thuyền trưởng Nguyễn Văn Sơn và "
        "tập "
        "thể thuyền viên tàu cá PY 90567 TS. Bộ đội Biên phòng tỉnh cũng trao quà.",
    )
    assert _per_form(info) == [("Bằng khen của Chủ tịch UBND tỉnh", 1, 1)]


def test_a_proposal_list_with_numbered_items_and_bracketed_units() -> None:
    info = detect_award(
        "Lấy ý kiến nhân dân đối với đề nghị tặng Huân chương Lao động",
        "Sở Nội vụ thông báo lấy ý kiến nhân dân đối với các tập thể, cá nhân được đề nghị khen thưởng "
        "năm 2022.",
        "Thực hiện quy định của Luật Thi đua, khen thưởng, Hội đồng đã thống nhất trình Thủ tướng Chính "
        "phủ đề "
        "nghị Chủ tịch nước tặng thưởng Huân chương Lao động cho các tập thể, cá nhân sau:\n\n"
        "1. Huân chương Lao động hạng Nhì: 01 tập thể (Trường THPT chuyên Biên Hòa).\n"
        "2. Huân chương Lao động hạng Ba: 02 tập thể (Bệnh viện Đa khoa tỉnh; Công ty TNHH Kyocera) và 03 cá "
        "nhân.",
    )
    assert info is not None
    assert info.stage is Stage.PROPOSED
    assert ("Huân chương Lao động hạng Ba", 2, 3) in _per_form(info)


def test_each_residential_group_takes_the_count_before() -> None:
    info = detect_award(
        "Khen thưởng tổ dân phố tiêu biểu",
        "Ngày 19/8/2022, Công an thành phố tổ chức Ngày hội toàn dân bảo vệ an ninh Tổ quốc.",
        "Dịp này, 06 tổ dân phố có thành tích tiêu biểu được biểu dương; mỗi tổ được tặng Giấy khen của "
        "Chủ tịch "
        "UBND thành phố kèm tiền thưởng.",
    )
    assert _per_form(info) == [("Giấy khen của Chủ tịch UBND thành phố", 6, None)]


def test_a_leader_speaking_about_awards_gives_no_card() -> None:
    info = detect_award(
        "Phát động đợt thi đua cao điểm",
        "UBND tỉnh vừa ban hành kế hoạch phát động đợt thi đua cao điểm năm 2024.",
        "Ông Nguyễn Văn An, Phó Chủ tịch Thường trực UBND tỉnh nhấn mạnh: “Thi đua phải thiết thực; khen "
        "thưởng phải chính xác, kịp thời”.",
    )
    assert info is None


def test_a_share_target_gives_no_card() -> None:
    info = detect_award(
        "Đặt mục tiêu văn hóa công sở",
        "UBND tỉnh vừa ban hành kế hoạch năm 2026.",
        "Mỗi năm có ít nhất 70% tập thể đạt danh hiệu “Tập thể lao động tiên tiến”.",
    )
    assert info is None


def test_the_award_a_revocation_takes_back_is_no_conferral() -> None:
    info = detect_award(
        "Thu hồi Bằng khen đã tặng cho doanh nghiệp vi phạm",
        "Chủ tịch UBND tỉnh vừa ký quyết định hủy bỏ quyết định khen thưởng và thu hồi Bằng khen đã tặng cho "
        "Công ty A.",
        "Năm 2024, công ty được Chủ tịch UBND tỉnh Bến Tre (cũ) tặng Bằng khen vì có thành tích.",
    )
    assert info is None


def test_givers_together_leave_each_forms_count_unsaid() -> None:
    info = detect_award(
        "Tổng kết 15 năm cuộc vận động",
        "Ngày 10/11/2024, tỉnh tổ chức hội nghị tổng kết.",
        "Dịp này, Ban Thường vụ Tỉnh ủy, UBND tỉnh và Ủy ban MTTQ Việt Nam tỉnh đã tặng Bằng khen cho 15 tập "
        "thể và 22 cá nhân.",
    )
    assert info is not None
    assert all((c.collectives, c.individuals) == (None, None) for c in info.counts)


def test_the_articles_own_unit_by_its_kind_and_a_post_beside_counted_people() -> None:
    district = detect_award(
        "Huyện đón nhận Cờ thi đua của Chính phủ",
        "Ngày 30/4/2019, huyện tổ chức lễ kỷ niệm.",
        "Cùng dịp, huyện đón nhận Cờ thi đua của Chính phủ do đã hoàn thành xuất sắc nhiệm vụ.",
    )
    assert _per_form(district) == [("Cờ thi đua của Chính phủ", 1, None)]
    post = detect_award(
        "Đồn Biên phòng đón nhận danh hiệu",
        "Sáng 2/3/2024, Bộ Chỉ huy Bộ đội Biên phòng tỉnh tổ chức lễ.",
        "Dịp này, Chủ tịch UBND tỉnh tặng Bằng khen cho đồn và 02 cá nhân có thành tích xuất sắc.",
    )
    assert _per_form(post) == [("Bằng khen của Chủ tịch UBND tỉnh", 1, 2)]


def test_each_model_takes_the_count_stated_a_paragraph_before() -> None:
    info = detect_award(
        "Tỉnh đoàn tuyên dương thanh niên tiên tiến",
        "Ngày 19/5/2020, Tỉnh đoàn tổ chức lễ tuyên dương.",
        "Bốn mươi lăm gương thanh niên được tuyên dương trong nhiều lĩnh vực. Tiêu biểu có anh Võ Minh "
        "Tâm.\n\n"
        "Mỗi gương thanh niên tiêu biểu được Ban Chấp hành Tỉnh đoàn tặng Bằng khen và biểu trưng.",
    )
    assert _per_form(info) == [("Bằng khen của Ban Chấp hành Tỉnh đoàn", None, 45)]
