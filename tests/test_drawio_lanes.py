"""`fix` on draw.io swimlanes: an added cell whose role belongs to a lane is that lane's child
(relative geometry, as the app stores it) and lies inside it; a full lane grows, pushing the
lanes stacked after it and growing its pool; nothing overlaps; the user's cells stay where
they were (a lane's children move with it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from diagramcheck.correct import correct
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import catalog_for
from diagramcheck.pipeline import load_graph
from diagramcheck.plan import FixPlan, PlannedComponent, PlannedConnection
from diagramcheck.readers.drawio import cells_of, vertex_boxes
from diagramcheck.readers.drawio_file import choose_page, page_model, read_document
from diagramcheck.writers.drawio_fix import corrected_drawio
from tests.conftest import CORPUS
from tests.test_drawio_reader import cell, edge, model, mxfile

HELDOUT = Path(__file__).parent / "data" / "interviewer_set" / "heldout8"
LANE = "swimlane;horizontal=0;whiteSpace=wrap;html=1;startSize=30;"


def page_of(data: bytes, name: str):
    chosen, _ = choose_page(read_document(data), name, None)
    return page_model(chosen)


def geometry(data: bytes, name: str):
    cells, boxes = vertex_boxes(page_of(data, name))
    return {c.id: c for c in cells}, boxes


def overlap(a, b, slack=0.5) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) + slack and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1]) + slack


def inside(inner, outer, slack=0.5) -> bool:
    return (inner[0] >= outer[0] - slack and inner[1] >= outer[1] - slack
            and inner[0] + inner[2] <= outer[0] + outer[2] + slack and inner[1] + inner[3] <= outer[1] + outer[3] + slack)


def relation(a, b) -> str:
    if not overlap(a, b):
        return "apart"
    return "inside" if inside(a, b) else "holds" if inside(b, a) else "partial"


def content(lane, box):
    band = float(lane.style.get("startSize", 23)) if "swimlane" in lane.names else 0.0
    x, y, w, h = box
    return (x + band, y, w - band, h) if lane.style.get("horizontal") == "0" else (x, y + band, w, h - band)


def ancestors(cells: dict, cid: str) -> list[str]:
    """The cells holding `cid`, the innermost first."""
    out, current = [], cells[cid].parent
    while current in cells and current not in out:
        out.append(current)
        current = cells[current].parent
    return out


def check(before: bytes, after: bytes, name: str, plan: FixPlan, zones: dict[str, str]) -> list[str]:
    """Asserts the layout's promises; returns the added cells placed outside their lane."""
    old_cells, old = geometry(before, name)
    new_cells, new = geometry(after, name)
    added = {cid for cid in new if cid not in old and cid.startswith("diagramcheck-")}
    by_label = {new_cells[cid].label: cid for cid in added}
    outside = []
    for component in plan.components:
        cid = by_label.get(component.label)
        assert cid is not None, component.label
        lane = zones.get(component.zone_id or "")
        if lane is None or lane not in new_cells or new_cells[lane].style.get("childLayout"):
            continue
        if new_cells[cid].parent != lane:
            outside.append(component.label)
            continue
        assert inside(new[cid], content(new_cells[lane], new[lane])), (component.label, new[cid], new[lane])
    for cid in added:  # an added box overlaps nothing but what holds it
        for other, box in new.items():
            if other != cid and other not in ancestors(new_cells, cid) and not new_cells[other].label.startswith("Added by"):
                assert not overlap(new[cid], box), (new_cells[cid].label, new_cells[other].label or other)
    lanes = set(zones.values()) & set(old)
    for lane in lanes:  # a lane that grew or moved stands to every other cell as it did
        for other in old:
            if other == lane or other in ancestors(old_cells, lane) or lane in ancestors(old_cells, other):
                continue
            then = relation(old[lane], old[other])
            if then != "partial":
                assert relation(new[lane], new[other]) == then, (old_cells[lane].label, old_cells[other].label or other)
    for cid, box in old.items():  # every cell's box: where it was, or moved with its lane, by as much as the lane
        moved = (new[cid][0] - box[0], new[cid][1] - box[1])
        holders = [a for a in ancestors(old_cells, cid) if a in lanes] + ([cid] if cid in lanes else [])
        if not holders:
            assert new[cid] == box, old_cells[cid].label
        elif cid not in lanes:
            assert new[cid][2:] == box[2:]
            outer = holders[0]
            assert moved == (new[outer][0] - old[outer][0], new[outer][1] - old[outer][1])
    return outside


def zones_of(path: Path) -> dict[str, str]:
    graph = load_graph(path)
    return {z.id: (z.sources or [z.id])[0] for z in graph.zones}


@pytest.mark.parametrize("name", ["claim_fraud_photos.drawio", "talent_sourcing_search.drawio"])
def test_added_cells_go_into_their_swimlane_and_the_stack_grows(tmp_path, name):
    path = HELDOUT / name
    result = correct(path, default_lexicon(), catalog_for())
    zones = zones_of(path)
    assert check(path.read_bytes(), result.data, name, result.plan, zones) == []
    in_lanes = [c for c in result.plan.components if c.zone_id in zones]
    assert len(in_lanes) >= 3
    _, old = geometry(path.read_bytes(), name)
    cells, new = geometry(result.data, name)
    rows = sorted(zones.values(), key=lambda z: old[z][1])
    grown = [z for z in rows if new[z][3] > old[z][3]]
    assert grown  # a full lane grew ...
    for upper, lower in zip(rows, rows[1:]):  # ... and the lanes under it still stack, touching, as drawn
        assert new[upper][1] + new[upper][3] == pytest.approx(new[lower][1])
        assert new[lower][1] - old[lower][1] == pytest.approx(sum(new[z][3] - old[z][3] for z in rows[:rows.index(lower)]))
    for component in in_lanes:  # stored relative to the lane, as the app stores a child
        cid = next(c for c in cells if cells[c].label == component.label)
        lane = zones[component.zone_id]
        stored = cells[cid].geometry
        assert float(stored.get("x")) == pytest.approx(new[cid][0] - new[lane][0])
        assert float(stored.get("y")) == pytest.approx(new[cid][1] - new[lane][1])


def corpus_drawio() -> list[Path]:
    folder = CORPUS / "drawio"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if ".drawio" in p.name or p.name.startswith("mercari") or p.name.startswith("mrk"))


@pytest.mark.parametrize("index", range(30))
def test_corpus_fixes_keep_lanes_whole(index):
    """Every added cell overlaps nothing, lanes keep their relations, the user's cells stay;
    a swimlane holds what is added to it. A plain box drawn around others that the user's
    own cells hem in on every side cannot grow without moving them: its cells go outside."""
    paths = corpus_drawio()
    if index >= len(paths):
        pytest.skip("../shared/corpus is not present (or has fewer draw.io files)")
    path = paths[index]
    try:
        result = correct(path, default_lexicon(), catalog_for())
    except Exception as exc:  # noqa: BLE001 - an export without a diagram is not this test's business
        pytest.skip(f"not correctable: {exc}")
    if result.data is None or not result.data.startswith(b"<mxfile"):
        pytest.skip("not a draw.io document")
    zones = zones_of(path)
    outside = check(path.read_bytes(), result.data, path.name, result.plan, zones)
    cells, _ = geometry(path.read_bytes(), path.name)
    for component in result.plan.components:
        if component.label in outside:
            lane = cells[zones[component.zone_id]]
            assert "swimlane" not in lane.names and lane.style.get("shape") != "swimlane", component.label


# --- random lane layouts ---------------------------------------------------------------

@st.composite
def lane_pages(draw):
    """A stack of lanes (rows, or columns), loose or in a pool, each holding a few boxes on
    a grid, notes beside the stack, and added components for random lanes."""
    rows = draw(st.booleans())
    pooled = draw(st.booleans())
    count = draw(st.integers(1, 4))
    cells = []
    lane_ids = []
    offset = 0.0
    pool_parent = "1"
    band = 20 if pooled else 0
    for i in range(count):
        size = draw(st.sampled_from([140, 180, 240] if rows else [260, 320]))  # room for a box across each lane
        length = draw(st.sampled_from([700, 1000]))
        lane_id = f"lane{i}"
        lane_ids.append(lane_id)
        style = LANE if rows else "swimlane;whiteSpace=wrap;html=1;startSize=30;"
        x, y, w, h = (band, offset, length, size) if rows else (offset, band, size, length)
        cells.append(cell(lane_id, f"Lane {i}", style=style, parent="pool" if pooled else "1", x=x, y=y, w=w, h=h))
        boxes = draw(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1)), unique=True, max_size=5))
        for j, (a, b) in enumerate(boxes):
            bx, by = (50 + a * 160, 15 + b * 70) if rows else (45 + b * 70, 40 + a * 160)
            if bx + 120 > w or by + 50 > h:
                continue
            cells.append(cell(f"b{i}{j}", f"Step {i}.{j}", parent=lane_id, x=bx, y=by, w=120, h=50))
        offset += size
    if pooled:
        width, height = (band + 1000, offset) if rows else (offset, band + 1000)
        style = ("swimlane;horizontal=0;childLayout=stackLayout;resizeParent=1;resizeParentMax=0;horizontalStack=0;startSize=20;"
                 if rows else "swimlane;childLayout=stackLayout;resizeParent=1;resizeParentMax=0;horizontalStack=1;startSize=20;")
        cells.insert(0, cell("pool", "Pool", style=style, parent=pool_parent, x=0, y=0, w=width, h=height))
    extent_w = 1000 + band if rows else offset
    extent_h = offset if rows else 1000 + band
    side = draw(st.sampled_from(["right", "below", "above"]))
    for k in range(draw(st.integers(0, 2))):
        nx, ny = {"right": (extent_w + 40, k * 120), "below": (k * 320, extent_h + 40), "above": (k * 320, -200)}[side]
        cells.append(cell(f"n{k}", f"Note {k}", style="shape=note;whiteSpace=wrap;html=1;", x=nx, y=ny, w=280, h=90))
    firsts = [c.split('"')[1] for c in cells if c.startswith('<mxCell id="b')]
    if len(firsts) >= 2:
        cells.append(edge("e0", firsts[0], firsts[-1]))
    wanted = draw(st.lists(st.tuples(st.sampled_from(lane_ids), st.sampled_from(firsts or [None])), min_size=1, max_size=6))
    return mxfile(("P", model(*cells))), wanted


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lane_pages())
def test_random_lane_layouts_hold_what_is_added_to_them(tmp_path, drawn):
    text, wanted = drawn
    path = tmp_path / "lanes.drawio"
    path.write_text(text, encoding="utf-8")
    graph = load_graph(path)
    zones = {z.id: (z.sources or [z.id])[0] for z in graph.zones}
    lane_zone = {cell: zid for zid, cell in zones.items()}
    by_cell = {s: c.id for c in graph.components for s in c.sources}
    plan = FixPlan()
    for i, (lane, near) in enumerate(wanted):
        plan.components.append(PlannedComponent(id=f"fix-{i}", kind="monitoring", label=f"Added {i}",
                                                zone_id=lane_zone.get(lane), zone=lane, rules=["r"]))
        if near in by_cell:
            plan.connections.append(PlannedConnection(source=by_cell[near], target=f"fix-{i}", label="", rules=["r"]))
    data = corrected_drawio(path.read_bytes(), str(path), "drawio", None, graph, plan)
    assert check(path.read_bytes(), data, path.name, plan, zones) == []
    assert [c.id for c in cells_of(page_of(data, path.name)) if c.id.startswith("diagramcheck-")]
