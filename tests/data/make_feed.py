"""Build NukeViet 4.x style RSS for tests: the template of nv_rss_generate(), its escaping, its pubDate bug.

    make_feed([{"id": 1234, "title": "…", "published": datetime(…, tzinfo=…)}, …]) -> bytes

Item keys: ``id`` (int, required unless ``guid`` is given), ``title`` (the editor's text; stored the NukeViet
way: ``: ( ) ! = % * [ ] { } ^ ~ \\ / #`` and ``& < > " '`` become character references, then escaped for XML,
so "&#40;" arrives as "&amp;#40;"), ``title_xml`` (raw XML text, overrides ``title``), ``category``
(alias, default "tin-hoat-dong"), ``link`` (default built from host, category, slug and id), ``guid``
(default "news_<id>"; None leaves the element out), ``thumbnail`` (URL put in the description's <img>),
``lead`` (hometext HTML, may hold <br />), ``published`` (aware datetime; written with the H:m:s bug).
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

HOST = "https://sotttt.tayninh.gov.vn"
SITE_TITLE = "Sở Thông tin và Truyền thông tỉnh Tây Ninh"

_NV_REFS = {
    "&": "&amp;",
    "'": "&#039;",
    '"': "&quot;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#x5C;",
    "/": "&#x2F;",
    "(": "&#40;",
    ")": "&#41;",
    "*": "&#42;",
    "=": "&#61;",
    ":": "&#58;",
    "!": "&#33;",
    "%": "&#37;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "^": "&#94;",
    "~": "&#126;",
    "#": "&#35;",
}


def slugify(text: str) -> str:
    """NukeViet's change_alias(): strip Vietnamese diacritics, lowercase, dashes."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    out = []
    for ch in text.lower():
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    return "-".join(p for p in "".join(out).split("-") if p)


def nv_store(text: str) -> str:
    """How NukeViet stores a title: every special character as a character reference ("&nbsp;" kept)."""
    out = []
    i = 0
    while i < len(text):
        if text.startswith("&nbsp;", i):
            out.append("&nbsp;")
            i += 6
            continue
        out.append(_NV_REFS.get(text[i], text[i]))
        i += 1
    return "".join(out)


def nv_pubdate(dt: datetime) -> str:
    """gmdate('D, j M Y H:m:s') . ' GMT' -- the minutes field is the month (the 4.x bug)."""
    u = dt.astimezone(UTC)
    return f"{u:%a}, {u.day} {u:%b} {u.year} {u:%H}:{u:%m}:{u:%S} GMT"


def _item(item: dict[str, Any], host: str) -> str:
    parts = ["        <item>"]
    if "title_xml" in item:
        parts.append(f"            <title>{item['title_xml']}</title>")
    elif "title" in item:
        parts.append(f"            <title>{escape(nv_store(item['title']))}</title>")
    category = item.get("category", "tin-hoat-dong")
    link = item.get("link", "__default__")
    if link == "__default__" and "id" in item:
        link = f"{host}/vi/news/{category}/{slugify(item.get('title', 'bai-viet'))}-{item['id']}.html"
    if link and link != "__default__":
        parts.append(f"            <link><![CDATA[{link}]]></link>")
    guid = item.get("guid", f"news_{item['id']}" if "id" in item else None)
    if guid is not None:
        parts.append(f'            <guid isPermaLink="false"><![CDATA[{guid}]]></guid>')
    desc = ""
    if item.get("thumbnail"):
        desc += f'<img src="{item["thumbnail"]}" width="100" align="left" border="0">'
    desc += item.get("lead", "")
    if desc or "title" in item or "title_xml" in item:
        parts.append(f"            <description><![CDATA[{desc}]]></description>")
    if item.get("published") is not None:
        parts.append(f"            <pubDate>{nv_pubdate(item['published'])}</pubDate>")
    parts.append("        </item>")
    return "\n".join(parts)


def make_feed(
    items: list[dict[str, Any]],
    *,
    title: str = SITE_TITLE,
    last_build: datetime | None = None,
    host: str = HOST,
    self_url: str | None = None,
    generator: str = "NukeViet v4.0",
    encoding: str = "utf-8",
) -> bytes:
    """A NukeViet news feed (channel pubDate = `last_build` or the newest item, with the bug too)."""
    dates = [i["published"] for i in items if i.get("published") is not None]
    newest = last_build or (max(dates) if dates else None)
    self_url = self_url or f"{host}/vi/news/rss/"
    head = f"""<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" \
xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
    <channel>
        <title>{escape(nv_store(title))}</title>
        <link><![CDATA[{host}/vi/news/]]></link>
        <atom:link href="{escape(self_url)}" rel="self" type="application/rss+xml" />
        <description><![CDATA[Cổng thông tin điện tử {title}]]></description>
        <language>vi</language>
        <copyright><![CDATA[{title}]]></copyright>
        <docs><![CDATA[{host}/vi/feeds/]]></docs>
        <generator><![CDATA[{generator}]]></generator>
"""
    if newest is not None:
        head += f"        <pubDate>{nv_pubdate(newest)}</pubDate>\n"
    head += f"""        <image>
            <url><![CDATA[{host}/uploads/logo-so.png]]></url>
            <title>{escape(nv_store(title))}</title>
            <link><![CDATA[{host}/vi/news/]]></link>
            <width>144</width>
            <height>60</height>
        </image>
"""
    body = "\n".join(_item(i, host) for i in items)
    return (head + body + "\n    </channel>\n</rss>\n").encode("utf-8")
