"""Award look-up over stored facts: accent-insensitive, whole words, only facts with evidence."""

from __future__ import annotations

from bot.domain.awards.search import award_query, match_award
from bot.domain.models import AwardInfo, Evidence, Recipient, Stage

SENTENCE = "Chủ tịch UBND tỉnh đã tặng bằng khen cho bà Nguyễn Thị Kiều Oanh - Chuyên viên Phòng CNTT."
AWARD = AwardInfo(
    stage=Stage.CONFERRED,
    kinds=("Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở"),
    authorities=("Chủ tịch UBND tỉnh", "Giám đốc Sở"),
    recipients=(Recipient("Nguyễn Thị Kiều Oanh", "Chuyên viên Phòng CNTT"), Recipient("Trần Văn Thoanh")),
    evidence=(
        Evidence("kind", "Bằng khen của Chủ tịch UBND tỉnh", SENTENCE),
        Evidence("kind", "Giấy khen của Giám đốc Sở", "Giám đốc Sở tặng Giấy khen cho 9 tập thể."),
        Evidence("authority", "Chủ tịch UBND tỉnh", SENTENCE),
        Evidence("authority", "Giám đốc Sở", "Giám đốc Sở tặng Giấy khen cho 9 tập thể."),
        Evidence("recipient", "Nguyễn Thị Kiều Oanh", SENTENCE),
    ),
)


def test_a_name_without_diacritics_finds_the_recipient_and_only_her_award() -> None:
    found = match_award(AWARD, award_query("nguyen thi KIEU oanh"))
    assert found is not None
    assert [r.name for r in found.recipients] == ["Nguyễn Thị Kiều Oanh"]
    assert found.kinds == ("Bằng khen của Chủ tịch UBND tỉnh",) and found.authorities == (
        "Chủ tịch UBND tỉnh",
    )


def test_an_organisation_in_the_position_finds_the_recipient() -> None:
    found = match_award(AWARD, award_query("phòng cntt"))
    assert found is not None and found.recipients[0].name == "Nguyễn Thị Kiều Oanh"


def test_whole_words_in_a_row_and_no_recipient_without_evidence() -> None:
    assert match_award(AWARD, award_query("oan")) is None  # not inside "Oanh"
    assert match_award(AWARD, award_query("oanh kieu")) is None  # the words in a row, in order
    assert match_award(AWARD, award_query("thoanh")) is None  # named, but no sentence proves it
    assert match_award(AWARD, award_query(".*")) is None and award_query(".*") == ""
    assert match_award(None, "oanh") is None
