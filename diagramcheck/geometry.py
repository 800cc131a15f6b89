"""Plane geometry for attaching arrows and texts to shapes, rotation included."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections.abc import Iterator

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


class Work:
    """A budget of geometric comparisons for reading one drawing, so that no arrangement of
    shapes (thousands stacked at one spot, nested, crowding one point) can make the reading
    quadratic: the drawing is refused with the limit named instead. Real drawings use a few
    comparisons per element (the public corpus: at most PEAK_SEEN)."""

    PER_ELEMENT = 64
    FLOOR = 1_000_000
    PEAK_SEEN = 14  # per element, the most the public corpus needs (13.2; tests/test_hostile_geometry.py)

    def __init__(self, elements: int) -> None:
        self.limit = self.FLOOR + self.PER_ELEMENT * elements
        self.spent = 0

    def spend(self, amount: int) -> None:
        self.spent += amount
        if self.spent > self.limit:
            from diagramcheck.errors import LimitExceeded

            raise LimitExceeded(f"the drawing is too crowded to read: shape comparisons are over the limit of "
                                f"{self.limit:,} (thousands of shapes stacked, nested or crowding one spot)")


UNLIMITED = Work(0)
UNLIMITED.limit = float("inf")


class GridIndex:
    """Boxes by place: candidates near a point or a box, smallest first.

    Levels of square cells, each level's cells GROWTH times wider than the last; a box is
    kept in the finest level where it spans at most SPAN cells a side, so a huge box costs a
    few cells, not thousands, and a point query looks at one cell per level. Candidates come
    out lazily in ascending order of (`order`, insertion), the box's area unless given, so
    that a caller looking for the smallest box around a point stops at the first one that
    holds it. Every cell looked at and candidate given is charged to `work`.
    """

    GROWTH = 8
    SPAN = 4

    def __init__(self, cell: float = 256.0, work: Work = UNLIMITED) -> None:
        self.cell = cell
        self.work = work
        self.levels: list[dict[tuple[int, int], list[tuple[float, int, str]]]] = []
        self.unsorted: set[tuple[int, tuple[int, int]]] = set()
        self.count = 0

    def __bool__(self) -> bool:
        return self.count > 0

    def _size(self, level: int) -> float:
        return self.cell * self.GROWTH ** level

    def _span(self, bbox: BBox, size: float) -> tuple[int, int, int, int]:
        x, y, w, h = bbox
        return (int(x // size), int(y // size), int((x + max(w, 0.0)) // size), int((y + max(h, 0.0)) // size))

    def insert(self, key: str, bbox: BBox, order: float | None = None) -> None:
        level = 0
        while max(bbox[2], bbox[3]) > self.SPAN * self._size(level):
            level += 1
        while len(self.levels) <= level:
            self.levels.append({})
        cells = self.levels[level]
        entry = (area(bbox) if order is None else order, self.count, key)
        self.count += 1
        x0, y0, x1, y1 = self._span(bbox, self._size(level))
        for ix in range(x0, x1 + 1):
            for iy in range(y0, y1 + 1):
                found = cells.get((ix, iy))
                if found is None:
                    cells[(ix, iy)] = [entry]
                else:
                    if found[-1] > entry:
                        self.unsorted.add((level, (ix, iy)))
                    found.append(entry)

    def candidates(self, bbox: BBox, margin: float = 0.0, ordered: bool = True, above: float | None = None) -> Iterator[str]:
        """The keys of boxes in cells the box (grown by `margin`) touches, each once, smallest
        `order` first (or in no particular order, a little faster), only those whose order is
        over `above` if given: lazily, so that stopping early costs only what was read."""
        x, y, w, h = bbox
        query = (x - margin, y - margin, w + 2 * margin, h + 2 * margin)
        lists = []
        for level, cells in enumerate(self.levels):
            if not cells:
                continue
            x0, y0, x1, y1 = self._span(query, self._size(level))
            if (x1 - x0 + 1) * (y1 - y0 + 1) <= len(cells):
                wanted = ((ix, iy) for ix in range(x0, x1 + 1) for iy in range(y0, y1 + 1))
                self.work.spend((x1 - x0 + 1) * (y1 - y0 + 1))
            else:  # a query wider than what is stored: read the stored cells instead
                wanted = (c for c in cells if x0 <= c[0] <= x1 and y0 <= c[1] <= y1)
                self.work.spend(len(cells))
            for cell in wanted:
                entries = cells.get(cell)
                if entries:
                    if (level, cell) in self.unsorted:
                        entries.sort()
                        self.unsorted.discard((level, cell))
                    if above is not None:  # skip what is no larger, without reading it
                        start = bisect.bisect_right(entries, (above, math.inf))
                        entries = _tail(entries, start) if start else entries
                    lists.append(entries)
        if len(lists) == 1:
            return self._charged(iter(lists[0]), None)  # one cell holds each box once
        return self._charged(heapq.merge(*lists) if ordered else itertools.chain(*lists), set())

    def _charged(self, entries, seen: set | None) -> Iterator[str]:
        """The keys, each counted against the work budget (settled when the caller stops)."""
        work = self.work
        allowed = work.limit - work.spent
        read = 0
        try:
            for entry in entries:
                read += 1
                if read > allowed:
                    work.spend(read)  # raises: over the limit
                key = entry[2]
                if seen is not None:
                    if key in seen:
                        continue
                    seen.add(key)
                yield key
        finally:
            work.spent += read

    def near_box(self, bbox: BBox, margin: float = 0.0) -> list[str]:
        return list(self.candidates(bbox, margin))

    def near_point(self, point: Point, margin: float = 0.0) -> list[str]:
        return list(self.candidates((point[0], point[1], 0.0, 0.0), margin))


def _tail(entries: list, start: int) -> Iterator:
    """The entries from `start` on, without copying the list."""
    for i in range(start, len(entries)):
        yield entries[i]
