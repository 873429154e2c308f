"""Detect award announcements ("thi đua - khen thưởng") and read who received what from whom.

The spec is ``shared/notes/awards-vi.md``. Rules chosen here:

Matching
    Text is ``normalize``-d; award kinds, masks and authorities are matched on an accent-folded,
    lowercase copy of the same length (``_aligned_fold``), so "Chiến sỹ"/"Chiến sĩ", "hoà"/"hòa",
    case and missing diacritics do not matter; verbs are matched on the lowercase text with its
    diacritics ("tặng" is not "tăng"). Names and positions are cut from the original text.
Award sentence
    A sentence (title, lead, body, caption) that names an award kind and has a conferral,
    decision or proposal verb, after masking agency and policy names ("Hội đồng/Ban Thi đua -
    Khen thưởng", "công tác thi đua, khen thưởng", "TĐKT"). Generic "khen thưởng" without a kind
    counts only with counted or named recipients. Skipped sentences: revocation (hủy bỏ, thu
    hồi, tước), discipline (kỷ luật, khiển trách, cảnh cáo), intentions and plans (sẽ, dự kiến,
    phấn đấu, đăng ký, giao ước, kế hoạch, hướng dẫn, tiêu chuẩn … unless recipients are counted
    or named), and history ("Trong 5 năm qua, … đã được tặng …", "từng được", "nhiều năm liền",
    "6 tháng đầu năm" …; the reason clause "vì đã có thành tích …" is ignored for this test).
    History sentences add neither kinds nor counts. A proposal needs named or counted
    recipients. A sentence naming a kind with counts but no verb ("Bằng khen của Chủ tịch UBND
    tỉnh: 23 tập thể") is a list item and counts only when the article has a real award sentence;
    so does a following "Trong đó/Cụ thể/Gồm …" sentence.
Stage
    Per sentence: proposal words → proposed; "trao", "đón nhận", "gắn", "nhận", "lễ" →
    conferred; "ký/ban hành Quyết định" → decided; other conferral verbs → conferred. The article
    takes the furthest stage: conferred > decided > proposed.
Canonical kinds
    Owner-bearing kinds are "<Kind> của <owner>": "Bằng khen của Thủ tướng Chính phủ",
    "Bằng khen của Bộ trưởng Bộ Thông tin và Truyền thông", "Bằng khen của Chủ tịch UBND tỉnh"
    ("của UBND tỉnh" is the same award), "Giấy khen của Giám đốc Sở", "Giấy khen của Chủ tịch UBND
    huyện"; flags use the body's name: "Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh",
    "Cờ thi đua của Bộ …" (Cờ "Đơn vị dẫn đầu phong trào thi đua" and "Cờ thi đua xuất sắc" with no
    owner → "Cờ thi đua"). The owner comes from "của X", else from the giver (the authority after
    "thừa ủy quyền", else the authority that is the subject of "tặng/trao/ký Quyết định"); with no
    owner the bare family name ("Bằng khen"). Orders: "Huân chương <Name> hạng <Nhất|Nhì|Ba>";
    medals "Huy chương <Name>"; titles "Chiến sĩ thi đua toàn quốc|cấp tỉnh|cấp bộ|cơ sở", "Lao
    động tiên tiến", "Chiến sĩ tiên tiến", "Tập thể lao động xuất sắc|tiên tiến", "Đơn vị quyết
    thắng"; "Kỷ niệm chương" (without its "Vì sự nghiệp …" name); honours "Anh hùng Lao động",
    "Anh hùng Lực lượng vũ trang nhân dân", "Bà mẹ Việt Nam anh hùng", "Nhà giáo/Thầy thuốc/Nghệ
    sĩ/Nghệ nhân nhân dân|ưu tú" (only after "phong tặng", "truy tặng", "danh hiệu" or "công nhận",
    never as an honorific in a list); "Giải thưởng Hồ Chí Minh|Nhà nước"; "Điển hình tiên tiến"
    (only when tuyên dương/biểu dương/vinh danh … điển hình tiên tiến).
Authorities
    Canonical persons: "Chủ tịch nước", "Thủ tướng Chính phủ", "Bộ trưởng Bộ …", "Chủ tịch UBND
    tỉnh", "Chủ tịch UBND huyện|thị xã|thành phố|xã|phường", "Ban Thường vụ Tỉnh ủy", "Tỉnh ủy",
    "Ủy ban MTTQ Việt Nam tỉnh", "Liên đoàn Lao động tỉnh", "Tổng Liên đoàn Lao động Việt Nam",
    "Tỉnh đoàn", "Trung ương Đoàn", "Giám đốc Sở" (any Sở), "Giám đốc Công an tỉnh". They come
    from "thừa ủy quyền (của) X" (never the presenter), kind owners, the giver, decision suffixes
    (/QĐ-CTN → Chủ tịch nước, /QĐ-TTg → Thủ tướng Chính phủ) and the law: orders, medals and
    state honours are conferred by the Chủ tịch nước, "Chiến sĩ thi đua toàn quốc" by the Thủ
    tướng Chính phủ. A "Phó …" presenter stands for the office ("Phó Giám đốc Sở" → "Giám đốc Sở").
Counts
    ``collectives`` / ``individuals`` are the sums of the explicitly stated counts in award
    sentences ("06 tập thể" → 6, "hai cá nhân" → 2, lists split by ";" summed); named people are
    recipients and are not counted; a mixed total ("50 tập thể, cá nhân") is not split; numbers
    after "trong đó" are breakdowns of a total already given and are skipped; the same number for
    the same award family repeated in another sentence (title vs body, caption vs body) is counted
    once. ``None`` when no count of that sort is stated.
Recipients
    Named people: an honorific (ông, bà, đồng chí, GS.TS., TS., ThS., Đại tá …) + 2-5 capitalised
    syllables + an optional position after " - ", "(" or ", <position word>". Named collectives
    (Sở/Trung tâm/Phòng/Chi cục/Trường/Xã … names) after "cho"/"tặng" or as the subject of "đón
    nhận"/"được tặng". Presenters (people before an active "trao/tặng") are not recipients.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.models import AwardInfo, Recipient, Stage
from bot.domain.text import normalize, split_sentences

__all__ = ["detect_award", "naive_is_award"]


def _aligned_fold(s: str) -> str:
    """Lowercase, accents removed, đ→d, one output character per input character."""
    out = []
    for c in s:
        base = unicodedata.normalize("NFD", c)[0] if c not in "đĐ" else "d"
        low = base.lower()
        out.append(low if len(low) == 1 else base)
    return "".join(out)


# --- naive baseline ----------------------------------------------------------------------------

_NAIVE = re.compile(r"khen thuong|bang khen|giay khen")


def naive_is_award(title: str, lead: str) -> bool:
    """The keyword baseline: "khen thưởng|bằng khen|giấy khen" (accent-insensitive) in title or lead."""
    return bool(_NAIVE.search(_aligned_fold(normalize(title) + " " + normalize(lead))))


# --- authorities (folded patterns) -------------------------------------------------------------

_MINISTRIES: dict[str, tuple[str, ...]] = {
    "Thông tin và Truyền thông": ("thong tin va truyen thong", "tt&tt", "tt & tt", "tt-tt", "tttt"),
    "Khoa học và Công nghệ": ("khoa hoc va cong nghe", "kh&cn", "khcn"),
    "Giáo dục và Đào tạo": ("giao duc va dao tao", "gd&dt", "gddt"),
    "Lao động - Thương binh và Xã hội": (
        "lao dong - thuong binh va xa hoi",
        "lao dong, thuong binh va xa hoi",
        "ld-tb&xh",
        "ldtbxh",
    ),
    "Văn hóa, Thể thao và Du lịch": (
        "van hoa, the thao va du lich",
        "van hoa - the thao va du lich",
        "vh,tt&dl",
        "vhtt&dl",
        "vhttdl",
    ),
    "Nông nghiệp và Phát triển nông thôn": ("nong nghiep va phat trien nong thon", "nn&ptnt", "nnptnt"),
    "Nông nghiệp và Môi trường": ("nong nghiep va moi truong",),
    "Tài nguyên và Môi trường": ("tai nguyen va moi truong", "tn&mt", "tnmt"),
    "Kế hoạch và Đầu tư": ("ke hoach va dau tu", "kh&dt"),
    "Giao thông vận tải": ("giao thong van tai",),
    "Dân tộc và Tôn giáo": ("dan toc va ton giao",),
    "Công an": ("cong an",),
    "Quốc phòng": ("quoc phong",),
    "Tài chính": ("tai chinh",),
    "Công Thương": ("cong thuong",),
    "Xây dựng": ("xay dung",),
    "Y tế": ("y te",),
    "Tư pháp": ("tu phap",),
    "Nội vụ": ("noi vu",),
    "Ngoại giao": ("ngoai giao",),
}
_LEVELS = {
    "huyen": "huyện",
    "thi xa": "thị xã",
    "thanh pho": "thành phố",
    "xa": "xã",
    "phuong": "phường",
    "thi tran": "thị trấn",
}


@dataclass(frozen=True)
class _Authority:
    pattern: re.Pattern[str]
    person: str  # canonical authority ("Chủ tịch UBND tỉnh")
    org: str  # name used for flags ("UBND tỉnh")


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
        _Authority(re.compile(r"ban thuong vu tinh uy\b"), "Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy"),
        _Authority(re.compile(r"tinh uy\b"), "Tỉnh ủy", "Tỉnh ủy"),
        _Authority(
            re.compile(
                r"(?:ban thuong truc )?(?:uy ban |ub)?(?:mttq|mat tran to quoc)(?: viet nam| vn)?(?: tinh)?\b"
            ),
            "Ủy ban MTTQ Việt Nam tỉnh",
            "Ủy ban MTTQ Việt Nam tỉnh",
        ),
        _Authority(
            re.compile(r"tong lien doan lao dong(?: viet nam)?\b"),
            "Tổng Liên đoàn Lao động Việt Nam",
            "Tổng Liên đoàn Lao động Việt Nam",
        ),
        _Authority(
            re.compile(r"(?:ban chap hanh )?lien doan lao dong tinh\b"),
            "Liên đoàn Lao động tỉnh",
            "Liên đoàn Lao động tỉnh",
        ),
        _Authority(
            re.compile(r"(?:ban chap hanh |ban thuong vu )?trung uong doan\b"),
            "Trung ương Đoàn",
            "Trung ương Đoàn",
        ),
        _Authority(re.compile(r"(?:ban chap hanh |ban thuong vu )?tinh doan\b"), "Tỉnh đoàn", "Tỉnh đoàn"),
        _Authority(re.compile(r"giam doc cong an tinh\b"), "Giám đốc Công an tỉnh", "Công an tỉnh"),
        _Authority(
            re.compile(r"chi huy truong bo chi huy quan su tinh\b"),
            "Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh",
            "Bộ Chỉ huy Quân sự tỉnh",
        ),
        _Authority(re.compile(r"(?:giam doc )?so\b(?! (?:du|bo|luoc|hoc|cap)\b)"), "Giám đốc Sở", "Sở"),
    ]
    return items


_AUTHORITY_LIST = _authorities()
_LAW_AUTHORITY = {
    "Huân chương": "Chủ tịch nước",
    "Huy chương": "Chủ tịch nước",
    "Honour": "Chủ tịch nước",
    "Giải thưởng": "Chủ tịch nước",
}


def _authority_at(folded: str, pos: int) -> tuple[_Authority, int] | None:
    """The authority that starts at ``pos`` (optionally after "của "), with its end position."""
    m = re.compile(r"\s*(?:cua\s+)?").match(folded, pos)
    start = m.end() if m else pos
    for auth in _AUTHORITY_LIST:
        hit = auth.pattern.match(folded, start)
        if hit:
            return auth, hit.end()
    return None


def _authority_in(folded: str) -> _Authority | None:
    """The first authority named anywhere in ``folded`` (a "Phó …" deputy stands for the office)."""
    best: tuple[int, _Authority] | None = None
    for auth in _AUTHORITY_LIST:
        if auth.org == "Sở":
            hit = re.search(r"\b(?:giam doc so|so [a-z])", folded)
        else:
            hit = auth.pattern.search(folded)
        if hit and (best is None or hit.start() < best[0]):
            best = (hit.start(), auth)
    return best[1] if best else None


# --- kinds ------------------------------------------------------------------------------------

_ORDERS = {
    "sao vang": "Sao vàng",
    "ho chi minh": "Hồ Chí Minh",
    "doc lap": "Độc lập",
    "lao dong": "Lao động",
    "bao ve to quoc": "Bảo vệ Tổ quốc",
    "chien cong": "Chiến công",
    "quan cong": "Quân công",
    "dai doan ket dan toc": "Đại đoàn kết dân tộc",
    "dung cam": "Dũng cảm",
    "huu nghi": "Hữu nghị",
    "chien thang": "Chiến thắng",
    "khang chien": "Kháng chiến",
}
_CLASSES = {"nhat": "Nhất", "nhi": "Nhì", "ba": "Ba", "i": "Nhất", "ii": "Nhì", "iii": "Ba"}
_MEDALS = {
    "quan ky quyet thang": "Quân kỳ quyết thắng",
    "vi an ninh to quoc": "Vì an ninh Tổ quốc",
    "chien si ve vang": "Chiến sĩ vẻ vang",
    "huu nghi": "Hữu nghị",
    "vi the he tre": "Vì thế hệ trẻ",
}
_HONOURS = {
    "anh hung lao dong": "Anh hùng Lao động",
    "anh hung luc luong vu trang nhan dan": "Anh hùng Lực lượng vũ trang nhân dân",
    "anh hung llvtnd": "Anh hùng Lực lượng vũ trang nhân dân",
    "ba me viet nam anh hung": "Bà mẹ Việt Nam anh hùng",
    "me viet nam anh hung": "Bà mẹ Việt Nam anh hùng",
    "nha giao nhan dan": "Nhà giáo nhân dân",
    "nha giao uu tu": "Nhà giáo ưu tú",
    "thay thuoc nhan dan": "Thầy thuốc nhân dân",
    "thay thuoc uu tu": "Thầy thuốc ưu tú",
    "nghe si nhan dan": "Nghệ sĩ nhân dân",
    "nghe si uu tu": "Nghệ sĩ ưu tú",
    "nghe nhan nhan dan": "Nghệ nhân nhân dân",
    "nghe nhan uu tu": "Nghệ nhân ưu tú",
}
_TITLES = {
    "chien si thi dua toan quoc": "Chiến sĩ thi đua toàn quốc",
    "chien si thi dua cap tinh": "Chiến sĩ thi đua cấp tỉnh",
    "chien si thi dua cap bo": "Chiến sĩ thi đua cấp bộ",
    "chien si thi dua cap nganh": "Chiến sĩ thi đua cấp bộ",
    "chien si thi dua co so": "Chiến sĩ thi đua cơ sở",
    "cstd co so": "Chiến sĩ thi đua cơ sở",
    "cstdcs": "Chiến sĩ thi đua cơ sở",
    "chien si thi dua": "Chiến sĩ thi đua",
    "tap the lao dong xuat sac": "Tập thể lao động xuất sắc",
    "ttldxs": "Tập thể lao động xuất sắc",
    "tap the lao dong tien tien": "Tập thể lao động tiên tiến",
    "don vi quyet thang": "Đơn vị quyết thắng",
    "chien si tien tien": "Chiến sĩ tiên tiến",
    "lao dong tien tien": "Lao động tiên tiến",
    "ldtt": "Lao động tiên tiến",
    "ky niem chuong": "Kỷ niệm chương",
    "giai thuong ho chi minh": "Giải thưởng Hồ Chí Minh",
    "giai thuong nha nuoc": "Giải thưởng Nhà nước",
}


def _alt(keys: Iterable[str]) -> str:
    return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))


_TITLE_ALT = _alt(_TITLES).replace(re.escape("chien si"), r"chien\s+s[iy]")
_KIND_RE = re.compile(
    r"(?P<bk>bang khen)|(?P<gk>giay khen)"
    r"|(?P<co>co thi dua(?: xuat sac)?|co \W?don vi (?:dan dau|xuat sac)[^\"”]{0,60}[\"”]?)"
    rf"|huan chuong (?P<order>{_alt(_ORDERS)})(?:\s*[,(]?\s*hang\s+(?P<cls>nhat|nhi|ba|iii|ii|i)\b)?"
    rf"|huy chuong (?P<medal>{_alt(_MEDALS)})(?:\s*hang\s+(?P<mcls>nhat|nhi|ba)\b)?"
    rf"|(?P<honour>{_alt(_HONOURS)})"
    rf"|(?<!tap the )(?P<title>{_TITLE_ALT})\b"
    r"|(?P<dh>(?:tuyen duong|bieu duong|vinh danh|khen thuong)\s+(?:\d+\s+|cac\s+)?(?:guong\s+)?"
    r"(?:tap the,? (?:va )?ca nhan\s+)?dien hinh tien tien)"
)
_HONOUR_CONTEXT = re.compile(r"(?:phong tang|truy tang|danh hieu|cong nhan)[^.;]{0,40}$")
# agency and policy names, campaigns: masked before kinds and generic "khen thưởng" are looked for
_MASKS = re.compile(
    r"thi dua\s*(?:,|-|va|&)?\s*khen thuong|\btdkt\b|\btd-kt\b"
    r"|(?:phan dau|dang ky|giao uoc)[^.;]{0,80}?(?=co thi dua|bang khen|danh hieu|$)"
)
_GENERIC = re.compile(r"\bkhen thuong\b")
_FAMILY_NAMES = {"bk": "Bằng khen", "gk": "Giấy khen", "co": "Cờ thi đua"}


@dataclass
class _KindHit:
    family: str
    name: str  # canonical, owner-less for Bằng khen/Giấy khen/Cờ thi đua when no owner was given
    start: int
    end: int
    owner: _Authority | None = None


def _mask(folded: str) -> str:
    return _MASKS.sub(lambda m: "#" * len(m.group(0)), folded)


def _kind_hits(folded: str) -> list[_KindHit]:
    hits: list[_KindHit] = []
    for m in _KIND_RE.finditer(folded):
        g = m.lastgroup
        if m.group("bk") or m.group("gk") or m.group("co"):
            fam = "bk" if m.group("bk") else "gk" if m.group("gk") else "co"
            hit = _KindHit(_FAMILY_NAMES[fam], _FAMILY_NAMES[fam], m.start(), m.end())
            owner = _authority_at(folded, m.end())
            if (owner and fam != "co") or (owner and re.match(r"co thi dua(?! xuat)", m.group(0))):
                hit.owner = owner[0]
            hits.append(hit)
        elif m.group("order"):
            cls = m.group("cls")
            name = "Huân chương " + _ORDERS[m.group("order")] + (f" hạng {_CLASSES[cls]}" if cls else "")
            hits.append(_KindHit("Huân chương", name, m.start(), m.end()))
        elif m.group("medal"):
            cls = m.group("mcls")
            name = "Huy chương " + _MEDALS[m.group("medal")] + (f" hạng {_CLASSES[cls]}" if cls else "")
            hits.append(_KindHit("Huy chương", name, m.start(), m.end()))
        elif m.group("honour"):
            if _HONOUR_CONTEXT.search(folded[: m.start()]):
                hits.append(_KindHit("Honour", _HONOURS[m.group("honour")], m.start(), m.end()))
        elif m.group("title"):
            key = re.sub(r"chien sy", "chien si", m.group("title"))
            fam = "Giải thưởng" if key.startswith("giai thuong") else "Title"
            hits.append(_KindHit(fam, _TITLES[key], m.start(), m.end()))
        elif m.group("dh"):
            hits.append(_KindHit("Điển hình tiên tiến", "Điển hình tiên tiến", m.start(), m.end()))
        del g
    return hits


# who may give which owner-bearing award (Bằng khen and Cờ are provincial or higher, Giấy khen lower)
_HIGH = {
    "Chủ tịch nước",
    "Thủ tướng Chính phủ",
    "Chủ tịch UBND tỉnh",
    "Ban Thường vụ Tỉnh ủy",
    "Tỉnh ủy",
    "Ủy ban MTTQ Việt Nam tỉnh",
    "Liên đoàn Lao động tỉnh",
    "Tổng Liên đoàn Lao động Việt Nam",
    "Tỉnh đoàn",
    "Trung ương Đoàn",
}


def _may_give(family: str, giver: _Authority) -> bool:
    high = giver.person in _HIGH or giver.person.startswith("Bộ trưởng")
    if family == "Giấy khen":
        return not high or giver.person in {"Liên đoàn Lao động tỉnh", "Tỉnh đoàn"}
    return high and giver.person != "Chủ tịch nước"


def _kind_name(hit: _KindHit, giver: _Authority | None) -> str:
    if giver is not None and not _may_give(hit.family, giver):
        giver = None
    owner = hit.owner or (giver if hit.family in ("Bằng khen", "Giấy khen", "Cờ thi đua") else None)
    if owner is None or hit.family not in ("Bằng khen", "Giấy khen", "Cờ thi đua"):
        return hit.name
    if hit.family == "Cờ thi đua":
        return f"Cờ thi đua của {owner.org}"
    return f"{hit.family} của {owner.person}"


# --- verbs and sentence classes (on lowercase text with diacritics) ----------------------------

_PROPOSAL = re.compile(
    r"đề nghị(?:\s+\S+){0,8}?\s+(?:tặng|khen thưởng|xét tặng|phong tặng|truy tặng|công nhận)"
    r"|được đề nghị|lấy ý kiến|thông qua danh sách|đề xuất (?:tặng|khen thưởng)|trình(?:\s+\S+){0,5}?\s+tặng"
)
_CEREMONY = re.compile(
    r"\b(?:trao|đón nhận|gắn|(?<!công )nhận|lễ (?:trao|đón|kỷ niệm|tuyên dương)|tuyên dương|biểu dương|vinh "
    r"danh"
    r"|tôn vinh)\b"
)
_DECISION = re.compile(
    r"\b(?:ký|ban hành|có|vừa)\s+(?:các\s+)?(?:quyết định|qđ)\b|quyết định (?:số )?\d+[^.;]{0,80}?"
    r"\b(?:tặng|khen thưởng|công nhận|phong tặng|truy tặng)"
)
_CONFER = re.compile(
    r"\b(?:trao tặng|trao|tặng thưởng|truy tặng|phong tặng|tặng|đón nhận|nhận|gắn|công nhận|tuyên dương"
    r"|biểu dương|tôn vinh|vinh danh|khen thưởng|đạt danh hiệu)\b"
)
_PASSIVE = re.compile(
    r"\b(?:được(?: \S+){0,6}? (?:trao tặng|trao|tặng thưởng|tặng|phong tặng|truy tặng|công nhận|khen thưởng)"
    r"|đón nhận|(?<!công )nhận)\b"
)
_ACTIVE_GIVE = re.compile(
    r"\b(?:trao tặng|trao|tặng thưởng|tặng|khen thưởng|ký (?:các )?quyết định|phong tặng"
    r"|truy tặng|công nhận|tuyên dương|biểu dương)\b"
)
_REVOKE = re.compile(r"\b(?:hủy bỏ|huỷ bỏ|thu hồi|tước|kỷ luật|khiển trách|cảnh cáo|cách chức|xóa tên)\b")
_FUTURE = re.compile(r"\b(?:sẽ|dự kiến|phấn đấu|đăng ký|giao ước|nhằm|để được|mong muốn)\b")
_POLICY = re.compile(
    r"\b(?:kế hoạch|hướng dẫn|tiêu chuẩn|điều kiện|thủ tục|quy chế|quy định|quy trình|xét chọn|bình xét"
    r"|nộp hồ sơ|gửi hồ sơ|hạn chót|thông báo|triển khai|tập huấn|luật|nghị định|thông tư)\b"
)
_HISTORY = re.compile(
    r"(?:trong|qua|suốt) (?:\d+|nhiều|những) năm (?:qua|liền|liên tục|hoạt động)|\d+ năm (?:qua|liền)"
    r"|nhiều năm liền|những năm qua|thời gian qua|từng được|từ (?:khi )?(?:năm \d{4}|thành lập|đó) đến nay"
    r"|trong (?:năm|nhiệm kỳ|giai đoạn)(?! \d)|(?:năm|nhiệm kỳ|giai đoạn) qua|\d+ tháng (?:đầu|cuối) năm"
    r"|từ đầu năm|lũy kế|tổng cộng|tổng số|đến nay|đã được đảng, nhà nước|nhiều phần thưởng"
)
_REASON = re.compile(r"\b(?:vì|do)\s+(?:đã\s+)?(?:có\s+)?(?:thành tích|có nhiều|đạt|hoàn thành|lập)[^;]*")
_REASON_OUT = re.compile(r"\b(?:vì|do)\s+(?:đã\s+)?có\s+(?:thành tích|nhiều thành tích)[^;]*", re.IGNORECASE)
_CONTINUATION = re.compile(
    r"^(?:trong đó|cụ thể|gồm|bao gồm|danh sách|(?:các|những) (?:tập thể|cá nhân|đơn "
    r"vị)[^.]{0,30}?(?:gồm|là))\b"
)
_BREAKDOWN = re.compile(r"\b(?:trong đó|bao gồm|gồm)\b")

# --- counts ------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "một": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
    "mười": 10,
}
_COLLECTIVE_NOUNS = r"tập thể|đơn vị|cơ quan|tổ chức|doanh nghiệp|công đoàn cơ sở|chi bộ|hợp tác xã"
_INDIVIDUAL_NOUNS = (
    r"cá nhân|cán bộ|công chức|viên chức|người|đồng chí|học sinh|sinh viên|giáo viên|nhà giáo|đoàn viên|hội "
    r"viên"
    r"|đảng viên|nông dân|công nhân|thanh niên|bác sĩ|y bác sĩ|chiến sĩ|mẹ|nghệ nhân"
)
_COUNT = re.compile(
    rf"(?<![\d.,/])(?P<n>\d{{1,5}}|{'|'.join(_WORD_NUMBERS)})\s+"
    rf"(?:(?P<c>{_COLLECTIVE_NOUNS})|(?P<i>{_INDIVIDUAL_NOUNS}))\b(?P<mixed>\s*(?:,|và|,\s*và)\s*(?:tập "
    rf"thể|cá nhân|đơn vị)\b)?"
)

# --- recipients --------------------------------------------------------------------------------

_UP = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_LOW = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"
_SYL = rf"[{_UP}][{_LOW}]+"
_HONORIFIC = (
    r"(?:[Ôô]ng|[Bb]à|[Đđ]ồng "
    r"chí|[Aa]nh|[Cc]hị|[Ee]m|[Mm]ẹ|[Cc]ụ|GS\.\s?TS\.?|PGS\.\s?TS\.?|GS\.|PGS\.|TS\.|ThS\.|BS\.|"
    r"[Bb]ác sĩ|[Nn]hà giáo|(?:[Đđ]ại|[Tt]hượng|[Tt]rung|[Tt]hiếu) (?:tá|úy|tướng))"
)
_POSITION_WORDS = (
    r"(?i:(?:Phó )?(?:Giám đốc|Trưởng phòng|Trưởng ban|Trưởng khoa|Trưởng trạm|Trưởng ấp|Trưởng khu "
    r"phố|Chuyên viên"
    r"|Chánh|Bí thư|Chủ tịch|Kế toán|Nhân viên|Giáo viên|Hiệu trưởng|Bác sĩ|Điều dưỡng|Công chức|Viên "
    r"chức|Cán bộ"
    r"|Thanh tra viên|Kỹ sư|Kỹ thuật viên|Phóng viên|Biên tập viên|Đội trưởng|Chi cục trưởng|Chủ nhiệm|Tổng "
    r"biên tập"
    r"|Chỉ huy trưởng|Trưởng|Văn thư|Lái xe|Nguyên|Học sinh|Sinh viên|Hội viên|Đoàn viên|Chiến sĩ))"
)
_PERSON = re.compile(
    rf"(?<![\w])(?P<hon>{_HONORIFIC})\s+(?P<name>{_SYL}(?:\s+{_SYL}){{1,4}})"
    rf"(?P<pos>\s*(?:-|\()\s*[^;()]+?(?:\)|(?=[;.]?$|\s+(?:vì|do|đã|nhận|được|vinh dự|trao|tặng|cho|có "
    rf"thành tích|về thành tích)\b|;|\s+và\s+{_HONORIFIC}\s))"
    rf"|\s*,\s*{_POSITION_WORDS}\b[^;()]*?(?=[;.]?$|\s+(?:vì|do|đã|nhận|được|vinh dự|trao|tặng|cho|có thành "
    rf"tích)\b|;|,\s*{_HONORIFIC}\s|\s+và\s+{_HONORIFIC}\s))?"
)
_UNIT_WORDS = (
    r"(?:Sở|Trung tâm|Phòng|Chi cục|Văn phòng|Trường|Bệnh viện|Đài|Báo|Công an|Bộ Chỉ huy|Ban|Hội|Đảng "
    r"bộ|Công ty"
    r"|Bưu điện|Viễn thông|Xã|Phường|Thị trấn|Ấp|Khu phố|Nhân dân và cán bộ|Nhân dân, cán bộ|Cục|Kho "
    r"bạc|Thanh tra"
    r"|Đoàn|Chi bộ|Trạm|Đội|Tòa án|Viện|Hợp tác xã|UBND xã|UBND phường)"
)
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
_UNIT_SUBJECT = re.compile(
    rf"^(?:[^,]{{0,40}},\s*)?(?:[Tt]ập thể\s+)?(?P<unit>{_UNIT_WORDS}\s(?=[{_UP}])(?:(?!\s(?:tổ chức|long "
    rf"trọng|vừa|đã|được"
    r"|vinh dự|đón nhận|nhận|trao|tặng|chuẩn bị)\b)[^;.,])+?)\s+(?:(?:vừa|đã|vinh dự)\s+)*"
    r"(?:được\s+(?:\S+\s+){0,5}?(?:trao tặng|tặng|trao|phong tặng|công nhận)|đón nhận|nhận)\b"
)

# --- other facts -------------------------------------------------------------------------------

_DECISION_NO = re.compile(r"\b\d{1,6}/(?:QĐ|QD|qđ)-[A-Za-zĐđ0-9]+(?:-[A-Za-zĐđ0-9]+)*")
_THUA_UY_QUYEN = re.compile(r"thua uy quyen(?: cua)?\s+")
_AGENT = re.compile(r"\b(?:duoc|de nghi)\s+")  # "được <X> tặng", "đề nghị <X> tặng"
_AGENT_VERB = re.compile(
    r"\s+(?:\S+\s+){0,2}?(?:trao tang|tang|phong tang|truy tang|khen thuong|cong nhan|xet tang)\b"
)
_PERIOD = re.compile(
    r"\b(?:giai đoạn|nhiệm kỳ)\s+\d{4}\s*-\s*\d{4}|\bnăm học\s+\d{4}\s*-\s*\d{4}|\bnăm\s+\d{4}\b",
    re.IGNORECASE,
)


@dataclass
class _Sentence:
    text: str  # normalized
    lower: str  # lowercase, agency/policy names masked with '#'
    folded: str  # aligned fold, masks applied
    source: str  # "title", "lead", "body", "caption"
    kinds: list[_KindHit] = field(default_factory=list)
    stage: Stage | None = None
    award: bool = False
    strong: bool = False  # conferred with a ceremony word (trao, đón nhận, gắn …)
    listed: bool = False  # a list item / continuation of an award sentence
    giver: _Authority | None = None


def _sentences(title: str, lead: str, body: str, captions: Sequence[str]) -> list[_Sentence]:
    out: list[_Sentence] = []
    parts: list[tuple[str, str]] = [(title, "title"), (lead, "lead"), (body, "body")]
    parts += [(c, "caption") for c in captions]
    for text, source in parts:
        for raw in split_sentences(text):
            s = normalize(raw)
            if s:
                folded = _mask(_aligned_fold(s))
                lower = "".join(
                    "#" if f == "#" and c != "#" else c for c, f in zip(s.lower(), folded, strict=True)
                )
                out.append(_Sentence(s, lower, folded, source))
    return out


def _without_reason(lower: str) -> str:
    m = _REASON.search(lower)
    return lower[: m.start()] if m else lower


def _has_named_or_counted(s: _Sentence) -> bool:
    return bool(
        _COUNT.search(s.lower)
        or _PERSON.search(s.text)
        or _UNIT_OBJECT.search(s.text)
        or _UNIT_SUBJECT.search(s.text)
    )


def _stage_of(lower: str) -> Stage | None:
    if _PROPOSAL.search(lower):
        return Stage.PROPOSED
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
    before = re.sub(r"\bpho\s+", "", before)
    return _authority_in(before)


def _classify(s: _Sentence) -> None:
    s.kinds = _kind_hits(s.folded)
    core = _without_reason(s.lower)
    framing = core[: s.kinds[0].start] if s.kinds else core
    if _REVOKE.search(s.lower) or _FUTURE.search(core) or _HISTORY.search(framing):
        s.kinds = []
        return
    generic = bool(_GENERIC.search(s.folded)) and _has_named_or_counted(s)
    if not s.kinds and not generic:
        return
    stage = _stage_of(s.lower)
    if _POLICY.search(core) and not _has_named_or_counted(s):
        s.kinds = []
        return
    if stage is None:
        s.listed = bool(s.kinds) and _has_named_or_counted(s)
        return
    if stage is Stage.PROPOSED and not _has_named_or_counted(s):
        return
    s.stage = stage
    s.strong = stage is Stage.CONFERRED and bool(_CEREMONY.search(s.lower))
    s.award = True
    s.giver = _giver(s)


# --- extraction --------------------------------------------------------------------------------


def _counts_in(s: _Sentence) -> list[tuple[str, str, int]]:
    """(award family, "c"|"i", number) for each stated count; see the module rules."""
    out: list[tuple[str, str, int]] = []
    lower = s.lower
    bd = _BREAKDOWN.search(lower)
    for m in _COUNT.finditer(lower):
        if m.group("mixed"):
            continue
        if bd and m.start() > bd.start() and any(c.start() < bd.start() for c in _COUNT.finditer(lower)):
            continue
        n_raw = m.group("n")
        n = int(n_raw) if n_raw.isdigit() else _WORD_NUMBERS[n_raw]
        family = ""
        for k in s.kinds:
            if k.start <= m.start():
                family = k.family
        if not family and s.kinds:
            family = s.kinds[0].family
        out.append((family, "c" if m.group("c") else "i", n))
    return out


def _sum_counts(sentences: Sequence[_Sentence]) -> tuple[int | None, int | None]:
    seen: list[tuple[str, str, int, int]] = []  # family, sort, number, sentence index
    totals: dict[str, int | None] = {"c": None, "i": None}
    for idx, s in enumerate(sentences):
        for family, sort, n in _counts_in(s):
            dup = any(
                sort == f_sort and n == f_n and i != idx and (family == f_fam or not family or not f_fam)
                for f_fam, f_sort, f_n, i in seen
            )
            seen.append((family, sort, n, idx))
            if not dup:
                totals[sort] = (totals[sort] or 0) + n
    return totals["c"], totals["i"]


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
    for hit_kind, _ in kinds:
        if hit_kind.owner:
            names.append(hit_kind.owner.person)
        elif hit_kind.family in _LAW_AUTHORITY:
            names.append(_LAW_AUTHORITY[hit_kind.family])
        elif hit_kind.name == "Chiến sĩ thi đua toàn quốc":
            names.append("Thủ tướng Chính phủ")
    if not names:
        names += [s.giver.person for s in award if s.giver]
    if decision and decision.upper().endswith("CTN"):
        names.append("Chủ tịch nước")
    if decision and decision.lower().endswith("ttg"):
        names.append("Thủ tướng Chính phủ")
    return tuple(dict.fromkeys(names))


def _kinds_of(award: Sequence[_Sentence]) -> list[tuple[_KindHit, str]]:
    out: list[tuple[_KindHit, str]] = []
    for s in award:
        for k in s.kinds:
            name = _kind_name(k, s.giver)
            if name != k.name and k.owner is None and s.giver is not None:
                k.owner = s.giver
            out.append((k, name))
    names = {n for _, n in out}
    # drop a bare name beside a fuller one ("Bằng khen" / "Bằng khen của …", "… Lao động" / "… hạng Ba")
    return [(k, n) for k, n in out if not any(x.startswith(n + " ") for x in names)]


def _article_stage(award: Sequence[_Sentence]) -> Stage:
    """Conferred with a ceremony word > decided > conferred (plain "tặng") > proposed."""
    stages = {s.stage for s in award if s.stage}
    if any(s.strong for s in award):
        return Stage.CONFERRED
    return next(st for st in (Stage.DECIDED, Stage.CONFERRED, Stage.PROPOSED) if st in stages)


def _first(pattern: re.Pattern[str], texts: Iterable[str]) -> str | None:
    for t in texts:
        m = pattern.search(t)
        if m:
            return m.group(0)
    return None


def detect_award(title: str, lead: str, body: str, captions: Sequence[str] = ()) -> AwardInfo | None:
    """Read an article; ``None`` unless it announces an award (see the module docstring)."""
    sentences = _sentences(title, lead, body, captions)
    for s in sentences:
        _classify(s)
    if not any(s.award for s in sentences):
        return None
    award: list[_Sentence] = []
    for i, s in enumerate(sentences):
        prev = sentences[i - 1] if i > 0 else None
        prev_award = prev is not None and prev.award and prev.source != "title" and s.source != "title"
        if s.award or s.listed or (prev_award and _CONTINUATION.match(s.lower)):
            award.append(s)
    stage = _article_stage(award)
    kinds = _kinds_of(award)
    collectives, individuals = _sum_counts(award)
    texts = [s.text for s in award]
    decision = _first(_DECISION_NO, texts) or _first(_DECISION_NO, [s.text for s in sentences])
    recipients = _merge_recipients(r for s in award for r in _recipients_in(s))
    reason = _first(_REASON_OUT, texts)
    period = _first(_PERIOD, texts) or _first(_PERIOD, [normalize(title), normalize(lead)])
    return AwardInfo(
        stage=stage,
        kinds=tuple(dict.fromkeys(n for _, n in kinds)),
        authorities=_authorities_of(award, kinds, decision),
        recipients=recipients,
        collectives=collectives,
        individuals=individuals,
        decision=decision.replace("QD", "QĐ").replace("qđ", "QĐ") if decision else None,
        reason=reason.rstrip(" .") if reason else None,
        period=period,
    )
