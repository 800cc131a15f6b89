"""Mermaid in, Mermaid out: the corrected copy of a Markdown file (or `.mmd`) is the file
byte for byte, with each reviewed block's fix plan written inside that block.

An added node whose plan puts it in a zone the block draws as a subgraph is declared
inside that subgraph, just before its `end` (Mermaid cannot reopen a subgraph: a second
`subgraph ID` is another subgraph); every other addition is appended at the end of the
block: the nodes with their labels, a comment tagging each added node's kind (so the copy
reads back as exactly the planned graph), the added edges as dotted arrows. Both get the
`diagramcheck` class, dashed red, through `classDef` and `linkStyle` (the edge numbers
count every edge Mermaid makes in the block, `~~~` included). An arrow the plan asks to
remove stays as drawn, and a comment says what to change. A subgraph the block left open
is closed first, so the appended statements stay outside every subgraph. Nothing of the
user's is changed or moved: the additions are only inserted.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from diagramcheck.errors import DiagramError
from diagramcheck.formats import DOCUMENTS
from diagramcheck.model import ComponentGraph
from diagramcheck.plan import FixPlan
from diagramcheck.readers.markdown import Block, mermaid_blocks
from diagramcheck.readers.mermaid import zone_ids
from diagramcheck.readers.mermaid_parser import parse_block
from diagramcheck.sketch import cap_id, full_ids
from diagramcheck.words import plural
from diagramcheck.writers.corrected import ADDED_COLOUR

CLASS = "diagramcheck"
CLASS_DEF = f"classDef {CLASS} fill:#fff5f5,stroke:{ADDED_COLOUR},stroke-width:2px,stroke-dasharray:5 5,color:#c92a2a"
LINK_STYLE = f"stroke:{ADDED_COLOUR},stroke-width:2px,stroke-dasharray:5 5"
_SAFE_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*")
_BOM = "\ufeff"


@dataclass
class MermaidFix:
    data: bytes
    sketches: list = field(default_factory=list)  # what `planned` gave for each block reviewed, in block order
    errors: list[tuple[str, str]] = field(default_factory=list)  # (block, reason): blocks that could not be read
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (block, message): blocks read tolerantly


def correct_file(path: Path, data: bytes, block: int | None, lexicon, planned: Callable[[ComponentGraph], object]) -> MermaidFix:
    """Review every flowchart block (or only `block`) with `planned` (graph -> an object with
    `.graph` and `.plan`), and write the copy with each block's plan."""
    from diagramcheck.pipeline import parts_from_bytes

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise DiagramError("not UTF-8 text") from None
    bom, text = (_BOM, text[1:]) if text.startswith(_BOM) else ("", text)
    whole = not path.name.lower().endswith(DOCUMENTS)
    parts = parts_from_bytes(data, str(path), lexicon)
    if block is not None and not 1 <= block <= len(parts):
        raise DiagramError(f"has no Mermaid block {block} (it has {len(parts)})")
    result = MermaidFix(data=b"")
    plans: dict[int, tuple[ComponentGraph, FixPlan]] = {}
    for number, (part, graph) in enumerate(parts, 1):
        if block is not None and number != block:
            continue
        result.warnings += [(part.name, warning) for warning in part.warnings]
        if part.error is not None:
            result.errors.append((part.name, part.error))
        if graph is None:
            continue
        done = planned(graph)
        result.sketches.append(done)
        plans[number] = (done.graph, done.plan)
    result.data = (bom + corrected_mermaid(text, whole, plans)).encode("utf-8")
    return result


def corrected_mermaid(text: str, whole_file: bool, plans: dict[int, tuple[ComponentGraph, FixPlan]]) -> str:
    """`text` with each planned block corrected. `plans` maps a block number (1 for a whole
    `.mmd` file) to its graph and fix plan."""
    blocks = [_whole(text)] if whole_file else mermaid_blocks(text)
    out: list[str] = []
    pos = 0
    for block in blocks:
        planned = plans.get(block.number)
        if planned is None or planned[1].empty:
            continue
        out.append(text[pos : block.start])
        out.append(corrected_block(text[block.start : block.end], block, *planned))
        pos = block.end
    out.append(text[pos:])
    return "".join(out)


def corrected_block(raw: str, block: Block, graph: ComponentGraph, plan: FixPlan) -> str:
    """A block's content as written (`raw`, its fence's indentation included) with the plan
    inserted: nodes in their subgraphs, the rest appended."""
    chart = parse_block(block.text, block.first_line)
    if isinstance(chart, str):
        raise DiagramError(f"block {block.number} is {chart}, not a flowchart")
    newline = "\r\n" if "\r\n" in block.text else block.newline
    raw_lines = raw.split("\n")
    plain_lines = block.text.split("\n")  # the same lines, the fence's indentation removed
    opened = len(chart.subgraphs) - chart.open_subgraphs  # subgraphs from here on are closed by the block's end
    where = {cap_id(zone): k for k, zone in enumerate(zone_ids(chart.subgraphs))  # the graph knows long ids capped
             if k >= opened or _is_end(plain_lines, chart.subgraphs[k].end, block.first_line)}
    inside: dict[int, list[str]] = {}  # index of a subgraph in chart.subgraphs -> node statements
    loose = []
    for component in plan.components:
        k = where.get(component.zone_id or "")
        if k is None:
            loose.append(_node(component))
        else:
            inside.setdefault(k, []).append(_node(component))
    closed_in_text = sorted(((chart.subgraphs[k].end, nodes) for k, nodes in inside.items() if k < opened),
                            reverse=True)  # bottom up, right to left: what is left to do keeps its place
    for (line, column), nodes in closed_in_text:
        i = line - block.first_line
        at = column + len(raw_lines[i]) - len(plain_lines[i])
        before = raw_lines[i][:at]
        if before.strip():  # `...; end` on one line
            raw_lines[i] = before + "; ".join(nodes) + "; " + raw_lines[i][at:]
        else:
            ending = "\r" if raw_lines[i].endswith("\r") else ""
            raw_lines[i:i] = [_body_indent(raw_lines, i, before) + node + ending for node in nodes]
    raw = "\n".join(raw_lines)
    lines = [""]
    if chart.open_subgraphs:
        lines += [f"%% diagramcheck: closing {chart.open_subgraphs} subgraph(s) the block left open"]
        for k in range(opened, len(chart.subgraphs)):  # innermost first, as the parser closed them
            lines += inside.get(k, []) + ["end"]
    lines += _appended(chart, graph, plan, loose, full_ids(chart.vertices))
    indent = block.indent + _statement_indent(block.text)
    head = "" if not raw or raw.endswith("\n") else newline
    return raw + head + "".join(indent * bool(line) + line + newline for line in lines)


def _body_indent(lines: list[str], end: int, end_indent: str) -> str:
    """The indentation of the statement above a subgraph's `end` line, when deeper than the
    `end` (the subgraph's body), else one level more than the `end`."""
    for line in reversed(lines[:end]):
        if line.strip():
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            return indent if len(indent) > len(end_indent) else end_indent + "    "
    return end_indent + "    "


def _is_end(lines: list[str], end: tuple[int, int] | None, first_line: int) -> bool:
    """Whether the parser's place for a subgraph's `end` is one in these lines (it is,
    unless a lone carriage return made the parser count lines differently)."""
    if end is None or not 0 <= end[0] - first_line < len(lines):
        return False
    line = lines[end[0] - first_line]
    return line.startswith("end", end[1]) and not line[end[1] + 3 : end[1] + 4].strip(" \t\r;")


def _node(component) -> str:
    return f"{mermaid_id(component.id)}[{_quoted(component.label)}]:::{CLASS}"


def _appended(chart, graph: ComponentGraph, plan: FixPlan, loose: list[str], full: dict[str, str]) -> list[str]:
    """The statements appended to the block; `full` gives the id a node has in the block
    for one the graph knows capped (sketch.full_ids)."""
    names = {c.id: c.label for c in graph.components} | {c.id: c.label for c in plan.components}
    lines = [f"%% diagramcheck: added by the review (dashed red): {plural(len(plan.components), 'component')}, "
             f"{plural(len(plan.connections), 'connection')}"]
    lines += loose
    lines += [f"%% diagramcheck: kind {mermaid_id(c.id)} {c.kind}" for c in plan.components]
    for conn in plan.connections:
        label = f"|{_quoted(conn.label)}|" if conn.label else ""
        lines.append(f"{mermaid_id(full.get(conn.source, conn.source))} -.->{label} {mermaid_id(full.get(conn.target, conn.target))}")
    for removal in plan.removals:
        lines.append(f"%% diagramcheck: {_comment(removal.note)} ({_comment(names.get(removal.source, removal.source))} -> "
                     f"{_comment(names.get(removal.target, removal.target))}, {removal.rule})")
    if plan.components:
        lines.append(CLASS_DEF)
    if plan.connections:
        first_edge = len(chart.edges)
        numbers = ",".join(str(first_edge + i) for i in range(len(plan.connections)))
        lines.append(f"linkStyle {numbers} {LINK_STYLE}")
    return lines


def mermaid_id(node_id: str) -> str:
    """Ids are written as they are (they are the user's, or fix ids such as
    `fix-feature-store-fs`); an id Mermaid could misread has its odd characters replaced."""
    if _SAFE_ID.fullmatch(node_id) and node_id != "end":
        return node_id
    return "dc_" + re.sub(r"[^A-Za-z0-9_]", "_", node_id)


def _quoted(label: str) -> str:
    """A quoted Mermaid label that reads back as `label`: entities for what HTML or Mermaid
    would take as markup, <br/> for line breaks."""
    text = re.sub(r"#(?=[A-Za-z0-9]{1,31};)", "#35;", html.escape(label, quote=False))
    text = text.replace('"', "#quot;")
    return '"' + "<br/>".join(text.split("\n")) + '"'


def _comment(text: str) -> str:
    return " ".join(text.split())[:200]


def _statement_indent(text: str) -> str:
    """The indentation of the block's statements (what follows its first line), else four spaces."""
    for line in text.split("\n")[1:]:
        if line.strip() and not line.lstrip().startswith("%%"):
            return line[: len(line) - len(line.lstrip(" \t"))] or ""
    return "    "


def _whole(text: str) -> Block:
    newline = "\r\n" if "\r\n" in text[:10_000] else "\n"
    return Block(number=1, fence_line=1, first_line=1, text=text, start=0, end=len(text), indent="", newline=newline)

