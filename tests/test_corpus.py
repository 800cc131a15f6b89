"""Real diagrams drawn by other people (../shared/corpus): every file parses or fails with
a clear reason, and hand-checked files keep exactly the structure a person sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagramcheck.errors import DiagramError
from diagramcheck.formats import NO_DRAWING
from tests.conftest import CORPUS, edges, graph_of

TRUTH = json.loads((Path(__file__).parent / "data" / "corpus_truth.json").read_text(encoding="utf-8"))


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.glob("*/*") if p.is_file() and p.name != "MANIFEST.tsv")


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:60])
def test_every_corpus_file_parses_or_says_why(path, cli):
    code, out, err = cli("graph", "--format", "json", str(path))
    assert "Traceback" not in out + err
    if code == 0 and err == f"diagramcheck: skipped {path}: {NO_DRAWING}\n":  # a Markdown document with no sketch
        assert json.loads(out)["files"] == []
    elif code == 0:
        document = json.loads(out)
        paths = [section["path"] for section in document["files"]]  # a Markdown file: one per Mermaid block
        assert paths and all(p == str(path) or p.startswith(f"{path}#block") for p in paths)
        for line in err.splitlines():  # blocks of other diagram types, blocks read tolerantly
            assert line.startswith((f"diagramcheck: skipped {path}#block", f"diagramcheck: warning: {path}")), line
    else:
        assert code == 2
        assert f"diagramcheck: error: {path}" in err


def test_known_unreadable_corpus_file_gives_its_reason(corpus):
    path = corpus / "excalidraw" / "ys-zhang__obsidian-vault-research__ProcMining__Process_Query.excalidraw.md"
    with pytest.raises(DiagramError, match="drawing block is empty"):
        graph_of(path.read_bytes(), path.name)


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_hand_checked_structure(corpus, name):
    expected = TRUTH[name]
    graph = graph_of((corpus / name).read_bytes(), name)
    assert sorted(z.label for z in graph.zones) == expected["zones"]
    assert sorted(c.label for c in graph.components) == expected["components"]
    assert sorted(list(e) for e in edges(graph)) == expected["edges"]
