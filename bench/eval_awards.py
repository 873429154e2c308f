"""Evaluate award detection on tests/data/awards_corpus.jsonl, beside the naive keyword baseline.

Run from the repository root: ``python bench/eval_awards.py``. Prints detection precision/recall/F1
for the detector and the baseline, and for the detected true announcements the share with the exact
stage, kinds (as a set), authorities (as a set), both counts, recipients (by name) and decision
number; then the sentence splitter against the naive split on the labelled splitting set.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.domain.awards import detect_award, naive_is_award  # noqa: E402
from bot.domain.models import AwardInfo  # noqa: E402
from bot.domain.text import SPLIT_GOLD, naive_split_sentences, split_sentences  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "awards_corpus.jsonl"


def load_corpus(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float]:
    """Precision, recall, F1 from (expected, predicted) pairs."""
    tp = fp = fn = 0
    for expected, predicted in pairs:
        tp += expected and predicted
        fp += predicted and not expected
        fn += expected and not predicted
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def detect(case: dict[str, Any]) -> AwardInfo | None:
    return detect_award(case["title"], case["lead"], case["body"], case.get("captions", []))


FIELDS: dict[str, Callable[[AwardInfo, dict[str, Any]], bool]] = {
    "stage": lambda got, exp: got.stage.value == exp["stage"],
    "kinds": lambda got, exp: set(got.kinds) == set(exp["kinds"]),
    "authorities": lambda got, exp: set(got.authorities) == set(exp["authorities"]),
    "counts": lambda got, exp: (got.collectives, got.individuals) == (exp["collectives"], exp["individuals"]),
    "recipients": lambda got, exp: {r.name for r in got.recipients} == {r["name"] for r in exp["recipients"]},
    "decision": lambda got, exp: got.decision == exp["decision"],
}


def field_accuracy(cases: list[dict[str, Any]]) -> dict[str, tuple[int, int, list[str]]]:
    """For true announcements that were detected: field -> (right, total, ids of misses)."""
    out: dict[str, tuple[int, int, list[str]]] = {}
    found = [(c, detect(c)) for c in cases if c["expected"]["award"]]
    for name, check in FIELDS.items():
        misses = [c["id"] for c, got in found if got is None or not check(got, c["expected"])]
        total = len(found)
        out[name] = (total - len(misses), total, misses)
    return out


def splitter_scores() -> tuple[int, int, int]:
    ours = sum(tuple(split_sentences(p)) == gold for p, gold in SPLIT_GOLD)
    naive = sum(tuple(naive_split_sentences(p)) == gold for p, gold in SPLIT_GOLD)
    return ours, naive, len(SPLIT_GOLD)


def main() -> None:
    cases = load_corpus()
    n_pos = sum(c["expected"]["award"] for c in cases)
    print(f"corpus: {len(cases)} cases, {n_pos} announcements, {len(cases) - n_pos} non-announcements")
    ours = prf((c["expected"]["award"], detect(c) is not None) for c in cases)
    naive = prf((c["expected"]["award"], naive_is_award(c["title"], c["lead"])) for c in cases)
    print(f"{'':24}{'precision':>10}{'recall':>10}{'F1':>10}")
    print(f"{'detect_award':24}{ours[0]:>10.3f}{ours[1]:>10.3f}{ours[2]:>10.3f}")
    print(f"{'naive keywords':24}{naive[0]:>10.3f}{naive[1]:>10.3f}{naive[2]:>10.3f}")
    print("field accuracy over all announcements (a missed announcement counts as wrong):")
    for name, (right, total, misses) in field_accuracy(cases).items():
        extra = f"  misses: {', '.join(misses)}" if misses and "-v" in sys.argv else ""
        print(f"  {name:12} {right:>3}/{total:<3} = {right / total:.3f}{extra}")
    wrong = [c["id"] for c in cases if (detect(c) is not None) != c["expected"]["award"]]
    if wrong:
        print("detection errors:", ", ".join(wrong))
    o, n, t = splitter_scores()
    print(f"sentence splitter, paragraphs split exactly right: ours {o}/{t}, naive [.!?…]+space {n}/{t}")


if __name__ == "__main__":
    main()
