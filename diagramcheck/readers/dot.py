"""Graphviz DOT -> Sketch, with our own parser (dot_parser.py says why not pydot).

DOT states its structure, so the sketch it gives has no geometry to interpret:
nodes are shapes with their labels, clusters are zones, edges name their ends.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from diagramcheck.errors import DiagramError
from diagramcheck.readers import dot_lexer, dot_parser
from diagramcheck.readers.dot_parser import Html, Subgraph
from diagramcheck.sketch import Link, Shape, Sketch


def decode_dot(data: bytes) -> str:
    head = data[:4096].decode("ascii", errors="ignore").lower()
    if re.search(r"charset\s*=\s*\"?(latin-?1|iso-?8859-?1)", head):
        return data.decode("latin-1")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")  # what Graphviz itself falls back to


def read_dot(data: bytes, path: str) -> Sketch:
    text = decode_dot(data)
    if "\x00" in text:
        raise DiagramError("not a DOT file (binary data)")
    toks = dot_lexer.tokens(text)
    if not toks:
        raise DiagramError("empty DOT file")
    dot_lexer.check_depth(toks)
    graph = dot_parser.parse(text, toks)
    sketch = _Walker(path, graph.directed).walk(graph.body)
    sketch.source_lines = _lines(text, sketch.source_lines)
    return sketch


def _lines(text: str, offsets: dict[str, int]) -> dict[str, int]:
    """Offsets in the text to 1-based line numbers, counting newlines between offsets in order."""
    lines: dict[str, int] = {}
    line, at = 1, 0
    for element, offset in sorted(offsets.items(), key=lambda item: item[1]):
        line += text.count("\n", at, offset)
        at = offset
        lines[element] = line
    return lines


def unquote(value: str | None) -> str:
    """Attribute values arrive unquoted from the parser; None means absent."""
    return "" if value is None else str(value)


def label_text(raw: str | None, node_name: str, shape: str | None) -> str:
    """A DOT label reduced to the text a reader sees."""
    if raw is None:
        raw = "\\N"  # Graphviz's default label: the name, whose own escapes then apply ("a\nb" is two lines)
    if isinstance(raw, Html):
        return _html_text(raw[1:-1])
    text = _ESCAPE.sub(lambda m: _escape(m.group(1), node_name), str(raw))
    if shape in ("record", "Mrecord"):
        text = re.sub(r"<[^>]*>", "", text)
        text = "\n".join(part.strip() for part in re.split(r"(?<!\\)[|{}]", text) if part.strip())
    return text.strip()


_ESCAPE = re.compile(r"\\(.)", re.S)


def _escape(char: str, node_name: str) -> str:
    """Graphviz's label escapes, read left to right so that an escaped backslash stays one."""
    if char in "nlr":
        return "\n"
    if char == "N":  # the name is substituted first, then read like the rest of the label
        return _ESCAPE.sub(lambda m: "" if m.group(1) == "N" else _escape(m.group(1), ""), node_name)
    if char in "GETHL":
        return ""
    if char == "\\":
        return "\\"
    return "\\" + char


def _html_text(markup: str) -> str:
    markup = re.sub(r"<\s*br\s*/?\s*>", "\n", markup, flags=re.I)
    markup = re.sub(r"</\s*(tr|p)\s*>", "\n", markup, flags=re.I)
    markup = re.sub(r"</\s*td\s*>", " ", markup, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", "", markup))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


@dataclass
class _Node:
    attrs: dict = field(default_factory=dict)
    zone: str | None = None
    depth: int = -1


class _Walker:
    def __init__(self, path: str, directed: bool) -> None:
        self.sketch = Sketch(path=path, format="dot", geometric=False)
        self.nodes: dict[str, _Node] = {}
        self.zone_ids: dict[str, str] = {}
        self.edge_count = 0
        self.directed = directed
        self.offsets: dict[str, int] = {}  # element id -> offset of the statement that states it
        self.declared: set[str] = set()  # nodes whose own statement set their offset

    def walk(self, body: Subgraph) -> Sketch:
        self._scope(body, {}, {}, None, 0)
        title = _graph_label(body)
        if title is not None and label_text(title, "", None).strip():
            # the graph's own label is its caption: where people write requirements and metrics
            note_id = "graph" if "graph" not in self.nodes else "graph~label"
            self.sketch.shapes.append(Shape(id=note_id, type="node", label=label_text(title, "", None), is_note=True))
        for name, node in self.nodes.items():
            shape = unquote(node.attrs.get("shape")) or None
            self.sketch.shapes.append(
                Shape(
                    id=name,
                    type="node",
                    bbox=_position(node.attrs.get("pos")),
                    label=label_text(node.attrs.get("label"), name, shape),
                    kind_tag=unquote(node.attrs.get("kind")) or None,
                    parent=node.zone,
                    is_note=shape == "note",
                    plain_text=shape in ("plaintext", "plain", "none"),
                )
            )
        self.sketch.source_lines = self.offsets  # offsets until read_dot turns them into lines
        return self.sketch

    def _scope(self, sub: Subgraph, node_defaults: dict, edge_defaults: dict, zone: str | None, depth: int) -> list[str]:
        """Walks statements in order (defaults apply to what follows); returns the nodes named."""
        node_defaults, edge_defaults = dict(node_defaults), dict(edge_defaults)
        named: list[str] = []
        for statement in sub.statements:
            kind = statement[0]
            if kind == "attr":
                if statement[1] == "node":
                    node_defaults.update(statement[2])
                elif statement[1] == "edge":
                    edge_defaults.update(statement[2])
            elif kind == "node":
                named += self._end(statement[1], node_defaults, edge_defaults, zone, depth, statement[2])
                self._declared_at(statement[1], statement[3])
            elif kind == "nodes":
                for end in statement[1]:
                    named += self._end(end, node_defaults, edge_defaults, zone, depth, statement[2])
                    self._declared_at(end, statement[3])
            elif kind == "subgraph":
                named += self._subgraph(statement[1], node_defaults, edge_defaults, zone, depth)
            elif kind == "edge":
                groups = [
                    [n for end in ends for n in self._end(end, node_defaults, edge_defaults, zone, depth, {})]
                    for ends in statement[1]
                ]
                first_edge = self.edge_count + 1
                for sources, targets in zip(groups, groups[1:]):
                    self._edges(sources, targets, {**edge_defaults, **statement[2]})
                for number in range(first_edge, self.edge_count + 1):
                    self.offsets[f"e{number}"] = statement[3]
                for name in (n for group in groups for n in group):
                    self.offsets.setdefault(name, statement[3])  # mentioned first in an edge
                named += [n for group in groups for n in group]
        return named

    def _declared_at(self, name, offset: int) -> None:
        """A node's line is that of its first own statement (where its label is), else of its first mention."""
        if isinstance(name, str) and name not in self.declared:
            self.declared.add(name)
            self.offsets[name] = offset

    def _subgraph(self, sub: Subgraph, node_defaults, edge_defaults, zone, depth) -> list[str]:
        inner = zone
        if sub.name and sub.name.startswith("cluster"):
            zone_id = sub.name if sub.name not in self.nodes else f"{sub.name}~zone"
            self.zone_ids[sub.name] = zone_id
            label = label_text(_graph_label(sub), "", None) if _graph_label(sub) is not None else ""
            self.sketch.shapes.append(Shape(id=zone_id, type="cluster", label=label, parent=zone, is_zone=True))
            inner = zone_id
        return self._scope(sub, node_defaults, edge_defaults, inner, depth + 1)

    def _end(self, end, node_defaults, edge_defaults, zone, depth, attrs: dict) -> list[str]:
        if isinstance(end, Subgraph):
            return self._subgraph(end, node_defaults, edge_defaults, zone, depth)
        if end in ("node", "edge", "graph"):
            return []
        node = self.nodes.get(end)
        if node is None:
            node = self.nodes[end] = _Node(attrs=dict(node_defaults))
        node.attrs.update(attrs)
        if zone is not None and depth > node.depth:
            node.zone, node.depth = zone, depth
        return [end]

    def _edges(self, sources: list[str], targets: list[str], attrs: dict) -> None:
        ltail = self.zone_ids.get(unquote(attrs.get("ltail")))
        lhead = self.zone_ids.get(unquote(attrs.get("lhead")))
        direction = unquote(attrs.get("dir")) or ("forward" if self.directed else "none")
        label = label_text(attrs.get("label"), "", None) if attrs.get("label") is not None else ""
        style = unquote(attrs.get("style"))
        for source in sources:
            for target in targets:
                self.edge_count += 1
                self.sketch.links.append(
                    Link(
                        id=f"e{self.edge_count}",
                        start=ltail or source,
                        end=lhead or target,
                        start_head=direction in ("back", "both"),
                        end_head=direction in ("forward", "both"),
                        is_line=direction == "none",
                        dashed="dash" in style or "dot" in style,
                        label=label,
                    )
                )


def _graph_label(sub: Subgraph):
    label = None
    for statement in sub.statements:
        if statement[0] == "set" and statement[1] == "label":
            label = statement[2]
        elif statement[0] == "attr" and statement[1] == "graph" and "label" in statement[2]:
            label = statement[2]["label"]
    return label


def _position(pos: str | None):
    match = re.match(r"\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)", unquote(pos)) if pos else None
    if not match:
        return None
    try:
        return (float(match.group(1)), -float(match.group(2)), 0.0, 0.0)  # DOT's y grows upwards
    except ValueError:
        return None
