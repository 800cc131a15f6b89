"""The Excalidraw reader and the sketch-to-graph builder, on scenes drawn like the app draws them."""

from __future__ import annotations

import copy
import math

from diagramcheck.writers.excalidraw import SceneBuilder
from tests.conftest import edges, graph_of, labels


def scene_two_boxes(**arrow_kwargs):
    s = SceneBuilder(seed=5)
    a = s.box("Feature pipeline", 0, 0)
    b = s.box("Feature store", 400, 0)
    s.arrow(a, b, **arrow_kwargs)
    return s


def test_bound_labels_and_bound_arrow():
    graph = graph_of(scene_two_boxes().scene())
    assert labels(graph) == ["Feature pipeline", "Feature store"]
    assert edges(graph) == {("Feature pipeline", "Feature store")}
    assert [c.kind for c in graph.components] == ["feature_pipeline", "feature_store"]
    assert graph.ignored == [] and graph.warnings == []


def test_original_text_wins_over_wrapped_text():
    s = SceneBuilder(seed=1)
    box = s.box("Online feature store (Redis)", 0, 0)
    text = s.by_id[box["boundElements"][0]["id"]]
    assert "\n" in text["text"]  # wrapped as the app wraps it
    graph = graph_of(s.scene())
    assert graph.components[0].label == "Online feature store (Redis)"


def test_arrowheads_decide_direction():
    cases = {
        (None, "arrow"): {("Feature pipeline", "Feature store")},
        ("arrow", None): {("Feature store", "Feature pipeline")},
        ("arrow", "arrow"): {("Feature pipeline", "Feature store"), ("Feature store", "Feature pipeline")},
    }
    for heads, expected in cases.items():
        graph = graph_of(scene_two_boxes(heads=heads).scene())
        assert edges(graph) == expected, heads
        assert all(c.directed for c in graph.connections)
    plain = graph_of(scene_two_boxes(heads=(None, None)).scene())
    assert len(plain.connections) == 1 and not plain.connections[0].directed


def test_missing_end_arrowhead_key_means_arrow():
    s = scene_two_boxes()
    arrow = next(e for e in s.elements if e["type"] == "arrow")
    del arrow["endArrowhead"]
    assert edges(graph_of(s.scene())) == {("Feature pipeline", "Feature store")}


def test_unbound_arrow_attaches_by_geometry():
    s = SceneBuilder(seed=2)
    a = s.box("Training", 0, 0)
    b = s.box("Model registry", 400, 0)
    s.arrow(None, None, bound=False, start=(185, 40), end=(395, 42))
    graph = graph_of(s.scene())
    assert edges(graph) == {("Training", "Model registry")}


def test_unbound_line_far_from_everything_is_reported_not_guessed():
    s = SceneBuilder(seed=2)
    s.box("Training", 0, 0)
    s.box("Model registry", 400, 0)
    arrow = s.arrow(None, None, bound=False, start=(185, 40), end=(300, 300))
    graph = graph_of(s.scene())
    assert graph.connections == []
    assert any(i.id == arrow["id"] and "not attached" in i.reason for i in graph.ignored)


def test_ambiguous_endpoint_between_two_shapes_is_left_unattached():
    # the arrow ends exactly between two boxes stacked 20 px apart
    s = SceneBuilder(seed=4)
    s.box("Kafka", 0, 0, 180, 80)
    s.box("Flink", 0, 100, 180, 80)
    s.box("Data lake", 400, 40, 180, 80)
    s.arrow(None, None, bound=False, start=(395, 80), end=(90, 90))
    graph = graph_of(s.scene())
    assert graph.connections == []
    assert any("left unattached rather than guessed" in w for w in graph.warnings)


def test_innermost_shape_wins_over_the_zone_around_it():
    s = SceneBuilder(seed=6)
    s.text("Online", 10, -40)
    s.box("", 0, 0, 600, 300, dashed=True)
    inner = s.box("Ranking model", 50, 100)
    outside = s.box("Training", 800, 100)
    s.arrow(None, None, bound=False, start=(795, 140), end=(140, 140))  # ends deep inside the box
    graph = graph_of(s.scene())
    assert edges(graph) == {("Training", "Ranking model")}
    assert graph.components[0].zone == "Online"


def test_stale_binding_loses_to_the_drawing_and_is_reported():
    s = SceneBuilder(seed=7)
    a = s.box("Training", 0, 0)
    b = s.box("Model registry", 400, 0)
    c = s.box("Serving", 400, 300)
    arrow = s.arrow(a, b)
    # someone moved the arrow's end onto "Serving" by editing the file; the binding still says registry
    arrow["points"][1] = [c["x"] + 20 - arrow["x"], c["y"] + 40 - arrow["y"]]
    graph = graph_of(s.scene())
    assert edges(graph) == {("Training", "Serving")}
    assert any("used what the drawing shows" in w for w in graph.warnings)


def test_a_stale_binding_that_loops_an_arrow_on_one_shape_reads_the_drawn_ends():
    """The app keeps an end bound to the shape it was dragged off: bound to the agent, the arrow
    visibly starts at the prompt and ends at the agent. A loop on the agent would lose the prompt."""
    s = SceneBuilder(seed=9)
    prompt = s.box("System prompt", 0, 100, 150, 80)
    agent = s.box("Digest agent", 190, 100, 200, 80)
    arrow = s.arrow(agent, agent)
    arrow["x"], arrow["y"] = 150, 140  # drawn from the prompt's right edge to the agent's left edge
    arrow["points"] = [[0, 0], [40, 0]]
    graph = graph_of(s.scene())
    assert edges(graph) == {("System prompt", "Digest agent")}
    assert any("loops it on" in w and "used what the drawing shows" in w for w in graph.warnings)
    assert prompt["id"] in {c.id for c in graph.components}


def test_a_loop_drawn_on_one_shape_stays_a_loop_and_is_left_out():
    s = SceneBuilder(seed=10)
    model = s.box("Ranking model", 0, 0, 200, 80)
    s.box("Feature store", 400, 0)
    loop = s.arrow(model, model)
    loop["x"], loop["y"] = 200, 20  # leaves the model's right side and comes back into it
    loop["points"] = [[0, 0], [60, 0], [60, 40], [0, 40]]
    graph = graph_of(s.scene())
    assert edges(graph) == set()
    assert any("starts and ends on the same shape" in i.reason for i in graph.ignored)


def test_rotation_is_respected():
    s = SceneBuilder(seed=8)
    tall = s.box("Kafka", 0, 0, 40, 400)
    tall["angle"] = math.pi / 2  # drawn lying down: spans x -180..220, y 180..220
    s.box("Flink", 500, 160)
    s.arrow(None, None, bound=False, start=(215, 200), end=(495, 200))
    graph = graph_of(s.scene())
    assert edges(graph) == {("Kafka", "Flink")}


def test_deleted_elements_and_their_bindings_are_skipped():
    s = scene_two_boxes()
    ghost = s.box("Old model", 800, 0)
    ghost["isDeleted"] = True
    for text in s.elements:
        if text.get("containerId") == ghost["id"]:
            text["isDeleted"] = True
    graph = graph_of(s.scene())
    assert "Old model" not in labels(graph)


def test_arrow_label_becomes_connection_label():
    graph = graph_of(scene_two_boxes(label="materialize").scene())
    assert graph.connections[0].label == "materialize"


def test_text_placed_inside_a_shape_without_binding_labels_it():
    s = SceneBuilder(seed=9)
    box = s.box("", 0, 0, 200, 100)
    s.text("Model registry", 20, 35)
    graph = graph_of(s.scene())
    assert labels(graph) == ["Model registry"]
    assert graph.components[0].kind == "model_registry"


def test_grouped_text_labels_its_shape():
    s = SceneBuilder(seed=10)
    box = s.box("", 0, 0, 120, 60)
    text = s.text("Kafka", 130, 70)  # outside the box, but grouped with it
    box["groupIds"] = text["groupIds"] = ["g1"]
    graph = graph_of(s.scene())
    assert labels(graph) == ["Kafka"]


def test_several_texts_in_one_box_main_label_and_annotations():
    s = SceneBuilder(seed=11)
    box = s.box("", 0, 0, 300, 160)
    s.text("Feature store", 20, 10, font_size=28)
    s.text("offline: Hive, online: Redis", 20, 80, font_size=14)
    graph = graph_of(s.scene())
    component = graph.components[0]
    assert component.label == "Feature store"
    assert component.annotations == ["offline: Hive, online: Redis"]


def test_title_line_and_bullets():
    s = SceneBuilder(seed=12)
    s.box("Digest Task\n- initialize services\n- summarize threads", 0, 0, 260, 120)
    component = graph_of(s.scene()).components[0]
    assert component.label == "Digest Task"
    assert component.annotations == ["initialize services", "summarize threads"]


def test_two_boxes_with_the_same_label_are_two_components():
    s = SceneBuilder(seed=13)
    s.box("Worker", 0, 0)
    s.box("Worker", 300, 0)
    graph = graph_of(s.scene())
    assert labels(graph) == ["Worker", "Worker"]
    assert len({c.id for c in graph.components}) == 2


def test_free_text_is_a_note():
    s = scene_two_boxes()
    s.text("Requirements: 10M DAU, p99 < 100 ms", 0, 300)
    graph = graph_of(s.scene())
    assert [n.text for n in graph.notes] == ["Requirements: 10M DAU, p99 < 100 ms"]


def test_free_text_touched_by_an_arrow_is_a_component():
    s = SceneBuilder(seed=14)
    box = s.box("Training", 0, 0)
    text = s.text("Data lake", 400, 30)
    s.arrow(None, box, bound=True, start=(395, 42))
    s.elements[-1]["startBinding"] = {"elementId": text["id"], "focus": 0, "gap": 5}
    graph = graph_of(s.scene())
    assert edges(graph) == {("Data lake", "Training")}


def test_frame_is_a_zone_and_members_get_it():
    s = SceneBuilder(seed=15)
    frame = s.frame("Offline", -20, -20, 700, 200)
    a = s.box("Training", 0, 0, frame=frame)
    b = s.box("Model registry", 300, 0, frame=frame)
    s.arrow(a, b)
    graph = graph_of(s.scene())
    assert [z.label for z in graph.zones] == ["Offline"]
    assert {c.zone for c in graph.components} == {"Offline"}


def test_dashed_rectangle_with_title_above_is_a_zone_and_its_connections_are_kept():
    s = SceneBuilder(seed=16)
    s.text("Azure Container Apps", 10, -35)
    zone = s.box("", 0, 0, 500, 200, dashed=True)
    s.box("Chat API", 40, 60)
    monitor = s.box("Azure Monitor", 200, 400)
    s.arrow(None, None, bound=False, line=True, start=(290, 396), end=(290, 203), heads=(None, None))
    graph = graph_of(s.scene())
    assert [z.label for z in graph.zones] == ["Azure Container Apps"]
    conn = graph.connections[0]
    assert conn.target_is_zone or conn.source_is_zone
    # a rule sees the zone's connection as one of each member
    digraph = graph.digraph()
    api = next(c.id for c in graph.components if c.label == "Chat API")
    assert digraph.has_edge(api, monitor["id"]) or digraph.has_edge(monitor["id"], api)


def test_icon_with_caption_below():
    s = SceneBuilder(seed=17)
    icon = s.box("", 0, 0, 80, 80, shape="ellipse")
    s.text("Vector Search", -10, 95)
    llm = s.box("LLM", 300, 0)
    s.arrow(icon, llm)
    graph = graph_of(s.scene())
    assert "Vector Search" in labels(graph)
    assert edges(graph) == {("Vector Search", "LLM")}


def test_group_of_small_shapes_is_one_icon():
    s = SceneBuilder(seed=18)
    parts = [s.box("", x, 0, 20, 60) for x in (0, 25, 50)]
    for part in parts:
        part["groupIds"] = ["chart"]
    s.text("Model metrics", 0, 75)
    graph = graph_of(s.scene())
    assert labels(graph) == ["Model metrics"]
    assert set(graph.components[0].sources) >= {p["id"] for p in parts}


def test_images_and_freedraw_are_ignored_and_counted():
    s = scene_two_boxes()
    scene = s.scene()
    scene["elements"].append({"id": "img1", "type": "image", "x": 900, "y": 900, "width": 50, "height": 50, "fileId": "f"})
    scene["elements"].append({"id": "fd1", "type": "freedraw", "x": 0, "y": 500, "width": 50, "height": 50, "points": [[0, 0], [5, 5]]})
    graph = graph_of(scene)
    reasons = {i.id: i.reason for i in graph.ignored}
    assert reasons["img1"] == "image without a caption"
    assert reasons["fd1"] == "freehand drawing is not read"


def test_elbow_arrow_uses_its_end_points():
    s = scene_two_boxes()
    arrow = next(e for e in s.elements if e["type"] == "arrow")
    dx, dy = arrow["points"][1]
    arrow["points"] = [[0, 0], [dx / 2, 0], [dx / 2, 60], [dx / 2, 0], [dx, dy]]
    arrow["elbowed"] = True
    assert edges(graph_of(s.scene())) == {("Feature pipeline", "Feature store")}


def test_v2_binding_schema_is_read():
    s = scene_two_boxes()
    arrow = next(e for e in s.elements if e["type"] == "arrow")
    for key in ("startBinding", "endBinding"):
        arrow[key] = {"elementId": arrow[key]["elementId"], "fixedPoint": [0.5, 0.5], "mode": "inside"}
    assert edges(graph_of(s.scene())) == {("Feature pipeline", "Feature store")}


def test_old_format_without_points_or_bindings():
    scene = {
        "type": "excalidraw",
        "elements": [
            {"id": "r1", "type": "rectangle", "x": 0, "y": 0, "width": 100, "height": 50, "strokeSharpness": "sharp"},
            {"id": "t1", "type": "text", "x": 10, "y": 10, "width": 60, "height": 25, "text": "Kafka", "font": "20px Virgil"},
            {"id": "r2", "type": "rectangle", "x": 300, "y": 0, "width": 100, "height": 50},
            {"id": "t2", "type": "text", "x": 310, "y": 10, "width": 60, "height": 25, "text": "Flink"},
            {"id": "a1", "type": "arrow", "x": 102, "y": 25, "width": 196, "height": 0},
        ],
    }
    assert edges(graph_of(scene)) == {("Kafka", "Flink")}


def test_kind_tags_customdata_and_label():
    s = SceneBuilder(seed=19)
    s.box("Magic box", 0, 0, kind="feature_store")
    s.box("Thing [drift_detection]", 300, 0)
    graph = graph_of(s.scene())
    kinds = {c.label: (c.kind, c.kind_source) for c in graph.components}
    assert kinds == {"Magic box": ("feature_store", "tag"), "Thing": ("drift_detection", "tag")}


def test_component_ids_are_stable_element_ids():
    scene = scene_two_boxes().scene()
    first = graph_of(copy.deepcopy(scene))
    second = graph_of(copy.deepcopy(scene))
    assert [c.id for c in first.components] == [c.id for c in second.components]
    element_ids = {e["id"] for e in scene["elements"]}
    assert all(c.id in element_ids for c in first.components)
