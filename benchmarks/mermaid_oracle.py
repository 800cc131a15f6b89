"""How the Mermaid reader agrees with Mermaid 11's own parse of the corpus blocks
(../shared/corpus/mermaid/ORACLE.jsonl), and how fast it reads them.

Run: python benchmarks/mermaid_oracle.py [--verbose]
Prints nodes, edges (ends, label, direction, dotted), edge numbering (what linkStyle
counts) and subgraph membership, each as matched / Mermaid's count, and the misses.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.readers import parts_of  # noqa: E402
from tests.mermaid_oracle import agreement  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "mermaid"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}")
        return
    result = agreement(CORPUS)
    print(f"flowchart blocks Mermaid parses: {result['blocks']}, read: {result['blocks_read']}")
    for what, total in (("nodes", "nodes"), ("edges", "edges"), ("edge_numbering", "blocks"), ("subgraphs", "subgraphs"),
                        ("memberships", "memberships")):
        matched, count = result.get(f"{what}_matched", 0), result.get(total, 0)
        print(f"  {what:<15} {matched:>5} / {count:<5} {matched / count if count else 1:.4f}")
    print(f"  extra nodes {result.get('nodes_extra', 0)}, extra edges {result.get('edges_extra', 0)}")
    for miss in result["misses"][: None if args.verbose else 10]:
        print("   ", miss)
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in (".md", ".mdx", ".mmd"))
    data = [(p.read_bytes(), p.name) for p in files]
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for blob, name in data:
            parts_of(blob, name)
        best = min(best, time.perf_counter() - start)
    size = sum(len(blob) for blob, _ in data)
    print(f"reading all {len(files)} files ({size / 1024:.0f} KB): {best * 1000:.0f} ms, best of 5 ({size / best / 1e6:.1f} MB/s)")


if __name__ == "__main__":
    main()
