"""Drawing quality of corrected sketches and reference architectures.

For every corrected sample (Excalidraw, and DOT as Graphviz lays it out), every corrected
Excalidraw corpus file with an ML design, and every reference architecture, it measures:

- added arrows that pass through a box they do not connect (segment-rectangle test);
- overlaps between two boxes, one of them added (the user's own overlaps are theirs);
- arrow crossings (pairs of arrows, one of them added; for references, every pair,
  next to the crossings of Graphviz's own layout of the same graph);
- added boxes outside the zone their role belongs to, where the sketch has such a zone;
- duplicate roles: added boxes of a kind another added box already has.

Outputs are made through the command line of whichever Python is given, so the same
script measures an older checkout:

    python benchmarks/drawing_quality.py                       # this checkout
    python benchmarks/drawing_quality.py --python /path/to/old/venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.build import build_graph  # noqa: E402
from diagramcheck.classify import assign_kinds  # noqa: E402
from diagramcheck.kinds import default_lexicon  # noqa: E402
from diagramcheck.plan import HOME, zone_role  # noqa: E402
from diagramcheck.readers import embedded, read_bytes  # noqa: E402
from diagramcheck.writers.route import segment_hits_box  # noqa: E402

SAMPLES = ROOT / "sample_diagrams"
CORPUS = ROOT.parent / "shared" / "corpus"
PROBLEMS = ["recommendation", "search-ranking", "ads-ctr", "fraud-detection", "content-moderation", "rag-llm",
            "forecasting", "generic"]
TOUCH = 25.0  # an arrow end this close to a box is attached to it


@dataclass
class Quality:
    name: str
    added_boxes: int = 0
    added_arrows: int = 0
    through_boxes: int = 0  # added arrows (every arrow, for references) passing through a box they do not connect
    overlaps: int = 0
    crossings: int = 0
    graphviz_crossings: int | None = None
    outside_zone: int = 0
    duplicate_roles: int = 0
    notes: list[str] = field(default_factory=list)


# --- geometry of a scene ------------------------------------------------------------


def scene_geometry(scene: dict, name: str = "out.excalidraw"):
    """Component boxes (by component id, with kind and zone), zones by id, and arrows as
    absolute polylines by element id, as the reader understands the scene."""
    graph = build_graph(read_bytes(json.dumps(scene).encode(), name))
    assign_kinds(graph, default_lexicon())
    live = {e["id"]: e for e in scene.get("elements", []) if isinstance(e, dict) and not e.get("isDeleted") and "id" in e}
    boxes = {}
    for c in graph.components:
        found = [_bbox(live[s]) for s in c.sources if s in live and live[s].get("type") not in ("arrow", "line")]
        if found:
            boxes[c.id] = (_union(found), c)
    arrows = {}
    for e in live.values():
        if e.get("type") == "arrow" and isinstance(e.get("points"), list) and len(e["points"]) >= 2:
            arrows[e["id"]] = [(e["x"] + p[0], e["y"] + p[1]) for p in e["points"]]
    return graph, boxes, arrows


def through_boxes(points, boxes: dict) -> list[str]:
    ends = [c for c, (box, _) in boxes.items() if _near(points[0], box) or _near(points[-1], box)]
    hit = []
    for cid, (box, _) in boxes.items():
        if cid in ends:
            continue
        if any(segment_hits_box(a, b, box, shrink=2.0) for a, b in zip(points, points[1:])):
            hit.append(cid)
    return hit


def crossings(arrows: dict, counted: set[str] | None = None) -> int:
    """Pairs of arrows that cross (a shared end does not count); with `counted`, only pairs
    with at least one arrow in it."""
    ids = sorted(arrows)
    total = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if counted is not None and a not in counted and b not in counted:
                continue
            if _polylines_cross(arrows[a], arrows[b]):
                total += 1
    return total


def _polylines_cross(p: list, q: list) -> bool:
    for a1, a2 in zip(p, p[1:]):
        for b1, b2 in zip(q, q[1:]):
            if _segments_cross(a1, a2, b1, b2):
                return True
    return False


def _segments_cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return 0 if abs(v) < 1e-9 else (1 if v > 0 else -1)

    d1, d2, d3, d4 = orient(p3, p4, p1), orient(p3, p4, p2), orient(p1, p2, p3), orient(p1, p2, p4)
    if d1 * d2 < 0 and d3 * d4 < 0:
        # ends that meet (both arrows at one box) are not a crossing
        return min(_dist(x, y) for x in (p1, p2) for y in (p3, p4)) > 3.0
    return False


def overlaps(boxes: dict, added: set[str]) -> int:
    ids = sorted(boxes)
    total = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1:]:
            if a not in added and b not in added:
                continue
            if _overlap(boxes[a][0], boxes[b][0]):
                total += 1
    return total


# --- corrected sketches ----------------------------------------------------------------


def measure_corrected(original: dict, corrected: dict, name: str) -> Quality:
    q = Quality(name)
    before = {e.get("id") for e in original.get("elements", []) if isinstance(e, dict)}
    graph, boxes, arrows = scene_geometry(corrected)
    added_components = {cid for cid, (_, c) in boxes.items() if not set(c.sources) & before}
    added_arrows = {aid for aid in arrows if aid not in before}
    q.added_boxes, q.added_arrows = len(added_components), len(added_arrows)
    for aid in added_arrows:
        if through_boxes(arrows[aid], boxes):
            q.through_boxes += 1
    q.overlaps = overlaps(boxes, added_components)
    q.crossings = crossings(arrows, added_arrows)
    roles = {z.id: zone_role(z.label) for z in graph.zones}
    kinds_seen: dict[str, int] = {}
    for cid in added_components:
        component = boxes[cid][1]
        kinds_seen[component.kind] = kinds_seen.get(component.kind, 0) + 1
        home = next((role for role, kinds in HOME.items() if component.kind in kinds), None)
        homes = {z for z, role in roles.items() if role == home}
        if home is not None and homes and not _in_zone(graph, component.zone_id, homes):
            q.outside_zone += 1
            q.notes.append(f"{component.label} ({component.kind}) outside its {home} zone")
    q.duplicate_roles = sum(n - 1 for n in kinds_seen.values())
    return q


def _in_zone(graph, zone_id, homes: set[str]) -> bool:
    parents = {z.id: z.parent for z in graph.zones}
    steps = 0
    while zone_id is not None and steps < 50:
        if zone_id in homes:
            return True
        zone_id, steps = parents.get(zone_id), steps + 1
    return False


def measure_corrected_dot(original_text: str, corrected_text: str, name: str) -> Quality:
    """A corrected DOT sketch as Graphviz lays it out: added edges through nodes, crossings."""
    q = Quality(name)
    layout = _dot_json(corrected_text)
    if layout is None:
        q.notes.append("Graphviz could not lay it out")
        return q
    nodes, edges = layout
    added_nodes = {n for n in nodes if n.startswith("fix-")}
    q.added_boxes = len(added_nodes)
    boxes = {n: (b, None) for n, b in nodes.items()}
    added = {i for i, (_, _, _, red) in enumerate(edges) if red}
    q.added_arrows = len(added)
    for i in added:
        tail, head, points, _ = edges[i]
        if [n for n in through_boxes(points, boxes) if n not in (tail, head)]:
            q.through_boxes += 1
    q.overlaps = overlaps(boxes, added_nodes)
    q.crossings = crossings({str(i): e[2] for i, e in enumerate(edges)}, {str(i) for i in added})
    return q


def _dot_json(text: str):
    done = subprocess.run(["dot", "-Tjson"], input=text, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        return None
    from diagramcheck.writers.layout import _edge_points

    data = json.loads(done.stdout)
    height = float(data.get("bb", "0,0,0,0").split(",")[3])

    def at(x, y):
        return (x, height - y)

    nodes, names = {}, {}
    for obj in data.get("objects", []):
        if "pos" in obj:
            x, y = at(*(float(v) for v in obj["pos"].split(",")))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            nodes[obj["name"]] = (x - w / 2, y - h / 2, w, h)
            names[obj["_gvid"]] = obj["name"]
    edges = []
    for edge in data.get("edges", []):
        points = _edge_points(edge.get("pos", ""), at)
        if len(points) >= 2:
            edges.append((names.get(edge["tail"]), names.get(edge["head"]), points, "#e03131" in str(edge.get("color", ""))))
    return nodes, edges


# --- references ---------------------------------------------------------------------------


def measure_reference(scene: dict, problem: str) -> Quality:
    q = Quality(f"reference {problem}")
    _, boxes, arrows = scene_geometry(scene)
    q.added_boxes, q.added_arrows = len(boxes), len(arrows)
    q.through_boxes = sum(1 for points in arrows.values() if through_boxes(points, boxes))
    q.overlaps = overlaps(boxes, set(boxes))
    q.crossings = crossings(arrows)
    q.graphviz_crossings = graphviz_crossings(problem)
    return q


def graphviz_crossings(problem: str) -> int | None:
    """Crossings in Graphviz's own layout of the reference graph (the same DOT text)."""
    from diagramcheck.reference import load
    from diagramcheck.writers.layout import GraphvizMissing, graphviz_layout

    graph, _ = load(problem, set(default_lexicon().kinds))
    try:
        layout = graphviz_layout(graph, clusters=bool(graph.zones))
    except (GraphvizMissing, RuntimeError, OSError):
        return None
    return crossings({str(i): e.points for i, e in enumerate(layout.edges)})


# --- driving the command line ------------------------------------------------------------


def run_fix(python: str, path: Path, out: Path) -> bool:
    done = subprocess.run([python, "-m", "diagramcheck", "fix", str(path), "-o", str(out), "--force"],
                          capture_output=True, text=True, timeout=600)
    return done.returncode == 0 and out.exists()


def scene_of(path: Path, data: bytes) -> dict:
    name = path.name.lower()
    if name.endswith(".md") or data.startswith(b"---"):
        return embedded.scene_from_obsidian(data.decode("utf-8-sig"))[0]
    if name.endswith(".svg"):
        return embedded.scene_from_svg(data)
    if name.endswith(".png"):
        return embedded.scene_from_png(data)
    return json.loads(data)


def ml_corpus_files() -> list[Path]:
    """Corpus Excalidraw files with an ML design: the review finds a model, training or
    serving component in them (no nothing-to-review finding)."""
    from diagramcheck.engine import review
    from diagramcheck.errors import DiagramError
    from diagramcheck.packs import catalog_for
    from diagramcheck.pipeline import load_graph

    folder = CORPUS / "excalidraw"
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.iterdir()):
        try:
            findings = review(load_graph(path), catalog_for(), default_lexicon().category).findings
        except (DiagramError, OSError, ValueError):
            continue
        if not any(f.rule == "nothing-to-review" for f in findings):
            out.append(path)
    return out


def measure_all(python: str) -> list[Quality]:
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = [p for p in sorted(SAMPLES.iterdir()) if ".excalidraw" in p.name or p.suffix in (".dot", ".gv")]
        corpus = ml_corpus_files()
        for path in inputs + corpus:
            out = work / ("out" + (".dot" if path.suffix in (".dot", ".gv") else ".excalidraw.md" if path.name.endswith(".md") else ".excalidraw"))
            if out.exists():
                out.unlink()
            label = ("corpus/" if path in corpus else "") + path.name
            if not run_fix(python, path, out):
                results.append(Quality(label, notes=["nothing written"]))
                continue
            if path.suffix in (".dot", ".gv"):
                results.append(measure_corrected_dot(path.read_text(encoding="utf-8"), out.read_text(encoding="utf-8"), label))
            else:
                data = path.read_bytes()
                results.append(measure_corrected(scene_of(path, data), scene_of(out, out.read_bytes()), label))
        for problem in PROBLEMS:
            out = work / f"{problem}.excalidraw"
            done = subprocess.run([python, "-m", "diagramcheck", "reference", problem, "-o", str(out), "--force"],
                                  capture_output=True, text=True, timeout=600)
            if done.returncode == 0:
                results.append(measure_reference(json.loads(out.read_text(encoding="utf-8")), problem))
    return results


def table(results: list[Quality]) -> str:
    head = f"{'drawing':<62} {'boxes':>5} {'arrows':>6} {'through':>7} {'overlap':>7} {'cross':>9} {'outside':>7} {'dup':>4}"
    lines = [head, "-" * len(head)]
    for q in results:
        cross = f"{q.crossings}" + (f"/{q.graphviz_crossings}" if q.graphviz_crossings is not None else "")
        lines.append(f"{q.name[:62]:<62} {q.added_boxes:>5} {q.added_arrows:>6} {q.through_boxes:>7} {q.overlaps:>7} "
                     f"{cross:>9} {q.outside_zone:>7} {q.duplicate_roles:>4}")
        for note in q.notes:
            lines.append(f"    {note}")
    fixes = [q for q in results if not q.name.startswith("reference")]
    refs = [q for q in results if q.name.startswith("reference")]
    lines.append("-" * len(head))
    lines.append(f"corrected ({len(fixes)}): added arrows through boxes {sum(q.through_boxes for q in fixes)} of "
                 f"{sum(q.added_arrows for q in fixes)}, overlaps {sum(q.overlaps for q in fixes)}, crossings "
                 f"{sum(q.crossings for q in fixes)}, outside their zone {sum(q.outside_zone for q in fixes)}, "
                 f"duplicate roles {sum(q.duplicate_roles for q in fixes)}")
    lines.append(f"references ({len(refs)}): arrows through boxes {sum(q.through_boxes for q in refs)}, overlaps "
                 f"{sum(q.overlaps for q in refs)}, crossings {sum(q.crossings for q in refs)} (Graphviz's own layout: "
                 f"{sum(q.graphviz_crossings or 0 for q in refs)})")
    lines.append("(cross: pairs of arrows with an added one that cross; for references every pair / Graphviz's own)")
    return "\n".join(lines)


def _bbox(e: dict):
    x, y, w, h = float(e.get("x", 0)), float(e.get("y", 0)), float(e.get("width", 0)), float(e.get("height", 0))
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return (x, y, w, h)


def _union(boxes):
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    return (x0, y0, max(b[0] + b[2] for b in boxes) - x0, max(b[1] + b[3] for b in boxes) - y0)


def _near(point, box) -> bool:
    dx = max(box[0] - point[0], 0, point[0] - box[0] - box[2])
    dy = max(box[1] - point[1], 0, point[1] - box[1] - box[3])
    return (dx * dx + dy * dy) ** 0.5 <= TOUCH


def _overlap(a, b) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > 1 and min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1]) > 1


def _dist(a, b) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=sys.executable, help="the Python whose diagramcheck makes the drawings")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    results = measure_all(args.python)
    if args.json:
        print(json.dumps([q.__dict__ for q in results], indent=2))
    else:
        print(table(results))


if __name__ == "__main__":
    main()
