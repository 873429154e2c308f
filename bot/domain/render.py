"""Article, award and digest messages as Telegram HTML, within Telegram's limits. Pure.

Every piece of feed text is escaped here; nothing from a feed is passed through as markup.
Lengths are counted the way Telegram counts them: visible text after entity parsing, in UTF-16 code units
(an emoji such as 🏅 or 🎖 counts 2, a Vietnamese letter 1).
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.domain.models import AwardInfo, Stage
from bot.domain.statuses import ArticleStatus
from bot.domain.text import split_sentences
from bot.i18n import t

CAPTION_LIMIT = 1024
TEXT_LIMIT = 4096
ELLIPSIS = "…"


RENDER_KEYS = (
    "award", "what", "from", "to", "counts", "collectives", "individuals", "decision", "total",
    "stage_proposed", "stage_decided", "read_more", "source", "withdrawn", "superseded", "correction",
    "because", "full_text", "more_files",
)  # fmt: skip
ALBUM_MAX = 10  # photos in one album (sendMediaGroup takes 2–10)
BUTTON_FILES = 6  # attachments offered as buttons; more are counted in one button to the page
CAPTION_FILES = 4  # … as links in an album's caption
FILE_NAME_MAX = 60


def _words(lang: str) -> dict[str, str]:
    return {name: t(f"render_{name}", lang) for name in RENDER_KEYS}


class ArticleLike(Protocol):
    """What rendering reads of an article (the store's ArticleRecord fits)."""

    @property
    def title(self) -> str: ...

    @property
    def summary(self) -> str: ...

    @property
    def link(self) -> str: ...

    @property
    def image(self) -> str | None: ...

    @property
    def kind(self) -> str: ...

    @property
    def award(self) -> AwardInfo | None: ...

    @property
    def published_at(self) -> datetime | None: ...

    @property
    def source(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Rendered:
    """A message ready for the sender: `text` is HTML (the caption when `photo` is set)."""

    text: str
    photo: str | None = None
    button_text: str | None = None
    button_url: str | None = None
    html: bool = True  # False: plain text, formatted by `entities` (an admin's message, kept exactly)
    entities: tuple[dict[str, Any], ...] = ()
    buttons: tuple[tuple[str, str], ...] = ()  # more URL buttons, one row each: full text, attachments
    album: tuple[str, ...] = ()  # 2–10 photos sent as one album, `text` the first one's caption
    single: Rendered | None = None  # the same article as one photo (or text), when the album is refused

    @property
    def keyboard(self) -> list[list[dict[str, str]]]:
        """The inline keyboard (an album has none: its links are in the caption)."""
        if self.album:
            return []
        rows = (
            [[{"text": self.button_text, "url": self.button_url}]]
            if self.button_text and self.button_url
            else []
        )
        rows.extend([{"text": text, "url": url}] for text, url in self.buttons)
        return rows

    @property
    def limit(self) -> int:
        return CAPTION_LIMIT if self.photo else TEXT_LIMIT


def telegram_length(text: str) -> int:
    """Length as Telegram counts text sent with entities: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) URL with a host and no control characters or spaces; None
    for anything else (``javascript:``, ``data:``, relative, empty)."""
    url = (url or "").strip()
    if not url or any(ord(ch) < 0x21 or ch == "\x7f" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def link(url: str | None, inner_html: str) -> str:
    """``<a href="url">inner</a>``; only the inner HTML when the URL is not safe (the element is dropped,
    never left with an empty or dangerous href)."""
    safe = safe_url(url)
    return f'<a href="{html.escape(safe, quote=True)}">{inner_html}</a>' if safe else inner_html


def cut_units(text: str, units: int) -> str:
    """The longest prefix of `text` within `units` UTF-16 code units (never half a surrogate pair)."""
    if units <= 0:
        return ""
    if len(text) <= units // 2 or telegram_length(text) <= units:
        return text
    used = 0
    for index, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:index]
    return text


def visible_length(html_text: str) -> int:
    """Length Telegram counts for an HTML message we produced (tags dropped, entities decoded), in
    UTF-16 code units."""
    out: list[str] = []
    inside = False
    for ch in html_text:
        if ch == "<":
            inside = True
        elif ch == ">" and inside:
            inside = False
        elif not inside:
            out.append(ch)
    return telegram_length(html.unescape("".join(out)))


def fit_sentences(text: str, budget: int) -> str:
    """The longest run of whole leading sentences within `budget` UTF-16 code units (Telegram's count).
    When not even the first sentence fits, it is cut at a word boundary and ends with "…" (never
    mid-word)."""
    text = text.strip()
    if telegram_length(text) <= budget:
        return text
    if budget <= 1:
        return ""
    kept: list[str] = []
    used = 0
    for sentence in split_sentences(text):
        extra = telegram_length(sentence) + (1 if kept else 0)
        if used + extra > budget:
            break
        kept.append(sentence)
        used += extra
    if kept:
        return " ".join(kept)
    cut = cut_units(text, budget - 1)
    if " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–") + ELLIPSIS


def full_text_link(public_base_url: str | None, article_id: int, lang: str = "vi") -> str | None:
    """The "Đọc toàn văn" page of an article (in the reader's language), when the site's address is set."""
    if not public_base_url:
        return None
    return f"{public_base_url}/bai/{article_id}" + ("?hl=en" if lang == "en" else "")


def local_date(moment: datetime | None, zone: ZoneInfo) -> str:
    """Vietnamese date format in local time: 28/06/2020 18:00."""
    if moment is None:
        return ""
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def _award_lines(info: AwardInfo, lang: str) -> list[str]:
    """The award card. A stored award with evidence shows only the facts that have it: each form
    with its own counts, a total only when the article states one, givers, named recipients and the
    decision. A row stored before evidence existed is shown as it was stored."""
    if not info.evidence:
        return _legacy_award_lines(info, lang)
    words = _words(lang)
    lines = [f"<b>{words['award']}</b>"]
    if info.stage.value in ("proposed", "decided") and info.evidence_for("stage", info.stage.value):
        lines.append(f"<i>{words['stage_' + info.stage.value]}</i>")
    counted = {c.kind: c for c in info.counts}
    forms = []
    for kind in info.kinds:
        if info.evidence_for("kind", kind) is None:
            continue
        count = counted.get(kind)
        numbers = _count_words(count.collectives, count.individuals, words) if count else ""
        proven = any(e.fact == "count" and e.value.startswith(kind + ": ") for e in info.evidence)
        forms.append(f"<b>{esc(kind)}</b>" + (f": {numbers}" if numbers and proven else ""))
    if len(forms) == 1:
        lines.append(f"🎖 {words['what']}: {forms[0]}")
    elif forms:
        lines.append(f"🎖 {words['what']}:")
        lines.extend(f"  • {form}" for form in forms)
    authorities = [a for a in info.authorities if info.evidence_for("authority", a)]
    if authorities:
        lines.append(f"🏛 {words['from']}: {esc('; '.join(authorities))}")
    people = [
        esc(f"{r.name} ({r.position})" if r.position else r.name)
        for r in info.recipients
        if info.evidence_for("recipient", r.name)
    ]
    if people:
        shown = people[:5] + ([f"+{len(people) - 5}"] if len(people) > 5 else [])
        lines.append(f"👤 {words['to']}: " + "; ".join(shown))
    total = _count_words(info.collectives, info.individuals, words)
    if total and len(info.counts) != 1 and any(e.fact == "total" for e in info.evidence):
        lines.append(f"👥 {words['total']}: {total}")
    if info.decision and info.evidence_for("decision", info.decision):
        lines.append(f"📄 {words['decision']}: {esc(info.decision)}")
    return lines


def _count_words(collectives: int | None, individuals: int | None, words: Mapping[str, str]) -> str:
    parts = []
    if collectives:
        parts.append(words["collectives"].format(n=collectives))
    if individuals:
        parts.append(words["individuals"].format(n=individuals))
    return ", ".join(parts)


def _legacy_award_lines(award: AwardInfo, lang: str) -> list[str]:
    words = _words(lang)
    lines = [f"<b>{words['award']}</b>"]
    if award.stage in (Stage.PROPOSED, Stage.DECIDED):
        lines.append(f"<i>{words['stage_' + award.stage.value]}</i>")
    if award.kinds:
        lines.append(f"🎖 {words['what']}: <b>{esc('; '.join(award.kinds))}</b>")
    if award.authorities:
        lines.append(f"🏛 {words['from']}: {esc('; '.join(award.authorities))}")
    people = [esc(f"{r.name} ({r.position})" if r.position else r.name) for r in award.recipients if r.name]
    if people:
        shown = people[:5] + ([f"+{len(people) - 5}"] if len(people) > 5 else [])
        lines.append(f"👤 {words['to']}: " + "; ".join(shown))
    counts = _count_words(award.collectives, award.individuals, words)
    if counts:
        lines.append(f"👥 {words['counts']}: {counts}")
    if award.decision:
        lines.append(f"📄 {words['decision']}: {esc(award.decision)}")
    return lines


def render_article(
    article: ArticleLike,
    lang: str,
    zone: ZoneInfo,
    *,
    with_photo: bool = True,
    withdrawn: bool = False,
    superseded: bool = False,
    reason: str | None = None,
    full_text_url: str | None = None,
    with_album: bool = True,
) -> Rendered:
    """An article as a photo caption or a text message. The headline comes first (what a phone's
    notification shows), an award's facts after it, then the summary, the date and source; the link
    is the message's one button. A delivered message edited after the fact says above the headline
    whether the article was withdrawn or `superseded` by a correction; a correction is labelled so. An
    article sent outside the chat's topics for a keyword it follows says so at the end (`reason`).

    A page with several photos becomes an album (up to ten; the message as the first one's caption and,
    since an album has no buttons, its links — the article, `full_text_url`, each attachment — as links
    at the end), with `single` the one-photo message to fall back on. Otherwise the full text and each
    attachment (by name) are buttons under "Đọc tiếp"; attachments beyond what fits are counted in a last
    button to the article's page, never left out silently."""
    images = tuple(u for u in (safe_url(i) for i in getattr(article, "images", ()) or ()) if u)
    if with_photo and with_album and len(images) >= 2 and not withdrawn:
        single = render_article(
            article, lang, zone, reason=reason, full_text_url=full_text_url, with_album=False
        )
        album = _render_album(article, lang, zone, images[:ALBUM_MAX], reason, full_text_url)
        return replace(album, single=single)
    photo = safe_url(article.image) if with_photo else None
    return _render_one(
        article,
        lang,
        zone,
        photo=photo,
        withdrawn=withdrawn,
        superseded=superseded,
        reason=reason,
        full_text_url=full_text_url,
    )


def _render_one(
    article: ArticleLike,
    lang: str,
    zone: ZoneInfo,
    *,
    photo: str | None,
    withdrawn: bool = False,
    superseded: bool = False,
    reason: str | None = None,
    full_text_url: str | None = None,
    links: Sequence[str] = (),
    album: tuple[str, ...] = (),
) -> Rendered:
    files = tuple(getattr(article, "attachments", ()) or ())
    words = _words(lang)
    notice = None
    if withdrawn:
        notice = words["superseded"] if superseded else words["withdrawn"]
    elif getattr(article, "status", None) == ArticleStatus.CORRECTED:
        notice = words["correction"]
    limit = CAPTION_LIMIT if photo else TEXT_LIMIT

    def frame_for(title: str) -> str:
        head: list[str] = []
        if notice:
            head.append(f"<b>{notice}</b>")
        head.append(f"<b>{esc(title)}</b>")
        if article.kind == "award" and article.award:
            head.append("")
            head.extend(_award_lines(article.award, lang))
        return "\n".join(head) + "\n\n{summary}" + ("\n\n" + "\n".join(tail) if tail else "")

    tail: list[str] = []
    meta = local_date(article.published_at, zone)
    if article.source:
        meta = (
            f"{meta} · {words['source']}: {esc(article.source)}"
            if meta
            else f"{words['source']}: {esc(article.source)}"
        )
    if meta:
        tail.append(f"<i>{meta}</i>")
    if reason:
        tail.append(f"🔔 <i>{esc(words['because'].format(word=reason))}</i>")
    tail.extend(links)
    frame = frame_for(article.title.strip())
    budget = limit - visible_length(frame.replace("{summary}", ""))
    if budget < 0:  # a pathological title: shorten it
        title = fit_sentences(article.title, max(40, telegram_length(article.title) + budget - 10))
        frame = frame_for(title)
        budget = limit - visible_length(frame.replace("{summary}", ""))
    summary = fit_sentences(article.summary, max(budget, 0)) if budget > 0 else ""
    text = frame.replace("{summary}", esc(summary)) if summary else frame.replace("\n\n{summary}", "")
    buttons: list[tuple[str, str]] = []
    if not album:
        if full_text_url and not withdrawn:
            buttons.append((f"📰 {words['full_text']}", full_text_url))
        buttons.extend((f"📎 {_file_name(name, url)}", url) for url, name in files[:BUTTON_FILES])
        if len(files) > BUTTON_FILES:
            buttons.append((f"📎 {words['more_files'].format(n=len(files) - BUTTON_FILES)}", article.link))
        buttons = [(label, url) for label, url in buttons if safe_url(url)]
    button = safe_url(article.link)
    return Rendered(
        text=text,
        photo=photo,
        button_text=f"📖 {words['read_more']}" if button else None,
        button_url=button,
        buttons=tuple(buttons),
        album=album,
    )


def _file_name(name: str, url: str) -> str:
    name = " ".join(name.split()) or url.rstrip("/").rsplit("/", 1)[-1]
    return name if len(name) <= FILE_NAME_MAX else name[: FILE_NAME_MAX - 1].rstrip() + ELLIPSIS


def _link(url: str, text: str) -> str:
    return link(url, esc(text))


def _render_album(
    article: ArticleLike,
    lang: str,
    zone: ZoneInfo,
    images: tuple[str, ...],
    reason: str | None,
    full_text_url: str | None,
) -> Rendered:
    """The album's caption: the photo message, with its buttons as links at the end."""
    words = _words(lang)
    files = tuple(getattr(article, "attachments", ()) or ())
    links = [f"📖 {_link(article.link, words['read_more'])}"]
    if full_text_url:
        links[0] += f" · 📰 {_link(full_text_url, words['full_text'])}"
    links.extend(f"📎 {_link(url, _file_name(name, url))}" for url, name in files[:CAPTION_FILES])
    if len(files) > CAPTION_FILES:
        links.append(f"📎 {_link(article.link, words['more_files'].format(n=len(files) - CAPTION_FILES))}")
    return _render_one(
        article,
        lang,
        zone,
        photo=images[0],
        reason=reason,
        full_text_url=full_text_url,
        links=links,
        album=images,
    )


def render_digest(items: Sequence[ArticleLike], lang: str, zone: ZoneInfo, heading: str) -> list[str]:
    """A digest: one line per article (awards first), split into messages of at most TEXT_LIMIT."""
    ordered = sorted(items, key=lambda a: (a.kind != "award",))
    lines = []
    for art in ordered:
        mark = "🏅 " if art.kind == "award" else "• "
        date = local_date(art.published_at, zone)
        lines.append(
            f"{mark}{link(art.link, esc(art.title.strip()))}" + (f" <i>({date})</i>" if date else "")
        )
    messages: list[str] = []
    current = f"<b>{esc(heading)}</b>"
    for line in lines:
        candidate = current + "\n" + line
        if visible_length(candidate) > TEXT_LIMIT:
            messages.append(current)
            current = line
        else:
            current = candidate
    messages.append(current)
    return messages
