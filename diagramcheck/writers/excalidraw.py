"""Writing Excalidraw elements the way the app saves them, in the portable form that
both excalidraw.com and older clients accept (../shared/spec/EXCALIDRAW.md §1.5-1.6):
explicit text sizes, two-sided bindings, bindings with both v1 and v2 fields.
"""

from __future__ import annotations

import math
import random

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
FONT_SIZE = 20
LINE_HEIGHT = 1.25
CHAR_WIDTH = 0.58  # of the font size, for Excalifont; a slight overestimate is safe
UPDATED = 1_735_689_600_000  # fixed so that output is reproducible


def fractional_index(i: int) -> str:
    """Valid fractional-index keys in increasing order: a0..az, b00..bzz."""
    if i < 62:
        return "a" + BASE62[i]
    if i < 62 * 62:
        return "b" + BASE62[i // 62] + BASE62[i % 62]
    return "c" + BASE62[i // 3844 % 62] + BASE62[i // 62 % 62] + BASE62[i % 62]


def text_size(text: str, font_size: float = FONT_SIZE) -> tuple[float, float]:
    lines = text.split("\n") or [""]
    width = max(len(line) for line in lines) * CHAR_WIDTH * font_size
    return (round(max(width, font_size * 0.6), 2), round(len(lines) * font_size * LINE_HEIGHT, 2))


def wrap_label(text: str, max_chars: int = 18) -> str:
    words, lines, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > max_chars:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return "\n".join(lines)


class SceneBuilder:
    """Builds elements with stable ids (from a seed) and valid z-order indices."""

    def __init__(self, seed: int = 1, first_index: int | None = 0, style: dict | None = None) -> None:
        self.rng = random.Random(seed)
        self.elements: list[dict] = []
        self.by_id: dict[str, dict] = {}
        self.next_index = first_index
        self.style = style or {}

    def new_id(self) -> str:
        while True:
            candidate = "".join(self.rng.choice(ID_CHARS) for _ in range(8))
            if candidate not in self.by_id and candidate[0] not in "-_":
                return candidate

    def _base(self, kind: str, x: float, y: float, w: float, h: float, **extra) -> dict:
        element = {
            "id": self.new_id(),
            "type": kind,
            "x": round(x, 2),
            "y": round(y, 2),
            "width": round(w, 2),
            "height": round(h, 2),
            "angle": 0,
            "strokeColor": self.style.get("strokeColor", "#1e1e1e"),
            "backgroundColor": self.style.get("backgroundColor", "transparent"),
            "fillStyle": "solid",
            "strokeWidth": 2,
            "strokeStyle": self.style.get("strokeStyle", "solid"),
            "roughness": 1,
            "opacity": 100,
            "groupIds": [],
            "frameId": None,
            "index": None,
            "roundness": None,
            "seed": self.rng.randint(1, 2**31 - 1),
            "version": 1,
            "versionNonce": self.rng.randint(1, 2**31 - 1),
            "isDeleted": False,
            "boundElements": None,
            "updated": UPDATED,
            "link": None,
            "locked": False,
        }
        element.update(extra)
        if self.next_index is not None:
            element["index"] = fractional_index(self.next_index)
            self.next_index += 1
        self.elements.append(element)
        self.by_id[element["id"]] = element
        return element

    def frame(self, name: str, x: float, y: float, w: float, h: float) -> dict:
        frame = self._base("frame", x, y, w, h, name=name)
        frame["strokeColor"] = "#bbb"
        return frame

    def box(self, label: str, x: float, y: float, w: float = 180, h: float = 80, shape: str = "rectangle",
            frame: dict | None = None, kind: str | None = None, dashed: bool = False) -> dict:
        box = self._base(shape, x, y, w, h, roundness={"type": 3} if shape == "rectangle" else {"type": 2})
        if dashed:
            box["strokeStyle"] = "dashed"
        if frame is not None:
            box["frameId"] = frame["id"]
        if kind:
            box["customData"] = {"diagramcheck": {"kind": kind}}
        if label:
            self.label(box, label)
        return box

    def label(self, container: dict, text: str, font_size: float = FONT_SIZE) -> dict:
        shown = wrap_label(text) if container["type"] != "arrow" else text
        tw, th = text_size(shown, font_size)
        if container["type"] == "arrow":
            cx, cy = _midpoint(container)
        else:
            cx = container["x"] + container["width"] / 2
            cy = container["y"] + container["height"] / 2
        text_el = self._base(
            "text", cx - tw / 2, cy - th / 2, tw, th,
            text=shown, fontSize=font_size, fontFamily=5, textAlign="center", verticalAlign="middle",
            containerId=container["id"], originalText=text, autoResize=True, lineHeight=LINE_HEIGHT,
        )
        text_el["frameId"] = container.get("frameId")
        _bind(container, text_el["id"], "text")
        return text_el

    def text(self, text: str, x: float, y: float, font_size: float = FONT_SIZE, frame: dict | None = None) -> dict:
        tw, th = text_size(text, font_size)
        element = self._base(
            "text", x, y, tw, th,
            text=text, fontSize=font_size, fontFamily=5, textAlign="left", verticalAlign="top",
            containerId=None, originalText=text, autoResize=True, lineHeight=LINE_HEIGHT,
        )
        if frame is not None:
            element["frameId"] = frame["id"]
        return element

    def arrow(self, source: dict | None, target: dict | None, label: str | None = None, bound: bool = True,
              start: tuple[float, float] | None = None, end: tuple[float, float] | None = None,
              heads: tuple[str | None, str | None] = (None, "arrow"), dashed: bool = False, line: bool = False) -> dict:
        sx, sy = start if start else _towards(source, _centre(target) if target else end)
        ex, ey = end if end else _towards(target, _centre(source) if source else start)
        extra = {
            "points": [[0, 0], [round(ex - sx, 2), round(ey - sy, 2)]],
            "lastCommittedPoint": None,
            "startBinding": None,
            "endBinding": None,
            "startArrowhead": heads[0],
            "endArrowhead": heads[1],
        }
        if not line:
            extra["elbowed"] = False
        arrow = self._base("line" if line else "arrow", sx, sy, abs(ex - sx), abs(ey - sy), roundness={"type": 2}, **extra)
        if dashed:
            arrow["strokeStyle"] = "dashed"
        if bound and not line:
            if source is not None:
                arrow["startBinding"] = binding(source["id"])
                _bind(source, arrow["id"], "arrow")
            if target is not None:
                arrow["endBinding"] = binding(target["id"])
                _bind(target, arrow["id"], "arrow")
        if label:
            self.label(arrow, label, font_size=16)
        return arrow

    def polyline(self, points: list[tuple[float, float]], dashed: bool = False, label: str | None = None,
                 heads: tuple[str | None, str | None] = (None, "arrow")) -> dict:
        """An arrow through `points` (absolute), with sharp corners; unbound: the caller binds it."""
        x0, y0 = points[0]
        rel = [[round(px - x0, 2), round(py - y0, 2)] for px, py in points]
        xs, ys = [p[0] for p in rel], [p[1] for p in rel]
        arrow = self._base("arrow", x0, y0, max(xs) - min(xs), max(ys) - min(ys), roundness=None, points=rel,
                           lastCommittedPoint=None, startBinding=None, endBinding=None, startArrowhead=heads[0],
                           endArrowhead=heads[1], elbowed=False)
        if dashed:
            arrow["strokeStyle"] = "dashed"
        if label:
            self.label(arrow, label, font_size=16)
        return arrow

    def bind(self, arrow: dict, source: dict, target: dict) -> None:
        """Bind an arrow to both its ends, on both sides (the arrow's bindings, the shapes' boundElements)."""
        arrow["startBinding"] = binding(source["id"])
        _bind(source, arrow["id"], "arrow")
        arrow["endBinding"] = binding(target["id"])
        _bind(target, arrow["id"], "arrow")

    def scene(self, files: dict | None = None) -> dict:
        return {
            "type": "excalidraw",
            "version": 2,
            "source": "https://excalidraw.com",
            "elements": self.elements,
            "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False, "viewBackgroundColor": "#ffffff"},
            "files": files or {},
        }


def binding(element_id: str) -> dict:
    """Both schemas at once: v1 readers use focus/gap, v2 readers fixedPoint/mode."""
    return {"elementId": element_id, "focus": 0, "gap": 5, "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}


def _bind(container: dict, element_id: str, kind: str) -> None:
    bound = container.get("boundElements") or []
    if not any(b.get("id") == element_id for b in bound):
        bound.append({"id": element_id, "type": kind})
    container["boundElements"] = bound


def _centre(element: dict) -> tuple[float, float]:
    return (element["x"] + element["width"] / 2, element["y"] + element["height"] / 2)


def _towards(element: dict, point: tuple[float, float], gap: float = 6.0) -> tuple[float, float]:
    """Where the line from the element's centre to `point` leaves its outline, plus a gap."""
    cx, cy = _centre(element)
    dx, dy = point[0] - cx, point[1] - cy
    if dx == 0 and dy == 0:
        return (cx, cy)
    hw, hh = element["width"] / 2, element["height"] / 2
    if element["type"] == "ellipse":
        t = 1 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
    elif element["type"] == "diamond":
        t = 1 / (abs(dx) / hw + abs(dy) / hh)
    else:
        t = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    length = math.hypot(dx, dy)
    return (cx + dx * t + dx / length * gap, cy + dy * t + dy / length * gap)


def _midpoint(arrow: dict) -> tuple[float, float]:
    points = arrow["points"]
    if len(points) % 2 == 1:
        px, py = points[len(points) // 2]
    else:
        (ax, ay), (bx, by) = points[len(points) // 2 - 1], points[len(points) // 2]
        px, py = (ax + bx) / 2, (ay + by) / 2
    return (arrow["x"] + px, arrow["y"] + py)
