"""User-facing text lives in bot/locales/messages.toml, Vietnamese first, English complete.

`t(key, lang, **values)` looks a message up and fills it (str.format). Values that come from users or
feeds must be HTML-escaped by the caller before they are passed for an HTML message.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("vi", "en")
CATALOG = Path(__file__).parent / "locales" / "messages.toml"


@cache
def catalog() -> dict[str, dict[str, str]]:
    with CATALOG.open("rb") as fh:
        data = tomllib.load(fh)
    return {key: {lang: str(text) for lang, text in entry.items()} for key, entry in data.items()}


def language_of(code: str | None, default: str = "vi") -> str:
    """Telegram's language_code ("en-US", "vi") → a language we speak."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def t(key: str, lang: str, /, **values: object) -> str:
    entry = catalog()[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**values) if values else text
