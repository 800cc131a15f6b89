"""draw.io block arrows (filled arrow shapes, not connectors) read as connections where both
ends are plain to see: on hand-written pages, as a property under moves and turns, and on
the mercari ml-system-design-pattern pages, which draw their whole flow with them."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings, strategies as st

from tests.conftest import CORPUS, edges, graph_of
from tests.test_drawio_reader import cell, model

ARROW = "html=1;shape=mxgraph.arrows2.arrow;dy=0.6;dx=40;fillColor=#A9C4EB;"
BOX = "rounded=0;whiteSpace=wrap;html=1;"


def text(cid, value, x, y, w=120, h=20):
    return cell(cid, value, style="text;html=1;align=center;", x=x, y=y, w=w, h=h)


def read(*cells):
    return graph_of(model(*cells), "g.drawio")


def labelled(graph) -> set[tuple[str, str, str]]:
    names = {c.id: c.label for c in graph.components} | {z.id: f"[{z.label}]" for z in graph.zones}
    return {(names[c.source], names[c.target], c.label) for c in graph.connections}


def why(graph, arrow_id: str) -> str:
    return next(i.reason for i in graph.ignored if i.id == arrow_id)


# Client at x 0..120, Proxy at x 300..420, both y 0..60; an arrow in the gap between them
CLIENT, PROXY = cell("a", "Client", x=0, y=0), cell("b", "Proxy", x=300, y=0)


@pytest.mark.parametrize("style, expected", [
    ("", ("Client", "Proxy")),
    ("direction=west;", ("Proxy", "Client")),
    ("flipH=1;", ("Proxy", "Client")),
    ("rotation=180;", ("Proxy", "Client")),
    ("rotation=-180;", ("Proxy", "Client")),
    ("direction=west;rotation=180;", ("Client", "Proxy")),
    ("direction=west;flipH=1;", ("Client", "Proxy")),
])
def test_a_horizontal_arrow_joins_the_boxes_at_its_tail_and_head(style, expected):
    graph = read(CLIENT, PROXY, cell("arrow", "", style=ARROW + style, x=150, y=10, w=100, h=40))
    assert edges(graph) == {expected}
    assert not any("block-arrow shapes rather than connectors" in w for w in graph.warnings)


@pytest.mark.parametrize("style, expected", [
    ("direction=south;", ("Model", "Queue")),
    ("direction=north;", ("Queue", "Model")),
    ("rotation=90;", ("Model", "Queue")),
    ("rotation=-90;", ("Queue", "Model")),
    ("rotation=270;", ("Queue", "Model")),
    ("direction=south;flipV=1;", ("Queue", "Model")),
])
def test_a_vertical_arrow_joins_the_boxes_above_and_below(style, expected):
    above, below = cell("m", "Model", x=0, y=0), cell("q", "Queue", x=0, y=200)
    # direction=south draws the arrow down its box (box 40 wide, 100 tall); rotation turns a
    # 100 x 40 box about its centre: both cover x 40..80, y 80..180
    if "direction" in style:
        arrow = cell("arrow", "", style=ARROW + style, x=40, y=80, w=40, h=100)
    else:
        arrow = cell("arrow", "", style=ARROW + style, x=10, y=110, w=100, h=40)
    assert edges(read(above, below, arrow)) == {expected}


def test_a_double_arrow_is_a_connection_both_ways():
    graph = read(CLIENT, PROXY, cell("arrow", "", style="shape=doubleArrow;html=1;", x=150, y=10, w=100, h=40))
    assert edges(graph) == {("Client", "Proxy"), ("Proxy", "Client")}
    graph = read(CLIENT, PROXY, cell("arrow", "", style="shape=mxgraph.arrows2.twoWayArrow;html=1;", x=150, y=10, w=100, h=40))
    assert edges(graph) == {("Client", "Proxy"), ("Proxy", "Client")}


def test_single_arrow_and_flex_arrow_vertices_are_read_too():
    for style in ("shape=singleArrow;html=1;", "shape=flexArrow;html=1;", "singleArrow;html=1;"):
        assert edges(read(CLIENT, PROXY, cell("arrow", "", style=style, x=150, y=10, w=100, h=40))) == {("Client", "Proxy")}


def test_the_text_on_or_beside_the_arrow_is_its_label_and_a_text_elsewhere_stays_a_note():
    graph = read(
        CLIENT, PROXY,
        cell("arrow", "", style=ARROW, x=150, y=10, w=100, h=40),
        text("t1", "Trigger job", x=140, y=-15),  # just above the arrow, as the mercari pages write it
        text("t2", "Nightly", x=140, y=400),  # far away: a note
    )
    assert labelled(graph) == {("Client", "Proxy", "Trigger job")}
    assert [n.text for n in graph.notes] == ["Nightly"]
    inside = read(CLIENT, PROXY, cell("arrow", "send", style=ARROW, x=150, y=10, w=100, h=40))
    assert labelled(inside) == {("Client", "Proxy", "send")}


def test_a_shapes_caption_is_not_taken_as_the_label_of_an_arrow_passing_by():
    # a west-pointing arrow whose head is at the cylinder; the cylinder's caption sits below the
    # cylinder, beyond the arrow's head and off its axis (Prediction-monitoring's "Inference database")
    graph = read(
        cell("db", "", style="shape=cylinder;html=1;", x=0, y=0, w=80, h=80),
        text("cap", "Inference database", x=-40, y=90, w=165),
        cell("mon", "Monitor", x=260, y=5, w=100, h=70),
        cell("arrow", "", style=ARROW + "rotation=-180;", x=120, y=5, w=100, h=70),
    )
    assert labelled(graph) == {("Monitor", "Inference database", "")}


def test_an_end_between_two_shapes_is_left_out_with_the_reason():
    graph = read(
        CLIENT,
        cell("b1", "Model A", x=300, y=-30, w=100, h=60), cell("b2", "Model B", x=300, y=32, w=100, h=60),
        cell("arrow", "", style=ARROW, x=150, y=10, w=100, h=40),
    )
    assert graph.connections == []
    reason = why(graph, "arrow")
    assert "its head between" in reason and "b1" in reason and "b2" in reason and "guessed" in reason


def test_an_end_touching_nothing_is_left_out_and_the_page_says_so():
    graph = read(CLIENT, cell("arrow", "", style=ARROW, x=150, y=10, w=100, h=40), text("t", "Upload", x=140, y=-15))
    assert graph.connections == []
    assert "its head touches no shape" in why(graph, "arrow")
    assert any("block-arrow shapes rather than connectors" in w for w in graph.warnings)
    assert [n.text for n in graph.notes] == ["Upload"]  # the label of an arrow not read is a note


def test_a_far_shape_is_not_reached():
    far = cell("b", "Proxy", x=500, y=0)  # 250 px past the head of a 100 px arrow
    graph = read(CLIENT, far, cell("arrow", "", style=ARROW, x=150, y=10, w=100, h=40))
    assert graph.connections == []


def test_the_innermost_shape_wins_and_a_zone_pointed_at_from_outside_is_an_end():
    lane = cell("lane", "Serving", style="swimlane;html=1;", x=300, y=-100, w=300, h=260)
    inner = cell("m", "Model", parent="lane", x=40, y=110, w=100, h=60)  # page x 340..440, y 10..70
    graph = read(CLIENT, lane, inner, cell("arrow", "", style=ARROW, x=150, y=10, w=100, h=40))
    assert edges(graph) == {("Client", "Model")}
    empty_lane = cell("lane", "Serving", style="swimlane;html=1;", x=300, y=-100, w=300, h=260)
    graph = read(CLIENT, empty_lane, cell("arrow", "", style=ARROW, x=150, y=10, w=100, h=40))
    assert edges(graph) == {("Client", "[Serving]")}


def test_a_zone_the_arrow_is_drawn_in_is_not_an_end():
    lane = cell("lane", "Serving", style="swimlane;html=1;", x=-50, y=-100, w=600, h=300)
    inside = [cell("a", "Client", parent="lane", x=50, y=100), cell("arrow", "", style=ARROW, parent="lane", x=200, y=110, w=100, h=40)]
    graph = read(lane, *inside)
    assert graph.connections == [] and "its head touches no shape" in why(graph, "arrow")


def test_a_bent_arrow_is_not_read_and_its_drawn_legs_are_not_boxes():
    graph = read(CLIENT, PROXY, cell("arrow", "", style="shape=mxgraph.arrows2.bendArrow;html=1;", x=150, y=10, w=100, h=40))
    assert graph.connections == [] and "bent or many-way" in why(graph, "arrow")
    # an L drawn as a plain box and an arrow of the same fill, with a caption beside the box
    graph = read(
        cell("q", "Queue", x=300, y=200),
        cell("leg", "", style="html=1;fillColor=#A9C4EB;strokeColor=none;", x=0, y=0, w=30, h=240),
        cell("arrow", "", style=ARROW, x=30, y=210, w=100, h=40),
        text("cap", "Client event log", x=35, y=100),
    )
    assert graph.connections == []
    assert "a bent arrow drawn in pieces" in why(graph, "arrow")
    assert "a leg of block arrow arrow" in why(graph, "leg")
    assert "Client event log" in [n.text for n in graph.notes]
    assert "Client event log" not in [c.label for c in graph.components]


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(-3000, 3000), y=st.floats(-3000, 3000),
    turn=st.sampled_from(range(0, 360, 15)),
    length=st.floats(60, 220), width=st.floats(30, 80), gap=st.floats(2, 40),
    spelled=st.sampled_from(["rotation", "west+180", "flipH+180"]),
)
def test_moving_and_turning_an_arrow_with_its_two_boxes_keeps_the_connection(x, y, turn, length, width, gap, spelled):
    """The arrow's centre at (x, y), turned by `turn` degrees; a 60 px square at a `gap` before
    its tail and after its head, along its axis: Source -> Target however the whole is placed,
    and whichever way the turn is spelled (rotation; direction=west turned half a turn more;
    flipH turned half a turn more)."""
    ux, uy = math.cos(math.radians(turn)), math.sin(math.radians(turn))
    to_edge = 30 / max(abs(ux), abs(uy))  # centre of a 60 px square to its side along the axis
    reach = length / 2 + gap + to_edge
    squares = [
        cell("s", "Source", x=x - ux * reach - 30, y=y - uy * reach - 30, w=60, h=60),
        cell("t", "Target", x=x + ux * reach - 30, y=y + uy * reach - 30, w=60, h=60),
    ]
    style = {"rotation": f"rotation={turn};", "west+180": f"direction=west;rotation={(turn + 180) % 360};",
             "flipH+180": f"flipH=1;rotation={turn - 180};"}[spelled]
    arrow = cell("arrow", "", style=ARROW + style, x=x - length / 2, y=y - width / 2, w=length, h=width)
    assert edges(read(*squares, arrow)) == {("Source", "Target")}


# --- the mercari ml-system-design-pattern pages ---------------------------------------------
# Read off the rendered pictures before the code was run: what a reader of each page sees joined
# by the block arrows (unlabelled hexagons named by a speech-bubble callout are named here by
# what they connect to, since the reader has no name for them).

MERCARI = "drawio/mercari__ml-system-design-pattern__{}__diagram.png"


def _corpus_graph(name):
    path = CORPUS / MERCARI.format(name)
    if not path.exists():
        pytest.skip("the corpus is not here")
    return graph_of(path.read_bytes(), path.name)


def _by_label(graph) -> dict[str, tuple[str, str]]:
    return {c.label: (c.source, c.target) for c in graph.connections if c.label}


def test_prediction_monitoring_page_reads_the_request_and_logging_flow():
    graph = _corpus_graph("Operation-patterns__Prediction-monitoring-pattern")
    got = labelled(graph)
    assert {("Client", "Proxy server", ""), ("Proxy server", "Client", ""), ("Proxy server", "Queue", "Latency Log"),
            ("Monitor alert", "Inference database", "")} <= got
    # the proxy <-> model-servers pair: both ends at the group of servers, one arrow each way
    servers = {t for s, t, _ in got if s == "Proxy server" and t not in ("Client", "Queue")}
    assert len(servers) == 1 and (next(iter(servers)), "Proxy server", "") in got
    # the two bent arrows (a box and an arrow each) point at empty paper: not read, and their
    # legs are not boxes, so "Prediction log" beside one is a note, not a component
    assert "Prediction log" in [n.text for n in graph.notes]
    assert "Prediction log" not in [c.label for c in graph.components]
    assert len(graph.connections) == 6


def test_train_then_serve_page_reads_the_training_flow():
    graph = _corpus_graph("Lifecycle-patterns__Train-then-serve-pattern")
    names = {c.id: c.label for c in graph.components}
    by_label = _by_label(graph)
    # DWH -> get data -> the Train hexagon; the job server's hexagon -> trigger training job -> the same hexagon
    dwh, train_hex = by_label["Get data"]
    assert names[dwh] == "DWH"
    assert by_label["Trigger training job"][1] == train_hex
    assert names[by_label["Save evaluation"][1]] == "Database"
    assert names[by_label["Evaluate"][1]] == "Database"  # the person evaluates from the database
    # the proxy's prediction logs go to the queue, and the queue records them into the warehouse
    queue, into = by_label["Record"]
    assert names[into] == "DWH"
    assert any(c.target == queue and not c.label for c in graph.connections)
    # the 'Manual deploy' arrow is drawn as two boxes and an arrow: not read, never guessed
    assert "touches no shape" in why(graph, "Se4kQ5rpqOlo-1RGb61w-0")
    assert "Add to service" in [n.text for n in graph.notes]  # its arrow starts at empty paper


def test_shadow_ab_test_page_reads_the_request_and_response_arrows():
    graph = _corpus_graph("QA-patterns__Shadow-ab-test-pattern")
    names = {c.id: c.label for c in graph.components}
    by_label = _by_label(graph)
    proxy, model_a = by_label["100% Request A"]
    assert names[proxy] == "Proxy server"
    assert by_label["Response A"] == (model_a, proxy)
    hexagon, db = by_label["Request ID result"]
    assert names[db] == "Inference database"
    # the client and the proxy's hexagon: one arrow each way
    pair = {(c.source, c.target) for c in graph.connections if not c.label}
    assert any((b, a) in pair for a, b in pair if hexagon in (a, b))
    # Request B / Response B start and end at empty paper beside the proxy: left out
    assert {"Request B", "Response B"} <= {n.text for n in graph.notes}
