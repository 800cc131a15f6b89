"""Corrected diagrams: the user's sketch, untouched, plus what the review says is missing.

Every original element is kept as it was; the only change to one is that a shape's
`boundElements` gains the ids of new arrows bound to it (its version fields move with
that, as the app does). Added boxes and arrows are dashed red, with a legend note.
Removals a fix asks for (a second feature path, a registry bypass) cannot be drawn
without touching the user's arrows, so the legend lists them instead.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field

from diagramcheck import geometry
from diagramcheck.model import ComponentGraph
from diagramcheck.writers import layout
from diagramcheck.writers.excalidraw import SceneBuilder, binding

ADDED_COLOUR = "#e03131"
BINDABLE = {"rectangle", "ellipse", "diamond", "text", "image", "iframe", "embeddable", "frame", "magicframe"}


@dataclass
class Additions:
    components: list  # Component models added
    connections: list  # Connection models added
    removals: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, rule)
    rules: list[str] = field(default_factory=list)


def additions(original: ComponentGraph, fixed: ComponentGraph, findings) -> Additions:
    known = {c.id for c in original.components}
    added = [c for c in fixed.components if c.id not in known]
    new_edges = [c for c in fixed.connections if c.id.startswith("fix:")]
    removals = [(r["from"], r["to"], f.rule) for f in findings for r in f.fix_actions.get("remove", [])]
    rules = sorted({f.rule for f in findings if f.fix_actions.get("add") or f.fix_actions.get("connect")})
    return Additions(added, new_edges, removals, rules)


def corrected_scene(scene: dict, original: ComponentGraph, fixed: ComponentGraph, adds: Additions) -> tuple[dict, bool]:
    """The corrected Excalidraw scene, and whether Graphviz's layout placed the new boxes."""
    out = copy.deepcopy(scene)
    elements = [e for e in out.get("elements") or [] if isinstance(e, dict)]
    live = {e.get("id"): e for e in elements if not e.get("isDeleted") and isinstance(e.get("id"), str)}
    seed = int(hashlib.sha256(json.dumps(scene, sort_keys=True, default=str).encode()).hexdigest()[:8], 16)
    builder = SceneBuilder(seed=seed, first_index=None, style={"strokeColor": ADDED_COLOUR, "strokeStyle": "dashed"})
    builder.by_id.update({k: v for k, v in live.items()})  # new ids never collide with old ones
    occupied = [_bbox(e) for e in live.values() if _bbox(e) is not None]
    anchors = {}
    component_box = {}
    for component in original.components:
        boxes = [_bbox(live[s]) for s in component.sources if s in live and _bbox(live[s]) is not None]
        if boxes:
            component_box[component.id] = geometry.union(boxes)
            anchors[component.id] = geometry.centre(component_box[component.id])
    placed, used_dot = layout.place_added(fixed, [c.id for c in adds.components], occupied, anchors)
    new_elements: dict[str, dict] = {}
    for component in adds.components:
        x, y, w, h = placed[component.id]
        box = builder.box(component.label, x, y, w, h, kind=component.kind, dashed=True)
        box["strokeColor"] = ADDED_COLOUR
        new_elements[component.id] = box
    for conn in adds.connections:
        source = new_elements.get(conn.source) or _bind_target(original, conn.source, live, component_box)
        target = new_elements.get(conn.target) or _bind_target(original, conn.target, live, component_box)
        if source is None or target is None:
            continue
        arrow = builder.arrow(_geometry_of(source), _geometry_of(target), bound=False, dashed=True)
        arrow["strokeColor"] = ADDED_COLOUR
        for end, element in (("startBinding", source), ("endBinding", target)):
            if element.get("id") is not None and element.get("type") in BINDABLE:
                arrow[end] = binding(element["id"])
                _add_bound(element, arrow["id"], element["id"] in live)
    legend = _legend(adds, fixed)
    extent = geometry.union(occupied + list(placed.values())) if occupied or placed else (0, 0, 0, 0)
    note = builder.text(legend, extent[0], extent[1] - 40 - 20 * legend.count("\n"), font_size=16)
    note["strokeColor"] = ADDED_COLOUR
    added_elements = [e for e in builder.elements]
    out["elements"] = list(out.get("elements") or []) + added_elements
    return out, used_dot


def _legend(adds: Additions, fixed: ComponentGraph) -> str:
    names = {c.id: c.label for c in fixed.components}
    lines = [f"Added by diagramcheck (dashed red): {len(adds.components)} components, {len(adds.connections)} connections."]
    for source, target, rule in adds.removals:
        lines.append(f"Also remove: {names.get(source, source)} -> {names.get(target, target)} ({rule})")
    return "\n".join(lines)


def _bbox(element: dict):
    try:
        x, y = float(element.get("x", 0)), float(element.get("y", 0))
        w, h = float(element.get("width", 0)), float(element.get("height", 0))
    except (TypeError, ValueError):
        return None
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return (x, y, w, h)


def _bind_target(graph: ComponentGraph, component_id: str, live: dict, boxes: dict) -> dict | None:
    """The element an arrow to this component should bind to: its shape, else its label text,
    else (an icon of lines) an unbindable stand-in with the component's bounding box."""
    component = graph.by_id.get(component_id)
    if component is None:
        return None
    for source in component.sources:
        element = live.get(source)
        if element is not None and element.get("type") in BINDABLE - {"text"}:
            return element
    for source in component.sources:
        element = live.get(source)
        if element is not None and element.get("type") == "text":
            return element
    if component_id in boxes:
        x, y, w, h = boxes[component_id]
        return {"id": None, "type": "rectangle", "x": x, "y": y, "width": w, "height": h}
    return None


def _geometry_of(element: dict) -> dict:
    bbox = _bbox(element) or (0.0, 0.0, 0.0, 0.0)
    return {"id": element.get("id"), "type": element.get("type", "rectangle"), "x": bbox[0], "y": bbox[1], "width": bbox[2], "height": bbox[3]}


def _add_bound(element: dict, arrow_id: str, original: bool) -> None:
    bound = element.get("boundElements")
    bound = list(bound) if isinstance(bound, list) else []
    bound.append({"id": arrow_id, "type": "arrow"})
    element["boundElements"] = bound
    if original:  # the app bumps the version of an element whose bindings change
        element["version"] = int(element.get("version", 1) or 1) + 1 if isinstance(element.get("version", 1), int) else 2
        nonce = hashlib.sha256(f"{element.get('id')}{arrow_id}".encode()).hexdigest()[:8]
        element["versionNonce"] = int(nonce, 16) % (2**31 - 1)
