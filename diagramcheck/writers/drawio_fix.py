"""draw.io in, draw.io out: the user's document with what the review found missing added
to the page that was reviewed, as dashed red cells.

Every original cell keeps its attributes, children and order, except the geometry of a
swimlane or container that grew to hold what its role adds, or was pushed along by one
(drawio_lanes.py); the reviewed page is
written uncompressed (a compressed page is decoded, extended and stored plain, which the
app opens the same) and every other page is left as it was, compressed or not. An
export (`.drawio.png`, `.drawio.svg`) gives a plain `.drawio` file: rewriting the PNG's
or SVG's picture would need draw.io's renderer, and an export whose picture disagreed
with its embedded diagram would mislead.

Added boxes are `UserObject` cells carrying their kind (`diagramcheck_kind`, which the
reader reads back) with a plain-text label (`html` off, so no label can inject markup);
added connections are edges bound to their cells by `source`/`target`, routed by the
app. What goes where is the fix plan (plan.py): an added cell is the child of the lane its
role belongs to, next to what it connects to, clear of everything; an arrow the plan would
remove is named in the legend.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, SubElement, tostring

from diagramcheck import geometry
from diagramcheck.model import ComponentGraph
from diagramcheck.plan import FixPlan
from diagramcheck.readers.drawio import KIND_ATTRIBUTE
from diagramcheck.readers.drawio_file import choose_page, page_model, read_document
from diagramcheck.sketch import full_ids
from diagramcheck.writers import drawio_lanes
from diagramcheck.writers.corrected import ADDED_COLOUR, _legend

BOX_STYLE = f"rounded=1;whiteSpace=wrap;dashed=1;strokeColor={ADDED_COLOUR};fontColor={ADDED_COLOUR};fillColor=none;"
EDGE_STYLE = f"endArrow=classic;dashed=1;strokeColor={ADDED_COLOUR};"
LEGEND_STYLE = f"text;whiteSpace=wrap;align=left;verticalAlign=top;fontColor={ADDED_COLOUR};"


def corrected_drawio(data: bytes, name: str, fmt: str, page_name: str | None, original: ComponentGraph, plan: FixPlan) -> bytes:
    """The corrected document as `.drawio` XML."""
    document = read_document(data)
    chosen, _ = choose_page(document, name, page_name)
    model = page_model(chosen)
    if model is not chosen.element and model not in list(chosen.element):
        chosen.element.text = None  # a compressed page: store it plain
        chosen.element.append(model)
    root = next(child for child in model if child.tag == "root")
    layer = _first_layer(root)
    taken = {el.get("id") for el in root}
    full = full_ids(taken)  # the graph knows long ids capped; the file's are whole

    zone_cells = {z.id: full.get(s, s) for z in original.zones for s in (z.sources or [z.id])[:1]}
    page = drawio_lanes.Page(model, set(zone_cells.values()))
    anchors = {c.id: [full.get(s, s) for s in c.sources] for c in original.components}
    neighbours: dict[str, list[str]] = {c.id: [] for c in plan.components}
    for conn in plan.connections:
        for a, b in ((conn.source, conn.target), (conn.target, conn.source)):
            if a in neighbours:
                neighbours[a].append(b)
    layout = drawio_lanes.lay_out(page, [(c.id, zone_cells.get(c.zone_id or ""), neighbours[c.id]) for c in plan.components],
                                  anchors)
    _move_lanes(page, layout)
    boxes = dict(page.box)  # every cell where it is now, by cell id
    new_id = _ids(taken)
    cell_of: dict[str, str] = {}
    for component in plan.components:
        x, y, w, h = layout.boxes[component.id]
        holder = layout.parents[component.id]
        ox, oy = page.box[holder][:2] if holder is not None else (0.0, 0.0)
        wrapper = SubElement(root, "UserObject", {"label": component.label, KIND_ATTRIBUTE: component.kind, "id": next(new_id)})
        cell = SubElement(wrapper, "mxCell", {"style": BOX_STYLE, "vertex": "1", "parent": holder or layer})
        SubElement(cell, "mxGeometry", {"x": _n(x - ox), "y": _n(y - oy), "width": _n(w), "height": _n(h), "as": "geometry"})
        cell_of[component.id] = wrapper.get("id")
        boxes[wrapper.get("id")] = (x, y, w, h)
    for conn in plan.connections:
        source = cell_of.get(conn.source) or full.get(conn.source, conn.source)
        target = cell_of.get(conn.target) or full.get(conn.target, conn.target)
        if source not in taken | set(cell_of.values()) or target not in taken | set(cell_of.values()):
            continue
        edge = SubElement(root, "mxCell", {"id": next(new_id), "style": EDGE_STYLE, "edge": "1", "parent": layer,
                                            "source": source, "target": target})
        geo = SubElement(edge, "mxGeometry", {"relative": "1", "as": "geometry"})
        for role, end in (("sourcePoint", source), ("targetPoint", target)):
            if end in boxes:
                cx, cy = geometry.centre(boxes[end])
                SubElement(geo, "mxPoint", {"x": _n(cx), "y": _n(cy), "as": role})
    names = {c.id: c.label for c in original.components}
    legend = "\n".join([_legend(plan)] + [f"✕ {r.note} ({names.get(r.source, r.source)} -> {names.get(r.target, r.target)})"
                                         for r in plan.removals])
    drawn = list(page.box.values()) + list(layout.boxes.values())
    extent = geometry.union(drawn) if drawn else (0.0, 0.0, 0.0, 0.0)
    lines = legend.count("\n") + 1
    note = SubElement(root, "mxCell", {"id": next(new_id), "value": legend, "style": LEGEND_STYLE, "vertex": "1", "parent": layer})
    SubElement(note, "mxGeometry", {"x": _n(extent[0]), "y": _n(extent[1] - 30 - 18 * lines), "width": "520",
                                    "height": _n(18 * lines + 10), "as": "geometry"})
    return _serialise(document.root)


def _move_lanes(page: drawio_lanes.Page, layout: drawio_lanes.Layout) -> None:
    """The lanes that grew or were pushed along get their new geometry, stored relative to
    their parent as the app stores it (a lane in a pool that moved with it keeps its x, y)."""
    for lane_id, (old, new) in layout.moved.items():
        geo = page.lanes[lane_id].geometry
        holder = page.parent.get(lane_id)
        if holder is not None:
            (pox, poy), (pnx, pny) = page.original[holder][:2], page.box[holder][:2]
        else:
            pox = poy = pnx = pny = 0.0
        dx, dy = (new[0] - pnx) - (old[0] - pox), (new[1] - pny) - (old[1] - poy)
        for key, delta in (("x", dx), ("y", dy)):
            if abs(delta) > 1e-6:
                geo.set(key, _n(_number(geo.get(key)) + delta))
        for key, old_size, new_size in (("width", old[2], new[2]), ("height", old[3], new[3])):
            if abs(new_size - old_size) > 1e-6:
                geo.set(key, _n(new_size))


def _number(value: str | None) -> float:
    try:
        return float(value) if value is not None else 0.0
    except ValueError:
        return 0.0


def _first_layer(root: Element) -> str:
    cells = [el if el.tag == "mxCell" else el.find("mxCell") for el in root]
    ids = [el.get("id") for el in root]
    top = {ids[i] for i, c in enumerate(cells) if c is not None and not c.get("parent")}
    for i, cell in enumerate(cells):
        if cell is not None and cell.get("parent") in top and cell.get("vertex") != "1" and cell.get("edge") != "1":
            return ids[i]
    return next(iter(top), None) or "1"  # no layer: cells hang off the root cell


def _ids(taken: set):
    number = 0
    while True:
        number += 1
        candidate = f"diagramcheck-{number}"
        if candidate not in taken:
            taken.add(candidate)
            yield candidate


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _serialise(root: Element) -> bytes:
    return tostring(root, encoding="utf-8", xml_declaration=False) + b"\n"
