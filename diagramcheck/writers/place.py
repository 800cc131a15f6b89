"""Where added boxes go in a drawn sketch: inside the zone their role belongs to, next to
what they connect to, never overlapping anything. A zone that is full grows to the right
or downwards (its size changes, its place and the user's boxes do not), and only where
the new strip is empty.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from diagramcheck import geometry
from diagramcheck.sketch import BBox

BOX_W, BOX_H = 200.0, 80.0
GAP = 40.0  # kept free around an added box
INSET = 24.0  # between a zone's outline and a box placed in it
RINGS = 14


@dataclass
class ZoneBox:
    id: str
    bbox: BBox
    parent: str | None = None
    members: set[str] = field(default_factory=set)  # obstacle keys that lie inside it


@dataclass
class Placement:
    boxes: dict[str, BBox]
    zones: dict[str, BBox]  # every zone's final box (grown or not)
    outside: list[str]  # added boxes that could not go into their zone


def place(added: list[tuple[str, str | None, list[str]]], anchors: dict[str, BBox], obstacles: dict[str, BBox],
          zones: dict[str, ZoneBox]) -> Placement:
    """`added`: (id, zone id or None, neighbour ids) in plan order; `anchors`: boxes of the
    components already drawn; `obstacles`: every box an added one must keep clear of, by key
    (a zone's members are keys in `ZoneBox.members`)."""
    obstacles = dict(obstacles)
    zone_boxes = {z: zb.bbox for z, zb in zones.items()}
    known = dict(anchors)
    placed: dict[str, BBox] = {}
    outside: list[str] = []
    pending = list(added)
    while pending:
        pending.sort(key=lambda a: not any(n in known for n in a[2]))
        node, zone, near = pending.pop(0)
        refs = [known[n] for n in near if n in known]
        box = None
        if zone is not None and zone in zones:
            box = _in_zone(zone, refs, obstacles, zones, zone_boxes)
            if box is None:
                outside.append(node)
        if box is None:
            want = _centre_of(refs) if refs else _below(obstacles, zone_boxes)
            box = _free_spot(want, obstacles, zone_boxes, None, zones) or _free_spot(want, obstacles, {}, None, zones, rings=60)
            if box is None:
                extent = geometry.union(list(obstacles.values()) + list(zone_boxes.values())) if obstacles or zone_boxes else (0, 0, 0, 0)
                box = (extent[0], extent[1] + extent[3] + GAP, BOX_W, BOX_H)
        placed[node] = box
        known[node] = box
        obstacles["added:" + node] = box
        for z in _chain(zone, zones):
            zones[z].members.add("added:" + node)
    return Placement(placed, _fitted(zones, zone_boxes, obstacles), outside)


def _fitted(zones: dict[str, ZoneBox], grown: dict[str, BBox], obstacles: dict) -> dict[str, BBox]:
    """Grown zones shrunk back to what they hold (never below their drawn size): growth
    went in whole steps, the boxes placed in it may need less. Innermost zones first."""
    out = dict(grown)
    for zone in sorted(zones, key=lambda z: -len(_chain(z, zones))):
        old, new = zones[zone].bbox, grown[zone]
        if new == old:
            continue
        held = [obstacles[k] for k in zones[zone].members if k in obstacles]
        held += [out[z] for z in zones if zones[z].parent == zone]
        right = max([old[0] + old[2]] + [b[0] + b[2] + INSET for b in held])
        bottom = max([old[1] + old[3]] + [b[1] + b[3] + INSET for b in held])
        out[zone] = (old[0], old[1], min(new[2], right - old[0]), min(new[3], bottom - old[1]))
    return out


def _in_zone(zone: str, refs: list[BBox], obstacles: dict, zones: dict[str, ZoneBox], zone_boxes: dict) -> BBox | None:
    want = _centre_of(refs) if refs else _centre(zone_boxes[zone])
    box = _free_spot(want, obstacles, zone_boxes, zone, zones)
    if box is not None:
        return box
    x, y, w, h = zone_boxes[zone]
    right_first = (want[0] - (x + w)) > (want[1] - (y + h))
    for step in range(1, 4):
        for side in (("right", "down") if right_first else ("down", "right")):
            grown = _grow(zone, side, step, zones, zone_boxes, obstacles)
            if grown is None:
                continue
            box = _free_spot(want, obstacles, grown, zone, zones)
            if box is not None:
                zone_boxes.update(grown)
                return box
    return None


def _grow(zone: str, side: str, step: int, zones: dict[str, ZoneBox], zone_boxes: dict, obstacles: dict) -> dict | None:
    """The zone boxes after growing `zone` (and, as needed, the zones around it), or None
    when the strip it would take holds something else."""
    grown = dict(zone_boxes)
    x, y, w, h = grown[zone]
    if side == "right":
        grown[zone] = (x, y, w + step * (BOX_W + GAP), h)
    else:
        grown[zone] = (x, y, w, h + step * (BOX_H + GAP))
    current = zone
    while True:
        if not _strip_is_free(current, zone_boxes[current], grown[current], zones, grown, obstacles):
            return None
        parent = zones[current].parent
        if parent is None or parent not in grown:
            return grown
        px, py, pw, ph = grown[parent]
        cx, cy, cw, ch = grown[current]
        need_w = max(pw, cx + cw + INSET - px)
        need_h = max(ph, cy + ch + INSET - py)
        if (need_w, need_h) == (pw, ph):
            return grown
        grown[parent] = (px, py, need_w, need_h)
        current = parent


def _strip_is_free(zone: str, old: BBox, new: BBox, zones: dict[str, ZoneBox], grown: dict, obstacles: dict) -> bool:
    inside = zones[zone].members
    for key, box in obstacles.items():
        if key not in inside and _overlaps(box, new) and not _overlaps(box, old):
            return False
    family = set(_chain(zone, zones)) | _descendants(zone, zones)
    for other, box in grown.items():
        if other not in family and _overlaps(box, new) and not _overlaps(box, old):
            return False
    return True


def _free_spot(want, obstacles: dict, zone_boxes: dict, zone: str | None, zones: dict[str, ZoneBox],
               rings: int = RINGS) -> BBox | None:
    """The free box nearest `want` (searched on rings of growing radius) that lies inside
    `zone` and in no other zone but its ancestors (with no zone: in none at all)."""
    step_x, step_y = (BOX_W + GAP) / 2, (BOX_H + GAP) / 2
    allowed = set(_chain(zone, zones)) if zone else set()
    inner = zone_boxes.get(zone) if zone else None
    others = [b for z, b in zone_boxes.items() if z not in allowed]
    keys = list(obstacles.values())
    for ring in range(rings):
        if ring == 0:
            offsets = [(0, 0)]
        else:
            offsets = [(dx, dy) for dx in range(-ring, ring + 1) for dy in range(-ring, ring + 1) if max(abs(dx), abs(dy)) == ring]
            offsets.sort(key=lambda d: (math.hypot(d[0] * step_x, d[1] * step_y), d))
        for dx, dy in offsets:
            box = (want[0] + dx * step_x - BOX_W / 2, want[1] + dy * step_y - BOX_H / 2, BOX_W, BOX_H)
            if inner is not None and not _within(box, inner, INSET):
                continue
            padded = (box[0] - GAP / 2, box[1] - GAP / 2, BOX_W + GAP, BOX_H + GAP)
            if any(_overlaps(padded, b) for b in keys):
                continue
            if any(_overlaps((box[0] - 10, box[1] - 10, BOX_W + 20, BOX_H + 20), b) for b in others):
                continue
            return box
    return None


def _chain(zone: str | None, zones: dict[str, ZoneBox]) -> list[str]:
    out, steps = [], 0
    while zone is not None and zone in zones and steps < 50:
        out.append(zone)
        zone, steps = zones[zone].parent, steps + 1
    return out


def _descendants(zone: str, zones: dict[str, ZoneBox]) -> set[str]:
    return {z for z in zones if z != zone and zone in _chain(z, zones)}


def _within(box: BBox, outer: BBox, inset: float) -> bool:
    return (box[0] >= outer[0] + inset and box[1] >= outer[1] + inset
            and box[0] + box[2] <= outer[0] + outer[2] - inset and box[1] + box[3] <= outer[1] + outer[3] - inset)


def _overlaps(a: BBox, b: BBox) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])


def _centre(box: BBox) -> tuple[float, float]:
    return (box[0] + box[2] / 2, box[1] + box[3] / 2)


def _centre_of(boxes: list[BBox]) -> tuple[float, float]:
    centres = [_centre(b) for b in boxes]
    return (sum(c[0] for c in centres) / len(centres), sum(c[1] for c in centres) / len(centres))


def _below(obstacles: dict, zone_boxes: dict) -> tuple[float, float]:
    everything = list(obstacles.values()) + list(zone_boxes.values())
    if not everything:
        return (BOX_W / 2, BOX_H / 2)
    extent = geometry.union(everything)
    return (extent[0] + BOX_W / 2, extent[1] + extent[3] + 2 * GAP + BOX_H / 2)
