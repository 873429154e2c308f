from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.feeds.parse import FeedError, parse_feed
from tests.data.make_feed import make_feed

DATA = Path(__file__).resolve().parent.parent / "data"
FEED_URL = "https://sotttt.tayninh.gov.vn/vi/news/rss/"
HOST = "sotttt.tayninh.gov.vn"
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def load(name: str) -> bytes:
    return (DATA / "feeds" / name).read_bytes()


def by_key(feed):
    return {e.key: e for e in feed.entries}


def test_site_feed_30_items_ids_in_feed_order():
    feed = parse_feed(load("site-30.xml"), FEED_URL)
    assert feed.title == "Sở Thông tin và Truyền thông tỉnh Tây Ninh"
    assert feed.warning is None
    assert len(feed.entries) == 30
    assert [e.key for e in feed.entries][:3] == [
        f"{HOST}/news/1236",
        f"{HOST}/news/1235",
        f"{HOST}/news/1234",
    ]
    assert len({e.key for e in feed.entries}) == 30
    assert all(e.guid and e.guid.startswith("news_") for e in feed.entries)


def test_seed_entry():
    seed = by_key(parse_feed(load("site-30.xml"), FEED_URL))[f"{HOST}/news/1234"]
    assert seed.title == "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông"
    assert seed.link == (
        "https://sotttt.tayninh.gov.vn/vi/news/tin-hoat-dong/"
        "hoi-nghi-dien-hinh-tien-tien-so-thong-tin-va-truyen-thong-1234.html"
    )
    assert (
        seed.thumbnail == "https://sotttt.tayninh.gov.vn/assets/news/2020_06/hoi-nghi-dien-hinh-tien-tien.jpg"
    )
    assert seed.lead.startswith("Ngày 26.6, Sở Thông tin và Truyền thông tỉnh Tây Ninh")
    assert "<" not in seed.lead
    # "Sun, 28 Jun 2020 11:06:00 GMT" -> date and hour trusted, minute 0
    assert seed.published == datetime(2020, 6, 28, 11, 0, tzinfo=UTC)
    assert seed.published.astimezone(VN).hour == 18


def test_minute_bug_fixed_everywhere():
    feed = parse_feed(load("site-30.xml"), FEED_URL)
    for e in feed.entries:
        assert e.published is not None and e.published.tzinfo is not None
        assert e.published.minute == 0 and e.published.second == 0


def test_titles_unescaped_once_more():
    entries = by_key(parse_feed(load("site-30.xml"), FEED_URL))
    assert entries[f"{HOST}/news/1236"].title == (
        "Tây Ninh: Triển khai nền tảng hỗ trợ tư vấn, khám chữa bệnh từ xa (Telehealth)"
    )
    assert entries[f"{HOST}/news/1235"].title == "Thông báo: Lịch tiếp công dân tháng 7/2020 của Giám đốc Sở"
    # stored "&amp;nbsp;" -> a plain space
    assert entries[f"{HOST}/news/1233"].title == (
        "Hướng dẫn tuyên truyền kỷ niệm 95 năm Ngày Báo chí Cách mạng Việt Nam (21/6/1925 - 21/6/2020)"
    )
    # numeric character references straight in the XML
    assert entries[f"{HOST}/news/1228"].title == 'Hội thảo "Chính quyền điện tử - Thực trạng và giải pháp"'


def test_lead_br_becomes_lines_and_thumbnail_missing():
    entries = by_key(parse_feed(load("site-30.xml"), FEED_URL))
    assert entries[f"{HOST}/news/1232"].lead == (
        "Tối 19.6, UBND tỉnh tổ chức lễ trao Giải Báo chí tỉnh Tây Ninh lần thứ VI.\n"
        "Ban tổ chức đã trao 4 giải A, 6 giải B, 8 giải C và 12 giải khuyến khích."
    )
    assert entries[f"{HOST}/news/1235"].thumbnail is None


def test_new_item_detected_by_key():
    old = {e.key for e in parse_feed(load("site-30.xml"), FEED_URL).entries}
    new = parse_feed(load("site-31.xml"), FEED_URL)
    added = [e for e in new.entries if e.key not in old]
    assert [e.key for e in added] == [f"{HOST}/news/1237"]
    assert added[0].published == datetime(2020, 7, 1, 2, 0, tzinfo=UTC)


def test_category_feed_relative_thumbnail_resolved():
    feed = parse_feed(load("category-tin-hoat-dong.xml"), FEED_URL + "tin-hoat-dong/")
    assert feed.title.endswith("Tin hoạt động")
    assert feed.entries[0].key == f"{HOST}/news/1234"
    assert feed.entries[0].thumbnail == "https://sotttt.tayninh.gov.vn/assets/news/2020_06/1234.jpg"


def test_truncated_feed_survives_with_warning():
    feed = parse_feed(load("broken-truncated.xml"), FEED_URL)
    assert feed.warning
    assert len(feed.entries) == 14  # the 15th item is cut: dropped until it arrives whole
    assert feed.entries[2].key == f"{HOST}/news/1234"
    assert feed.entries[2].published == datetime(2020, 6, 28, 11, 0, tzinfo=UTC)


def test_truncated_before_any_item_raises():
    body = load("site-30.xml")
    with pytest.raises(FeedError):
        parse_feed(body[: body.index(b"<item>") + 20], FEED_URL)


def test_wrong_charset_read_as_utf8_with_warning():
    feed = parse_feed(load("wrong-charset.xml"), FEED_URL)
    assert "charset" in (feed.warning or "")
    assert feed.title == "Sở Thông tin và Truyền thông tỉnh Tây Ninh"
    assert feed.entries[2].title == "Hội nghị Điển hình tiên tiến Sở Thông tin và Truyền thông"


def test_flood_blocker_html_is_not_a_feed():
    with pytest.raises(FeedError, match="not a feed"):
        parse_feed(load("flood-blocker.html"), FEED_URL)


@pytest.mark.parametrize("body", [b"", b"   ", b"<html><body>Hello</body></html>", b"\x00\xff garbage"])
def test_garbage_is_not_a_feed(body):
    with pytest.raises(FeedError):
        parse_feed(body, FEED_URL)


def test_a_path_like_body_is_never_opened():
    with pytest.raises(FeedError):
        parse_feed(b"/etc/passwd", FEED_URL)
    with pytest.raises(FeedError):
        parse_feed(b"https://example.com/feed", FEED_URL)


def test_empty_feed_is_fine():
    feed = parse_feed(make_feed([]), FEED_URL)
    assert feed.entries == () and feed.warning is None


def test_missing_guid_and_link():
    feed = parse_feed(load("missing-guid.xml"), FEED_URL)
    titles = [e.title for e in feed.entries]
    assert len(feed.entries) == 4  # the empty item is dropped
    no_guid, no_link, title_only, spaced = feed.entries
    assert no_guid.guid is None and no_guid.key == f"{HOST}/news/1301"
    assert no_link.link == "" and no_link.key == f"{HOST}/news/1302"
    assert title_only.key.startswith(f"{HOST}/title/") and title_only.published is None
    assert spaced.guid == "news_1303" and spaced.key == f"{HOST}/news/1303"
    assert "Tin chỉ có tiêu đề" in titles


def test_hostile_titles_kept_as_literal_text():
    feed = parse_feed(load("hostile-titles.xml"), FEED_URL)
    assert feed.warning  # a control character makes the XML malformed; entries survive
    e = by_key(feed)
    assert e[f"{HOST}/news/1401"].title == "<script>alert(1)</script> Tin thử nghiệm"
    assert e[f"{HOST}/news/1401"].lead == "Nội dung in đậm & thường."  # script dropped from the lead
    assert e[f"{HOST}/news/1402"].title == "<b>Tin nổi bật</b> trong tuần"
    assert e[f"{HOST}/news/1403"].title == "Tiêu đề có ký tự điều khiển và nhiều khoảng trắng"
    assert e[f"{HOST}/news/1404"].thumbnail is None  # javascript: URL refused
    assert e[f"{HOST}/news/1404"].lead == "Đoạn một.\nĐoạn hai\ndòng tiếp theo."
    nfd = e[f"{HOST}/news/1405"].title
    assert nfd.startswith("Tiêu đề tổ hợp (NFD)")  # NFC-normalised
    assert nfd.endswith("<img src=x onerror=alert(1)>")


def test_duplicate_items_keep_first():
    published = datetime(2020, 6, 28, 18, 0, tzinfo=VN)
    body = make_feed(
        [
            {"id": 5, "title": "Bản mới", "published": published},
            {"id": 5, "title": "Bản cũ", "published": published},
        ]
    )
    feed = parse_feed(body, FEED_URL)
    assert [e.title for e in feed.entries] == ["Bản mới"]


def test_non_nukeviet_feed_keeps_minutes():
    body = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Other</title>
    <item><title>A</title><link>https://baotayninh.vn/a-b-c.html</link>
    <pubDate>Sun, 28 Jun 2020 11:06:00 GMT</pubDate></item></channel></rss>"""
    feed = parse_feed(body, "https://baotayninh.vn/rss")
    assert feed.entries[0].published == datetime(2020, 6, 28, 11, 6, tzinfo=UTC)
    assert feed.entries[0].key == "https://baotayninh.vn/a-b-c.html"


def test_nukeviet_feed_with_correct_minutes_is_left_alone():
    body = make_feed([{"id": 1, "title": "A", "published": datetime(2020, 6, 28, 18, 0, tzinfo=VN)}])
    body = body.replace(b"11:06:00 GMT", b"11:37:00 GMT")
    feed = parse_feed(body, FEED_URL)
    assert feed.entries[0].published == datetime(2020, 6, 28, 11, 37, tzinfo=UTC)


def test_make_feed_roundtrip_for_e2e():
    items = [
        {
            "id": 2000 + i,
            "title": f"Tin số {i}: (thử)",
            "published": datetime(2021, 3, i + 1, 8, 30, tzinfo=VN),
        }
        for i in range(3)
    ]
    feed = parse_feed(make_feed(items), FEED_URL)
    assert [e.title for e in feed.entries] == ["Tin số 0: (thử)", "Tin số 1: (thử)", "Tin số 2: (thử)"]
    assert feed.entries[0].published == datetime(2021, 3, 1, 1, 0, tzinfo=UTC)
