"""Settings: file + environment, validated once, one clear line naming a bad setting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_committed_defaults_load() -> None:
    settings = load_settings(ROOT / "config" / "settings.toml")
    assert settings.timezone == "Asia/Ho_Chi_Minh"
    assert settings.default_language == "vi"
    assert settings.feed_list and all(f.url.startswith("https://") for f in settings.feed_list)
    assert settings.telegram_api_base_url == "https://api.telegram.org/bot"
    assert settings.database_url.startswith("sqlite:///")


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, 'poll_interval_seconds = 900\n[[feeds]]\nurl = "https://a.example/rss"\n')
    monkeypatch.setenv("POLL_INTERVAL_SECONDS", "120")
    monkeypatch.setenv("ADMIN_IDS", "11, 22")
    monkeypatch.setenv("FEED_URLS", "https://b.example/rss,https://c.example/rss")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@127.0.0.1/db")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:TOPSECRETTOKEN")
    monkeypatch.setenv("WEBHOOK_SECRET", "HOOKSECRET")
    s = load_settings(path)
    assert s.poll_interval_seconds == 120
    assert s.admin_ids == (11, 22)
    assert [f.url for f in s.feed_list] == ["https://b.example/rss", "https://c.example/rss"]
    assert s.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert s.database_url == "postgresql://u@127.0.0.1/db"
    assert s.log_level == "DEBUG"
    assert s.token == "123:TOPSECRETTOKEN"
    assert "TOPSECRETTOKEN" not in repr(s) and "HOOKSECRET" not in repr(s)


@pytest.mark.parametrize(
    ("name", "value", "needle"),
    [
        ("POLL_INTERVAL_SECONDS", "often", "POLL_INTERVAL_SECONDS"),
        ("POLL_INTERVAL_SECONDS", "1", "POLL_INTERVAL_SECONDS"),
        ("ADMIN_IDS", "12,abc", "ADMIN_IDS"),
        ("FEED_URLS", "ftp://x/rss", "FEED_URLS"),
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL"),
        ("TELEGRAM_API_BASE_URL", "api.telegram.org", "TELEGRAM_API_BASE_URL"),
    ],
)
def test_a_bad_value_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, value: str, needle: str
) -> None:
    path = write(tmp_path, '[[feeds]]\nurl = "https://a.example/rss"\n')
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    message = str(err.value)
    assert needle in message and "\n" not in message


def test_bad_time_zone_and_unknown_key_in_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="TIMEZONE"):
        load_settings(
            write(tmp_path, 'timezone = "Mars/Olympus"\n[[feeds]]\nurl = "https://a.example/rss"\n')
        )
    with pytest.raises(SettingsError, match="POLL_INTERVALL"):
        load_settings(write(tmp_path, 'poll_intervall = 5\n[[feeds]]\nurl = "https://a.example/rss"\n'))
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        load_settings(write(tmp_path, 'telegram_bot_token = "1:x"\n'))


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_cli_bad_setting_is_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "POLL_INTERVAL_SECONDS": "soon", "TELEGRAM_BOT_TOKEN": "1:x"}
    result = run_cli("run", env=env)
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()
        == [
            result.stderr.strip(),
        ]
        and "POLL_INTERVAL_SECONDS" in result.stderr
    )


def test_cli_without_token_says_how_to_get_one(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    result = run_cli("run", env=env)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "BotFather" in result.stderr
    assert "python -m bot preview" in result.stderr
