"""Article page HTML -> PageContent: NukeViet 4.x selectors first, trafilatura as the fallback. Pure.

Rules:

* Title ``h1.title`` (else the first ``h1``, ``og:title``, ``<title>``); lead ``.hometext``; body
  ``#news-bodyhtml`` (else ``div.bodytext``); header image ``#imgpreview img`` (the full-size file) or
  ``figure.article img`` (``srcset``'s widest / ``data-src`` / ``src``), else the first body image, else
  ``og:image``; all URLs absolute, http(s) only.
* Encoding: the declared ``<meta charset>`` (UTF-8 when none); invalid bytes become U+FFFD one by one.
* Date: the visible ``.newsdetailmetatop span.h5`` / ``span.h5`` text, e.g. "Chủ nhật - 28/06/2020 18:00",
  read as Asia/Ho_Chi_Minh local time -> aware datetime.  Schema.org / OpenGraph dates are ignored (wrong on
  these sites).  Else the first "<weekday> - dd/mm/yyyy HH:MM" anywhere outside the removed boxes.
* Removed before reading: scripts/styles, related-news boxes (``.newsdetailbox``, ``.other-news``,
  ``ul.related``, ``.related``), comments (``#idcomment``, ``.comment*``, a box headed "Ý kiến bạn đọc"),
  sidebars, header/nav/breadcrumbs, footer, the session-expiry chrome (``#timeoutsess``: "Bạn đã không sử
  dụng Site, …") and the outdated-browser banner (``.chromeframe``).
* Body: one paragraph per block element or ``<br />``-separated line.  Captions -- ``figure figcaption``,
  and a short line that is wholly emphasised (``<em>``/``<i>``) or centred right after an image, or a
  wholly emphasised centred short line -- go to ``captions``, not ``paragraphs``.
* Source: the last short paragraph (at most 3 from the end, <= 80 chars, no comma) reading "Theo X" /
  "Nguồn: X" -> ``source`` = "X", removed from paragraphs; else NukeViet's "Nguồn tin: X" line.  Short
  right-aligned trailing lines (author bylines) are dropped.
* Category name: the breadcrumb link (``.breadcrumbs``, NukeViet's hidden ``.temp-breadcrumbs``, or a
  schema.org ``BreadcrumbList``) whose address ends with the article link's category alias, read before
  the breadcrumbs are removed -> ``category_name`` ("Thông báo").
* Attachments: ``.news-download-file a[download]``, any ``a[download]``, and links in the body or the
  download box to .pdf/.doc(x)/.xls(x)/.zip/.rar; each named by its link text (without "Tải về:"), else
  its title, else the file name of its URL.
* Images (for an album): the header image, then every body image on the page's own host (``www.``
  ignored), in page order, without repeats and without icons (a stated width or height under 100 px).
* Bounded work: title and lead are cut to the feed's caps, the body to ``MAX_BODY_CHARS`` characters of
  text (whole paragraphs first) and ``MAX_PARAGRAPHS`` paragraphs, captions and attachments to 50 each,
  the fallback extractor reads at most ``MAX_FALLBACK_BYTES``; each cut is logged.
* Fallback when the NukeViet body is missing or empty: ``trafilatura.extract`` split into paragraphs (same
  chrome filter and source rule).  Garbage in -> empty PageContent, never an exception.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
import lxml.html

from bot.domain.identity import category_alias
from bot.domain.models import PageContent
from bot.feeds.parse import MAX_LEAD_CHARS, MAX_TITLE_CHARS, cap_text, clean_text

__all__ = ["VN_TZ", "parse_page", "parse_visible_date"]

log = logging.getLogger(__name__)

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

_WEEKDAY = r"(?:Thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|Chủ\s*nhật|CN)"
_DATE_WEEKDAY_RE = re.compile(
    _WEEKDAY + r"\s*[-,]?\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*[-,]?\s*(\d{1,2})[:h](\d{2})", re.IGNORECASE
)
_DATE_RE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\s*[-,|]?\s*(\d{1,2})[:h](\d{2})")
_TIME_FIRST_RE = re.compile(r"(\d{1,2})[:h](\d{2})\s*[-,|]?\s*(?:ngày\s*)?(\d{1,2})/(\d{1,2})/(\d{4})")
_SOURCE_RE = re.compile(r"^(?:Theo|Nguồn(?:\s+tin)?\s*:)\s*(.{2,70}?)\s*[.)]?$", re.IGNORECASE)
_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_-]+)", re.IGNORECASE)
_ATTACHMENT_RE = re.compile(r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z)(?:[?#]|$)", re.IGNORECASE)
_CHROME_RE = re.compile(
    r"^(?:Bạn đã không sử dụng Site|Bấm vào đây để duy trì trạng thái đăng nhập|Ý kiến bạn đọc"
    r"|Trình duyệt của bạn đã quá cũ|Thời gian chờ:)",
    re.IGNORECASE,
)
_CAPTION_MAX = 300
MAX_BODY_CHARS = 100_000
MAX_PARAGRAPHS = 2_000
MAX_CAPTIONS = 50
MAX_ATTACHMENTS = 50
MAX_FALLBACK_BYTES = 300_000  # the generic extractor costs about 2 ms a kilobyte

_NOISE_CLASSES = (
    "newsdetailbox",
    "other-news",
    "related",
    "detail-related",
    "comment",
    "comments",
    "fb-comments",
    "sidebar",
    "breadcrumbs",
    "breadcrumb",
    "chromeframe",
    "footer",
    "news-tags",
    "social-share",
)
_NOISE_IDS = (
    "idcomment",
    "comment",
    "comments",
    "timeoutsess",
    "openidResult",
    "footer",
    "sidebar",
    "header",
)
_NOISE_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "form",
    "footer",
    "nav",
    "aside",
)
_BLOCKS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "blockquote",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "tbody",
        "thead",
        "tr",
        "td",
        "th",
        "pre",
        "center",
        "dl",
        "dt",
        "dd",
    }
)
_EMPHASIS = frozenset({"em", "i"})


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(root: lxml.html.HtmlElement, xpath: str) -> lxml.html.HtmlElement | None:
    found = root.xpath(xpath)
    for el in found:
        if isinstance(el, lxml.html.HtmlElement):
            return el
    return None


def _text_of(el: lxml.html.HtmlElement) -> str:
    parts: list[str] = []

    def collect(node: lxml.html.HtmlElement) -> None:
        if node.tag == "br":
            parts.append("\n")
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for child in node:
            collect(child)
            if child.tail:
                parts.append(child.tail)

    collect(el)
    return clean_text("".join(parts))


def parse_visible_date(text: str) -> datetime | None:
    """ "Chủ nhật - 28/06/2020 18:00" (or "18:00 28/06/2020") -> aware datetime in Asia/Ho_Chi_Minh."""
    m = _DATE_WEEKDAY_RE.search(text) or _DATE_RE.search(text)
    try:
        if m:
            d, mo, y, h, mi = (int(g) for g in m.groups())
            return datetime(y, mo, d, h, mi, tzinfo=VN_TZ)
        m = _TIME_FIRST_RE.search(text)
        if m:
            h, mi, d, mo, y = (int(g) for g in m.groups())
            return datetime(y, mo, d, h, mi, tzinfo=VN_TZ)
    except ValueError:
        return None
    return None


def _absolute(url: str | None, base: str) -> str | None:
    if not url or not url.strip():
        return None
    try:
        absolute = urljoin(base, url.strip())
        ok = urlsplit(absolute).scheme.lower() in ("http", "https")
    except ValueError:
        return None
    return absolute if ok else None


def _img_src(img: lxml.html.HtmlElement) -> str | None:
    """The largest candidate of an <img>: srcset's widest, else data-src / data-original, else src."""
    srcset = img.get("srcset") or img.get("data-srcset")
    if srcset:
        best: tuple[float, str] | None = None
        for item in srcset.split(","):
            bits = item.strip().split()
            if not bits:
                continue
            size = 1.0
            if len(bits) > 1:
                try:
                    size = float(bits[1].rstrip("wx"))
                except ValueError:
                    size = 1.0
            if best is None or size > best[0]:
                best = (size, bits[0])
        if best:
            return best[1]
    for attr in ("data-src", "data-original", "src"):
        value = (img.get(attr) or "").strip()
        if value and not value.startswith("data:"):
            return value
    return None


_ICON_PX = 100
_DOWNLOAD_PREFIX_RE = re.compile(r"^(?:Tải về|Tải xuống|Download)\s*:?\s*", re.IGNORECASE)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _is_icon(img: lxml.html.HtmlElement) -> bool:
    for attr in ("width", "height"):
        value = (img.get(attr) or "").strip().removesuffix("px")
        if value.isdigit() and int(value) < _ICON_PX:
            return True
    return False


def _attachment_name(a: lxml.html.HtmlElement, url: str) -> str:
    name = _DOWNLOAD_PREFIX_RE.sub("", _text_of(a)).strip()
    if not name:
        name = _DOWNLOAD_PREFIX_RE.sub("", clean_text(a.get("title") or "")).strip()
    if not name:
        path = urlsplit(url).path.rstrip("/")
        name = unquote(path.rsplit("/", 1)[-1]) if path else ""
    return name[:120]


def _decode(html: bytes) -> lxml.html.HtmlElement:
    m = _CHARSET_RE.search(html[:4096])
    encoding = m.group(1).decode("ascii").lower() if m else "utf-8"
    if encoding in ("utf8",):
        encoding = "utf-8"
    try:
        "".encode(encoding)
    except LookupError:
        encoding = "utf-8"
    # Bytes invalid in the declared charset cost only their own characters (U+FFFD): the parser never gets
    # the chance to switch the rest of the page to another charset.
    text = html.decode(encoding, errors="replace").removeprefix("\ufeff")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    return lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)


def _prune(root: lxml.html.HtmlElement) -> None:
    conditions = [f"self::{t}" for t in _NOISE_TAGS]
    conditions += [_has_class(c) for c in _NOISE_CLASSES]
    conditions += [f"@id='{i}'" for i in _NOISE_IDS]
    for el in root.xpath(f"//*[{' or '.join(conditions)}]"):
        parent = el.getparent()
        if parent is not None:
            el.drop_tree()
    # a box headed "Ý kiến bạn đọc" (comments) wherever the theme put it
    for head in root.xpath("//*[starts-with(normalize-space(text()), 'Ý kiến bạn đọc')]"):
        box = head.getparent()
        if box is not None and box.getparent() is not None and box.tag != "body":
            box.drop_tree()


@dataclass
class _Segment:
    parts: list[tuple[str, bool]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    align: str = ""
    figcaption: bool = False

    def text(self) -> str:
        return clean_text("".join(t for t, _ in self.parts))

    def all_emphasised(self) -> bool:
        visible = [(t, em) for t, em in self.parts if t.strip()]
        return bool(visible) and all(em for _, em in visible)


def _align_of(el: lxml.html.HtmlElement) -> str:
    style = (el.get("style") or "").replace(" ", "").lower()
    m = re.search(r"text-align:(center|right|left|justify)", style)
    if m:
        return m.group(1)
    align = (el.get("align") or "").lower()
    if align in ("center", "right"):
        return align
    classes = f" {el.get('class') or ''} "
    if " text-center " in classes or el.tag == "center":
        return "center"
    if " text-right " in classes:
        return "right"
    return ""


class _Enough(Exception):
    """The walker has read more than the caps keep: the rest of the body is not read."""


class _Walker:
    def __init__(self, base: str) -> None:
        self.base = base
        self.segments: list[_Segment] = []
        self.current = _Segment()
        self.chars = 0

    def flush(self, align: str) -> None:
        seg = self.current
        if seg.images or any(t.strip() for t, _ in seg.parts):
            seg.align = seg.align or align
            self.segments.append(seg)
            self.chars += sum(len(t) for t, _ in seg.parts)
            if self.chars > 2 * MAX_BODY_CHARS or len(self.segments) > 2 * MAX_PARAGRAPHS:
                raise _Enough
        self.current = _Segment()

    def walk(self, el: lxml.html.HtmlElement, align: str, em: bool) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "figure":
            self.flush(align)
            for img in el.iter("img"):
                src = None if _is_icon(img) else _absolute(_img_src(img), self.base)
                if src:
                    self.current.images.append(src)
            self.flush(align)
            for cap in el.iter("figcaption"):
                text = _text_of(cap)
                if text:
                    self.segments.append(_Segment(parts=[(text, True)], figcaption=True))
        elif tag == "br":
            self.flush(align)
        elif tag == "img":
            src = None if _is_icon(el) else _absolute(_img_src(el), self.base)
            if src:
                self.current.images.append(src)
        elif tag in _BLOCKS:
            self.flush(align)
            inner = _align_of(el) or align
            if el.text:
                self.current.parts.append((el.text, em))
            for child in el:
                self.walk(child, inner, em)
            self.flush(inner)
        elif tag:
            inner_em = em or tag in _EMPHASIS
            if el.text:
                self.current.parts.append((el.text, inner_em))
            for child in el:
                self.walk(child, align, inner_em)
        if el.tail:
            self.current.parts.append((el.tail, em))


@dataclass
class _Body:
    paragraphs: list[tuple[str, str]] = field(default_factory=list)  # (text, align)
    captions: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


def _read_body(body: lxml.html.HtmlElement, base: str) -> _Body:
    walker = _Walker(base)
    if body.text:
        walker.current.parts.append((body.text, False))
    try:
        for child in body:
            walker.walk(child, _align_of(body), False)
        walker.flush("")
    except _Enough:
        log.warning("page %s: body longer than %d characters, the rest is not read", base, 2 * MAX_BODY_CHARS)
    out = _Body()
    after_image = False
    for seg in walker.segments:
        out.images.extend(seg.images)
        text = seg.text()
        if seg.figcaption:
            out.captions.append(text)
            after_image = False
            continue
        if not text:
            after_image = after_image or bool(seg.images)
            continue
        short = len(text) <= _CAPTION_MAX
        near_image = after_image or bool(seg.images)
        is_caption = short and (
            (seg.all_emphasised() and (near_image or seg.align == "center"))
            or (near_image and seg.align == "center")
        )
        if is_caption:
            out.captions.append(text)
        elif not _CHROME_RE.match(text):
            out.paragraphs.append((text, seg.align))
        after_image = False
    return out


def _split_source(paragraphs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], str | None]:
    for i in range(len(paragraphs) - 1, max(len(paragraphs) - 4, -1), -1):
        text = paragraphs[i][0]
        if len(text) <= 80 and "," not in text:
            m = _SOURCE_RE.match(text)
            if m:
                return paragraphs[:i] + paragraphs[i + 1 :], m.group(1).strip()
    return paragraphs, None


def _drop_bylines(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    while paragraphs and paragraphs[-1][1] == "right" and len(paragraphs[-1][0]) <= 50:
        paragraphs = paragraphs[:-1]
    return paragraphs


def _fallback_paragraphs(html: bytes, url: str) -> list[str]:
    import trafilatura  # heavy: only when the NukeViet structure is missing

    text = trafilatura.extract(
        html,
        url=url,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        deduplicate=False,
    )
    if not text:
        return []
    lines = (clean_text(line) for line in text.splitlines())
    return [line for line in lines if line and not _CHROME_RE.match(line)]


def _meta(root: lxml.html.HtmlElement, prop: str) -> str | None:
    for el in root.xpath(f"//meta[@property='{prop}' or @name='{prop}']"):
        content = (el.get("content") or "").strip()
        if content:
            return content
    return None


def _find_date(root: lxml.html.HtmlElement) -> datetime | None:
    for xpath in (
        f"//*[{_has_class('newsdetailmetatop')}]//span[{_has_class('h5')}]",
        f"//*[{_has_class('newsdetailmetatop')}]",
        f"//span[{_has_class('h5')}]",
        f"//*[{_has_class('time')} or {_has_class('date')} or {_has_class('post-date')}]",
    ):
        for el in root.xpath(xpath):
            found = parse_visible_date(_text_of(el))
            if found:
                return found
    body = root.find("body")
    text = _text_of(body) if body is not None else ""
    m = _DATE_WEEKDAY_RE.search(text)
    return parse_visible_date(m.group(0)) if m else None


_CATEGORY_NAME_MAX = 128


def _category_name(root: lxml.html.HtmlElement, url: str) -> str | None:
    """The name the breadcrumb gives the category of the article's link (None when it has none)."""
    alias = category_alias(url)
    if alias is None:
        return None
    crumbs = root.xpath(
        "//*[contains(@class, 'breadcrumb') or contains(@itemtype, 'BreadcrumbList')]//a[@href]"
    )
    for a in crumbs:
        try:
            path = urlsplit(urljoin(url, a.get("href") or "")).path
        except ValueError:
            continue
        if path.rstrip("/").rsplit("/", 1)[-1].lower() == alias:
            name = _text_of(a) or clean_text(a.get("title") or "")
            if name:
                return name[:_CATEGORY_NAME_MAX]
    return None


def parse_page(html: bytes, url: str) -> PageContent:
    """Read an article page; an empty PageContent when nothing can be read.  Never raises."""
    try:
        return _parse_page(html, url)
    except Exception:  # garbage in must not stop the pipeline: log and return nothing
        log.warning("could not read page %s", url, exc_info=True)
        return PageContent()


def _parse_page(html: bytes, url: str) -> PageContent:
    if not html or not html.strip():
        return PageContent()
    try:
        root = _decode(html)
    except (lxml.etree.ParserError, ValueError):
        return PageContent()
    og_image = _absolute(_meta(root, "og:image"), url)
    og_title = _meta(root, "og:title")
    head_title = root.findtext(".//title")
    category_name = _category_name(root, url)

    _prune(root)

    h1 = _first(root, f"//h1[{_has_class('title')}]")
    if h1 is None:
        h1 = _first(root, "//h1")
    title = _text_of(h1) if h1 is not None else ""
    title = title or clean_text(og_title or "") or clean_text(head_title or "")

    published = _find_date(root)

    hometext = _first(root, f"//*[{_has_class('hometext')}]")
    lead = _text_of(hometext) if hometext is not None else ""

    captions: list[str] = []
    image: str | None = None
    # the hidden #imgpreview holds the full-size file; figure.article may show a resized one
    for xpath in ("//*[@id='imgpreview']//img", f"//figure[{_has_class('article')}]//img"):
        for img in root.xpath(xpath):
            image = image or _absolute(_img_src(img), url)
    for cap in root.xpath(f"//figure[{_has_class('article')}]//figcaption"):
        text = _text_of(cap)
        if text and text not in captions:
            captions.append(text)

    body_el = _first(root, "//*[@id='news-bodyhtml']")
    if body_el is None:
        body_el = _first(root, f"//div[{_has_class('bodytext')}]")
    paragraphs: list[tuple[str, str]] = []
    body_images: list[str] = []
    if body_el is not None:
        body = _read_body(body_el, url)
        paragraphs = body.paragraphs
        captions.extend(c for c in body.captions if c not in captions)
        body_images = body.images
        if image is None and body.images:
            image = body.images[0]
    if not paragraphs:
        if len(html) > MAX_FALLBACK_BYTES:
            log.warning(
                "page %s: no NukeViet body; only the first %d of %d bytes are read",
                url,
                MAX_FALLBACK_BYTES,
                len(html),
            )
        paragraphs = [(p, "") for p in _fallback_paragraphs(html[:MAX_FALLBACK_BYTES], url)]
        if title and paragraphs and paragraphs[0][0] == title:
            paragraphs = paragraphs[1:]

    paragraphs, source = _split_source(paragraphs)
    paragraphs = _drop_bylines(paragraphs)
    if source is None:
        for el in root.xpath(f"//p[{_has_class('text-right')}]"):
            m = re.match(r"^Nguồn(?:\s+tin)?\s*:\s*(.+)$", _text_of(el), re.IGNORECASE)
            if m:
                source = m.group(1).strip()
                break
    texts = [t for t, _ in paragraphs]
    if lead and texts and texts[0] == lead:
        texts = texts[1:]

    attachments: list[str] = []
    names: list[str] = []
    links = root.xpath(
        f"//*[{_has_class('news-download-file')}]//a[@href] | //a[@download and @href]"
        " | //*[@id='news-bodyhtml']//a[@href]"
    )
    for a in links:
        href = a.get("href") or ""
        in_box = bool(a.xpath(f"ancestor::*[{_has_class('news-download-file')}]"))
        if a.get("download") is not None or _ATTACHMENT_RE.search(href) or (in_box and "download" in href):
            absolute = _absolute(href, url)
            if absolute and absolute not in attachments:
                attachments.append(absolute)
                names.append(_attachment_name(a, absolute))
    site = _host(url)
    images: list[str] = []
    for candidate in [image, *body_images]:
        if candidate and candidate not in images and _host(candidate) == site:
            images.append(candidate)

    where = f"page {url}"
    return PageContent(
        title=cap_text(title, MAX_TITLE_CHARS, "title", where) or None,
        lead=cap_text(lead, MAX_LEAD_CHARS, "lead", where) or None,
        paragraphs=_cap_body(texts, where),
        captions=tuple(cap_text(c, MAX_LEAD_CHARS, "caption", where) for c in captions[:MAX_CAPTIONS]),
        image=image or og_image,
        published=published,
        source=source,
        attachments=tuple(attachments[:MAX_ATTACHMENTS]),
        attachment_names=tuple(names[:MAX_ATTACHMENTS]),
        images=tuple(images),
        category_name=category_name,
    )


def _cap_body(paragraphs: list[str], where: str) -> tuple[str, ...]:
    """The body's paragraphs within MAX_BODY_CHARS and MAX_PARAGRAPHS (a long last one cut), logged."""
    kept: list[str] = []
    used = 0
    for text in paragraphs[:MAX_PARAGRAPHS]:
        if used + len(text) > MAX_BODY_CHARS:
            rest = MAX_BODY_CHARS - used
            if rest >= 200:
                kept.append(cap_text(text, rest, "last paragraph", where))
            break
        kept.append(text)
        used += len(text)
    if len(kept) < len(paragraphs):
        total = sum(len(p) for p in paragraphs)
        log.warning(
            "%s: body cut from %d paragraphs (%d characters) to %d", where, len(paragraphs), total, len(kept)
        )
    return tuple(kept)
