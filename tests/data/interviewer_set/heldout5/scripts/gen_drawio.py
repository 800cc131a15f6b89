#!/usr/bin/env python3
"""Generate the two draw.io sketches of review_heldout5 (uncompressed XML, standard library only).

Zones are swimlane containers whose children use relative geometry (parent = zone id),
as draw.io saves them. Notes are text cells; the legend is a container of unconnected
swatches. The script asserts that no two vertices overlap (absolute coordinates).
"""
import random
from pathlib import Path
from xml.sax.saxutils import quoteattr

OUT = Path(__file__).resolve().parent.parent
W, H = 160, 70
CW, RH = 200, 110

STYLES = {
    "box": "rounded=1;whiteSpace=wrap;html=1;",
    "model": "rounded=1;whiteSpace=wrap;html=1;fillColor=#d5e8d4;strokeColor=#82b366;",
    "store": "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=12;fillColor=#dae8fc;strokeColor=#6c8ebf;",
    "human": "rounded=1;whiteSpace=wrap;html=1;fillColor=#ffe6cc;strokeColor=#d79b00;",
    "aws": "rounded=0;whiteSpace=wrap;html=1;fillColor=#f5f5f5;strokeColor=#666666;fontColor=#333333;",
    "actor": "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;html=1;outlineConnect=0;",
    "cloud": "ellipse;shape=cloud;whiteSpace=wrap;html=1;",
    "queue": "shape=process;whiteSpace=wrap;html=1;backgroundOutline=1;",
    "note": "text;html=1;strokeColor=none;fillColor=none;align=left;verticalAlign=top;whiteSpace=wrap;rounded=0;",
    "zone": "swimlane;whiteSpace=wrap;html=1;startSize=23;",
    "legend": "swimlane;whiteSpace=wrap;html=1;startSize=23;dashed=1;fillColor=none;",
}


class Diagram:
    def __init__(self, name, seed):
        self.name = name
        self.rng = random.Random(seed)
        self.prefix = "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") for _ in range(20))
        self.n = 0
        self.cells = []
        self.ids = {}
        self.abs = {}     # key -> (x, y, w, h) absolute, for overlap check of leaf vertices
        self.zones = {}

    def _nid(self):
        self.n += 1
        return f"{self.prefix}-{self.n}"

    def zone(self, key, title, x, y, w, h, style="zone"):
        cid = self._nid()
        self.ids[key] = cid
        self.zones[key] = (x, y)
        self.zone_rects = getattr(self, "zone_rects", {})
        self.zone_rects[key] = (x, y, w, h)
        self.cells.append(f'<mxCell id="{cid}" value={quoteattr(title)} style="{STYLES[style]}" vertex="1" parent="1">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')

    def box(self, key, label, col, row, zone=None, style="box", w=W, h=H):
        cid = self._nid()
        self.ids[key] = cid
        if zone:
            zx, zy = self.zones[zone]
            rx, ry = 20 + col * CW, 40 + row * RH
            ax, ay, parent = zx + rx, zy + ry, self.ids[zone]
        else:
            rx, ry = col * CW, row * RH
            ax, ay, parent = rx, ry, "1"
        self.abs[key] = (ax, ay, w, h)
        self.cells.append(f'<mxCell id="{cid}" value={quoteattr(label)} style="{STYLES[style]}" vertex="1" parent="{parent}">'
                          f'<mxGeometry x="{rx}" y="{ry}" width="{w}" height="{h}" as="geometry" /></mxCell>')

    def note(self, key, text, x, y, w=330, h=110):
        cid = self._nid()
        self.ids[key] = cid
        self.abs[key] = (x, y, w, h)
        self.cells.append(f'<mxCell id="{cid}" value={quoteattr(text)} style="{STYLES["note"]}" vertex="1" parent="1">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')

    def edge(self, a, b, label="", dashed=False, both=False):
        cid = self._nid()
        style = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"
        if dashed:
            style += "dashed=1;"
        if both:
            style += "startArrow=classic;startFill=1;"
        self.cells.append(f'<mxCell id="{cid}" value={quoteattr(label)} style="{style}" edge="1" parent="1" '
                          f'source="{self.ids[a]}" target="{self.ids[b]}">'
                          f'<mxGeometry relative="1" as="geometry" /></mxCell>')

    def save(self):
        items = list(self.abs.items())
        for i in range(len(items)):
            for j in range(i + 1, len(items)):
                (ka, (ax, ay, aw, ah)), (kb, (bx, by, bw, bh)) = items[i], items[j]
                if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
                    raise SystemExit(f"{self.name}: overlap {ka} / {kb}")
        zr = getattr(self, "zone_rects", {})
        for kz, (zx, zy, zw, zh) in zr.items():
            for k, (ax, ay, aw, ah) in self.abs.items():
                inside = zx <= ax and ax + aw <= zx + zw and zy <= ay and ay + ah <= zy + zh
                touch = ax < zx + zw and zx < ax + aw and ay < zy + zh and zy < ay + ah
                if touch and not inside:
                    raise SystemExit(f"{self.name}: {k} straddles zone {kz}")
            for kz2, (bx, by, bw, bh) in zr.items():
                if kz < kz2 and zx < bx + bw and bx < zx + zw and zy < by + bh and by < zy + zh:
                    raise SystemExit(f"{self.name}: zones overlap {kz} / {kz2}")
        body = "\n        ".join(self.cells)
        xml = f'''<mxfile host="app.diagrams.net" modified="2024-11-03T10:21:07.512Z" agent="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36" version="24.8.4" type="device">
  <diagram name="Page-1" id="{self.prefix[:12]}">
    <mxGraphModel dx="1434" dy="786" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1654" pageHeight="1169" math="0" shadow="0">
      <root>
        <mxCell id="0" />
        <mxCell id="1" parent="0" />
        {body}
      </root>
    </mxGraphModel>
  </diagram>
</mxfile>
'''
        (OUT / self.name).write_text(xml)
        print("wrote", self.name, len(self.abs), "vertices")


def loan_docs():
    d = Diagram("loan_document_extraction.drawio", 5)
    # zones: (x, y, w, h) sized to their grid content
    d.zone("intake", "Intake (async)", 0, 0, 2 * CW + W + 40, 2 * RH + H + 60)
    d.zone("extract", "Extraction", 3 * CW, 0, 3 * CW + W + 40, 2 * RH + H + 60)
    d.zone("hitl", "HITL", 3 * CW, 3.5 * RH, CW + W + 40, RH + H + 60)
    d.zone("train", "Training", 5 * CW, 3.5 * RH, CW + W + 40, RH + H + 60)
    d.zone("ops", "Ops", 0, 3.5 * RH, CW + W + 40, H + 60)
    d.box("portal", "Applicant portal", 0, 0, "intake", "actor", w=40, h=70)
    d.box("up", "Upload API", 1, 0, "intake")
    d.box("s3", "S3 raw docs", 2, 0, "intake", "store")
    d.box("sqs", "SQS doc queue", 2, 1, "intake", "queue")
    d.box("dlq", "DLQ -> manual keying (fallback)", 1, 2, "intake", "human")
    d.box("clf", "Doc clf (paystub / W-2 / bank stmt)", 0, 0, "extract", "model")
    d.box("ocr", "OCR svc (Textract)", 1, 0, "extract", "aws")
    d.box("kie", "KIE model (LayoutLMv3 FT)", 2, 0, "extract", "model")
    d.box("val", "Validation rules: income vs W-2, dates, totals", 3, 0, "extract")
    d.box("plog", "Pred log (DynamoDB): fields, conf, model ver", 2, 1, "extract", "store")
    d.box("los", "LOS (loan origination sys)", 3, 2, "extract")
    d.box("hq", "HITL review queue (UW ops)", 0, 0, "hitl", "human")
    d.box("lbl", "Label store: OCR tokens + corrected fields", 0, 1, "hitl", "store")
    d.box("ft", "Fine-tune job (SageMaker), ad hoc", 0, 0, "train", "model")
    d.box("ev", "Eval: field-level F1 on gold set (2k docs)", 0, 1, "train")
    d.box("mr", "SageMaker MR", 1, 1, "train", "store")
    d.box("cw", "CloudWatch dashboards + alarms", 0, 0, "ops", "aws")
    d.box("pd", "PagerDuty", 1, 0, "ops", "aws")
    d.zone("legend", "Legend", 0, 5.3 * RH, 4 * 120 + 40, 90, style="legend")
    lx, ly = d.zones["legend"]
    for i, (k, lab, st) in enumerate([("lg1", "ML model", "model"), ("lg2", "data store", "store"),
                                      ("lg3", "human step", "human"), ("lg4", "AWS managed", "aws")]):
        cid = d._nid()
        d.ids[k] = cid
        d.abs[k] = (lx + 20 + i * 120, ly + 35, 100, 40)
        d.cells.append(f'<mxCell id="{cid}" value="{lab}" style="{STYLES[st]}" vertex="1" parent="{d.ids["legend"]}">'
                       f'<mxGeometry x="{20 + i * 120}" y="35" width="100" height="40" as="geometry" /></mxCell>')
    d.note("req", "<b>Req</b><br>~60k loan apps/day, ~8 docs each (~500k pages/day)<br>"
                  "SLA: fields in LOS &lt; 2 min after upload (p95), async<br>"
                  "PII: docs encrypted, 7y retention", 3 * CW, 6 * RH, w=380, h=90)
    d.note("met", "<b>Metrics</b><br>offline: field-level F1, doc-class acc<br>"
                  "online: straight-through-processing rate, HITL rate, UW correction rate", 5 * CW + 40, 6 * RH, w=380, h=90)
    E = d.edge
    E("portal", "up", "PDF / JPG")
    E("up", "s3")
    E("s3", "sqs", "object created")
    E("sqs", "clf")
    E("sqs", "dlq", "3 failures", dashed=True)
    E("dlq", "los", dashed=True)
    E("clf", "ocr")
    E("ocr", "kie", "tokens + boxes")
    E("kie", "val", "fields + conf")
    E("kie", "plog")
    E("val", "los", "conf >= 0.9 & rules pass")
    E("val", "hq", "low conf / rule fail")
    E("hq", "los", "corrected")
    E("hq", "lbl", "corrections")
    E("lbl", "ft")
    E("ft", "ev")
    E("ev", "mr", "if F1 up")
    E("mr", "kie", "deploy")
    E("mr", "clf", "deploy")
    E("kie", "cw")
    E("sqs", "cw", "queue depth")
    E("cw", "pd", "alarms")
    d.save()


def hotel_anomaly():
    d = Diagram("hotel_price_anomaly_alerts.drawio", 9)
    d.box("feeds", "Partner rate feeds (XML)", 0, 1, style="cloud")
    d.box("s3", "S3 raw rates", 1, 1, style="store")
    d.box("spark", "Spark job (hourly): price / 30d median, currency, room type", 2, 0)
    d.box("pred", "IsolationForest.predict()", 3, 0, style="model")
    d.box("tbl", "anomalies table", 4, 0, style="store")
    d.box("slack", "Slack #pricing-alerts", 5, 0)
    d.box("ops", "Pricing ops team", 6, 0, style="actor", w=40, h=70)
    d.box("nb", "notebook: pandas feature prep", 2, 2)
    d.box("train", "train IsolationForest (once)", 3, 2)
    d.box("pkl", "model.pkl (S3)", 3, 1, style="store", w=W, h=60)
    d.box("comp", "Competitor rates (scraped)", 1, 3, style="cloud")
    d.note("goal", "Goal: catch wrong hotel prices (e.g. $1 rooms, currency mix-ups) before travellers see them", 4 * CW, 2 * RH, w=320, h=60)
    E = d.edge
    E("feeds", "s3")
    E("s3", "spark")
    E("spark", "pred", "features")
    E("pred", "tbl", "score > 0.7")
    E("tbl", "slack")
    E("slack", "ops")
    E("s3", "nb")
    E("nb", "train")
    E("train", "pkl")
    E("pkl", "pred", "load")
    d.save()


if __name__ == "__main__":
    loan_docs()
    hotel_anomaly()
