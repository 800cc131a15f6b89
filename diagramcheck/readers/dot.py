"""Graphviz DOT -> Sketch, parsed with pydot (imported only when a DOT file is read).

DOT states its structure, so the sketch it gives has no geometry to interpret:
nodes are shapes with their labels, clusters are zones, edges name their ends.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from diagramcheck.errors import DiagramError
from diagramcheck.readers import dot_lexer
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
    text = dot_lexer.rewrite_node_lists(text, toks)
    graphs = _parse(text)
    return _Walker(path).walk(graphs[0])


def _parse(text: str) -> list:
    import pyparsing
    from pydot import dot_parser

    parser = getattr(dot_parser, "GraphParser", None)
    grammar = parser.parser if parser is not None else dot_parser.graphparser
    try:
        graphs = list(grammar.parse_string(text))
    except pyparsing.ParseBaseException as exc:
        raise DiagramError(f"DOT syntax error at line {exc.lineno}, column {exc.col}") from None
    except RecursionError:
        raise DiagramError("DOT is nested too deeply to parse") from None
    if not graphs:
        raise DiagramError("no graph in DOT file")
    return graphs


def unquote(value: str | None) -> str:
    if value is None:
        return ""
    value = str(value)
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        value = value[1:-1].replace("\\\n", "").replace('\\"', '"')
    return value


def label_text(raw: str | None, node_name: str, shape: str | None) -> str:
    """A DOT label reduced to the text a reader sees."""
    if raw is None:
        return node_name
    raw = str(raw)
    if raw.startswith("<") and raw.endswith(">"):
        return _html_text(raw[1:-1])
    text = unquote(raw)
    text = text.replace("\\N", node_name).replace("\\G", "").replace("\\E", "")
    text = re.sub(r"\\[nlr]", "\n", text)
    text = text.replace("\\\\", "\\")
    if shape in ("record", "Mrecord"):
        text = re.sub(r"<[^>]*>", "", text)
        text = "\n".join(part.strip() for part in re.split(r"(?<!\\)[|{}]", text) if part.strip())
    return text.strip()


def _html_text(markup: str) -> str:
    markup = re.sub(r"<\s*br\s*/?\s*>", "\n", markup, flags=re.I)
    markup = re.sub(r"</\s*(tr|p)\s*>", "\n", markup, flags=re.I)
    markup = re.sub(r"</\s*td\s*>", " ", markup, flags=re.I)
    text = html.unescape(re.sub(r"<[^>]*>", "", markup))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def split_port(name: str) -> str:
    """`"a b":p1:n` -> `a b`: ports and compass points do not make a new node."""
    name = str(name)
    if name.startswith('"'):
        end = name.find('"', 1)
        while end > 0 and name[end - 1] == "\\":
            end = name.find('"', end + 1)
        return unquote(name[: end + 1]) if end > 0 else unquote(name)
    return name.split(":", 1)[0]


@dataclass
class _Node:
    attrs: dict = field(default_factory=dict)
    zone: str | None = None
    depth: int = -1


class _Walker:
    def __init__(self, path: str) -> None:
        self.sketch = Sketch(path=path, format="dot", geometric=False)
        self.nodes: dict[str, _Node] = {}
        self.zone_ids: dict[str, str] = {}
        self.edge_count = 0
        self.directed = True

    def walk(self, graph) -> Sketch:
        self.directed = graph.get_type() == "digraph"
        self._scope(graph, {}, {}, None, 0)
        for name, node in self.nodes.items():
            shape = unquote(node.attrs.get("shape")) or None
            label = label_text(node.attrs.get("label"), name, shape)
            self.sketch.shapes.append(
                Shape(
                    id=name,
                    type="node",
                    bbox=_position(node.attrs.get("pos")),
                    label=label,
                    kind_tag=unquote(node.attrs.get("kind")) or None,
                    parent=node.zone,
                    is_note=shape == "note",
                ),
            )
        return self.sketch

    def _scope(self, graph, node_defaults: dict, edge_defaults: dict, zone: str | None, depth: int) -> None:
        node_defaults, edge_defaults = dict(node_defaults), dict(edge_defaults)
        items = []
        for node in graph.get_node_list():
            items.append((node.obj_dict.get("sequence", 0), "node", node))
        for edge in graph.get_edge_list():
            items.append((edge.obj_dict.get("sequence", 0), "edge", edge))
        for sub in graph.get_subgraph_list():
            items.append((sub.obj_dict.get("sequence", 0), "subgraph", sub))
        for _, what, item in sorted(items, key=lambda t: t[0]):
            if what == "node":
                name = unquote(item.get_name())
                attrs = item.get_attributes()
                if name == "node":
                    node_defaults.update(attrs)
                elif name == "edge":
                    edge_defaults.update(attrs)
                elif name != "graph":
                    self._touch(name, node_defaults, attrs, zone, depth)
            elif what == "edge":
                self._edge(item, node_defaults, edge_defaults, zone, depth)
            else:
                self._subgraph(item, node_defaults, edge_defaults, zone, depth)

    def _subgraph(self, sub, node_defaults, edge_defaults, zone, depth) -> str | None:
        name = unquote(sub.get_name())
        inner = zone
        if name.startswith("cluster"):
            zone_id = name if name not in self.nodes else f"{name}~zone"
            self.zone_ids[name] = zone_id
            label = label_text(sub.get_attributes().get("label"), "", None)
            self.sketch.shapes.append(Shape(id=zone_id, type="cluster", label=label, parent=zone, is_zone=True))
            inner = zone_id
        self._scope(sub, node_defaults, edge_defaults, inner, depth + 1)
        return inner

    def _touch(self, name: str, defaults: dict, attrs: dict, zone: str | None, depth: int) -> None:
        node = self.nodes.get(name)
        if node is None:
            node = self.nodes[name] = _Node(attrs=dict(defaults))
        node.attrs.update(attrs)
        if zone is not None and depth > node.depth:
            node.zone, node.depth = zone, depth

    def _endpoints(self, end, defaults, zone, depth) -> list[str]:
        if isinstance(end, str):
            name = split_port(end)
            self._touch(name, defaults, {}, zone, depth)
            return [name]
        # `{a b} -> c`: pydot hands us the anonymous subgraph's obj_dict.
        names = []
        for key in (end.get("nodes") or {}):
            name = unquote(key)
            if name not in ("node", "edge", "graph"):
                self._touch(name, defaults, {}, zone, depth)
                names.append(name)
        return names

    def _edge(self, edge, node_defaults, edge_defaults, zone, depth) -> None:
        attrs = {**edge_defaults, **edge.get_attributes()}
        sources = self._endpoints(edge.get_source(), node_defaults, zone, depth)
        targets = self._endpoints(edge.get_destination(), node_defaults, zone, depth)
        ltail = self.zone_ids.get(unquote(attrs.get("ltail")))
        lhead = self.zone_ids.get(unquote(attrs.get("lhead")))
        direction = unquote(attrs.get("dir")) or ("forward" if self.directed else "none")
        label = label_text(attrs.get("label"), "", None) if attrs.get("label") else ""
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
                        dashed="dash" in unquote(attrs.get("style")) or "dot" in unquote(attrs.get("style")),
                        label=label,
                    )
                )


def _position(pos: str | None):
    match = re.match(r"\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)", unquote(pos)) if pos else None
    if not match:
        return None
    try:
        return (float(match.group(1)), -float(match.group(2)), 0.0, 0.0)  # DOT's y grows upwards
    except ValueError:
        return None
