"""`diagramcheck fix` on Mermaid: the corrected copy is the Markdown file byte for byte with
each reviewed block's fix plan inserted into it (nodes in the subgraph of their zone, the
rest appended), and every corrected block reads back as exactly the planned graph (the
real Mermaid parser's view is in test_mermaid_app.py)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from diagramcheck.correct import correct
from diagramcheck.engine import review
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import catalog_for
from diagramcheck.pipeline import load_parts
from diagramcheck.readers.markdown import mermaid_blocks
from tests.conftest import CORPUS, SAMPLES

LEXICON = default_lexicon()
CATALOG = catalog_for()
MERMAID_SAMPLES = sorted(p for p in SAMPLES.iterdir() if p.suffix == ".md" and "excalidraw" not in p.name and p.name != "README.md")


def mermaid_files() -> list[Path]:
    corpus = sorted(p for p in (CORPUS / "mermaid").iterdir() if p.suffix in (".md", ".mdx", ".mmd")) if CORPUS.is_dir() else []
    return MERMAID_SAMPLES + corpus


def plans(path: Path) -> dict[str, object]:
    """Block name -> its graph and fix plan, as `fix` makes them."""
    return {planned.graph.path: planned for planned in correct(path, LEXICON, CATALOG, dry_run=True).sketches}


def kept_in_order(old: str, new: str) -> bool:
    """Whether every character of `old` is in `new`, in order: only insertions were made."""
    rest = iter(new)
    return all(ch in rest for ch in old)


def outside_blocks(text: str) -> str:
    """The text with every mermaid block's content cut out (fences kept)."""
    out, pos = [], 0
    for block in mermaid_blocks(text):
        out.append(text[pos : block.start])
        pos = block.end
    return "".join(out) + text[pos:]


@pytest.mark.parametrize("path", mermaid_files(), ids=lambda p: p.name[:60])
def test_the_rest_of_the_file_is_kept_byte_for_byte(path):
    original = path.read_bytes()
    result = correct(path, LEXICON, CATALOG)
    out = result.data
    if out is None:  # nothing to add: nothing written
        assert all(s.plan.empty for s in result.sketches)
        return
    if path.suffix == ".mmd":
        assert kept_in_order(original.decode(), out.decode())
        return
    before, after = original.decode(), out.decode()
    assert outside_blocks(after) == outside_blocks(before)
    old, new = mermaid_blocks(before), mermaid_blocks(after)
    assert len(old) == len(new)
    for a, b in zip(old, new):
        assert kept_in_order(a.text, b.text)
        added = [line for line in b.text.splitlines() if line not in a.text.splitlines()]
        assert all("diagramcheck" in line or "-.->" in line or line.strip().startswith("linkStyle ") or line.strip() in ("", "end")
                   for line in added), added


@pytest.mark.parametrize("path", mermaid_files(), ids=lambda p: p.name[:60])
def test_corrected_blocks_read_back_as_the_corrected_graph(path, tmp_path):
    planned = plans(path)
    result = correct(path, LEXICON, CATALOG)
    out = tmp_path / (path.stem + ".fixed" + path.suffix)
    out.write_bytes(result.data if result.data is not None else path.read_bytes())
    again = {part.name.replace(str(out), str(path)): graph for part, graph in load_parts(out, LEXICON)}
    for name, done in planned.items():
        graph = again[name]
        assert graph is not None, name
        fixed = done.plan.apply(done.graph, remove=False)  # an arrow to remove stays, with a comment
        assert {c.id: (c.label, c.zone_id) for c in graph.components} == {c.id: (c.label, c.zone_id) for c in fixed.components}
        added = {c.id for c in done.plan.components}
        assert {c.id: c.kind for c in graph.components if c.id in added} == {c.id: c.kind for c in done.plan.components}
        assert [(z.id, z.label, z.parent) for z in graph.zones] == [(z.id, z.label, z.parent) for z in fixed.zones]
        assert Counter((c.source, c.target, c.label, c.directed) for c in graph.connections) == \
            Counter((c.source, c.target, c.label, c.directed) for c in fixed.connections), name


@pytest.mark.parametrize("path", MERMAID_SAMPLES, ids=lambda p: p.name)
def test_fixpoint_fixed_findings_do_not_come_back(path, tmp_path):
    out = tmp_path / "fixed.md"
    out.write_bytes(correct(path, LEXICON, CATALOG).data)  # the samples leave gaps on purpose: there is a plan
    per_component = {r.id for r in CATALOG.rules if r.for_each}
    before = {part.name: review(graph, CATALOG, LEXICON.category).findings for part, graph in load_parts(path, LEXICON) if graph}
    after = {part.name.replace(str(out), str(path)): review(graph, CATALOG, LEXICON.category).findings
             for part, graph in load_parts(out, LEXICON) if graph}
    for name, findings in before.items():
        fixed = [f for f in findings if (f.fix_actions.get("add") or f.fix_actions.get("connect")) and not f.fix_actions.get("remove")]
        back = [f.rule for f in after[name] for b in fixed
                if f.rule == b.rule and (f.rule not in per_component or f.components[0] == b.components[0])]
        assert back == [] and len(after[name]) < len(findings)


DOC = """Intro line.\r
\r
```mermaid\r
flowchart LR\r
  subgraph S[Serving]\r
    app[Mobile app] --> api[Feed API] --> m[Ranking model]\r
    t[Model training] --> r[(Model registry)] --> m\r
  %% the subgraph is never closed\r
```\r
\r
```mermaid\r
flowchart LR\r
  A[broken --> B\r
```\r
\r
```mermaid\r
graph TD\r
  t[Training] --> r[(Registry)] ~~~ x[Serving]\r
```\r
"""


def test_cli_fixes_each_block_keeps_crlf_and_bom_and_reports_the_broken_one(tmp_path, cli):
    doc = tmp_path / "design.md"
    doc.write_bytes(b"\xef\xbb\xbf" + DOC.encode())
    code, _, err = cli("fix", str(doc))
    assert code == 2
    assert f"diagramcheck: error: {doc}#block2: Mermaid syntax error at line 13" in err
    assert f"diagramcheck: warning: {doc}#block1: line 9: subgraph 'Serving' from line 5 has no `end`" in err
    out = (tmp_path / "design.fixed.md").read_bytes()
    assert out.startswith(b"\xef\xbb\xbfIntro line.\r\n") and b"\n" not in out.replace(b"\r\n", b"")
    text = out.decode("utf-8-sig")
    first, second, third = mermaid_blocks(text)
    assert "\r\n  end\r\n" in first.text and first.text.count("linkStyle") == 1
    assert second.text == "flowchart LR\r\n  A[broken --> B\r\n"
    assert "linkStyle 2," in third.text  # `~~~` is Mermaid's edge 1: added edges are numbered after it
    parts = load_parts(tmp_path / "design.fixed.md", LEXICON)
    assert [p.warnings for p, _ in parts][0] == []  # the subgraph is closed now


def test_fix_one_block_by_name(tmp_path, cli):
    doc = tmp_path / "design.md"
    doc.write_text(DOC.replace("\r\n", "\n"), encoding="utf-8")
    code, _, err = cli("fix", f"{doc}#block3", "-o", str(tmp_path / "out.md"))
    assert code == 0, err
    first, second, third = mermaid_blocks((tmp_path / "out.md").read_text(encoding="utf-8"))
    assert "diagramcheck" not in first.text and "diagramcheck" in third.text
    code, _, err = cli("fix", f"{doc}#block3", "-o", str(doc), "--force")
    assert code == 2 and "refusing to overwrite an input" in err


def test_added_labels_survive_markup_characters():
    from diagramcheck.writers.mermaid_fix import _quoted

    from diagramcheck.readers.mermaid_labels import clean_label
    for label in ['Feature store', 'A "quoted" <b>name</b> & more #1;', "two\nlines", "Guardrails (PII, injection)"]:
        assert clean_label(_quoted(label)[1:-1]) == "\n".join(" ".join(line.split()) for line in label.split("\n"))


def test_dry_run_lists_one_plan_per_block(tmp_path, cli):
    import json

    doc = tmp_path / "design.md"
    doc.write_text(DOC.replace("\r\n", "\n"), encoding="utf-8")
    code, out, err = cli("fix", "--dry-run", str(doc))
    document = json.loads(out)
    assert code == 2 and f"diagramcheck: error: {doc}#block2: Mermaid syntax error" in err  # the block that cannot be read
    assert document["path"] == str(doc)
    assert [b["path"] for b in document["blocks"]] == [f"{doc}#block1", f"{doc}#block3"]
    assert all({"add", "connect", "remove", "fixes", "left_open"} <= set(b) for b in document["blocks"])
    assert not (tmp_path / "design.fixed.md").exists()
    code, out, _ = cli("fix", "--dry-run", f"{doc}#block3")
    assert code == 0 and json.loads(out)["path"] == f"{doc}#block3"  # one block: one plan, as for any other file
