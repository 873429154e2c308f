"""Small proxies on 127.0.0.1 that record what passes through them: an HTTP proxy (CONNECT tunnels and
absolute-URL forwarding, optionally asking for Basic credentials) and a SOCKS5 proxy (no authentication)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import socket
import struct
from dataclasses import dataclass
from typing import Self
from urllib.parse import urlsplit

HOP_BY_HOP = ("connection", "keep-alive", "proxy-connection", "proxy-authorization")


@dataclass(frozen=True)
class Passed:
    kind: str  # "forward", "connect" or "socks"
    target: str  # host:port
    method: str = ""  # the HTTP method of a forwarded request
    path: str = ""  # its path
    user_agent: str = ""

    @property
    def bot_method(self) -> str:
        """The Bot API method of a forwarded request to /bot<token>/<method>."""
        return self.path.rsplit("/", 1)[-1]


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def _tunnel(
    client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter, host: str, port: int
) -> asyncio.StreamWriter:
    up_r, up_w = await asyncio.open_connection(host, port)
    await asyncio.gather(_pipe(client_r, up_w), _pipe(up_r, client_w))
    return up_w


class _Base:
    def __init__(self) -> None:
        self.passed: list[Passed] = []
        self.port = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def __aenter__(self) -> Self:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.get_running_loop().create_task(self._serve(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self.handle(reader, writer)
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        raise NotImplementedError


class HttpProxy(_Base):
    """CONNECT host:port → a tunnel; `GET http://host:port/path` → forwarded with `Connection: close`."""

    def __init__(self, credentials: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.credentials = credentials
        self.refused = 0  # requests without the right Proxy-Authorization

    def url(self, scheme: str = "http") -> str:
        auth = f"{self.credentials[0]}:{self.credentials[1]}@" if self.credentials else ""
        return f"{scheme}://{auth}127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, *header_lines = head.decode("latin-1").split("\r\n")
        method, target, version = request_line.split(" ", 2)
        headers = [line.split(":", 1) for line in header_lines if ":" in line]
        fields = {name.strip().lower(): value.strip() for name, value in headers}
        if self.credentials is not None:
            wanted = base64.b64encode(":".join(self.credentials).encode()).decode()
            if fields.get("proxy-authorization") != f"Basic {wanted}":
                self.refused += 1
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
        agent = fields.get("user-agent", "")
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            self.passed.append(Passed("connect", target, user_agent=agent))
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            await writer.drain()
            await _tunnel(reader, writer, host, int(port))
            return
        url = urlsplit(target)
        path = url.path + (f"?{url.query}" if url.query else "")
        self.passed.append(Passed("forward", url.netloc, method, url.path, agent))
        length = int(fields.get("content-length", "0"))
        body = await reader.readexactly(length) if length else b""
        kept = [
            f"{name.strip()}: {value.strip()}"
            for name, value in headers
            if name.strip().lower()
            not in ("connection", "keep-alive", "proxy-connection", "proxy-authorization")
        ]
        up_r, up_w = await asyncio.open_connection(url.hostname, url.port or 80)
        up_w.write(("\r\n".join([f"{method} {path} {version}", *kept, "Connection: close", "", ""])).encode())
        up_w.write(body)
        await up_w.drain()
        await _pipe(up_r, writer)
        up_w.close()


class Socks5Proxy(_Base):
    """RFC 1928, CONNECT only, no authentication; IPv4, IPv6 and names (socks5h)."""

    def url(self, scheme: str = "socks5") -> str:
        return f"{scheme}://127.0.0.1:{self.port}"

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 5 or 0 not in methods:
            writer.write(b"\x05\xff")
            return
        writer.write(b"\x05\x00")
        _, command, _, kind = await reader.readexactly(4)
        if kind == 1:
            host = socket.inet_ntop(socket.AF_INET, await reader.readexactly(4))
        elif kind == 4:
            host = socket.inet_ntop(socket.AF_INET6, await reader.readexactly(16))
        else:
            host = (await reader.readexactly((await reader.readexactly(1))[0])).decode()
        (port,) = struct.unpack(">H", await reader.readexactly(2))
        if command != 1:
            writer.write(b"\x05\x07\x00\x01" + bytes(6))
            return
        self.passed.append(Passed("socks", f"{host}:{port}"))
        writer.write(b"\x05\x00\x00\x01" + bytes(6))
        await writer.drain()
        await _tunnel(reader, writer, host, port)
