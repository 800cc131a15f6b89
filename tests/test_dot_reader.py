"""The DOT reader on the constructs real .dot/.gv files use."""

from __future__ import annotations

import pytest

from diagramcheck.errors import DiagramError
from diagramcheck.readers import read_bytes
from tests.conftest import edges, graph_of, labels


def dot(text: str):
    return graph_of(text, "g.dot")


def test_digraph_labels_chains_and_defaults():
    g = dot('digraph { node [shape=box]; a [label="Kafka"]; b [label="Flink"]; c [label="Feature store"]; a -> b -> c; }')
    assert edges(g) == {("Kafka", "Flink"), ("Flink", "Feature store")}
    assert [c.kind for c in g.components] == ["stream", "stream_processing", "feature_store"]


def test_undirected_graph_and_dir_attribute():
    g = dot("graph { a -- b; c -- d [dir=forward]; }")
    kinds = {(c.source, c.target): c.directed for c in g.connections}
    assert kinds == {("a", "b"): False, ("c", "d"): True}
    back = dot("digraph { a -> b [dir=back]; x -> y [dir=both]; }")
    assert edges(back) == {("b", "a"), ("x", "y"), ("y", "x")}


def test_clusters_become_nested_zones_and_plain_subgraphs_do_not():
    g = dot('digraph { subgraph cluster_off { label="Offline"; subgraph cluster_t { label="Training"; t; } lake; } subgraph s { rank=same; x; } }')
    zones = {z.label: z.parent for z in g.zones}
    assert zones == {"Offline": None, "Training": "cluster_off"}
    where = {c.label: c.zone for c in g.components}
    assert where == {"t": "Training", "lake": "Offline", "x": None}


def test_html_and_record_labels_reduce_to_text():
    g = dot('digraph { a [label=<<B>Vector</B> DB<BR/><FONT POINT-SIZE="8">Qdrant &amp; co</FONT>>]; '
            'r [shape=record, label="{<f0> Model registry|<f1> v2}"]; }')
    by_id = {c.id: c for c in g.components}
    assert by_id["a"].label == "Vector DB Qdrant & co"
    assert by_id["r"].label == "Model registry v2"


def test_comma_node_lists_ports_and_comments():
    text = """
/* block */
# preprocessor-style line
    digraph G { // line comment
      providers, readers -> processors;
      "q r":p1:n -> processors:w;
      x -> y, z;
    }"""
    g = dot(text)
    assert edges(g) == {("providers", "processors"), ("readers", "processors"), ("q r", "processors"), ("x", "y"), ("x", "z")}


def test_strict_quoted_ids_with_escapes_and_newlines():
    g = dot('strict digraph { "data/raw.csv.dvc" -> "train \\"v2\\""; "data/raw.csv.dvc" -> "train \\"v2\\""; n [label="Feature\\npipeline"]; }')
    assert {c.label for c in g.components} == {"data/raw.csv.dvc", 'train "v2"', "Feature pipeline"}


def test_note_shape_is_a_note_and_kind_attribute_tags():
    g = dot('digraph { req [shape=note, label="100k QPS"]; m [label="Magic", kind=feature_store]; }')
    assert [n.text for n in g.notes] == ["100k QPS"]
    assert g.components[0].kind == "feature_store" and g.components[0].kind_source == "tag"


def test_laid_out_file_keeps_positions():
    g = dot('digraph { graph [bb="0,0,100,100"]; a [pos="27,18", width=0.75]; b [pos="27,90"]; a -> b [pos="e,27,36 27,72"]; }')
    assert g.components[0].position == (27.0, -18.0)


def test_latin1_file():
    data = b'digraph { charset=latin1; a [label="Caf\xe9 features"]; }'
    g = graph_of(data, "g.gv")
    assert g.components[0].label == "Café features"


def test_compound_edge_to_a_cluster_is_a_zone_connection():
    g = dot('digraph { compound=true; subgraph cluster_p { label="Production"; s; } m [label="Monitoring"]; m -> s [lhead=cluster_p]; }')
    assert g.connections[0].target_is_zone and g.connections[0].target == "cluster_p"


def test_syntax_error_has_line_and_column():
    with pytest.raises(DiagramError, match=r"line 2"):
        read_bytes(b"digraph {\n a -> ; }", "bad.dot")


def test_deep_nesting_is_refused_with_the_limit():
    text = "digraph {" + "subgraph {" * 5000 + "a" + "}" * 5000 + "}"
    with pytest.raises(DiagramError, match="nesting depth"):
        read_bytes(text.encode(), "deep.dot")


def test_html_string_in_id_position_is_read_as_graphviz_reads_it():
    # a typo such as `a <- b` is not an error for Graphviz: `<- b ... >` is an HTML-string node id
    g = dot("digraph { a <- b\n c -> d\n e -> f }")
    assert ("e", "f") in edges(g)
    assert ("c", "d") not in edges(g)  # swallowed by the HTML string, exactly as `dot` does


def test_plaintext_nodes_no_edge_touches_are_notes():
    dot = """digraph {
      req [shape=plaintext, label="Requirements: 50M DAU, p99 < 100 ms"];
      legend [shape=none, label="Legend: dashed = async"];
      kafka [shape=plaintext, label="Kafka"]; api [label="API"]; api -> kafka;
    }"""
    graph = graph_of(dot, "n.dot")
    assert [n.text for n in graph.notes] == ["Requirements: 50M DAU, p99 < 100 ms", "Legend: dashed = async"]
    assert [c.label for c in graph.components] == ["Kafka", "API"]


def test_the_graph_label_is_a_note():
    dot = 'digraph { label="Scale: 8k TPS, p99 < 80 ms. Offline: PR-AUC; online: fraud loss"; a [label="API"]; b [label="Model"]; a -> b; }'
    graph = graph_of(dot, "g.dot")
    assert [n.text for n in graph.notes] == ["Scale: 8k TPS, p99 < 80 ms. Offline: PR-AUC; online: fraud loss"]
    assert [c.label for c in graph.components] == ["API", "Model"]


def test_a_node_without_a_label_shows_its_name_with_the_names_escapes_read():
    graph = graph_of('graph { "moderation model\\n(BERT + ResNet)" -- "a\\\\nb"; c [label="\\N\\lv2"] }', "t.gv")
    assert set(labels(graph)) == {"moderation model (BERT + ResNet)", "a\\nb", "c v2"}
