"""Plane geometry for attaching arrows and texts to shapes, rotation included."""

from __future__ import annotations

import math

from diagramcheck.sketch import BBox, Point


def centre(bbox: BBox) -> Point:
    x, y, w, h = bbox
    return (x + w / 2, y + h / 2)


def area(bbox: BBox) -> float:
    w, h = bbox[2], bbox[3]
    return w * h if w > 0 and h > 0 else 0.0


def union(boxes: list[BBox]) -> BBox:
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def contains_box(outer: BBox, inner: BBox, slack: float = 2.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[0] + inner[2] <= outer[0] + outer[2] + slack
        and inner[1] + inner[3] <= outer[1] + outer[3] + slack
    )


def _local(point: Point, bbox: BBox, angle: float) -> Point:
    """The point in the shape's own unrotated frame, relative to its centre."""
    x, y, w, h = bbox
    px, py = point[0] - x - w / 2, point[1] - y - h / 2
    if angle:
        c, s = math.cos(-angle), math.sin(-angle)
        px, py = px * c - py * s, px * s + py * c
    return px, py


def distance(point: Point, bbox: BBox, shape: str = "rectangle", angle: float = 0.0) -> float:
    """Signed distance to the outline: negative inside (depth), positive outside."""
    x, y, w, h = bbox
    if angle:
        px, py = _local(point, bbox, angle)
    else:  # _local's arithmetic, without the call: this runs for both ends of every arrow
        px, py = point[0] - x - w / 2, point[1] - y - h / 2
    hw, hh = w / 2, h / 2
    if hw < 0.5:
        hw = 0.5
    if hh < 0.5:
        hh = 0.5
    if shape == "ellipse":
        norm = math.hypot(px / hw, py / hh)
        if norm == 0:
            return -min(hw, hh)
        # radial distance: exact on circles, close enough on ellipses for tolerance tests
        radius = math.hypot(px, py) / norm
        return math.hypot(px, py) - radius
    if shape == "diamond":
        # |x|/hw + |y|/hh = 1; scale by the edge normal length
        value = abs(px) / hw + abs(py) / hh - 1
        return value / math.hypot(1 / hw, 1 / hh)
    dx, dy = abs(px) - hw, abs(py) - hh
    if dx <= 0 and dy <= 0:
        return dx if dx > dy else dy
    return math.hypot(dx if dx > 0 else 0.0, dy if dy > 0 else 0.0)


def overlap_x(a: BBox, b: BBox) -> float:
    return min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])


def overlap_y(a: BBox, b: BBox) -> float:
    return min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])


class GridIndex:
    """A uniform grid over bounding boxes: candidates near a point or box in about
    constant time, so attaching arrows and finding zones stays linear on big sketches."""

    MAX_CELLS = 4096  # a box spanning more cells than this is kept in a short 'large' list

    def __init__(self, cell: float = 256.0) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[str]] = {}
        self.large: list[str] = []

    def _span(self, bbox: BBox) -> tuple[int, int, int, int]:
        x, y, w, h = bbox
        c = self.cell
        return (int(x // c), int(y // c), int((x + w) // c) if w > 0 else int(x // c), int((y + h) // c) if h > 0 else int(y // c))

    def __bool__(self) -> bool:
        return bool(self.cells or self.large)

    def insert(self, key: str, bbox: BBox) -> None:
        x0, y0, x1, y1 = self._span(bbox)
        if (x1 - x0 + 1) * (y1 - y0 + 1) > self.MAX_CELLS:
            self.large.append(key)
            return
        for ix in range(x0, x1 + 1):
            for iy in range(y0, y1 + 1):
                self.cells.setdefault((ix, iy), []).append(key)

    def near_box(self, bbox: BBox, margin: float = 0.0) -> list[str]:
        x, y, w, h = bbox
        x0, y0, x1, y1 = self._span((x - margin, y - margin, w + 2 * margin, h + 2 * margin))
        if (x1 - x0 + 1) * (y1 - y0 + 1) > self.MAX_CELLS:
            everything = {k for keys in self.cells.values() for k in keys}
            return sorted(everything | set(self.large))
        if x0 == x1 and y0 == y1 and not self.large:  # the common case: one cell
            return list(self.cells.get((x0, y0), ()))
        found: dict[str, None] = {}
        for ix in range(x0, x1 + 1):
            for iy in range(y0, y1 + 1):
                for key in self.cells.get((ix, iy), ()):
                    found[key] = None
        for key in self.large:
            found[key] = None
        return list(found)

    def near_point(self, point: Point, margin: float = 0.0) -> list[str]:
        return self.near_box((point[0], point[1], 0.0, 0.0), margin)
