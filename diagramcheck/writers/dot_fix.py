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
from diagramcheck.reporters.graphview import dot_id, dot_quote
from diagramcheck.writers.render import left_justified

ADDED_COLOUR = "#e03131"


def corrected_dot(text: str, plan: FixPlan, graph: ComponentGraph) -> str:
    close = closing_brace(text)
    names = {c.id: c.label for c in graph.components}
    zones = {z.id for z in graph.zones}
    lines = ["", "  // added by diagramcheck: what the review found missing (dashed red)"]
    for component in plan.components:
        node = (f"{dot_id(component.id)} [label={dot_quote(component.label)}, kind={dot_quote(component.kind)}, "
                f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];')
        if component.zone_id in zones:
            lines.append(f"  subgraph {dot_id(component.zone_id)} {{ {node} }}")
        else:
            lines.append(f"  {node}")
    for conn in plan.connections:
        label = f", label={dot_quote(conn.label)}" if conn.label else ""
        lines.append(f'  {dot_id(conn.source)} -> {dot_id(conn.target)} [color="{ADDED_COLOUR}", style="dashed"{label}];')
    for i, removal in enumerate(plan.removals):
        what = [f"✕ {removal.note}", f"({names.get(removal.source, removal.source)} -> {names.get(removal.target, removal.target)})"]
        note = dot_id(f"diagramcheck-remove-{i}")
        lines.append(f'  {note} [shape=note, label={left_justified(what)}, '
                     f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];')
        lines.append(f'  {note} -> {dot_id(removal.target)} [color="{ADDED_COLOUR}", style="dotted", arrowhead=none];')
    return text[:close].rstrip() + "\n" + "\n".join(lines) + "\n" + text[close:]


def closing_brace(text: str) -> int:
    """Where the first graph's body closes: the `}` that balances its first `{`."""
    depth = 0
    for kind, value, start, _ in dot_lexer.tokens(text):
        if kind == "punct" and value == "{":
            depth += 1
        elif kind == "punct" and value == "}":
            depth -= 1
            if depth == 0:
                return start
    raise DiagramError("the DOT graph has no closing brace")
