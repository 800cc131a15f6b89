#!/usr/bin/env python3
"""Generate the three Excalidraw sketches of review_heldout5 (standard library only).

Each sketch is a grid layout: boxes at (col, row), frames spanning grid ranges,
arrows bound both ways (startBinding/endBinding + boundElements), labels as bound
text (containerId), free-text notes. The script asserts that no two boxes overlap
and that no box overlaps a note.
"""
import json
import math
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent

CW, RH = 260, 150          # grid cell
BW, BH = 210, 90           # box size
FONT = 16


class Scene:
    def __init__(self, name, seed):
        self.name = name
        self.rng = random.Random(seed)
        self.elements = []
        self.boxes = {}
        self.frames = {}
        self.notes = []
        self.t = 1719000000000 + seed * 1000

    def _id(self):
        a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
        return "".join(self.rng.choice(a) for _ in range(21))

    def _base(self, typ, x, y, w, h, **kw):
        self.t += 137
        e = {
            "id": self._id(), "type": typ, "x": x, "y": y, "width": w, "height": h,
            "angle": 0, "strokeColor": "#1e1e1e", "backgroundColor": "transparent",
            "fillStyle": "solid", "strokeWidth": 2, "strokeStyle": "solid",
            "roughness": 1, "opacity": 100, "groupIds": [], "frameId": None,
            "index": None, "roundness": None, "seed": self.rng.randint(1, 2**31 - 1),
            "version": self.rng.randint(3, 120), "versionNonce": self.rng.randint(1, 2**31 - 1),
            "isDeleted": False, "boundElements": [], "updated": self.t, "link": None,
            "locked": False,
        }
        e.update(kw)
        return e

    def _text(self, text, x, y, w, h, container=None, size=FONT, align="center", valign="middle", frame=None):
        e = self._base("text", x, y, w, h, fontSize=size, fontFamily=5, text=text,
                       textAlign=align, verticalAlign=valign, containerId=container,
                       originalText=text.replace("\n", " ") if container else text,
                       autoResize=True, lineHeight=1.25, frameId=frame)
        return e

    @staticmethod
    def wrap(label, width_chars):
        words, lines, cur = label.split(" "), [], ""
        for w in words:
            if cur and len(cur) + 1 + len(w) > width_chars:
                lines.append(cur)
                cur = w
            else:
                cur = (cur + " " + w).strip()
        if cur:
            lines.append(cur)
        return "\n".join(lines)

    def frame(self, key, name, c0, r0, c1, r1):
        x, y = c0 * CW - 25, r0 * RH - 55
        w = (c1 - c0) * CW + BW + 50
        h = (r1 - r0) * RH + BH + 80
        f = self._base("frame", x, y, w, h, name=name, roughness=0, strokeWidth=2)
        self.frames[key] = f
        return f

    def box(self, key, label, col, row, frame=None, shape="rectangle", color="transparent", style="solid"):
        x, y = col * CW, row * RH
        fid = self.frames[frame]["id"] if frame else None
        b = self._base(shape, x, y, BW, BH, backgroundColor=color, frameId=fid,
                       strokeStyle=style,
                       roundness={"type": 3} if shape == "rectangle" else {"type": 2})
        text = self.wrap(label, 22)
        n = text.count("\n") + 1
        th = n * FONT * 1.25
        tw = max(len(l) for l in text.split("\n")) * FONT * 0.56
        t = self._text(text, x + (BW - tw) / 2, y + (BH - th) / 2, tw, th, container=b["id"], frame=fid)
        b["boundElements"].append({"id": t["id"], "type": "text"})
        self.boxes[key] = b
        self.elements += [b, t]
        return b

    def note(self, text, x, y, width_chars=48, size=15, color="#1e1e1e"):
        text = "\n".join(self.wrap(p, width_chars) if p else "" for p in text.split("\n"))
        lines = text.split("\n")
        h = len(lines) * size * 1.25
        w = max(len(l) for l in lines) * size * 0.56
        t = self._text(text, x, y, w, h, size=size, align="left", valign="top")
        t["strokeColor"] = color
        self.notes.append(t)
        self.elements.append(t)
        return t

    @staticmethod
    def _border(b, tx, ty):
        cx, cy = b["x"] + b["width"] / 2, b["y"] + b["height"] / 2
        dx, dy = tx - cx, ty - cy
        if dx == 0 and dy == 0:
            return cx, cy
        sx = (b["width"] / 2 + 6) / abs(dx) if dx else math.inf
        sy = (b["height"] / 2 + 6) / abs(dy) if dy else math.inf
        s = min(sx, sy)
        return cx + dx * s, cy + dy * s

    def arrow(self, a, b, label=None, both=False, dashed=False):
        A, B = self.boxes[a], self.boxes[b]
        acx, acy = A["x"] + BW / 2, A["y"] + BH / 2
        bcx, bcy = B["x"] + BW / 2, B["y"] + BH / 2
        sx, sy = self._border(A, bcx, bcy)
        ex, ey = self._border(B, acx, acy)
        binding = lambda el: {"elementId": el["id"], "focus": 0, "gap": 5,
                              "fixedPoint": [0.5001, 0.5001], "mode": "orbit"}
        ar = self._base("arrow", sx, sy, abs(ex - sx), abs(ey - sy),
                        points=[[0, 0], [ex - sx, ey - sy]],
                        startBinding=binding(A), endBinding=binding(B),
                        startArrowhead="arrow" if both else None, endArrowhead="arrow",
                        elbowed=False, roundness={"type": 2},
                        strokeStyle="dashed" if dashed else "solid", lastCommittedPoint=None)
        A["boundElements"].append({"id": ar["id"], "type": "arrow"})
        B["boundElements"].append({"id": ar["id"], "type": "arrow"})
        self.elements.append(ar)
        if label:
            size = 13
            tw, th = len(label) * size * 0.56, size * 1.25
            mx, my = (sx + ex) / 2, (sy + ey) / 2
            t = self._text(label, mx - tw / 2, my - th / 2, tw, th, container=ar["id"], size=size)
            ar["boundElements"].append({"id": t["id"], "type": "text"})
            self.elements.append(t)

    def check(self):
        rects = [(k, b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]) for k, b in self.boxes.items()]
        rects += [("note%d" % i, n["x"], n["y"], n["x"] + n["width"], n["y"] + n["height"]) for i, n in enumerate(self.notes)]
        for i in range(len(rects)):
            for j in range(i + 1, len(rects)):
                a, b = rects[i], rects[j]
                if a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]:
                    raise SystemExit(f"{self.name}: overlap {a[0]} / {b[0]}")
        # every boxed member of a frame lies inside it
        for k, b in self.boxes.items():
            if b["frameId"]:
                f = next(f for f in self.frames.values() if f["id"] == b["frameId"])
                assert f["x"] <= b["x"] and b["x"] + b["width"] <= f["x"] + f["width"], k
                assert f["y"] <= b["y"] and b["y"] + b["height"] <= f["y"] + f["height"], k
        fr = list(self.frames.values())
        for i in range(len(fr)):
            for j in range(i + 1, len(fr)):
                a, b = fr[i], fr[j]
                if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
                        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]:
                    raise SystemExit(f"{self.name}: frames overlap {a['name']} / {b['name']}")
        # boxes outside a frame must not sit inside it
        for k, b in self.boxes.items():
            for f in self.frames.values():
                if b["frameId"] != f["id"]:
                    inside = f["x"] <= b["x"] and b["x"] + b["width"] <= f["x"] + f["width"] and \
                        f["y"] <= b["y"] and b["y"] + b["height"] <= f["y"] + f["height"]
                    assert not inside, (k, f["name"])

    def save(self):
        self.check()
        # Excalidraw keeps frame children before their frame in z-order; put frames last.
        els = self.elements + list(self.frames.values())
        for i, e in enumerate(els):
            e["index"] = "a%s" % format(i, "03d") if i < 1000 else None
        doc = {"type": "excalidraw", "version": 2, "source": "https://excalidraw.com",
               "elements": els,
               "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                            "viewBackgroundColor": "#ffffff", "lockedMultiSelections": {}},
               "files": {}}
        (OUT / self.name).write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        print("wrote", self.name, len(self.boxes), "boxes")


def podcast():
    s = Scene("podcast_episode_recs.excalidraw", 11)
    s.frame("on", "Online serving (request path)", 0, 0, 4, 2)
    s.frame("mon", "Monitoring", 5, 0, 5, 2)
    s.frame("off", "Offline (daily, Airflow)", 0, 4, 5, 5)
    B = lambda *a, **k: s.box(*a, **k)
    B("app", "Listener app (iOS / Android / web)", 0, 0, "on", shape="ellipse")
    B("api", "Home-feed API", 1, 0, "on", color="#a5d8ff")
    B("exp", "A/B assignment (experiment service)", 2, 0, "on")
    B("fb", "Fallback: popular-in-region shelf", 3, 0, "on", color="#ffec99")
    B("cand", "Candidate retrieval (two-tower, top 500)", 1, 1, "on", color="#b2f2bb")
    B("ann", "Episode ANN index (HNSW)", 2, 1, "on")
    B("rank", "Ranker (DLRM-lite) P(listen >= 5 min)", 3, 1, "on", color="#b2f2bb")
    B("rerank", "Re-rank: diversity, freshness, explicit-content filter", 4, 1, "on")
    B("log", "Impression + listen event log", 0, 2, "on")
    B("ofs", "Online feature store (Redis)", 2, 2, "on")
    B("graf", "Grafana: p99 latency, CTR, score distribution", 5, 0, "mon")
    B("drift", "Evidently drift checks (features + scores)", 5, 1, "mon")
    B("pd", "PagerDuty on-call", 5, 2, "mon")
    B("kafka", "Kafka events topic", 0, 4, "off")
    B("flink", "Flink session features", 1, 4, "off")
    B("lake", "Lakehouse (Delta)", 2, 4, "off")
    B("spark", "Spark daily feature jobs", 3, 4, "off")
    B("offs", "Offline feature store (point-in-time joins)", 4, 4, "off")
    B("air", "Airflow DAG", 0, 5, "off")
    B("cat", "Episode catalog (Postgres)", 1, 5, "off")
    B("train", "Training: two-tower + ranker", 2, 5, "off", color="#ffc9c9")
    B("eval", "Offline eval gate (NDCG@10 vs prod, per-slice)", 3, 5, "off")
    B("reg", "MLflow model registry", 4, 5, "off")
    B("idx", "Index builder (re-embed episodes)", 5, 5, "off")
    A = s.arrow
    A("app", "api", "GET /home", both=True)
    A("api", "cand")
    A("cand", "ann", "kNN", both=True)
    A("cand", "rank", "500 candidates")
    A("rank", "rerank")
    A("rerank", "api", "top 20")
    A("exp", "api", "bucket", dashed=True)
    A("api", "fb", "on timeout / cold user", both=True)
    A("ofs", "cand", "user feats")
    A("ofs", "rank", "user + episode feats")
    A("app", "log", "listens, skips")
    A("api", "log", "impressions (pos, model ver)")
    A("log", "kafka")
    A("kafka", "flink")
    A("flink", "ofs", "session feats")
    A("kafka", "lake")
    A("flink", "lake")
    A("lake", "spark")
    A("cat", "spark")
    A("spark", "offs")
    A("spark", "ofs", "materialize")
    A("offs", "train", "features")
    A("lake", "train", "labels: listen >= 5 min")
    A("air", "spark", dashed=True)
    A("air", "train", dashed=True)
    A("train", "eval")
    A("eval", "reg", "pass")
    A("reg", "rank", "deploy")
    A("reg", "cand", "query tower")
    A("reg", "idx", "item tower")
    A("cat", "idx")
    A("idx", "ann", "rebuild")
    A("rank", "graf")
    A("api", "graf")
    A("ofs", "drift")
    A("rank", "drift", "scores")
    A("drift", "pd", "alert")
    A("graf", "pd", "alert")
    A("drift", "air", "retrain trigger", dashed=True)
    s.note("Podcast episode recs — home feed 'For you' shelf\n"
           "Requirements: 30M MAU, ~8k QPS peak on home, p99 < 150 ms end to end. New episodes must show within 1 h of publish.",
           0, 7 * RH)
    s.note("Task: rank episodes by P(listen >= 5 min | user, episode, context).\n"
           "Label = listened >= 5 min within the session after an impression; impressions without it = negatives.",
           2 * CW, 7 * RH)
    s.note("Metrics\noffline: recall@500 (retrieval), NDCG@10 (ranker), calibration\n"
           "online (A/B): listening minutes / user / day, 7-day retention; guardrail: skip rate",
           4 * CW, 7 * RH)
    s.save()


def smart_reply():
    s = Scene("smart_reply_chat.excalidraw", 22)
    s.frame("on", "ONLINE", 0, 0, 5, 1)
    s.frame("off", "OFFLINE", 0, 3, 4, 3)
    B = lambda *a, **k: s.box(*a, **k)
    B("app", "Chat app", 0, 0, "on", shape="ellipse")
    B("msg", "Messaging backend", 1, 0, "on")
    B("sr", "Smart Reply service", 2, 0, "on", color="#a5d8ff")
    B("pf", "Prompt formatter (shared lib, train + serve)", 3, 0, "on")
    B("llm", "Fine-tuned 7B LLM on vLLM", 4, 0, "on", color="#b2f2bb")
    B("guard", "Safety filter: toxicity, PII, no links", 5, 0, "on")
    B("ev", "Suggestion events: shown / tapped / edited", 0, 1, "on")
    B("conv", "Conversation store (Cassandra)", 2, 1, "on")
    B("canned", "Canned replies (top-50 templates)", 3, 1, "on", color="#ffec99")
    B("dd", "Datadog: latency, tokens/s, GPU util", 5, 1, "on")
    B("s3", "S3 chat logs (opt-in users only)", 0, 3, "off")
    B("sft", "Build SFT pairs: context -> reply actually sent", 1, 3, "off")
    B("ft", "LoRA fine-tune (run by hand ~monthly)", 3, 3, "off", color="#ffc9c9")
    B("eval", "Offline eval: held-out convos, accept@3, toxicity rate", 4, 3, "off")
    A = s.arrow
    A("app", "msg", both=True)
    A("msg", "sr", "new message")
    A("msg", "conv", "store")
    A("conv", "pf", "last 10 msgs")
    A("sr", "pf")
    A("pf", "llm", "prompt")
    A("llm", "guard", "5 drafts")
    A("guard", "sr", "3 replies")
    A("sr", "canned", "timeout / all filtered", both=True)
    A("sr", "app", "reply chips")
    A("sr", "ev", "shown")
    A("app", "ev", "tap / edit")
    A("ev", "s3")
    A("s3", "sft")
    A("sft", "pf", "format")
    A("pf", "ft", "SFT examples")
    A("ft", "eval")
    A("eval", "llm", "copy weights if better")
    A("llm", "dd")
    s.note("Smart Reply v2 (LLM)\nReq: ~50k msgs/s peak, 3 suggestions in p95 < 300 ms, EN + ES first. Only for opted-in users.",
           0, 5 * RH)
    s.note("Task: generate 3 short replies (<= 6 words) from the last 10 messages.\n"
           "Metrics — offline: accept@3 on held-out, BLEU vs reply actually sent, toxicity rate; online: suggestion tap rate, msgs per session",
           2 * CW, 5 * RH, width_chars=56)
    s.save()


def search_v1():
    s = Scene("ecommerce_search_v1.excalidraw", 33)
    s.frame("be", "backend", 1, 0, 3, 0)
    B = lambda *a, **k: s.box(*a, **k)
    B("user", "User", 0, 0, shape="ellipse")
    B("api", "Search API", 1, 0, "be")
    B("es", "Elasticsearch", 2, 0, "be")
    B("rank", "Ranking model (XGBoost)", 3, 0, "be")
    B("clicks", "Click logs", 0, 2)
    B("pdb", "Product DB", 2, 2)
    B("dwh", "Data warehouse", 1, 3)
    B("train", "Train model (jupyter notebok)", 3, 3)
    A = s.arrow
    A("user", "api", "query")
    A("api", "es")
    A("es", "rank", "top 1000")
    A("rank", "api", "results")
    A("api", "user")
    A("pdb", "es", "index")
    A("dwh", "train")
    A("train", "rank", "model.pkl")
    s.note("search v1 - first try", 0, -2 * RH + 60, size=20)
    s.note("TODO: personalization?? metrics??", 4 * CW, 2 * RH, width_chars=30)
    s.save()


if __name__ == "__main__":
    podcast()
    smart_reply()
    search_v1()
