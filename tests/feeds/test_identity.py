from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.domain.identity import entry_key, fix_nukeviet_pubdate, is_nukeviet_minute_bug, normalise_url

FEED = "https://sotttt.tayninh.gov.vn/vi/news/rss/"
LINK = "https://sotttt.tayninh.gov.vn/vi/news/tin-hoat-dong/hoi-nghi-dien-hinh-tien-tien-so-thong-tin-va-truyen-thong-1234.html"


def test_guid_gives_host_module_id():
    assert entry_key("news_1234", LINK, FEED) == "sotttt.tayninh.gov.vn/news/1234"


def test_guid_whitespace_stripped():
    assert entry_key("\n  news_1234 \t", LINK, FEED) == "sotttt.tayninh.gov.vn/news/1234"


def test_link_id_agrees_with_guid():
    assert entry_key(None, LINK, FEED) == entry_key("news_1234", LINK, FEED)
    assert entry_key(None, LINK + "#comment", FEED) == "sotttt.tayninh.gov.vn/news/1234"


def test_garbled_slug_same_id_same_key():
    other = "https://SOTTTT.tayninh.gov.vn/vi/news/tin-hoat-dong/h-i-ngh-i-n-h-nh-1234.html?utm_source=zalo"
    assert entry_key(None, other, FEED) == "sotttt.tayninh.gov.vn/news/1234"


def test_guid_without_link_uses_feed_host():
    assert entry_key("news_1302", None, FEED) == "sotttt.tayninh.gov.vn/news/1302"


def test_www_dropped_from_host():
    assert (
        entry_key("news_7", "https://www.tayninh.gov.vn/vi/news/a/b-7.html", FEED) == "tayninh.gov.vn/news/7"
    )


def test_other_module_guid():
    assert (
        entry_key("thong-bao_55", None, "https://tayninh.gov.vn/vi/thong-bao/rss/")
        == "tayninh.gov.vn/thong-bao/55"
    )


def test_relative_link_resolved_against_feed():
    assert entry_key(None, "/vi/news/tin-hoat-dong/x-99.html", FEED) == "sotttt.tayninh.gov.vn/news/99"


def test_link_without_id_is_normalised():
    key = entry_key(None, "HTTPS://Example.VN:443/tin/bai-viet?id=5&utm_source=fb&fbclid=abc#top", FEED)
    assert key == "https://example.vn/tin/bai-viet?id=5"


def test_normalise_url_keeps_real_params_and_port():
    assert normalise_url("http://Example.vn:8080/a?b=1&utm_medium=x") == "http://example.vn:8080/a?b=1"
    assert normalise_url("https://example.vn") == "https://example.vn/"


def test_unknown_guid_is_hashed_stably():
    a = entry_key("urn:uuid:abc", None, FEED)
    assert a == entry_key("urn:uuid:abc", None, FEED)
    assert a.startswith("sotttt.tayninh.gov.vn/guid/")
    assert a != entry_key("urn:uuid:abd", None, FEED)


def test_title_only_and_nothing():
    assert entry_key(None, None, FEED, title="Tin  chỉ có tiêu đề").startswith("sotttt.tayninh.gov.vn/title/")
    assert entry_key(None, None, FEED, title="Tin chỉ có tiêu đề") == entry_key(
        None, None, FEED, title="Tin  chỉ có tiêu đề"
    )
    with pytest.raises(ValueError):
        entry_key(None, "  ", FEED)


def test_fix_pubdate_seed_example():
    # 28/06/2020 18:00 +07 is written "Sun, 28 Jun 2020 11:06:00 GMT"
    written = datetime(2020, 6, 28, 11, 6, 0, tzinfo=UTC)
    assert is_nukeviet_minute_bug(written)
    fixed = fix_nukeviet_pubdate(written)
    assert fixed == datetime(2020, 6, 28, 11, 0, tzinfo=UTC)
    assert fixed.tzinfo == UTC
    local = fixed.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    assert (local.year, local.month, local.day, local.hour, local.minute) == (2020, 6, 28, 18, 0)


def test_fix_pubdate_keeps_hour_of_written_offset_and_naive_is_utc():
    plus7 = datetime(2020, 12, 1, 9, 12, 33, tzinfo=timezone(timedelta(hours=7)))
    assert fix_nukeviet_pubdate(plus7) == datetime(2020, 12, 1, 2, 0, tzinfo=UTC)
    assert fix_nukeviet_pubdate(datetime(2020, 1, 5, 23, 1, 59)) == datetime(2020, 1, 5, 23, 0, tzinfo=UTC)


def test_minute_bug_heuristic():
    assert not is_nukeviet_minute_bug(datetime(2020, 6, 28, 11, 7, tzinfo=UTC))
