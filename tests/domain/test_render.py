"""Rendering: escaped feed text, Telegram's limits, the headline first, digests split cleanly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import AwardInfo
from bot.domain.render import CAPTION_LIMIT, TEXT_LIMIT, fit_sentences, render_article, render_digest
from tests.standin import parse_html

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class Art:
    title: str = "Sở tổ chức hội nghị"
    summary: str = "Hội nghị diễn ra sáng 25/11. Có 80 đại biểu tham dự."
    link: str = "https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/hoi-nghi-12.html?a=1&b=2"
    image: str | None = "https://sokhcn.tayninh.gov.vn/uploads/12.jpg"
    kind: str = "article"
    award: AwardInfo | None = None
    published_at: datetime | None = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    source: str | None = None
    extra: list[str] = field(default_factory=list)


def visible(html_text: str) -> str:
    return parse_html(html_text).text


@pytest.mark.parametrize(
    "title",
    ["<script>alert(1)</script> & <b>đậm</b>", "Giá 5 < 10 & 10 > 5", "Trích \"dẫn\" & 'nháy'", "A &amp; B"],
)
def test_hostile_titles_arrive_as_plain_words(title: str) -> None:
    out = render_article(Art(title=title), "vi", VN)
    shown = visible(out.text)  # raises like Telegram would if the HTML were broken
    assert title in shown


def test_photo_caption_stays_within_1024_and_ends_with_a_sentence() -> None:
    long = " ".join(f"Câu thứ {i} nói về chuyển đổi số của tỉnh." for i in range(200))
    out = render_article(Art(summary=long), "vi", VN)
    assert out.photo is not None
    shown = visible(out.text)
    assert len(shown) <= CAPTION_LIMIT
    summary_part = shown.split("\n\n")[1]
    assert summary_part.endswith(".")
    assert out.button_url == Art().link and out.button_text and "Đọc tiếp" in out.button_text


def test_text_message_without_image_uses_the_larger_limit() -> None:
    long = " ".join(f"Câu thứ {i} nói về chuyển đổi số của tỉnh." for i in range(400))
    out = render_article(Art(summary=long, image=None), "vi", VN)
    assert out.photo is None
    assert CAPTION_LIMIT < len(visible(out.text)) <= TEXT_LIMIT


def test_date_is_local_and_vietnamese() -> None:
    out = render_article(Art(), "vi", VN)
    assert "25/11/2026 09:30" in visible(out.text)


def test_award_message_opens_with_the_headline_then_who_received_what_from_whom() -> None:
    award = AwardInfo.from_json(
        {
            "stage": "conferred",
            "kinds": ["Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Giám đốc Sở"],
            "authorities": ["Chủ tịch UBND tỉnh", "Giám đốc Sở"],
            "recipients": [{"name": "Nguyễn Thị Kiều Oanh", "position": "Chuyên viên Phòng <CNTT>"}],
            "collectives": 9,
            "individuals": 12,
            "decision": "1234/QĐ-UBND",
        }
    )
    out = render_article(Art(kind="award", award=award), "vi", VN)
    shown = visible(out.text)
    lines = shown.splitlines()
    assert lines[0] == "Sở tổ chức hội nghị"  # what a phone's notification shows
    assert lines[2] == "🏅 KHEN THƯỞNG"
    assert shown.index("Bằng khen của Chủ tịch UBND tỉnh") < shown.index("Hội nghị diễn ra sáng 25/11")
    assert "Nguyễn Thị Kiều Oanh (Chuyên viên Phòng <CNTT>)" in shown
    assert "9 tập thể, 12 cá nhân" in shown and "1234/QĐ-UBND" in shown
    assert Art().link not in out.text and out.button_url == Art().link  # the link once: the button
    english = visible(render_article(Art(kind="award", award=award), "en", VN).text)
    assert english.startswith("Sở tổ chức hội nghị\n\n🏅 AWARD")
    assert "9 collectives, 12 individuals" in english


def test_a_withdrawn_article_says_so_above_its_headline() -> None:
    shown = visible(render_article(Art(), "vi", VN, withdrawn=True).text).splitlines()
    assert shown[1] == "Sở tổ chức hội nghị" and shown[0] != shown[1]


def test_fit_sentences_never_cuts_mid_word() -> None:
    assert fit_sentences("Một câu. Hai câu.", 10) == "Một câu."
    cut = fit_sentences("Mộtcâurấtdàikhôngcódấucách nhưng vẫn phải cắt gọn", 20)
    assert cut.endswith("…") and len(cut) <= 20


def test_digest_is_split_into_valid_messages_awards_first() -> None:
    items = [
        Art(title=f"Bài số {i} " + "x" * 120, kind="award" if i % 10 == 0 else "article") for i in range(80)
    ]
    messages = render_digest(items, "vi", VN, "Tin trong ngày")
    assert len(messages) > 1
    for message in messages:
        assert len(visible(message)) <= TEXT_LIMIT
    first = visible(messages[0]).splitlines()
    assert first[0] == "Tin trong ngày" and first[1].startswith("🏅")


def test_lengths_are_counted_in_utf16_code_units_as_telegram_does() -> None:
    from bot.domain.render import cut_units, telegram_length, visible_length

    assert visible_length("<b>🏅 Khen</b> &amp; thưởng") == telegram_length("🏅 Khen & thưởng") == 16
    assert cut_units("🏅🏅x", 3) == "🏅"  # never half of a surrogate pair
    fitted = fit_sentences("Một 🎉🎉. Hai 🎉🎉. Ba 🎉🎉.", 20)
    assert fitted == "Một 🎉🎉. Hai 🎉🎉." and telegram_length(fitted) == 19
    cut = fit_sentences("🎉" * 30 + " rồi hết", 21)
    assert cut.endswith("…") and telegram_length(cut) <= 21


@dataclass
class PhotoArt(Art):
    images: tuple[str, ...] = ()
    attachments: tuple[tuple[str, str], ...] = ()


SITE = "https://sokhcn.tayninh.gov.vn/uploads/"
FULL = "https://bot.sokhcn.tayninh.gov.vn/bai/12"


def test_several_photos_make_an_album_of_at_most_ten_with_its_links_in_a_caption_within_1024() -> None:
    long = " ".join(f"Câu thứ {i} nói về chuyển đổi số của tỉnh." for i in range(200))
    files = tuple((f"{SITE}qd-{i}.pdf", f"Quyết định số {i}/QĐ-SKHCN") for i in range(6))
    art = PhotoArt(summary=long, images=tuple(f"{SITE}{i}.jpg" for i in range(14)), attachments=files)
    out = render_article(art, "vi", VN, full_text_url=FULL)
    assert out.album == tuple(f"{SITE}{i}.jpg" for i in range(10))
    assert out.keyboard == []  # an album takes no buttons: the links are in the caption
    parsed = parse_html(out.text)
    assert len(parsed.text) <= CAPTION_LIMIT
    links = [e["url"] for e in parsed.entities if e["type"] == "text_link"]
    assert links[:2] == [art.link, FULL]
    assert links[2:6] == [url for url, _ in files[:4]]
    assert links[6] == art.link and "2 tệp đính kèm khác" in parsed.text  # none left out silently
    assert out.single is not None and out.single.album == () and out.single.photo == art.image
    assert out.single.keyboard[1] == [{"text": "📰 Đọc toàn văn", "url": FULL}]


def test_one_photo_keeps_one_message_with_the_full_text_and_each_attachment_as_buttons() -> None:
    art = PhotoArt(images=(f"{SITE}12.jpg",), attachments=((f"{SITE}qd.pdf", ""),))
    out = render_article(art, "en", VN, full_text_url=FULL + "?hl=en")
    assert out.album == () and out.photo == art.image
    assert [row[0]["text"] for row in out.keyboard] == ["📖 Read more", "📰 Full text", "📎 qd.pdf"]
    bare = render_article(art, "vi", VN)
    assert [row[0]["text"] for row in bare.keyboard] == ["📖 Đọc tiếp", "📎 qd.pdf"]  # no page: no button
    withdrawn = render_article(PhotoArt(images=(f"{SITE}1.jpg", f"{SITE}2.jpg")), "vi", VN, withdrawn=True)
    assert withdrawn.album == ()  # an edit changes one message's caption, never an album
