"""Big zones' connections go through hub nodes instead of members x members edges: the same
paths between components, in edges linear in the members."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings, strategies as st

from diagramcheck.model import HUB, Component, ComponentGraph, Connection, Zone


@st.composite
def zoned_graphs(draw):
    n = draw(st.integers(2, 12))
    zones = [Zone(id=f"z{i}", label=f"zone {i}", parent=draw(st.sampled_from([None, *[f"z{j}" for j in range(i)]])))
             for i in range(draw(st.integers(1, 4)))]
    components = [Component(id=f"c{i}", label=f"c{i}", zone_id=draw(st.sampled_from([None, *[z.id for z in zones]])))
                  for i in range(n)]
    ends = [(c.id, False) for c in components] + [(z.id, True) for z in zones]
    connections = []
    for _ in range(draw(st.integers(0, 3 * n))):
        (a, az), (b, bz) = draw(st.sampled_from(ends)), draw(st.sampled_from(ends))
        if a != b:
            connections.append(Connection(source=a, target=b, source_is_zone=az, target_is_zone=bz, directed=draw(st.booleans())))
    return ComponentGraph(path="g.dot", format="dot", components=components, zones=zones, connections=connections)


def component_reach(graph: nx.DiGraph, ids: list[str]) -> dict[str, set[str]]:
    return {c: {d for d in nx.descendants(graph, c) if not d.startswith(HUB)} for c in ids}


@settings(max_examples=300, deadline=None)
@given(zoned_graphs())
def test_hubs_give_the_same_paths_between_components(graph):
    ids = [c.id for c in graph.components]
    expanded, hubbed = graph.digraph(), graph.digraph(expand_limit=0)
    assert component_reach(hubbed, ids) == component_reach(expanded, ids)


def test_two_big_zones_joined_many_times_stay_linear():
    members = 1000
    components = [Component(id=f"a{i}", label="a", zone_id="A") for i in range(members)]
    components += [Component(id=f"b{i}", label="b", zone_id="B") for i in range(members)]
    zones = [Zone(id="A", label="A"), Zone(id="B", label="B")]
    connections = [Connection(source="A", target="B", source_is_zone=True, target_is_zone=True) for _ in range(10)]
    graph = ComponentGraph(path="g.dot", format="dot", components=components, zones=zones, connections=connections).digraph()
    assert graph.number_of_edges() <= 4 * members
    assert nx.has_path(graph, "a7", "b993") and not nx.has_path(graph, "b1", "a1")


def test_zones_whose_parents_make_a_cycle_end_and_list_each_member_once():
    zones = [Zone(id="A", label="A", parent="B"), Zone(id="B", label="B", parent="A")]
    components = [Component(id="x", label="x", zone_id="A"), Component(id="y", label="y", zone_id="B")]
    members = ComponentGraph(path="g", format="dot", components=components, zones=zones).zone_members()
    assert sorted(members["A"]) == ["x", "y"]  # entered first: it holds its child zone
    assert "y" in members["B"] and all(len(set(m)) == len(m) for m in members.values())


def test_a_deep_chain_of_zones_needs_no_recursion():
    depth = 5000
    zones = [Zone(id=f"z{i}", label="z", parent=f"z{i - 1}" if i else None) for i in range(depth)]
    components = [Component(id="leaf", label="leaf", zone_id=f"z{depth - 1}")]
    members = ComponentGraph(path="g", format="dot", components=components, zones=zones).zone_members()
    assert members["z0"] == ["leaf"]
