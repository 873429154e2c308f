"""Caps on what is read of one item: an enormous title, lead, item list or page body is cut, the cut is
logged, and the work stays bounded."""

import logging
import time

import pytest

from bot.feeds.fetch import looks_like_feed
from bot.feeds.page import MAX_BODY_CHARS, parse_page
from bot.feeds.parse import MAX_ITEMS, MAX_LEAD_CHARS, MAX_TITLE_CHARS, FeedError, parse_feed
from tests.data.make_feed import make_feed

FEED_URL = "https://sotttt.tayninh.gov.vn/vi/news/rss/"
PAGE_URL = "https://sotttt.tayninh.gov.vn/vi/news/tin-hoat-dong/bai-viet-1234.html"


def test_huge_title_and_lead_are_cut_and_logged(caplog):
    body = make_feed(
        [
            {"id": 2, "title": "Tin bình thường", "lead": "Lời dẫn ngắn."},
            {"id": 1, "title": "Tiêu đề dài " * 50_000, "lead": "Câu. " * 200_000},
        ]
    )
    assert len(body) > 1_000_000
    start = time.process_time()
    with caplog.at_level(logging.WARNING, logger="bot.feeds.parse"):
        feed = parse_feed(body, FEED_URL)
    seconds = time.process_time() - start
    print(f"\nparse_feed, {len(body):,} bytes with one huge item: {seconds:.3f} s CPU")
    normal, huge = feed.entries
    assert normal.title == "Tin bình thường" and normal.lead == "Lời dẫn ngắn."
    assert 0 < len(huge.title) <= MAX_TITLE_CHARS and huge.title.startswith("Tiêu đề dài Tiêu đề dài")
    assert 0 < len(huge.lead) <= MAX_LEAD_CHARS and huge.lead.startswith("Câu. Câu.")
    cuts = [r.getMessage() for r in caplog.records if "cut from" in r.getMessage()]
    assert any("title (" in m and "cut from" in m and "news_1" in m for m in cuts)
    assert any(("description cut from" in m or "lead cut from" in m) and "news/1" in m for m in cuts)
    assert not any("news/2" in m for m in cuts)
    assert seconds < 3.0


def test_too_many_items_only_the_first_are_read(caplog):
    body = make_feed([{"id": i, "title": f"Tin số {i}"} for i in range(5000, 0, -1)])
    with caplog.at_level(logging.WARNING, logger="bot.feeds.parse"):
        feed = parse_feed(body, FEED_URL)
    assert len(feed.entries) == MAX_ITEMS
    assert feed.entries[0].title == "Tin số 5000"
    assert any(f"({MAX_ITEMS} items) are read" in r.getMessage() for r in caplog.records)


def test_a_flood_of_tags_is_cut_at_an_item_boundary(caplog):
    junk = "<x>y</x>" * 100_000
    body = make_feed([{"id": i, "title": f"Tin số {i}"} for i in range(3, 0, -1)])
    body = body.replace(b"</item>", b"</item>" + junk.encode(), 2)  # after the first two items
    start = time.process_time()
    with caplog.at_level(logging.WARNING):
        feed = parse_feed(body, FEED_URL)
    seconds = time.process_time() - start
    print(f"\nparse_feed, {len(body):,} bytes of which 100,000 junk tags: {seconds:.3f} s CPU")
    assert [e.title for e in feed.entries] == ["Tin số 3"]
    assert any("only the first" in r.getMessage() and FEED_URL in r.getMessage() for r in caplog.records)
    assert seconds < 1.0


def test_tags_inside_cdata_do_not_count():
    lead = "<p>" + "<b>đậm</b> " * 20_000 + "</p>"
    feed = parse_feed(make_feed([{"id": 1, "title": "Tin", "lead": lead}]), FEED_URL)
    assert feed.entries[0].lead.startswith("đậm đậm")


def test_a_flood_before_the_first_item_is_refused():
    body = make_feed([{"id": 1, "title": "Tin"}]).replace(b"<item>", b"<x/>" * 20_000 + b"<item>", 1)
    with pytest.raises(FeedError, match="tags before the first item"):
        parse_feed(body, FEED_URL)


def test_a_utf16_feed_reads_like_utf8():
    body = make_feed([{"id": 1, "title": "Hội nghị"}]).decode()
    body = body.replace('encoding="utf-8"', 'encoding="utf-16"').replace(
        "encoding='utf-8'", "encoding='utf-16'"
    )
    feed = parse_feed(body.encode("utf-16"), FEED_URL)
    assert feed.entries[0].title == "Hội nghị"


def test_huge_page_body_is_cut_to_whole_paragraphs_and_logged(caplog):
    paragraph = "Ngày 26.6, Sở tổ chức hội nghị tổng kết. " * 10
    html = (
        "<html><head><meta charset='utf-8'><title>T</title></head><body>"
        "<h1 class='title'>Tiêu đề</h1><div id='news-bodyhtml'>"
        + "".join(f"<p>{paragraph}</p>" for _ in range(10_000))
        + "</div></body></html>"
    ).encode()
    start = time.process_time()
    with caplog.at_level(logging.WARNING):
        page = parse_page(html, PAGE_URL)
    seconds = time.process_time() - start
    print(f"\nparse_page, {len(html):,} bytes of body: {seconds:.3f} s CPU")
    assert page.title == "Tiêu đề"
    assert 0 < sum(len(p) for p in page.paragraphs) <= MAX_BODY_CHARS
    assert all(p == paragraph.strip() for p in page.paragraphs[:-1])
    assert paragraph.startswith(page.paragraphs[-1])
    logged = [r.getMessage() for r in caplog.records]
    assert any("body longer than" in m and "the rest is not read" in m and PAGE_URL in m for m in logged)
    assert any("body cut from" in m and PAGE_URL in m for m in logged)
    assert seconds < 2.0


def test_ordinary_items_are_not_cut(caplog):
    body = make_feed([{"id": 1, "title": "Hội nghị", "lead": "Ngày 26.6, Sở tổ chức hội nghị."}])
    with caplog.at_level(logging.WARNING):
        feed = parse_feed(body, FEED_URL)
    assert feed.entries[0].lead == "Ngày 26.6, Sở tổ chức hội nghị."
    assert not [r for r in caplog.records if "cut from" in r.getMessage()]


def billion_laughs(levels: int = 9) -> bytes:
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels + 1)
    )
    return (
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]><rss version="2.0"><channel><title>T</title>'
        f"<item><title>&lol{levels};</title><link>https://x.vn/a-1.html</link></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_expansion_is_refused_before_parsing(encoding):
    body = billion_laughs()
    if encoding == "utf-16":
        body = body.decode().replace('version="1.0"?>', 'version="1.0" encoding="utf-16"?>').encode("utf-16")
    start = time.process_time()
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(body, FEED_URL)
    seconds = time.process_time() - start
    print(f"\nparse_feed, billion laughs ({encoding}): refused in {seconds * 1000:.2f} ms CPU")
    assert seconds < 0.1


def test_a_doctype_without_entities_and_entity_text_in_items_are_fine():
    body = make_feed([{"id": 1, "title": "Hội nghị", "lead": "Bài viết về &lt;!ENTITY&gt; trong XML."}])
    doctype = b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://x/rss-0.91.dtd">'
    body = body.replace(b"<rss", doctype + b"<rss", 1)
    feed = parse_feed(body, FEED_URL)
    assert feed.entries[0].title == "Hội nghị" and "<!ENTITY>" in feed.entries[0].lead


def test_the_sniff_reads_past_an_internal_subset_so_the_refusal_names_the_reason():
    assert looks_like_feed(billion_laughs())
    assert looks_like_feed(b'<?xml version="1.0"?><!DOCTYPE rss [<!ELEMENT rss ANY>]><rss version="2.0">')
    assert not looks_like_feed(b"<!DOCTYPE html [<!ENTITY x 'y'>]><html>")


def test_a_huge_page_without_the_nukeviet_body_reads_only_its_beginning(caplog):
    para = "Ngày 26.6, Sở tổ chức hội nghị tổng kết công tác thi đua. " * 5
    html = (
        '<html><head><meta charset="utf-8"></head><body><article>'
        + "".join(f"<p>{para} Đoạn {i}.</p>" for i in range(10_000))
        + "</article></body></html>"
    ).encode()
    start = time.process_time()
    with caplog.at_level(logging.WARNING):
        page = parse_page(html, PAGE_URL)
    seconds = time.process_time() - start
    print(f"\nparse_page, {len(html):,} bytes without a NukeViet body: {seconds:.3f} s CPU")
    assert page.paragraphs and page.paragraphs[0].startswith("Ngày 26.6")
    assert any("no NukeViet body; only the first" in r.getMessage() for r in caplog.records)
    assert seconds < 3.0
