"""OPML in and out: nested outlines, each URL once, no entity expansion, not-OPML refused."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.opml import OpmlError, OpmlFeed, build_opml, parse_opml


def test_build_then_parse_gives_the_same_feeds() -> None:
    feeds = [OpmlFeed("https://a.example/rss", "Sở KH&CN <Tây Ninh>", 1800), OpmlFeed("http://b.example/f")]
    data = build_opml("Sở Khoa học và Công nghệ", feeds, datetime(2026, 11, 26, tzinfo=UTC))
    assert data.startswith(b"<?xml") and "Sở KH&amp;CN &lt;Tây Ninh&gt;".encode() in data
    assert parse_opml(data) == feeds


def test_nested_outlines_of_other_readers_are_read_once_each() -> None:
    data = b"""<?xml version="1.0"?><opml version="1.0"><head/><body>
      <outline text="Tin tuc"><outline text="Tinh" type="rss" xmlUrl="https://a.example/rss"/>
        <outline text="Lai" xmlUrl="https://a.example/rss"/>
        <outline text="Thu" xmlUrl="mailto:x@y"/></outline>
      <outline title="So" xmlUrl=" https://b.example/rss "/></body></opml>"""
    assert parse_opml(data) == [
        OpmlFeed("https://a.example/rss", "Tinh"),
        OpmlFeed("https://b.example/rss", "So"),
    ]


def test_entities_are_not_expanded_and_other_documents_are_refused() -> None:
    bomb = b"""<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>
      <opml><body><outline text="&x;" xmlUrl="https://a.example/rss"/></body></opml>"""
    for data in (bomb, b"<rss><channel/></rss>", b"not xml at all", b"<opml><head/></opml>"):
        with pytest.raises(OpmlError):
            parse_opml(data)
