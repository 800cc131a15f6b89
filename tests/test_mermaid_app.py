"""The real Mermaid parser reads our output: every corrected block (samples, and the corpus
when present) parses with the npm package mermaid 11.17.2 under Node, keeps the user's
nodes and edges as they were, and holds the added nodes (class `diagramcheck`, inside the
subgraph of their planned zone) and edges (the ones `linkStyle` paints red, so the edge
numbers are right). And on generated
flowcharts in every syntax variant, Mermaid and our reader see the same graph."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from diagramcheck.correct import correct
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import catalog_for
from diagramcheck.readers import parts_of
from diagramcheck.readers.markdown import mermaid_blocks
from diagramcheck.readers.mermaid_labels import clean_label
from tests.conftest import ROOT, npm_harness
from tests.mermaid_flowcharts import flowcharts
from tests.test_mermaid_fix import mermaid_files

APP = ROOT / "tests" / "mermaid_app"
pytestmark = pytest.mark.skipif(shutil.which("npm") is None or shutil.which("node") is None, reason="needs node and npm")
LEXICON = default_lexicon()
CATALOG = catalog_for()


@pytest.fixture(scope="module")
def mermaid_parse(tmp_path_factory):
    work = npm_harness(tmp_path_factory, APP, ("check.mjs",), "mermaid")

    def parse(texts: list[str]) -> list[dict]:
        done = subprocess.run(["node", "check.mjs"], cwd=work, input=json.dumps(texts), capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr[-2000:]
        return json.loads(done.stdout)

    return parse


def text_of(mermaid_text: str | None) -> str:
    """Mermaid keeps `#quot;` codes as placeholders until it renders: decode them as it does."""
    return clean_label((mermaid_text or "").replace("ﬂ°°", "&#").replace("ﬂ°", "&").replace("¶ß", ";"))


def block_texts(data: bytes, path: Path) -> list[str]:
    text = data.decode("utf-8-sig")
    return [text] if path.suffix in (".mmd", ".mermaid") else [b.text for b in mermaid_blocks(text)]


def test_corrected_blocks_parse_in_mermaid_and_hold_exactly_the_additions(mermaid_parse, tmp_path):
    cases = []  # (name, original block, corrected block, fix plan)
    for path in mermaid_files():
        result = correct(path, LEXICON, CATALOG)
        planned = {s.graph.path: s.plan for s in result.sketches}
        before = block_texts(path.read_bytes(), path)
        after = block_texts(result.data if result.data is not None else path.read_bytes(), path)
        names = [path.as_posix()] if path.suffix == ".mmd" else [f"{path}#block{i}" for i in range(1, len(before) + 1)]
        cases += [(n, a, b, planned.get(n)) for n, a, b in zip(names, before, after)]
    results = mermaid_parse([c[1] for c in cases] + [c[2] for c in cases])
    old, new = results[: len(cases)], results[len(cases):]
    checked = zoned_somewhere = 0
    for (name, _, corrected, adds), was, now in zip(cases, old, new):
        if not was["ok"] or was["type"] not in ("flowchart-v2", "flowchart"):
            continue
        assert now["ok"], (name, now.get("error"), corrected)
        nodes = {n["id"]: n for n in now["nodes"]}
        assert [nodes.get(n["id"]) for n in was["nodes"]] == was["nodes"], name  # the user's nodes, as they were
        kept = len(was["edges"])
        assert [{k: e[k] for k in ("from", "to", "text", "type", "stroke")} for e in now["edges"][:kept]] == \
               [{k: e[k] for k in ("from", "to", "text", "type", "stroke")} for e in was["edges"]], name
        added = now["edges"][kept:]
        if adds is None or not (adds.components or adds.connections):
            assert added == [] and now["nodes"] == was["nodes"], name
            continue
        assert Counter((e["from"], e["to"]) for e in added) == Counter((c.source, c.target) for c in adds.connections), name
        assert all("stroke:#e03131" in e["style"] for e in added), name
        assert not any("stroke:#e03131" in e["style"] for e in now["edges"][:kept]), name
        user = {n["id"] for n in was["nodes"]}
        new_nodes = {n["id"]: n for n in now["nodes"] if n["id"] not in user}
        assert {i: text_of(n["text"]) for i, n in new_nodes.items()} == {c.id: c.label for c in adds.components}, name
        assert all("diagramcheck" in n["classes"] for n in new_nodes.values()), name
        members = {s["id"]: set(s["nodes"]) for s in now["subgraphs"]}
        zoned = [c for c in adds.components if c.zone_id and "~" not in c.zone_id]
        assert all(c.id in members.get(c.zone_id, ()) for c in zoned), name  # drawn inside its zone
        zoned_somewhere += len(zoned)
        # the class paints added nodes; a plan that only connects the user's nodes needs none
        assert ("diagramcheck" in now["classes"]) is bool(adds.components), name
        checked += 1
    assert checked >= 1 and zoned_somewhere >= 1


def test_mermaid_sees_generated_flowcharts_as_our_reader_does(mermaid_parse):
    samples = []

    @settings(max_examples=120, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(flowcharts())
    def collect(generated):
        samples.append(generated)

    collect()
    blocks = [mermaid_blocks(g.text)[g.block - 1].text for g in samples]
    for generated, block, theirs in zip(samples, blocks, mermaid_parse(blocks)):
        assert theirs["ok"], (theirs.get("error"), block)
        part = parts_of(generated.text.encode(), "gen.md")[generated.block - 1]
        ours = part.sketch
        subgraphs = {s["id"]: s for s in theirs["subgraphs"]}
        assert {n["id"]: text_of(n["text"]) for n in theirs["nodes"] if n["id"] not in subgraphs} == \
               {s.id: s.label for s in ours.shapes if not s.is_zone and s.type != "note"}, block
        assert sorted((e["from"], e["to"], text_of(e["text"])) for e in theirs["edges"] if e["stroke"] != "invisible") == \
               sorted((link.start, link.end, link.label) for link in ours.links), block
        members = {z.id: {s.id for s in ours.shapes if s.parent == z.id} for z in ours.shapes if z.is_zone}
        assert {i: set(s["nodes"]) for i, s in subgraphs.items()} == members, block


def test_practice_starters_parse_in_mermaid(mermaid_parse):
    """Every problem's Mermaid starter: Mermaid reads the prompt as a braces note and two empty
    subgraphs, Online and Offline, and nothing else."""
    from diagramcheck.practice import prompt_text, starter
    from diagramcheck.problem_bank import bank_for

    problems = list(bank_for())
    results = mermaid_parse([starter(p, "mermaid").decode() for p in problems])
    for problem, result in zip(problems, results):
        assert result["ok"], (problem.id, result.get("error"))
        assert [(n["id"], n["shape"]) for n in result["nodes"]] == [("prompt", "braces")], problem.id
        assert " ".join(text_of(result["nodes"][0]["text"]).split()) == " ".join(prompt_text(problem).split()), problem.id
        assert sorted((s["title"], s["nodes"]) for s in result["subgraphs"]) == [("Offline", []), ("Online", [])], problem.id
        assert result["edges"] == []
