"""Hypothesis: what an interviewer would call irrelevant never creates an error.

A display-metadata store the API reads (titles, thumbnails) and a business dashboard fed
from the warehouse are part of many real designs; neither is a feature path, a model or
model monitoring, so adding one to any design must not add an error finding."""

from __future__ import annotations

import copy

import networkx as nx

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from diagramcheck.engine import review
from diagramcheck.kinds import default_lexicon
from diagramcheck.model import Component, ComponentGraph, Connection
from diagramcheck.packs import PROBLEMS, catalog_for
from tests.test_fix_property import graphs

LEXICON = default_lexicon()
IRRELEVANT = [
    ("Item metadata DB (titles, thumbnails)", "api", "to_anchor"),
    ("BI dashboard (weekly sales)", "data_lake", "from_anchor"),
]


def errors(graph, problem) -> set[str]:
    result = review(graph, catalog_for(), LEXICON.category, problem=problem)
    return {f.rule for f in result.findings if f.severity == "error"}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from(PROBLEMS), st.sampled_from(IRRELEVANT))
def test_an_irrelevant_component_never_creates_an_error(graph, problem, extra):
    label, anchor_kind, direction = extra
    linked = {end for conn in graph.connections for end in (conn.source, conn.target)}
    anchors = [c.id for c in graph.components if c.kind == anchor_kind and c.id in linked]  # part of the design
    if direction == "to_anchor":  # what the API reads is irrelevant only if the API feeds no training
        digraph = graph.digraph()
        trainers = {c.id for c in graph.components if c.kind == "training"}
        anchors = [a for a in anchors if not nx.descendants(digraph, a) & trainers]
    before = errors(graph, problem)
    assume("nothing-to-review" not in before and graph.connections)  # a design to add to, not a canvas of loose boxes
    bigger = copy.deepcopy(graph)
    bigger.__dict__.pop("by_id", None)  # the cached lookup would miss the new component
    bigger.components.append(Component(id="extra", label=label, kind=LEXICON.classify(label).kind))
    for anchor in anchors[:2]:
        source, target = ("extra", anchor) if direction == "to_anchor" else (anchor, "extra")
        bigger.connections.append(Connection(source=source, target=target))
    assert errors(bigger, problem) <= before


@st.composite
def undirected_trees(draw):
    """A design drawn with lines that have no direction, as a tree: a training box, a served
    model, and any other kinds, each new box joined to one drawn before it."""
    from tests.test_fix_property import KINDS

    kinds = ["training", "serving", *draw(st.lists(st.sampled_from(KINDS), max_size=10))]
    components = [Component(id=f"c{i}", label=f"{k} {i}", kind=k, kind_source="tag") for i, k in enumerate(kinds)]
    connections = [Connection(source=f"c{draw(st.integers(0, i - 1))}", target=f"c{i}", directed=False)
                   for i in range(1, len(kinds))]
    return ComponentGraph(path="tree.gv", format="dot", components=components, connections=connections)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(undirected_trees())
def test_lines_without_direction_make_no_loop_unless_they_close_a_cycle(tree):
    result = review(tree, catalog_for(), LEXICON.category)
    assert result.outcomes["feedback-loop"] != "pass"
    # joining the two ends of the tree's path from training to the model closes a real cycle
    path = nx.shortest_path(nx.Graph([(c.source, c.target) for c in tree.connections]), "c0", "c1")
    if len(path) > 2 and result.outcomes["feedback-loop"] == "fail":
        closed = copy.deepcopy(tree)
        closed.connections.append(Connection(source="c1", target="c0", directed=False))
        assert review(closed, catalog_for(), LEXICON.category).outcomes["feedback-loop"] == "pass"
