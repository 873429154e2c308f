"""Evaluate award detection and the facts it shows, per labelled set, beside the keyword baseline.

    python bench/eval_awards.py [-v] [FILE.jsonl ...]

Without files: every ``tests/data/awards_*.jsonl``. Per set:

- detection precision / recall / F1 of ``detect_award`` and of the title-and-lead keyword baseline;
- counts exact: over the announcements whose labels state a count, the share where every per-form
  count and the top-level total come out exactly (a missed announcement is wrong);
- counts shown right: every number the award message would show (per-form lines, and a total line
  when there is not exactly one form) is checked against the labels; a number shown for the wrong
  form, or on an article that is no award, is wrong. This is the figure a citizen lives with.
  A shown form is the labelled one when the names are equal ignoring case, or, failing that, when
  exactly one labelled form differs from it only by the giver's committee ("Ban Chấp hành", "Ban
  Thường vụ", "Đoàn Chủ tịch", "Thường trực"), by an abbreviation ("Hội LHPN tỉnh"), by a proper
  place name after the giver ("… thành phố Tân An"), by quotation marks, by a centrally-run city's
  "UBND thành phố" giving what only a province-level committee gives, or goes on after the shown
  name ("Kỷ niệm chương" for "Kỷ niệm chương Vì …", "Giám đốc Sở" for "Giám đốc Sở Y tế"): the number
  is judged, the naming is judged by "kinds" and "authorities". The figure with names compared
  exactly is printed beside it;
- per-form count accuracy: over the labelled (form, collectives|individuals) numbers, the share
  found with the same form and number;
- stage, kinds (as a set), authorities (as a set), decision: over all announcements;
- revocations: how many labelled revocations were kept out of the award cards.

Figures only; nothing here tunes anything. ``-v`` lists each miss.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.domain.awards import detect_award, naive_is_award  # noqa: E402
from bot.domain.models import AwardInfo  # noqa: E402

DATA = ROOT / "tests" / "data"
CORPUS = DATA / "awards_corpus.jsonl"
SORTS = ("collectives", "individuals")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def detect(case: dict[str, Any]) -> AwardInfo | None:
    return detect_award(case["title"], case.get("lead", ""), case["body"], tuple(case.get("captions") or ()))


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def expected_counts(exp: dict[str, Any]) -> dict[str, tuple[int | None, int | None]]:
    """Labelled counts per form; an older label without ``counts`` with one form uses its totals."""
    raw = exp.get("counts")
    if raw is None and len(exp.get("kinds") or ()) == 1:
        raw = {exp["kinds"][0]: {s: exp.get(s) for s in SORTS}}
    return {nfc(k): (v.get("collectives"), v.get("individuals")) for k, v in (raw or {}).items()}


def got_counts(info: AwardInfo | None) -> dict[str, tuple[int | None, int | None]]:
    return {nfc(c.kind): (c.collectives, c.individuals) for c in info.counts} if info else {}


_COMMITTEES = re.compile(
    r"\b(?:ban chấp hành|ban thường vụ|đoàn chủ tịch|(?:ban )?thường trực) ", re.IGNORECASE
)
# the abbreviations articles and labels write for the same bodies
_SPELLED = {
    "UBND": "Ủy ban nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "LHPN": "Liên hiệp Phụ nữ",
    "LĐLĐ": "Liên đoàn Lao động",
    "HĐND": "Hội đồng nhân dân",
    "CCB": "Cựu chiến binh",
    "TPHCM": "thành phố Hồ Chí Minh",
    "TP.HCM": "thành phố Hồ Chí Minh",
    "TP HCM": "thành phố Hồ Chí Minh",
    "KBNN": "Kho bạc Nhà nước",
    "NHCSXH": "Ngân hàng Chính sách xã hội",
    "HTX": "Hợp tác xã",
    "BHXH": "Bảo hiểm xã hội",
    "BĐBP": "Bộ đội Biên phòng",
    "VKSND": "Viện kiểm sát nhân dân",
    "KTNN": "Kiểm toán Nhà nước",
    "NHNN": "Ngân hàng Nhà nước",
    "TAND": "Tòa án nhân dân",
}
_ABBREVIATION = re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in _SPELLED) + r")(?!\w)")
# a province or city named after a giver, where the other name says "tỉnh" / "thành phố" ("Giám đốc
# KBNN Nghệ An" / "Giám đốc Kho bạc Nhà nước tỉnh"); pre-2025 names, which include the merged ones
_PROVINCES = [
    "An Giang",
    "Bà Rịa - Vũng Tàu",
    "Bắc Giang",
    "Bắc Kạn",
    "Bạc Liêu",
    "Bắc Ninh",
    "Bến Tre",
    "Bình Định",
    "Bình Dương",
    "Bình Phước",
    "Bình Thuận",
    "Cà Mau",
    "Cao Bằng",
    "Đắk Lắk",
    "Đắk Nông",
    "Điện Biên",
    "Đồng Nai",
    "Đồng Tháp",
    "Gia Lai",
    "Hà Giang",
    "Hà Nam",
    "Hà Tĩnh",
    "Hải Dương",
    "Hậu Giang",
    "Hòa Bình",
    "Hưng Yên",
    "Khánh Hòa",
    "Kiên Giang",
    "Kon Tum",
    "Lai Châu",
    "Lâm Đồng",
    "Lạng Sơn",
    "Lào Cai",
    "Long An",
    "Nam Định",
    "Nghệ An",
    "Ninh Bình",
    "Ninh Thuận",
    "Phú Thọ",
    "Phú Yên",
    "Quảng Bình",
    "Quảng Nam",
    "Quảng Ngãi",
    "Quảng Ninh",
    "Quảng Trị",
    "Sóc Trăng",
    "Sơn La",
    "Tây Ninh",
    "Thái Bình",
    "Thái Nguyên",
    "Thanh Hóa",
    "Thừa Thiên Huế",
    "Tiền Giang",
    "Trà Vinh",
    "Tuyên Quang",
    "Vĩnh Long",
    "Vĩnh Phúc",
    "Yên Bái",
]
_CITIES = ["Hà Nội", "Hồ Chí Minh", "TP.HCM", "TPHCM", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Huế"]
_PROVINCE = re.compile(r"(?:\btỉnh\s+)?\b(?:" + "|".join(map(re.escape, _PROVINCES)) + r")\b")
_CITY = re.compile(r"(?:\b(?:thành phố|TP\.?)\s+)?\b(?:" + "|".join(map(re.escape, _CITIES)) + r")\b")
_QUOTES = re.compile("[\"“”'‘’]")
_FRONT_NAME = re.compile(r"\b(Mặt trận Tổ quốc) Việt Nam\b")  # "Ủy ban MTTQ (Việt Nam) tỉnh"


# only a province-level people's committee gives Bằng khen and Cờ thi đua, so a centrally-run city's
# "UBND thành phố" is the "UBND tỉnh" of those forms; its "Chiến sĩ thi đua cấp thành phố" is "cấp tỉnh"
_PROVINCE_LEVEL = re.compile(
    r"^((?:Bằng khen|Cờ thi đua) của (?:Chủ tịch )?(?:UBND|Ủy ban nhân dân)) thành phố$"
)


def _loose(form: str) -> str:
    form = _PROVINCE_LEVEL.sub(r"\1 tỉnh", nfc(form)).replace(
        "Chiến sĩ thi đua cấp thành phố", "Chiến sĩ thi đua cấp tỉnh"
    )
    spelled = _ABBREVIATION.sub(lambda m: _SPELLED[m.group(1)], _QUOTES.sub("", form))
    spelled = _FRONT_NAME.sub(r"\1", spelled.replace("Uỷ", "Ủy").replace("uỷ", "ủy"))
    spelled = _CITY.sub("thành phố", _PROVINCE.sub("tỉnh", spelled.replace("–", "-")))
    return " ".join(_COMMITTEES.sub("", spelled).split())


def _place_suffix(short: str, long: str) -> bool:
    """``long`` is ``short`` followed by a proper name only ("… thành phố" / "… thành phố Tân An")."""
    if not long.casefold().startswith(short.casefold() + " "):
        return False
    return all(w[:1].isupper() for w in long[len(short) + 1 :].split())


def same_form(shown: str, labelled: Iterable[str]) -> str | None:
    """The labelled form ``shown`` stands for: equal ignoring case, else the one labelled form that
    differs only by the giver's committee or a place name after it; None when none or several."""
    labelled = list(labelled)
    for form in labelled:
        if nfc(form).casefold() == nfc(shown).casefold():
            return form
    near = [
        form
        for form in labelled
        if _loose(form).casefold() == _loose(shown).casefold()
        or _place_suffix(_loose(shown), _loose(form))
        or _place_suffix(_loose(form), _loose(shown))
    ]
    if not near:
        # a name shown shorter where one labelled form goes on: "Kỷ niệm chương" for "Kỷ niệm chương Vì
        # …", "Giấy khen của Giám đốc Sở" for "… Sở Y tế"
        near = [
            form for form in labelled if _loose(form).casefold().startswith(_loose(shown).casefold() + " ")
        ]
    return near[0] if len(near) == 1 else None


def _as_labelled(
    got: dict[str, tuple[int | None, int | None]], want: dict[str, tuple[int | None, int | None]]
) -> dict[str, tuple[int | None, int | None]]:
    """The extracted counts keyed by the labelled form each stands for (its own name when none)."""
    out: dict[str, tuple[int | None, int | None]] = {}
    for form, pair in got.items():
        key = same_form(form, want) or form
        out[key if key not in out else form] = pair
    return out


def shown_numbers(info: AwardInfo | None) -> list[tuple[str, int, int]]:
    """(form or "*" for the total, sort index, number) for every number the award message shows."""
    if info is None:
        return []
    out = [
        (form, i, n) for form, pair in got_counts(info).items() for i, n in enumerate(pair) if n is not None
    ]
    if len(info.counts) != 1:
        out += [("*", i, n) for i, n in enumerate((info.collectives, info.individuals)) if n is not None]
    return out


def stated(exp: dict[str, Any]) -> bool:
    return any(v is not None for pair in expected_counts(exp).values() for v in pair) or any(
        exp.get(s) is not None for s in SORTS
    )


def counts_exact(info: AwardInfo | None, exp: dict[str, Any]) -> bool:
    if info is None:
        return False
    want = {k: v for k, v in expected_counts(exp).items() if v != (None, None)}
    got = {k: v for k, v in _as_labelled(got_counts(info), want).items() if v != (None, None)}
    return want == got and (info.collectives, info.individuals) == (
        exp.get("collectives"),
        exp.get("individuals"),
    )


@dataclass
class Scores:
    name: str
    n: int = 0
    positives: int = 0
    det: dict[str, int] = field(default_factory=lambda: {"tp": 0, "fp": 0, "fn": 0})
    base: dict[str, int] = field(default_factory=lambda: {"tp": 0, "fp": 0, "fn": 0})
    stated: int = 0
    exact: int = 0
    shown: int = 0
    shown_right: int = 0
    shown_right_strict: int = 0
    form_total: int = 0
    form_right: int = 0
    fields: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(("stage", "kinds", "authorities", "decision"), 0)
    )
    revocations: int = 0
    revocations_out: int = 0
    misses: list[str] = field(default_factory=list)


def _tally(d: dict[str, int], want: bool, got: bool) -> None:
    if want and got:
        d["tp"] += 1
    elif got:
        d["fp"] += 1
    elif want:
        d["fn"] += 1


def score(name: str, cases: Iterable[dict[str, Any]]) -> Scores:
    sc = Scores(name)
    for case in cases:
        exp = case["expected"]
        want = bool(exp["award"])
        info = detect(case)
        sc.n += 1
        sc.positives += want
        _tally(sc.det, want, info is not None)
        _tally(sc.base, want, naive_is_award(case["title"], case.get("lead", "")))
        if want != (info is not None):
            sc.misses.append(
                f"{case['id']} detection: expected {want}, got {info is not None} | {case['title']}"
            )
        if exp.get("revocation"):
            sc.revocations += 1
            sc.revocations_out += info is None
        want_counts = expected_counts(exp) if want else {}
        want_total = (exp.get("collectives"), exp.get("individuals")) if want else (None, None)
        for form, i, n in shown_numbers(info):
            sc.shown += 1
            if form == "*":
                right = strict = want_total[i] == n
            else:
                strict = want_counts.get(form, (None, None))[i] == n
                match = same_form(form, want_counts)
                right = match is not None and want_counts[match][i] == n
            sc.shown_right += right
            sc.shown_right_strict += strict
            if not right:
                sc.misses.append(f"{case['id']} shown count wrong: {form} {SORTS[i]}={n}")
        if not want:
            continue
        got_c = _as_labelled(got_counts(info), want_counts)
        for form, pair in want_counts.items():
            for i, wanted in enumerate(pair):
                if wanted is not None:
                    sc.form_total += 1
                    sc.form_right += got_c.get(form, (None, None))[i] == wanted
        if stated(exp):
            sc.stated += 1
            ok = counts_exact(info, exp)
            sc.exact += ok
            if not ok and info is not None:
                sc.misses.append(
                    f"{case['id']} counts: expected {want_counts} total {want_total}, "
                    f"got {got_c} total {(info.collectives, info.individuals)}"
                )
        if info is None:
            continue
        checks = {
            "stage": info.stage.value == exp["stage"],
            "kinds": {nfc(k).casefold() for k in info.kinds} == {nfc(k).casefold() for k in exp["kinds"]},
            "authorities": {nfc(a).casefold() for a in info.authorities}
            == {nfc(a).casefold() for a in exp["authorities"]},
            "decision": (info.decision or None) == (exp.get("decision") or None),
        }
        for key, ok in checks.items():
            sc.fields[key] += ok
            if not ok:
                got_v = {
                    "stage": info.stage.value,
                    "kinds": sorted(info.kinds),
                    "authorities": sorted(info.authorities),
                    "decision": info.decision,
                }[key]
                want_v = exp[key] if key != "kinds" and key != "authorities" else sorted(exp[key])
                sc.misses.append(f"{case['id']} {key}: expected {want_v!r}, got {got_v!r}")
    return sc


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f} ({a}/{b})" if b else "— (0/0)"


def report(sc: Scores, verbose: bool = False) -> None:
    p, r, f = prf(**sc.det)
    bp, br, bf = prf(**sc.base)
    print(f"{sc.name}: {sc.n} cases, {sc.positives} announcements, {sc.n - sc.positives} negatives")
    print(f"  detect_award        P {p:.3f}  R {r:.3f}  F1 {f:.3f}   {sc.det}")
    print(f"  keyword baseline    P {bp:.3f}  R {br:.3f}  F1 {bf:.3f}   {sc.base}")
    print(f"  counts exact where stated   {_ratio(sc.exact, sc.stated)}")
    print(f"  counts shown right          {_ratio(sc.shown_right, sc.shown)}")
    print(f"    with names compared exactly {_ratio(sc.shown_right_strict, sc.shown)}")
    print(f"  per-form counts found       {_ratio(sc.form_right, sc.form_total)}")
    for key, right in sc.fields.items():
        print(f"  {key:<27} {_ratio(right, sc.positives)}")
    if sc.revocations:
        print(f"  revocations without a card {_ratio(sc.revocations_out, sc.revocations)}")
    if verbose:
        for m in sc.misses:
            print(f"    {m}")


def table_row(sc: Scores) -> str:
    p, r, _ = prf(**sc.det)
    bp, br, _ = prf(**sc.base)

    def fr(a: int, b: int) -> str:
        return f"{a / b:.3f}" if b else "—"

    return (
        f"| {sc.name} | {sc.n} | {p:.3f} | {r:.3f} | {fr(sc.exact, sc.stated)} "
        f"| {fr(sc.shown_right, sc.shown)} "
        f"| {fr(sc.form_right, sc.form_total)} | {fr(sc.fields['authorities'], sc.positives)} "
        f"| {fr(sc.fields['stage'], sc.positives)} | {bp:.3f} / {br:.3f} |"
    )


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if not a.startswith("-")] or sorted(DATA.glob("awards_*.jsonl"))
    results = []
    for path in paths:
        sc = score(path.stem, load_corpus(path))
        report(sc, verbose)
        results.append(sc)
        print()
    print(
        "| set | cases | precision | recall | counts exact | counts shown right | per-form counts "
        "| authorities | stage | keyword baseline P / R |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for sc in results:
        print(table_row(sc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
