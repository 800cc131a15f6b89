"""The typed component graph: what the rules read and the reporters print."""

from __future__ import annotations

from functools import cached_property

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Component(_Model):
    id: str
    label: str
    kind: str = "unknown"
    roles: list[str] = Field(default_factory=list)  # further kinds the label names
    zone: str | None = None  # zone label, as the contract's JSON shows it
    zone_id: str | None = None
    sources: list[str] = Field(default_factory=list)  # source element ids
    annotations: list[str] = Field(default_factory=list)  # secondary texts in the box
    position: tuple[float, float] | None = None
    kind_source: str = "lexicon"  # lexicon, tag, context, fallback, none
    kind_note: str = ""  # how the kind was decided when it was not plain lexicon


class Zone(_Model):
    id: str
    label: str
    parent: str | None = None
    sources: list[str] = Field(default_factory=list)


class Connection(_Model):
    source: str
    target: str
    label: str = ""
    directed: bool = True
    id: str = ""  # source element id (arrow, line, edge)
    source_is_zone: bool = False
    target_is_zone: bool = False


class Note(_Model):
    id: str
    text: str
    zone: str | None = None


class Ignored(_Model):
    id: str
    reason: str


class ComponentGraph(_Model):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    path: str
    format: str
    components: list[Component] = Field(default_factory=list)
    zones: list[Zone] = Field(default_factory=list)
    connections: list[Connection] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    ignored: list[Ignored] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # inconsistencies worth telling the user

    @cached_property
    def by_id(self) -> dict[str, Component]:
        return {c.id: c for c in self.components}

    def digraph(self) -> nx.DiGraph:
        """Components as nodes (attribute `kind`); an undirected line counts both ways.

        A connection of a zone stands for a connection of each component inside it
        (recursively), so "monitoring attached to the production zone" reaches serving.
        """
        graph = nx.DiGraph()
        graph.add_nodes_from((component.id, {"kind": component.kind}) for component in self.components)
        members = self.zone_members()
        edges = []
        for conn in self.connections:
            sources = members.get(conn.source, []) if conn.source_is_zone else [conn.source]
            targets = members.get(conn.target, []) if conn.target_is_zone else [conn.target]
            data = {"label": conn.label, "via_zone": conn.source_is_zone or conn.target_is_zone}
            for s in sources:
                for t in targets:
                    if s == t:
                        continue
                    edges.append((s, t, data))
                    if not conn.directed:
                        edges.append((t, s, data))
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

        def collect(zone_id: str, depth: int = 0) -> list[str]:
            if zone_id in result:
                return result[zone_id]
            found = list(direct.get(zone_id, []))
            if depth < 100:
                for child in children.get(zone_id, []):
                    found.extend(collect(child, depth + 1))
            result[zone_id] = found
            return found

        for zone in self.zones:
            collect(zone.id)
        return result
