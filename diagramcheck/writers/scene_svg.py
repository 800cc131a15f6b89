"""An Excalidraw scene as plain SVG, for the HTML report: the user's own drawing as drawn
(shapes, texts, arrows, lines, frames, freehand strokes; images as their frames), in its
own colours, with the fix plan's additions dashed red as the corrected scene has them.

Everything that comes from the file is treated as data: texts are escaped, colours pass
only if they are plain CSS colours, numbers must be finite, and no id, link or URL of the
file reaches the page. Each component gets a highlight halo, keyed by the report's own
ids, that a click on a finding lights up.
"""

from __future__ import annotations

import math
import re
from html import escape

_COLOUR = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}|rgba?\(\s*[\d.]+%?\s*(,\s*[\d.]+%?\s*){2,3}\))$")
FONTS = {3: "Cascadia Code, ui-monospace, Consolas, monospace", 8: "Comic Shanns, ui-monospace, monospace"}
HANDWRITTEN = "Virgil, Excalifont, 'Segoe Print', 'Comic Sans MS', cursive"
SANS = "Helvetica, Arial, 'Liberation Sans', sans-serif"
PAD = 30.0
MAX_ELEMENTS = 20000


def scene_svg(scene: dict, halos: dict[str, tuple[float, float, float, float]] | None = None) -> str:
    """`halos`: report id -> box, drawn hidden under everything until highlighted."""
    elements = [e for e in scene.get("elements") or [] if isinstance(e, dict) and not e.get("isDeleted")][:MAX_ELEMENTS]
    parts: list[str] = []
    bounds: list[tuple[float, float, float, float]] = []
    frames = [e for e in elements if e.get("type") in ("frame", "magicframe")]
    for frame in frames:  # behind everything, as the app draws them
        drawn = _frame(frame)
        if drawn:
            parts.append(drawn[0])
            bounds.append(drawn[1])
    for element in elements:
        if element in frames:
            continue
        drawn = _element(element)
        if drawn:
            parts.append(drawn[0])
            bounds.append(drawn[1])
    halo_parts = []
    for key, (x, y, w, h) in (halos or {}).items():
        halo_parts.append(f'<rect class="halo" data-c="{escape(key)}" x="{_n(x - 8)}" y="{_n(y - 8)}" '
                          f'width="{_n(w + 16)}" height="{_n(h + 16)}" rx="10"/>')
    if not bounds:
        bounds = [(0.0, 0.0, 100.0, 100.0)]
    x0 = min(b[0] for b in bounds) - PAD
    y0 = min(b[1] for b in bounds) - PAD
    x1 = max(b[0] + b[2] for b in bounds) + PAD
    y1 = max(b[1] + b[3] for b in bounds) + PAD
    view = f"{_n(x0)} {_n(y0)} {_n(x1 - x0)} {_n(y1 - y0)}"
    background = scene.get("appState", {}).get("viewBackgroundColor") if isinstance(scene.get("appState"), dict) else None
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sketch" viewBox="{view}" data-fit="{view}" '
        f'data-text="{_n(_text_size(elements))}" preserveAspectRatio="xMidYMid meet" role="img">'
        f'<rect x="{_n(x0)}" y="{_n(y0)}" width="{_n(x1 - x0)}" height="{_n(y1 - y0)}" fill="{_colour(background, "#ffffff")}"/>'
        + "".join(halo_parts) + "".join(parts) + "</svg>"
    )


def _text_size(elements: list[dict]) -> float:
    """The drawing's usual text size (the median of its texts' font sizes): the page opens
    the drawing at a scale where that is readable."""
    sizes = sorted(size for e in elements if e.get("type") == "text"
                   for size in [e.get("fontSize")] if isinstance(size, (int, float)) and 1 <= size <= 1000)
    return float(sizes[len(sizes) // 2]) if sizes else 20.0


def _element(e: dict):
    kind = e.get("type")
    box = element_box(e)
    if box is None:
        return None
    x, y, w, h = box
    style = _style(e)
    rotate = _rotation(e, box)
    if kind == "rectangle":
        rx = min(w, h) * 0.2 if isinstance(e.get("roundness"), dict) else 0
        return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{_n(min(rx, 24))}"{style}{rotate}/>', box)
    if kind == "ellipse":
        return (f'<ellipse cx="{_n(x + w / 2)}" cy="{_n(y + h / 2)}" rx="{_n(w / 2)}" ry="{_n(h / 2)}"{style}{rotate}/>', box)
    if kind == "diamond":
        pts = [(x + w / 2, y), (x + w, y + h / 2), (x + w / 2, y + h), (x, y + h / 2)]
        return (f'<polygon points="{_points(pts)}"{style}{rotate}/>', box)
    if kind == "text":
        return _text(e, box, rotate)
    if kind in ("arrow", "line", "freedraw"):
        return _linear(e, style)
    if kind in ("image", "embeddable", "iframe"):
        return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="#f1f3f5" stroke="#adb5bd" '
                f'stroke-dasharray="4 4"{rotate}/>', box)
    return None


def _frame(e: dict):
    box = element_box(e)
    if box is None:
        return None
    x, y, w, h = box
    name = e.get("name") if isinstance(e.get("name"), str) else "Frame"
    title = (f'<text x="{_n(x + 2)}" y="{_n(y - 8)}" font-size="14" font-family="{SANS}" fill="#868e96">'
             f"{escape(name[:200])}</text>")
    return (f'<g><rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="8" fill="none" stroke="#bbbbbb" '
            f'stroke-width="1.5"/>{title}</g>', (x, y - 28, w, h + 28))


def _text(e: dict, box, rotate: str):
    text = e.get("text") if isinstance(e.get("text"), str) else ""
    if not text.strip():
        return None
    x, y, w, h = box
    size = _number(e.get("fontSize"), 20.0)
    if not 1 <= size <= 500:
        size = 20.0
    line_height = _number(e.get("lineHeight"), 1.25)
    if not 0.5 <= line_height <= 5:
        line_height = 1.25
    family = FONTS.get(e.get("fontFamily"), HANDWRITTEN if e.get("fontFamily") in (1, 5) else SANS)
    align = e.get("textAlign")
    anchor, tx = ("middle", x + w / 2) if align == "center" else ("end", x + w) if align == "right" else ("start", x)
    colour = _colour(e.get("strokeColor"), "#1e1e1e")
    lines = text.split("\n")[:400]
    spans = "".join(
        f'<tspan x="{_n(tx)}" y="{_n(y + (i + 0.5) * size * line_height)}">{escape(line[:2000])}</tspan>'
        for i, line in enumerate(lines))
    opacity = _opacity(e)
    return (f'<text font-size="{_n(size)}" font-family="{family}" fill="{colour}" text-anchor="{anchor}" '
            f'dominant-baseline="central"{opacity}{rotate}>{spans}</text>', box)


def _linear(e: dict, style: str):
    points = e.get("points")
    if not isinstance(points, list) or len(points) < 2:
        return None
    ox, oy = _number(e.get("x"), None), _number(e.get("y"), None)
    if ox is None or oy is None:
        return None
    absolute = []
    for p in points[:5000]:
        if not isinstance(p, (list, tuple)) or len(p) < 2:
            return None
        px, py = _number(p[0], None), _number(p[1], None)
        if px is None or py is None:
            return None
        absolute.append((ox + px, oy + py))
    xs, ys = [p[0] for p in absolute], [p[1] for p in absolute]
    box = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
    heads = ""
    if e.get("type") == "arrow":
        if e.get("endArrowhead", "arrow") is not None:
            heads += _head(absolute[-2], absolute[-1])
        if e.get("startArrowhead"):
            heads += _head(absolute[1], absolute[0])
    style = style.replace(_fill_attr(e), ' fill="none"') if e.get("type") != "freedraw" else style
    if e.get("type") == "freedraw":
        style = f' fill="none" stroke="{_colour(e.get("strokeColor"), "#1e1e1e")}" stroke-width="{_n(_width(e))}" stroke-linecap="round"'
    curved = isinstance(e.get("roundness"), dict) and len(absolute) > 2 and e.get("type") != "freedraw" and not e.get("elbowed")
    path = _smooth(absolute) if curved else "M" + " L".join(f"{_n(px)},{_n(py)}" for px, py in absolute)
    if heads:
        solid = re.sub(r' stroke-dasharray="[^"]*"', "", style)
        return (f'<g><path d="{path}"{style}/><path d="{heads}"{solid}/></g>', box)
    return (f'<path d="{path}"{style}/>', box)


def _head(before: tuple[float, float], tip: tuple[float, float], size: float = 14.0) -> str:
    angle = math.atan2(tip[1] - before[1], tip[0] - before[0])
    left = (tip[0] - size * math.cos(angle - 0.45), tip[1] - size * math.sin(angle - 0.45))
    right = (tip[0] - size * math.cos(angle + 0.45), tip[1] - size * math.sin(angle + 0.45))
    return f"M{_n(left[0])},{_n(left[1])} L{_n(tip[0])},{_n(tip[1])} L{_n(right[0])},{_n(right[1])}"


def _smooth(points: list[tuple[float, float]]) -> str:
    """Catmull-Rom through the points, as cubic Béziers (how the app rounds multi-point arrows)."""
    out = [f"M{_n(points[0][0])},{_n(points[0][1])}"]
    for i in range(len(points) - 1):
        p0 = points[i - 1] if i > 0 else points[i]
        p1, p2 = points[i], points[i + 1]
        p3 = points[i + 2] if i + 2 < len(points) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        out.append(f" C{_n(c1[0])},{_n(c1[1])} {_n(c2[0])},{_n(c2[1])} {_n(p2[0])},{_n(p2[1])}")
    return "".join(out)


def _style(e: dict) -> str:
    stroke = _colour(e.get("strokeColor"), "#1e1e1e")
    dash = {"dashed": ' stroke-dasharray="10 7"', "dotted": ' stroke-dasharray="2 5"'}.get(e.get("strokeStyle"), "")
    return f'{_fill_attr(e)} stroke="{stroke}" stroke-width="{_n(_width(e))}"{dash}{_opacity(e)} stroke-linejoin="round"'


def _fill_attr(e: dict) -> str:
    fill = _colour(e.get("backgroundColor"), "transparent")
    if fill == "transparent":
        return ' fill="none"'
    opacity = ' fill-opacity="0.35"' if e.get("fillStyle") in ("hachure", "cross-hatch", "zigzag") else ""
    return f' fill="{fill}"{opacity}'


def _width(e: dict) -> float:
    width = _number(e.get("strokeWidth"), 2.0)
    return width if 0 < width <= 20 else 2.0


def _opacity(e: dict) -> str:
    opacity = _number(e.get("opacity"), 100.0)
    return f' opacity="{_n(max(0.0, min(opacity, 100.0)) / 100)}"' if opacity < 100 else ""


def _rotation(e: dict, box) -> str:
    angle = _number(e.get("angle"), 0.0)
    if not angle:
        return ""
    x, y, w, h = box
    return f' transform="rotate({_n(math.degrees(angle))} {_n(x + w / 2)} {_n(y + h / 2)})"'


def element_box(e: dict):
    """x, y, width, height with negative sizes normalised, or None when a value is not a finite number."""
    x, y = _number(e.get("x"), None), _number(e.get("y"), None)
    w, h = _number(e.get("width"), 0.0), _number(e.get("height"), 0.0)
    if x is None or y is None or w is None or h is None:
        return None
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    return (x, y, w, h)


def _number(value, default):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    value = float(value)
    return value if math.isfinite(value) and abs(value) < 1e9 else default


def _colour(value, default: str) -> str:
    if isinstance(value, str) and len(value) < 40 and _COLOUR.match(value.strip()):
        return value.strip()
    return default


def _points(points) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _n(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
