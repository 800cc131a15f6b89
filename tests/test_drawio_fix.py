"""`diagramcheck fix` on draw.io: a .drawio that keeps every original cell and page as it was,
adds dashed red cells, and re-reads as exactly the corrected graph."""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import tostring

import pytest

from diagramcheck.build import build_graph
from diagramcheck.classify import assign_kinds
from diagramcheck.correct import correct
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import catalog_for
from diagramcheck.pipeline import load_graph
from diagramcheck.readers import read_bytes
from diagramcheck.readers.drawio_file import page_model, read_document
from diagramcheck.writers.corrected import ADDED_COLOUR
from tests.conftest import CORPUS
from tests.test_drawio_reader import cell, edge, model, mxfile

SMALL = mxfile(("Page-1", model(
    cell("a", "Clickstream events", x=0, y=0),
    cell("b", "Model training", x=300, y=0),
    cell("c", "Model serving", x=600, y=0),
    cell("d", "User", x=900, y=0),
    edge("e1", "a", "b"), edge("e2", "b", "c"), edge("e3", "d", "c"),
)), ("Notes", model(cell("n", "Other page"))), compressed=True)


def drawio_corpus() -> list[Path]:
    if not (CORPUS / "drawio").is_dir():
        return []
    names = ("j-rig__ml-capstone__mlops.drawio", "mrk-andreev__ml-system-design-22__docs__images__prediction-feedback-flow-diagram.png",
             "Madhu678-coder__leadspredictionproject__architecture.drawio.png",
             "d-lazenby__energy-demand-forecasting__architecture.drawio.svg",
             "AmirSabzalipour__rag__architecture.drawio")  # (a page of block arrows has nothing to fix: no-connections)
    return [CORPUS / "drawio" / n for n in names]


@pytest.fixture
def small(tmp_path) -> Path:
    path = tmp_path / "design.drawio"
    path.write_text(SMALL, encoding="utf-8")
    return path


def cells_by_id(page_element) -> dict[str, bytes]:
    root = next(child for child in page_element if child.tag == "root")
    return {el.get("id"): tostring(el) for el in root}


def _geometry(xml: bytes):
    from xml.etree.ElementTree import fromstring

    element = fromstring(xml)
    return next(g for g in element.iter("mxGeometry") if g.get("as") == "geometry")


def _without_geometry(xml: bytes) -> bytes:
    from xml.etree.ElementTree import fromstring

    element = fromstring(xml)
    for g in element.iter("mxGeometry"):
        for key in ("x", "y", "width", "height"):
            g.attrib.pop(key, None)
    return tostring(element)


def inputs(tmp_path: Path) -> list[Path]:
    small = tmp_path / "design.drawio"
    small.write_text(SMALL, encoding="utf-8")
    return [small, *drawio_corpus()]


@pytest.mark.parametrize("index", range(6))
def test_corrected_copy_keeps_every_cell_and_page_and_reads_back_as_the_corrected_graph(tmp_path, index):
    paths = inputs(tmp_path)
    if index >= len(paths):
        pytest.skip("../shared/corpus is not present")
    path = paths[index]
    graph = load_graph(path)
    result = correct(path, default_lexicon(), catalog_for())
    fixed = result.plan.apply(result.graph, remove=False)  # the user's arrows stay, those to remove too
    assert result.default_name.endswith(".fixed.drawio")
    assert result.added_components + result.added_connections > 0

    before, after = read_document(path.read_bytes()), read_document(result.data)
    assert [p.name for p in after.pages] == [p.name for p in before.pages]
    chosen = next(w for w in graph.warnings if w.startswith("read page")).split("'")[1] if len(before.pages) > 1 else before.pages[0].name
    for old, new in zip(before.pages, after.pages):
        if old.name != chosen:
            assert tostring(new.element) == tostring(old.element)  # other pages untouched, compressed or not
            continue
        old_cells, new_cells = cells_by_id(page_model(old)), cells_by_id(page_model(new))
        changed = {k for k in old_cells if new_cells[k] != old_cells[k]}
        zones = {s for z in graph.zones for s in z.sources}
        assert changed <= zones  # only a lane or container that grew, or was pushed along by one, changes
        for key in changed:  # and only its geometry's place and size, the size only growing
            old_geometry, new_geometry = (_geometry(c[key]) for c in (old_cells, new_cells))
            assert _without_geometry(new_cells[key]) == _without_geometry(old_cells[key])
            assert all(float(new_geometry.get(d, 0)) >= float(old_geometry.get(d, 0)) for d in ("width", "height"))
        added = [v for k, v in new_cells.items() if k not in old_cells]
        assert added and all(ADDED_COLOUR.encode() in v for v in added)

    again = build_graph(read_bytes(result.data, path.name, fmt="drawio"))
    assign_kinds(again, default_lexicon())
    assert sorted((c.label, c.kind) for c in again.components) == sorted((c.label, c.kind) for c in fixed.components)
    names_again = {c.id: c.label for c in again.components} | {z.id: f"[{z.label}]" for z in again.zones}
    names_fixed = {c.id: c.label for c in fixed.components} | {z.id: f"[{z.label}]" for z in fixed.zones}
    want = sorted((names_fixed[c.source], names_fixed[c.target], c.directed) for c in fixed.connections)
    got = sorted((names_again[c.source], names_again[c.target], c.directed) for c in again.connections)
    assert got == want
    assert [n.text for n in again.notes if n.text.startswith("Added by diagramcheck")]


def test_cli_writes_a_drawio_next_to_an_export_and_says_so(tmp_path, cli, corpus):
    source = corpus / "drawio" / "mrk-andreev__ml-system-design-22__docs__images__model-flow-diagram.png"
    path = tmp_path / "model-flow.drawio.png"
    path.write_bytes(source.read_bytes())
    code, out, err = cli("fix", str(path))
    assert code == 0, err
    target = tmp_path / "model-flow.fixed.drawio"
    assert target.read_bytes().startswith(b"<mxfile")
    assert f"wrote {target}" in err
    assert path.read_bytes() == source.read_bytes()


def test_labels_cannot_inject_markup(tmp_path):
    """Added cells and the legend (which names the user's boxes) are plain text, never HTML."""
    page = mxfile(("P", model(cell("a", "&lt;img src=x onerror=alert(1)&gt; events", style="rounded=1;"),
                              cell("b", "Model serving", x=300), cell("t", "Model training", x=300, y=200),
                              edge("e", "a", "b"), edge("f", "a", "t"), edge("g", "t", "b"))))
    path = tmp_path / "x.drawio"
    path.write_text(page, encoding="utf-8")
    result = correct(path, default_lexicon(), catalog_for())
    root = next(child for child in page_model(read_document(result.data).pages[0]) if child.tag == "root")
    added = [el for el in root if (el.get("id") or "").startswith("diagramcheck-")]
    assert added
    for element in added:
        style = (element if element.tag == "mxCell" else element.find("mxCell")).get("style")
        assert "html=1" not in style
