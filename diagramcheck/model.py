"""The typed component graph: what the rules read and the reporters print.

Plain dataclasses, not pydantic models: the graph is built by our own code from input the
readers have already checked, and validating it again cost about 5 µs an object, 150 ms
for a 10,000-component sketch. pydantic guards where outside data comes in: pattern
packs, the lexicon, config files. Keyword-only, like the models they replace.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx


HUB = "zone:~"  # prefix of the hub nodes that carry a big zone's connections (see digraph)


@dataclass(slots=True, kw_only=True)
class Component:
    id: str
    label: str
    lines: str = ""  # the label with its line breaks as drawn, when it has several (read for its kind)
    kind: str = "unknown"
    roles: list[str] = field(default_factory=list)  # further kinds the label names
    zone: str | None = None  # zone label, as the contract's JSON shows it
    zone_id: str | None = None
    sources: list[str] = field(default_factory=list)  # source element ids
    annotations: list[str] = field(default_factory=list)  # secondary texts in the box
    position: tuple[float, float] | None = None
    kind_source: str = "lexicon"  # lexicon, tag, icon (draw.io icon style), context, fallback, none
    kind_note: str = ""  # how the kind was decided when it was not plain lexicon
    kind_why: str = ""  # the words of the label that decided ('verb "fit"', 'head "logger"')


@dataclass(slots=True, kw_only=True)
class Zone:
    id: str
    label: str
    parent: str | None = None
    sources: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Connection:
    source: str
    target: str
    label: str = ""
    directed: bool = True
    id: str = ""  # source element id (arrow, line, edge)
    source_is_zone: bool = False
    target_is_zone: bool = False


@dataclass(slots=True, kw_only=True)
class Note:
    id: str
    text: str
    zone: str | None = None
    drawn: bool = True  # False: the prose around the diagram in its document, read but not drawn


@dataclass(slots=True, kw_only=True)
class Ignored:
    id: str
    reason: str


@dataclass(kw_only=True)  # no slots: `by_id` is a cached_property
class ComponentGraph:
    path: str
    format: str
    components: list[Component] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    connections: list[Connection] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # inconsistencies worth telling the user
    unread_links: list[str] = field(default_factory=list)  # connectors drawn but left unread rather than guessed
    source_lines: dict[str, int] = field(default_factory=dict)  # source element id -> line, for text formats
    line: int | None = None  # where the sketch starts in its file (a Mermaid block of a Markdown file); see reporters/location.py
    excerpt: bool = False  # one of several diagrams of one document (a Markdown file's Mermaid blocks)

    @cached_property
    def by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}

    def digraph(self, expand_limit: int = 20_000) -> nx.DiGraph:
        """Components as nodes, connections as edges; an undirected line counts both ways.

        A connection of a zone stands for a connection of each component inside it
        (recursively), so "monitoring attached to the production zone" reaches serving.
        Up to `expand_limit` edges such connections are expanded member by member; past it
        a zone's connections go through one hub node per zone and direction (`zone:~out:ID`,
        `zone:~in:ID`), which every search passes like a component: the same paths, in edges
        linear in the members rather than members x members (two zones of 1,000 boxes joined
        by ten arrows were ten million edges). Nodes and edges carry no attributes: the rules
        read kinds and labels from the components.
        """
        graph = nx.DiGraph()
        graph.add_nodes_from([component.id for component in self.components])
        members = self.zone_members()
        edges: list[tuple[str, str]] = []
        seen: set[tuple[str, str]] = set()
        hubs: set[str] = set()
        budget = expand_limit

        def hub(zone: str, way: str) -> str:
            node = f"{HUB}{way}:{zone}"
            if node not in hubs:
                hubs.add(node)
                for member in members.get(zone, ()):
                    edges.append((member, node) if way == "out" else (node, member))
            return node

        for conn in self.connections:
            pairs = [(conn.source, conn.source_is_zone, conn.target, conn.target_is_zone)]
            if not conn.directed:
                pairs.append((conn.target, conn.target_is_zone, conn.source, conn.source_is_zone))
            for start, start_zone, end, end_zone in pairs:
                sources = members.get(start, ()) if start_zone else (start,)
                targets = members.get(end, ()) if end_zone else (end,)
                size = len(sources) * len(targets)
                if size <= budget or not (start_zone or end_zone):
                    budget -= size
                    for s in sources:
                        for t in targets:
                            if s != t and (s, t) not in seen:
                                seen.add((s, t))
                                edges.append((s, t))
                    continue
                head = hub(start, "out") if start_zone else start
                tail = hub(end, "in") if end_zone else end
                edges.append((head, tail))
        graph.add_edges_from(edges)
        return graph

    def zone_members(self) -> dict[str, list[str]]:
        children: dict[str | None, list[str]] = {}
        for zone in self.zones:
            children.setdefault(zone.parent, []).append(zone.id)
        direct: dict[str, list[str]] = {}
        for component in self.components:
            if component.zone_id:
                direct.setdefault(component.zone_id, []).append(component.id)
        result: dict[str, list[str]] = {}
        for zone in self.zones:
            if zone.id not in result:
                _collect_members(zone.id, children, direct, result)
        return result


def _collect_members(zone_id: str, children: dict, direct: dict, result: dict) -> list[str]:
    """Every component inside a zone, its sub-zones' too. Iterative, and a zone met again on
    its own chain of parents (a cycle the input made) is not entered twice."""
    stack, chain = [(zone_id, iter(children.get(zone_id, ())))], {zone_id}
    while stack:
        current, pending = stack[-1]
        child = next(pending, None)
        if child is None:
            stack.pop()
            chain.discard(current)
            found = list(direct.get(current, []))
            seen = set(found)
            for sub in children.get(current, ()):
                for member in result.get(sub, ()):
                    if member not in seen:
                        seen.add(member)
                        found.append(member)
            result[current] = found
        elif child not in result and child not in chain:
            chain.add(child)
            stack.append((child, iter(children.get(child, ()))))
    return result[zone_id]
