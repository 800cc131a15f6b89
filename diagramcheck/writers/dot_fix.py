"""DOT in, DOT out: the original statements byte for byte, the fix plan appended in its
own block, dashed red and labelled. An added node joins its zone by reopening that
cluster (Graphviz merges subgraphs of one name); an edge the plan asks to remove stays,
and a dashed red note says what to change."""

from __future__ import annotations

from diagramcheck.model import ComponentGraph
from diagramcheck.plan import FixPlan
from diagramcheck.reporters.graphview import dot_quote
from diagramcheck.writers.render import left_justified

ADDED_COLOUR = "#e03131"


def corrected_dot(text: str, plan: FixPlan, graph: ComponentGraph) -> str:
    close = text.rfind("}")
    if close == -1:
        return text
    names = {c.id: c.label for c in graph.components}
    zones = {z.id for z in graph.zones}
    lines = ["", "  // added by diagramcheck: what the review found missing (dashed red)"]
    for component in plan.components:
        node = (f"{dot_quote(component.id)} [label={dot_quote(component.label)}, kind={dot_quote(component.kind)}, "
                f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];')
        if component.zone_id in zones:
            lines.append(f"  subgraph {dot_quote(component.zone_id)} {{ {node} }}")
        else:
            lines.append(f"  {node}")
    for conn in plan.connections:
        label = f", label={dot_quote(conn.label)}" if conn.label else ""
        lines.append(f'  {dot_quote(conn.source)} -> {dot_quote(conn.target)} [color="{ADDED_COLOUR}", style="dashed"{label}];')
    for i, removal in enumerate(plan.removals):
        what = [f"✕ {removal.note}", f"({names.get(removal.source, removal.source)} -> {names.get(removal.target, removal.target)})"]
        note = dot_quote(f"diagramcheck-remove-{i}")
        lines.append(f'  {note} [shape=note, label={left_justified(what)}, '
                     f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];')
        lines.append(f'  {note} -> {dot_quote(removal.target)} [color="{ADDED_COLOUR}", style="dotted", arrowhead=none];')
    return text[:close].rstrip() + "\n" + "\n".join(lines) + "\n" + text[close:]
