"""DOT in, DOT out: the original statements byte for byte, the fix plan appended in its
own block, dashed red and labelled, just before the graph's real closing brace (found by
reading the file's tokens: a `}` in a trailing comment or string is not it). An added node
joins its zone by reopening that cluster (Graphviz merges subgraphs of one name); an edge
the plan asks to remove stays, and a dashed red note says what to change. Ids are written
so that they read back as the same ids (graphview.dot_id)."""

from __future__ import annotations

from diagramcheck.errors import DiagramError
from diagramcheck.model import ComponentGraph
from diagramcheck.plan import FixPlan
from diagramcheck.readers import dot_lexer
from diagramcheck.readers.dot_parser import _unquote
from diagramcheck.reporters.graphview import dot_id, dot_quote
from diagramcheck.sketch import MAX_ID, full_ids
from diagramcheck.writers.render import left_justified

ADDED_COLOUR = "#e03131"


def corrected_dot(text: str, plan: FixPlan, graph: ComponentGraph) -> str:
    tokens = dot_lexer.tokens(text)
    close = closing_brace(text, tokens)
    full = full_ids(_unquote(value) if kind == "string" else value for kind, value, _, _ in tokens
                    if kind in ("id", "string") and len(value) > MAX_ID)

    def name(element_id: str) -> str:  # as the file writes it: a capped id would be a new node
        return dot_id(full.get(element_id, element_id))

    names = {c.id: c.label for c in graph.components}
    zones = {z.id for z in graph.zones}
    lines = ["", "  // added by diagramcheck: what the review found missing (dashed red)"]
    for component in plan.components:
        node = (f"{dot_id(component.id)} [label={dot_quote(component.label)}, kind={dot_quote(component.kind)}, "
                f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];')
        if component.zone_id in zones:
            lines.append(f"  subgraph {name(component.zone_id)} {{ {node} }}")
        else:
            lines.append(f"  {node}")
    for conn in plan.connections:
        label = f", label={dot_quote(conn.label)}" if conn.label else ""
        lines.append(f'  {name(conn.source)} -> {name(conn.target)} [color="{ADDED_COLOUR}", style="dashed"{label}];')
    for i, removal in enumerate(plan.removals):
        what = [f"✕ {removal.note}", f"({names.get(removal.source, removal.source)} -> {names.get(removal.target, removal.target)})"]
        note = dot_id(f"diagramcheck-remove-{i}")
        lines.append(f'  {note} [shape=note, label={left_justified(what)}, '
                     f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];')
        lines.append(f'  {note} -> {name(removal.target)} [color="{ADDED_COLOUR}", style="dotted", arrowhead=none];')
    return text[:close].rstrip() + "\n" + "\n".join(lines) + "\n" + text[close:]


def closing_brace(text: str, tokens: list | None = None) -> int:
    """Where the first graph's body closes: the `}` that balances its first `{`."""
    depth = 0
    for kind, value, start, _ in dot_lexer.tokens(text) if tokens is None else tokens:
        if kind == "punct" and value == "{":
            depth += 1
        elif kind == "punct" and value == "}":
            depth -= 1
            if depth == 0:
                return start
    raise DiagramError("the DOT graph has no closing brace")
