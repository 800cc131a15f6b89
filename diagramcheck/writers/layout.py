"""Where added components go: Graphviz's layered layout (`dot -Tjson`) decides each new
box's place relative to the boxes it connects to; then it is slid to the nearest free spot
so that it overlaps nothing. Without the Graphviz binary, the same free-spot search starts
next to the neighbours instead (and the output says so).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from collections.abc import Iterator

from diagramcheck import geometry
from diagramcheck.model import ComponentGraph
from diagramcheck.sketch import BBox

BOX_W, BOX_H = 200.0, 80.0
GAP = 40.0
POINTS_TO_PX = 1.6  # Graphviz points to scene pixels: keeps dot's spacing readable at Excalidraw scale


class GraphvizMissing(RuntimeError):
    pass


def dot_binary() -> str:
    found = shutil.which("dot")
    if not found:
        raise GraphvizMissing(
            "the Graphviz 'dot' program is not installed; install it (Debian/Ubuntu: sudo apt-get install graphviz; "
            "macOS: brew install graphviz; Windows: winget install graphviz) and try again"
        )
    return found


def dot_layout(graph: ComponentGraph, clusters: bool = False) -> dict[str, tuple[float, float]]:
    """Node centres from `dot -Tjson`, in pixels, y growing downwards. With `clusters`, zones
    are laid out as Graphviz clusters and their boxes come back under the key `zone:<id>`
    as (x, y, width, height) packed into the same dict."""
    from diagramcheck.reporters.graphview import cluster_name, dot_quote

    lines = ["digraph g {", "rankdir=LR;", "nodesep=0.6; ranksep=0.9;",
             f"node [shape=box, fixedsize=true, width={BOX_W / 72:.2f}, height={BOX_H / 72:.2f}];"]
    members: dict[str | None, list[str]] = {}
    for component in graph.components:
        members.setdefault(component.zone_id if clusters else None, []).append(component.id)
    children: dict[str | None, list[str]] = {}
    if clusters:
        for zone in graph.zones:
            children.setdefault(zone.parent, []).append(zone.id)

    lines += _cluster_outline(None, members, children)
    for conn in graph.connections:
        if not conn.source_is_zone and not conn.target_is_zone:
            lines.append(f"{dot_quote(conn.source)} -> {dot_quote(conn.target)};")
    lines.append("}")
    done = subprocess.run([dot_binary(), "-Tjson"], input="\n".join(lines), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.strip()[:200]}")
    data = json.loads(done.stdout)
    height = float(data.get("bb", "0,0,0,0").split(",")[3])
    positions: dict = {}
    zone_by_cluster = {cluster_name(z.id): z.id for z in graph.zones}
    for obj in data.get("objects", []):
        if "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            positions[obj["name"]] = (x * POINTS_TO_PX, (height - y) * POINTS_TO_PX)
        elif obj.get("name") in zone_by_cluster and "bb" in obj:
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            positions["zone:" + zone_by_cluster[obj["name"]]] = (
                x0 * POINTS_TO_PX, (height - y1) * POINTS_TO_PX, (x1 - x0) * POINTS_TO_PX, (y1 - y0) * POINTS_TO_PX)
    return positions


def layered_fallback(graph: ComponentGraph) -> dict[str, tuple[float, float]]:
    """Without Graphviz: longest-path layers left to right, one row per node in a layer."""
    succ: dict[str, list[str]] = {c.id: [] for c in graph.components}
    indeg = {c.id: 0 for c in graph.components}
    for conn in graph.connections:
        if conn.source in succ and conn.target in succ and conn.source != conn.target:
            succ[conn.source].append(conn.target)
            indeg[conn.target] += 1
    layer = {n: 0 for n in succ}
    order = [n for n in succ if indeg[n] == 0] or list(succ)[:1]
    seen = set(order)
    i = 0
    while i < len(order):  # breadth-first from the sources; cycles are cut where first met
        node = order[i]
        i += 1
        for nxt in succ[node]:
            if nxt not in seen:
                layer[nxt] = layer[node] + 1
                seen.add(nxt)
                order.append(nxt)
    for node in succ:
        if node not in seen:
            order.append(node)
    rows: dict[int, int] = {}
    positions = {}
    for node in order:
        row = rows.get(layer[node], 0)
        rows[layer[node]] = row + 1
        positions[node] = (layer[node] * (BOX_W + 2 * GAP) + BOX_W / 2, row * (BOX_H + 2 * GAP) + BOX_H / 2)
    return positions


def place_added(
    graph: ComponentGraph,
    added: list[str],
    occupied: list[BBox],
    anchors: dict[str, tuple[float, float]],
) -> tuple[dict[str, BBox], bool]:
    """Boxes for the added components. `anchors` holds the centres of existing components
    in the drawing. Returns the boxes and whether Graphviz's layout was used."""
    try:
        layout = dot_layout(graph)
        used_dot = True
    except (GraphvizMissing, RuntimeError, subprocess.TimeoutExpired, OSError, ValueError):
        layout, used_dot = {}, False
    neighbours: dict[str, list[str]] = {a: [] for a in added}
    for conn in graph.connections:
        if conn.source in neighbours:
            neighbours[conn.source].append(conn.target)
        if conn.target in neighbours:
            neighbours[conn.target].append(conn.source)
    index = geometry.GridIndex(cell=256.0)
    boxes_by_key: dict[str, BBox] = {}
    for i, box in enumerate(occupied):
        index.insert(f"o{i}", box)
        boxes_by_key[f"o{i}"] = box
    placed: dict[str, BBox] = {}
    known = dict(anchors)
    extent = geometry.union(occupied) if occupied else (0.0, 0.0, 0.0, 0.0)
    # place components with an already-placed neighbour first, so chains of additions stay together
    pending = list(added)
    while pending:
        pending.sort(key=lambda a: (not any(n in known for n in neighbours[a]), added.index(a)))
        node = pending.pop(0)
        refs = [n for n in neighbours[node] if n in known]
        if refs:
            # start between the boxes it connects to, stepped out in the direction Graphviz's
            # layered layout puts it (bounded, so a wide layout does not fling it far away)
            cx = sum(known[n][0] for n in refs) / len(refs)
            cy = sum(known[n][1] for n in refs) / len(refs)
            dx, dy = 0.0, BOX_H + 2 * GAP
            if node in layout and all(n in layout for n in refs):
                lx = sum(layout[n][0] for n in refs) / len(refs)
                ly = sum(layout[n][1] for n in refs) / len(refs)
                dx, dy = layout[node][0] - lx, layout[node][1] - ly
            length = math.hypot(dx, dy) or 1.0
            reach = min(length, 1.5 * (BOX_W + GAP)) if len(refs) == 1 else min(length, BOX_W + GAP)
            want = (cx + dx / length * reach, cy + dy / length * reach)
        else:  # nothing to stand next to: below the drawing
            want = (extent[0] + BOX_W / 2, extent[1] + extent[3] + 2 * GAP + BOX_H / 2)
        box = _free_spot(want, index, boxes_by_key)
        placed[node] = box
        key = f"a{node}"
        index.insert(key, box)
        boxes_by_key[key] = box
        known[node] = geometry.centre(box)
    return placed, used_dot


def _free_spot(centre: tuple[float, float], index: geometry.GridIndex, boxes: dict[str, BBox]) -> BBox:
    """The free box nearest to `centre`, searched on rings of growing radius."""
    step = (BOX_W + GAP) / 2
    for ring in range(0, 200):
        candidates = [(0, 0)] if ring == 0 else [
            (dx, dy) for dx in range(-ring, ring + 1) for dy in range(-ring, ring + 1) if max(abs(dx), abs(dy)) == ring
        ]
        candidates.sort(key=lambda d: (math.hypot(d[0], d[1] * 2), d))
        for dx, dy in candidates:
            x = centre[0] + dx * step - BOX_W / 2
            y = centre[1] + dy * (BOX_H + GAP) / 2 - BOX_H / 2
            box = (x, y, BOX_W, BOX_H)
            padded = (x - GAP / 2, y - GAP / 2, BOX_W + GAP, BOX_H + GAP)
            if not any(_overlaps(padded, boxes[k]) for k in index.near_box(padded)):
                return box
    return (centre[0] - BOX_W / 2, centre[1] - BOX_H / 2, BOX_W, BOX_H)


def _overlaps(a: BBox, b: BBox) -> bool:
    return geometry.overlap_x(a, b) > 0 and geometry.overlap_y(a, b) > 0


def _cluster_outline(zone_id: str | None, members: dict, children: dict) -> Iterator[str]:
    # a module function, not a closure calling itself: that is a reference cycle per call
    from diagramcheck.reporters.graphview import cluster_name, dot_quote

    for node in members.get(zone_id, []):
        yield f"{dot_quote(node)};"
    for child in children.get(zone_id, []):
        yield f"subgraph {dot_quote(cluster_name(child))} {{ margin=24; label=\"\";"
        yield from _cluster_outline(child, members, children)
        yield "}"
