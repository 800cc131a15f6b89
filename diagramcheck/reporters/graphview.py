"""`diagramcheck graph`: what was understood, as text or DOT."""

from __future__ import annotations

import re
from collections.abc import Iterator

from diagramcheck import inert
from diagramcheck.model import ComponentGraph


def graph_text(graph: ComponentGraph) -> str:
    names = {c.id: c.label or f"(unlabelled {c.id})" for c in graph.components}
    names.update({z.id: f"[zone {z.label or z.id}]" for z in graph.zones})
    out = [f"{graph.path} ({graph.format}" + (f", line {graph.line})" if graph.line is not None else ")")]
    out.append(f"  components: {len(graph.components)}")
    width = min(max((len(n) for n in names.values()), default=10), 36)
    for c in graph.components:
        extra = f"  zone: {c.zone}" if c.zone else ""
        roles = f" (+{', '.join(c.roles)})" if c.roles else ""
        out.append(f"    {names[c.id][:36]:<{width}}  {c.kind}{roles}{extra}{_reason(c)}")
    if graph.zones:
        out.append(f"  zones: {len(graph.zones)}")
        for z in graph.zones:
            inside = f"  inside {names.get(z.parent, z.parent)}" if z.parent else ""
            out.append(f"    {z.label or '(untitled)'}{inside}")
    out.append(f"  connections: {len(graph.connections)}")
    for conn in graph.connections:
        arrow = "->" if conn.directed else "--"
        label = f'  "{conn.label}"' if conn.label else ""
        out.append(f"    {names.get(conn.source, conn.source)} {arrow} {names.get(conn.target, conn.target)}{label}")
    if graph.notes:
        out.append(f"  notes: {len(graph.notes)}")
        for note in graph.notes:
            text = " ".join(note.text.split())
            out.append(f"    {text[:72]}{'...' if len(text) > 72 else ''}")
    if graph.ignored:
        out.append(f"  ignored: {len(graph.ignored)}")
        for item in graph.ignored:
            out.append(f"    {item.id}: {item.reason}")
    for warning in graph.warnings:
        out.append(f"  warning: {warning}")
    return "\n".join(inert.line(line) for line in out)  # one line each, whatever an id or label holds


def _reason(c) -> str:
    """Why the component got its kind, compactly: the label's deciding words, then what
    the graph or a typo correction added ("by head \"logger\"; read 'kafak' as 'kafka'")."""
    parts = [f"by {c.kind_why}" if c.kind_why else "", c.kind_note]
    shown = "; ".join(p for p in parts if p)
    return f"  [{shown}]" if shown else ""


def dot_quote(text: str) -> str:
    """A label as a quoted DOT string (labels give backslashes their meaning: `\\n` is a break)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot_id(name: str) -> str:
    """An id as a quoted DOT string that reads back as the same id: Graphviz's scanner, and
    ours, keep backslash pairs as written and read `\\"` as a quote, so only quotes are
    escaped. An id no DOT file can hold (an odd run of backslashes before a quote, a line
    end or the end: from another format) has its backslashes doubled: it reads back
    longer, but nothing it holds can end the string early."""
    if _LONE_BACKSLASH.search(name):
        name = name.replace("\\", "\\\\")
    return '"' + name.replace('"', '\\"') + '"'


_LONE_BACKSLASH = re.compile(r'(?<!\\)(?:\\\\)*\\(?=["\r\n]|$)')


def cluster_name(zone_id: str) -> str:
    return zone_id if zone_id.startswith("cluster") else "cluster_" + zone_id


def zone_blocks(graph: ComponentGraph, node_line, cluster_style: str = "") -> list[str]:
    """Nodes nested in their zones' clusters, as DOT lines: the part both DOT writers share."""
    children: dict[str | None, list[str]] = {}
    for zone in graph.zones:
        children.setdefault(zone.parent, []).append(zone.id)
    members: dict[str | None, list] = {}
    for c in graph.components:
        members.setdefault(c.zone_id, []).append(c)
    labels = {z.id: z.label for z in graph.zones}
    return list(_cluster_lines(None, "  ", members, children, labels, node_line, cluster_style))


def _cluster_lines(zone_id: str | None, indent: str, members: dict, children: dict, labels: dict, node_line,
                   cluster_style: str) -> Iterator[str]:
    # a module function, not a closure calling itself: that is a reference cycle per call
    for c in members.get(zone_id, []):
        yield indent + node_line(c)
    for child in children.get(zone_id, []):
        yield f"{indent}subgraph {_shown_id(cluster_name(child))} {{"
        yield f"{indent}  label={dot_quote(labels.get(child, ''))};{cluster_style}"
        yield from _cluster_lines(child, indent + "  ", members, children, labels, node_line, cluster_style)
        yield f"{indent}}}"


def graph_dot(graph: ComponentGraph) -> str:
    out = ["digraph diagramcheck {", "  rankdir=LR;", "  compound=true;", "  node [shape=box, style=rounded];"]
    out += zone_blocks(graph, lambda c: f"{_shown_id(c.id)} [label={dot_quote(c.label)}, kind={dot_quote(c.kind)}];")
    zone_members = graph.zone_members()
    for conn in graph.connections:
        attrs = [f"label={dot_quote(conn.label)}"] if conn.label else []
        source, target = conn.source, conn.target
        # an edge of a zone is drawn to one member and clipped at the cluster (ltail/lhead)
        if conn.source_is_zone:
            if not zone_members.get(source):
                continue
            attrs.append(f"ltail={_shown_id(cluster_name(source))}")
            source = zone_members[source][0]
        if conn.target_is_zone:
            if not zone_members.get(target):
                continue
            attrs.append(f"lhead={_shown_id(cluster_name(target))}")
            target = zone_members[target][0]
        if not conn.directed:
            attrs.append("dir=none")
        suffix = f" [{', '.join(attrs)}]" if attrs else ""
        out.append(f"  {_shown_id(source)} -> {_shown_id(target)}{suffix};")
    out.append("}")
    return inert.text("\n".join(out) + "\n")  # printed to a terminal as often as to a file


def _shown_id(name: str) -> str:
    """An id in `graph`'s DOT: on one line, controls as escapes (the same for each mention)."""
    return dot_id(inert.line(name))
