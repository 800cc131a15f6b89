"""Tiny standard-library writer for hand-sketch-like .excalidraw files.

Layout is on a grid (col, row); boxes get their size from their label.
check_layout() refuses overlapping boxes, zones that swallow non-members and
notes that sit on boxes, and warns about arrows that pass over boxes.
"""
import json, math, random, zlib

COLW, ROWH = 320, 180
ALPH = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def frac_index(i):
    if i < 62:
        return "a" + B62[i]
    i -= 62
    return "b" + B62[i // 62] + B62[i % 62]


class Sketch:
    def __init__(self, name, font=5, font_size=16, binding="v1", roughness=1,
                 stroke="#1e1e1e", source="https://excalidraw.com", t0=1748000000000):
        self.rng = random.Random(zlib.crc32(name.encode()))
        self.name = name
        self.font, self.fs, self.binding = font, font_size, binding
        self.rough, self.stroke, self.source = roughness, stroke, source
        self.t = t0 + self.rng.randint(0, 10**9)
        self.nodes, self.edges, self.zones, self.notes = {}, [], [], []
        self.lh = 1.25 if font in (1, 5, 6) else (1.15 if font in (2, 9) else 1.2)

    # ---------- ids / common fields
    def nid(self):
        return "".join(self.rng.choice(ALPH) for _ in range(21))

    def base(self, typ, x, y, w, h, **kw):
        self.t += self.rng.randint(500, 90000)
        e = {"id": self.nid(), "type": typ, "x": round(x, 2), "y": round(y, 2),
             "width": round(w, 2), "height": round(h, 2), "angle": 0,
             "strokeColor": self.stroke, "backgroundColor": "transparent",
             "fillStyle": "solid", "strokeWidth": 2, "strokeStyle": "solid",
             "roughness": self.rough, "opacity": 100, "groupIds": [], "frameId": None,
             "index": None, "roundness": None, "seed": self.rng.randint(1, 2**31 - 1),
             "version": self.rng.randint(3, 220), "versionNonce": self.rng.randint(1, 2**31 - 1),
             "isDeleted": False, "boundElements": None, "updated": self.t,
             "link": None, "locked": False}
        e.update(kw)
        return e

    def text_size(self, text, fs):
        lines = text.split("\n")
        return max(len(l) for l in lines) * fs * 0.56, len(lines) * fs * self.lh

    # ---------- spec API
    def box(self, key, label, col, row, shape="rectangle", bg="transparent", dashed=False, fs=None):
        fs = fs or self.fs
        tw, th = self.text_size(label, fs)
        if shape == "diamond":
            w, h = max(200, 2 * tw + 30), max(100, 2 * th + 20)
        elif shape == "ellipse":
            w, h = max(170, tw * 1.45 + 20), max(75, th * 1.45 + 16)
        else:
            w, h = max(160, tw + 36), max(70, th + 26)
        self.nodes[key] = dict(key=key, label=label, x=col * COLW, y=row * ROWH, w=w, h=h,
                               shape=shape, bg=bg, dashed=dashed, fs=fs)

    def edge(self, a, b, label="", dashed=False, both=False, unbound_end=False,
             unbound_start=False, via=None, head=True):
        self.edges.append(dict(a=a, b=b, label=label, dashed=dashed, both=both,
                               ue=unbound_end, us=unbound_start, via=via, head=head))

    def zone(self, key, title, members, kind="frame", children=(), bg="transparent", dashed=True):
        self.zones.append(dict(key=key, title=title, members=list(members), kind=kind,
                               children=list(children), bg=bg, dashed=dashed))

    def note(self, text, col, row, fs=None, color=None):
        self.notes.append(dict(text=text, x=col * COLW, y=row * ROWH, fs=fs or self.fs, color=color))

    def legend(self, col, row, lines=("solid arrow = data", "dashed = control / trigger")):
        self.legend_spec = (col * COLW, row * ROWH, lines)

    # ---------- geometry
    def zone_bbox(self, z, _cache={}):
        xs, ys, xe, ye = [], [], [], []
        for m in z["members"]:
            n = self.nodes[m]
            xs.append(n["x"]); ys.append(n["y"]); xe.append(n["x"] + n["w"]); ye.append(n["y"] + n["h"])
        for c in z["children"]:
            zc = next(q for q in self.zones if q["key"] == c)
            bx = self.zone_bbox(zc)
            xs.append(bx[0] - 0); ys.append(bx[1] - 0); xe.append(bx[2] + 0); ye.append(bx[3] + 0)
        pad = 22 if not z["children"] else 38
        return (min(xs) - pad, min(ys) - 42 - (8 if z["children"] else 0), max(xe) + pad, max(ye) + pad)

    @staticmethod
    def border_point(cx, cy, hw, hh, shape, dx, dy, gap):
        L = math.hypot(dx, dy) or 1
        ux, uy = dx / L, dy / L
        if shape == "ellipse":
            t = 1 / math.sqrt((ux / hw) ** 2 + (uy / hh) ** 2)
        elif shape == "diamond":
            t = 1 / (abs(ux) / hw + abs(uy) / hh)
        else:
            t = min(hw / abs(ux) if ux else 1e9, hh / abs(uy) if uy else 1e9)
        return cx + ux * (t + gap), cy + uy * (t + gap)

    def geom(self, key):
        if key in self.nodes:
            n = self.nodes[key]
            return n["x"] + n["w"] / 2, n["y"] + n["h"] / 2, n["w"] / 2, n["h"] / 2, n["shape"]
        z = next(q for q in self.zones if q["key"] == key)
        x0, y0, x1, y1 = self.zone_bbox(z)
        return (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2, "rectangle"

    # ---------- checks
    def check_layout(self):
        errs, warns = [], []
        boxes = {k: (n["x"], n["y"], n["x"] + n["w"], n["y"] + n["h"]) for k, n in self.nodes.items()}

        def inter(a, b, m=0):
            return a[0] < b[2] + m and b[0] < a[2] + m and a[1] < b[3] + m and b[1] < a[3] + m

        ks = list(boxes)
        for i, a in enumerate(ks):
            for b in ks[i + 1:]:
                if inter(boxes[a], boxes[b], 20):
                    errs.append(f"boxes overlap: {a} {b}")
        zb = {z["key"]: self.zone_bbox(z) for z in self.zones}
        for z in self.zones:
            allm = set(z["members"])
            for c in z["children"]:
                allm |= set(next(q for q in self.zones if q["key"] == c)["members"])
            for k, b in boxes.items():
                if k not in allm and inter(zb[z["key"]], b, 6):
                    errs.append(f"zone {z['key']} touches non-member {k}")
        zk = list(zb)
        for i, a in enumerate(zk):
            for b in zk[i + 1:]:
                A, B = zb[a], zb[b]
                contains = lambda P, Q: P[0] <= Q[0] and P[1] <= Q[1] and P[2] >= Q[2] and P[3] >= Q[3]
                if inter(A, B, 4) and not (contains(A, B) or contains(B, A)):
                    errs.append(f"zones overlap: {a} {b}")
        nb = []
        for nt in self.notes:
            tw, th = self.text_size(nt["text"], nt["fs"])
            nb.append((nt["x"], nt["y"], nt["x"] + tw, nt["y"] + th))
        if hasattr(self, "legend_spec"):
            lx, ly, lines = self.legend_spec
            nb.append((lx, ly, lx + 260, ly + 40 + 34 * len(lines)))
        for i, b in enumerate(nb):
            for k, bx in boxes.items():
                if inter(b, bx, 10):
                    errs.append(f"note {i} on box {k}")
            for k, bx in zb.items():
                if inter(b, bx, 10):
                    errs.append(f"note {i} on zone {k}")
            for j, c in enumerate(nb[:i]):
                if inter(b, c, 10):
                    errs.append(f"notes overlap {j} {i}")
        # arrows over boxes
        for e in self.edges:
            pts = self.edge_points(e)
            for k, bx in boxes.items():
                if k in (e["a"], e["b"]):
                    continue
                for p, q in zip(pts, pts[1:]):
                    for s in range(1, 20):
                        x = p[0] + (q[0] - p[0]) * s / 20; y = p[1] + (q[1] - p[1]) * s / 20
                        if bx[0] < x < bx[2] and bx[1] < y < bx[3]:
                            warns.append(f"arrow {e['a']}->{e['b']} crosses {k}")
                            break
                    else:
                        continue
                    break
        return errs, sorted(set(warns))

    def edge_points(self, e):
        ax, ay, ahw, ahh, ash = self.geom(e["a"])
        bx, by, bhw, bhh, bsh = self.geom(e["b"])
        via = [(c * COLW, r * ROWH) for c, r in (e["via"] or [])]
        nxt = via[0] if via else (bx, by)
        prv = via[-1] if via else (ax, ay)
        gs = 9 if e["us"] else 5
        ge = 9 if e["ue"] else 5
        s = self.border_point(ax, ay, ahw, ahh, ash, nxt[0] - ax, nxt[1] - ay, gs)
        t = self.border_point(bx, by, bhw, bhh, bsh, prv[0] - bx, prv[1] - by, ge)
        return [s] + via + [t]

    # ---------- output
    def build(self):
        errs, warns = self.check_layout()
        if errs:
            raise SystemExit(f"{self.name}: layout errors:\n  " + "\n  ".join(errs))
        els, ids = [], {}
        elem = {}
        # zone rectangles first (bottom of z-order)
        frame_of = {}
        zone_rects = []
        for z in self.zones:
            x0, y0, x1, y1 = self.zone_bbox(z)
            if z["kind"] == "rect":
                r = self.base("rectangle", x0, y0, x1 - x0, y1 - y0, backgroundColor=z["bg"],
                              strokeStyle="dashed" if z["dashed"] else "solid", strokeWidth=1,
                              roundness={"type": 3}, boundElements=[],
                              fillStyle="solid" if z["bg"] != "transparent" else "solid")
                tw, th = self.text_size(z["title"], self.fs + 4)
                t = self.text_el(z["title"], x0 + 14, y0 + 8, self.fs + 4, None, align="left")
                els += [r, t]
                ids[z["key"]] = r["id"]; elem[z["key"]] = r
            else:
                f = self.base("frame", x0, y0, x1 - x0, y1 - y0, name=z["title"], boundElements=[],
                              strokeWidth=2, roughness=0)
                f.pop("index"); f["index"] = None
                zone_rects.append((z, f))
                ids[z["key"]] = f["id"]; elem[z["key"]] = f
                for m in z["members"]:
                    frame_of[m] = f["id"]
        for k, n in self.nodes.items():
            s = self.base(n["shape"], n["x"], n["y"], n["w"], n["h"], backgroundColor=n["bg"],
                          strokeStyle="dashed" if n["dashed"] else "solid",
                          roundness={"type": 2} if n["shape"] == "diamond" else ({"type": 3} if n["shape"] == "rectangle" and self.rng.random() < 0.7 else None),
                          boundElements=[], frameId=frame_of.get(k))
            tw, th = self.text_size(n["label"], n["fs"])
            t = self.text_el(n["label"], n["x"] + n["w"] / 2 - tw / 2, n["y"] + n["h"] / 2 - th / 2,
                             n["fs"], s["id"], align="center", frameId=frame_of.get(k))
            s["boundElements"].append({"type": "text", "id": t["id"]})
            els += [s, t]
            ids[k] = s["id"]; elem[k] = s
        for e in self.edges:
            pts = self.edge_points(e)
            x0, y0 = pts[0]
            rel = [[round(px - x0, 2), round(py - y0, 2)] for px, py in pts]
            xs = [p[0] for p in rel]; ys = [p[1] for p in rel]
            fr = frame_of.get(e["a"]) if frame_of.get(e["a"]) and frame_of.get(e["a"]) == frame_of.get(e["b"]) else None
            a = self.base("arrow", x0, y0, max(xs) - min(xs), max(ys) - min(ys),
                          strokeStyle="dashed" if e["dashed"] else "solid",
                          roundness={"type": 2}, boundElements=[], frameId=fr,
                          points=rel, lastCommittedPoint=None,
                          startBinding=None if e["us"] else self.binding_obj(ids[e["a"]]),
                          endBinding=None if e["ue"] else self.binding_obj(ids[e["b"]]),
                          startArrowhead="arrow" if e["both"] else None,
                          endArrowhead="arrow" if e["head"] else None, elbowed=False)
            if not e["us"]:
                elem[e["a"]]["boundElements"].append({"type": "arrow", "id": a["id"]})
            if not e["ue"]:
                elem[e["b"]]["boundElements"].append({"type": "arrow", "id": a["id"]})
            els.append(a)
            if e["label"]:
                if len(pts) % 2 == 1:
                    mx, my = pts[len(pts) // 2]
                else:
                    p, q = pts[len(pts) // 2 - 1], pts[len(pts) // 2]
                    mx, my = (p[0] + q[0]) / 2, (p[1] + q[1]) / 2
                fs = max(12, self.fs - 2)
                tw, th = self.text_size(e["label"], fs)
                t = self.text_el(e["label"], mx - tw / 2, my - th / 2, fs, a["id"], align="center", frameId=fr)
                a["boundElements"].append({"type": "text", "id": t["id"]})
                els.append(t)
        for nt in self.notes:
            els.append(self.text_el(nt["text"], nt["x"], nt["y"], nt["fs"], None, align="left",
                                    color=nt["color"], valign="top"))
        if hasattr(self, "legend_spec"):
            lx, ly, lines = self.legend_spec
            h = 40 + 34 * len(lines)
            els.append(self.base("rectangle", lx, ly, 260, h, strokeWidth=1, roundness=None, boundElements=[],
                                 backgroundColor="#f8f9fa"))
            els.append(self.text_el("Legend", lx + 10, ly + 6, self.fs, None, align="left", valign="top"))
            for i, line in enumerate(lines):
                yy = ly + 44 + 34 * i
                dashed = "dash" in line or "control" in line
                els.append(self.base("arrow", lx + 12, yy, 60, 0, strokeStyle="dashed" if dashed else "solid",
                                     roundness={"type": 2}, boundElements=[], points=[[0, 0], [60, 0]],
                                     lastCommittedPoint=None, startBinding=None, endBinding=None,
                                     startArrowhead=None, endArrowhead="arrow", elbowed=False))
                els.append(self.text_el(line.split("= ", 1)[-1] if "=" in line else line, lx + 84, yy - 10,
                                        max(12, self.fs - 2), None, align="left", valign="top"))
        for z, f in zone_rects:
            els.append(f)
        for i, e in enumerate(els):
            e["index"] = frac_index(i)
        return {"type": "excalidraw", "version": 2, "source": self.source, "elements": els,
                "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                             "viewBackgroundColor": "#ffffff", "lockedMultiSelections": {}},
                "files": {}}, warns

    def binding_obj(self, target):
        if self.binding == "v2":
            return {"elementId": target, "focus": 0, "gap": 5, "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}
        return {"elementId": target, "focus": round(self.rng.uniform(-0.08, 0.08), 4),
                "gap": round(self.rng.uniform(2, 8), 3)}

    def text_el(self, text, x, y, fs, container, align="center", frameId=None, color=None, valign="middle"):
        tw, th = self.text_size(text, fs)
        return self.base("text", x, y, tw, th, fontSize=fs, fontFamily=self.font, text=text,
                         textAlign=align, verticalAlign=valign, containerId=container,
                         originalText=text, autoResize=True, lineHeight=self.lh,
                         boundElements=None, frameId=frameId,
                         strokeColor=color or self.stroke)
