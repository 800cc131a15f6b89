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
    kind_hint: str | None = None  # kind its icon or outline suggests, used when the label names none
    icon_name: str | None = None  # what its icon depicts (draw.io): the label when no text is found
    drawn_as: str | None = None  # the outline behind a kind_hint without an icon: "a cylinder"


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
    callout: bool = False  # draw.io: a callout's text, `container` the shape its pointer names (build.py)


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
    unread_links: list[str] = field(default_factory=list)  # connectors drawn but left unread rather than guessed
    bindings_exact: bool = False  # draw.io: a bound end is where the app draws it; never second-guessed
    source_lines: dict[str, int] = field(default_factory=dict)  # element id -> 1-based line in the file (text formats)
    line: int | None = None  # where the sketch starts in its file (a Mermaid block of a Markdown file)
    excerpt: bool = False  # one of several diagrams of one document: a view of a larger design
    document_text: str = ""  # the prose of the Markdown document the diagram sits in


@dataclass(slots=True)
class Part:
    """One sketch of a file: a Mermaid block of a Markdown file, or the whole file."""

    name: str  # what reports call it: "notes.md#block2", or the file's name as given
    line: int | None = None  # where it starts in the file (a Mermaid block's fence)
    sketch: Sketch | None = None
    error: str | None = None  # this part could not be read; the file's other parts still are
    skipped: str | None = None  # not a diagram diagramcheck reviews, and why
    warnings: list[str] = field(default_factory=list)  # what was read tolerantly


def within_limits(sketch: Sketch, max_label: int) -> Sketch:
    """Every label cut to `max_label` characters and every id, and every reference to one,
    to `MAX_ID`: once, here, for every reader alike (a DOT node name or a frame name is as
    much input as an Excalidraw text)."""
    for shape in sketch.shapes:
        _cap_shape(shape, max_label)
    for shape in sketch.decorations:
        _cap_shape(shape, max_label)
    for text in sketch.texts:
        if len(text.text) > max_label:
            text.text = text.text[:max_label]
        text.id, text.container, text.parent = cap_id(text.id), cap_id(text.container), cap_id(text.parent)
        text.group_ids = _cap_ids(text.group_ids)
        text.kind_tag = _cap_tag(text.kind_tag)
    for link in sketch.links:
        if link.label is not None and len(link.label) > max_label:
            link.label = link.label[:max_label]
        link.id, link.start, link.end = cap_id(link.id), cap_id(link.start), cap_id(link.end)
        link.group_ids = _cap_ids(link.group_ids)
    for item in sketch.ignored:
        item.id = cap_id(item.id)
    if any(len(key) > MAX_ID for key in sketch.source_lines):
        sketch.source_lines = {cap_id(key): line for key, line in sketch.source_lines.items()}
    return sketch


MAX_ID = 200
_MAX_TAG = 64  # a kind tag names a kind: longer is a mistake, reported as unknown


def cap_id(value: str | None) -> str | None:
    """`value` if it is at most MAX_ID long, else its start and a digest of the whole:
    distinct long ids stay distinct, and capping twice changes nothing."""
    if value is None or len(value) <= MAX_ID:
        return value
    import hashlib

    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{value[:MAX_ID - 17]}~{digest}"


def full_ids(ids) -> dict[str, str]:
    """Capped id -> the id as the file writes it, for those of `ids` that cap_id shortens:
    a corrected copy refers to the user's elements by the file's ids, which the graph
    knows capped (written capped, an id would name a new node)."""
    return {cap_id(i): i for i in ids if isinstance(i, str) and len(i) > MAX_ID}


def _cap_shape(shape: Shape, max_label: int) -> None:
    if shape.label is not None and len(shape.label) > max_label:
        shape.label = shape.label[:max_label]
    shape.id, shape.parent = cap_id(shape.id), cap_id(shape.parent)
    shape.group_ids = _cap_ids(shape.group_ids)
    shape.kind_tag = _cap_tag(shape.kind_tag)


def _cap_ids(ids: tuple[str, ...]) -> tuple[str, ...]:
    if all(len(i) <= MAX_ID for i in ids):  # nearly always: no new tuple
        return ids
    return tuple(cap_id(i) for i in ids)


def _cap_tag(tag: str | None) -> str | None:
    return tag if tag is None or len(tag) <= _MAX_TAG else tag[:_MAX_TAG]


# The outlines every format draws a store with: a cylinder is a database to any reader, whatever
# its label says ("dictionary", "Promo calendar"); the label decides first when it names a kind.
STORE_OUTLINES = frozenset({
    "cylinder", "cyl", "db", "database", "datastore", "data-store",  # Mermaid, DOT
    "lin-cyl", "disk", "lined-cylinder", "h-cyl", "das", "horizontal-cylinder",
    "cylinder2", "cylinder3", "mxgraph.flowchart.database", "mxgraph.flowchart.stored_data",  # draw.io
})


def store_hint(outline: str | None) -> dict:
    """The Shape fields for a shape drawn with `outline`: a database hint for a store's outline."""
    if outline and outline.lower() in STORE_OUTLINES:
        return {"kind_hint": "database", "drawn_as": "a cylinder"}
    return {}

