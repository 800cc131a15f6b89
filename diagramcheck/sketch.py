"""The format-neutral sketch: what a reader saw, before any interpretation.

Readers fill it; `build.py` turns it into the typed component graph. Geometry is in
scene coordinates (Excalidraw) or absent (DOT, which states its structure outright).
"""

from __future__ import annotations

from dataclasses import dataclass, field

BBox = tuple[float, float, float, float]  # x, y, width, height
Point = tuple[float, float]


@dataclass(slots=True)
class Shape:
    """A drawn shape that may become a component or a zone."""

    id: str
    type: str  # rectangle, ellipse, diamond, image, frame, node (DOT), ...
    bbox: BBox | None = None
    angle: float = 0.0
    dashed: bool = False
    group_ids: tuple[str, ...] = ()
    parent: str | None = None  # explicit container: Excalidraw frameId, DOT cluster
    label: str | None = None  # stated label (DOT label, frame name); None = find it
    kind_tag: str | None = None  # explicit kind (customData, DOT kind=)
    is_zone: bool = False  # frames and clusters are zones by declaration
    is_note: bool = False  # DOT shape=note
    plain_text: bool = False  # DOT shape=plaintext/plain/none: a note unless an edge touches it
    kind_hint: str | None = None  # kind its icon suggests (draw.io), used when the label names none
    icon_name: str | None = None  # what its icon depicts (draw.io): the label when no text is found


@dataclass(slots=True)
class Text:
    id: str
    text: str
    bbox: BBox | None = None
    angle: float = 0.0
    font_size: float = 20.0
    container: str | None = None  # containerId: shape or arrow it labels
    group_ids: tuple[str, ...] = ()
    parent: str | None = None
    kind_tag: str | None = None


@dataclass(slots=True)
class Link:
    """An arrow or line, or a DOT edge (no points, explicit ends)."""

    id: str
    points: list[Point] | None = None  # absolute, already rotated
    start: str | None = None  # bound element id (startBinding / DOT tail)
    end: str | None = None
    start_head: bool = False
    end_head: bool = True
    is_line: bool = False  # plain line element (not an arrow)
    dashed: bool = False
    elbowed: bool = False
    group_ids: tuple[str, ...] = ()
    label: str | None = None  # stated label (DOT); Excalidraw labels come as Text


@dataclass(slots=True)
class Ignored:
    id: str
    reason: str


@dataclass(slots=True)
class Sketch:
    path: str
    format: str  # excalidraw, excalidraw-svg, excalidraw-png, obsidian, dot, drawio, drawio-png, drawio-svg, mermaid
    shapes: list[Shape] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)
    geometric: bool = True  # False for DOT and Mermaid: structure is stated, not drawn
    decorations: list[Shape] = field(default_factory=list)  # freedraw, lone lines: icon parts
    warnings: list[str] = field(default_factory=list)  # what the reader wants the user to know
    bindings_exact: bool = False  # draw.io: a bound end is where the app draws it; never second-guessed
    source_lines: dict[str, int] = field(default_factory=dict)  # element id -> 1-based line in the file (text formats)
    line: int | None = None  # where the sketch starts in its file (a Mermaid block of a Markdown file)


@dataclass(slots=True)
class Part:
    """One sketch of a file: a Mermaid block of a Markdown file, or the whole file."""

    name: str  # what reports call it: "notes.md#block2", or the file's name as given
    line: int | None = None  # where it starts in the file (a Mermaid block's fence)
    sketch: Sketch | None = None
    error: str | None = None  # this part could not be read; the file's other parts still are
    skipped: str | None = None  # not a diagram diagramcheck reviews, and why
    warnings: list[str] = field(default_factory=list)  # what was read tolerantly
