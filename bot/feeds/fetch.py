"""HTTP for feeds and article pages: conditional GET, redirects, size cap, Retry-After, feed sniffing.

Rules (see also /work/shared/notes/nukeviet-feed.md):

* Every request carries a descriptive User-Agent with a contact URL (NukeViet may refuse an empty one)
  and ``Accept-Encoding: gzip``.
* Stored validators are sent back verbatim (``If-None-Match`` / ``If-Modified-Since``); a 304 ->
  ``not_modified``.  NukeViet ignores them and always answers 200, so the reliable rule is the body hash:
  a 200 whose sha256 equals the stored one -> ``unchanged``.  An unchanged ``Last-Modified`` alone is *not*
  trusted (a proxy, a clock or an edit that does not move the newest item's time could hide a change);
  the hash is checked regardless, which costs microseconds for a 30-item feed.
* Redirects are followed by hand (at most 5).  When the chain starts with permanent redirects
  (301/308) the URL they lead to is reported in ``permanent_redirect`` so the caller can update its
  configuration; a temporary hop (302/303/307) ends what counts as permanent.
* Bodies are streamed and decoded here, never by the HTTP library: ``gzip`` and ``deflate`` are inflated
  a bounded slice at a time and the fetch stops as soon as ``max_bytes`` of *decoded* content have been
  produced (a gzip bomb costs at most ``max_bytes`` plus one slice of memory) -> error "too large".
  Stacked encodings (``gzip, gzip``) and encodings we never asked for are refused -> error.
* 429/503 (and any error with a Retry-After header) -> ``error`` with ``retry_after`` in seconds, parsed
  from delta-seconds or an HTTP date.  Other non-2xx -> ``error`` with ``http_status``.
* A 200 body must look like a feed (`looks_like_feed`): NukeViet's flood blocker answers an HTML "Hãy
  đợi..." page with status 200 -> ``error`` "not a feed: …".
* ``timeout`` caps each connect/read/write phase and the whole fetch (redirects included).
* Fetch policy (`bot.domain.fetch_policy`): every URL -- the first and each redirect target -- must be
  http(s) and on the feed's own site or a host listed for the feed, else the fetch is refused before any
  request.  The client's own connections resolve the host and refuse loopback, private, link-local and
  reserved addresses (unless the feed's own host is on one), checked at connect time on the very address
  connected to, so a DNS answer cannot change between check and use.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import logging
import re
import socket
import time
import zlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from bot.domain.fetch_policy import FetchPolicy, address_is_public

__all__ = [
    "DEFAULT_USER_AGENT",
    "FeedClient",
    "FetchRefused",
    "FetchResult",
    "Validators",
    "body_hash",
    "looks_like_feed",
    "parse_retry_after",
]

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "TayNinhNewsBot/0.1 (+https://github.com/tayninh-news-bot; contact via bot)"
MAX_REDIRECTS = 5
_PERMANENT = frozenset({301, 308})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_SNIFF_WINDOW = 4096
_FEED_ROOTS = (b"<rss", b"<feed", b"<rdf:RDF", b"<RDF")
_FLOOD_MARK = "Hãy đợi".encode()
_FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
_PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
# httpx.InvalidURL and StreamError are not HTTPError subclasses; ValueError covers bad redirect targets.
_NETWORK_ERRORS = (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, OSError, ValueError)

FetchStatus = Literal["ok", "not_modified", "unchanged", "error"]


@dataclass(frozen=True, slots=True)
class Validators:
    """What to send back next time: the server's ETag / Last-Modified verbatim, and our body hash."""

    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """Outcome of one feed fetch.  `validators` are the ones to store (the old ones on error)."""

    status: FetchStatus
    url: str
    http_status: int | None
    body: bytes | None
    validators: Validators
    permanent_redirect: str | None
    retry_after: float | None
    error: str | None
    elapsed: float


def body_hash(body: bytes) -> str:
    """sha256 hex digest of a body, the reliable "did it change" rule for NukeViet feeds."""
    return hashlib.sha256(body).hexdigest()


def _skip_ws(data: bytes, i: int) -> int:
    n = len(data)
    while i < n and data[i] in b" \t\r\n":
        i += 1
    return i


def looks_like_feed(body: bytes) -> bool:
    """Cheap sniff: is the document's root element <rss>, <feed> or <rdf:RDF>?

    Skips a BOM, the XML declaration, processing instructions (xml-stylesheet), comments and a doctype
    within the first 4 KiB.  UTF-16 bodies are decoded for the sniff.  Never parses the whole document.
    """
    head = body[:_SNIFF_WINDOW]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    i = _skip_ws(head, 0)
    while i < len(head):
        if head.startswith(b"<?", i):
            end = head.find(b"?>", i + 2)
            if end < 0:
                return False
            i = _skip_ws(head, end + 2)
        elif head.startswith(b"<!--", i):
            end = head.find(b"-->", i + 4)
            if end < 0:
                return False
            i = _skip_ws(head, end + 3)
        elif head.startswith(b"<!DOCTYPE", i) or head.startswith(b"<!doctype", i):
            if head[i:].lstrip()[:14].lower().startswith(b"<!doctype html"):
                return False
            end = head.find(b">", i)
            bracket = head.find(b"[", i)
            if 0 <= bracket < end:  # an internal subset: the doctype ends at "]>"
                end = head.find(b"]", bracket)
                end = head.find(b">", end) if end >= 0 else -1
            if end < 0:
                return False
            i = _skip_ws(head, end + 1)
        else:
            if not head.startswith(_FEED_ROOTS, i):
                return False
            nxt = head[i + 1 :].split(b"<", 1)[0]
            name = re.match(rb"[A-Za-z:]+", nxt)
            return name is not None and name.group(0) in (b"rss", b"feed", b"rdf:RDF", b"RDF")
    return False


def _describe_non_feed(body: bytes, content_type: str | None) -> str:
    text = body[:2048].decode("utf-8", errors="replace")
    m = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    snippet = m.group(1) if m and m.group(1).strip() else re.sub(r"<[^>]*>", " ", text)
    snippet = " ".join(snippet.split())[:80]
    if _FLOOD_MARK in body[:65536]:
        snippet = f"flood blocker page ({snippet})" if snippet else "flood blocker page"
    kind = (content_type or "no content-type").split(";")[0].strip()
    return f"not a feed: {kind}: {snippet!r}" if snippet else f"not a feed: {kind}, empty body"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date (past dates -> 0)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


class _TooLarge(Exception):
    pass


class FetchRefused(Exception):
    """The fetch policy forbids this URL or address; nothing was sent to it."""


_POLICY: contextvars.ContextVar[FetchPolicy | None] = contextvars.ContextVar("fetch_policy", default=None)


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, resolving the host itself and connecting only to an address the current
    fetch policy allows (the address checked is the address connected to)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.AnyIOBackend()

    @staticmethod
    async def _addresses(host: str, port: int) -> list[str]:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(info[4][0]) for info in infos))

    async def _private_allowed(self, policy: FetchPolicy) -> bool:
        try:
            return not all(address_is_public(a) for a in await self._addresses(policy.feed_host, 80))
        except OSError:
            return False

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._addresses(host, port)
        policy = _POLICY.get()
        if policy is not None:
            private = [a for a in addresses if not address_is_public(a)]
            if private and not await self._private_allowed(policy):
                raise FetchRefused(f"{host} resolves to a non-public address ({private[0]})")
        if not addresses:
            raise httpcore.ConnectError(f"{host}: no address")
        return await self._inner.connect_tcp(
            addresses[0], port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        raise FetchRefused("unix sockets are never fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _guarded_client(timeout: float) -> httpx.AsyncClient:
    transport = httpx.AsyncHTTPTransport()
    transport._pool._network_backend = _GuardedBackend()  # the one seam httpx leaves for a backend
    return httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False, transport=transport)


class _BadEncoding(Exception):
    pass


_INFLATE_SLICE = 64 * 1024


class _Inflater:
    """Decodes one Content-Encoding (identity, gzip or deflate) producing at most `limit` bytes in total;
    inflates a slice at a time so a tiny bomb never expands in one call.  Raises _TooLarge, _BadEncoding."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        codings = [c.strip().lower() for c in (content_encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1:
            raise _BadEncoding(f"stacked content encodings refused: {', '.join(codings)}")
        self.coding = codings[0] if codings else "identity"
        if self.coding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise _BadEncoding(f"unsupported content encoding {self.coding!r}")
        self.limit = limit
        self.size = 0
        self.chunks: list[bytes] = []
        self._zlib: Any = self._new()
        self._first = True

    def _new(self) -> Any:
        if self.coding in ("gzip", "x-gzip"):
            return zlib.decompressobj(zlib.MAX_WBITS | 16)
        if self.coding == "deflate":
            return zlib.decompressobj()
        return None

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLarge(f"more than {self.limit} bytes")
        if data:
            self.chunks.append(data)

    def feed(self, raw: bytes) -> None:
        if self._zlib is None:
            self._keep(raw)
            return
        data = raw
        while data:
            try:
                out = self._zlib.decompress(data, _INFLATE_SLICE)
            except zlib.error as exc:
                if self.coding == "deflate" and self._first:  # raw deflate, without the zlib header
                    self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._first = False
                    continue
                raise _BadEncoding(f"invalid {self.coding} data: {exc}") from exc
            self._first = False
            self._keep(out)
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:
                rest = self._zlib.unused_data
                if not rest.startswith(b"\x1f\x8b"):
                    return  # trailing bytes after the stream are ignored
                self._zlib = self._new()  # a further gzip member
                data = rest

    def finish(self) -> bytes:
        if self._zlib is not None:
            self._keep(self._zlib.flush(_INFLATE_SLICE))
        return b"".join(self.chunks)


class FeedClient:
    """Polite HTTP client for feeds and article pages around one `httpx.AsyncClient`.

    Pass `client` to inject a transport (tests use `httpx.MockTransport`); an injected client is not closed
    by `aclose`.  Redirects are always handled here, whatever the client's own setting.
    """

    def __init__(
        self,
        client: httpx.AsyncClient | None = None,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 20,
        max_bytes: int = 5_000_000,
        proxy: str | None = None,
    ) -> None:
        if not user_agent.strip():
            raise ValueError("a descriptive User-Agent is required")
        self._owns_client = client is None
        self._timeout = timeout
        self._max_bytes = max_bytes
        self._user_agent = user_agent
        # Behind FEEDS_PROXY_URL the proxy makes the connections: the host policy still applies to every
        # request and redirect, the address check is then the proxy's.
        self._client = client or (
            _guarded_client(timeout)
            if proxy is None
            else httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False, proxy=proxy)
        )

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> FeedClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": self._user_agent, "Accept-Encoding": "gzip"}
        if extra:
            headers.update(extra)
        return headers

    async def _get(
        self, url: str, headers: dict[str, str], policy: FetchPolicy
    ) -> tuple[httpx.Response, bytes | None, str, str | None]:
        """GET following redirects by hand; returns (last response, body or None for 3xx/304, final url,
        permanent redirect target).  Raises _TooLarge, FetchRefused, httpx errors, ValueError for bad
        redirects."""
        token = _POLICY.set(policy)
        try:
            return await self._follow(url, headers, policy)
        finally:
            _POLICY.reset(token)

    async def _follow(
        self, url: str, headers: dict[str, str], policy: FetchPolicy
    ) -> tuple[httpx.Response, bytes | None, str, str | None]:
        current = url
        permanent: str | None = None
        still_permanent = True
        for _ in range(MAX_REDIRECTS + 1):
            refusal = policy.refusal(current)
            if refusal:
                raise FetchRefused(f"refused {current[:300]}: {refusal}")
            async with self._client.stream(
                "GET", current, headers=headers, timeout=self._timeout, follow_redirects=False
            ) as resp:
                if resp.status_code in _REDIRECTS and "location" in resp.headers:
                    target = urljoin(current, resp.headers["location"].strip())
                    if urlsplit(target).scheme not in ("http", "https"):
                        raise ValueError(f"redirect to unsupported URL {target!r}")
                    if still_permanent and resp.status_code in _PERMANENT:
                        permanent = target
                    else:
                        still_permanent = False
                    current = target
                    continue
                if resp.status_code == 304 or not (200 <= resp.status_code < 300):
                    # Error bodies are small and unused: read at most a little for diagnostics.
                    return resp, None, current, permanent
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self._max_bytes:
                    raise _TooLarge(f"Content-Length {declared}")
                if resp.is_stream_consumed:  # an in-memory response (a mock transport), already decoded
                    inflater = _Inflater(None, self._max_bytes)
                    inflater.feed(resp.content)
                else:
                    inflater = _Inflater(resp.headers.get("content-encoding"), self._max_bytes)
                    async for chunk in resp.aiter_raw():
                        inflater.feed(chunk)
                return resp, inflater.finish(), current, permanent
        raise httpx.TooManyRedirects(f"more than {MAX_REDIRECTS} redirects from {url}")

    async def fetch_feed(
        self, url: str, validators: Validators, *, policy: FetchPolicy | None = None
    ) -> FetchResult:
        """Conditional GET of a feed; never raises for HTTP or network trouble (status "error").
        `policy`: the feed's sites (default: the feed URL's own)."""
        policy = policy or FetchPolicy.for_feed(url)
        started = time.monotonic()
        extra: dict[str, str] = {"Accept": _FEED_ACCEPT}
        if validators.etag:
            extra["If-None-Match"] = validators.etag
        if validators.last_modified:
            extra["If-Modified-Since"] = validators.last_modified
        permanent: str | None = None

        def result(status: FetchStatus, **changes: Any) -> FetchResult:
            base = FetchResult(
                status=status,
                url=url,
                http_status=None,
                body=None,
                validators=validators,
                permanent_redirect=permanent,
                retry_after=None,
                error=None,
                elapsed=time.monotonic() - started,
            )
            return replace(base, **changes) if changes else base

        try:
            async with asyncio.timeout(self._timeout):
                resp, body, final_url, permanent = await self._get(url, self._headers(extra), policy)
        except FetchRefused as exc:
            log.warning("feed %s: %s", url, exc)
            return result("error", error=str(exc))
        except _TooLarge as exc:
            log.warning("feed %s too large: %s", url, exc)
            return result("error", error=f"too large: {exc}")
        except _BadEncoding as exc:
            log.warning("feed %s refused: %s", url, exc)
            return result("error", error=str(exc))
        except (TimeoutError, httpx.TimeoutException) as exc:
            log.warning("feed %s timed out", url)
            return result("error", error=f"timeout: {type(exc).__name__}")
        except _NETWORK_ERRORS as exc:
            log.warning("feed %s failed: %s", url, exc)
            return result("error", error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)

        code = resp.status_code
        new_validators = Validators(
            etag=resp.headers.get("etag") or validators.etag,
            last_modified=resp.headers.get("last-modified") or validators.last_modified,
            body_hash=validators.body_hash,
        )
        if code == 304:
            return result("not_modified", url=final_url, http_status=code, validators=new_validators)
        if body is None:
            retry_after = parse_retry_after(resp.headers.get("retry-after"))
            log.warning("feed %s answered HTTP %s (retry after %s)", url, code, retry_after)
            return result(
                "error", url=final_url, http_status=code, retry_after=retry_after, error=f"HTTP {code}"
            )
        digest = body_hash(body)
        if validators.body_hash is not None and digest == validators.body_hash:
            return result("unchanged", url=final_url, http_status=code, validators=new_validators)
        if not looks_like_feed(body):
            error = _describe_non_feed(body, resp.headers.get("content-type"))
            log.warning("feed %s: %s", url, error)
            return result("error", url=final_url, http_status=code, error=error)
        return result(
            "ok",
            url=final_url,
            http_status=code,
            body=body,
            validators=Validators(new_validators.etag, new_validators.last_modified, digest),
        )

    async def fetch_page(self, url: str, *, policy: FetchPolicy | None = None) -> bytes | None:
        """GET an article page; None on any failure (refused by the feed's `policy`, network, non-2xx, too
        large, flood blocker), logged.  Without a policy only the page URL's own site is allowed."""
        policy = policy or FetchPolicy.for_feed(url)
        try:
            async with asyncio.timeout(self._timeout):
                resp, body, _final, _perm = await self._get(
                    url, self._headers({"Accept": _PAGE_ACCEPT}), policy
                )
        except (TimeoutError, _TooLarge, _BadEncoding, FetchRefused, *_NETWORK_ERRORS) as exc:
            log.warning("page %s failed: %s: %s", url, type(exc).__name__, exc)
            return None
        if body is None:
            log.warning("page %s answered HTTP %s", url, resp.status_code)
            return None
        if len(body) < 20_000 and _FLOOD_MARK in body and b"bodytext" not in body:
            log.warning("page %s: flood blocker page", url)
            return None
        return body
