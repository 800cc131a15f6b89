#!/usr/bin/env python3
"""Generate the three .excalidraw sketches of review_heldout8 (stdlib only).

Usage: python3 scripts/gen_excalidraw.py   (writes into the set folder)
"""
import json, math, random, os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
rnd = random.Random(8)
T0 = 1733200000000


def _id(n=21):
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "".join(rnd.choice(a) for _ in range(n))


def base(t, x, y, w, h, **kw):
    e = {
        "id": _id(), "type": t, "x": x, "y": y, "width": w, "height": h,
        "angle": 0, "strokeColor": "#1e1e1e", "backgroundColor": "transparent",
        "fillStyle": "solid", "strokeWidth": 2, "strokeStyle": "solid",
        "roughness": 1, "opacity": 100, "groupIds": [], "frameId": None,
        "index": None, "roundness": None, "seed": rnd.randint(1, 2**31 - 1),
        "version": rnd.randint(5, 300), "versionNonce": rnd.randint(1, 2**31 - 1),
        "isDeleted": False, "boundElements": [], "updated": T0 + rnd.randint(0, 9**7),
        "link": None, "locked": False,
    }
    e.update(kw)
    return e


def text_size(s, fs, lh=1.25):
    lines = s.split("\n")
    return max(len(l) for l in lines) * fs * 0.56, len(lines) * fs * lh


class Scene:
    def __init__(self, font=5):
        self.els = []
        self.font = font
        self.by = {}

    def frame(self, x, y, w, h, name):
        f = base("frame", x, y, w, h, name=name, roughness=0)
        self.els.append(f)
        return f

    def box(self, key, x, y, w, h, label, shape="rectangle", bg="transparent",
            frame=None, fs=16, bound_label=True, stroke="solid"):
        s = base(shape, x, y, w, h, backgroundColor=bg, strokeStyle=stroke,
                 roundness={"type": 3} if shape == "rectangle" else {"type": 2},
                 frameId=frame["id"] if frame else None)
        tw, th = text_size(label, fs)
        t = base("text", x + (w - tw) / 2, y + (h - th) / 2, tw, th,
                 text=label, originalText=label, fontSize=fs, fontFamily=self.font,
                 textAlign="center", verticalAlign="middle",
                 containerId=s["id"] if bound_label else None, lineHeight=1.25,
                 autoResize=True, frameId=frame["id"] if frame else None)
        if bound_label:
            s["boundElements"].append({"id": t["id"], "type": "text"})
        self.els += [s, t]
        self.by[key] = s
        return s

    def note(self, x, y, label, fs=14, frame=None, color="#1e1e1e"):
        tw, th = text_size(label, fs)
        t = base("text", x, y, tw, th, text=label, originalText=label, fontSize=fs,
                 fontFamily=self.font, textAlign="left", verticalAlign="top",
                 containerId=None, lineHeight=1.25, autoResize=True,
                 strokeColor=color, frameId=frame["id"] if frame else None)
        self.els.append(t)
        return t

    @staticmethod
    def _edge_point(s, tx, ty, gap):
        cx, cy = s["x"] + s["width"] / 2, s["y"] + s["height"] / 2
        dx, dy = tx - cx, ty - cy
        if dx == 0 and dy == 0:
            return cx, cy
        hw, hh = s["width"] / 2, s["height"] / 2
        k = min(hw / abs(dx) if dx else 1e9, hh / abs(dy) if dy else 1e9)
        if s["type"] == "diamond":
            k = 1 / (abs(dx) / hw + abs(dy) / hh)
        elif s["type"] == "ellipse":
            k = 1 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
        n = math.hypot(dx, dy)
        return cx + dx * k + dx / n * gap, cy + dy * k + dy / n * gap

    def arrow(self, a, b, label=None, via=(), bind=True, gap=5, miss=(0, 0),
              dashed=False, fs=14, head="arrow"):
        sa, sb = self.by[a], self.by[b]
        cb = (sb["x"] + sb["width"] / 2, sb["y"] + sb["height"] / 2)
        ca = (sa["x"] + sa["width"] / 2, sa["y"] + sa["height"] / 2)
        first = via[0] if via else cb
        last = via[-1] if via else ca
        p0 = self._edge_point(sa, *first, gap)
        p1 = self._edge_point(sb, *last, gap)
        p1 = (p1[0] + miss[0], p1[1] + miss[1])
        pts = [p0, *via, p1]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        ar = base("arrow", p0[0], p0[1], max(xs) - min(xs), max(ys) - min(ys),
                  points=[[p[0] - p0[0], p[1] - p0[1]] for p in pts],
                  roundness={"type": 2}, startArrowhead=None, endArrowhead=head,
                  elbowed=False, strokeStyle="dashed" if dashed else "solid",
                  startBinding=None, endBinding=None, lastCommittedPoint=None)
        if bind:
            for side, s in (("startBinding", sa), ("endBinding", sb)):
                ar[side] = {"elementId": s["id"], "focus": 0, "gap": gap,
                            "fixedPoint": None}
                s["boundElements"].append({"id": ar["id"], "type": "arrow"})
        self.els.append(ar)
        if label:
            # label centred on the middle point / middle segment
            if len(pts) % 2 == 1:
                mx, my = pts[len(pts) // 2]
            else:
                i = len(pts) // 2
                mx, my = (pts[i - 1][0] + pts[i][0]) / 2, (pts[i - 1][1] + pts[i][1]) / 2
            tw, th = text_size(label, fs)
            t = base("text", mx - tw / 2, my - th / 2, tw, th, text=label,
                     originalText=label, fontSize=fs, fontFamily=self.font,
                     textAlign="center", verticalAlign="middle",
                     containerId=ar["id"], lineHeight=1.25, autoResize=True)
            ar["boundElements"].append({"id": t["id"], "type": "text"})
            self.els.append(t)
        return ar

    def save(self, name, source="https://excalidraw.com"):
        for i, e in enumerate(self.els):
            e["index"] = "a%s" % format(i, "x").rjust(2, "0") if i < 256 else None
        doc = {"type": "excalidraw", "version": 2, "source": source,
               "elements": self.els,
               "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                            "viewBackgroundColor": "#ffffff"},
               "files": {}}
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(doc, f, indent=2)


# ---------------------------------------------------------------- 1 transit
def transit():
    s = Scene(font=5)
    on = s.frame(0, 0, 1100, 540, "ONLINE  (p99 < 80 ms per stop lookup)")
    off = s.frame(0, 620, 1100, 400, "OFFLINE — Airflow DAG eta_retrain, nightly 02:00")
    mon = s.frame(1180, 0, 320, 540, "Monitoring")
    Y, B, G, P = "#fff9db", "#e7f5ff", "#ebfbee", "#f3f0ff"
    s.box("app", 40, 70, 180, 70, "Rider app\n(iOS / Android)", bg=Y, frame=on)
    s.box("api", 300, 70, 180, 70, "API Gateway\n/v2/arrivals", bg=Y, frame=on)
    s.box("pred", 580, 60, 210, 90, "Arrival Predictor\nLightGBM on Triton", bg=B, frame=on)
    s.box("canary", 870, 70, 190, 70, "Canary 5%\n(Argo Rollouts)", bg=P, frame=on)
    s.box("fb", 300, 230, 180, 80, "Schedule ETA\n(GTFS timetable)", bg="#ffe3e3", frame=on)
    s.box("ofs", 580, 230, 210, 80, "Online features\n(Redis)", bg=G, frame=on)
    s.box("plog", 870, 230, 190, 80, "Prediction log\nKafka: eta_served", bg=G, frame=on)
    s.box("avl", 300, 410, 180, 80, "Vehicle GPS pings\n(AVL, every 10 s)", bg=G, frame=on)
    s.box("flink", 580, 410, 210, 80, "Flink\ndelay + headway feats", bg=G, frame=on)
    s.box("lake", 40, 680, 220, 80, "S3 lake\n(pings, GTFS, weather)", bg=G, frame=off)
    s.box("feast", 300, 680, 220, 80, "Offline features\n(Feast, point-in-time)", bg=G, frame=off)
    s.box("join", 40, 870, 220, 90, "Label join\nactual arrival (AVL)\n<-> served ETA", bg=G, frame=off)
    s.box("train", 580, 680, 230, 80, "Training\nLightGBM, quantile loss", bg=B, frame=off)
    s.box("bt", 580, 880, 210, 80, "Backtest\nMAE by route / hour", bg=B, frame=off)
    s.box("reg", 890, 880, 180, 80, "MLflow\nModel Registry", bg=B, frame=off)
    s.box("graf", 1220, 70, 240, 90, "Grafana\np99 latency, MAE vs\nactuals (1h lag)", bg=P, frame=mon)
    s.box("drift", 1220, 230, 240, 80, "Evidently\nfeature / pred drift", bg=P, frame=mon)
    s.box("pd", 1220, 410, 240, 80, "PagerDuty\n(on-call)", bg="#ffe3e3", frame=mon)
    a = s.arrow
    a("app", "api", "stop_id")
    a("api", "pred")
    a("pred", "api", via=[(690, 190), (390, 190)])  # response path drawn back
    a("ofs", "pred", "features")
    a("api", "fb", "on timeout /\nmodel down")
    a("pred", "plog", "served ETA\n+ features")
    a("canary", "pred", "route 5%")
    a("avl", "flink")
    a("flink", "ofs")
    a("flink", "feast", "same feature defs", via=[(685, 560), (395, 560)])
    a("avl", "lake", via=[(160, 450)])
    a("plog", "lake", via=[(965, 590), (135, 590)])
    a("lake", "join")
    a("join", "train", "labels", via=[(548, 915), (548, 735)])
    a("feast", "train")
    a("train", "bt")
    a("bt", "reg", "promote if\nbetter MAE")
    a("reg", "canary", "deploy", via=[(1090, 920), (1090, 105)])
    a("pred", "graf", via=[(830, 30), (1340, 30)])
    a("join", "graf", "actuals", via=[(150, 1000), (1480, 1000), (1480, 115)])
    a("ofs", "drift", via=[(685, 350), (1340, 350)])
    a("drift", "pd")
    a("graf", "pd", via=[(1200, 115), (1200, 450)])
    a("drift", "train", "PSI > 0.2\n=> retrain", via=[(1140, 280), (1140, 720)], dashed=True)
    s.note(40, 1060, "Reqs: 1.2M daily riders, ~4k QPS peak (rush hour), p99 < 80 ms.\n"
           "Predict next 3 vehicles per stop, horizon up to 60 min.", fs=16)
    s.note(40, 1120, "Task: regression, minutes-to-arrival per (vehicle, stop).\n"
           "Label = actual arrival time from AVL, joined ~1h later.", fs=16)
    s.note(640, 1060, "Metrics  offline: MAE + P90 abs error, by route / horizon\n"
           "         online: % arrivals within +-1 min, 'missed my bus' reports,\n"
           "         app sessions / rider retention", fs=16)
    s.save("transit_arrivals.excalidraw")


# ---------------------------------------------------------------- 2 shelf OOS
def shelf():
    s = Scene(font=1)
    Y, G, B = "#fff9db", "#ebfbee", "#e7f5ff"
    s.box("cam", 40, 60, 190, 70, "Shelf cameras\n(4 per aisle)", bg=Y)
    s.box("edge", 360, 50, 230, 90, "Edge box (Jetson)\nYOLOv8 gap detector", bg=B)
    s.box("api", 700, 60, 190, 70, "OOS events API", bg=Y)
    s.box("plan", 700, 220, 190, 70, "Planogram DB\n(SKU per slot)", bg=G)
    s.box("assoc", 1020, 60, 210, 70, "Store associate app\n(restock tasks)", bg=Y)
    s.box("outc", 1020, 220, 230, 80, "Task outcome\nconfirmed / false alarm", bg=G)
    s.box("samp", 360, 230, 230, 70, "Frame sampler\n1% frames -> S3", bg=G)
    s.box("lbl", 360, 390, 230, 70, "Labelbox\n(bbox annotation)", bg=G)
    s.box("train", 700, 390, 190, 70, "Training\n(PyTorch)", bg=B)
    s.box("reg", 1020, 390, 210, 70, "W&B model registry", bg=B)
    s.box("ota", 1020, 540, 210, 70, "OTA deploy to edge\n(Balena fleet)", bg=B)
    a = s.arrow
    a("cam", "edge", "frames / 5 min")
    a("edge", "api", "gap events")
    a("plan", "api", "which SKU")
    a("api", "assoc", "restock task")
    a("assoc", "outc")
    a("outc", "train", "weak labels")
    a("edge", "samp")
    a("samp", "lbl")
    a("lbl", "train")
    a("train", "reg")
    a("reg", "ota")
    a("ota", "edge", "new weights", via=[(295, 575), (295, 110)])
    s.note(40, 660, "~1,800 stores / 40k cameras, 1 frame every 5 min\n"
           "alert associate within 10 min of a gap", fs=16)
    s.note(700, 660, "eval: mAP@0.5 on 'gap' class", fs=16)
    s.save("shelf_out_of_stock.excalidraw", source="https://excalidraw.com")


# ---------------------------------------------------------------- 3 warranty (careless)
def warranty():
    s = Scene(font=1)
    # components drawn with mixed shapes, labels as loose text laid over them
    s.box("erp", 40, 80, 200, 110, "ERP sales +\nwarrenty claims", shape="ellipse", bound_label=False, fs=20)
    s.box("dwh", 340, 90, 200, 90, "datawarehouse\n(Snowflake)", bound_label=False, fs=20)
    s.box("fe", 620, 60, 220, 150, "feature eng\n(SQL notebks)", shape="diamond", bound_label=False, fs=20)
    s.box("train", 940, 40, 200, 80, "XGBoost trainng", bound_label=False, fs=20)
    s.box("score", 940, 210, 200, 90, "nightly scoring\n(all active units)", bound_label=False, fs=20)
    s.box("crm", 930, 400, 220, 110, "CRM outreach\nlist", shape="ellipse", bound_label=False, fs=20)
    s.box("dash", 340, 400, 200, 80, "Tableau dashbord", bound_label=False, fs=20)
    a = s.arrow
    # unbound arrows whose ends stop a few px short of / past the outlines
    a("erp", "dwh", bind=False, gap=9, miss=(-4, 3))
    a("dwh", "fe", bind=False, gap=12, miss=(-3, 0))
    a("fe", "train", bind=False, gap=8, miss=(0, 4))
    a("fe", "score", bind=False, gap=10, miss=(-5, -2))
    a("train", "score", "model.pkl", bind=False, gap=7, miss=(2, -4), fs=16)
    a("score", "crm", bind=False, gap=11, miss=(0, -6))
    s.note(40, 560, "goal: predict which units get returned under waranty in next 90d\n"
           "-> call customers before it breaks", fs=20, color="#1971c2")
    s.note(40, 640, "metric: accuracy?  (ask Priya)", fs=20, color="#e03131")
    s.save("warranty_returns_sketch.excalidraw", source="https://excalidraw.com")


if __name__ == "__main__":
    transit(); shelf(); warranty()
    print("ok")
