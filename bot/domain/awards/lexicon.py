"""The award lexicon (``lexicon.toml``) read once, and the matchers built from it."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.domain.text import normalize

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
_DATA: dict[str, Any] = tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))


def rule(name: str) -> re.Pattern[str]:
    """The matcher of ``[rules.<name>]``: any of its ``words`` (whole words), any of its ``phrases``,
    or its ``pattern``."""
    spec = _DATA["rules"][name]
    if "words" in spec:
        source = r"\b(?:" + "|".join(spec["words"]) + r")\b"
    elif "phrases" in spec:
        source = "|".join(spec["phrases"])
    else:
        source = spec["pattern"]
    return re.compile(source, re.IGNORECASE if spec.get("ignore_case") else 0)


def rule_cases() -> dict[str, list[str]]:
    """Each rule and the corpus cases it names."""
    return {name: list(spec.get("serves", [])) for name, spec in _DATA["rules"].items()}


def _aligned_fold(s: str) -> str:
    """Lowercase, accents removed, đ→d, one output character per input character."""
    out = []
    for c in s:
        base = unicodedata.normalize("NFD", c)[0] if c not in "đĐ" else "d"
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


_NAIVE = re.compile(r"khen thuong|bang khen|giay khen")


def naive_is_award(title: str, lead: str) -> bool:
    """The keyword baseline: "khen thưởng|bằng khen|giấy khen" (accent-insensitive) in title or lead."""
    return bool(_NAIVE.search(_aligned_fold(normalize(title) + " " + normalize(lead))))


_MINISTRIES: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in _DATA["authorities"]["ministries"].items()}


_LEVELS: dict[str, str] = dict(_DATA["authorities"]["levels"])


@dataclass(frozen=True)
class _Authority:
    pattern: re.Pattern[str]
    person: str  # canonical authority ("Chủ tịch UBND tỉnh")
    org: str  # name used for flags ("UBND tỉnh")


# mass organisations of the province that give their own Bằng khen and Giấy khen
_MASS_BODIES: dict[str, str] = dict(_DATA["authorities"]["mass_bodies"])


def _authorities() -> list[_Authority]:
    ubnd = r"(?:ubnd|uy ban nhan dan)"
    items: list[_Authority] = [
        _Authority(
            re.compile(r"chu tich nuoc(?: cong hoa xa hoi chu nghia viet nam)?\b"),
            "Chủ tịch nước",
            "Nhà nước",
        ),
        _Authority(
            re.compile(r"(?:thu tuong chinh phu|thu tuong|chinh phu)\b"), "Thủ tướng Chính phủ", "Chính phủ"
        ),
        _Authority(re.compile(rf"(?:chu tich )?{ubnd} tinh\b"), "Chủ tịch UBND tỉnh", "UBND tỉnh"),
    ]
    for folded, level in _LEVELS.items():
        items.append(
            _Authority(
                re.compile(rf"(?:chu tich )?{ubnd} {folded}\b"), f"Chủ tịch UBND {level}", f"UBND {level}"
            )
        )
    for name, variants in _MINISTRIES.items():
        alt = "|".join(re.escape(v) for v in variants)
        items.append(
            _Authority(
                re.compile(rf"(?:bo truong )?bo (?:{alt})(?![\w&])"), f"Bộ trưởng Bộ {name}", f"Bộ {name}"
            )
        )
    items += [
        _Authority(
            re.compile(r"ban thuong vu (?:tinh|thanh) uy\b"), "Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"
        ),
        _Authority(re.compile(r"tinh uy\b"), "Tỉnh ủy", "Tỉnh ủy"),
        _Authority(  # "Kỷ niệm chương “…” của Ủy ban Trung ương MTTQ Việt Nam" (b2-029)
            re.compile(r"(?:uy ban trung uong|ubtw) (?:mttq|mat tran to quoc)(?: viet nam| vn)?\b"),
            "Ủy ban Trung ương MTTQ Việt Nam",
            "Ủy ban Trung ương MTTQ Việt Nam",
        ),
        *(  # "Ủy ban MTTQ Việt Nam xã tặng Giấy khen" (b2-010): the front of that level, not the province's
            _Authority(
                re.compile(
                    r"(?:ban thuong truc )?(?:uy ban |ub)?(?:mttq|mat tran to quoc)(?: viet nam| vn)? "
                    rf"{folded}\b"
                ),
                f"Ủy ban MTTQ Việt Nam {level}",
                f"Ủy ban MTTQ Việt Nam {level}",
            )
            for folded, level in _LEVELS.items()
        ),
        _Authority(
            re.compile(
                r"(?:ban thuong truc )?(?:uy ban |ub)?(?:mttq|mat tran to quoc)(?: viet nam| vn)?(?: tinh)?\b"
            ),
            "Ủy ban MTTQ Việt Nam tỉnh",
            "Ủy ban MTTQ Việt Nam tỉnh",
        ),
        _Authority(
            re.compile(r"tong (?:lien doan lao dong|ldld)(?: viet nam)?\b"),
            "Tổng Liên đoàn Lao động Việt Nam",
            "Tổng Liên đoàn Lao động Việt Nam",
        ),
        *(  # the article's words: "Ban Chấp hành Hội Cựu chiến binh tỉnh" (b2-068)
            _Authority(
                re.compile(rf"ban chap hanh {pattern}\b"), f"Ban Chấp hành {name}", f"Ban Chấp hành {name}"
            )
            for pattern, name in _MASS_BODIES.items()
        ),
        *(
            _Authority(re.compile(rf"(?:ban thuong vu )?{pattern}\b"), name, name)
            for pattern, name in _MASS_BODIES.items()
        ),
        *(  # the article's words: "Ban Chấp hành Liên đoàn Lao động tỉnh", "… Trung ương Đoàn"
            # (b3-029, b3-041); its Cờ thi đua is the body's (b2-025)
            _Authority(re.compile(rf"ban chap hanh {pattern}\b"), f"Ban Chấp hành {name}", name)
            for pattern, name in (
                ("lien doan lao dong thanh pho", "Liên đoàn Lao động thành phố"),
                ("lien doan lao dong tinh", "Liên đoàn Lao động tỉnh"),
                ("trung uong doan", "Trung ương Đoàn"),
            )
        ),
        _Authority(
            re.compile(r"(?:lien doan lao dong|ldld) thanh pho\b"),
            "Liên đoàn Lao động thành phố",
            "Liên đoàn Lao động thành phố",
        ),
        _Authority(
            re.compile(r"(?:lien doan lao dong|ldld) tinh\b"),
            "Liên đoàn Lao động tỉnh",
            "Liên đoàn Lao động tỉnh",
        ),
        _Authority(
            re.compile(r"(?:ban thuong vu )?trung uong doan\b"),
            "Trung ương Đoàn",
            "Trung ương Đoàn",
        ),
        _Authority(  # the article's words (b2-009)
            re.compile(r"ban chap hanh tinh doan\b"), "Ban Chấp hành Tỉnh đoàn", "Ban Chấp hành Tỉnh đoàn"
        ),
        _Authority(re.compile(r"(?:ban thuong vu )?tinh doan\b"), "Tỉnh đoàn", "Tỉnh đoàn"),
        _Authority(re.compile(r"giam doc cong an tinh\b"), "Giám đốc Công an tỉnh", "Công an tỉnh"),
        _Authority(re.compile(r"giam doc benh vien\b"), "Giám đốc Bệnh viện", "Bệnh viện"),
        _Authority(
            re.compile(r"chi huy truong bo chi huy quan su tinh\b"),
            "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
            "Bộ Chỉ huy Quân sự tỉnh",
        ),
        _Authority(re.compile(r"(?:giam doc )?so\b(?! (?:du|bo|luoc|hoc|cap)\b)"), "Giám đốc Sở", "Sở"),
    ]
    return items


_AUTHORITY_LIST = _authorities()


_LAW_AUTHORITY: dict[str, str] = dict(_DATA["authorities"]["by_law"])
_FORM_AUTHORITY: dict[str, str] = dict(_DATA["authorities"]["by_form"])
# forms named after their giver ("Bằng khen của …"): without one, the giver is unknown
_OWNED_FAMILIES = frozenset({"Bằng khen", "Giấy khen", "Cờ thi đua"})


def _authority_at(folded: str, pos: int) -> tuple[_Authority, int] | None:
    """The authority that starts at ``pos`` (optionally after "của "), with its end position."""
    m = re.compile(r"\s*(?:cua\s+)?").match(folded, pos)
    start = m.end() if m else pos
    for auth in _AUTHORITY_LIST:
        hit = auth.pattern.match(folded, start)
        if hit:
            return auth, hit.end()
    return None


_DEPUTY = re.compile(r"\bpho\s+(?=chu tich|giam doc|thu tuong|bo truong|truong|bi thu|chanh|cuc truong|tong)")


def _no_deputy(folded: str) -> str:
    """ "Phó Chủ tịch UBND tỉnh" stands for the office ("thành phố" keeps its "phố")."""
    return _DEPUTY.sub("", folded)


def _word_count(name: str) -> int:
    """Words of a name; a dash joining two parts is none ("Tập đoàn Công nghiệp Than - Khoáng sản Việt
    Nam", b4-041)."""
    return sum(1 for w in name.split() if any(c.isalnum() for c in w))


def _own_giver(text: str, lower: str, pos: int) -> _Authority | None:
    """A giver the lexicon does not know, named in the article's words right after a form ("Bằng khen
    của Tổng Giám đốc Tập đoàn"): its office or body, capitalised as a name, with nothing joined to it."""
    m = _OWN_GIVER.match(lower, pos)
    if m is None:
        return None
    name = text[m.start(1) : m.end(1)].strip()
    if not name[:1].isupper() or not 2 <= _word_count(name) <= 12 or _NAMED_PERSON_IN.search(name):
        return None  # a person's name ("của Chủ tịch Nguyễn Văn A") is no office, "của Trường" too vague
    folded = _aligned_fold(name.lower())
    return _Authority(re.compile(re.escape(folded) + r"\b"), name, name)


def _own_subject(text: str, lower: str, start: int, end: int) -> _Authority | None:
    """A giver the lexicon does not know, as the subject ``text[start:end]`` of a giving verb
    ("Tư lệnh Quân khu 9 tặng …"): its office or body in the article's words, capitalised as a name."""
    m = _OWN_SUBJECT.search(lower[start:end])
    if m is None:
        return None
    name = text[start + m.start(1) : start + m.end(1)].strip()
    if not name[:1].isupper() or not 3 <= _word_count(name) <= 12 or _NAMED_PERSON_IN.search(name):
        return None
    folded = _aligned_fold(name.lower())
    return _Authority(re.compile(re.escape(folded) + r"\b"), name, name)


# an office holder who hands awards over for a committee ("Bí thư Tỉnh ủy trao …"): not the giver
_PRESENTERS: dict[str, re.Pattern[str]] = {
    person: re.compile(r"\b(?:" + "|".join(words) + r")\s+$")
    for person, words in _DATA["authorities"]["presenters"].items()
}


def _authority_in(folded: str) -> _Authority | None:
    """The first authority named anywhere in ``folded`` (a "Phó …" deputy stands for the office)."""
    best: tuple[int, _Authority] | None = None
    for auth in _AUTHORITY_LIST:
        if auth.org == "Sở":
            hit = re.search(r"\b(?:giam doc so|so [a-z])", folded)
        else:
            presenter = _PRESENTERS.get(auth.person)
            hit = next(
                (
                    h
                    for h in auth.pattern.finditer(folded)
                    if not presenter or not presenter.search(folded, 0, h.start())
                ),
                None,
            )
        if hit and (best is None or hit.start() < best[0]):
            best = (hit.start(), auth)
    return best[1] if best else None


_ORDERS: dict[str, str] = dict(_DATA["forms"]["orders"])


_CLASSES: dict[str, str] = dict(_DATA["forms"]["classes"])


_MEDALS: dict[str, str] = dict(_DATA["forms"]["medals"])


_HONOURS: dict[str, str] = dict(_DATA["forms"]["honours"])


_TITLES: dict[str, str] = dict(_DATA["forms"]["titles"])


def _alt(keys: Iterable[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_TITLE_ALT = _alt(_TITLES).replace(re.escape("chien si"), r"chien\s+s[iy]")


_KIND_RE = re.compile(
    r"(?P<bk>bang khen)|(?P<gk>giay khen)"
    r"|(?P<co>co thi dua(?: xuat sac)?|co \W?don vi (?:dan dau|xuat sac)[^\"”]{0,60}[\"”]?)"
    rf"|huan chuong [\"“]?(?P<order>{_alt(_ORDERS)})(?:\s*[,(]?\s*hang\s+(?P<cls>nhat|nhi|ba|iii|ii|i)\b)?"
    rf"|huy chuong [\"“]?(?P<medal>{_alt(_MEDALS)})(?:\s*hang\s+(?P<mcls>nhat|nhi|ba)\b)?"
    rf"|\b(?P<honour>{_alt(_HONOURS)})\b"
    r"|\bhcld\s*(?:hang\s+)?(?P<hcls>nhat|nhi|ba|iii|ii|i)\b"
    rf"|(?<!tap the )(?P<title>{_TITLE_ALT})\b"
    r"|(?P<dh>(?:tuyen duong|bieu duong|vinh danh|khen thuong)\s+"
    r"(?:\d+\s+(?:tap the|ca nhan)(?:,?\s+va\s+|,\s*))?(?:\d+\s+(?:tap the|ca nhan)\s+)?"
    r"(?:\d+\s+|cac\s+)?(?:guong\s+)?"
    r"(?:tap the,? (?:va )?ca nhan\s+)?dien hinh tien tien)"
)


_HONOUR_CONTEXT = rule("honour_context")


_MASKS = rule("masks")


_GENERIC = rule("generic")


_FAMILY_NAMES = {"bk": "Bằng khen", "gk": "Giấy khen", "co": "Cờ thi đua"}


_HIGH = frozenset(_DATA["authorities"]["high"]["persons"])
_GIAY_KHEN_TOO = frozenset(_DATA["authorities"]["high"]["giay_khen_too"])


_PROPOSAL = rule("proposal")


_NAMED_OWNER = rule("named_owner")


_OWN_GIVER = rule("own_giver")


_OWN_SUBJECT = rule("own_subject")


_FORM_OWN_NAME = rule("form_own_name")


_DECISION_SCOPE = rule("decision_scope")


_DISTRIBUTIVE = rule("distributive")
_MINISTRY_SUBJECT = rule("ministry_subject")
_EARNED = rule("earned_title")


_PUBLIC_COMMENT = rule("public_comment")
_ANNOUNCED_LIST = rule("announced_list")


_CEREMONY = rule("ceremony")


_DECISION = rule("decision")


_CONFER = rule("confer")


_PASSIVE = rule("passive")


_ACTIVE_GIVE = rule("active_give")


# revoking an award: a revocation verb governing an award word, either order (on folded text, so
# "huỷ bỏ"/"hủy bỏ"/"huy bo" all match); "thu hồi đất/nợ" in a reason clause is not a revocation
_REVOKE_VERB = r"(?:huy bo|thu hoi|tuoc|bai bo|xoa ten)"


_AWARD_WORD = (
    r"(?:bang khen|giay khen|khen thuong|danh hieu|huan chuong|huy chuong|ky niem chuong|co thi dua|hien vat"
    r"|tien thuong|phan thuong|giai thuong)"
)


_REVOKE = rule("revoke")


_DISCIPLINE = rule("discipline")


_FUTURE = rule("future")


_POLICY = rule("policy")


_HISTORY = rule("history")


_TALLY = rule("tally")


_EARLIER = rule("earlier")


_YEAR_FRAME = rule("year_frame")


_PAST_YEAR = rule("past_year")


_PAST_VERB = rule("past_verb")


_DATE_YEAR = re.compile(r"\b\d{1,2}/\d{1,2}/((?:19|20)\d{2})\b")


_REASON = rule("reason")


_REASON_OUT = rule("reason_out")


_CONTINUATION = rule("continuation")


_BREAKDOWN = rule("breakdown")


_WORD_NUMBERS: dict[str, int] = dict(_DATA["units"]["word_numbers"])
_PARTS: dict[str, Any] = _DATA["units"]["number_parts"]
_ONES = "|".join(w for w, n in _WORD_NUMBERS.items() if n < 10)
_AFTER_TENS: dict[str, int] = dict(_PARTS["after_tens"])
# "mười hai", "hai mươi lăm", "bảy": one number in words (longest first)
_WORD_NUMBER = (
    rf"(?:(?:{_ONES}) {_PARTS['tens']}(?: (?:{_ONES}|{'|'.join(_AFTER_TENS)}))?"
    rf"|{_PARTS['ten']}(?: (?:{_ONES}|{'|'.join(_AFTER_TENS)}))?|{_ONES})"
)


def _number(raw: str) -> int:
    """ "12" → 12, "mười hai" → 12, "hai mươi lăm" → 25, "ba" → 3."""
    if raw.replace(".", "").isdigit():
        return int(raw.replace(".", ""))  # "1.286 cá nhân" (b3-076)
    words = raw.split()
    if words[0] == _PARTS["ten"]:
        tens, rest = 1, words[1:]
    elif len(words) > 1 and words[1] == _PARTS["tens"]:
        tens, rest = _WORD_NUMBERS[words[0]], words[2:]
    else:
        return _WORD_NUMBERS[words[0]]
    ones = (_AFTER_TENS.get(rest[0]) or _WORD_NUMBERS[rest[0]]) if rest else 0
    return tens * 10 + ones


_COLLECTIVE_NOUNS = "|".join(_DATA["units"]["nouns"]["collectives"])


_INDIVIDUAL_NOUNS = "|".join(_DATA["units"]["nouns"]["individuals"])


_NOT_COUNT_BEFORE = "".join(f"(?<!{w} )" for w in [*_DATA["units"]["nouns"]["not_after"], *_PARTS["bigger"]])


# "5 tập thể, cá nhân" mixes both sorts (no count); "18 cá nhân và Tập thể lao động xuất sắc …" names a
# form after the count (bl-068)
_COUNT = re.compile(
    rf"(?<![\d.,/]){_NOT_COUNT_BEFORE}(?P<n>\d{{1,3}}(?:\.\d{{3}})+(?![.,]\d)|\d{{1,5}}|{_WORD_NUMBER})\s+"
    rf"(?:(?P<c>{_COLLECTIVE_NOUNS})|(?P<i>{_INDIVIDUAL_NOUNS}))\b(?P<mixed>\s*(?:,|và|,\s*và)\s*(?:tập "
    rf"thể(?! lao động)|cá nhân|đơn vị)\b)?"
)


_UP = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"


_LOW = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


_SYL = rf"[{_UP}][{_LOW}]+"


_HONORIFIC: str = _DATA["names"]["honorifics"]["pattern"]


_POSITION_WORDS: str = _DATA["names"]["position_words"]["pattern"]


# an honorific before a capitalised word: someone named, whether or not the whole name is read
_HONORIFIC_NAMED = re.compile(rf"(?<![\w])(?:{_HONORIFIC})\s+(?=[{_UP}])")


_QUALIFICATION: str = _DATA["names"]["qualifications"]["pattern"]
_PERSON = re.compile(
    # a middle syllable may be the single letter "A" of many Hmong names ("Thượng úy Sùng A Sính", dj-034)
    rf"(?<![\w])(?P<hon>{_HONORIFIC})(?:\s+{_QUALIFICATION})*\s+(?P<name>{_SYL}(?:\s+A(?=\s+{_SYL}))?(?:\s+{_SYL}){{1,4}})"
    rf"(?P<pos>\s*(?:-|\()\s*[^;()]+?(?:\)|(?=[;.]?$|\s+(?:vì|do|đã|nhận|được|vinh dự|trao|tặng|cho|có "
    rf"thành tích|về thành tích)\b|;|\s+và\s+{_HONORIFIC}\s))"
    rf"|\s*,\s*{_POSITION_WORDS}\b[^;()]*?(?=[;.]?$|\s+(?:vì|do|đã|nhận|được|vinh dự|trao|tặng|cho|có thành "
    rf"tích)\b|;|,\s*{_HONORIFIC}\s|\s+và\s+{_HONORIFIC}\s))?"
)


_UNIT_WORDS: str = _DATA["names"]["unit_words"]["pattern"]


_UNIT_END = (
    r"(?=\s+(?:vì|do|đã|có thành tích|về thành tích|nhân dịp|trong|với|được|vinh dự|đón "
    r"nhận|nhận)\b|[;.]|,\s*(?![A-ZĐ][a-zà-ỹđ]+ [a-zà-ỹđ])|$)"
)


_UNIT_OBJECT = re.compile(
    rf"\b(?:cho|tặng)\s+(?:tập thể\s+)?(?P<unit>{_UNIT_WORDS}\s(?=[{_UP}])[^;.]+?){_UNIT_END}"
)


_UNIT_LIST = re.compile(r"\b(?:gồm|là)\s*:\s*(?P<list>[^.;]+)")


_UNIT_START = re.compile(rf"^{_UNIT_WORDS}\s(?=[{_UP}])")


_NOT_NAMES = frozenset({"Việt Nam"})
# "Bộ trưởng Bộ Y tế Trần Văn A nhận Huân chương …": a titled person without an honorific, as the
# subject who receives; the name is the surname and what follows it
_SURNAME = "(?:" + "|".join(_DATA["names"]["surnames"]["words"]) + ")"
# a person's name inside a giver found in the article's words ("của Chủ tịch Nguyễn Văn A"): no giver
_NAMED_PERSON_IN = re.compile(rf"\b{_SURNAME}\s+{_SYL}\s+{_SYL}")
_TITLE_WORDS = "(?:" + "|".join(_DATA["names"]["surnames"]["titles"]) + ")"
_TITLED_PERSON = re.compile(
    rf"(?<![\w]){_TITLE_WORDS}\b[^;,.:]{{0,60}}?\s(?P<name>{_SURNAME}(?:\s+{_SYL}){{1,3}})\s+"
    r"(?:(?:vừa|đã|vinh dự|và)\s+)*"
    r"(?:được\s+(?:\S+\s+){0,4}?(?:trao tặng|tặng|phong tặng|truy tặng)|đón nhận|(?<!trao )nhận)\b"
)
# "… trao Huân chương … cho Bộ trưởng Bộ Công Thương Nguyễn Hồng Diên": a titled person as the object
# (bl-019)
_TITLED_OBJECT = re.compile(
    rf"\bcho\s+(?:nguyên\s+)?{_TITLE_WORDS}\b[^;,.:]{{0,60}}?\s(?P<name>{_SURNAME}(?:\s+{_SYL}){{1,3}})"
    rf"(?=\s*(?:[;,.:]|$)|\s+(?:vì|do|đã|có|về|nhân|tại|và)\b)"
)
# "… cho Cục Sở hữu trí tuệ và 3 cá nhân": a named collective beside counted individuals (db-036, db-052)
# "… cho Cục X và 3 cá nhân"; also the article's own unit, named by a bare singular noun: "… tặng Bằng
# khen cho công ty và 03 cá nhân" (b3-075)
_UNIT_BESIDE_COUNT = re.compile(
    rf"\b(?:cho|tặng)\s+(?:(?:tập thể\s+)?{_UNIT_WORDS}\s(?=[{_UP}])[^;:,()]+?"
    r"|(?:công ty|đơn vị|nhà trường|bệnh viện|đồn|[Bb]an chuyên án))\s+và\s+$"
)
# for counting named collectives only (not for deciding what is an announcement): a unit word may
# be followed by its level ("Công an tỉnh", "Nhân dân và cán bộ xã …"), and a unit that hosts the
# ceremony where it "đón nhận" a form is its recipient
_UNIT_NEXT = rf"(?=[{_UP}]|\d|(?:tỉnh|huyện|thành phố|thị xã|xã|phường|thị trấn)\b)"
_UNIT_OBJECT_WIDE = re.compile(
    rf"\b(?:cho|tặng)\s+(?:tập thể\s+)?(?P<unit>{_UNIT_WORDS}\s{_UNIT_NEXT}[^;.]+?){_UNIT_END}"
)
# "… cho Sở Y tế, Sở Tài chính và Công an tỉnh": several collectives named after "cho", split where a
# unit word starts the next one ("Sở Văn hóa, Thể thao và Du lịch" stays one)
_UNIT_LIST_OBJECT = re.compile(
    rf"\b(?:cho|tặng)\s+(?:tập thể\s+)?(?P<list>{_UNIT_WORDS}\s{_UNIT_NEXT}[^;.:]+?)"
    r"(?=\s+(?:vì|do|đã|có thành tích|về thành tích|nhân dịp|trong|với|được|vinh dự|đón nhận|nhận)\b|[;.]|$)"
)
_UNIT_LIST_SPLIT = re.compile(rf"(?:,\s*(?:và\s+)?|\s+và\s+)(?={_UNIT_WORDS}\s{_UNIT_NEXT})")
_UNIT_SUBJECT_WIDE = re.compile(
    rf"^(?:[^,]{{0,40}},\s*)?(?:[Tt]ập thể\s+)?(?P<unit>{_UNIT_WORDS}\s{_UNIT_NEXT}(?:(?!\s(?:tổ chức|long "
    r"trọng|vừa|đã|được|vinh dự|đón nhận|nhận|tiếp|thông báo|trao|tặng|chuẩn bị)\b)[^;.,])+?)"
    r"\s+(?:(?:vừa|đã|vinh dự)\s+)*"
    r"(?:được\s+(?:\S+\s+){0,5}?(?:trao tặng|tặng|trao|phong tặng|công nhận|nhận)|đón nhận|nhận)\b"
)
# the article's own unit, named by its kind ("Tại buổi lễ, trường vinh dự đón nhận …", b2-043, b2-026)
# "… trao Huân chương … cho nhà trường vì …", "… cho chi nhánh", "… cho HTX": the article's own unit
# (dk-017, dk-044, dk-047)
_UNIT_BARE_OBJECT = re.compile(
    r"\bcho\s+(?:tập thể\s+)?(?P<unit>nhà trường|chi nhánh|đơn vị|công ty|bệnh viện|hợp tác xã|HTX|trường)"
    r"(?=\s+(?:vì|do|có|đã|về|nhân|trong)\b|\s*[.;]|$)"
)
_UNIT_SELF = re.compile(
    r"^(?:[^,]{0,40},\s*)?(?P<unit>nhà trường|trường|đơn vị|công ty|tổng công ty|bệnh viện|hợp tác xã"
    r"|chi nhánh|huyện|đồn)\s+(?:(?:vừa|đã|cũng)\s+)*(?:vinh dự\s+)?"
    r"(?:được\s+(?:\S+\s+){0,5}?(?:trao tặng|tặng|trao|phong tặng|công nhận|nhận)|đón nhận|nhận)\b"
)
_UNIT_HOST = re.compile(
    rf"^(?:[^,]{{0,40}},\s*)?(?P<unit>{_UNIT_WORDS}\s{_UNIT_NEXT}[^;.,()]+?)(?:\s*\([^)]*\))?"
    r"\s+(?:long trọng\s+)?"
    r"tổ chức\s+(?:lễ|buổi lễ|hội nghị|họp mặt)\b[^;.]{0,160}?\bđón nhận\b"
)


_UNIT_SUBJECT = re.compile(
    rf"^(?:[^,]{{0,40}},\s*)?(?:[Tt]ập thể\s+)?(?P<unit>{_UNIT_WORDS}\s(?=[{_UP}])(?:(?!\s(?:tổ chức|long "
    rf"trọng|vừa|đã|được"
    r"|vinh dự|đón nhận|nhận|tiếp|thông báo|trao|tặng|chuẩn bị)\b)[^;.,])+?)\s+(?:(?:vừa|đã|vinh dự)\s+)*"
    r"(?:được\s+(?:\S+\s+){0,5}?(?:trao tặng|tặng|trao|phong tặng|công nhận)|đón nhận|nhận)\b"
)


_DECISION_NO = re.compile(r"\b\d{1,6}/(?:QĐ|QD|qđ)-[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9]+)*")


_DECISION_AWARD = rule("decision_award")


_DECISION_OTHER = rule("decision_other")


_THUA_UY_QUYEN = rule("thua_uy_quyen")


_AGENT = rule("agent")


_AGENT_VERB = rule("agent_verb")


_PERIOD = rule("period")


_DO_AGENT = rule("do_agent")


_SORT_WORD = {"c": "tập thể", "i": "cá nhân"}


_JOINED = rule("joined")


_STATED_TOTAL = rule("stated_total")
_SIGNED = rule("signed")
_GUIDANCE = rule("guidance")
_HANDED = rule("handed")
_PER_DECISION = rule("per_decision")
_GENERIC_COUNTED = rule("generic_counted")
_RECOGNITION = rule("recognition")
_GENERIC_PASSIVE = rule("generic_passive")
_RECEIVES_AFTER = rule("receives_after")
_RECEIVES_RIGHT_BEFORE = rule("receives_right_before")
_ONLY_COLLECTIVES: tuple[str, ...] = tuple(_DATA["forms"]["sorts"]["only_collectives"])
_ONLY_INDIVIDUALS: tuple[str, ...] = tuple(_DATA["forms"]["sorts"]["only_individuals"])
_RETROSPECTIVE = rule("retrospective")
_TITLE_NOT_AWARD = rule("title_not_award")
_NO_CONFERRAL = rule("no_conferral")
_HISTORY_PARAGRAPH = rule("history_paragraph")
