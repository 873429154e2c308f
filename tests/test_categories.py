"""The site's categories: read from an article's link and named by its page's breadcrumb; how a category
and a feed are named to citizens; FEED_URLS items that carry a name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.domain.article import build_article
from bot.domain.choices import category_arg
from bot.domain.identity import category_alias
from bot.domain.models import FeedEntry
from bot.feeds.page import parse_page
from bot.services.health import feed_name
from bot.services.preferences import category_label
from bot.settings import SettingsError, feed_item, load_settings
from bot.store.records import CategoryRecord, FeedRecord

LINK = "https://sokhcn.tayninh.gov.vn/vi/news/thong-bao/lich-tiep-cong-dan-thang-12-1234.html"

# NukeViet 4's default theme: the visible list is filled by a script from the hidden temp-breadcrumbs
PAGE = """<html><head><title>Lịch tiếp công dân</title></head><body>
<div class="breadcrumbs-wrap"><div class="display"><ul class="breadcrumbs list-none"></ul></div>
<ul class="temp-breadcrumbs hidden" itemscope itemtype="https://schema.org/BreadcrumbList">
<li itemprop="itemListElement"><a href="/vi/" itemprop="item" title="Trang nhất">
  <span itemprop="name">Trang nhất</span></a></li>
<li itemprop="itemListElement"><a href="/vi/news/" itemprop="item" title="Tin Tức">
  <span itemprop="name">Tin Tức</span></a></li>
<li itemprop="itemListElement"><a href="/vi/news/thong-bao/" itemprop="item" title="Thông báo">
  <span itemprop="name">Thông báo</span></a></li>
</ul></div>
<h1 class="title">Lịch tiếp công dân tháng 12</h1>
<div id="news-bodyhtml"><p>Sở Khoa học và Công nghệ thông báo lịch tiếp công dân tháng 12.</p></div>
<ul class="related"><li><a href="/vi/news/thi-dua-khen-thuong/">Thi đua – khen thưởng</a></li></ul>
</body></html>""".encode()


def test_the_category_is_the_alias_in_a_nukeviet_article_link() -> None:
    assert category_alias(LINK) == "thong-bao"
    assert category_alias("https://tayninh.gov.vn/news/thi-dua-khen-thuong/trao-bang-khen-77.html") == (
        "thi-dua-khen-thuong"
    )
    # not an article link of a category: no category
    assert category_alias("https://sokhcn.tayninh.gov.vn/vi/news/rss/") is None
    assert category_alias("https://sokhcn.tayninh.gov.vn/vi/bai-viet-12.html") is None
    assert category_alias(None) is None


def test_the_category_name_comes_from_the_breadcrumb_not_from_other_links() -> None:
    page = parse_page(PAGE, LINK)
    assert page.category_name == "Thông báo"
    assert page.title == "Lịch tiếp công dân tháng 12"
    other = LINK.replace("/thong-bao/", "/chuyen-doi-so/")
    assert parse_page(PAGE, other).category_name is None  # the breadcrumb names another category


def test_an_article_carries_its_category_and_its_name() -> None:
    entry = FeedEntry(
        key="k/1", link=LINK, title="Lịch tiếp công dân", published=datetime(2026, 11, 1, tzinfo=UTC)
    )
    article = build_article(entry, parse_page(PAGE, LINK), 700)
    assert (article.category, article.category_name) == ("thong-bao", "Thông báo")
    assert build_article(entry, None, 700).category == "thong-bao"  # the link alone gives the alias


def feed(url: str, name: str | None = None, title: str | None = None) -> FeedRecord:
    fields = dict.fromkeys(FeedRecord.__dataclass_fields__)
    fields.update(id=1, url=url, configured_url=url, name=name, title=title)
    return FeedRecord(**fields)  # type: ignore[arg-type]


def test_a_category_is_named_by_its_pages_else_by_its_feed_else_by_its_alias_in_words() -> None:
    rss = "https://sokhcn.tayninh.gov.vn/vi/news/rss/thong-bao/"
    assert category_label(CategoryRecord("thong-bao", "Thông báo", 3)) == "Thông báo"
    assert category_label(
        CategoryRecord("thong-bao", None, 3), (feed(rss, title="Tin Tức - Thông báo"),)
    ) == ("Thông báo")
    assert category_label(CategoryRecord("thong-bao", None, 3), (feed(rss, name="Thông báo của Sở"),)) == (
        "Thông báo của Sở"
    )
    assert category_label(CategoryRecord("chuyen-doi-so", None, 1)) == "Chuyen doi so"


def test_a_long_alias_goes_into_a_button_as_a_short_hash() -> None:
    assert category_arg("thong-bao") == "thong-bao"
    long = "tin-hoat-dong-cua-so-khoa-hoc-va-cong-nghe-tinh-tay-ninh"
    arg = category_arg(long)
    assert arg.startswith("~") and len(arg) < 20 and arg == category_arg(long)


def test_a_feed_is_named_readably_before_its_first_poll() -> None:
    assert feed_name(feed("https://sokhcn.tayninh.gov.vn/vi/news/rss/thong-bao/")) == (
        "sokhcn.tayninh.gov.vn › thong-bao"
    )
    assert feed_name(
        feed("https://sokhcn.tayninh.gov.vn/index.php?language=vi&nv=news&op=rss/thong-bao")
    ) == ("sokhcn.tayninh.gov.vn › thong-bao")
    assert feed_name(feed("https://sokhcn.tayninh.gov.vn/vi/news/rss/", name="Sở KH&CN")) == "Sở KH&CN"


def test_feed_urls_items_may_carry_a_name() -> None:
    named = feed_item("Thông báo=https://sokhcn.tayninh.gov.vn/vi/news/rss/thong-bao/")
    assert (named.name, named.url) == ("Thông báo", "https://sokhcn.tayninh.gov.vn/vi/news/rss/thong-bao/")
    query = feed_item("https://sokhcn.tayninh.gov.vn/index.php?language=vi&nv=news&op=rss")
    assert query.name is None and query.url.endswith("op=rss")  # a URL's own "=" stays in the URL
    with pytest.raises(ValueError):
        feed_item("Thông báo=ftp://a.gov.vn/rss")


def test_feed_urls_with_names_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "FEED_URLS", "Thông báo=https://a.gov.vn/vi/news/rss/thong-bao/, https://a.gov.vn/vi/news/rss/"
    )
    config = tmp_path / "settings.toml"
    config.write_text("", encoding="utf-8")
    settings = load_settings(config)
    assert [(f.name, f.url) for f in settings.feed_list] == [
        ("Thông báo", "https://a.gov.vn/vi/news/rss/thong-bao/"),
        (None, "https://a.gov.vn/vi/news/rss/"),
    ]
    monkeypatch.setenv("FEED_URLS", "Thông báo=a.gov.vn/rss")
    with pytest.raises(SettingsError, match="FEED_URLS"):
        load_settings(config)
