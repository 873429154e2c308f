"""Short, faithful summaries made only of the article's own sentences.

Rules
-----
* Every piece of text is passed through :func:`bot.domain.text.normalize` first; sentences are
  copied verbatim after that, never rewritten.
* Chrome is dropped before anything else: bylines and source lines (:func:`is_byline`: "Theo
  BTNO", "Tin, ảnh: …", "PV", "Nguồn: …", a short line of capitalised names such as "Minh Tâm"),
  photo captions (:func:`is_caption`: "(Ảnh: …)", "Ảnh: …", a one-sentence paragraph opening with
  "Trao …", "Tặng …", "Quang cảnh …", "Toàn cảnh …", "Đại biểu …", or "… phát biểu tại …"
  without a final period) and page furniture ("Chủ nhật - 28/06/2020 18:00 …", "Bạn đã không sử
  dụng Site …").
* The editor's lead is used as is when it is a good summary: not empty, at least 40 characters,
  not a repeat of the title (same folded words) and within the budget.
* Otherwise the first 200 sentences of the lead and of the body (each text read up to 50,000
  characters) are scored (first lead/body sentences, numbers, dates, names, award words)
  and taken best first while they fit, then printed in their original order.
* Cut rule: a sentence is never cut while another whole sentence fits. When not even one
  sentence fits, the best one is cut at the last clause boundary (", ", "; ", ": ", " - ") that
  keeps at least half of the budget, else at the last word boundary, and "…" is appended.
* A chosen sentence without final punctuation gets a final "." so a summary always ends with
  ".", "!", "?" or "…" (optionally followed by a closing quote or bracket).
* The result is never longer than ``budget`` characters (``""`` for a budget below 1).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from bot.domain.text import fold, normalize, split_sentences

__all__ = ["is_byline", "is_caption", "source_credit", "summarize"]

_ELLIPSIS = "…"
# Sentences considered from the lead and from the body: a sentence far down scores below every earlier
# one (0.05 a position), and this bounds the work for an article of any length.
MAX_CANDIDATES = 200
# 200 sentences fit in far less; a longer title, lead or paragraph is only read this far.
MAX_TEXT = 50_000
_MIN_LEAD = 40

_NAME_WORD = r"[A-ZÀ-ỸĐ][\wÀ-ỹđ]*\.?"
_BYLINE_PATTERNS = (
    re.compile(r"^\(?\s*(?:theo|nguồn)\s*:?\s+[^.!?]{1,60}?\)?\.?$", re.IGNORECASE),
    re.compile(
        r"^\(?\s*(?:tin|ảnh|bài|tin\s*(?:,|và|-|&)\s*ảnh|bài\s*(?:,|và|-|&)\s*ảnh|video|clip|thực hiện"
        r"|nhóm phóng viên|phóng viên|tác giả)\s*:\s*.{0,80}$",
        re.IGNORECASE,
    ),
    re.compile(r"^\(?\s*(?:PV|CTV|BBT|BTV|TTXVN|P\.V)\s*\)?\.?$"),
    # an author line: 1-4 groups of capitalised names, separated by "-", "," or "và"
    re.compile(
        rf"^-?\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}(?:\s*(?:-|,|và)\s*{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}){{0,3}}$"
    ),
)
_SOURCE = re.compile(r"^\(?\s*(?:theo|nguồn)\s*:?\s+(?P<src>[^.!?()]{1,60}?)\s*\)?\.?$", re.IGNORECASE)
_CAPTION_MARK = re.compile(r"(?:\(\s*ảnh\s*:|^ảnh\s*:|^\s*ảnh\s+minh\s+họa)", re.IGNORECASE)
_CAPTION_OPENERS = re.compile(
    r"^(?:trao|tặng|trao tặng|quang cảnh|toàn cảnh|đại biểu|các đại biểu|lãnh đạo .{0,60}chụp ảnh"
    r"|chụp ảnh lưu niệm|gắn huy hiệu)\b",
    re.IGNORECASE,
)
_CAPTION_SPEAKER = re.compile(r"\bphát biểu (?:tại|chỉ đạo|khai mạc|bế mạc)\b[^.!?]*$", re.IGNORECASE)
_CHROME = (
    re.compile(r"^(?:thứ\s+\w+|chủ nhật)\s*-\s*\d{1,2}/\d{1,2}/\d{4}", re.IGNORECASE),
    re.compile(r"^bạn đã không sử dụng site", re.IGNORECASE),
    re.compile(r"^(?:chia sẻ|in bài|lượt xem|tweet|bình luận)\b", re.IGNORECASE),
)
_TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")
_CLAUSE = re.compile(r"(?:, |; |: | - )")
_NUMBER = re.compile(r"\d")
_DATE = re.compile(r"\b(?:ngày|tháng|năm)\s+\d|\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?")
_NAME = re.compile(r"\b[A-ZÀ-ỸĐ][a-zà-ỹđ]+(?:\s+[A-ZÀ-ỸĐ][a-zà-ỹđ]+){1,3}")
_AWARD_WORDS = re.compile(r"bằng khen|giấy khen|huân chương|cờ thi đua|chiến sĩ thi đua|danh hiệu", re.I)


def is_byline(s: str) -> bool:
    """Is this paragraph a byline, an author or a source line rather than article text?"""
    s = normalize(s)
    if not s or len(s) > 90:
        return False
    return any(p.match(s) for p in _BYLINE_PATTERNS)


def is_caption(s: str) -> bool:
    """Is this paragraph a photo caption (see the module docstring for the rule)?"""
    s = normalize(s)
    if not s:
        return False
    if _CAPTION_MARK.search(s):
        return True
    if len(s) > 220 or len(split_sentences(s)) > 1:
        return False
    if _CAPTION_OPENERS.match(s):
        return True
    return bool(_CAPTION_SPEAKER.search(s)) and not s.endswith(".")


def _is_chrome(s: str) -> bool:
    return any(p.match(s) for p in _CHROME)


def source_credit(paragraphs: Sequence[str]) -> str | None:
    """The credited source of a reprint: "Theo BTNO" → "BTNO", "(Nguồn: Báo Tây Ninh)" → "Báo Tây Ninh"."""
    for p in reversed(paragraphs):
        m = _SOURCE.match(normalize(p))
        if m:
            return m.group("src").strip()
    return None


def _content_paragraphs(paragraphs: Sequence[str]) -> Iterator[str]:
    for p in paragraphs:
        n = normalize(p[:MAX_TEXT])
        if n and not is_byline(n) and not is_caption(n) and not _is_chrome(n):
            yield n


def _body_sentences(paragraphs: Sequence[str]) -> list[str]:
    """The body's first MAX_CANDIDATES sentences (a summary is drawn from the beginning of an article)."""
    out: list[str] = []
    for p in _content_paragraphs(paragraphs):
        out.extend(split_sentences(p))
        if len(out) >= MAX_CANDIDATES:
            return out[:MAX_CANDIDATES]
    return out


def _words(s: str) -> set[str]:
    return set(re.findall(r"\w+", fold(s)))


def _repeats_title(text: str, title: str | set[str]) -> bool:
    a, b = _words(text), (_words(title) if isinstance(title, str) else title)
    if not a:
        return True
    return a <= b or (len(a & b) / len(a | b) > 0.8 if b else False)


def _good_lead(lead: str, title: str, budget: int) -> bool:
    return (
        len(lead) >= _MIN_LEAD and len(_ensure_terminal(lead)) <= budget and not _repeats_title(lead, title)
    )


def _ensure_terminal(s: str) -> str:
    s = s.rstrip(" ,;:-")
    return s if _TERMINAL.search(s) else s + "."


def _score(sentence: str, position: int, from_lead: bool) -> float:
    score = 0.0
    if from_lead:
        score += 3.0
    if position == 0:
        score += 2.0
    elif position < 3:
        score += 1.0
    score += 1.0 if _NUMBER.search(sentence) else 0.0
    score += 1.0 if _DATE.search(sentence) else 0.0
    score += 0.5 * min(2, len(_NAME.findall(sentence)))
    score += 1.0 if _AWARD_WORDS.search(sentence) else 0.0
    if len(sentence) < 30:
        score -= 2.0
    return score - position * 0.05


def _cut(sentence: str, budget: int) -> str:
    """Cut one over-long sentence at a clause boundary, else a word boundary, and add "…"."""
    if budget < 1:
        return ""
    room = budget - len(_ELLIPSIS)
    head = sentence[:room]
    clauses = [m.start() for m in _CLAUSE.finditer(head)]
    if clauses and clauses[-1] >= budget // 2:
        head = head[: clauses[-1]]
    elif " " in head and len(sentence) > room:
        head = head[: head.rfind(" ")]
    head = head.rstrip(" ,;:-")
    return (head + _ELLIPSIS)[:budget] if head else _ELLIPSIS[:budget]


def summarize(title: str, lead: str, paragraphs: Sequence[str], budget: int) -> str:
    """A summary of at most ``budget`` characters made of whole sentences of the article."""
    if budget < 1:
        return ""
    title, lead = normalize(title[:MAX_TEXT]), normalize(lead[:MAX_TEXT])
    if lead and (is_byline(lead) or is_caption(lead)):
        lead = ""
    if lead and _good_lead(lead, title, budget):
        return _ensure_terminal(lead)
    candidates: list[tuple[float, int, str]] = []
    order = 0
    title_words = _words(title)
    if lead and not _repeats_title(lead, title_words):
        for i, s in enumerate(split_sentences(lead)[:MAX_CANDIDATES]):
            candidates.append((_score(s, i, True), order, _ensure_terminal(s)))
            order += 1
    for i, s in enumerate(_body_sentences(paragraphs)):
        if _repeats_title(s, title_words) or s == lead:
            continue
        candidates.append((_score(s, i, False), order, _ensure_terminal(s)))
        order += 1
    if not candidates:
        return _ensure_terminal(title) if 0 < len(_ensure_terminal(title)) <= budget else _cut(title, budget)
    chosen: list[tuple[int, str]] = []
    used = 0
    for _, idx, s in sorted(candidates, key=lambda c: (-c[0], c[1])):
        extra = len(s) + (1 if chosen else 0)
        if used + extra <= budget:
            chosen.append((idx, s))
            used += extra
    if not chosen:
        best = min(candidates, key=lambda c: (-c[0], c[1]))
        return _cut(best[2], budget)
    return " ".join(s for _, s in sorted(chosen))
