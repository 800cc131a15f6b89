"""Every output is inert (issue 21): what a label, id, zone title, note or file name holds
never acts on a terminal, a CI log, a Markdown page or a SARIF viewer, and a file name
that is not UTF-8 is shown with escapes and crashes nothing. Each run has a good sketch
beside the hostile one, which is still reviewed. The DOT `fix` writes ids that read back
as the same ids, before the real closing brace, in the file's own charset."""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import given, strategies as st

from diagramcheck import inert
from diagramcheck.readers import read_bytes
from diagramcheck.reporters.graphview import dot_id
from benchmarks.attacks import _element, arrow, box, design_elements, dot_design, good_scene, scene, text
from tests.conftest import SAMPLES

INJECT = "x\n::warning file=pwned.txt::injected\x1b[31mRED\x1b]8;;http://evil/\x07link\x1b]8;;\x07\x1b]52;c;cHduZWQ=\x07\r\x85\u2028"
MARKUP = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) `tick` <script>alert(2)</script>"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e]")


@pytest.fixture
def hostile(tmp_path):
    """A hostile sketch under a hostile name, a good one, and a missing one (an error line)."""
    elements, rects = design_elements()
    elements += box("mon\n::error::id", 0, 500, "Monitoring " + INJECT)
    elements.append(arrow("arr\n::error::arrow", rects["rank"], elements[-2]))
    elements.append(text("note", 0, 800, "Note " + INJECT + MARKUP))
    elements += box("md", 300, 500, "Thing " + MARKUP)
    elements[-2]["frameId"] = "fr"
    elements.append(_element("frame", "fr", 280, 480, 300, 200, name="Zone " + INJECT))
    name = "evil\n::warning file=a::b\x1b[2J\x1b]0;title\x07.excalidraw"
    (tmp_path / name).write_bytes(scene(elements))
    (tmp_path / "good.excalidraw").write_bytes(good_scene())
    return [str(tmp_path / name), str(tmp_path / "good.excalidraw"), str(tmp_path / "missing\n::error::x\x1b[31m.dot")]


def _lines_are_inert(output: str, commands_allowed: bool = False) -> None:
    assert not CONTROL.search(output), repr(CONTROL.search(output).group())
    for line in output.split("\n"):
        if line.lstrip().startswith("::"):
            assert commands_allowed and re.match(r"::(error|warning|notice) file=", line), line


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "markdown"])
def test_line_based_and_terminal_outputs_are_inert(cli, hostile, fmt):
    code, out, err = cli("review", "--no-color", "--format", fmt, *hostile) if fmt == "text" else cli("review", "--format", fmt, *hostile)
    assert code == 2
    _lines_are_inert(err)
    _lines_are_inert(out, commands_allowed=fmt == "github")
    assert "good.excalidraw" in out  # the good file in the same run is still reviewed
    assert "\\x1b" in out or "%1B" in out  # shown, not dropped
    if fmt == "github":
        assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in out.splitlines())
    if fmt == "markdown":
        assert "<img" not in out and "<script" not in out and not re.search(r"(?<!\\)\]\(javascript:", out)
        assert "&lt;img src=x onerror=alert(1)&gt;" in out.replace("&gt;", "&gt;") or "&lt;img" in out


@pytest.mark.parametrize("fmt", ["json", "sarif", "html"])
def test_structured_outputs_are_inert_on_a_terminal_too(cli, hostile, fmt):
    code, out, err = cli("review", "--format", fmt, *hostile)
    assert code == 2
    _lines_are_inert(err)
    assert not CONTROL.search(out)
    if fmt == "json":
        document = json.loads(out)
        assert any("\x1b[31mRED" in c["label"] for f in document["files"] for c in f["components"])  # the label, once read
        assert [os.path.basename(f["path"]) for f in document["files"]][1] == "good.excalidraw"
    if fmt == "sarif":
        uris = [loc["physicalLocation"]["artifactLocation"]["uri"] for run in json.loads(out)["runs"]
                for r in run["results"] for loc in r["locations"]]
        assert uris and all(re.fullmatch(r"[A-Za-z0-9\-._~/%]+", uri) for uri in uris)
    if fmt == "html":
        assert "<img" not in out and "<script>alert" not in out


@pytest.mark.parametrize("fmt", ["text", "dot", "json"])
def test_graph_outputs_are_inert(cli, hostile, fmt):
    code, out, err = cli("graph", "--format", fmt, *hostile)
    assert code == 2
    _lines_are_inert(err)
    _lines_are_inert(out.replace("\\n", " "))
    assert "good.excalidraw" in out or fmt == "dot"


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown", "github", "concise", "html"])
def test_a_file_name_that_is_not_utf8_is_shown_with_escapes(cli, tmp_path, fmt):
    raw = os.path.join(os.fsencode(tmp_path), b"sketch-\xff\xfe.excalidraw")
    with open(raw, "wb") as handle:
        handle.write(good_scene())
    name = os.fsdecode(raw)
    good = tmp_path / "good.excalidraw"
    good.write_bytes(good_scene())
    code, out, err = cli("review", "--format", fmt, name, str(good))
    assert code == 1, err
    out.encode("utf-8")  # strictly encodable: no surrogate left
    assert re.search(r"\\+xff\\+xfe|%FF%FE", out)
    assert "good.excalidraw" in out or fmt == "concise"
    code, _, err = cli("review", "--format", fmt, "-o", str(tmp_path / f"report.{fmt}"), name, str(good))
    assert code == 1 and (tmp_path / f"report.{fmt}").is_file()


def test_a_non_utf8_name_in_errors_and_fix(cli, tmp_path):
    raw = os.path.join(os.fsencode(tmp_path), b"broken-\xff.excalidraw")
    with open(raw, "wb") as handle:
        handle.write(b"{ not json")
    code, out, err = cli("review", "--format", "json", os.fsdecode(raw), str(SAMPLES / "ads_ctr.dot"))
    assert code == 2 and "broken-\\xff.excalidraw" in err
    assert json.loads(out)["errors"][0]["path"].endswith("broken-\\xff.excalidraw")


def test_inert_functions():
    assert inert.line("a\nb\x1b[31m\u2028\udcff") == "a\\x0ab\\x1b[31m\\u2028\\xff"
    assert inert.text("a\nb\x07") == "a\nb\\x07"
    assert inert.markdown("<b>[x](javascript:y)</b> `c` *d* a|b") == "&lt;b>\\[x\\](javascript:y)&lt;/b> \\`c\\` \\*d\\* a\\|b"
    assert inert.markdown_code("a`b") == "``a`b``"
    assert inert.uri("dir/a b#?\udcff.dot") == "dir/a%20b%23%3F%FF.dot"
    assert inert.json("\u009b\u202e".encode()) == b"\\u009b\\u202e"


# --- the DOT fix --------------------------------------------------------------------------


@given(st.text(alphabet='ab"\\\n', min_size=1, max_size=10))
def test_dot_ids_read_back_as_the_same_ids(name):
    """Any id the DOT reader can produce is written so that it reads back unchanged; any
    other string (from another format) is at least never able to end the string early."""
    sketch = read_bytes(f"digraph {{ {dot_id(name)} -> other; }}".encode(), "x.dot")
    ids = {s.id for s in sketch.shapes}
    assert len(ids) == 2 and "other" in ids
    (read,) = ids - {"other"}
    again = read_bytes(f"digraph {{ {dot_id(read)} -> other; }}".encode(), "x.dot")
    assert {s.id for s in again.shapes} == {read, "other"}


def _fixed(cli, tmp_path, data: bytes) -> bytes:
    path = tmp_path / "design.dot"
    path.write_bytes(data)
    code, _, err = cli("fix", str(path), "-o", str(tmp_path / "fixed.dot"))
    assert code == 0, err
    return (tmp_path / "fixed.dot").read_bytes()


def test_dot_fix_appends_before_the_real_closing_brace(cli, tmp_path):
    data = (dot_design() + "// the end }\n/* } */\n").encode()
    fixed = _fixed(cli, tmp_path, data)
    assert fixed.endswith(b"}\n// the end }\n/* } */\n")
    sketch = read_bytes(fixed, "fixed.dot")
    assert len(sketch.shapes) > len(read_bytes(data, "design.dot").shapes)


def test_dot_fix_keeps_a_latin1_file_latin1(cli, tmp_path):
    data = dot_design('  caf [label="Café données"];\n  rank -> caf;', ' charset="latin1";').encode("latin-1")
    fixed = _fixed(cli, tmp_path, data)
    assert "Café données".encode("latin-1") in fixed
    assert fixed.startswith(data[: data.rindex(b"}")].rstrip())  # the original, byte for byte


def test_dot_fix_connects_to_ids_with_backslashes_not_to_phantoms(cli, tmp_path):
    data = dot_design('  "mon\\itor" [label="Ranking service"];\n  api -> "mon\\itor";').encode()
    fixed = _fixed(cli, tmp_path, data)
    before = {s.id for s in read_bytes(data, "d.dot").shapes}
    after = read_bytes(fixed, "f.dot")
    assert before <= {s.id for s in after.shapes}
    assert all(link.start in {s.id for s in after.shapes} and link.end in {s.id for s in after.shapes} for link in after.links)
    assert not [s.id for s in after.shapes if s.id not in before and "\\\\" in s.id]


def test_fix_refuses_json_too_deep_to_write_back_and_reads_the_rest(cli, tmp_path):
    for depth, ok in ((200, True), (600, False)):
        elements, _ = design_elements()
        elements[0]["customData"] = {"deep": "DEEP"}
        path = tmp_path / f"deep{depth}.excalidraw"
        path.write_bytes(scene(elements).replace(b'"DEEP"', b"[" * depth + b"1" + b"]" * depth))
        code, _, err = cli("fix", str(path), "-o", str(tmp_path / f"out{depth}.excalidraw"))
        assert (code == 0) == ok, err
        if not ok:
            assert "JSON nesting depth is over the limit of 254 for a corrected copy" in err
        code, _, _ = cli("review", str(path))
        assert code == 1  # the review reads it either way
