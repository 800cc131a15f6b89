"""DOT in, DOT out: the original statements byte for byte, the additions appended in
their own block, dashed red and labelled."""

from __future__ import annotations

from diagramcheck.reporters.graphview import dot_quote
from diagramcheck.writers.corrected import ADDED_COLOUR, Additions


def corrected_dot(text: str, adds: Additions, names: dict[str, str]) -> str:
    close = text.rfind("}")
    if close == -1:
        return text
    lines = ["", "  // added by diagramcheck: what the review found missing (dashed red)"]
    for component in adds.components:
        lines.append(
            f"  {dot_quote(component.id)} [label={dot_quote(component.label)}, kind={dot_quote(component.kind)}, "
            f'color="{ADDED_COLOUR}", fontcolor="{ADDED_COLOUR}", style="dashed"];'
        )
    for conn in adds.connections:
        lines.append(f'  {dot_quote(conn.source)} -> {dot_quote(conn.target)} [color="{ADDED_COLOUR}", style="dashed"];')
    for source, target, rule in adds.removals:
        lines.append(f"  // also remove: {names.get(source, source)} -> {names.get(target, target)} ({rule})")
    return text[:close].rstrip() + "\n" + "\n".join(lines) + "\n" + text[close:]
