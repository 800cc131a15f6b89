"""The contract's JSON document (CONTRACT.md §5), shared by `graph` and `review`."""

from __future__ import annotations

from diagramcheck import inert
from diagramcheck.model import ComponentGraph


def graph_section(graph: ComponentGraph) -> dict:
    section = {
        "path": inert.path(graph.path),  # a name that is not UTF-8: with escapes, not a crash
        "format": graph.format,
        "components": [
            {
                "id": c.id,
                "label": c.label,
                "kind": c.kind,
                "zone": c.zone,
                "roles": c.roles,
                "kind_source": c.kind_source,
                "kind_note": c.kind_note,
                "kind_why": c.kind_why,
                "annotations": c.annotations,
                "sources": c.sources,
            }
            for c in graph.components
        ],
        "zones": [{"id": z.id, "label": z.label, "parent": z.parent} for z in graph.zones],
        "connections": [
            {
                "source": c.source,
                "target": c.target,
                "label": c.label,
                "directed": c.directed,
                "id": c.id,
                "source_is_zone": c.source_is_zone,
                "target_is_zone": c.target_is_zone,
            }
            for c in graph.connections
        ],
    }
    if graph.line is not None:  # a Mermaid block: the line of its fence in the Markdown file
        section["line"] = graph.line
    return section


def graph_document(graphs: list[ComponentGraph], errors: list[tuple[str, str]]) -> dict:
    files = []
    for graph in graphs:
        section = graph_section(graph)
        section["notes"] = [{"id": n.id, "text": n.text, "zone": n.zone} for n in graph.notes]
        section["ignored"] = [{"id": i.id, "reason": i.reason} for i in graph.ignored]
        section["warnings"] = list(graph.warnings)
        files.append(section)
    return {"version": 1, "files": files, "errors": [{"path": inert.path(p), "message": inert.path(m)} for p, m in errors]}
