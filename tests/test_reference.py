"""Reference architectures: one per problem type, drawn from data, and held to every rule."""

from __future__ import annotations

import json
import shutil

import pytest

from diagramcheck.errors import PatternError
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import PROBLEMS
from diagramcheck.reference import available, load

KINDS = set(default_lexicon().kinds)


def test_every_problem_type_has_one():
    assert set(available()) == set(PROBLEMS)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_reference_passes_its_own_review(problem, cli, tmp_path):
    out = tmp_path / f"{problem}.excalidraw"
    code, _, err = cli("reference", problem, "-o", str(out))
    assert code == 0, err
    code, report, _ = cli("review", "--format", "json", str(out))
    section = json.loads(report)["files"][0]
    assert section["problem"] == problem  # detected from the drawing alone
    assert [f["rule"] for f in section["findings"] if f["severity"] == "error"] == []
    assert section["score"] >= 95
    graph, _ = load(problem, KINDS)
    assert len(section["components"]) == len(graph.components)
    assert len(section["connections"]) == len(graph.connections)
    assert {c["zone"] for c in section["components"]} == {z.label for z in graph.zones}


@pytest.mark.parametrize("problem", PROBLEMS)
def test_reference_boxes_never_overlap(problem, cli, tmp_path):
    out = tmp_path / "r.excalidraw"
    cli("reference", problem, "-o", str(out))
    boxes = [(e["x"], e["y"], e["width"], e["height"]) for e in json.loads(out.read_text())["elements"] if e["type"] == "rectangle"]
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            assert not (min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1]))


def test_reference_as_dot_reads_back(cli, tmp_path):
    out = tmp_path / "r.dot"
    assert cli("reference", "rag-llm", "--format", "dot", "-o", str(out))[0] == 0
    code, report, _ = cli("review", "--format", "json", str(out))
    assert json.loads(report)["files"][0]["problem"] == "rag-llm"


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
def test_reference_renders_to_svg(cli, tmp_path):
    out = tmp_path / "r.svg"
    assert cli("reference", "forecasting", "--format", "svg", "-o", str(out))[0] == 0
    assert "ETA model (residual)" in out.read_text()


def test_bad_reference_data_is_reported(tmp_path, monkeypatch):
    folder = tmp_path / "reference"
    folder.mkdir()
    (folder / "x.toml").write_text('problem = "generic"\ntitle = "t"\ncomponents = [["a", "A", "nonsense"]]\nedges = []\n', encoding="utf-8")
    monkeypatch.setattr("diagramcheck.reference.reference_dir", lambda: folder)
    with pytest.raises(PatternError, match="unknown kind 'nonsense'"):
        load("generic", KINDS)
