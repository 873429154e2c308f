"""The Telegram messenger's HTTP transport: python-telegram-bot's request seam (`BaseRequest`) over aiohttp.

python-telegram-bot keeps its whole request layer (URL building, JSON decoding, mapping Telegram's answers
to RetryAfter, ChatMigrated, Forbidden, BadRequest …); only the HTTP exchange itself is done here, by
aiohttp's keep-alive pool and C-accelerated HTTP parser, which costs a fraction of httpx's CPU per request
on the fan-out's hot path. Replies to commands keep python-telegram-bot's default (httpx) transport.

Behind a proxy (`TELEGRAM_PROXY_URL`): an http:// or https:// proxy is aiohttp's own (CONNECT for
https:// targets, an absolute URL for http:// ones); a socks5:// or socks5h:// one (the host name resolved
by the proxy) goes through aiohttp-socks' connector.
"""

from __future__ import annotations

import base64
from urllib.parse import unquote, urlsplit, urlunsplit

import aiohttp
from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

USER_AGENT = "TayNinhNewsBot sender (python-telegram-bot, aiohttp)"


class NotSent(Exception):
    """Cause of a TimedOut raised before the request left: safe to send again."""


def _seconds(value: object, default: float | None) -> float | None:
    if value is BaseRequest.DEFAULT_NONE:
        return default
    return value if isinstance(value, int | float) else None


def _connector(pool_size: int, proxy: str | None) -> aiohttp.BaseConnector:
    """A keep-alive pool, through a SOCKS proxy when one is given."""
    if proxy is not None and proxy.startswith("socks"):
        from aiohttp_socks import ProxyConnector

        parts = urlsplit(proxy)
        plain = urlunsplit(parts._replace(scheme="socks5"))  # socks5h: the proxy resolves the name
        return ProxyConnector.from_url(
            plain, rdns=parts.scheme == "socks5h", limit=pool_size, ttl_dns_cache=300
        )
    return aiohttp.TCPConnector(limit=pool_size, ttl_dns_cache=300)


def _http_proxy(proxy: str | None) -> tuple[str | None, dict[str, str] | None]:
    """An http(s) proxy's address without its credentials, and those as a UTF-8 Basic Proxy-Authorization
    header (aiohttp's own reading of them from the URL is Latin-1 only: a Vietnamese password would fail
    every send)."""
    if proxy is None or not proxy.startswith("http"):
        return None, None
    parts = urlsplit(proxy)
    if parts.username is None:
        return proxy, None
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    host = parts.netloc.rsplit("@", 1)[1]
    header = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return urlunsplit(parts._replace(netloc=host)), header


class AiohttpRequest(BaseRequest):
    def __init__(
        self, *, pool_size: int, read_timeout: float, connect_timeout: float, proxy: str | None = None
    ) -> None:
        self._proxy = proxy
        self._http_proxy, self._proxy_headers = _http_proxy(proxy)
        self._pool_size = pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=_connector(self._pool_size, self._proxy),
                headers={"User-Agent": USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            if request_data.contains_files:
                form = aiohttp.FormData()
                for name, value in request_data.json_parameters.items():
                    form.add_field(name, value)
                for name, part in (request_data.multipart_data or {}).items():
                    filename, content, mimetype = part
                    form.add_field(name, content, filename=filename, content_type=mimetype)
                data = form
            else:
                data = request_data.json_parameters
        timeout = aiohttp.ClientTimeout(
            total=None,
            sock_connect=_seconds(connect_timeout, self._connect_timeout),
            sock_read=_seconds(read_timeout, self._read_timeout),
        )
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                timeout=timeout,
                proxy=self._http_proxy,
                proxy_headers=self._proxy_headers,  # on the CONNECT of an https:// target
                # an http:// target (a local Bot API server) is forwarded: the header goes with the request
                headers=self._proxy_headers if url.startswith("http://") else None,
            ) as response:
                return response.status, await response.read()
        except (
            ProxyError,
            ProxyConnectionError,
            ProxyTimeoutError,
        ) as err:  # the SOCKS proxy refused, or Telegram is not there
            raise NetworkError(f"proxy: {type(err).__name__}: {err}") from NotSent(str(err))
        except aiohttp.ConnectionTimeoutError as err:
            raise TimedOut("Connect timeout: the request was not sent") from NotSent(str(err))
        except (TimeoutError, aiohttp.ServerTimeoutError) as err:
            raise TimedOut("Timed out waiting for Telegram's answer (the message may have arrived)") from err
        except aiohttp.ClientConnectorError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from NotSent(str(err))
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err
