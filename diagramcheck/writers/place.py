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
# Bounds on the search, so that no drawing makes it quadratic: zones are followed at most
# MAX_DEPTH levels up or down (a chain of 1,200 nested frames took minutes), and the free-spot
# search of one `fix` makes at most PLACEMENT_TESTS overlap tests plus 16 per box drawn (the
# public corpus needs a few thousand); past that a box goes below the drawing.
MAX_DEPTH = 50
GROW_DEPTH = 8  # a zone is grown with at most this many zones around it (each must grow too)
PLACEMENT_TESTS = 100_000


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
    tests = _Search(PLACEMENT_TESTS + 16 * len(obstacles))
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
            box = _in_zone(zone, refs, obstacles, zones, zone_boxes, tests)
            if box is None:
                outside.append(node)
        if box is None:
            want = _centre_of(refs) if refs else _below(obstacles, zone_boxes)
            box = (_free_spot(want, obstacles, zone_boxes, None, zones, tests)
                   or _free_spot(want, obstacles, {}, None, zones, tests, rings=60))
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


def _in_zone(zone: str, refs: list[BBox], obstacles: dict, zones: dict[str, ZoneBox], zone_boxes: dict,
             tests: _Search) -> BBox | None:
    want = _centre_of(refs) if refs else _centre(zone_boxes[zone])
    box = _free_spot(want, obstacles, zone_boxes, zone, zones, tests)
    if box is not None:
        return box
    x, y, w, h = zone_boxes[zone]
    right_first = (want[0] - (x + w)) > (want[1] - (y + h))
    for step in range(1, 4):
        for side in (("right", "down") if right_first else ("down", "right")):
            grown = _grow(zone, side, step, zones, zone_boxes, obstacles, tests)
            if grown is None:
                continue
            box = _free_spot(want, obstacles, grown, zone, zones, tests)
            if box is not None:
                zone_boxes.update(grown)
                tests.changed(zone_boxes)
                return box
    return None


def _grow(zone: str, side: str, step: int, zones: dict[str, ZoneBox], zone_boxes: dict, obstacles: dict,
          tests: _Search) -> dict | None:
    """The zone boxes after growing `zone` (and, as needed, the zones around it), or None
    when the strip it would take holds something else."""
    grown = dict(zone_boxes)
    x, y, w, h = grown[zone]
    if side == "right":
        grown[zone] = (x, y, w + step * (BOX_W + GAP), h)
    else:
        grown[zone] = (x, y, w, h + step * (BOX_H + GAP))
    current = zone
    # indexed once: while growing, only the zone and those around it change, and the test skips them
    near_obstacles = tests.indexed(obstacles)[:2]
    near_zones = tests.indexed(zone_boxes)[:2]
    for _ in range(GROW_DEPTH):  # deeper than that, the zone is not grown: the box goes outside it
        if not _strip_is_free(current, zone_boxes[current], grown[current], zones, near_obstacles, near_zones,
                              tests.family(current, zones)):
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
    return None


def _strip_is_free(zone: str, old: BBox, new: BBox, zones: dict[str, ZoneBox], obstacles, zone_boxes,
                   family: frozenset[str]) -> bool:
    """Whether what growing `zone` from `old` to `new` takes holds no box of another (boxes
    and zones indexed by `_indexed`; the zone's own family is growing with it)."""
    inside = zones[zone].members
    strips = _strips(old, new)
    index, items = obstacles
    for i in {i for strip in strips for i in index.candidates(strip, ordered=False)}:
        key, box = items[i]
        if key not in inside and not _overlaps(box, old) and _overlaps(box, new):  # most candidates are inside `old`
            return False
    index, items = zone_boxes
    for i in {i for strip in strips for i in index.candidates(strip, ordered=False)}:
        other, box = items[i]
        if other not in family and not _overlaps(box, old) and _overlaps(box, new):
            return False
    return True


def _strips(old: BBox, new: BBox) -> list[BBox]:
    """What `new` (grown right and down from `old`) adds: a strip to the right, one below."""
    right, bottom = old[0] + old[2], old[1] + old[3]
    out = []
    if new[0] + new[2] > right:
        out.append((right, new[1], new[0] + new[2] - right, new[3]))
    if new[1] + new[3] > bottom:
        out.append((new[0], bottom, new[2], new[1] + new[3] - bottom))
    return out


def _free_spot(want, obstacles: dict, zone_boxes: dict, zone: str | None, zones: dict[str, ZoneBox],
               tests: _Search, rings: int = RINGS) -> BBox | None:
    """The free box nearest `want` (searched on rings of growing radius) that lies inside
    `zone` and in no other zone but its ancestors (with no zone: in none at all); None when
    there is none, or the placement's overlap tests are spent."""
    step_x, step_y = (BOX_W + GAP) / 2, (BOX_H + GAP) / 2
    allowed = set(_chain(zone, zones)) if zone else set()
    inner = zone_boxes.get(zone) if zone else None
    keys = tests.indexed(obstacles)
    others = tests.indexed(zone_boxes, leave_out=allowed)
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
            if tests.left <= 0:
                return None
            padded = (box[0] - GAP / 2, box[1] - GAP / 2, BOX_W + GAP, BOX_H + GAP)
            if _hits(padded, keys, tests):
                continue
            if _hits((box[0] - 10, box[1] - 10, BOX_W + 20, BOX_H + 20), others, tests):
                continue
            return box
    return None


def _indexed(items) -> tuple[geometry.GridIndex, list[tuple[str, BBox]]]:
    """(key, box) pairs and a spatial index over them, by position in the list."""
    items = list(items)
    index = geometry.GridIndex()
    for i, (_, box) in enumerate(items):
        index.insert(i, box)
    return index, items


def _hits(box: BBox, indexed: tuple, tests: _Search) -> bool:
    """Whether `box` overlaps one of the boxes (only those near it are tested, and counted)."""
    index, items, leave_out = indexed
    for i in index.candidates(box, ordered=False):
        key, other = items[i]
        if key in leave_out:
            continue
        tests.left -= 1
        if _overlaps(box, other):
            return True
    return False


class _Search:
    """What the searches of one placement share: the overlap tests left, and an index of each
    set of boxes, kept while the set is unchanged (obstacles only gain boxes; zones change
    when one grows)."""

    def __init__(self, tests: int) -> None:
        self.left = tests
        self._indexes: dict[int, tuple] = {}  # id of the dict -> (index, items, what it was built from)
        self._families: dict[str, frozenset[str]] = {}

    def family(self, zone: str, zones: dict[str, ZoneBox]) -> frozenset[str]:
        """The zones around `zone` and those it holds (which grow with it), worked out once per
        zone: the zones' nesting does not change while boxes are placed (1,200 nested frames
        were 2,400 steps per strip tested)."""
        found = self._families.get(zone)
        if found is None:
            found = self._families[zone] = frozenset(_chain(zone, zones)) | _descendants(zone, zones)
        return found

    def indexed(self, boxes: dict[str, BBox], leave_out: frozenset | set = frozenset()) -> tuple:
        cached = self._indexes.get(id(boxes))
        if cached is not None and cached[2] is boxes and len(cached[1]) == len(boxes):
            index, items = cached[0], cached[1]
        else:
            index, items = _indexed(boxes.items())
            self._indexes[id(boxes)] = (index, items, boxes)  # holding `boxes` keeps its id its own
        return index, items, leave_out

    def changed(self, boxes: dict[str, BBox]) -> None:
        """`boxes` had boxes replaced (a zone grew): index it afresh next time."""
        self._indexes.pop(id(boxes), None)


def _chain(zone: str | None, zones: dict[str, ZoneBox]) -> list[str]:
    out, steps = [], 0
    while zone is not None and zone in zones and steps < MAX_DEPTH:
        out.append(zone)
        zone, steps = zones[zone].parent, steps + 1
    return out


def _descendants(zone: str, zones: dict[str, ZoneBox]) -> set[str]:
    """The zones `zone` holds, down to MAX_DEPTH - 1 levels (as `_chain` reaches up): from the
    children, not by following every zone's chain (quadratic in the nesting)."""
    children: dict[str, list[str]] = {}
    for z, box in zones.items():
        if box.parent is not None:
            children.setdefault(box.parent, []).append(z)
    found: set[str] = set()
    level = [zone]
    for _ in range(MAX_DEPTH - 1):
        level = [c for z in level for c in children.get(z, ()) if c != zone and c not in found]
        if not level:
            break
        found.update(level)
    return found


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
