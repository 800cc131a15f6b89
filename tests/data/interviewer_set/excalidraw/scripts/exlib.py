"""Tiny stdlib-only writer for .excalidraw scenes, used to draw the review sketches.

It writes the element fields the Excalidraw app writes (see shared/spec/EXCALIDRAW.md):
shape labels as bound text (containerId + boundElements) or as free text laid on top,
arrows bound (startBinding/endBinding mirrored in boundElements) or merely drawn near
or into a box, frames (members carry frameId, the frame comes after its members) and
dashed rectangles used as zones.
"""
import json
import math
import random

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
LINE_HEIGHT = {1: 1.25, 2: 1.15, 3: 1.2, 5: 1.25, 6: 1.25, 8: 1.25, 9: 1.15}
CHAR_W = {1: 0.55, 2: 0.52, 3: 0.6, 5: 0.55, 6: 0.53, 8: 0.6, 9: 0.52}


def frac_index(i):
    if i < 62:
        return "a" + B62[i]
    i -= 62
    return "b" + B62[i // 62] + B62[i % 62]


class Scene:
    def __init__(self, seed, font=5, binding="v2", source="https://excalidraw.com",
                 with_index=True, roughness=1, rounded=True, stroke="#1e1e1e",
                 stroke_width=2, fill="solid", app_state=None, t0=1754000000000):
        self.r = random.Random(seed)
        self.font = font
        self.binding = binding
        self.source = source
        self.with_index = with_index
        self.roughness = roughness
        self.rounded = rounded
        self.stroke = stroke
        self.stroke_width = stroke_width
        self.fill = fill
        self.app_state = app_state or {
            "gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
            "viewBackgroundColor": "#ffffff", "lockedMultiSelections": {}}
        self.t = t0
        self.els = []          # element dicts, creation order
        self.by_key = {}       # key -> element (shapes, zones)
        self.frames = []

    # ------------------------------------------------------------ basics
    def nid(self):
        return "".join(self.r.choice(ALPHABET) for _ in range(21))

    def base(self, typ, x, y, w, h, **kw):
        self.t += self.r.randint(800, 90000)
        e = {
            "id": self.nid(), "type": typ, "x": round(x, 2), "y": round(y, 2),
            "width": round(w, 2), "height": round(h, 2), "angle": 0,
            "strokeColor": kw.get("stroke", self.stroke),
            "backgroundColor": kw.get("bg", "transparent"),
            "fillStyle": kw.get("fill", self.fill),
            "strokeWidth": kw.get("sw", self.stroke_width),
            "strokeStyle": kw.get("style", "solid"),
            "roughness": kw.get("roughness", self.roughness),
            "opacity": 100, "groupIds": kw.get("groups", []),
            "frameId": kw.get("frame"),
            "roundness": kw.get("roundness"),
            "seed": self.r.randint(1, 2**31 - 1),
            "version": self.r.randint(2, 260),
            "versionNonce": self.r.randint(1, 2**31 - 1),
            "isDeleted": False, "boundElements": kw.get("bound", []),
            "updated": self.t, "link": None, "locked": False,
        }
        if self.with_index:
            e["index"] = None  # filled on save
        return e

    def measure(self, s, size, font=None):
        font = font or self.font
        lines = s.split("\n")
        w = max(len(l) for l in lines) * CHAR_W.get(font, 0.55) * size
        h = len(lines) * size * LINE_HEIGHT.get(font, 1.25)
        return round(w, 2), round(h, 2)

    def _text(self, s, x, y, size, container=None, align="center", valign="middle",
              color=None, frame=None, font=None):
        font = font or self.font
        w, h = self.measure(s, size, font)
        e = self.base("text", x, y, w, h, stroke=color or self.stroke, frame=frame,
                      bound=[], roundness=None)
        e.update({"fontSize": size, "fontFamily": font, "text": s, "textAlign": align,
                  "verticalAlign": valign, "containerId": container, "originalText": s,
                  "autoResize": True, "lineHeight": LINE_HEIGHT.get(font, 1.25)})
        return e

    # ------------------------------------------------------------ shapes
    def box(self, key, label, x, y, w=190, h=76, shape="rectangle", bound_text=True,
            bg="transparent", fill=None, style="solid", size=18, frame=None,
            rounded=None, stroke=None, text_color=None, sw=None):
        tw, th = self.measure(label, size)
        if shape == "rectangle":
            w = max(w, tw + 24); h = max(h, th + 20)
        elif shape == "ellipse":
            w = max(w, (tw + 14) / 0.7071); h = max(h, (th + 12) / 0.7071)
        else:  # diamond
            w = max(w, (tw + 14) * 2); h = max(h, (th + 12) * 2)
        rounded = self.rounded if rounded is None else rounded
        if shape == "rectangle":
            rnd = {"type": 3} if rounded else None
        elif shape == "diamond":
            rnd = {"type": 2} if rounded else None
        else:
            rnd = {"type": 2}
        e = self.base(shape, x, y, w, h, bg=bg, fill=fill or self.fill, style=style,
                      frame=frame, roundness=rnd, stroke=stroke or self.stroke,
                      sw=sw or self.stroke_width)
        e["_key"] = key
        self.els.append(e)
        self.by_key[key] = e
        cx, cy = x + w / 2, y + h / 2
        if bound_text:
            t = self._text(label, cx - tw / 2, cy - th / 2, size, container=e["id"],
                           color=text_color, frame=frame)
            e["boundElements"].append({"type": "text", "id": t["id"]})
            self.els.append(t)
        else:
            # free text laid over the shape, no binding (older / pasted style)
            t = self._text(label, cx - tw / 2, cy - th / 2, size, container=None,
                           color=text_color, frame=frame)
            e["_overlay"] = t["id"]
            self.els.append(t)
        return key

    def note(self, s, x, y, size=16, color=None, frame=None, align="left"):
        t = self._text(s, x, y, size, align=align, valign="top", color=color, frame=frame)
        self.els.append(t)
        return t

    def zone(self, key, title, members, pad=30, kind="frame", title_pos="above",
             title_size=20, color="#1971c2", bg="transparent", extra=(0, 0, 0, 0)):
        """kind='frame' -> Excalidraw frame named `title`; kind='dashed' -> dashed
        rectangle with a free-text title above it or inside its top-left corner."""
        xs, ys, xe, ye = [], [], [], []
        for m in members:
            e = self.by_key[m]
            xs.append(e["x"]); ys.append(e["y"])
            xe.append(e["x"] + e["width"]); ye.append(e["y"] + e["height"])
        top_pad = pad + (title_size + 16 if (kind == "dashed" and title_pos == "inside") else 0)
        x = min(xs) - pad - extra[0]; y = min(ys) - top_pad - extra[1]
        w = max(xe) + pad + extra[2] - x; h = max(ye) + pad + extra[3] - y
        if kind == "frame":
            f = self.base("frame", x, y, w, h, stroke="#bbb", roughness=0, roundness=None,
                          bound=[], sw=2)
            f["name"] = title
            f["_key"] = key
            self.els.append(f)
            self.by_key[key] = f
            self.frames.append(f)
            ids = set()
            for m in members:
                e = self.by_key[m]
                e["frameId"] = f["id"]
                ids.add(e["id"])
                for b in e["boundElements"]:
                    if b["type"] == "text":
                        self._el(b["id"])["frameId"] = f["id"]
                if e.get("_overlay"):
                    self._el(e["_overlay"])["frameId"] = f["id"]
            f["_members"] = ids
            return key
        r = self.base("rectangle", x, y, w, h, stroke=color, style="dashed", bg=bg,
                      roundness={"type": 3} if self.rounded else None, bound=[], sw=2)
        r["_key"] = key
        # zones go to the back (bottom of z-order)
        self.els.insert(0, r)
        self.by_key[key] = r
        if title_pos == "above":
            self.note(title, x + 4, y - title_size * 1.25 - 8, size=title_size, color=color)
        else:
            self.note(title, x + 14, y + 10, size=title_size, color=color)
        return key

    def _el(self, id_):
        for e in self.els:
            if e["id"] == id_:
                return e
        raise KeyError(id_)

    # ------------------------------------------------------------ connectors
    @staticmethod
    def _hit(e, dx, dy):
        """distance from centre to outline of e along unit direction (dx, dy)"""
        hw, hh = e["width"] / 2, e["height"] / 2
        if e["type"] == "ellipse":
            return 1 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
        if e["type"] == "diamond":
            return 1 / (abs(dx) / hw + abs(dy) / hh)
        ts = []
        if abs(dx) > 1e-9:
            ts.append(hw / abs(dx))
        if abs(dy) > 1e-9:
            ts.append(hh / abs(dy))
        return min(ts)

    def _end(self, e, toward, gap):
        cx, cy = e["x"] + e["width"] / 2, e["y"] + e["height"] / 2
        dx, dy = toward[0] - cx, toward[1] - cy
        n = math.hypot(dx, dy) or 1
        dx, dy = dx / n, dy / n
        t = self._hit(e, dx, dy) + gap
        return cx + dx * t, cy + dy * t

    def _binding(self, e, gap):
        if self.binding == "v1":
            return {"elementId": e["id"], "focus": 0, "gap": gap}
        return {"elementId": e["id"], "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}

    def arrow(self, a, b, label=None, bind=True, start_head=None, end_head="arrow",
              style="solid", via=(), kind="arrow", gap=None, label_size=15,
              a_off=(0, 0), b_off=(0, 0), stroke=None, curved=None):
        """a, b: keys. bind=False draws an unbound arrow whose ends sit `gap` px from the
        outline (negative gap = inside the shape). a_off/b_off shift the aim point."""
        ea, eb = self.by_key[a], self.by_key[b]
        if gap is None:
            gap = 5 if bind else 3
        ga, gb = (gap, gap) if not isinstance(gap, tuple) else gap
        ca = (ea["x"] + ea["width"] / 2 + a_off[0], ea["y"] + ea["height"] / 2 + a_off[1])
        cb = (eb["x"] + eb["width"] / 2 + b_off[0], eb["y"] + eb["height"] / 2 + b_off[1])
        first = via[0] if via else cb
        last = via[-1] if via else ca
        p0 = self._end_from(ea, ca, first, ga)
        p1 = self._end_from(eb, cb, last, gb)
        pts_abs = [p0] + list(via) + [p1]
        x0, y0 = p0
        pts = [[round(px - x0, 2), round(py - y0, 2)] for px, py in pts_abs]
        xs = [p[0] for p in pts]; ys = [p[1] for p in pts]
        rnd = {"type": 2} if (curved if curved is not None else bool(via)) else None
        if kind == "line":
            rnd = {"type": 2} if via else None
        e = self.base(kind, x0, y0, max(xs) - min(xs), max(ys) - min(ys), style=style,
                      roundness=rnd, bound=[], stroke=stroke or self.stroke)
        e["points"] = pts
        e["lastCommittedPoint"] = None
        if kind == "arrow":
            e["startBinding"] = self._binding(ea, ga) if bind else None
            e["endBinding"] = self._binding(eb, gb) if bind else None
            e["startArrowhead"] = start_head
            e["endArrowhead"] = end_head
            e["elbowed"] = False
        else:
            e["startBinding"] = None
            e["endBinding"] = None
            e["startArrowhead"] = None
            e["endArrowhead"] = None
            e["polygon"] = False
        # frame membership: both ends in the same frame
        if ea.get("frameId") and ea.get("frameId") == eb.get("frameId"):
            e["frameId"] = ea["frameId"]
        self.els.append(e)
        if kind == "arrow" and bind:
            ea["boundElements"].append({"id": e["id"], "type": "arrow"})
            eb["boundElements"].append({"id": e["id"], "type": "arrow"})
        if label:
            if len(pts_abs) % 2 == 1:
                mx, my = pts_abs[len(pts_abs) // 2]
            else:
                i = len(pts_abs) // 2
                mx = (pts_abs[i - 1][0] + pts_abs[i][0]) / 2
                my = (pts_abs[i - 1][1] + pts_abs[i][1]) / 2
            tw, th = self.measure(label, label_size)
            t = self._text(label, mx - tw / 2, my - th / 2, label_size, container=e["id"],
                           frame=e["frameId"])
            e["boundElements"].append({"type": "text", "id": t["id"]})
            self.els.append(t)
        return e

    def _end_from(self, e, c, toward, gap):
        # like _end but from an (optionally shifted) aim point inside e
        dx, dy = toward[0] - c[0], toward[1] - c[1]
        n = math.hypot(dx, dy) or 1
        dx, dy = dx / n, dy / n
        # walk from c until outside the outline, then add gap
        cx, cy = e["x"] + e["width"] / 2, e["y"] + e["height"] / 2
        if abs(c[0] - cx) < 1e-6 and abs(c[1] - cy) < 1e-6:
            t = self._hit(e, dx, dy) + gap
            return c[0] + dx * t, c[1] + dy * t
        t = 0.0
        while self._inside(e, c[0] + dx * t, c[1] + dy * t) and t < 5000:
            t += 0.5
        t += gap
        return c[0] + dx * t, c[1] + dy * t

    @staticmethod
    def _inside(e, px, py):
        hw, hh = e["width"] / 2, e["height"] / 2
        cx, cy = e["x"] + hw, e["y"] + hh
        u, v = (px - cx) / hw, (py - cy) / hh
        if e["type"] == "ellipse":
            return u * u + v * v <= 1
        if e["type"] == "diamond":
            return abs(u) + abs(v) <= 1
        return abs(u) <= 1 and abs(v) <= 1

    # ------------------------------------------------------------ output
    def scene(self):
        els = [dict(e) for e in self.els]
        # frames after their members (the app inserts members just before the frame)
        frames = [e for e in els if e["type"] == "frame"]
        rest = [e for e in els if e["type"] != "frame"]
        out = list(rest)
        for f in frames:
            last = -1
            for i, e in enumerate(out):
                if e.get("frameId") == f["id"]:
                    last = i
            out.insert(last + 1, f)
        for i, e in enumerate(out):
            e.pop("_key", None)
            e.pop("_members", None)
            e.pop("_overlay", None)
            if self.with_index:
                e["index"] = frac_index(i)
            if e["boundElements"] == [] and e["type"] in ("text",) and self.r.random() < 0.5:
                e["boundElements"] = None
        return {"type": "excalidraw", "version": 2, "source": self.source,
                "elements": out, "appState": self.app_state, "files": {}}

    def save(self, path):
        with open(path, "w") as f:
            json.dump(self.scene(), f, indent=2)
