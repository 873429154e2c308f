"""How a feed is named to citizens and admins before its first poll tells its title."""

from __future__ import annotations

from bot.services.health import address_label


def test_a_feed_without_a_name_is_shown_by_its_site_and_category_before_its_first_poll() -> None:
    assert address_label("https://sokhcn.tayninh.gov.vn/vi/news/rss/") == "sokhcn.tayninh.gov.vn"
    assert address_label("https://www.sotttt.tayninh.gov.vn/vi/news/rss/thong-bao/") == (
        "sotttt.tayninh.gov.vn › thong-bao"
    )
