"""The labelled review set: small sketches, each with the fixed rule ids it should fire.

Every case starts from a complete design that passes all 18 fixed rules and takes
something away (or adds a mistake); the expected ids were decided by hand from the
contract's definitions, not by running the tool. `python tests/review_set.py` writes
the sketches to tests/data/review_set/ (DOT, some as Excalidraw) and expected.json;
`python benchmarks/review_set.py` prints precision and recall over them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.writers.excalidraw import SceneBuilder  # noqa: E402

OUT = ROOT / "tests" / "data" / "review_set"
FIXED = [
    "feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring", "drift-detection", "alerting",
    "model-registry", "offline-evaluation", "ab-testing", "data-logging", "label-source", "orchestration", "fallback",
    "request-path", "orphan-component", "unrecognized-component", "requirements-stated", "metrics-stated",
]
REQUIREMENTS = "Requirements: 20M DAU, 5k QPS, p99 < 100 ms"
METRICS = "Metrics: offline AUC and log loss; online conversion rate (A/B)"

FULL_NODES = {
    "user": "User", "api": "API gateway", "model": "Prediction service", "fs": "Feature store",
    "fp": "Feature pipeline", "lake": "Data lake", "dv": "Data validation", "train": "Training",
    "eval": "Offline evaluation", "reg": "Model registry", "logs": "Prediction log", "fb": "User feedback",
    "mon": "Monitoring", "drift": "Drift detection", "alert": "Alerting", "ab": "A/B testing",
    "fallback": "Fallback (heuristic)", "orch": "Airflow",
}
FULL_EDGES = [
    "user->api", "api->model", "model->api", "fs->model", "lake->dv", "dv->fp", "fp->fs", "fs->train",
    "train->eval", "eval->reg", "reg->model", "model->logs", "logs->lake", "user->fb", "fb->lake",
    "logs->mon", "mon->alert", "logs->drift", "drift->alert", "ab->api", "fallback->api", "orch->train",
]


def case(name, expected, drop_nodes=(), drop_edges=(), add_nodes=None, add_edges=(), notes=(REQUIREMENTS, METRICS), fmt="dot", zone=None):
    nodes = {k: v for k, v in FULL_NODES.items() if k not in drop_nodes}
    nodes.update(add_nodes or {})
    edges = [e for e in FULL_EDGES if e not in drop_edges and not set(e.split("->")) & set(drop_nodes)]
    edges += list(add_edges)
    return {"name": name, "expected": sorted(expected), "nodes": nodes, "edges": edges, "notes": list(notes), "format": fmt, "zone": zone}


CASES = [
    case("full", []),
    case("full-excalidraw", [], fmt="excalidraw"),
    # serving reads a profile store training never sees, and nothing computes features for both
    case("no-feature-store", ["feature-store"], drop_nodes=["fs"], add_nodes={"udb": "User profile DB"}, add_edges=["fp->train", "udb->model"]),
    # one pipeline feeding both sides is no feature store, and needs none
    case("shared-pipeline", [], drop_nodes=["fs"], add_edges=["fp->train", "fp->model"]),
    # a store read only at serving (display metadata) is not skew
    case("serving-only-store", [], add_nodes={"udb": "Item metadata DB"}, add_edges=["udb->model"]),
    # the same events reach serving through a streaming job and training through a SQL re-derivation
    case("skew-two-computations", ["training-serving-skew"], add_nodes={"flink": "Stream features (Flink)", "sql": "SQL feature backfill"},
         add_edges=["logs->flink", "flink->model", "lake->sql", "sql->train"]),
    case("skew-two-computations-excalidraw", ["training-serving-skew"], add_nodes={"flink": "Stream features (Flink)", "sql": "SQL feature backfill"},
         add_edges=["logs->flink", "flink->model", "lake->sql", "sql->train"], fmt="excalidraw"),
    # labels come from annotators only: nothing served flows back into training
    case("no-feedback-loop", ["feedback-loop"], drop_edges=["logs->lake", "fb->lake"], add_nodes={"lab": "Human labeling"}, add_edges=["lab->lake"]),
    case("no-feedback-loop-excalidraw", ["feedback-loop"], drop_edges=["logs->lake", "fb->lake"], add_nodes={"lab": "Human labeling"},
         add_edges=["lab->lake"], fmt="excalidraw"),
    case("serving-unmonitored", ["serving-monitoring"], drop_edges=["logs->mon", "logs->drift"], add_edges=["lake->drift"]),
    case("no-drift", ["drift-detection"], drop_nodes=["drift"]),
    case("no-alerting", ["alerting"], drop_nodes=["alert"]),
    case("no-registry", ["model-registry"], drop_nodes=["reg"], add_edges=["eval->model"]),
    case("registry-bypassed", ["model-registry"], add_edges=["train->model"]),
    case("no-evaluation", ["offline-evaluation"], drop_nodes=["eval"], add_edges=["train->reg"]),
    case("no-ab-test", ["ab-testing"], drop_nodes=["ab"], notes=[REQUIREMENTS, "Metrics: offline AUC and log loss; online conversion rate"]),
    case("no-logging", ["data-logging", "feedback-loop", "label-source"], drop_nodes=["logs", "fb"], add_edges=["model->mon", "model->drift"]),
    case("no-labels", ["label-source", "feedback-loop"], drop_nodes=["fb"], drop_edges=["logs->lake"]),
    case("no-orchestrator", ["orchestration"], drop_nodes=["orch"]),
    case("no-fallback", ["fallback"], drop_nodes=["fallback"]),
    case("no-request-path", ["request-path"], drop_edges=["api->model", "model->api"]),
    case("orphan", ["orphan-component"], add_nodes={"redis": "Redis"}),
    case("unrecognized", ["unrecognized-component"], add_nodes={"thing": "Quantum thingamajig"}, add_edges=["api->thing"]),
    case("no-requirements", ["requirements-stated"], notes=[METRICS]),
    case("no-metrics", ["metrics-stated"], notes=[REQUIREMENTS]),
    case("offline-metric-only", ["metrics-stated"], notes=[REQUIREMENTS, "Metrics: offline AUC only"]),
    case(
        "weak-answer",
        ["feedback-loop", "serving-monitoring", "drift-detection", "model-registry", "offline-evaluation",
         "ab-testing", "data-logging", "label-source", "orchestration", "fallback", "requirements-stated", "metrics-stated"],
        drop_nodes=[n for n in FULL_NODES if n not in ("user", "api", "model", "lake", "train")],
        add_edges=["lake->train", "train->model"],
        notes=[],
    ),
    case(
        "two-stage-one-unmonitored",
        ["serving-monitoring"],
        add_nodes={"cg": "Candidate generation"},
        drop_edges=["api->model"],
        add_edges=["api->cg", "cg->model", "reg->cg"],
    ),
    case("zone-monitored-excalidraw", [], drop_edges=["logs->mon"], add_edges=["ZONE--mon"], fmt="excalidraw", zone=["model", "fallback"]),
    case("bare-model-box", [], add_nodes={"model": "Model"}),
]


def write_dot(c) -> str:
    lines = [f"digraph {c['name'].replace('-', '_')} {{", "  rankdir=LR;"]
    for key, label in c["nodes"].items():
        lines.append(f'  {key} [label="{label}"];')
    for i, note in enumerate(c["notes"]):
        lines.append(f'  note{i} [shape=note, label="{note}"];')
    for edge in c["edges"]:
        a, b = edge.split("->")
        lines.append(f"  {a} -> {b};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_excalidraw(c, seed: int) -> str:
    s = SceneBuilder(seed=seed)
    layer = _layers(c)
    rows: dict[int, int] = {}
    boxes = {}
    zone_members = set(c["zone"] or [])
    for key, label in c["nodes"].items():
        col = layer[key]
        row = rows.get(col, 0)
        rows[col] = row + 1
        y = row * 140 + 200 + (1200 if key in zone_members else 0)  # a zone holds only its members
        boxes[key] = s.box(label, col * 260, y, 190, 80)
    if zone_members:
        members = [boxes[k] for k in zone_members]
        x0 = min(b["x"] for b in members) - 30
        y0 = min(b["y"] for b in members) - 30
        x1 = max(b["x"] + b["width"] for b in members) + 30
        y1 = max(b["y"] + b["height"] for b in members) + 30
        zone = s.box("", x0, y0, x1 - x0, y1 - y0, dashed=True)
        s.elements.remove(zone)
        s.elements.insert(0, zone)
        s.text("Production", x0 + 10, y0 - 35)
    for i, note in enumerate(c["notes"]):
        s.text(note, 0, 20 + i * 40, font_size=16)
    for j, edge in enumerate(c["edges"]):
        if edge.startswith("ZONE--"):
            target = boxes[edge.split("--")[1]]
            z = s.elements[0]
            start = (z["x"] + z["width"] / 2, z["y"] + z["height"] + 3)
            end = (target["x"] + target["width"] / 2, target["y"] - 4)
            s.arrow(None, None, bound=False, line=True, heads=(None, None), dashed=True, start=start, end=end)
            continue
        a, b = edge.split("->")
        s.arrow(boxes[a], boxes[b], bound=j % 3 != 0)  # every third arrow drawn without snapping
    return json.dumps(s.scene(), indent=2) + "\n"


def _layers(c) -> dict[str, int]:
    layer = {k: 0 for k in c["nodes"]}
    edges = [e.split("->") for e in c["edges"] if "->" in e]
    for _ in range(len(layer)):
        for a, b in edges:
            if layer[b] < layer[a] + 1 and layer[a] + 1 < 7:
                layer[b] = layer[a] + 1
    return layer


def render_all() -> dict[str, str]:
    files = {}
    expected = {}
    for i, c in enumerate(CASES):
        name = f"{c['name']}.{'excalidraw' if c['format'] == 'excalidraw' else 'dot'}"
        files[name] = write_excalidraw(c, 100 + i) if c["format"] == "excalidraw" else write_dot(c)
        expected[name] = c["expected"]
    files["expected.json"] = json.dumps({"fixed_rules": FIXED, "cases": expected}, indent=1) + "\n"
    return files


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in render_all().items():
        (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(CASES)} cases to {OUT}")
