"""draw.io reader: files, exports and pages as the app writes them; cells, geometry, edges
and labels read as a person sees them; hostile input refused quickly and plainly."""

from __future__ import annotations

import base64
import struct
import zlib
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS
from diagramcheck.readers import read_bytes, sniff_format
from diagramcheck.readers.drawio import label_text
from tests.conftest import edges, graph_of


def cell(cid, value="", style="rounded=1;whiteSpace=wrap;html=1;", parent="1", x=0, y=0, w=120, h=60, **extra):
    attrs = " ".join(f'{k}="{v}"' for k, v in extra.items())
    return (f'<mxCell id="{cid}" value="{value}" style="{style}" vertex="1" parent="{parent}" {attrs}>'
            f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/></mxCell>')


def edge(cid, source=None, target=None, style="edgeStyle=orthogonalEdgeStyle;html=1;", value="", parent="1",
         start=None, end=None, points=()):
    ends = (f' source="{source}"' if source else "") + (f' target="{target}"' if target else "")
    inner = ""
    if start:
        inner += f'<mxPoint x="{start[0]}" y="{start[1]}" as="sourcePoint"/>'
    if end:
        inner += f'<mxPoint x="{end[0]}" y="{end[1]}" as="targetPoint"/>'
    if points:
        inner += '<Array as="points">' + "".join(f'<mxPoint x="{x}" y="{y}"/>' for x, y in points) + "</Array>"
    return (f'<mxCell id="{cid}" value="{value}" style="{style}" edge="1" parent="{parent}"{ends}>'
            f'<mxGeometry relative="1" as="geometry">{inner}</mxGeometry></mxCell>')


def model(*cells: str) -> str:
    return '<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>' + "".join(cells) + "</root></mxGraphModel>"


def mxfile(*pages: tuple[str, str], compressed: bool = False) -> str:
    body = ""
    for name, page in pages:
        if compressed:
            raw = zlib.compressobj(9, zlib.DEFLATED, -15)
            packed = raw.compress(quote(page, safe="~()*!.'").encode()) + raw.flush()
            body += f'<diagram name="{name}" id="{name}">{base64.b64encode(packed).decode()}</diagram>'
        else:
            body += f'<diagram name="{name}" id="{name}">{page}</diagram>'
    return f'<mxfile host="app.diagrams.net">{body}</mxfile>'


def png_with(text_chunks: list[tuple[bytes, bytes]]) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\x00\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat)
            + b"".join(chunk(k, b) for k, b in text_chunks) + chunk(b"IEND", b""))


PIPELINE = model(
    cell("a", "Kafka events", x=0, y=0),
    cell("b", "Feature store", x=300, y=0),
    cell("c", "Model serving", x=600, y=0),
    edge("e1", "a", "b", value="features"),
    edge("e2", "b", "c"),
)


def test_plain_compressed_and_bare_files_read_the_same():
    for text in (mxfile(("Page-1", PIPELINE)), mxfile(("Page-1", PIPELINE), compressed=True), PIPELINE):
        graph = graph_of(text, "arch.drawio")
        assert edges(graph) == {("Kafka events", "Feature store"), ("Feature store", "Model serving")}
        assert {c.label: c.kind for c in graph.components} == {
            "Kafka events": "stream", "Feature store": "feature_store", "Model serving": "serving"}
        assert [c.label for c in graph.connections] == ["features", ""]


def test_png_and_svg_exports_are_found_by_content_whatever_the_name():
    document = mxfile(("Page-1", PIPELINE), compressed=True)
    png = png_with([(b"tEXt", b"mxfile\x00" + quote(document, safe="").encode())])
    ztxt = png_with([(b"zTXt", b"mxfile\x00\x00" + zlib.compress(quote(document, safe="").encode()))])
    svg = ('<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg" content="'
           + document.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
           + '"><g/></svg>').encode()
    for data, name, fmt in ((png, "architecture.png", "drawio-png"), (ztxt, "x.drawio.png", "drawio-png"),
                            (svg, "diagram.svg", "drawio-svg"), (svg, "d.drawio.svg", "drawio-svg")):
        assert sniff_format(name, data) == fmt
        graph = graph_of(data, name)
        assert len(graph.connections) == 2, name


def test_a_png_with_neither_diagram_says_so_for_both_apps():
    with pytest.raises(DiagramError, match="no embedded Excalidraw scene or draw.io diagram"):
        read_bytes(png_with([]), "photo.png")


def test_page_named_like_the_file_else_the_first_and_the_choice_is_reported():
    other = model(cell("x", "Other page box"))
    text = mxfile(("Template", other), ("PredictionCachePattern", PIPELINE), compressed=True)
    graph = graph_of(text, "Serving-patterns/Prediction-cache-pattern/diagram.drawio")
    assert "Feature store" in {c.label for c in graph.components}
    assert any("page 2 of 2, 'PredictionCachePattern'" in w and "its name matches" in w for w in graph.warnings)
    first = graph_of(text, "unrelated.drawio")
    assert [c.label for c in first.components] == ["Other page box"]
    assert any("the first page" in w for w in first.warnings)
    asked = read_bytes(text.encode(), "unrelated.drawio", page="2")
    assert len(asked.links) == 2
    with pytest.raises(DiagramError, match="no page 'Nope'.*'Template', 'PredictionCachePattern'"):
        read_bytes(text.encode(), "unrelated.drawio", page="Nope")


def test_children_are_placed_relative_to_their_container_and_containers_are_zones():
    page = model(
        cell("z", "Online serving", style="swimlane;html=1;", x=1000, y=500, w=400, h=300),
        cell("m", "Ranking model", parent="z", x=20, y=40),
        cell("u", "User", x=0, y=0),
        edge("e", "u", None, end=(1080, 570)),  # an end point drawn inside the box, in page coordinates
    )
    graph = graph_of(page, "g.drawio")
    ranking = next(c for c in graph.components if c.label == "Ranking model")
    assert ranking.zone == "Online serving"
    assert ranking.position == (1080.0, 570.0)
    assert edges(graph) == {("User", "Ranking model")}


def test_an_empty_swimlane_is_a_zone_and_one_holding_only_text_is_a_component():
    """An empty swimlane or container is a zone still to be drawn in (a practice starter's
    Online and Offline); one whose only children are text lines is a titled box."""
    page = model(
        cell("on", "Online", style="swimlane;html=0;startSize=30;container=1;", x=0, y=0, w=400, h=300),
        cell("off", "Offline", style="rounded=0;container=1;", x=500, y=0, w=400, h=300),
        cell("cls", "Feature store", style="swimlane;html=1;", x=0, y=400, w=200, h=100),
        cell("row", "user_id, embedding", style="text;html=1;", parent="cls", x=0, y=30, w=200, h=30),
    )
    graph = graph_of(page, "g.drawio")
    assert sorted(z.label for z in graph.zones) == ["Offline", "Online"]
    assert [c.label for c in graph.components] == ["Feature store"]


def test_unbound_ends_attach_by_geometry_innermost_first_and_a_tie_is_reported():
    page = model(
        cell("a", "Training job", x=0, y=0),
        cell("b", "Model registry", x=300, y=0),
        cell("c", "Evaluation", x=300, y=100),
        edge("e1", None, None, start=(130, 30), end=(295, 30), points=[(200, 30)]),
        edge("e2", "a", None, end=(360, 80)),  # 20 px from both b and c
    )
    graph = graph_of(page, "g.drawio")
    assert edges(graph) == {("Training job", "Model registry")}
    assert any("e2 ends between" in w for w in graph.warnings)


def test_direction_from_arrow_ends():
    page = model(
        cell("a", "Client", x=0), cell("b", "API gateway", x=300),
        edge("f", "a", "b", style="endArrow=classic;"),
        edge("r", "a", "b", style="endArrow=none;startArrow=block;"),
        edge("u", "a", "b", style="endArrow=none;"),
        edge("both", "a", "b", style="startArrow=classic;endArrow=classic;"),
    )
    graph = graph_of(page, "g.drawio")
    got = sorted((c.id, c.source, c.target, c.directed) for c in graph.connections)
    assert got == [("both", "a", "b", True), ("both", "b", "a", True), ("f", "a", "b", True),
                   ("r", "b", "a", True), ("u", "a", "b", False)]


def test_edge_labels_on_the_edge_and_in_edge_label_children_html_reduced_to_text():
    page = model(
        cell("a", "Raw&lt;br&gt;events", x=0), cell("b", "Stream&amp;nbsp;processor", x=300),
        edge("e", "a", "b", value="&lt;b&gt;click&lt;/b&gt; stream"),
        '<mxCell id="lab" value="every 5 min" style="edgeLabel;html=1;" vertex="1" connectable="0" parent="e">'
        '<mxGeometry x="-0.2" relative="1" as="geometry"><mxPoint as="offset"/></mxGeometry></mxCell>',
    )
    graph = graph_of(page, "g.drawio")
    assert sorted(c.label for c in graph.components) == ["Raw events", "Stream processor"]
    assert [c.label for c in graph.connections] == ["click stream every 5 min"]


@pytest.mark.parametrize("value, shown", [
    ("A&lt;br/&gt;B", "A\nB"), ("&lt;div&gt;One&lt;/div&gt;&lt;div&gt;Two&lt;/div&gt;", "One\nTwo"),
    ("Fish &amp;amp; chips", "Fish & chips"), ("&lt;span style=&quot;x&quot;&gt;Plain&lt;/span&gt;", "Plain"),
])
def test_html_labels(value, shown):
    graph = graph_of(model(cell("a", value)), "g.drawio")
    assert graph.components[0].label == " ".join(shown.split("\n"))


def test_user_objects_free_text_and_kind_property():
    page = model(
        '<UserObject label="Redis" diagramcheck_kind="feature_store" id="r"><mxCell style="rounded=1;" vertex="1" parent="1">'
        '<mxGeometry x="0" y="0" width="100" height="50" as="geometry"/></mxCell></UserObject>',
        '<object label="%name% service" name="Ranker" placeholders="1" id="s"><mxCell style="rounded=1;" vertex="1" parent="1">'
        '<mxGeometry x="300" y="0" width="100" height="50" as="geometry"/></mxCell></object>',
        cell("t", "Requirements: p99 latency under 100 ms", style="text;html=1;", x=0, y=300, w=300, h=30),
        edge("e", "r", "s"),
    )
    graph = graph_of(page, "g.drawio")
    assert {(c.label, c.kind_source) for c in graph.components} == {("Redis", "tag"), ("Ranker service", "lexicon")}
    assert graph.by_id["r"].kind == "feature_store"
    assert [n.text for n in graph.notes] == ["Requirements: p99 latency under 100 ms"]


def test_icon_style_gives_a_kind_the_label_outranks():
    aws = "shape=mxgraph.aws4.resourceIcon;resIcon=mxgraph.aws4.{};verticalLabelPosition=bottom;"
    page = model(
        cell("k", "Receiver", style=aws.format("lambda"), x=0, w=60, h=60),
        cell("s", "Model registry", style=aws.format("s3"), x=300, w=60, h=60),
        cell("q", "", style=aws.format("kinesis_data_streams"), x=600, w=60, h=60),
        edge("e1", "q", "k"), edge("e2", "k", "s"),
    )
    graph = graph_of(page, "g.drawio")
    got = {c.label: (c.kind, c.kind_source) for c in graph.components}
    assert got == {"Receiver": ("api", "icon"), "Model registry": ("model_registry", "lexicon"),
                   "Kinesis Data Streams": ("stream", "lexicon")}


def test_block_arrows_pointing_at_nothing_are_not_connections_and_the_page_says_so():
    page = model(  # (block arrows between shapes are connections: tests/test_drawio_block_arrows.py)
        cell("a", "Client", x=0), cell("b", "Proxy", x=300, y=300),
        cell("arrow", "", style="html=1;shape=mxgraph.arrows2.arrow;dy=0.6;dx=40;", x=140, y=10, w=100, h=40),
    )
    graph = graph_of(page, "g.drawio")
    assert graph.connections == []
    assert any("block-arrow" in w for w in graph.warnings)
    assert any(i.id == "arrow" and "block-arrow" in i.reason for i in graph.ignored)


def test_tables_are_reported_as_not_a_graph():
    page = model(
        cell("t", "", style="shape=table;childLayout=tableLayout;", x=0, y=0, w=200, h=60),
        cell("r", "", style="shape=tableRow;", parent="t", w=200, h=30),
        cell("c1", "Precision", style="shape=partialRectangle;", parent="r", w=100, h=30),
    )
    graph = graph_of(page, "g.drawio")
    assert graph.components == [] and graph.connections == []
    assert any("table" in w and "not a graph" in w for w in graph.warnings)


def test_groups_of_labelled_shapes_are_zones_and_icon_groups_are_captioned():
    page = model(
        cell("g", "Offline", style="group", x=0, y=0, w=500, h=200, connectable="0"),
        cell("plain", "", style="group", x=0, y=400, w=500, h=200, connectable="0"),
        cell("p1", "Trainer", parent="plain", x=10, y=10),
        cell("p2", "Evaluator", parent="plain", x=200, y=10),
        cell("a", "Batch features", parent="g", x=10, y=10),
        cell("b", "Offline store", parent="g", x=200, y=10),
        cell("ig", "", style="group", x=800, y=0, w=80, h=100, connectable="0"),
        cell("icon", "", style="shape=image;image=data:image/png,AAAA;", parent="ig", w=60, h=60),
        cell("cap", "Monitoring", style="text;html=1;", parent="ig", x=0, y=65, w=80, h=20),
    )
    graph = graph_of(page, "g.drawio")
    assert [z.label for z in graph.zones] == ["Offline"]  # an untitled group nothing connects to only groups
    assert {c.label: c.zone for c in graph.components} == {"Batch features": "Offline", "Offline store": "Offline",
                                                           "Trainer": None, "Evaluator": None, "Monitoring": None}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=20)
                .filter(lambda t: t.strip()), min_size=2, max_size=6, unique_by=lambda t: " ".join(t.split())),
       st.data(), st.booleans())
def test_generated_pages_read_back_as_drawn(labels, data, compressed):
    """Boxes in a row, edges between them by source/target: the graph is exactly that."""
    from xml.sax.saxutils import quoteattr

    from diagramcheck.note_words import reads_as_note

    cells = [f'<mxCell id="n{i}" value={quoteattr(label)} style="rounded=1;" vertex="1" parent="1">'
             f'<mxGeometry x="{i * 200}" y="0" width="120" height="60" as="geometry"/></mxCell>'
             for i, label in enumerate(labels)]
    pairs = data.draw(st.lists(st.tuples(st.integers(0, len(labels) - 1), st.integers(0, len(labels) - 1))
                               .filter(lambda p: p[0] != p[1]), max_size=8, unique=True))
    cells += [edge(f"e{i}", f"n{a}", f"n{b}") for i, (a, b) in enumerate(pairs)]
    graph = graph_of(mxfile(("P", model(*cells)), compressed=compressed), "gen.drawio")
    names = {c.id: c.label for c in graph.components}
    linked = {f"n{i}" for pair in pairs for i in pair}
    # a loose box whose words say it is a note ("Legend", "Metrics: ...") is read as one, by design
    shown = {f"n{i}": " ".join(label.split()) for i, label in enumerate(labels)
             if f"n{i}" in linked or not (reads_as_note(label) or reads_as_note(" ".join(label.split())))}
    noted = {f"n{i}" for i, label in enumerate(labels) if f"n{i}" not in linked and reads_as_note(label) != reads_as_note(" ".join(label.split()))}
    names = {k: v for k, v in names.items() if k not in noted}  # lines or one line: either reading is fair
    assert names == shown
    assert sorted((c.source, c.target) for c in graph.connections) == sorted((f"n{a}", f"n{b}") for a, b in pairs)


@given(st.text(max_size=200))
def test_label_text_never_fails(text):
    assert isinstance(label_text(text, True), str) and isinstance(label_text(text, False), str)


# --- hostile input --------------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
          + ']><mxfile><diagram name="P">&lol9;</diagram></mxfile>')


@pytest.mark.parametrize("name, data", [
    ("laughs.drawio", LAUGHS.encode()),
    ("laughs.svg", ('<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    '<svg content="&b;&lt;mxfile/&gt;"/>').encode()),
    ("external.drawio", b'<!DOCTYPE mxfile [<!ENTITY x SYSTEM "file:///etc/passwd">]><mxfile><diagram>&x;</diagram></mxfile>'),
    ("inner.svg", b'<svg content="&lt;!DOCTYPE m [&lt;!ENTITY a &quot;x&quot;&gt;]&gt;&lt;mxfile/&gt;"/>'),
])
def test_entities_and_dtds_are_refused_never_expanded(name, data):
    with pytest.raises(DiagramError, match="refused"):
        read_bytes(data, name)


def test_deflate_bomb_stops_at_the_decompression_limit(monkeypatch):
    monkeypatch.setattr("diagramcheck.readers.drawio_file.LIMITS", type(LIMITS)(max_decompressed_bytes=1_000_000))
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b"%3C" + b"A" * 200_000_000) + packer.flush()
    text = f'<mxfile><diagram name="P">{base64.b64encode(bomb).decode()}</diagram></mxfile>'
    with pytest.raises(LimitExceeded, match="decompressed draw.io data is over the limit of 1,000,000 bytes"):
        read_bytes(text.encode(), "bomb.drawio")
    ztxt = png_with([(b"zTXt", b"mxfile\x00\x00" + zlib.compress(b"A" * 50_000_000, 9))])
    with pytest.raises(LimitExceeded):
        read_bytes(ztxt, "bomb.png")


def test_png_with_thousands_of_chunks_is_read_or_refused_plainly(monkeypatch):
    document = quote(mxfile(("P", PIPELINE)), safe="").encode()
    noise = [(b"tEXt", b"Comment\x00x")] * 5000
    graph = graph_of(png_with(noise + [(b"tEXt", b"mxfile\x00" + document)]), "many.png")
    assert len(graph.connections) == 2
    monkeypatch.setattr("diagramcheck.readers.drawio_file.MAX_PNG_CHUNKS", 1000)
    with pytest.raises(LimitExceeded, match="PNG chunk count"):
        read_bytes(png_with(noise + [(b"tEXt", b"mxfile\x00" + document)]), "many.png")


@pytest.mark.parametrize("text, reason", [
    ("<mxfile></mxfile>", "no pages"),
    ("<notdrawio/>", "not a draw.io file"),
    ('<mxfile><diagram name="P">%%%not base64</diagram></mxfile>', "not valid base64"),
    ('<mxfile><diagram name="P">////</diagram></mxfile>', "not valid deflate"),
    ("<mxfile><diagram", "not well-formed"),
    ("<mxGraphModel/>", "no <root>"),
])
def test_broken_files_give_a_plain_reason(text, reason):
    with pytest.raises(DiagramError, match=reason):
        read_bytes(text.encode(), "broken.drawio")


def test_parent_cycles_are_refused_and_deep_nesting_is_read_without_recursion():
    cyclic = model(cell("a", "A", parent="b"), cell("b", "B", parent="a"))
    with pytest.raises(DiagramError, match="its own ancestor"):
        read_bytes(cyclic.encode(), "cycle.drawio")
    depth = 5000  # innermost first: every position is worked out up a 5,000-cell chain
    cells = [cell(f"c{i}", f"Box {i}", parent="1" if i == 0 else f"c{i - 1}", x=1, y=2, w=10, h=10) for i in range(depth)]
    sketch = read_bytes(model(*reversed(cells)).encode(), "deep.drawio")
    deepest = next(s for s in sketch.shapes if s.id == f"c{depth - 1}")
    assert deepest.bbox[:2] == (depth * 1.0, depth * 2.0)
