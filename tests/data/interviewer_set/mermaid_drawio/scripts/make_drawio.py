#!/usr/bin/env python3
"""Generate the draw.io sketches of review_heldout2 (standard library only).

Each sketch is written as an uncompressed <mxfile><diagram><mxGraphModel> the way the
draw.io desktop/web app saves it with compression off. Containers are either swimlanes
(children have parent=<swimlane id> and relative geometry) or plain titled rectangles
drawn behind boxes (children have parent="1" and only lie inside geometrically), as both
occur in real files. Run: python3 scripts/make_drawio.py  (writes *.drawio next to it
and checks that the XML parses and every edge's source/target exists).
"""
import hashlib
import pathlib
import xml.etree.ElementTree as ET

OUT = pathlib.Path(__file__).resolve().parent.parent

BOX = "rounded=1;whiteSpace=wrap;html=1;"
DB = "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=15;"
QUEUE = "shape=process;whiteSpace=wrap;html=1;backgroundOutline=1;"
ACTOR = "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;html=1;outlineConnect=0;"
TEXT = "text;html=1;align=left;verticalAlign=top;whiteSpace=wrap;rounded=0;"
NOTE = "shape=note;whiteSpace=wrap;html=1;backgroundOutline=1;darkOpacity=0.05;align=left;verticalAlign=top;spacingLeft=6;"
SWIM = "swimlane;whiteSpace=wrap;html=1;startSize=23;"
ZONE = "rounded=0;whiteSpace=wrap;html=1;verticalAlign=top;align=left;spacingLeft=8;dashed=1;fillColor=none;fontStyle=1;"
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"
DASH = EDGE + "dashed=1;"
LABEL = "edgeLabel;html=1;align=center;verticalAlign=middle;resizable=0;points=[];"


class Sketch:
    def __init__(self, name, prefix):
        self.name = name
        self.prefix = prefix
        self.n = 0
        self.cells = []          # (attrs, geometry dict or None, kind)
        self.ids = {}            # short key -> cell id
        self.swim = {}           # swimlane key -> (x, y)

    def _id(self, key=None):
        self.n += 1
        cid = f"{self.prefix}-{self.n}"
        if key:
            self.ids[key] = cid
        return cid

    def swimlane(self, key, title, x, y, w, h):
        cid = self._id(key)
        self.swim[key] = (x, y)
        self.cells.append(({"id": cid, "value": title, "style": SWIM, "vertex": "1", "parent": "1"},
                           {"x": x, "y": y, "width": w, "height": h}))

    def zone(self, key, title, x, y, w, h):
        cid = self._id(key)
        self.cells.append(({"id": cid, "value": title, "style": ZONE, "vertex": "1", "parent": "1"},
                           {"x": x, "y": y, "width": w, "height": h}))

    def v(self, key, label, x, y, w=140, h=60, style=BOX, lane=None):
        cid = self._id(key)
        parent = "1"
        if lane is not None:
            parent = self.ids[lane]
            lx, ly = self.swim[lane]
            x, y = x - lx, y - ly       # swimlane children use coordinates relative to the lane
        self.cells.append(({"id": cid, "value": label, "style": style, "vertex": "1", "parent": parent},
                           {"x": x, "y": y, "width": w, "height": h}))

    def text(self, label, x, y, w=300, h=80, style=TEXT):
        self.v(None, label, x, y, w, h, style)

    def e(self, src, dst, label="", dashed=False, label_as_child=False):
        cid = self._id()
        attrs = {"id": cid, "value": "" if label_as_child else label,
                 "style": DASH if dashed else EDGE, "edge": "1", "parent": "1",
                 "source": self.ids[src], "target": self.ids[dst]}
        self.cells.append((attrs, "edge"))
        if label and label_as_child:
            lid = self._id()
            self.cells.append(({"id": lid, "value": label, "style": LABEL, "vertex": "1",
                                "connectable": "0", "parent": cid}, "label"))

    def write(self):
        digest = hashlib.sha1(self.name.encode()).hexdigest()
        mxfile = ET.Element("mxfile", {"host": "app.diagrams.net", "modified": "2024-11-02T10:14:31.201Z",
                                       "agent": "Mozilla/5.0 (X11; Linux x86_64)", "etag": digest[:20],
                                       "version": "24.7.17", "type": "device"})
        diagram = ET.SubElement(mxfile, "diagram", {"name": "Page-1", "id": digest[20:40]})
        model = ET.SubElement(diagram, "mxGraphModel", {
            "dx": "1434", "dy": "834", "grid": "1", "gridSize": "10", "guides": "1", "tooltips": "1",
            "connect": "1", "arrows": "1", "fold": "1", "page": "1", "pageScale": "1",
            "pageWidth": "1654", "pageHeight": "1169", "math": "0", "shadow": "0"})
        root = ET.SubElement(model, "root")
        ET.SubElement(root, "mxCell", {"id": "0"})
        ET.SubElement(root, "mxCell", {"id": "1", "parent": "0"})
        for attrs, geo in self.cells:
            cell = ET.SubElement(root, "mxCell", attrs)
            if geo == "edge":
                ET.SubElement(cell, "mxGeometry", {"relative": "1", "as": "geometry"})
            elif geo == "label":
                g = ET.SubElement(cell, "mxGeometry", {"x": "-0.1", "relative": "1", "as": "geometry"})
                ET.SubElement(g, "mxPoint", {"as": "offset"})
            else:
                ET.SubElement(cell, "mxGeometry", {k: str(v) for k, v in geo.items()} | {"as": "geometry"})
        ET.indent(mxfile, space="  ")
        path = OUT / self.name
        path.write_text(ET.tostring(mxfile, encoding="unicode") + "\n", encoding="utf-8")
        check(path)
        return path


def check(path):
    tree = ET.parse(path)
    cells = tree.getroot().findall(".//mxCell")
    ids = [c.get("id") for c in cells]
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate ids"
    idset = set(ids)
    vertices = {c.get("id") for c in cells if c.get("vertex") == "1"}
    n_edges = 0
    for c in cells:
        if c.get("parent") is not None:
            assert c.get("parent") in idset, f"{path.name}: {c.get('id')} has unknown parent"
        if c.get("edge") == "1":
            n_edges += 1
            for end in ("source", "target"):
                assert c.get(end) in vertices, f"{path.name}: edge {c.get('id')} {end} {c.get(end)} missing"
    print(f"ok {path.name}: {len(vertices)} vertices (incl. labels/notes), {n_edges} edges")


# ----------------------------------------------------------------------------------
def card_fraud():
    s = Sketch("03_card_fraud_zones.drawio", "q7RkTz2mVb0pLx1cWn4e")
    s.text("<b>Card-not-present fraud @ checkout</b><br>Reqs: 3k TPS avg, 10k peak (Black Friday); score p99 &lt; 60 ms inside the checkout budget; fraud base rate ~0.3%<br>"
           "Metrics: offline PR-AUC, recall @ 1% FPR, $-weighted recall | online: chargeback rate (bps), false-decline rate, manual review rate",
           20, 10, 900, 60)
    s.swimlane("on", "Online", 20, 90, 1000, 330)
    s.v("checkout", "Checkout (web / app)", 40, 140, lane="on", style=ACTOR, w=40, h=70)
    s.v("payapi", "Payments API", 140, 150, lane="on")
    s.v("score", "<b>Risk scoring svc</b><br>XGBoost, ~400 feats", 340, 150, lane="on")
    s.v("dec", "Decision engine<br>thresholds + rules<br>approve / 3DS / decline / review<br><i>(0.5% of would-declines let through as control)</i>",
        540, 140, w=220, h=90, lane="on")
    s.v("fb", "Rules-only fallback<br>(velocity + blocklist)", 140, 300, lane="on")
    s.v("ton", "<b>Feature store</b><br>Tecton online", 340, 300, style=DB, lane="on")
    s.v("shadow", "Challenger model<br>(shadow, mirrored traffic)", 800, 150, w=160, lane="on")
    s.v("queue", "Manual review queue<br>fraud analysts", 600, 300, w=160, lane="on")

    s.swimlane("st", "Streaming", 20, 440, 1000, 130)
    s.v("kafka", "Kafka<br>payment events + prediction log", 140, 480, w=200, style=QUEUE, lane="st")
    s.v("flink", "Flink<br>velocity feats 1m / 1h / 24h", 420, 480, w=180, lane="st")

    s.swimlane("off", "Offline", 20, 590, 1000, 300)
    s.v("s3", "S3 data lake", 60, 640, style=DB, lane="off")
    s.v("gx", "Great Expectations", 60, 780, lane="off")
    s.v("toff", "Tecton offline", 260, 780, style=DB, lane="off")
    s.v("cb", "Chargebacks / disputes<br>from PSP (30-90 d later)", 260, 640, w=170, lane="off")
    s.v("lbl", "Label join<br>(90 d maturity window)", 480, 640, lane="off")
    s.v("train", "Training<br>SageMaker XGBoost", 480, 780, lane="off")
    s.v("eval", "Backtest / out-of-time eval<br>vs champion", 660, 780, w=170, lane="off")
    s.v("reg", "SageMaker Model Registry", 860, 780, lane="off")
    s.v("af", "Airflow<br>weekly + on drift", 680, 640, lane="off")

    s.swimlane("mon", "Monitoring", 1050, 90, 300, 480)
    s.v("m_lat", "p99 latency, error rate, timeouts", 1080, 130, w=240, lane="mon")
    s.v("m_psi", "score distribution PSI,<br>feature drift vs train", 1080, 220, w=240, lane="mon")
    s.v("m_rate", "decline / review rate limits<br>(trip to fallback if &gt; 3x baseline)", 1080, 310, w=240, lane="mon")
    s.v("m_pd", "on-call (PagerDuty)", 1080, 450, w=240, lane="mon")

    s.e("checkout", "payapi", "authorize")
    s.e("payapi", "score", "txn")
    s.e("ton", "score", "feats")
    s.e("score", "dec", "score")
    s.e("dec", "payapi", "action", label_as_child=True)
    s.e("payapi", "fb", "scorer timeout", dashed=True)
    s.e("dec", "queue", "review band")
    s.e("queue", "lbl", "analyst verdicts")
    s.e("payapi", "kafka", "events")
    s.e("score", "kafka", "score, feats, model_ver", label_as_child=True)
    s.e("kafka", "flink")
    s.e("flink", "ton")
    s.e("flink", "toff")
    s.e("kafka", "s3")
    s.e("s3", "gx")
    s.e("gx", "toff", "batch feats")
    s.e("toff", "ton", "materialize", dashed=True)
    s.e("s3", "lbl")
    s.e("cb", "lbl")
    s.e("lbl", "train", "labels")
    s.e("toff", "train", "PIT feats")
    s.e("train", "eval")
    s.e("eval", "reg", "pass")
    s.e("reg", "score", "promote")
    s.e("reg", "shadow", "candidate")
    s.e("payapi", "shadow", "mirror", dashed=True)
    s.e("shadow", "kafka", "shadow scores")
    s.e("af", "train", "trigger", dashed=True)
    s.e("score", "mon")
    s.e("dec", "mon")
    s.e("m_lat", "m_pd")
    s.e("m_psi", "m_pd")
    s.e("m_rate", "m_pd")
    s.e("m_psi", "af", "retrain on drift", dashed=True)
    s.e("m_rate", "fb", "auto-switch", dashed=True)
    return s.write()


def food_eta():
    s = Sketch("04_food_eta_sharedlib.drawio", "Hd83kQm1ZpYw5tRc0aXe")
    s.text("<b>Delivery ETA (promise time)</b><br>shown on store list, checkout and order tracking<br>25k QPS peak, p99 &lt; 50 ms per call",
           20, 10, 420, 70)
    s.text("<b>Metrics</b><br>offline: MAE, P90 abs err by city x hour x distance bucket, % late &gt; 10 min (backtest vs prod)<br>"
           "online (A/B): late-order rate, checkout conversion, 'where is my order' contacts", 480, 10, 560, 70)
    s.zone("z_on", "Online (request path)", 20, 100, 820, 330)
    s.v("app", "Customer app", 40, 140, w=100, style=ACTOR.replace("umlActor", "mxgraph.android.phone2"))
    s.v("oapi", "Order API", 180, 140)
    s.v("etasvc", "ETA svc", 360, 140)
    s.v("route", "Routing engine (OSRM)<br>travel time = baseline", 560, 130, w=170)
    s.v("model", "GBDT residual model<br>(prep + last mile)", 560, 240, w=170)
    s.v("redis", "Redis<br>store load, courier supply (15 min)", 360, 340, w=170, style=DB)
    s.v("fb", "Fallback:<br>OSRM time + store avg prep", 180, 250)
    s.v("lib", "<b>eta_feats</b><br>shared python pkg<br>(same transforms in svc + trainer)", 360, 230, w=170, h=70)
    s.v("exp", "A/B platform (Eppo)", 40, 340, w=120)

    s.v("kafka", "Kafka: orders, courier GPS", 880, 140, w=160, style=QUEUE)
    s.v("flink", "Flink: store load / supply aggregates", 880, 250, w=160)

    s.zone("z_off", "Offline / training", 20, 460, 1040, 260)
    s.v("plog", "prediction log<br>(eta, served feats, model v)", 40, 500, w=170)
    s.v("deliv", "order_delivered events<br>(actual delivery time)", 880, 500, w=160)
    s.v("s3", "S3 lake", 260, 500, style=DB)
    s.v("lbl", "label: actual - baseline<br>join on order_id", 460, 500, w=160)
    s.v("train", "LightGBM training", 460, 620, w=160)
    s.v("ev", "backtest by city / hour<br>vs prod model", 680, 620, w=160)
    s.v("store", "model store<br>(S3, versioned + stage tags)", 880, 620, w=160)
    s.v("af", "Airflow (weekly)", 260, 630)

    s.zone("z_mon", "Monitoring", 1080, 100, 300, 620)
    s.v("dd", "Datadog APM<br>latency / errors / fallback rate", 1100, 140, w=260)
    s.v("live", "live MAE vs actuals<br>(joined daily)", 1100, 260, w=260)
    s.v("psi", "feature drift (PSI) on served feats", 1100, 380, w=260)
    s.v("og", "Opsgenie", 1100, 520, w=260)

    s.e("app", "oapi")
    s.e("oapi", "etasvc", "quote")
    s.e("etasvc", "route")
    s.e("route", "model", "baseline + route feats")
    s.e("redis", "etasvc")
    s.e("lib", "etasvc", "import", dashed=True)
    s.e("lib", "train", "import", dashed=True)
    s.e("etasvc", "model", "features")
    s.e("model", "etasvc", "residual")
    s.e("etasvc", "oapi", "ETA")
    s.e("etasvc", "fb", "model timeout", dashed=True)
    s.e("exp", "oapi", "split", dashed=True)
    s.e("oapi", "kafka", "order events")
    s.e("kafka", "flink")
    s.e("flink", "redis")
    s.e("etasvc", "plog")
    s.e("kafka", "deliv")
    s.e("plog", "s3")
    s.e("deliv", "s3")
    s.e("s3", "lbl")
    s.e("lbl", "train", "labels")
    s.e("s3", "train", "served feats")
    s.e("train", "ev")
    s.e("ev", "store", "pass")
    s.e("store", "model", "canary 5% -> 100%", label_as_child=True)
    s.e("af", "train", "weekly", dashed=True)
    s.e("etasvc", "dd")
    s.e("model", "dd")
    s.e("lbl", "live")
    s.e("plog", "psi")
    s.e("dd", "og")
    s.e("live", "og")
    s.e("psi", "og")
    s.e("psi", "af", "early retrain", dashed=True)
    return s.write()


def ads_ctr():
    s = Sketch("09_ads_ctr_pipeline.drawio", "mN5cB0xQ7aKd2RfT9uLp")
    s.text("Reqs: ~500k ad requests/s; pCTR budget 15 ms p99 (whole ad call 80 ms)<br>Goal: revenue, CTR, advertiser ROI", 20, 10, 600, 50)
    s.swimlane("on", "Online", 20, 80, 1100, 300)
    s.v("sdk", "Publisher SDK<br>(ad request)", 40, 130, lane="on")
    s.v("adsrv", "Ad server", 230, 130, lane="on")
    s.v("tgt", "Candidate ads<br>(targeting index, ~1k)", 420, 130, w=160, lane="on")
    s.v("pctr", "<b>pCTR model</b><br>DeepFM (TF Serving)", 640, 130, w=160, lane="on")
    s.v("auc", "Auction<br>eCPM = bid x pCTR, pacing", 860, 130, w=180, lane="on")
    s.v("fon", "Feast online (Redis)", 640, 280, w=160, style=DB, lane="on")
    s.v("dflt", "default pCTR = campaign avg CTR<br>(if model timeout)", 230, 280, w=200, lane="on")
    s.v("expp", "Experiment platform<br>(traffic split)", 40, 280, lane="on")
    s.v("graf", "Grafana<br>QPS, latency, avg pCTR", 880, 280, w=160, lane="on")

    s.swimlane("off", "Offline", 20, 400, 1100, 260)
    s.v("kafka", "Kafka<br>impressions + clicks", 40, 450, w=160, style=QUEUE, lane="off")
    s.v("flink", "Flink CTR counters<br>ad 1h, user 24h", 260, 450, w=160, lane="off")
    s.v("hdfs", "HDFS", 40, 570, style=DB, lane="off")
    s.v("cj", "click join<br>(30 min attribution)", 260, 570, w=160, lane="off")
    s.v("foff", "Feast offline", 480, 450, style=DB, lane="off")
    s.v("tr", "TF trainer (daily)", 640, 570, w=160, lane="off")
    s.v("af", "Airflow", 880, 570, lane="off")

    s.e("sdk", "adsrv")
    s.e("adsrv", "tgt")
    s.e("tgt", "pctr", "candidates")
    s.e("fon", "pctr")
    s.e("pctr", "auc")
    s.e("auc", "adsrv", "winner")
    s.e("adsrv", "dflt", "timeout", dashed=True)
    s.e("expp", "adsrv", dashed=True)
    s.e("adsrv", "kafka", "impression log (pos, model_ver)", label_as_child=True)
    s.e("sdk", "kafka", "clicks")
    s.e("kafka", "flink")
    s.e("flink", "fon")
    s.e("flink", "foff")
    s.e("kafka", "hdfs")
    s.e("hdfs", "cj")
    s.e("cj", "tr", "labels")
    s.e("foff", "tr")
    s.e("af", "tr", "daily 02:00", dashed=True)
    s.e("tr", "pctr", "scp SavedModel to serving hosts", label_as_child=True)
    s.e("pctr", "graf")
    return s.write()


def credit_risk():
    s = Sketch("10_bnpl_credit_risk.drawio", "Wc4yUe8oPq1sDf6GhJk3")
    s.v(None, "<b>BNPL credit risk at checkout</b><br>200k applications/day, decision &lt; 2 s<br>Label: 90+ DPD within 12 months (bad)<br>"
        "Offline: Gini, KS, calibration by score band<br>Online: approval rate, 12m bad rate, credit loss $", 20, 10, 330, 110, style=NOTE)
    s.v("app", "Applicant<br>(merchant checkout)", 40, 200)
    s.v("orig", "Loan origination API", 240, 200)
    s.v("bureau", "Experian bureau", 240, 60, w=140, style=DB)
    s.v("jfeat", "feature calc in origination svc<br>(Java)", 440, 120, w=180)
    s.v("model", "<b>Risk model</b><br>scorecard LR + XGB", 680, 200)
    s.v("rules", "Decision rules<br>cut-off, affordability, policy", 880, 200, w=170)
    s.v("manual", "Manual underwriting queue", 880, 340, w=170)
    s.v("loansdb", "Loans DB<br>(application, score, decision, model v)", 240, 340, w=200, style=DB)
    s.v("perf", "Loan performance<br>(servicing system)", 240, 480, w=160)
    s.v("arch", "Bureau archive<br>S3 monthly snapshots", 440, 0, w=160, style=DB)
    s.v("sql", "SQL feature script<br>(risk analytics)", 660, 0, w=160)
    s.v("tr", "training (Python notebook)<br>refit yearly by analyst", 480, 480, w=180)
    s.v("val", "validation report<br>Gini / KS / PSI vs dev sample", 700, 480, w=180)
    s.v("mrc", "Model risk sign-off", 920, 480, w=140)
    s.v("mlf", "MLflow registry", 920, 600, w=140)

    s.e("app", "orig")
    s.e("orig", "bureau", "pull")
    s.e("bureau", "jfeat", "bureau report")
    s.e("orig", "jfeat", "application data")
    s.e("jfeat", "model")
    s.e("model", "rules", "PD")
    s.e("rules", "orig", "approve / decline / refer", label_as_child=True)
    s.e("rules", "manual", "refer")
    s.e("orig", "manual", "bureau timeout", dashed=True)
    s.e("orig", "loansdb")
    s.e("manual", "loansdb", "underwriter decision")
    s.e("loansdb", "perf")
    s.e("perf", "tr", "bad flag (12m)")
    s.e("bureau", "arch", "monthly dump")
    s.e("arch", "sql")
    s.e("sql", "tr")
    s.e("tr", "val")
    s.e("val", "mrc")
    s.e("mrc", "mlf")
    s.e("mlf", "model", "deploy")
    return s.write()


def metrics_anomaly():
    s = Sketch("11_metrics_anomaly.drawio", "Za9xC3vB6nM2lK8jH1gF")
    s.zone("z_rt", "Streaming path (real time)", 20, 20, 1180, 300)
    s.v("svcs", "~2k microservices<br>(Prometheus exporters)", 40, 70, w=160)
    s.v("prom", "Prometheus", 250, 70)
    s.v("kafka", "Kafka metrics topic", 430, 70, style=QUEUE)
    s.v("flink", "Flink<br>1-min rollups + hour-of-week seasonal feats", 610, 60, w=200, h=80)
    s.v("det", "<b>Anomaly detector</b><br>per-series robust z-score + isolation forest", 870, 60, w=200, h=80)
    s.v("static", "static threshold rules<br>(used when detector lags / down)", 610, 200, w=200)
    s.v("router", "Alert router<br>dedupe + group by service", 870, 200, w=200)
    s.v("pd", "PagerDuty / Slack", 1100, 200, w=90)
    s.v("anom", "anomaly events (Kafka)", 1100, 90, w=90, style=QUEUE)
    s.v("grafana", "Grafana", 250, 200)

    s.zone("z_fit", "Nightly fit", 20, 350, 900, 200)
    s.v("thanos", "Thanos<br>90d rollups", 610, 400, style=DB)
    s.v("fit", "Spark: per-series fit", 400, 400, w=160)
    s.v("af", "Airflow nightly", 180, 400)
    s.v("es", "Elasticsearch<br>anomaly history", 960, 400, w=160, style=DB)
    s.v("jira", "Incident DB (Jira)", 960, 520, w=160)

    s.e("svcs", "prom", "scrape")
    s.e("prom", "kafka", "remote write")
    s.e("kafka", "flink")
    s.e("flink", "det")
    s.e("flink", "static")
    s.e("flink", "thanos", "rollups")
    s.e("thanos", "fit", "90d history")
    s.e("af", "fit", dashed=True)
    s.e("fit", "det", "push params (in place)", label_as_child=True)
    s.e("det", "router", "anomalies")
    s.e("static", "router")
    s.e("router", "pd")
    s.e("det", "anom")
    s.e("anom", "es")
    s.e("prom", "grafana")
    return s.write()


def invoice_ocr():
    s = Sketch("14_invoice_ocr.drawio", "Tg2hY7uJ4iK9oL0pA5sD")
    s.text("<font style=\"font-size: 18px;\"><b>Invoice extraction MVP</b></font>", 20, 10, 300, 40)
    s.v("user", "AP clerk", 30, 80, w=40, h=70, style=ACTOR)
    s.v("web", "Upload page", 120, 90)
    s.v("api", "Upload API", 320, 90)
    s.v("ocr", "Tesseract OCR", 520, 90)
    s.v("ext", "LayoutLM<br>field extractor", 720, 90)
    s.v("sap", "SAP (AP module)", 320, 240, style=DB)
    s.v("ls", "Label Studio<br>500 labelled invoices", 520, 360, w=160)
    s.v("ft", "fine-tune LayoutLM<br>(Colab)", 720, 360)
    s.v("gd", "weights on Google Drive", 720, 240)
    # free-floating text used as edge captions, as people do in draw.io
    s.text("<span style=\"font-size: 11px;\">PDF</span>", 265, 95, 50, 20, style=TEXT.replace("align=left", "align=center"))
    s.text("<span style=\"font-size: 11px;\">words + boxes</span>", 655, 70, 80, 20, style=TEXT.replace("align=left", "align=center"))
    s.text("<span style=\"font-size: 11px;\">vendor, total, date, IBAN</span>", 520, 170, 150, 20, style=TEXT.replace("align=left", "align=center"))

    s.e("user", "web")
    s.e("web", "api")
    s.e("api", "ocr")
    s.e("ocr", "ext")
    s.e("ext", "api")
    s.e("api", "sap", "post invoice")
    s.e("ls", "ft")
    s.e("ft", "gd")
    s.e("gd", "ext", "download at startup")
    return s.write()


def checkout_webapp():
    s = Sketch("15_checkout_webapp.drawio", "Rf0eW9qA8zS7xD6cV5bN")
    s.text("Checkout v2 - target 99.95% availability, 400 orders/min peak", 20, 10, 500, 30)
    s.v("browser", "Browser", 30, 140, w=100)
    s.v("cdn", "Cloudflare CDN", 170, 140, w=120)
    s.swimlane("eks", "AWS - EKS cluster", 330, 60, 520, 420)
    s.v("nginx", "NGINX ingress", 360, 140, w=120, lane="eks")
    s.v("cart", "cart-svc (Node)", 540, 100, w=120, lane="eks")
    s.v("checkout", "checkout-svc (Go)", 540, 220, w=120, lane="eks")
    s.v("inv", "inventory-svc", 700, 220, w=120, lane="eks")
    s.v("worker", "email worker", 540, 380, w=120, lane="eks")
    s.v("pg", "Postgres (RDS)", 900, 220, w=120, style=DB)
    s.v("redis", "Redis sessions", 900, 90, w=120, style=DB)
    s.v("mq", "RabbitMQ", 360, 380, w=120, style=QUEUE)
    s.v("stripe", "Stripe", 700, 320, w=100)
    s.v("sendgrid", "SendGrid", 700, 520, w=120)
    s.v("prom", "Prometheus + Grafana", 900, 380, w=140)
    s.v("pd", "PagerDuty", 900, 500, w=140)

    s.e("browser", "cdn")
    s.e("cdn", "nginx")
    s.e("nginx", "cart")
    s.e("nginx", "checkout")
    s.e("cart", "redis")
    s.e("checkout", "pg")
    s.e("checkout", "inv", "reserve")
    s.e("inv", "pg")
    s.e("checkout", "stripe", "charge")
    s.e("checkout", "mq", "order_placed")
    s.e("mq", "worker")
    s.e("worker", "sendgrid")
    s.e("checkout", "prom", "metrics", dashed=True)
    s.e("cart", "prom", dashed=True)
    s.e("prom", "pd")
    return s.write()


if __name__ == "__main__":
    for f in (card_fraud, food_eta, ads_ctr, credit_risk, metrics_anomaly, invoice_ocr, checkout_webapp):
        f()
