"""Tiny stdlib-only helper to write Excalidraw scenes the way the app saves them.

Used by gen_excalidraw.py. Shapes get bound text (containerId / boundElements),
arrows get startBinding / endBinding and are listed in the targets' boundElements.
Messy helpers write free text over a shape and unbound arrows ending inside shapes.
"""
import json
import random

FONT_W = 0.56  # rough glyph width factor for fontFamily 1 (Virgil)


class Scene:
    def __init__(self, seed, binding="v1", source="https://excalidraw.com"):
        self.rng = random.Random(seed)
        self.els = []
        self.byid = {}
        self.binding = binding
        self.source = source
        self.t = 1712000000000 + seed * 1000

    # ---------- low level ----------
    def _id(self, n=21):
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def _base(self, typ, x, y, w, h, **kw):
        self.t += self.rng.randint(500, 90000)
        e = {
            "id": kw.pop("id", None) or self._id(),
            "type": typ,
            "x": round(x, 2), "y": round(y, 2),
            "width": round(w, 2), "height": round(h, 2),
            "angle": 0,
            "strokeColor": kw.pop("stroke", "#1e1e1e"),
            "backgroundColor": kw.pop("bg", "transparent"),
            "fillStyle": kw.pop("fill", "solid"),
            "strokeWidth": kw.pop("sw", 2),
            "strokeStyle": kw.pop("strokeStyle", "solid"),
            "roughness": kw.pop("roughness", 1),
            "opacity": 100,
            "groupIds": kw.pop("groupIds", []),
            "frameId": kw.pop("frameId", None),
            "index": None,
            "roundness": kw.pop("roundness", {"type": 3}),
            "seed": self.rng.randint(1, 2**31 - 1),
            "version": self.rng.randint(20, 400),
            "versionNonce": self.rng.randint(1, 2**31 - 1),
            "isDeleted": False,
            "boundElements": None,
            "updated": self.t,
            "link": None,
            "locked": False,
        }
        e.update(kw)
        self.els.append(e)
        self.byid[e["id"]] = e
        return e

    @staticmethod
    def text_size(text, fs):
        lines = text.split("\n")
        w = max(len(l) for l in lines) * fs * FONT_W
        h = len(lines) * fs * 1.25
        return w, h

    def _text(self, x, y, text, fs=20, container=None, align="left", valign="top", **kw):
        w, h = self.text_size(text, fs)
        return self._base("text", x, y, w, h, text=text, originalText=text, fontSize=fs,
                          fontFamily=kw.pop("fontFamily", 1), textAlign=align, verticalAlign=valign,
                          containerId=container, autoResize=True, lineHeight=1.25,
                          roundness=None, **kw)

    # ---------- shapes ----------
    def box(self, x, y, w, h, label, shape="rectangle", bg="transparent", frame=None, fs=20, **kw):
        s = self._base(shape, x, y, w, h, bg=bg, frameId=frame["id"] if frame else None,
                       roundness=({"type": 3} if shape == "rectangle" else {"type": 2}), **kw)
        if label:
            tw, th = self.text_size(label, fs)
            t = self._text(x + (w - tw) / 2, y + (h - th) / 2, label, fs=fs, container=s["id"],
                           align="center", valign="middle",
                           frameId=frame["id"] if frame else None)
            s["boundElements"] = [{"type": "text", "id": t["id"]}]
        return s

    def text_over(self, shape, label, fs=20, dx=8, dy=8):
        """Messy: free text laid on top of a shape, not bound."""
        t = self._text(shape["x"] + dx, shape["y"] + dy, label, fs=fs,
                       frameId=shape.get("frameId"))
        return t

    def note(self, x, y, text, fs=16, frame=None, color="#1e1e1e"):
        return self._text(x, y, text, fs=fs, stroke=color, frameId=frame["id"] if frame else None)

    def frame(self, x, y, w, h, name):
        f = self._base("frame", x, y, w, h, name=name, roundness=None, sw=2, roughness=0,
                       stroke="#bbb")
        return f

    # ---------- arrows ----------
    @staticmethod
    def _anchor(s, side):
        x, y, w, h = s["x"], s["y"], s["width"], s["height"]
        return {"r": (x + w, y + h / 2), "l": (x, y + h / 2),
                "t": (x + w / 2, y), "b": (x + w / 2, y + h)}[side]

    @staticmethod
    def _sides(a, b):
        ax, ay = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
        bx, by = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        dx, dy = bx - ax, by - ay
        if abs(dx) * 0.8 >= abs(dy):
            return ("r", "l") if dx > 0 else ("l", "r")
        return ("b", "t") if dy > 0 else ("t", "b")

    def _binding(self, target):
        if self.binding == "v1":
            return {"elementId": target["id"], "focus": round(self.rng.uniform(-0.15, 0.15), 4),
                    "gap": round(self.rng.uniform(3, 9), 3)}
        return {"elementId": target["id"], "focus": 0, "gap": 5,
                "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}

    def arrow(self, a, b, label=None, sides=None, bind_start=True, bind_end=True,
              end_inside=False, start_pt=None, end_pt=None, via=None, dashed=False, fs=16,
              start_head=None):
        sa, sb = sides or self._sides(a, b)
        gap = 6
        p0 = start_pt or self._anchor(a, sa)
        p1 = end_pt or self._anchor(b, sb)
        off = {"r": (gap, 0), "l": (-gap, 0), "t": (0, -gap), "b": (0, gap)}
        if not start_pt:
            p0 = (p0[0] + off[sa][0], p0[1] + off[sa][1])
        if not end_pt:
            if end_inside:  # messy: end 15 px inside the target
                p1 = (p1[0] - off[sb][0] * 2.5, p1[1] - off[sb][1] * 2.5)
            else:
                p1 = (p1[0] + off[sb][0], p1[1] + off[sb][1])
        pts = [p0] + (via or []) + [p1]
        x0, y0 = pts[0]
        rel = [[round(px - x0, 2), round(py - y0, 2)] for px, py in pts]
        xs = [p[0] for p in rel]
        ys = [p[1] for p in rel]
        e = self._base("arrow", x0, y0, max(xs) - min(xs), max(ys) - min(ys),
                       roundness={"type": 2}, strokeStyle="dashed" if dashed else "solid",
                       points=rel, lastCommittedPoint=None,
                       startBinding=self._binding(a) if bind_start else None,
                       endBinding=self._binding(b) if bind_end else None,
                       startArrowhead=start_head, endArrowhead="arrow", elbowed=False)
        for tgt, ok in ((a, bind_start), (b, bind_end)):
            if ok:
                tgt["boundElements"] = (tgt["boundElements"] or []) + [{"id": e["id"], "type": "arrow"}]
        if label:
            # label centred on the middle point (odd count) or middle segment (even)
            n = len(pts)
            if n % 2:
                mx, my = pts[n // 2]
            else:
                (ax, ay), (bx, by) = pts[n // 2 - 1], pts[n // 2]
                mx, my = (ax + bx) / 2, (ay + by) / 2
            tw, th = self.text_size(label, fs)
            t = self._text(mx - tw / 2, my - th / 2, label, fs=fs, container=e["id"],
                           align="center", valign="middle")
            e["boundElements"] = [{"type": "text", "id": t["id"]}]
        return e

    def dump(self, path):
        # Excalidraw keeps a frame after its children in z-order only loosely; we put frames first
        frames = [e for e in self.els if e["type"] == "frame"]
        rest = [e for e in self.els if e["type"] != "frame"]
        scene = {"type": "excalidraw", "version": 2, "source": self.source,
                 "elements": frames + rest,
                 "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                              "viewBackgroundColor": "#ffffff", "lockedMultiSelections": {}},
                 "files": {}}
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(scene, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
