"""Reference architectures, kept as data: one per problem type in patterns/reference/*.toml, and
the problem bank's own in patterns/problems/reference/*.toml (same schema)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from diagramcheck.errors import PatternError
from diagramcheck.model import Component, ComponentGraph, Connection, Note, Zone
from diagramcheck.tomlio import STRICT, SchemaError, describe, load_toml, validated

_EDGE = re.compile(r"^\s*([\w-]+)\s*(->|--)\s*([\w-]+)\s*(?::\s*(.+))?$")


@dataclass
class ReferenceFile:
    __pydantic_config__ = STRICT
    problem: str
    title: str
    components: list[list[str]]  # [id, label, kind] or [id, label, kind, zone]
    edges: list[str]
    notes: list[str] = field(default_factory=list)
    zones: dict[str, str] = field(default_factory=dict)


def reference_dir() -> Path:
    from diagramcheck.kinds import builtin_patterns_dir

    return builtin_patterns_dir() / "reference"


def available() -> dict[str, Path]:
    out = {}
    for path in sorted(reference_dir().glob("*.toml")):
        data, _ = load_toml(path)
        out[str(data.get("problem", path.stem))] = path
    return out


def load(problem: str, kinds: set[str]) -> tuple[ComponentGraph, ReferenceFile]:
    """The reference architecture of a problem type, or of a problem of the bank."""
    paths = available()
    if problem in paths:
        return load_file(paths[problem], kinds, problem)
    from diagramcheck.problem_bank import bank_for

    bank = bank_for()
    if problem not in bank.problems:
        raise PatternError(f"no reference architecture for {problem!r} (problem types: {', '.join(sorted(paths))}; "
                           "or a problem id that `diagramcheck problems` lists)")
    return load_file(Path(bank.problems[problem].reference_path), kinds, problem)


def load_file(path: Path, kinds: set[str], name: str | None = None) -> tuple[ComponentGraph, ReferenceFile]:
    data, _ = load_toml(path)
    try:
        ref = validated(ReferenceFile, data)
    except SchemaError as exc:
        raise PatternError(f"{path}: {describe(exc)}") from None
    graph = ComponentGraph(path=f"reference-{name or ref.problem}", format="reference")
    graph.zones = [Zone(id=key, label=label) for key, label in ref.zones.items()]
    ids = set()
    for entry in ref.components:
        if len(entry) not in (3, 4):
            raise PatternError(f"{path}: component {entry!r} must be [id, label, kind] or [id, label, kind, zone]")
        cid, label, kind = entry[:3]
        zone = entry[3] if len(entry) == 4 and entry[3] else None
        if kind not in kinds:
            raise PatternError(f"{path}: component {cid!r} has unknown kind {kind!r}")
        if zone is not None and zone not in ref.zones:
            raise PatternError(f"{path}: component {cid!r} is in unknown zone {zone!r}")
        graph.components.append(Component(id=cid, label=label, kind=kind, kind_source="tag",
                                          zone=ref.zones.get(zone) if zone else None, zone_id=zone))
        ids.add(cid)
    for edge in ref.edges:
        match = _EDGE.match(edge)
        if not match or match.group(1) not in ids or match.group(3) not in ids:
            raise PatternError(f"{path}: bad edge {edge!r} (write 'a -> b', 'a -- b' or 'a -> b : label' between known ids)")
        graph.connections.append(Connection(source=match.group(1), target=match.group(3), label=(match.group(4) or "").strip(),
                                            directed=match.group(2) == "->"))
    graph.notes = [Note(id=f"note{i}", text=text) for i, text in enumerate(ref.notes)]
    return graph, ref
