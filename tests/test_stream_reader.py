"""Big scenes are read one element at a time; that path must read exactly what the
whole-file path reads, and fail the same way on bad input."""

from __future__ import annotations

import json
from dataclasses import asdict

import orjson
import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck.build import build_graph
from diagramcheck.errors import DiagramError
from diagramcheck.readers import read_bytes
from diagramcheck.readers.excalidraw import elements_to_sketch
from tests.conftest import CORPUS, SAMPLES
from tests.test_bad_input import BAD


def both(data: bytes, monkeypatch, batch: int | None = None):
    whole = build_graph(read_bytes(data, "s.excalidraw"))
    monkeypatch.setattr("diagramcheck.readers.STREAM_ABOVE", 0)
    if batch is not None:  # small batches, so that test files are cut into many
        monkeypatch.setattr("diagramcheck.readers.stream.BATCH", batch)
    streamed = build_graph(read_bytes(data, "s.excalidraw"))
    monkeypatch.undo()
    return whole, streamed


def refused_both_ways(data: bytes, monkeypatch, match: str, batch: int | None = None) -> None:
    with pytest.raises(DiagramError, match=match):
        read_bytes(data, "s.excalidraw")
    monkeypatch.setattr("diagramcheck.readers.STREAM_ABOVE", 0)
    if batch is not None:
        monkeypatch.setattr("diagramcheck.readers.stream.BATCH", batch)
    with pytest.raises(DiagramError, match=match):
        read_bytes(data, "s.excalidraw")
    monkeypatch.undo()


def files():
    out = [p for p in SAMPLES.glob("*.excalidraw")]
    if CORPUS.is_dir():
        out += sorted((CORPUS / "excalidraw").glob("*.excalidraw"))
    return out


@pytest.mark.parametrize("batch", [None, 1, 300, 5000])
@pytest.mark.parametrize("path", files(), ids=lambda p: p.name[:50])
def test_streamed_and_whole_file_reads_agree(path, batch, monkeypatch):
    whole, streamed = both(path.read_bytes(), monkeypatch, batch)
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


# orjson reads integers beyond 64 bits as floats, the standard library as ints: elements
# read one at a time must still come out as orjson reads them
HUGE_INTS = st.sampled_from([2**63, -(2**63) - 1, 2**64, -(10**30), 2**53 + 1])
ELEMENT = st.fixed_dictionaries(
    {"id": st.text(max_size=6), "type": st.sampled_from(["rectangle", "text", "arrow", "frame"]),
     "x": st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False), HUGE_INTS)},
    optional={
        # strings and lists of objects hold the "}, {" a batch boundary looks for
        "text": st.sampled_from(["}, {", '"},{"x":1}', "a\\", "}]", "plain"]),
        "boundElements": st.lists(st.fixed_dictionaries({"type": st.just("arrow"), "id": st.text(max_size=3)}), max_size=3),
        "points": st.lists(st.lists(st.one_of(st.integers(-5, 5), HUGE_INTS), min_size=2, max_size=2), max_size=3),
    },
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(ELEMENT, st.integers(), st.none()), max_size=40), st.integers(1, 400),
       st.sampled_from([None, 1, 2]), st.booleans())
def test_batches_read_what_the_whole_file_parse_reads(elements, batch, indent, damage):
    import diagramcheck.readers.stream as stream

    scene = {"type": "excalidraw", "elements": elements, "appState": {"list": [{"x": 1}, {"x": 2}]}, "files": {}}
    text = json.dumps(scene, indent=indent)
    if damage:  # cut off inside the elements: both readers must refuse it
        text = text[: max(1, text.find("elements") + len(text) // 2)]
    old, stream.BATCH = stream.BATCH, batch
    try:
        try:
            meta: dict = {}
            streamed = list(stream.stream_elements(text, meta))
        except DiagramError:
            streamed = None
    finally:
        stream.BATCH = old
    try:
        whole = orjson.loads(text)["elements"]  # what the whole-file path parses
    except orjson.JSONDecodeError:
        whole = None
    assert streamed == whole
    if whole is not None:
        assert meta["appState"] == scene["appState"]


@pytest.mark.parametrize("value", ["NaN", "-Infinity", "1e400", '"\\ud800"'])
@pytest.mark.parametrize("batch", [None, 1])
def test_what_orjson_refuses_is_refused_in_batches_and_one_at_a_time(value, batch, monkeypatch):
    # the standard library takes all four: as the whole-file parse refuses the file, so must
    # the streamed one, instead of reading (or, for a lone surrogate, crashing on the report)
    elements = [{"id": f"r{i}", "type": "rectangle", "x": 0, "y": 0, "width": 9, "height": 9} for i in range(5)]
    data = json.dumps({"type": "excalidraw", "elements": elements}).replace('"x": 0', f'"x": {value}', 3).encode()
    refused_both_ways(data, monkeypatch, "not valid JSON", batch)


def test_a_byte_order_mark_is_read_past_on_both_paths(monkeypatch):
    # the app reads a file as text, which drops the mark (Notepad writes one)
    data = (SAMPLES / "rag_chatbot.excalidraw").read_bytes()
    plain = asdict(build_graph(read_bytes(data, "s.excalidraw")))
    whole, streamed = both(b"\xef\xbb\xbf" + data, monkeypatch)
    assert asdict(whole) == asdict(streamed) == plain


def test_a_scene_shorter_than_a_batch_is_one_orjson_parse_but_its_last_element(monkeypatch):
    import diagramcheck.readers.stream as stream

    one_at_a_time = []
    decode = stream._decode
    monkeypatch.setattr(stream, "_decode", lambda text, i: one_at_a_time.append(i) or decode(text, i))
    text = (SAMPLES / "rag_chatbot.excalidraw").read_text()
    scene = json.loads(text)
    assert len(text) < stream.BATCH
    assert list(stream.stream_elements(text, {})) == scene["elements"]
    # the keys and values around the elements, and the last element: not one per element
    assert len(one_at_a_time) == 1 + 2 * len(scene) - 1


def test_candidates_that_open_nested_elements(monkeypatch):
    # every "}, {" inside the first element opens an object with an x, each holding the
    # rest: the cuts there must all be refused, and the elements come out as parsed whole
    import diagramcheck.readers.stream as stream

    first = node = {"x": 0, "type": "rectangle", "k": []}
    for depth in range(40):
        child = {"x": depth, "type": "rectangle", "pad": "p" * 50, "k": []}
        node["k"] = [{"y": 1}, child]
        node = child
    elements = [first] + [{"x": i, "type": "rectangle", "id": f"r{i}"} for i in range(60)]
    text = json.dumps({"type": "excalidraw", "elements": elements})
    monkeypatch.setattr(stream, "BATCH", 64)
    monkeypatch.setattr(stream, "_WINDOW", 256)  # smaller than the first element
    assert list(stream.stream_elements(text, {})) == elements


@pytest.mark.parametrize("tail", [b"\n\n", b'\n"elements": []\n}', b"{}", b"\x00"])
def test_content_after_the_scene(tail, monkeypatch):
    data = (SAMPLES / "rag_chatbot.excalidraw").read_bytes().rstrip() + tail
    if tail.strip():  # orjson refuses a file with more after the scene: so must the batches
        refused_both_ways(data, monkeypatch, "after")
    else:
        whole, streamed = both(data, monkeypatch)
        assert asdict(whole) == asdict(streamed)


_SEED = (SAMPLES / "rag_chatbot.excalidraw").read_bytes()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_SEED)), st.sampled_from([b"", b"}", b"]", b",", b'"', b"{}", b" 1e400", b"NaN", b"\\ud800", b"\xef\xbb\xbf"]),
                          st.integers(0, 3)), max_size=4), st.sampled_from([None, 64, 2000]))
def test_whole_and_batched_reads_accept_refuse_and_read_alike(edits, batch):
    import diagramcheck.readers as readers
    import diagramcheck.readers.stream as stream

    data = _SEED
    for at, insert, drop in edits:  # splice: drop a few bytes at a point, insert others
        data = data[:at] + insert + data[at + drop:]
    results = []
    old = readers.STREAM_ABOVE, stream.BATCH
    try:
        for above in (old[0], 0):
            readers.STREAM_ABOVE = above
            stream.BATCH = batch or old[1]
            try:
                results.append(asdict(build_graph(read_bytes(data, "s.excalidraw"))))
            except DiagramError:
                results.append(None)
    finally:
        readers.STREAM_ABOVE, stream.BATCH = old
    assert results[0] == results[1]
