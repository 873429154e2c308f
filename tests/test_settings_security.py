"""Settings for hostile input: per-feed allowed hosts, the health server's address, the metrics token."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.services.ingest import feed_policy
from bot.settings import load_settings


def test_defaults_keep_the_health_server_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.toml"
    path.write_text('[[feeds]]\nurl = "https://sokhcn.tayninh.gov.vn/vi/news/rss/"\n', encoding="utf-8")
    settings = load_settings(path)
    assert settings.health_listen == "127.0.0.1" and settings.metrics_token is None
    assert settings.feed_list[0].allowed_hosts == ()
    monkeypatch.setenv("HEALTH_LISTEN", "0.0.0.0")
    monkeypatch.setenv("METRICS_TOKEN", "metrics-bearer-9f8e7d")
    opened = load_settings(path)
    assert opened.health_listen == "0.0.0.0"
    assert (
        opened.metrics_token is not None
        and opened.metrics_token.get_secret_value() == "metrics-bearer-9f8e7d"
    )
    assert "metrics-bearer-9f8e7d" not in repr(opened)


def test_allowed_hosts_per_feed_make_the_fetch_policy(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(
        '[[feeds]]\nurl = "https://sokhcn.tayninh.gov.vn/vi/news/rss/"\n'
        'allowed_hosts = ["tayninh.gov.vn", "cdn.tayninh.gov.vn:8443"]\n'
        '[[feeds]]\nurl = "https://sotttt.tayninh.gov.vn/vi/news/rss/"\n',
        encoding="utf-8",
    )
    feeds = load_settings(path).feed_list
    sokhcn, sotttt = (f.url for f in feeds)
    first = feed_policy(feeds, sokhcn, sokhcn)
    second = feed_policy(feeds, sotttt, sotttt)
    assert first.allows("https://tayninh.gov.vn/vi/news/a-1.html")
    assert first.allows("https://cdn.tayninh.gov.vn:8443/uploads/a.jpg")
    assert not second.allows("https://tayninh.gov.vn/vi/news/a-1.html")  # listed for the other feed only
    assert second.allows("https://sotttt.tayninh.gov.vn/vi/news/b-2.html")
    moved = feed_policy(feeds, sokhcn, "https://tayninh.gov.vn/vi/news/rss/")  # after a listed redirect
    assert moved.allows("https://sokhcn.tayninh.gov.vn/vi/news/c-3.html")
