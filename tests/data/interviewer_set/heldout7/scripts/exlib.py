"""Tiny stdlib-only writer for .excalidraw scenes (shape of files saved by excalidraw.com).

Used by gen_excalidraw.py. Not related to diagramcheck.
"""
import json
import random

B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def frac_index(n):
    if n < 62:
        return "a" + B62[n]
    return "b" + B62[n // 62] + B62[n % 62]


class Scene:
    def __init__(self, seed, t0=1718000000000):
        self.rng = random.Random(seed)
        self.els = []
        self.byid = {}
        self.t = t0

    def _id(self):
        return "".join(self.rng.choice(B62 + "_-") for _ in range(21))

    def _base(self, typ, x, y, w, h, **kw):
        self.t += self.rng.randint(900, 40000)
        e = {
            "id": kw.pop("id", None) or self._id(),
            "type": typ,
            "x": round(x, 2), "y": round(y, 2),
            "width": round(w, 2), "height": round(h, 2),
            "angle": 0,
            "strokeColor": kw.pop("strokeColor", "#1e1e1e"),
            "backgroundColor": kw.pop("backgroundColor", "transparent"),
            "fillStyle": kw.pop("fillStyle", "solid"),
            "strokeWidth": kw.pop("strokeWidth", 2),
            "strokeStyle": kw.pop("strokeStyle", "solid"),
            "roughness": kw.pop("roughness", 1),
            "opacity": 100,
            "groupIds": kw.pop("groupIds", []),
            "frameId": kw.pop("frameId", None),
            "index": None,
            "roundness": kw.pop("roundness", {"type": 3}),
            "seed": self.rng.randint(1, 2**31 - 1),
            "version": self.rng.randint(3, 260),
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

    # ---- text -------------------------------------------------------
    @staticmethod
    def text_size(text, fs, lh=1.25):
        lines = text.split("\n")
        w = max(len(l) for l in lines) * 0.56 * fs
        return w, len(lines) * fs * lh

    def text(self, x, y, text, fs=16, frame=None, align="left", container=None, color="#1e1e1e", family=5):
        w, h = self.text_size(text, fs)
        return self._base("text", x, y, w, h, frameId=frame, roundness=None, strokeColor=color,
                          text=text, fontSize=fs, fontFamily=family, textAlign=align,
                          verticalAlign="middle" if container else "top",
                          containerId=container, originalText=text, autoResize=True, lineHeight=1.25)

    # ---- shapes -----------------------------------------------------
    def box(self, x, y, w, h, label, kind="rectangle", frame=None, fs=16, bound=True, bg="transparent", **kw):
        rnd = {"type": 3} if kind == "rectangle" else {"type": 2}
        s = self._base(kind, x, y, w, h, frameId=frame, backgroundColor=bg, roundness=rnd, **kw)
        tw, th = self.text_size(label, fs)
        if kind == "rectangle":
            assert tw <= w - 8 and th <= h - 8, (label, tw, w, th, h)
        tx, ty = x + (w - tw) / 2, y + (h - th) / 2
        if bound:
            t = self.text(tx, ty, label, fs=fs, frame=frame, align="center", container=s["id"])
            s["boundElements"] = [{"type": "text", "id": t["id"]}]
        else:
            # label typed on top of the shape, never bound (older habit)
            t = self.text(tx, ty, label, fs=fs, frame=frame, align="center")
        s["_label"] = label
        return s

    def frame(self, x, y, w, h, name):
        return self._base("frame", x, y, w, h, roundness=None, strokeWidth=2, name=name,
                          backgroundColor="transparent", roughness=0, strokeColor="#bbb")

    # ---- arrows -----------------------------------------------------
    @staticmethod
    def _edge_point(s, tx, ty):
        """point on the outline of s towards (tx, ty), through the centre."""
        cx, cy = s["x"] + s["width"] / 2, s["y"] + s["height"] / 2
        dx, dy = tx - cx, ty - cy
        if dx == 0 and dy == 0:
            return cx, cy
        hw, hh = s["width"] / 2, s["height"] / 2
        if s["type"] in ("ellipse", "diamond"):
            # walk towards the outline (approximate)
            import math
            ang = math.atan2(dy, dx)
            if s["type"] == "ellipse":
                return cx + hw * math.cos(ang), cy + hh * math.sin(ang)
            k = 1 / (abs(math.cos(ang)) / hw + abs(math.sin(ang)) / hh)
            return cx + k * math.cos(ang), cy + k * math.sin(ang)
        sx = hw / abs(dx) if dx else float("inf")
        sy = hh / abs(dy) if dy else float("inf")
        k = min(sx, sy)
        return cx + dx * k, cy + dy * k

    def arrow(self, a, b, label=None, bind=True, gap=6, miss=0, frame=None, dashed=False, via=None,
              start_head=None, end_head="arrow"):
        """arrow a->b. bind=False gives an arrow that only ends near the shapes (miss px short)."""
        acx, acy = a["x"] + a["width"] / 2, a["y"] + a["height"] / 2
        bcx, bcy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        first_t = via[0] if via else (bcx, bcy)
        last_f = via[-1] if via else (acx, acy)
        p0 = self._edge_point(a, *first_t)
        p1 = self._edge_point(b, *last_f)
        import math

        def push(p, toward, d):
            vx, vy = toward[0] - p[0], toward[1] - p[1]
            n = math.hypot(vx, vy) or 1
            return p[0] + vx / n * d, p[1] + vy / n * d
        off = gap + (miss if not bind else 0)
        p0 = push(p0, first_t, off)
        p1 = push(p1, last_f, off)
        pts_abs = [p0] + (list(via) if via else []) + [p1]
        x0, y0 = pts_abs[0]
        pts = [[round(px - x0, 2), round(py - y0, 2)] for px, py in pts_abs]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        e = self._base("arrow", x0, y0, max(xs) - min(xs), max(ys) - min(ys), frameId=frame,
                       roundness={"type": 2}, strokeStyle="dashed" if dashed else "solid",
                       points=pts, lastCommittedPoint=None,
                       startBinding=None, endBinding=None,
                       startArrowhead=start_head, endArrowhead=end_head, elbowed=False)
        if bind:
            for end, s in (("startBinding", a), ("endBinding", b)):
                e[end] = {"elementId": s["id"], "focus": 0, "gap": gap,
                          "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}
                s["boundElements"] = (s["boundElements"] or []) + [{"id": e["id"], "type": "arrow"}]
        if label:
            # label centred on the middle of the arrow
            if len(pts_abs) % 2 == 1:
                mx, my = pts_abs[len(pts_abs) // 2]
            else:
                i = len(pts_abs) // 2
                mx = (pts_abs[i - 1][0] + pts_abs[i][0]) / 2
                my = (pts_abs[i - 1][1] + pts_abs[i][1]) / 2
            tw, th = self.text_size(label, 14)
            t = self.text(mx - tw / 2, my - th / 2, label, fs=14, frame=frame, align="center",
                          container=e["id"])
            e["boundElements"] = [{"type": "text", "id": t["id"]}]
        return e

    def dump(self, path, source="https://excalidraw.com", app_extra=None):
        # text bound to a container goes right after its container (as restore does)
        out = []
        texts = {e["id"]: e for e in self.els if e["type"] == "text" and e.get("containerId")}
        placed = set()
        for e in self.els:
            if e["id"] in texts:
                continue
            out.append(e)
            for be in e.get("boundElements") or []:
                if be["type"] == "text":
                    out.append(texts[be["id"]])
                    placed.add(be["id"])
        assert placed == set(texts), "unplaced bound text"
        for i, e in enumerate(out):
            e["index"] = frac_index(i)
            e.pop("_label", None)
        app = {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False, "viewBackgroundColor": "#ffffff",
               "lockedMultiSelections": {}}
        if app_extra:
            app.update(app_extra)
        doc = {"type": "excalidraw", "version": 2, "source": source, "elements": out,
               "appState": app, "files": {}}
        with open(path, "w") as f:
            json.dump(doc, f, indent=2)
