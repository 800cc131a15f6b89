"""Corrected diagrams: the user's sketch, untouched, plus the fix plan drawn in dashed red.

Every original element is kept as it was, with two exceptions the app itself would make:
a shape's `boundElements` gains the ids of new arrows bound to it, and a zone (frame or
zone rectangle) that is full grows to the right or downwards to hold the boxes its role
adds; their version fields move with that, as the app does. Added boxes sit in the zone
their role belongs to; added arrows run orthogonally around every box they do not connect
and are bound at both ends. A user's arrow the plan asks to remove stays, and a dashed
red note beside it says what to change.
"""

from __future__ import annotations

import copy
import hashlib
import json
import math

from diagramcheck import geometry
from diagramcheck.model import ComponentGraph
from diagramcheck.plan import FixPlan
from diagramcheck.sketch import full_ids
from diagramcheck.words import plural
from diagramcheck.writers import place, route
from diagramcheck.writers.excalidraw import SceneBuilder, binding, text_size
from diagramcheck.writers.scene_svg import element_box

ADDED_COLOUR = "#e03131"
BINDABLE = {"rectangle", "ellipse", "diamond", "text", "image", "iframe", "embeddable", "frame", "magicframe"}
LINEAR = {"arrow", "line", "freedraw"}
NOTE_FONT = 16
REMOVAL_FONT = 14  # smaller than a zone title is drawn, so the reader never takes it for one


def corrected_scene(scene: dict, graph: ComponentGraph, plan: FixPlan, boxes_out: dict | None = None) -> dict:
    """The corrected scene; `boxes_out`, when given, receives every component's box (the
    user's and the added ones) by component id."""
    out = copy.deepcopy(scene)
    elements = [e for e in out.get("elements") or [] if isinstance(e, dict)]
    live = {e["id"]: e for e in elements if not e.get("isDeleted") and isinstance(e.get("id"), str) and _bbox(e)}
    live.update({capped: live[whole] for capped, whole in full_ids(live).items()})  # the graph knows long ids capped
    seed = int(hashlib.sha256(json.dumps(scene, sort_keys=True, default=str).encode()).hexdigest()[:8], 16)
    builder = SceneBuilder(seed=seed, first_index=None, style={"strokeColor": ADDED_COLOUR, "strokeStyle": "dashed"})
    builder.by_id.update(live)  # new ids never collide with old ones
    drawing = _Drawing(graph, live)

    neighbours: dict[str, list[str]] = {c.id: [] for c in plan.components}
    for conn in plan.connections:
        for a, b in ((conn.source, conn.target), (conn.target, conn.source)):
            if a in neighbours:
                neighbours[a].append(b)
    placement = place.place([(c.id, c.zone_id if c.zone_id in drawing.zones else None, neighbours[c.id]) for c in plan.components],
                            drawing.component_box, drawing.obstacles, drawing.zones)
    drawing.grow_zones(placement.zones)

    boxes = dict(drawing.component_box)
    new_elements: dict[str, dict] = {}
    for component in plan.components:
        x, y, w, h = placement.boxes[component.id]
        box = builder.box(component.label, x, y, w, h, kind=component.kind, dashed=True,
                          frame=drawing.frame_for(component.zone_id if component.id not in placement.outside else None))
        box["strokeColor"] = ADDED_COLOUR
        new_elements[component.id] = box
        boxes[component.id] = (x, y, w, h)

    notes = [_removal_note(builder, drawing, removal, boxes) for removal in plan.removals]
    routed: list[list[tuple[float, float]]] = []
    busy = [p for e in live.values() if e.get("type") == "arrow" for p in _ends(drawing, e["id"])]
    drawn = [points for e in live.values() if e.get("type") in ("arrow", "line") for points in [_points(e)] if points]
    steps = [route.ROUTE_STEPS]  # search steps for all the routes of this fix
    for conn in plan.connections:
        source = new_elements.get(conn.source) or drawing.bind_target(conn.source)
        target = new_elements.get(conn.target) or drawing.bind_target(conn.target)
        if source is None or target is None or conn.source not in boxes or conn.target not in boxes:
            continue
        obstacles = [b for cid, b in boxes.items() if cid not in (conn.source, conn.target)]
        obstacles += drawing.loose + [n for n in notes if n is not None]
        points = route.route(boxes[conn.source], boxes[conn.target], obstacles, avoid=routed, busy=busy, others=drawn, steps=steps)
        routed.append(points)
        busy += [points[0], points[-1]]
        arrow = builder.polyline(points, dashed=True)
        arrow["strokeColor"] = ADDED_COLOUR
        for end, element in (("startBinding", source), ("endBinding", target)):
            if element.get("id") is not None and element.get("type") in BINDABLE:
                arrow[end] = binding(element["id"])
                _add_bound(element, arrow["id"], element["id"] in live)

    if boxes_out is not None:
        boxes_out.update(boxes)
    if not plan.empty:
        legend = _legend(plan)
        extent = geometry.union(list(boxes.values()) + list(placement.zones.values()) + drawing.loose) if boxes else (0, 0, 0, 0)
        _, height = text_size(legend, NOTE_FONT)
        note = builder.text(legend, extent[0], extent[1] - 70 - height, font_size=NOTE_FONT)  # clear of zone titles above
        note["strokeColor"] = ADDED_COLOUR
    out["elements"] = list(out.get("elements") or []) + builder.elements
    return out


class _Drawing:
    """The user's drawing as geometry: component boxes, zones, and everything else."""

    def __init__(self, graph: ComponentGraph, live: dict[str, dict]) -> None:
        self.graph = graph
        self.live = live
        self.component_box: dict[str, tuple] = {}
        owned: set[str] = set()
        for component in graph.components:
            found = [_bbox(live[s]) for s in component.sources if s in live]
            if found:
                self.component_box[component.id] = geometry.union(found)
                owned.update(component.sources)
        self.zone_element: dict[str, dict] = {}
        for zone in graph.zones:
            element = next((live[s] for s in (zone.sources or [zone.id]) if s in live), None)
            if element is not None:
                self.zone_element[zone.id] = element
        zone_ids = self.zone_ids = {e["id"] for e in self.zone_element.values()}
        # what is neither a component nor a zone still takes room: notes, titles, stray shapes
        def labels_a_shape(e: dict) -> bool:
            container = live.get(e.get("containerId"))
            return container is not None and container.get("type") not in LINEAR

        # arrow labels stay: they take room the arrow's own shape does not
        self.loose = [_bbox(e) for eid, e in live.items()
                      if eid not in owned and eid not in zone_ids and e.get("type") not in LINEAR and not labels_a_shape(e)]
        self.loose += [_title_band(e) for e in self.zone_element.values() if e.get("type") in ("frame", "magicframe")]
        self.obstacles = {f"c:{cid}": box for cid, box in self.component_box.items()}
        self.obstacles.update({f"l:{i}": box for i, box in enumerate(self.loose)})
        self.zones: dict[str, place.ZoneBox] = {}
        for zone in graph.zones:
            if zone.id not in self.zone_element:
                continue
            bbox = _bbox(self.zone_element[zone.id])
            members = {k for k, b in self.obstacles.items() if geometry.contains_box(bbox, b)}
            parent = zone.parent if zone.parent in self.zone_element else None
            self.zones[zone.id] = place.ZoneBox(zone.id, bbox, parent, members)

    def grow_zones(self, final: dict[str, tuple]) -> None:
        for zone_id, (x, y, w, h) in final.items():
            element = self.zone_element[zone_id]
            old = _bbox(element)
            if abs(old[2] - w) < 0.01 and abs(old[3] - h) < 0.01:
                continue
            # width and height only: a zone drawn right-to-left has a negative width, kept so
            sign_w = -1 if float(element.get("width", 0)) < 0 else 1
            sign_h = -1 if float(element.get("height", 0)) < 0 else 1
            if sign_w < 0 or sign_h < 0:
                continue  # growing it would move its drawn origin: leave it
            if w > old[2] + 0.01:
                element["width"] = w
            if h > old[3] + 0.01:
                element["height"] = h
            _bump(element, "grow")

    def frame_for(self, zone_id: str | None) -> dict | None:
        steps = 0
        parents = {z.id: z.parent for z in self.graph.zones}
        while zone_id is not None and steps < 50:
            element = self.zone_element.get(zone_id)
            if element is not None and element.get("type") in ("frame", "magicframe"):
                return element
            zone_id, steps = parents.get(zone_id), steps + 1
        return None

    def bind_target(self, component_id: str) -> dict | None:
        """The element an arrow to this component binds to: its shape, else its label
        text, else (an icon of lines) an unbindable stand-in with its bounding box."""
        component = self.graph.by_id.get(component_id)
        if component is None:
            return None
        for wanted in (BINDABLE - {"text"}, {"text"}):
            for source in component.sources:
                element = self.live.get(source)
                if element is not None and element.get("type") in wanted and not element.get("containerId"):
                    return element
        if component_id in self.component_box:
            return {"id": None, "type": "rectangle"}
        return None

    def arrow_points(self, source: str, target: str) -> list[tuple[float, float]] | None:
        for conn in self.graph.connections:
            if conn.source == source and conn.target == target and conn.id in self.live:
                element = self.live[conn.id]
                points = element.get("points")
                if isinstance(points, list) and len(points) >= 2:
                    try:
                        return [(float(element["x"]) + float(p[0]), float(element["y"]) + float(p[1])) for p in points]
                    except (TypeError, ValueError, IndexError, KeyError):
                        return None
        return None


def _removal_note(builder: SceneBuilder, drawing: _Drawing, removal, boxes: dict) -> tuple | None:
    """A dashed red note beside the user's arrow that should go: what to do instead. The
    arrow itself is left as drawn."""
    points = drawing.arrow_points(removal.source, removal.target)
    names = {c.id: c.label for c in drawing.graph.components}
    text = f"✕ {removal.note}\n  ({names.get(removal.source, removal.source)} → {names.get(removal.target, removal.target)})"
    width, height = text_size(text, REMOVAL_FONT)
    if points is None:
        return None
    mx, my = _midpoint(points)
    taken = list(boxes.values()) + drawing.loose
    ends = [p for conn in drawing.graph.connections for p in _ends(drawing, conn.id)]
    # the reader may take a free text in a zone rectangle, or just above one, for its title,
    # and one within ~40 px of an unlabelled shape for its caption
    titled = [(_bbox(e), min([b[1] for cid, b in boxes.items() if geometry.contains_box(_bbox(e), b)] or [_bbox(e)[1] + _bbox(e)[3]]))
              for e in drawing.zone_element.values() if e.get("type") not in ("frame", "magicframe")]
    shapes = [_bbox(e) for eid, e in drawing.live.items() if e.get("type") in ("rectangle", "ellipse", "diamond", "image")
              and not any(eid in c.sources for c in drawing.graph.components) and eid not in drawing.zone_ids]
    best = None
    for ring in range(0, 40):
        for dx, dy in _offsets(ring):
            x, y = mx + dx * 24 + 12 - (width if dx < 0 else 0), my + dy * 24 + 8
            box = (x, y, width, height)
            padded = (x - 8, y - 8, width + 16, height + 16)
            if any(_overlaps(padded, b) for b in taken):
                continue
            if any(_near(p, padded, 24) for p in ends):
                continue
            if any(_overlaps((x - 50, y - 50, width + 100, height + 100), b) for b in shapes):
                continue
            if any(_overlaps(padded, zone) for zone, _ in titled):
                continue  # a lone text in a zone rectangle may be read as its title
            if any(_overlaps(padded, (zone[0], zone[1] - 60, zone[2], 60)) for zone, _ in titled):
                continue  # nor the title just above one
            best = box
            break
        if best:
            break
    if best is None:
        return None
    note = builder.text(text, best[0], best[1], font_size=REMOVAL_FONT)
    note["strokeColor"] = ADDED_COLOUR
    return best


def _points(element: dict) -> list[tuple[float, float]] | None:
    try:
        points = [(float(element["x"]) + float(p[0]), float(element["y"]) + float(p[1])) for p in element["points"]]
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    return points if len(points) >= 2 and all(math.isfinite(c) for p in points for c in p) else None


def _ends(drawing: _Drawing, arrow_id: str) -> list[tuple[float, float]]:
    element = drawing.live.get(arrow_id)
    if element is None:
        return []
    try:
        points = element["points"]
        return [(float(element["x"]) + float(points[i][0]), float(element["y"]) + float(points[i][1])) for i in (0, -1)]
    except (TypeError, ValueError, IndexError, KeyError):
        return []


def _offsets(ring: int) -> list[tuple[int, int]]:
    if ring == 0:
        return [(0, 0)]
    found = [(dx, dy) for dx in range(-ring, ring + 1) for dy in range(-ring, ring + 1) if max(abs(dx), abs(dy)) == ring]
    return sorted(found, key=lambda d: (math.hypot(*d), d))


def _midpoint(points: list[tuple[float, float]]) -> tuple[float, float]:
    lengths = [math.dist(a, b) for a, b in zip(points, points[1:])]
    half = sum(lengths) / 2
    for (a, b), length in zip(zip(points, points[1:]), lengths):
        if half <= length and length > 0:
            t = half / length
            return (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
        half -= length
    return points[len(points) // 2]


def _near(point, box, distance: float) -> bool:
    return box[0] - distance <= point[0] <= box[0] + box[2] + distance and box[1] - distance <= point[1] <= box[1] + box[3] + distance


def _overlaps(a, b) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])


def _legend(plan: FixPlan) -> str:
    line = (f"Added by diagramcheck (dashed red): {plural(len(plan.components), 'component')}, "
            f"{plural(len(plan.connections), 'connection')}")
    if plan.removals:
        line += f", {plural(len(plan.removals), 'arrow')} to remove (✕ notes)"
    return line + "."


def _title_band(frame: dict) -> tuple:
    x, y, w, _ = _bbox(frame)
    name = str(frame.get("name") or "Frame")
    return (x, y - 28, min(w, len(name) * 9 + 20), 26)


def _bbox(element: dict):
    """The element's box with a negative width or height normalised; None when not finite."""
    return element_box(element)


def _bump(element: dict, salt: str) -> None:
    """The app bumps an element's version, with a new nonce, whenever it changes."""
    version = element.get("version", 1)
    element["version"] = version + 1 if isinstance(version, int) else 2
    nonce = hashlib.sha256(f"{element.get('id')}{salt}{element['version']}".encode()).hexdigest()[:8]
    element["versionNonce"] = int(nonce, 16) % (2**31 - 1)


def _add_bound(element: dict, arrow_id: str, original: bool) -> None:
    bound = element.get("boundElements")
    bound = list(bound) if isinstance(bound, list) else []
    bound.append({"id": arrow_id, "type": "arrow"})
    element["boundElements"] = bound
    if original:
        _bump(element, arrow_id)
