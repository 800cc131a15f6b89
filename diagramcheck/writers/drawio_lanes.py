"""Where a draw.io fix puts its cells: in the swimlane or container their role belongs to,
as that container's children, and what must grow to hold them.

draw.io stores a child's geometry relative to its parent's top-left corner, so an added
cell that is a lane's child moves with the lane, and the app draws it clipped to nothing
but the lane. A lane that is full grows: downwards when it is one of a stack of rows
(`horizontal=0` lanes, or a pool's `horizontalStack=0` stack), to the right when it is one
of a row of columns, else the way its neighbours lie. Growing it pushes the lanes stacked
after it along by as much (as the app's stack layout does), widens the lanes aligned with
it in its stack (a pool's lanes share one width), and grows the pool or container holding
it (`resizeParent`). Nothing else moves: the user's cells stay where they were (a lane's
children move with it, their stored geometry unchanged), and a growth that would run a
container into a cell, or leave behind a cell drawn on a lane without being its child, is
not made; the cell then goes where it can, outside.

A container that lays out its children itself (`childLayout`, such as a pool's stack) takes
no added children (the app would make one a lane): they go to the lane of it they belong
to, or outside. Collapsed, rotated and relatively placed containers are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from diagramcheck import geometry
from diagramcheck.readers.drawio import vertex_boxes
from diagramcheck.sketch import BBox
from diagramcheck.writers import place

TOUCH = 1.0  # lanes this close are stacked (touching)
MAX_PUSHES = 2_000  # pushes of one growth, so a chain of thousands of lanes costs a bounded amount
DEFAULT_START = 23.0  # a swimlane's title band when its style names none (draw.io's stylesheet)


@dataclass
class Lane:
    """A container the graph reads as a zone: its cell, its title band, how it stacks."""

    id: str
    geometry: Element | None
    parent: str | None  # the vertex holding it, if any
    band: float  # title band: its height (title on top) or width (title at the left)
    title_left: bool  # `horizontal=0`: the title runs up the left side
    receives: bool  # added cells may be its children
    movable: bool  # its geometry can be grown or moved


@dataclass
class Layout:
    boxes: dict[str, BBox]  # every added component's absolute box
    parents: dict[str, str | None]  # added component -> the lane cell it is a child of (None: the layer)
    moved: dict[str, tuple[BBox, BBox]] = field(default_factory=dict)  # lane -> (old, new) absolute boxes
    outside: list[str] = field(default_factory=list)  # added to a zone that could not hold them


class Page:
    """The reviewed page's geometry: every shown vertex's absolute box, the lanes, and who
    holds whom; `box` changes as lanes grow and move."""

    def __init__(self, model: Element, zone_ids: set[str]) -> None:
        cells, boxes = vertex_boxes(model)
        self.box: dict[str, BBox] = dict(boxes)
        self.original = dict(boxes)
        by_id = {c.id: c for c in cells}
        self.parent: dict[str, str | None] = {}
        self.children: dict[str | None, list[str]] = {}
        for cell in cells:
            if cell.id not in boxes:
                continue
            parent = cell.parent if cell.parent in boxes else None
            self.parent[cell.id] = parent
            self.children.setdefault(parent, []).append(cell.id)
        self.lanes: dict[str, Lane] = {}
        for zone in zone_ids:
            cell = by_id.get(zone)
            if cell is None or zone not in boxes:
                continue
            style = cell.style
            title_left = style.get("horizontal") == "0"
            swimlane = "swimlane" in cell.names or style.get("shape") == "swimlane"
            band = _number(style.get("startSize"), DEFAULT_START) if swimlane else 0.0
            plain = (cell.geometry is not None and cell.geometry.get("relative") != "1"
                     and _number(style.get("rotation"), 0.0) % 360 == 0 and style.get("collapsed") != "1"
                     and "~" not in zone)  # a duplicate id renamed by the reader names no cell of the file
            self.lanes[zone] = Lane(zone, cell.geometry, self.parent.get(zone), max(band, 0.0), title_left,
                                    receives=plain and not style.get("childLayout"), movable=plain)

    # --- what is where ------------------------------------------------------------

    def content(self, lane: str, box: dict[str, BBox] | None = None) -> BBox:
        """The part of a lane's box its children are drawn in: below or right of its title."""
        x, y, w, h = (box or self.box)[lane]
        info = self.lanes[lane]
        band = min(info.band, w if info.title_left else h)
        return (x + band, y, w - band, h) if info.title_left else (x, y + band, w, h - band)

    def lane_of(self, cell: str) -> str | None:
        """The innermost lane holding a cell (by the file's parents)."""
        current, steps = self.parent.get(cell), 0
        while current is not None and steps < place.MAX_DEPTH:
            if current in self.lanes:
                return current
            current, steps = self.parent.get(current), steps + 1
        return None

    def descendants(self, cell: str) -> list[str]:
        out, level = [], [cell]
        while level and len(out) < len(self.box):
            level = [c for p in level for c in self.children.get(p, ())]
            out.extend(level)
        return out

    def ancestors(self, cell: str) -> list[str]:
        out, current = [], self.parent.get(cell)
        while current is not None and len(out) < len(self.box):
            out.append(current)
            current = self.parent.get(current)
        return out

    # --- growing --------------------------------------------------------------------

    def grown(self, lane: str, changes: list[tuple[str, float]], added: dict[str, tuple[BBox, str | None]]) -> dict[str, BBox] | None:
        """Every box after growing `lane` by each (side, amount) of `changes` (side "right" or "down"), with
        what that pushes and grows around it; None when that would run into a cell. `added`:
        the cells placed so far, by id, with the lane each is a child of."""
        box = dict(self.box)
        box.update({f"added:{k}": b for k, (b, _) in added.items()})
        parent = dict(self.parent)
        parent.update({f"added:{k}": p for k, (_, p) in added.items()})
        children: dict[str | None, list[str]] = {k: list(v) for k, v in self.children.items()}
        for key, (_, holder) in added.items():
            children.setdefault(holder, []).append(f"added:{key}")
        state = _Growth(self, box, parent, children)
        for side, amount in changes:
            if amount > 0 and not state.resize(lane, side, amount, depth=0):
                return None
        return box if state.keeps_relations() else None


class _Growth:
    def __init__(self, page: Page, box: dict[str, BBox], parent: dict, children: dict) -> None:
        self.page = page
        self.box = box
        self.before = dict(box)
        self.parent = parent
        self.children = children
        self.pushes = 0

    def resize(self, cell: str, side: str, amount: float, depth: int) -> bool:
        if depth > place.GROW_DEPTH or cell not in self.page.lanes or not self.page.lanes[cell].movable:
            return False
        if side in ("up", "left") and self.children.get(cell):
            return False  # its children's stored places would have to change with its origin
        holder = self.parent.get(cell)
        siblings = [s for s in self.children.get(holder, []) if s != cell]
        old = self.box[cell]
        group = [cell] + self._aligned(cell, side, siblings)
        for member in group:
            x, y, w, h = self.box[member]
            self.box[member] = {"right": (x, y, w + amount, h), "down": (x, y, w, h + amount),
                                "left": (x - amount, y, w + amount, h), "up": (x, y - amount, w, h + amount)}[side]
        if not self._push(group, siblings, side):
            return False
        if holder is None:
            return True
        return self._fit_holder(holder, side, old, depth)

    def _aligned(self, cell: str, side: str, siblings: list[str]) -> list[str]:
        """The lanes stacked with `cell` that share its edges across the growth: a pool's
        rows share one width, so widening one widens them all (and columns one height)."""
        if side in ("up", "left"):
            return []  # only a lane holding no cells grows so: alone
        x, y, w, h = self.box[cell]
        out, frontier = [], [cell]
        while frontier:
            current = frontier.pop()
            cx, cy, cw, ch = self.box[current]
            for s in siblings:
                if s in out or s not in self.page.lanes or not self.page.lanes[s].movable:
                    continue
                sx, sy, sw, sh = self.box[s]
                if side == "right":
                    same = abs(sx - x) <= TOUCH and abs(sw - w) <= TOUCH
                    touching = abs(sy - (cy + ch)) <= TOUCH or abs(cy - (sy + sh)) <= TOUCH
                else:
                    same = abs(sy - y) <= TOUCH and abs(sh - h) <= TOUCH
                    touching = abs(sx - (cx + cw)) <= TOUCH or abs(cx - (sx + sw)) <= TOUCH
                if same and touching:
                    out.append(s)
                    frontier.append(s)
        return out

    def _push(self, changed: list[str], siblings: list[str], side: str) -> bool:
        """Siblings the changed boxes now run into are moved along, when they are lanes that
        lay after them; anything else in the way stops the growth."""
        queue = list(changed)
        while queue:
            current = queue.pop()
            for s in siblings:
                if s in changed or not _overlaps(self.box[current], self.box[s]):
                    continue
                if _overlaps(self.before[current], self.before[s]):
                    continue  # the user drew them overlapping: not this growth's doing
                lane = self.page.lanes.get(s)
                cur_old, s_old = self.before[current], self.before[s]
                after = {"right": s_old[0] >= cur_old[0] + cur_old[2] - TOUCH, "down": s_old[1] >= cur_old[1] + cur_old[3] - TOUCH,
                         "left": s_old[0] + s_old[2] <= cur_old[0] + TOUCH, "up": s_old[1] + s_old[3] <= cur_old[1] + TOUCH}[side]
                if lane is None or not lane.movable or not after or side in ("up", "left"):
                    return False
                self.pushes += 1
                if self.pushes > MAX_PUSHES:
                    return False
                c, b = self.box[current], self.box[s]
                dx, dy = (c[0] + c[2] - b[0], 0.0) if side == "right" else (0.0, c[1] + c[3] - b[1])
                self._translate(s, dx, dy)
                queue.append(s)
        return True

    def _translate(self, cell: str, dx: float, dy: float) -> None:
        level = [cell]
        steps = 0
        while level and steps < place.MAX_DEPTH * 4:
            for item in level:
                x, y, w, h = self.box[item]
                self.box[item] = (x + dx, y + dy, w, h)
            level = [c for p in level for c in self.children.get(p, ())]
            steps += 1

    def _fit_holder(self, holder: str, side: str, old_child: BBox, depth: int) -> bool:
        """The container grows to hold its children as it did: the margin it kept past its
        last child on that side is kept."""
        held = [self.box[c] for c in self.children.get(holder, [])]
        held_before = [self.before[c] for c in self.children.get(holder, [])]
        hx, hy, hw, hh = self.box[holder]
        bx, by, bw, bh = self.before[holder]
        if side in ("up", "left"):
            return all(geometry.contains_box(self.box[holder], b, slack=0.5) for b in held)  # never grown so: it has children
        if side == "right":
            margin = max(0.0, bx + bw - max(b[0] + b[2] for b in held_before))
            need = max(b[0] + b[2] for b in held) + margin - (hx + hw)
        else:
            margin = max(0.0, by + bh - max(b[1] + b[3] for b in held_before))
            need = max(b[1] + b[3] for b in held) + margin - (hy + hh)
        if need <= 0.01:
            return True
        return self.resize(holder, side, need, depth + 1)

    def keeps_relations(self) -> bool:
        """Whether every changed box stands to every other box as it did (apart, holding it
        or held by it), its own ancestors and descendants aside: a lane that grew into a
        cell, or moved away from one drawn on it, breaks that."""
        changed = [k for k, b in self.box.items() if b != self.before[k]]
        if not changed:
            return True
        index = geometry.GridIndex()
        for key, b in self.box.items():
            index.insert(key, b)
        old_index = geometry.GridIndex()
        for key, b in self.before.items():
            old_index.insert(key, b)
        for key in changed:
            family = set(self._ancestors(key))
            for other in set(index.candidates(self.box[key], ordered=False)) | set(old_index.candidates(self.before[key], ordered=False)):
                if other == key or other in family or key in self._ancestors(other):
                    continue
                then = _relation(self.before[key], self.before[other])
                if then != "partial" and _relation(self.box[key], self.box[other]) != then:
                    return False
        return True

    def _ancestors(self, cell: str) -> list[str]:
        out, current = [], self.parent.get(cell)
        while current is not None and len(out) < place.MAX_DEPTH * 4:
            out.append(current)
            current = self.parent.get(current)
        return out


def lay_out(page: Page, added: list[tuple[str, str | None, list[str]]], anchors: dict[str, list[str]]) -> Layout:
    """Places the added components: `added` is (id, zone id or None, neighbour ids) in plan
    order, `anchors` the cells each drawn component is made of."""
    layout = Layout({}, {})
    placed: dict[str, tuple[BBox, str | None]] = {}
    tests = place._Search(place.PLACEMENT_TESTS + 16 * len(page.box))
    pending = list(added)
    while pending:
        pending.sort(key=lambda a: not any(n in anchors or n in placed for n in a[2]))
        node, zone, near = pending.pop(0)
        refs = [b for b in (_where(page, n, anchors, placed) for n in near) if b is not None]
        lane = _receiving(page, zone)
        box = None
        if lane is not None:
            box = _in_lane(page, lane, refs, placed, tests)
            if box is None:
                layout.outside.append(node)
                lane = None
        if box is None:
            box = _outside(page, refs, placed, tests)
        placed[node] = (box, lane)
    for lane_id in page.lanes:
        old, new = page.original[lane_id], page.box[lane_id]
        if old != new:
            layout.moved[lane_id] = (old, new)
    layout.boxes = {k: b for k, (b, _) in placed.items()}
    layout.parents = {k: p for k, (_, p) in placed.items()}
    return layout


def component_box(page: Page, cells: list[str]) -> BBox | None:
    found = [page.box[c] for c in cells if c in page.box]
    return geometry.union(found) if found else None


def _where(page: Page, component: str, anchors: dict[str, list[str]], placed: dict) -> BBox | None:
    if component in placed:
        return placed[component][0]
    return component_box(page, anchors.get(component, []))


def _receiving(page: Page, zone: str | None) -> str | None:
    lane = page.lanes.get(zone) if zone is not None else None
    return lane.id if lane is not None and lane.receives else None


def _obstacles(page: Page, placed: dict, box: dict[str, BBox] | None = None) -> tuple[dict[str, BBox], dict[str, BBox], dict]:
    """What an added box keeps clear of (every shown cell but the lanes, and each lane's
    title band), the lanes' content areas, and the lanes' nesting, as `place` wants them."""
    box = box or page.box
    obstacles = {f"c:{k}": b for k, b in box.items() if k in page.box and k not in page.lanes}
    obstacles.update({f"a:{k}": box.get(f"added:{k}", b) for k, (b, _) in placed.items()})
    zone_boxes: dict[str, BBox] = {}
    zones: dict[str, place.ZoneBox] = {}
    for lane_id, lane in page.lanes.items():
        content = page.content(lane_id, box)
        zone_boxes[lane_id] = content
        x, y, w, h = box[lane_id]
        if lane.band > 0:
            obstacles[f"t:{lane_id}"] = (x, y, min(lane.band, w), h) if lane.title_left else (x, y, w, min(lane.band, h))
        holder = page.parent.get(lane_id)
        while holder is not None and holder not in page.lanes:
            holder = page.parent.get(holder)
        zones[lane_id] = place.ZoneBox(lane_id, content, holder)
    return obstacles, zone_boxes, zones


def _in_lane(page: Page, lane: str, refs: list[BBox], placed: dict, tests) -> BBox | None:
    obstacles, zone_boxes, zones = _obstacles(page, placed)
    want = _clamped(_centre_of(refs) if refs else _centre(zone_boxes[lane]), zone_boxes[lane])
    box = _snug_spot(want, lane, obstacles, zone_boxes, zones, tests)
    if box is not None:
        return box
    for side in _sides(page, lane, want):
        first = _room_needed(page, lane, side, placed)
        wide = side in ("right", "left")
        across = "down" if wide else "right"
        x, y, w, h = zone_boxes[lane]  # a lane too narrow for a box across the growth widens too
        short = (place.BOX_H + 2 * place.INSET - h) if wide else (place.BOX_W + 2 * place.INSET - w)
        for step in range(3):
            amount = first + step * ((place.BOX_W + place.GAP) if wide else (place.BOX_H + place.GAP))
            grown = page.grown(lane, [(side, amount), (across, short)], placed)
            if grown is None:
                continue
            moved = {k: grown[f"added:{k}"] for k in placed}
            obstacles, zone_boxes, zones = _obstacles(page, {k: (moved[k], p) for k, (_, p) in placed.items()}, grown)
            want_here = _clamped(_centre_of(refs) if refs else _centre(zone_boxes[lane]), zone_boxes[lane])
            x, y, w, h = zone_boxes[lane]  # first try the strip the lane grew by
            want_here = {"right": (x + w - place.INSET - place.BOX_W / 2, want_here[1]),
                         "left": (x + place.INSET + place.BOX_W / 2, want_here[1]),
                         "down": (want_here[0], y + h - place.INSET - place.BOX_H / 2),
                         "up": (want_here[0], y + place.INSET + place.BOX_H / 2)}[side]
            box = _snug_spot(want_here, lane, obstacles, zone_boxes, zones, tests)
            if box is not None:
                page.box.update({k: b for k, b in grown.items() if not k.startswith("added:")})
                for key, (_, holder) in list(placed.items()):
                    placed[key] = (moved[key], holder)
                return box
    return None


NEAREST = 40  # the boxes in a lane nearest the wanted spot whose edges are tried


def _snug_spot(want, lane: str, obstacles: dict, zone_boxes: dict, zones: dict, tests) -> BBox | None:
    """The free spot in the lane nearest `want`, tried at the lane's inner edges, at `want`,
    and just clear of each box near it (so that a box fits the gap a grid of tries misses);
    None when there is none or the placement's tests are spent."""
    x, y, w, h = zone_boxes[lane]
    left, top = x + place.INSET, y + place.INSET
    right, bottom = x + w - place.INSET - place.BOX_W, y + h - place.INSET - place.BOX_H
    if right < left or bottom < top:
        return None
    keys = tests.indexed(obstacles)
    others = tests.indexed(zone_boxes, leave_out=set(place._chain(lane, zones)))
    index, items, _ = keys
    near = sorted((items[i][1] for i in index.candidates(zone_boxes[lane], ordered=False)),
                  key=lambda b: abs(_centre(b)[0] - want[0]) + abs(_centre(b)[1] - want[1]))[:NEAREST]
    half = place.GAP / 2
    xs = {want[0] - place.BOX_W / 2, left, right} | {v for b in near for v in (b[0] + b[2] + half, b[0] - half - place.BOX_W)}
    ys = {want[1] - place.BOX_H / 2, top, bottom} | {v for b in near for v in (b[1] + b[3] + half, b[1] - half - place.BOX_H)}
    xs = {min(max(v, left), right) for v in xs}
    ys = {min(max(v, top), bottom) for v in ys}
    spots = sorted(((cx, cy) for cx in xs for cy in ys),
                   key=lambda p: ((p[0] + place.BOX_W / 2 - want[0]) ** 2 + (p[1] + place.BOX_H / 2 - want[1]) ** 2, p))
    for cx, cy in spots:
        if tests.left <= 0:
            return None
        padded = (cx - half, cy - half, place.BOX_W + place.GAP, place.BOX_H + place.GAP)
        if place._hits(padded, keys, tests):
            continue
        if place._hits((cx - 10, cy - 10, place.BOX_W + 20, place.BOX_H + 20), others, tests):
            continue
        return (cx, cy, place.BOX_W, place.BOX_H)
    return None


def _room_needed(page: Page, lane: str, side: str, placed: dict) -> float:
    """How much the lane must grow for a new row (or column) of one box past everything in it:
    no more, so that a lane grows by what it holds, not in whole steps."""
    area = x, y, w, h = page.content(lane)
    inside = [b for k, b in page.box.items() if k not in page.lanes and geometry.contains_box(area, b)]
    inside += [b for b, holder in placed.values() if holder == lane]
    half = place.GAP / 2
    if side == "right":
        need = max([b[0] + b[2] + half for b in inside] + [x + place.INSET]) + place.BOX_W + place.INSET - (x + w)
    elif side == "down":
        need = max([b[1] + b[3] + half for b in inside] + [y + place.INSET]) + place.BOX_H + place.INSET - (y + h)
    elif side == "left":
        need = x + place.INSET + place.BOX_W - min([b[0] - half for b in inside] + [x + w - place.INSET])
    else:
        need = y + place.INSET + place.BOX_H - min([b[1] - half for b in inside] + [y + h - place.INSET])
    return max(need, 10.0)


def _sides(page: Page, lane: str, want) -> tuple[str, ...]:
    """Rows stacked one above the other grow downwards, columns side by side to the right;
    a lone container the way its neighbours lie. One holding no cells as their parent (a box
    drawn around others) may also grow up or left: moving its corner moves nothing."""
    first = _growth_sides(page, lane, want)
    return first + (("up", "left") if not page.children.get(lane) else ())


def _growth_sides(page: Page, lane: str, want) -> tuple[str, str]:
    x, y, w, h = page.box[lane]
    siblings = [s for s in page.children.get(page.parent.get(lane), []) if s != lane and s in page.lanes]
    for s in siblings:
        sx, sy, sw, sh = page.box[s]
        if abs(sy - (y + h)) <= TOUCH or abs(y - (sy + sh)) <= TOUCH:
            if geometry.overlap_x(page.box[lane], page.box[s]) > 0:
                return ("down", "right")
        if abs(sx - (x + w)) <= TOUCH or abs(x - (sx + sw)) <= TOUCH:
            if geometry.overlap_y(page.box[lane], page.box[s]) > 0:
                return ("right", "down")
    if page.lanes[lane].title_left:
        return ("down", "right")
    return ("right", "down") if (want[0] - (x + w)) > (want[1] - (y + h)) else ("down", "right")


def _outside(page: Page, refs: list[BBox], placed: dict, tests) -> BBox:
    obstacles, zone_boxes, zones = _obstacles(page, placed)
    everything = list(obstacles.values()) + [page.box[k] for k in page.lanes]
    want = _centre_of(refs) if refs else place._below({"all": geometry.union(everything)} if everything else {}, {})
    box = (place._free_spot(want, obstacles, zone_boxes, None, zones, tests)
           or place._free_spot(want, obstacles, {}, None, zones, tests, rings=60))
    if box is None:
        extent = geometry.union(everything) if everything else (0.0, 0.0, 0.0, 0.0)
        box = (extent[0], extent[1] + extent[3] + place.GAP, place.BOX_W, place.BOX_H)
    return box


def _relation(a: BBox, b: BBox) -> str:
    if not _overlaps(a, b):
        return "apart"
    if geometry.contains_box(b, a, slack=0.5):
        return "inside"
    if geometry.contains_box(a, b, slack=0.5):
        return "holds"
    return "partial"


def _overlaps(a: BBox, b: BBox) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) + 0.01 and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1]) + 0.01


def _clamped(point, area: BBox):
    """`point` moved into `area` far enough that a box centred on it can fit inside."""
    def axis(value: float, low: float, size: float, box: float) -> float:
        if size < box + 2 * place.INSET:
            return low + size / 2
        return min(max(value, low + place.INSET + box / 2), low + size - place.INSET - box / 2)

    x, y, w, h = area
    return (axis(point[0], x, w, place.BOX_W), axis(point[1], y, h, place.BOX_H))


def _centre(box: BBox):
    return (box[0] + box[2] / 2, box[1] + box[3] / 2)


def _centre_of(boxes: list[BBox]):
    centres = [_centre(b) for b in boxes]
    return (sum(c[0] for c in centres) / len(centres), sum(c[1] for c in centres) / len(centres))


def _number(value: str | None, default: float) -> float:
    try:
        number = float(value) if value is not None else default
    except ValueError:
        return default
    return number if number == number and abs(number) < 1e9 else default

