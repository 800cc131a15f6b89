"""Big scenes are read one element at a time; that path must read exactly what the
whole-file path reads, and fail the same way on bad input."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck.build import build_graph
from diagramcheck.errors import DiagramError
from diagramcheck.readers import read_bytes
from tests.conftest import CORPUS, SAMPLES
from tests.test_bad_input import BAD


def both(data: bytes, monkeypatch):
    whole = build_graph(read_bytes(data, "s.excalidraw"))
    monkeypatch.setattr("diagramcheck.readers.STREAM_ABOVE", 0)
    streamed = build_graph(read_bytes(data, "s.excalidraw"))
    monkeypatch.undo()
    return whole, streamed


def files():
    out = [p for p in SAMPLES.glob("*.excalidraw")]
    if CORPUS.is_dir():
        out += sorted((CORPUS / "excalidraw").glob("*.excalidraw"))
    return out


@pytest.mark.parametrize("path", files(), ids=lambda p: p.name[:50])
def test_streamed_and_whole_file_reads_agree(path, monkeypatch):
    whole, streamed = both(path.read_bytes(), monkeypatch)
    assert asdict(whole) == asdict(streamed)


@pytest.mark.parametrize("name", [n for n in BAD if n.endswith(".excalidraw")])
def test_bad_input_fails_cleanly_when_streamed(name, monkeypatch):
    monkeypatch.setattr("diagramcheck.readers.STREAM_ABOVE", 0)
    with pytest.raises(DiagramError):
        read_bytes(BAD[name], name) if BAD[name] else read_bytes(b"", name)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_streamed_random_bytes(data):
    import diagramcheck.readers as readers

    old, readers.STREAM_ABOVE = readers.STREAM_ABOVE, 0
    try:
        try:
            build_graph(read_bytes(b'{"type": "excalidraw", "elements": [' + data + b"]}", "r.excalidraw"))
        except DiagramError:
            pass
    finally:
        readers.STREAM_ABOVE = old


def test_key_order_does_not_matter(monkeypatch):
    scene = json.loads((SAMPLES / "rag_chatbot.excalidraw").read_text())
    reordered = {"appState": scene["appState"], "elements": scene["elements"], "files": {}, "type": "excalidraw", "version": 2}
    whole, streamed = both(json.dumps(reordered).encode(), monkeypatch)
    assert asdict(whole) == asdict(streamed)
    with pytest.raises(DiagramError, match="type is 'tldraw'"):
        monkeypatch.setattr("diagramcheck.readers.STREAM_ABOVE", 0)
        read_bytes(json.dumps({"elements": [], "type": "tldraw"}).encode(), "x.excalidraw")
