"""Where a finding points, for the formats that show a place (SARIF, GitHub annotations,
the one-line format): the file, and the source line where the format has lines (DOT: the
statement of the node, or of the edge a path finding starts with; Mermaid: the same, in
the Markdown file that holds the block, else the block's fence), else the ids of the
drawing's elements (Excalidraw, draw.io), which the app's search and the JSON report both
know. The one place source positions are turned into a location: readers record them in
`Sketch.source_lines` and `Sketch.line`, the graph carries them here."""

from __future__ import annotations

from dataclasses import dataclass

from diagramcheck.engine import Finding
from diagramcheck.formats import split_block_name
from diagramcheck.model import ComponentGraph

MAX_ELEMENTS = 3


@dataclass(frozen=True)
class Location:
    path: str  # the file: a Mermaid block `notes.md#block2` points into `notes.md`
    line: int | None  # 1-based, None where the format has no lines for it
    elements: tuple[str, ...]  # source element ids of what the finding names

    @property
    def line_or_first(self) -> int:
        return self.line or 1

    def suffix(self) -> str:
        """What to add to a message when no line says where: ' (element a1b2c3)'."""
        if self.line is not None or not self.elements:
            return ""
        more = "s" if len(self.elements) > 1 else ""
        return f" (element{more} {', '.join(self.elements)})"


def source_file(graph: ComponentGraph) -> str:
    """The file a graph was read from: its path, less a Mermaid block's `#blockN`."""
    return split_block_name(graph.path)[0] if graph.line is not None else graph.path


def error_place(path: str, message: str) -> tuple[str, str]:
    """The file and message of a file that could not be reviewed: a Mermaid block points at
    its Markdown file and says which block."""
    file, block = split_block_name(path)
    return file, message if block is None else f"block {block}: {message}"


def locate(graph: ComponentGraph, finding: Finding) -> Location:
    lines = graph.source_lines
    by_id = graph.by_id
    elements: list[str] = []
    for component_id in finding.components:
        component = by_id.get(component_id)
        for source in component.sources if component is not None else ():
            if source not in elements:
                elements.append(source)
    line = None
    if lines:
        line = _path_line(graph, finding.path) or next((lines[e] for e in elements if e in lines), None)
    return Location(source_file(graph), line or graph.line, tuple(elements[:MAX_ELEMENTS]))


def _path_line(graph: ComponentGraph, path: list[str]) -> int | None:
    """The line of the first connection along a path the finding names."""
    if len(path) < 2:
        return None
    first, second = path[0], path[1]
    for connection in graph.connections:
        if connection.id in graph.source_lines and (
            (connection.source, connection.target) == (first, second)
            or (not connection.directed and (connection.target, connection.source) == (first, second))
        ):
            return graph.source_lines[connection.id]
    return None
