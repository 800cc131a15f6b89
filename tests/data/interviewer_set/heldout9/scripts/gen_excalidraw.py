#!/usr/bin/env python3
"""Generate the three .excalidraw sketches of review_heldout9 (stdlib only).

  python3 scripts/gen_excalidraw.py      # writes into the set folder

pharmacist_interactions_rag.excalidraw  frames, bound labels and arrows
call_compliance_speech.excalidraw       bound labels and arrows, no frames
parking_availability_sketch.excalidraw  careless: loose text, unbound arrows, typos
"""
import json, math, os, random

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
R = random.Random(909)
ALPHA = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def new_id():
    return "".join(R.choice(ALPHA) for _ in range(20))


def element(kind, x, y, w, h, **extra):
    e = {"id": new_id(), "type": kind, "x": round(x, 2), "y": round(y, 2),
         "width": round(w, 2), "height": round(h, 2), "angle": 0,
         "strokeColor": "#1e1e1e", "backgroundColor": "transparent",
         "fillStyle": "solid", "strokeWidth": 2, "strokeStyle": "solid",
         "roughness": 1, "opacity": 100, "groupIds": [], "frameId": None,
         "index": None, "roundness": None, "seed": R.randint(1, 2**31 - 1),
         "version": R.randint(3, 180), "versionNonce": R.randint(1, 2**31 - 1),
         "isDeleted": False, "boundElements": [],
         "updated": 1741000000000 + R.randint(0, 10**8), "link": None, "locked": False}
    e.update(extra)
    return e


def measure(text, size, lh=1.25):
    lines = text.split("\n")
    return max(len(l) for l in lines) * size * 0.57, len(lines) * size * lh


class Drawing:
    def __init__(self, font=5):
        self.font = font
        self.els = []
        self.shapes = {}

    def frame(self, x, y, w, h, name):
        f = element("frame", x, y, w, h, name=name, roughness=0, strokeWidth=1)
        self.els.append(f)
        return f

    def text(self, x, y, s, size=16, frame=None, align="left", color="#1e1e1e"):
        w, h = measure(s, size)
        t = element("text", x, y, w, h, text=s, originalText=s, fontSize=size,
                    fontFamily=self.font, textAlign=align, verticalAlign="top",
                    containerId=None, lineHeight=1.25, autoResize=True,
                    strokeColor=color, frameId=frame["id"] if frame else None)
        self.els.append(t)
        return t

    def box(self, key, x, y, w, h, label, shape="rectangle", bg="transparent",
            frame=None, size=16, bound=True, dashed=False):
        s = element(shape, x, y, w, h, backgroundColor=bg,
                    strokeStyle="dashed" if dashed else "solid",
                    roundness={"type": 3} if shape == "rectangle" else {"type": 2},
                    frameId=frame["id"] if frame else None)
        tw, th = measure(label, size)
        t = element("text", x + (w - tw) / 2, y + (h - th) / 2, tw, th, text=label,
                    originalText=label, fontSize=size, fontFamily=self.font,
                    textAlign="center", verticalAlign="middle",
                    containerId=s["id"] if bound else None, lineHeight=1.25,
                    autoResize=True, frameId=frame["id"] if frame else None)
        if bound:
            s["boundElements"].append({"id": t["id"], "type": "text"})
        self.els += [s, t]
        self.shapes[key] = s
        return s

    @staticmethod
    def rim(s, tx, ty, gap):
        cx, cy = s["x"] + s["width"] / 2, s["y"] + s["height"] / 2
        dx, dy = tx - cx, ty - cy
        hw, hh = s["width"] / 2, s["height"] / 2
        if s["type"] == "ellipse":
            k = 1 / math.sqrt((dx / hw) ** 2 + (dy / hh) ** 2)
        elif s["type"] == "diamond":
            k = 1 / (abs(dx) / hw + abs(dy) / hh)
        else:
            k = min(hw / abs(dx) if dx else 1e9, hh / abs(dy) if dy else 1e9)
        n = math.hypot(dx, dy)
        return cx + dx * k + dx / n * gap, cy + dy * k + dy / n * gap

    def arrow(self, a, b, label=None, via=(), bound=True, gap=5, dashed=False,
              size=14, both=False):
        sa, sb = self.shapes[a], self.shapes[b]
        ca = (sa["x"] + sa["width"] / 2, sa["y"] + sa["height"] / 2)
        cb = (sb["x"] + sb["width"] / 2, sb["y"] + sb["height"] / 2)
        p0 = self.rim(sa, *(via[0] if via else cb), gap)
        p1 = self.rim(sb, *(via[-1] if via else ca), gap)
        pts = [p0, *via, p1]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        ar = element("arrow", p0[0], p0[1], max(xs) - min(xs), max(ys) - min(ys),
                     points=[[round(p[0] - p0[0], 2), round(p[1] - p0[1], 2)] for p in pts],
                     roundness={"type": 2}, startArrowhead="arrow" if both else None,
                     endArrowhead="arrow", elbowed=False,
                     strokeStyle="dashed" if dashed else "solid",
                     startBinding=None, endBinding=None, lastCommittedPoint=None)
        if bound:
            for side, s in (("startBinding", sa), ("endBinding", sb)):
                ar[side] = {"elementId": s["id"], "focus": 0, "gap": gap}
                s["boundElements"].append({"id": ar["id"], "type": "arrow"})
        self.els.append(ar)
        if label:
            if len(pts) % 2:
                mx, my = pts[len(pts) // 2]
            else:
                i = len(pts) // 2
                mx, my = (pts[i - 1][0] + pts[i][0]) / 2, (pts[i - 1][1] + pts[i][1]) / 2
            tw, th = measure(label, size)
            t = element("text", mx - tw / 2, my - th / 2, tw, th, text=label,
                        originalText=label, fontSize=size, fontFamily=self.font,
                        textAlign="center", verticalAlign="middle",
                        containerId=ar["id"], lineHeight=1.25, autoResize=True)
            ar["boundElements"].append({"id": t["id"], "type": "text"})
            self.els.append(t)
        return ar

    def save(self, name):
        # frames go last so that they are drawn above their members, as the app does
        frames = [e for e in self.els if e["type"] == "frame"]
        rest = [e for e in self.els if e["type"] != "frame"]
        self.els = rest + frames
        for i, e in enumerate(self.els):
            e["index"] = "a" + format(i, "x").rjust(3, "0")
        doc = {"type": "excalidraw", "version": 2, "source": "https://excalidraw.com",
               "elements": self.els,
               "appState": {"gridSize": 20, "gridStep": 5, "gridModeEnabled": False,
                            "viewBackgroundColor": "#ffffff"},
               "files": {}}
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2, ensure_ascii=False)


def pharmacist():
    d = Drawing(font=5)
    d.text(0, -90, "Drug-interaction Q&A for hospital pharmacists (RAG)", size=28)
    fa = d.frame(0, 0, 1330, 430, "Online query path (p95 < 4 s)")
    d.box("client", 30, 50, 190, 70, "Pharmacist\n(Epic sidebar)", frame=fa, bg="#e7f5ff")
    d.box("api", 300, 50, 190, 70, "Q&A API\n(FastAPI)", frame=fa)
    d.box("inguard", 530, 50, 230, 70, "Input guard:\nPHI redact + injection", frame=fa, bg="#fff3bf")
    d.box("retr", 820, 50, 220, 70, "Retriever\nhybrid BM25 + dense", frame=fa)
    d.box("rerank", 1090, 50, 210, 70, "Reranker\nbge ft (top-8)", frame=fa)
    d.box("cache", 30, 200, 190, 70, "Answer cache\nRedis, 24 h TTL", frame=fa)
    d.box("fallback", 280, 190, 200, 90, "Fallback:\ntop-3 monograph\npassages, no LLM", frame=fa, bg="#ffe3e3")
    d.box("outguard", 530, 200, 230, 70, "Output guard:\ncitation + dose check", frame=fa, bg="#fff3bf")
    d.box("llm", 820, 200, 220, 70, "gpt-4o\n(Azure OpenAI)", frame=fa)
    d.box("qdrant", 1090, 190, 210, 90, "Qdrant\nmonograph chunks\n(1.2M)", frame=fa)
    d.box("exp", 30, 330, 250, 70, "LaunchDarkly: prompt /\nreranker canary 10%", frame=fa)

    fb = d.frame(0, 490, 1330, 190, "Ingestion (Airflow: nightly 01:00 + on label-change feed)")
    d.box("src", 30, 540, 240, 90, "Drug monographs +\nFDA SPL label feed", frame=fb)
    d.box("parse", 340, 550, 210, 70, "Parse + chunk\n(unstructured.io)", frame=fb)
    d.box("emb", 620, 540, 240, 90, "Embedding svc\ne5-large-v2 @v3\n(docs AND queries)", frame=fb)

    fc = d.frame(0, 740, 1330, 330, "Eval & learning (Airflow: monthly 1st Sun)")
    d.box("trace", 30, 790, 220, 80, "Langfuse traces\n(q, passages, answer)", frame=fc)
    d.box("fb", 310, 790, 220, 80, "Thumbs + edits\nfrom pharmacists", frame=fc)
    d.box("golden", 590, 790, 240, 90, "Golden set: 600 Q/A\nreviewed by clinical\npharmacists", frame=fc)
    d.box("train", 890, 790, 200, 80, "Reranker\nfine-tune", frame=fc)
    d.box("gate", 890, 950, 250, 90, "Eval gate (CI):\nRagas faithfulness,\ncitation recall@8", frame=fc)
    d.box("reg", 1170, 790, 140, 90, "MLflow\nregistry", frame=fc)

    fd = d.frame(1400, 0, 330, 680, "Monitoring")
    d.box("graf", 1430, 50, 270, 90, "Grafana: latency,\nrefusal rate, $/answer", frame=fd)
    d.box("drift", 1430, 250, 270, 90, "Arize: query-topic +\nretrieval-score drift", frame=fd)
    d.box("pd", 1430, 460, 270, 70, "PagerDuty\n(drug-info on-call)", frame=fd)

    d.text(1400, 740, "Scale: ~3k pharmacists, 20 QPS peak\n"
                      "Latency: p95 < 4 s end-to-end\n"
                      "Availability 99.9% (day shift)", size=16, color="#1971c2")
    d.text(1400, 860, "Metrics\n"
                      "offline: faithfulness >= 0.9,\n  citation recall@8, golden-set accuracy\n"
                      "online: answer acceptance rate,\n  time-to-answer, escalations to\n  drug-info pharmacist", size=16, color="#2f9e44")

    d.arrow("client", "api", "question")
    d.arrow("api", "cache", "lookup", both=True)
    d.arrow("api", "inguard")
    d.arrow("inguard", "retr")
    d.arrow("retr", "qdrant", "search")
    d.arrow("retr", "emb", "embed query", via=[(930, 340), (900, 470)])
    d.arrow("retr", "rerank")
    d.arrow("rerank", "llm", "top-8 passages")
    d.arrow("llm", "outguard")
    d.arrow("outguard", "api", "answer + citations")
    d.arrow("api", "fallback", "on LLM timeout / guard fail", dashed=True)
    d.arrow("exp", "api", "route\n10%", via=[(250, 300), (260, 160)], dashed=True)
    d.arrow("src", "parse")
    d.arrow("parse", "emb")
    d.arrow("emb", "qdrant", "upsert", via=[(1200, 470)])
    d.arrow("api", "trace", "log", via=[(495, 150), (495, 470), (300, 470), (300, 700)])
    d.arrow("rerank", "trace", "scores", via=[(1360, 150), (1360, 720), (270, 730)])
    d.arrow("fb", "trace")
    d.arrow("trace", "golden", "curate", via=[(410, 910), (580, 900)])
    d.arrow("golden", "train")
    d.arrow("golden", "gate", via=[(720, 990)])
    d.arrow("train", "gate")
    d.arrow("gate", "reg", "promote")
    d.arrow("reg", "rerank", "deploy", via=[(1240, 720), (1230, 460), (1340, 300)])
    d.arrow("reg", "api", "prompt version", via=[(1250, 700), (800, 700), (560, 700), (515, 460), (515, 160)], dashed=True)
    d.arrow("trace", "graf", via=[(1380, 760), (1380, 160)])
    d.arrow("trace", "drift", via=[(1385, 770), (1385, 300)])
    d.arrow("graf", "pd", via=[(1450, 300), (1450, 420)])
    d.arrow("drift", "pd")
    d.save("pharmacist_interactions_rag.excalidraw")


def call_compliance():
    d = Drawing(font=5)
    d.text(0, -80, "Call compliance QA (debt collection) - nightly", size=26)
    d.box("rec", 0, 0, 240, 90, "Call recordings\nGenesys -> S3\n/calls/yyyy-mm-dd", bg="#e9ecef")
    d.box("asr", 310, 0, 230, 90, "Diarize + ASR\nWhisper large-v3\n(GPU batch)")
    d.box("tr", 610, 5, 200, 80, "Transcripts\n(Parquet, S3)", bg="#e9ecef")
    d.box("clf", 880, 0, 250, 90, "Disclosure classifier\nDeBERTa-v3, nightly\n(Argo cron 02:00)", bg="#d0ebff")
    d.box("flags", 1200, 5, 200, 80, "qa_flags\n(Postgres)", bg="#e9ecef")
    d.box("console", 1200, 220, 200, 90, "QA reviewer\nconsole: listen\n+ verdict", bg="#fff3bf")
    d.box("ls", 880, 220, 250, 90, "Label Studio\nreviewed segments\n(missing / present)")
    d.box("nb", 610, 220, 200, 90, "Fine-tune\nnotebook\n(SageMaker, ad hoc)")
    d.box("art", 290, 220, 230, 90, "s3://models/\ndisclosure/\nlatest.pt")
    d.text(0, 400, "~40k calls/day (avg 6 min audio)\n"
                   "flags ready by 07:00 for QA leads\n"
                   "classes: mini-Miranda, recording consent, threats", size=16, color="#1971c2")
    d.text(520, 400, "target (held-out reviewed calls):\n"
                     "recall >= 0.95 on missing disclosures\n"
                     "at precision >= 0.6", size=16, color="#2f9e44")
    d.arrow("rec", "asr")
    d.arrow("asr", "tr")
    d.arrow("tr", "clf")
    d.arrow("clf", "flags", "flag +\nscore")
    d.arrow("flags", "console", "queue")
    d.arrow("console", "ls", "verdicts")
    d.arrow("tr", "ls", "2% random\nsample", via=[(800, 160)])
    d.arrow("ls", "nb")
    d.arrow("nb", "art", "overwrite")
    d.arrow("art", "clf", "load", via=[(700, 170)], dashed=True)
    d.save("call_compliance_speech.excalidraw")


def parking():
    d = Drawing(font=1)
    d.text(10, -70, "parking predictor v0", size=28)
    d.box("app", 0, 40, 160, 90, "mobile app", shape="ellipse", bound=False, size=18)
    d.box("api", 240, 52, 160, 70, "API server", bound=False, size=18)
    d.box("model", 480, 38, 200, 96, "predicton model\n(xgboost)", bound=False, size=18)
    d.box("dash", 790, 45, 190, 80, "grafana\ndashbord", bound=False, size=18)
    d.box("sensor", 478, 236, 206, 84, "senser feed\n(in-ground, 15min)", bound=False, size=18)
    d.box("csv", 790, 240, 200, 80, "historcal\noccupancy CSV", bound=False, size=18)
    d.box("hol", 1060, 236, 170, 80, "holiday\ncalender", bound=False, size=18)
    d.box("fe", 790, 410, 200, 76, "feature eng\n(pandas)", bound=False, size=18)
    d.box("nb", 478, 410, 206, 76, "train notebok", bound=False, size=18)
    d.box("pkl", 220, 396, 204, 104, "model.pkl", shape="diamond", bound=False, size=18)
    # unbound arrows whose ends stop short of the shapes
    d.arrow("app", "api", bound=False, gap=12, both=True)
    d.arrow("api", "model", bound=False, gap=9, both=True)
    d.arrow("sensor", "model", bound=False, gap=14)
    d.arrow("sensor", "csv", bound=False, gap=10)
    d.arrow("csv", "fe", bound=False, gap=8)
    d.arrow("fe", "nb", bound=False, gap=15)
    d.arrow("nb", "pkl", bound=False, gap=11)
    d.arrow("pkl", "model", bound=False, gap=13, via=[(320, 200), (470, 150)])
    d.text(694, 236, "exported\nonce (2022)", size=14)
    d.text(540, 165, "live counts", size=14)
    d.text(0, 560, "TODO: latency? how many users?\nmetric: MAE maybe\npredict % free per block, 30 min ahead",
           size=18, color="#e03131")
    d.save("parking_availability_sketch.excalidraw")


if __name__ == "__main__":
    pharmacist()
    call_compliance()
    parking()
    print("wrote 3 excalidraw files to", OUT)
