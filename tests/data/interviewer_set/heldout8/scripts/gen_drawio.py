#!/usr/bin/env python3
"""Generate the two uncompressed .drawio sketches of review_heldout8 (stdlib only)."""
import os, random
from xml.sax.saxutils import quoteattr

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
rnd = random.Random(88)

BOX = "rounded=1;whiteSpace=wrap;html=1;"
STYLE = {
    "box": BOX + "fillColor=#dae8fc;strokeColor=#6c8ebf;",
    "data": "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=12;fillColor=#d5e8d4;strokeColor=#82b366;",
    "user": BOX + "fillColor=#fff2cc;strokeColor=#d6b656;",
    "model": BOX + "fillColor=#e1d5e7;strokeColor=#9673a6;fontStyle=1;",
    "ops": BOX + "fillColor=#f8cecc;strokeColor=#b85450;",
    "note": "shape=note;whiteSpace=wrap;html=1;backgroundOutline=1;darkOpacity=0.05;fillColor=#fff2cc;strokeColor=#d6b656;align=left;spacingLeft=6;size=14;",
    "text": "text;html=1;strokeColor=none;fillColor=none;align=left;verticalAlign=top;whiteSpace=wrap;rounded=0;",
}
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"


def uid():
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(rnd.choice(a) for _ in range(20))


class Doc:
    def __init__(self):
        self.prefix = uid()
        self.n = 0
        self.cells = []
        self.ids = {}

    def nid(self):
        self.n += 1
        return "%s-%d" % (self.prefix, self.n)

    def lane(self, key, title, x, y, w, h, color="#f5f5f5"):
        i = self.nid()
        self.ids[key] = i
        self.cells.append('<mxCell id="%s" value=%s style="swimlane;horizontal=0;whiteSpace=wrap;html=1;startSize=30;fillColor=%s;" vertex="1" parent="1">\n'
                          '  <mxGeometry x="%d" y="%d" width="%d" height="%d" as="geometry" />\n</mxCell>'
                          % (i, quoteattr(title), color, x, y, w, h))
        return i

    def node(self, key, label, x, y, w, h, kind="box", parent=None):
        i = self.nid()
        self.ids[key] = i
        p = self.ids[parent] if parent else "1"
        self.cells.append('<mxCell id="%s" value=%s style="%s" vertex="1" parent="%s">\n'
                          '  <mxGeometry x="%d" y="%d" width="%d" height="%d" as="geometry" />\n</mxCell>'
                          % (i, quoteattr(label), STYLE[kind], p, x, y, w, h))
        return i

    def edge(self, a, b, label="", dashed=False, child_label=False, extra=""):
        i = self.nid()
        st = EDGE + ("dashed=1;" if dashed else "") + extra
        val = "" if child_label else label
        self.cells.append('<mxCell id="%s" value=%s style="%s" edge="1" parent="1" source="%s" target="%s">\n'
                          '  <mxGeometry relative="1" as="geometry" />\n</mxCell>'
                          % (i, quoteattr(val), st, self.ids[a], self.ids[b]))
        if child_label and label:
            j = self.nid()
            self.cells.append('<mxCell id="%s" value=%s style="edgeLabel;html=1;align=center;verticalAlign=middle;resizable=0;points=[];" vertex="1" connectable="0" parent="%s">\n'
                              '  <mxGeometry x="-0.1" relative="1" as="geometry">\n    <mxPoint as="offset" />\n  </mxGeometry>\n</mxCell>'
                              % (j, quoteattr(label), i))

    def save(self, name, page, modified):
        body = "\n".join("        " + c.replace("\n", "\n        ") for c in self.cells)
        xml = ('<mxfile host="app.diagrams.net" modified="%s" agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36" etag="%s" version="24.4.0" type="device">\n'
               '  <diagram name=%s id="%s">\n'
               '    <mxGraphModel dx="1434" dy="844" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1654" pageHeight="1169" math="0" shadow="0">\n'
               '      <root>\n        <mxCell id="0" />\n        <mxCell id="1" parent="0" />\n%s\n      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n'
               % (modified, uid(), quoteattr(page), uid(), body))
        with open(os.path.join(OUT, name), "w") as f:
            f.write(xml)


def claims():
    d = Doc()
    W = 1380
    d.lane("L1", "Claimant", 0, 0, W, 140, "#fff2cc")
    d.lane("L2", "Online scoring @ FNOL<br>(p95 &lt; 300 ms)", 0, 140, W, 280, "#dae8fc")
    d.lane("L3", "SIU / Claims ops", 0, 420, W, 170, "#f8cecc")
    d.lane("L4", "Offline – Kubeflow Pipelines<br>(weekly + on drift)", 0, 590, W, 200, "#d5e8d4")
    d.lane("L5", "Monitoring", 0, 790, W, 150, "#e1d5e7")
    d.node("app", "Mobile claims app<br>(photos + FNOL form)", 60, 35, 190, 70, "user", "L1")
    d.node("api", "Claims API", 60, 40, 160, 60, "box", "L2")
    d.node("feat", "Feature pipeline<br><i>claims_features</i> lib<br>(CLIP embed, EXIF tamper,<br>claim history)", 300, 30, 210, 90, "box", "L2")
    d.node("fs", "Tecton<br>online + offline store", 590, 40, 180, 70, "data", "L2")
    d.node("scorer", "Fraud scorer<br>GBDT + ViT head<br>(Seldon)", 850, 30, 180, 90, "model", "L2")
    d.node("dec", "Decision engine<br>fast-track / adjuster / SIU<br>thresholds per LOB", 1100, 30, 220, 90, "box", "L2")
    d.node("rules", "Legacy red-flag rules", 60, 180, 180, 60, "ops", "L2")
    d.node("slog", "Score log<br>Kafka: claim_scored", 850, 180, 180, 70, "data", "L2")
    d.node("siu", "SIU investigators<br>(case mgmt)", 1100, 45, 220, 70, "ops", "L3")
    d.node("outc", "Investigation outcome<br>fraud / cleared<br>(30–120 days later)", 590, 40, 200, 90, "ops", "L3")
    d.node("lake", "Delta lakehouse", 850, 60, 180, 80, "data", "L4")
    d.node("join", "Label join<br>outcome ↔ features<br>as of FNOL", 590, 50, 190, 90, "box", "L4")
    d.node("train", "Training<br>XGBoost + ViT fine-tune", 330, 60, 190, 70, "model", "L4")
    d.node("eval", "Eval gate<br>PR-AUC, recall@5% review,<br>by LOB / region", 60, 50, 200, 90, "box", "L4")
    d.node("reg", "MLflow<br>model registry", 1100, 60, 180, 70, "box", "L4")
    d.node("arize", "Arize<br>score + feature drift", 850, 40, 180, 70, "box", "L5")
    d.node("caps", "Action-rate monitor<br>auto-deny / SIU rate caps", 1100, 40, 220, 70, "box", "L5")
    d.node("pd", "PagerDuty", 590, 45, 160, 60, "ops", "L5")
    d.node("req", "<b>Requirements</b><br>~25k claims/day, 3× peaks after storms<br>score at FNOL, p95 &lt; 300 ms<br>up to 12 photos per claim", 1420, 20, 300, 110, "note")
    d.node("met", "<b>Metrics</b><br>offline: PR-AUC, recall @ 5% review rate<br>online: fraud $ prevented, SIU hit rate,<br>fast-track rate + cycle time, NPS", 1420, 160, 300, 110, "note")
    d.node("task", "<b>Task</b>: binary clf per claim.<br>Label = SIU-confirmed fraud; cleared = neg;<br>never-investigated = unlabeled (audit sample)", 1420, 300, 300, 100, "note")
    e = d.edge
    e("app", "api", "submit claim")
    e("api", "feat", "claim + photos")
    e("feat", "fs")
    e("fs", "scorer", "features", child_label=True)
    e("api", "scorer", "A/B: 90% champion / 10% challenger", child_label=True, extra="exitX=0.5;exitY=0;entryX=0.5;entryY=0;")
    e("scorer", "dec", "score")
    e("dec", "api", "route", extra="exitX=0.5;exitY=1;entryX=0.5;entryY=1;")
    e("api", "rules", "on timeout / scorer error", dashed=True, child_label=True)
    e("rules", "dec", "", dashed=True)
    e("scorer", "slog", "score + features + model_version", child_label=True)
    e("dec", "siu", "SIU queue + 1% random audit of fast-track", child_label=True)
    e("siu", "outc")
    e("outc", "join", "labels (delayed)", child_label=True)
    e("slog", "lake")
    e("lake", "join")
    e("fs", "train", "point-in-time features", child_label=True)
    e("join", "train")
    e("train", "eval")
    e("eval", "reg", "promote if PR-AUC ≥ champion", child_label=True)
    e("reg", "scorer", "deploy")
    e("slog", "arize")
    e("dec", "caps")
    e("arize", "pd")
    e("caps", "pd")
    e("arize", "train", "drift → trigger run", dashed=True, child_label=True)
    d.save("claim_fraud_photos.drawio", "FNOL fraud v3", "2026-10-14T09:12:51.337Z")


def talent():
    d = Doc()
    W = 1200
    d.lane("L1", "Recruiter", 0, 0, W, 130, "#fff2cc")
    d.lane("L2", "Search service (online)", 0, 130, W, 250, "#dae8fc")
    d.lane("L3", "Data", 0, 380, W, 180, "#d5e8d4")
    d.lane("L4", "Offline", 0, 560, W, 180, "#f5f5f5")
    d.node("ui", "Recruiter UI<br>(ATS plugin)", 60, 30, 180, 70, "user", "L1")
    d.node("api", "Search API", 60, 40, 160, 60, "box", "L2")
    d.node("qu", "Query understanding<br>skills NER + title synonyms", 280, 30, 200, 80, "box", "L2")
    d.node("retr", "Retrieval<br>BM25 + kNN (top 500)", 550, 30, 190, 80, "model", "L2")
    d.node("rank", "LTR ranker<br>LambdaMART", 820, 30, 180, 80, "model", "L2")
    d.node("ofc", "Feature calc<br>(in search svc, Python)", 820, 150, 180, 70, "box", "L2")
    d.node("dd", "Datadog<br>latency / 5xx", 60, 160, 160, 60, "box", "L2")
    d.node("prof", "Profiles DB<br>Postgres, 2.3M", 820, 40, 180, 90, "data", "L3")
    d.node("enc", "Profile encoder<br>(E5-base)", 550, 50, 180, 70, "box", "L3")
    d.node("idx", "Profile index<br>OpenSearch kNN", 280, 40, 180, 90, "data", "L3")
    d.node("alog", "Recruiter actions log<br>query, shown ids + position,<br>view / InMail / reply", 1015, 35, 175, 100, "data", "L3")
    d.node("dump", "Nightly profile dump<br>(S3)", 1020, 40, 160, 80, "data", "L4")
    d.node("spark", "Spark feature job", 820, 50, 170, 60, "box", "L4")
    d.node("train", "Training<br>(weekly, Airflow)", 550, 50, 180, 70, "model", "L4")
    d.node("eval", "Offline eval<br>NDCG@20 on<br>replied InMails", 280, 40, 180, 90, "box", "L4")
    d.node("req", "2.3M profiles · ~300 recruiters<br>peak ~50 QPS · p95 &lt; 400 ms", 1240, 20, 250, 60, "note")
    d.node("met", "offline: NDCG@20<br>online: InMail reply rate,<br>saved-to-project rate", 1240, 110, 250, 70, "note")
    e = d.edge
    e("ui", "api", "query + filters")
    e("api", "qu")
    e("qu", "retr")
    e("idx", "retr", "kNN")
    e("retr", "rank", "candidates", child_label=True)
    e("ofc", "rank", "features")
    e("rank", "api", "top 50", extra="exitX=0.5;exitY=0;entryX=0.5;entryY=0;")
    e("api", "dd", "", dashed=True)
    e("prof", "ofc")
    e("prof", "enc")
    e("enc", "idx")
    e("ui", "alog", "impressions + actions", child_label=True)
    e("prof", "dump", "pg_dump 01:00", child_label=True)
    e("dump", "spark")
    e("spark", "train")
    e("alog", "train", "labels: reply = 1", child_label=True, extra="exitX=1;exitY=0.5;entryX=1;entryY=0.5;")
    e("train", "eval")
    e("eval", "rank", "copy model file", dashed=True, child_label=True)
    d.save("talent_sourcing_search.drawio", "sourcing-search", "2026-11-02T16:40:03.114Z")


if __name__ == "__main__":
    claims(); talent()
    print("ok")
