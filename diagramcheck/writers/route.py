"""Orthogonal routes for added arrows: around every box they do not connect.

The search runs on a sparse grid (the lines just outside each obstacle, the lines
halfway between neighbouring obstacles, and each box's four ports), with A* over
(point, heading) so that a bend costs extra: routes come out short and with few
corners, the way a person draws connectors. The grid covers the two boxes' surroundings
and widens when nothing fits, so a route costs about the same in a 20-box and a
2,000-box drawing.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable

from diagramcheck import geometry
from diagramcheck.sketch import BBox, Point

MARGIN = 14.0  # clearance kept from every obstacle
GAP = 6.0  # between a bound end and its box's outline
BEND = 60.0  # cost of a corner, in pixels of length
SHARED = 8.0  # a stretch run on top of an earlier route costs this many times its length
LANE = 10.0  # how far beside an earlier route a parallel one may run
CROSS = 45.0  # cost of crossing another arrow
SIDES = ((0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0))  # up, right, down, left
# Bounds, so that no drawing makes routing run for minutes: the grid is made from the
# obstacles near the two ends and grows with their square, the search with the grid. Past
# either bound an arrow is drawn straight, as when no route is found. A search step costs 8
# plus the obstacles its row and column hold. The public corpus needs at most 122 obstacles
# for one route and 667,108 for all the routes of one fix (its Excalidraw and draw.io files);
# the bound is 3 s of search on this machine at worst.
ROUTE_OBSTACLES = 400
ROUTE_STEPS = 2_500_000  # for all the routes of one fix (the caller shares one count)


def _inflate(box: BBox, by: float) -> tuple[float, float, float, float]:
    x, y, w, h = box
    return (x - by, y - by, x + w + by, y + h + by)


def _ports(box: BBox) -> list[tuple[Point, Point, int]]:
    """(point on the outline plus GAP, the point just outside the clearance, side index)."""
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    out = []
    for side, (dx, dy) in enumerate(SIDES):
        px = cx + dx * (w / 2 + GAP)
        py = cy + dy * (h / 2 + GAP)
        reach = MARGIN + 2.0
        out.append(((px, py), (px + dx * reach, py + dy * reach), side))
    return out


def route(start: BBox, end: BBox, obstacles: Iterable[BBox], avoid: list[list[Point]] | None = None,
          busy: list[Point] | None = None, others: list[list[Point]] | None = None,
          steps: list[int] | None = None) -> list[Point]:
    """Points from `start`'s outline to `end`'s, axis-parallel segments only, clear of every
    obstacle (the two boxes themselves included, but for the first and last segment).
    `avoid` holds earlier routes: sharing a stretch of line with one costs extra; a port
    near a `busy` point (where another arrow already ends) costs a corner more; crossing one
    of the `others` (the drawing's arrows) costs CROSS. `steps` is the search steps left
    (one count shared by the routes of a fix; ROUTE_STEPS for this route alone if None)."""
    steps = [ROUTE_STEPS] if steps is None else steps
    boxes = [b for b in obstacles if b[2] > 0 and b[3] > 0]
    region = _inflate(geometry.union([start, end]), 320.0)
    for _ in range(4):
        near = [b for b in boxes if _meets(_inflate(b, MARGIN), region)]
        if len(near) > ROUTE_OBSTACLES or steps[0] <= 0:
            break  # the grid grows with the square of what it avoids: a straight connector instead
        found = _search(start, end, near + [start, end], region, avoid or [], busy or [], (others or []) + (avoid or []), steps)
        if found is not None:
            return _simplify(found)
        region = _inflate((region[0], region[1], region[2] - region[0], region[3] - region[1]), 600.0)
    (sx, sy), (ex, ey) = _centre(start), _centre(end)
    return [_towards(start, (ex, ey)), _towards(end, (sx, sy))]


def _search(start: BBox, end: BBox, obstacles: list[BBox], region, avoid: list[list[Point]],
            busy: list[Point], others: list[list[Point]], steps: list[int]) -> list[Point] | None:
    rects = [_inflate(b, MARGIN) for b in obstacles]
    starts, goals = _ports(start), _ports(end)
    xs, ys = {region[0], region[2]}, {region[1], region[3]}
    for r in rects:
        xs.update((r[0] - 0.5, r[2] + 0.5))
        ys.update((r[1] - 0.5, r[3] + 0.5))
    for _, (qx, qy), _ in starts + goals:
        xs.add(qx)
        ys.add(qy)
    used_h, used_v = _used_lines(avoid)
    for lines, values in ((used_h, ys), (used_v, xs)):  # lanes beside earlier routes, so they need not share one
        for at in lines:
            values.update((at - LANE, at + LANE))
    xs = _with_midlines([x for x in xs if region[0] <= x <= region[2]])
    ys = _with_midlines([y for y in ys if region[1] <= y <= region[3]])
    xi = {x: i for i, x in enumerate(xs)}
    yi = {y: j for j, y in enumerate(ys)}
    blocked_node = _inside_any(xs, ys, rects)
    row_blocks = [[(r[0], r[2]) for r in rects if r[1] < y < r[3]] for y in ys]
    row_cuts, col_cuts = _cuts(others, xs, ys, region)
    col_blocks = [[(r[1], r[3]) for r in rects if r[0] < x < r[2]] for x in xs]

    def open_between(a: float, b: float, blocks) -> bool:
        lo, hi = min(a, b), max(a, b)
        return not any(s < hi and e > lo for s, e in blocks)

    def crowded(p: Point) -> float:
        return 4 * BEND if any(math.dist(p, b) < 30 for b in busy) else 0.0

    goal_at = {(xi[q[0]], yi[q[1]]): (p, side, crowded(p)) for p, q, side in goals if q[0] in xi and q[1] in yi}
    heap: list = []
    best: dict = {}
    came: dict = {}
    gx = sum(q[0] for _, q, _ in goals) / 4
    gy = sum(q[1] for _, q, _ in goals) / 4
    for p, q, side in starts:
        if q[0] not in xi or q[1] not in yi:
            continue
        node = (xi[q[0]], yi[q[1]])
        if node in blocked_node:
            continue
        state = (node, side % 2)  # heading: 0 vertical, 1 horizontal
        cost = math.dist(p, q) + crowded(p)
        best[state] = cost
        came[state] = ("start", p)
        heapq.heappush(heap, (cost + abs(q[0] - gx) + abs(q[1] - gy), cost, state))
    while heap:
        _, cost, state = heapq.heappop(heap)
        if cost > best.get(state, math.inf):
            continue
        (i, j), heading = state
        steps[0] -= 8 + len(row_blocks[j]) + len(col_blocks[i])  # a step (about 8 block tests of time) and the obstacles it looks past
        if steps[0] < 0:
            return None  # searched long enough: a straight connector
        if heading == 2:  # arrived: the cheapest way into a port of the end box
            return _unwind(came, came[state], xs, ys) + [goal_at[(i, j)][0]]
        if (i, j) in goal_at:
            _, side, extra = goal_at[(i, j)]
            arrived = ((i, j), 2)  # into the port: a corner if not heading that way, and its crowding
            price = cost + (BEND if heading != side % 2 else 0.0) + extra
            if price < best.get(arrived, math.inf):
                best[arrived] = price
                came[arrived] = state
                heapq.heappush(heap, (price, price, arrived))
        for di, dj, new_heading in ((1, 0, 1), (-1, 0, 1), (0, 1, 0), (0, -1, 0)):
            ni, nj = i + di, j + dj
            if not (0 <= ni < len(xs) and 0 <= nj < len(ys)) or (ni, nj) in blocked_node:
                continue
            if dj == 0:
                if not open_between(xs[i], xs[ni], row_blocks[j]):
                    continue
                length = abs(xs[ni] - xs[i])
                shared = _shares(used_h.get(round(ys[j])), xs[i], xs[ni])
                cut = _count_between(row_cuts[j], xs[i], xs[ni])
            else:
                if not open_between(ys[j], ys[nj], col_blocks[i]):
                    continue
                length = abs(ys[nj] - ys[j])
                shared = _shares(used_v.get(round(xs[i])), ys[j], ys[nj])
                cut = _count_between(col_cuts[i], ys[j], ys[nj])
            step = length * (SHARED if shared else 1.0) + (BEND if new_heading != heading else 0.0) + CROSS * cut
            nxt = ((ni, nj), new_heading)
            total = cost + step
            if total < best.get(nxt, math.inf):
                best[nxt] = total
                came[nxt] = state
                heapq.heappush(heap, (total + abs(xs[ni] - gx) + abs(ys[nj] - gy), total, nxt))
    return None


def _cuts(lines: list[list[Point]], xs: list[float], ys: list[float], region) -> tuple[list[list[float]], list[list[float]]]:
    """Where the drawing's arrows cut each grid row (x values) and column (y values), sorted."""
    rows: list[list[float]] = [[] for _ in ys]
    cols: list[list[float]] = [[] for _ in xs]
    import bisect

    for points in lines:
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            if max(ax, bx) < region[0] or min(ax, bx) > region[2] or max(ay, by) < region[1] or min(ay, by) > region[3]:
                continue
            lo, hi = (ay, by) if ay < by else (by, ay)
            if hi - lo > 0.5:
                for j in range(bisect.bisect_right(ys, lo), bisect.bisect_left(ys, hi)):
                    rows[j].append(ax + (bx - ax) * (ys[j] - ay) / (by - ay))
            lo, hi = (ax, bx) if ax < bx else (bx, ax)
            if hi - lo > 0.5:
                for i in range(bisect.bisect_right(xs, lo), bisect.bisect_left(xs, hi)):
                    cols[i].append(ay + (by - ay) * (xs[i] - ax) / (bx - ax))
    for values in rows + cols:
        values.sort()
    return rows, cols


def _count_between(values: list[float], a: float, b: float) -> int:
    import bisect

    lo, hi = (a, b) if a < b else (b, a)
    return bisect.bisect_left(values, hi) - bisect.bisect_right(values, lo)


def _unwind(came: dict, state, xs: list[float], ys: list[float]) -> list[Point]:
    points = []
    while True:
        (i, j), _ = state
        points.append((xs[i], ys[j]))
        previous = came[state]
        if previous[0] == "start":
            points.append(previous[1])
            break
        state = previous
    return points[::-1]


def _with_midlines(values: list[float]) -> list[float]:
    values = sorted(values)
    out = []
    for a, b in zip(values, values[1:]):
        out.append(a)
        if b - a > 4 * MARGIN:
            out.append((a + b) / 2)
    if values:
        out.append(values[-1])
    return out


def _inside_any(xs: list[float], ys: list[float], rects) -> set[tuple[int, int]]:
    import bisect

    inside = set()
    for r in rects:
        i0, i1 = bisect.bisect_right(xs, r[0]), bisect.bisect_left(xs, r[2])
        j0, j1 = bisect.bisect_right(ys, r[1]), bisect.bisect_left(ys, r[3])
        for i in range(i0, i1):
            for j in range(j0, j1):
                inside.add((i, j))
    return inside


def _used_lines(routes: list[list[Point]]) -> tuple[dict, dict]:
    horizontal: dict[int, list[tuple[float, float]]] = {}
    vertical: dict[int, list[tuple[float, float]]] = {}
    for points in routes:
        for (ax, ay), (bx, by) in zip(points, points[1:]):
            if abs(ay - by) < 0.5:
                horizontal.setdefault(round(ay), []).append((min(ax, bx), max(ax, bx)))
            elif abs(ax - bx) < 0.5:
                vertical.setdefault(round(ax), []).append((min(ay, by), max(ay, by)))
    return horizontal, vertical


def _shares(spans, a: float, b: float) -> bool:
    if not spans:
        return False
    lo, hi = min(a, b), max(a, b)
    return any(s < hi and e > lo for s, e in spans)


def _simplify(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for p in points:
        p = (round(p[0], 2), round(p[1], 2))
        if out and math.dist(out[-1], p) < 0.01:
            continue
        if len(out) >= 2 and _collinear(out[-2], out[-1], p):
            out[-1] = p
        else:
            out.append(p)
    return out


def _collinear(a: Point, b: Point, c: Point) -> bool:
    return (abs(a[0] - b[0]) < 0.01 and abs(b[0] - c[0]) < 0.01) or (abs(a[1] - b[1]) < 0.01 and abs(b[1] - c[1]) < 0.01)




def _meets(r, region) -> bool:
    return r[0] < region[2] and r[2] > region[0] and r[1] < region[3] and r[3] > region[1]


def _centre(box: BBox) -> Point:
    return (box[0] + box[2] / 2, box[1] + box[3] / 2)


def _towards(box: BBox, point: Point) -> Point:
    cx, cy = _centre(box)
    dx, dy = point[0] - cx, point[1] - cy
    if dx == 0 and dy == 0:
        return (cx, cy)
    t = min(box[2] / 2 / abs(dx) if dx else math.inf, box[3] / 2 / abs(dy) if dy else math.inf)
    return (cx + dx * t, cy + dy * t)


def segment_hits_box(a: Point, b: Point, box: BBox, shrink: float = 1.0) -> bool:
    """Whether the segment a-b passes through the box's interior (Liang-Barsky clipping);
    `shrink` keeps a touch of the outline from counting."""
    x0, y0 = box[0] + shrink, box[1] + shrink
    x1, y1 = box[0] + box[2] - shrink, box[1] + box[3] - shrink
    if x1 <= x0 or y1 <= y0:
        return False
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            if t > t1:
                return False
            t0 = max(t0, t)
        else:
            if t < t0:
                return False
            t1 = min(t1, t)
    return t0 < t1
