"""Generate the two .drawio sketches of review_heldout7 (uncompressed mxfile, stdlib only).

    python3 scripts/gen_drawio.py
"""
import os
import random
from xml.sax.saxutils import quoteattr

OUT = os.path.join(os.path.dirname(__file__), "..", "sketches")

BOX = "rounded=1;whiteSpace=wrap;html=1;"
DB = "shape=cylinder3;whiteSpace=wrap;html=1;boundedLbl=1;backgroundOutline=1;size=12;"
NOTE = "text;html=1;whiteSpace=wrap;align=left;verticalAlign=top;spacingLeft=4;spacingTop=2;"
EDGE = "edgeStyle=orthogonalEdgeStyle;rounded=0;orthogonalLoop=1;jettySize=auto;html=1;"
DASH = EDGE + "dashed=1;"


def lane(color):
    fill, stroke = color
    return f"swimlane;whiteSpace=wrap;html=1;startSize=30;fillColor={fill};strokeColor={stroke};"


class Page:
    def __init__(self, prefix, seed):
        self.prefix = prefix
        self.n = 0
        self.cells = []
        self.rng = random.Random(seed)

    def _id(self):
        self.n += 1
        return f"{self.prefix}-{self.n}"

    def v(self, label, x, y, w, h, style=BOX, parent="1"):
        cid = self._id()
        self.cells.append(
            f'        <mxCell id="{cid}" parent="{parent}" style="{style}" value={quoteattr(label)} vertex="1">\n'
            f'          <mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry" />\n'
            f'        </mxCell>')
        return cid

    def e(self, src, tgt, label="", style=EDGE, label_cell=False):
        cid = self._id()
        val = "" if label_cell else label
        self.cells.append(
            f'        <mxCell id="{cid}" edge="1" parent="1" source="{src}" target="{tgt}" style="{style}" '
            f'value={quoteattr(val)}>\n'
            f'          <mxGeometry relative="1" as="geometry" />\n'
            f'        </mxCell>')
        if label_cell and label:
            lid = self._id()
            self.cells.append(
                f'        <mxCell id="{lid}" connectable="0" parent="{cid}" '
                f'style="edgeLabel;html=1;align=center;verticalAlign=middle;resizable=0;points=[];" '
                f'value={quoteattr(label)} vertex="1">\n'
                f'          <mxGeometry x="-0.1" relative="1" as="geometry">\n'
                f'            <mxPoint as="offset" />\n'
                f'          </mxGeometry>\n'
                f'        </mxCell>')
        return cid

    def dump(self, path, name, dx=2400, dy=1400):
        did = "".join(self.rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
                      for _ in range(20))
        body = "\n".join(self.cells)
        xml = (
            '<mxfile host="Electron" agent="Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 '
            '(KHTML, like Gecko) draw.io/24.7.5 Chrome/126.0.6478.183 Electron/31.3.0 Safari/537.36" '
            'version="24.7.5">\n'
            f'  <diagram name="{name}" id="{did}">\n'
            f'    <mxGraphModel dx="{dx}" dy="{dy}" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" '
            'arrows="1" fold="1" page="1" pageScale="1" pageWidth="1654" pageHeight="1169" math="0" shadow="0">\n'
            '      <root>\n'
            '        <mxCell id="0" />\n'
            '        <mxCell id="1" parent="0" />\n'
            f'{body}\n'
            '      </root>\n'
            '    </mxGraphModel>\n'
            '  </diagram>\n'
            '</mxfile>\n')
        with open(path, "w") as f:
            f.write(xml)


def seller_fraud():
    p = Page("sF7kq2Lw9xTbN0aPz1Ye", 91)
    p.v("<b>Requirements</b><br>- 2M active sellers, ~900 listing / payout events/s at peak<br>"
        "- score inline with payout request: p99 &lt; 120 ms<br>- fresh signals matter: fraud rings burst "
        "listings within minutes<br>- analysts: ~3k cases/day capacity", 0, 0, 420, 150, NOTE)
    p.v("<b>Goal</b>: cut seller-fraud loss (non-delivery scams, hijacked accounts cashing out) without "
        "adding friction for good sellers<br><b>Task</b>: binary classification per listing / payout event: "
        "P(seller is fraudulent)<br><b>Label</b>: upheld non-delivery claim or chargeback within 90 days, "
        "or T&amp;S ban verdict", 440, 0, 430, 150, NOTE)
    p.v("<b>Metrics</b><br>offline: PR-AUC, recall @ 1% FPR, per category<br>online: fraud loss as bps of "
        "GMV, false-hold rate on good sellers, review SLA (4h), payout delay p50", 890, 0, 380, 150, NOTE)

    on = p.v("Online – listing &amp; payout path (p99 &lt; 120 ms)", 0, 180, 1240, 240, lane(("#dae8fc", "#6c8ebf")))
    seller = p.v("Seller web / app", 20, 60, 140, 60, BOX, on)
    mapi = p.v("Marketplace API<br>(listing create,<br>payout request)", 200, 50, 170, 80, BOX, on)
    risk = p.v("Risk scoring service<br>XGBoost on BentoML", 430, 50, 180, 80, BOX, on)
    dec = p.v("Decision engine<br>thresholds per seller tier:<br>allow / hold payout /<br>review / block",
              680, 40, 200, 100, BOX, on)
    canary = p.v("Canary router<br>5% traffic → challenger", 200, 160, 170, 60, BOX, on)
    rules = p.v("Rules fallback<br>(velocity rules if<br>model times out)", 430, 155, 180, 70, BOX, on)

    st = p.v("Streaming features", 0, 450, 1240, 190, lane(("#d5e8d4", "#82b366")))
    kafka = p.v("Kafka<br>seller-events", 20, 60, 140, 70, BOX, st)
    flink = p.v("Flink velocity features<br>(listings/h, price dev.,<br>new bank acct, IP reuse)",
                200, 50, 200, 90, BOX, st)
    tecton = p.v("Tecton feature store<br>online + offline", 450, 55, 180, 85, DB, st)
    dlog = p.v("Decision log<br>(score, action,<br>model version)", 690, 55, 180, 80, BOX, st)

    off = p.v("Offline – training (Kubeflow, weekly + on drift)", 0, 670, 1240, 270,
              lane(("#fff2cc", "#d6b656")))
    lake = p.v("S3 event lake", 20, 60, 140, 80, DB, off)
    labels = p.v("Label service<br>chargebacks / non-delivery<br>claims ≤ 90d +<br>T&amp;S verdicts",
                 200, 45, 200, 100, BOX, off)
    pit = p.v("Point-in-time training set<br>get_historical_features()", 450, 55, 200, 80, BOX, off)
    kfp = p.v("Kubeflow Pipelines<br>weekly + drift trigger", 450, 180, 200, 60, BOX, off)
    xgb = p.v("XGBoost training", 700, 60, 160, 70, BOX, off)
    wb = p.v("W&amp;B tracking<br>(runs, params)", 700, 180, 160, 60, BOX, off)
    evalg = p.v("Eval gate<br>PR-AUC, recall@1% FPR<br>vs prod, per category", 910, 50, 200, 90, BOX, off)
    reg = p.v("MLflow model registry", 910, 180, 200, 60, DB, off)

    ts = p.v("Trust &amp; Safety ops", 1280, 180, 400, 460, lane(("#f8cecc", "#b85450")))
    queue = p.v("Review queue<br>(internal case tool)", 40, 60, 220, 70, BOX, ts)
    holdout = p.v("Holdout: 1% of would-block<br>events go to review instead<br>(so blocks still get labels)",
                  40, 180, 260, 80, BOX, ts)
    analysts = p.v("T&amp;S analysts<br>verdict: fraud / legit", 40, 320, 220, 70, BOX, ts)

    mon = p.v("Monitoring", 1280, 670, 400, 270, lane(("#e1d5e7", "#9673a6")))
    graf = p.v("Prometheus / Grafana<br>latency, score dist,<br>hold &amp; block rate", 20, 50, 200, 80, BOX, mon)
    arize = p.v("Arize<br>feature + prediction drift", 20, 170, 200, 70, BOX, mon)
    limits = p.v("Action limits<br>auto-block &gt; 0.5%/h<br>→ page + freeze", 240, 50, 150, 80, BOX, mon)
    pd = p.v("PagerDuty<br>risk on-call", 250, 175, 130, 60, BOX, mon)

    e = p.e
    e(seller, mapi)
    e(mapi, risk, "score request")
    e(tecton, risk, "online features")
    e(risk, dec, "score")
    e(dec, mapi, "action")
    e(canary, risk, "5% challenger", DASH)
    e(mapi, rules, "timeout &gt; 80 ms", DASH)
    e(rules, dec)
    e(mapi, kafka, "events")
    e(kafka, flink)
    e(flink, tecton)
    e(dec, dlog)
    e(dlog, lake)
    e(kafka, lake)
    e(dec, queue, "review / hold", label_cell=True)
    e(dec, holdout, "would-block sample")
    e(holdout, queue)
    e(queue, analysts)
    e(analysts, labels, "verdicts", label_cell=True)
    e(lake, labels, "chargebacks, claims")
    e(labels, pit, "labels")
    e(tecton, pit, "features as of event time")
    e(pit, xgb)
    e(xgb, wb)
    e(xgb, evalg)
    e(evalg, reg, "pass")
    e(reg, risk, "deploy Production", DASH)
    e(kfp, pit, "", DASH)
    e(kfp, xgb, "", DASH)
    e(risk, graf)
    e(dec, limits)
    e(dlog, arize)
    e(graf, pd)
    e(limits, pd)
    e(arize, pd)
    e(arize, kfp, "drift → retrain", DASH)
    e(labels, graf, "realized precision (90d lag)", label_cell=True)
    p.dump(os.path.join(OUT, "seller_fraud_marketplace.drawio"), "seller-risk v4")


def llm_descriptions():
    p = Page("Qm3Zr8TvK1cW5yHn0BdA", 92)
    p.v("<b>PDP copy generator</b> – LLM-written product descriptions for marketplace SKUs", 0, 0, 700, 30, NOTE)
    p.v("<b>Reqs</b>: ~40k new SKUs / week, 6 locales<br>batch: copy live on PDP within 48 h<br>"
        "copywriters: ~2k reviews / day<br>cost cap ~$0.002 / SKU", 0, 40, 330, 100, NOTE)
    p.v("<b>Metrics</b><br>offline: acceptance w/o edit ≥ 70%, attribute-hallucination rate &lt; 1% "
        "on golden set<br>online: PDP conversion, 'not as described' return rate", 350, 40, 420, 100, NOTE)

    b = p.v("Nightly batch (Airflow DAG 01:00)", 0, 170, 1000, 400, lane(("#dae8fc", "#6c8ebf")))
    af = p.v("Airflow DAG<br>01:00 daily,<br>Sun re-embed", 20, 50, 140, 70, BOX, b)
    pim = p.v("PIM (Akeneo)<br>attributes + seller copy", 20, 170, 160, 80, DB, b)
    sel = p.v("Select SKUs<br>missing / thin copy<br>(&lt; 40 words)", 230, 170, 160, 80, BOX, b)
    refresh = p.v("Re-embed top-seller<br>copy (weekly)", 230, 50, 160, 70, BOX, b)
    emb = p.v("Embedder<br>text-embedding-3-small", 440, 50, 170, 70, BOX, b)
    vec = p.v("pgvector<br>top-seller copy<br>per category", 660, 45, 150, 80, DB, b)
    prompt = p.v("Prompt builder<br>attributes + 3 similar<br>top-seller examples<br>(templates in git, tagged)",
                 440, 170, 200, 100, BOX, b)
    llm = p.v("GPT-4o-mini<br>(Azure OpenAI)", 690, 180, 150, 70, BOX, b)
    checks = p.v("Output checks<br>banned claims, PII,<br>attribute consistency,<br>tone", 690, 290, 150, 90, BOX, b)
    genlog = p.v("Generation log<br>prompt ver., model ver.,<br>output, check results", 440, 300, 200, 80, BOX, b)
    keep = p.v("keep existing<br>seller copy", 870, 300, 110, 70, BOX, b)

    h = p.v("Human review", 0, 600, 1000, 200, lane(("#f8cecc", "#b85450")))
    review = p.v("Copywriter review<br>10% sample + all flagged<br>approve / edit / reject", 40, 60, 200, 90, BOX, h)
    golden = p.v("Golden set<br>300 SKUs / locale,<br>edited by copywriters", 300, 60, 180, 90, BOX, h)
    peval = p.v("Prompt eval (weekly)<br>hallucination rate,<br>acceptance w/o edit", 540, 60, 180, 90, BOX, h)

    sf = p.v("Storefront", 1040, 170, 260, 400, lane(("#d5e8d4", "#82b366")))
    pub = p.v("Publish generated<br>copy to PIM", 50, 60, 160, 70, BOX, sf)
    pdp = p.v("Product detail page", 50, 230, 160, 60, BOX, sf)

    e = p.e
    e(af, sel, "", DASH)
    e(af, refresh, "", DASH)
    e(pim, sel)
    e(pim, refresh)
    e(refresh, emb, "top-seller copy")
    e(sel, emb, "query: new SKU attrs")
    e(emb, vec)
    e(vec, prompt, "3 examples")
    e(sel, prompt, "attributes")
    e(prompt, llm)
    e(llm, checks)
    e(checks, genlog)
    e(checks, keep, "fail / LLM error", label_cell=True)
    e(checks, review, "flagged + 10% sample")
    e(checks, pub, "pass (unsampled)")
    e(review, pub, "approved / edited")
    e(review, genlog, "edit diffs, reject reasons")
    e(genlog, golden, "edited examples")
    e(golden, peval)
    e(peval, prompt, "ship template only if eval passes", DASH)
    e(pub, pdp)
    e(keep, pdp)
    p.dump(os.path.join(OUT, "llm_product_descriptions.drawio"), "Page-1")


if __name__ == "__main__":
    seller_fraud()
    llm_descriptions()
    print("ok")
