"""Sketch -> ComponentGraph: decide what is a component, a zone, a label, a note, an edge.

For a drawn sketch (Excalidraw) the structure has to be read off the geometry, in
this order, each step using only what the earlier ones decided:

1. texts bound to a container label it; free texts go to the smallest shape
   around their centre, or to a shape they share a group with (old files);
2. a rectangle or frame holding other labelled shapes is a zone, not a component;
   its title is its own text, or a text just above it;
3. unlabelled shapes and icon groups take a caption just below or beside them;
4. arrow ends attach by binding when the drawing agrees, else by geometry
   (innermost shape wins; a near tie is ambiguous and reported, never guessed);
5. free texts that arrows touch are components; the rest are notes.

A DOT or Mermaid sketch states all of this, so only the naming steps apply.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from diagramcheck import geometry
from diagramcheck.model import Component, ComponentGraph, Connection, Ignored, Note, Zone
from diagramcheck.note_words import LEGEND as _LEGEND, reads_as_note
from diagramcheck.sketch import BBox, Link, Point, Shape, Sketch, Text

ATTACH_TOLERANCE = 20.0  # px from an outline within which an unbound end attaches
TIE_MARGIN = 4.0  # two outlines this close to an end make it ambiguous
BINDING_SLACK = 60.0  # a bound end further than this from its shape contradicts the drawing
CAPTION_GAP = 40.0  # how far below or beside an icon its caption may sit
TITLE_GAP = 45.0  # how far above a zone its title may sit
ICON_MAX_SIZE = 400.0  # a group larger than this is a diagram section, not an icon
_BULLET = re.compile(r"^\s*([-*•·]|\d+[.)])\s+")


@dataclass
class _Unit:
    """A would-be component: one shape, an icon group, or a free text that arrows touch."""

    id: str
    shape: str  # geometry used for distances
    bbox: BBox
    angle: float = 0.0
    sources: list[str] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    bound_text: bool = False
    kind_tag: str | None = None
    parent: str | None = None
    is_zone: bool = False
    is_text: bool = False
    is_image: bool = False
    title_above: Text | None = None
    kind_hint: str | None = None
    icon_name: str | None = None
    drawn_as: str | None = None
    is_note: bool = False  # drawn as a note (draw.io's folded-corner shape)
    named_by: list[Text] = field(default_factory=list)  # draw.io callouts pointing at it: its name, else a remark


# a zone titled like this holds what the candidate wrote down, not parts of the system: its
# unconnected boxes are notes ("Requirements + metrics", "Assumptions", "NFRs")
_NOTES_ZONE = re.compile(r"\b(requirements?|reqs|notes?|assumptions?|constraints?|non[- ]?functional|nfrs?|slas?|slos?|"
                         r"scale|kpis?|metrics|success (metrics|criteria)|goals?|objectives?|problem|scope|legend|"
                         r"clarifications?|questions?)\b", re.I)
_SYSTEM_ZONE = re.compile(r"\b(monitor\w*|dashboards?|observability|alert\w*|logging|pipeline|serving|training)\b", re.I)


def holds_notes(zone_title: str | None) -> bool:
    return bool(zone_title) and bool(_NOTES_ZONE.search(zone_title)) and not _SYSTEM_ZONE.search(zone_title)


LEGEND_GAP = 60.0  # px between a legend's swatches
LEGEND_MAX = 30


def _gap(a: BBox, b: BBox) -> float:
    """The distance between two boxes' edges (0 when they touch or overlap)."""
    dx = max(a[0] - (b[0] + b[2]), b[0] - (a[0] + a[2]), 0.0)
    dy = max(a[1] - (b[1] + b[3]), b[1] - (a[1] + a[3]), 0.0)
    return max(dx, dy)


def left_as_note(kind_tag: str | None, zone_title: str | None, label: str | None, placed_as_note: bool = False) -> bool:
    """Whether an unconnected box is a note: it stands in a zone titled as notes, its words
    say it is one, or where it is drawn does (plain text, a legend's swatch). A kind tag says
    what a box is, whatever its words or place."""
    return kind_tag is None and (placed_as_note or holds_notes(zone_title) or reads_as_note(label))


def build_graph(sketch: Sketch) -> ComponentGraph:
    graph = _build_stated(sketch) if not sketch.geometric else _Builder(sketch).build()
    graph.unread_links = sorted(set(graph.unread_links) | set(sketch.unread_links))
    graph.source_lines = sketch.source_lines
    graph.line = sketch.line
    graph.excerpt = sketch.excerpt
    if sketch.document_text:
        graph.notes.append(Note(id="document-text", text=sketch.document_text, drawn=False))
    return graph


# --- DOT: structure is stated ------------------------------------------------


def _build_stated(sketch: Sketch) -> ComponentGraph:
    graph = ComponentGraph(path=sketch.path, format=sketch.format)
    graph.ignored = [Ignored(id=i.id, reason=i.reason) for i in sketch.ignored]
    graph.warnings = list(sketch.warnings)
    zones = {s.id: s for s in sketch.shapes if s.is_zone}
    for zone in zones.values():
        graph.zones.append(Zone(id=zone.id, label=zone.label or "", parent=zone.parent, sources=[zone.id]))
    notes = set()
    linked = {end for link in sketch.links for end in (link.start, link.end)}
    for shape in sketch.shapes:
        if shape.is_zone:
            continue
        zone_label = zones[shape.parent].label if shape.parent in zones else None
        if shape.is_note or (shape.id not in linked and left_as_note(shape.kind_tag, zone_label, shape.label, shape.plain_text)):
            notes.add(shape.id)
            graph.notes.append(Note(id=shape.id, text=shape.label or "", zone=zone_label))
            continue
        label, annotations, lines = split_title(shape.label or shape.id)
        graph.components.append(
            Component(
                id=shape.id,
                label=label,
                lines=lines,
                zone=zone_label or None,
                zone_id=shape.parent,
                sources=[shape.id],
                annotations=annotations,
                position=geometry.centre(shape.bbox) if shape.bbox else None,
                kind_source="tag" if shape.kind_tag else ("icon" if shape.kind_hint else "lexicon"),
                kind=shape.kind_tag or shape.kind_hint or "unknown",
                kind_note="" if shape.kind_tag or not shape.kind_hint else _hint_note(shape.icon_name, shape.drawn_as),
            )
        )
    for link in sketch.links:
        if link.start in notes or link.end in notes:
            graph.ignored.append(Ignored(id=link.id, reason="edge to a note (shape=note) is not a connection"))
            continue
        if link.start == link.end:
            graph.ignored.append(Ignored(id=link.id, reason=f"edge from {link.start!r} to itself"))
            continue
        _add_connections(graph, link, link.start, link.end, link.label or "", zones)
    return graph


def _add_connections(graph: ComponentGraph, link: Link, start: str, end: str, label: str, zones) -> None:
    if link.end_head:
        pairs, directed = ((start, end), (end, start)) if link.start_head else ((start, end),), True
    elif link.start_head:
        pairs, directed = ((end, start),), True
    else:
        pairs, directed = ((start, end),), False
    for source, target in pairs:
        graph.connections.append(Connection(source=source, target=target, label=label, directed=directed, id=link.id,
                                            source_is_zone=source in zones, target_is_zone=target in zones))


def split_label(text: str) -> tuple[str, list[str]]:
    """`Digest Task` + `- initialize services` -> label, annotations. Lines join with spaces."""
    label, annotations, _ = split_title(text)
    return label, annotations


def split_title(text: str) -> tuple[str, list[str], str]:
    """split_label, and the title's lines as drawn ("" for one line): the kind reading
    uses them ("Redis\nonline feature store" names the store on its second line)."""
    if "\n" not in text and "\r" not in text:  # most labels: one line, all of it the label
        return " ".join(text.split()), [], ""
    lines = [" ".join(line.split()) for line in text.replace("\r", "").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return "", [], ""
    title: list[str] = []
    rest: list[str] = []
    for line in lines:
        if rest or (title and _BULLET.match(line)):
            rest.append(_BULLET.sub("", line))
        else:
            title.append(line)
    if not title:  # every line a bullet: the first is the label
        title, rest = [_BULLET.sub("", lines[0])], [_BULLET.sub("", x) for x in lines[1:]]
    return " ".join(title), rest, "\n".join(title) if len(title) > 1 else ""


# --- Excalidraw: structure is drawn ------------------------------------------


class _Builder:
    def __init__(self, sketch: Sketch) -> None:
        self.sketch = sketch
        self.graph = ComponentGraph(path=sketch.path, format=sketch.format)
        self.graph.ignored = [Ignored(id=i.id, reason=i.reason) for i in sketch.ignored]
        self.graph.warnings = list(sketch.warnings)
        self.units: dict[str, _Unit] = {}
        self.owner: dict[str, str] = {}  # element id -> unit id
        self.free_texts: list[Text] = []
        self.links_by_id = {link.id: link for link in sketch.links}
        self.work = geometry.Work(len(sketch.shapes) + len(sketch.texts) + len(sketch.links) + len(sketch.decorations))
        self._ends: dict[tuple, tuple] = {}  # arrow ends at the same point are looked up once

    def build(self) -> ComponentGraph:
        self._make_units()
        self._index_units()
        self._bind_texts()
        self._place_free_texts()
        self._find_zones()
        self._release_zone_texts()
        self._caption_icons()
        self._title_zones()
        self._attach_links()
        self._emit()
        return self.graph

    # 1. units and texts

    def _make_units(self) -> None:
        for shape in self.sketch.shapes:
            if shape.bbox is None or (shape.bbox[2] <= 0 and shape.bbox[3] <= 0):
                self.graph.ignored.append(Ignored(id=shape.id, reason=f"{shape.type} has no size"))
                continue
            unit = _Unit(
                id=shape.id,
                shape=shape.type if shape.type in ("ellipse", "diamond") else "rectangle",
                bbox=shape.bbox,
                angle=shape.angle,
                sources=[shape.id],
                kind_tag=shape.kind_tag,
                parent=shape.parent,
                is_zone=shape.is_zone,
                is_image=shape.type == "image",
                kind_hint=shape.kind_hint,
                icon_name=shape.icon_name,
                drawn_as=shape.drawn_as,
                is_note=shape.is_note,
            )
            if shape.is_zone and shape.label:
                unit.texts.append(Text(id=shape.id, text=shape.label, bbox=shape.bbox))
                unit.bound_text = True
            self.units[shape.id] = unit
            self.owner[shape.id] = shape.id
        self._group_icons()

    def _group_icons(self) -> None:
        """Small shapes, lines and freedraw grouped together form one icon.

        A group is an icon when it is compact, holds no labelled box and no connecting
        arrow; each element joins its outermost such group. Whole-diagram groups (people
        often select all and group) are therefore never icons.
        """
        parts: dict[str, list[Shape]] = {}
        blocked: set[str] = set()
        bound_containers = {t.container for t in self.sketch.texts if t.container}
        for shape in self.sketch.shapes:
            if shape.is_zone or shape.id not in self.units:
                continue
            for group in shape.group_ids:
                parts.setdefault(group, []).append(shape)
                if shape.id in bound_containers:
                    blocked.add(group)
        for deco in self.sketch.decorations:
            for group in deco.group_ids:
                parts.setdefault(group, []).append(deco)
        loose_lines: list[Shape] = []
        for link in self.sketch.links:
            if link.start or link.end or not link.points or not link.is_line:
                blocked.update(link.group_ids)
                continue
            line_shape = Shape(id=link.id, type="line", bbox=_points_box(link.points), group_ids=link.group_ids)
            if _is_closed(link.points):
                loose_lines.append(line_shape)
            for group in link.group_ids:
                parts.setdefault(group, []).append(line_shape)
        icon_of: dict[str, str] = {}
        for group, members in parts.items():
            if group in blocked or len(members) < 2:
                continue
            box = geometry.union([m.bbox for m in members if m.bbox])
            if max(box[2], box[3]) > ICON_MAX_SIZE:
                continue
            for member in members:
                current = icon_of.get(member.id)
                if current is None or len(parts[current]) < len(members):
                    icon_of[member.id] = group
        by_icon: dict[str, list[Shape]] = {}
        for member_id, group in icon_of.items():
            by_icon.setdefault(group, [])
        for group in by_icon:
            by_icon[group] = [m for m in parts[group] if icon_of.get(m.id) == group]
        for group, members in by_icon.items():
            if len(members) < 2:
                continue
            icon = _Unit(
                id=members[0].id,
                shape="rectangle",
                bbox=geometry.union([m.bbox for m in members if m.bbox]),
                sources=[m.id for m in members],
                kind_tag=next((m.kind_tag for m in members if m.kind_tag), None),
            )
            for member in members:
                self.units.pop(member.id, None)
                self.owner[member.id] = icon.id
            self.units[icon.id] = icon
        for line in loose_lines:  # a closed, unbound outline drawn with the line tool is a shape
            if line.id not in self.owner and line.bbox[2] > 0 and line.bbox[3] > 0:
                self.units[line.id] = _Unit(id=line.id, shape="rectangle", bbox=line.bbox, sources=[line.id])
                self.owner[line.id] = line.id
        for deco in self.sketch.decorations:
            if deco.id not in self.owner:
                self.graph.ignored.append(Ignored(id=deco.id, reason="freehand drawing is not read"))

    def _index_units(self) -> None:
        self.unit_index = geometry.GridIndex(work=self.work)
        for unit in self.units.values():
            self.unit_index.insert(unit.id, unit.bbox)

    def _index_texts(self) -> None:
        self.text_index = geometry.GridIndex(work=self.work)
        self.text_by_id = {t.id: t for t in self.free_texts}
        self.text_rank = {t.id: i for i, t in enumerate(self.free_texts)}
        for text in self.free_texts:
            self.text_index.insert(text.id, text.bbox)

    def _bind_texts(self) -> None:
        for text in self.sketch.texts:
            container = text.container
            if container in self.links_by_id:
                continue  # arrow labels are read with their arrow
            unit_id = self.owner.get(container) if container else None
            if text.callout and unit_id is not None:
                # a callout's text is the shape's name only if the shape has none of its own,
                # which is known once captions are placed: kept aside until then (_emit)
                self.units[unit_id].named_by.append(text)
                self.owner[text.id] = unit_id
                continue
            if unit_id is not None:
                unit = self.units[unit_id]
                unit.texts.insert(0 if not unit.bound_text else len(unit.texts), text)
                unit.bound_text = True
                self.owner[text.id] = unit_id
                if text.kind_tag and not unit.kind_tag:
                    unit.kind_tag = text.kind_tag
            else:
                self.free_texts.append(text)

    def _place_free_texts(self) -> None:
        """A free text goes to a shape it shares a group with, else the smallest shape around its centre."""
        remaining = []
        by_group: dict[str, list[str]] = {}
        for unit in self.units.values():
            for source in unit.sources:
                shape_groups = self._groups_of(source)
                for group in shape_groups:
                    by_group.setdefault(group, []).append(unit.id)
        for text in self.free_texts:
            target = None
            for group in text.group_ids:
                candidates = set(by_group.get(group, []))
                if len(candidates) == 1:
                    target = candidates.pop()
                    break
            if target is None:
                target = self._smallest_around(geometry.centre(text.bbox), exclude_zones=False)
            if target is not None:
                self.units[target].texts.append(text)
                self.owner[text.id] = target
            else:
                remaining.append(text)
        self.free_texts = remaining

    def _groups_of(self, element_id: str) -> tuple[str, ...]:
        if not hasattr(self, "_shape_groups"):
            self._shape_groups = {shape.id: shape.group_ids for shape in self.sketch.shapes}
        return self._shape_groups.get(element_id, ())

    def _smallest_around(self, point: Point, exclude_zones: bool) -> str | None:
        for unit_id in self.unit_index.candidates((point[0], point[1], 0.0, 0.0)):  # smallest first
            unit = self.units.get(unit_id)
            if unit is None or unit.is_text or (exclude_zones and unit.is_zone):
                continue
            if geometry.distance(point, unit.bbox, unit.shape, unit.angle) <= 0:
                return unit.id
        return None

    # 2. zones

    def _find_zones(self) -> None:
        units = self.units
        area_of = {unit_id: geometry.area(unit.bbox) for unit_id, unit in units.items()}
        candidates = [u for u in units.values() if u.shape == "rectangle" and not u.is_image]
        smallest = min(area_of.values(), default=0.0)
        # what makes a rectangle a zone: a labelled shape or a zone inside it, found by its
        # centre (a shape inside has its centre inside), smallest first; zones join as found
        holders = geometry.GridIndex(work=self.work)
        for unit in units.values():
            if unit.texts or unit.is_zone or unit.named_by:  # (an image is never a zone: an uncaptioned one is out)
                holders.insert(unit.id, _point_box(unit.bbox), order=area_of[unit.id])
        for outer in sorted(candidates, key=lambda u: area_of[u.id]):
            if outer.is_zone:
                continue
            limit = 0.9 * area_of[outer.id]  # an inner shape is clearly smaller (this skips the outer itself too)
            if limit <= smallest:
                continue  # no shape at all is that much smaller: most boxes of a sketch, no look-up
            for inner_id in holders.candidates(outer.bbox, margin=2.0):
                if area_of[inner_id] >= limit:
                    break  # the rest are no smaller
                if geometry.contains_box(outer.bbox, units[inner_id].bbox):
                    outer.is_zone = True
                    holders.insert(outer.id, _point_box(outer.bbox), order=area_of[outer.id])
                    break
        self.zone_index = geometry.GridIndex(work=self.work)
        for unit in self.units.values():
            if unit.is_zone:
                self.zone_index.insert(unit.id, unit.bbox)

    def _release_zone_texts(self) -> None:
        """A zone keeps one title from the texts inside it; the others are free again."""
        for zone in self.units.values():
            if not zone.is_zone or not zone.texts:
                continue
            if zone.bound_text:
                keep, rest = zone.texts[:1], zone.texts[1:]
            else:
                members_top = self._members_top(zone)
                upper = zone.bbox[1] + 0.25 * zone.bbox[3]
                ranked = _by_prominence(zone.texts, False)
                titles = [t for t in ranked if t.bbox[1] <= upper or t.bbox[1] + t.bbox[3] <= members_top + 2]
                if not titles and len(ranked) == 1 and not reads_as_note(ranked[0].text):
                    titles = ranked  # a lone caption in a corner ("MLFlow"); "Goal: ..." low in a zone is a note
                keep = titles[:1]
                rest = [t for t in zone.texts if t not in keep]
            zone.texts = keep
            for text in rest:
                del self.owner[text.id]
                self.free_texts.append(text)

    def _members_top(self, zone: _Unit) -> float:
        """The top of the highest shape inside the zone (its bottom if none): the shapes by
        their centres, topmost first, so the first one inside is the answer."""
        if not hasattr(self, "_tops"):
            self._tops = geometry.GridIndex(work=self.work)
            for unit in self.units.values():
                self._tops.insert(unit.id, _point_box(unit.bbox), order=unit.bbox[1])
        for unit_id in self._tops.candidates(zone.bbox, margin=2.0):
            if unit_id != zone.id and geometry.contains_box(zone.bbox, self.units[unit_id].bbox):
                return self.units[unit_id].bbox[1]
        return zone.bbox[1] + zone.bbox[3]

    def _legend_members(self, connected: set[str]) -> set[str]:
        """Unconnected labelled boxes laid out next to a free text "Legend" (colour or line
        swatches with what they mean): each within LEGEND_GAP of the title or of one already
        taken, at most LEGEND_MAX of them. Only a title that says "Legend": a free text that
        says it is a note ("Requirements: ...") explains nothing about the boxes beside it."""
        titles = [t.bbox for t in self.free_texts if t.bbox and t.text and _LEGEND.match(t.text)]
        if not titles:
            return set()
        loose = {u.id: u.bbox for u in self.units.values()
                 if not u.is_zone and u.texts and u.id not in connected and u.bbox}
        index = geometry.GridIndex(work=self.work)
        for unit_id, bbox in loose.items():
            index.insert(unit_id, bbox)
        taken: set[str] = set()
        block = titles[:LEGEND_MAX]  # the title(s), then each box taken: looked around once each
        for around in block:
            for unit_id in index.candidates(around, LEGEND_GAP, ordered=False):
                if unit_id not in taken and _gap(loose[unit_id], around) <= LEGEND_GAP:
                    taken.add(unit_id)
                    block.append(loose[unit_id])
                    if len(taken) >= LEGEND_MAX:
                        return taken
        return taken

    def _zone_for(self, unit: _Unit, zone_label: dict[str, str]) -> str | None:
        """The innermost zone around a unit; an explicit frame wins over another frame it
        merely overlaps, but a zone drawn inside its frame is more specific still."""
        inner = self._zone_of_box(unit.bbox)
        if unit.parent in zone_label:
            if inner is None or (self._is_frame(inner) and inner != unit.parent):
                return unit.parent
        return inner

    def _is_frame(self, unit_id: str) -> bool:
        if not hasattr(self, "_frames"):
            self._frames = {s.id for s in self.sketch.shapes if s.type in ("frame", "magicframe")}
        return unit_id in self._frames

    def _zone_of_box(self, bbox: BBox, exclude: str | None = None) -> str | None:
        if not self.zone_index:  # many sketches have no zones: skip the lookup for each component
            return None
        own = geometry.area(bbox)
        # larger zones only, smallest first: the first around it is the innermost
        for zone_id in self.zone_index.candidates(_point_box(bbox), above=own):
            unit = self.units[zone_id]
            if zone_id != exclude and geometry.contains_box(unit.bbox, bbox):
                return unit.id
        return None

    # 3. captions

    def _caption_icons(self) -> None:
        """Each icon takes the free text closest below or beside it, closest pairs first
        (ties: icon id, then text id). Texts drawn at the same place are one candidate, and
        the pairs are taken lazily from a heap: icons and captions stacked by the thousand at
        one spot cost one gap each, not one per pair."""
        self._index_texts()
        places = _TextPlaces(self.free_texts, self.work, key=lambda t: t.id)
        taken: set[str] = set()
        heap: list[tuple[float, str, str]] = []
        options: dict[str, list[tuple[float, int]]] = {}  # icon -> (gap, place), best last
        for icon in self.units.values():
            if icon.is_zone or icon.texts:
                continue
            found = []
            for place in places.index.candidates(icon.bbox, CAPTION_GAP + 200):
                gap = _caption_gap(icon.bbox, places.boxes[place])
                if gap is not None:
                    found.append((gap, place))
            if found:
                found.sort(reverse=True)  # ties at one gap are settled by text id when pushed
                options[icon.id] = found
                _push_caption(heap, icon.id, options, places, taken)
        while heap:
            gap, icon_id, text_id = heapq.heappop(heap)
            if text_id in taken:  # taken since it was pushed: the icon's next best
                _push_caption(heap, icon_id, options, places, taken)
                continue
            icon = self.units[icon_id]
            icon.texts.append(self.text_by_id[text_id])
            self.owner[text_id] = icon.id
            taken.add(text_id)
        self.free_texts = [t for t in self.free_texts if t.id not in taken]

    def _title_zones(self) -> None:
        taken: set[str] = set()
        places = _TextPlaces([t for t in self.free_texts if t.id not in self.owner], self.work,
                             key=lambda t: self.text_rank[t.id])
        for zone in self.units.values():
            if not zone.is_zone or zone.texts or zone.named_by:
                continue
            best = None
            above = (zone.bbox[0], zone.bbox[1] - TITLE_GAP - 100, zone.bbox[2], TITLE_GAP + 110)
            for place in places.index.candidates(above):
                tx, ty, tw, th = box = places.boxes[place]
                gap = zone.bbox[1] - (ty + th)
                if -5 <= gap <= TITLE_GAP and geometry.overlap_x(zone.bbox, box) >= 0.5 * min(tw, zone.bbox[2]):
                    text_id = places.first_id(place, taken)
                    if text_id is not None and (best is None or (gap, self.text_rank[text_id]) < best[0]):
                        best = ((gap, self.text_rank[text_id]), self.text_by_id[text_id])
            if best is not None:
                zone.texts.append(best[1])
                zone.title_above = best[1]
                taken.add(best[1].id)
                self.owner[best[1].id] = zone.id
        self.free_texts = [t for t in self.free_texts if t.id not in taken]

    # 4. links

    def _attach_links(self) -> None:
        self._index_texts()
        self.resolved: list[tuple[Link, str, str]] = []
        touched_texts = {t.id: t for t in self.free_texts}
        for link in self.sketch.links:
            if link.id in self.owner:  # drawn part of an icon
                continue
            start = self._attach_end(link, 0, link.start, touched_texts)
            end = self._attach_end(link, -1, link.end, touched_texts)
            if start is None or end is None:
                which = "either end" if start is None and end is None else ("its start" if start is None else "its end")
                kind = "line" if link.is_line else "arrow"
                self.graph.ignored.append(Ignored(id=link.id, reason=f"{kind} {link.id}: {which} not attached to any shape"))
                continue
            if start == end:
                start, end = self._drawn_ends(link, start, touched_texts) or (start, end)
            if start == end:
                self.graph.ignored.append(Ignored(id=link.id, reason=f"arrow {link.id} starts and ends on the same shape"))
                continue
            self.resolved.append((link, start, end))
        # free texts that an arrow touches are components; the others are notes
        used = {uid for _, s, e in self.resolved for uid in (s, e)}
        self.text_units = {t.id for t in self.free_texts if t.id in used}

    def _attach_end(self, link: Link, index: int, bound: str | None, texts: dict[str, Text]) -> str | None:
        point = link.points[index] if link.points else None
        if bound is not None:
            target = self.owner.get(bound)
            if target is None and bound in texts:
                target = bound
            if target is None:
                self.graph.warnings.append(f"arrow {link.id} is bound to {bound}, which is not in the drawing; used the geometry")
            elif point is None or self.sketch.bindings_exact:
                return target
            else:
                unit = self.units.get(target)
                if unit is None:
                    d = geometry.distance(point, texts[target].bbox)
                else:
                    if unit.is_zone:
                        # bound to a zone: the app binds to whatever big shape is under the end,
                        # so a labelled thing inside the zone at that point is what was meant
                        inner = self._nearest(point, link, texts, zones=False)
                        if inner is not None:
                            return inner
                    d = geometry.distance(point, unit.bbox, unit.shape, unit.angle)
                if d <= BINDING_SLACK:
                    return target
                self.graph.warnings.append(
                    f"arrow {link.id} is bound to {target} but its end is drawn {d:.0f} px away; used what the drawing shows"
                )
        if point is None:
            return None
        return self._nearest(point, link, texts)

    def _drawn_ends(self, link: Link, looped_on: str, texts: dict[str, Text]) -> tuple[str, str] | None:
        """An arrow whose bindings make it a loop on one shape, read from where its ends are drawn.
        The app keeps a stale binding when an arrow is dragged off a shape: the end stays bound
        to the old shape while it visibly starts at another one."""
        if len(link.points) < 2:
            return None
        start, end = self._nearest(link.points[0], link, texts), self._nearest(link.points[-1], link, texts)
        if start is None or end is None or start == end:
            return None
        self.graph.warnings.append(f"arrow {link.id}: its binding loops it on {looped_on}, but it is drawn from {start} "
                                   f"to {end}; used what the drawing shows")
        return start, end

    def _nearest(self, point: Point, link: Link, texts: dict[str, Text], zones: bool = True) -> str | None:
        """What an unbound end at `point` attaches to. Looked up once per point: a thousand
        arrows ending at one spot cost one look-up (the warning is each arrow's own)."""
        key = (point, zones, id(texts))
        found = self._ends.get(key)
        if found is None:
            found = self._ends[key] = self._nearest_to(point, texts, zones)
        target, tie = found
        if tie is not None:
            (first, d1), (second, d2) = tie
            self.graph.warnings.append(
                f"arrow {link.id} ends between {first} and {second} "
                f"({d1:.0f} and {d2:.0f} px away); left unattached rather than guessed"
            )
            self.graph.unread_links.append(link.id)
        return target

    def _nearest_to(self, point: Point, texts: dict[str, Text], zones: bool) -> tuple[str | None, tuple | None]:
        """(target, None), or (None, the two ends of a tie)."""
        at = (point[0], point[1], 0.0, 0.0)
        inside: list[tuple[float, str]] = []
        near: list[tuple[float, str, BBox]] = []
        for unit_id in self.unit_index.candidates(at, ATTACH_TOLERANCE):  # smallest first
            unit = self.units.get(unit_id)
            if unit is None or unit.is_zone:
                continue
            a = geometry.area(unit.bbox)
            if inside and a > inside[0][0]:
                break  # the smallest shapes holding the end are all found
            d = geometry.distance(point, unit.bbox, unit.shape, unit.angle)
            if d <= 0:
                inside.append((a, unit.id))
            elif d <= ATTACH_TOLERANCE:
                near.append((d, unit.id, unit.bbox))
        inside_texts: list[tuple[float, str]] = []
        for text_id in self.text_index.candidates(at, ATTACH_TOLERANCE):
            text = texts.get(text_id)
            if text is None:
                continue
            a = geometry.area(text.bbox) + 1e9  # a shape beats a text
            if inside_texts and a > inside_texts[0][0]:
                break
            d = geometry.distance(point, text.bbox)
            if d <= 0:
                inside_texts.append((a, text.id))
            elif d <= ATTACH_TOLERANCE / 2:
                near.append((d + ATTACH_TOLERANCE, text.id, text.bbox))
        if inside or inside_texts:
            return min(inside + inside_texts)[1], None
        if near:
            near.sort()
            if len(near) > 1 and near[1][0] - near[0][0] < TIE_MARGIN and not _nested(near[0][2], near[1][2]):
                return None, ((near[0][1], near[0][0]), (near[1][1], near[1][0]))
            return near[0][1], None
        if not zones:
            return None, None
        # a zone: only if the end is near its outline (inside or out), not deep in empty space
        zones_near = []
        for zone_id in self.zone_index.candidates(at, ATTACH_TOLERANCE):
            unit = self.units[zone_id]
            d = geometry.distance(point, unit.bbox, unit.shape, unit.angle)
            if abs(d) <= ATTACH_TOLERANCE:
                zones_near.append((geometry.area(unit.bbox), unit.id))
        return (min(zones_near)[1] if zones_near else None), None

    # 5. output

    def _emit(self) -> None:
        graph = self.graph
        zone_label: dict[str, str] = {}
        zone_ids = [u.id for u in self.units.values() if u.is_zone]
        for zone_id in zone_ids:
            unit = self.units[zone_id]
            texts = _by_prominence(unit.texts, unit.bound_text) + unit.named_by  # a callout titles an untitled zone
            title = split_label(texts[0].text)[0] if texts else ""
            zone_label[zone_id] = title
            parent = unit.parent if unit.parent in zone_ids else self._zone_of_box(unit.bbox, exclude=zone_id)
            graph.zones.append(Zone(id=zone_id, label=title, parent=parent, sources=[zone_id]))
            for text in texts[1:]:
                graph.notes.append(Note(id=text.id, text=text.text, zone=title or None))
        connected = {uid for _, s, e in self.resolved for uid in (s, e)}
        in_legend = self._legend_members(connected)
        for unit in self.units.values():
            if unit.is_zone:
                continue
            heading = ""  # the text the label comes from, read whole to tell a note
            if unit.texts:
                texts = _by_prominence(unit.texts, unit.bound_text)
                heading = texts[0].text
                label, annotations, lines = split_title(heading)
                # a callout at a shape with its own name says more about it: "Model A" keeps its
                # name, and the bubble's "REST Server / Model" is what it is drawn as
                for extra in texts[1:] + unit.named_by:
                    annotations.append(" ".join(extra.text.split()))
            elif unit.named_by:  # a callout names it: its first callout's text, the others remarks
                heading = unit.named_by[0].text
                label, annotations, lines = split_title(heading)
                annotations += [" ".join(extra.text.split()) for extra in unit.named_by[1:]]
            elif unit.icon_name:
                label, annotations, lines = unit.icon_name, [], ""
            else:
                if unit.id in connected:
                    label, annotations, lines = "", [], ""
                    graph.warnings.append(f"{unit.id} is a connected shape without a label")
                else:
                    reason = "image without a caption" if unit.is_image else "shape without a label or connection"
                    graph.ignored.append(Ignored(id=unit.id, reason=reason))
                    continue
            zone_id = self._zone_for(unit, zone_label)
            title = zone_label.get(zone_id) if zone_id else None
            written = unit.texts + unit.named_by
            if unit.id not in connected and written and (unit.is_note or left_as_note(unit.kind_tag, title, heading, unit.id in in_legend)):
                graph.notes.append(Note(id=unit.id, text="\n".join(t.text for t in written), zone=title))
                continue
            sources = unit.sources + [t.id for t in written]
            graph.components.append(_component(unit.id, label, annotations, zone_id, zone_label, sources, unit.bbox, unit.kind_tag,
                                               unit.kind_hint, _hint_note(unit.icon_name, unit.drawn_as), lines))
        for text in self.free_texts:
            zone_id = self._zone_of_box(text.bbox)
            if text.id in self.text_units:
                label, annotations, lines = split_title(text.text)
                graph.components.append(_component(text.id, label, annotations, zone_id, zone_label, [text.id], text.bbox,
                                                   text.kind_tag, lines))
            else:
                graph.notes.append(Note(id=text.id, text=text.text, zone=zone_label.get(zone_id) if zone_id else None))
        emitted = {c.id for c in graph.components} | set(zone_label)
        zones = set(zone_label)
        link_labels = {t.container: t.text for t in self.sketch.texts if t.container in self.links_by_id}
        for link, start, end in self.resolved:
            if start not in emitted or end not in emitted:
                continue
            label = " ".join(link_labels.get(link.id, "").split())
            _add_connections(graph, link, start, end, label, zones)


def _hint_note(icon: str | None, drawn_as: str | None) -> str:
    return f"typed from its icon ({icon})" if icon else f"typed from its outline ({drawn_as})"


def _component(element_id: str, label: str, annotations: list[str], zone_id: str | None, zone_label: dict[str, str],
               sources: list[str], bbox: BBox, tag: str | None, hint: str | None = None, hint_note: str = "",
               lines: str = "") -> Component:
    if hint and not tag:  # a kind the icon suggests: classify.py lets the label decide first
        return Component(id=element_id, label=label, lines=lines, zone=(zone_label.get(zone_id) or None) if zone_id else None,
                         zone_id=zone_id, sources=sources, annotations=annotations, position=geometry.centre(bbox),
                         kind=hint, kind_source="icon", kind_note=hint_note)
    return Component(
        id=element_id,
        label=label,
        lines=lines,
        zone=(zone_label.get(zone_id) or None) if zone_id else None,
        zone_id=zone_id,
        sources=sources,
        annotations=annotations,
        position=geometry.centre(bbox),
        kind=tag or "unknown",
        kind_source="tag" if tag else "lexicon",
    )


def _by_prominence(texts: list[Text], bound_first: bool) -> list[Text]:
    """The label is the bound text, else the largest, then the topmost text."""
    if len(texts) < 2:
        return list(texts)
    if bound_first and texts:
        return texts[:1] + sorted(texts[1:], key=lambda t: (-t.font_size, t.bbox[1], t.bbox[0]))
    return sorted(texts, key=lambda t: (-t.font_size, t.bbox[1], t.bbox[0]))


def _caption_gap(icon: BBox, text: BBox) -> float | None:
    """Distance from an icon to a text just below it or beside it, or None."""
    ix, iy, iw, ih = icon
    tx, ty, tw, th = text
    below = ty - (iy + ih)
    if -th / 2 <= below <= CAPTION_GAP and geometry.overlap_x(icon, text) >= 0.3 * min(tw, iw):
        return max(below, 0.0)
    beside = max(tx - (ix + iw), ix - (tx + tw))
    if 0 <= beside <= CAPTION_GAP / 2 and geometry.overlap_y(icon, text) >= 0.5 * min(th, ih):
        return beside + 5.0  # below is the usual place: prefer it on a tie
    return None


class _TextPlaces:
    """Free texts by where they are drawn: texts with the same box are one place, one
    candidate to measure, handed out in `key` order as they are taken."""

    def __init__(self, texts: list[Text], work: geometry.Work, key) -> None:
        by_box: dict[BBox, int] = {}
        self.boxes: list[BBox] = []
        self.ids: list[list[str]] = []
        for text in sorted(texts, key=key):
            place = by_box.get(text.bbox)
            if place is None:
                place = by_box[text.bbox] = len(self.boxes)
                self.boxes.append(text.bbox)
                self.ids.append([])
            self.ids[place].append(text.id)
        self.open = [0] * len(self.ids)  # before this, every text of the place is taken
        self.index = geometry.GridIndex(work=work)
        for place, box in enumerate(self.boxes):
            self.index.insert(place, box)

    def first_id(self, place: int, taken: set[str]) -> str | None:
        ids, i = self.ids[place], self.open[place]
        while i < len(ids) and ids[i] in taken:
            i += 1
        self.open[place] = i
        return ids[i] if i < len(ids) else None


def _push_caption(heap: list, icon_id: str, options: dict, places: _TextPlaces, taken: set[str]) -> None:
    """Push the icon's best pair still open: its nearest place with a text not taken (of
    places at the same gap, the one whose first open text id is smallest)."""
    found = options[icon_id]  # (gap, place), nearest last
    while found:
        gap = found[-1][0]
        tied = len(found)
        while tied > 0 and found[tied - 1][0] == gap:
            tied -= 1
        open_ids = [text_id for _, place in found[tied:] if (text_id := places.first_id(place, taken)) is not None]
        if open_ids:
            heapq.heappush(heap, (gap, icon_id, min(open_ids)))
            return
        del found[tied:]  # every text at that gap is taken


def _point_box(bbox: BBox) -> BBox:
    """The box's centre, as a box of no size."""
    return (bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2, 0.0, 0.0)


def _points_box(points: list[Point]) -> BBox:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _is_closed(points: list[Point]) -> bool:
    return len(points) >= 3 and abs(points[0][0] - points[-1][0]) + abs(points[0][1] - points[-1][1]) < 8


def _nested(a: BBox, b: BBox) -> bool:
    return geometry.contains_box(a, b) or geometry.contains_box(b, a)
