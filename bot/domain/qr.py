"""QR codes of the bot's deep links, for posters at the department's offices and its website.

Pure: a link and a PNG (segno's own PNG writer, no imaging library). The code is sized for print: at least
`PRINT_PIXELS` pixels wide, with the 4-module quiet zone the standard asks for, and the PNG says 300 dpi,
so it prints about 10 cm wide as it comes.
"""

from __future__ import annotations

import io
import math
import re

import segno

PRINT_PIXELS = 1200
PRINT_DPI = 300
QUIET_ZONE = 4
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # what Telegram accepts after ?start=


def valid_payload(topic: str) -> bool:
    return bool(_PAYLOAD.match(topic))


def deep_link(bot_username: str, topic: str | None = None) -> str:
    """`https://t.me/<bot>?start=<topic>`, or the bot's plain link without a topic."""
    base = f"https://t.me/{bot_username.lstrip('@')}"
    if topic is None:
        return base
    if not valid_payload(topic):
        raise ValueError(f"not a deep-link payload: {topic!r}")
    return f"{base}?start={topic}"


def qr_png(data: str, *, min_pixels: int = PRINT_PIXELS, dpi: int = PRINT_DPI) -> bytes:
    """A PNG of the QR code of `data` (error correction M or better), at least `min_pixels` wide."""
    code = segno.make_qr(data, error="m", boost_error=True)
    width, _ = code.symbol_size(scale=1, border=QUIET_ZONE)
    out = io.BytesIO()
    code.save(out, kind="png", scale=math.ceil(min_pixels / width), border=QUIET_ZONE, dpi=dpi)
    return out.getvalue()


def print_width_cm(png_width_px: int, dpi: int = PRINT_DPI) -> float:
    return round(png_width_px / dpi * 2.54, 1)
