"""Graphviz DOT -> Sketch, with our own parser (dot_parser.py says why not pydot).

DOT states its structure, so the sketch it gives has no geometry to interpret:
nodes are shapes with their labels, clusters are zones, edges name their ends.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS
from diagramcheck.readers import dot_lexer, dot_parser
from diagramcheck.readers.dot_parser import Html, Subgraph
from diagramcheck.sketch import Link, Shape, Sketch, store_hint


def decode_dot(data: bytes) -> str:
    return decode_dot_as(data)[0]


def decode_dot_as(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with, to write it back in (`fix` keeps a
    `charset=latin1` file latin-1): latin-1 when the file says so or is not UTF-8 (what
    Graphviz itself falls back to), else UTF-8 (`utf-8-sig` when it starts with a byte order mark)."""
    head = data[:4096].decode("ascii", errors="ignore").lower()
    if re.search(r"charset\s*=\s*\"?(latin-?1|iso-?8859-?1)", head):
        return data.decode("latin-1"), "latin-1"
    try:
        return data.decode("utf-8-sig"), "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_dot(data: bytes, path: str) -> Sketch:
    text = decode_dot(data)
    if "\x00" in text:
        raise DiagramError("not a DOT file (binary data)")
    toks = dot_lexer.tokens(text)
    if not toks:
        raise DiagramError("empty DOT file")
    dot_lexer.check_depth(toks)
    graph = dot_parser.parse(text, toks)
    sketch = _Walker(path, graph.directed, len(data)).walk(graph.body)
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
    """A DOT label reduced to the text a reader sees, at most the label cap long (`\\N`
    copies the node's name in: without the cap, a short file could expand to gigabytes)."""
    cap = LIMITS.max_label_chars
    if raw is None:
        raw = "\\N"  # Graphviz's default label: the name, whose own escapes then apply ("a\nb" is two lines)
    if isinstance(raw, Html):
        return _html_text(raw[1:-1])[:cap]
    text = _expand_escapes(str(raw), node_name, cap)
    if shape in ("record", "Mrecord"):
        text = strip_tags(text)
        text = "\n".join(part.strip() for part in re.split(r"(?<!\\)[|{}]", text) if part.strip())
    return text.strip()


_ESCAPE = re.compile(r"\\(.)", re.S)


def _expand_escapes(text: str, node_name: str, cap: int) -> str:
    """Graphviz's label escapes, read left to right so that an escaped backslash stays one;
    the expansion stops once it reaches `cap` characters."""
    if "\\" not in text:
        return text[:cap]
    parts: list[str] = []
    size = done = 0
    name: str | None = None  # the name with its escapes read, worked out once (a label of many `\N`)
    for match in _ESCAPE.finditer(text):
        plain = text[done:match.start()]
        char = match.group(1)
        if char == "N":
            if name is None:
                name = _expand_escapes(node_name, "", cap) if "\\" in node_name else node_name[:cap]
            part = name
        else:
            part = _escape(char, node_name)
        parts += (plain, part)
        size += len(plain) + len(part)
        done = match.end()
        if size >= cap:
            return "".join(parts)[:cap]
    parts.append(text[done:])
    return "".join(parts)[:cap]


def _escape(char: str, node_name: str) -> str:
    if char in "nlr":
        return "\n"
    if char == "N":  # the name is substituted first, then read like the rest of the label (its own `\N` is empty)
        return node_name
    if char in "GETHL":
        return ""
    if char == "\\":
        return "\\"
    return "\\" + char


def strip_tags(markup: str) -> str:
    """`markup` without its `<...>` tags, as re.sub(r"<[^>]*>", "", markup) gives it, in
    linear time (that pattern scans to the end from every `<` when no `>` follows)."""
    out: list[str] = []
    done = 0
    while True:
        start = markup.find("<", done)
        end = markup.find(">", start + 1) if start != -1 else -1
        if end == -1:
            out.append(markup[done:])
            return "".join(out)
        out.append(markup[done:start])
        done = end + 1


_BREAK = re.compile(r"<\s*br\s*(?:/\s*)?>", re.I)  # `<br>`, `<br/>`, `< br / >`: each space one way only
_LINE_END = re.compile(r"</\s*(?:tr|p)\s*>", re.I)
_CELL_END = re.compile(r"</\s*td\s*>", re.I)


def _html_text(markup: str) -> str:
    markup = _BREAK.sub("\n", markup)
    markup = _LINE_END.sub("\n", markup)
    markup = _CELL_END.sub(" ", markup)
    text = html.unescape(strip_tags(markup))
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


@dataclass
class _Node:
    attrs: dict = field(default_factory=dict)
    zone: str | None = None
    depth: int = -1


@dataclass
class _Frame:
    """A subgraph being walked, and where in it: the statement in progress is a list of
    end groups (one per side of an edge), filled end by end."""

    sub: Subgraph
    node_defaults: dict
    edge_defaults: dict
    zone: str | None
    depth: int
    named: list[str] = field(default_factory=list)  # the nodes this subgraph names, in order
    index: int = 0  # the next statement
    statement: tuple = ()
    attrs: dict = field(default_factory=dict)  # the statement's attributes, for the nodes it names
    groups: list[list[str]] = field(default_factory=list)
    work: list[tuple[int, object]] | None = None  # (group, end) to resolve; None between statements
    position: int = 0
    waiting: int = 0  # the group a subgraph being walked belongs to

    def start(self, statement: tuple) -> None:
        kind = statement[0]
        if kind == "edge":
            sides, self.attrs = statement[1], {}
        elif kind == "subgraph":
            sides, self.attrs = [[statement[1]]], {}
        elif kind == "node":
            sides, self.attrs = [[statement[1]]], statement[2]
        else:  # nodes: a comma list
            sides, self.attrs = [statement[1]], statement[2]
        self.statement = statement
        self.groups = [[] for _ in sides]
        self.work = [(group, end) for group, ends in enumerate(sides) for end in ends]
        self.position = 0


class _Walker:
    def __init__(self, path: str, directed: bool, size: int) -> None:
        self.size = size
        self.allowed = max(LIMITS.dense_elements, size // LIMITS.bytes_per_element)
        self.sketch = Sketch(path=path, format="dot", geometric=False)
        self.nodes: dict[str, _Node] = {}
        self.zone_ids: dict[str, str] = {}
        self.edge_count = 0
        self.directed = directed
        self.offsets: dict[str, int] = {}  # element id -> offset of the statement that states it
        self.declared: set[str] = set()  # nodes whose own statement set their offset

    def walk(self, body: Subgraph) -> Sketch:
        self._scope(body)
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
                    **store_hint(shape),
                )
            )
        self.sketch.source_lines = self.offsets  # offsets until read_dot turns them into lines
        return self.sketch

    def _scope(self, body: Subgraph) -> None:
        """Walks the statements in order (defaults apply to what follows), subgraphs as
        they come. A loop over an explicit stack of frames, not recursion: the nesting depth
        comes from the input."""
        stack = [_Frame(body, {}, {}, None, 0)]
        finished: list[str] | None = None
        while stack:
            frame = stack[-1]
            if finished is not None:  # the subgraph this frame waited for: its nodes join the end group
                frame.groups[frame.waiting] += finished
                finished = None
            child = self._advance(frame)
            if child is None:
                stack.pop()
                finished = frame.named
            else:
                stack.append(child)

    def _advance(self, frame: _Frame) -> _Frame | None:
        """Walks the frame's statements until one names a subgraph (its frame is returned,
        to be walked first) or the statements end (None)."""
        while True:
            if frame.work is None:  # between statements
                if frame.index == len(frame.sub.statements):
                    return None
                statement = frame.sub.statements[frame.index]
                frame.index += 1
                kind = statement[0]
                if kind == "attr":
                    if statement[1] == "node":
                        frame.node_defaults.update(statement[2])
                    elif statement[1] == "edge":
                        frame.edge_defaults.update(statement[2])
                    continue
                if kind == "set":
                    continue
                frame.start(statement)
            statement = frame.statement
            while frame.position < len(frame.work):
                group, end = frame.work[frame.position]
                frame.position += 1
                if isinstance(end, Subgraph):
                    frame.waiting = group
                    return self._subgraph(end, frame)
                frame.groups[group] += self._end(end, frame)
                if statement[0] in ("node", "nodes"):
                    self._declared_at(end, statement[3])
            groups = frame.groups
            if statement[0] == "edge":
                attrs = {**frame.edge_defaults, **statement[2]}
                first_edge = self.edge_count + 1
                for sources, targets in zip(groups, groups[1:]):
                    self._edges(sources, targets, attrs)
                for number in range(first_edge, self.edge_count + 1):
                    self.offsets[f"e{number}"] = statement[3]
                for name in (n for group in groups for n in group):
                    self.offsets.setdefault(name, statement[3])  # mentioned first in an edge
            for group in groups:
                frame.named += group
            frame.work = None

    def _declared_at(self, name, offset: int) -> None:
        """A node's line is that of its first own statement (where its label is), else of its first mention."""
        if isinstance(name, str) and name not in self.declared:
            self.declared.add(name)
            self.offsets[name] = offset

    def _subgraph(self, sub: Subgraph, frame: _Frame) -> _Frame:
        inner = frame.zone
        if sub.name and sub.name.startswith("cluster"):
            zone_id = sub.name if sub.name not in self.nodes else f"{sub.name}~zone"
            self.zone_ids[sub.name] = zone_id
            label = label_text(_graph_label(sub), "", None) if _graph_label(sub) is not None else ""
            self.sketch.shapes.append(Shape(id=zone_id, type="cluster", label=label, parent=frame.zone, is_zone=True))
            inner = zone_id
        return _Frame(sub, dict(frame.node_defaults), dict(frame.edge_defaults), inner, frame.depth + 1)

    def _end(self, end: str, frame: _Frame) -> list[str]:
        if end in ("node", "edge", "graph"):
            return []
        node = self.nodes.get(end)
        if node is None:
            node = self.nodes[end] = _Node(attrs=dict(frame.node_defaults))
            if len(self.nodes) + self.edge_count > self.allowed:  # refused as it grows, not once it is all read
                LIMITS.check_density(len(self.nodes) + self.edge_count, self.size)
        if frame.attrs:
            node.attrs.update(frame.attrs)
        if frame.zone is not None and frame.depth > node.depth:
            node.zone, node.depth = frame.zone, frame.depth
        return [end]

    def _edges(self, sources: list[str], targets: list[str], attrs: dict) -> None:
        ltail = self.zone_ids.get(unquote(attrs.get("ltail")))
        lhead = self.zone_ids.get(unquote(attrs.get("lhead")))
        direction = unquote(attrs.get("dir")) or ("forward" if self.directed else "none")
        label = label_text(attrs.get("label"), "", None) if attrs.get("label") is not None else ""
        style = unquote(attrs.get("style"))
        # with ltail/lhead the edge is one of the zone's: {a b} -> {c d} [lhead=...] is one edge per tail
        if ltail:
            sources = sources[:1]
        if lhead:
            targets = targets[:1]
        LIMITS.check("DOT edge count (node lists and subgraphs expanded)",
                     self.edge_count + len(sources) * len(targets), LIMITS.max_edges)
        if len(self.nodes) + self.edge_count + len(sources) * len(targets) > self.allowed:
            LIMITS.check_density(len(self.nodes) + self.edge_count + len(sources) * len(targets), self.size)
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
