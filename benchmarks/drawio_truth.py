"""Edge precision and recall of the draw.io reader against tests/data/drawio_truth.json:
structures read by hand off the rendered pictures of corpus files, written before the
reader existed. Labels are compared ignoring case, spacing and emoji variation marks.

Run: python benchmarks/drawio_truth.py [-v]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.build import build_graph  # noqa: E402
from diagramcheck.classify import assign_kinds  # noqa: E402
from diagramcheck.kinds import default_lexicon  # noqa: E402
from diagramcheck.readers import read_bytes  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
TRUTH = ROOT / "tests" / "data" / "drawio_truth.json"


def norm(label: str) -> str:
    return " ".join(label.replace("\ufe0f", "").casefold().split())


def read_edges(path: Path, expected: dict | None = None) -> tuple[set, set, set, object]:
    """The graph's edges as label pairs. A component named by its icon alone ('Amazon ECS')
    stands for the name the picture's reader gave that logo ('ECS') when its words hold it."""
    graph = build_graph(read_bytes(path.read_bytes(), str(path)))
    assign_kinds(graph, default_lexicon())
    names = {c.id: norm(c.label) for c in graph.components} | {z.id: f"[{norm(z.label)}]" for z in graph.zones}
    wanted = {norm(c) for c in (expected or {}).get("components", [])}
    for c in graph.components:
        if names[c.id] not in wanted and not any(s.endswith("#label") or s != c.id for s in c.sources):
            hits = [w for w in wanted if w and set(w.split()) <= set(names[c.id].split())]
            if len(hits) == 1:
                names[c.id] = hits[0]
    edges = set()
    for c in graph.connections:
        edges.add((names[c.source], names[c.target]))
        if not c.directed:
            edges.add((names[c.target], names[c.source]))
    return edges, {names[c.id] for c in graph.components}, {norm(z.label) for z in graph.zones}, graph


def got_structural(got: set, want: set) -> set:
    """The edges read, with each unnamed end (a shape or zone with no text and an unnamed
    logo, '' or '[]') standing for the one name of the picture no read end carries, when
    that makes the most edges agree: the edge is right, only its end has no name to read."""
    read_names = {n for pair in got for n in pair}
    unnamed = sorted({n for n in read_names if n in ("", "[]")})
    missing = sorted({n for pair in want for n in pair} - read_names)
    renamed = set(got)
    for blank in unnamed:
        best, best_hits = None, 0
        for name in missing:
            if (name.startswith("[") and name.endswith("]")) != (blank == "[]"):
                continue
            trial = {tuple(name if end == blank else end for end in pair) for pair in renamed}
            hits = len(trial & want)
            if hits > best_hits:
                best, best_hits = name, hits
        if best is not None:
            renamed = {tuple(best if end == blank else end for end in pair) for pair in renamed}
            missing.remove(best)
    return renamed


def measure(verbose: bool = False) -> dict:
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))
    totals = {"true_positive": 0, "read": 0, "expected": 0, "files": 0, "structural_true_positive": 0}
    per_file = {}
    for name, expected in truth.items():
        if name.startswith("_") or expected.get("not_a_graph"):
            continue
        path = CORPUS / name
        got, components, zones, _ = read_edges(path, expected)
        want = {(norm(a), norm(b)) for a, b in expected["edges"]}
        hit = got & want
        structural = got_structural(got, want)
        totals["true_positive"] += len(hit)
        totals["read"] += len(got)
        totals["expected"] += len(want)
        totals["files"] += 1
        totals["structural_true_positive"] += len(structural & want)
        per_file[name] = {"missed": sorted(want - got), "extra": sorted(got - want),
                          "components_missed": sorted({norm(c) for c in expected["components"]} - components),
                          "components_extra": sorted(components - {norm(c) for c in expected["components"]}),
                          "zones": (sorted(zones), sorted(norm(z) for z in expected["zones"]))}
        if verbose:
            print(f"{Path(name).name[:70]:70} edges {len(hit)}/{len(want)} read {len(got)}")
            for key, value in per_file[name].items():
                if value and value != ([], []):
                    print(f"    {key}: {value}")
    totals["precision"] = totals["true_positive"] / totals["read"] if totals["read"] else 1.0
    totals["recall"] = totals["true_positive"] / totals["expected"] if totals["expected"] else 1.0
    totals["structural_precision"] = totals["structural_true_positive"] / totals["read"] if totals["read"] else 1.0
    totals["structural_recall"] = totals["structural_true_positive"] / totals["expected"] if totals["expected"] else 1.0
    totals["per_file"] = per_file
    return totals


if __name__ == "__main__":
    result = measure("-v" in sys.argv)
    print(f"files {result['files']}  edges expected {result['expected']}  read {result['read']}  "
          f"right {result['true_positive']}  precision {result['precision']:.3f}  recall {result['recall']:.3f}; "
          f"with unnamed logos standing for the names read off the picture: precision "
          f"{result['structural_precision']:.3f}  recall {result['structural_recall']:.3f}")
