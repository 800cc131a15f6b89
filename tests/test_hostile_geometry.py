"""Reading a drawing's geometry stays sub-quadratic when everything sits at one spot, and
reads what brute force reads.

The builder finds candidates through a spatial index, smallest first, and stops at the
first answer; captions are paired lazily from a heap. Hypothesis checks that on random
drawings (stacked, nested, touching) this picks exactly what comparing every pair picks;
the attack shapes check that crowded drawings are read (and how much work it took, in
comparisons, not seconds)."""

from __future__ import annotations


import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from diagramcheck import build, geometry
from diagramcheck.errors import DiagramError
from diagramcheck.readers import read_bytes, read_path
from diagramcheck.sketch import Link, Shape, Sketch, Text
from benchmarks.attacks import _element, box, design_elements, scene, text
from tests.conftest import CORPUS, SAMPLES


class _BruteForce(build._Builder):
    """The same reading, every question answered by comparing every pair."""

    def _order(self, unit_id: str) -> int:
        return list(self.units).index(unit_id)

    def _smallest_around(self, point, exclude_zones):
        found = [(geometry.area(u.bbox), self._order(u.id), u.id) for u in self.units.values()
                 if not u.is_text and not (exclude_zones and u.is_zone)
                 and geometry.distance(point, u.bbox, u.shape, u.angle) <= 0]
        return min(found)[2] if found else None

    def _find_zones(self):
        units = self.units
        area_of = {i: geometry.area(u.bbox) for i, u in units.items()}
        for outer in sorted((u for u in units.values() if u.shape == "rectangle" and not u.is_image), key=lambda u: area_of[u.id]):
            if outer.is_zone:
                continue
            limit = 0.9 * area_of[outer.id]
            if any(area_of[i] < limit and (u.texts or u.is_zone) and geometry.contains_box(outer.bbox, u.bbox)
                   for i, u in units.items()):
                outer.is_zone = True
        self.zone_index = geometry.GridIndex()
        for unit in units.values():
            if unit.is_zone:
                self.zone_index.insert(unit.id, unit.bbox)

    def _members_top(self, zone):
        return min((u.bbox[1] for u in self.units.values() if u.id != zone.id and geometry.contains_box(zone.bbox, u.bbox)),
                   default=zone.bbox[1] + zone.bbox[3])

    def _zone_of_box(self, bbox, exclude=None):
        found = [(geometry.area(u.bbox), self._order(u.id), u.id) for u in self.units.values()
                 if u.is_zone and u.id != exclude and geometry.contains_box(u.bbox, bbox)
                 and geometry.area(u.bbox) > geometry.area(bbox)]
        return min(found)[2] if found else None

    def _caption_icons(self):
        self._index_texts()
        taken = set()
        pairs = []
        for icon in [u for u in self.units.values() if not u.is_zone and not u.texts]:
            for t in self.free_texts:
                gap = build._caption_gap(icon.bbox, t.bbox)
                if gap is not None:
                    pairs.append((gap, icon.id, t.id))
        for gap, icon_id, text_id in sorted(pairs):
            icon = self.units[icon_id]
            if icon.texts or text_id in taken:
                continue
            icon.texts.append(self.text_by_id[text_id])
            self.owner[text_id] = icon_id
            taken.add(text_id)
        self.free_texts = [t for t in self.free_texts if t.id not in taken]

    def _title_zones(self):
        taken = set()
        for zone in self.units.values():
            if not zone.is_zone or zone.texts:
                continue
            best = None
            for t in self.free_texts:
                if t.id in taken or t.id in self.owner:
                    continue
                gap = zone.bbox[1] - (t.bbox[1] + t.bbox[3])
                if -5 <= gap <= build.TITLE_GAP and geometry.overlap_x(zone.bbox, t.bbox) >= 0.5 * min(t.bbox[2], zone.bbox[2]):
                    if best is None or (gap, self.text_rank[t.id]) < best[0]:
                        best = ((gap, self.text_rank[t.id]), t)
            if best is not None:
                zone.texts.append(best[1])
                zone.title_above = best[1]
                taken.add(best[1].id)
                self.owner[best[1].id] = zone.id
        self.free_texts = [t for t in self.free_texts if t.id not in taken]

    def _nearest_to(self, point, texts, zones):
        inside, near = [], []
        for unit in self.units.values():
            if unit.is_zone:
                continue
            d = geometry.distance(point, unit.bbox, unit.shape, unit.angle)
            if d <= 0:
                inside.append((geometry.area(unit.bbox), unit.id))
            elif d <= build.ATTACH_TOLERANCE:
                near.append((d, unit.id, unit.bbox))
        for t in texts.values():
            d = geometry.distance(point, t.bbox)
            if d <= 0:
                inside.append((geometry.area(t.bbox) + 1e9, t.id))
            elif d <= build.ATTACH_TOLERANCE / 2:
                near.append((d + build.ATTACH_TOLERANCE, t.id, t.bbox))
        if inside:
            return min(inside)[1], None
        if near:
            near.sort()
            if len(near) > 1 and near[1][0] - near[0][0] < build.TIE_MARGIN and not build._nested(near[0][2], near[1][2]):
                return None, ((near[0][1], near[0][0]), (near[1][1], near[1][0]))
            return near[0][1], None
        if not zones:
            return None, None
        found = [(geometry.area(u.bbox), u.id) for u in self.units.values()
                 if u.is_zone and abs(geometry.distance(point, u.bbox, u.shape, u.angle)) <= build.ATTACH_TOLERANCE]
        return (min(found)[1] if found else None), None


def _reading(builder_class, sketch: Sketch):
    graph = builder_class(sketch).build()
    return ([(c.id, c.label, c.zone_id, tuple(c.annotations)) for c in graph.components],
            [(z.id, z.label, z.parent) for z in graph.zones], [(n.id, n.zone) for n in graph.notes],
            [(c.source, c.target, c.directed) for c in graph.connections], graph.warnings)


coarse = st.integers(min_value=0, max_value=12).map(lambda v: v * 50.0)
sizes = st.sampled_from([40.0, 100.0, 200.0, 400.0, 900.0])


@st.composite
def drawings(draw) -> Sketch:
    sketch = Sketch(path="random.excalidraw", format="excalidraw")
    for i in range(draw(st.integers(min_value=1, max_value=14))):
        kind = draw(st.sampled_from(["rectangle", "rectangle", "ellipse", "frame"]))
        bbox = (draw(coarse), draw(coarse), draw(sizes), draw(sizes))
        sketch.shapes.append(Shape(id=f"s{i}", type=kind, bbox=bbox, is_zone=kind == "frame",
                                   label=f"Frame {i}" if kind == "frame" and draw(st.booleans()) else None))
        if kind != "frame" and draw(st.booleans()):
            sketch.texts.append(Text(id=f"s{i}-t", text=f"Box {i}", bbox=bbox, container=f"s{i}"))
    for i in range(draw(st.integers(min_value=0, max_value=10))):
        sketch.texts.append(Text(id=f"t{i}", text=draw(st.sampled_from(["Kafka", "Feature store", "Online", "- note"])),
                                 bbox=(draw(coarse), draw(coarse), draw(st.sampled_from([60.0, 120.0])), 20.0),
                                 font_size=draw(st.sampled_from([16.0, 20.0, 28.0]))))
    for i in range(draw(st.integers(min_value=0, max_value=8))):
        start, end = (draw(coarse), draw(coarse)), (draw(coarse), draw(coarse))
        sketch.links.append(Link(id=f"a{i}", points=[start, end],
                                 start=draw(st.sampled_from([None, "s0", "t0"])), end=draw(st.sampled_from([None, "s1"]))))
    return sketch


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drawings())
def test_the_index_reads_what_brute_force_reads(sketch):
    import copy

    assert _reading(build._Builder, copy.deepcopy(sketch)) == _reading(_BruteForce, copy.deepcopy(sketch))


def _spent(elements: list[dict]) -> tuple[int, int]:
    sketch = read_bytes(scene(elements), "crowd.excalidraw")
    builder = build._Builder(sketch)
    builder.build()
    return builder.work.spent, len(sketch.shapes) + len(sketch.texts) + len(sketch.links)


@pytest.mark.parametrize("attack", ["stacked", "nested", "icons", "arrows"])
def test_crowded_drawings_are_read_with_work_linear_in_their_size(attack):
    """Thousands of shapes at one spot cost a few comparisons each, not thousands: the
    same drawing at twice the size costs about twice as much (comparisons, not time)."""
    def drawing(n: int) -> list[dict]:
        elements, _ = design_elements()
        for i in range(n):
            if attack == "stacked":
                elements += box(f"s{i}", 3000, 3000, f"Service {i}")
            elif attack == "nested":
                elements.append(_element("rectangle", f"r{i}", 3000 + 4 * i, 3000 + 4 * i, 20_000 - 8 * i, 20_000 - 8 * i))
            elif attack == "icons":
                elements += [_element("ellipse", f"i{i}", 3000, 3000, 40, 40), text(f"c{i}", 2990, 3045, f"Icon {i}")]
            else:
                elements.append(_element("arrow", f"a{i}", 2000, 2000 + i % 7, 1020, 1020, points=[[0, 0], [1020, 1020]]))
                elements += box(f"b{i}", 3000 + (i % 40) * 3, 3000 + (i // 40) * 3, f"Box {i}", w=40, h=40)
        if attack == "nested":
            elements += box("inner", 3000 + 10_000 - 90, 3000 + 10_000 - 40, "Feature store")
        return elements

    small, n_small = _spent(drawing(400))
    large, n_large = _spent(drawing(800))
    assert large / small < 2.6 * (n_large / n_small) / 2
    assert large < geometry.Work.PER_ELEMENT * n_large / 2


def test_the_work_limit_refuses_what_it_cannot_read_cheaply():
    """Shapes that are all near but never hold one another (a checkerboard of tiny boxes
    with every arrow ending between them) are refused with the limit named."""
    elements, _ = design_elements()
    for i in range(3000):
        elements += box(f"b{i}", 3000 + (i % 60) * 0.5, 3000 + (i // 60) * 0.5, "", w=0.4, h=0.4)
    for i in range(3000):
        elements.append(_element("arrow", f"a{i}", 2000, 2000, 1015.1 + (i % 60) * 0.5, 1015.1 + (i // 60) * 0.5,
                                 points=[[0, 0], [1015.1 + (i % 60) * 0.5, 1015.1 + (i // 60) * 0.5]]))
    with pytest.raises(DiagramError, match="too crowded to read: shape comparisons are over the limit"):
        build.build_graph(read_bytes(scene(elements), "crowd.excalidraw"))


def test_real_drawings_use_a_few_comparisons_per_element():
    files = [p for p in SAMPLES.iterdir() if p.is_file() and "excalidraw" in p.name]
    if CORPUS.is_dir():
        files += [p for p in CORPUS.glob("*/*") if p.name.endswith((".excalidraw", ".excalidraw.md", ".excalidraw.svg", ".excalidraw.png"))]
    worst = 0.0
    for path in files:
        try:
            sketch = read_path(path)
        except DiagramError:
            continue
        builder = build._Builder(sketch)
        builder.build()
        worst = max(worst, builder.work.spent / max(1, len(sketch.shapes) + len(sketch.texts) + len(sketch.links)))
    assert worst <= geometry.Work.PEAK_SEEN < geometry.Work.PER_ELEMENT / 4
