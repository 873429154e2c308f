"""The "Đọc toàn văn" page: an article's full text as one plain, Instant View–friendly HTML page. Pure.

Semantic markup only — ``<article>``, ``<h1>``, ``<address>``, ``<time>``, ``<p>``, ``<figure>`` — with
OpenGraph and ``article:published_time`` in the head and the department's page as ``canonical``: what
Telegram's link preview and an Instant View template read, and what a phone shows well without scripts.
Every piece of article text is escaped; nothing from the feed is passed through as markup.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.render import local_date
from bot.i18n import t

STYLE = (
    "body{margin:0 auto;max-width:42rem;padding:1rem;font:1.05rem/1.6 system-ui,sans-serif;color:#1b1b1b}"
    "img{max-width:100%;height:auto}figure{margin:1rem 0}address,time{color:#555;font-style:normal}"
)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def full_page(
    *,
    title: str,
    lead: str,
    body: str,
    link: str,
    images: Sequence[str],
    attachments: Sequence[tuple[str, str]],
    published: datetime | None,
    source: str | None,
    summary: str,
    department: str,
    lang: str,
    zone: ZoneInfo,
) -> str:
    """The page of one article: headline, department and date, main photo, lead, every paragraph, the
    other photos, the attachments by name and the link to the department's own page."""
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f'<link rel="canonical" href="{_e(link)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{_e(title)}">',
        f'<meta property="og:description" content="{_e(summary)}">',
        f'<meta property="og:site_name" content="{_e(department)}">',
    ]
    if images:
        head.append(f'<meta property="og:image" content="{_e(images[0])}">')
    if published:
        head.append(f'<meta property="article:published_time" content="{_e(published.isoformat())}">')
    head.append(f"<style>{STYLE}</style>")
    parts = [f"<h1>{_e(title)}</h1>", f"<address>{_e(department)}</address>"]
    if published:
        parts.append(f'<time datetime="{_e(published.isoformat())}">{_e(local_date(published, zone))}</time>')
    if images:
        parts.append(f'<figure><img src="{_e(images[0])}" alt=""></figure>')
    if lead:
        parts.append(f"<p><strong>{_e(lead)}</strong></p>")
    parts.extend(f"<p>{_e(p.strip())}</p>" for p in body.split("\n\n") if p.strip())
    parts.extend(f'<figure><img src="{_e(url)}" alt=""></figure>' for url in images[1:])
    if attachments:
        parts.append(f"<h3>{_e(t('page_attachments', lang))}</h3>")
        items = "".join(
            f'<li><a href="{_e(url)}">{_e(name or url.rsplit("/", 1)[-1])}</a></li>'
            for url, name in attachments
        )
        parts.append(f"<ul>{items}</ul>")
    if source:
        parts.append(f"<p><em>{_e(t('render_source', lang))}: {_e(source)}</em></p>")
    parts.append(f'<p><a href="{_e(link)}">{_e(t("page_original", lang))}</a></p>')
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head>{"".join(head)}</head>'
        f"<body><article>{''.join(parts)}</article></body></html>\n"
    )


def notice_page(text: str, lang: str, link: str | None = None) -> str:
    """A page that only says something (not found, withdrawn), with the department's page if known."""
    more = f'<p><a href="{_e(link)}">{_e(t("page_original", lang))}</a></p>' if link else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(text)}</title><style>{STYLE}</style></head>"
        f"<body><article><p>{_e(text)}</p>{more}</article></body></html>\n"
    )
