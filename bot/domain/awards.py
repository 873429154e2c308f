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
    counts only with counted or named recipients. Revocation: a revoking verb governing an award
    (thu hồi/hủy bỏ/tước/bãi bỏ/xóa tên + Bằng khen, danh hiệu, khen thưởng, quyết định …, or
    "… bị thu hồi") masks its clause from the verb to the next ";" (a following clause "…;
    đồng thời tặng … cho …" still counts; "thu hồi nợ" in a reason clause is no revocation).
    Skipped sentences: discipline (kỷ luật, khiển trách, cảnh cáo outside the reason clause),
    intentions and plans (sẽ, dự kiến, phấn đấu, đăng ký, giao ước, kế hoạch, hướng dẫn, tiêu
    chuẩn … unless recipients are counted or named), and history ("Trong 5 năm qua, … đã được
    tặng …", "từng được", "trước đây", "trải qua 30 năm", "nhiều năm liền", "6 tháng đầu năm",
    a tally "nhiều Bằng khen/Cờ thi đua" …; the reason clause "vì đã có thành tích …" is ignored
    for this test). History sentences add neither kinds nor counts. Earlier events ("Trước đó,
    …", "Năm 2019, …" before the article's year — its latest dd/mm/yyyy date in title and lead —,
    "đã được … tặng … (năm) 2012" two or more years before) count only when the article has no
    other award sentence. The whole article is judged: where an award is revoked, sentences
    about the revoked family that confer nothing new (no counted recipients, no active present
    "X tặng … cho …") are dropped, and so are earlier events. A proposal needs named or counted
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
    owner → "Cờ thi đua"). The owner comes from "của X", else from the giver, found per kind in
    its own clause (split by ";"): the authority after "thừa ủy quyền", "được/đề nghị X tặng",
    the subject of the last "tặng/trao/ký Quyết định" before the kind ("Bộ trưởng Bộ Y tế tặng
    Bằng khen", "…; Giám đốc Sở Nội vụ tặng Giấy khen"), "… do X trao tặng"; a clause with no
    giver of its own takes the one of the clause before; with no owner the bare family name
    ("Bằng khen"). Orders: "Huân chương <Name> hạng <Nhất|Nhì|Ba>";
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
    sentences ("06 tập thể" → 6, "hai cá nhân" → 2, lists split by ";" summed); people are
    cá nhân, cán bộ, đoàn viên, hội viên, học sinh, "gương" ("10 gương thanh niên tiêu biểu") …,
    collectives are tập thể, đơn vị, chi đoàn, hợp tác xã, trường (học) …; numbers inside the
    reason clause ("vì đã có thành tích giúp 20 học sinh") and after "lớp/số/trong/hằng …" ("lớp
    5 Trường …") count nobody; named people are recipients and are not counted; a mixed total
    ("50 tập thể, cá nhân") is not split; numbers after "trong (số) đó" are breakdowns of a total
    already given and are skipped; the same number for the same award family repeated in another
    sentence (title vs body, caption vs body) is counted once. ``None`` when no count of that
    sort is stated.
Decision
    The number "…/QĐ-…" of an award sentence, preferring one whose following words are about an
    award (tặng, khen thưởng, a kind) and never one about another matter ("… công nhận xã đạt
    chuẩn nông thôn mới", bổ nhiệm, phê duyệt …); else one about an award elsewhere; else none.
Recipients
    Named people: an honorific (ông, bà, đồng chí, GS.TS., TS., ThS., Đại tá …) + 2-5 capitalised
    syllables + an optional position after " - ", "(" or ", <position word>". Named collectives
    (Sở/Trung tâm/Phòng/Chi cục/Trường/Xã … names) after "cho"/"tặng" or as the subject of "đón
    nhận"/"được tặng". Presenters (people before an active "trao/tặng") are not recipients.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.domain.models import AwardInfo, Evidence, FormCount, Recipient, Stage
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
    giver: _Authority | None = None  # who gives it in its clause of the sentence


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
# revoking an award: a revocation verb governing an award word, either order (on folded text, so
# "huỷ bỏ"/"hủy bỏ"/"huy bo" all match); "thu hồi đất/nợ" in a reason clause is not a revocation
_REVOKE_VERB = r"(?:huy bo|thu hoi|tuoc|bai bo|xoa ten)"
_AWARD_WORD = (
    r"(?:bang khen|giay khen|khen thuong|danh hieu|huan chuong|huy chuong|ky niem chuong|co thi dua|hien vat"
    r"|tien thuong|phan thuong|giai thuong)"
)
_REVOKE = re.compile(
    rf"\b{_REVOKE_VERB}\s+(?:\S+\s+){{0,2}}?(?:quyet dinh|qd)\b"
    rf"|\b{_REVOKE_VERB}\b(?:(?!\b(?:duoc|tang|trao)\b)[^;]){{0,60}}?\b{_AWARD_WORD}\b"
    rf"|\b{_AWARD_WORD}\b[^;]{{0,60}}?\bbi\s+(?:\S+\s+)?{_REVOKE_VERB}\b"
)
_DISCIPLINE = re.compile(r"\b(?:kỷ luật|khiển trách|cảnh cáo|cách chức)\b")
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
    r"|trước đây|đã từng|trải qua (?:\d+|nhiều|hơn \d+) (?:năm|thập)|qua các thời kỳ|những năm gần đây"
)
# a tally of past awards anywhere in the sentence ("… và nhiều Cờ thi đua của Bộ …")
_TALLY = re.compile(
    r"\b(?:nhiều|hàng chục|hàng trăm)\s+(?:bằng khen|giấy khen|cờ thi đua|huân chương|huy chương"
    r"|danh hiệu|hình thức khen thưởng)\b(?![^;]{0,40}\bcho\s+(?:\d|các|những))"
)
# soft history: the frame of an earlier event ("Trước đó, …", "Năm 2020, …" before the article's
# year, "đã được … tặng … năm 2012"); such sentences count only when the article has no other
# award sentence
_EARLIER = re.compile(r"^(?:trước đó|trước nữa|cách đây)\b")
_YEAR_FRAME = re.compile(r"^(?:vào |trong )?năm (\d{4})\s*,")
_PAST_YEAR = re.compile(
    r"(?<!giai đoạn )(?<!nhiệm kỳ )(?<!năm học )(?:\bnăm\s+|\()((?:19|20)\d{2})\b(?!\s*[-–]\s*\d)"
)
_PAST_VERB = re.compile(r"\bđã\s+(?:từng\s+|vinh dự\s+)?(?:được|tặng|trao|đón nhận|nhận)\b")
_DATE_YEAR = re.compile(r"\b\d{1,2}/\d{1,2}/((?:19|20)\d{2})\b")
_REASON = re.compile(r"\b(?:vì|do)\s+(?:đã\s+)?(?:có\s+)?(?:thành tích|có nhiều|đạt|hoàn thành|lập)[^;]*")
_REASON_OUT = re.compile(r"\b(?:vì|do)\s+(?:đã\s+)?có\s+(?:thành tích|nhiều thành tích)[^;]*", re.IGNORECASE)
_CONTINUATION = re.compile(
    r"^(?:trong (?:số )?đó|cụ thể|gồm|bao gồm|danh sách|(?:các|những) (?:tập thể|cá nhân|đơn "
    r"vị)[^.]{0,30}?(?:gồm|là))\b"
)
_BREAKDOWN = re.compile(r"\b(?:trong (?:số )?đó|bao gồm|gồm)\b")

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
_COLLECTIVE_NOUNS = (
    r"tập thể|đơn vị|cơ quan|tổ chức|doanh nghiệp|công ty|công đoàn cơ sở|chi bộ|đảng bộ|hợp tác xã"
    r"|tổ hợp tác|chi đoàn|đoàn cơ sở|chi hội|hội cơ sở|trường học|trường|gương tập thể"
)
_INDIVIDUAL_NOUNS = (
    r"cá nhân|cán bộ|công chức|viên chức|người|đồng chí|học sinh|sinh viên|giáo viên|nhà giáo|đoàn viên|hội "
    r"viên"
    r"|đảng viên|nông dân|công nhân|thanh niên|thiếu nhi|bác sĩ|y bác sĩ|chiến sĩ|mẹ|nghệ nhân|cựu chiến binh"
    r"|gương(?! tập thể)"
)
# not a count: "lớp 5 trường …", "số 3 …", "trong năm trường …", "hằng năm đơn vị …"
_NOT_COUNT_BEFORE = "".join(
    f"(?<!{w} )" for w in ("lớp", "khối", "số", "thứ", "trong", "cả", "mỗi", "hằng", "hàng", "các", "những")
)
_COUNT = re.compile(
    rf"(?<![\d.,/]){_NOT_COUNT_BEFORE}(?P<n>\d{{1,5}}|{'|'.join(_WORD_NUMBERS)})\s+"
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
# what a decision is about: the words after its number ("… ngày 15/12/2022 của UBND tỉnh công nhận xã …")
_DECISION_AWARD = re.compile(
    r"\b(?:tặng|trao tặng|tặng thưởng|truy tặng|phong tặng|khen thưởng|danh hiệu|bằng khen|giấy khen"
    r"|cờ thi đua|huân chương|huy chương|kỷ niệm chương|chiến sĩ thi đua|lao động tiên tiến)\b"
)
_DECISION_OTHER = re.compile(
    r"\b(?:công nhận (?:xã|phường|huyện|thị xã|thị trấn|ấp|khu phố|trường|di tích|[^;]{0,40}?đạt chuẩn)"
    r"|đạt chuẩn|nông thôn mới|bổ nhiệm|điều động|luân chuyển|nghỉ hưu|phê duyệt|thành lập|sáp nhập"
    r"|giải thể|kỷ luật|xử phạt|thu hồi|hủy bỏ|huỷ bỏ)\b"
)
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
    earlier: bool = False  # soft history: an earlier event, dropped beside a current award sentence
    revoked: set[str] = field(default_factory=set)  # families revoked here ("*": award not named)


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


_DO_AGENT = re.compile(r"\bdo\s+")  # "… Bằng khen do <X> tặng"


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
        found = _authority_in(re.sub(r"\bpho\s+", "", folded[: verbs[-1].start()]))
        if found:
            return found
    for m in _DO_AGENT.finditer(folded, kind_at):
        hit = _authority_at(folded, m.end())
        if hit and _AGENT_VERB.match(folded, hit[1]):
            return hit[0]
    if earlier and not verbs and not _PASSIVE.search(lower):
        return _authority_in(re.sub(r"\bpho\s+", "", folded))
    return None


def _kind_giver(s: _Sentence, kind: _KindHit) -> _Authority | None:
    """The giver in the kind's own clause (split by ";"), else in an earlier clause of the sentence."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(";", s.folded):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(s.folded)))
    idx = next(i for i, (a, b) in enumerate(bounds) if a <= kind.start <= b)
    for j in range(idx, -1, -1):
        a, b = bounds[j]
        at = (kind.start if j == idx else b) - a
        giver = _clause_giver(s.folded[a:b], s.lower[a:b], at, earlier=j != idx)
        if giver:
            return giver
    return None


def _mask_revocations(s: _Sentence) -> None:
    """Mask each revocation to the end of its clause (";"); the subject before it stays, so a
    following clause ("…; đồng thời tặng Bằng khen cho …") keeps its giver. Notes the revoked
    families ("*" when the revoked award is not named)."""
    for m in list(_REVOKE.finditer(s.folded)):
        start = m.start()
        end = s.folded.find(";", m.end())
        end = len(s.folded) if end < 0 else end
        families = {k.family for k in _kind_hits(s.folded[start:end])}
        s.revoked |= families or {"*"}
        s.folded = s.folded[:start] + "#" * (end - start) + s.folded[end:]
        s.lower = s.lower[:start] + "#" * (end - start) + s.lower[end:]


def _is_earlier(core: str, framing: str, year: int | None) -> bool:
    """Soft history: "Trước đó, …", "Năm 2020, …" before the article's year, "đã được … năm 2012"."""
    if _EARLIER.match(framing):
        return True
    if year is None:
        return False
    frame = _YEAR_FRAME.match(core)
    if frame and int(frame.group(1)) < year:
        return True
    return bool(_PAST_VERB.search(core)) and any(int(y) <= year - 2 for y in _PAST_YEAR.findall(core))


def _classify(s: _Sentence, year: int | None = None) -> None:
    _mask_revocations(s)
    s.kinds = _kind_hits(s.folded)
    core = _without_reason(s.lower)
    framing = core[: s.kinds[0].start] if s.kinds else core
    if _DISCIPLINE.search(core) or _FUTURE.search(core) or _HISTORY.search(framing) or _TALLY.search(core):
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
    s.earlier = _is_earlier(core, framing, year)
    s.giver = _giver(s)
    for k in s.kinds:
        k.giver = _kind_giver(s, k)


# --- extraction --------------------------------------------------------------------------------


def _counts_in(s: _Sentence) -> list[tuple[str, str, int]]:
    """(award family, "c"|"i", number) for each stated count; see the module rules."""
    out: list[tuple[str, str, int]] = []
    # numbers inside a reason clause ("vì đã có thành tích giúp 20 học sinh …") count nobody
    lower = _REASON.sub(lambda m: "#" * len(m.group(0)), s.lower)
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
            name = _kind_name(k, k.giver)
            if name != k.name and k.owner is None and k.giver is not None:
                k.owner = k.giver
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
    for topic in ("award", ""):
        for about, number in found:
            if about == topic:
                return number
    for s in others:
        for m in _DECISION_NO.finditer(s.text):
            if not s.revoked and _decision_about(s.text, m) == "award":
                return m.group(0)
    return None


def _event_year(title: str, lead: str, body: str) -> int | None:
    """The year of the reported event: the latest dd/mm/yyyy date of title and lead, else of body."""
    for text in (normalize(title) + " " + normalize(lead), normalize(body)):
        years = [int(y) for y in _DATE_YEAR.findall(text)]
        if years:
            return max(years)
    return None


def _restates(s: _Sentence, revoked: set[str]) -> bool:
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
    return bool(re.search(r"\bđã\s+$", s.lower[: verb.start()]))


def _drop_restated(sentences: Sequence[_Sentence]) -> None:
    """Judge the whole article: restated revoked awards and (beside a current award) earlier ones go."""
    revoked: set[str] = set().union(*(s.revoked for s in sentences))
    for s in sentences:
        if (s.award or s.listed) and revoked and _restates(s, revoked):
            s.award = s.listed = False
    current = any(s.award and not s.earlier for s in sentences)
    for s in sentences:
        if s.award and s.earlier and (current or revoked):
            s.award = False


def _form_names(kinds: Sequence[tuple[_KindHit, str]]) -> dict[int, str]:
    """Each kind hit's canonical form; a bare name ("Bằng khen") beside exactly one fuller name of
    its family takes that name, beside several it stays unresolved ("")."""
    names = {n for _, n in kinds}
    out: dict[int, str] = {}
    for hit, name in kinds:
        fuller = sorted(x for x in names if x.startswith(name + " "))
        out[id(hit)] = name if not fuller else fuller[0] if len(fuller) == 1 else ""
    return out


@dataclass
class _Tally:
    collectives: int | None = None
    individuals: int | None = None
    seen: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # sort -> {(n, sentence)}
    conflict: set[str] = field(default_factory=set)
    evidence: list[tuple[str, int, _Sentence]] = field(default_factory=list)

    def add(self, sort: str, n: int, idx: int, s: _Sentence) -> None:
        seen = self.seen.setdefault(sort, set())
        if any(n == m for m, _ in seen):  # the same number restated (title and body)
            return
        if any(i != idx for _, i in seen):  # another number for the same form elsewhere: unsure
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


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in re.finditer(";", text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def _form_at(s: _Sentence, pos: int, names: dict[int, str]) -> str | None:
    """The form a count at ``pos`` belongs to: the nearest kind before it in its clause, else the
    first after it in its clause, else the sentence's only form. ``None``: unsure (two forms named
    together before the count, or several forms and none in the clause); "" when no form is named."""
    hits = [k for k in s.kinds if names.get(id(k)) is not None]
    forms = {names[id(k)] for k in hits}
    if not hits:
        return ""
    a, b = next((a, b) for a, b in _clauses(s.lower) if a <= pos <= b)
    before = [k for k in hits if a <= k.start < pos]
    after = [k for k in hits if pos < k.start <= b]
    if before:
        last = before[-1]
        prev = before[-2] if len(before) > 1 else None
        # "tặng Bằng khen … và Giấy khen … cho 9 tập thể": which form the number is for is unclear
        if (
            prev is not None
            and names[id(prev)] != names[id(last)]
            and _JOINED.fullmatch(s.lower[prev.end : last.start])
        ):
            return None
        return names[id(last)] or None
    if after:
        return names[id(after[0])] or None
    if len(forms) == 1:
        return next(iter(forms)) or None
    return None


def _form_counts(
    award: Sequence[_Sentence], names: dict[int, str]
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
        bd = _BREAKDOWN.search(lower)
        for m in _COUNT.finditer(lower):
            if m.group("mixed"):
                continue
            if bd and m.start() > bd.start() and any(c.start() < bd.start() for c in _COUNT.finditer(lower)):
                continue
            n_raw = m.group("n")
            n = int(n_raw) if n_raw.isdigit() else _WORD_NUMBERS[n_raw]
            sort = "c" if m.group("c") else "i"
            form = _form_at(s, m.start(), names)
            if form == "" and idx and _CONTINUATION.match(s.lower):
                prev_forms = {names.get(id(k)) for k in award[idx - 1].kinds}
                if len(prev_forms) == 1:
                    form = prev_forms.pop() or None
            if form is None:
                unsure.update(names[id(k)] for k in s.kinds if names.get(id(k)))
                continue
            if form == "":
                if _STATED_TOTAL.search(lower):
                    total.add(sort, n, idx, s)
                continue
            tallies.setdefault(form, _Tally()).add(sort, n, idx, s)
    evidence: list[Evidence] = []
    counts: dict[str, tuple[int | None, int | None]] = {}
    for form in order:
        if form in unsure:
            counts[form] = (None, None)
            continue
        tally = tallies.get(form)
        if tally is None:
            counts[form] = _named_count(award, form, names, evidence)
            continue
        counts[form] = tally.result()
        for sort, n, s in tally.evidence:
            if sort not in tally.conflict:
                evidence.append(Evidence("count", f"{form}: {n} {_SORT_WORD[sort]}", s.text, s.source))
    stated = total.result()
    for sort, n, s in total.evidence:
        evidence.append(Evidence("total", f"{n} {_SORT_WORD[sort]}", s.text, s.source))
    return counts, stated, evidence


_SORT_WORD = {"c": "tập thể", "i": "cá nhân"}
# two forms joined with no verb or number between them ("Bằng khen của … và Giấy khen của …")
_JOINED = re.compile(
    r"(?:(?!\d|\b(?:tặng|trao|cho|công nhận|tuyên dương|khen thưởng)\b)[^;])*"
    r"(?:,|\bvà\b|\bhoặc\b)\s*(?:danh hiệu\s*)?"
)
_STATED_TOTAL = re.compile(r"\b(?:khen thưởng|tổng cộng|tổng số|với tổng)\b")


def _named_count(
    award: Sequence[_Sentence], form: str, names: dict[int, str], evidence: list[Evidence]
) -> tuple[int | None, int | None]:
    """A form given with no number: count the people (and collectives) named in the sentences that
    name only this form; unsure (other forms in the sentence, nobody named) → not stated."""
    people: dict[str, _Sentence] = {}
    units: dict[str, _Sentence] = {}
    for s in award:
        forms = {names.get(id(k)) for k in s.kinds}
        if form not in forms:
            continue
        if len(forms) != 1:
            return None, None
        for m in _PERSON.finditer(s.text):
            name = m.group("name")
            if name in _NOT_NAMES:
                continue
            found = [r.name for r in _recipients_in(s)]
            if name in found:
                people.setdefault(name, s)
        for pattern in (_UNIT_OBJECT, _UNIT_SUBJECT):
            for m in pattern.finditer(s.text):
                unit = m.group("unit").strip(" ,")
                if _PERSON.search(unit) or len(unit) > 120:
                    continue
                units.setdefault(unit, s)
    # a collective named twice, cut short once ("Sở X" / "Sở X tỉnh Y")
    unit_names = list(units)
    units = {u: s for u, s in units.items() if not any(n != u and n.startswith(u + " ") for n in unit_names)}
    if people and units:
        return None, None
    for name, s in people.items():
        evidence.append(Evidence("count", f"{form}: {name}", s.text, s.source))
    for name, s in units.items():
        evidence.append(Evidence("count", f"{form}: {name}", s.text, s.source))
    return (len(units) or None, len(people) or None) if (people or units) else (None, None)


def _first_sentence(award: Sequence[_Sentence], test: Callable[[_Sentence], bool]) -> _Sentence | None:
    return next((s for s in award if test(s)), None)


def detect_award(title: str, lead: str, body: str, captions: Sequence[str] = ()) -> AwardInfo | None:
    """Read an article; ``None`` unless it announces an award (see the module docstring)."""
    sentences = _sentences(title, lead, body, captions)
    year = _event_year(title, lead, body)
    for s in sentences:
        _classify(s, year)
    _drop_restated(sentences)
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
    names = _form_names(kinds)
    per_form, stated, evidence = _form_counts(award, names)
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
        s = _first_sentence(award, lambda x, r=r: r.name in x.text)
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
        found = _authority_in(re.sub(r"\bpho\s+", "", s.folded))
        if found is not None and found.person == person:
            return s
        if s.giver is not None and s.giver.person == person:
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
