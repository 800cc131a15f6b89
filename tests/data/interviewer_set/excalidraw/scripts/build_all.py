"""Generates the 22 review sketches into the parent folder. stdlib only.
Usage: python3 build_all.py [OUT_DIR]
"""
import os
import sys

from exlib import Scene

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BLUE, BLUE_BG = "#1971c2", "#a5d8ff"
GREEN, GREEN_BG = "#2f9e44", "#b2f2bb"
RED, RED_BG = "#e03131", "#ffc9c9"
YEL, YEL_BG = "#f08c00", "#ffec99"
VIO, VIO_BG = "#6741d9", "#d0bfff"
GREY, GREY_BG = "#868e96", "#e9ecef"
TEAL_BG = "#96f2d7"


def grid(x0=80, y0=100, cw=280, rh=160):
    return lambda c, r: (x0 + c * cw, y0 + r * rh)


SKETCHES = {}


def sketch(name):
    def deco(f):
        SKETCHES[name] = f
        return f
    return deco


# --------------------------------------------------------------------------------------
@sketch("s01_video_recs_online_offline_frames")
def s01():
    s = Scene(101, font=5, binding="v2")
    P = grid()
    z = 16
    s.box("client", "Mobile / TV / Web\napp", *P(0, 0), bg=GREY_BG, size=z)
    s.box("api", "API gateway\n(home feed svc)", *P(1, 0), size=z)
    s.box("ab", "A/B assignment\n(Statsig)", *P(2, 0), bg=VIO_BG, size=z)
    s.box("fb", "Fallback: most-\npopular list (Redis)", *P(0, 1), bg=YEL_BG, size=z)
    s.box("cand", "Candidate gen\n(two-tower, ANN)", *P(1, 1), bg=BLUE_BG, size=z)
    s.box("vidx", "ScaNN index\n40M videos", *P(2, 1), shape="ellipse", w=200, h=80, size=z)
    s.box("ranker", "Ranking svc\n(multi-task DNN)", *P(1, 2), bg=BLUE_BG, size=z)
    s.box("rerank", "Re-ranker: diversity,\nfreshness, policy", *P(1, 3), bg=BLUE_BG, size=z)
    s.box("grafana", "Grafana: p99, CTR,\nscore dist", *P(0, 3), bg=RED_BG, size=z)
    s.box("pager", "PagerDuty", *P(0, 4), bg=RED_BG, size=z)
    # middle column
    s.box("kafka", "Kafka: impressions,\nclicks, watch time,\nserved feats", *P(3, 2), size=z)
    s.box("feast", "Feast FS\nonline Redis |\noffline Delta", *P(3, 3), bg=GREEN_BG, size=z)
    # offline
    s.box("idx", "Index build\n(item tower ->\nre-embed videos)", *P(4, 0), size=z)
    s.box("reg", "MLflow model\nregistry", *P(4, 1), size=z)
    s.box("flink", "Flink: session\nfeats (last 30 min)", *P(4, 2), size=z)
    s.box("s3", "S3 / Delta lake\n(raw events)", *P(4, 3), shape="ellipse", w=200, h=80, size=z)
    s.box("spark", "Spark daily feats\n+ label join", *P(4, 4), size=z)
    s.box("eval", "Offline eval:\nrecall@100, NDCG@10\nvs prod model", *P(5, 2), size=z)
    s.box("train", "Training (TF, GPU)\ndaily warm-start", *P(5, 4), size=z)
    s.box("airflow", "Airflow", *P(5, 5), size=z)
    s.box("evid", "Evidently:\nfeature + score drift", *P(6, 3), bg=RED_BG, size=z)
    s.box("slack", "Slack #recs-alerts", *P(6, 2), bg=RED_BG, size=z)
    s.zone("online", "Online", ["client", "api", "ab", "fb", "cand", "vidx", "ranker",
                                "rerank", "grafana", "pager"], kind="frame")
    s.zone("offline", "Offline", ["idx", "reg", "flink", "s3", "spark", "eval", "train",
                                  "airflow"], kind="frame")
    A = s.arrow
    A("client", "api", start_head="arrow")
    A("ab", "api")
    A("api", "fb", "timeout / cold start", style="dashed")
    A("api", "cand", "user ctx")
    A("cand", "vidx", start_head="arrow")
    A("cand", "ranker", "~1k cands")
    A("ranker", "rerank", "scores")
    A("feast", "ranker")
    A("rerank", "kafka", "log impressions")
    A("ranker", "grafana")
    A("grafana", "pager")
    A("kafka", "flink")
    A("flink", "feast", "push")
    A("kafka", "s3")
    A("s3", "spark")
    A("spark", "feast", "batch feats")
    A("spark", "train", "labels")
    A("feast", "train", "point-in-time join")
    A("train", "eval")
    A("eval", "reg", "pass -> register")
    A("reg", "ranker", "deploy (canary)")
    A("reg", "idx", "new item tower")
    A("idx", "vidx", "rebuild")
    A("airflow", "train", "daily 02:00")
    A("s3", "evid", "pred + feat logs")
    A("evid", "slack")
    s.note("REQUIREMENTS\n- 200M DAU, home feed, 50 videos / request\n- ~50k QPS peak, p99 < 200 ms end to end\n"
           "- 40M videos, ~500k new per day (cold start:\n  content embedding + 5% exploration slot)",
           80, 990, size=16)
    s.note("METRICS\noffline: recall@100 (cand gen), NDCG@10, AUC /\nlogloss per head\n"
           "online (A/B): watch time per user, CTR, 7-day\nretention; guardrails: p99 latency, crash rate\n"
           "label: click + watch >= 30 s",
           560, 1040, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s02_card_fraud_evidently_frame")
def s02():
    # architect style: Helvetica, sharp corners, roughness 0, v1 bindings
    s = Scene(202, font=2, binding="v1", roughness=0, rounded=False, stroke="#000000",
              stroke_width=1)
    P = grid(x0=80, y0=120, cw=290, rh=170)
    z = 16
    s.box("canary", "Shadow -> canary 5%\n(traffic split)", *P(1, -1), bg=VIO_BG, size=z)
    s.box("pager", "PagerDuty (fraud on-call)", *P(2, -1), bg=RED_BG, size=z)
    s.box("client", "Checkout\n(web / app)", *P(0, 0), size=z)
    s.box("api", "Payments API\n(auth flow)", *P(1, 0), size=z)
    s.box("kafka", "Kafka: txn events", *P(3, 0), size=z)
    s.box("fb", "Fallback: rules only\n(velocity + blocklist)", *P(0, 1), bg=YEL_BG, size=z)
    s.box("score", "Fraud scoring svc\n(XGBoost, p99 < 40 ms)", *P(1, 1), bg=BLUE_BG, size=z)
    s.box("predlog", "Prediction log\n(score, feats, decision,\nmodel_ver)", *P(2, 1), size=z)
    s.box("flink", "Flink velocity feats\n(1m / 1h / 24h counts)", *P(3, 1), size=z)
    s.box("dec", "Decision:\napprove / 3DS /\ndecline", 380, 466, shape="diamond", size=z)
    s.box("tecton", "Feature store (Tecton)\nonline + offline", *P(3, 2), bg=GREEN_BG, size=z)
    s.box("review", "Analyst review queue\n(grey zone 0.6-0.9)", *P(0, 3), size=z)
    s.box("labels", "Label join:\nchargebacks +\nanalyst verdicts", *P(1, 3), size=z)
    s.box("snow", "Snowflake\n(txns, scores, labels)", *P(2, 3), size=z)
    s.box("train", "Training (XGBoost)\nweekly", *P(3, 3), size=z)
    s.box("cb", "Chargebacks from issuer\n(arrive 30-90 days)", *P(1, 4), size=z)
    s.box("airflow", "Airflow", *P(3, 4), size=z)
    s.box("backtest", "Backtest last 4 wks:\nPR-AUC, $ caught @\n0.5% FPR vs prod", *P(4, 3), size=z)
    s.box("reg", "Model registry\n(SageMaker)", *P(4, 1), size=z)
    s.zone("mon", "Monitoring (Evidently)", ["score", "predlog"], kind="frame", pad=28)
    A = s.arrow
    A("client", "api")
    A("canary", "api", "route")
    A("api", "score", "txn")
    A("api", "fb", "timeout > 50 ms", style="dashed")
    A("api", "kafka")
    A("kafka", "flink")
    A("flink", "tecton")
    A("tecton", "score", "feats")
    A("score", "predlog")
    A("score", "dec", "score")
    A("dec", "api", "action", via=[(335, 533), (335, 200)])
    A("dec", "review", "grey zone")
    A("review", "labels", "verdicts")
    A("cb", "labels")
    A("labels", "snow")
    A("predlog", "snow")
    A("snow", "train")
    A("tecton", "train", "point-in-time feats")
    A("airflow", "train")
    A("train", "backtest")
    A("backtest", "reg", "pass")
    A("reg", "score", "deploy", via=[(1340, 225), (470, 225)])
    A("mon", "pager")
    s.note("Requirements\n- ~3k TPS peak, 60k at Black Friday\n- fraud call budget p99 < 80 ms inside a\n  300 ms auth\n"
           "- fraud base rate ~0.1%, labels late (chargebacks)", 1560, 380, size=16)
    s.note("Metrics\n- offline: PR-AUC, recall @ 0.5% FPR,\n  $ loss caught (backtest)\n"
           "- online: fraud loss (bps of GMV), false\n  decline rate, 3DS challenge rate,\n  approval rate", 1560, 560, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s03_eta_shared_feature_lib")
def s03():
    # older file: Virgil, free text laid over boxes (no containerId), unbound arrows
    s = Scene(303, font=1, binding="v1", with_index=False,
              source="https://marketplace.visualstudio.com/items?itemName=pomdtr.excalidraw-editor",
              app_state={"gridSize": None, "viewBackgroundColor": "#ffffff"},
              stroke="#000000", t0=1689000000000)
    P = grid(x0=80, y0=260, cw=290, rh=170)
    z = 16
    B = lambda *a, **k: s.box(*a, bound_text=False, size=z, **k)
    B("canary", "Canary 5% -> A/B", *P(0, -1))
    B("routing", "Fallback: routing-engine\nETA (no ML)", *P(1, -1), bg=YEL_BG)
    B("dd", "Datadog: p99,\nMAE on done trips", *P(3, -1))
    B("pd", "PagerDuty", *P(4, -1))
    B("rider", "Rider app", *P(0, 0))
    B("api", "Trip svc / API gw", *P(1, 0))
    B("eta", "ETA svc\n(GBDT on residual of\nrouting ETA)", *P(2, 0), bg=BLUE_BG)
    B("redis", "Redis: live\nsegment speeds", *P(3, 0))
    B("done", "Trip completed evts\n(actual arrival = label,\n~20 min later)", *P(4, 0))
    B("lib", "eta_feats\n(shared py lib,\ntrain + serve)", *P(2, 1), bg=GREEN_BG)
    B("flink", "Flink: segment\nspeeds (5-min win)", *P(3, 1))
    B("kafka", "Kafka (GPS pings,\ntrip evts, preds)", *P(4, 1))
    B("reg", "MLflow registry", *P(0, 2))
    B("eval", "Eval gate: MAE, p90\nerr by city x hour,\nvs prod + routing", *P(1, 2))
    B("train", "Training (LightGBM)\nnightly", *P(2, 2))
    B("s3", "S3 / Hive", *P(3, 2), shape="ellipse", w=180, h=80)
    B("drift", "Feature drift\n(PSI, daily)", *P(4, 2))
    B("airflow", "Airflow", *P(3, 3))
    B("slack", "Slack alert", *P(4, 3))
    A = lambda a, b, l=None, **k: s.arrow(a, b, l, bind=False, **k)
    A("rider", "api", gap=4)
    A("api", "eta", gap=(3, -6))
    A("api", "routing", style="dashed", gap=4)
    A("routing", "eta", gap=(2, -5))
    A("canary", "api", gap=3)
    A("redis", "eta", gap=(4, 2))
    s.arrow("lib", "eta", kind="line", bind=False, gap=2)
    s.arrow("lib", "train", kind="line", bind=False, gap=2)
    A("eta", "kafka", gap=(3, -4))
    A("api", "done", via=[(500, 215), (1330, 215)], gap=(2, 3))
    A("done", "kafka", gap=3)
    A("kafka", "flink", gap=4)
    A("flink", "redis", gap=3)
    A("flink", "s3", gap=(3, -6))
    A("kafka", "s3", gap=5)
    A("s3", "train", gap=(3, 4))
    A("train", "eval", gap=3)
    A("eval", "reg", gap=(2, -4))
    A("reg", "eta", gap=(3, 5))
    A("airflow", "train", gap=3)
    A("eta", "dd", gap=3)
    A("dd", "pd", gap=3)
    A("s3", "drift", gap=4)
    A("drift", "slack", gap=3)
    s.note("ETA for ride requests\n* ~20k QPS (every map view), p99 < 50 ms\n* 300 cities, model per region? -> one global\n  model w/ city feats",
           80, 860, size=18)
    s.note("label = actual arrival - request ts (comes after trip ends)\nmetrics: offline MAE / MAPE, p90 abs err per city-hour\n"
           "online: ETA accuracy on completed trips, rider cancel rate,\nrequest -> ride conversion (A/B)", 560, 900, size=18)
    return s


# --------------------------------------------------------------------------------------
@sketch("s04_docs_rag_numbered_calls")
def s04():
    s = Scene(404, font=5, binding="v2")
    P = grid(x0=80, y0=100, cw=340, rh=170)
    z = 16
    s.box("ab", "A/B: prompt v7 vs v8\n(10% traffic)", *P(0, 0), bg=VIO_BG, size=z)
    s.box("ing", "Input guardrails:\nPII redaction,\nprompt-injection clf", *P(1, 0), bg=RED_BG, size=z)
    s.box("cache", "Semantic cache\n(Redis)", *P(2, 0), shape="ellipse", size=z)
    s.box("client", "Employee\n(Slack bot / web UI)", *P(0, 1), bg=GREY_BG, size=z)
    s.box("api", "Chat API\n(FastAPI orchestrator)", *P(1, 1), size=z)
    s.box("pine", "Pinecone index\n(chunks + ACL tags)", *P(2, 1), shape="ellipse", size=z)
    s.box("outg", "Output guardrails:\ngroundedness,\ntoxicity, citations", *P(0, 2), bg=RED_BG, size=z)
    s.box("llm", "LLM: GPT-4o\n(Azure OpenAI)", *P(1, 2), bg=BLUE_BG, size=z)
    s.box("emb", "Embedding model\ntext-embedding-3-large\n(same for docs + queries)", *P(2, 2), size=z)
    s.box("ingest", "Ingestion: parse ->\nchunk -> embed\n(hourly, change feed)", *P(3, 2), size=z)
    s.box("docs", "Confluence, Drive,\nPDFs (2M chunks)", *P(4, 2), shape="ellipse", size=z)
    s.box("fb", "Fallback: \"can't answer\"\n+ top search links", *P(0, 3), bg=YEL_BG, size=z)
    s.box("trace", "Trace log (Langfuse):\nprompt, chunks, answer,\nthumbs up/down", *P(1, 3), size=z)
    s.box("airflow", "Airflow", *P(3, 3), size=z)
    s.box("graf", "Grafana: latency,\ncost, thumbs-down rate", *P(0, 4), size=z)
    s.box("evid", "Evidently: query-topic\ndrift, empty-retrieval\nrate", *P(1, 4), size=z)
    s.box("evalh", "Eval harness: golden set\n(500 Qs from traces) -\ngates prompt/retriever\nchanges in CI", *P(2, 3), size=z)
    s.box("alert", "Alerts -> on-call", *P(0, 5), bg=RED_BG, size=z)
    A = s.arrow
    A("client", "api", "question", start_head="arrow")
    A("ab", "api")
    A("api", "ing", "0. screen")
    A("api", "cache")
    A("api", "pine", "1. retrieve")
    A("api", "llm", "2. generate")
    A("api", "outg", "3. check")
    A("api", "emb", "embed query")
    A("api", "fb", "no chunks /\nblocked", style="dashed")
    A("docs", "ingest")
    A("ingest", "emb", "chunks")
    A("emb", "pine", "upsert")
    A("airflow", "ingest", "hourly")
    A("llm", "trace")
    A("api", "trace", via=[(365, 330), (365, 620)])
    A("trace", "graf")
    A("trace", "evid")
    A("trace", "evalh")
    A("evalh", "api", "promote")
    A("graf", "alert")
    A("evid", "alert")
    s.note("Internal docs Q&A (RAG)\n- 8k employees, ~5 QPS peak\n- p95 < 4 s to first token\n- answers must respect doc ACLs + cite sources",
           1500, 40, size=16)
    s.note("Metrics\noffline: retrieval recall@5, faithfulness,\nanswer correctness on golden set\n"
           "online: thumbs-up rate, IT-ticket deflection,\nescalation rate, cost / answer", 1500, 180, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s05_ads_ctr_dashed_zones")
def s05():
    s = Scene(505, font=3, binding="v2")
    P = grid(x0=80, y0=120, cw=300, rh=165)
    z = 15
    s.box("adsdb", "Ads DB (campaigns,\nbids, budgets)", *P(2, -1), shape="ellipse", size=z)
    s.box("client", "Publisher page / app", *P(0, 0), bg=GREY_BG, size=z)
    s.box("adsrv", "Ad server", *P(1, 0), size=z)
    s.box("retr", "Ad retrieval\n(targeting + ANN)", *P(2, 0), size=z)
    s.box("pctr", "pCTR svc (DCN-v2)\n500 cands / 30 ms", *P(3, 0), bg=BLUE_BG, size=z)
    s.box("ab", "A/B + shadow\n1% -> 5% -> 50%", *P(0, 1), bg=VIO_BG, size=z)
    s.box("fb", "Fallback: pCTR =\ncampaign avg CTR", *P(1, 1), bg=YEL_BG, size=z)
    s.box("auction", "Auction + pacing\neCPM = bid x pCTR", *P(2, 1), size=z)
    s.box("ofs", "Online FS\n(Redis)", *P(3, 1), shape="ellipse", bg=GREEN_BG, size=z)
    s.box("dash", "Calibration + CTR\ndashboards", *P(4.3, 0), size=z)
    s.box("alerts", "Alerts (PagerDuty)", *P(5.3, 0), bg=RED_BG, size=z)
    s.box("drift", "Feature + pCTR\ndrift (PSI)", *P(4.3, 1), size=z)
    s.box("logs", "Impression + click\nlogs (Kafka,\nw/ served feats)", *P(0, 2.6), size=z)
    s.box("flink", "Flink: real-time\nCTR counters", *P(1, 2.6), size=z)
    s.box("hdfs", "HDFS / Hive", *P(2, 2.6), shape="ellipse", size=z)
    s.box("spark", "Spark feature jobs\n(daily aggregates)", *P(3, 2.6), size=z)
    s.box("conv", "Conversions (pixel,\n<= 7 days later)", *P(1, 3.6), size=z)
    s.box("join", "Label join\n(7-day attribution)", *P(2, 4.8), size=z)
    s.box("offfs", "Offline FS\n(Hive tables)", *P(3, 4.8), shape="ellipse", bg=GREEN_BG, size=z)
    s.box("airflow", "Airflow", *P(1, 5.8), size=z)
    s.box("train", "Trainer: hourly incr.\n+ daily full retrain", *P(2, 5.8), size=z)
    s.box("eval", "Eval: AUC, norm.\nlogloss, calibration\nvs prod", *P(3, 5.8), size=z)
    s.box("reg", "Model registry", *P(4.3, 5.8), size=z)
    s.zone("zs", "SERVING (online, p99 < 30 ms)", ["adsdb", "client", "adsrv", "retr", "pctr", "ab",
                                                 "fb", "auction", "ofs"], kind="dashed", color=BLUE)
    s.zone("zo", "OBSERVABILITY", ["dash", "alerts", "drift"], kind="dashed", color=RED)
    s.zone("zd", "DATA + FEATURES", ["logs", "flink", "hdfs", "spark", "conv"], kind="dashed",
           color=GREEN)
    s.zone("zt", "TRAINING (offline)", ["join", "offfs", "airflow", "train", "eval", "reg"],
           kind="dashed", color=VIO)
    A = s.arrow
    A("client", "adsrv", start_head="arrow")
    A("ab", "adsrv")
    A("adsrv", "fb", style="dashed")
    A("adsrv", "retr")
    A("adsdb", "retr", kind="line", bind=False)
    A("retr", "pctr")
    A("pctr", "ofs", "feats", start_head="arrow")
    A("pctr", "auction")
    A("auction", "adsrv", "winners")
    A("auction", "logs", "impressions + position")
    A("pctr", "dash")
    A("ofs", "drift")
    A("dash", "alerts")
    A("drift", "alerts")
    A("logs", "flink")
    A("flink", "ofs", "counters")
    A("flink", "hdfs", "snapshots")
    A("logs", "hdfs", via=[(180, 690), (780, 690)])
    A("hdfs", "spark")
    A("spark", "ofs", "materialize")
    A("spark", "offfs")
    A("hdfs", "join")
    A("conv", "join", "conversions")
    A("join", "train", "labels")
    A("offfs", "train", "point-in-time feats")
    A("airflow", "train")
    A("train", "eval")
    A("eval", "reg", "pass")
    A("reg", "pctr", "deploy", via=[(1290, 1095), (1290, 85), (1080, 85)])
    s.note("REQS\n1M ad requests/s peak\nrank 500 ads in 30 ms p99\n10M active ads, 1B users",
           1400, 520, size=16)
    s.note("METRICS\noffline: AUC, normalized logloss,\ncalibration (pred/obs)\n"
           "online: CTR, RPM (revenue / 1k imps),\nadvertiser ROI, p99 latency\n"
           "label: click in session;\nconversion via 7-day attribution", 1400, 660, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s06_weekly_demand_forecast_batch")
def s06():
    s = Scene(606, font=5, binding="v2")
    P = grid(x0=80, y0=100, cw=290, rh=160)
    z = 16
    s.box("pos", "POS sales\n(daily, 2k stores)", *P(0, 0), size=z)
    s.box("promo", "Promo calendar\n+ price plans", *P(0, 1), size=z)
    s.box("ext", "Weather + holidays\n(external feed)", *P(0, 2), size=z)
    s.box("erp", "ERP: purchase orders,\nstock-outs", *P(0, 3), size=z)
    s.box("bq", "BigQuery\nwarehouse", *P(1, 1), shape="ellipse", size=z)
    s.box("gx", "Great Expectations\nchecks", *P(2, 1), size=z)
    s.box("dbt", "dbt feature models\n(lags, rolling means,\npromo flags)", *P(3, 1), size=z)
    s.box("backtest", "Backtest: rolling origin,\n8 wks, WAPE + bias by\ncategory vs seasonal-naive", *P(4, 0), size=z)
    s.box("train", "Train LightGBM global\nmodel (P50 / P90)", *P(4, 1), size=z)
    s.box("airflow", "Airflow DAG\n(weekly, Sun 02:00)", *P(4, 2), size=z)
    s.box("reg", "MLflow registry\n(champion/challenger)", *P(5, 0), size=z)
    s.box("score", "Batch scoring:\n80M series x 12 wks", *P(5, 1), bg=BLUE_BG, size=z)
    s.box("pilot", "Pilot: challenger in\n10% of stores", *P(5, 2), bg=VIO_BG, size=z)
    s.box("fb", "Fallback: keep last\ngood forecast +\nseasonal naive", *P(6, 0), bg=YEL_BG, size=z)
    s.box("table", "forecast table (Postgres)\nsku, store, week, p50, p90", *P(6, 1), size=z)
    s.box("planner", "Replenishment\nplanner UI", *P(7.2, 1), bg=GREY_BG, size=z)
    s.box("drift", "Evidently: input\ndrift + nulls", *P(3, 3.2), size=z)
    s.box("slack", "Slack #planning-ml\nalert", *P(5, 3.2), bg=RED_BG, size=z)
    s.box("acc", "Accuracy monitor:\nforecast vs actuals\n(WAPE weekly)", *P(6, 3.2), size=z)
    s.zone("pipe", "Weekly pipeline (Airflow)", ["gx", "dbt", "backtest", "train", "airflow", "reg",
                                                "score", "pilot"], kind="frame")
    s.zone("plan", "Planning (consumers)", ["fb", "table", "planner"], kind="frame")
    s.zone("mon", "Monitoring", ["drift", "slack", "acc"], kind="frame")
    A = s.arrow
    A("pos", "bq")
    A("promo", "bq")
    A("ext", "bq")
    A("erp", "bq")
    A("bq", "gx")
    A("gx", "dbt")
    A("dbt", "train")
    A("dbt", "score", via=[(1080, 390), (1630, 390)])
    A("train", "backtest")
    A("backtest", "reg", "beats champion")
    A("reg", "score", "load champion")
    A("pilot", "score")
    A("airflow", "dbt")
    A("airflow", "train")
    A("airflow", "score")
    A("score", "table")
    A("fb", "table", "if run fails", style="dashed")
    A("table", "planner")
    A("planner", "erp", "orders", via=[(2270, 900), (180, 900)])
    A("dbt", "drift")
    A("drift", "slack")
    A("table", "acc")
    A("acc", "slack")
    s.note("Weekly demand forecast (grocery)\n- 2k stores x 40k SKUs = 80M series, horizon 12 weeks\n"
           "- weekly batch, must finish < 6 h (planners read Monday 6am)\n- no online serving needed: orders are placed weekly",
           80, 960, size=16)
    s.note("Metrics\n- offline: WAPE, bias, pinball loss P90 (backtest)\n- business: stock-out rate, waste / overstock %,\n  planner override rate (pilot vs control stores)\n"
           "- labels = actual weekly sales, arrive the next week", 760, 960, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s07_search_ranking_ltr")
def s07():
    s = Scene(707, font=6, binding="v1")
    P = grid(x0=80, y0=140, cw=290, rh=160)
    z = 16
    s.box("ab", "Interleaving -> A/B\n(exp platform)", *P(1, -1), bg=VIO_BG, size=z)
    s.box("client", "Search box\n(web / app)", *P(0, 0), bg=GREY_BG, size=z)
    s.box("api", "Search API", *P(1, 0), size=z)
    s.box("cache", "Result cache\n(top queries, 5 min)", *P(2, 0), shape="ellipse", size=z)
    s.box("fb", "Fallback: BM25 order\n(ranker timeout)", *P(0, 1), bg=YEL_BG, size=z)
    s.box("qu", "Query understanding\n(spell, intent,\nquery embedding)", *P(1, 1), size=z)
    s.box("bm25", "BM25 retrieval\n(Elasticsearch)", *P(2, 1), size=z)
    s.box("ann", "ANN retrieval\n(FAISS, two-tower)", *P(2, 2), size=z)
    s.box("ranker", "LTR ranker\n(LambdaMART,\n1k -> 100)", *P(3, 1.5), bg=BLUE_BG, size=z)
    s.box("rerank", "Re-rank: dedupe,\ndiversity, boosts", *P(4, 1), size=z)
    s.box("logs", "Search logs: query,\nshown results +\npositions, clicks, dwell", *P(5, 1), size=z)
    s.box("prom", "Prometheus / Grafana:\nlatency, zero-result\nrate, CTR@3", *P(5, 0), size=z)
    s.box("drift", "Drift: query mix +\nfeature distributions", *P(6, 1), size=z)
    s.box("alerts", "On-call alerts", *P(6, 0), bg=RED_BG, size=z)
    s.box("feast", "Feast: doc + query-doc\nstats (online + offline)", *P(3, 2.7), bg=GREEN_BG, size=z)
    s.box("spark", "Spark feature jobs", *P(4, 2.7), size=z)
    s.box("lake", "S3 / Iceberg", *P(5, 2.5), shape="ellipse", size=z)
    s.box("catalog", "Catalog DB\n(50M docs)", *P(1, 3.2), shape="ellipse", size=z)
    s.box("idx", "Nightly index build\n(ES + FAISS re-embed)", *P(2, 3.2), size=z)
    s.box("labels", "Click model (position\ndebias) -> labels", *P(5, 3.7), size=z)
    s.box("kfp", "Kubeflow Pipelines\n(weekly)", *P(2, 4.9), size=z)
    s.box("train", "Train LambdaMART\n+ doc tower", *P(3, 4.9), size=z)
    s.box("eval", "Offline eval: NDCG@10\non rated set + click\nmetrics vs prod", *P(4, 4.9), size=z)
    s.box("reg", "Model registry", *P(5, 4.9), size=z)
    s.box("raters", "Human relevance\nratings (3k queries\n/ quarter)", *P(4, 5.9), size=z)
    A = s.arrow
    A("client", "api", start_head="arrow")
    A("ab", "api", "bucket")
    A("api", "cache", start_head="arrow")
    A("api", "fb", style="dashed")
    A("api", "qu")
    A("qu", "bm25")
    A("qu", "ann")
    A("bm25", "ranker", bind=False, gap=(3, -6))
    A("ann", "ranker", bind=False, gap=(3, -6))
    A("feast", "ranker", "feats")
    A("ranker", "rerank")
    A("rerank", "api", "top 10", via=[(1340, 95), (520, 95)])
    A("rerank", "logs", "served + positions")
    A("logs", "prom")
    A("logs", "drift")
    A("prom", "alerts")
    A("drift", "alerts")
    A("logs", "lake")
    A("lake", "spark")
    A("spark", "feast")
    A("lake", "labels")
    A("catalog", "idx")
    A("idx", "ann", "FAISS")
    A("idx", "bm25", via=[(632, 690), (632, 298)])
    A("feast", "train", "point-in-time feats")
    A("labels", "train", "graded labels")
    A("kfp", "train")
    A("train", "eval")
    A("raters", "eval")
    A("eval", "reg", "pass")
    A("reg", "ranker", "deploy", via=[(1900, 962), (1900, 420)])
    A("reg", "idx", "new doc tower", via=[(1630, 1045), (600, 1045), (600, 745)])
    s.note("Product search, e-commerce\n- 300M queries/day, ~8k QPS peak\n- p99 < 250 ms incl. retrieval\n- 50M docs, catalog changes hourly",
           80, 790, size=17)
    s.note("Offline: NDCG@10 (human-rated), MRR\nOnline: CTR@3, successful sessions\n(dwell > 30 s), zero-result rate,\nreformulation rate, GMV / search",
           80, 960, size=17)
    return s


# --------------------------------------------------------------------------------------
@sketch("s08_people_you_may_know")
def s08():
    s = Scene(808, font=5, binding="v2")
    P = grid(x0=80, y0=140, cw=300, rh=160)
    z = 16
    s.box("ab", "A/B (Gatekeeper)", *P(0, -1), bg=VIO_BG, size=z)
    s.box("app", "App: PYMK carousel", *P(0, 0), bg=GREY_BG, size=z)
    s.box("api", "PYMK API", *P(1, 0), size=z)
    s.box("filt", "Filters: blocked,\nprivacy, already\ninvited", *P(2, 0), size=z)
    s.box("fb", "Fallback: top-20\nby mutual count", *P(0, 1), bg=YEL_BG, size=z)
    s.box("kv", "Candidates KV\n(Cassandra)\nuser -> 1k FoF", *P(1, 1), shape="ellipse", size=z)
    s.box("ranker", "Ranker svc\n(GBDT -> p(connect))", *P(2, 1), bg=BLUE_BG, size=z)
    s.box("ofs", "FS online (Redis)", *P(3, 1), bg=GREEN_BG, size=z)
    s.box("logs", "Impressions + scores\n+ invites / accepts", *P(4, 0), size=z)
    s.box("dash", "Dashboards: accept\nrate, p99 latency", *P(5, 0), size=z)
    s.box("drift", "Drift monitor\n(feature PSI)", *P(5, 1), size=z)
    s.box("alert", "Alert -> oncall", *P(6, 0.5), bg=RED_BG, size=z)
    s.box("cand", "Nightly canidate gen\n(FoF 2-hop + co-contacts,\nSpark GraphX)", *P(1, 2.6), size=z)
    s.box("spark", "Spark daily feats\n(mutuals, overlap)", *P(2, 2.6), size=z)
    s.box("flink", "Flink: new edges,\nprofile views", *P(3, 2.6), size=z)
    s.box("kafka", "Kafka", *P(4, 2.6), size=z)
    s.box("hive", "Hive", *P(5, 2.6), shape="ellipse", size=z)
    s.box("graph", "Social graph\n(100B edges)", *P(1, 3.6), shape="ellipse", size=z)
    s.box("offfs", "FS offline (Hive)", *P(3, 3.6), bg=GREEN_BG, size=z)
    s.box("label", "Label: invite accepted\nwithin 14 days", *P(5, 3.6), size=z)
    s.box("airflow", "Airflow", *P(2, 4.8), size=z)
    s.box("train", "Trainig (weekly)\nXGBoost", *P(4, 4.8), size=z)
    s.box("eval", "Offline eval: AUC,\nrecall@10 on held-out\naccepts vs prod", *P(5, 4.8), size=z)
    s.box("reg", "Model registry", *P(6, 4.8), size=z)
    s.zone("zon", "ONLINE", ["ab", "app", "api", "filt", "fb", "kv", "ranker", "ofs"], kind="dashed",
           title_pos="inside", color=BLUE)
    s.zone("zmon", "MONITORING", ["dash", "drift", "alert"], kind="dashed", title_pos="inside", color=RED)
    s.zone("zb", "NIGHTLY BATCH", ["cand", "graph"], kind="dashed", title_pos="inside", color=GREY)
    s.zone("zt", "TRAINING", ["airflow", "train", "eval", "reg"], kind="dashed", title_pos="inside",
           color=VIO)
    A = s.arrow
    A("app", "api", start_head="arrow")
    A("ab", "api")
    A("api", "kv", "read cands")
    A("api", "ranker", "1k cands")
    A("ofs", "ranker")
    A("ranker", "filt")
    A("filt", "api", "top 20")
    A("api", "fb", style="dashed", bind=False, gap=(3, -8))
    A("filt", "logs", "impressions")
    A("logs", "dash", bind=False, gap=(2, 4))
    A("logs", "drift", bind=False, gap=(2, -5))
    A("dash", "alert")
    A("drift", "alert")
    A("graph", "cand")
    A("cand", "kv", "nightly write")
    A("graph", "spark")
    A("spark", "ofs")
    A("spark", "offfs")
    A("logs", "kafka")
    A("kafka", "flink")
    A("flink", "ofs")
    A("flink", "offfs")
    A("kafka", "hive")
    A("hive", "label")
    A("label", "train")
    A("offfs", "train")
    A("airflow", "train", via=[(780, 1010), (1380, 1010)])
    A("airflow", "cand")
    A("train", "eval")
    A("eval", "reg")
    A("reg", "ranker", "deploy", via=[(1980, 440), (780, 440)])
    s.note("PYMK - requirements\n500M MAU, graph 100B edges\nPYMK opens ~20k QPS, p99 < 150 ms\n(rank 1k precomputed cands online)\n"
           "cand gen offline nightly: FoF too heavy online", 80, 960, size=16)
    s.note("metrics\noffline: AUC, recall@10 on accepted invites\nonline: invites sent / user, accept rate,\n"
           "new connections 7d, spam reports (guardrail)", 80, 1120, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s09_churn_scores_to_crm")
def s09():
    s = Scene(909, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=290, rh=160)
    z = 17
    s.box("pg", "Postgres\n(subscriptions,\nbilling)", *P(0, 0), size=z)
    s.box("seg", "Product events\n(Segment)", *P(0, 1), size=z)
    s.box("snow", "Snowflake", *P(1, 0.5), shape="ellipse", size=z)
    s.box("dbt", "Feature SQL (dbt)\nusage, tenure,\ntickets, plan", *P(2, 0.5), size=z)
    s.box("nb", "XGBoost training\n(Jupyter notebook)", *P(3, 0), size=z)
    s.box("score", "Nightly scoring\n(cron, 1am)", *P(3, 1), bg=BLUE_BG, size=z)
    s.box("tbl", "churn_scores table", *P(4, 1), size=z)
    s.box("sf", "Salesforce CRM\n(retention team)", *P(5, 1), bg=GREY_BG, size=z)
    s.box("offers", "Retention calls /\ndiscount offers", *P(5, 2), size=z)
    A = s.arrow
    A("pg", "snow")
    A("seg", "snow")
    A("snow", "dbt")
    A("dbt", "nb", "train set")
    A("dbt", "score")
    A("nb", "score", "model.pkl (latest)")
    A("score", "tbl", "top 5% risk")
    A("tbl", "sf", "sync 6am")
    A("sf", "offers")
    s.note("Churn prediction for B2C subscription app\n- 2M subscribers, ~4% monthly churn\n- scores ready by 6am for 40 retention agents\n"
           "- label: cancelled within next 30 days", 80, 520, size=17)
    s.note("model AUC 0.81 on holdout month", 620, 560, size=17, color=GREEN)
    return s


# --------------------------------------------------------------------------------------
@sketch("s10_nightly_product_recs_table")
def s10():
    s = Scene(1010, font=1, binding="v1", with_index=False, stroke="#000000",
              app_state={"gridSize": None, "viewBackgroundColor": "#ffffff"}, t0=1695000000000)
    P = grid(x0=80, y0=120, cw=290, rh=170)
    z = 18
    B = lambda *a, **k: s.box(*a, bound_text=False, size=z, **k)
    B("shop", "Web shop", *P(0, 0))
    B("api", "Recs API", *P(1, 0))
    B("dyn", "DynamoDB recs\nuser -> top 50", *P(2, 0), shape="ellipse")
    B("fb", "Fallback:\nbestsellers list", *P(1, -1), bg=YEL_BG)
    B("clk", "Clickstream\n(Snowplow)", *P(0, 1))
    B("s3", "S3 data lake", *P(0, 2), shape="ellipse")
    B("etl", "Spark ETL\n(user x item matrix)", *P(1, 2))
    B("als", "ALS training\n(Spark MLlib)", *P(2, 2))
    B("eval", "Offline eval:\nprecision@10\n(holdout week)", *P(3, 2))
    B("score", "Batch scoring:\ntop-50 per user", *P(3, 1))
    B("airflow", "Airflow (nightly)", *P(1, 3))
    A = lambda a, b, l=None, **k: s.arrow(a, b, l, bind=False, **k)
    A("shop", "api", gap=3)
    s.arrow("api", "dyn", kind="line", bind=False, gap=2)
    A("api", "fb", style="dashed", gap=(3, -6))
    A("shop", "clk", gap=4)
    A("clk", "s3", gap=(3, 2))
    A("s3", "etl", gap=3)
    A("etl", "als", gap=(2, -5))
    A("als", "eval", gap=3)
    A("eval", "score", gap=(3, 3))
    A("score", "dyn", gap=(3, 1))
    A("airflow", "etl", gap=3)
    A("airflow", "als", gap=3)
    s.note("Product recs, nightly batch\n- 5M users, 200k SKUs\n- recs refreshed nightly, API p99 < 50 ms (Dynamo get)\n"
           "- metric: precision@10", 1240, 120, size=18)
    s.note("new users -> bestsellers", 620, 20, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s11_price_optimisation")
def s11():
    s = Scene(1111, font=5, binding="v2", roughness=2)
    P = grid(x0=80, y0=120, cw=300, rh=170)
    z = 16
    s.box("comp", "Competitor prices\n(scraper)", *P(0, 0), size=z)
    s.box("dwh", "DWH: sales +\nprice history", *P(0, 1), shape="ellipse", size=z)
    s.box("promo", "Promo calendar", *P(1, 2.3), size=z)
    s.box("etl", "feat. ETL (SQL)", *P(1, 0.5), size=z)
    s.box("train", "Train demand model\n(XGB, log-log elast.)", *P(2, 0), size=z)
    s.box("score", "Daily elast. scoring\n(batch)", *P(2, 1), bg=BLUE_BG, size=z)
    s.box("etab", "elasticity table\n(Postgres)", *P(3, 1), size=z)
    s.box("inv", "Inventory DB", *P(3, 0), size=z)
    s.box("opt", "Pricing svc\n(optimizer:\nmax margin)", *P(4, 0.5), shape="diamond", size=z)
    s.box("rules", "Biz rules: min margin,\n+/-10% per day", *P(5.4, 0.5), size=z)
    s.box("store", "Storefront / app", *P(5.4, 1.7), bg=GREY_BG, size=z)
    s.box("orders", "Orders DB", *P(3.5, 2.3), size=z)
    A = s.arrow
    A("comp", "etl")
    A("dwh", "etl")
    A("etl", "train")
    A("etl", "score")
    A("train", "score", "model", style="dashed")
    A("score", "etab")
    A("etab", "opt", "elasticities")
    A("inv", "opt", "stock")
    A("opt", "rules", "candidate price")
    A("rules", "store", "final price")
    A("store", "opt", "get price (sku)", style="dashed")
    A("store", "orders", "purchases")
    A("orders", "dwh", "nightly ETL", via=[(1230, 700), (180, 700)])
    s.note("Dynamic pricing - online grocery\n~50k SKUs, prices refreshed daily\nprice API p99 < 100 ms, ~2k QPS",
           1420, 600, size=16)
    s.note("metric: demand MAPE\n(+ margin?)", 1420, 720, size=16)
    return s


# --------------------------------------------------------------------------------------
@sketch("s12_email_spam_filter")
def s12():
    s = Scene(1212, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=300, rh=165)
    z = 16
    s.box("smtp", "Inbound SMTP\ngateway (MTA)", *P(0, 0), size=z)
    s.box("clf", "Spam classifier svc\n(DistilBERT + sender\nreputation feats)", *P(1, 0), bg=BLUE_BG, size=z)
    s.box("rep", "Sender reputation\n(Redis)", *P(2, 0), shape="ellipse", size=z)
    s.box("graf", "Grafana:\nlatency, QPS", *P(0, -1), size=z)
    s.box("inbox", "Inbox / Spam folder", *P(0, 1), size=z)
    s.box("logs", "Mail logs (HDFS)\nverdict + headers", *P(1, 1), size=z)
    s.box("repjob", "Reputation job\n(Spark, hourly)", *P(2, 1), size=z)
    s.box("mua", "Mail client\n(web / app)", *P(0, 2), bg=GREY_BG, size=z)
    s.box("reports", "\"Report spam\" /\n\"Not spam\" clicks DB", *P(1, 2), size=z)
    s.box("corpus", "Labeled corpus\n(2019 dump, 2M mails)", *P(3, 1.5), size=z)
    s.box("train", "Training\n(monthly, manual)", *P(3, 0.5), size=z)
    s.box("eval", "Eval: precision /\nrecall on held-out", *P(4, 0.5), size=z)
    s.box("reg", "Model registry", *P(4, -0.5), size=z)
    A = s.arrow
    A("smtp", "clf", "email")
    A("rep", "clf", "sender feats")
    A("clf", "graf")
    A("smtp", "inbox", "deliver / spam")
    A("smtp", "logs", "verdict")
    A("logs", "repjob")
    A("repjob", "rep")
    A("inbox", "mua")
    A("mua", "reports", "report spam")
    A("corpus", "train")
    A("train", "eval")
    A("eval", "reg")
    A("reg", "clf", "deploy", via=[(1380, -25), (480, -25)])
    s.note("Spam filter for a mail provider\n- 1B emails/day (~12k/s avg)\n- classify < 100 ms inline in SMTP",
           80, 560, size=17)
    s.note("precision >= 99.9% (FP = lost mail!)\nrecall >= 97% on held-out", 520, 560, size=17)
    s.note("retrain how often??", 980, 560, size=17, color=RED)
    return s


# --------------------------------------------------------------------------------------
@sketch("s13_news_feed_flink_vs_sql")
def s13():
    s = Scene(1313, font=5, binding="v2")
    P = grid(x0=80, y0=140, cw=290, rh=165)
    z = 16
    s.box("ab", "A/B (experiment\nconfig)", *P(0, 1), bg=VIO_BG, size=z)
    s.box("app", "Mobile app", *P(0, 0), bg=GREY_BG, size=z)
    s.box("feed", "Feed svc", *P(1, 0), size=z)
    s.box("cand", "Candidate fetch\n(followed + trending)", *P(2, 0), size=z)
    s.box("ranker", "Ranker (MTL NN:\np(like), p(comment))", *P(3, 0), bg=BLUE_BG, size=z)
    s.box("redis", "Redis: online feats", *P(3, 1), size=z)
    s.box("graf", "Grafana: latency,\nCTR", *P(4.2, 0), size=z)
    s.box("pager", "PagerDuty", *P(5.2, 0), bg=RED_BG, size=z)
    s.box("kafka", "Kafka: impressions,\nlikes, comments", *P(1, 2.3), size=z)
    s.box("flink", "Flink: 1h / 24h\nengagement counts\n(event time)", *P(3, 2.3), size=z)
    s.box("hive", "Hive raw events", *P(1, 3.8), shape="ellipse", size=z)
    s.box("sql", "Spark SQL: recompute\nengagement counts +\nlabels for training", *P(2, 3.8), size=z)
    s.box("train", "Trainer (daily)", *P(3, 3.8), size=z)
    s.box("eval", "Eval: AUC / NE\nvs prod", *P(4.2, 3.8), size=z)
    s.box("reg", "Model registry", *P(4.2, 2.3), size=z)
    s.box("airflow", "Airflow", *P(2, 4.8), size=z)
    s.zone("zs", "SERVING", ["ab", "app", "feed", "cand", "ranker", "redis"], kind="dashed", color=BLUE)
    s.zone("zf", "STREAMING FEATURES", ["kafka", "flink"], kind="dashed", color=GREEN)
    s.zone("zt", "OFFLINE TRAINING", ["hive", "sql", "train", "eval", "airflow"], kind="dashed", color=VIO)
    A = s.arrow
    A("app", "feed", start_head="arrow")
    A("ab", "feed")
    A("feed", "cand")
    A("cand", "ranker", "500 posts")
    A("redis", "ranker", "feats")
    A("ranker", "feed", "ranked", via=[(1080, 95), (480, 95)])
    A("feed", "kafka", "impressions")
    A("app", "kafka", "likes")
    A("kafka", "flink")
    A("flink", "redis")
    A("kafka", "hive")
    A("hive", "sql")
    A("sql", "train", "train set")
    A("train", "eval")
    A("eval", "reg")
    A("reg", "ranker", "deploy")
    A("airflow", "sql")
    A("airflow", "train")
    A("ranker", "graf")
    A("graf", "pager")
    s.note("News feed ranking\n300M DAU, ~100k QPS peak, p99 < 200 ms\nrank ~500 candidate posts / request",
           1560, 420, size=17)
    s.note("offline: AUC, normalized entropy per head\nonline: time spent, DAU, sessions / user,\nhides + reports (guardrail)",
           1560, 560, size=17)
    return s


# --------------------------------------------------------------------------------------
@sketch("s14_harmful_content_weak")
def s14():
    s = Scene(1414, font=1, binding="v1", with_index=False, stroke="#000000",
              app_state={"gridSize": None, "viewBackgroundColor": "#ffffff"}, t0=1680000000000)
    P = grid(x0=80, y0=160, cw=280, rh=170)
    z = 20
    s.box("user", "User uploads\npost", *P(0, 0), size=z)
    s.box("api", "Upload API", *P(1, 0), size=z)
    s.box("model", "Toxicity modle\n(BERT)", *P(2, 0), size=z)
    s.box("dec", "remove\nor keep?", *P(3, -0.15), shape="diamond", size=z)
    s.box("db", "Posts DB", *P(4.2, 0), size=z)
    s.box("kaggle", "Kaggle toxic\ncomments dataset", *P(1, 1.3), size=z)
    s.box("train", "Training (Colab)", *P(2, 1.3), size=z)
    s.box("hr", "Human review?", *P(3.4, 1.4), size=z, style="dashed")
    A = lambda a, b, l=None, **k: s.arrow(a, b, l, bind=False, **k)
    A("user", "api", gap=5)
    A("api", "model", gap=(4, 6))
    A("model", "dec", gap=(3, 4))
    A("dec", "db", "keep", gap=(4, -7))
    A("kaggle", "train", gap=4)
    A("train", "model", "export .pt", gap=(3, 5))
    s.note("Content moderation", 80, 40, size=28)
    return s


# --------------------------------------------------------------------------------------
@sketch("s15_visual_search")
def s15():
    s = Scene(1515, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=290, rh=165)
    z = 16
    s.box("app", "Shop app:\ncamera upload", *P(0, 0), bg=GREY_BG, size=z)
    s.box("gw", "API gw", *P(1, 0), size=z)
    s.box("det", "Obj detector\n(pretrained YOLO)\n-> crop", *P(2, 0), size=z)
    s.box("enc", "Img encoder svc\n(ResNet-50 emb, k8s)", *P(3, 0), bg=BLUE_BG, size=z)
    s.box("prom", "k8s Prometheus\n(latency, GPU util)", *P(4, -0.8), size=z)
    s.box("ann", "Milvus ANN idx\n(10M items)", *P(4, 0.5), shape="ellipse", size=z)
    s.box("rr", "Re-rank: in-stock,\ncategory match", *P(2, 1), size=z)
    s.box("cat", "Catalog imgs\n(S3)", *P(5.2, 2), shape="ellipse", size=z)
    s.box("embjob", "Offline: embed\ncatalog (Spark + GPU)", *P(4, 2), size=z)
    s.box("wts", "weights v3\n(S3 bucket)", *P(3, 2), size=z)
    s.box("train", "Fine-tune encoder\n(triplet loss)", *P(2, 2.3), size=z)
    s.box("pairs", "Labeled pairs\n(street2shop +\nvendor photos)", *P(1, 2.3), size=z)
    A = s.arrow
    A("app", "gw", "photo", start_head="arrow")
    A("gw", "det")
    A("det", "enc", "crop")
    A("enc", "ann", "query emb")
    A("ann", "rr", "top 200")
    A("rr", "gw", "top 20 SKUs")
    A("enc", "prom", bind=False, gap=(3, -6))
    A("cat", "embjob")
    A("embjob", "ann", "upsert")
    A("pairs", "train")
    A("train", "wts")
    A("wts", "enc", "load")
    A("wts", "embjob", "same weights")
    s.note("visual search ('shop the look')\n10M catalog items, 200 QPS peak\np95 < 500 ms end to end", 80, 560, size=17)
    s.note("eval: recall@20 on street2shop val", 80, 700, size=17)
    return s


# --------------------------------------------------------------------------------------
@sketch("s16_query_autocomplete")
def s16():
    s = Scene(1616, font=8, binding="v1")
    P = grid(x0=80, y0=120, cw=300, rh=165)
    z = 15
    s.box("sb", "Search box\n(each keystroke)", *P(0, 0), bg=GREY_BG, size=z)
    s.box("svc", "Autocomplete svc", *P(1, 0), size=z)
    s.box("trie", "Prefix trie: top-k\nper prefix (fallback:\ntrie order if ranker\n> 20 ms)", *P(1, -1.2), bg=YEL_BG, size=z)
    s.box("rk", "Personal re-ranker\n(GBDT, 20 ms)", *P(2, 0), bg=BLUE_BG, size=z)
    s.box("hist", "User history\n(Redis, last 50 q)", *P(2, 1), shape="ellipse", size=z)
    s.box("bl", "Blocklist filter\n(offensive / PII)", *P(3, 0), size=z)
    s.box("graf", "Grafana\n(svc QPS, p99)", *P(0, 1), size=z)
    s.box("ql", "Query logs (Kafka):\nshown suggestions,\nselected, position", *P(1, 2), size=z)
    s.box("hdfs", "HDFS", *P(1, 3), shape="ellipse", size=z)
    s.box("tb", "Nightly trie build\n(Spark: counts,\ntime decay, filters)", *P(0, 3), size=z)
    s.box("tset", "Spark: training set\n(prefix, shown,\nselected, user feats)", *P(2, 3), size=z)
    s.box("train", "Training (weekly)", *P(3, 3), size=z)
    s.box("airflow", "Airflow", *P(3, 4), size=z)
    A = s.arrow
    A("sb", "svc", start_head="arrow")
    A("svc", "trie", "prefix lookup", start_head="arrow")
    A("svc", "rk", "top-50")
    A("hist", "rk", kind="line", bind=False, gap=2)
    A("svc", "hist", "append query")
    A("rk", "bl")
    A("bl", "svc", "top 8", via=[(1080, 82), (480, 82)])
    A("graf", "svc", kind="line", bind=False, gap=2)
    A("svc", "ql", via=[(400, 300), (400, 420)])
    A("ql", "hdfs")
    A("hdfs", "tb")
    A("tb", "trie", "nightly swap", via=[(60, 740), (60, -78)])
    A("hdfs", "tset")
    A("tset", "train")
    A("train", "rk", "deploy", via=[(1230, 618), (1230, 250), (850, 250)])
    A("airflow", "train")
    A("airflow", "tb", via=[(180, 843)])
    s.note("query autocomplete\n- 50k QPS (every keystroke), p99 < 30 ms\n- 8 suggestions, 20 languages", 1300, 100, size=17)
    s.note("metrics: MRR of selected suggestion (offline)\nacceptance rate + keystrokes saved (online)", 1300, 240, size=17)
    return s


# --------------------------------------------------------------------------------------
@sketch("s17_support_chatbot_guardrails")
def s17():
    s = Scene(1717, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=310, rh=165)
    z = 16
    s.box("cust", "Customer\n(help widget)", *P(0, 1), bg=GREY_BG, size=z)
    s.box("be", "Chat backend", *P(1, 1), size=z)
    s.box("ing", "Input guardrail:\nPII mask + jailbreak\nclassifier", *P(1, 0), bg=RED_BG, stroke=RED, size=z)
    s.box("ret", "Retriever\n(Pinecone top-5)", *P(2, 0), shape="ellipse", size=z)
    s.box("orders", "Order DB\n(status lookups)", *P(0, 2), shape="ellipse", size=z)
    s.box("llm", "Claude (hosted API)", *P(2, 1), bg=BLUE_BG, size=z)
    s.box("outg", "Output guardrail:\npolicy + no refund\npromises", *P(2, 2), bg=RED_BG, stroke=RED, size=z)
    s.box("hand", "Handoff to human\nagent (Zendesk)", *P(1, 2.3), bg=YEL_BG, size=z)
    s.box("script", "One-time ingest script\n(chunk + embed)", *P(3, 0), size=z)
    s.box("hc", "Help-center articles\n(1.2k)", *P(4, 0), size=z)
    A = s.arrow
    A("cust", "be", start_head="arrow")
    A("be", "ing", "1. screen")
    A("be", "ret", "2. retrieve")
    A("be", "llm", "3. generate")
    A("be", "outg", "4. check")
    A("be", "orders", "tool: order status")
    A("be", "hand", "low confidence /\nangry customer", style="dashed")
    A("hc", "script")
    A("script", "ret", "upsert")
    s.note("Support chatbot for an e-commerce site\n40k chats/day, peak ~15 chats/s\nfirst token < 2 s", 1000, 360, size=17)
    s.note("goal: deflect 30% of tickets (deflection rate)", 1000, 480, size=17)
    return s


# --------------------------------------------------------------------------------------
@sketch("s18_ads_ctr_weak")
def s18():
    s = Scene(1818, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=280, rh=170)
    z = 18
    s.box("user", "User", *P(0, 0), shape="ellipse", size=z)
    s.box("adsrv", "Ad server", *P(1, 0), size=z)
    s.box("model", "CTR model (LR)", *P(2, 0), size=z)
    s.box("rank", "Rank: bid x pCTR", *P(3, 0), size=z)
    s.box("adsdb", "Ads DB", *P(1, 1), shape="ellipse", size=z)
    s.box("prof", "User profile DB", *P(0, 1), shape="ellipse", size=z)
    s.box("csv", "training_data.csv", *P(2, 2), size=z)
    s.box("train", "Train LR (sklearn)", *P(2, 1), size=z)
    A = s.arrow
    A("user", "adsrv")
    A("adsdb", "adsrv")
    A("prof", "adsrv")
    A("adsrv", "model")
    A("model", "rank")
    A("rank", "adsrv", "top 3 ads", via=[(1120, 85), (480, 85)])
    A("csv", "train")
    A("train", "model", "pickle")
    s.note("predict p(click) for each ad, show top 3\nmetric: AUC", 900, 320, size=18)
    return s


# --------------------------------------------------------------------------------------
@sketch("s19_predictive_maintenance_raw_stream")
def s19():
    s = Scene(1919, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=300, rh=170)
    z = 16
    s.box("sensors", "Machine sensors\n(vibration, temp,\n1 Hz)", *P(0, 0), size=z)
    s.box("gw", "IoT gateway (MQTT)", *P(1, 0), size=z)
    s.box("techs", "Maintenance techs\n(mobile app)", *P(0, 1.2), bg=GREY_BG, size=z)
    s.box("kafka", "Kafka:\nsensor-readings", *P(2, 0), size=z)
    s.box("model", "Failure-risk model svc\n(1D-CNN on raw\n10-min windows)", *P(3, 0), bg=BLUE_BG, size=z)
    s.box("wo", "Work orders\n(SAP PM)", *P(4, 0), size=z)
    s.box("cmms", "CMMS: failure +\nrepair records", *P(1, 2.4), size=z)
    s.box("s3", "S3 raw archive", *P(2, 1.2), shape="ellipse", size=z)
    s.box("spark", "Spark: rolling feats\n(mean / std / FFT, 1h)", *P(2, 2.4), size=z)
    s.box("train", "Training (PyTorch)", *P(3, 2.4), size=z)
    s.box("eval", "Eval: PR-AUC on\nheld-out machines", *P(4, 2.4), size=z)
    s.box("reg", "MLflow registry", *P(4, 1.2), size=z)
    s.box("airflow", "Airflow (monthly)", *P(4, 3.4), size=z)
    s.zone("plant", "Plant floor", ["sensors", "gw", "techs"], kind="frame")
    s.zone("cloud", "Cloud", ["kafka", "model", "wo", "s3", "spark", "train", "eval", "reg", "airflow"],
           kind="frame")
    A = s.arrow
    A("sensors", "gw")
    A("gw", "kafka")
    A("kafka", "model", "raw windows")
    A("model", "wo", "risk > 0.8")
    A("wo", "techs", "job", via=[(1380, 40), (30, 40), (30, 362)])
    A("techs", "cmms", "repair outcome", via=[(180, 565)])
    A("cmms", "train", "labels: failure\nwithin 7 days", via=[(480, 760), (1080, 760)])
    A("kafka", "s3")
    A("s3", "spark")
    A("spark", "train", "features")
    A("train", "eval")
    A("eval", "reg", "pass")
    A("reg", "model", "deploy")
    A("airflow", "train")
    s.note("Predictive maintenance\n4k machines x 10 sensors @ 1 Hz = 40k events/s\nalert within 1 min of anomaly", 1560, 120, size=17)
    s.note("offline: PR-AUC, precision @ 20 alerts/day\nonline: unplanned downtime hours,\nfalse alarms / week", 1560, 260, size=17)
    return s


# --------------------------------------------------------------------------------------
@sketch("s20_lone_box_stub")
def s20():
    s = Scene(2020, font=5, binding="v2")
    s.note("Design: YouTube video recommendations (45 min)", 100, 60, size=24)
    s.box("rec", "ML-powered\nrecommendation system", 180, 180, w=280, h=120, size=20)
    return s


# --------------------------------------------------------------------------------------
@sketch("s21_bookstore_webapp_no_ml")
def s21():
    s = Scene(2121, font=5, binding="v2")
    P = grid(x0=80, y0=140, cw=280, rh=160)
    z = 17
    s.box("browser", "Browser /\nmobile app", *P(0, 1), bg=GREY_BG, size=z)
    s.box("cdn", "CDN (static,\nbook covers)", *P(1, 0), size=z)
    s.box("lb", "Load balancer", *P(1, 1), size=z)
    s.box("web", "Web app (Django,\nk8s, 12 pods)", *P(2, 1), size=z)
    s.box("redis", "Redis cache\n(sessions, carts)", *P(3, 0), shape="ellipse", size=z)
    s.box("pg", "Postgres primary", *P(3, 1), shape="ellipse", size=z)
    s.box("replica", "Read replica", *P(4, 1), shape="ellipse", size=z)
    s.box("s3", "S3 (covers,\ninvoices)", *P(1, -1), size=z)
    s.box("mq", "RabbitMQ", *P(2, 2), size=z)
    s.box("mail", "Email worker\n(order confirmations)", *P(3, 2), size=z)
    s.box("prom", "Prometheus +\nGrafana", *P(1, 2), size=z)
    s.box("pd", "PagerDuty", *P(1, 3), bg=RED_BG, size=z)
    A = s.arrow
    A("browser", "cdn")
    A("browser", "lb")
    A("lb", "web")
    A("web", "redis", start_head="arrow")
    A("web", "pg", start_head="arrow")
    A("pg", "replica", "replication")
    A("cdn", "s3")
    A("web", "mq", "order placed")
    A("mq", "mail")
    A("web", "prom", "metrics")
    A("prom", "pd")
    s.note("Online bookstore - high level design", 80, -120, size=26)
    s.note("10k RPS peak, p99 < 300 ms\n99.9% availability", 1200, 140, size=18)
    return s


# --------------------------------------------------------------------------------------
@sketch("s22_content_moderation_mixed")
def s22():
    s = Scene(2222, font=5, binding="v2")
    P = grid(x0=80, y0=120, cw=300, rh=170)
    z = 16
    s.box("creator", "Creator app\n(upload)", *P(0, 0), bg=GREY_BG, size=z)
    s.box("upl", "Upload svc", *P(1, 0), size=z)
    s.box("emb", "Embedding svc\n(CLIP, frozen)", *P(2, 0), size=z)
    s.box("clf", "Multimodal classifier\n(multi-label heads)", *P(3, 0), bg=BLUE_BG, size=z)
    s.box("canary", "Shadow -> 5% canary", *P(0, 1), bg=VIO_BG, size=z)
    s.box("fb", "Fallback: hash-match\n(PhotoDNA) + keyword\nrules if model down", *P(1, 1), bg=YEL_BG, size=z)
    s.box("pol", "Policy engine:\nthresholds per\npolicy x region", *P(3, 1), shape="diamond", size=z)
    s.box("declog", "Decision + feature log\n(embeddings, scores,\nactions) -> BigQuery", *P(2, 2.5), size=z)
    s.box("review", "Human review queue\n(score 0.4-0.8 +\n1% random sample)", *P(3, 2.5), size=z)
    s.box("reports", "User reports +\nappeals", *P(4, 2.5), size=z)
    s.box("labels", "Label store: reviewer\nverdicts, appeal\noutcomes", *P(3, 3.5), size=z)
    s.box("mon", "Action-rate dashboards\n(removals per policy)", *P(1, 2.5), size=z)
    s.box("drift", "Evidently: embedding\n+ score drift", *P(1, 3.5), size=z)
    s.box("pager", "PagerDuty /\nT&S on-call", *P(0, 3), bg=RED_BG, size=z)
    s.box("train", "Training (weekly,\nVertex AI)", *P(2, 4.8), size=z)
    s.box("eval", "Eval gate: PR-AUC per\npolicy x language,\nprecision @ action thr.", *P(3, 4.8), size=z)
    s.box("reg", "Vertex model registry", *P(4, 4.8), size=z)
    s.box("pipes", "Vertex Pipelines", *P(1, 5.8), size=z)
    s.box("rescan", "Nightly re-scan of\nlast 30 days (batch,\nnew model)", *P(4, 5.8), bg=BLUE_BG, size=z)
    s.box("gcs", "Media store (GCS)", *P(3, 5.8), size=z)
    s.zone("pre", "Pre-publish (online, p95 < 300 ms)", ["creator", "upl", "emb", "clf", "canary", "fb",
                                                        "pol"], kind="frame")
    s.zone("off", "Offline / nightly", ["train", "eval", "reg", "pipes", "rescan", "gcs"], kind="frame")
    A = s.arrow
    A("creator", "upl", start_head="arrow")
    A("canary", "upl")
    A("upl", "emb", "media + text")
    A("emb", "clf")
    A("clf", "pol", "scores")
    A("pol", "upl", "remove / age-gate /\nallow")
    A("upl", "fb", style="dashed")
    A("emb", "declog", "served embeddings")
    A("pol", "declog", "scores + actions")
    A("pol", "review", "uncertain + sample")
    A("reports", "review")
    A("review", "labels", "verdicts")
    A("declog", "mon")
    A("declog", "drift")
    A("mon", "pager")
    A("drift", "pager")
    A("declog", "train", "logged features", via=[(780, 830)])
    A("labels", "train", "labels")
    A("train", "eval")
    A("eval", "reg", "pass")
    A("reg", "clf", "deploy", via=[(1580, 986), (1580, 158)])
    A("reg", "rescan")
    A("gcs", "rescan")
    A("rescan", "pol", "re-scores", via=[(1640, 1156), (1640, 310)])
    A("pipes", "train")
    A("pipes", "rescan", via=[(480, 1225), (1380, 1225)])
    s.note("Harmful content moderation (images + text)\n- 500M uploads/day (~6k/s), pre-publish check p95 < 300 ms\n"
           "- 12 policies, 40 languages; nightly re-scan with newest model", 1800, 120, size=16)
    s.note("Metrics\n- offline: PR-AUC, recall @ 95% precision per policy\n"
           "- online: violating-view prevalence, appeal overturn rate,\n  false-removal rate, reviewer queue SLA\n"
           "- label = reviewer verdict; overturned appeal = negative", 1800, 270, size=16)
    return s
