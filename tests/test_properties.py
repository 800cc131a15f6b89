"""Hypothesis: random and mutated inputs never raise anything but the project's own error,
and the graph the builder makes is internally consistent."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from diagramcheck.build import build_graph, split_label
from diagramcheck.errors import DiagramError
from diagramcheck.readers import parts_of, read_bytes
from tests.test_excalidraw_reader import scene_two_boxes
from tests.samples import recommendation

BASE = recommendation()
WEIRD = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from([1e308, -1e308, float("nan"), "", "arrow", "rectangle", "frame", 10**30]),
)
FIELDS = ["id", "type", "x", "y", "width", "height", "angle", "points", "startBinding", "endBinding", "containerId",
          "boundElements", "groupIds", "frameId", "text", "originalText", "fontSize", "isDeleted", "startArrowhead",
          "endArrowhead", "customData", "strokeStyle", "name", "elbowed"]


def parse(data: bytes, name: str):
    try:
        graph = build_graph(read_bytes(data, name))
    except DiagramError:
        return None
    check_consistent(graph)
    return graph


def check_consistent(graph) -> None:
    ids = {c.id for c in graph.components}
    zones = {z.id for z in graph.zones}
    assert len(ids) == len(graph.components), "component ids are unique"
    for conn in graph.connections:
        assert conn.source in (zones if conn.source_is_zone else ids)
        assert conn.target in (zones if conn.target_is_zone else ids)
        assert conn.source != conn.target
    for component in graph.components:
        assert component.zone_id is None or component.zone_id in zones
    graph.digraph()  # the rule engine's view builds


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_scenes(data):
    scene = copy.deepcopy(BASE)
    elements = scene["elements"]
    for _ in range(data.draw(st.integers(1, 8))):
        action = data.draw(st.sampled_from(["set", "delete", "duplicate", "drop", "dangle", "cycle"]))
        element = elements[data.draw(st.integers(0, len(elements) - 1))]
        if action == "set":
            element[data.draw(st.sampled_from(FIELDS))] = data.draw(WEIRD)
        elif action == "delete":
            element.pop(data.draw(st.sampled_from(FIELDS)), None)
        elif action == "duplicate":
            elements.append(copy.deepcopy(element))
        elif action == "drop" and len(elements) > 1:
            elements.remove(element)
        elif action == "dangle":
            element["startBinding"] = {"elementId": "does-not-exist", "focus": 0, "gap": 5}
            element["containerId"] = "nope"
        elif action == "cycle":
            element["containerId"] = element.get("id")
            element["frameId"] = element.get("id")
    parse(json.dumps(scene, allow_nan=True).encode(), "m.excalidraw")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.excalidraw", "a.excalidraw.svg", "a.excalidraw.png", "a.excalidraw.md", "a.dot", "a.gv",
                                                  "a.md", "a.mmd"]))
def test_random_bytes(data, name):
    parse(data, name)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), st.data())
def test_truncated_files(cut, data):
    full = json.dumps(scene_two_boxes().scene()).encode()
    parse(full[: cut % len(full)], "t.excalidraw")


DOT_TOKENS = st.sampled_from(["digraph", "graph", "strict", "subgraph", "cluster_a", "{", "}", "[", "]", ";", ",", "=",
                              "->", "--", "a", "b", '"q r"', "label", '"x\\"y"', "<<b>x</b>>", ":", "p1", "//c\n", "/*c*/", "\n", "#x\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(DOT_TOKENS, max_size=40))
def test_random_dot_token_soup(tokens):
    parse(" ".join(tokens).encode(), "soup.dot")


MERMAID_TOKENS = st.sampled_from(["flowchart LR\n", "graph TD;", "subgraph", "end", "A", "B[", "]", "(", ")", "{{", "}}", '"',
                                  "`", "|", "-->", "---", "-.->", "==>", "<-->", "--o", "--x", "~~~", "--", "-.", "==", "&",
                                  ":::c", "@{", "}", "shape: cyl", "label:", "%%", "%%{", "}%%", ";", "\n", "---\n",
                                  "title: t\n", "style A fill:#f00", "click A x", "direction LR", "<br/>", "#quot;"])


@settings(max_examples=300, deadline=None)
@given(st.lists(MERMAID_TOKENS, max_size=40), st.booleans())
def test_random_mermaid_token_soup(tokens, fenced):
    text = " ".join(tokens)
    data = (f"```mermaid\n{text}\n```\n" if fenced else text).encode()
    try:
        parts = parts_of(data, "soup.md" if fenced else "soup.mmd")
    except DiagramError:
        return
    for part in parts:
        assert (part.sketch is None) == (part.error is not None or part.skipped is not None)
        if part.sketch is not None:
            check_consistent(build_graph(part.sketch))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_labels_in_any_script_survive(label):
    s = scene_two_boxes()
    text = next(e for e in s.elements if e["type"] == "text")
    text["originalText"] = text["text"] = label
    graph = parse(json.dumps(s.scene()).encode(), "u.excalidraw")
    box = graph.by_id[text["containerId"]]
    assert box.label == (split_label(label)[0] if label.strip() else "")


@given(st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=60))
def test_one_line_label_shortcut_agrees_with_the_line_by_line_split(line):
    # a trailing newline sends the same label down the general path
    assert split_label(line) == split_label(line + "\n")
    label, annotations = split_label(line)
    assert annotations == [] and label == " ".join(line.split())
