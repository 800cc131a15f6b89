#!/usr/bin/env python3
"""Generate the two .drawio sketches of review_heldout10 (uncompressed XML, stdlib only)."""
import os
import xml.etree.ElementTree as ET

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
BOX = "rounded=1;whiteSpace=wrap;html=1;fontSize=12;"
NOTE = "shape=note;whiteSpace=wrap;html=1;backgroundOutline=1;size=14;fillColor=#fff2cc;strokeColor=#d6b656;align=left;spacingLeft=6;fontSize=12;"
LANE = "swimlane;whiteSpace=wrap;html=1;startSize=30;fontSize=13;fillColor=#f5f5f5;"
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;fontSize=11;"


class Doc:
    def __init__(self, name, diagram_id):
        self.mx = ET.Element("mxfile", host="app.diagrams.net", agent="Mozilla/5.0", version="24.7.17")
        d = ET.SubElement(self.mx, "diagram", id=diagram_id, name=name)
        g = ET.SubElement(d, "mxGraphModel", dx="1426", dy="794", grid="1", gridSize="10", guides="1",
                          tooltips="1", connect="1", arrows="1", fold="1", page="1", pageScale="1",
                          pageWidth="1920", pageHeight="1200", math="0", shadow="0")
        self.root = ET.SubElement(g, "root")
        ET.SubElement(self.root, "mxCell", id="0")
        ET.SubElement(self.root, "mxCell", id="1", parent="0")
        self.n = 1

    def v(self, cid, label, x, y, w, h, style=BOX, parent="1"):
        c = ET.SubElement(self.root, "mxCell", id=cid, value=label.replace("\n", "<br>"),
                          style=style, vertex="1", parent=parent)
        ET.SubElement(c, "mxGeometry", x=str(x), y=str(y), width=str(w), height=str(h), **{"as": "geometry"})
        return cid

    def e(self, src, dst, label="", dashed=False):
        self.n += 1
        c = ET.SubElement(self.root, "mxCell", id="e%d" % self.n, value=label.replace("\n", "<br>"),
                          style=EDGE + ("dashed=1;" if dashed else ""), edge="1", parent="1",
                          source=src, target=dst)
        ET.SubElement(c, "mxGeometry", relative="1", **{"as": "geometry"})

    def save(self, fname):
        ET.indent(self.mx, "  ")
        ET.ElementTree(self.mx).write(os.path.join(OUT, fname), encoding="utf-8", xml_declaration=False)
        with open(os.path.join(OUT, fname), "a") as f:
            f.write("\n")


def chat_scam():
    D = Doc("chat-scam-detection", "Xq3mT0vKc9aPz1LwR7bN")
    L1 = D.v("lane-online", "Online – chat send (p95 < 120 ms added)", 0, 0, 1240, 230, LANE)
    L2 = D.v("lane-stream", "Streaming", 0, 250, 1240, 170, LANE)
    L3 = D.v("lane-offline", "Offline – Airflow nightly 03:00", 0, 440, 1240, 170, LANE)
    L4 = D.v("lane-ts", "Trust & Safety ops", 0, 630, 1240, 150, LANE)
    D.v("app", "Mobile app\n(buyer ↔ seller chat)", 20, 50, 160, 60, parent=L1)
    D.v("chat", "Chat service", 240, 50, 160, 60, parent=L1)
    D.v("clf", "Scam classifier\nDistilBERT text +\naccount features", 460, 45, 200, 70, parent=L1)
    D.v("policy", "Policy: allow / warn\nbanner / hold for review", 720, 45, 220, 70, parent=L1)
    D.v("mlog", "moderation_log\n(Kafka → S3)", 1000, 50, 200, 60, parent=L1)
    D.v("fallback", "allow + async\nre-score", 240, 150, 160, 55, parent=L1)
    D.v("redis", "Redis\n(account features)", 460, 150, 200, 55, parent=L1)
    D.v("grafana", "Grafana: p95,\nhold rate, reports", 1000, 150, 200, 55, parent=L1)
    D.v("kafka", "Kafka: chat-events", 20, 60, 180, 60, parent=L2)
    D.v("flink", "Flink: sender velocity\n(msgs/min, new contacts,\noff-platform links)", 300, 50, 240, 80, parent=L2)
    D.v("snap", "S3 hourly feature\nsnapshots", 640, 60, 200, 60, parent=L2)
    D.v("labels", "label store\n(Postgres)", 20, 60, 200, 60, parent=L3)
    D.v("train", "fine-tune DistilBERT\n+ LightGBM head", 300, 50, 200, 80, parent=L3)
    D.v("eval", "eval: PR-AUC,\nprecision @ 0.3% hold", 580, 50, 220, 80, parent=L3)
    D.v("reg", "SageMaker\nModel Registry", 880, 60, 200, 60, parent=L3)
    D.v("queue", "T&S review queue", 20, 60, 200, 60, parent=L4)
    D.v("agents", "agent verdicts", 300, 60, 200, 60, parent=L4)
    D.v("reports", "User reports\n('this is a scam')", 580, 60, 220, 60, parent=L4)
    D.v("n_req", "Requirements\n40M messages/day, peak 1.5k msg/s\n+≤120 ms p95 on send\n"
        "Goal: fewer buyers scammed into\noff-platform payment", 1290, 0, 300, 130, NOTE)
    D.v("n_met", "Metrics\noffline: PR-AUC, precision @ 0.3% hold\nonline: scam reports / 1k convos,\n"
        "false-hold appeals, reply rate", 1290, 160, 300, 110, NOTE)
    D.v("n_task", "Task: binary p(scam | message, sender)\nLabel: agent verdict, or a report\n"
        "confirmed within 7 days", 1290, 300, 300, 90, NOTE)
    D.e("app", "chat", "send msg")
    D.e("chat", "clf", "score")
    D.e("clf", "policy", "p(scam)")
    D.e("redis", "clf")
    D.e("chat", "fallback", "timeout > 80 ms", dashed=True)
    D.e("policy", "mlog", "score, action,\nmodel_ver")
    D.e("mlog", "grafana")
    D.e("chat", "kafka")
    D.e("kafka", "flink")
    D.e("flink", "redis")
    D.e("flink", "snap")
    D.e("snap", "train", "features")
    D.e("mlog", "train", "msg text")
    D.e("labels", "train")
    D.e("train", "eval")
    D.e("eval", "reg", "pass")
    D.e("reg", "clf", "deploy")
    D.e("policy", "queue", "hold")
    D.e("queue", "agents")
    D.e("agents", "labels")
    D.e("app", "reports", "report button")
    D.e("reports", "labels")
    D.save("chat_scam_swimlanes.drawio")


def car_valuation():
    D = Doc("Page-1", "a8Yk2WmQe5rT1uNv0pLs")
    D.v("seller", "Seller web\n(sell my car)", 40, 200, 160, 60)
    D.v("api", "Valuation API\n(Flask)", 280, 200, 180, 60)
    D.v("model", "price model\nXGBoost regressor", 540, 190, 200, 80)
    D.v("ldb", "Listings DB\n(Postgres)", 540, 360, 200, 60)
    D.v("vin", "VIN decoder API", 820, 360, 180, 60)
    D.v("nb", "features.ipynb\n(pandas)", 280, 520, 200, 60)
    D.v("train", "train XGBoost\n(notebook)", 540, 520, 200, 60)
    D.v("mj", "model.json\n(laptop → scp)", 820, 520, 180, 60)
    D.v("note", "v1 for demo day", 40, 40, 160, 50, NOTE)
    D.e("seller", "api", "make, model,\nyear, km")
    D.e("api", "model")
    D.e("ldb", "model", "comparable listings\navg (live query)")
    D.e("ldb", "nb", "export 2022-23 listings\n+ asking price")
    D.e("nb", "train")
    D.e("train", "mj")
    D.e("mj", "model", "copied to server", dashed=True)
    D.save("used_car_valuation.drawio")


if __name__ == "__main__":
    chat_scam(); car_valuation()
    print("wrote 2 .drawio files")
