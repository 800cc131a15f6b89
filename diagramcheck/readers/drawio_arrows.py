"""draw.io block arrows (a filled arrow shape used as a connector) read as connections.

A block arrow is a vertex: a box, a direction and a rotation. Its tail and head are the
middles of the box's two ends along the arrow's axis, after `direction`, `flipH`/`flipV`
and `rotation` are applied as the app draws them. Each end is attached to the shape it
touches or points at: looking outward from the end along the axis, within a reach of
the arrow's own length (at least REACH_MIN), through a band as wide as the arrow. The
nearest shape in that band wins; among shapes the end lies inside, the innermost. A
shape that holds the whole arrow is where the arrow is drawn, not an end of it (a zone
is an end only when the arrow points at it from outside). Two different shapes
(neither inside the other) about as near are a tie: that end is left unattached, and so
is an end that touches nothing, or only an unlabelled plain box filled like the arrow (a
bent arrow drawn in pieces). Nothing is guessed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from diagramcheck.sketch import BBox, Point

REACH_MIN = 160.0  # px an end looks outward even on a short arrow (the mercari pages leave up to 151)
REACH_FACTOR = 1.5  # ... and on a longer one, this many times its length
BAND_SHARE = 0.3  # of the narrower of (arrow width, shape width across) a shape must overlap
MAX_HITS = 64  # nearest shapes in reach weighed for one end (a real page has a few; a crowded one is cut)
TIE = 10.0  # px: two shapes this close to the nearest make the end ambiguous
PIECE_GAP = 5.0  # px: an end this close to an unlabelled box filled like the arrow runs into it
CAPTION_GAP = 40.0  # px: a free text this close to a shape is taken as its caption
LABEL_GAP = 30.0  # px: a free text this close to an arrow (and nearer it than any shape) is its label

# straight single-headed arrows, their heads pointing east unless the name says otherwise
_SINGLE = ("singlearrow", "flexarrow", "mxgraph.arrows2.arrow", "mxgraph.arrows2.sharparrow",
           "mxgraph.arrows2.sharparrow2", "mxgraph.arrows2.stylisedarrow", "mxgraph.arrows2.tailedarrow",
           "mxgraph.arrows2.tailednotchedarrow", "mxgraph.arrows2.stripedarrow", "mxgraph.arrows2.notchedarrow",
           "mxgraph.arrows2.calloutarrow", "mxgraph.basic.arrow", "mxgraph.arrows.arrow_right",
           "mxgraph.arrows.arrow_left", "mxgraph.arrows.arrow_up", "mxgraph.arrows.arrow_down",
           "mxgraph.arrows.notched_signal_in_arrow", "mxgraph.arrows.signal-in_arrow", "mxgraph.arrows.striped_arrow",
           "mxgraph.arrows.stylised_arrow", "mxgraph.arrows.notched_arrow", "mxgraph.arrows.arrow_with_tail")
_DOUBLE = ("doublearrow", "mxgraph.arrows2.twowayarrow", "mxgraph.arrows2.calloutdoublearrow",
           "mxgraph.arrows.two_way_arrow_horizontal", "mxgraph.arrows.two_way_arrow_vertical")
_OWN_DIRECTION = {"mxgraph.arrows.arrow_left": 180.0, "mxgraph.arrows.arrow_up": 270.0,
                  "mxgraph.arrows.arrow_down": 90.0, "mxgraph.arrows.two_way_arrow_vertical": 90.0}
_DIRECTIONS = {"east": 0.0, "south": 90.0, "west": 180.0, "north": 270.0}


@dataclass(frozen=True)
class Axis:
    """A straight block arrow on the page: where its ends are and how wide it is."""

    tail: Point
    head: Point
    width: float  # across the axis
    double: bool  # heads at both ends

    @property
    def length(self) -> float:
        return math.dist(self.tail, self.head)

    @property
    def unit(self) -> Point:
        length = self.length or 1.0
        return ((self.head[0] - self.tail[0]) / length, (self.head[1] - self.tail[1]) / length)


@dataclass(frozen=True)
class Candidate:
    id: str
    box: BBox  # as drawn (rotation applied)
    labelled: bool  # has a label of its own
    piece: bool  # an unlabelled plain box with no text on it, filled like the arrow: part of a drawn arrow


def kind_of(shape: str, names: frozenset[str]) -> str | None:
    """'single', 'double', or None for a block arrow whose path is not straight (bent,
    U-turn, three- or four-way, circular): those are not read."""
    lowered = {n.lower() for n in names}
    shape = shape.lower()
    if shape in _DOUBLE or lowered & {"doublearrow"}:
        return "double"
    if shape in _SINGLE or lowered & {"singlearrow", "flexarrow"}:
        return "single"
    return None


def axis_of(box: BBox, style: dict[str, str], shape: str, double: bool) -> Axis | None:
    """The arrow's tail, head and width as drawn, or None for a box with no extent."""
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return None
    heading = _DIRECTIONS.get(style.get("direction", "east").lower(), 0.0)
    heading = (heading + _OWN_DIRECTION.get(shape.lower(), 0.0)) % 360
    along, across = (w, h) if heading in (0.0, 180.0) else (h, w)
    dx, dy = round(math.cos(math.radians(heading))), round(math.sin(math.radians(heading)))
    if style.get("flipH") == "1":
        dx = -dx
    if style.get("flipV") == "1":
        dy = -dy
    turn = math.radians(style_number(style.get("rotation")))
    ux, uy = dx * math.cos(turn) - dy * math.sin(turn), dx * math.sin(turn) + dy * math.cos(turn)
    cx, cy = x + w / 2, y + h / 2
    half = along / 2
    return Axis(tail=(cx - ux * half, cy - uy * half), head=(cx + ux * half, cy + uy * half), width=across, double=double)


def drawn_box(box: BBox, rotation: str | None) -> BBox:
    """The box a rotated cell covers on the page (its corners turned about its centre)."""
    x, y, w, h = box
    turn = math.radians(style_number(rotation))
    if turn == 0:
        return box
    c, s = abs(math.cos(turn)), abs(math.sin(turn))
    rw, rh = w * c + h * s, w * s + h * c
    return (x + w / 2 - rw / 2, y + h / 2 - rh / 2, rw, rh)


def style_number(value: str | None) -> float:
    """A number in a cell's style (a rotation, a font size): 0 when absent, unreadable or
    beyond +-360."""
    try:
        number = float(value or 0)
    except ValueError:
        return 0.0
    return number if math.isfinite(number) and abs(number) <= 360 else 0.0


def _frame(axis: Axis, end: Point, outward: Point, box: BBox) -> tuple[float, float, float, float]:
    """`box` seen from `end` looking `outward`: its extent along (from the end) and across
    (from the axis), as the bounds of its corners."""
    ox, oy = outward
    x, y, w, h = box
    along, across = [], []
    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
        rx, ry = px - end[0], py - end[1]
        along.append(rx * ox + ry * oy)
        across.append(-rx * oy + ry * ox)
    return min(along), max(along), min(across), max(across)


def holds(box: BBox, inner: BBox) -> bool:
    return (box[0] <= inner[0] and box[1] <= inner[1]
            and box[0] + box[2] >= inner[0] + inner[2] and box[1] + box[3] >= inner[1] + inner[3])


def _inside(point: Point, box: BBox) -> bool:
    return box[0] <= point[0] <= box[0] + box[2] and box[1] <= point[1] <= box[1] + box[3]


@dataclass(frozen=True)
class Words:
    """A free text on the page, and the shape it is beside (its caption's owner), if any."""

    text: str
    box: BBox
    beside: str | None


def ahead(axis: Axis, at_head: bool, box: BBox) -> float | None:
    """How far ahead of the end `box` lies in the arrow's band, or None when it is out of it."""
    end = axis.head if at_head else axis.tail
    ux, uy = axis.unit
    outward = (ux, uy) if at_head else (-ux, -uy)
    half = axis.width / 2
    lo, hi, left, right = _frame(axis, end, outward, box)
    if hi < 0 or lo > max(REACH_MIN, REACH_FACTOR * axis.length):
        return None
    overlap = min(right, half) - max(left, -half)
    if overlap <= 0 or overlap < BAND_SHARE * min(axis.width, right - left):
        return None
    return 0.0 if _inside(end, box) else max(lo, 0.0)


def end_target(axis: Axis, at_head: bool, arrow_box: BBox, candidates: list[Candidate],
               words: list[Words] = ()) -> tuple[str | None, str]:
    """(the id the end attaches to, "") or (None, why not). `words`: free texts near the end
    that are not this arrow's label; one in the way that is another shape's caption (or no
    shape's) makes the end ambiguous."""
    hits: list[tuple[float, float, Candidate]] = []  # (distance, area, candidate)
    for cand in candidates:
        if holds(cand.box, arrow_box):
            continue  # the arrow is drawn inside it
        distance = ahead(axis, at_head, cand.box)
        if distance is not None:
            hits.append((distance, cand.box[2] * cand.box[3], cand))
    if not hits:
        return None, "touches no shape"
    hits = sorted(hits, key=lambda hit: (hit[0], hit[1]))[:MAX_HITS]
    # innermost wins: a shape holding another one in reach is the region the end is in or
    # points into, not what it points at (a zone is an end only with nothing inside in reach)
    hits = [hit for hit in hits if not any(other is not hit and other[2].box != hit[2].box
                                            and holds(hit[2].box, other[2].box) for other in hits)]
    hits.sort(key=lambda hit: (hit[0], hit[1]))
    best = hits[0]
    if best[2].piece and best[0] <= PIECE_GAP:
        return None, f"runs into {best[2].id}, an unlabelled box filled like the arrow (a bent arrow drawn in pieces)"
    for other in hits:
        if other[2] is best[2] or other[0] - best[0] >= TIE:
            continue
        if holds(other[2].box, best[2].box) or holds(best[2].box, other[2].box):
            continue
        return None, (f"between {best[2].id} and {other[2].id} "
                      f"({best[0]:.0f} and {other[0]:.0f} px away)")
    for word in words:
        distance = ahead(axis, at_head, word.box)
        if distance is not None and distance < best[0] and word.beside != best[2].id:
            where = f"beside {word.beside}" if word.beside else "by no shape"
            return None, f"points at the text {word.text[:40]!r} ({where}) before {best[2].id}"
    return best[2].id, ""


def labels_it(axis: Axis, text_box: BBox) -> bool:
    """Whether a text near the arrow reads as its label: beside it (overlapping its length),
    or beyond one of its ends and centred on its axis (a word over an arrow's tail)."""
    ux, uy = axis.unit
    x, y, w, h = text_box
    along, across = [], []
    for px, py in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
        rx, ry = px - axis.tail[0], py - axis.tail[1]
        along.append(rx * ux + ry * uy)
        across.append(-rx * uy + ry * ux)
    beside = min(max(along), axis.length) - max(min(along), 0.0)
    if beside > 0.3 * min(max(along) - min(along), axis.length):
        return True
    return abs((min(across) + max(across)) / 2) <= axis.width / 4


def label_distance(arrow_box: BBox, text_box: BBox) -> float:
    """How far a text's box is from the arrow's box (0 when they overlap)."""
    dx = max(arrow_box[0] - (text_box[0] + text_box[2]), text_box[0] - (arrow_box[0] + arrow_box[2]), 0.0)
    dy = max(arrow_box[1] - (text_box[1] + text_box[3]), text_box[1] - (arrow_box[1] + arrow_box[3]), 0.0)
    return math.hypot(dx, dy)
