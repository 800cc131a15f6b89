"""A whole study repo in one call, and one sketch from a cold start, timed as a user feels them.

Run: python benchmarks/corpus_review.py [--runs 7] [--corpus ../shared/corpus]

1. `diagramcheck review CORPUS` (the folder walked) over every file of the public corpus,
   with and without the unknown-label finding (`--ignore unrecognized-component`), and the
   same with every file named on the command line (unsupported ones refused).
2. The cold review of one sketch against `python -c "import networkx"`, the floor every
   review pays (target: within 150 ms of it).

Whole processes, the commands taking turns so a drift in the machine's speed does not fall
on one of them; medians and bests. Prints a table; nothing here is a pass/fail assertion.
"""

from __future__ import annotations

import argparse
import compileall
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.speed import timed  # noqa: E402


def show(times: dict[str, list[float]]) -> None:
    print(f"  {'':<58} {'median':>9} {'best':>9}")
    for name, values in times.items():
        print(f"  {name:<58} {statistics.median(values) * 1000:6.0f} ms {min(values) * 1000:6.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    args = parser.parse_args()
    # an installed wheel comes with bytecode; a checkout would otherwise compile on every start
    compileall.compile_dir(str(ROOT / "diagramcheck"), quiet=1)
    review = [sys.executable, "-m", "diagramcheck", "review"]
    corpus = args.corpus.resolve()
    files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
    probe = subprocess.run([*review, "--format", "json", str(corpus)], capture_output=True, cwd=ROOT)
    document = json.loads(probe.stdout)
    print(f"corpus: {corpus} ({len(files)} files; the walk reviews {len(document['files'])}, "
          f"{len(document['errors'])} refused with a reason; exit {probe.returncode})")
    print(f"\n1. the whole corpus in one call ({args.runs} runs each)")
    show(timed({
        "review CORPUS (folder walked)": [*review, str(corpus)],
        "review CORPUS --ignore unrecognized-component": [*review, "--ignore", "unrecognized-component", str(corpus)],
        f"review <all {len(files)} files named>": [*review, *files],
        "review CORPUS --format json": [*review, "--format", "json", str(corpus)],
    }, args.runs))
    sample = ROOT / "sample_diagrams" / "recommendation.excalidraw"
    print(f"\n2. cold review of one sketch ({args.runs * 2} runs each)")
    cold = timed({
        'python -c "import networkx"': [sys.executable, "-c", "import networkx"],
        "diagramcheck review recommendation.excalidraw": [*review, str(sample)],
        "diagramcheck review ads_ctr.dot": [*review, str(ROOT / "sample_diagrams" / "ads_ctr.dot")],
    }, args.runs * 2)
    show(cold)
    floor = cold['python -c "import networkx"']
    sketch = cold["diagramcheck review recommendation.excalidraw"]
    print(f"  review minus the networkx import: median {(statistics.median(sketch) - statistics.median(floor)) * 1000:.0f} ms, "
          f"best {(min(sketch) - min(floor)) * 1000:.0f} ms (target: within 150 ms)")


if __name__ == "__main__":
    main()
