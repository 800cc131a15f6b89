"""Bad input never yields a traceback: a plain reason, exit code 2, other files still reviewed."""

from __future__ import annotations

import hashlib
import json
import zlib
import base64

import pytest

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS
from diagramcheck.readers import read_bytes
from tests.conftest import SAMPLES

BAD = {
    "truncated.excalidraw": b'{"type": "excalidraw", "elements": [{"id": "a", "type": "rect',
    "not-json.excalidraw": b"hello world",
    "wrong-schema.excalidraw": b'{"type": "excalidraw", "elements": {"a": 1}}',
    "other-app.excalidraw": b'{"type": "tldraw", "shapes": []}',
    "empty.excalidraw": b"",
    "garbage.excalidraw.png": bytes(range(256)) * 4,
    "deep.excalidraw": b'{"type": "excalidraw", "elements": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    "empty-drawing.excalidraw.md": b"---\nexcalidraw-plugin: parsed\n---\n# Drawing\n```json\n```\n",
    "garbage.dot": b"\x00\x01\x02 digraph",
    "unclosed.mmd": b"flowchart LR\n  A[Feature store --> B",
    "empty-block.md": b"# Notes\n\n```mermaid\n```\n",
    "sequence-only.md": b"```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n",
    "binary.mmd": b"\x00\x01\x02\xff\xfe",
    "plain-readme.md": b"# A README\n\nNo diagram.\n",
    "latin1.md": "```mermaid\ngraph TD\n  A[Caf\u00e9] --> B\n```\n".encode("latin-1"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_reader_gives_a_plain_reason(name):
    with pytest.raises(DiagramError) as info:
        read_bytes(BAD[name], name) if BAD[name] else _raise_empty(name)
    assert str(info.value)
    assert "Traceback" not in str(info.value)


def _raise_empty(name):
    return read_bytes(b"", name)


def test_zlib_bomb_in_svg_hits_the_decompression_limit(monkeypatch):
    monkeypatch.setattr("diagramcheck.readers.embedded.LIMITS", type(LIMITS)(max_decompressed_bytes=1_000_000))
    bomb = zlib.compress(b"{" + b" " * 50_000_000 + b"}", 9)
    envelope = json.dumps({"encoding": "bstring", "compressed": True, "encoded": bomb.decode("latin-1")})
    svg = ("<svg><!-- payload-type:application/vnd.excalidraw+json --><!-- payload-version:2 --><!-- payload-start -->"
           + base64.b64encode(envelope.encode("latin-1")).decode() + "<!-- payload-end --></svg>").encode()
    with pytest.raises(LimitExceeded, match="decompressed scene is over the limit"):
        read_bytes(svg, "bomb.excalidraw.svg")


def test_too_many_elements(monkeypatch):
    monkeypatch.setattr("diagramcheck.readers.excalidraw.LIMITS", type(LIMITS)(max_elements=10))
    scene = {"type": "excalidraw", "elements": [{"id": str(i), "type": "rectangle"} for i in range(11)]}
    with pytest.raises(LimitExceeded, match="element count is 11, over the limit of 10"):
        read_bytes(json.dumps(scene).encode(), "big.excalidraw")


def test_cli_reports_errors_and_still_reviews_the_other_files(cli, tmp_path):
    good = SAMPLES / "recommendation.excalidraw"
    bad = tmp_path / "broken.excalidraw"
    bad.write_bytes(BAD["truncated.excalidraw"])
    missing = tmp_path / "missing.excalidraw"
    before = hashlib.sha256(good.read_bytes()).hexdigest()
    code, out, err = cli("review", "--format", "json", str(bad), str(good), str(missing))
    assert code == 2
    assert f"diagramcheck: error: {bad}: not valid JSON" in err
    assert f"diagramcheck: error: {missing}: no such file" in err
    assert "Traceback" not in err + out
    document = json.loads(out)
    assert [f["path"] for f in document["files"]] == [str(good)]
    assert {e["path"] for e in document["errors"]} == {str(bad), str(missing)}
    assert hashlib.sha256(good.read_bytes()).hexdigest() == before


def test_an_empty_folder_is_walked_and_found_empty(cli, tmp_path):
    code, out, err = cli("review", str(tmp_path))
    assert code == 0 and "no sketches found" in err and "Traceback" not in err


def test_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    from diagramcheck.readers import read_path

    monkeypatch.setattr("diagramcheck.file_reader.LIMITS", type(LIMITS)(max_file_bytes=4_000))
    sketch = tmp_path / "big.excalidraw"
    sketch.write_bytes((SAMPLES / "recommendation.excalidraw").read_bytes())
    with pytest.raises(LimitExceeded, match="file size is 65,511, over the limit of 4,000"):
        read_path(sketch)


@pytest.mark.skipif(not __import__("os").path.isdir("/dev/fd"), reason="no /dev/fd here")
@pytest.mark.parametrize("limit, fits", [(10**6, True), (1_000, False)])
def test_a_pipe_is_read_whole_and_bounded(tmp_path, monkeypatch, limit, fits):
    """stat gives an anonymous pipe (e.g. `diagramcheck review <(cat sketch.dot)`) the size
    0: it is read to its end all the same, and still no further than the limit."""
    import os
    import threading

    from diagramcheck.readers import read_path

    monkeypatch.setattr("diagramcheck.file_reader.LIMITS", type(LIMITS)(max_file_bytes=limit))
    data = (SAMPLES / "ads_ctr.dot").read_bytes()
    read_end, write_end = os.pipe()
    pipe = f"/dev/fd/{read_end}"
    writer = threading.Thread(target=lambda: _write_ignoring_close(write_end, data))
    writer.start()
    try:
        if fits:
            assert len(read_path(pipe).shapes) == len(read_bytes(data, "ads_ctr.dot").shapes)
        else:
            with pytest.raises(LimitExceeded, match="file size is 1,001, over the limit of 1,000"):
                read_path(pipe)
    finally:
        os.close(read_end)
        writer.join(timeout=10)


def _write_ignoring_close(fd, data):
    try:
        with open(fd, "wb") as out:
            out.write(data)
    except BrokenPipeError:  # the reader stopped at the limit
        pass


@pytest.mark.parametrize("data, reason", [
    (bytes(range(128, 256)) * 32, "the file is binary, not UTF-8 text"),
    (b"\x89PNG\r\n\x1a\n" + bytes(200), "the file is a PNG image"),
    (b"%PDF-1.7\n" + bytes(100), "the file is a PDF"),
    (b'{"type": "excalidraw", ', "not valid JSON (unexpected end of data"),  # text: the parser's own words
])
def test_a_file_that_is_no_scene_says_what_it_is(data, reason):
    with pytest.raises(DiagramError) as info:
        read_bytes(data, "sketch.excalidraw")
    assert reason in str(info.value) and "surrogates" not in str(info.value)
