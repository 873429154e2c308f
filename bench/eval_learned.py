"""Would a learned layer over the rule features generalise better than the rules? A check, not a feature.

    python bench/eval_learned.py [BLIND.jsonl ...]

For every labelled set (``tests/data/awards_*.jsonl``) in turn, a logistic regression (standard library
only: batch gradient descent with L2, features standardised on the training part) is trained on all the
other sets and scored on the one left out (leave-one-set-out). The target is detection — is the article
an award announcement? — and the features are what the rules see: per article, how many sentences name
a form before and after the rules' vetoes (history, future, policy, tallies …), the stage of each award
sentence, and how often each rule family matches. Two models are printed beside the rules' own figures
on the left-out set:

- ``learned``: the rule features only, without the rules' verdict;
- ``layer``: the same features plus the rules' verdict (``detect_award`` found an announcement), i.e. a
  learned layer on top of the rules.

Files named on the command line (sets written after the rule freeze, e.g. ``tests/data/blind/``) are
scored the fair way: both models trained on every development set, the rules as they are.

Counts are not learned: the rules show a count only with its evidence, and a gate learned over them
could only withhold right numbers. Figures only; the bot does not use any of this.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.eval_awards import DATA, detect, load_corpus, prf  # noqa: E402
from bot.domain.awards import naive_is_award  # noqa: E402
from bot.domain.awards.facts import _classify, _kind_hits, _sentences  # noqa: E402
from bot.domain.awards.lexicon import (  # noqa: E402
    _CEREMONY,
    _CONFER,
    _COUNT,
    _DISCIPLINE,
    _FUTURE,
    _GUIDANCE,
    _HISTORY,
    _PASSIVE,
    _PERSON,
    _POLICY,
    _PROPOSAL,
    _REVOKE,
    _TALLY,
)
from bot.domain.models import Stage  # noqa: E402

# rule families counted over the article's sentences (on lowercase text unless said otherwise)
_FAMILIES: dict[str, Callable[[Any], int]] = {
    "confer": lambda s: len(_CONFER.findall(s.lower)),
    "passive": lambda s: len(_PASSIVE.findall(s.lower)),
    "ceremony": lambda s: len(_CEREMONY.findall(s.lower)),
    "proposal": lambda s: len(_PROPOSAL.findall(s.lower)),
    "future": lambda s: len(_FUTURE.findall(s.lower)),
    "policy": lambda s: len(_POLICY.findall(s.lower)),
    "guidance": lambda s: len(_GUIDANCE.findall(s.lower)),
    "history": lambda s: len(_HISTORY.findall(s.lower)),
    "tally": lambda s: len(_TALLY.findall(s.lower)),
    "revoke": lambda s: len(_REVOKE.findall(s.folded)),
    "discipline": lambda s: len(_DISCIPLINE.findall(s.lower)),
    "counted": lambda s: len(_COUNT.findall(s.lower)),
    "named": lambda s: len(_PERSON.findall(s.text)),
}


def features(case: dict[str, Any], with_verdict: bool) -> list[float]:
    """The rule features of one article (counts as log(1 + n)), with a leading bias term."""
    raw = _sentences(case["title"], case.get("lead", ""), case["body"], tuple(case.get("captions") or ()))
    classified = [_classify(s) for s in raw]
    named = [bool(_kind_hits(s.folded)) for s in raw]
    award = [s for s in classified if s.award]
    values: dict[str, float] = {
        "forms named": sum(named),
        "forms kept": sum(bool(s.kinds) for s in classified),
        "forms vetoed": sum(n and not s.kinds for n, s in zip(named, classified, strict=True)),
        "award sentences": len(award),
        "strong": sum(s.strong for s in award),
        "conferred": sum(s.stage is Stage.CONFERRED for s in award),
        "decided": sum(s.stage is Stage.DECIDED for s in award),
        "proposed": sum(s.stage is Stage.PROPOSED for s in award),
        "in title": sum(s.award for s in classified if s.source == "title"),
        "in body": sum(s.award for s in classified if s.source == "body"),
        "keyword baseline": naive_is_award(case["title"], case.get("lead", "")),
    }
    for name, count in _FAMILIES.items():
        values[name] = sum(count(s) for s in raw)
    out = [1.0] + [math.log1p(float(v)) for v in values.values()]
    if with_verdict:
        out.append(1.0 if detect(case) is not None else 0.0)
    return out


@dataclass
class Model:
    weights: list[float]
    mean: list[float]
    scale: list[float]

    def _norm(self, x: Sequence[float]) -> list[float]:
        return [1.0] + [(v - m) / s for v, m, s in zip(x[1:], self.mean, self.scale, strict=True)]

    def prob(self, x: Sequence[float]) -> float:
        z = sum(w * v for w, v in zip(self.weights, self._norm(x), strict=True))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def train(xs: Sequence[Sequence[float]], ys: Sequence[int], l2: float = 0.01, steps: int = 400) -> Model:
    """Logistic regression by batch gradient descent on standardised features (bias not penalised)."""
    dims = len(xs[0])
    mean = [sum(x[j] for x in xs) / len(xs) for j in range(1, dims)]
    scale = [math.sqrt(sum((x[j] - mean[j - 1]) ** 2 for x in xs) / len(xs)) or 1.0 for j in range(1, dims)]
    model = Model([0.0] * dims, mean, scale)
    normed = [model._norm(x) for x in xs]
    rate = 0.5
    for _ in range(steps):
        grad = [0.0] * dims
        for x, y in zip(normed, ys, strict=True):
            z = sum(w * v for w, v in zip(model.weights, x, strict=True))
            err = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))) - y
            for j in range(dims):
                grad[j] += err * x[j]
        for j in range(dims):
            penalty = l2 * model.weights[j] if j else 0.0
            model.weights[j] -= rate * (grad[j] / len(xs) + penalty)
    return model


def _prf_of(pairs: Sequence[tuple[bool, bool]]) -> str:
    tp = sum(w and g for w, g in pairs)
    fp = sum(g and not w for w, g in pairs)
    fn = sum(w and not g for w, g in pairs)
    p, r, _ = prf(tp, fp, fn)
    return f"{p:.3f} / {r:.3f}"


def main(argv: list[str]) -> int:
    blind = {Path(a).stem: load_corpus(Path(a)) for a in argv if not a.startswith("-")}
    sets = {p.stem: load_corpus(p) for p in sorted(DATA.glob("awards_*.jsonl"))}
    feats = {
        flag: {name: [features(c, flag) for c in cases] for name, cases in sets.items()}
        for flag in (False, True)
    }
    labels = {name: [int(bool(c["expected"]["award"])) for c in cases] for name, cases in sets.items()}
    print("Leave-one-set-out detection (trained on the other sets, scored on the one named):")
    print()
    print("| left-out set | cases | rules P / R | learned P / R | layer P / R |")
    print("|---|---|---|---|---|")
    for name, cases in sets.items():
        rules = [(bool(y), detect(c) is not None) for c, y in zip(cases, labels[name], strict=True)]
        row = [f"| {name} | {len(cases)} | {_prf_of(rules)}"]
        for flag in (False, True):
            xs = [x for other in sets if other != name for x in feats[flag][other]]
            ys = [y for other in sets if other != name for y in labels[other]]
            model = train(xs, ys)
            got = [
                (bool(y), model.prob(x) >= 0.5) for x, y in zip(feats[flag][name], labels[name], strict=True)
            ]
            row.append(_prf_of(got))
        print(" | ".join(row) + " |")
    print()
    print("The rules were written with every one of these sets in view, so their figures here are not")
    print("left-out figures; a blind set written after the rule freeze is the fair test of both.")
    if blind:
        print()
        print("Blind sets (models trained on every development set):")
        print()
        print("| blind set | cases | rules P / R | learned P / R | layer P / R |")
        print("|---|---|---|---|---|")
        models = {
            flag: train(
                [x for name in sets for x in feats[flag][name]], [y for name in sets for y in labels[name]]
            )
            for flag in (False, True)
        }
        for name, cases in blind.items():
            truth = [bool(c["expected"]["award"]) for c in cases]
            ruled = [(t, detect(c) is not None) for c, t in zip(cases, truth, strict=True)]
            row = [f"| {name} | {len(cases)} | {_prf_of(ruled)}"]
            for flag in (False, True):
                got = [
                    (t, models[flag].prob(features(c, flag)) >= 0.5)
                    for c, t in zip(cases, truth, strict=True)
                ]
                row.append(_prf_of(got))
            print(" | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
