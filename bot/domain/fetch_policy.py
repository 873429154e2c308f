"""Which URLs and addresses the bot may fetch for a feed. Pure.

Rules:

* Only ``http`` and ``https``.
* Article pages and images only from the feed's own site: the feed's host (and port, when it is not the
  scheme's default; ``http`` and ``https`` on their default ports count as the same site) plus the hosts
  an admin lists for that feed (``allowed_hosts``: ``host`` or ``host:port``).  A redirect is a new URL and
  is checked the same way, feeds included.
* Addresses (checked after DNS resolution, on every connection): never loopback, private, link-local,
  multicast, reserved or unspecified addresses — unless the feed itself is on one (development, tests),
  then its fetches may reach them too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = ["FetchPolicy", "address_is_public", "origin_of"]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str | None:
    """``host`` (or ``host:port`` for a port that is not the scheme's default) of an http(s) URL; None for
    any other URL."""
    try:
        parts = urlsplit(url.strip())
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").rstrip(".").lower()
        port = parts.port
    except ValueError:
        return None
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if port is None or port == _DEFAULT_PORTS[scheme]:
        return host
    return f"{host}:{port}"


def _normalise_host(entry: str) -> str:
    entry = entry.strip().lower().rstrip("/")
    if "://" in entry:
        return origin_of(entry) or ""
    host, _, port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
    return f"{host.rstrip('.')}:{port}" if port and port not in ("80", "443") else (host or entry).rstrip(".")


def address_is_public(address: str) -> bool:
    """Is this IP address a public (globally routable) unicast address?"""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """The sites one feed's fetches may reach. `feed_host` decides whether private addresses are allowed
    (only when it resolves to one)."""

    feed_host: str
    origins: frozenset[str]

    @classmethod
    def for_feed(cls, feed_url: str, allowed_hosts: Iterable[str] = ()) -> FetchPolicy:
        """The feed's own site plus the hosts listed for it (``host``, ``host:port`` or a URL)."""
        own = origin_of(feed_url)
        origins = {own} if own else set()
        origins.update(h for h in (_normalise_host(e) for e in allowed_hosts) if h)
        try:
            feed_host = (urlsplit(feed_url).hostname or "").rstrip(".").lower()
        except ValueError:
            feed_host = ""
        return cls(feed_host=feed_host, origins=frozenset(origins))

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched for this feed, or None when it may."""
        origin = origin_of(url)
        if origin is None:
            return f"not an http(s) URL: {url[:200]!r}"
        if origin not in self.origins:
            return f"{origin} is not this feed's site"
        return None

    def allows(self, url: str | None) -> bool:
        return bool(url) and self.refusal(url or "") is None
