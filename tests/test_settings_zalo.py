"""Zalo settings: off unless ZALO_BOT_TOKEN is set, the token only from the environment and never shown,
the API address, the webhook secret and the send rate checked once at start-up."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from bot.logs import JsonFormatter, RedactingFormatter, secrets_of
from bot.settings import SettingsError, load_settings

TOKEN = "1459232241454765289:zAlO-SeCrEt-pArT-0042"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text('[[feeds]]\nurl = "https://sokhcn.tayninh.gov.vn/vi/news/rss/"\n', encoding="utf-8")
    return path


def test_zalo_is_off_by_default(config: Path) -> None:
    settings = load_settings(config)
    assert settings.zalo_token is None and settings.zalo_webhook_secret is None
    assert settings.zalo_api_base_url == "https://bot-api.zaloplatforms.com"
    assert settings.zalo_send_rate_per_second == 2.0


def test_the_token_comes_from_the_environment_and_is_never_shown(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZALO_BOT_TOKEN", f"  {TOKEN} ")
    monkeypatch.setenv("ZALO_WEBHOOK_SECRET", "zalo-hook-secret-77")
    monkeypatch.setenv("ZALO_API_BASE_URL", "http://127.0.0.1:8099/")
    monkeypatch.setenv("ZALO_SEND_RATE_PER_SECOND", "5")
    settings = load_settings(config)
    assert settings.zalo_token == TOKEN
    assert settings.zalo_api_base_url == "http://127.0.0.1:8099"
    assert settings.zalo_send_rate_per_second == 5.0
    assert "zAlO-SeCrEt" not in repr(settings) and "zalo-hook-secret-77" not in repr(settings)


def test_an_empty_token_leaves_zalo_off(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZALO_BOT_TOKEN", "  ")
    assert load_settings(config).zalo_token is None


def test_the_token_in_a_settings_file_is_refused(config: Path) -> None:
    config.write_text(f'zalo_bot_token = "{TOKEN}"\n' + config.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(SettingsError, match="ZALO_BOT_TOKEN") as caught:
        load_settings(config)
    assert "zAlO" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        ("ZALO_BOT_TOKEN", "no-colon-zAlO-SeCrEt", False),
        ("ZALO_BOT_TOKEN", "123:with space zAlO", False),
        ("ZALO_WEBHOOK_SECRET", "short", False),
        ("ZALO_WEBHOOK_SECRET", "x" * 257, False),
        ("ZALO_API_BASE_URL", "bot-api.zaloplatforms.com", True),
        ("ZALO_API_BASE_URL", "https://bot-api.zaloplatforms.com/bot", True),
        ("ZALO_SEND_RATE_PER_SECOND", "0", True),
        ("ZALO_SEND_RATE_PER_SECOND", "1000", True),
    ],
)
def test_a_bad_zalo_setting_is_named_in_one_line(
    config: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, shown: bool
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    message = str(caught.value)
    assert message.startswith(f"invalid setting {name}:") and "\n" not in message
    assert (value in message) is shown  # secrets are never repeated


def test_the_zalo_token_and_secret_are_redacted_from_logs(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZALO_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("ZALO_WEBHOOK_SECRET", "zalo-hook-secret-77")
    settings = load_settings(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(RedactingFormatter(JsonFormatter(), secrets_of(settings)))
    logger = logging.getLogger("httpx.zalo-test")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        logger.info("HTTP Request: POST https://bot-api.zaloplatforms.com/bot%s/sendMessage", TOKEN)
        logger.info("encoded %s, secret part %s", TOKEN.replace(":", "%3A"), TOKEN.split(":")[1])
        logger.debug(
            "setWebhook %s", {"url": "https://bot.example.org/zalo", "secret_token": "zalo-hook-secret-77"}
        )
    finally:
        logger.removeHandler(handler)
    written = stream.getvalue()
    assert "zAlO-SeCrEt" not in written and "zalo-hook-secret-77" not in written
    assert written.count("<redacted>") == 4 and "sendMessage" in written
