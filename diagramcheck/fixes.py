"""Applying a finding's machine-readable fix to a component graph.

The fix names components to add (by kind and label), connections to add between
existing or added components, and connections to remove. This is what the corrected
diagrams draw, and what the tests use to prove that a fix really closes its finding.
"""

from __future__ import annotations

import copy

from diagramcheck.engine import Finding
from diagramcheck.model import Component, ComponentGraph, Connection


def added_id(rule: str, ref: str) -> str:
    return f"fix-{rule}-{ref}"


def apply_fixes(graph: ComponentGraph, findings: list[Finding]) -> ComponentGraph:
    fixed = copy.deepcopy(graph)
    existing = {c.id for c in fixed.components}
    for finding in findings:
        actions = finding.fix_actions
        refs = {}
        for comp in actions.get("add", []):
            new_id = added_id(finding.rule, comp["ref"])
            refs[comp["ref"]] = new_id
            if new_id not in existing:
                fixed.components.append(
                    Component(id=new_id, label=comp["label"], kind=comp["kind"], kind_source="tag", sources=[])
                )
                existing.add(new_id)
        for edge in actions.get("remove", []):
            fixed.connections = [
                c for c in fixed.connections
                if not (c.source == edge["from"] and c.target == edge["to"] and not c.source_is_zone and not c.target_is_zone)
            ]
        for edge in actions.get("connect", []):
            source, target = refs.get(edge["from"], edge["from"]), refs.get(edge["to"], edge["to"])
            if source in existing and target in existing:
                fixed.connections.append(Connection(source=source, target=target, label=edge.get("label", ""), id=f"fix:{finding.rule}"))
    fixed.__dict__.pop("by_id", None)  # cached_property
    return fixed
