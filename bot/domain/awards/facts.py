"""Sentence facts: what one sentence says about an award (forms, stage, giver, history)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.domain.awards.lexicon import (
    _ACTIVE_GIVE,
    _AGENT,
    _AGENT_VERB,
    _ANNOUNCED_LIST,
    _CEREMONY,
    _CLASSES,
    _CONFER,
    _COUNT,
    _DECISION,
    _DECISION_SCOPE,
    _DISCIPLINE,
    _DO_AGENT,
    _EARLIER,
    _EARNED,
    _FAMILY_NAMES,
    _FORM_OWN_NAME,
    _FUTURE,
    _GENERIC,
    _GENERIC_COUNTED,
    _GENERIC_PASSIVE,
    _GIAY_KHEN_TOO,
    _GUIDANCE,
    _HANDED,
    _HIGH,
    _HISTORY,
    _HONOUR_CONTEXT,
    _HONOURS,
    _KIND_RE,
    _MASKS,
    _MEDALS,
    _MINISTRIES,
    _MINISTRY_SUBJECT,
    _NAMED_OWNER,
    _NO_CONFERRAL,
    _ORDERS,
    _PASSIVE,
    _PAST_VERB,
    _PAST_YEAR,
    _PERSON,
    _POLICY,
    _PROPOSAL,
    _PUBLIC_COMMENT,
    _REASON,
    _RECOGNITION,
    _REVOKE,
    _SIGNED,
    _TALLY,
    _THUA_UY_QUYEN,
    _TITLES,
    _UNIT_OBJECT,
    _UNIT_START,
    _UNIT_SUBJECT,
    _YEAR_FRAME,
    _aligned_fold,
    _Authority,
    _authority_at,
    _authority_in,
    _no_deputy,
    _own_giver,
    _own_subject,
)
from bot.domain.models import Stage
from bot.domain.text import normalize, split_sentences


@dataclass(frozen=True, slots=True)
class _KindHit:
    """An award form named in a sentence, where, and who owns or gives it there."""

    family: str
    name: str  # canonical, owner-less for Bằng khen/Giấy khen/Cờ thi đua when no owner was given
    start: int
    end: int
    owner: _Authority | None = None
    giver: _Authority | None = None  # who gives it in its clause of the sentence
    unknown_giver: bool = False  # its clause names a giver the lexicon does not know


def _mask(folded: str) -> str:
    return _MASKS.sub(lambda m: "#" * len(m.group(0)), folded)


# another class listed right after a class: "hạng Nhất, Nhì, Ba", "hạng Nhì và hạng Ba"
# ("… hạng Ba và ba cá nhân" is a count, not a class)
_MORE_CLASSES = re.compile(
    r"\s*(?:,\s*va|,|va)\s*(?:hang\s+(?:nhat|nhi|ba)\b|(?:nhat|nhi|ba)\b(?=\s*(?:,|va\b|cho\b|[.;]|$)))"
)


def _kind_hits(folded: str, text: str = "", lower: str = "") -> list[_KindHit]:
    """The forms named in ``folded``; with the sentence's ``text`` and ``lower`` (aligned with it), a
    Bằng khen, Giấy khen or Cờ thi đua of a giver the lexicon does not know keeps the article's name."""
    hits: list[_KindHit] = []
    for m in _KIND_RE.finditer(folded):
        g = m.lastgroup
        if m.group("bk") or m.group("gk") or m.group("co"):
            fam = "bk" if m.group("bk") else "gk" if m.group("gk") else "co"
            owner = _authority_at(folded, m.end())
            owned = fam != "co" or bool(re.match(r"co thi dua(?! xuat)", m.group(0)))
            name = _FAMILY_NAMES[fam]
            if fam == "co" and owner and m.group(0) == "co thi dua xuat sac":
                # "Cờ thi đua xuất sắc của Tổng Liên đoàn …": the article's name, with its giver (b4-080)
                owned, name = True, "Cờ thi đua xuất sắc"
            known = owner[0] if owner and owned else None
            if known is None and owned and text and not owner:
                known = _own_giver(text, lower, m.end())
            hits.append(_KindHit(_FAMILY_NAMES[fam], name, m.start(), m.end(), known))
        elif m.group("order"):
            cls = m.group("cls")
            if cls and _MORE_CLASSES.match(folded, m.end()):
                cls = None  # "Huân chương Lao động hạng Nhất, Nhì, Ba cho 12 tập thể": one order (b4-076)
            name = "Huân chương " + _ORDERS[m.group("order")] + (f" hạng {_CLASSES[cls]}" if cls else "")
            hits.append(_KindHit("Huân chương", name, m.start(), m.end()))
        elif m.group("medal"):
            cls = m.group("mcls")
            if cls and _MORE_CLASSES.match(folded, m.end()):
                cls = None  # "Huy chương Chiến sĩ vẻ vang hạng Nhất, hạng Nhì, hạng Ba": one medal (b3-065)
            name = "Huy chương " + _MEDALS[m.group("medal")] + (f" hạng {_CLASSES[cls]}" if cls else "")
            hits.append(_KindHit("Huy chương", name, m.start(), m.end()))
        elif m.group("honour"):
            if _HONOUR_CONTEXT.search(folded[: m.start()]):
                hits.append(_KindHit("Honour", _HONOURS[m.group("honour")], m.start(), m.end()))
        elif m.group("title"):
            key = re.sub(r"chien sy", "chien si", m.group("title"))
            fam = "Giải thưởng" if key.startswith("giai thuong") else "Title"
            name = _TITLES[key]
            own = _FORM_OWN_NAME.match(lower[m.end() :]) if lower and name in _NAMED_FORMS else None
            group = next((i for i in range(1, len(own.groups()) + 1) if own.group(i)), 0) if own else 0
            written = text[m.end() + own.start(group) : m.end() + own.end(group)].strip() if own else ""
            if written and not written.isupper():  # "Kỷ niệm chương “Vì sự nghiệp Giáo dục”": as written
                name += " " + written
            hits.append(_KindHit(fam, name, m.start(), m.end()))
        elif m.group("hcls"):  # "HCLĐ hạng Ba"
            name = f"Huân chương Lao động hạng {_CLASSES[m.group('hcls')]}"
            hits.append(_KindHit("Huân chương", name, m.start(), m.end()))
        elif m.group("dh"):
            hits.append(_KindHit("Điển hình tiên tiến", "Điển hình tiên tiến", m.start(), m.end()))
        del g
    return hits


# forms an article may name more specifically after their family
_NAMED_FORMS = frozenset({"Kỷ niệm chương", "Giải thưởng Nhà nước", "Giải thưởng Hồ Chí Minh"})


# a ministry named as itself gives as its minister does (b4-073)
_MINISTRY_ORGS = frozenset(f"Bộ {name}" for name in _MINISTRIES)


def _may_give(family: str, giver: _Authority) -> bool:
    person = giver.person.removeprefix("Ban Chấp hành ")  # the committee of a body gives as the body
    high = person in _HIGH or person.startswith("Bộ trưởng") or person in _MINISTRY_ORGS
    if family == "Giấy khen":
        return not high or person in _GIAY_KHEN_TOO
    return high and giver.person != "Chủ tịch nước"


def _kind_name(hit: _KindHit, giver: _Authority | None) -> str:
    if giver is not None and not _may_give(hit.family, giver):
        giver = None
    owner = hit.owner or (giver if hit.family in ("Bằng khen", "Giấy khen", "Cờ thi đua") else None)
    if owner is None or hit.family not in ("Bằng khen", "Giấy khen", "Cờ thi đua"):
        return hit.name
    if hit.family == "Cờ thi đua":
        if hit.owner is not None and hit.owner.person.startswith("Ban Chấp hành "):
            # "Cờ thi đua của Ban Chấp hành Trung ương Đoàn": the article's words (b4-037)
            return f"{hit.name} của {hit.owner.person}"
        return f"{hit.name} của {owner.org}"
    return f"{hit.family} của {owner.person}"


@dataclass(frozen=True)
class _Sentence:
    """What one sentence says about an award, as a value: each step of the reading returns a new one."""

    text: str  # normalized
    lower: str  # lowercase, agency/policy names masked with '#'
    folded: str  # aligned fold, masks applied
    source: str  # "title", "lead", "body", "caption"
    kinds: tuple[_KindHit, ...] = ()
    stage: Stage | None = None
    award: bool = False
    strong: bool = False  # conferred with a ceremony word (trao, đón nhận, gắn …)
    listed: bool = False  # a list item / continuation of an award sentence
    giver: _Authority | None = None
    earlier: bool = False  # soft history: an earlier event, dropped beside a current award sentence
    revoked: frozenset[str] = frozenset()  # families revoked here ("*": award not named)
    paragraph: int = 0  # which paragraph of the article (title, lead and captions are their own)
    history: bool = False  # framed in another time ("Trong 5 năm qua, …")
    opener: int | None = None  # for a list item ("1. Ông …"): the position of the sentence opening it
    opens_list: bool = False  # ends with ":" and list items of named people or units follow
    pending: bool = False  # a proposal published for comment: an award only if its list names or counts


def _sentences(title: str, lead: str, body: str, captions: Sequence[str]) -> list[_Sentence]:
    out: list[_Sentence] = []
    parts: list[tuple[str, str]] = [(title, "title"), (lead, "lead"), (body, "body")]
    parts += [(c, "caption") for c in captions]
    paragraph = 0
    for text, source in parts:
        for para in re.split(r"\n+", text):
            paragraph += 1
            for raw in split_sentences(para):
                s = normalize(raw)
                if s:
                    folded = _mask(_aligned_fold(s))
                    lower = "".join(
                        "#" if f == "#" and c != "#" else c for c, f in zip(s.lower(), folded, strict=True)
                    )
                    out.append(_Sentence(s, lower, folded, source, paragraph=paragraph))
    return _link_lists(out)


_NAMED_NEXT = re.compile(
    r"^(?:[^,]{0,25},\s*)?(?:[Cc]ác |[Nn]hững )?(?:[Cc]á nhân|[Tt]ập thể|[Đđ]ơn vị|[Nn]gười)\s+(?:được\s+)?"
    r"(?:đề nghị|đề xuất|khen thưởng|nhận|vinh dự)?[^.]{0,30}?\b(?:là|gồm)\b"
)
# a sentence opening a list: "… cho các tập thể, cá nhân sau:" (the splitter may keep the first item's "1.")
_OPENS_LIST = re.compile(r":\s*(?:\d{1,3}[.)])?\s*$")
_LIST_ITEM = re.compile(r"^(?:\d{1,3}[.)]|[-–•+])\s*")


_SORT_LABEL = re.compile(r"^\s*(?:tập thể|cá nhân)\s*[:\-–]\s*", re.IGNORECASE)


def _link_lists(sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """A sentence ending in ":" followed by list items ("1. Ông Nguyễn Văn A - …") that name people
    or units opens a list of recipients; the items keep the position of the sentence opening it."""
    links: dict[int, int] = {}  # item -> opener
    for i, (prev, s) in enumerate(itertools.pairwise(sentences)):
        if prev.source != "title" and _NAMED_NEXT.match(s.text) and _PERSON.search(s.text):
            links[i + 1] = i  # "Cá nhân được đề nghị là ông Nguyễn Văn A, …"
    opener: int | None = None
    for i, s in enumerate(sentences):
        item = _LIST_ITEM.match(s.text)
        if opener is not None and item and s.source == sentences[opener].source:
            # "1. Tập thể: Nhân dân và cán bộ ấp …", "2. Cá nhân: Ông …" (dl-011)
            rest = _SORT_LABEL.sub("", s.text[item.end() :], count=1)
            if _PERSON.search(rest) or _UNIT_START.match(rest):
                links[i] = opener
                continue
        opener = i if _OPENS_LIST.search(s.text) else None
    openers = set(links.values())
    return [
        replace(s, opener=links.get(i), opens_list=i in openers) if i in links or i in openers else s
        for i, s in enumerate(sentences)
    ]


def _without_reason(lower: str) -> str:
    m = _REASON.search(lower)
    return lower[: m.start()] if m else lower


def _has_named_or_counted(s: _Sentence) -> bool:
    return bool(
        s.opens_list
        or _COUNT.search(s.lower)
        or _PERSON.search(s.text)
        or _UNIT_OBJECT.search(s.text)
        or _UNIT_SUBJECT.search(s.text)
    )


def _stage_of(lower: str) -> Stage | None:
    if _PROPOSAL.search(lower):
        return Stage.PROPOSED
    if _SIGNED.search(lower) and not _HANDED.search(lower):
        return Stage.DECIDED
    if _CEREMONY.search(lower):
        return Stage.CONFERRED
    if _DECISION.search(lower):
        return Stage.DECIDED
    if _CONFER.search(lower):
        return Stage.CONFERRED
    return None


def _giver(s: _Sentence) -> _Authority | None:
    """Who gives: the authority after "thừa ủy quyền", else the subject of an active giving verb."""
    m = _THUA_UY_QUYEN.search(s.folded)
    if m:
        hit = _authority_at(s.folded, m.end())
        if hit:
            return hit[0]
    for m in _AGENT.finditer(s.folded):
        hit = _authority_at(s.folded, m.end())
        if hit and _AGENT_VERB.match(s.folded, hit[1]):
            return hit[0]
    verb = _ACTIVE_GIVE.search(s.lower)
    if not verb or _PASSIVE.search(s.lower[: verb.end()]):
        return None
    before = s.folded[: verb.start()]
    before = _no_deputy(before)
    return _authority_in(before)


def _ministry_itself(subject: str, found: _Authority) -> _Authority:
    """A ministry that gives as the subject of the verb, named without its minister, gives as itself."""
    if not found.person.startswith("Bộ trưởng Bộ "):
        return found
    m = _MINISTRY_SUBJECT.search(subject)
    if m is None or not found.pattern.fullmatch(m.group(1)):
        return found
    return _Authority(found.pattern, found.org, found.org)


def _clause_giver(folded: str, lower: str, kind_at: int, earlier: bool = False) -> _Authority | None:
    """The giver inside one clause: "thừa ủy quyền X", "được/đề nghị X tặng", the subject of the
    last active giving verb before the kind ("Giám đốc Sở … tặng Giấy khen"), "… do X tặng"; an
    ``earlier`` clause with no giving verb lends its (non-passive) subject."""
    m = _THUA_UY_QUYEN.search(folded)
    if m:
        hit = _authority_at(folded, m.end())
        if hit:
            return hit[0]
    for m in _AGENT.finditer(folded):
        hit = _authority_at(folded, m.end())
        if hit and _AGENT_VERB.match(folded, hit[1]):
            return hit[0]
    verbs = list(_ACTIVE_GIVE.finditer(lower, 0, kind_at)) or list(_ACTIVE_GIVE.finditer(lower))[:1]
    if verbs and not _PASSIVE.search(lower[: verbs[-1].end()]):
        subject = _no_deputy(folded[: verbs[-1].start()])
        found = _authority_in(subject)
        if found:
            return _ministry_itself(subject, found)
    for m in _DO_AGENT.finditer(folded, kind_at):
        hit = _authority_at(folded, m.end())
        if hit and _AGENT_VERB.match(folded, hit[1]):
            return hit[0]
    if earlier and not verbs and not _PASSIVE.search(lower):
        return _authority_in(_no_deputy(folded))
    return None


# words before a clause's verb that are no subject of their own ("…; đồng thời tặng …")
_NO_SUBJECT = re.compile(r"[\s,#]*(?:(?:và|đồng thời|cũng|còn|dịp này|nhân dịp này|sau đó)[\s,]*)*")


def _unknown_giver(s: _Sentence, kind: _KindHit) -> bool:
    """The kind's own clause has a subject that gives it, and it is no authority the lexicon knows
    ("Công đoàn Viên chức tỉnh trao Giấy khen …"); a presenter ("Lãnh đạo Chi cục trao …") is none."""
    if kind.owner is not None:
        return False
    a = max((m.end() for m in re.finditer("[;:]", s.folded[: kind.start])), default=0)
    own = list(_ACTIVE_GIVE.finditer(s.lower, a, kind.start))
    if not own:
        return False
    subject = s.lower[a : own[-1].start()]
    if _NO_SUBJECT.fullmatch(subject) or _PRESENTER.search(subject) or _PASSIVE.search(subject):
        return False
    if _PASSIVE.search(s.lower[a : own[-1].end()]):
        return False  # "09 tập thể và 17 cá nhân được tặng Bằng khen": who receives (da-078)
    return _authority_in(_no_deputy(s.folded[a : own[-1].start()])) is None


def _own_subject_giver(s: _Sentence, kind: _KindHit) -> _Authority | None:
    """The unknown giver of a kind's own clause named in the article's words ("…; Tư lệnh Quân khu 9
    tặng Bằng khen …"), for the families named after their giver."""
    if kind.owner is not None or kind.family not in ("Bằng khen", "Giấy khen", "Cờ thi đua"):
        return None
    a = max((m.end() for m in re.finditer("[;:]", s.folded[: kind.start])), default=0)
    own = list(_ACTIVE_GIVE.finditer(s.lower, a, kind.start))
    if not own:
        return None
    subject = s.lower[a : own[-1].start()]
    if _PRESENTER.search(subject) or _PASSIVE.search(subject):
        return None
    return _own_subject(s.text, s.lower, a, own[-1].start())


def _as_written(s: _Sentence, giver: _Authority | None) -> _Authority | None:
    """A giver the article writes in lower case keeps its casing ("Giám đốc bệnh viện tặng Giấy khen",
    b4-031): the name is the article's words."""
    if giver is None or giver.person not in _CASED_AS_WRITTEN:
        return giver
    written = re.search(re.escape(giver.person), s.text, re.IGNORECASE)
    if written is None or written.group(0) == giver.person:
        return giver
    return _Authority(giver.pattern, written.group(0), written.group(0).split(" ", 2)[-1])


# givers named by a common noun, which articles write either way
_CASED_AS_WRITTEN = frozenset({"Giám đốc Bệnh viện"})


def _givers_together(s: _Sentence, kind: _KindHit) -> bool:
    """Several givers as the subject of one giving verb ("Ban Thường vụ Tỉnh ủy, UBND tỉnh và Ủy ban MTTQ
    Việt Nam tỉnh đã tặng Bằng khen cho 15 tập thể …"): whose form each number is, the article does not
    say (fb-011)."""
    if kind.owner is not None:
        return False
    a = max((m.end() for m in re.finditer("[;:]", s.folded[: kind.start])), default=0)
    verbs = list(_ACTIVE_GIVE.finditer(s.lower, a, kind.start))
    if not verbs:
        return False
    subject = _NO_SUBJECT_FOLDED.sub("", s.folded[a : verbs[-1].start()]).strip(" ,")
    parts = [p.strip() for p in re.split(r",|\bva\b", subject)]
    return len(parts) > 1 and all(p and _authority_at(p, 0) is not None for p in parts)


# the words before a list of givers that are none of them ("Dịp này, …", "… đã")
_NO_SUBJECT_FOLDED = re.compile(r"^(?:[^,]{0,30},\s*)?|\s*(?:da|cung|vua|dong thoi)\s*$")


def _with_giver(s: _Sentence, kind: _KindHit) -> _KindHit:
    """The kind with its giver; an unknown giver named in the article's words owns it."""
    if _givers_together(s, kind):
        return replace(kind, unknown_giver=True)
    if _unknown_giver(s, kind):
        own = _own_subject_giver(s, kind)
        if own is not None:
            return replace(kind, owner=own, giver=own)
        return replace(kind, giver=_as_written(s, _kind_giver(s, kind)), unknown_giver=True)
    return replace(kind, giver=_as_written(s, _kind_giver(s, kind)))


# who hands an award over for someone else: not its giver
_PRESENTER = re.compile(r"\b(?:lãnh đạo|đại diện|thay mặt|thừa ủy quyền|thừa uỷ quyền)\b")


def _kind_giver(s: _Sentence, kind: _KindHit) -> _Authority | None:
    """The giver in the kind's own clause (split by ";"), else in an earlier clause of the sentence."""
    named = _NAMED_OWNER.match(s.folded[kind.end :])
    owner = _authority_at(s.folded, kind.end + named.end()) if named else None
    if owner:
        return owner[0]  # "Kỷ niệm chương “…” của Bộ trưởng Bộ X", whoever hands it over
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer("[;:]", s.folded):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(s.folded)))
    idx = next(i for i, (a, b) in enumerate(bounds) if a <= kind.start <= b)
    a, _ = bounds[idx]
    own = [v for v in _ACTIVE_GIVE.finditer(s.lower, a, kind.start)]
    if own and not _NO_SUBJECT.fullmatch(s.lower[a : own[-1].start()]):
        # "…; Công đoàn ngành tặng Giấy khen …": a giver of its own, even when unknown
        return _clause_giver(s.folded[a : bounds[idx][1]], s.lower[a : bounds[idx][1]], kind.start - a)
    for j in range(idx, -1, -1):
        a, b = bounds[j]
        at = (kind.start if j == idx else b) - a
        giver = _clause_giver(s.folded[a:b], s.lower[a:b], at, earlier=j != idx)
        if giver:
            return giver
    return None


def _mask_revocations(s: _Sentence) -> _Sentence:
    """Mask each revocation to the end of its clause (";"); the subject before it stays, so a
    following clause ("…; đồng thời tặng Bằng khen cho …") keeps its giver. Notes the revoked
    families ("*" when the revoked award is not named)."""
    folded, lower, revoked = s.folded, s.lower, set(s.revoked)
    for m in list(_REVOKE.finditer(folded)):
        start = m.start()
        end = folded.find(";", m.end())
        end = len(folded) if end < 0 else end
        families = {k.family for k in _kind_hits(folded[start:end])}
        revoked |= families or {"*"}
        folded = folded[:start] + "#" * (end - start) + folded[end:]
        lower = lower[:start] + "#" * (end - start) + lower[end:]
    return replace(s, folded=folded, lower=lower, revoked=frozenset(revoked))


def _is_earlier(core: str, framing: str, year: int | None) -> bool:
    """Soft history: "Trước đó, …" (kept when the article has no current award)."""
    del core, year
    return bool(_EARLIER.match(framing))


def _is_past_year(core: str, year: int | None) -> bool:
    """Another year: "Năm 2020, …" before the article's year, "đã được … năm 2012"."""
    if year is None:
        return False
    frame = _YEAR_FRAME.match(core)
    if frame and int(frame.group(1) or frame.group(2)) < year:
        return True
    return bool(_PAST_VERB.search(core)) and any(int(y) <= year - 2 for y in _PAST_YEAR.findall(core))


def _classify(s: _Sentence, year: int | None = None) -> _Sentence:
    """The facts of one sentence: its forms, and whether (and how far) it reports an award now."""
    s = _mask_revocations(s)
    # a form named in an aside ("Ông A (được phong tặng … năm 2000) phát biểu") is no conferral
    kinds = tuple(
        k
        for k in _kind_hits(s.folded, s.text, s.lower)
        if s.folded.count("(", 0, k.start) <= s.folded.count(")", 0, k.start)
    )
    # "Giám đốc tặng Giấy khen cho 40 cá nhân đạt danh hiệu Lao động tiên tiến": the title is what they
    # earned, the reason for the Giấy khen (b4-031, b4-079)
    kinds = tuple(
        k
        for k in kinds
        if not any(
            o.family in ("Bằng khen", "Giấy khen")
            and o.end <= k.start
            and _EARNED.search(s.lower, o.end, k.start)
            for o in kinds
        )
    )
    scope = _DECISION_SCOPE.search(s.lower)
    if scope and any(k.start >= scope.end() for k in kinds):
        # "… về việc phong tặng danh hiệu X, Y lần thứ 14, … được phong tặng danh hiệu Y": X is the decision's
        kinds = tuple(
            k
            for k in kinds
            if not scope.start() <= k.start < scope.end()
            or any(o.name == k.name and o.start >= scope.end() for o in kinds)
        )
    core = _without_reason(s.lower)
    framing = core[: kinds[0].start] if kinds else core
    s = replace(s, kinds=kinds, history=bool(_HISTORY.search(framing) or _is_past_year(core, year)))
    if (
        _DISCIPLINE.search(core)
        or _FUTURE.search(core)
        or s.history
        or _TALLY.search(core)
        or _NO_CONFERRAL.search(core)
    ):
        return replace(s, kinds=())
    generic = (bool(_RECOGNITION.search(s.text.lower())) and _authority_in(s.folded) is not None) or (
        bool(_GENERIC.search(s.folded))
        and (_authority_in(s.folded) is not None or bool(_GENERIC_PASSIVE.search(s.lower)))
        and (
            bool(_GENERIC_COUNTED.search(s.lower))
            or (_has_named_or_counted(s) and not _COUNT.search(s.lower) and not _spoken_by_named(s))
        )
    )
    if not s.kinds and not generic:
        if _GENERIC.search(s.folded) and (_PUBLIC_COMMENT.search(core) or _ANNOUNCED_LIST.search(core)):
            # its list follows: an award through the items it names or counts (dk-009, dk-027)
            listed = Stage.PROPOSED if _PUBLIC_COMMENT.search(core) else Stage.CONFERRED
            return replace(s, stage=listed, award=True, pending=True)
        return s
    stage = _stage_of(s.lower)
    if s.kinds and _PUBLIC_COMMENT.search(core):
        return replace(
            s,
            stage=Stage.PROPOSED,
            award=True,
            earlier=_is_earlier(core, framing, year),
            pending=not (
                _has_named_or_counted(s) or any(_UNIT_START.match(p.strip()) for p in s.text.split(":")[1:])
            ),
            giver=_giver(s),
            kinds=tuple(_with_giver(s, k) for k in s.kinds),
        )
    # "Thực hiện quy định của Luật …, Hội đồng … thống nhất trình …": the opening cites rules, it is
    # no rule itself (dm-013)
    ruled = _PREAMBLE.sub("", core, count=1)
    if _GUIDANCE.search(ruled) or (_POLICY.search(ruled) and (not _has_named_or_counted(s) or not s.kinds)):
        return replace(s, kinds=())
    if stage is None:
        return replace(s, listed=bool(s.kinds) and _has_named_or_counted(s))
    if stage is Stage.PROPOSED and not _has_named_or_counted(s):
        if s.kinds and _OPENS_LIST.search(s.text):
            # "… đề nghị Chủ tịch nước tặng thưởng Huân chương Lao động cho các tập thể, cá nhân sau:" and
            # its items: an award through what they name or count (dm-013)
            return replace(s, stage=stage, award=True, pending=True, giver=_giver(s))
        return s
    return replace(
        s,
        stage=stage,
        strong=stage is Stage.CONFERRED and bool(_CEREMONY.search(s.lower)),
        award=True,
        earlier=_is_earlier(core, framing, year),
        giver=_giver(s),
        kinds=tuple(_with_giver(s, k) for k in s.kinds),
    )


def _spoken_by_named(s: _Sentence) -> bool:
    """The only person named speaks ("Ông A, Phó Chủ tịch UBND tỉnh nhấn mạnh: “… khen thưởng phải chính
    xác …”", "Bà B … cho biết, … hồ sơ khen thưởng tăng …"): no one is given anything (fb-002, fb-052)."""
    said = _SAID.search(s.lower)
    return said is not None and not any(m.start() > said.start() for m in _PERSON.finditer(s.text))


_SAID = re.compile(r"\b(?:nhấn mạnh|cho biết|phát biểu|khẳng định|chia sẻ|nói|yêu cầu|đề nghị|lưu ý)\b")
_PREAMBLE = re.compile(r"^(?:thực hiện|căn cứ|trên cơ sở)\b[^,;]*,\s*")


def _article_givers(sentences: Sequence[_Sentence]) -> list[_Sentence]:
    """A giver in the article's words written once without its unit number ("Tư lệnh Quân khu tặng …"),
    where the article names it with exactly one number elsewhere ("Tư lệnh Quân khu 4"), is that one
    (b3-006); with no number, or several, it stays as written. One written with an abbreviation the
    article defines in brackets is the giver it names in full."""
    texts = " ".join(s.text for s in sentences)
    own_names = {k.owner.person for s in sentences for k in s.kinds if k.owner is not None}
    out: list[_Sentence] = []
    for s in sentences:
        kinds: list[_KindHit] = []
        for k in s.kinds:
            own = k.owner
            if own is None or own.person != own.org:
                kinds.append(k)
                continue
            name = own.person
            numbers = set(re.findall(rf"\b{re.escape(name)}\s+(\d{{1,3}})\b(?![/.,]\d)", texts))
            if not name[-1:].isdigit() and len(numbers) == 1:
                name = f"{name} {numbers.pop()}"
            # "Tổng Giám đốc EVN" beside "Tổng Giám đốc Tập đoàn Điện lực Việt Nam", where the article
            # writes "Tập đoàn Điện lực Việt Nam (EVN)": the same giver (b3-055)
            short = re.fullmatch(r"(.+) ([A-ZĐ][A-ZĐ0-9&-]{1,9})", name)
            if short:
                full = [
                    n
                    for n in own_names
                    if n.startswith(short.group(1) + " ")
                    and f"{n[len(short.group(1)) + 1 :]} ({short.group(2)})" in texts
                ]
                if len(full) == 1:
                    name = full[0]
            if name != own.person:
                fuller = _Authority(re.compile(re.escape(_aligned_fold(name.lower())) + r"\b"), name, name)
                k = replace(k, owner=fuller, giver=fuller if k.giver == own else k.giver)
            kinds.append(k)
        out.append(replace(s, kinds=tuple(kinds)) if kinds != list(s.kinds) else s)
    return out
