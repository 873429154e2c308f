"""The labelled award corpus: detection quality, counts, and summaries within budget."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bot.domain.awards import detect_award
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


def test_detection_precision_and_recall() -> None:
    tp = fp = fn = 0
    for case in CASES:
        expected, got = case["expected"]["award"], _detect(case) is not None
        tp += expected and got
        fp += got and not expected
        fn += expected and not got
    assert tp / (tp + fp) >= 0.95
    assert tp / (tp + fn) >= 0.95


def test_counts_exact_on_announcements() -> None:
    positives = [c for c in CASES if c["expected"]["award"]]
    exact = 0
    for case in positives:
        info = _detect(case)
        exp = case["expected"]
        exact += info is not None and (info.collectives, info.individuals) == (
            exp["collectives"],
            exp["individuals"],
        )
    assert exact / len(positives) >= 0.9
