"""Vietnamese text helpers: normalisation, accent folding and sentence splitting.

Rules
-----
``normalize``
    Unicode NFC; zero-width characters dropped; every dash-like character (en dash, em dash,
    non-breaking hyphen, figure dash, minus sign, horizontal bar) becomes ASCII "-" while the
    spacing around it is kept as written; all whitespace (newlines, NBSP, tabs) collapses to
    one space; leading/trailing space stripped. Tone marks are moved to the "new style"
    (tone on the first vowel of an open final "oa", "oe", "uy": hoà→hòa, uỷ→ủy, Thuý→Thúy,
    khoẻ→khỏe); "qu" + "y" (quý) and syllables with a final consonant (hoàng, thuyết) are
    left alone because both styles agree there.
``fold``
    ``normalize`` then lowercase, combining marks removed, đ→d: "Khen Thưởng" → "khen thuong".
``split_sentences``
    Our own rule-based splitter, not underthesea: underthesea is a heavy dependency
    (scikit-learn, model files) for a job that a few rules do. Measured on ``SPLIT_GOLD`` below, 18
    hand-split paragraphs in the style of the award corpus holding every trap (TP.HCM, ngày 26.6,
    GS.TS., TS./ThS., 3,5, 1.234, …, “quotes”, brackets, 12/5/2024, 1234/QĐ-UBND): these rules split
    18/18 paragraphs exactly right, the naive split on ``[.!?…] + space`` 11/18; underthesea itself
    was not installed nor measured (``bench/eval_awards.py`` prints the figures).
    A boundary is a run of ``.``, ``!``, ``?``, ``…`` (optionally followed by closing
    quotes/brackets) followed by whitespace and then an
    uppercase letter, a digit, or an opening quote/bracket; it is not a boundary when the token
    before the period is a known title/abbreviation (TS., ThS., GS.TS., TP., Tp., …) or a single
    capital letter (an initial), or when the period closes a leading list number ("1. ").
    Newlines always end a sentence.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["SPLIT_GOLD", "fold", "naive_split_sentences", "normalize", "split_sentences"]

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_CONSONANTS = "bcdđfghjklmnpqrstvwxz"
# onset (consonants only) + o/u + toned a/e/y, the syllable ending there (open syllable)
_OLD_TONE = re.compile(
    r"(?<![^\W\d_])([" + _CONSONANTS + _CONSONANTS.upper() + r"]*)([oOuU])"
    r"([àáảãạÀÁẢÃẠèéẻẽẹÈÉẺẼẸỳýỷỹỵỲÝỶỸỴ])(?![^\W\d_])"
)
_VALID_PAIRS = {("o", "a"), ("o", "e"), ("u", "y")}


def _move_tone(match: re.Match[str]) -> str:
    onset, first, second = match.group(1), match.group(2), match.group(3)
    parts = unicodedata.normalize("NFD", second)
    base, marks = parts[0], parts[1:]
    if (first.lower(), base.lower()) not in _VALID_PAIRS:
        return match.group(0)
    if first.lower() == "u" and onset.lower().endswith("q"):
        return match.group(0)  # "quý": u belongs to the onset
    tone = "".join(m for m in marks if m in _TONES)
    rest = "".join(m for m in marks if m not in _TONES)
    return onset + unicodedata.normalize("NFC", first + tone) + unicodedata.normalize("NFC", base + rest)


def normalize(s: str) -> str:
    """NFC, new-style tone placement, ASCII dashes, collapsed whitespace, stripped."""
    s = unicodedata.normalize("NFC", s)
    s = _ZERO_WIDTH.sub("", s)
    s = _DASHES.sub("-", s)
    s = _SPACES.sub(" ", s).strip()
    return _OLD_TONE.sub(_move_tone, s)


def fold(s: str) -> str:
    """Accent-folded lowercase form for matching and search ("Khen Thưởng" → "khen thuong")."""
    s = normalize(s).replace("đ", "d").replace("Đ", "D")
    s = unicodedata.normalize("NFD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.lower()


_WORDS = re.compile(r"[^\W_]+")


def words_of(folded: str) -> list[str]:
    """The words of a folded text: letters and digits only (no punctuation, no wildcard characters)."""
    return _WORDS.findall(folded)


def word_text(folded: str) -> str:
    """A folded text as its words, one space between and one at each end, so that a whole word (or
    several in a row) is found as " words " — never inside a longer word."""
    return " " + " ".join(words_of(folded)) + " "


# --- sentence splitting -------------------------------------------------------------------------

_UPPER = "A-ZÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_OPENERS = "\"'“‘«([{"
_CLOSERS = "\"'”’»)]}"
# end punctuation run, optional closers, whitespace, then what may start a sentence
# Linear: a run is only tried from its first character (the lookbehind) and its parts are possessive, so
# a long run of dots, closers or spaces is scanned once, never again from every position inside it.
_BOUNDARY = re.compile(
    r"(?<![.!?…])(?P<end>[.!?…]++["
    + re.escape(_CLOSERS)
    + r"]*+)\s++(?=["
    + _UPPER
    + r"0-9"
    + re.escape(_OPENERS)
    + r"-])"
)
# titles and abbreviations that are followed by a name or a place, never end a sentence
_ABBREVIATIONS = frozenset(
    fold(a)
    for a in (
        "TS",
        "ThS",
        "GS",
        "PGS",
        "BS",
        "BSCKI",
        "BSCKII",
        "CKI",
        "CKII",
        "KS",
        "CN",
        "NCS",
        "DS",
        "TP",
        "Tp",
        "Th",
        "St",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "NXB",
        "Nxb",
        "tr",
        "Tr",
        "Đ/c",
        "đ/c",
        "Q",
        "P",
        "TX",
        "TT",
        "H",
        "X",
        "ĐT",
        "Số",
        "số",
        "No",
        "Kts",
        "LS",
        "Ths",
        "Ts",
        "Gs",
    )
)
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[IVX]{1,4}|[a-z])$")
# Abbreviations and list numbers are short: only this much text before a period is ever looked at, so
# each boundary costs a constant, whatever the length of the line.
_LOOKBEHIND = 40
_LONGEST_ABBREVIATION = max(len(a) for a in _ABBREVIATIONS)


def _is_abbreviation(before: str) -> bool:
    """Is the text ending just before a period an abbreviation that does not end a sentence?
    `before` is the (bounded) text just before the period, its spaces already collapsed."""
    if not before or before[-1] == " ":
        return False
    return _token_is_abbreviation(before.rpartition(" ")[2])


@functools.lru_cache(maxsize=4096)
def _token_is_abbreviation(token: str) -> bool:
    last = token.lstrip(_OPENERS).split(".")[-1]  # "GS.TS" -> "TS"
    if not last:
        return False
    if len(last) == 1 and last.isalpha() and last.isupper():
        return True  # an initial: "Nguyễn V. A"
    if len(last) > _LONGEST_ABBREVIATION:
        return False
    return (fold(last) in _ABBREVIATIONS and last[:1].isupper()) or last in {"tr", "đ/c", "số"}


def _split_line(line: str) -> list[str]:
    out: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        at = m.start()
        end = m.group(1)
        if end == "." and (
            _is_abbreviation(line[at - _LOOKBEHIND if at > _LOOKBEHIND else 0 : at])
            or (at - start <= 8 and _LIST_NUMBER.match(line[start:at]))
        ):
            continue
        piece = line[start : at + len(end)].strip()
        if piece:
            out.append(piece)
        start = m.end()
    tail = line[start:].strip()
    if tail:
        out.append(tail)
    return out


def split_sentences(text: str) -> list[str]:
    """Split Vietnamese news text into sentences (see the module docstring for the rules)."""
    sentences: list[str] = []
    for raw in re.split(r"\n+", unicodedata.normalize("NFC", text)):
        line = _SPACES.sub(" ", raw).strip()
        if line:
            sentences.extend(_split_line(line))
    return sentences


_NAIVE = re.compile(r"(?<=[.!?…])\s+")


def naive_split_sentences(text: str) -> list[str]:
    """The baseline: split after every ``.``, ``!``, ``?``, ``…`` followed by whitespace."""
    return [s.strip() for s in _NAIVE.split(text.strip()) if s.strip()]


# A labelled splitting set: (paragraph, expected sentences). Used by the tests and the bench.
SPLIT_GOLD: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Ngày 26.6, Sở Thông tin và Truyền thông tổ chức hội nghị. Đến dự có lãnh đạo UBND tỉnh.",
        ("Ngày 26.6, Sở Thông tin và Truyền thông tổ chức hội nghị.", "Đến dự có lãnh đạo UBND tỉnh."),
    ),
    (
        "Đoàn công tác làm việc tại TP.HCM trong 3 ngày. Sau đó, đoàn về Tây Ninh.",
        ("Đoàn công tác làm việc tại TP.HCM trong 3 ngày.", "Sau đó, đoàn về Tây Ninh."),
    ),
    (
        "Dự hội nghị có GS.TS. Nguyễn Văn Hòa, Viện trưởng. Hội nghị diễn ra trong 1 ngày.",
        ("Dự hội nghị có GS.TS. Nguyễn Văn Hòa, Viện trưởng.", "Hội nghị diễn ra trong 1 ngày."),
    ),
    (
        "Báo cáo do TS. Lê Minh Tâm và ThS. Trần Thị Hoa trình bày. Các đại biểu đánh giá cao.",
        ("Báo cáo do TS. Lê Minh Tâm và ThS. Trần Thị Hoa trình bày.", "Các đại biểu đánh giá cao."),
    ),
    (
        "Tốc độ tăng trưởng đạt 3,5%. Doanh thu đạt 1.234 tỷ đồng. Tổng cộng 12.500 thuê bao.",
        ("Tốc độ tăng trưởng đạt 3,5%.", "Doanh thu đạt 1.234 tỷ đồng.", "Tổng cộng 12.500 thuê bao."),
    ),
    (
        "Sở triển khai Văn phòng điện tử, Một cửa điện tử… tạo bước đột phá. Kết quả rất tích cực.",
        ("Sở triển khai Văn phòng điện tử, Một cửa điện tử… tạo bước đột phá.", "Kết quả rất tích cực."),
    ),
    (
        "Ông nhấn mạnh: “Cần làm tốt công tác tuyên truyền.” Hội nghị thống nhất các giải pháp.",
        ("Ông nhấn mạnh: “Cần làm tốt công tác tuyên truyền.”", "Hội nghị thống nhất các giải pháp."),
    ),
    (
        "UBND tỉnh tặng 1 Cờ “Đơn vị dẫn đầu phong trào thi đua”. Sở tiếp tục phát huy.",
        ("UBND tỉnh tặng 1 Cờ “Đơn vị dẫn đầu phong trào thi đua”.", "Sở tiếp tục phát huy."),
    ),
    (
        "Hội nghị có sự tham dự của lãnh đạo Sở (Giám đốc và các Phó Giám đốc). Buổi lễ kết thúc lúc 11 giờ.",
        (
            "Hội nghị có sự tham dự của lãnh đạo Sở (Giám đốc và các Phó Giám đốc).",
            "Buổi lễ kết thúc lúc 11 giờ.",
        ),
    ),
    (
        "Ngày 12/5/2024, Chủ tịch UBND tỉnh ký Quyết định số 1234/QĐ-UBND tặng Bằng khen. "
        "Quyết định có hiệu lực từ ngày ký.",
        (
            "Ngày 12/5/2024, Chủ tịch UBND tỉnh ký Quyết định số 1234/QĐ-UBND tặng Bằng khen.",
            "Quyết định có hiệu lực từ ngày ký.",
        ),
    ),
    (
        "Năm 2020, Sở hoàn thành 100% chỉ tiêu. 37 cơ quan cấp tỉnh kết nối mạng diện rộng.",
        ("Năm 2020, Sở hoàn thành 100% chỉ tiêu.", "37 cơ quan cấp tỉnh kết nối mạng diện rộng."),
    ),
    (
        "Lễ trao tặng diễn ra tại Tp. Tây Ninh. Có 200 đại biểu tham dự!",
        ("Lễ trao tặng diễn ra tại Tp. Tây Ninh.", "Có 200 đại biểu tham dự!"),
    ),
    (
        "Vì sao chỉ số DTI tăng? Theo Giám đốc Sở, nguyên nhân là chuyển đổi số... Các ngành cùng vào cuộc.",
        (
            "Vì sao chỉ số DTI tăng?",
            "Theo Giám đốc Sở, nguyên nhân là chuyển đổi số...",
            "Các ngành cùng vào cuộc.",
        ),
    ),
    (
        "Tham dự có ông Nguyễn V. Bình, Phó Giám đốc. Ông Bình phát biểu chỉ đạo.",
        ("Tham dự có ông Nguyễn V. Bình, Phó Giám đốc.", "Ông Bình phát biểu chỉ đạo."),
    ),
    (
        "Ông cho biết: “Năm nay Sở phấn đấu đạt Cờ thi đua. Đây là mục tiêu lớn.” Mọi người đồng tình.",
        (
            "Ông cho biết: “Năm nay Sở phấn đấu đạt Cờ thi đua.",
            "Đây là mục tiêu lớn.”",
            "Mọi người đồng tình.",
        ),
    ),
    (
        "Theo Quyết định 45/QĐ-TTg ngày 10.01.2024, Thủ tướng tặng Bằng khen cho 2 tập thể. Lễ trao diễn ra "
        "trang trọng.",
        (
            "Theo Quyết định 45/QĐ-TTg ngày 10.01.2024, Thủ tướng tặng Bằng khen cho 2 tập thể.",
            "Lễ trao diễn ra trang trọng.",
        ),
    ),
    (
        "Dịp này, Sở tặng Giấy khen cho 9 tập thể, 12 cá nhân. Theo BTNO",
        ("Dịp này, Sở tặng Giấy khen cho 9 tập thể, 12 cá nhân.", "Theo BTNO"),
    ),
    (
        "PGS.TS Phạm Văn An trình bày tham luận tại hội thảo. Tham luận được đánh giá cao.",
        ("PGS.TS Phạm Văn An trình bày tham luận tại hội thảo.", "Tham luận được đánh giá cao."),
    ),
)
