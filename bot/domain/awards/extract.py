"""Extraction: the facts of an article's award sentences, each with the sentence it came from."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from bot.domain.awards.facts import (
    _MINISTRY_ORGS,
    _NAMED_FORMS,
    _kind_name,
    _KindHit,
    _Sentence,
)
from bot.domain.awards.lexicon import (
    _ACTIVE_GIVE,
    _BREAKDOWN,
    _CONFER,
    _CONTINUATION,
    _COUNT,
    _DECISION_AWARD,
    _DECISION_NO,
    _DECISION_OTHER,
    _DISTRIBUTIVE,
    _FORM_AUTHORITY,
    _GENERIC,
    _HISTORY,
    _HONORIFIC,
    _HONORIFIC_NAMED,
    _JOINED,
    _LAW_AUTHORITY,
    _NOT_NAMES,
    _ONLY_COLLECTIVES,
    _ONLY_INDIVIDUALS,
    _OWNED_FAMILIES,
    _PASSIVE,
    _PERSON,
    _POSITION_WORDS,
    _REASON,
    _REASON_OUT,
    _RECEIVES_AFTER,
    _RECEIVES_RIGHT_BEFORE,
    _SIGNED,
    _SORT_WORD,
    _STATED_TOTAL,
    _SYL,
    _THUA_UY_QUYEN,
    _TITLED_OBJECT,
    _TITLED_PERSON,
    _UNIT_BARE_OBJECT,
    _UNIT_BESIDE_COUNT,
    _UNIT_HOST,
    _UNIT_LIST,
    _UNIT_LIST_OBJECT,
    _UNIT_LIST_SPLIT,
    _UNIT_OBJECT,
    _UNIT_OBJECT_WIDE,
    _UNIT_SELF,
    _UNIT_START,
    _UNIT_SUBJECT,
    _UNIT_SUBJECT_WIDE,
    _UP,
    _authority_at,
    _authority_in,
    _no_deputy,
    _number,
)
from bot.domain.models import Evidence, Recipient, Stage


def _clean_position(pos: str | None) -> str | None:
    if not pos:
        return None
    pos = pos.strip().lstrip("-(,").rstrip(").,;").strip()
    pos = _REASON_OUT.sub("", pos).strip(" ,.-")
    return pos or None


def _recipients_in(s: _Sentence) -> list[Recipient]:
    text = s.text
    verb = _ACTIVE_GIVE.search(s.lower)
    passive = _PASSIVE.search(s.lower)
    start = 0
    if verb and not (passive and passive.start() <= verb.start()) and s.source != "title":
        start = verb.start()
    out: list[Recipient] = []
    for m in _PERSON.finditer(text):
        if m.start() < start:
            continue
        if m.group("name") not in _NOT_NAMES:
            out.append(Recipient(m.group("name"), _clean_position(m.group("pos"))))
    for pattern in (_UNIT_OBJECT, _UNIT_SUBJECT):
        for m in pattern.finditer(text):
            unit = m.group("unit").strip(" ,")
            if _PERSON.search(unit) or len(unit) > 120:
                continue
            out.append(Recipient(unit, None))
    for m in _UNIT_LIST.finditer(text):
        for part in re.split(r",\s*|\s+và\s+(?=[A-ZĐ])", m.group("list")):
            if _UNIT_START.match(part.strip()):
                out.append(Recipient(part.strip(), None))
    return out


def _merge_recipients(found: Iterable[Recipient]) -> tuple[Recipient, ...]:
    by_name: dict[str, Recipient] = {}
    for r in found:
        old = by_name.get(r.name)
        if old is None or (old.position is None and r.position):
            by_name[r.name] = r
    names = list(by_name)
    # a collective cut short ("Sở Thông tin và Truyền thông") beside its full name ("… tỉnh Tây Ninh")
    return tuple(
        r
        for r in by_name.values()
        if r.position or not any(n != r.name and n.startswith(r.name + " ") for n in names)
    )


def _authorities_of(
    award: Sequence[_Sentence], kinds: Sequence[tuple[_KindHit, str]], decision: str | None
) -> tuple[str, ...]:
    names: list[str] = []
    for s in award:
        m = _THUA_UY_QUYEN.search(s.folded)
        hit = _authority_at(s.folded, m.end()) if m else None
        if hit:
            names.append(hit[0].person)
    for hit_kind, name in kinds:
        owner = hit_kind.owner or (hit_kind.giver if name != hit_kind.name else None)
        if (
            owner
            and hit_kind.family == "Cờ thi đua"
            and owner.person == f"Ban Chấp hành {owner.org}"
            and hit_kind.owner is None  # "Cờ thi đua của Ban Chấp hành …": the article's words (b4-037)
        ):
            names.append(owner.org)  # the committee's Cờ thi đua is its body's (b2-025)
        elif owner and hit_kind.family == "Cờ thi đua" and owner.person in _MINISTRY_ORGS:
            # a ministry's Cờ thi đua: its minister's, unless a Bằng khen names the ministry (b2-050, b4-073)
            names.append(f"Bộ trưởng {owner.org}")
        elif owner:
            names.append(owner.person)
        elif hit_kind.family in _LAW_AUTHORITY:
            names.append(_LAW_AUTHORITY[hit_kind.family])
        elif hit_kind.name in _FORM_AUTHORITY:
            names.append(_FORM_AUTHORITY[hit_kind.name])
        elif hit_kind.giver is not None and hit_kind.family not in _OWNED_FAMILIES:
            names.append(hit_kind.giver.person)  # "Bộ trưởng Bộ Y tế tặng Kỷ niệm chương …"
    if not names:
        names += [s.giver.person for s in award if s.giver]
    if decision and decision.upper().endswith("CTN"):
        names.append("Chủ tịch nước")
    if decision and decision.lower().endswith("ttg"):
        names.append("Thủ tướng Chính phủ")
    # the ministry a Bằng khen names as itself stands for its minister too (b4-073)
    names = [n for n in names if not (n.startswith("Bộ trưởng Bộ ") and n[len("Bộ trưởng ") :] in names)]
    return tuple(dict.fromkeys(names))


# the body that gives beside the office or committee that signs for it: one award
_SIGNS_FOR = ("Ban Chấp hành ", "Ban Thường vụ ", "Đoàn Chủ tịch ", "Bộ trưởng ", "Chủ tịch ")
# a verb that hands an award over without giving it ("Phó Chủ tịch UBND tỉnh trao Cờ thi đua …")
_HANDS_OVER = re.compile(r"\btrao(?! tặng)\b")


def _handed_over(s: _Sentence, k: _KindHit) -> bool:
    """Handed over ("trao"), the article naming no owner after the form ("… của Bộ trưởng" is one)."""
    if k.owner is not None or re.match(r"\s*(?:\([^)]*\)\s*)?của\b", s.lower[k.end :]):
        return False
    verbs = list(_ACTIVE_GIVE.finditer(s.lower, 0, k.start))
    return bool(verbs) and _HANDS_OVER.fullmatch(verbs[-1].group(0)) is not None


def _same_awards(mentions: Sequence[tuple[_KindHit, str, _Sentence]]) -> dict[str, str]:
    """Names that stand for another name of the same award in the article:

    - the body beside the office or committee that signs for it: "Bằng khen của Bộ Y tế" beside
      "Bằng khen của Bộ trưởng Bộ Y tế", "… của Hội Nông dân tỉnh" beside "… của Ban Thường vụ Hội
      Nông dân tỉnh" (b5-038, b5-015);
    - a caption's or title's own name for the one award of its family the body names ("Bằng khen của
      Tổng Giám đốc EVN" beside the body's "… Tập đoàn Điện lực Việt Nam", b5-027);
    - a form someone only hands over ("Phó Chủ tịch UBND tỉnh trao Cờ thi đua …") beside the one name
      of its family the article gives with its owner ("Cờ thi đua của Chính phủ", b5-003)."""
    names = {n for _, n, _ in mentions}
    alias: dict[str, str] = {}
    for n in dict.fromkeys(m for _, m, _ in mentions):
        family, of, giver = n.partition(" của ")
        if not of or n in alias:
            continue
        fuller = [f"{family} của {p}{giver}" for p in _SIGNS_FOR if f"{family} của {p}{giver}" in names]
        if len(fuller) == 1:
            alias[n] = fuller[0]
            continue
        kin = next(k.family for k, m, _ in mentions if m == n)
        others = {
            m
            for k2, m, s2 in mentions
            if m != n and k2.family == kin and " của " in m and s2.source in ("lead", "body")
        }
        if len(others) != 1:
            continue
        (other,) = others
        own = [(k2, s2) for k2, m, s2 in mentions if m == n]
        in_body = any(s2.source in ("lead", "body") for _, s2 in own)
        owned = any(m == other and k2.owner is not None for k2, m, _ in mentions)
        handed = all(_handed_over(s2, k2) for k2, s2 in own)
        if not in_body or (owned and handed):
            alias[n] = other
    return alias


def _describes_models(s: _Sentence) -> bool:
    """ "… tặng Bằng khen cho 15 tập thể, 30 cá nhân điển hình tiên tiến": the models are who receive the
    Bằng khen, no form of their own (da-107, di-036, dj-077)."""
    given = [k for k in s.kinds if k.family in ("Bằng khen", "Giấy khen")]
    return s.source in ("lead", "body") and bool(given) and "điển hình tiên tiến" in s.lower[given[0].end :]


_MODELS = "Điển hình tiên tiến"


def _kinds_of(award: Sequence[_Sentence], keep_bare: bool = False) -> list[tuple[_KindHit, str]]:
    described = any(_describes_models(s) for s in award)
    mentions = [
        (k, _kind_name(k, k.giver), s)
        for s in award
        for k in s.kinds
        if not (described and k.name == _MODELS)
    ]
    alias = _same_awards(mentions)
    # a mention standing for another name gives no authority of its own
    out: list[tuple[_KindHit, str]] = [
        (replace(k, owner=None, giver=None), alias[n]) if n in alias else (k, n) for k, n, _ in mentions
    ]
    names = {n for _, n in out}
    if keep_bare:
        return out
    # drop a bare name beside a fuller one ("Bằng khen" / "Bằng khen của …", "… Lao động" / "… hạng Ba");
    # a form named by its own name beside one fuller name is that form ("Kỷ niệm chương" / "Kỷ niệm
    # chương Vì sự nghiệp …"), keeping its giver
    kept: list[tuple[_KindHit, str]] = []
    for k, n in out:
        fuller = [x for x in names if x.startswith(n + " ")]
        if not fuller:
            kept.append((k, n))
        elif n in _NAMED_FORMS and len(fuller) == 1:
            kept.append((k, fuller[0]))
    return kept


def _first(pattern: re.Pattern[str], texts: Iterable[str]) -> str | None:
    for t in texts:
        m = pattern.search(t)
        if m:
            return m.group(0)
    return None


def _decision_about(text: str, m: re.Match[str]) -> str:
    """What the decision number ``m`` is about ("award", "other" or ""): the first topic word after it."""
    after = text[m.end() :].lower()
    after = re.split(r";|\b\d{1,6}/(?:qđ|qd)-", after, maxsplit=1)[0][:160]
    award = _DECISION_AWARD.search(after)
    other = _DECISION_OTHER.search(after)
    if other and (award is None or other.start() < award.start()):
        return "other"
    return "award" if award else ""


def _award_decision(award: Sequence[_Sentence], others: Sequence[_Sentence]) -> str | None:
    """The award's decision number: in an award sentence unless it is about another matter (one about
    an award first); else one about an award elsewhere in the article."""
    found = [(_decision_about(s.text, m), m.group(0)) for s in award for m in _DECISION_NO.finditer(s.text)]
    for about, number in found:
        if about == "award":
            return number
    # "Chủ tịch nước đã ký Quyết định số 2210/QĐ-CTN tặng thưởng Huân chương …" before "… theo Quyết định
    # số 1780/QĐ-TTg": the one that says it is about an award (b2-070)
    for s in others:
        for m in _DECISION_NO.finditer(s.text):
            if not s.revoked and _SIGNED.search(s.lower) and _decision_about(s.text, m) == "award":
                return m.group(0)
    for about, number in found:
        if about == "":
            return number
    for s in others:
        for m in _DECISION_NO.finditer(s.text):
            if not s.revoked and (_decision_about(s.text, m) == "award" or _award_per_decision(s.text, m)):
                return m.group(0)
    return None


# "… trao Huân chương cho ông X theo Quyết định số 712/QĐ-CTN …": the award given is what it decided (bl-003)
_PER_DECISION = re.compile(r"(?<!kèm )\btheo\s+(?:quyết định|qđ)(?:\s+số)?\s*$", re.IGNORECASE)


def _award_per_decision(text: str, m: re.Match[str]) -> bool:
    """A decision number closing a sentence that gives an award "theo Quyết định số …"."""
    before = text[: m.start()]
    return (
        _decision_about(text, m) == ""
        and bool(_PER_DECISION.search(before))
        and bool(_DECISION_AWARD.search(before.lower()))
        and not _DECISION_OTHER.search(before.lower())
    )


def _form_names(kinds: Sequence[tuple[_KindHit, str]]) -> dict[int, str]:
    """Each kind hit's canonical form; a bare name ("Bằng khen") beside exactly one fuller name of
    its family takes that name, beside several it stays unresolved ("")."""
    names = {n for _, n in kinds}
    out: dict[int, str] = {}
    for hit, name in kinds:
        family, of, giver = name.partition(" của ")
        if of and f"{family} của Ban Chấp hành {giver}" in names:
            # a caption's "Lãnh đạo Hội Nông dân tỉnh trao Bằng khen" beside the body's "Bằng khen của Ban
            # Chấp hành Hội Nông dân tỉnh": the body's form, in its words (b4-019)
            out[id(hit)] = f"{family} của Ban Chấp hành {giver}"
            continue
        fuller = sorted(x for x in names if x.startswith(name + " "))
        if fuller and hit.unknown_giver:
            out[id(hit)] = (
                ""  # its own clause names a giver we cannot read: not another giver's form (b2-022)
            )
            continue
        out[id(hit)] = name if not fuller else fuller[0] if len(fuller) == 1 else ""
    return out


@dataclass
class _Tally:
    collectives: int | None = None
    individuals: int | None = None
    seen: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # sort -> {(n, sentence)}
    conflict: set[str] = field(default_factory=set)
    evidence: list[tuple[str, int, _Sentence]] = field(default_factory=list)

    def add(self, sort: str, n: int, idx: int, s: _Sentence, joined: bool = False) -> None:
        """Add a number; only one ``joined`` to the last of its sort in the same sentence ("03 sở, ngành
        và 02 địa phương", "cô A cùng 11 nhà giáo khác") is a part of the same count. Any other second
        number leaves the sort unsure: "“Nghệ nhân nhân dân” cho 02 nghệ nhân và “Nghệ nhân ưu tú” cho 15
        nghệ nhân" whose second form went unread is not 17 (dk-037)."""
        seen = self.seen.setdefault(sort, set())
        if any(n == m for m, _ in seen):  # the same number restated (title and body)
            return
        if seen and not (joined and all(i == idx for _, i in seen)):
            self.conflict.add(sort)
        seen.add((n, idx))
        self.evidence.append((sort, n, s))
        if sort == "c":
            self.collectives = (self.collectives or 0) + n
        else:
            self.individuals = (self.individuals or 0) + n

    def result(self) -> tuple[int | None, int | None]:
        return (
            None if "c" in self.conflict else self.collectives,
            None if "i" in self.conflict else self.individuals,
        )


_CLAUSE_END = re.compile(r";|(?<=[a-zà-ỹđ]{2})\.\s+(?=[A-ZĐÀ-Ỹ])")


# a second giving verb starts a clause of its own ("… cho Sở X và tặng Kỷ niệm chương cho 25 cá nhân"),
# and so does a second form given to its own recipients ("… hạng Nhì cho Bộ Chỉ huy X và Huân chương … cho
# 03 cá nhân", da-096)
_GIVE_SPLIT = re.compile(
    r";|(?<=[a-zà-ỹđ]{2})\.\s+(?=[A-ZĐÀ-Ỹ])|,?\s+(?:và|đồng thời)\s+(?=(?:trao|tặng|công nhận)\b)"
    r"|,?\s+và\s+(?=(?:Huân chương|Huy chương|Bằng khen|Giấy khen|Cờ thi đua)\b[^;,]{0,60}?\bcho\b)"
)


def _clauses(text: str, ends: re.Pattern[str] = _CLAUSE_END) -> list[tuple[int, int]]:
    """Clauses split by ";" (and by a full stop the sentence splitter kept inside), never inside brackets
    ("02 tập thể (Bệnh viện A; Công ty B) và 03 cá nhân" is one clause, dm-013)."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in ends.finditer(text):
        if text.count("(", 0, m.start()) > text.count(")", 0, m.start()):
            continue
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


_NOUN_START = re.compile(r"\S+\s+")


def _form_at(s: _Sentence, pos: int, names: dict[int, str]) -> str | None:
    """The form a count at ``pos`` belongs to: the form its noun names, else the nearest kind before
    it in its clause, else the first after it in its clause. ``None``: unsure (two forms named together
    before the count, or several forms and none in the clause); "" when no form is named; "-" when the
    number counts for no form (its clause gives something else, or names no form beside one form);
    "+" when it is the total of two state honours named together."""
    hits = [k for k in s.kinds if names.get(id(k)) is not None]
    forms = {names[id(k)] for k in hits}
    if not hits:
        return ""
    a, b = next((a, b) for a, b in _clauses(s.text) if a <= pos <= b)
    before = [k for k in hits if a <= k.start < pos]
    after = [k for k in hits if pos < k.start <= b]
    noun = _NOUN_START.match(s.lower, pos)
    own = next((k for k in after if noun and k.start == noun.end()), None)
    if own is not None and (before or own.family not in ("Bằng khen", "Giấy khen")):
        # "công nhận 2 Chiến sĩ thi đua toàn quốc và 35 Chiến sĩ thi đua cấp thành phố": the counted noun
        # is the name of the form after it, not a recipient of the form before (b3-048); so too with no
        # form before ("gồm 79 Nghệ sĩ nhân dân và 340 Nghệ sĩ ưu tú", di-076)
        return names[id(own)] or None
    if after and before:
        between = s.lower[pos : after[0].start]
        if (
            _RECEIVES_AFTER.search(between)
            and _RECEIVES_RIGHT_BEFORE.search(between)
            and not _BREAKDOWN.search(between)
        ):
            before = []  # "…, và 85 cá nhân được tặng danh hiệu Chiến sĩ thi đua": the form after
    if before:
        last = before[-1]
        prev = before[-2] if len(before) > 1 else None
        # "tặng Bằng khen … và Giấy khen … cho 9 tập thể": which form the number is for is unclear
        if (
            prev is not None
            and names[id(prev)] != names[id(last)]
            and _JOINED.fullmatch(s.lower[prev.end : last.start])
        ):
            if prev.family == last.family == "Honour":
                # "… danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú cho 68 nhà giáo": one person is given one
                # of a pair of state honours, so the number is their total (b3-016)
                return "+"
            return "-"  # nobody's: the forms keep the counts bound to each elsewhere (b3-016)
        return names[id(last)] or None
    if after:
        between = s.lower[pos : after[0].start]
        if (
            len(after) > 1
            and names[id(after[0])] != names[id(after[1])]
            and _JOINED.fullmatch(s.lower[after[0].end : after[1].start])
        ):
            # "10 thầy thuốc được phong tặng danh hiệu Thầy thuốc Nhân dân, Thầy thuốc Ưu tú": the number is
            # the pair's total, no count of the first (dm-015)
            return "+" if after[0].family == after[1].family == "Honour" else "-"
        if _BREAKDOWN.search(between) or ":" in between:
            return ""  # "45 tập thể … được khen thưởng, trong đó: Cờ thi đua …": a total
        if not _RECEIVES_AFTER.search(between):
            return "-"  # "… của hai thanh niên và trao Bằng khen …": not who receives it
        return names[id(after[0])] or None
    if _GENERIC.search(s.folded[a:b]):
        return ""  # "UBND tỉnh khen thưởng 45 tập thể, 80 cá nhân; …": a total, no form of its own
    if _ACTIVE_GIVE.search(s.lower[a:b]) and (a > 0 or any(k.start > b for k in hits)):
        # "…; trao Huy hiệu … cho 8 đoàn viên", or the same before the clause of the form ("… trao Huy hiệu
        # 50 năm tuổi Đảng cho 3 đồng chí …; đồng thời … tặng Bằng khen cho 12 tổ chức", b3-045)
        return "-"  # a clause of its own giving something else ("…; trao Huy hiệu … cho 8 đoàn viên")
    # a number in a clause that names no form is bound to none: which form (if any) it counts is not
    # said where it stands (b3-045); beside one form it is left out, beside several the forms are unsure
    return "-" if len(forms) == 1 else None


def _form_counts(
    award: Sequence[_Sentence], names: dict[int, str], article: Sequence[_Sentence]
) -> tuple[dict[str, tuple[int | None, int | None]], tuple[int | None, int | None], list[Evidence]]:
    """Counts per form, a stated total, and the evidence of each (see the module rules)."""
    tallies: dict[str, _Tally] = {}
    total = _Tally()
    unsure: set[str] = set()
    order: list[str] = []
    for idx, s in enumerate(award):
        for k in s.kinds:
            name = names.get(id(k))
            if name and name not in order:
                order.append(name)
        lower = _REASON.sub(lambda m: "#" * len(m.group(0)), s.lower)
        last: dict[tuple[str, str], int] = {}  # (form, sort) -> where its last number's noun ends
        bd = _BREAKDOWN.search(lower)
        for m in _COUNT.finditer(lower):
            if m.group("mixed"):
                continue
            if bd and _in_breakdown(s, lower, bd, m.start()):
                continue
            if idx and _CONTINUATION.match(s.lower) and _OTHERS_AFTER.match(lower, m.end()):
                continue  # "Các đơn vị … gồm Sở Tài chính, … và 4 đơn vị khác": the rest of a list (b2-046)
            bracketed = _bracket_form(s, lower, m.start(), names)
            if bracketed is None and lower.count("(", 0, m.start()) > lower.count(")", 0, m.start()):
                continue  # an aside in brackets: "(năm trước là 25 tập thể)"
            n_raw = m.group("n")
            n = _number(n_raw)
            sort = "c" if m.group("c") else "i"
            form = bracketed if bracketed is not None else _form_at(s, m.start(), names)
            if form == "" and idx and _CONTINUATION.match(s.lower):
                prev_forms = {names.get(id(k)) for k in award[idx - 1].kinds}
                if len(prev_forms) == 1:
                    form = prev_forms.pop() or None
            if form == "-":
                continue
            if form == "+":
                total.add(sort, n, idx, s)
                continue
            if form is None and _bare_family_total(s, m.start(), names):
                form = ""
                if not _STATED_TOTAL.search(lower):
                    total.add(sort, n, idx, s)
                    continue
            if form is None:
                unsure.update(names[id(k)] for k in s.kinds if names.get(id(k)))
                continue
            if form == "":
                if _STATED_TOTAL.search(lower):
                    total.add(sort, n, idx, s)
                continue
            joined = last.get((form, sort)) is not None and bool(
                _JOINED_COUNT.fullmatch(lower, last[(form, sort)], m.start())
            )
            last[(form, sort)] = m.end()
            tallies.setdefault(form, _Tally()).add(sort, n, idx, s, joined)
            if sort == "i" and _UNIT_BESIDE_COUNT.search(s.text, 0, m.start()):
                tallies[form].add("c", 1, idx, s, True)  # "… cho Cục Sở hữu trí tuệ và 3 cá nhân"
            if _person_beside(s.text, m.start(), m.end()):
                # "… cho ông Nguyễn Văn A và 5 cá nhân khác", "… cho 3 tập thể và ông Nguyễn Văn A"
                if sort == "i" and n == 1:
                    tallies[form].conflict.add("i")  # "… và 1 cá nhân": 2, which the tally cannot add
                else:
                    tallies[form].add("i", 1, idx, s, True)
    evidence: list[Evidence] = []
    counts: dict[str, tuple[int | None, int | None]] = {}
    unknown = {
        names[id(k)]
        for s in award
        for k in s.kinds
        if k.unknown_giver and names.get(id(k)) in _OWNED_FAMILIES
    }
    for form in order:
        if form in unsure or form in unknown:  # "Giấy khen" of a giver we cannot name: no count
            counts[form] = (None, None)
            continue
        tally = tallies.get(form)
        if tally is None and any(
            _DISTRIBUTIVE.search(s.lower) for s in award if any(names.get(id(k)) == form for k in s.kinds)
        ):
            counts[form] = _distributed(award, form, names, evidence, article)
            continue
        if tally is None and len(order) == 1:
            titled = _title_count(award, form, names, evidence, article)
            if titled is not None:
                counts[form] = titled
                continue
        if tally is None:
            counts[form] = _named_count(award, form, names, evidence, article)
            continue
        counts[form] = tally.result()
        if _impossible(form, counts[form]):
            counts[form] = (None, None)
            continue
        for sort, n, s in tally.evidence:
            if sort not in tally.conflict:
                evidence.append(Evidence("count", f"{form}: {n} {_SORT_WORD[sort]}", s.text, s.source))
    stated = total.result()
    for sort, n, s in total.evidence:
        evidence.append(Evidence("total", f"{n} {_SORT_WORD[sort]}", s.text, s.source))
    return counts, stated, evidence


# a number joined to the count before it: "03 sở, ngành và 02 địa phương", "9 vận động viên và 3 …"
_JOINED_COUNT = re.compile(r"(?:\s+[^\d\s,;.:]+){0,3}?\s*(?:,|và|,\s*và)\s*")


# "… và 4 đơn vị khác": the others of a list already counted
_OTHERS_AFTER = re.compile(r"\s*khác\b")
# "cho ông Nguyễn Văn A và " right before a count, or " và ông Nguyễn Văn A" right after it
_GIVEN_TO = re.compile(r"\b(?:cho|tặng)\s+(?=\S)")
_AND_BEFORE = re.compile(r"\s+và\s+$")
_AND_AFTER = re.compile(r"(?:\s+khác)?\s+và\s+")
_POSITION_AFTER = re.compile(rf"\s*(?:,|-)\s*{_POSITION_WORDS}\b[^;,()\d]*")
_PERSON_DONE = re.compile(r"\s*(?:[.;]|$)|\s+(?:vì|do|có thành tích|về thành tích)\b")


def _person_beside(text: str, start: int, end: int) -> bool:
    """One named person given the form beside a count of recipients, in the same clause: "… cho ông
    Nguyễn Văn A (, Giám đốc Sở Y tế) và 5 cá nhân", "… cho 3 tập thể và ông Nguyễn Văn A"."""
    before = _AND_BEFORE.search(text, 0, start)
    given = list(_GIVEN_TO.finditer(text, 0, before.start())) if before else []
    if before and given and ";" not in text[given[-1].end() : start]:
        who = _PERSON.match(text, given[-1].end())
        between = text[who.end() : before.start()] if who else ""
        if who and (not between or _POSITION_AFTER.fullmatch(between)):
            return True
    after = _AND_AFTER.match(text, end)
    if after:
        who = _PERSON.match(text, after.end())
        return bool(who and _PERSON_DONE.match(text, who.end()))
    along = _ALONG_BEFORE.search(text, 0, start)
    if along and _OTHERS_AFTER.match(text, end):
        # "cô Hà Thị Minh cùng 11 nhà giáo khác … đón nhận …", "Đồng chí A, Trưởng phòng, được công nhận
        # danh hiệu … cùng 14 cá nhân khác": the one person named in the clause, and the others
        # (di-023, dm-005)
        clause = text.rfind(";", 0, along.start()) + 1
        people = list(_PERSON.finditer(text, clause, along.start()))
        return len(people) == 1 or any(m.end() == along.start() for m in people)
    return False


def _people_unread(text: str, given_to: int | None, read: set[str]) -> bool:
    """Whether the people a clause gives a form to may be more than those whose names were read: "… cho
    ông Thành và anh Đỗ Xuân Quý" (a one-word name, dn-043), "… cho các vận động viên A, B, C …" (a list
    after a plural, dm-021, dm-073), "… vận động viên Đinh Thị Hương và Phạm Thị Huệ" (a name after
    "và" with no honorific, dm-065), "… 80 điển hình, trong đó có BSCKII Nguyễn Thị Thu …" (examples of a
    larger group, dm-053)."""
    if _AMONG.search(text):
        return True
    if given_to is None:
        return False
    if _PLURAL_OBJECT.match(text, given_to):
        return True
    stop = _OBJECT_END.search(text, given_to)
    end = stop.start() if stop else len(text)
    spans = [(m.start("name"), m.end("name")) for m in _PERSON.finditer(text)]
    named = [
        h
        for h in _HONORIFIC_NAMED.finditer(text, given_to, end)
        if not any(a <= h.start() < b for a, b in spans)
    ]
    if len(named) > len(read):
        return True
    return any(
        m.group(1) not in read and not _UNIT_START.match(m.group(1))
        for m in _AND_NAME.finditer(text, given_to, end)
    )


# where the object of "cho" ends: a full stop the sentence splitter kept ("… PY 90567 TS. Bộ đội …")
_OBJECT_END = re.compile(rf"[.;]\s+(?=[{_UP}])")
_AMONG = re.compile(rf"\btrong đó(?: có)?\s+(?:\S+\s+){{0,3}}?[{_UP}]")
_PLURAL_OBJECT = re.compile(r"(?:các|những)\s+(?!tập thể\b|đơn vị\b)")
# an object of honorific-led people only: "ông Thành và anh Đỗ Xuân Quý, nhân viên bảo vệ …"
_HONOURED_ONE = re.compile(rf"(?<![\w])(?:{_HONORIFIC})\s+{_SYL}(?:\s+A(?=\s+{_SYL}))?(?:\s+{_SYL}){{0,4}}")
_HONOURED_ONLY = re.compile(
    rf"{_HONOURED_ONE.pattern}(?:\s*,\s*[^,;]{{1,60}}?)?"
    rf"(?:\s*(?:,|và|,\s*và)\s*{_HONOURED_ONE.pattern}(?:\s*,\s*[^,;]{{1,60}}?)?)+"
    r"(?=\s*(?:[.;]|$)|\s+(?:vì|do|đã|có thành tích)\b)"
)
_CREW_AFTER = re.compile(r"\svà\s+(tập thể\s+[a-zà-ỹđ][^,;.]{2,80}?)(?=\s*(?:[.;,]|$)|\s+(?:vì|do|đã)\b)")
_AND_NAME = re.compile(rf"\svà\s+({_SYL}(?:\s+{_SYL}){{1,4}})")
_ALONG_BEFORE = re.compile(r"\s+cùng(?: với)?\s+$")
_GIVEN_TO_CHO = re.compile(r"\bcho\s+")


def _bracket_form(s: _Sentence, lower: str, pos: int, names: dict[int, str]) -> str | None:
    """ "50 điển hình tiên tiến (18 tập thể, 32 cá nhân)": counts in brackets right after a counted
    form, and nothing else in them, are that form's recipients by sort."""
    opening = lower.rfind("(", 0, pos)
    if opening < 0 or lower.find(")", opening) < pos:
        return None
    closing = lower.find(")", opening)
    inside = _COUNT.sub("", lower[opening + 1 : closing])
    if re.sub(r"[\s,;]|\bvà\b", "", inside):
        return None
    for k in s.kinds:
        name = names.get(id(k))
        if (
            name
            and lower[k.end : opening].strip() == ""
            and re.search(r"\d\s+[^\d(),;]{1,40}$", lower[:opening].rstrip())
        ):
            return name
    return None


def _bare_family_total(s: _Sentence, pos: int, names: dict[int, str]) -> bool:
    """ "Huân chương Lao động cho 2 tập thể và 3 cá nhân" beside its classes named one by one: the
    number is the total of the family, for distinct recipients."""
    before = [k for k in s.kinds if k.start < pos]
    # a title's bare "Trao Giấy khen cho 6 tập thể, 14 cá nhân" restates one giver's counts (dl-043)
    return s.source != "title" and len(s.kinds) == 1 and bool(before) and names.get(id(before[-1])) == ""


def _in_breakdown(s: _Sentence, lower: str, bd: re.Match[str], pos: int) -> bool:
    """A number after "trong đó/gồm" in the same clause, with a number before it: a part of a total
    already given ("… cho 30 tập thể, trong đó 10 tập thể …"); not so a list by form after a colon
    ("trong đó: Cờ thi đua cho 05 tập thể; …")."""
    if pos < bd.start() or ";" in lower[bd.end() : pos]:
        return False
    if not any(c.start() < bd.start() for c in _COUNT.finditer(lower)):
        return False
    end = next(b for a, b in _clauses(lower) if a <= pos <= b)
    named = {k.name for k in s.kinds if k.start < bd.start()}
    number = re.match(r"[\d.]+\s+", lower[pos:])
    if number and any(k.start == pos + number.end() and k.name not in named for k in s.kinds):
        return (
            False  # "… 419 nghệ sĩ, gồm 79 Nghệ sĩ nhân dân và 340 Nghệ sĩ ưu tú": a count per form (di-076)
        )
    if any(
        pos < k.start <= end
        and k.name not in named
        and _RECEIVES_RIGHT_BEFORE.search(lower[pos : k.start])
        and not re.search(r"\b(?:đã|từng)\b", lower[pos : k.start])
        and not _HISTORY.search(lower[pos:end])
        for k in s.kinds
    ):
        return False  # "…; trong đó, 10 tập thể được … tặng Bằng khen": the part given a form not named yet
    return not (lower[bd.end() :].lstrip().startswith(":") and any(k.start > bd.start() for k in s.kinds))


def _impossible(form: str, pair: tuple[int | None, int | None]) -> bool:
    """A count of a sort the form is never given to (individuals of "Tập thể lao động xuất sắc")."""
    collectives, individuals = pair
    if individuals is not None and form.startswith(_ONLY_COLLECTIVES):
        return True
    return collectives is not None and form.startswith(_ONLY_INDIVIDUALS)


def _distributed(
    award: Sequence[_Sentence],
    form: str,
    names: dict[int, str],
    evidence: list[Evidence],
    article: Sequence[_Sentence],
) -> tuple[int | None, int | None]:
    """ "… tuyên dương 45 gương thanh niên. Mỗi gương được tặng Bằng khen …": the recipients are those
    counted in the sentence before (same paragraph), else in the title — one number per sort, each of
    the noun "mỗi" names, beside a conferral verb; else no count, never one."""
    for s in award:
        each = _DISTRIBUTIVE.search(s.lower)
        if not each or all(names.get(id(k)) != form for k in s.kinds):
            continue
        head = s.lower[: each.start()]
        if head.rstrip().endswith(";") and _CONFER.search(head) and not s.history:
            # "20 nông dân tiêu biểu được tuyên dương; mỗi người được tặng Bằng khen …" (b4-019, b4-071)
            found = _counts_of(head, each.group(0))
            if not found:
                return None, None
            for sort, n in found.items():
                evidence.append(Evidence("count", f"{form}: {n} {_SORT_WORD[sort]}", s.text, s.source))
            pair = (found.get("c"), found.get("i"))
            return (None, None) if _impossible(form, pair) else pair
        at = next((i for i, x in enumerate(article) if x is s), None)
        if not at:
            continue
        # the sentences just before, across a paragraph break too ("Bốn mươi lăm gương thanh niên được tuyên
        # dương …. Tiêu biểu có anh A …. ¶ Mỗi gương thanh niên tiêu biểu được … tặng Bằng khen", fa-060)
        near = [x for x in article[max(0, at - 3) : at] if x.source in ("lead", "body")][::-1]
        candidates = near + [x for x in article[:at] if x.source == "title" and x not in near]
        for cand in candidates:
            if cand.history or not _CONFER.search(cand.lower):
                continue
            found = _counts_of(cand.lower, each.group(0))
            parts = _BREAKDOWN_OF.search(cand.lower)
            if found is None and parts and _noun_of(each.group(0)) in parts.group("noun"):
                # "… 150 điển hình tiên tiến, gồm 60 tập thể và 90 cá nhân. Mỗi điển hình được …" (b2-067)
                found = _counts_of(cand.lower[parts.end() :], "tập thể cá nhân")
            if found is None:
                return None, None  # "Mỗi em …" after "30 học sinh": whose count it is, unsure
            if not found:
                continue
            for sort, n in found.items():
                evidence.append(Evidence("count", f"{form}: {n} {_SORT_WORD[sort]}", cand.text, cand.source))
            pair = (found.get("c"), found.get("i"))
            return (None, None) if _impossible(form, pair) else pair
        return None, None
    return None, None


# "… trao Bằng khen … cho các tập thể, cá nhân": recipients not counted where the form is given
_UNCOUNTED_RECIPIENTS = re.compile(
    r"\bcho\s+(?:các|những)\s+(?P<phrase>tập thể,?\s+(?:và\s+)?cá nhân|cá nhân,?\s+(?:và\s+)?tập thể)\b"
)


def _title_count(
    award: Sequence[_Sentence],
    form: str,
    names: dict[int, str],
    evidence: list[Evidence],
    article: Sequence[_Sentence],
) -> tuple[int | None, int | None] | None:
    """The article's only form, given in the body "cho các tập thể, cá nhân" with no number, takes the
    title's count of those same nouns ("Tây Ninh khen thưởng 12 tập thể, 35 cá nhân …", b2-002)."""
    for s in award:
        if s.source == "title" or all(names.get(id(k)) != form for k in s.kinds):
            continue
        m = _UNCOUNTED_RECIPIENTS.search(s.lower)
        if m is None or _COUNT.search(s.lower):
            continue
        for cand in article:
            if cand.source != "title" or cand.history or not _CONFER.search(cand.lower):
                continue
            if any(names.get(id(k)) not in (None, form) for k in cand.kinds):
                return None
            found = _counts_of(cand.lower, m.group("phrase"))
            if not found:
                return None
            for sort, n in found.items():
                evidence.append(Evidence("count", f"{form}: {n} {_SORT_WORD[sort]}", cand.text, cand.source))
            pair = (found.get("c"), found.get("i"))
            return (None, None) if _impossible(form, pair) else pair
    return None


# "150 điển hình tiên tiến, gồm …": a counted noun broken down into collectives and individuals
_BREAKDOWN_OF = re.compile(r"\b\d[\d.]*\s+(?P<noun>[^\d,;.:]{2,40}?),?\s+(?:gồm|bao gồm|trong đó)\b")


def _noun_of(each: str) -> str:
    """The noun of a distributive phrase ("mỗi điển hình được" → "điển hình")."""
    words = each.split()[1:]
    return " ".join(w for w in words[:2] if w not in ("được", "nhận", "đón")) or "#"


_GENERIC_NOUN = {"c": "tập thể", "i": "cá nhân"}


def _counts_of(lower: str, phrase: str) -> dict[str, int] | None:
    """The numbers of ``lower`` by sort, each counting a noun ``phrase`` names; ``None`` when one counts
    another noun, mixes sorts or a sort has two numbers."""
    found: dict[str, int] = {}
    for m in _COUNT.finditer(_REASON.sub(lambda r: "#" * len(r.group(0)), lower)):
        noun = m.group("c") or m.group("i")
        sort = "c" if m.group("c") else "i"
        # "Mỗi cá nhân …" after "30 gương thanh niên": the generic word stands for any of its sort (b2-009)
        # "mỗi người" after "20 nông dân" (b4-019); "mỗi đơn vị" after "5 công đoàn cơ sở" (b5-015)
        generic = (
            _GENERIC_NOUN[sort] in phrase
            or (sort == "i" and bool(re.search(r"\bngười\b", phrase)))
            or (sort == "c" and bool(re.search(r"\bđơn vị\b", phrase)))
            # "mỗi tổ" after "06 tổ dân phố" (dn-029)
            or noun.split()[0] == _noun_of(phrase).split()[0]
        )
        if m.group("mixed") or not (generic or re.search(rf"\b{re.escape(noun)}\b", phrase)) or sort in found:
            return None
        found[sort] = _number(m.group("n"))
    return found


def _named_count(
    award: Sequence[_Sentence],
    form: str,
    names: dict[int, str],
    evidence: list[Evidence],
    article: Sequence[_Sentence],
) -> tuple[int | None, int | None]:
    """A form given with no number: count the people named in the clauses that name only this form,
    or the collectives (the most named in one clause: the title and the body name the same unit in
    different words). Unsure (another form in the clause, people and units both) → not stated."""
    people: dict[str, _Sentence] = {}
    units: dict[str, _Sentence] = {}
    paired = False  # "… cho Công an xã X và anh Y": a unit and a person named together (b5-074)
    unsure = False
    for s in award:
        if s.opener is not None and {names.get(id(k)) for k in article[s.opener].kinds} == {form}:
            for m in _PERSON.finditer(s.text):
                if m.group("name") not in _NOT_NAMES:
                    people.setdefault(m.group("name"), s)
            continue
        for a, b in _clauses(s.text, _GIVE_SPLIT):
            forms = {names.get(id(k)) for k in s.kinds if a <= k.start <= b}
            if form not in forms or len(forms) != 1:
                continue  # another form in the clause: whose names they are is unclear
            clause = replace(s, text=s.text[a:b], lower=s.lower[a:b], folded=s.folded[a:b])
            found = {r.name for r in _recipients_in(clause)}
            read = {
                m.group("name")
                for m in _PERSON.finditer(clause.text)
                if m.group("name") in found and m.group("name") not in _NOT_NAMES
            }
            kind_at = min(k.start - a for k in s.kinds if a <= k.start <= b and names.get(id(k)) == form)
            given = _GIVEN_TO_CHO.search(clause.text, kind_at)
            given_to = given.end() if given else None
            honoured = _HONOURED_ONLY.match(clause.text, given_to) if given_to is not None else None
            if honoured and read:
                # "… cho ông Thành và anh Đỗ Xuân Quý, nhân viên bảo vệ …": each honorific is one person,
                # the one-word name too (dn-043)
                read = {h.group(0).strip() for h in _HONOURED_ONE.finditer(honoured.group(0))}
            elif read and _people_unread(clause.text, given_to, read):
                unsure = True
            crew = _CREW_AFTER.search(clause.text, given_to) if given_to is not None and read else None
            if crew:
                # "… cho thuyền trưởng Nguyễn Văn Sơn và tập thể thuyền viên tàu cá …" (dn-076)
                paired = True
                units.setdefault(crew.group(1), s)
            for name in read:
                people.setdefault(name, s)
            for m in [*_TITLED_PERSON.finditer(clause.text), *_TITLED_OBJECT.finditer(clause.text)]:
                if not _PERSON.search(clause.text):
                    people.setdefault(m.group("name"), s)
            here: dict[str, _Sentence] = {}
            dangling: list[str] = []
            for pattern in (_UNIT_OBJECT_WIDE, _UNIT_SUBJECT_WIDE, _UNIT_HOST, _UNIT_SELF, _UNIT_BARE_OBJECT):
                if (
                    pattern is not _UNIT_OBJECT_WIDE
                    and pattern is not _UNIT_SUBJECT_WIDE
                    and _UNIT_OBJECT_WIDE.search(clause.text)
                ):
                    # "Công an TP tổ chức lễ đón nhận … cho Phòng X": the host is no recipient (b3-027)
                    continue
                for m in pattern.finditer(clause.text):
                    unit = m.group("unit").strip(" ,")
                    level = _LEVEL_START.match(unit) if pattern is _UNIT_OBJECT_WIDE else None
                    at = m.end("unit")
                    while level and (more := _SAME_LEVEL_MORE.match(clause.text, at)):
                        # "… cho huyện Trà Bồng, Minh Long vì …": more places of the same level (dj-080)
                        here.setdefault(level.group(0) + more.group(1), s)
                        at = more.end()
                    more = _SAME_LEVEL_MORE.match(clause.text, at) if pattern is _UNIT_OBJECT_WIDE else None
                    if more:
                        dangling.append(more.group(1))  # another name after it, maybe no unit read
                    head, beside, person = unit.partition(" và ")
                    if beside and _PERSON.match(person) and not _PERSON.search(head):
                        unit, paired = head, True
                    if not _PERSON.search(unit) and len(unit) <= 120:
                        here.setdefault(unit, s)
            for m in _UNIT_LIST_OBJECT.finditer(clause.text):
                parts = [p.strip(" ,") for p in _UNIT_LIST_SPLIT.split(m.group("list"))]
                if len(parts) > 1 and not any(_PERSON.search(p) or len(p) > 120 for p in parts):
                    for part in parts:  # "… cho Sở Y tế, Sở Tài chính và Công an tỉnh"
                        here.setdefault(part, s)
            if any(not any(name in unit for unit in here) for name in dangling):
                unsure = True  # "… cho Trường A, B …": a name after the unit that is counted nowhere
            # a collective named twice, cut short once ("Sở X" / "Sở X tỉnh Y")
            here = {u: x for u, x in here.items() if not any(n != u and n.startswith(u + " ") for n in here)}
            if len(here) > len(units):
                units = here
    if unsure or (people and units and not (paired and len(units) == 1)):
        return None, None
    for name, s in [*people.items(), *units.items()]:
        evidence.append(Evidence("count", f"{form}: {name}", s.text, s.source))
    return (len(units) or None, len(people) or None) if (people or units) else (None, None)


_LEVEL_START = re.compile(rf"(?:huyện|xã|phường|thị xã|thị trấn|quận)\s+(?=[{_UP}])")
# another proper name after a comma or "và", ending where a name ends ("…, Minh Long vì …"; not "…, Thể thao")
_SAME_LEVEL_MORE = re.compile(
    rf"(?:\s*,\s*(?:và\s+)?|\s+và\s+)([{_UP}][^\s,;.]*(?:\s+[{_UP}][^\s,;.]*){{0,3}})"
    r"(?=\s*(?:[,;.:()]|$)|\s+(?:và|vì|do|có|đã|về|nhân|trong|được|cùng|với)\b)"
)


def _first_sentence(award: Sequence[_Sentence], test: Callable[[_Sentence], bool]) -> _Sentence | None:
    return next((s for s in award if test(s)), None)


def _fact_evidence(
    award: Sequence[_Sentence],
    sentences: Sequence[_Sentence],
    stage: Stage,
    kinds: Sequence[tuple[_KindHit, str]],
    authorities: Sequence[str],
    recipients: Sequence[Recipient],
    decision: str | None,
) -> list[Evidence]:
    """The sentence behind each fact: the stage, every form, giver, named recipient, decision."""
    out: list[Evidence] = []
    staged = _first_sentence(award, lambda s: s.stage is stage) or award[0]
    out.append(Evidence("stage", stage.value, staged.text, staged.source))
    for hit, name in kinds:
        owner = next((s for s in award if any(k is hit for k in s.kinds)), None)
        if owner is not None:
            out.append(Evidence("kind", name, owner.text, owner.source))
    for person in authorities:
        s = _authority_sentence(award, kinds, person)
        if s is not None:
            out.append(Evidence("authority", person, s.text, s.source))
    for r in recipients:
        s = next((x for x in award if r.name in x.text), None)
        if s is not None:
            out.append(Evidence("recipient", r.name, s.text, s.source))
    if decision:
        plain = decision.replace("QĐ", "")
        s = _first_sentence(
            sentences, lambda x: plain in x.text.replace("QĐ", "").replace("QD", "").replace("qđ", "")
        )
        if s is not None:
            out.append(Evidence("decision", decision, s.text, s.source))
    return out


def _authority_sentence(
    award: Sequence[_Sentence], kinds: Sequence[tuple[_KindHit, str]], person: str
) -> _Sentence | None:
    """The sentence that names the giver, else the one whose form implies it (by law or by owner)."""
    for s in award:
        found = _authority_in(_no_deputy(s.folded))
        if found is not None and found.person == person:
            return s
        if s.giver is not None and s.giver.person == person:
            return s
        if any(k.giver is not None and k.giver.person == person for k in s.kinds):
            return s
    for hit, name in kinds:
        if (
            person in name
            or _LAW_AUTHORITY.get(hit.family) == person
            or (hit.name == "Chiến sĩ thi đua toàn quốc" and person == "Thủ tướng Chính phủ")
        ):
            return next((s for s in award if any(k is hit for k in s.kinds)), None)
    for s in award:
        if _DECISION_NO.search(s.text):
            return s
    return None
