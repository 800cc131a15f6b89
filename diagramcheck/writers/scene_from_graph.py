"""A component graph drawn as a new Excalidraw scene (reference architectures, and the
round-trip tests of the reader), from Graphviz's layout of the same graph: node boxes
where dot puts them, zones as frames from its cluster boxes (nested ones as dashed
rectangles titled above), each arrow through the points of dot's spline for that edge,
bound at both ends. Title and notes sit above, clear of every frame's title."""

from __future__ import annotations

from diagramcheck.model import ComponentGraph
from diagramcheck.writers import layout
from diagramcheck.writers.excalidraw import SceneBuilder, text_size

NOTE_FONT = 16
TITLE_FONT = 28


def scene_from_graph(graph: ComponentGraph, seed: int = 1, title: str = "", notes: list[str] | None = None) -> tuple[dict, bool]:
    try:
        placed = layout.graphviz_layout(graph, clusters=bool(graph.zones))
    except (layout.GraphvizMissing, RuntimeError, OSError, ValueError, KeyError):
        placed = layout.layered_fallback(graph)
    s = SceneBuilder(seed=seed)
    boxes = {c.id: placed.nodes.get(c.id, (0.0, 0.0, layout.BOX_W, layout.BOX_H)) for c in graph.components}
    frames: dict[str, dict] = {}
    regions = dict(placed.clusters)
    if not placed.routed:  # no cluster boxes from Graphviz: around the members
        regions.update(_regions_around(graph, boxes))
    for zone in _outermost_first(graph):
        if zone.id not in regions:
            continue
        x, y, w, h = regions[zone.id]
        if zone.parent is None:
            frames[zone.id] = s.frame(zone.label, x, y, w, h)
        else:
            s.text(zone.label, x + 8, y + 6, font_size=NOTE_FONT, frame=frames.get(_top(graph, zone.id)))
            rect = s.box("", x, y, w, h, dashed=True)
            rect["frameId"] = frames.get(_top(graph, zone.id), {}).get("id")
    elements = {}
    for component in graph.components:
        x, y, w, h = boxes[component.id]
        frame = frames.get(_top(graph, component.zone_id)) if component.zone_id else None
        elements[component.id] = s.box(component.label, x, y, w, h, frame=frame, kind=component.kind)
    routes = {}
    for edge in placed.edges:
        routes.setdefault((edge.source, edge.target), []).append(edge)
    for conn in graph.connections:
        if conn.source not in elements or conn.target not in elements:
            continue
        heads = (None, "arrow") if conn.directed else (None, None)
        edge = routes.get((conn.source, conn.target), [None]).pop(0) if routes.get((conn.source, conn.target)) else None
        if edge is None:
            s.arrow(elements[conn.source], elements[conn.target], label=conn.label or None, heads=heads)
            continue
        arrow = s.polyline(edge.points, label=conn.label or None, heads=heads)
        arrow["roundness"] = {"type": 2}  # the sampled spline, drawn smooth
        s.bind(arrow, elements[conn.source], elements[conn.target])
    if title or notes:
        _heading(s, title, notes or [], boxes, regions)
    return s.scene(), placed.routed


def _heading(s: SceneBuilder, title: str, notes: list[str], boxes: dict, regions: dict) -> None:
    everything = list(boxes.values()) + list(regions.values())
    left = min(b[0] for b in everything) if everything else 0.0
    top = min(b[1] for b in everything) if everything else 0.0
    y = top - 50  # frame names are drawn just above their frames
    for note in reversed(notes):
        _, h = text_size(note, NOTE_FONT)
        y -= h + 8
        s.text(note, left, y, font_size=NOTE_FONT)
    if title:
        _, h = text_size(title, TITLE_FONT)
        s.text(title, left, y - h - 16, font_size=TITLE_FONT)


def _regions_around(graph: ComponentGraph, boxes: dict) -> dict:
    out = {}
    for zone in sorted(graph.zones, key=lambda z: -_depth(graph, z.id)):
        members = graph.zone_members().get(zone.id, [])
        if not members:
            continue
        pad = 30.0 - 8 * _depth(graph, zone.id)
        xs = [boxes[m][0] for m in members] + [boxes[m][0] + boxes[m][2] for m in members]
        ys = [boxes[m][1] for m in members] + [boxes[m][1] + boxes[m][3] for m in members]
        out[zone.id] = (min(xs) - pad, min(ys) - pad, max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad)
    return out


def _depth(graph: ComponentGraph, zone_id: str) -> int:
    parents = {z.id: z.parent for z in graph.zones}
    depth, current = 0, parents.get(zone_id)
    while current is not None and depth < 50:
        depth, current = depth + 1, parents.get(current)
    return depth


def _top(graph: ComponentGraph, zone_id: str | None) -> str | None:
    parents = {z.id: z.parent for z in graph.zones}
    current, steps = zone_id, 0
    while current is not None and parents.get(current) is not None and steps < 50:
        current, steps = parents[current], steps + 1
    return current


def _outermost_first(graph: ComponentGraph):
    return sorted(graph.zones, key=lambda z: _depth(graph, z.id))
