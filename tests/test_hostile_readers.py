"""Hostile input to the readers (issue 21): linear tokenising, limits that hold in every
reader, iteration where depth comes from the input, bounded decompression. Speed is
measured in benchmarks/attacks.py; these tests check behaviour (what is read, what is
refused and how), on inputs of the shape that used to hang or crash."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck.build import build_graph
from diagramcheck.design_checks import _DURATION
from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS
from diagramcheck.readers import parts_of, read_bytes
from diagramcheck.readers.dot import strip_tags
from diagramcheck.readers.dot_parser import _unquote
from diagramcheck.readers.excalidraw import unwikilink
from diagramcheck.sketch import MAX_ID, cap_id
from benchmarks.attacks import (HOSTILE, POSITIONS, REQUIREMENTS, arrow, box, design_elements, dot_design, obsidian_with, png_with,
                                scene, svg_with, text)

CAP = LIMITS.max_label_chars


# --- DOT ----------------------------------------------------------------------------


def test_unterminated_string_of_backslash_newlines_is_an_error_with_its_line():
    data = b'digraph {\n  a [label="' + b"\\\n" * 60 + b"x]; }"
    with pytest.raises(DiagramError, match=r"unterminated quoted string in DOT \(line 2\)"):
        read_bytes(data, "s.dot")


def test_unterminated_comment_is_an_error_not_a_scan_from_each_opening():
    with pytest.raises(DiagramError, match=r"unterminated /\* comment in DOT \(line 1\)"):
        read_bytes(b"digraph { a -> b; /* " + b"/* x " * 20_000, "c.dot")


@pytest.mark.parametrize("depth, refused", [(197, False), (200, False), (201, True)])
def test_subgraph_nesting_limit_is_honoured_exactly(depth, refused):
    nested = "subgraph { " * (depth - 1) + "x -> rank;" + " }" * (depth - 1)
    data = dot_design(nested).encode()
    if refused:
        with pytest.raises(LimitExceeded, match="subgraph nesting depth is 201, over the limit of 200"):
            read_bytes(data, "n.dot")
    else:
        sketch = read_bytes(data, "n.dot")
        assert {(link.start, link.end) for link in sketch.links} >= {("x", "rank"), ("app", "api")}


def test_nested_edges_and_defaults_read_as_graphviz_does():
    """The iterative walker keeps the recursive one's meaning: defaults apply to what
    follows in their scope, a subgraph endpoint stands for the nodes it names."""
    data = b"""digraph {
      node [kind=api];
      a -> { b c -> subgraph cluster_x { label="Zone"; node [kind=training]; d e } } -> f;
      g;
    }"""
    sketch = read_bytes(data, "d.dot")
    kinds = {s.id: s.kind_tag for s in sketch.shapes if not s.is_zone}
    assert kinds == {"a": "api", "b": "api", "c": "api", "d": "training", "e": "training", "f": "api", "g": "api"}
    edges = {(link.start, link.end) for link in sketch.links}
    assert ("a", "b") in edges and ("a", "d") in edges and ("c", "d") in edges and ("e", "f") in edges
    assert {s.parent for s in sketch.shapes if s.id in "de"} == {"cluster_x"}


def test_name_expansion_stops_at_the_label_cap():
    name, expansions = "n" * 10_000, "\\N" * 45_000
    sketch = read_bytes(dot_design(f'  {name} [label="{expansions}"];').encode(), "x.dot")
    label = next(s.label for s in sketch.shapes if s.id == cap_id(name))
    assert len(label) == CAP and set(label) == {"n"}


def test_a_name_whose_escapes_read_as_nothing_is_read_once_per_label():
    """`\\N` is the name with its own escapes read: worked out once, not once per `\\N` (a
    200 KB name of `\\G` under 50,000 `\\N` would be ten billion steps)."""
    name = '"' + "\\G" * 100_000 + 'x"'
    expansions = "\\N" * 50_000
    sketch = read_bytes(dot_design(f'  {name} [label="{expansions}"];\n  {name} -> rank;').encode(), "x.dot")
    assert "x" * 40 in "".join(s.label or "" for s in sketch.shapes)
    unlabelled = read_bytes(dot_design('  "moderation model\\n(BERT)";').encode(), "y.dot")
    assert "moderation model\n(BERT)" in {s.label for s in unlabelled.shapes}


def test_edges_between_clusters_are_one_per_side_and_products_are_bounded(monkeypatch):
    left = " ".join(f"a{i}" for i in range(30))
    right = " ".join(f"b{i}" for i in range(30))
    both = read_bytes(dot_design(f"  subgraph cluster_l {{ {left} }} subgraph cluster_r {{ {right} }}\n"
                                 "  a0 -> b0 [ltail=cluster_l, lhead=cluster_r];", " compound=true;").encode(), "z.dot")
    assert [(link.start, link.end) for link in both.links if link.start == "cluster_l"] == [("cluster_l", "cluster_r")]
    monkeypatch.setattr("diagramcheck.readers.dot.LIMITS", type(LIMITS)(max_edges=500))
    with pytest.raises(LimitExceeded, match=r"DOT edge count .* is 908, over the limit of 500"):
        read_bytes(dot_design(f"  {{{left}}} -> {{{right}}};").encode(), "p.dot")


def test_html_label_with_a_long_unclosed_break_tag_reads_its_text():
    sketch = read_bytes(dot_design("  h [label=<a<br" + " " * 50_000 + "x>b>];").encode(), "h.dot")
    assert next(s.label for s in sketch.shapes if s.id == "h") == "ab"


@given(st.text(alphabet='\\"ab\n\r', max_size=12))
def test_unquoting_is_graphvizs(body):
    """Graphviz's scanner: a backslash and the next character are a pair; `\\"` is a quote,
    backslash-newline is dropped, every other pair stays as written."""
    token = '"' + body + '"'
    if not re.fullmatch(r'"(?:[^"\\]|\\.)*"', token, re.S):
        return  # not one string token
    expected, i = [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            pair = body[i:i + 2]
            if body[i + 1 : i + 3] == "\r\n":
                i += 3
                continue
            expected.append('"' if pair == '\\"' else "" if pair == "\\\n" else pair)
            i += 2
        else:
            expected.append(body[i])
            i += 1
    assert _unquote(token) == "".join(expected)


@given(st.text(alphabet="<>a b", max_size=30))
def test_strip_tags_matches_the_regex_it_replaces(markup):
    assert strip_tags(markup) == re.sub(r"<[^>]*>", "", markup)


# --- caps, for every reader ---------------------------------------------------------------


@pytest.mark.parametrize("fmt, position", [("excalidraw", "frame-name"), ("excalidraw", "label"), ("dot", "label"),
                                           ("dot", "id"), ("dot", "cluster-label"), ("dot", "edge-label"),
                                           ("obsidian", "text-element"), ("svg", "label"), ("png", "label"),
                                           ("mermaid", "label"), ("mermaid", "bare-label"), ("mermaid", "edge-label"),
                                           ("mermaid", "subgraph-title"), ("mermaid", "id"), ("mmd", "label"),
                                           ("drawio", "label"), ("drawio", "plain-label"), ("drawio", "id"),
                                           ("drawio", "edge-label"), ("drawio", "compressed-label"), ("drawio-svg", "label")])
def test_labels_and_ids_are_capped_in_every_reader(fmt, position):
    place, _ = POSITIONS[fmt]
    data, name = place(position, "Q" * 300_000)
    if (fmt, position) == ("mermaid", "id"):  # Mermaid's own lexer refuses an id that long: the block, with the limit
        with pytest.raises(DiagramError, match="node id length is 300,000, over the limit of 10,000"):
            read_bytes(data, name)
        data, name = place(position, "Q" * 9_000)
    sketch = read_bytes(data, name)
    strings = [s.label or "" for s in sketch.shapes] + [t.text for t in sketch.texts] + [link.label or "" for link in sketch.links]
    assert max(len(s) for s in strings) <= CAP
    ids = [s.id for s in sketch.shapes] + [t.id for t in sketch.texts] + [link.end or "" for link in sketch.links]
    assert max(len(i) for i in ids) <= MAX_ID
    assert any("Q" * 100 in s for s in strings + ids)  # cut, not dropped


@given(st.text(max_size=5), st.text(max_size=5))
def test_long_ids_stay_distinct_when_capped(a, b):
    long_a, long_b = "x" * 300 + a, "x" * 300 + b
    assert (cap_id(long_a) == cap_id(long_b)) == (long_a == long_b)
    assert cap_id(cap_id(long_a)) == cap_id(long_a) and len(cap_id(long_a)) == MAX_ID


def test_a_long_element_id_and_references_to_it_stay_joined():
    elements, rects = design_elements()
    long_id = "box-" + "z" * 500
    elements += box(long_id, 0, 600, "Model monitoring")
    elements.append(arrow("to-long", rects["rank"], elements[-2]))
    graph = build_graph(read_bytes(scene(elements), "l.excalidraw"))
    monitor = next(c for c in graph.components if c.label == "Model monitoring")
    assert monitor.id == cap_id(long_id) and len(monitor.id) == MAX_ID
    assert any(c.source == "rank" and c.target == monitor.id for c in graph.connections)


# --- Excalidraw, Obsidian, SVG, PNG --------------------------------------------------------------


@given(st.text(alphabet="[]|ab ", max_size=20))
def test_wikilinks_unwrap_as_the_regex_did(value):
    assert unwikilink(value) == re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", value)


def test_obsidian_text_full_of_open_links_is_read():
    elements, _ = design_elements()
    elements.append(text("t1", 0, 600, "x"))
    sketch = read_bytes(obsidian_with(elements, "[[" * 50_000 + " ^t1\n"), "l.excalidraw.md")
    assert next(t.text for t in sketch.texts if t.id == "t1") == "[[" * (CAP // 2)


def test_svg_payload_marker_followed_by_spaces_is_refused_plainly():
    with pytest.raises(DiagramError, match="not valid base64"):
        read_bytes(svg_with(b"", raw_payload=" " * 200_000 + "!"), "s.excalidraw.svg")
    unended = svg_with(b"", raw_payload=" " * 200_000).replace(b"<!-- payload-end -->", b"")
    with pytest.raises(DiagramError, match="payload-start/payload-end markers"):
        read_bytes(unended, "s.excalidraw.svg")


def test_svg_payload_version_of_many_digits_is_not_a_traceback():
    data = svg_with(scene(design_elements()[0])).replace(b"payload-version:2", b"payload-version:" + b"9" * 5000)
    assert read_bytes(data, "v.excalidraw.svg").shapes


def test_decompression_is_bounded_by_the_compressed_size():
    elements, _ = design_elements()
    elements.append(text("big", 0, 900, "a" * 20_000_000))
    with pytest.raises(LimitExceeded, match=r"over the limit of .* \(16 times its .* compressed bytes\)"):
        read_bytes(png_with(scene(elements)), "bomb.excalidraw.png")


def test_lzstring_bomb_is_bounded_by_the_compressed_size():
    lzstring = pytest.importorskip("lzstring")
    elements, _ = design_elements()
    elements.append(text("big", 0, 900, "a" * 1_200_000))  # over the 1 MB that any block may expand to
    packed = lzstring.LZString().compressToBase64(json.dumps({"type": "excalidraw", "elements": elements}))
    note = f"---\nexcalidraw-plugin: parsed\n---\n# Excalidraw Data\n## Drawing\n```compressed-json\n{packed}\n```\n".encode()
    with pytest.raises(LimitExceeded, match=r"16 times its .* compressed characters"):
        read_bytes(note, "bomb.excalidraw.md")


def test_a_real_compression_ratio_is_read():
    data = png_with(scene(design_elements()[0] + [text(f"n{i}", 0, 1000 + 50 * i, REQUIREMENTS) for i in range(200)]))
    assert len(read_bytes(data, "ok.excalidraw.png").texts) > 200


# --- regex-hostile strings in every position of every format ----------------------------


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(HOSTILE)), st.sampled_from([(f, p) for f, (_, ps) in POSITIONS.items() for p in ps]),
       st.integers(min_value=1, max_value=4_000))
def test_hostile_strings_anywhere_leave_the_design_read_the_same(kind, where, size):
    """Whatever a label, id, note or payload holds, the file is read or refused plainly,
    and when read, the rest of the design is read as it is without the hostile string."""
    fmt, position = where
    place, _ = POSITIONS[fmt]
    data, name = place(position, HOSTILE[kind](size))
    try:
        graph = build_graph(read_bytes(data, name))
    except DiagramError:
        return  # refused with a reason: fine (a broken payload, a DOT string that ends the file)
    base = {"Mobile app", "API gateway", "Ranking model", "Feature store", "Training", "Model registry"}
    if position not in ("raw", "payload"):
        assert base <= {c.label for c in graph.components}
        assert ("app", "api") in {(c.source, c.target) for c in graph.connections}


# --- the latency and problem-word regexes ---------------------------------------------------


@given(st.text(alphabet="12.ms x", max_size=16))
def test_duration_regex_finds_what_it_found_before(value):
    old = re.compile(r"(\d+(?:\.\d+)?)\s?(ms|msec|milliseconds?|millis|s|sec|secs|seconds?)\b")
    assert [(m.span(), m.groups()) for m in _DURATION.finditer(value)] == [(m.span(), m.groups()) for m in old.finditer(value)]


def test_problem_word_scan_finds_the_same_starts():
    from diagramcheck.packs import catalog_for
    from diagramcheck.problems import _AFTER, _BEFORE, _compiled

    words = tuple((p, tuple(w)) for p, w in catalog_for().problem_words.items())
    every = [w for _, ws in words for w in ws]
    old = re.compile(_BEFORE + "(?=(?:" + "|".join(every) + ")" + _AFTER + ")")
    for corpus in ["recommendation_recommendations for you", "advertisers bid_bidding", "search_" * 50 + " ads",
                   "personalised feed, news feed", "recommend_" * 300]:
        assert [m.start() for m in _compiled(words).starts.finditer(corpus)] == [m.start() for m in old.finditer(corpus)]


def test_long_tokens_are_not_typo_corrected_and_typos_still_are():
    from diagramcheck.kinds import default_lexicon

    lexicon = default_lexicon()
    assert lexicon.classify("Kafak").kind == "stream"
    assert lexicon.classify("x" * 200_000).kind == "unknown"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["recommend", "ation", "ads", "advert", "_", " ", "bid", "search", "x", "-", "\n", "feed",
                                 "news", "ctr", "fraud", "eta", "query", "rag", "llm", "spam", "two", "tower", "a/b", "c"]),
                max_size=30).map("".join))
def test_problem_words_are_found_as_each_problem_alone_would_find_them(corpus):
    """Starts bucketed by their first letters find what a scan of each problem's words finds."""
    from diagramcheck.packs import catalog_for
    from diagramcheck.problems import _AFTER, _BEFORE, _compiled

    words = tuple((p, tuple(w)) for p, w in catalog_for().problem_words.items())
    for problem, found in _compiled(words).found(corpus).items():
        alone = re.compile(_BEFORE + "(?:" + "|".join(f"(?P<w{i}>{w})" for i, w in enumerate(dict(words)[problem]))
                           + ")" + _AFTER)
        assert found == [(int(m.lastgroup[1:]), m.group()) for m in alone.finditer(corpus)]


def test_elements_are_bounded_by_the_size_of_the_file():
    """What keeps the time linear in the file's size: 10,000 elements, or one per 150 bytes."""
    small = dot_design(";".join(f"n{i}" for i in range(9_000))).encode()
    assert len(read_bytes(small, "ok.dot").shapes) > 9_000
    dense = dot_design(";".join(f"n{i} [shape=box]" for i in range(20_000))).encode()
    with pytest.raises(LimitExceeded, match=r"element count is [\d,]+, over the limit of 10,000 for a file of .* bytes"):
        read_bytes(dense, "dense.dot")
    bare = dot_design(";".join(f"n{i}" for i in range(20_000))).encode()  # a statement per 6 characters
    with pytest.raises(LimitExceeded, match=r"DOT statement count .* over the limit of 10,000 for a file of [\d,]+ characters"):
        read_bytes(bare, "bare.dot")
    one_node = dot_design(";".join(['"x"'] * 300_000)).encode()  # 300,000 statements, one node
    with pytest.raises(LimitExceeded, match=r"DOT statement count .* over the limit of 75,028 for a file of 1,200,451 characters"):
        read_bytes(one_node, "one.dot")
    padded = dot_design(";".join(f'n{i} [label="{"Service " * 20}{i}"]' for i in range(20_000))).encode()
    assert len(read_bytes(padded, "big.dot").shapes) > 20_000  # 170 bytes a node: allowed


# --- Mermaid, Markdown and draw.io --------------------------------------------------------


def _blocks_line_by_line(text: str) -> list[tuple]:
    """The fence scan mermaid_blocks replaced (a Python loop per line), as the reference."""
    from diagramcheck.readers.markdown import _MERMAID_INFO, _OPEN

    found = []
    pieces = text.split("\n")
    lines = [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    offset, i = 0, 0
    while i < len(lines):
        line = lines[i]
        offset += len(line)
        i += 1
        fence_line = i
        match = _OPEN.match(line)
        if match is None:
            continue
        fence, info = match.group(1), line[match.end():].strip()
        if fence[0] == "`" and "`" in info:
            continue
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        start, body, end = offset, [], len(text)
        while i < len(lines):
            inner = lines[i]
            stripped = inner.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                end = offset
                offset += len(inner)
                i += 1
                break
            width = 0
            while width < len(indent) and width < len(inner) and inner[width] in " \t":
                width += 1
            body.append(inner[width:])
            offset += len(inner)
            i += 1
        if _MERMAID_INFO.match(info):
            found.append((fence_line, "".join(body), start, end, indent))
    return found


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["```", "````", "~~~", "```mermaid", "~~~ mermaid", "``` {mermaid}", "```x`", "  ", "\t",
                                 " ```", "\n", "\r\n", "A --> B", "%% c", "\x0c", "\u2028", "mermaid", "`"]),
                max_size=30).map("".join))
def test_mermaid_fences_are_found_as_the_line_by_line_scan_found_them(text):
    from diagramcheck.readers.markdown import mermaid_blocks

    got = [(b.fence_line, b.text, b.start, b.end, b.indent) for b in mermaid_blocks(text)]
    assert got == _blocks_line_by_line(text)


def _comments_line_by_line(text: str, first_line: int) -> tuple[str, list]:
    comments, out = [], []
    for number, line in enumerate(text.split("\n")):
        stripped = line.lstrip()
        if stripped.startswith("%%") and not stripped.startswith("%%{"):
            comment = stripped[2:].strip()
            if comment.lower().startswith("diagramcheck:"):
                comments.append((first_line + number, comment))
            out.append("")
        else:
            out.append(line)
    return "\n".join(out), comments


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["%%", "%%{", " ", "\t", "\n", "diagramcheck: kind a db", "DiagramCheck:", "A --> B",
                                 "\x0c", "}%%", "x"]), max_size=25).map("".join))
def test_mermaid_comment_lines_are_blanked_as_the_line_by_line_loop_did(body):
    from diagramcheck.readers.mermaid_parser import _blank_directives, preprocess

    text, _, comments, _ = preprocess("flowchart LR\n" + body, 5)
    assert (text, comments) == _comments_line_by_line(_blank_directives("flowchart LR\n" + body), 5)


@given(st.text(alphabet="%3Cc0aAzZ\\x<é", max_size=30))
def test_url_decoding_is_unquotes_where_the_app_would_read_it(text):
    from urllib.parse import unquote

    from diagramcheck.readers.drawio_file import url_decoded

    try:
        got = url_decoded(text)
    except DiagramError:
        assert not text.isascii() or re.search(r"%(?![0-9A-Fa-f]{2})", text)
        return
    assert got == unquote(text, errors="replace")


@given(st.lists(st.sampled_from(["<svg", "<svgx", " content=", "content =", "\tcontent=", ">", " ", "x", "<"]),
                max_size=20).map("".join))
def test_svg_content_is_found_as_the_regex_found_it(head):
    from diagramcheck.readers.drawio_file import _svg_with_content

    regex = re.compile(rb"<svg\b[^>]*?\scontent\s*=", re.S)
    assert _svg_with_content(head.encode()) == bool(regex.search(head.encode()))


@pytest.mark.parametrize("depth, refused", [(150, False), (220, True)])
def test_drawio_xml_nesting_is_limited(depth, refused):
    from benchmarks.attacks import drawio_file, drawio_page

    data = drawio_file(drawio_page("<a>" * depth + "</a>" * depth))
    if refused:
        with pytest.raises(LimitExceeded, match="XML nesting depth is over the limit of 200"):
            read_bytes(data, "deep.drawio")
    else:
        assert {t.text for t in read_bytes(data, "deep.drawio").texts} >= {"Ranking model", "Feature store"}


def test_drawio_placeholders_stop_at_the_label_cap():
    from benchmarks.attacks import drawio_file, drawio_page

    extra = ('<UserObject label="' + "%x%" * 5_000 + '" placeholders="1" x="' + "P" * 1_000 + '" id="h">'
             '<mxCell style="rounded=1;" vertex="1" parent="1"><mxGeometry x="0" y="500" width="180" height="80" '
             'as="geometry"/></mxCell></UserObject>')
    sketch = read_bytes(drawio_file(drawio_page(extra)), "p.drawio")
    assert next(t.text for t in sketch.texts if t.container == "h") == "P" * CAP


def test_mermaid_statements_and_flowcharts_are_bounded_by_the_size_of_the_file():
    from benchmarks.attacks import mermaid_design

    ok = mermaid_design("\n".join(f"    n{i}" for i in range(9_000))).encode()
    assert len(read_bytes(ok, "ok.md#block1").shapes) > 9_000
    dense = mermaid_design("\n".join("    x" for _ in range(20_000))).encode()
    with pytest.raises(LimitExceeded, match=r"Mermaid statement count is over the limit"):
        read_bytes(dense, "dense.md#block1")
    block = "```mermaid\nflowchart LR\n  A[Model server] --> B[(Feature store)]\n```\n\n"
    assert len(parts_of(("# Notes\n\n" + block * 100).encode(), "many.md")) == 100
    with pytest.raises(LimitExceeded, match=r"Mermaid flowchart count is 101, over the limit of 100"):
        parts_of(("# Notes\n\n" + block * 101).encode(), "many.md")


def test_zone_titles_around_a_box_keep_only_the_words_context_rules_ask_about():
    """Each zone holds the words of every title around it: kept to those some context rule
    asks about, so 5,000 nested containers are not a set of 5,000 words each."""
    from diagramcheck.classify import _zones
    from diagramcheck.kinds import default_lexicon

    depth = 150
    body = "".join(f'  subgraph cluster_{i} {{ label="{"Online serving" if i == 0 else f"Zone {i} offline"}";\n'
                   for i in range(depth)) + "  inner [label=\"Worker\"];\n" + "  }\n" * depth
    graph = build_graph(read_bytes(dot_design(body).encode(), "nested.dot"))
    lexicon = default_lexicon()
    asked = {w for rule in lexicon.context_rules() for w in rule.zone_words or ()}
    zones = _zones(graph, lexicon)
    assert len(zones) == depth and all(words <= asked for _, _, words in zones.values())
    innermost = next(c for c in graph.components if c.label == "Worker").zone_id
    assert {"online", "serving", "offline"} <= zones[innermost][2]
