"""draw.io speech-bubble callouts: where a callout's pointer tip lands, and what its text is.

A callout is a box with a pointer (draw.io's `callout`, `mxgraph.basic.rectCallout` and
`mxgraph.basic.roundRectCallout`). Drawn unturned, its body is the top of its box and the
pointer hangs from the body's bottom edge, its tip on the box's bottom side at `position2`
of the width (`callout`: body height less `size`) or at `dx - dy` (the basic callouts:
body height less `dy`). The app then applies `direction` (north and south paint the
shape in the box turned a quarter, its width and height swapped), `flipH`/`flipV` (in the
shape's own frame, swapped for north and south) and `rotation`, about the box's centre:
the same steps here give the tip and the body as drawn on the page.

What the reader does with it (drawio.py): a callout whose tip lands on, or within TIP_GAP
of, exactly one shape (the innermost where one holds another) names that shape; the
texts drawn in its body are the name. Nothing is guessed: a tip on nothing or between
two shapes leaves the callout as it was, a box of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from diagramcheck.readers.drawio_arrows import style_number
from diagramcheck.sketch import BBox, Point

TIP_GAP = 16.0  # px: a tip this close to a shape's drawn box lands on it (the mercari pages leave up to 13, and 20 by a wider gap)
PART_MARGIN = 4.0  # px: a shape this far over the body's edge is still drawn in it
MAX_PARTS = 100  # cells drawn in one bubble: one holding more is no speech bubble, left as drawn
MAX_HITS = 64  # nearest shapes weighed at one tip (a real page has one or two)

_DIRECTIONS = {"east": 0.0, "south": 90.0, "west": 180.0, "north": 270.0}
_CALLOUTS = ("callout", "mxgraph.basic.rectcallout", "mxgraph.basic.roundrectcallout")


@dataclass(frozen=True)
class Pointer:
    """A callout as drawn: the box its text is in, and where its pointer ends."""

    body: BBox
    tip: Point


def is_callout(style: dict[str, str]) -> bool:
    return style.get("shape", "").lower() in _CALLOUTS


def pointer_of(box: BBox, style: dict[str, str]) -> Pointer | None:
    """The callout's body and tip on the page, or None for a box with no extent."""
    x, y, w, h = box
    if w <= 0 or h <= 0:
        return None
    direction = style.get("direction", "east").lower()
    upright = direction in ("north", "south")
    width, height = (h, w) if upright else (w, h)  # the frame the path is drawn in
    flip_h, flip_v = style.get("flipH") == "1", style.get("flipV") == "1"
    if upright:
        flip_h, flip_v = flip_v, flip_h
    tip, body_height = _local(style, width, height)
    turn = math.radians((style_number(style.get("rotation")) + _DIRECTIONS.get(direction, 0.0)) % 360)
    cx, cy = x + w / 2, y + h / 2
    cos, sin = math.cos(turn), math.sin(turn)

    def page(px: float, py: float) -> Point:
        px, py = px - width / 2, py - height / 2
        if flip_h:
            px = -px
        if flip_v:
            py = -py
        return (cx + px * cos - py * sin, cy + px * sin + py * cos)

    corners = [page(px, py) for px in (0.0, width) for py in (0.0, body_height)]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return Pointer(body=(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)), tip=page(*tip))


def _local(style: dict[str, str], w: float, h: float) -> tuple[Point, float]:
    """The tip and the body's height in the shape's own frame (w x h, the pointer below)."""
    shape = style.get("shape", "").lower()
    if shape == "callout":
        size = _clamp(_number(style.get("size"), 30.0), 0.0, h)
        position2 = _clamp(_number(style.get("position2"), 0.5), 0.0, 1.0)
        return (w * position2, h), h - size
    dx = _clamp(_number(style.get("dx"), 0.5), 0.0, w)
    dy = _clamp(_number(style.get("dy"), 0.5), 0.0, h)
    if shape == "mxgraph.basic.roundrectcallout":
        r = min((h - dy) / 2, w / 2, _clamp(_number(style.get("size"), 10.0), 0.0, h))
        dx = min(w - r - dy / 2, max(r + dy / 2, dx))
    return (dx - dy, h), h - dy


def _number(value: str | None, default: float) -> float:
    try:
        number = float(value) if value is not None else default
    except ValueError:
        return default
    return number if math.isfinite(number) else default


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def distance(point: Point, box: BBox) -> float:
    """How far a point is from a box (0 inside it)."""
    dx = max(box[0] - point[0], point[0] - (box[0] + box[2]), 0.0)
    dy = max(box[1] - point[1], point[1] - (box[1] + box[3]), 0.0)
    return math.hypot(dx, dy)


def within(inner: BBox, outer: BBox, margin: float = PART_MARGIN) -> bool:
    return (inner[0] >= outer[0] - margin and inner[1] >= outer[1] - margin
            and inner[0] + inner[2] <= outer[0] + outer[2] + margin
            and inner[1] + inner[3] <= outer[1] + outer[3] + margin)
