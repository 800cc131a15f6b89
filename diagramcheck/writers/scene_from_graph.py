"""A component graph drawn as a new Excalidraw scene (reference architectures, and the
round-trip tests of the reader): Graphviz's layered layout, zones as frames (nested ones
as dashed rectangles titled above), every box tagged with its kind in customData."""

from __future__ import annotations

from diagramcheck.model import ComponentGraph
from diagramcheck.writers import layout
from diagramcheck.writers.excalidraw import SceneBuilder

ZONE_PAD = 40.0


def scene_from_graph(graph: ComponentGraph, seed: int = 1, title: str = "", notes: list[str] | None = None) -> tuple[dict, bool]:
    try:
        positions = layout.dot_layout(graph, clusters=bool(graph.zones))
        used_dot = True
    except (layout.GraphvizMissing, RuntimeError, OSError, ValueError):
        positions, used_dot = layout.layered_fallback(graph), False
    s = SceneBuilder(seed=seed)
    boxes = {c.id: _box(positions.get(c.id, (0.0, 0.0))) for c in graph.components}
    frames: dict[str, dict] = {}
    for zone in _outermost_first(graph):
        members = _members(graph, zone.id)
        if not members:
            continue
        xs = [boxes[m][0] for m in members] + [boxes[m][0] + boxes[m][2] for m in members]
        ys = [boxes[m][1] for m in members] + [boxes[m][1] + boxes[m][3] for m in members]
        depth = _depth(graph, zone.id)
        pad = ZONE_PAD - 10 * depth
        x0, y0, x1, y1 = min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad
        if zone.parent is None:
            frames[zone.id] = s.frame(zone.label, x0, y0, x1 - x0, y1 - y0)
        else:
            s.text(zone.label, x0 + 8, y0 - 30, font_size=16)
            rect = s.box("", x0, y0, x1 - x0, y1 - y0, dashed=True)
            rect["frameId"] = frames.get(_top(graph, zone.id), {}).get("id")
    elements = {}
    for component in graph.components:
        x, y, w, h = boxes[component.id]
        frame = frames.get(_top(graph, component.zone_id)) if component.zone_id else None
        elements[component.id] = s.box(component.label, x, y, w, h, frame=frame, kind=component.kind)
    for conn in graph.connections:
        if conn.source in elements and conn.target in elements:
            heads = (None, "arrow") if conn.directed else (None, None)
            s.arrow(elements[conn.source], elements[conn.target], label=conn.label or None, heads=heads)
    if title or notes:
        extent_y = min((b[1] for b in boxes.values()), default=0.0) - 60 - 60 * (len(notes or []))
        if title:
            s.text(title, 0, extent_y - 50, font_size=28)
        for i, note in enumerate(notes or []):
            s.text(note, 0, extent_y + 30 * i, font_size=16)
    return s.scene(), used_dot


def _box(centre: tuple[float, float]) -> tuple[float, float, float, float]:
    return (centre[0] - layout.BOX_W / 2, centre[1] - layout.BOX_H / 2, layout.BOX_W, layout.BOX_H)


def _members(graph: ComponentGraph, zone_id: str) -> list[str]:
    return graph.zone_members().get(zone_id, [])


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
