"""Tiny stdlib helper to write .excalidraw scenes the way the app saves them."""
import json, random

FONT = 5          # Excalifont
LH = 1.25


def text_size(txt, fs):
    lines = txt.split("\n")
    w = max(len(l) for l in lines) * 0.56 * fs
    return round(w, 1), round(len(lines) * fs * LH, 1)


class Scene:
    def __init__(self, seed):
        self.rnd = random.Random(seed)
        self.els = []
        self.by = {}
        self.n = 0

    def _id(self, hint):
        self.n += 1
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789"
        return "".join(self.rnd.choice(alphabet) for _ in range(8))

    def _base(self, typ, x, y, w, h, **kw):
        e = {
            "id": kw.pop("id", None) or self._id(typ), "type": typ,
            "x": round(x, 2), "y": round(y, 2), "width": round(w, 2), "height": round(h, 2),
            "angle": 0, "strokeColor": kw.pop("stroke", "#1e1e1e"),
            "backgroundColor": kw.pop("bg", "transparent"), "fillStyle": "solid",
            "strokeWidth": 2, "strokeStyle": kw.pop("style", "solid"), "roughness": kw.pop("rough", 1),
            "opacity": 100, "groupIds": [], "frameId": kw.pop("frame", None),
            "index": None, "roundness": kw.pop("roundness", {"type": 3}),
            "seed": self.rnd.randint(1, 2**31 - 1), "version": self.rnd.randint(20, 200),
            "versionNonce": self.rnd.randint(1, 2**31 - 1), "isDeleted": False,
            "boundElements": None, "updated": 1733200000000 + self.rnd.randint(0, 10**8),
            "link": None, "locked": False,
        }
        e.update(kw)
        self.els.append(e)
        self.by[e["id"]] = e
        return e

    def _bind(self, target, eid, typ):
        if target["boundElements"] is None:
            target["boundElements"] = []
        target["boundElements"].append({"id": eid, "type": typ})

    def frame(self, x, y, w, h, name):
        return self._base("frame", x, y, w, h, name=name, roundness=None, bg="transparent")

    def text(self, x, y, txt, fs=16, frame=None, container=None, align="left", valign="top", color="#1e1e1e"):
        w, h = text_size(txt, fs)
        return self._base("text", x, y, w, h, frame=frame, roundness=None, stroke=color,
                          text=txt, originalText=txt, fontSize=fs, fontFamily=FONT,
                          textAlign=align, verticalAlign=valign, containerId=container,
                          autoResize=True, lineHeight=LH)

    def shape(self, x, y, w, h, label, kind="rectangle", frame=None, fs=16, bg="transparent",
              loose=False, style="solid"):
        s = self._base(kind, x, y, w, h, frame=frame, bg=bg, style=style,
                       roundness={"type": 3} if kind == "rectangle" else {"type": 2})
        if label:
            tw, th = text_size(label, fs)
            cx, cy = x + w / 2, y + h / 2
            if loose:   # free text laid over the shape, slightly off centre, no binding
                t = self.text(cx - tw / 2 + self.rnd.uniform(-6, 6), cy - th / 2 + self.rnd.uniform(-4, 4),
                              label, fs, frame=frame, align="left")
            else:
                t = self.text(cx - tw / 2, cy - th / 2, label, fs, frame=frame, container=s["id"],
                              align="center", valign="middle")
                self._bind(s, t["id"], "text")
        return s

    @staticmethod
    def _port(b, toward):
        """point on b's outline facing `toward` (side centre), 5 px outside"""
        x, y, w, h = b["x"], b["y"], b["width"], b["height"]
        cx, cy = x + w / 2, y + h / 2
        tx, ty = toward
        dx, dy = tx - cx, ty - cy
        if abs(dx) * h >= abs(dy) * w:
            return (x + w + 5, cy) if dx > 0 else (x - 5, cy)
        return (cx, y + h + 5) if dy > 0 else (cx, y - 5)

    def arrow(self, src, dst, label=None, via=(), dashed=False, bound=True, short=0,
              frame=None, fs=14, head="arrow", start=None, end=None):
        s, d = self.by[src], self.by[dst]
        first_goal = via[0] if via else (d["x"] + d["width"] / 2, d["y"] + d["height"] / 2)
        last_from = via[-1] if via else (s["x"] + s["width"] / 2, s["y"] + s["height"] / 2)
        p0 = start or self._port(s, first_goal)
        p1 = end or self._port(d, last_from)
        if frame is None and s.get("frameId") and s.get("frameId") == d.get("frameId") and not via:
            frame = s["frameId"]
        pts = [p0, *via, p1]
        if short:   # careless: ends stop short of the outline
            def pull(a, b, dist):
                vx, vy = b[0] - a[0], b[1] - a[1]
                n = (vx * vx + vy * vy) ** 0.5
                return (a[0] + vx / n * dist, a[1] + vy / n * dist)
            pts[0] = pull(pts[0], pts[1], short - 5)
            pts[-1] = pull(pts[-1], pts[-2], short - 5)
        x0, y0 = pts[0]
        rel = [[round(px - x0, 2), round(py - y0, 2)] for px, py in pts]
        xs = [p[0] for p in rel]; ys = [p[1] for p in rel]
        a = self._base("arrow", x0, y0, max(xs) - min(xs) or 1, max(ys) - min(ys) or 1,
                       frame=frame, style="dashed" if dashed else "solid",
                       roundness={"type": 2}, points=rel, lastCommittedPoint=None,
                       startBinding=None, endBinding=None, startArrowhead=None,
                       endArrowhead=head, elbowed=False)
        if bound:
            bnd = lambda eid: {"elementId": eid, "focus": 0, "gap": 5,
                               "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}
            a["startBinding"] = bnd(src); a["endBinding"] = bnd(dst)
            self._bind(s, a["id"], "arrow"); self._bind(d, a["id"], "arrow")
        if label:
            if len(pts) % 2 == 1:
                mx, my = pts[len(pts) // 2]
            else:
                i = len(pts) // 2
                mx, my = (pts[i - 1][0] + pts[i][0]) / 2, (pts[i - 1][1] + pts[i][1]) / 2
            tw, th = text_size(label, fs)
            if bound:
                t = self.text(mx - tw / 2, my - th / 2, label, fs, frame=frame, container=a["id"],
                              align="center", valign="middle")
                self._bind(a, t["id"], "text")
            else:
                self.text(mx - tw / 2, my - th - 6, label, fs, frame=frame)
        return a

    def dump(self, path):
        doc = {"type": "excalidraw", "version": 2, "source": "https://excalidraw.com",
               "elements": self.els,
               "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                            "viewBackgroundColor": "#ffffff", "lockedMultiSelections": {}},
               "files": {}}
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)
            f.write("\n")
