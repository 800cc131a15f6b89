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
    source_lines: dict[str, int] = field(default_factory=dict)  # source element id -> line, for text formats
    line: int | None = None  # where the sketch starts in its file (a Mermaid block of a Markdown file); see reporters/location.py

    @cached_property
    def by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}

    def digraph(self) -> nx.DiGraph:
        """Components as nodes, connections as edges; an undirected line counts both ways.

        A connection of a zone stands for a connection of each component inside it
        (recursively), so "monitoring attached to the production zone" reaches serving.
        Nodes and edges carry no attributes: the rules read kinds and labels from the
        components, and an attribute dict per edge was a quarter of the build time.
        """
        graph = nx.DiGraph()
        graph.add_nodes_from([component.id for component in self.components])
        members = self.zone_members()
        edges = []
        append = edges.append
        for conn in self.connections:
            sources = members.get(conn.source, ()) if conn.source_is_zone else (conn.source,)
            targets = members.get(conn.target, ()) if conn.target_is_zone else (conn.target,)
            for s in sources:
                for t in targets:
                    if s != t:
                        append((s, t))
                        if not conn.directed:
                            append((t, s))
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
            _collect_members(zone.id, children, direct, result)
        return result


def _collect_members(zone_id: str, children: dict, direct: dict, result: dict, depth: int = 0) -> list[str]:
    # a module function, not a closure calling itself: that would be a reference cycle
    # per call, garbage only a collection frees (see gcpause.py)
    if zone_id in result:
        return result[zone_id]
    found = list(direct.get(zone_id, []))
    if depth < 100:
        for child in children.get(zone_id, []):
            found.extend(_collect_members(child, children, direct, result, depth + 1))
    result[zone_id] = found
    return found
