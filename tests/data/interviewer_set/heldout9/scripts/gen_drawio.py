#!/usr/bin/env python3
"""Generate the two .drawio sketches of review_heldout9 (stdlib only).

sponsored_listings_ads.drawio   horizontal swimlanes; children use coordinates
                                relative to their lane (parent = lane id)
meter_theft_detection.drawio    flat page, one note shape, two orphan boxes
Uncompressed mxGraphModel XML, as draw.io saves with compression turned off.
"""
import os, random
import xml.etree.ElementTree as ET

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
R = random.Random(99)
BOX = "rounded=1;whiteSpace=wrap;html=1;"
DB = "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=12;"
NOTE = "shape=note;whiteSpace=wrap;html=1;backgroundOutline=1;size=14;align=left;spacingLeft=6;fillColor=#fff2cc;strokeColor=#d6b656;"
LANE = "swimlane;horizontal=0;startSize=30;html=1;whiteSpace=wrap;fillColor=%s;"
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"


def rid():
    return "".join(R.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") for _ in range(20))


class Page:
    def __init__(self, name):
        self.name = name
        self.prefix = rid()
        self.n = 0
        self.cells = []
        self.key = {}

    def _id(self):
        self.n += 1
        return "%s-%d" % (self.prefix, self.n)

    def vertex(self, key, value, x, y, w, h, style=BOX, parent="1"):
        i = self._id()
        c = ET.Element("mxCell", id=i, value=value, style=style, vertex="1",
                       parent=self.key.get(parent, parent))
        ET.SubElement(c, "mxGeometry", x=str(x), y=str(y), width=str(w), height=str(h),
                      **{"as": "geometry"})
        self.cells.append(c)
        if key:
            self.key[key] = i
        return i

    def edge(self, a, b, label="", style=EDGE):
        i = self._id()
        c = ET.Element("mxCell", id=i, value=label, style=style, edge="1", parent="1",
                       source=self.key[a], target=self.key[b])
        ET.SubElement(c, "mxGeometry", relative="1", **{"as": "geometry"})
        self.cells.append(c)

    def save(self, fname, modified):
        mx = ET.Element("mxfile", host="app.diagrams.net", modified=modified,
                        agent="Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0",
                        version="24.7.17", type="device")
        dg = ET.SubElement(mx, "diagram", name=self.name, id=rid())
        gm = ET.SubElement(dg, "mxGraphModel", dx="1434", dy="780", grid="1", gridSize="10",
                           guides="1", tooltips="1", connect="1", arrows="1", fold="1",
                           page="1", pageScale="1", pageWidth="1654", pageHeight="1169",
                           math="0", shadow="0")
        root = ET.SubElement(gm, "root")
        ET.SubElement(root, "mxCell", id="0")
        ET.SubElement(root, "mxCell", id="1", parent="0")
        for c in self.cells:
            root.append(c)
        ET.indent(mx, space="  ")
        ET.ElementTree(mx).write(os.path.join(OUT, fname), encoding="utf-8", xml_declaration=False)


def sponsored():
    p = Page("sponsored listings v2")
    p.vertex(None, "<b>Sponsored listings on search results (used-car marketplace)</b>", 0, -50, 620, 30,
             style="text;html=1;align=left;verticalAlign=middle;fontSize=16;")
    p.vertex("L1", "Serving (online) – ads p99 60 ms", 0, 0, 1240, 190, style=LANE % "#dae8fc")
    p.vertex("L2", "Data &amp; features", 0, 210, 1240, 210, style=LANE % "#d5e8d4")
    p.vertex("L3", "Training – Airflow daily 05:00", 0, 440, 1240, 170, style=LANE % "#ffe6cc")
    p.vertex("L4", "Monitoring", 0, 630, 1240, 150, style=LANE % "#f8cecc")
    # lane children: coordinates relative to the lane
    p.vertex("buyer", "Buyer<br>(web / app)", 60, 60, 140, 60, parent="L1")
    p.vertex("search", "Search API", 260, 60, 150, 60, parent="L1")
    p.vertex("cand", "Ad candidates:<br>make/model/geo match<br>(Elasticsearch)", 470, 50, 190, 80, parent="L1")
    p.vertex("pctr", "pCTR: field-aware FM<br>(TF-Serving)", 720, 50, 180, 80, parent="L1")
    p.vertex("auc", "Auction: pCTR × bid,<br>GSP + reserve price", 960, 50, 190, 80, parent="L1")
    p.vertex("log", "ad impressions + clicks<br>(Kafka ads_events)", 60, 60, 200, 80, parent="L2")
    p.vertex("join", "click join<br>(30-min window)", 320, 60, 170, 80, parent="L2")
    p.vertex("spark", "Spark daily: advertiser CTR,<br>listing age, price vs market", 550, 60, 220, 80, parent="L2")
    p.vertex("redis", "Redis<br>online features", 840, 20, 170, 70, style=DB, parent="L2")
    p.vertex("hive", "Hive feature<br>snapshots", 840, 120, 170, 70, style=DB, parent="L2")
    p.vertex("train", "Train FM<br>(TF, 2 GPUs)", 60, 45, 180, 80, parent="L3")
    p.vertex("eval", "Eval: AUC, log-loss<br>vs prod model", 320, 45, 190, 80, parent="L3")
    p.vertex("store", "Model store<br>S3, versioned (v-YYYYMMDD)", 590, 45, 220, 80, style=DB, parent="L3")
    p.vertex("graf", "Grafana: QPS, p99,<br>error rate", 60, 35, 220, 80, parent="L4")
    p.vertex("n1", "Traffic: 900 search QPS at peak<br>ads block p99 &lt; 60 ms<br>~180k active sponsored listings",
             1290, 20, 250, 90, style=NOTE)
    p.vertex("n2", "Model metrics: AUC, log-loss", 1290, 140, 250, 50, style=NOTE)
    p.edge("buyer", "search", "query")
    p.edge("search", "cand")
    p.edge("cand", "pctr")
    p.edge("pctr", "auc")
    p.edge("auc", "search", "3 ad slots")
    p.edge("search", "buyer", "SERP")
    p.edge("auc", "log", "served ads + pCTR + slot")
    p.edge("buyer", "log", "clicks (client SDK)")
    p.edge("log", "join")
    p.edge("log", "spark")
    p.edge("spark", "redis")
    p.edge("spark", "hive")
    p.edge("redis", "pctr")
    p.edge("join", "train", "labelled impressions")
    p.edge("hive", "train")
    p.edge("train", "eval")
    p.edge("eval", "store", "if AUC ≥ prod")
    p.edge("store", "pctr", "deploy")
    p.edge("pctr", "graf")
    p.save("sponsored_listings_ads.drawio", "2025-03-11T09:42:17.311Z")


def meter():
    p = Page("Page-1")
    p.vertex(None, "Electricity theft detection – monthly inspection list", 40, 0, 460, 30,
             style="text;html=1;align=left;verticalAlign=middle;fontSize=16;fontStyle=1;")
    p.vertex("ami", "Smart meters<br>(AMI head-end)", 40, 60, 170, 70)
    p.vertex("mdm", "MDM<br>15-min interval reads", 260, 60, 180, 70, style=DB)
    p.vertex("exp", "monthly export<br>(CSV, ~30 GB)", 490, 60, 170, 70)
    p.vertex("feat", "features.R: consumption drop %,<br>night/day ratio, zero-read days", 710, 60, 240, 70)
    p.vertex("score", "score + tamper rules<br>(same R script)", 1010, 60, 190, 70)
    p.vertex("list", "Top-500 suspicious<br>meters (Excel)", 1260, 60, 180, 70)
    p.vertex("fit", "Isolation Forest fit<br>(R, analyst laptop)", 710, 200, 240, 70)
    p.vertex("rds", "iforest.rds<br>(shared drive)", 1010, 200, 190, 70)
    p.vertex("crews", "Field inspection<br>crews", 1260, 200, 180, 70)
    p.vertex("outc", "Inspection outcomes<br>(paper forms)", 1260, 340, 180, 70)
    p.vertex("bill", "Billing DB<br>(SAP IS-U)", 260, 200, 180, 70, style=DB)
    p.vertex("note", "~1.1M meters; list due by the 5th of each month<br>crews can visit ~500 meters / month<br>hit rate today: 8% of visits find theft",
             40, 340, 330, 80, style=NOTE)
    p.edge("ami", "mdm")
    p.edge("mdm", "exp")
    p.edge("exp", "feat")
    p.edge("feat", "score")
    p.edge("feat", "fit")
    p.edge("fit", "rds")
    p.edge("rds", "score")
    p.edge("score", "list")
    p.edge("list", "crews")
    p.save("meter_theft_detection.drawio", "2024-11-02T16:05:51.090Z")


if __name__ == "__main__":
    sponsored()
    meter()
    print("wrote 2 drawio files to", OUT)
