"""Article, award, digest, broadcast and menu messages as plain text, for messengers without HTML (Zalo).
Pure.

The same domain values and catalog texts as the Telegram HTML renderer (bot/domain/render.py), written for
a plain-text chat: no markup at all, every link written out in full on its own line, numbered choices where
Telegram has buttons. Lengths are counted in UTF-16 code units (an emoji counts 2), which is never less
than a count in characters; Zalo's limit is 2000 for a message and for a photo's caption.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.domain.render import (
    BUTTON_FILES,
    ArticleLike,
    _award_lines,
    _file_name,
    cut_units,
    fit_sentences,
    local_date,
    safe_url,
    telegram_length,
)
from bot.domain.statuses import ArticleStatus
from bot.i18n import catalog

PLAIN_LIMIT = 2000  # Zalo: sendMessage.text and sendPhoto.caption, 1–2000 characters

_LINK = re.compile(r'<a\s+href="([^"]*)"\s*>(.*?)</a>', re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")


def plain_length(text: str) -> int:
    """Length in UTF-16 code units (the count the limits are checked with)."""
    return telegram_length(text)


def html_to_plain(text: str) -> str:
    """Text written as Telegram HTML (a catalog message, the HTML renderer's lines) as plain text: tags
    dropped, ``<a href="u">label</a>`` written as "label (u)" (just "u" when the label is the URL), entities
    decoded."""

    def link(match: re.Match[str]) -> str:
        url, label = html.unescape(match.group(1)), html.unescape(_TAG.sub("", match.group(2))).strip()
        return url if not label or label == url else f"{label} ({url})"

    text = _LINK.sub(lambda m: html.escape(link(m), quote=False), text)
    return html.unescape(_TAG.sub("", text))


def text(key: str, lang: str, /, **values: object) -> str:
    """Catalog message `key` as plain text: its HTML removed *before* the values are filled in, so a value
    (a user's words, a feed's title) is shown exactly as given. A count `n` of 1 picks `<key>_one`."""
    messages = catalog()
    if values.get("n") == 1 and f"{key}_one" in messages:
        key = f"{key}_one"
    entry = messages[key]
    template = html_to_plain(entry.get(lang) or entry["vi"])
    return template.format(**values) if values else template


def split_plain(message: str, limit: int = PLAIN_LIMIT) -> list[str]:
    """`message` in parts of at most `limit` UTF-16 units, cut at a blank line, else a line break, else a
    space, and only as a last resort inside a word. Parts are stripped; an empty text gives no part."""
    message = message.strip()
    parts: list[str] = []
    while plain_length(message) > limit:
        head = cut_units(message, limit)
        cut = len(head)
        for separator in ("\n\n", "\n", " "):
            at = head.rfind(separator)
            if at >= len(head) // 3:  # not a tiny first part
                cut = at
                break
        part = message[:cut].rstrip()
        if not part:
            cut = len(head)
            part = message[:cut]
        parts.append(part)
        message = message[cut:].strip()
    if message:
        parts.append(message)
    return parts


@dataclass(frozen=True, slots=True)
class PlainMessage:
    """A message ready for a plain-text messenger: `text` is the photo's caption when `photo` is set."""

    text: str
    photo: str | None = None


def _line(label: str, url: str | None) -> str | None:
    safe = safe_url(url)
    return f"{label}: {safe}" if safe else None


def render_article_plain(
    article: ArticleLike,
    lang: str,
    zone: ZoneInfo,
    *,
    with_photo: bool = True,
    withdrawn: bool = False,
    superseded: bool = False,
    reason: str | None = None,
    full_text_url: str | None = None,
    limit: int = PLAIN_LIMIT,
) -> PlainMessage:
    """An article as plain text, in the order of the HTML message: a notice (withdrawn, superseded,
    correction), the headline, an award's facts, the summary (whole sentences, as many as fit), date and
    source, why it was sent (`reason`), then the links, each on its own line: the article, its full text and
    its attachments. The summary is what gets shorter; the message never exceeds `limit`."""
    notice = None
    if withdrawn:
        notice = text("render_superseded" if superseded else "render_withdrawn", lang)
    elif getattr(article, "status", None) == ArticleStatus.CORRECTED:
        notice = text("render_correction", lang)
    tail: list[str] = []
    meta = local_date(article.published_at, zone)
    if article.source:
        source = f"{text('render_source', lang)}: {article.source}"
        meta = f"{meta} · {source}" if meta else source
    if meta:
        tail.append(meta)
    if reason:
        tail.append("🔔 " + text("render_because", lang, word=reason))
    links = [_line("📖 " + text("render_read_more", lang), article.link)]
    if full_text_url and not withdrawn:
        links.append(_line("📰 " + text("render_full_text", lang), full_text_url))
    files = tuple(getattr(article, "attachments", ()) or ())
    links.extend(_line(f"📎 {_file_name(name, url)}", url) for url, name in files[:BUTTON_FILES])
    if len(files) > BUTTON_FILES:
        more = text("render_more_files", lang, n=len(files) - BUTTON_FILES)
        links.append(_line(f"📎 {more}", article.link))
    tail.extend(line for line in links if line)

    def frame(title: str) -> list[str]:
        head = [notice] if notice else []
        head.append(title)
        if article.kind == "award" and article.award:
            head.append("")
            head.extend(html_to_plain(line) for line in _award_lines(article.award, lang))
        return head

    def assemble(head: list[str], summary: str) -> str:
        blocks = ["\n".join(head)]
        if summary:
            blocks.append(summary)
        if tail:
            blocks.append("\n".join(tail))
        return "\n\n".join(blocks)

    title = " ".join(article.title.split())
    head = frame(title)
    budget = limit - plain_length(assemble(head, "")) - 2  # the blank line before the summary
    if budget < 0:  # a pathological title: shorten it
        title = fit_sentences(title, max(40, plain_length(title) + budget - 10))
        head = frame(title)
        budget = limit - plain_length(assemble(head, "")) - 2
    summary = fit_sentences(article.summary, budget) if budget > 0 else ""
    message = assemble(head, summary)
    if plain_length(message) > limit:  # still too long (huge award cards): cut, never exceed
        message = cut_units(message, limit - 1).rstrip() + "…"
    photo = safe_url(article.image) if with_photo and not withdrawn else None
    return PlainMessage(message, photo)


def render_digest_plain(
    items: Sequence[ArticleLike], lang: str, zone: ZoneInfo, heading: str, limit: int = PLAIN_LIMIT
) -> list[str]:
    """A digest: each article as its headline (awards first, marked 🏅) with its date, and its link on the
    next line; split into messages of at most `limit`, never inside an article's entry."""
    ordered = sorted(items, key=lambda a: (a.kind != "award",))
    entries = []
    for art in ordered:
        mark = "🏅 " if art.kind == "award" else "• "
        date = local_date(art.published_at, zone)
        line = f"{mark}{' '.join(art.title.split())}" + (f" ({date})" if date else "")
        url = safe_url(art.link)
        entries.append(split_plain(line, limit)[0] + (f"\n{url}" if url else ""))
    messages: list[str] = []
    current = heading.strip()
    for entry in entries:
        candidate = f"{current}\n\n{entry}" if current else entry
        if plain_length(candidate) > limit and current:
            messages.append(current)
            current = entry
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def render_broadcast_plain(message: str, limit: int = PLAIN_LIMIT) -> list[str]:
    """An admin's broadcast (its plain text; Telegram's formatting entities do not exist on a plain-text
    messenger) in as many messages as it takes, cut at paragraphs."""
    return split_plain(message, limit)


def render_menu_plain(heading: str, options: Sequence[str], lang: str, *, current: int | None = None) -> str:
    """A numbered menu where Telegram shows buttons: the heading, one line per option ("1. …"; the
    `current` one, counted from 1, marked ✓) and how to answer. Answered with the number alone."""
    heading = html_to_plain(heading).strip()
    lines = [heading, ""] if heading else []
    for number, option in enumerate(options, start=1):
        mark = " ✓" if number == current else ""
        lines.append(f"{number}. {' '.join(html_to_plain(option).split())}{mark}")
    lines += ["", text("zalo_menu_hint", lang, n=len(options))]
    return "\n".join(lines)


HELP_COMMANDS = (
    "start",
    "latest",
    "awards",
    "search",
    "khenthuong",
    "settings",
    "follow",
    "mute",
    "mydata",
    "deletedata",
    "stop",
    "help",
)


def render_help_plain(lang: str) -> str:
    """The commands a citizen can type on a plain-text messenger (no command menu there), with the
    Vietnamese words that work without "/"."""
    lines = [text("help_heading", lang)]
    lines.extend(f"/{name} — {text(f'help_{name}', lang)}" for name in HELP_COMMANDS)
    lines += ["", text("zalo_help_words", lang)]
    return "\n".join(lines)
