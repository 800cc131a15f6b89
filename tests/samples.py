"""The Excalidraw sample sketches in sample_diagrams/, as code.

`python tests/samples.py` rewrites them; a test checks the committed files still match,
so a sample is never edited in one place and not the other. Positions are laid out
by hand, as a person drawing in the app would.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from diagramcheck.writers.excalidraw import SceneBuilder  # noqa: E402

COL, ROW = 230, 130


def at(col: float, row: float) -> tuple[float, float]:
    return (col * COL, row * ROW)


def recommendation() -> dict:
    """YouTube-style video recommendations: frames, bound labels and arrows, one unbound arrow."""
    s = SceneBuilder(seed=11)
    s.text("Video recommendations (home feed)", 0, -170, font_size=28)
    s.text("Requirements: 2B users, 500M DAU, 100k QPS at peak, p99 < 200 ms\n"
           "Task: multi-task ranking, P(watch > 50%) and P(like) per candidate video\n"
           "Label: positive = watched > 50% within 24 h of the impression\n"
           "Metrics: offline recall@100, NDCG@20; online watch time per session, CTR",
           0, -120, font_size=16)
    online = s.frame("Online serving", -30, 20, 5 * COL + 20, 2 * ROW + 110)
    offline = s.frame("Offline training", -30, 3 * ROW + 40, 5 * COL + 20, 2 * ROW + 110)
    user = s.box("User (mobile app)", *at(0, 0.5), frame=online)
    api = s.box("API gateway", *at(1, 0.5), frame=online)
    cg = s.box("Candidate generation (two-tower)", *at(2, 0.5), frame=online)
    ann = s.box("ANN index (FAISS)", *at(2, 1.6), frame=online, shape="ellipse")
    rank = s.box("Ranking model (multi-task)", *at(3, 0.5), frame=online)
    rerank = s.box("Re-ranking (diversity, freshness)", *at(4, 0.5), frame=online)
    ofs = s.box("Online feature store (Redis)", *at(3, 1.6), frame=online)
    mon = s.box("Model monitoring", *at(4, 1.6), frame=online)
    logs = s.box("Impression & watch logs", *at(0, 3.6), frame=offline)
    kafka = s.box("Kafka", *at(0, 4.8), frame=offline)
    lake = s.box("Data lake (S3)", *at(1, 4.8), frame=offline)
    fp = s.box("Feature pipeline (Spark)", *at(1, 3.6), frame=offline)
    offs = s.box("Offline feature store", *at(2, 3.6), frame=offline)
    train = s.box("Training (PyTorch)", *at(3, 3.6), frame=offline)
    evaluation = s.box("Offline evaluation", *at(3, 4.8), frame=offline)
    registry = s.box("Model registry", *at(4, 4.8), frame=offline)
    airflow = s.box("Airflow", *at(4, 3.6), frame=offline)
    s.arrow(user, api)
    s.arrow(api, cg)
    s.arrow(ann, cg)
    s.arrow(cg, rank)
    s.arrow(ofs, rank)
    s.arrow(rank, rerank)
    s.arrow(rerank, api, label="top 20")
    s.arrow(api, logs, label="impressions, watches")
    s.arrow(logs, kafka)
    s.arrow(kafka, lake)
    s.arrow(lake, fp)
    s.arrow(fp, offs)
    s.arrow(offs, ofs, label="materialize")
    s.arrow(offs, train)
    s.arrow(train, evaluation)
    s.arrow(evaluation, registry)
    s.arrow(registry, rank, label="deploy")
    s.arrow(registry, cg)
    s.arrow(airflow, train)
    # drawn without snapping (Ctrl held): attached by geometry only
    rx, ry = rank["x"] + rank["width"] / 2 + 40, rank["y"] + rank["height"]
    s.arrow(None, None, bound=False, start=(rx, ry + 4), end=(mon["x"] + 30, mon["y"] - 3))
    return s.scene()


def search_ranking() -> dict:
    """Product search: zones drawn as dashed rectangles with titles above them."""
    s = SceneBuilder(seed=23)
    s.text("E-commerce product search", 0, -150, font_size=28)
    s.text("Requirements: 50M products, 20k QPS, p95 < 150 ms\n"
           "Metrics: offline NDCG@10; online CTR and add-to-cart rate", 0, -105, font_size=16)
    s.text("Query path", 0, 5, font_size=20)
    s.box("", -20, 40, 4 * COL + 20, 2 * ROW + 40, dashed=True)
    s.text("Indexing & training", 0, 3 * ROW - 5, font_size=20)
    s.box("", -20, 3 * ROW + 30, 4 * COL + 20, 2 * ROW + 40, dashed=True)
    shopper = s.box("Shopper", *at(0, 0.5))
    api = s.box("Search API", *at(1, 0.5))
    qu = s.box("Query understanding", *at(2, 0.5))
    retrieval = s.box("Retrieval (BM25 + embeddings)", *at(3, 0.5))
    index = s.box("Elasticsearch index", *at(3, 1.6), shape="ellipse")
    ranker = s.box("LTR ranker (LambdaMART)", *at(2, 1.6))
    cache = s.box("Result cache", *at(1, 1.6))
    logs = s.box("Search logs (query, results, clicks, positions)", *at(0, 3.5), w=200, h=90)
    lake = s.box("Data lake", *at(1, 3.5))
    train = s.box("Training", *at(2, 3.5))
    catalog = s.box("Product catalog", *at(3, 3.5), shape="ellipse")
    indexer = s.box("Indexing job", *at(3, 4.6))
    monitoring = s.box("Grafana dashboards", *at(0, 4.6))
    alerting = s.box("PagerDuty", *at(1, 4.6))
    s.arrow(shopper, api)
    s.arrow(api, qu)
    s.arrow(qu, retrieval)
    s.arrow(index, retrieval)
    s.arrow(retrieval, ranker)
    s.arrow(ranker, api, label="ranked results")
    s.arrow(cache, api, heads=("arrow", "arrow"))
    s.arrow(api, logs)
    s.arrow(logs, lake)
    s.arrow(lake, train)
    s.arrow(train, ranker, label="new model")
    s.arrow(catalog, indexer)
    s.arrow(indexer, index)
    s.arrow(catalog, ranker, label="product features")
    s.arrow(logs, monitoring)
    s.arrow(monitoring, alerting)
    return s.scene()


def rag_chatbot() -> dict:
    """Help-center RAG assistant: icons with captions, a frame, free notes."""
    s = SceneBuilder(seed=37)
    s.text("Help-center assistant (RAG)", 0, -150, font_size=28)
    s.text("Requirements: 5k support questions/day, answer in < 3 s, cite sources\n"
           "Task: retrieval-augmented generation over help-center articles\n"
           "Metrics: offline faithfulness and answer relevance (Ragas); online resolution rate, CSAT",
           0, -110, font_size=16)
    online = s.frame("Request path", -30, 20, 5 * COL + 20, 2 * ROW + 100)
    user = s.box("Customer (chat widget)", *at(0, 0.5), frame=online)
    api = s.box("Chat API", *at(1, 0.5), frame=online)
    embed = s.box("Embedding model (e5)", *at(2, 0.5), frame=online)
    retriever = s.box("Retriever (top-k)", *at(3, 0.5), frame=online)
    reranker = s.box("Cross-encoder reranker", *at(3, 1.6), frame=online)
    # an icon: a plain ellipse with its caption written underneath, as people draw logos
    llm = s.box("", at(4, 0.45)[0] + 40, at(4, 0.45)[1], 90, 90, shape="ellipse", frame=online)
    s.text("LLM", llm["x"] + 28, llm["y"] + 100, frame=online)
    vdb = s.box("Vector DB (pgvector)", *at(2, 1.6), shape="ellipse", frame=online)
    traces = s.box("Trace log", *at(1, 1.6), frame=online)
    langfuse = s.box("Langfuse", *at(0, 1.6), frame=online)
    docs = s.box("Help-center articles", *at(0, 3.6))
    chunk = s.box("Parse & chunk", *at(1, 3.6))
    s.arrow(user, api)
    s.arrow(api, embed, label="query")
    s.arrow(embed, retriever)
    s.arrow(vdb, retriever)
    s.arrow(retriever, reranker)
    s.arrow(reranker, llm, label="context")
    s.arrow(api, llm, label="prompt")
    s.arrow(llm, api, label="answer + citations")
    s.arrow(llm, traces)
    s.arrow(traces, langfuse)
    s.arrow(docs, chunk)
    s.arrow(chunk, embed)
    s.arrow(embed, vdb)
    return s.scene()


def generic_churn() -> dict:
    """A weak first answer: a bare 'Model' box and little else."""
    s = SceneBuilder(seed=41)
    s.text("Customer churn prediction", 0, -100, font_size=28)
    s.text("Predict which subscribers cancel next month", 0, -55, font_size=16)
    db = s.box("Customer DB", *at(0, 0))
    notebook = s.box("Jupyter notebook", *at(1, 0))
    model = s.box("Model", *at(2, 0))
    crm = s.box("CRM dashboard", *at(3, 0))
    s.box("Monitoring", *at(2, 1.2))
    s.arrow(db, notebook, label="export CSV")
    s.arrow(notebook, model)
    s.arrow(db, model)
    s.arrow(model, crm, label="churn scores")
    return s.scene()


def fraud_detection() -> dict:
    """Card-payment fraud scoring, saved as an Obsidian drawing."""
    s = SceneBuilder(seed=53)
    s.text("Real-time card fraud detection", 0, -150, font_size=28)
    s.text("Requirements: 3k transactions/s, decision in < 100 ms\n"
           "Task: binary classification, P(fraud | transaction, card history)\n"
           "Metrics: offline PR-AUC, recall at 0.1% FPR; online fraud loss, false decline rate",
           0, -110, font_size=16)
    online = s.frame("Online", -30, 20, 5 * COL + 20, 2 * ROW + 100)
    offline = s.frame("Offline", -30, 3 * ROW + 20, 5 * COL + 20, 2 * ROW + 100)
    terminal = s.box("Payment terminal", *at(0, 0.5), frame=online)
    gateway = s.box("Payment gateway", *at(1, 0.5), frame=online)
    model = s.box("Fraud model (XGBoost)", *at(2, 0.5), frame=online)
    decision = s.box("Decision engine (approve / challenge / decline)", *at(3, 0.5), w=200, h=90, frame=online)
    online_fs = s.box("Online features (Redis)", *at(2, 1.6), frame=online)
    flink = s.box("Flink velocity features", *at(1, 1.6), frame=online)
    monitor = s.box("Prometheus", *at(4, 1.6), frame=online)
    kafka = s.box("Kafka transactions", *at(0, 3.5), frame=offline)
    lake = s.box("Data lake", *at(1, 3.5), frame=offline)
    chargebacks = s.box("Chargebacks (label joiner)", *at(1, 4.6), frame=offline)
    fp = s.box("Feature pipeline", *at(2, 3.5), frame=offline)
    offline_fs = s.box("Offline feature store", *at(2, 4.6), frame=offline)
    train = s.box("Training", *at(3, 3.5), frame=offline)
    evaluation = s.box("Backtesting", *at(3, 4.6), frame=offline)
    registry = s.box("MLflow registry", *at(4, 3.5), frame=offline)
    s.arrow(terminal, gateway)
    s.arrow(gateway, model)
    s.arrow(online_fs, model)
    s.arrow(model, decision, label="score")
    s.arrow(decision, gateway, label="decision")
    s.arrow(gateway, kafka)
    s.arrow(kafka, flink)
    s.arrow(flink, online_fs)
    s.arrow(kafka, lake)
    s.arrow(lake, fp)
    s.arrow(fp, offline_fs)
    s.arrow(offline_fs, online_fs, label="materialize")
    s.arrow(flink, offline_fs)
    s.arrow(chargebacks, lake)
    s.arrow(offline_fs, train)
    s.arrow(train, evaluation)
    s.arrow(evaluation, registry)
    s.arrow(registry, model)
    s.arrow(model, monitor)
    return s.scene()


def obsidian_note(scene: dict, title: str) -> str:
    import lzstring  # only needed to regenerate the sample

    texts = [e for e in scene["elements"] if e["type"] == "text"]
    entries = "\n\n".join(f"{t['originalText']} ^{t['id']}" for t in texts)
    payload = lzstring.LZString().compressToBase64(json.dumps(scene, indent="\t"))
    chunks = "\n\n".join(payload[i : i + 256] for i in range(0, len(payload), 256))
    return (
        "---\n\nexcalidraw-plugin: parsed\ntags: [excalidraw]\n\n---\n"
        "==⚠  Switch to EXCALIDRAW VIEW in the MORE OPTIONS menu of this document. ⚠== "
        "You can decompress Drawing data with the command palette: 'Decompress current Excalidraw file'.\n\n"
        f"# {title}\nPractice answer, week 3.\n\n"
        f"# Excalidraw Data\n\n## Text Elements\n{entries}\n\n%%\n## Drawing\n```compressed-json\n{chunks}\n```\n%%"
    )


def render_all() -> dict[str, str]:
    dump = lambda scene: json.dumps(scene, indent=2, ensure_ascii=False) + "\n"  # noqa: E731
    return {
        "recommendation.excalidraw": dump(recommendation()),
        "search_ranking.excalidraw": dump(search_ranking()),
        "rag_chatbot.excalidraw": dump(rag_chatbot()),
        "generic_churn.excalidraw": dump(generic_churn()),
        "fraud_detection.excalidraw.md": obsidian_note(fraud_detection(), "Fraud detection") + "\n",
    }


if __name__ == "__main__":
    out = ROOT / "sample_diagrams"
    for name, text in render_all().items():
        (out / name).write_text(text, encoding="utf-8")
        print("wrote", out / name)
