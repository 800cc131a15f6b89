"""Generate the three .excalidraw sketches of review_heldout7 (stdlib only).

    python3 scripts/gen_excalidraw.py   # from the set folder
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from exlib import Scene  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "sketches")


def fleet_pm():
    s = Scene(seed=71)
    s.text(0, -300, "Fleet PdM – 30-day failure risk (v3)", fs=28, family=5)
    s.text(0, -220, "Requirements\n- 12k trucks, ~400 CAN signals each\n- scores refreshed nightly, ready by 06:00\n"
           "- batch only: planners act on a daily list,\n  no online latency need\n"
           "- planner capacity ~5% of fleet / week", fs=16)
    s.text(520, -220, "Goal: cut unplanned roadside breakdowns by 20%\n(towing cost + missed deliveries)\n"
           "Task: P(component fails in next 30 days) per\ntruck x component (binary classification)\n"
           "Label: unplanned repair work order for that\ncomponent within 30d of the snapshot date", fs=16)
    s.text(1080, -220, "Metrics\noffline: PR-AUC, recall@top-5%, backtest\n  by vehicle class vs mileage-rule baseline\n"
           "online: breakdowns / 1k trucks / month,\n  cost per mile, % flagged trucks with\n"
           "  confirmed fault at inspection", fs=16)

    f_src = s.frame(0, 0, 320, 700, "Sources")
    f_off = s.frame(380, 0, 620, 480, "Offline – nightly features & labels")
    f_mod = s.frame(380, 520, 620, 320, "Model lifecycle (weekly retrain)")
    f_srv = s.frame(1060, 0, 580, 560, "Batch scoring & delivery (by 06:00)")
    f_mon = s.frame(1060, 600, 580, 300, "Monitoring (Evidently + Grafana)")
    F = lambda f: f["id"]  # noqa: E731

    tele = s.box(30, 50, 260, 80, "Telematics gateway\n(CAN bus, 5-min agg)", frame=F(f_src))
    kafka = s.box(30, 180, 260, 70, "Kafka\ntelematics-raw", frame=F(f_src))
    lake = s.box(30, 300, 260, 80, "S3 data lake\n(raw parquet, 2y)", frame=F(f_src))
    wo = s.box(30, 430, 260, 80, "Fleetio work orders\n(repairs, parts, dates)", frame=F(f_src))
    vm = s.box(30, 570, 260, 80, "Vehicle master DB\n(make/model/age/route)", frame=F(f_src))

    ge = s.box(410, 50, 260, 80, "Great Expectations\nschema + range checks", frame=F(f_off))
    spark = s.box(710, 40, 260, 100, "Spark feature jobs\n(rolling 7/30d stats,\nDTC counts, mileage)", frame=F(f_off))
    fso = s.box(710, 210, 260, 80, "Feast offline store\n(point-in-time joins)", frame=F(f_off))
    lj = s.box(410, 350, 260, 100, "Label join (nightly)\nfailure of component\nwithin 30d of snapshot", frame=F(f_off))
    af = s.box(410, 190, 260, 100, "Airflow DAG\n02:00 features + scoring\nSun weekly retrain", frame=F(f_off))

    tr = s.box(710, 560, 260, 80, "XGBoost training\n(per component family)", frame=F(f_mod))
    mlt = s.box(410, 560, 260, 80, "MLflow tracking\n(params, PR-AUC)", frame=F(f_mod))
    bt = s.box(710, 690, 260, 100, "Backtest gate\nvs mileage-rule baseline,\nper vehicle class", frame=F(f_mod))
    reg = s.box(410, 700, 260, 80, "MLflow Model Registry\n(Staging → Production)", frame=F(f_mod))

    sc = s.box(1090, 40, 260, 100, "Nightly batch scoring\n(Spark, 12k trucks x\n9 components)", frame=F(f_srv))
    risk = s.box(1090, 200, 260, 80, "risk_scores table\n(Postgres, by 06:00)", frame=F(f_srv))
    lg = s.box(1410, 190, 210, 100, "Fallback: last-good\nscores if job fails\n(flag stale > 48h)", frame=F(f_srv))
    dash = s.box(1090, 330, 260, 80, "Fleet Ops dashboard\n(maintenance planners)", frame=F(f_srv))
    pilot = s.box(1410, 330, 210, 100, "Depot pilot (A/B)\n4 depots model-driven\nvs 4 rule-based", frame=F(f_srv))
    book = s.box(1090, 460, 260, 80, "Planner books\npreventive work order", frame=F(f_srv))

    drift = s.box(1090, 650, 250, 80, "Feature & score drift\nvs training window", frame=F(f_mon))
    real = s.box(1360, 650, 260, 80, "Realized precision@top-5%\n(30d lag, work orders)", frame=F(f_mon))
    page = s.box(1230, 790, 260, 80, "PagerDuty → ML on-call\n+ retrain trigger", frame=F(f_mon))

    A = s.arrow
    A(tele, kafka)
    A(kafka, lake)
    A(lake, ge)
    A(ge, spark)
    A(vm, spark, via=[(355, 610), (355, 165), (690, 165)])
    A(spark, fso)
    A(wo, lj, label="repairs")
    A(fso, tr, label="features as of snapshot")
    A(lj, tr)
    A(af, spark, dashed=True)
    A(af, tr, dashed=True, via=[(690, 240), (690, 530), (760, 530)])
    A(tr, mlt)
    A(tr, bt)
    A(bt, reg, label="pass")
    A(reg, sc, label="Production model", via=[(540, 815), (1015, 815), (1015, 120)])
    A(fso, sc, label="tonight's snapshot")
    A(sc, risk)
    A(lg, risk, label="serve previous night")
    A(risk, dash)
    A(pilot, dash, label="which depots\nsee scores")
    A(dash, book)
    A(book, wo, label="new work orders", via=[(1030, 505), (340, 505)])
    A(risk, drift, label="scores", via=[(1075, 240), (1075, 620)])
    A(lj, real, label="realized failures", via=[(1045, 430), (1045, 760), (1490, 760)])
    A(drift, page)
    A(real, page)
    A(page, af, label="trigger retrain", dashed=True, via=[(1360, 930), (395, 930), (395, 240)])
    os.makedirs(OUT, exist_ok=True)
    s.dump(os.path.join(OUT, "fleet_pm_nightly.excalidraw"))


def restaurant_wait():
    s = Scene(seed=72)
    s.text(0, -40, "Wait time ML - draft", fs=28)
    app = s.box(0, 100, 220, 80, "Guest app\n(join waitlist)")
    gw = s.box(340, 100, 220, 80, "API Gateway")
    api = s.box(720, 100, 240, 80, "Wait-time API\n(Flask + LightGBM)")
    pos = s.box(1140, 100, 220, 80, "Toast POS /\nwaitlist DB")
    csv = s.box(1120, 320, 260, 80, "Waitlist history export\n(check-in, seated times)")
    nb = s.box(340, 320, 240, 80, "Jupyter notebook\nfeatures + train")
    pkl = s.box(720, 320, 240, 80, "model.pkl (S3)")
    s.arrow(app, gw)
    s.arrow(gw, api, label="GET /wait?party=4")
    s.arrow(pos, api, label="live party size,\ntables occupied")
    s.arrow(pos, csv, label="nightly export")
    s.arrow(csv, nb, via=[(1250, 450), (460, 450)])
    s.arrow(nb, pkl)
    s.arrow(pkl, api, label="load on deploy")
    s.text(0, 520, "restaurant wait time prediction\npredict minutes until seated for walk-in parties\n"
           "label = seated_at - checked_in_at\nmetric: MAE", fs=16)
    s.dump(os.path.join(OUT, "restaurant_waittime.excalidraw"))


def crop_disease():
    s = Scene(seed=73)
    s.text(0, -60, "CropDoc – crop disease from phone photos", fs=24, family=1)
    farmer = s.box(0, 190, 200, 120, "Farmer\n(Android app)", kind="ellipse", fs=16)
    api = s.box(300, 215, 200, 80, "Upload API\n(FastAPI)")
    pre = s.box(580, 215, 230, 80, "preprocess\nresize 384 + blur check")
    clf = s.box(880, 215, 220, 80, "EfficientNet-B3\n(TorchServe, GPU)")
    dia = s.box(1180, 195, 170, 130, "conf\n> 0.7 ?", kind="diamond", fs=16)
    resp = s.box(1170, 20, 190, 100, "diagnosis +\ntreatment tips\n(local language)")
    queue = s.box(1160, 420, 220, 80, "Agronomist review\nqueue (Label Studio)")
    lab = s.box(880, 420, 210, 80, "labeled images\n(GCS bucket)")
    pv = s.box(880, 570, 210, 80, "PlantVillage +\npartner datasets")
    tr = s.box(580, 420, 230, 80, "fine-tune\n(PyTorch, Vertex AI)")
    ev = s.box(580, 570, 230, 100, "eval on field-photo\ntest set (macro-F1\nper crop)")
    reg = s.box(300, 420, 200, 80, "Vertex AI\nModel Registry", bound=False)  # text laid over, not bound
    log = s.box(300, 40, 200, 80, "images + preds\nlog (BigQuery)")

    A = s.arrow
    A(farmer, api, bind=False, miss=4, label="photo + GPS")
    A(api, pre)
    A(pre, clf)
    A(clf, dia, bind=False, miss=7)
    A(dia, resp, bind=False, miss=5, label="yes")
    A(resp, farmer, bind=False, miss=8, via=[(1265, -5), (100, -5)])
    A(dia, queue, label="no / unsure")
    A(queue, lab, label="confirmed label")
    A(pv, lab)
    A(lab, tr)
    A(tr, ev)
    A(ev, reg, bind=False, miss=6, via=[(400, 620)])
    A(reg, clf, via=[(400, 360), (990, 360)], bind=False, miss=5)
    A(api, log, label="img + pred")
    s.text(0, 720,
           "REQUIREMENTS (from interviewer)\n"
           "- ~2M smallholder farmers, India + Kenya, 38 crop/disease classes\n"
           "- peak ~50 photos/s in monsoon season\n"
           "- p95 < 2 s end to end, users on 3G !!\n"
           "- wrong treatment advice is costly -> ask an expert when unsure\n"
           "- offline mode on phone later? (TFLite)\n"
           "\n"
           "METRICS\n"
           "offline: top-1 acc, macro-F1 per crop on field photos (not lab photos)\n"
           "online: % diagnoses confirmed by agronomists, repeat usage / 30d,\n"
           "        yield-loss reports from extension officers", fs=16, family=1)
    s.dump(os.path.join(OUT, "crop_disease_careless.excalidraw"),
           source="https://marketplace.visualstudio.com/items?itemName=pomdtr.excalidraw-editor")


if __name__ == "__main__":
    fleet_pm()
    restaurant_wait()
    crop_disease()
    print("ok")
