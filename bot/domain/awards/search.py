"""Who got an award: a name or an organisation matched against the award facts of stored articles.

Pure. The query and each recipient's name and position are accent-folded and read as words, so
"nguyen thi kieu oanh" finds "Nguyễn Thị Kiều Oanh", and "oanh" does not find "Thoanh": the query's
words must occur in a row, as whole words. What a user types is never read as a pattern.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.models import AwardInfo, Recipient
from bot.domain.text import fold, word_text, words_of

MAX_QUERY_BYTES = 48  # the query travels in the Prev/Next buttons' callback data (≤ 64 bytes)


def award_query(text: str) -> str:
    """The folded words of a query, one space between, bounded so they fit in a button ("" when none)."""
    kept: list[str] = []
    size = 0
    for word in words_of(fold(text)):
        extra = len(word.encode()) + (1 if kept else 0)
        if size + extra > MAX_QUERY_BYTES:
            break
        kept.append(word)
        size += extra
    return " ".join(kept)


@dataclass(frozen=True, slots=True)
class AwardMatch:
    """The facts of one award that a query found: the recipients it names, the forms and the givers."""

    recipients: tuple[Recipient, ...]
    kinds: tuple[str, ...]
    authorities: tuple[str, ...]


def _proven(info: AwardInfo, fact: str, values: tuple[str, ...]) -> tuple[str, ...]:
    """A stored award with evidence shows only facts that have it (as its card does); older rows all."""
    if not info.evidence:
        return values
    return tuple(v for v in values if info.evidence_for(fact, v) is not None)


def match_award(info: AwardInfo | None, query: str) -> AwardMatch | None:
    """The recipients of an award whose name or position holds the folded `query`."""
    if info is None or not query:
        return None
    needle = f" {query} "
    found = tuple(
        r
        for r in info.recipients
        if r.name in _proven(info, "recipient", (r.name,))
        and (needle in word_text(fold(r.name)) or needle in word_text(fold(r.position or "")))
    )
    if not found:
        return None
    kinds = _proven(info, "kind", info.kinds)
    authorities = _proven(info, "authority", info.authorities)
    # where an article names several forms, keep those of the sentences that name these recipients
    said = [
        word_text(fold(e.text)) for e in info.evidence if e.fact == "recipient" and e.value in _names(found)
    ]
    return AwardMatch(found, _narrow(kinds, said), _narrow(authorities, said))


def _names(recipients: tuple[Recipient, ...]) -> set[str]:
    return {r.name for r in recipients}


def _mentions(sentence: str, value: str) -> bool:
    """Whether a folded sentence names a form or a giver: "Bằng khen của Chủ tịch UBND tỉnh" is named by
    "Chủ tịch UBND tỉnh đã tặng bằng khen cho …" too (the form and its giver, in any order)."""
    return all(word_text(fold(part)) in sentence for part in value.split(" của ", 1))


def _narrow(values: tuple[str, ...], sentences: list[str]) -> tuple[str, ...]:
    """The values that the recipients' own sentences mention; all of them when none is mentioned."""
    mentioned = tuple(v for v in values if any(_mentions(s, v) for s in sentences))
    return mentioned or values
