"""The bundled samples: reviews pinned as JSON snapshots, and the Excalidraw ones in sync
with the code that draws them. Set DIAGRAMCHECK_UPDATE_SNAPSHOTS=1 to rewrite snapshots
after an intended change, then read the diff."""

from __future__ import annotations

import json
import os

import pytest

from tests.conftest import ROOT, SAMPLES
from tests.samples import render_all

SNAPSHOTS = ROOT / "tests" / "snapshots"
SAMPLE_FILES = sorted(p.name for p in SAMPLES.iterdir() if p.is_file() and p.name != "README.md")


def test_there_is_one_sample_per_problem_type(cli):
    problems = set()
    for name in SAMPLE_FILES:
        code, out, _ = cli("review", "--format", "json", str(SAMPLES / name))
        problems.add(json.loads(out)["files"][0]["problem"])
    assert problems == {"recommendation", "search-ranking", "ads-ctr", "fraud-detection", "content-moderation", "rag-llm", "forecasting", "generic"}


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_review_snapshot(cli, name, monkeypatch):
    monkeypatch.chdir(ROOT)
    code, out, err = cli("review", "--format", "json", f"sample_diagrams/{name}")
    assert all(line.startswith(f"diagramcheck: skipped sample_diagrams/{name}#block") for line in err.splitlines())  # a sequence diagram
    document = json.loads(out)
    snapshot = SNAPSHOTS / f"{name}.json"
    if os.environ.get("DIAGRAMCHECK_UPDATE_SNAPSHOTS"):
        snapshot.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert document == json.loads(snapshot.read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(render_all()))
def test_excalidraw_samples_match_their_generator(name):
    assert (SAMPLES / name).read_text(encoding="utf-8") == render_all()[name]
