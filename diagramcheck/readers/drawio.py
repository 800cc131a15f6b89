"""draw.io (diagrams.net) page -> Sketch.

A page is a flat list of cells linked by `parent`: layers under the root, vertices and
edges under a layer or a container, edge labels under their edge. A vertex's geometry
is relative to its parent vertex, so absolute boxes are computed walking up the
parents. What the reader decides here (the rest is build.py's, as for Excalidraw):

- a vertex with a label is a shape with that text bound to it (HTML reduced to text);
  a `text` cell, or a vertex drawn with neither stroke nor fill, is a free text;
- swimlanes and `container=1` cells (empty, or holding more than text) and any cell
  holding labelled shapes are zones, and so is a group of two or more labelled shapes
  that has a title or an edge ending at it; other groups (an icon and its caption, a selection grouped to move it) are
  Excalidraw-style groups;
- an edge's ends are its `source`/`target` when set (exact: the app draws them there),
  else its end points, attached by geometry; its labels are its value and its
  `edgeLabel` children; arrowheads come from `startArrow`/`endArrow`;
- a straight block-arrow shape (`singleArrow`, `doubleArrow`, a `flexArrow` vertex,
  `mxgraph.arrows2.arrow`...) is a connection when each of its two ends touches or
  points at a shape, found unambiguously (drawio_arrows.py); a free text on it is its
  label. One whose end touches nothing or is ambiguous, and bent or many-way ones, are
  set aside with the reason, as are tables; a page drawn with such arrows says so;
- a speech-bubble callout whose pointer's tip lands on exactly one shape names it
  (drawio_callouts.py): its text goes to that shape (build.py decides label or remark),
  the boxes and texts drawn in it are ignored, and ends at it are at the shape.
"""

from __future__ import annotations

import html
import itertools
import math
import re
from dataclasses import dataclass
from xml.etree.ElementTree import Element

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS
from diagramcheck import geometry
from diagramcheck.readers import drawio_arrows, drawio_callouts, drawio_icons
from diagramcheck.readers.dot import strip_tags
from diagramcheck.readers.drawio_file import choose_page, page_model, read_document
from diagramcheck.sketch import BBox, Ignored, Link, Point, Shape, Sketch, Text, store_hint

KIND_ATTRIBUTE = "diagramcheck_kind"  # a UserObject/object property: the component's kind
_BLOCK_ARROWS = ("mxgraph.arrows2.", "mxgraph.arrows.", "singlearrow", "doublearrow", "flexarrow", "mxgraph.basic.arrow")
_TABLES = ("table", "tablerow", "partialrectangle")
_NO_ARROW = ("none", "")
# `<br>`, `<br/>`, `< br / >`, `<div ...>`, `</p>`: each space one way only (`\s*/?\s*` would
# try every split of a run of spaces)
_BR = re.compile(r"<\s*br\s*(?:/\s*)?>|<\s*(?:/\s*)?(?:div|p|li|tr|h[1-6])\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_PLACEHOLDER = re.compile(r"%([A-Za-z0-9_]{1,64})%")


@dataclass
class Cell:
    id: str
    label: str
    style: dict[str, str]
    names: frozenset[str]  # bare style names: text, ellipse, swimlane, edgeLabel, group...
    vertex: bool
    edge: bool
    parent: str | None
    source: str | None
    target: str | None
    geometry: Element | None
    kind_tag: str | None
    visible: bool
    order: int


def read_drawio(data: bytes, name: str, fmt: str, page: str | None = None) -> Sketch:
    document = read_document(data)
    chosen, note = choose_page(document, name, page)
    sketch = Sketch(path=name, format=fmt, bindings_exact=True)
    if note:
        sketch.warnings.append(note)
    _PageReader(page_model(chosen), sketch).read()
    return sketch


def parse_style(text: str | None) -> tuple[dict[str, str], frozenset[str]]:
    style: dict[str, str] = {}
    names = set()
    for item in (text or "").split(";")[:500]:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not key:
            continue
        if sep:
            style[key] = value.strip()
        else:
            names.add(key)
    return style, frozenset(names)


def label_text(value: str, is_html: bool) -> str:
    """What a label shows: HTML reduced to its text (line breaks kept), entities decoded."""
    if is_html:
        # every tag ends with a `>`: what follows the last one is text, and no pattern is
        # tried from each `<` of it to the end (quadratic on a label of `<<<...`)
        last = value.rfind(">") + 1
        value = strip_tags(_BR.sub("\n", value[:last])) + value[last:]
        value = html.unescape(value)
    lines = [_SPACES.sub(" ", line).strip() for line in value.replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line)[: LIMITS.max_label_chars]


def cells_of(model: Element) -> list[Cell]:
    root = next((child for child in model if child.tag == "root"), None)
    if root is None:
        raise DiagramError("draw.io page has no <root> of cells")
    cells: list[Cell] = []
    seen: set[str] = set()
    for order, element in enumerate(root):
        if order >= LIMITS.max_elements:
            LIMITS.check("cell count", order + 1, LIMITS.max_elements)
        if element.tag == "mxCell":
            cell, attributes = element, element.attrib
            value = element.get("value") or ""
        elif element.tag in ("UserObject", "object"):
            cell = next((child for child in element if child.tag == "mxCell"), None)
            if cell is None:
                continue
            attributes = element.attrib
            value = element.get("label") or ""
            if element.get("placeholders") == "1":
                value = _placeholders(value, attributes)
        else:
            continue
        cell_id = attributes.get("id") or f"cell-{order}"  # a long one is capped with its references (sketch.within_limits)
        if cell_id in seen:
            cell_id = f"{cell_id}~{order}"
        seen.add(cell_id)
        style, names = parse_style(cell.get("style"))
        geometry = next((child for child in cell if child.get("as") == "geometry"), None)
        cells.append(Cell(
            id=cell_id,
            label=label_text(value, style.get("html") == "1"),
            style=style,
            names=names,
            vertex=cell.get("vertex") == "1",
            edge=cell.get("edge") == "1",
            parent=cell.get("parent"),
            source=cell.get("source"),
            target=cell.get("target"),
            geometry=geometry,
            kind_tag=attributes.get(KIND_ATTRIBUTE) or None,
            visible=cell.get("visible") != "0",
            order=order,
        ))
    return cells


def vertex_boxes(model: Element) -> tuple[list[Cell], dict[str, BBox]]:
    """A page's cells, and the absolute box of each vertex that is shown (its geometry
    relative to its parents', added up as the reader does): what a writer must keep clear of
    and where it may add children. Edge labels are left out, like hidden and collapsed cells."""
    reader = _PageReader(model, Sketch(path="", format="drawio"))
    boxes: dict[str, BBox] = {}
    for cell in reader.cells:
        parent = reader.by_id.get(cell.parent or "")
        if not cell.vertex or (parent is not None and parent.edge) or not cell.visible or reader._hidden(cell):
            continue
        boxes[cell.id] = reader.box(cell)
    return reader.cells, boxes


def _placeholders(value: str, attributes: dict[str, str]) -> str:
    """`%name%` replaced by the object's property `name`, as the app shows it, up to the
    label cap: a label of thousands of `%x%` naming a long property would otherwise be
    thousands of copies of it."""
    out: list[str] = []
    size, done = 0, 0
    for match in _PLACEHOLDER.finditer(value):
        piece = value[done:match.start()] + attributes.get(match.group(1), match.group(0))
        out.append(piece)
        size += len(piece)
        done = match.end()
        if size >= LIMITS.max_label_chars:
            return "".join(out)[: LIMITS.max_label_chars]
    out.append(value[done:])
    return "".join(out)


def _num(element: Element | None, key: str, default: float = 0.0) -> float:
    if element is None:
        return default
    try:
        value = float(element.get(key, default))
    except (TypeError, ValueError):
        return default
    return value if math.isfinite(value) and -1e9 <= value <= 1e9 else default


def _point(element: Element | None) -> Point | None:
    if element is None or (element.get("x") is None and element.get("y") is None):
        return None
    return (_num(element, "x"), _num(element, "y"))


class _PageReader:
    def __init__(self, model: Element, sketch: Sketch) -> None:
        self.sketch = sketch
        self.cells = cells_of(model)
        self.by_id = {c.id: c for c in self.cells}
        self.children: dict[str, list[Cell]] = {}
        for cell in self.cells:
            if cell.parent:
                self.children.setdefault(cell.parent, []).append(cell)
        self.edge_ends = {end for c in self.cells if c.edge for end in (c.source, c.target) if end}
        self.origins: dict[str, Point] = {}
        self.boxes: dict[str, BBox] = {}
        self.inherited: dict[str, dict] = {}  # what -> cell id -> its value (_inherited)
        self.tables = 0
        self.arrow_links: dict[str, tuple[Link, Text | None] | str] = {}  # block arrow -> its link, or why not
        self.arrow_labels: set[str] = set()  # free texts read as a block arrow's label
        self.caption_of: dict[str, str | None] = {}  # free text -> the shape it is beside, if any
        self.arrow_pieces: dict[str, str] = {}  # plain box -> the block arrow it is drawn as a leg of
        self.callout_names: dict[str, tuple[str, str, BBox]] = {}  # callout -> (the shape it names, its name, its body)
        self.callout_around: dict[str, tuple[str, str]] = {}  # callout -> (a text cell, the titles of the boxes its name is drawn in)
        self.callout_parts: dict[str, str] = {}  # a box or text drawn in a naming callout -> the callout
        self.named: dict[str, str] = {}  # a naming callout, or a part of it -> the shape it names

    def read(self) -> None:
        kinds = {c.id: self._role(c) for c in self.cells}
        self.roles = kinds
        zones = {c.id for c in self.cells if kinds[c.id] in ("shape", "group-cell") and self._is_zone(c)}
        self.zones = zones
        self._callouts()
        around_ids = {text_id for text_id, _ in self.callout_around.values()}  # read with their callout's name
        self._block_arrows()
        for cell in self.cells:
            role = kinds[cell.id]
            if role in ("root", "layer", "edge-label", "group") or (role == "group-cell" and cell.id not in zones):
                continue
            if not cell.visible or self._hidden(cell):
                self.sketch.ignored.append(Ignored(cell.id, "hidden cell"))
            elif cell.id in self.callout_names:
                target, name, body = self.callout_names[cell.id]
                self.sketch.texts.append(Text(id=cell.id, text=name, bbox=body, font_size=_font(cell), container=target,
                                              callout=True))
                if cell.id in self.callout_around:  # after the name: the shape's remark on where it runs
                    text_id, around = self.callout_around[cell.id]
                    self.sketch.texts.append(Text(id=f"{text_id}" if text_id != cell.id else f"{cell.id}#title", text=around,
                                                  bbox=body, font_size=_font(cell), container=target, callout=True))
            elif cell.id in around_ids:
                continue  # the titles around a callout's name, read with it (above)
            elif cell.id in self.callout_parts:
                callout = self.callout_parts[cell.id]
                self.sketch.ignored.append(Ignored(cell.id, f"drawn in callout {callout}, whose pointer names "
                                                            f"{self.callout_names[callout][0]}: part of that name"))
            elif role == "edge":
                self._edge(cell)
            elif role == "block-arrow":
                read = self.arrow_links.get(cell.id, "")
                if isinstance(read, tuple):
                    self.sketch.links.append(read[0])
                    if read[1] is not None:
                        self.sketch.texts.append(read[1])
                    continue
                self.sketch.ignored.append(Ignored(cell.id, f"block-arrow shape {cell.id}: {read}"))
                if "rather than guessed" in read:
                    self.sketch.unread_links.append(cell.id)
                if cell.label:
                    self._free_text(cell)
            elif role == "table":
                self.sketch.ignored.append(Ignored(cell.id, "table cell: a table (matrix) is not read as a graph"))
                if cell.label:
                    self._free_text(cell)
            elif role == "line":
                self.sketch.ignored.append(Ignored(cell.id, "line shape (a separator), not a connector"))
            elif role == "text":
                if cell.id not in self.arrow_labels:
                    self._free_text(cell)
            elif cell.id in self.arrow_pieces:
                self.sketch.ignored.append(Ignored(cell.id, f"a leg of block arrow {self.arrow_pieces[cell.id]} "
                                                            "drawn in pieces (a bent arrow), not a box"))
            else:
                self._shape(cell, cell.id in zones)
        self._report_non_graph()

    # --- what each cell is ----------------------------------------------------------

    def _role(self, cell: Cell) -> str:
        if cell.parent is None or cell.parent == "":
            return "root"
        parent = self.by_id.get(cell.parent)
        if not cell.vertex and not cell.edge:
            return "layer" if parent is None or parent.parent in (None, "") else "group"
        if cell.edge:
            return "edge"
        if parent is not None and parent.edge:
            return "edge-label"
        shape = cell.style.get("shape", "").lower()
        names = {n.lower() for n in cell.names}
        if shape.startswith(_BLOCK_ARROWS) or names & {"singlearrow", "doublearrow", "flexarrow"}:
            return "block-arrow"
        if shape in _TABLES or cell.style.get("childLayout") == "tableLayout" or (parent is not None and parent.style.get("childLayout") == "tableLayout"):
            return "table"
        if shape == "line" or "line" in names:
            return "line"
        if "group" in names:
            return "group-cell"
        if "text" in names or "edgelabel" in names or (
            cell.label and not shape and "image" not in names and cell.style.get("strokeColor") == "none"
            and cell.style.get("fillColor", "none") == "none" and not self.children.get(cell.id)
        ):
            return "text"
        return "shape"

    def _is_zone(self, cell: Cell) -> bool:
        inner = [c for c in self.children.get(cell.id, []) if c.vertex]
        labelled = [c for c in inner if c.label and not self._textual(c)]
        if "swimlane" in cell.names or cell.style.get("shape") == "swimlane" or cell.style.get("container") == "1":
            # an empty one is a zone still to be filled (a practice starter's Online and Offline);
            # one holding only text is a titled box with lines of text, a component
            return not inner or any(not self._textual(c) for c in inner)
        if "group" in cell.names:  # a titled group, or one an edge ends at; an untitled one only groups
            return len(labelled) >= 2 and (bool(cell.label) or cell.id in self.edge_ends)
        return bool(labelled)

    def _textual(self, cell: Cell) -> bool:
        names = {n.lower() for n in cell.names}
        return "text" in names or "edgelabel" in names

    def _hidden(self, cell: Cell) -> bool:
        """Whether an ancestor is hidden or collapsed."""
        return self._inherited(cell, "hidden", False,
                               lambda parent, above: above or not parent.visible or parent.style.get("collapsed") == "1")

    def _inherited(self, cell: Cell, what: str, default, combine):
        """A value a cell takes from its ancestors: `combine(parent, the parent's value)`, or
        `default` at the top. Each cell's is worked out once and kept (walking every cell's
        ancestors was a step per level per cell: 5,000 nested containers took a second
        each way); a parent chain that loops is cut where it closes."""
        memo = self.inherited.setdefault(what, {})
        if cell.id in memo:
            return memo[cell.id]
        chain: list[Cell] = []  # cells whose value is not known yet, the innermost first
        on_chain: set[str] = set()
        current: Cell | None = cell
        while current is not None and current.id not in memo and current.id not in on_chain:
            chain.append(current)
            on_chain.add(current.id)
            current = self.by_id.get(current.parent or "")
        above = current if current is not None and current.id in memo else None
        value = combine(above, memo[above.id]) if above is not None else default
        memo[chain[-1].id] = value
        for inner, parent in zip(reversed(chain[:-1]), reversed(chain[1:])):
            value = memo[inner.id] = combine(parent, value)
        return memo[cell.id]

    # --- geometry -------------------------------------------------------------------

    def origin(self, cell_id: str | None) -> Point:
        """Where a cell's children are measured from: the cell's absolute position when it is
        a vertex (its parents' positions added up), else the page's origin."""
        if cell_id in self.origins:
            return self.origins[cell_id]
        chain: list[Cell] = []
        on_chain: set[str] = set()
        current = self.by_id.get(cell_id or "")
        while current is not None and current.vertex and current.id not in self.origins:
            if current.id in on_chain:
                raise DiagramError(f"draw.io cell {current.id[:40]!r} is its own ancestor (the parents form a cycle)")
            chain.append(current)
            on_chain.add(current.id)
            current = self.by_id.get(current.parent or "")
        base = self.origins.get(current.id, (0.0, 0.0)) if current is not None else (0.0, 0.0)
        for cell in reversed(chain):
            base = self._local_box(cell, base)[:2]
            self.origins[cell.id] = base
        return self.origins.get(cell_id or "", (0.0, 0.0))

    def _local_box(self, cell: Cell, base: Point) -> BBox:
        g = cell.geometry
        w, h = max(_num(g, "width"), 0.0), max(_num(g, "height"), 0.0)
        x, y = _num(g, "x"), _num(g, "y")
        if g is not None and g.get("relative") == "1":
            parent = self.by_id.get(cell.parent or "")
            pw, ph = (_num(parent.geometry, "width"), _num(parent.geometry, "height")) if parent is not None and parent.vertex else (0.0, 0.0)
            offset = _point(next((c for c in g if c.get("as") == "offset"), None)) or (0.0, 0.0)
            x, y = x * pw + offset[0], y * ph + offset[1]
        return (base[0] + x, base[1] + y, w, h)

    def box(self, cell: Cell) -> BBox:
        if cell.id not in self.boxes:
            self.boxes[cell.id] = self._local_box(cell, self.origin(cell.parent))
        return self.boxes[cell.id]

    # --- sketch elements --------------------------------------------------------------

    def _zone_of(self, cell: Cell) -> str | None:
        """The nearest ancestor that is a zone."""
        return self._inherited(cell, "zone", None, lambda parent, above: parent.id if parent.id in self.zones else above)

    def _groups_of(self, cell: Cell) -> tuple[str, ...]:
        """The groups holding a cell, the innermost first (at most LIMITS.max_nesting)."""
        def combine(parent: Cell, above: tuple[str, ...]) -> tuple[str, ...]:
            if self.roles.get(parent.id) == "group-cell" and parent.id not in self.zones:
                return ((parent.id,) + above)[: LIMITS.max_nesting]
            return above

        return self._inherited(cell, "groups", (), combine)

    def _shape(self, cell: Cell, is_zone: bool) -> None:
        names = {n.lower() for n in cell.names}
        shape = cell.style.get("shape", "").lower()
        if "ellipse" in names or shape in ("ellipse", "doubleellipse") or "doubleEllipse" in cell.names:
            kind = "ellipse"
        elif "rhombus" in names or shape == "rhombus":
            kind = "diamond"
        elif "image" in names or shape == "image":
            kind = "image"
        else:
            kind = "rectangle"
        icon = drawio_icons.lookup(cell.style)
        icon_name = icon[1].name if icon else None
        if icon_name is None and kind == "image":
            icon_name = drawio_icons.name_from_image(cell.style.get("image", ""))
        self.sketch.shapes.append(Shape(
            id=cell.id,
            type="group" if self.roles.get(cell.id) == "group-cell" else kind,
            bbox=self._drawn_box(cell),
            angle=math.radians(drawio_arrows.style_number(cell.style.get("rotation"))),
            dashed=cell.style.get("dashed") == "1",
            group_ids=self._groups_of(cell),
            parent=self._zone_of(cell),
            label=cell.label if is_zone else None,
            kind_tag=cell.kind_tag,
            is_zone=is_zone,
            icon_name=f"{icon_name}" if icon_name else None,
            **({"kind_hint": icon[1].kind} if icon and icon[1].kind else store_hint(shape)),
            is_note=shape == "note" or "note" in names,  # a sticky note: read as one when no edge ends at it
        ))
        if cell.label and not is_zone:
            self.sketch.texts.append(Text(
                id=f"{cell.id}#label", text=cell.label, bbox=self.box(cell), font_size=_font(cell),
                container=cell.id, parent=self._zone_of(cell),
            ))

    def _drawn_box(self, cell: Cell) -> BBox:
        """The cell's box with its label when the label is drawn outside it (an icon's caption
        below it, `verticalLabelPosition=bottom`): an arrow ending at the caption ends at the icon."""
        x, y, w, h = self.box(cell)
        if cell.label and cell.style.get("verticalLabelPosition") == "bottom":
            h += cell.label.count("\n") * _font(cell) * 1.2 + _font(cell) * 1.2 + 4
        elif cell.label and cell.style.get("verticalLabelPosition") == "top":
            extra = cell.label.count("\n") * _font(cell) * 1.2 + _font(cell) * 1.2 + 4
            y, h = y - extra, h + extra
        return (x, y, w, h)

    def _free_text(self, cell: Cell) -> None:
        if not cell.label:
            self.sketch.ignored.append(Ignored(cell.id, "empty text"))
            return
        self.sketch.texts.append(Text(
            id=cell.id, text=cell.label, bbox=self.box(cell), font_size=_font(cell),
            group_ids=self._groups_of(cell), parent=self._zone_of(cell), kind_tag=cell.kind_tag,
        ))

    def _edge(self, cell: Cell) -> None:
        g = cell.geometry
        base = self.origin(cell.parent)
        source = self._terminal(cell.source)
        target = self._terminal(cell.target)
        waypoints: list[Point] = []
        start_point = end_point = None
        if g is not None:
            for child in g:
                role = child.get("as")
                if role == "sourcePoint":
                    start_point = _point(child)
                elif role == "targetPoint":
                    end_point = _point(child)
                elif role == "points" and child.tag == "Array":
                    waypoints = [p for p in (_point(c) for c in list(child)[:10_000]) if p is not None]
        waypoints = [(base[0] + x, base[1] + y) for x, y in waypoints]
        start = self._end_point(source, start_point, base)
        end = self._end_point(target, end_point, base)
        if start is None or end is None:
            which = "either end" if start is None and end is None else ("its start" if start is None else "its end")
            self.sketch.ignored.append(Ignored(cell.id, f"edge {cell.id}: {which} has no shape and no point"))
            return
        style = cell.style
        link_shape = style.get("shape", "")
        end_default = "none" if link_shape == "link" else "classic"
        end_head = style.get("endArrow", end_default).lower() not in _NO_ARROW
        start_head = style.get("startArrow", "none").lower() not in _NO_ARROW
        self.sketch.links.append(Link(
            id=cell.id,
            points=[start, *waypoints, end],
            start=source,
            end=target,
            start_head=start_head,
            end_head=end_head,
            is_line=not start_head and not end_head,
            dashed=style.get("dashed") == "1",
            elbowed="orthogonalEdgeStyle" in style.get("edgeStyle", "") or "elbowEdgeStyle" in style.get("edgeStyle", ""),
            group_ids=self._groups_of(cell),
        ))
        labels = [cell.label] if cell.label else []
        labels += [c.label for c in self.children.get(cell.id, []) if c.vertex and c.label]
        if labels:
            self.sketch.texts.append(Text(id=f"{cell.id}#label", text=" ".join(labels), bbox=_points_box([start, end]),
                                          container=cell.id))

    def _terminal(self, cell_id: str | None) -> str | None:
        """A bound end: a vertex that is drawn (an edge's end on another edge is read by geometry);
        one at a naming callout (or a box drawn in it) is at the shape the callout names."""
        cell = self.by_id.get(self.named.get(cell_id or "", cell_id or ""))
        if cell is None or not cell.vertex or self.roles.get(cell.id) in ("block-arrow", "table", "line", "edge-label"):
            return None
        if self.roles.get(cell.id) == "group-cell" and cell.id not in self.zones:
            return None  # an invisible group: the end is where the geometry says
        return cell.id

    def _end_point(self, terminal: str | None, point: Point | None, base: Point) -> Point | None:
        if terminal is not None:
            x, y, w, h = self.box(self.by_id[terminal])
            return (x + w / 2, y + h / 2)
        if point is None:
            return None
        return (base[0] + point[0], base[1] + point[1])

    # --- callouts -------------------------------------------------------------------

    def _callouts(self) -> None:
        """Each speech-bubble callout whose pointer tip lands on (or within TIP_GAP of) exactly
        one shape names it: the texts drawn in its body (its own label first, then the rest in
        reading order) are kept in `callout_names`, the boxes and texts drawn in it in
        `callout_parts`. A tip on nothing, or between two shapes, leaves the callout as it is."""
        drawn = [c for c in self.cells if c.vertex and c.visible and not self._hidden(c)
                 and (self.roles[c.id] in ("shape", "text") or (self.roles[c.id] == "group-cell" and c.id in self.zones))]
        callouts = [c for c in drawn if self.roles[c.id] == "shape" and c.id not in self.zones
                    and drawio_callouts.is_callout(c.style)]
        if not callouts:
            return
        work = geometry.Work(len(self.cells))
        index = geometry.GridIndex(work=work)
        boxes: dict[str, BBox] = {}
        for cell in drawn:
            boxes[cell.id] = drawio_arrows.drawn_box(self._drawn_box(cell), cell.style.get("rotation"))
            index.insert(cell.id, boxes[cell.id])
        pointers: dict[str, tuple[drawio_callouts.Pointer, list[str]]] = {}
        drawn_in: set[str] = set()  # a box or text in some callout's body: never what a callout names
        for callout in callouts:
            pointer = drawio_callouts.pointer_of(self.box(callout), callout.style)
            if pointer is None:
                continue
            inside = (i for i in index.candidates(pointer.body, drawio_callouts.PART_MARGIN, ordered=False)
                      if i != callout.id and self._drawn_in(self.by_id[i], boxes[i], pointer.body))
            parts = list(itertools.islice(inside, drawio_callouts.MAX_PARTS + 1))
            if len(parts) > drawio_callouts.MAX_PARTS:
                continue  # a region drawn as a bubble, not a name
            pointers[callout.id] = (pointer, parts)
            drawn_in.update(parts)
        for callout in callouts:
            if callout.id not in pointers:
                continue
            pointer, parts = pointers[callout.id]
            target = self._named_by(callout, pointer, set(parts), boxes, index, drawn_in)
            if target is None:
                continue
            name, around = self._callout_text(callout, parts, boxes)
            if not name:
                continue  # an empty bubble names nothing
            self.callout_names[callout.id] = (target, name, pointer.body)
            if around:
                self.callout_around[callout.id] = around
            self.named[callout.id] = target
            for part in parts:
                self.callout_parts[part] = callout.id
                self.named[part] = target

    def _callout_text(self, callout: Cell, parts: list[str], boxes: dict[str, BBox]) -> tuple[str, tuple[str, str] | None]:
        """A callout's name and what its name is drawn in. Read as the page is: a box holding a
        labelled box is a region titled by its text, so in a bubble drawn as "REST Server"
        around "Model" the innermost texts are the name ("Model") and the titles around them
        ("REST Server") where it runs; texts side by side are one name, in reading order."""
        boxes_in = [i for i in parts if self.roles[i] != "text"]
        written = []  # (depth, y, x, text, id): depth = how many of the bubble's boxes hold it
        if callout.label:
            written.append((0, 0.0, 0.0, callout.label, callout.id))
        for i in parts:
            if self.by_id[i].label:
                middle = _centre(boxes[i])
                depth = 1 + sum(1 for j in boxes_in if j != i and drawio_arrows.holds(boxes[j], middle))
                written.append((depth, boxes[i][1], boxes[i][0], self.by_id[i].label, i))
        if not written:
            return "", None
        deepest = max(w[0] for w in written)
        name = "\n".join(w[3] for w in sorted(w for w in written if w[0] == deepest))
        outer = sorted(w for w in written if w[0] < deepest)
        around = (outer[0][4], "\n".join(w[3] for w in outer)[: LIMITS.max_label_chars]) if outer else None
        return name[: LIMITS.max_label_chars].strip(), around

    def _drawn_in(self, cell: Cell, box: BBox, body: BBox) -> bool:
        """A text whose middle is in the callout's body, or a shape inside it, is part of it."""
        if self.roles[cell.id] == "text":
            return drawio_arrows.holds(body, _centre(box))
        return drawio_callouts.within(box, body)

    def _named_by(self, callout: Cell, pointer, parts: set[str], boxes: dict[str, BBox], index, drawn_in) -> str | None:
        """The one shape the pointer's tip lands on, or None (on nothing, or between two)."""
        gap = drawio_callouts.TIP_GAP
        body = pointer.body
        near = [i for i in index.candidates((pointer.tip[0], pointer.tip[1], 0.0, 0.0), gap, ordered=False)
                if i != callout.id and i not in parts and self.roles[i] != "text"
                and not drawio_arrows.holds(boxes[i], body)  # the region the callout is drawn in
                and drawio_callouts.distance(pointer.tip, boxes[i]) <= gap]
        near = sorted(near, key=lambda i: (drawio_callouts.distance(pointer.tip, boxes[i]), self.by_id[i].order))
        near = near[: drawio_callouts.MAX_HITS]
        # the innermost: a region holding another shape the tip is at is where that shape is
        near = [i for i in near if not any(j != i and boxes[j] != boxes[i] and drawio_arrows.holds(boxes[i], boxes[j])
                                           for j in near)]
        # a shape drawn twice in the same place is one shape: the one on top
        on_top: dict[BBox, str] = {}
        for i in sorted(near, key=lambda i: self.by_id[i].order):
            on_top[boxes[i]] = i
        near = list(on_top.values())
        if len(near) != 1 or near[0] in drawn_in or drawio_callouts.is_callout(self.by_id[near[0]].style):
            return None
        return near[0]

    # --- block arrows -----------------------------------------------------------------

    def _block_arrows(self) -> None:
        """Each block arrow read as a connection where both its ends are found, with the free
        texts on it as its label; `arrow_links` keeps why not for the others."""
        arrows = [c for c in self.cells if self.roles[c.id] == "block-arrow" and c.visible and not self._hidden(c)]
        if not arrows:
            return
        work = geometry.Work(len(self.cells))
        shapes = geometry.GridIndex(work=work)
        candidates: dict[str, tuple[drawio_arrows.Candidate, str | None]] = {}
        for cell in self.cells:
            role = self.roles[cell.id]
            if not (role == "shape" or (role == "group-cell" and cell.id in self.zones)):
                continue
            if not cell.visible or self._hidden(cell):
                continue
            box = drawio_arrows.drawn_box(self._drawn_box(cell), cell.style.get("rotation"))
            plain = not cell.label and not cell.style.get("shape") and not cell.names and not self.children.get(cell.id)
            fill = cell.style.get("fillColor", "").lower() if plain else None
            candidates[cell.id] = (drawio_arrows.Candidate(cell.id, box, labelled=bool(cell.label), piece=False), fill)
            shapes.insert(cell.id, box)
        texts = geometry.GridIndex(work=work)
        text_cells = {c.id: c for c in self.cells if self.roles[c.id] == "text" and c.label and c.visible
                      and not self._hidden(c) and c.id not in self.callout_parts}
        for cell in text_cells.values():
            texts.insert(cell.id, self.box(cell))
        for shape_id, (cand, fill) in list(candidates.items()):
            if fill is not None and any(drawio_arrows.holds(cand.box, _centre(self.box(text_cells[t])))
                                        for t in texts.candidates(cand.box, 0.0, ordered=False)):
                candidates[shape_id] = (cand, None)  # a text on it: a box, not a piece of an arrow
        self._arrow_pieces(arrows, candidates, shapes)
        found: dict[str, tuple[drawio_arrows.Axis, BBox, str, str]] = {}
        for arrow in arrows:
            shape = arrow.style.get("shape", "") or next((n for n in arrow.names if n.lower().endswith("arrow")), "")
            kind = drawio_arrows.kind_of(shape, arrow.names)
            if kind is None:
                self.arrow_links[arrow.id] = (f"a bent or many-way block arrow ({shape}): its path is not read; "
                                              "draw it as a connector to have it reviewed")
                continue
            box = drawio_arrows.drawn_box(self.box(arrow), arrow.style.get("rotation"))
            axis = drawio_arrows.axis_of(self.box(arrow), arrow.style, shape, kind == "double")
            if axis is None:
                self.arrow_links[arrow.id] = "a block arrow with no size"
                continue
            reach = max(drawio_arrows.REACH_MIN, drawio_arrows.REACH_FACTOR * axis.length) + axis.width
            fill = arrow.style.get("fillColor", "").lower()
            ends = []
            for at_head in (False, True):
                point = axis.head if at_head else axis.tail
                near = []
                for shape_id in shapes.candidates((point[0], point[1], 0.0, 0.0), reach, ordered=False):
                    if shape_id == arrow.id:
                        continue
                    cand, _ = candidates[shape_id]
                    piece = shape_id in self.arrow_pieces
                    near.append(drawio_arrows.Candidate(cand.id, cand.box, cand.labelled, piece))
                words = self._words_near(point, reach, axis, at_head, box, text_cells, texts, shapes, candidates)
                ends.append(drawio_arrows.end_target(axis, at_head, box, near, words))
            (start, why_start), (end, why_end) = ends
            start, end = self.named.get(start or "", start), self.named.get(end or "", end)  # at a callout: at what it names
            if start is None or end is None or start == end:
                why = (f"its tail {why_start}" if start is None else f"its head {why_end}" if end is None
                       else f"both its ends are at {start}")
                if start is None and end is None:
                    why = f"its tail {why_start} and its head {why_end}"
                self.arrow_links[arrow.id] = f"{why}: left out rather than guessed"
                continue
            found[arrow.id] = (axis, box, start, end)
        labels = self._arrow_labels(found, text_cells, texts, shapes, candidates)
        for arrow_id, (axis, box, start, end) in found.items():
            arrow = self.by_id[arrow_id]
            words = ([arrow.label] if arrow.label else []) + [text_cells[t].label for t in labels.get(arrow_id, [])]
            link = Link(id=arrow_id, points=[axis.tail, axis.head], start=start, end=end, start_head=axis.double,
                        end_head=True, dashed=arrow.style.get("dashed") == "1", group_ids=self._groups_of(arrow))
            text = Text(id=f"{arrow_id}#label", text=" ".join(words), bbox=box, container=arrow_id) if words else None
            self.arrow_links[arrow_id] = (link, text)
            self.arrow_labels.update(labels.get(arrow_id, []))

    def _words_near(self, point, reach, axis, at_head, arrow_box, text_cells, texts, shapes, candidates) -> list:
        """The free texts in the band ahead of an arrow's end that are not its label, each with
        the shape it is a caption of (the nearest within CAPTION_GAP that does not hold it), if any."""
        words = []
        for text_id in texts.candidates((point[0], point[1], 0.0, 0.0), reach, ordered=False):
            tbox = self.box(text_cells[text_id])
            if drawio_arrows.ahead(axis, at_head, tbox) is None:
                continue
            if (drawio_arrows.label_distance(arrow_box, tbox) <= drawio_arrows.LABEL_GAP
                    and drawio_arrows.labels_it(axis, tbox)):
                continue  # its own label
            if text_id not in self.caption_of:
                owners = [(drawio_arrows.label_distance(candidates[s][0].box, tbox), s)
                          for s in shapes.candidates(tbox, drawio_arrows.CAPTION_GAP, ordered=False)
                          if s not in self.arrow_pieces and not drawio_arrows.holds(candidates[s][0].box, tbox)]
                owners = [o for o in owners if o[0] <= drawio_arrows.CAPTION_GAP]
                self.caption_of[text_id] = min(owners)[1] if owners else None
            words.append(drawio_arrows.Words(text_cells[text_id].label, tbox, self.caption_of[text_id]))
        return words

    def _arrow_pieces(self, arrows, candidates, shapes) -> None:
        """Unlabelled plain boxes with no text on them, filled like a block arrow they touch
        (or like a box that does): the other legs of a bent arrow drawn in pieces. They are
        read with the arrow, not as boxes of their own (a caption beside one would name it)."""
        todo = [(a.id, drawio_arrows.drawn_box(self.box(a), a.style.get("rotation")), a.style.get("fillColor", "").lower())
                for a in arrows]
        gap = drawio_arrows.PIECE_GAP
        while todo:
            arrow_id, box, fill = todo.pop()
            if fill in ("", "none"):
                continue
            for shape_id in shapes.candidates(box, gap, ordered=False):
                cand, cand_fill = candidates[shape_id]
                if cand_fill != fill or shape_id in self.arrow_pieces or drawio_arrows.label_distance(box, cand.box) > gap:
                    continue
                self.arrow_pieces[shape_id] = arrow_id
                todo.append((arrow_id, cand.box, fill))

    def _arrow_labels(self, found, text_cells, texts, shapes, candidates) -> dict[str, list[str]]:
        """Free texts on or beside a read block arrow (within LABEL_GAP, nearer to it than to
        any other read arrow or any shape): its label, in reading order."""
        if not found:
            return {}
        arrow_index = geometry.GridIndex(work=texts.work)
        for arrow_id, (_, box, _, _) in found.items():
            arrow_index.insert(arrow_id, box)
        labels: dict[str, list[str]] = {}
        gap = drawio_arrows.LABEL_GAP
        for text_id, cell in text_cells.items():
            tbox = self.box(cell)
            near = [(drawio_arrows.label_distance(found[a][1], tbox), a)
                    for a in arrow_index.candidates(tbox, gap, ordered=False)]
            near = [item for item in near if item[0] <= gap and drawio_arrows.labels_it(found[item[1]][0], tbox)]
            if not near:
                continue
            distance, arrow_id = min(near)
            if len([d for d, _ in near if d - distance < drawio_arrows.TIE]) > 1:
                continue  # between two arrows: a note
            centre = _centre(tbox)
            in_shape = any(  # a text on a box (not on a region holding other shapes) is that box's
                drawio_arrows.holds(candidates[s][0].box, centre)
                and not drawio_arrows.holds(candidates[s][0].box, found[arrow_id][1])
                and not self._holds_shapes(candidates[s][0], shapes, candidates)
                for s in shapes.candidates(centre, 0.0, ordered=False)
            )
            if not in_shape:
                labels.setdefault(arrow_id, []).append(text_id)
        for arrow_id, ids in labels.items():
            ids.sort(key=lambda t: (self.box(text_cells[t])[1], self.box(text_cells[t])[0]))
        return labels

    def _holds_shapes(self, cand, shapes, candidates) -> bool:
        inner = (s for s in shapes.candidates(cand.box, 0.0, ordered=True) if s != cand.id)
        return any(drawio_arrows.holds(cand.box, candidates[s][0].box) and candidates[s][0].box != cand.box
                   for s in itertools.islice(inner, 50))

    def _report_non_graph(self) -> None:
        arrows = sum(1 for c in self.cells if self.roles[c.id] == "block-arrow"
                     and not isinstance(self.arrow_links.get(c.id), tuple))
        tables = sum(1 for c in self.cells if self.roles[c.id] == "table" and c.style.get("childLayout") == "tableLayout")
        edges = len(self.sketch.links)
        if arrows and arrows >= edges:
            self.sketch.warnings.append(
                f"this page draws its flow with {arrows} block-arrow shapes rather than connectors "
                f"({edges} connector{'s' if edges != 1 else ''}) whose ends could not be told apart (each is listed "
                "under ignored with why): redraw them as connectors (arrows between shapes) to have the flow reviewed")
        if tables:
            self.sketch.warnings.append(f"this page holds {tables} table{'s' if tables != 1 else ''} (a matrix, not a graph): "
                                        "its cells are read as notes, not as components or connections")


def _centre(box: BBox) -> BBox:
    return (box[0] + box[2] / 2, box[1] + box[3] / 2, 0.0, 0.0)


def _font(cell: Cell) -> float:
    size = drawio_arrows.style_number(cell.style.get("fontSize")) if cell.style.get("fontSize") else 12.0
    return size if size > 0 else 12.0


def _points_box(points: list[Point]) -> BBox:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
