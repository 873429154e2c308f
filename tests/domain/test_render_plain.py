"""Plain-text rendering for Zalo: no markup ever, links written out, Zalo's 2000-unit limit, the headline
first, numbered choices instead of buttons, every text from the catalogs in both languages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.domain.models import AwardInfo
from bot.domain.render_plain import (
    PLAIN_LIMIT,
    html_to_plain,
    plain_length,
    render_article_plain,
    render_broadcast_plain,
    render_digest_plain,
    render_help_plain,
    render_menu_plain,
    split_plain,
    text,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LINK = "https://sokhcn.tayninh.gov.vn/vi/news/tin-tuc/hoi-nghi-12.html?a=1&b=2"
TAGS = re.compile(r"</?(b|i|a|u|s|code|pre|blockquote|tg-spoiler)\b[^>]*>")
AWARD = AwardInfo.from_json(
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


@dataclass
class Art:
    title: str = "Sở tổ chức hội nghị"
    summary: str = "Hội nghị diễn ra sáng 25/11. Có 80 đại biểu tham dự."
    link: str = LINK
    image: str | None = "https://sokhcn.tayninh.gov.vn/uploads/12.jpg"
    kind: str = "article"
    award: AwardInfo | None = None
    published_at: datetime | None = datetime(2026, 11, 25, 2, 30, tzinfo=UTC)
    source: str | None = None
    attachments: list[tuple[str, str]] = field(default_factory=list)


def test_an_article_is_headline_summary_date_and_its_link_in_plain_text() -> None:
    out = render_article_plain(Art(source="Sở KH&CN"), "vi", VN)
    assert out.photo == Art().image
    assert out.text == (
        "Sở tổ chức hội nghị\n\n"
        "Hội nghị diễn ra sáng 25/11. Có 80 đại biểu tham dự.\n\n"
        "25/11/2026 09:30 · Nguồn: Sở KH&CN\n"
        f"📖 Đọc tiếp: {LINK}"
    )


@pytest.mark.parametrize(
    "title", ["<script>alert(1)</script> & <b>đậm</b>", "Giá 5 < 10 & 10 > 5", "A &amp; B"]
)
def test_feed_text_is_shown_exactly_as_written(title: str) -> None:
    out = render_article_plain(Art(title=title, summary=f"Tóm tắt {title}."), "en", VN)
    assert out.text.startswith(title + "\n\n") and f"Tóm tắt {title}." in out.text
    assert "&amp;" not in out.text.replace("A &amp; B", "")


def test_an_award_shows_its_facts_in_plain_text_after_the_headline() -> None:
    shown = render_article_plain(Art(kind="award", award=AWARD), "vi", VN).text
    lines = shown.splitlines()
    assert lines[0] == "Sở tổ chức hội nghị" and lines[2] == "🏅 KHEN THƯỞNG"
    assert shown.index("Bằng khen của Chủ tịch UBND tỉnh") < shown.index("Hội nghị diễn ra sáng 25/11")
    assert "Nguyễn Thị Kiều Oanh (Chuyên viên Phòng <CNTT>)" in shown
    assert "9 tập thể, 12 cá nhân" in shown and "1234/QĐ-UBND" in shown
    assert not TAGS.search(shown) and "&lt;" not in shown
    english = render_article_plain(Art(kind="award", award=AWARD), "en", VN).text
    assert (
        english.startswith("Sở tổ chức hội nghị\n\n🏅 AWARD") and "9 collectives, 12 individuals" in english
    )


def test_a_long_summary_is_shortened_to_whole_sentences_within_zalos_limit() -> None:
    long = " ".join(f"Câu thứ {i} nói về chuyển đổi số của tỉnh 🏅." for i in range(300))
    out = render_article_plain(Art(summary=long, kind="award", award=AWARD), "vi", VN)
    assert plain_length(out.text) <= PLAIN_LIMIT and plain_length(out.text) > PLAIN_LIMIT - 80
    summary = out.text.split("\n\n")[2]
    assert summary.endswith("🏅.") and out.text.endswith(LINK)  # the link survives, the summary shrinks


def test_a_pathological_title_is_shortened_and_the_message_still_fits() -> None:
    out = render_article_plain(Art(title="Tiêu đề rất dài. " * 300), "vi", VN)
    assert plain_length(out.text) <= PLAIN_LIMIT and LINK in out.text


def test_withdrawn_correction_reason_full_text_and_attachments() -> None:
    files = [(f"https://sokhcn.tayninh.gov.vn/f/{i}.pdf", f"Quyết định {i}") for i in range(8)]
    withdrawn = render_article_plain(
        Art(), "vi", VN, withdrawn=True, full_text_url="https://bot.example/bai/1"
    )
    assert withdrawn.text.splitlines()[0] == "⚠️ Sở đã gỡ bài viết này." and withdrawn.photo is None
    assert "bai/1" not in withdrawn.text
    out = render_article_plain(
        Art(attachments=files), "en", VN, reason="chuyển đổi số", full_text_url="https://bot.example/bai/1"
    )
    lines = out.text.splitlines()
    assert any("chuyển đổi số" in line and line.startswith("🔔") for line in lines)
    assert "📰 Full text: https://bot.example/bai/1" in lines
    assert "📎 Quyết định 0: https://sokhcn.tayninh.gov.vn/f/0.pdf" in lines
    assert sum(line.startswith("📎") for line in lines) == 7  # six files and "2 more" pointing to the page
    assert lines[-1].endswith(LINK)


def test_unsafe_links_are_left_out() -> None:
    out = render_article_plain(Art(link="javascript:alert(1)", image="data:image/png;base64,AA"), "vi", VN)
    assert "javascript" not in out.text and out.photo is None


def test_a_digest_lists_headlines_with_links_awards_first_split_between_entries() -> None:
    items = [Art(title=f"Tin {i}", link=f"{LINK}&n={i}") for i in range(60)]
    items.append(Art(title="Trao bằng khen", kind="award", link=f"{LINK}&award=1"))
    messages = render_digest_plain(items, "vi", VN, "Bản tin hằng ngày")
    assert len(messages) >= 2 and all(plain_length(m) <= PLAIN_LIMIT for m in messages)
    first = messages[0].splitlines()
    assert first[:4] == ["Bản tin hằng ngày", "", "🏅 Trao bằng khen (25/11/2026 09:30)", f"{LINK}&award=1"]
    joined = "\n\n".join(messages)
    assert all(f"• Tin {i} (25/11/2026 09:30)\n{LINK}&n={i}" in joined for i in range(60))


def test_a_broadcast_is_split_at_paragraphs() -> None:
    body = "\n\n".join((f"Đoạn {i}. " + "Thông báo của Sở. " * 30).strip() for i in range(8))
    parts = render_broadcast_plain(body)
    assert len(parts) >= 2 and all(plain_length(p) <= PLAIN_LIMIT for p in parts)
    assert all(p.startswith("Đoạn ") for p in parts) and "\n\n".join(parts) == body


def test_split_plain_cuts_at_lines_then_words_then_anywhere() -> None:
    assert split_plain("  ") == []
    assert split_plain("một hai ba", 6) == ["một", "hai ba"]
    assert split_plain("x" * 11, 4) == ["xxxx", "xxxx", "xxx"]
    assert split_plain("🏅🏅🏅", 4) == ["🏅🏅", "🏅"]


def test_a_numbered_menu_replaces_buttons() -> None:
    menu = render_menu_plain("<b>Cài đặt</b>", ["Tất cả tin", "Chỉ tin khen thưởng"], "vi", current=1)
    assert (
        menu
        == "Cài đặt\n\n1. Tất cả tin ✓\n2. Chỉ tin khen thưởng\n\nTrả lời bằng một số từ 1 đến 2 để chọn."
    )
    assert render_menu_plain("", ["A", "B", "C"], "en").endswith("Reply with a number from 1 to 3 to choose.")


def test_help_lists_the_commands_and_the_words_in_both_languages() -> None:
    for lang in ("vi", "en"):
        shown = render_help_plain(lang)
        assert not TAGS.search(shown) and "&lt;" not in shown
        for command in ("/start", "/stop", "/help", "/latest", "/awards", "/search", "/settings"):
            assert f"\n{command} — " in shown
        assert "dang ky" in shown
    assert render_help_plain("vi").startswith("Các lệnh\n") and render_help_plain("en").startswith(
        "Commands\n"
    )


def test_catalog_texts_lose_their_html_but_keep_values_exactly() -> None:
    welcome = text("welcome", "vi", department="Sở <KH&CN>")
    assert "Sở <KH&CN>" in welcome and "<b>" not in welcome
    assert html_to_plain('Xem <a href="https://a.vn/x?a=1&amp;b=2">tại đây</a> &amp; <i>thêm</i>') == (
        "Xem tại đây (https://a.vn/x?a=1&b=2) & thêm"
    )
    assert html_to_plain('<a href="https://a.vn">https://a.vn</a>') == "https://a.vn"
