"""SVG and PNG of a (corrected) graph through the Graphviz binary: zones as clusters,
the fix plan dashed red, notes in a block above the drawing."""

from __future__ import annotations

import subprocess
import textwrap

from diagramcheck.model import ComponentGraph
from diagramcheck.reporters.graphview import dot_quote, zone_blocks
from diagramcheck.writers.layout import dot_binary

ADDED_COLOUR = "#e03131"
NOTE_WIDTH = 110  # characters per caption line: a long note wraps rather than widening the picture


def render_dot(graph: ComponentGraph, added: set[str], added_edges: set[tuple[str, str]], title: str = "",
               node_ids: dict[str, str] | None = None, notes: list[str] | None = None,
               removals: dict[tuple[str, str], str] | None = None) -> str:
    """`node_ids` become the SVG element ids of the nodes (the HTML report highlights by id);
    `removals` maps an edge to the note that says it should go; `notes` are the caption
    (default: the graph's own notes, so a corrected sketch keeps its requirements note)."""
    out = ["digraph corrected {", "  rankdir=LR;", "  compound=true;", '  node [shape=box, style="rounded", fontname="Helvetica"];',
           '  edge [fontname="Helvetica", fontsize=10];']
    heading = [title] if title else []
    if notes is None:
        notes = [n.text for n in graph.notes if n.drawn]
    heading += [wrapped for n in notes for line in n.splitlines() if line.strip()
                for wrapped in textwrap.wrap(" ".join(line.split()), NOTE_WIDTH)]
    if heading:
        # left-justified lines (\l), the title first: the notes read like a figure's caption
        out.append("  labelloc=t; labeljust=l; fontname=\"Helvetica\";")
        out.append("  label=" + left_justified(heading) + ";")

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
        label = conn.label
        if removals and (conn.source, conn.target) in removals:
            attrs.append(f'fontcolor="{ADDED_COLOUR}"')
            label = ("✕ " + removals[(conn.source, conn.target)] + ("\n" + label if label else ""))
        if label:
            attrs.append(f"label={dot_quote(label)}")
        if not conn.directed:
            attrs.append("dir=none")
        out.append(f"  {dot_quote(conn.source)} -> {dot_quote(conn.target)}{' [' + ', '.join(attrs) + ']' if attrs else ''};")
    out.append("}")
    return "\n".join(out) + "\n"


def left_justified(lines: list[str]) -> str:
    """A DOT string whose lines are left-justified (each ends in \\l)."""
    escaped = [line.replace("\\", "\\\\").replace('"', '\\"') for text in lines for line in text.split("\n")]
    return '"' + "".join(line + "\\l" for line in escaped) + '"'


def render(dot_text: str, fmt: str) -> bytes:
    done = subprocess.run([dot_binary(), f"-T{fmt}"], input=dot_text.encode(), capture_output=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"Graphviz failed: {done.stderr.decode(errors='replace').strip()[:300]}")
    return done.stdout
