"""What the candidate wrote down is read as notes, in every format: boxes left unconnected in a
zone titled like requirements or notes, and draw.io's sticky-note shape."""

from __future__ import annotations

from tests.conftest import graph_of

MERMAID = """flowchart LR
    subgraph reqs["Requirements + metrics"]
        r1["~80M DAU, peak 40k req/s<br/>p99 150ms for the shelf"]
        r2["Offline: NDCG@20<br/>Online A/B: streams per user"]
    end
    subgraph online["Online serving"]
        app["App"] --> api["home-feed svc"] --> rk["Ranker"]
    end
    subgraph mon["Monitoring & metrics"]
        graf["Grafana"]
    end
"""


def test_unconnected_boxes_in_a_requirements_zone_are_notes():
    graph = graph_of(MERMAID, "t.mmd")
    notes = " ".join(n.text for n in graph.notes)
    assert "80M DAU" in notes and "NDCG@20" in notes
    assert {c.label for c in graph.components} == {"App", "home-feed svc", "Ranker", "Grafana"}  # a system zone keeps its boxes


def test_a_connected_box_in_a_requirements_zone_stays_a_component():
    linked = MERMAID.replace("    end\n    subgraph online", "    end\n    r1 --> api\n    subgraph online", 1)
    assert any(c.label.startswith("~80M DAU") for c in graph_of(linked, "t.mmd").components)


DRAWIO = """<mxfile><diagram id="d" name="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>
<mxCell id="n" value="&lt;b&gt;Credit risk&lt;/b&gt;&lt;br&gt;200k applications/day, decision &amp;lt; 2 s" style="shape=note;whiteSpace=wrap;html=1;" vertex="1" parent="1"><mxGeometry x="0" y="0" width="200" height="80" as="geometry"/></mxCell>
<mxCell id="a" value="Loan API" style="rounded=1;" vertex="1" parent="1"><mxGeometry x="0" y="200" width="120" height="60" as="geometry"/></mxCell>
<mxCell id="m" value="Risk model" style="rounded=1;" vertex="1" parent="1"><mxGeometry x="300" y="200" width="120" height="60" as="geometry"/></mxCell>
<mxCell id="e" edge="1" source="a" target="m" parent="1"><mxGeometry relative="1" as="geometry"/></mxCell>
</root></mxGraphModel></diagram></mxfile>"""


def test_a_drawio_sticky_note_is_a_note():
    graph = graph_of(DRAWIO, "t.drawio")
    assert [n.text for n in graph.notes if "200k applications" in n.text]
    assert {c.label for c in graph.components} == {"Loan API", "Risk model"}


def _box(id_, x, y, text, frame=None):
    return [
        {"id": id_, "type": "rectangle", "x": x, "y": y, "width": 200, "height": 60, "frameId": frame,
         "boundElements": [{"id": id_ + "t", "type": "text"}]},
        {"id": id_ + "t", "type": "text", "x": x + 10, "y": y + 20, "width": 180, "height": 20, "text": text,
         "originalText": text, "containerId": id_, "frameId": frame},
    ]


def test_an_excalidraw_box_left_in_a_requirements_frame_is_a_note():
    elements = [{"id": "f", "type": "frame", "x": 0, "y": 0, "width": 500, "height": 300, "name": "Requirements"}]
    elements += _box("r", 20, 40, "50M users, p99 < 100 ms", "f")
    elements += _box("a", 0, 400, "API") + _box("m", 400, 400, "Ranking model")
    elements.append({"id": "e", "type": "arrow", "x": 200, "y": 430, "width": 200, "height": 0,
                     "points": [[0, 0], [200, 0]], "startBinding": {"elementId": "a"}, "endBinding": {"elementId": "m"}})
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert any("50M users" in n.text for n in graph.notes)
    assert {c.label for c in graph.components} == {"API", "Ranking model"}


def test_a_loose_legend_box_is_a_note_in_every_format():
    elements = _box("lg", 0, 0, "Legend\nsolid = data, dashed = control") + _box("a", 0, 400, "API") + _box("m", 400, 400, "Ranking model")
    elements.append({"id": "e", "type": "arrow", "x": 200, "y": 430, "width": 200, "height": 0,
                     "points": [[0, 0], [200, 0]], "startBinding": {"elementId": "a"}, "endBinding": {"elementId": "m"}})
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert any("Legend" in n.text for n in graph.notes)
    assert {c.label for c in graph.components} == {"API", "Ranking model"}
    dot = graph_of('digraph { legend [label="Legend: dashed = trigger"]; a [label="API"]; m [label="Ranker"]; a -> m; }', "t.dot")
    assert {c.label for c in dot.components} == {"API", "Ranker"}
    # a box merely named like one, with arrows, stays a component
    linked = graph_of('digraph { legend [label="Legend service"]; a [label="API"]; a -> legend; }', "l.dot")
    assert "Legend service" in {c.label for c in linked.components}


def test_swatches_beside_a_legend_title_are_notes():
    elements = [{"id": "t", "type": "text", "x": 0, "y": 0, "width": 80, "height": 25, "text": "Legend"}]
    elements += _box("s1", 0, 40, "online path") + _box("s2", 200, 40, "offline")
    elements += _box("a", 0, 600, "API") + _box("m", 400, 600, "Ranking model") + _box("far", 900, 900, "Loose cache")
    elements.append({"id": "e", "type": "arrow", "x": 200, "y": 630, "width": 200, "height": 0,
                     "points": [[0, 0], [200, 0]], "startBinding": {"elementId": "a"}, "endBinding": {"elementId": "m"}})
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert {c.label for c in graph.components} == {"API", "Ranking model", "Loose cache"}  # far from the legend: still a box


def test_a_requirements_text_above_loose_boxes_takes_none_of_them():
    """Only a title saying "Legend" gathers the swatches beside it: a free text saying it is a
    note ("Requirements: ...") leaves an unconnected design's boxes as boxes (no-connections
    then says what is missing, not nothing-to-review)."""
    elements = [{"id": "t", "type": "text", "x": 0, "y": 0, "width": 400, "height": 25,
                 "text": "Requirements: 1M DAU, p99 < 100 ms"}]
    for i, label in enumerate(["Web app", "Recommendation model", "User DB", "Training job"]):
        elements += _box(f"b{i}", i * 240, 60, label)
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert {c.label for c in graph.components} == {"Web app", "Recommendation model", "User DB", "Training job"}
    assert [n.text for n in graph.notes] == ["Requirements: 1M DAU, p99 < 100 ms"]


def test_a_legend_takes_at_most_its_cap_of_boxes():
    from diagramcheck.build import LEGEND_MAX

    elements = [{"id": "t", "type": "text", "x": 0, "y": 0, "width": 80, "height": 25, "text": "Legend"}]
    for i in range(LEGEND_MAX + 20):  # a chain of swatches, each 40 px below the last
        elements += _box(f"s{i}", 0, 40 + 100 * i, f"swatch {i}")
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert len(graph.notes) == LEGEND_MAX + 1  # the title and LEGEND_MAX swatches, the nearest first
    assert {c.label for c in graph.components} == {f"swatch {i}" for i in range(LEGEND_MAX, LEGEND_MAX + 20)}


def test_a_loose_box_whose_label_says_it_is_a_note_is_one():
    mermaid = """flowchart LR
    app[App] --> api[Ranking API]
    n1["NOTE reqs: ~40k tickets/day, routed in < 2 s"]:::note
    n2["Metrics: offline macro-F1; online: reassignment rate"]
    n3["METRICS (offline): top-1 acc on gold set"]
    n4["TASK: multi-class clf, input = raw job title"]
    m[Model metrics]
"""
    graph = graph_of(mermaid, "t.mmd")
    notes = " ".join(n.text for n in graph.notes)
    assert "40k tickets/day" in notes and "macro-F1" in notes and "top-1 acc" in notes and "multi-class" in notes
    assert {c.label for c in graph.components} == {"App", "Ranking API", "Model metrics"}  # a name, not a note


def test_a_tagged_box_is_what_its_tag_says_even_when_its_label_reads_as_a_note():
    graph = graph_of('digraph { n0 [label="NOTE", kind=alerting]; n1 [label="Legend", kind=monitoring]; }', "t.dot")
    assert {(c.label, c.kind) for c in graph.components} == {("NOTE", "alerting"), ("Legend", "monitoring")}


def test_a_tagged_box_left_in_a_notes_zone_stays_what_its_tag_says():
    graph = graph_of('digraph { subgraph cluster_m { label="METRICS"; n0 [label="0", kind=alerting]; n1 [label="AUC 0.8"]; } }', "t.dot")
    assert [(c.label, c.kind) for c in graph.components] == [("0", "alerting")]
    assert [n.text for n in graph.notes] == ["AUC 0.8"]


def test_a_sticky_note_titled_reqs_above_its_list_is_a_note():
    """A yellow rectangle with a text laid over it (not bound), titled "REQS" on a line of its
    own above the list, as people draw sticky notes; a loose "Metrics" box over a product
    name stays a (loose) component: its first line names a box, not a note."""
    sticky = [{"id": "s", "type": "rectangle", "x": 0, "y": 0, "width": 420, "height": 200, "backgroundColor": "#ffec99"},
              {"id": "st", "type": "text", "x": 12, "y": 10, "width": 400, "height": 160, "containerId": None,
               "text": "REQS\n20M DAU, peak ~3k req/s\ndeck of 50 in < 150 ms",
               "originalText": "REQS\n20M DAU, peak ~3k req/s\ndeck of 50 in < 150 ms"}]
    elements = sticky + _box("loose", 600, 0, "Metrics\nPrometheus") + _box("a", 0, 400, "API") + _box("m", 400, 400, "Ranking model")
    elements.append({"id": "e", "type": "arrow", "x": 200, "y": 430, "width": 200, "height": 0,
                     "points": [[0, 0], [200, 0]], "startBinding": {"elementId": "a"}, "endBinding": {"elementId": "m"}})
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert any("20M DAU" in n.text for n in graph.notes)
    assert {c.label for c in graph.components} == {"Metrics Prometheus", "API", "Ranking model"}


def test_a_loose_list_of_figures_is_a_note_and_a_box_named_above_its_figures_is_not():
    """A Mermaid sticky note with no title, lines of scale and targets from its first line;
    a loose "Redis cluster" over its QPS stays a box (and an orphan), named by its first line."""
    mermaid = """flowchart LR
    app[App] --> api[Search API]
    req["30M active listings, ~400k new / day<br>ready by 07:00 UTC<br>offline: pair precision >= 0.97"]
    style req fill:#fff3bf
    redis["Redis cluster<br>10k QPS<br>p99 < 5 ms"]
"""
    graph = graph_of(mermaid, "t.mmd")
    assert any("400k new / day" in n.text for n in graph.notes)
    assert {c.label.split(" 10k")[0] for c in graph.components} == {"App", "Search API", "Redis cluster"}


def test_a_note_low_in_a_zone_is_no_title_when_the_title_sits_above_it():
    """The zone's title is a text just above its rectangle; a "Goal: ..." written inside at
    the bottom stays a note (it was taken as the lone caption, and the title became a note)."""
    zone = {"id": "z", "type": "rectangle", "x": 0, "y": 100, "width": 700, "height": 300}
    title = {"id": "zt", "type": "text", "x": 10, "y": 70, "width": 200, "height": 25, "text": "Offline (indexing)",
             "originalText": "Offline (indexing)", "containerId": None}
    goal = {"id": "g", "type": "text", "x": 20, "y": 350, "width": 500, "height": 25, "containerId": None,
            "text": "Goal: deflect 30% of support tickets", "originalText": "Goal: deflect 30% of support tickets"}
    elements = [zone, title, goal] + _box("a", 20, 150, "Docs crawler") + _box("m", 400, 150, "Embedding job")
    elements.append({"id": "e", "type": "arrow", "x": 220, "y": 180, "width": 180, "height": 0,
                     "points": [[0, 0], [180, 0]], "startBinding": {"elementId": "a"}, "endBinding": {"elementId": "m"}})
    graph = graph_of({"type": "excalidraw", "elements": elements})
    assert [z.label for z in graph.zones] == ["Offline (indexing)"]
    assert any(n.text.startswith("Goal: deflect") for n in graph.notes)


def test_a_short_loose_note_of_figures_is_a_note_and_a_box_with_one_figure_is_not():
    """Two lines of targets from the first word on ("p99 < 50 ms ..., ~60k QPS") are the
    candidate's requirements; "Redis (10k QPS)" and "50 ms budget" alone stay boxes."""
    mermaid = """flowchart LR
    app[App] --> api[Suggest API]
    req["p99 < 40 ms per request, ~20k QPS peak<br/>target: recall@10 > 0.6 offline"]
    one["Cache (10k QPS)"]
    budget["50 ms budget"]
"""
    graph = graph_of(mermaid, "t.mmd")
    assert any(n.text.startswith("p99 < 40 ms") for n in graph.notes)
    assert {c.label for c in graph.components} == {"App", "Suggest API", "Cache (10k QPS)", "50 ms budget"}


def test_a_mermaid_node_classed_as_a_note_is_a_note_unless_an_arrow_touches_it():
    """`:::note` or `class x sticky` is how people style sticky notes in Mermaid; a box in
    that class with an arrow is still a component."""
    mermaid = """flowchart LR
    app[App] --> api[Ranking API]
    met["Metrics<br/>offline: NDCG@10<br/>online: CTR"]:::note
    r["Top 500 events per city"]
    class r,x sticky
    mon["Monitoring"]:::note
    api --> mon
    classDef note fill:#fff3bf
"""
    graph = graph_of(mermaid, "t.mmd")
    assert sorted(n.text.split("\n")[0] for n in graph.notes) == ["Metrics", "Top 500 events per city"]
    assert {c.label for c in graph.components} == {"App", "Ranking API", "Monitoring"}


def test_a_loose_box_naming_offline_and_online_metrics_is_a_note():
    mermaid = """flowchart LR
    app[App] --> api[Checkout API]
    n2>"offline: recall at 1% FPR | online: promo loss per week"]
    fs["Online store: Redis<br/>Offline store: S3"]
"""
    graph = graph_of(mermaid, "t.mmd")
    assert [n.text[:8] for n in graph.notes] == ["offline:"]
    assert any(c.label.startswith("Online store") for c in graph.components)  # a store, drawn loose
