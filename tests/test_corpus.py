"""Real diagrams drawn by other people (../shared/corpus): every file parses or fails with
a clear reason, and hand-checked files keep exactly the structure a person sees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagramcheck.errors import DiagramError
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
    if code == 0 and "skipped" in err:  # a Markdown document with no drawing the readers take
        assert err == f"diagramcheck: skipped {path}: no drawing in this document\n"
        assert json.loads(out)["files"] == []
    elif code == 0:
        document = json.loads(out)
        assert document["files"][0]["path"] == str(path)
    else:
        assert code == 2
        assert err.startswith(f"diagramcheck: error: {path}: ")


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
