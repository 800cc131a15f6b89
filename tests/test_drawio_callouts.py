"""draw.io speech-bubble callouts name the shape their pointer's tip lands on: on hand-written
pages (each way a pointer can be turned, a tip on nothing or between two shapes, a shape with
a name of its own), as a property under moves, and on the mercari ml-system-design-pattern
pages, whose hexagons are named only by callouts."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from tests.conftest import CORPUS, graph_of
from tests.test_drawio_reader import cell, edge, model

# A 100 x 100 callout at the origin whose text is in the middle; its pointer (20 px long) ends
# in the middle of one side, which one depending on how it is turned. A 60 px box touches the
# middle of each side from outside: n above, s below, w left, e right.
CALLOUT = "shape=callout;whiteSpace=wrap;html=1;perimeter=calloutPerimeter;size=20;position=0.4;base=20;"
NAME = cell("name", "Feature store", style="text;html=1;align=center;", x=20, y=40, w=60, h=20)
SIDES = {
    "n": cell("n", "", style="shape=hexagon;html=1;", x=20, y=-60, w=60, h=60),
    "s": cell("s", "", style="shape=hexagon;html=1;", x=20, y=100, w=60, h=60),
    "w": cell("w", "", style="shape=hexagon;html=1;", x=-60, y=20, w=60, h=60),
    "e": cell("e", "", style="shape=hexagon;html=1;", x=100, y=20, w=60, h=60),
}


def read(*cells):
    return graph_of(model(*cells), "g.drawio")


def named(graph) -> dict[str, str]:
    """Component id -> label, for the components that have one."""
    return {c.id: c.label for c in graph.components if c.label}


def why(graph, element_id: str) -> str:
    return next(i.reason for i in graph.ignored if i.id == element_id)


@pytest.mark.parametrize("style, side", [
    ("position2=0.5;", "s"),  # as drawn from the palette: the pointer below
    ("position2=0.5;rotation=180;", "n"),
    ("position2=0.5;rotation=90;", "w"),
    ("position2=0.5;rotation=-90;", "e"),
    ("position2=0.5;rotation=270;", "e"),
    ("position2=0.5;direction=south;", "w"),  # the shape turned a quarter: its bottom to the west
    ("position2=0.5;direction=north;", "e"),
    ("position2=0.5;direction=west;", "n"),
    ("position2=0.5;flipV=1;", "n"),
    ("position2=0.5;direction=south;flipH=1;", "e"),  # flipH mirrors the page's left and right
    ("position2=0.5;direction=west;rotation=180;", "s"),
])
def test_the_pointer_names_the_shape_its_tip_lands_on_however_it_is_turned(style, side):
    graph = read(*SIDES.values(), cell("bubble", "", style=CALLOUT + style, x=0, y=0, w=100, h=100), NAME)
    assert named(graph) == {side: "Feature store"}
    component = next(c for c in graph.components if c.id == side)
    assert "bubble" in component.sources  # the callout is the shape's name, not a box of its own
    assert "drawn in callout bubble" in why(graph, "name")


@pytest.mark.parametrize("style, side", [
    ("position2=0.2;", "left"),
    ("position2=0.2;flipH=1;", "right"),
    ("position2=0.8;", "right"),
    ("position2=0.2;rotation=180;flipV=1;", "right"),  # flipped upside down then turned back: mirrored
])
def test_where_along_its_side_the_pointer_ends(style, side):
    below = [cell("left", "", style="shape=hexagon;html=1;", x=0, y=100, w=40, h=60),
             cell("right", "", style="shape=hexagon;html=1;", x=60, y=100, w=40, h=60)]
    graph = read(*below, cell("bubble", "", style=CALLOUT + style, x=0, y=0, w=100, h=100), NAME)
    assert named(graph) == {side: "Feature store"}


def test_the_basic_palettes_callouts_point_where_dx_and_dy_say():
    # mxgraph.basic.rectCallout: the tip at dx - dy along the bottom (70 - 20 = 50)
    for shape in ("mxgraph.basic.rectCallout", "mxgraph.basic.roundRectCallout"):
        style = f"shape={shape};dx=70;dy=20;html=1;"
        graph = read(*SIDES.values(), cell("bubble", "", style=style, x=0, y=0, w=100, h=100), NAME)
        assert named(graph) == {"s": "Feature store"}


def test_the_callouts_own_label_is_a_name_too():
    graph = read(SIDES["s"], cell("bubble", "Feature store", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100))
    assert named(graph) == {"s": "Feature store"}


def test_a_tip_a_few_px_off_still_lands_and_one_far_off_does_not():
    near = cell("s", "", style="shape=hexagon;html=1;", x=20, y=110, w=60, h=60)  # 10 px below the tip
    graph = read(near, cell("bubble", "", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100), NAME)
    assert named(graph) == {"s": "Feature store"}
    far = cell("s", "", style="shape=hexagon;html=1;", x=20, y=130, w=60, h=60)  # 30 px below
    graph = read(far, cell("bubble", "", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100), NAME)
    assert named(graph) == {"bubble": "Feature store"}  # as before: the bubble is a box with a name


def test_a_tip_on_nothing_leaves_the_callout_as_it_was():
    graph = read(SIDES["n"], cell("bubble", "", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100), NAME)
    assert named(graph) == {"bubble": "Feature store"}
    assert not any("drawn in callout" in i.reason for i in graph.ignored)


def test_a_tip_between_two_shapes_is_not_guessed():
    two = [cell("a", "", style="shape=hexagon;html=1;", x=0, y=102, w=48, h=60),
           cell("b", "", style="shape=hexagon;html=1;", x=52, y=102, w=48, h=60)]
    graph = read(*two, cell("bubble", "", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100), NAME)
    assert named(graph) == {"bubble": "Feature store"}


def test_the_innermost_shape_is_named_not_the_region_around_it_nor_the_one_the_callout_is_in():
    lane = cell("lane", "Serving", style="swimlane;html=1;", x=-200, y=-200, w=500, h=500)
    inside = [cell("s", "", style="shape=hexagon;html=1;", parent="lane", x=220, y=300, w=60, h=60),
              cell("bubble", "", style=CALLOUT + "position2=0.5;", parent="lane", x=200, y=200, w=100, h=100),
              cell("name", "Feature store", style="text;html=1;", parent="lane", x=220, y=240, w=60, h=20)]
    graph = read(lane, *inside)
    assert named(graph) == {"s": "Feature store"}
    # a tip on empty paper in the lane the callout is drawn in names nothing
    graph = read(lane, *inside[1:])
    assert named(graph) == {"bubble": "Feature store"}
    assert [z.label for z in graph.zones] == ["Serving"]


def test_a_shape_with_a_name_of_its_own_keeps_it_and_the_callout_says_more():
    graph = read(cell("s", "Model A", style="shape=hexagon;html=1;", x=20, y=100, w=60, h=60),
                 cell("bubble", "", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100), NAME)
    component = next(c for c in graph.components if c.id == "s")
    assert component.label == "Model A" and component.annotations == ["Feature store"]
    assert len(graph.components) == 1


def test_boxes_drawn_in_the_bubble_read_as_the_page_reads_boxes_in_boxes():
    """A bubble drawn as a 'REST Server' box around a 'Model' box: the model is the name, the
    server where it runs (a remark); neither box is a component or a zone of its own."""
    bubble = [cell("bubble", "", style=CALLOUT + "position2=0.5;size=40;", x=0, y=0, w=200, h=160),
              cell("server", "", x=10, y=10, w=180, h=100), cell("t1", "REST Server", style="text;html=1;", x=15, y=12, w=100, h=20),
              cell("inner", "", x=40, y=40, w=120, h=50), cell("t2", "Prediction model", style="text;html=1;", x=45, y=55, w=110, h=20)]
    graph = read(cell("s", "", style="shape=hexagon;html=1;", x=70, y=160, w=60, h=60), *bubble)
    assert [(c.id, c.label, c.annotations) for c in graph.components] == [("s", "Prediction model", ["REST Server"])]
    assert graph.zones == []
    assert {"server", "inner", "t2"} <= {i.id for i in graph.ignored if "drawn in callout bubble" in i.reason}


def test_an_arrow_ending_at_the_bubble_ends_at_the_shape_it_names():
    bubble = [cell("bubble", "", style=CALLOUT + "position2=0.5;", x=0, y=0, w=100, h=100), NAME]
    client = cell("c", "Client", x=-300, y=20)
    graph = read(SIDES["s"], client, *bubble, edge("e1", source="c", target="bubble"), edge("e2", source="c", target="name"))
    assert {(c.source, c.target) for c in graph.connections} == {("c", "s")}
    assert len(graph.connections) == 2
    arrow = cell("arrow", "", style="html=1;shape=mxgraph.arrows2.arrow;dy=0.6;dx=40;", x=-140, y=30, w=100, h=40)
    graph = read(SIDES["s"], client, *bubble, arrow)
    assert {(c.source, c.target) for c in graph.connections} == {("c", "s")}


@settings(max_examples=60, deadline=None)
@given(x=st.floats(-3000, 3000), y=st.floats(-3000, 3000), gap=st.floats(0, 12),
       turn=st.sampled_from([("", "s"), ("rotation=90;", "w"), ("rotation=180;", "n"), ("rotation=270;", "e"),
                             ("direction=north;", "e"), ("direction=south;flipH=1;", "e"), ("flipV=1;", "n")]))
def test_moving_a_callout_and_its_shape_together_keeps_the_naming(x, y, gap, turn):
    """The whole page moved by (x, y), the named shape up to 12 px off the tip: the same name."""
    style, side = turn
    away = {"s": (0, gap), "n": (0, -gap), "w": (-gap, 0), "e": (gap, 0)}[side]
    shape = {"n": (20, -60), "s": (20, 100), "w": (-60, 20), "e": (100, 20)}[side]
    cells = [cell(side, "", style="shape=hexagon;html=1;", x=x + shape[0] + away[0], y=y + shape[1] + away[1], w=60, h=60),
             cell("bubble", "", style=CALLOUT + "position2=0.5;" + style, x=x, y=y, w=100, h=100),
             cell("name", "Feature store", style="text;html=1;", x=x + 20, y=y + 40, w=60, h=20)]
    assert named(read(*cells)) == {side: "Feature store"}


# --- the mercari ml-system-design-pattern pages ---------------------------------------------
# Written from the rendered pictures before the code ran: each hexagon with a bubble pointing at
# it is named by the bubble; where a bubble is drawn as a 'REST Server' box around a model box,
# the hexagon is that model. Where the pointer stops clearly short of the hexagon (Multiple-stage
# prediction: 24 and 32 px), nothing is named.

MERCARI = "drawio/mercari__ml-system-design-pattern__{}__diagram.png"


def _page(name):
    path = CORPUS / MERCARI.format(name)
    if not path.exists():
        pytest.skip("the corpus is not here")
    graph = graph_of(path.read_bytes(), path.name)
    names = {c.id: c.label for c in graph.components}
    by_label = {c.label: (names.get(c.source), names.get(c.target)) for c in graph.connections if c.label}
    return graph, names, by_label


def test_train_then_serve_hexagons_are_named_by_their_callouts():
    graph, names, by_label = _page("Lifecycle-patterns__Train-then-serve-pattern")
    assert by_label["Trigger training job"] == ("Job management server", "Train")
    assert by_label["Get data"] == ("DWH", "Train")
    assert by_label["Save evaluation"] == ("Train", "Database")
    model_a = next(c for c in graph.components if c.label == "Model A")
    assert model_a.annotations == ["Model", "REST Server"]  # its own name kept, the bubble a remark
    labels = sorted(names.values())
    assert labels.count("Train") == 1 and labels.count("Job management server") == 1 and "REST Server" not in labels


def test_prediction_monitoring_model_servers_are_named_and_joined_to_the_proxy():
    graph, names, _ = _page("Operation-patterns__Prediction-monitoring-pattern")
    pairs = {(names.get(c.source), names.get(c.target)) for c in graph.connections}
    assert {("Proxy server", "Model"), ("Model", "Proxy server")} <= pairs
    model = next(c for c in graph.components if c.label == "Model")
    assert model.annotations == ["REST Server"] and model.kind == "serving"
    assert list(names.values()).count("Model") == 1 and "REST Server" not in [z.label for z in graph.zones]


def test_shadow_ab_and_prediction_cache_pages_name_the_model_servers_and_the_proxy():
    _, _, by_label = _page("QA-patterns__Shadow-ab-test-pattern")
    assert by_label["100% Request A"] == ("Proxy server", "Prediction model A")
    assert by_label["Response A"] == ("Prediction model A", "Proxy server")
    _, _, by_label = _page("Serving-patterns__Prediction-cache-pattern")
    assert by_label["1.Request with data"] == ("Proxy server", "Prediction model")
    assert by_label["2.Response inference"] == ("Prediction model", "Proxy server")
    assert by_label["1.Search cache"] == ("Proxy server", "Cache")


def test_a_pointer_stopping_short_names_nothing():
    graph, names, _ = _page("Serving-patterns__Multiple-stage-prediction-pattern")
    # the three bubbles stop 24-32 px short of their hexagons: the hexagons keep no name, and
    # the bubbles' boxes stay what they were
    assert "Proxy server" in names.values()
    assert not any("drawn in callout" in i.reason for i in graph.ignored)
