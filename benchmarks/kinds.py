"""Kind assignment on the labelled sets: accuracy, per-kind precision and recall, the
confusions, and classification speed. Run: python benchmarks/kinds.py [--wrong] [--wrong-rows]
(--wrong-rows: only the judged rows the tool gets wrong, as it answers them, one TSV line
each: context, how answered (P pipeline, L label alone), expected, got, label, source, note)

Two sets:
- tests/data/kind_labels.tsv: labels gathered by the lexicon's own authors;
- tests/data/kind_labels_real.tsv: 1,264 labels an independent judge read off real
  diagrams (../shared/corpus) and public write-ups, never tuned to the matcher. Its
  `context` column says whether the label alone decides (`label`) or only the drawing
  does (`drawing`). Rows read off a corpus file are also measured through the whole
  pipeline (reader, graph, context), where that file's format can be read.
"""

from __future__ import annotations

import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.kinds import Lexicon, default_lexicon  # noqa: E402

LABELS = ROOT / "tests" / "data" / "kind_labels.tsv"
REAL_LABELS = ROOT / "tests" / "data" / "kind_labels_real.tsv"
# written by a second judge from sources neither the first judge nor the lexicon used, after
# the phrase reader was built: a fresh measure of it (never tune the lexicon to its rows)
HELDOUT_LABELS = ROOT / "tests" / "data" / "kind_labels_heldout.tsv"
# a second independent reader's kinds for a random 300 of the judged rows (by row number), to
# measure how far two careful readers agree: the ceiling any matcher can reach on the judged set
SECOND_JUDGE = ROOT / "tests" / "data" / "kind_labels_second_judge.tsv"
CORPUS = ROOT.parent / "shared" / "corpus"


@dataclass(frozen=True)
class Row:
    label: str
    kind: str
    source: str = ""
    context: str = "label"
    note: str = ""


def load_labels() -> list[tuple[str, str]]:
    rows = []
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, kind = line.rsplit("\t", 1)
        rows.append((label.replace("\\n", "\n"), kind.strip()))
    return rows


def load_real_labels(path: Path = REAL_LABELS) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Row(r["label"].replace("\\n", "\n"), r["kind"], r["source"], r["context"], r["note"])
            for r in csv.DictReader(handle, delimiter="\t")
        ]


def context_free_kind(lexicon: Lexicon, label: str) -> str:
    """The lexicon's answer, with a bare model word read as serving (its context default)."""
    match = lexicon.classify(label)
    if match.kind == "unknown" and lexicon.is_model_word(label):
        return "serving"
    return match.kind


def score(predicted: list[tuple[str, str, str]]) -> dict:
    """`predicted`: (label, expected, got) triples."""
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
    n = len(predicted)
    return {"accuracy": correct / n if n else 1.0, "per_kind": per_kind, "confusions": confusions, "wrong": wrong, "n": n}


def evaluate(lexicon: Lexicon, rows: list[tuple[str, str]]) -> dict:
    return score([(label, expected, context_free_kind(lexicon, label)) for label, expected in rows])


def _shown(text: str) -> str:
    return " ".join(text.split())


def pipeline_kinds(rows: list[Row], lexicon: Lexicon | None = None) -> dict[Row, str]:
    """The kind the whole pipeline gives each corpus row's box: the file is read, built
    and typed with its connections and zones (every Mermaid block of a Markdown file, as
    `review` reads them). Rows whose file cannot be read here or whose box is not found
    are left out. A label is matched as drawn, then without its spaces: a judge who copied
    "DynamoDB<br>Raw Data" off the drawing may have written "DynamoDBRaw Data"."""
    from diagramcheck.errors import DiagramError
    from diagramcheck.pipeline import load_parts

    by_file: dict[str, list[Row]] = {}
    for row in rows:
        if row.source.startswith("corpus:"):
            by_file.setdefault(row.source.removeprefix("corpus:"), []).append(row)
    found: dict[Row, str] = {}
    for name, file_rows in by_file.items():
        try:
            graphs = [graph for _, graph in load_parts(CORPUS / name, lexicon) if graph is not None]
        except (DiagramError, OSError):
            continue
        kinds: dict[str, str] = {}
        for graph in graphs:
            for c in graph.components:
                for text in (c.label, " ".join([c.label, *c.annotations])):
                    kinds.setdefault(_shown(text), c.kind)
                    kinds.setdefault(_spaceless(text), c.kind)
        for row in file_rows:
            kind = kinds.get(_shown(row.label)) or kinds.get(_spaceless(row.label))
            if kind is not None:
                found[row] = kind
    return found


def _spaceless(text: str) -> str:
    return "~" + "".join(text.split())


def evaluate_real(lexicon: Lexicon, rows: list[Row], pipeline: bool = True) -> dict[str, dict]:
    """Scores on the judged set: by the label alone (all rows, and `label`-context rows),
    and the tool's real answer (the pipeline's kind where the box was found in its file,
    the label's otherwise)."""
    alone = {row: context_free_kind(lexicon, row.label) for row in rows}
    result = {
        "label alone, all rows": score([(r.label, r.kind, alone[r]) for r in rows]),
        "label alone, context=label rows": score([(r.label, r.kind, alone[r]) for r in rows if r.context == "label"]),
    }
    if pipeline:
        through = pipeline_kinds(rows, lexicon)
        result["pipeline where readable, label elsewhere"] = score([(r.label, r.kind, through.get(r, alone[r])) for r in rows])
        drawing = [r for r in rows if r.context == "drawing" and r in through]
        result[f"pipeline, context=drawing rows in readable files ({len(drawing)})"] = score(
            [(r.label, r.kind, through[r]) for r in drawing])
        result["_through"] = {"n": len(through)}  # type: ignore[assignment]
    return result


def agreement(lexicon: Lexicon, rows: list[Row]) -> None:
    """Two readers against each other, and the tool against each and against the rows both
    readers agree on (the part of the judged set that is not a matter of opinion)."""
    with SECOND_JUDGE.open(encoding="utf-8", newline="") as handle:
        second = {int(r["id"]): r for r in csv.DictReader(handle, delimiter="\t")}
    through = pipeline_kinds(rows, lexicon) if CORPUS.is_dir() else {}
    tool = {i: through.get(rows[i]) or context_free_kind(lexicon, rows[i].label) for i in second}
    first = {i: rows[i].kind for i in second}
    both = [i for i in second if first[i] == second[i]["kind"]]
    sure = [i for i in second if second[i]["sure"].strip().lower() == "yes"]

    def share(ids: list[int], answer: dict[int, str], truth) -> str:
        right = sum(1 for i in ids if answer[i] == truth(i))
        return f"{right / len(ids):.3f} ({right}/{len(ids)})" if ids else "-"

    print(f"\n== two readers ({len(second)} judged rows read again by a second judge)")
    print(f"  readers agree: {share(list(second), first, lambda i: second[i]['kind'])}; "
          f"on rows the second calls sure: {share(sure, first, lambda i: second[i]['kind'])}")
    print(f"  tool vs first reader: {share(list(second), tool, lambda i: first[i])}; "
          f"vs second: {share(list(second), tool, lambda i: second[i]['kind'])}")
    print(f"  tool on rows both readers agree on: {share(both, tool, lambda i: first[i])}; "
          f"on rows both agree and the second calls sure: {share([i for i in both if i in sure], tool, lambda i: first[i])}")
    print(f"  tool matching either reader: {share(list(second), tool, lambda i: tool[i] if tool[i] in (first[i], second[i]['kind']) else None)}")
    confusions = Counter((first[i], second[i]["kind"]) for i in second if first[i] != second[i]["kind"])
    print("  readers differ (first -> second): " + ", ".join(f"{a}->{b} {n}" for (a, b), n in confusions.most_common(12)))


def print_result(title: str, result: dict, show_wrong: bool = False, per_kind: bool = True) -> None:
    print(f"\n== {title}: {result['n']} labels, accuracy {result['accuracy']:.3f}")
    if per_kind:
        print(f"{'kind':<22} {'precision':>9} {'recall':>7} {'n':>4}")
        for kind, (p, r, n) in result["per_kind"].items():
            print(f"{kind:<22} {p:>9.2f} {r:>7.2f} {n:>4}")
    print("confusions (expected -> predicted):")
    for (e, p), n in result["confusions"].most_common(25):
        print(f"  {e} -> {p}: {n}")
    if show_wrong:
        for label, e, p in result["wrong"]:
            print(f"  wrong: {label!r}: expected {e}, got {p}")


def print_wrong_rows(lexicon: Lexicon, rows: list[Row]) -> None:
    through = pipeline_kinds(rows, lexicon) if CORPUS.is_dir() else {}
    for r in rows:
        got = through.get(r) or context_free_kind(lexicon, r.label)
        if got != r.kind:
            how = "P" if r in through else "L"
            print("\t".join([r.context, how, r.kind, got, repr(r.label), r.source, r.note]))


def main() -> None:
    if "--wrong-rows" in sys.argv:
        print_wrong_rows(default_lexicon(), load_real_labels())
        return
    show_wrong = "--wrong" in sys.argv
    lexicon = default_lexicon()
    rows = load_labels()
    print_result("own set (tests/data/kind_labels.tsv)", evaluate(lexicon, rows), show_wrong)
    real = load_real_labels()
    results = evaluate_real(lexicon, real, pipeline=CORPUS.is_dir())
    through = results.pop("_through", None)
    if through:
        print(f"\n(judged set: {through['n']} corpus rows found in files the pipeline reads)")
    for title, result in results.items():
        print_result(f"judged set, {title}", result, show_wrong and title.startswith("label alone, all"),
                     per_kind=not title.startswith("pipeline, context"))
    if SECOND_JUDGE.exists():
        agreement(lexicon, real)
    heldout = evaluate_real(lexicon, load_real_labels(HELDOUT_LABELS), pipeline=False)
    for title, result in heldout.items():  # accuracy only: its kinds and confusions would invite tuning to it
        print(f"\n== held-out set, {title}: {result['n']} labels, accuracy {result['accuracy']:.3f}")
    # distinct words, so no two labels share a classification
    qualifiers = ["primary", "backup", "legacy", "regional", "internal", "external", "nightly", "hourly",
                  "europe", "americas", "staging", "canary", "shadow", "tenant", "partner", "mobile"]
    labels = [f"{q} {label}" for q in qualifiers for label, _ in rows][:10_000]
    print()
    _print_speed(lexicon, labels, "distinct labels")
    numbered = [f"{label} {i}" for i in range(16) for label, _ in rows][:10_000]
    _print_speed(lexicon, numbered, "labels differing only by a number ('Worker 7')")
    judged = [f"{q} {row.label}" for q in qualifiers for row in real][:10_000]
    _print_speed(lexicon, judged, "distinct judged-set labels")


def _print_speed(lexicon: Lexicon, labels: list[str], what: str) -> None:
    """CPU time (the machine is shared: wall-clock time measures the neighbours too)."""
    fresh = Lexicon(lexicon.spec, lexicon.origin)  # empty caches: every label is classified for real
    fresh.english()  # the word list is read once per process, on the first possible typo
    start, wall = time.process_time(), time.perf_counter()
    for label in labels:
        fresh.classify(label)
    cpu, wall = time.process_time() - start, time.perf_counter() - wall
    print(f"speed: {len(labels):,} {what} in {cpu * 1000:.0f} ms CPU ({len(labels) / cpu:,.0f} labels/s; "
          f"{wall * 1000:.0f} ms wall)")


if __name__ == "__main__":
    main()
