"""Score the award detector on the held-out set written blind to it.

    python bench/eval_heldout.py [-v] [path/to/awards_heldout.jsonl]

Detection precision / recall / F1 for `detect_award` (title, lead, body, captions) and for the
title-and-lead baseline `naive_is_award`, then field accuracy over the announcements of the set
(denominator: every expected announcement; a missed detection counts as wrong on every field):
stage, kinds (set equality), authorities (set equality), counts (collectives and individuals both
exact), decision. Figures only: nothing here tunes anything. `-v` lists each miss.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.domain.awards import detect_award, naive_is_award  # noqa: E402
from bot.domain.models import AwardInfo  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "awards_heldout.jsonl"
TOP_KEYS = {"id": str, "title": str, "lead": str, "body": str, "captions": list, "expected": dict}
EXPECTED_KEYS = (
    "award",
    "stage",
    "kinds",
    "authorities",
    "collectives",
    "individuals",
    "recipients",
    "decision",
)
STAGES = {"conferred", "decided", "proposed"}


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def load(path: Path) -> list[dict[str, Any]]:
    """json.loads per line and check the shape; raise ValueError naming the line on any problem."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as e:
            raise ValueError(f"line {n}: not JSON: {e}") from e
        for key, typ in TOP_KEYS.items():
            if not isinstance(row.get(key), typ):
                raise ValueError(f"line {n}: {key!r} missing or not {typ.__name__}")
        exp = row["expected"]
        missing = [k for k in EXPECTED_KEYS if k not in exp]
        if missing:
            raise ValueError(f"line {n} ({row['id']}): expected lacks {missing}")
        if not isinstance(exp["award"], bool):
            raise ValueError(f"line {n} ({row['id']}): expected.award not bool")
        if exp["award"] and exp["stage"] not in STAGES:
            raise ValueError(f"line {n} ({row['id']}): bad stage {exp['stage']!r}")
        if not exp["award"] and exp["stage"] is not None:
            raise ValueError(f"line {n} ({row['id']}): negative with a stage")
        for k in ("kinds", "authorities", "recipients"):
            if not isinstance(exp[k], list):
                raise ValueError(f"line {n} ({row['id']}): expected.{k} not a list")
        for k in ("collectives", "individuals"):
            if exp[k] is not None and not isinstance(exp[k], int):
                raise ValueError(f"line {n} ({row['id']}): expected.{k} not int|null")
        if any(not isinstance(c, str) for c in row["captions"]):
            raise ValueError(f"line {n} ({row['id']}): captions not strings")
        if row["id"] in seen:
            raise ValueError(f"line {n}: duplicate id {row['id']}")
        seen.add(row["id"])
        rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def got_fields(info: AwardInfo | None) -> dict[str, object]:
    if info is None:
        return {"stage": None, "kinds": set(), "authorities": set(), "counts": (None, None), "decision": None}
    stage = getattr(info, "stage", None)
    return {
        "stage": getattr(stage, "value", stage),
        "kinds": {nfc(k) for k in info.kinds},
        "authorities": {nfc(a) for a in info.authorities},
        "counts": (info.collectives, info.individuals),
        "decision": nfc(info.decision) if info.decision else None,
    }


def want_fields(exp: dict[str, Any]) -> dict[str, object]:
    return {
        "stage": exp["stage"],
        "kinds": {nfc(k) for k in exp["kinds"]},
        "authorities": {nfc(a) for a in exp["authorities"]},
        "counts": (exp["collectives"], exp["individuals"]),
        "decision": nfc(exp["decision"]) if exp["decision"] else None,
    }


def show(v: object) -> str:
    return repr(sorted(v)) if isinstance(v, set) else repr(v)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [a for a in argv if not a.startswith("-")]
    path = Path(paths[0]) if paths else DEFAULT
    try:
        rows = load(path)
    except (OSError, ValueError) as e:
        print(f"invalid held-out file: {e}", file=sys.stderr)
        return 2

    fields = ("stage", "kinds", "authorities", "counts", "decision")
    det = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    naive = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    right = dict.fromkeys(fields, 0)
    right_detected = dict.fromkeys(fields, 0)
    n_ann = n_ann_detected = 0
    errors: list[str] = []
    misses: list[str] = []
    naive_misses: list[str] = []

    for row in rows:
        exp = row["expected"]
        want = exp["award"]
        try:
            info = detect_award(row["title"], row["lead"], row["body"], tuple(row["captions"]))
        except Exception as e:  # a crash is a miss, reported, never hidden
            errors.append(f"{row['id']}: detect_award raised {type(e).__name__}: {e}")
            info = None
        got = info is not None
        det[("tp" if got else "fn") if want else ("fp" if got else "tn")] += 1
        if want != got:
            misses.append(
                f"{row['id']} detection: expected {'award' if want else 'no award'}, "
                f"got {'award' if got else 'none'}  | {row['title']}"
            )

        try:
            n_got = bool(naive_is_award(row["title"], row["lead"]))
        except Exception as e:
            errors.append(f"{row['id']}: naive_is_award raised {type(e).__name__}: {e}")
            n_got = False
        naive[("tp" if n_got else "fn") if want else ("fp" if n_got else "tn")] += 1
        if want != n_got:
            naive_misses.append(f"{row['id']} naive: expected {want}, got {n_got}  | {row['title']}")

        if not want:
            continue
        n_ann += 1
        n_ann_detected += got
        w, g = want_fields(exp), got_fields(info)
        for f in fields:
            if w[f] == g[f]:
                right[f] += 1
                right_detected[f] += got
            elif got:
                misses.append(f"{row['id']} {f}: expected {show(w[f])}, got {show(g[f])}")

    print(f"held-out set: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    print(f"  {len(rows)} articles: {n_ann} announcements, {len(rows) - n_ann} negatives")
    print()
    print("detection            P      R      F1    (tp fp fn tn)")
    for name, c in (("detect_award", det), ("naive_is_award", naive)):
        p, r, f1 = prf(c["tp"], c["fp"], c["fn"])
        print(f"  {name:<16} {p:6.3f} {r:6.3f} {f1:6.3f}   ({c['tp']} {c['fp']} {c['fn']} {c['tn']})")
    print()
    print(
        f"field accuracy over {n_ann} announcements (missed detection = wrong)"
        f"   [among {n_ann_detected} detected]"
    )
    for f in fields:
        label = {
            "kinds": "kinds (set)",
            "authorities": "authorities (set)",
            "counts": "counts (both exact)",
        }.get(f, f)
        among = right_detected[f] / n_ann_detected if n_ann_detected else 0.0
        print(
            f"  {label:<20} {right[f]:3d}/{n_ann} = {right[f] / n_ann if n_ann else 0.0:.3f}"
            f"   [{right_detected[f]}/{n_ann_detected} = {among:.3f}]"
        )
    if errors:
        print()
        print(f"{len(errors)} call(s) raised:")
        for problem in errors:
            print(f"  {problem}")
    if verbose:
        print()
        print(f"detect_award misses ({len(misses)}):")
        for m in misses:
            print(f"  {m}")
        print(f"naive_is_award misses ({len(naive_misses)}):")
        for m in naive_misses:
            print(f"  {m}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
