"""draw.io files from public repos (../shared/corpus/drawio): the hand-checked ones keep the
structure read off their rendered pictures (tests/data/drawio_truth.json, written before the
reader), with every difference pinned here and explained; every file parses or says why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.drawio_truth import TRUTH, measure, norm, read_edges
from tests.conftest import CORPUS, graph_of

CASES = {k: v for k, v in json.loads(TRUTH.read_text(encoding="utf-8")).items() if not k.startswith("_")}

# Where the reader and the picture's reader differ, and why. Anything else is a regression.
KNOWN = {
    # the "Production Cluster" circle around `deploy` is read as a component: only rectangles enclose zones
    "mrk-andreev__ml-system-design-22__docs__images__model-flow-diagram.png":
        {"components_extra": ["production cluster"], "zones": [[], ["production cluster"]]},
    # the Kubernetes icons captioned "prod cluster" / "dev cluster" are components
    "mrk-andreev__ml-system-design-22__docs__images__deployment.png":
        {"components_extra": ["dev cluster", "prod cluster"]},
    # the Mage logo is a component; two green callouts are read as a zone title ("Data Ingestion") and a
    # component; the mlflow-logo-titled group and Mage's have no text title
    "Fustincho__datatalks-mlops-zoomcamp__07-project__airquality__docs__images__architecture.png":
        {"components_extra": ["mage", "model training"],
         "zones": [["", "aws cloud", "data ingestion", "ecs cluster", "vpc"], ["aws cloud", "ecs cluster", "mage", "mlflow", "vpc"]]},
    # the hollow request arrow is a connector (flexArrow edge) from the "POST /image" text; the
    # Server -> Storage arrow starts on the Server-Database line, not at Server
    "AlvinHon__distributed-model-inference__architecture.drawio.svg":
        {"missed": [["server", "storage"]], "extra": [["post /image", "server"]], "components_extra": ["post /image"]},
    # the Hopsworks zone and the eia box are titled only by PNG logos embedded as data: their
    # edges are read right, their ends have no name; boxes used as edge labels are components
    "d-lazenby__energy-demand-forecasting__architecture.drawio.svg": {
        "missed": [["[hopsworks]", "[]"], ["[hopsworks]", "inference pipeline"], ["[hopsworks]", "training pipeline"],
                   ["eia", "feature pipeline"], ["feature pipeline", "[hopsworks]"], ["inference pipeline", "[hopsworks]"],
                   ["training pipeline", "[hopsworks]"]],
        "extra": [["", "feature pipeline"], ["[]", "inference pipeline"], ["[]", "training pipeline"], ["feature pipeline", "[]"],
                  ["inference pipeline", "[]"], ["training pipeline", "[]"]],
        "components_missed": ["eia"],
        "components_extra": ["", "features, labels", "features, model", "inference_pipeline.yaml", "labels, predictions",
                             "model", "predictions", "raw data"],
        "zones": [["", "feature_pipeline.yaml"], ["", "hopsworks"]]},
}


def _differences(per_file: dict) -> dict:
    out = {}
    for key, value in per_file.items():
        if key in ("missed", "extra"):
            value = [list(v) for v in value]
        elif key == "zones":
            value = [list(value[0]), list(value[1])]
        if key == "zones" and value[0] == value[1]:
            continue
        if value:
            out[key] = value
    return out


@pytest.fixture(scope="module")
def measured():
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return measure()


@pytest.mark.parametrize("name", [n for n, v in CASES.items() if not v.get("not_a_graph")], ids=lambda n: Path(n).name[:50])
def test_hand_checked_file_differs_from_its_picture_only_as_pinned(measured, name):
    assert _differences(measured["per_file"][name]) == KNOWN.get(Path(name).name, {})


def test_edge_precision_and_recall_on_the_hand_checked_files(measured):
    """Labels as read (logos embedded as PNG data cannot be named), and with an unnamed end
    standing for the logo the picture shows."""
    assert measured["expected"] == 94
    assert measured["precision"] >= 0.92 and measured["recall"] >= 0.91
    assert measured["structural_precision"] >= 0.95 and measured["structural_recall"] >= 0.95


def test_block_arrow_page_reads_the_flow_its_truth_note_describes(corpus):
    """The truth file set this page aside as drawn with block arrows ("Client <-> Proxy server
    <-> REST Server, Proxy server <-> Cache"); they are read now (tests/test_drawio_block_arrows.py)."""
    name = "drawio/mercari__ml-system-design-pattern__Serving-patterns__Prediction-cache-pattern__diagram.png"
    expected = CASES[name]
    graph = graph_of((corpus / name).read_bytes(), name)
    assert any(f"'{expected['page']}' (its name matches" in w for w in graph.warnings)
    assert {norm(c.label) for c in graph.components} >= {"proxy server", "cache", "prediction model"}
    names = {c.id: norm(c.label) for c in graph.components}
    by_label = {c.label: (c.source, c.target) for c in graph.connections if c.label}
    proxy_hexagon, cache = by_label["1.Search cache"]
    assert names[cache] == "cache" and by_label["3.Save cache"] == (proxy_hexagon, cache)
    model_hexagon, back = by_label["2.Response inference"]
    assert back == proxy_hexagon and by_label["1.Request with data"][1] == model_hexagon
    # the client's box (its caption is too far below it to name it) and the proxy: one arrow each way
    pairs = {(c.source, c.target) for c in graph.connections if not c.label}
    client = next(b for a, b in pairs if a == proxy_hexagon)
    assert pairs == {(proxy_hexagon, client), (client, proxy_hexagon)}
    assert not any("block-arrow shapes rather than connectors" in w for w in graph.warnings)


def test_boxes_only_diagram_gets_no_invented_edges(corpus):
    path = corpus / "drawio" / "326-T__mlflow-kind__architecture.drawio.png"
    edges, components, _, graph = read_edges(path)
    assert edges == set() and len(components) > 20


@pytest.mark.parametrize("stem, page", [
    ("Lifecycle-patterns__Train-then-serve-pattern__diagram", "TrainThenServePattern"),
    ("QA-patterns__Shadow-ab-test-pattern__diagram", "ShadowABTestPattern"),
    ("Serving-patterns__Microservice-vertical-pattern__diagram1", "MicroserviceVerticalPattern1"),
    ("Serving-patterns__Batch-pattern__diagram", "BatchPattern"),
])
def test_multi_page_exports_read_the_page_their_picture_shows(corpus, stem, page):
    name = f"drawio/mercari__ml-system-design-pattern__{stem}.png"
    graph = graph_of((corpus / name).read_bytes(), name)
    assert any(f"'{page}' (its name matches" in w for w in graph.warnings)
