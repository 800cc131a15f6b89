"""Mermaid flowcharts -> sketches: every fenced mermaid block of a Markdown file (`.md`,
`.mdx`, `.markdown`), or a whole `.mmd` / `.mermaid` file.

Each block is its own sketch, named `notes.md#block2` (blocks counted from 1, every
mermaid block counted, whatever its type) and placed at its fence's line; each node,
edge and subgraph keeps the file line it is written on (`Sketch.source_lines`, which
reporters/location.py turns into where a finding points). A block that
is not a flowchart (sequence, class, state, ER, Gantt, pie, mind map, C4...) is skipped
with the reason; a block that cannot be read is an error for that block alone.

How a block maps to the sketch: nodes are components labelled as written (HTML reduced
to text, `<br/>` and `\\n` as line breaks); subgraphs are zones (nested, titled); an edge
to a subgraph id is a connection of the zone; `-->`-style heads give direction, `---`
and `-.-` are undirected lines, `<-->` goes both ways, `--o` and `--x` point at their
end; `~~~` only spaces nodes and is no connection. Nodes of Mermaid's text and comment
shapes are notes, and so is the front matter's `title:`. A comment
`%% diagramcheck: kind ID KIND` tags node ID with a kind, and
`%% diagramcheck: ignore RULE reason` suppresses a rule, as a note does elsewhere.
"""

from __future__ import annotations

import re

from diagramcheck.errors import DiagramError
from diagramcheck.formats import NO_DRAWING
from diagramcheck.limits import LIMITS
from diagramcheck.readers.markdown import has_mermaid_fence, mermaid_blocks, prose
from diagramcheck.readers.mermaid_labels import clean_label
from diagramcheck.readers.mermaid_parser import FileBudget, Flowchart, StatementsOverLimit, diagram_kind, parse_block, preprocess
from diagramcheck.sketch import Ignored, Link, Part, Shape, Sketch, store_hint

_NOTE_SHAPES = frozenset(("brace", "brace-l", "brace-r", "braces", "comment", "note"))
# classes people give sticky notes (`:::note`, `class reqs note`): a note unless an edge touches it
_NOTE_CLASSES = frozenset(("note", "notes", "sticky", "stickynote", "sticky-note", "postit", "comment", "comments",
                           "annotation", "callout", "memo"))
_TEXT_SHAPES = frozenset(("text",))
_KIND_DIRECTIVE = re.compile(r"diagramcheck:\s*kind\s+(\S{1,200})\s+([A-Za-z_][\w-]{0,60})\s*$", re.I)


def holds_mermaid(data: bytes) -> bool:
    """Whether a Markdown file has a fenced mermaid block of any type, so the Mermaid reader
    takes it (and says why a block of another type is skipped); without parsing the diagrams."""
    if not has_mermaid_fence(data):  # the quick answer for most files
        return False
    return bool(mermaid_blocks(data.decode("utf-8", errors="replace")))


def holds_flowchart(data: bytes) -> bool:
    """Whether a Markdown file has a mermaid block that is a flowchart: what makes it a
    sketch for the folder walk (formats.py)."""
    if not has_mermaid_fence(data):
        return False
    return any(diagram_kind(preprocess(block.text, block.first_line)[0]) is None
               for block in mermaid_blocks(data.decode("utf-8", errors="replace")))


def looks_like_mermaid(head: bytes) -> bool:
    """A file of unknown type that starts like a Mermaid flowchart."""
    text = head.decode("utf-8", errors="ignore")
    lines = [line.strip() for line in text.split("\n")]
    first = next((line for line in lines if line and not line.startswith("%%")), "")
    return re.match(r"(flowchart|graph)(\s+(TB|TD|BT|RL|LR)\s*;?)?$", first) is not None


def read_parts(text: str, name: str, whole_file: bool, size: int | None = None) -> list[Part]:
    """Every part of a file: its Mermaid blocks (Markdown) or the one diagram (`.mmd`).
    `size`: the file's, in bytes (its text's length if not given)."""
    budget = FileBudget(len(text) if size is None else size)  # for the whole file: a block is no unit of cost
    if whole_file:
        return [_part(text, name, 1, None, budget)]
    fenced: list[tuple[int, int]] = []
    blocks = mermaid_blocks(text, fenced)
    if not blocks:
        raise DiagramError(NO_DRAWING)
    parts = [_part(b.text, f"{name}#block{b.number}", b.first_line, b.fence_line, budget) for b in blocks]
    around = prose(text, fenced)  # one string, shared by every block's sketch
    for part in parts:
        if part.sketch is not None:
            part.sketch.document_text = around
            part.sketch.excerpt = len(parts) > 1
    LIMITS.check_flowcharts(sum(1 for part in parts if part.sketch is not None), len(text))
    return parts


def _part(text: str, name: str, first_line: int, fence_line: int | None, budget: FileBudget) -> Part:
    part = Part(name=name, line=fence_line)
    try:
        chart = parse_block(text, first_line, budget)
    except StatementsOverLimit:
        raise  # the file's, not this block's
    except DiagramError as exc:
        part.error = str(exc)
        return part
    if isinstance(chart, str):
        part.skipped = f"{chart} (only flowchart and graph blocks are reviewed)"
        return part
    sketch = part.sketch = to_sketch(chart, name)
    sketch.line = fence_line
    sketch.warnings[:0] = chart.warnings
    part.warnings = sketch.warnings
    return part


def to_sketch(chart: Flowchart, name: str) -> Sketch:
    sketch = Sketch(path=name, format="mermaid", geometric=False)
    zone_ids = _zone_ids(chart, sketch)
    parent = _parents(chart, zone_ids, sketch)
    tags = _kind_tags(chart)
    vertices = chart.vertices
    for sub, zone_id in zip(chart.subgraphs, zone_ids):
        title = clean_label(sub.title)
        vertex = vertices.get(sub.id)
        if not sub.explicit_title and vertex is not None and vertex.text is not None:
            title = clean_label(vertex.text, vertex.markdown)  # `DF["Data processing"]` named the subgraph DF
        sketch.shapes.append(Shape(id=zone_id, type="subgraph", label=title, parent=parent.get(zone_id), is_zone=True))
        sketch.source_lines[zone_id] = sub.line
    subgraph_ids = {sub.id for sub in chart.subgraphs}
    for vertex in vertices.values():
        if vertex.id in subgraph_ids:
            if vertex.shape is not None:
                _warn(sketch, f"line {vertex.line}: node {vertex.id!r} has the id of a subgraph, so Mermaid "
                                       "draws only the subgraph (give the node another id)")
            continue
        if vertex.only_styled:
            _warn(sketch, f"line {vertex.line}: `style {vertex.id}` names a node no other statement draws; "
                                   "Mermaid adds it as a box")
        label = clean_label(vertex.text, vertex.markdown) if vertex.text is not None else clean_label(vertex.id)
        sketch.shapes.append(Shape(
            id=vertex.id, type=vertex.shape or "node", label=label, parent=parent.get(vertex.id),
            kind_tag=tags.get(vertex.id), is_note=vertex.shape in _NOTE_SHAPES,
            plain_text=vertex.shape in _TEXT_SHAPES or not _NOTE_CLASSES.isdisjoint(chart.classes.get(vertex.id, ())),
            **store_hint(vertex.shape),
        ))
        sketch.source_lines[vertex.id] = vertex.label_line or vertex.line
    for edge in chart.edges:
        if edge.stroke == "invisible":
            sketch.ignored.append(Ignored(id=f"edge{edge.index}", reason="~~~ is an invisible link: it spaces nodes, it connects nothing"))
            continue
        double = edge.type.startswith("double_")
        open_line = edge.type == "arrow_open"
        sketch.links.append(Link(
            id=f"edge{edge.index}", start=edge.start, end=edge.end, start_head=double, end_head=not open_line,
            is_line=open_line, dashed=edge.stroke == "dotted", label=clean_label(edge.text, edge.markdown),
        ))
        sketch.source_lines[f"edge{edge.index}"] = edge.line
    taken = {shape.id for shape in sketch.shapes}
    if chart.title:
        sketch.shapes.append(Shape(id=_free_id("title", taken), type="note", label=clean_label(chart.title), is_note=True))
    for line, comment in chart.directives:
        if re.match(r"diagramcheck:\s*ignore\b", comment, re.I):
            sketch.shapes.append(Shape(id=_free_id(f"comment-line-{line}", taken), type="note",
                                       label=comment[: LIMITS.max_label_chars], is_note=True))
    return sketch


def zone_ids(subgraphs: list) -> list[str]:
    """The zone id of each subgraph, in the parser's order: its id, made unique, since
    Mermaid keeps two subgraphs of the same id apart by position."""
    seen: dict[str, int] = {}
    out = []
    for sub in subgraphs:
        count = seen.get(sub.id, 0) + 1
        seen[sub.id] = count
        out.append(sub.id if count == 1 else f"{sub.id}~{count}")
    return out


def _zone_ids(chart: Flowchart, sketch: Sketch) -> list[str]:
    ids = zone_ids(chart.subgraphs)
    for sub, zone_id in zip(chart.subgraphs, ids):
        if zone_id != sub.id:
            _warn(sketch, f"line {sub.line}: a second subgraph named {sub.id!r}")
    return ids


def _parents(chart: Flowchart, zone_ids: list[str], sketch: Sketch) -> dict[str, str]:
    """Node or subgraph id -> the subgraph holding it. Mermaid lets a subgraph list its own
    parent (`subgraph O / subgraph I / O / end / end`); such a loop is cut where it closes."""
    first_zone = {}
    for sub, zone_id in zip(chart.subgraphs, zone_ids):
        first_zone.setdefault(sub.id, zone_id)
    parent: dict[str, str] = {}
    for sub, zone_id in zip(chart.subgraphs, zone_ids):
        for member in sub.nodes:
            target = first_zone.get(member, member)
            if target != zone_id and target not in parent:
                parent[target] = zone_id
    state: dict[str, int] = {}  # 1: on the current walk, 2: done
    for zone_id in zone_ids:
        walk = []
        node = zone_id
        while node is not None and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            up = parent.get(node)
            if up is not None and state.get(up) == 1:
                _warn(sketch, f"subgraph {up!r} and subgraph {node!r} each hold the other; read {node!r} as outermost")
                del parent[node]
                up = None
            node = up
        for node in walk:
            state[node] = 2
    return parent


def _kind_tags(chart: Flowchart) -> dict[str, str]:
    tags = {}
    for _, comment in chart.directives:
        match = _KIND_DIRECTIVE.match(comment)
        if match:
            tags[match.group(1)] = match.group(2).replace("-", "_")
    return tags


MAX_WARNINGS = 100


def _warn(sketch: Sketch, text: str) -> None:
    """At most MAX_WARNINGS per block: a generated block can repeat one mistake thousands of times."""
    if len(sketch.warnings) < MAX_WARNINGS:
        sketch.warnings.append(text)
    elif len(sketch.warnings) == MAX_WARNINGS:
        sketch.warnings.append("more warnings of the same kinds are left out")


def _free_id(wanted: str, taken: set[str]) -> str:
    candidate, n = wanted, 1
    while candidate in taken:
        n += 1
        candidate = f"{wanted}~{n}"
    taken.add(candidate)
    return candidate
