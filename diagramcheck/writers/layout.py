"""Graphviz's layout of a component graph (`dot -Tjson`), in scene pixels with y growing
downwards: node boxes, zones as cluster boxes, and every edge's route as the points of
its spline (Bézier pieces sampled into a polyline that ends at the arrowhead's tip).
The reference architectures are drawn from it, so they read like Graphviz's own figure.
Without the Graphviz binary, a layered fallback places the nodes and routes nothing.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

from diagramcheck.model import ComponentGraph
from diagramcheck.sketch import BBox, Point

BOX_W, BOX_H = 200.0, 80.0
GAP = 40.0
POINTS_TO_PX = 1.5  # Graphviz points to scene pixels: dot's spacing, readable at Excalidraw's scale
SAMPLES_PER_PIECE = 6  # points taken on each cubic Bézier piece of an edge


class GraphvizMissing(RuntimeError):
    pass


@dataclass
class Edge:
    source: str
    target: str
    points: list[Point]
    label_at: Point | None = None


@dataclass
class Layout:
    nodes: dict[str, BBox] = field(default_factory=dict)
    clusters: dict[str, BBox] = field(default_factory=dict)  # zone id -> box
    edges: list[Edge] = field(default_factory=list)
    routed: bool = True  # False: the fallback placed the nodes and drew no routes


def dot_binary() -> str:
    found = shutil.which("dot")
    if not found:
        raise GraphvizMissing(
            "the Graphviz 'dot' program is not installed; install it (Debian/Ubuntu: sudo apt-get install graphviz; "
            "macOS: brew install graphviz; Windows: winget install graphviz) and try again"
        )
    return found


def layout_dot(graph: ComponentGraph, clusters: bool = True) -> str:
    """The DOT text Graphviz lays out: fixed-size boxes, zones as clusters, left to right."""
    from diagramcheck.reporters.graphview import dot_id, dot_quote

    lines = ["digraph g {", "rankdir=LR;", "nodesep=0.45; ranksep=0.8; splines=spline; outputorder=edgesfirst;",
             f"node [shape=box, fixedsize=true, width={BOX_W / POINTS_TO_PX / 72:.3f}, height={BOX_H / POINTS_TO_PX / 72:.3f}];",
             "edge [fontsize=11];"]
    members: dict[str | None, list[str]] = {}
    for component in graph.components:
        members.setdefault(component.zone_id if clusters else None, []).append(component.id)
    children: dict[str | None, list[str]] = {}
    if clusters:
        for zone in graph.zones:
            children.setdefault(zone.parent, []).append(zone.id)
    lines += _cluster_outline(None, members, children)
    ids = {c.id for c in graph.components}
    for i, conn in enumerate(graph.connections):
        if conn.source in ids and conn.target in ids and not conn.source_is_zone and not conn.target_is_zone:
            label = f", label={dot_quote(conn.label)}" if conn.label else ""
            lines.append(f"{dot_id(conn.source)} -> {dot_id(conn.target)} [id=\"e{i}\"{label}];")
    lines.append("}")
    return "\n".join(lines)


def graphviz_layout(graph: ComponentGraph, clusters: bool = True) -> Layout:
    done = subprocess.run([dot_binary(), "-Tjson"], input=layout_dot(graph, clusters), capture_output=True, text=True,
                          timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"dot failed: {done.stderr.strip()[:200]}")
    return parse_json_layout(json.loads(done.stdout), graph)


def parse_json_layout(data: dict, graph: ComponentGraph) -> Layout:
    from diagramcheck.reporters.graphview import cluster_name

    height = float(data.get("bb", "0,0,0,0").split(",")[3])

    def at(x: float, y: float) -> Point:
        return (x * POINTS_TO_PX, (height - y) * POINTS_TO_PX)

    out = Layout()
    zone_by_cluster = {cluster_name(z.id): z.id for z in graph.zones}
    names: dict[int, str] = {}
    for obj in data.get("objects", []):
        if "pos" in obj:
            x, y = at(*(float(v) for v in obj["pos"].split(",")))
            w, h = float(obj["width"]) * 72 * POINTS_TO_PX, float(obj["height"]) * 72 * POINTS_TO_PX
            out.nodes[obj["name"]] = (x - w / 2, y - h / 2, w, h)
            names[obj["_gvid"]] = obj["name"]
        elif obj.get("name") in zone_by_cluster and "bb" in obj:
            x0, y0, x1, y1 = (float(v) for v in obj["bb"].split(","))
            left, top = at(x0, y1)
            out.clusters[zone_by_cluster[obj["name"]]] = (left, top, (x1 - x0) * POINTS_TO_PX, (y1 - y0) * POINTS_TO_PX)
    for edge in data.get("edges", []):
        points = _edge_points(edge.get("pos", ""), at)
        if len(points) < 2:
            continue
        label_at = at(*(float(v) for v in edge["lp"].split(","))) if "lp" in edge else None
        out.edges.append(Edge(names.get(edge["tail"], ""), names.get(edge["head"], ""), points, label_at))
    return out


def _edge_points(pos: str, at) -> list[Point]:
    """An edge's `pos` ("[s,x,y] [e,x,y] p0 p1 p2 p3 ...": cubic Bézier pieces) as points."""
    start = end = None
    controls: list[Point] = []
    for token in pos.split():
        parts = token.split(",")
        try:
            if parts[0] in ("s", "e"):
                point = at(float(parts[1]), float(parts[2]))
                start, end = (point, end) if parts[0] == "s" else (start, point)
            else:
                controls.append(at(float(parts[0]), float(parts[1])))
        except (ValueError, IndexError):
            return []
    if len(controls) < 4:
        return []
    points = [start] if start else []
    points.append(controls[0])
    for i in range(0, len(controls) - 3, 3):
        p0, p1, p2, p3 = controls[i:i + 4]
        for k in range(1, SAMPLES_PER_PIECE + 1):
            t = k / SAMPLES_PER_PIECE
            u = 1 - t
            points.append((u**3 * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t**3 * p3[0],
                           u**3 * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t**3 * p3[1]))
    if end:
        points.append(end)
    return points


def layered_fallback(graph: ComponentGraph) -> Layout:
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
    out = Layout(routed=False)
    for node in order:
        row = rows.get(layer[node], 0)
        rows[layer[node]] = row + 1
        out.nodes[node] = (layer[node] * (BOX_W + 2 * GAP), row * (BOX_H + 2 * GAP), BOX_W, BOX_H)
    return out


def _cluster_outline(zone_id: str | None, members: dict, children: dict) -> Iterator[str]:
    # a module function, not a closure calling itself: that is a reference cycle per call
    from diagramcheck.reporters.graphview import cluster_name, dot_id

    for node in members.get(zone_id, []):
        yield f"{dot_id(node)};"
    for child in children.get(zone_id, []):
        yield f"subgraph {dot_id(cluster_name(child))} {{ margin=20; label=\"\";"
        yield from _cluster_outline(child, members, children)
        yield "}"
