"""Generate the two draw.io sketches (uncompressed mxfile XML as the desktop app saves it)."""
import os
import random
from xml.sax.saxutils import escape


def quoteattr(v):
    """Double-quoted attribute the way draw.io writes it (&quot; inside)."""
    return '"' + escape(v, {'"': "&quot;", "\n": "&#10;"}) + '"'

OUT = os.path.join(os.path.dirname(__file__), "..")


class Doc:
    def __init__(self, prefix, name="Page-1", seed=0):
        self.p = prefix
        self.n = 0
        self.cells = []
        self.name = name
        self.rng = random.Random(seed)

    def _id(self):
        self.n += 1
        return f"{self.p}-{self.n}"

    def lane(self, x, y, w, h, title, parent="1", color="#dae8fc", stroke="#6c8ebf"):
        i = self._id()
        style = (f"swimlane;whiteSpace=wrap;html=1;startSize=30;fillColor={color};"
                 f"strokeColor={stroke};rounded=1;arcSize=4;")
        self.cells.append(f'<mxCell id="{i}" value={quoteattr(title)} style="{style}" vertex="1" parent="{parent}">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')
        return i

    def group(self, x, y, w, h, title, parent="1"):
        i = self._id()
        style = ("rounded=1;whiteSpace=wrap;html=1;container=1;collapsible=0;dashed=1;"
                 "fillColor=none;verticalAlign=top;align=left;spacingLeft=8;fontStyle=2;")
        self.cells.append(f'<mxCell id="{i}" value={quoteattr(title)} style="{style}" vertex="1" parent="{parent}">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')
        return i

    def box(self, x, y, w, h, label, parent="1", shape="rect", fill="#ffffff", stroke="#000000", extra=""):
        i = self._id()
        base = {"rect": "rounded=1;whiteSpace=wrap;html=1;",
                "db": "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=12;",
                "proc": "shape=process;whiteSpace=wrap;html=1;backgroundOutline=1;",
                "actor": "shape=umlActor;verticalLabelPosition=bottom;verticalAlign=top;html=1;outlineConnect=0;",
                "note": "shape=note;whiteSpace=wrap;html=1;backgroundOutline=1;size=14;align=left;spacingLeft=6;",
                "text": "text;html=1;whiteSpace=wrap;align=left;verticalAlign=top;",
                "rhombus": "rhombus;whiteSpace=wrap;html=1;"}[shape]
        style = base + (f"fillColor={fill};strokeColor={stroke};" if shape not in ("text",) else "") + extra
        self.cells.append(f'<mxCell id="{i}" value={quoteattr(label)} style="{style}" vertex="1" parent="{parent}">'
                          f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" /></mxCell>')
        return i

    def edge(self, s, t, label=None, dashed=False, pts=None, exit_=None, entry=None):
        i = self._id()
        style = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"
        if dashed:
            style += "dashed=1;"
        if exit_:
            style += f"exitX={exit_[0]};exitY={exit_[1]};exitDx=0;exitDy=0;"
        if entry:
            style += f"entryX={entry[0]};entryY={entry[1]};entryDx=0;entryDy=0;"
        geo = '<mxGeometry relative="1" as="geometry">'
        if pts:
            geo += '<Array as="points">' + "".join(f'<mxPoint x="{x}" y="{y}" />' for x, y in pts) + "</Array>"
        geo += "</mxGeometry>"
        self.cells.append(f'<mxCell id="{i}" style="{style}" edge="1" parent="1" source="{s}" target="{t}">{geo}</mxCell>')
        if label:
            j = self._id()
            xoff = round(self.rng.uniform(-0.3, 0.3), 4)
            self.cells.append(
                f'<mxCell id="{j}" value={quoteattr(label)} style="edgeLabel;html=1;align=center;verticalAlign=middle;'
                f'resizable=0;points=[];" vertex="1" connectable="0" parent="{i}">'
                f'<mxGeometry x="{xoff}" relative="1" as="geometry"><mxPoint as="offset" /></mxGeometry></mxCell>')
        return i

    def write(self, path, diagram_id):
        body = "\n        ".join(self.cells)
        xml = f'''<mxfile host="Electron" agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) draw.io/24.7.17 Chrome/128.0.6613.36 Electron/32.0.1 Safari/537.36" version="24.7.17">
  <diagram name="{self.name}" id="{diagram_id}">
    <mxGraphModel dx="1434" dy="844" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="1654" pageHeight="1169" math="0" shadow="0">
      <root>
        <mxCell id="0" />
        <mxCell id="1" parent="0" />
        {body}
      </root>
    </mxGraphModel>
  </diagram>
</mxfile>
'''
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(xml)


def s11_trip_destinations():
    d = Doc("tR7kq2Xw", name="trip-recs v2", seed=11)
    src = d.lane(40, 40, 300, 560, "Data sources", color="#f5f5f5", stroke="#666666")
    bat = d.lane(400, 40, 760, 560, "Weekly batch — SageMaker Pipelines (Sun 02:00 UTC)")
    srv = d.lane(1220, 40, 320, 560, "Serving (read-only)", color="#d5e8d4", stroke="#82b366")
    book = d.box(30, 60, 240, 70, "Bookings<br>(Postgres → S3 daily)", parent=src, shape="db")
    clk = d.box(30, 180, 240, 70, "Searches + clicks<br><i>Segment → S3</i>", parent=src, shape="db")
    cat = d.box(30, 300, 240, 80, "<div><b>Destination catalog</b></div><div>climate, price level, tags,<br>flight routes</div>", parent=src)
    lake = d.box(30, 440, 240, 70, "S3 data lake (Glue tables)", parent=src, shape="db")
    spark = d.box(30, 60, 220, 90, "<b>Spark features</b><br>user trip history, dest popularity,<br>seasonality, home airport", parent=bat, fill="#fff2cc", stroke="#d6b656")
    cg = d.box(280, 60, 200, 90, "Candidate gen<br>co-visitation + ALS<br>(top 200 / user)", parent=bat)
    inf = d.box(510, 60, 220, 90, "<b>Batch inference</b><br>LightGBM ranker<br>200 → top 20 per user", parent=bat, fill="#d5e8d4", stroke="#82b366")
    tr = d.box(30, 240, 220, 90, "Train LightGBM ranker<br>label = booked dest.<br>within 30 days", parent=bat)
    ev = d.box(280, 240, 200, 90, "Offline eval<br>recall@20, NDCG@20<br>next-booking backtest", parent=bat)
    reg = d.box(510, 240, 220, 90, "SageMaker<br>Model Registry", parent=bat, shape="db")
    pop = d.box(280, 400, 200, 90, "Popular by home airport<br>+ season<br>(cold-start default)", parent=bat, fill="#f8cecc", stroke="#b85450")
    ddb = d.box(40, 60, 240, 80, "DynamoDB<br>recs_by_user (TTL 14d)", parent=srv, shape="db")
    app = d.box(40, 260, 240, 90, 'Mobile app "Where next?"<br>+ weekly inspiration email', parent=srv)
    d.box(40, 660, 720, 110, "<b>Reqs</b>: 25M users, refresh weekly; app reads p99 &lt; 20 ms from DynamoDB<br>"
          "<b>Goal</b>: more trips booked from inspiration surfaces<br>"
          "<b>Task</b>: rank destinations per user (label = booked destination within 30 days)<br>"
          "<b>Metrics</b>: recall@20 on next-booking backtest", shape="text")
    d.edge(book, lake)
    d.edge(clk, lake)
    d.edge(lake, spark, "weekly snapshot")
    d.edge(cat, spark)
    d.edge(spark, cg)
    d.edge(cg, inf, "candidates")
    d.edge(spark, inf, "features")
    d.edge(spark, tr, "features + labels")
    d.edge(tr, ev)
    d.edge(ev, reg, "if recall@20 &gt; prod")
    d.edge(reg, inf, "approved model")
    d.edge(spark, pop)
    d.edge(inf, ddb, "top 20 / user")
    d.edge(pop, ddb, "airport defaults")
    d.edge(ddb, app, "GET user_id<br>(miss → airport default)")
    d.edge(app, book, "bookings", pts=[(1400, 640), (200, 640)], exit_=(0.5, 1), entry=(0.5, 1))
    d.edge(app, clk, "clicks / searches", pts=[(1580, 395), (1580, 20), (360, 20), (360, 255)], exit_=(1, 0.5), entry=(1, 0.5))
    d.write(os.path.join(OUT, "11_trip_destination_recs.drawio"), "Xk2mP9qLrT0aWv3nYb7c")


def s12_kyc():
    d = Doc("Qm3Vf8sd", name="Page-1", seed=12)
    app = d.box(40, 140, 160, 80, "Mobile app<br>selfie + ID photo")
    be = d.group(280, 60, 620, 260, "Backend (k8s)")
    api = d.box(30, 80, 160, 80, "KYC API", parent=be)
    fm = d.box(240, 80, 160, 80, "Face match<br><i>ArcFace + cosine sim</i>", parent=be, fill="#dae8fc", stroke="#6c8ebf")
    thr = d.box(450, 70, 140, 100, "threshold 0.6<br>approve / reject", parent=be, shape="rhombus")
    pub = d.box(280, 420, 180, 70, "MS1M + VGGFace2<br>(public datasets)", shape="db")
    tr = d.box(540, 420, 180, 70, "Train ArcFace<br>(GPU box)")
    d.box(980, 120, 160, 70, "Liveness check (TODO)", fill="#f5f5f5", stroke="#999999", extra="dashed=1;")
    d.box(980, 260, 260, 80, "needs to be fast + accurate<br>(99%?)", shape="note", fill="#fff2cc", stroke="#d6b656")
    d.edge(app, api, "upload")
    d.edge(api, fm)
    d.edge(fm, thr, "similarity")
    d.edge(thr, api, "result", pts=[(800, 350), (390, 350)], exit_=(0.5, 1), entry=(0.5, 1))
    d.edge(pub, tr)
    d.edge(tr, fm, "model.pt (copy)")
    d.write(os.path.join(OUT, "12_kyc_face_match.drawio"), "bN4cE1rT8yUi0oPq2wZx")


if __name__ == "__main__":
    s11_trip_destinations()
    s12_kyc()
    print("ok")
