"""`diagramcheck fix`: corrected diagrams keep every original element, add what is missing
where nothing overlaps, re-read as the corrected graph, and close the findings they fix."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from diagramcheck.correct import correct
from diagramcheck.engine import review
from diagramcheck.fixes import apply_fixes
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import catalog_for
from diagramcheck.pipeline import load_graph
from diagramcheck.readers import embedded, read_bytes
from diagramcheck.build import build_graph
from diagramcheck.classify import assign_kinds
from tests.conftest import CORPUS, SAMPLES

EXCALIDRAW_SAMPLES = sorted(p for p in SAMPLES.iterdir() if ".excalidraw" in p.name)
DOT_SAMPLES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".dot", ".gv"))
ALLOWED_CHANGES = {"boundElements", "version", "versionNonce"}


def corpus_excalidraw() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in (CORPUS / "excalidraw").iterdir() if p.name.endswith((".excalidraw", ".excalidraw.md", ".excalidraw.svg", ".excalidraw.png")))


def fixed_output(path: Path, **kw):
    return correct(path, default_lexicon(), catalog_for(), **kw)


def original_scene(path: Path) -> dict:
    data = path.read_bytes()
    if path.name.endswith(".md"):
        return embedded.scene_from_obsidian(data.decode())[0]
    if path.name.endswith(".svg"):
        return embedded.scene_from_svg(data)
    if path.name.endswith(".png"):
        return embedded.scene_from_png(data)
    return json.loads(data)


def output_scene(path: Path, blob: bytes) -> dict:
    if path.name.endswith(".md"):
        return embedded.scene_from_obsidian(blob.decode())[0]
    return json.loads(blob)


def reread(path: Path, blob: bytes):
    name = path.name if path.name.endswith(".md") else "out.excalidraw"
    graph = build_graph(read_bytes(blob, name))
    assign_kinds(graph, default_lexicon())
    return graph


@pytest.mark.parametrize("path", EXCALIDRAW_SAMPLES + corpus_excalidraw(), ids=lambda p: p.name[:50])
def test_nothing_lost_and_nothing_overlaps(path):
    try:
        result = fixed_output(path)
    except Exception as exc:  # a corpus file we cannot read at all is covered elsewhere
        from diagramcheck.errors import DiagramError

        assert isinstance(exc, DiagramError)
        return
    before = original_scene(path)
    after = output_scene(path, result.data)
    old = [e for e in before.get("elements") or [] if isinstance(e, dict)]
    new = after["elements"]
    assert len(new) >= len(old)
    for a, b in zip(old, new):
        changed = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
        assert changed <= ALLOWED_CHANGES, (a.get("id"), changed)
        if "boundElements" in changed:
            assert b["boundElements"][: len(a.get("boundElements") or [])] == (a.get("boundElements") or [])
            assert b["version"] > (a.get("version") or 1)
    for key in ("appState", "files"):
        assert after.get(key) == before.get(key)
    added = new[len(old):]
    boxes = [(e["x"], e["y"], e["width"], e["height"]) for e in added if e["type"] == "rectangle"]
    others = [(e["x"], e["y"], abs(e.get("width", 0)), abs(e.get("height", 0))) for e in old
              if not e.get("isDeleted") and e.get("type") not in ("arrow", "line")]
    for i, box in enumerate(boxes):
        for other in others + boxes[:i]:
            assert not _overlap(box, other), (path.name, box, other)
    ids = [e["id"] for e in new]
    assert len(ids) == len(set(ids))
    assert all(len(e["id"]) == 8 for e in added)


def _overlap(a, b) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])


@pytest.mark.parametrize("path", EXCALIDRAW_SAMPLES, ids=lambda p: p.name)
def test_corrected_sketch_reads_back_as_the_corrected_graph(path):
    graph = load_graph(path)
    result_review = review(graph, catalog_for(), default_lexicon().category)
    findings = [f for f in result_review.findings if any(f.fix_actions.get(k) for k in ("add", "connect", "remove"))]
    fixed = apply_fixes(graph, findings)
    blob = fixed_output(path).data
    again = reread(path, blob)
    assert sorted((c.label, c.kind) for c in again.components) == sorted((c.label, c.kind) for c in fixed.components)
    names_again = {c.id: c.label for c in again.components}
    names_fixed = {c.id: c.label for c in fixed.components}
    removed = {(r["from"], r["to"]) for f in findings for r in f.fix_actions.get("remove", [])}
    want = sorted((names_fixed[c.source], names_fixed[c.target]) for c in fixed.connections if not c.source_is_zone and not c.target_is_zone)
    kept_removed = sorted((names_fixed[s], names_fixed[t]) for s, t in removed if s in names_fixed and t in names_fixed)
    got = sorted((names_again[c.source], names_again[c.target]) for c in again.connections if not c.source_is_zone and not c.target_is_zone)
    assert got == sorted(want + kept_removed)  # removals are listed in the legend, the user's arrow stays


@pytest.mark.parametrize("path", EXCALIDRAW_SAMPLES + DOT_SAMPLES, ids=lambda p: p.name)
def test_fixpoint_fixed_findings_do_not_come_back(path, tmp_path):
    before = review(load_graph(path), catalog_for(), default_lexicon().category).findings
    result = fixed_output(path)
    out = tmp_path / result.default_name
    out.write_bytes(result.data)
    after = review(load_graph(out), catalog_for(), default_lexicon().category).findings
    per_component = {r.id for r in catalog_for().rules if r.for_each}
    fixed = [f for f in before if (f.fix_actions.get("add") or f.fix_actions.get("connect")) and not f.fix_actions.get("remove")]
    back = [f.rule for f in after for b in fixed
            if f.rule == b.rule and (f.rule not in per_component or f.components[0] == b.components[0])]
    assert back == []
    assert len(after) < len(before)


@pytest.mark.parametrize("path", DOT_SAMPLES, ids=lambda p: p.name)
def test_dot_output_keeps_every_original_statement(path):
    original = path.read_text(encoding="utf-8")
    out = fixed_output(path).data.decode()
    close = original.rfind("}")
    assert out.startswith(original[:close].rstrip())
    assert out.rstrip().endswith("}") and "// added by diagramcheck" in out
    assert 'color="#e03131"' in out


def test_obsidian_output_lists_new_texts_in_the_text_elements_section():
    path = SAMPLES / "fraud_detection.excalidraw.md"
    note = fixed_output(path).data.decode()
    assert note.startswith("---\n") and "excalidraw-plugin: parsed" in note
    section = note.split("## Text Elements", 1)[1].split("%%", 1)[0]
    scene = embedded.scene_from_obsidian(note)[0]
    added_texts = [e for e in scene["elements"] if e["type"] == "text" and e["strokeColor"] == "#e03131"]
    assert added_texts
    for text in added_texts:
        assert f"{text['originalText']} ^{text['id']}" in section
    assert "```json" in note and "```compressed-json" not in note


def test_cli_never_overwrites_and_writes_next_to_the_input(tmp_path, cli):
    sketch = tmp_path / "design.excalidraw"
    shutil.copyfile(SAMPLES / "generic_churn.excalidraw", sketch)
    before = sketch.read_bytes()
    code, out, err = cli("fix", str(sketch))
    assert code == 0 and (tmp_path / "design.fixed.excalidraw").exists()
    assert sketch.read_bytes() == before
    code, out, err = cli("fix", str(sketch))
    assert code == 2 and "use --force" in err
    code, out, err = cli("fix", str(sketch), "-o", str(sketch), "--force")
    assert code == 2 and "refusing to overwrite an input" in err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")
@pytest.mark.parametrize("fmt, magic", [("svg", b"<?xml"), ("png", b"\x89PNG")])
def test_rendered_corrected_graph(tmp_path, cli, fmt, magic):
    out = tmp_path / f"r.{fmt}"
    code, _, err = cli("fix", "--format", fmt, str(SAMPLES / "rag_chatbot.excalidraw"), "-o", str(out))
    assert code == 0, err
    assert out.read_bytes().startswith(magic)
    if fmt == "svg":
        assert "#e03131" in out.read_text()


def test_missing_graphviz_says_how_to_install_it(tmp_path, cli, monkeypatch):
    monkeypatch.setattr("diagramcheck.writers.layout.shutil.which", lambda name: None)
    code, _, err = cli("fix", "--format", "svg", str(SAMPLES / "rag_chatbot.excalidraw"), "-o", str(tmp_path / "x.svg"))
    assert code == 2 and "apt-get install graphviz" in err
