"""SVG and PNG of a (corrected) graph through the Graphviz binary: zones as clusters,
additions dashed red."""

from __future__ import annotations

import subprocess

from diagramcheck.model import ComponentGraph
from diagramcheck.reporters.graphview import dot_quote, zone_blocks
from diagramcheck.writers.corrected import ADDED_COLOUR
from diagramcheck.writers.layout import dot_binary


def render_dot(graph: ComponentGraph, added: set[str], added_edges: set[tuple[str, str]], title: str = "",
               node_ids: dict[str, str] | None = None) -> str:
    """`node_ids` become the SVG element ids of the nodes (the HTML report highlights by id)."""
    out = ["digraph corrected {", "  rankdir=LR;", "  compound=true;", '  node [shape=box, style="rounded", fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];']
    if title:
        out.append(f"  label={dot_quote(title)}; labelloc=t;")
    def node(c) -> str:
        style = f', color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="rounded,dashed", penwidth=2' if c.id in added else ""
        element_id = f", id={dot_quote(node_ids[c.id])}" if node_ids and c.id in node_ids else ""
        return f"{dot_quote(c.id)} [label={dot_quote(c.label + chr(10) + '(' + c.kind + ')')}{style}{element_id}];"

    out += zone_blocks(graph, node, ' style="rounded,dashed"; color="#888888";')
    ids = {c.id for c in graph.components}
    for conn in graph.connections:
        if conn.source not in ids or conn.target not in ids:
            continue
        attrs = []
        if (conn.source, conn.target) in added_edges:
            attrs.append(f'color="{ADDED_COLOUR}", style="dashed", penwidth=2')
        if conn.label:
            attrs.append(f"label={dot_quote(conn.label)}")
        if not conn.directed:
            attrs.append("dir=none")
        out.append(f"  {dot_quote(conn.source)} -> {dot_quote(conn.target)}{' [' + ', '.join(attrs) + ']' if attrs else ''};")
    out.append("}")
    return "\n".join(out) + "\n"


def render(dot_text: str, fmt: str) -> bytes:
    done = subprocess.run([dot_binary(), f"-T{fmt}"], input=dot_text.encode(), capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout
