"""A local HTTP server for end-to-end feed tests (aiohttp on 127.0.0.1, random port).

    async with FeedServer() as server:
        server.set("/vi/news/rss/", body, last_modified="Sun, 28 Jun 2020 11:06:00 GMT")
        url = server.url("/vi/news/rss/")
        ...
        server.requests["/vi/news/rss/"][-1]["If-Modified-Since"]

By default it behaves like NukeViet: validators are ignored (always 200).  `honour_validators=True`
(constructor or attribute) models servers that answer 304 to a matching If-None-Match / If-Modified-Since
and send an ETag.  gzip is used when the client asks for it (`gzip=False` to turn it off).
"""

from __future__ import annotations

import asyncio
import gzip as gzip_module
import hashlib
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class _Resource:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/xml; charset=utf-8"
    last_modified: str | None = None
    delay: float = 0.0
    trickle: float = 0.0  # seconds between chunks of TRICKLE_BYTES (a server that sends a byte at a time)


TRICKLE_BYTES = 16


@dataclass
class _Failure:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    remaining: int | None = None  # None: until cleared


class FeedServer:
    def __init__(self, *, honour_validators: bool = False, gzip: bool = True) -> None:
        self.honour_validators = honour_validators
        self.gzip = gzip
        self.requests: dict[str, list[dict[str, str]]] = {}
        self._resources: dict[str, _Resource] = {}
        self._redirects: dict[str, tuple[str, int]] = {}
        self._failures: dict[str, _Failure] = {}
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> FeedServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        address = self._runner.addresses[0]
        self.port = int(address[1])
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FeedServer:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- configuration ---------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def set(
        self,
        path: str,
        body: bytes,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str = "text/xml; charset=utf-8",
        *,
        last_modified: str | None = None,
        delay: float = 0.0,
        trickle: float = 0.0,
    ) -> None:
        self._resources[path] = _Resource(
            body, status, dict(headers or {}), content_type, last_modified, delay, trickle
        )
        self._redirects.pop(path, None)

    def set_trickle(self, path: str, seconds: float) -> None:
        """Serve `path` a few bytes every `seconds` from now on (0: all at once again)."""
        self._resources[path].trickle = seconds

    def redirect(self, path: str, to_path: str, status: int = 301) -> None:
        self._redirects[path] = (to_path, status)

    def fail(
        self,
        path: str,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        count: int | None = None,
    ) -> None:
        self._failures[path] = _Failure(status, body, dict(headers or {}), count)

    def clear_failure(self, path: str) -> None:
        self._failures.pop(path, None)

    # -- serving ---------------------------------------------------------------------------------
    @staticmethod
    def etag_for(body: bytes) -> str:
        return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path_qs if request.query_string else request.path
        self.requests.setdefault(path, []).append(dict(request.headers))

        failure = self._failures.get(path)
        if failure is not None:
            if failure.remaining is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    del self._failures[path]
            return web.Response(status=failure.status, body=failure.body, headers=failure.headers)

        if path in self._redirects:
            to_path, status = self._redirects[path]
            return web.Response(status=status, headers={"Location": to_path})

        res = self._resources.get(path)
        if res is None:
            return web.Response(status=404, text="Not Found")
        if res.delay:
            await asyncio.sleep(res.delay)

        headers: dict[str, Any] = dict(res.headers)
        if res.last_modified:
            headers["Last-Modified"] = res.last_modified
        if self.honour_validators:
            etag = self.etag_for(res.body)
            headers["ETag"] = etag
            inm = request.headers.get("If-None-Match")
            ims = request.headers.get("If-Modified-Since")
            if (inm is not None and inm == etag) or (
                inm is None and ims is not None and res.last_modified is not None and ims == res.last_modified
            ):
                return web.Response(status=304, headers=headers)

        body = res.body
        if self.gzip and "gzip" in request.headers.get("Accept-Encoding", "").lower():
            body = gzip_module.compress(body)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        headers["Content-Type"] = res.content_type
        if res.trickle:
            stream = web.StreamResponse(status=res.status, headers=headers)
            await stream.prepare(request)
            for start in range(0, len(body), TRICKLE_BYTES):
                await stream.write(body[start : start + TRICKLE_BYTES])
                await asyncio.sleep(res.trickle)
            await stream.write_eof()
            return stream
        return web.Response(status=res.status, body=body, headers=headers)
