"""OPML 2.0, the feed readers' exchange format: the bot's feeds out (/opml), an admin's list in.

Pure. Reading never resolves entities or reaches the network, and keeps at most `MAX_OUTLINES` feeds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from lxml import etree

MAX_OUTLINES = 200
MAX_BYTES = 1_000_000


class OpmlError(ValueError):
    """Not an OPML document."""


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    name: str | None = None
    interval_seconds: int | None = None  # kept in a `pollInterval` attribute of our own export


def build_opml(title: str, items: list[OpmlFeed], now: datetime) -> bytes:
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = etree.SubElement(root, "body")
    for item in items:
        attrs = {"type": "rss", "text": item.name or item.url, "xmlUrl": item.url}
        if item.name:
            attrs["title"] = item.name
        if item.interval_seconds:
            attrs["pollInterval"] = str(item.interval_seconds)
        etree.SubElement(body, "outline", attrs)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an http(s) `xmlUrl`, nested ones included, in order, each URL once."""
    if len(data) > MAX_BYTES:
        raise OpmlError("the file is too large")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"not XML: {exc}") from None
    if not isinstance(root.tag, str) or root.tag.lower() != "opml" or root.find("body") is None:
        raise OpmlError("no <opml><body>")
    found: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url.startswith(("http://", "https://")) or url in seen:
            continue
        seen.add(url)
        name = (outline.get("title") or outline.get("text") or "").strip() or None
        interval = outline.get("pollInterval", "")
        found.append(
            OpmlFeed(url, name if name != url else None, int(interval) if interval.isdigit() else None)
        )
        if len(found) >= MAX_OUTLINES:
            break
    return found
