"""Typed settings: config/settings.toml (or --config FILE), overridden by the environment.

Read once at start-up by `bot.__main__` and handed down; nothing here runs at import time.
Secrets (the bot token) come only from the environment.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from bot.domain.render import full_text_link

DEFAULT_CONFIG = Path("config/settings.toml")
ENV_NAMES = {
    "telegram_bot_token": "TELEGRAM_BOT_TOKEN",
    "telegram_api_base_url": "TELEGRAM_API_BASE_URL",
    "telegram_proxy_url": "TELEGRAM_PROXY_URL",
    "feeds_proxy_url": "FEEDS_PROXY_URL",
    "database_url": "DATABASE_URL",
    "admin_ids": "ADMIN_IDS",
    "feed_urls": "FEED_URLS",
    "poll_interval_seconds": "POLL_INTERVAL_SECONDS",
    "log_level": "LOG_LEVEL",
}


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it and fits on one line."""


class FeedConfig(BaseModel):
    """One feed to poll. `interval_seconds` defaults to the global poll interval. `allowed_hosts`: sites
    besides the feed's own from which its article pages and images may come (``host`` or ``host:port``)."""

    url: str
    name: str | None = None
    interval_seconds: int | None = Field(default=None, ge=5)
    allowed_hosts: tuple[str, ...] = ()

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"feed URL must start with http:// or https:// (got {value!r})")
        return value


def feed_item(item: str) -> FeedConfig:
    """One FEED_URLS item: a URL, or "Name=URL" (the name shown to citizens and admins; the first "="
    before "http" separates them, so a URL's own query string stays whole)."""
    item = item.strip()
    if not item.startswith(("http://", "https://")) and "=" in item:
        name, url = item.split("=", 1)
        return FeedConfig(url=url, name=name.strip() or None)
    return FeedConfig(url=item)


PROXY_SCHEMES = ("http", "https", "socks5", "socks5h")


def check_proxy_url(value: str) -> str:
    """An http://, https://, socks5:// or socks5h:// proxy address with a host (and a port for SOCKS);
    the error never repeats the address, which may hold a password."""
    parts = urlsplit(value.strip())
    if parts.scheme not in PROXY_SCHEMES:
        raise ValueError("must be an http://, https://, socks5:// or socks5h:// proxy URL")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("the proxy's port is not a number") from None
    if not parts.hostname:
        raise ValueError("the proxy URL has no host")
    if parts.scheme.startswith("socks") and port is None:
        raise ValueError("a SOCKS proxy URL needs a port, e.g. socks5://127.0.0.1:1080")
    return value.strip()


def _split_csv(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


class Settings(BaseSettings):
    """Every knob of the bot. Environment names are the upper-case field names."""

    model_config = SettingsConfigDict(extra="forbid", case_sensitive=False, frozen=True)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_proxy_url: SecretStr | None = None  # every Bot API call goes through it (may hold a password)
    feeds_proxy_url: SecretStr | None = None  # feed and article requests go through it
    database_url: str = "sqlite:///data/bot.sqlite3"
    admin_ids: Annotated[tuple[int, ...], NoDecode] = ()
    feed_urls: Annotated[tuple[str, ...], NoDecode] = ()
    feeds: tuple[FeedConfig, ...] = ()
    poll_interval_seconds: int = Field(default=600, ge=5, le=86_400)
    poll_jitter_fraction: float = Field(default=0.1, ge=0, le=0.5)
    scheduler_tick_seconds: float = Field(default=15.0, gt=0, le=3600)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    log_json: bool = False
    timezone: str = "Asia/Ho_Chi_Minh"
    default_language: Literal["vi", "en"] = "vi"
    department_name: str = "Sở Khoa học và Công nghệ tỉnh Tây Ninh"
    user_agent: str = "TayNinhNewsBot/0.1 (+https://github.com/tayninh-news-bot/tayninh-news-bot)"
    fetch_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    max_feed_bytes: int = Field(default=5_000_000, ge=10_000)
    backlog_send_latest: int = Field(default=0, ge=0, le=30)
    backoff_base_seconds: float = Field(default=60.0, gt=0)
    backoff_max_seconds: float = Field(default=6 * 3600.0, gt=0)
    send_rate_per_second: float = Field(default=28.0, gt=0, le=1000)
    paid_broadcast: bool = False
    private_chat_interval_seconds: float = Field(default=1.0, ge=0)
    group_messages_per_minute: float = Field(default=20.0, gt=0)
    max_send_attempts: int = Field(default=8, ge=1, le=100)
    delivery_lease_seconds: float = Field(default=120.0, gt=0)
    sender_concurrency: int = Field(default=16, ge=1, le=1000)
    send_timeout_seconds: float = Field(default=15.0, gt=0, le=300)
    summary_caption_budget: int = Field(default=700, ge=100, le=1024)
    feed_failing_threshold: int = Field(default=5, ge=1, le=1000)  # failed polls in a row → admin alert
    feed_stale_days: int = Field(default=7, ge=1, le=365)  # days without a new article → admin alert
    broadcast_progress_seconds: float = Field(default=2.0, ge=0.2, le=60)  # progress message edits
    webhook_url: str | None = None  # public HTTPS base URL for --webhook, e.g. https://bot.example.org
    webhook_secret: SecretStr | None = None  # checked on every webhook request (environment only)
    webhook_listen: str = "0.0.0.0"
    port: int = Field(default=8443, ge=1, le=65535)  # the webhook listener (PORT, as platforms set it)
    health_port: int = Field(default=9090, ge=0, le=65535)  # /healthz and /metrics; 0 disables
    health_listen: str = "127.0.0.1"  # where the health server listens; 0.0.0.0 opens it to the network
    metrics_token: SecretStr | None = None  # when set, /metrics needs "Authorization: Bearer <token>"
    # where citizens reach HEALTH_PORT's /bai/<id> full-text pages ("Đọc toàn văn"); unset: no such button
    public_base_url: str | None = None
    leader_ttl_seconds: float = Field(default=30.0, ge=2, le=600)
    # Zalo, the second messenger: off unless ZALO_BOT_TOKEN is set (docs/zalo-bot-api.md)
    zalo_bot_token: SecretStr | None = None  # "<bot id>:<secret>" from Zalo Bot Creator; environment only
    zalo_api_base_url: str = "https://bot-api.zaloplatforms.com"  # requests go to <this>/bot<TOKEN>/<method>
    zalo_webhook_secret: SecretStr | None = None  # setWebhook's secret_token, sent back in each request
    zalo_send_rate_per_second: float = Field(default=2.0, gt=0, le=100)  # Zalo publishes no limit

    @field_validator("zalo_bot_token")
    @classmethod
    def _zalo_token(cls, value: SecretStr | None) -> SecretStr | None:
        token = value.get_secret_value().strip() if value is not None else ""
        if not token:
            return None
        bot_id, _, secret = token.partition(":")
        if not bot_id or not secret or any(ch.isspace() for ch in token):
            raise ValueError("must be the token Zalo Bot Creator gives, <bot id>:<secret>")
        return SecretStr(token)

    @field_validator("zalo_api_base_url")
    @classmethod
    def _zalo_base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://bot-api.zaloplatforms.com")
        if value.endswith("/bot"):
            raise ValueError("give it without /bot: /bot<TOKEN>/<method> is added to it")
        return value

    @field_validator("zalo_webhook_secret")
    @classmethod
    def _zalo_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not 8 <= len(value.get_secret_value()) <= 256:
            raise ValueError("must be 8 to 256 characters long (Zalo's rule for setWebhook)")
        return value

    @property
    def zalo_token(self) -> str | None:
        return self.zalo_bot_token.get_secret_value() if self.zalo_bot_token else None

    @field_validator("admin_ids", "feed_urls", mode="before")
    @classmethod
    def _csv(cls, value: Any) -> Any:
        return _split_csv(value)

    @field_validator("feed_urls")
    @classmethod
    def _urls(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            feed_item(item)
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("telegram_api_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://api.telegram.org/bot")
        return value

    @field_validator("telegram_proxy_url", "feeds_proxy_url")
    @classmethod
    def _proxy(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        return SecretStr(check_proxy_url(value.get_secret_value()))

    @field_validator("database_url")
    @classmethod
    def _db_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql", "postgres://")):
            raise ValueError("must be a sqlite:///… or postgresql://… URL")
        return value

    @model_validator(mode="after")
    def _some_feed(self) -> Settings:
        if not self.feed_list:
            raise ValueError("no feed configured: set FEED_URLS or [[feeds]] in the settings file")
        if self.public_base_url and not self.health_port:
            raise ValueError("public_base_url: the full-text pages are served on HEALTH_PORT, which is 0")
        return self

    @field_validator("public_base_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError("must be an http:// or https:// address")
        return value.rstrip("/") if value else None

    def full_text_url(self, article_id: int, lang: str = "vi") -> str | None:
        """The "Đọc toàn văn" page of an article (in the reader's language), when PUBLIC_BASE_URL is set."""
        return full_text_link(self.public_base_url, article_id, lang)

    @property
    def feed_list(self) -> tuple[FeedConfig, ...]:
        """FEED_URLS, when given, replaces the configured feeds."""
        if self.feed_urls:
            return tuple(feed_item(item) for item in self.feed_urls)
        return self.feeds

    @field_validator("webhook_url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value and not value.startswith("https://"):
            raise ValueError("Telegram only calls https:// webhook URLs")
        return value.rstrip("/") if value else value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None

    @property
    def telegram_file_base_url(self) -> str:
        """Where files users send are downloaded: …/file/bot beside the Bot API's …/bot."""
        base = self.telegram_api_base_url.rstrip("/")
        return base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base + "/file/bot"

    @property
    def telegram_proxy(self) -> str | None:
        return self.telegram_proxy_url.get_secret_value() if self.telegram_proxy_url else None

    @property
    def feeds_proxy(self) -> str | None:
        return self.feeds_proxy_url.get_secret_value() if self.feeds_proxy_url else None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Environment first (wins), then values from the settings file passed as init kwargs.
        return (env_settings, init_settings)


def _setting_name(loc: tuple[int | str, ...]) -> str:
    field = str(loc[0]) if loc else "settings"
    return ENV_NAMES.get(field, field.upper())


def load_settings(config_file: Path | None = None) -> Settings:
    """Read the settings file and the environment once; raise SettingsError with one clear line."""
    path = config_file or DEFAULT_CONFIG
    values: dict[str, Any] = {}
    if path.exists():
        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"settings file {path}: {exc}") from exc
    elif config_file is not None:
        raise SettingsError(f"settings file {path} does not exist")
    if "telegram_bot_token" in values:
        raise SettingsError(
            f"settings file {path}: the bot token belongs in TELEGRAM_BOT_TOKEN, not in a file"
        )
    if "zalo_bot_token" in values:
        raise SettingsError(
            f"settings file {path}: the Zalo bot token belongs in ZALO_BOT_TOKEN, not in a file"
        )
    try:
        return Settings(**values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = _setting_name(first["loc"])
        given = first.get("input")
        secret = name in (
            "TELEGRAM_BOT_TOKEN", "TELEGRAM_PROXY_URL", "FEEDS_PROXY_URL", "WEBHOOK_SECRET",
            "ZALO_BOT_TOKEN", "ZALO_WEBHOOK_SECRET",
        )  # fmt: skip
        shown = "" if isinstance(given, dict | SecretStr) or secret else f" (got {given!r})"
        raise SettingsError(f"invalid setting {name}: {first['msg']}{shown}") from None
