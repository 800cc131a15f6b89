"""Excalidraw scene JSON -> Sketch. Every field is checked; nothing is trusted to exist.

The scene may come from a `.excalidraw` file or be unwrapped from an SVG, PNG or
Obsidian note (`embedded.py`). Formats: docs in ../shared/spec/EXCALIDRAW.md §1.
"""

from __future__ import annotations

import math
from typing import Any

import orjson

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS
from diagramcheck.sketch import MAX_ID, Ignored, Link, Shape, Sketch, Text, cap_id

SHAPE_TYPES = {"rectangle", "ellipse", "diamond", "image", "embeddable", "iframe"}
ZONE_TYPES = {"frame", "magicframe"}
LINEAR_TYPES = {"arrow", "line", "draw"}  # legacy `draw` is a line


def parse_scene_bytes(data: bytes) -> dict:
    try:
        scene = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DiagramError(_not_json(data, exc)) from None
    return check_scene(scene)


_IMAGE_MAGIC = {b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
                b"PK\x03\x04": "a zip archive"}


def _not_json(data: bytes, exc: Exception) -> str:
    """Why bytes are no scene, in the user's terms: a binary file says what it is, not how
    the JSON parser failed on its first byte."""
    kind = next((what for magic, what in _IMAGE_MAGIC.items() if data.startswith(magic)), None)
    if kind is not None:
        return f"not an Excalidraw scene: the file is {kind} (export with 'Embed scene' to keep the drawing in it)"
    try:
        data[:65536].decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < 65536 - 4:  # not a character cut at the end of the sample
            return "not valid JSON: the file is binary, not UTF-8 text"
    return f"not valid JSON ({_short(exc)})"


def check_scene(scene: Any) -> dict:
    if not isinstance(scene, dict):
        raise DiagramError("not an Excalidraw scene (the JSON is not an object)")
    kind = scene.get("type")
    if kind is None and "elements" not in scene:
        raise DiagramError("not an Excalidraw scene (no `type` and no `elements`)")
    if kind is not None and kind not in ("excalidraw", "excalidraw/clipboard"):
        raise DiagramError(f"not an Excalidraw scene (type is {str(kind)[:40]!r})")
    elements = scene.get("elements", [])
    if elements is None:
        elements = []
    if not isinstance(elements, list):
        raise DiagramError("`elements` is not a list")
    LIMITS.check("element count", len(elements), LIMITS.max_elements)
    return scene


WRITE_NESTING = 254  # what orjson writes, and well within what copy.deepcopy and json can recurse


def check_writable(scene: dict) -> None:
    """A scene `fix` can copy and write back: nested at most WRITE_NESTING deep. The review
    never walks into nested values (customData, appState), so it reads up to the parser's
    bound; copying and writing them recurse, and 600 levels raised RecursionError."""
    try:
        orjson.dumps(scene)  # C code: the one pass over the scene that costs next to nothing
    except orjson.JSONEncodeError as exc:
        if "Recursion" not in str(exc):
            raise DiagramError(f"the scene cannot be written back ({_short(exc)})") from None
        raise LimitExceeded(f"JSON nesting depth is over the limit of {WRITE_NESTING} for a corrected copy") from None


def scene_to_sketch(scene: dict, path: str, fmt: str, text_overrides: dict[str, str] | None = None) -> Sketch:
    elements = scene.get("elements") or []
    return elements_to_sketch(_draining(elements), path, fmt, text_overrides)


def _draining(elements: list):
    """Each element dict is dropped from the list once read, so big scenes peak lower."""
    for position in range(len(elements)):
        raw, elements[position] = elements[position], None
        yield raw


def stream_to_sketch(text: str, path: str, fmt: str) -> Sketch:
    """Big files: one element decoded at a time (readers/stream.py)."""
    from diagramcheck.readers.stream import stream_elements

    meta: dict = {}
    sketch = elements_to_sketch(stream_elements(text, meta), path, fmt, None)
    check_scene({"elements": [], **meta})  # `elements` is only in meta when it was not a list
    return sketch


def elements_to_sketch(elements, path: str, fmt: str, text_overrides: dict[str, str] | None = None) -> Sketch:
    sketch = Sketch(path=path, format=fmt)
    seen: set[str] = set()
    for position, raw in enumerate(elements):
        if not isinstance(raw, dict):
            sketch.ignored.append(Ignored(f"#{position}", "element is not a JSON object"))
            continue
        if raw.get("isDeleted") is True:
            continue
        element_id = raw.get("id")
        if element_id.__class__ is str and 0 < len(element_id) <= MAX_ID and element_id not in seen:
            seen.add(element_id)  # the usual case, without a call
        else:
            element_id = _element_id(raw, position, seen)
        kind = raw.get("type")
        if not isinstance(kind, str):
            sketch.ignored.append(Ignored(element_id, "element has no type"))
            continue
        if kind in SHAPE_TYPES or kind in ZONE_TYPES:
            sketch.shapes.append(_shape(raw, element_id, kind))
        elif kind == "text":
            text = _text(raw, element_id, text_overrides)
            if text is None:
                sketch.ignored.append(Ignored(element_id, "empty text"))
            else:
                sketch.texts.append(text)
        elif kind in LINEAR_TYPES:
            sketch.links.append(_link(raw, element_id, kind))
        elif kind == "freedraw":
            sketch.decorations.append(_shape(raw, element_id, kind))
        else:
            sketch.ignored.append(Ignored(element_id, f"element type {kind[:30]!r} is not drawn"))
    return sketch


def _element_id(raw: dict, position: int, seen: set[str]) -> str:
    element_id = raw.get("id")
    if not isinstance(element_id, str) or not element_id:
        element_id = f"element-{position}"
    element_id = cap_id(element_id)
    if element_id in seen:  # the app gives duplicates a fresh id; ours is deterministic
        element_id = f"{element_id}~{position}"
    seen.add(element_id)
    return element_id


def _num(raw: dict, key: str, default: float = 0.0) -> float:
    """A finite, sane number, else the default (bools, strings, NaN, 1e308 are all refused)."""
    value = raw.get(key, default)
    kind = type(value)  # exact types: bool is an int subclass and must not pass
    if kind is float:
        return value if -1e9 <= value <= 1e9 else default  # NaN fails both comparisons
    if kind is int:
        return float(value) if -1e9 <= value <= 1e9 else default
    return default


def _str(raw: dict, key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def _angle(raw: dict) -> float:
    angle = raw.get("angle")
    if angle == 0 and angle.__class__ is int:  # the app writes 0 for most elements
        return 0.0
    return _num(raw, "angle")


_REAL = {float, int}  # exact types: bool is an int subclass and must not pass


def _bbox(raw: dict) -> tuple[float, float, float, float]:
    get = raw.get
    x, y, w, h = get("x"), get("y"), get("width"), get("height")
    # the usual case, four numbers (half the files mix in ints), checked without four calls
    # (NaN fails the comparisons); float() gives a float back as it is, -0.0 included
    if (x.__class__ in _REAL and y.__class__ in _REAL and w.__class__ in _REAL and h.__class__ in _REAL
            and -1e9 <= x <= 1e9 and -1e9 <= y <= 1e9 and -1e9 <= w <= 1e9 and -1e9 <= h <= 1e9):
        x, y, w, h = float(x), float(y), float(w), float(h)
    else:
        x, y, w, h = _num(raw, "x"), _num(raw, "y"), _num(raw, "width"), _num(raw, "height")
    if w < 0:  # negative sizes are normalised by the app
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return (x, y, w, h)


def _groups(raw: dict) -> tuple[str, ...]:
    groups = raw.get("groupIds")
    if not groups or type(groups) is not list:  # most elements are in no group
        return ()
    return tuple(g for g in groups if isinstance(g, str))


def _kind_tag(raw: dict) -> str | None:
    custom = raw.get("customData")
    if custom and isinstance(custom, dict):
        ours = custom.get("diagramcheck")
        if isinstance(ours, dict) and isinstance(ours.get("kind"), str):
            return ours["kind"]
    return None


def _shape(raw: dict, element_id: str, kind: str) -> Shape:
    is_zone = kind in ZONE_TYPES
    name = _str(raw, "name") if is_zone else None
    return Shape(
        id=element_id,
        type=kind,
        bbox=_bbox(raw),
        angle=_angle(raw),
        dashed=raw.get("strokeStyle") in ("dashed", "dotted"),
        group_ids=_groups(raw),
        parent=_str(raw, "frameId"),
        label=name,
        kind_tag=_kind_tag(raw),
        is_zone=is_zone,
    )


def unwikilink(text: str) -> str:
    r"""Obsidian's `[[target|alias]]` and `[[target]]` as the text they show (alias, or
    target): what re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text) gives, in
    linear time (that pattern scans to the next `]` from every `[[`: quadratic on `[[[[...`).

    A link's inside holds no `]`, so a `[[` can only close at the first `]` after it, and
    only if a second `]` follows; the alias is what follows the first `|`."""
    if "[[" not in text:
        return text
    out: list[str] = []
    done = 0
    start = text.find("[[")
    close = -1
    while start != -1:
        if close < start + 2:
            close = text.find("]", start + 2)
            if close == -1:
                break  # no `]` left: nothing further can close
        if text.startswith("]]", close):
            inside = text[start + 2 : close]
            out += (text[done:start], inside.partition("|")[2] if "|" in inside else inside)
            done = close + 2
            start = text.find("[[", done)
        else:
            start = text.find("[[", start + 1)
    out.append(text[done:])
    return "".join(out)


def _text(raw: dict, element_id: str, overrides: dict[str, str] | None) -> Text | None:
    content = None
    if overrides and element_id in overrides:
        content = unwikilink(overrides[element_id])
    if not content:
        content = _str(raw, "originalText") or _str(raw, "text")
    if not content or not content.strip():
        return None
    content = content[: LIMITS.max_label_chars]  # before the size estimate below
    font_size = _num(raw, "fontSize", 20.0) or 20.0
    x, y, w, h = _bbox(raw)
    if w == 0 and h == 0:  # missing sizes: estimate as the app's writers do
        lines = content.split("\n")
        w = max(len(line) for line in lines) * 0.55 * font_size
        h = len(lines) * 1.25 * font_size
    return Text(
        id=element_id,
        text=content,
        bbox=(x, y, w, h),
        angle=_angle(raw),
        font_size=font_size,
        container=_str(raw, "containerId"),
        group_ids=_groups(raw),
        parent=_str(raw, "frameId"),
        kind_tag=_kind_tag(raw),
    )


def _link(raw: dict, element_id: str, kind: str) -> Link:
    absolute = _points(raw, _num(raw, "x"), _num(raw, "y"))
    angle = _angle(raw)
    if angle:
        xs = [p[0] for p in absolute]
        ys = [p[1] for p in absolute]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        absolute = [_rotate(p, (cx, cy), angle) for p in absolute]
    is_arrow = kind == "arrow"
    # A missing endArrowhead key on an arrow means "arrow"; an explicit null means none.
    end_head = raw.get("endArrowhead", "arrow" if is_arrow else None)
    start_head = raw.get("startArrowhead")
    return Link(
        id=element_id,
        points=absolute,
        start=_binding(raw.get("startBinding")),
        end=_binding(raw.get("endBinding")),
        start_head=isinstance(start_head, str),
        end_head=isinstance(end_head, str),
        is_line=not is_arrow,
        dashed=raw.get("strokeStyle") in ("dashed", "dotted"),
        elbowed=raw.get("elbowed") is True,
        group_ids=_groups(raw),
    )


def _points(raw: dict, x: float, y: float) -> list[tuple[float, float]]:
    """The points made absolute; invalid ones are skipped (the check is inlined: this runs
    for every point of every arrow)."""
    points = raw.get("points")
    good: list[tuple[float, float]] = []
    if type(points) is list:
        for p in points:
            if type(p) is list and len(p) >= 2:
                dx, dy = p[0], p[1]
                # exact types (a bool is an int subclass); NaN fails both comparisons; one
                # bound for ints and floats, because orjson reads an integer beyond 64 bits
                # as a float and the standard library (big files) as an int
                tx, ty = type(dx), type(dy)
                if ((tx is float or tx is int) and -_HUGE <= dx <= _HUGE) and (
                    (ty is float or ty is int) and -_HUGE <= dy <= _HUGE
                ):
                    good.append((x + dx, y + dy))
    if len(good) < 2:  # files before Feb 2020 had no points
        good = [(x, y), (x + _num(raw, "width"), y + _num(raw, "height"))]
    return good


_HUGE = 2**53


def _binding(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("elementId"), str):
        return value["elementId"]
    return None


def _rotate(point: tuple[float, float], centre: tuple[float, float], angle: float) -> tuple[float, float]:
    px, py = point[0] - centre[0], point[1] - centre[1]
    c, s = math.cos(angle), math.sin(angle)
    return (centre[0] + px * c - py * s, centre[1] + px * s + py * c)


def _short(exc: Exception) -> str:
    return str(exc).split("\n")[0][:120]
