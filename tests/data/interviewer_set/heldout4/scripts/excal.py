"""Tiny standard-library writer for Excalidraw scenes (as the app saves them).

Boxes carry bound text (containerId <-> boundElements), arrows carry
startBinding/endBinding and are listed in the targets' boundElements,
frames own their members through frameId, notes are free text.
"""
import json
import random

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
ALPHA = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"


class Scene:
    def __init__(self, seed, font=5):
        self.rng = random.Random(seed)
        self.els = []          # ordered list of elements
        self.by_id = {}
        self.font = font
        self.line_height = {1: 1.25, 2: 1.15, 3: 1.2, 5: 1.25, 6: 1.25}[font]
        self.updated = 1717000000000 + self.rng.randint(0, 10**9)

    # ---------------------------------------------------------------- helpers
    def _id(self):
        return "".join(self.rng.choice(ALPHA) for _ in range(21))

    def _base(self, typ, x, y, w, h, **kw):
        self.updated += self.rng.randint(500, 90000)
        e = {
            "id": self._id(), "type": typ, "x": round(x, 2), "y": round(y, 2),
            "width": round(w, 2), "height": round(h, 2), "angle": 0,
            "strokeColor": "#1e1e1e", "backgroundColor": "transparent",
            "fillStyle": "solid", "strokeWidth": 2, "strokeStyle": "solid",
            "roughness": 1, "opacity": 100, "groupIds": [], "frameId": None,
            "index": None, "roundness": None,
            "seed": self.rng.randint(1, 2**31 - 1), "version": self.rng.randint(3, 140),
            "versionNonce": self.rng.randint(1, 2**31 - 1), "isDeleted": False,
            "boundElements": None, "updated": self.updated, "link": None,
            "locked": False,
        }
        e.update(kw)
        return e

    def _wrap(self, text, width, fs):
        per = max(6, int((width - 10) / (0.56 * fs)))
        out = []
        for para in text.split("\n"):
            line = ""
            for word in para.split(" "):
                cand = (line + " " + word).strip()
                if len(cand) > per and line:
                    out.append(line)
                    line = word
                else:
                    line = cand
            out.append(line)
        return "\n".join(out)

    def _text(self, text, x, y, fs, container=None, align="left", valign="top",
              wrap_width=None, frame=None):
        shown = self._wrap(text, wrap_width, fs) if wrap_width else text
        lines = shown.split("\n")
        w = max(len(l) for l in lines) * 0.56 * fs
        h = len(lines) * fs * self.line_height
        if container is not None:
            cx = container["x"] + container["width"] / 2
            cy = container["y"] + container["height"] / 2
            x, y = cx - w / 2, cy - h / 2
        t = self._base("text", x, y, w, h, fontSize=fs, fontFamily=self.font,
                       text=shown, textAlign=align, verticalAlign=valign,
                       containerId=container["id"] if container else None,
                       originalText=text, autoResize=True,
                       lineHeight=self.line_height, strokeWidth=2)
        t["frameId"] = frame
        return t

    # ----------------------------------------------------------------- public
    def frame(self, name, x, y, w, h):
        f = self._base("frame", x, y, w, h, name=name, strokeWidth=2,
                       roughness=0, roundness=None)
        f["_members"] = []
        self.by_id[f["id"]] = f
        return f

    def box(self, label, x, y, w=200, h=80, shape="rectangle", frame=None,
            bg="transparent", fs=16, stroke="solid"):
        b = self._base(shape, x, y, w, h, backgroundColor=bg,
                       roundness={"type": 3} if shape == "rectangle" else
                       ({"type": 2} if shape != "rectangle" else None),
                       strokeStyle=stroke)
        inner = w - 10 if shape == "rectangle" else (w * 0.70 if shape == "ellipse" else w * 0.5)
        t = self._text(label, 0, 0, fs, container=b, align="center",
                       valign="middle", wrap_width=inner)
        b["boundElements"] = [{"type": "text", "id": t["id"]}]
        if frame:
            b["frameId"] = frame["id"]
            t["frameId"] = frame["id"]
        self.els += [b, t]
        self.by_id[b["id"]] = b
        if frame:
            frame["_members"] += [b, t]
        return b

    def note(self, text, x, y, fs=16, width=360, frame=None, color="#1e1e1e"):
        t = self._text(text, x, y, fs, wrap_width=width,
                       frame=frame["id"] if frame else None)
        t["strokeColor"] = color
        self.els.append(t)
        if frame:
            frame["_members"].append(t)
        return t

    @staticmethod
    def _edge_point(b, tx, ty, gap=6):
        cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        dx, dy = tx - cx, ty - cy
        if dx == 0 and dy == 0:
            return cx, cy
        hw, hh = b["width"] / 2 + gap, b["height"] / 2 + gap
        if b["type"] == "ellipse":
            import math
            s = 1 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
        else:
            s = min(hw / abs(dx) if dx else 1e9, hh / abs(dy) if dy else 1e9)
        return cx + dx * s, cy + dy * s

    def arrow(self, src, dst, label=None, dashed=False, via=None, fs=14):
        scx, scy = src["x"] + src["width"] / 2, src["y"] + src["height"] / 2
        dcx, dcy = dst["x"] + dst["width"] / 2, dst["y"] + dst["height"] / 2
        mids = via or []
        first = mids[0] if mids else (dcx, dcy)
        last = mids[-1] if mids else (scx, scy)
        x0, y0 = self._edge_point(src, *first)
        x1, y1 = self._edge_point(dst, *last)
        pts = [(x0, y0)] + list(mids) + [(x1, y1)]
        rel = [[round(px - x0, 2), round(py - y0, 2)] for px, py in pts]
        xs = [p[0] for p in rel]
        ys = [p[1] for p in rel]
        a = self._base("arrow", x0, y0, max(xs) - min(xs), max(ys) - min(ys),
                       strokeStyle="dashed" if dashed else "solid",
                       roundness={"type": 2}, points=rel,
                       lastCommittedPoint=None,
                       startBinding={"elementId": src["id"], "focus": 0, "gap": 6},
                       endBinding={"elementId": dst["id"], "focus": 0, "gap": 6},
                       startArrowhead=None, endArrowhead="arrow", elbowed=False)
        self.els.append(a)
        for b in (src, dst):
            b["boundElements"] = (b["boundElements"] or []) + [{"id": a["id"], "type": "arrow"}]
        if label:
            if len(pts) % 2 == 1:
                mx, my = pts[len(pts) // 2]
            else:
                p, q = pts[len(pts) // 2 - 1], pts[len(pts) // 2]
                mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
            t = self._text(label, 0, 0, fs, align="center", valign="middle")
            t["x"], t["y"] = round(mx - t["width"] / 2, 2), round(my - t["height"] / 2, 2)
            t["containerId"] = a["id"]
            a["boundElements"] = [{"type": "text", "id": t["id"]}]
            self.els.append(t)
        return a

    # ------------------------------------------------------------------ output
    def check(self):
        shapes = [e for e in self.els if e["type"] in ("rectangle", "ellipse", "diamond")]
        notes = [e for e in self.els if e["type"] == "text" and not e["containerId"]]
        frames = [f for f in self.by_id.values() if f["type"] == "frame"]

        def ov(a, b, pad=0):
            return not (a["x"] + a["width"] + pad <= b["x"] or b["x"] + b["width"] + pad <= a["x"]
                        or a["y"] + a["height"] + pad <= b["y"] or b["y"] + b["height"] + pad <= a["y"])
        items = shapes + notes
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                assert not ov(a, b), ("overlap", a.get("text") or a["id"], b.get("text") or b["id"])
        for i, a in enumerate(frames):
            for b in frames[i + 1:]:
                assert not ov(a, b), ("frame overlap", a["name"], b["name"])
        for f in frames:
            for m in f["_members"]:
                inside = (m["x"] >= f["x"] and m["y"] >= f["y"] and
                          m["x"] + m["width"] <= f["x"] + f["width"] and
                          m["y"] + m["height"] <= f["y"] + f["height"])
                assert inside, ("member outside frame", f["name"], m.get("text") or m["id"])
            for s in items:
                if s["frameId"] != f["id"]:
                    assert not ov(s, f), ("non-member inside frame", f["name"], s.get("text") or s["id"])

    def dump(self, path):
        self.check()
        out = []
        frames = [f for f in self.by_id.values() if f["type"] == "frame"]
        # Frames are stored after their children, as the app orders them.
        member_ids = {m["id"] for f in frames for m in f["_members"]}
        placed = set()
        for f in frames:
            for e in self.els:
                if e["frameId"] == f["id"] and e["id"] not in placed:
                    out.append(e)
                    placed.add(e["id"])
            fr = {k: v for k, v in f.items() if k != "_members"}
            out.append(fr)
        for e in self.els:
            if e["id"] not in placed:
                out.append(e)
        for i, e in enumerate(out):
            e["index"] = ("a" + DIGITS[i]) if i < 62 else ("b" + DIGITS[(i - 62) // 62] + DIGITS[(i - 62) % 62])
        doc = {"type": "excalidraw", "version": 2, "source": "https://excalidraw.com",
               "elements": out,
               "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                            "viewBackgroundColor": "#ffffff", "lockedMultiSelections": {}},
               "files": {}}
        with open(path, "w") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
