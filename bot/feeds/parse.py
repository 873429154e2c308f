"""Feed documents -> ParsedFeed, with NukeViet 4.x quirks handled. Pure: never fetches anything.

Rules:

* feedparser gets the *bytes* in a file object (never a string: a string that looks like a URL or a path
  would make it fetch or open it), relative-URI resolution and sanitising off -- we extract plain text
  ourselves and never render the feed's HTML.
* A body whose XML declaration names a non-UTF-8 charset but which is valid UTF-8 with non-ASCII bytes is
  read as UTF-8 (invalid UTF-8 in a Vietnamese text is near impossible by chance) and the feed gets a
  warning.
* Not a feed (feedparser finds no RSS/Atom/RDF version) -> FeedError.  Malformed (bozo) with entries
  surviving -> ParsedFeed.warning; with no entry surviving -> FeedError.  In a malformed document only
  items whose end tag arrived survive: a truncated last item may be cut mid-title or mid-lead, and it
  comes back whole on the next poll.  A well-formed feed without items is fine (empty entries).
* Identity: `identity.entry_key` (guid ``news_<id>`` -> ``host/news/<id>``, same from the link's id).
  Duplicate keys within one document keep the first item.  Items with neither guid, link nor title are
  dropped; items with some identity are kept (``link`` is "" when there is none).
* NukeViet is recognised by its ``<generator>`` (``NukeViet v4.0``), a guid ``news_<id>`` or a link of the
  rewritten form ``/<lang>/news/<cat>/<slug>-<id>.html``.  Its pubDate minute bug (minutes = month) is
  repaired with `identity.fix_nukeviet_pubdate` only when the feed is NukeViet *and* every dated item
  shows the symptom (minute == month), so a fixed NukeViet or an ISO-8601 feed keeps its minutes.
* Titles: the XML-decoded text is HTML-unescaped once more (NukeViet stores ``&#40;``, ``&amp;nbsp;``),
  NFC-normalised, control and invisible format characters removed, whitespace collapsed.  Markup in a
  title is kept as the literal characters the editor wrote ("<b>", "<script>…") -- the title is plain
  text and the renderer escapes it; stripping would lose or alter what the editor wrote.
* Description: the first ``<img src>`` (http/https only, resolved against the item link) -> thumbnail; the
  rest -> plain-text lead: scripts/styles dropped, tags stripped, ``<br />`` and block ends -> line
  breaks, entities decoded (and once more for double-escaped ones), each non-empty line one paragraph,
  paragraphs joined by "\\n".
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.etree
import lxml.html

from bot.domain.identity import entry_key, fix_nukeviet_pubdate, is_nukeviet_minute_bug
from bot.domain.models import FeedEntry, ParsedFeed

__all__ = ["FeedError", "clean_text", "html_to_text", "parse_feed"]


class FeedError(Exception):
    """The document is not a feed, or nothing survived its errors."""


_XML_DECL_RE = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding=[\"']([A-Za-z0-9._:-]+)[\"']")
_NUKEVIET_GUID_RE = re.compile(r"^\s*news_\d+\s*$")
_NUKEVIET_LINK_RE = re.compile(r"^/(?:[a-z]{2}/)?news/[^/]+/[^/]+-\d+\.html$")
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section"}
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object"})
_KEEP_WS = frozenset("\n")


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """NFC, control and invisible format characters removed, whitespace collapsed (lines kept if asked)."""
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in _KEEP_WS and keep_newlines:
            out.append("\n")
        elif ch in "\u2028\u2029":
            out.append("\n" if keep_newlines else " ")
        elif cat == "Cc":
            out.append(" " if ch in "\t\r\n\x0b\x0c\x85" else "")
        elif cat == "Cf":
            continue  # zero-width spaces/joiners, BOM, soft hyphen, bidi overrides
        else:
            out.append(ch)
    joined = "".join(out)
    if not keep_newlines:
        return " ".join(joined.split())
    lines = (" ".join(line.split()) for line in joined.split("\n"))
    return "\n".join(line for line in lines if line)


def _iter_text(el: lxml.html.HtmlElement) -> Iterable[str]:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _DROP_TAGS:
        if el.tail:
            yield el.tail
        return
    if tag == "br" or tag in _BLOCK_TAGS:
        yield "\n"
    if isinstance(el.tag, str) and el.text:
        yield el.text
    for child in el:
        yield from _iter_text(child)
    if tag in _BLOCK_TAGS:
        yield "\n"
    if el.tail:
        yield el.tail


def html_to_text(fragment: str) -> tuple[str, str | None]:
    """(plain text with line breaks, first image src or None) of an HTML fragment."""
    if not fragment.strip():
        return "", None
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return clean_text(html.unescape(re.sub(r"<[^>]*>", " ", fragment)), keep_newlines=True), None
    src: str | None = None
    for img in root.iter("img"):
        candidate = (img.get("src") or "").strip()
        if candidate:
            src = candidate
            break
    raw = "".join(_iter_text(root))
    return clean_text(html.unescape(raw), keep_newlines=True), src


def _absolute_http(url: str | None, base: str) -> str | None:
    if not url:
        return None
    try:
        absolute = urljoin(base, url.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in ("http", "https") else None


def _prepare(body: bytes) -> tuple[bytes, str | None]:
    """Fix a declared charset that contradicts a valid UTF-8 body; return (body, warning)."""
    m = _XML_DECL_RE.match(body[:512])
    if not m:
        return body, None
    declared = m.group(2).decode("ascii").lower()
    if declared.replace("-", "").replace("_", "") in ("utf8",):
        return body, None
    if body.isascii():
        return body, None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return body, None
    start, end = m.span(2)
    fixed = body[:start] + b"utf-8" + body[end:]
    return fixed, f"declared charset {declared} but the body is UTF-8; read as UTF-8"


def _published(entry: Any) -> datetime | None:
    raw = entry.get("published") or entry.get("updated")
    if isinstance(raw, str) and raw.strip():
        try:
            dt = parsedate_to_datetime(raw.strip())
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is not None:
            return dt if dt.tzinfo is not None else dt.replace(tzinfo=UTC)
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        try:
            y, mo, d, h, mi, sec = (int(x) for x in parsed[:6])
            return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
        except (TypeError, ValueError):
            return None
    return None


def _is_nukeviet(d: Any) -> bool:
    generator = str(d.feed.get("generator") or "")
    if "nukeviet" in generator.lower():
        return True
    for e in d.entries:
        if _NUKEVIET_GUID_RE.match(str(e.get("id") or "")):
            return True
        try:
            path = urlsplit(str(e.get("link") or "")).path
        except ValueError:
            continue
        if _NUKEVIET_LINK_RE.match(path):
            return True
    return False


def _warning_text(exc: object) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def parse_feed(body: bytes, feed_url: str) -> ParsedFeed:
    """Parse a feed document fetched from `feed_url` (the base for relative links and the identity host)."""
    body, charset_warning = _prepare(body)
    d = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": feed_url, "content-type": "application/xml"},
        resolve_relative_uris=False,
        sanitize_html=False,
    )
    if not d.get("version"):
        reason = _warning_text(d.get("bozo_exception")) if d.get("bozo") else "no RSS/Atom root element"
        raise FeedError(f"not a feed: {reason}")
    warnings = [w for w in (charset_warning,) if w]
    items = list(d.entries)
    if d.get("bozo"):
        # A truncated document's last item may be cut mid-text: keep only items whose end tag arrived.
        closed = body.count(b"</item>") + body.count(b"</entry>")
        if closed < len(items):
            items = items[:closed]
        if not items:
            raise FeedError(f"malformed feed, no entry survived: {_warning_text(d.get('bozo_exception'))}")
        warnings.append(_warning_text(d.get("bozo_exception")))

    raw_dates = [_published(e) for e in items]
    dated = [dt for dt in raw_dates if dt is not None]
    fix_dates = bool(dated) and _is_nukeviet(d) and all(is_nukeviet_minute_bug(dt) for dt in dated)

    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for e, published in zip(items, raw_dates, strict=True):
        title = clean_text(html.unescape(str(e.get("title") or "")))
        guid = str(e.get("id") or "").strip() or None
        link = _absolute_http(str(e.get("link") or ""), feed_url) or ""
        if not (guid or link or title):
            continue
        key = entry_key(guid, link or None, feed_url, title=title or None)
        if key in seen:
            continue
        seen.add(key)
        lead, img = html_to_text(str(e.get("summary") or e.get("description") or ""))
        if published is not None:
            published = fix_nukeviet_pubdate(published) if fix_dates else published.astimezone(UTC)
        entries.append(
            FeedEntry(
                key=key,
                link=link,
                title=title,
                lead=lead,
                thumbnail=_absolute_http(img, link or feed_url),
                published=published,
                guid=guid,
            )
        )
    feed_title = clean_text(html.unescape(str(d.feed.get("title") or "")))
    return ParsedFeed(title=feed_title, entries=tuple(entries), warning="; ".join(warnings) or None)
