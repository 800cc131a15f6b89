"""Kind assignment on the labelled set: accuracy, per-kind precision and recall, the
confusions, and classification speed. Run: python benchmarks/kinds.py"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.kinds import Lexicon, default_lexicon  # noqa: E402

LABELS = ROOT / "tests" / "data" / "kind_labels.tsv"


def load_labels() -> list[tuple[str, str]]:
    rows = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, kind = line.rsplit("\t", 1)
        rows.append((label.replace("\\n", "\n"), kind.strip()))
    return rows


def context_free_kind(lexicon: Lexicon, label: str) -> str:
    """The lexicon's answer, with a bare model word read as serving (its context default)."""
    match = lexicon.classify(label)
    if match.kind == "unknown" and lexicon.is_model_word(label):
        return "serving"
    return match.kind


def evaluate(lexicon: Lexicon, rows: list[tuple[str, str]]) -> dict:
    predicted = [(label, expected, context_free_kind(lexicon, label)) for label, expected in rows]
    correct = sum(1 for _, e, p in predicted if e == p)
    kinds = sorted({e for _, e, _ in predicted} | {p for _, _, p in predicted})
    per_kind = {}
    for kind in kinds:
        tp = sum(1 for _, e, p in predicted if e == kind and p == kind)
        fp = sum(1 for _, e, p in predicted if e != kind and p == kind)
        fn = sum(1 for _, e, p in predicted if e == kind and p != kind)
        per_kind[kind] = (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp + fn)
    confusions = Counter((e, p) for _, e, p in predicted if e != p)
    wrong = [(label, e, p) for label, e, p in predicted if e != p]
    return {"accuracy": correct / len(rows), "per_kind": per_kind, "confusions": confusions, "wrong": wrong, "n": len(rows)}


def main() -> None:
    lexicon = default_lexicon()
    rows = load_labels()
    result = evaluate(lexicon, rows)
    print(f"labels: {result['n']}   accuracy: {result['accuracy']:.3f}")
    print(f"{'kind':<22} {'precision':>9} {'recall':>7} {'n':>4}")
    for kind, (p, r, n) in result["per_kind"].items():
        print(f"{kind:<22} {p:>9.2f} {r:>7.2f} {n:>4}")
    print("confusions (expected -> predicted):")
    for (e, p), n in result["confusions"].most_common(15):
        print(f"  {e} -> {p}: {n}")
    for label, e, p in result["wrong"]:
        print(f"  wrong: {label!r}: expected {e}, got {p}")
    # distinct words, so no two labels share a classification
    qualifiers = ["primary", "backup", "legacy", "regional", "internal", "external", "nightly", "hourly",
                  "europe", "americas", "staging", "canary", "shadow", "tenant", "partner", "mobile"]
    labels = [f"{q} {label}" for q in qualifiers for label, _ in rows][:10_000]
    _print_speed(lexicon, labels, "distinct labels")
    numbered = [f"{label} {i}" for i in range(16) for label, _ in rows][:10_000]
    _print_speed(lexicon, numbered, "labels differing only by a number ('Worker 7')")


def _print_speed(lexicon: Lexicon, labels: list[str], what: str) -> None:
    fresh = Lexicon(lexicon.spec)  # empty caches: every label is classified for real
    start = time.perf_counter()
    for label in labels:
        fresh.classify(label)
    elapsed = time.perf_counter() - start
    print(f"speed: {len(labels):,} {what} in {elapsed * 1000:.0f} ms ({len(labels) / elapsed:,.0f} labels/s)")


if __name__ == "__main__":
    main()
