"""TELEGRAM_PROXY_URL and FEEDS_PROXY_URL: checked at start in one line that never shows a password;
the sender's transport sends proxy credentials as UTF-8 Basic auth."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from bot.delivery.transport import _http_proxy
from bot.settings import SettingsError, load_settings


def settings_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str):
    path = tmp_path / "settings.toml"
    path.write_text('[[feeds]]\nurl = "https://a.example/rss"\n', encoding="utf-8")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(path)


@pytest.mark.parametrize(
    "url",
    [
        "http://proxy.so.local:3128",
        "https://u:p@proxy.example:8443",
        "socks5://10.0.0.1:1080",
        "socks5h://p:1",
    ],
)
def test_proxy_urls_of_every_supported_kind_are_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    settings = settings_with(tmp_path, monkeypatch, TELEGRAM_PROXY_URL=url, FEEDS_PROXY_URL=url)
    assert settings.telegram_proxy == url and settings.feeds_proxy == url
    assert url not in repr(settings)  # kept as a secret: it may hold a password


def test_no_proxy_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_with(tmp_path, monkeypatch)
    assert settings.telegram_proxy is None and settings.feeds_proxy is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://user:hunter2@proxy:21", "must be an http://, https://, socks5:// or socks5h:// proxy URL"),
        ("socks5://user:hunter2@proxy", "a SOCKS proxy URL needs a port"),
        ("http://user:hunter2@:3128", "the proxy URL has no host"),
    ],
)
def test_a_wrong_proxy_url_stops_start_up_without_showing_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str, says: str
) -> None:
    for name in ("TELEGRAM_PROXY_URL", "FEEDS_PROXY_URL"):
        with monkeypatch.context() as env, pytest.raises(SettingsError) as caught:
            settings_with(tmp_path, env, **{name: url})
        line = str(caught.value)
        assert line.startswith(f"invalid setting {name}:") and says in line
        assert "hunter2" not in line


def test_proxy_credentials_are_sent_as_utf8_basic_auth_and_kept_out_of_the_address() -> None:
    address, header = _http_proxy("http://s%E1%BB%9F:m%E1%BA%ADt%20kh%E1%BA%A9u@proxy.local:3128")
    assert address == "http://proxy.local:3128"
    assert header == {"Proxy-Authorization": "Basic " + base64.b64encode("sở:mật khẩu".encode()).decode()}
    assert _http_proxy("http://proxy.local:3128") == ("http://proxy.local:3128", None)
    assert _http_proxy("socks5://proxy.local:1080") == (None, None)  # the SOCKS connector's business
    assert _http_proxy(None) == (None, None)
