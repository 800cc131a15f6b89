"""Precision and recall of the fixed rule ids over the labelled review set.
Run: python benchmarks/review_set.py"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.engine import review  # noqa: E402
from diagramcheck.kinds import default_lexicon  # noqa: E402
from diagramcheck.packs import catalog_for  # noqa: E402
from diagramcheck.pipeline import load_graph  # noqa: E402

SET = ROOT / "tests" / "data" / "review_set"


def score() -> dict:
    spec = json.loads((SET / "expected.json").read_text(encoding="utf-8"))
    fixed = set(spec["fixed_rules"])
    tp = fp = fn = 0
    per_case = {}
    for name, expected in spec["cases"].items():
        result = review(load_graph(SET / name), catalog_for(), default_lexicon().category)
        got = {f.rule for f in result.findings} & fixed
        want = set(expected)
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        per_case[name] = (sorted(got - want), sorted(want - got))
    return {
        "cases": len(spec["cases"]),
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "tp": tp, "fp": fp, "fn": fn,
        "per_case": per_case,
    }


def main() -> None:
    result = score()
    print(f"cases: {result['cases']}  precision: {result['precision']:.3f}  recall: {result['recall']:.3f}  "
          f"(tp {result['tp']}, fp {result['fp']}, fn {result['fn']})")
    for name, (extra, missed) in result["per_case"].items():
        if extra or missed:
            print(f"  {name}: unexpected {extra}, missed {missed}")


if __name__ == "__main__":
    main()
