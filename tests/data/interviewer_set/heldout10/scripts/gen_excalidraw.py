#!/usr/bin/env python3
"""Generate the three .excalidraw sketches of review_heldout10 (stdlib only)."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from exlib import Scene

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
YELLOW, BLUE, GREEN, RED, GREY = "#ffec99", "#a5d8ff", "#b2f2bb", "#ffc9c9", "#e9ecef"


def return_abuse():
    S = Scene(1010)
    B = {}
    FM = S.frame(0, -330, 1980, 280, "Monitoring")
    FA = S.frame(0, 0, 1500, 380, "Online – return request (p99 < 80 ms)")
    FD = S.frame(1560, 0, 420, 380, "Review ops (LP team, 8 h SLA)")
    FB = S.frame(480, 440, 1000, 280, "Feature pipelines – one definition each → Feast online + offline")
    FE = S.frame(1560, 440, 420, 280, "Outcomes (arrive 3–14 days later)")
    FC = S.frame(0, 780, 1980, 260, "Offline training – Airflow, weekly Mon 02:00")
    fa, fb, fc, fd, fe, fm = (f["id"] for f in (FA, FB, FC, FD, FE, FM))

    def box(k, x, y, w, h, label, fr, fs=16, bg="transparent"):
        B[k] = S.shape(x, y, w, h, label, frame=fr, fs=fs, bg=bg)["id"]

    # online
    box("app", 10, 80, 170, 70, "Customer app\n(start a return)", fa)
    box("api", 290, 80, 180, 70, "Returns API\n(Kotlin svc)", fa)
    box("scorer", 560, 70, 220, 90, "Return-risk scorer\nLightGBM: p(abusive)", fa, bg=BLUE)
    box("policy", 880, 60, 280, 110, "Decision policy\n(thresholds in config)\ninstant refund / on receipt\n/ LP review; 2% control", fa, fs=14)
    box("dlog", 1260, 80, 200, 70, "decision_log (Kafka)\nscore, action, model_ver,\nfeatures as served", fa, fs=12)
    box("fallback", 290, 250, 180, 70, "Fallback rules:\nrefund on receipt", fa, bg=GREY)
    box("shadow", 880, 250, 280, 70, "Shadow challenger →\n10% canary (Statsig)", fa)
    box("refund", 1240, 250, 220, 70, "Refund / RMA service", fa)
    # review ops
    box("queue", 1600, 70, 340, 70, "LP review queue\n(Zendesk)", fd)
    box("verdicts", 1600, 180, 340, 70, "Investigator verdicts\n(abuse / not abuse)", fd)
    # feature pipelines
    box("feast", 530, 470, 280, 100, "Feast feature store\nonline: Redis\noffline: BigQuery", fb, bg=GREEN)
    box("flink", 900, 470, 250, 90, "Flink: return velocity\n(returns/7d, refund $/30d,\naddress reuse)", fb, fs=14)
    box("kafka", 1230, 480, 200, 70, "Kafka: order &\nreturn events", fb)
    box("spark", 900, 610, 250, 70, "Spark daily:\ncustomer history aggs", fb)
    box("odb", 1230, 610, 200, 70, "Orders DB\n(Postgres, CDC)", fb)
    # outcomes
    box("inspect", 1600, 490, 340, 90, "Warehouse inspection\n(missing / swapped / used item)", fe)
    # offline training
    box("join", 1480, 830, 260, 80, "Label join\n(point-in-time, 30 d)", fc)
    box("ge", 1180, 830, 230, 80, "Great Expectations\nchecks", fc)
    box("train", 880, 820, 240, 100, "LightGBM training\n(Optuna sweep,\nMLflow tracking)", fc)
    box("eval", 560, 820, 260, 100, "Eval gate vs prod:\nPR-AUC, $ caught @ 1%\nreview, per category", fc)
    box("reg", 300, 830, 220, 80, "MLflow registry\n(staging → prod)", fc)
    # monitoring
    box("dd", 560, -240, 220, 90, "Datadog APM\n(p99, 5xx, timeouts)", fm)
    box("pager", 900, -240, 240, 90, "PagerDuty → on-call", fm, bg=RED)
    box("evid", 1240, -240, 300, 90, "Evidently: feature +\nscore drift vs training", fm)
    box("act", 1620, -240, 300, 90, "Action-rate guard: caps on\nauto-refund / review rate", fm, fs=14)

    A = S.arrow
    A(B["app"], B["api"], "POST /returns")
    A(B["api"], B["scorer"], "score")
    A(B["scorer"], B["policy"])
    A(B["api"], B["fallback"], "scorer timeout / 5xx", dashed=True)
    A(B["policy"], B["dlog"], start=(1165, 100))
    A(B["policy"], B["refund"], start=(1165, 140))
    A(B["policy"], B["queue"], "review band", via=[(1020, 20), (1770, 20)])
    A(B["queue"], B["verdicts"])
    A(B["refund"], B["inspect"], "item received")
    A(B["shadow"], B["scorer"], "mirrors traffic", end=(760, 165))
    A(B["feast"], B["scorer"], end=(700, 165))
    A(B["kafka"], B["flink"])
    A(B["flink"], B["feast"], end=(815, 495))
    A(B["odb"], B["kafka"])
    A(B["odb"], B["spark"])
    A(B["spark"], B["feast"], via=[(850, 645)], end=(815, 545))
    A(B["feast"], B["join"], "features as of decision time", via=[(670, 750), (1610, 750)])
    A(B["inspect"], B["join"], end=(1690, 825))
    A(B["verdicts"], B["join"], via=[(2010, 215), (2010, 870)])
    A(B["join"], B["ge"])
    A(B["ge"], B["train"])
    A(B["train"], B["eval"])
    A(B["eval"], B["reg"], "pass")
    A(B["reg"], B["scorer"], "prod alias", start=(360, 825), via=[(360, 420)], end=(620, 165))
    A(B["reg"], B["shadow"], "challenger", start=(470, 825), via=[(470, 410), (1020, 410)])
    A(B["scorer"], B["dd"])
    A(B["dlog"], B["evid"], start=(1330, 75))
    A(B["dlog"], B["act"], start=(1420, 75))
    A(B["dd"], B["pager"])
    A(B["evid"], B["pager"])
    A(B["act"], B["pager"], via=[(1770, -290), (1020, -290)])

    S.text(0, 1080, "Requirements\n"
           "- ~40k return requests/day, peak 15 rps; decision p99 < 80 ms\n"
           "- goal: cut refund-abuse loss (~$12M/yr) without slowing refunds\n"
           "  for good customers\n"
           "Task: binary classification p(abusive return | request, history)\n"
           "Label: inspection finds item missing / swapped / used within 14 d,\n"
           "  or investigator confirms abuse; 2% control slice = unbiased labels", 16)
    S.text(1000, 1080, "Metrics\n"
           "offline: PR-AUC, recall and $ caught at 1% review rate,\n"
           "  per product category\n"
           "online: abuse $ per 1k returns, instant-refund rate (good-customer\n"
           "  friction), LP queue SLA, appeal overturn rate", 16)
    S.dump(os.path.join(OUT, "return_abuse_frames.excalidraw"))


def lecture_chapters():
    S = Scene(2020)
    B = {}

    def box(k, x, y, w, h, label, fs=16, bg="transparent"):
        B[k] = S.shape(x, y, w, h, label, fs=fs, bg=bg)["id"]

    box("sfn", 320, -80, 250, 70, "AWS Step Functions\n(nightly 01:00)", bg=GREY)
    box("uploads", 40, 100, 200, 80, "Lecture uploads\n(S3, raw mp4)")
    box("ffmpeg", 320, 100, 170, 80, "ffmpeg\naudio extract")
    box("asr", 570, 95, 240, 90, "Whisper large-v3 ASR\n(pretrained, as-is)\nGPU batch", bg=BLUE)
    box("tx", 890, 100, 200, 80, "transcripts\n(Postgres)")
    box("seg", 1170, 95, 220, 90, "Topic segmenter\n(fine-tuned BERT)", bg=BLUE)
    box("titler", 1470, 90, 250, 100, "Chapter titler\nLlama-3-8B-Instruct\n(prompted, vLLM)", bg=BLUE)
    box("chap", 1800, 100, 200, 80, "chapters table\n(Postgres)")
    box("papi", 1800, 320, 200, 80, "Video player API")
    box("student", 1800, 520, 200, 80, "Student web player")
    box("events", 1440, 520, 250, 80, "player events\n(Kinesis → S3)")
    box("editor", 1470, 320, 250, 80, "Chapter editor UI\n(instructors fix)")
    box("labels", 1170, 330, 220, 70, "edited chapters\n(label table)")
    box("train", 890, 320, 200, 90, "SageMaker training\njob (run by hand)")
    box("eval", 570, 330, 240, 80, "Eval: Pk / WindowDiff\nvs TextTiling & prod")
    box("reg", 320, 330, 190, 80, "SageMaker\nModel Registry")
    box("n_req", 40, 520, 400, 150, "NOTE – requirements\n~3,000 lecture hours/day (peak in exams)\n"
        "chapters ready by 07:00 (students watch\nin the morning); GPU budget 40 A10G-h/night", bg=YELLOW)
    box("n_met", 480, 520, 520, 150, "NOTE – metrics\noffline: WER on 200 sampled min/week, Pk,\n"
        "WindowDiff vs instructor edits\nonline: chapter-click rate, seek-backs per\n"
        "view, % of videos instructors edit", bg=YELLOW)
    box("n_task", 1040, 520, 390, 150, "Task: per-sentence boundary\nclassification + LLM title per chapter\n"
        "Label: instructor-edited boundaries\n(edits after publish)", bg=YELLOW)

    A = S.arrow
    A(B["sfn"], B["ffmpeg"], "start batch")
    A(B["uploads"], B["ffmpeg"])
    A(B["ffmpeg"], B["asr"])
    A(B["asr"], B["tx"])
    A(B["tx"], B["seg"])
    A(B["seg"], B["titler"], "segments")
    A(B["titler"], B["chap"])
    A(B["chap"], B["papi"], "read chapters")
    A(B["papi"], B["student"])
    A(B["student"], B["events"], "clicks, seeks")
    A(B["chap"], B["editor"], start=(1840, 185))
    A(B["editor"], B["labels"])
    A(B["labels"], B["train"])
    A(B["tx"], B["train"], "transcripts")
    A(B["train"], B["eval"])
    A(B["eval"], B["reg"])
    A(B["reg"], B["seg"], "deploy approved version", via=[(415, 250), (1280, 250)])
    S.dump(os.path.join(OUT, "lecture_chapters_asr.excalidraw"))


def parcel_damage():
    S = Scene(3030)
    B = {}

    def box(k, x, y, w, h, label, kind="rectangle", fs=16):
        B[k] = S.shape(x, y, w, h, label, kind=kind, fs=fs, loose=True)["id"]

    box("cam", 40, 120, 190, 90, "Conveyor camara\n(4K, line 3)", kind="ellipse", fs=14)
    box("grab", 300, 125, 170, 80, "Frame grabber")
    box("det", 560, 115, 240, 100, "YOLOv8 damage\ndetecter (Jetson Orin)")
    box("dia", 880, 105, 200, 120, "damaged?", kind="diamond")
    box("divert", 1160, 20, 200, 80, "Divert to\nrework lane")
    box("plc", 1160, 220, 200, 80, "Sortation PLC")
    box("wms", 1160, 400, 200, 80, "Parcel DB (WMS)")
    box("dash", 300, 380, 200, 80, "Ops dashbord")

    A = lambda a, b, lab=None, gap=11: S.arrow(B[a], B[b], lab, bound=False, short=gap)
    A("cam", "grab", gap=12)
    A("grab", "det", "frames", gap=9)
    A("det", "dia", gap=13)
    A("dia", "divert", "yes", gap=10)
    A("dia", "plc", "no", gap=14)
    A("plc", "wms", "scan + status", gap=8)
    S.text(40, 540, "needs to be fast!! (before the diverter)\nshould catch most damaged boxes\n"
           "TODO: false alarms? night shift lighting?", 16)
    S.text(560, 20, "damage detection v1 - sorting hub", 20)
    S.dump(os.path.join(OUT, "parcel_damage_sketch.excalidraw"))


if __name__ == "__main__":
    return_abuse(); lecture_chapters(); parcel_damage()
    print("wrote 3 .excalidraw files")
