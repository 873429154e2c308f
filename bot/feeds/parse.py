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
* A document that declares XML entities in its DOCTYPE is refused (FeedError) before it is parsed.
* Bounded work: the document is cut after its last whole item within ``MAX_ITEMS`` items and
  ``MAX_ELEMENTS`` tags before it is parsed, titles are cut to ``MAX_TITLE_CHARS``, a description
  to ``MAX_DESCRIPTION_CHARS`` of HTML before it is parsed and its lead to ``MAX_LEAD_CHARS``; each cut is
  logged (feed, item, what, how long it was).
* Description: the first ``<img src>`` (http/https only, resolved against the item link) -> thumbnail; the
  rest -> plain-text lead: scripts/styles dropped, tags stripped, ``<br />`` and block ends -> line
  breaks, entities decoded (and once more for double-escaped ones), each non-empty line one paragraph,
  paragraphs joined by "\\n".
"""

from __future__ import annotations

import functools
import html
import io
import logging
import re
import sys
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

__all__ = [
    "MAX_DESCRIPTION_CHARS",
    "MAX_ELEMENTS",
    "MAX_ITEMS",
    "MAX_LEAD_CHARS",
    "MAX_TITLE_CHARS",
    "FeedError",
    "cap_text",
    "clean_text",
    "html_to_text",
    "parse_feed",
]

log = logging.getLogger(__name__)

MAX_ITEMS = 200  # NukeViet lists at most 30
MAX_ELEMENTS = 10_000  # tags outside CDATA (a 30-item NukeViet feed has about 250)
MAX_TITLE_CHARS = 1_000  # Telegram's caption holds 1,024
MAX_DESCRIPTION_CHARS = 100_000  # the description's HTML, before it is parsed
MAX_LEAD_CHARS = 5_000
MAX_LINK_CHARS = 4_000  # a longer link is dropped, never cut (a cut link leads elsewhere)


class FeedError(Exception):
    """The document is not a feed, or nothing survived its errors."""


_XML_DECL_RE = re.compile(rb"^(\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding=[\"']([A-Za-z0-9._:-]+)[\"']")
_FIRST_ELEMENT = re.compile(rb"<(?![!?])")
_TAGS = re.compile(rb"<!\[CDATA\[.*?\]\]>|(?P<end></(?:[\w.-]+:)?(?:item|entry)\s*>)|<", re.DOTALL)
_NUKEVIET_GUID_RE = re.compile(r"^\s*news_\d+\s*$")
_NUKEVIET_LINK_RE = re.compile(r"^/(?:[a-z]{2}/)?news/[^/]+/[^/]+-\d+\.html$")
_BLOCK_TAGS = frozenset(
    {"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section"}
)
_DROP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "object"})


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """NFC, control and invisible format characters removed, whitespace collapsed (lines kept if asked)."""
    joined = _invisible().sub("", unicodedata.normalize("NFC", text))
    if not keep_newlines:
        return " ".join(joined.split())
    joined = joined.replace("\u2028", "\n").replace("\u2029", "\n")
    lines = (" ".join(line.split()) for line in joined.split("\n"))
    return "\n".join(line for line in lines if line)


@functools.cache
def _invisible() -> re.Pattern[str]:
    """Control characters except whitespace, and format characters (zero-width spaces/joiners, BOM, soft
    hyphen, bidi overrides): one character class, so cleaning costs one scan."""
    keep = {ord(ch) for ch in "\t\n\r\x0b\x0c\x85"}
    points = [
        cp
        for cp in range(sys.maxunicode + 1)
        if cp not in keep and unicodedata.category(chr(cp)) in ("Cc", "Cf")
    ]
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return re.compile("[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


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


def cap_text(text: str, limit: int, what: str, where: str) -> str:
    """`text` cut to at most `limit` characters (at a space when there is one near the end), logged."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ", max(0, limit - 200))
    cut = cut[:space] if space > 0 else cut
    log.warning("%s: %s cut from %d to %d characters", where, what, len(text), len(cut))
    return cut


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
    """The body as valid UTF-8 for feedparser, and a warning when it had to be repaired.

    * A declared non-UTF-8 charset contradicted by a valid, non-ASCII UTF-8 body: read as UTF-8.
    * Bytes invalid in the declared charset (UTF-8 when none is declared): decoded in that charset with
      each bad byte replaced by U+FFFD, so only the damaged characters of the item holding them are lost;
      the feed is never re-read in a guessed charset.
    """
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a BOM: read as UTF-8 from here on
        utf8 = body.decode("utf-16", errors="replace").removeprefix("\ufeff").encode("utf-8")
        return _declare_utf8(utf8, _XML_DECL_RE.match(utf8[:512])), None
    m = _XML_DECL_RE.match(body[:512])
    declared = m.group(2).decode("ascii").lower() if m else "utf-8"
    is_utf8 = declared.replace("-", "").replace("_", "") == "utf8"
    if not is_utf8 and not body.isascii():
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return _declare_utf8(body, m), f"declared charset {declared} but the body is UTF-8; read as UTF-8"
    try:
        body.decode(declared)
        return body, None
    except UnicodeDecodeError as exc:
        text = body.decode(declared, errors="replace")
        bad = f"invalid {declared} bytes (first at offset {exc.start}) replaced"
    except LookupError:
        text = body.decode("utf-8", errors="replace")
        bad = f"unknown charset {declared}; read as UTF-8"
    if text.startswith("\ufeff"):
        text = text[1:]
    return _declare_utf8(text.encode("utf-8"), _XML_DECL_RE.match(text[:512].encode("utf-8"))), bad


def _declare_utf8(body: bytes, decl: re.Match[bytes] | None) -> bytes:
    if decl is None:
        return body
    start, end = decl.span(2)
    return body[:start] + b"utf-8" + body[end:]


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


def _declares_entities(body: bytes) -> bool:
    """Does the prolog (before the root element) declare XML entities?  Feeds never need to; an entity
    that expands into entities is the "billion laughs" attack, which costs seconds of CPU before the XML
    parser's own limit stops it."""
    if body.startswith((b"\xff\xfe", b"\xfe\xff")):
        body = body.decode("utf-16", errors="replace").encode("utf-8")
    first = _FIRST_ELEMENT.search(body)
    return b"<!ENTITY" in (body[: first.start()] if first else body)


def _bounded(body: bytes, feed_url: str) -> bytes:
    """The document cut after its last whole item within MAX_ITEMS items and MAX_ELEMENTS tags (outside
    CDATA), closed again; the XML parser costs tens of microseconds a tag, so this bounds its work.
    Raises FeedError when not even the first item fits."""
    items = body.count(b"</item") + body.count(b"</entry") + body.count(b":item>") + body.count(b":entry>")
    if body.count(b"<") <= MAX_ELEMENTS and items <= MAX_ITEMS:
        return body  # the usual case: no scan
    items = cut = 0
    for tags, m in enumerate(_TAGS.finditer(body), start=1):
        if m.group("end"):
            items += 1
            cut = m.end()
            if items == MAX_ITEMS:
                break
        if tags > MAX_ELEMENTS:
            break
    else:
        return body
    if not cut:
        raise FeedError(f"refused: more than {MAX_ELEMENTS} tags before the first item ends")
    head = body[:512]
    closing = (
        b"</rdf:RDF>" if b"<rdf:RDF" in head else b"</feed>" if b"<feed" in head else b"</channel></rss>"
    )
    log.warning(
        "feed %s: %d bytes, only the first %d bytes (%d items) are read (caps: %d items, %d tags)",
        feed_url,
        len(body),
        cut,
        items,
        MAX_ITEMS,
        MAX_ELEMENTS,
    )
    return body[:cut] + closing


def parse_feed(body: bytes, feed_url: str) -> ParsedFeed:
    """Parse a feed document fetched from `feed_url` (the base for relative links and the identity host)."""
    if _declares_entities(body):
        raise FeedError("refused: the document declares XML entities (entity expansion)")
    body, charset_warning = _prepare(body)
    body = _bounded(body, feed_url)
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

    items = items[:MAX_ITEMS]
    raw_dates = [_published(e) for e in items]
    dated = [dt for dt in raw_dates if dt is not None]
    fix_dates = bool(dated) and _is_nukeviet(d) and all(is_nukeviet_minute_bug(dt) for dt in dated)

    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for e, published in zip(items, raw_dates, strict=True):
        guid = str(e.get("id") or "").strip()[:1000] or None
        raw_link = str(e.get("link") or "")
        link = (_absolute_http(raw_link, feed_url) if len(raw_link) <= MAX_LINK_CHARS else None) or ""
        raw_title = str(e.get("title") or "")
        title = clean_text(html.unescape(raw_title[: 4 * MAX_TITLE_CHARS]))
        if len(title) > MAX_TITLE_CHARS or len(raw_title) > 4 * MAX_TITLE_CHARS:
            where = f"feed {feed_url}: item {guid or link or len(entries) + 1}"
            title = cap_text(title, MAX_TITLE_CHARS, f"title ({len(raw_title)} characters)", where)
        if not (guid or link or title):
            continue
        key = entry_key(guid, link or None, feed_url, title=title or None)
        if key in seen:
            continue
        seen.add(key)
        where = f"feed {feed_url}: item {key}"
        description = str(e.get("summary") or e.get("description") or "")
        lead, img = html_to_text(cap_text(description, MAX_DESCRIPTION_CHARS, "description", where))
        lead = cap_text(lead, MAX_LEAD_CHARS, "lead", where)
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
