"""How the Mermaid reader agrees with Mermaid 11's own parse of the corpus blocks
(`../shared/corpus/mermaid/ORACLE.jsonl`: per block, the nodes, edges and subgraphs of
Mermaid's FlowDB, or its parse error). Used by a test and by benchmarks/mermaid_oracle.py.

Compared, for every flowchart block Mermaid parses: nodes (id and label; the ids that are
subgraphs are the subgraphs), edges (ends, label, direction, dotted or not; `~~~` is no
connection), the number of edges Mermaid counts (what `linkStyle` indexes), and each
subgraph's direct members. Labels are compared as text: Mermaid's sanitised HTML and
the raw source go through the same HTML-to-text step.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from diagramcheck.readers import parts_of
from diagramcheck.readers.markdown import mermaid_blocks
from diagramcheck.readers.mermaid_labels import clean_label
from diagramcheck.readers.mermaid_parser import parse_block


def _direction(kind: str) -> str:
    return "both" if kind.startswith("double_") else "none" if kind == "arrow_open" else "forward"


def agreement(folder: Path) -> dict:
    rows = [json.loads(line) for line in (folder / "ORACLE.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    tally: Counter = Counter()
    misses: list[str] = []
    for row in rows:
        if row["type"] != "flowchart-v2" or row.get("error"):
            continue
        tally["blocks"] += 1
        data = (folder / row["file"]).read_bytes()
        part = parts_of(data, row["file"])[row["block"]]
        if part.sketch is None:
            misses.append(f"{part.name}: {part.error or part.skipped}")
            continue
        tally["blocks_read"] += 1
        sketch = part.sketch
        subgraph_ids = {s["id"] for s in row["subgraphs"]}
        want_nodes = {n["id"]: clean_label(n["text"] or "") for n in row["nodes"] if n["id"] not in subgraph_ids}
        got_nodes = {s.id: s.label for s in sketch.shapes if not s.is_zone and s.type != "note"}
        tally["nodes"] += len(want_nodes)
        tally["nodes_matched"] += sum(1 for k, v in want_nodes.items() if got_nodes.get(k) == v)
        tally["nodes_extra"] += len(set(got_nodes) - set(want_nodes))
        want_edges = Counter((e["from"], e["to"], clean_label(e["text"] or ""), _direction(e["type"]), e["stroke"] == "dotted")
                             for e in row["edges"] if e["stroke"] != "invisible")
        got_edges = Counter((link.start, link.end, link.label,
                             "both" if link.start_head and link.end_head else "none" if link.is_line else "forward", link.dashed)
                            for link in sketch.links)
        tally["edges"] += sum(want_edges.values())
        tally["edges_matched"] += sum((want_edges & got_edges).values())
        tally["edges_extra"] += sum((got_edges - want_edges).values())
        misses += [f"{part.name}: edge {e} missed" for e in want_edges - got_edges]
        block = mermaid_blocks(data.decode("utf-8-sig"))[row["block"]] if row["file"].endswith((".md", ".mdx")) else None
        chart = parse_block(block.text if block else data.decode("utf-8-sig"))
        tally["edge_numbering_matched"] += len(chart.edges) == len(row["edges"])
        members: dict[str, set[str]] = {}
        for shape in sketch.shapes:
            if shape.parent is not None:
                members.setdefault(shape.parent, set()).add(shape.id)
        zones = {s.id for s in sketch.shapes if s.is_zone}
        for sub in row["subgraphs"]:
            tally["subgraphs"] += 1
            if sub["id"] in zones and members.get(sub["id"], set()) == set(sub["nodes"]):
                tally["subgraphs_matched"] += 1
            else:
                misses.append(f"{part.name}: subgraph {sub['id']} members differ")
            tally["memberships"] += len(sub["nodes"])
            tally["memberships_matched"] += len(members.get(sub["id"], set()) & set(sub["nodes"]))
    return {**tally, "misses": misses}
