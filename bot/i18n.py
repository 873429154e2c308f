"""User-facing text lives in bot/locales/*.toml, Vietnamese first, English complete.

`t(key, lang, **values)` looks a message up and fills it (str.format). Values that come from users or
feeds must be HTML-escaped by the caller before they are passed for an HTML message.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

LANGUAGES = ("vi", "en")
LOCALES = Path(__file__).parent / "locales"


@cache
def catalog() -> dict[str, dict[str, str]]:
    """Every message of every catalog file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(LOCALES.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        for key, entry in data.items():
            if key in merged:
                raise ValueError(f"message {key!r} is defined twice (again in {path.name})")
            merged[key] = {lang: str(text) for lang, text in entry.items()}
    return merged


def language_of(code: str | None, default: str = "vi") -> str:
    """Telegram's language_code ("en-US", "vi") → a language we speak."""
    if code:
        base = code.split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return default


def t(key: str, lang: str, /, **values: object) -> str:
    """The message `key` in `lang`, filled with `values`. A count `n` of 1 picks `<key>_one` when the
    catalog has it ("1 article", not "1 articles")."""
    if values.get("n") == 1 and f"{key}_one" in catalog():
        key = f"{key}_one"
    entry = catalog()[key]
    text = entry.get(lang) or entry["vi"]
    return text.format(**values) if values else text
