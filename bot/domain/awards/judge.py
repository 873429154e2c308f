"""Judgement: is the article an award announcement, and which of its facts are shown."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from bot.domain.awards.extract import (
    _authorities_of,
    _award_decision,
    _fact_evidence,
    _first,
    _form_counts,
    _form_names,
    _kinds_of,
    _merge_recipients,
    _recipients_in,
)
from bot.domain.awards.facts import (
    _article_givers,
    _classify,
    _has_named_or_counted,
    _Sentence,
    _sentences,
)
from bot.domain.awards.lexicon import (
    _ACTIVE_GIVE,
    _CONTINUATION,
    _COUNT,
    _DATE_YEAR,
    _HISTORY,
    _HISTORY_PARAGRAPH,
    _PASSIVE,
    _PER_DECISION,
    _PERIOD,
    _REASON_OUT,
    _RETROSPECTIVE,
    _SIGNED,
    _TITLE_NOT_AWARD,
)
from bot.domain.models import AwardInfo, FormCount, Stage
from bot.domain.text import normalize


def _article_stage(award: Sequence[_Sentence]) -> Stage:
    """Conferred with a ceremony word > decided > conferred (plain "tặng") > proposed."""
    stages = {s.stage for s in award if s.stage}
    if any(s.strong for s in award):
        return Stage.CONFERRED
    return next(st for st in (Stage.DECIDED, Stage.CONFERRED, Stage.PROPOSED) if st in stages)


def _event_year(title: str, lead: str, body: str) -> int | None:
    """The year of the reported event: the latest dd/mm/yyyy date of title and lead, else of body."""
    for text in (normalize(title) + " " + normalize(lead), normalize(body)):
        years = [int(y) for y in _DATE_YEAR.findall(text)]
        if years:
            return max(years)
    text = " ".join((normalize(title), normalize(lead), normalize(body))).lower()
    years = [int(y) for y in _STATED_YEAR.findall(text)]
    return max(years) if years else None


# a year the article speaks in ("năm 2018"), not a target ("đến năm 2030")
_STATED_YEAR = re.compile(r"(?<!đến )(?<!tới )(?<!nhìn )(?<!hướng )\bnăm ((?:19|20)\d{2})\b(?!\s*[-–])")


def _restates(s: _Sentence, revoked: frozenset[str]) -> bool:
    """In a revocation article: a sentence about a revoked award that confers nothing new (no
    counted recipients and no active, present "X tặng … cho …")."""
    families = {k.family for k in s.kinds}
    if "*" not in revoked and not families <= revoked:
        return False
    if _COUNT.search(s.lower):
        return False
    verb = _ACTIVE_GIVE.search(s.lower)
    if verb is None or _PASSIVE.search(s.lower[: verb.end()]) or s.earlier:
        return True
    if re.search(r"\bđược\b", s.lower[: verb.start()]):
        return (
            True  # "công ty được Chủ tịch UBND tỉnh Bến Tre (cũ) tặng Bằng khen …": what is revoked (fa-020)
        )
    return bool(re.search(r"\bđã\s+$", s.lower[: verb.start()]))


def _drop_restated(sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """Judge the whole article: restated revoked awards and (beside a current award) earlier ones go."""
    revoked = frozenset().union(*(s.revoked for s in sentences))
    out = [
        replace(s, award=False, listed=False)
        if (s.award or s.listed) and revoked and (_restates(s, revoked) or not s.kinds)
        else s
        for s in sentences
    ]
    current = any(s.award and not s.earlier for s in out)
    return [replace(s, award=False) if s.award and s.earlier and (current or revoked) else s for s in out]


def _drop_history_paragraphs(sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """A paragraph that opens in another time ("Trong 5 năm, …") stays there: its later sentences
    confer nothing now, unless one returns to the event ("Dịp này, …", "Tại hội nghị, …")."""
    opened: set[int] = set()
    seen: set[int] = set()
    out: list[_Sentence] = []
    for s in sentences:
        if s.paragraph not in seen:
            seen.add(s.paragraph)
            m = _HISTORY.search(s.lower)
            if m and m.start() < 30:
                opened.add(s.paragraph)
        elif s.paragraph in opened:
            if _HISTORY_PARAGRAPH.match(s.lower):
                opened.discard(s.paragraph)
            else:
                s = replace(s, award=False, listed=False)
        out.append(s)
    return out


def _decided_by_signature(sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """ "… vừa ký Quyết định …. Theo quyết định, 30 tập thể được tặng …": what was decided."""
    out = list(sentences)
    for i in range(1, len(out)):
        s = out[i]
        signed = _SIGNED.search(out[i - 1].lower)
        if s.stage is Stage.CONFERRED and not s.strong and signed and _PER_DECISION.match(s.lower):
            out[i] = replace(s, stage=Stage.DECIDED)
    return out


def detect_award(title: str, lead: str, body: str, captions: Sequence[str] = ()) -> AwardInfo | None:
    """Read an article; ``None`` unless it announces an award (see the module docstring)."""
    heading = normalize(title).lower()
    if _RETROSPECTIVE.search(heading) or _TITLE_NOT_AWARD.search(heading):
        return None
    sentences = _sentences(title, lead, body, captions)
    year = _event_year(title, lead, body)
    sentences = _drop_history_paragraphs([_classify(s, year) for s in sentences])
    sentences = _article_givers(_drop_restated(_decided_by_signature(sentences)))
    if not any(s.award for s in sentences):
        return None
    award: list[_Sentence] = []
    for i, s in enumerate(sentences):
        before = sentences[i - 1] if i > 0 else None
        prev_award = before is not None and before.award and before.source != "title" and s.source != "title"
        if (
            s.award
            or s.listed
            or (prev_award and _CONTINUATION.match(s.lower))
            or (s.opener is not None and sentences[s.opener].award)
        ):
            award.append(s)
    if all(s.pending for s in award if s.award) and not any(
        _has_named_or_counted(s) for s in award if not s.pending
    ):
        return None  # a list published for comment, its names not in the article
    stage = _article_stage(award)
    kinds = _kinds_of(award)
    names = _form_names(_kinds_of(award, keep_bare=True))
    per_form, stated, evidence = _form_counts(award, names, sentences)
    texts = [s.text for s in award]
    decision = _award_decision(award, sentences)
    recipients = _merge_recipients(r for s in award for r in _recipients_in(s))
    reason = _first(_REASON_OUT, texts)
    period = _first(_PERIOD, texts) or _first(_PERIOD, [normalize(title), normalize(lead)])
    kind_names = tuple(dict.fromkeys(n for _, n in kinds))
    authorities = _authorities_of(award, kinds, decision)
    if decision:
        decision = decision.replace("QD", "QĐ").replace("qđ", "QĐ")
    collectives, individuals = stated
    stated_forms = [f for f in kind_names if f in per_form]
    if stated == (None, None) and len(stated_forms) == 1:
        collectives, individuals = per_form[stated_forms[0]]
    evidence = _fact_evidence(award, sentences, stage, kinds, authorities, recipients, decision) + evidence
    return AwardInfo(
        stage=stage,
        kinds=kind_names,
        authorities=authorities,
        recipients=recipients,
        collectives=collectives,
        individuals=individuals,
        decision=decision,
        reason=reason.rstrip(" .") if reason else None,
        period=period,
        counts=tuple(FormCount(f, *per_form[f]) for f in kind_names if f in per_form),
        evidence=tuple(dict.fromkeys(evidence)),
    )
