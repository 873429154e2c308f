"""Stable identity of feed entries and the NukeViet 4.x pubDate repair. Pure: no I/O.

Identity rules (first that applies wins), see `entry_key`:

1. NukeViet guid ``<module>_<id>`` (``news_1234``, whitespace stripped) -> ``"<host>/<module>/<id>"``.
2. An article id at the end of the link (``…/<slug>-<id>.html``) -> the same ``"<host>/<module>/<id>"``
   form, so an item keeps its key whether or not the guid is present.  The module is the path segment
   after an optional two-letter language segment when the path has ``module/category/slug`` shape,
   else ``news`` (the NukeViet default), so ``/vi/news/tin-hoat-dong/x-1234.html`` agrees with ``news_1234``.
3. The normalised link (scheme and host lowercased, default port, fragment and tracking parameters dropped).
4. A stable hash of the guid (``"<host>/guid/<sha256[:20]>"``), last of all of the title (keyword argument).

The host comes from the link when there is one, else from the feed URL; it is lowercased and a leading
``www.`` is dropped (the same site served both ways keeps its keys).
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

__all__ = [
    "category_alias",
    "entry_key",
    "fix_nukeviet_pubdate",
    "is_nukeviet_minute_bug",
    "normalise_url",
    "site_host",
]

_GUID_RE = re.compile(r"^([a-z][a-z0-9-]*)_(\d+)$", re.IGNORECASE)
_LINK_ID_RE = re.compile(r"-(\d+)\.html?$", re.IGNORECASE)
_LANG_RE = re.compile(r"^[a-z]{2}$")
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_PARAMS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "zarsrc", "_ga", "_gl", "igshid"}
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


def site_host(url: str | None) -> str:
    """Lowercased host of `url` without port, userinfo or a leading ``www.`` ("" when there is none)."""
    if not url:
        return ""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def normalise_url(url: str) -> str:
    """Scheme and host lowercased, default port and fragment dropped, utm_* and click ids removed."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if port is not None and _DEFAULT_PORTS.get(scheme) != port:
        netloc = f"{host}:{port}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [
            (k, v)
            for k, v in pairs
            if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_PARAMS
        ]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    path = parts.path or ("/" if netloc else "")
    return urlunsplit((scheme, netloc, path, query, ""))


def _module_from_path(path: str) -> str:
    segments = [s for s in path.split("/") if s]
    if segments and _LANG_RE.match(segments[0]):
        segments = segments[1:]
    # NukeViet rewritten article links are module/category/slug-id.html; anything shorter: the default module.
    if len(segments) >= 3 and re.fullmatch(r"[a-z][a-z0-9-]*", segments[0], re.IGNORECASE):
        return segments[0].lower()
    return "news"


_ALIAS_RE = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")


def category_alias(link: str | None) -> str | None:
    """The site's category of an article, read from its NukeViet link
    (``…/<module>/<category-alias>/<slug>-<id>.html`` → ``category-alias``); None for any other link."""
    if not link:
        return None
    try:
        path = urlsplit(link.strip()).path
    except ValueError:
        return None
    if not _LINK_ID_RE.search(path):
        return None
    segments = [s for s in path.split("/") if s]
    if segments and _LANG_RE.match(segments[0]):
        segments = segments[1:]
    if len(segments) < 3:
        return None
    alias = segments[-2].lower()
    return alias if _ALIAS_RE.fullmatch(alias) else None


def entry_key(guid: str | None, link: str | None, feed_url: str, *, title: str | None = None) -> str:
    """The stable identity of a feed entry (see the module docstring for the rules).

    Raises ValueError when there is nothing to build an identity from (no guid, link or title).
    """
    guid = (guid or "").strip() or None
    link = (link or "").strip() or None
    if link:
        link = urljoin(feed_url, link)
    host = site_host(link) or site_host(feed_url)

    if guid:
        m = _GUID_RE.match(guid)
        if m:
            return f"{host}/{m.group(1).lower()}/{int(m.group(2))}"
    if link:
        try:
            path = urlsplit(link).path
        except ValueError:
            path = ""
        m = _LINK_ID_RE.search(path)
        if m:
            return f"{host}/{_module_from_path(path)}/{int(m.group(1))}"
        return normalise_url(link)
    if guid:
        return f"{host}/guid/{hashlib.sha256(guid.encode('utf-8')).hexdigest()[:20]}"
    if title and title.strip():
        digest = hashlib.sha256(" ".join(title.split()).encode("utf-8")).hexdigest()[:20]
        return f"{host}/title/{digest}"
    raise ValueError("entry has no guid, link or title to identify it")


def is_nukeviet_minute_bug(dt: datetime) -> bool:
    """Heuristic for one date: NukeViet 4.x writes the month where the minutes go (``H:m:s``).

    True when the minute equals the month number.  One date alone gives 1 in 60 false positives; the feed
    parser only repairs dates when the feed is NukeViet *and* every dated item matches.
    """
    return dt.minute == dt.month


def fix_nukeviet_pubdate(dt: datetime) -> datetime:
    """Repair a pubDate written by NukeViet 4.x (``gmdate('D, j M Y H:m:s')``: minutes field = month).

    Trust the date and the hour only: the minute is unknown, so the result is the same date and hour with
    minute, second and microsecond 0, in UTC.  The hour is kept in the offset the feed wrote it in (GMT for
    NukeViet), then converted, so for Asia/Ho_Chi_Minh (+07:00, a whole-hour offset) the local date and hour
    are right too: 28/06/2020 18:00 +07 -> "Sun, 28 Jun 2020 11:06:00 GMT" -> 2020-06-28 11:00 UTC.
    A naive datetime is taken as UTC.  The article page's visible date (minute precision) refines it.
    """
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
