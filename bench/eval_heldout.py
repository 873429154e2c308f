"""Score the award detector on a held-out set written blind to it, after checking the file's shape.

    python bench/eval_heldout.py [-v] [path/to/set.jsonl ...]

The figures are those of ``bench/eval_awards.py`` (precision, recall, counts exact where stated,
counts shown right, per-form counts, stage, kinds, authorities, decision, the keyword baseline);
a file that does not parse or lacks a label stops with exit code 2 naming the line. Figures only:
nothing here tunes anything. ``-v`` lists each miss.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval_awards import report, score, table_row  # noqa: E402

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
SORTS = ("collectives", "individuals")


def _count_pair(v: object) -> bool:
    return isinstance(v, dict) and all(v.get(s) is None or isinstance(v.get(s), int) for s in SORTS)


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
        counts = exp.get("counts", {})
        if not isinstance(counts, dict) or any(
            not isinstance(v, dict)
            or any(v.get(s) is not None and not isinstance(v.get(s), int) for s in SORTS)
            for v in counts.values()
        ):
            raise ValueError(
                f"line {n} ({row['id']}): expected.counts not form -> {{collectives, individuals}}"
            )
        if any(not isinstance(c, str) for c in row["captions"]):
            raise ValueError(f"line {n} ({row['id']}): captions not strings")
        if row["id"] in seen:
            raise ValueError(f"line {n}: duplicate id {row['id']}")
        seen.add(row["id"])
        rows.append(row)
    if not rows:
        raise ValueError(f"{path}: no rows")
    return rows


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if not a.startswith("-")] or [DEFAULT]
    for path in paths:
        try:
            rows = load(path)
        except (OSError, ValueError) as e:
            print(f"invalid held-out file: {e}", file=sys.stderr)
            return 2
        sc = score(path.stem, rows)
        report(sc, verbose)
        print()
        print(table_row(sc))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
