"""The labelled award corpus: detection quality, counts, and summaries within budget."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bench.eval_awards import counts_exact, prf, score
from bot.domain.awards import detect_award
from bot.domain.awards.lexicon import rule_cases
from bot.domain.summary import summarize

CORPUS = Path(__file__).resolve().parents[1] / "data" / "awards_corpus.jsonl"
CASES: list[dict[str, Any]] = [
    json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line
]
TERMINAL = re.compile(r"[.!?…][\"'”’»)\]]*$")


def _detect(case: dict[str, Any]) -> Any:
    return detect_award(case["title"], case["lead"], case["body"], case["captions"])


def test_corpus_shape() -> None:
    assert len(CASES) >= 90
    positives = sum(c["expected"]["award"] for c in CASES)
    assert 0.4 <= positives / len(CASES) <= 0.6
    assert sum(c["id"].startswith("trap-") for c in CASES) >= 25
    assert any(c["id"] == "seed-2020-06-28" for c in CASES)
    assert len({c["id"] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("budget", [300, 700])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_summary_within_budget_and_ends_a_sentence(case: dict[str, Any], budget: int) -> None:
    paragraphs = [p for p in case["body"].split("\n") if p.strip()]
    out = summarize(case["title"], case["lead"], paragraphs, budget)
    assert 0 < len(out) <= budget
    assert TERMINAL.search(out), out


SETS = sorted(CORPUS.parent.glob("awards_*.jsonl"))
DEVELOPMENT = [p for p in SETS if p.stem.startswith("awards_dev_")]


def _load(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_development_sets_are_large_and_hard() -> None:
    cases = [c for p in DEVELOPMENT for c in _load(p)]
    assert len(cases) >= 250
    negatives = [c for c in cases if not c["expected"]["award"]]
    assert len(negatives) / len(cases) >= 0.4
    # hard negatives: they mention award words, yet announce nothing
    assert sum(bool(c.get("trap")) for c in negatives) / len(cases) >= 0.4


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_labels_are_consistent(path: Path) -> None:
    cases = _load(path)
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        exp = case["expected"]
        counts = exp["counts"]
        if not exp["award"]:
            assert exp["stage"] is None and not exp["kinds"] and not counts, case["id"]
            continue
        assert not exp.get("revocation"), case["id"]
        assert set(counts) <= set(exp["kinds"]), case["id"]
        if len(exp["kinds"]) == 1 and exp["kinds"][0] in counts:
            single = counts[exp["kinds"][0]]
            assert (exp["collectives"], exp["individuals"]) == (single["collectives"], single["individuals"])


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_quality_on_every_labelled_set(path: Path) -> None:
    """The bar for what is shown: precision of detection, recall, counts exact where the article states
    them, and the share of shown counts that are right (a count on a non-award is wrong)."""
    sc = score(path.stem, _load(path))
    p, r, _ = prf(**sc.det)
    assert p >= 0.97 and r >= 0.95, sc.misses
    assert sc.exact / sc.stated >= 0.85, sc.misses
    assert sc.shown_right / sc.shown >= 0.98, sc.misses


def test_counts_exact_on_announcements() -> None:
    positives = [c for c in CASES if c["expected"]["award"]]
    exact = sum(counts_exact(_detect(c), c["expected"]) for c in positives)
    assert exact / len(positives) >= 0.9


def test_every_lexicon_rule_names_the_cases_it_serves() -> None:
    ids = {c["id"] for p in SETS for c in _load(p)}
    root = Path(__file__).resolve().parents[2]
    for rule, serves in rule_cases().items():
        assert serves, f"rule {rule} names no case"
        for case in serves:
            if "::" in case:
                path, test = case.split("::")
                assert f"def {test}(" in (root / path).read_text(encoding="utf-8"), (rule, case)
            else:
                assert case in ids, (rule, case)


BLIND = sorted((Path(__file__).resolve().parents[1] / "data" / "blind").glob("*.jsonl"))


@pytest.mark.parametrize("path", BLIND, ids=[p.stem for p in BLIND])
def test_blind_sets_keep_their_shape_and_stay_out_of_the_development_sets(path: Path) -> None:
    """A set written after the last rule change is scored, never tuned on: it must load as written and
    share no article with the development sets."""
    from bench.eval_heldout import load

    rows = load(path)
    assert len(rows) >= 60
    bodies = {c["body"] for p in SETS for c in _load(p)}
    assert not any(r["body"] in bodies for r in rows)
