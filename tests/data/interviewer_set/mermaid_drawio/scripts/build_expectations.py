#!/usr/bin/env python3
"""Build expectations.toml for review_heldout2 from the judgements below.

Checks: every fixed rule id (CONTRACT.md section 3) is in exactly one list per sketch, only
ids from /work/sets/rule_catalog.md are used, no id is in two lists, every file exists, and
the output parses with tomllib.
"""
import pathlib, re, tomllib

HERE = pathlib.Path(__file__).resolve().parent.parent
CATALOG = pathlib.Path("/work/sets/rule_catalog.md")

FIXED = ["requirements-stated", "metrics-stated", "request-path", "orphan-component",
         "unrecognized-component", "data-logging", "label-source", "feature-store",
         "training-serving-skew", "model-registry", "offline-evaluation", "ab-testing",
         "fallback", "orchestration", "serving-monitoring", "drift-detection", "alerting",
         "feedback-loop", "nothing-to-review"]

S = []


def add(**kw):
    S.append(kw)


ALL_OK = [r for r in FIXED if r != "unrecognized-component"]

# ---------------------------------------------------------------- 01
add(file="01_music_home_recs.mmd",
    title="Music streaming home-shelf recs (Mermaid): two-tower + ScaNN, DCN ranker, re-ranker with 5% exploration, Feast fed by Flink + Spark, impression/play/skip log as labels, Airflow, 'MLflow', Eppo A/B, Monitoring subgraph with Grafana + Evidently + PagerDuty",
    problem="recommendation", strength="strong", serving="online", classic=True,
    must_flag=[],
    must_not_flag=ALL_OK + ["deploy-path", "training-data", "candidate-generation", "reranking-layer",
        "impression-logging", "realtime-features", "vector-index", "index-refresh", "exploration",
        "serving-cache", "cold-start", "retraining-trigger", "online-offline-split",
        "point-in-time-features", "label-defined", "metrics-logged", "no-batch-on-request-path"],
    debatable=["unrecognized-component", "data-validation", "experiment-tracking", "cicd", "label-monitoring"],
    reasoning="""A complete senior recsys answer. The 'Requirements + metrics' subgraph holds three text nodes: scale and latency (80M DAU, 40k req/s, p99 150 ms, new releases within a day), offline (recall@200, NDCG@20, logloss) and online A/B metrics (streams per user, skip rate, D7 retention), and the label (stream > 30 s vs skip). They are notes, not orphan boxes.
Request path: app -> API gw -> home-feed svc -> two-tower retrieval -> ScaNN -> DCN ranker (features from Feast online) -> re-rank (artist diversity, explicit filter, 5% exploration) -> service, with a shelf cache in Redis and 'top charts per country' as the timeout / new-user fallback. Eppo assigns variants at the service.
Features: Flink session features go to both Feast online and offline, Spark daily features go to Feast offline and are materialised online, and the trainer reads a point-in-time set from Feast offline - one computation for both sides, no skew.
Logging and loop: impressions with position and model version, plays and skips go to Kafka -> Iceberg -> label join -> training -> eval gate -> 'MLflow' (no word 'registry', but MLflow between eval and deploy is the registry) -> ranker and query tower; the track tower re-embeds the catalogue and rebuilds the index after each new model, so index and query tower stay in sync. Airflow edges are dotted triggers.
Monitoring is a titled subgraph: Grafana watches the service and ranker, Evidently compares features and scores with the training window and can trigger retraining, both page. Nothing fixed should fire; data validation, experiment tracking and CI/CD are senior-plus follow-ups.""")

# ---------------------------------------------------------------- 02
add(file="02_prepaid_churn_batch.mmd",
    title="Prepaid telco churn, batch only (Mermaid): Fivetran -> Snowflake -> Great Expectations -> dbt features shared by training and nightly scoring, LightGBM, backtest gate, MLflow registry, churn_scores table -> Braze with 10% holdout, last-good partition, Evidently + Slack",
    problem="generic", strength="strong", serving="batch", classic=False,
    must_flag=[],
    must_not_flag=ALL_OK + ["serving-cache", "batch-output-lookup", "no-batch-on-request-path",
        "data-validation", "deploy-path", "training-data", "label-defined", "delayed-labels",
        "metrics-logged", "online-offline-split", "realtime-features"],
    debatable=["unrecognized-component", "retraining-trigger", "label-monitoring", "cicd", "experiment-tracking"],
    reasoning="""A batch-only design done properly. Notes give scale and SLA (12M subscribers scored nightly, ready by 05:00), the label (no top-up and no usage for 30 days after the score date) and metrics (PR-AUC, top-decile lift, calibration offline; churn rate treated vs a 10% random holdout and campaign ROI online).
Nothing is served per request: Braze reads a scores table, so request-path, request-time features, caching and feature-store rules do not apply. One set of dbt models (features_v3, 'same SQL for training + scoring') feeds both training and scoring - no second code path. The batch fallback is answered: the last good partition (D-1) is used if tonight's run fails.
Training waits for the 30-day window to close before labelling, passes a 3-month backtest against the production model, and only then is promoted in the MLflow registry that the nightly scorer loads. Offers sent are logged back to Snowflake and subscribers' top-ups flow back into billing -> Snowflake -> labels: the loop is closed with delayed outcomes. The 10% no-offer holdout is the online experiment.
Airflow triggers features, training and scoring (dotted control edges); Great Expectations checks inputs; the 'Monitoring' subgraph has Evidently on scores and features, alerting Slack. Nothing fixed should fire.""")

# ---------------------------------------------------------------- 03
add(file="03_card_fraud_zones.drawio",
    title="Card-not-present fraud at checkout (draw.io swimlanes Online / Streaming / Offline / Monitoring): XGBoost scorer + decision engine with a 0.5% control slice, Tecton online/offline fed by Flink, chargebacks + analyst verdicts as labels, SageMaker registry, shadow challenger; monitoring boxes named only by what they watch, inside the 'Monitoring' lane",
    problem="fraud-detection", strength="strong", serving="online", classic=True,
    must_flag=[],
    must_not_flag=ALL_OK + ["decision-layer", "human-review", "human-labels", "realtime-features",
        "delayed-labels", "data-validation", "retraining-trigger", "deploy-path", "training-data",
        "label-defined", "selective-labels", "action-limits", "point-in-time-features",
        "online-offline-split", "metrics-logged", "exploration"],
    debatable=["unrecognized-component", "experiment-tracking", "cicd", "label-monitoring"],
    reasoning="""Strong fraud answer. The text cell at the top states load and latency (3k TPS, 10k peak, p99 60 ms inside checkout, 0.3% base rate) and offline (PR-AUC, recall at 1% FPR, $-weighted recall) plus online metrics (chargeback bps, false declines, review rate).
Online lane: checkout -> Payments API -> risk scoring (features from Tecton online) -> decision engine (approve / 3DS / decline / review) -> API. A rules-only fallback takes over on scorer timeout, the review band goes to analysts, and 0.5% of would-be declines are let through as a control so declined traffic still gets ground truth (selective labels answered).
Features: Flink velocity windows write both Tecton online and offline; batch features pass Great Expectations into Tecton offline and are materialised online; training reads point-in-time features. No skew.
Labels: chargebacks from the PSP (30-90 days later) and analyst verdicts are joined in a 90-day maturity window with the prediction log (score, features, model_ver) -> training -> out-of-time backtest vs champion -> SageMaker Model Registry -> scorer, with a shadow challenger on mirrored traffic before promotion. The loop is closed with delayed labels.
Monitoring is the lane titled 'Monitoring': its boxes are named by what they watch ('p99 latency, error rate', 'score distribution PSI, feature drift vs train', 'decline / review rate limits') rather than by product, and the scorer and decision engine connect to the lane itself. That is monitoring of the serving path, drift detection and action limits; all reach 'on-call (PagerDuty)', drift triggers Airflow retraining and a rate spike trips the fallback. Nothing fixed should fire.""")

# ---------------------------------------------------------------- 04
add(file="04_food_eta_sharedlib.drawio",
    title="Food-delivery ETA (draw.io, titled rectangles drawn behind boxes): OSRM baseline + GBDT residual, shared 'eta_feats' python package instead of a feature store, served features logged and trained on, actual delivery times as labels, versioned S3 model store, canary + Eppo A/B, Monitoring zone with Datadog, live MAE, PSI, Opsgenie",
    problem="forecasting", strength="strong", serving="online", classic=False,
    must_flag=[],
    must_not_flag=ALL_OK + ["baseline-estimate", "segment-evaluation", "realtime-features",
        "delayed-labels", "label-monitoring", "retraining-trigger", "deploy-path", "training-data",
        "metrics-logged", "online-offline-split", "label-defined", "point-in-time-features", "task-stated"],
    debatable=["unrecognized-component", "data-validation", "experiment-tracking", "cicd"],
    reasoning="""A strong ETA answer drawn with titled rectangles behind the boxes (not draw.io containers). Notes: 25k QPS, p99 50 ms; offline MAE / P90 error by city x hour x distance and % late vs prod; online late-order rate, conversion and 'where is my order' contacts in an A/B.
Request path: app -> Order API -> ETA svc -> OSRM travel time (the baseline) -> GBDT residual model -> ETA svc -> API; on model timeout the fallback is OSRM time + the store's average prep time. Eppo splits traffic at the API and new models go out as a 5% canary.
There is no feature store, and none is needed: the 'eta_feats' package is the same transformation code imported by the service and the trainer, and the fresh signals (store load, courier supply from Flink via Redis) are logged as served in the prediction log and trained on - log and wait. No skew.
Labels are actual delivery times from order_delivered events, joined on order_id against the baseline; prediction log and outcomes -> S3 -> training -> backtest by city/hour vs prod -> 'model store (S3, versioned + stage tags)', which is a registry in all but name -> model. Loop closed with delayed outcomes; Airflow schedules weekly training and PSI drift can trigger it early.
Monitoring zone: Datadog on service and model, live MAE against actuals (label monitoring), PSI on served features, all to Opsgenie. Nothing fixed should fire.""")

# ---------------------------------------------------------------- 05
add(file="05_support_agent_tools.mmd",
    title="Customer-support LLM agent with tools (Mermaid): input/output guards, LangGraph loop on hosted gpt-4o, get_order / capped issue_refund with human approval / kb_search over pgvector with one pinned embedder, nightly + webhook ingestion, Langfuse traces -> golden set -> promptfoo eval in CI -> prompt registry, LaunchDarkly prompt A/B, human hand-off fallback, Grafana + topic drift + PagerDuty",
    problem="rag-llm", strength="strong", serving="online", classic=False,
    must_flag=[],
    must_not_flag=ALL_OK + ["grounding", "ingestion", "shared-embedder", "guardrails", "index-freshness",
        "eval-loop", "cicd", "human-labels", "deploy-path", "training-data", "latency-budget",
        "metrics-logged", "permission-aware-retrieval"],
    debatable=["unrecognized-component", "serving-cache", "index-refresh"],
    reasoning="""A strong agent design. The 'Requirements' subgraph states load, latency and cost (15k chats/day, 3 QPS, first token 2 s, p95 8 s, 5 cents per chat) and offline (task success on 400 replayed tickets, tool-call accuracy, faithfulness with human spot checks) plus online metrics (resolution without a human, CSAT, escalations, wrong refunds).
Request path: widget -> Chat API -> input guard (PII masking, injection classifier) -> LangGraph agent (bounded to 6 steps) <-> gpt-4o, with tools that are scoped and capped: get_order only for the logged-in customer, issue_refund capped at 50 USD with human approval above, kb_search embedding the query with the same pinned model used at ingestion and returning chunks to the agent (grounded). Output guard checks policy and groundedness; guard failures, LLM timeouts and repeated failures hand off to a human agent (the fallback). Help articles are public, so ACL-filtered retrieval is not needed; the customer-data tool is scoped.
Nothing is trained here - a hosted LLM and hosted embedder - so the trained-model rules (feature store, skew, registry, label source, retraining loop, training orchestration, offline evaluation between training and serving) have no premise and must stay silent. Their LLM counterparts are drawn: full traces in Langfuse, thumbs-down and escalations curated into a golden set, a promptfoo harness run by GitHub Actions on every prompt/tool PR, a git-tagged prompt/config registry that deploys to the agent, and a LaunchDarkly prompt A/B at the API.
Ingestion runs nightly and on the publish webhook (index freshness). Monitoring subgraph: Grafana on latency, cost, tool errors and escalations, a weekly topic-drift / refusal-rate monitor, both paging. Nothing fixed should fire; a cache is optional for a 3 QPS personalised agent.""")

# ---------------------------------------------------------------- 06
add(file="06_grocery_search.mmd",
    title="Grocery app search (Mermaid): BM25 top-500 -> LambdaMART with a Redis feature store fed by the same Spark job as training, click/ATC/purchase log as graded labels, SageMaker registry, weekly cron, ES-order fallback; offline metric only, no impressions, no A/B, no monitoring, orphan 'synonyms dict'",
    problem="search-ranking", strength="gappy", serving="online", classic=True,
    must_flag=["metrics-stated", "orphan-component", "ab-testing", "serving-monitoring", "drift-detection",
        "impression-logging", "relevance-labels"],
    must_not_flag=["requirements-stated", "request-path", "data-logging", "label-source", "feature-store",
        "training-serving-skew", "model-registry", "offline-evaluation", "fallback", "orchestration",
        "alerting", "feedback-loop", "nothing-to-review", "candidate-generation", "vector-index",
        "deploy-path", "training-data", "label-defined"],
    debatable=["unrecognized-component", "reranking-layer", "online-offline-split", "cold-start",
        "exploration", "human-labels", "metrics-logged", "serving-cache"],
    reasoning="""The core is sound: shopper -> search service -> query understanding -> Elasticsearch BM25 top 500 in the store -> LambdaMART -> service, with ES order as the timeout fallback. The ranker's Redis feature store is written by the same daily Spark job that writes the training features, so there is no skew and no feature-store gap. Clicks, add-to-cart and purchases go through Kinesis to S3 and become graded labels (1/2/3); training is evaluated on NDCG@10, registered in SageMaker and deployed, on a weekly cron - the loop is closed. Scale and latency are in the notes (5M SKUs x 300 stores, 3k QPS, p95 300 ms).
Gaps: the only metric is offline NDCG@10 - no online metric (conversion, add-to-cart rate, zero-result or reformulation rate); and nothing is A/B tested or interleaved before a new ranker ships. Only clicks are logged, not impressions with positions, so there are no clean negatives and no way to correct position bias; and labels are click-derived only, with no human relevance judgments to make NDCG trustworthy.
Nothing monitors the ranker or watches drift (catalogue, seasonality, promotions); alerting has no monitoring to hang from, so it should not be raised on its own. The 'synonyms dict' box is not connected: it belongs in query understanding or the ES analyzer - draw it or drop it.""")

# ---------------------------------------------------------------- 07
add(file="07_listing_moderation.mmd",
    title="Marketplace listing moderation (Mermaid): CLIP + XLM-R policy heads, threshold policy with auto-remove / human review / publish, hold-for-review fallback, mod_log in BigQuery, Vertex registry; trained once on a 2023 vendor set, moderator decisions never reach training, manual retraining, Grafana without alerts, no shadow, no drift or action limits",
    problem="content-moderation", strength="gappy", serving="online", classic=True,
    must_flag=["feedback-loop", "orchestration", "ab-testing", "drift-detection", "alerting", "action-limits"],
    must_not_flag=["requirements-stated", "metrics-stated", "request-path", "orphan-component",
        "data-logging", "label-source", "feature-store", "training-serving-skew", "model-registry",
        "offline-evaluation", "fallback", "serving-monitoring", "nothing-to-review", "decision-layer",
        "human-labels", "deploy-path", "training-data"],
    debatable=["unrecognized-component", "human-review", "selective-labels", "exploration",
        "label-monitoring", "retraining-trigger"],
    reasoning="""Good framing and a correct serving shape. Notes give volume and latency (4M listings + 10M images/day, 150/s, p95 500 ms before going live) and metrics per policy (PR-AUC, precision at the auto-remove threshold; prevalence from an audit sample and appeal overturn rate online). Listing API -> moderation svc -> multimodal classifier -> policy thresholds -> auto-remove / human review / publish, appeals into the queue, and 'hold listing for review' when the classifier is down. Scores and decisions are logged to BigQuery; training is evaluated and registered in Vertex before deployment. The model reads the listing itself, so no feature store or skew question arises.
The central gap: moderators' decisions land in a decisions DB that only feeds Looker; training reads a one-off 200k vendor set from 2023 and is run by hand. So the best labels the system produces never come back, the model is never refreshed, and in an adversarial domain it will decay - feedback loop and scheduled/triggered retraining are both missing.
Operations gaps: Grafana shows latency/QPS and Looker shows ops dashboards, but nothing alerts - in particular nothing caps or pages on a spike in auto-removals (a bad model can take down thousands of legitimate listings); nothing detects drift in what sellers post; and a new classifier goes live without shadow mode or a canary.
Human review exists, which is good; whether it counts as 'review whose decisions come back as labels' is the same gap as the loop, so I leave that rule open.""")

# ---------------------------------------------------------------- 08
add(file="08_push_send_time.mmd",
    title="Push notification send-time optimisation, nightly batch (Mermaid): hour-of-week features, 'opened within 60 min' labels from the send/open log, XGBoost, eval, MLflow, argmax-hour send_schedule table read by the scheduler, Airflow; no fallback for a missing schedule, no holdout, no monitoring, no exploration, orphan timezone svc",
    problem="generic", strength="gappy", serving="batch", classic=False,
    must_flag=["orphan-component", "ab-testing", "fallback", "serving-monitoring", "drift-detection", "exploration"],
    must_not_flag=["requirements-stated", "metrics-stated", "request-path", "data-logging", "label-source",
        "feature-store", "training-serving-skew", "model-registry", "offline-evaluation", "orchestration",
        "alerting", "feedback-loop", "nothing-to-review", "serving-cache", "no-batch-on-request-path",
        "batch-output-lookup", "deploy-path", "training-data", "label-defined"],
    debatable=["unrecognized-component", "data-validation", "retraining-trigger", "cold-start"],
    reasoning="""A sensible batch framing: score p(open within 1 h) for each of 24 send slots per user, pick the best hour, write send_schedule; the notification scheduler reads it. Requirements (30M MAU, 12M pushes/day, schedule by 23:00 UTC) and offline + online metrics (logloss/AUC; open rate, opt-out rate, DAU) are stated. One Spark feature table feeds training and scoring, labels come from the logged push_sent / push_opened events, and training -> eval -> MLflow -> scoring is triggered by Airflow; sends and opens flow back into the events store, so the loop is closed. Batch-only, so request-path, caching and feature-store rules do not apply.
Gaps an interviewer raises: there is no experiment - send-time optimisation must be compared against the current fixed send time on a randomised holdout, otherwise 'open rate went up' is not attributable. There is no batch fallback: if tonight's scoring fails, or a new user has no row, what hour does the scheduler use (last good schedule, a population default)? Nothing watches the schedule or the score distribution, or drift in activity patterns (DST, holidays).
The loop also teaches itself: opens are only ever observed at the hours the model chose, so without a little randomisation of send hours the model cannot learn that other hours would have worked (exploration). 'User timezone svc' floats unconnected - it clearly should feed the features or the scheduler.""")

# ---------------------------------------------------------------- 09
add(file="09_ads_ctr_pipeline.drawio",
    title="Ads pCTR (draw.io swimlanes Online / Offline): targeting -> DeepFM pCTR -> auction, Feast online/offline from one Flink job, impression/click log with 30-min click join, Airflow daily training, experiment platform, default-pCTR fallback, Grafana; model scp'd to serving with no eval or registry, online-only metrics, no drift or alerting",
    problem="ads-ctr", strength="gappy", serving="online", classic=True,
    must_flag=["metrics-stated", "model-registry", "offline-evaluation", "drift-detection", "alerting"],
    must_not_flag=["requirements-stated", "request-path", "orphan-component", "data-logging", "label-source",
        "feature-store", "training-serving-skew", "ab-testing", "fallback", "orchestration",
        "serving-monitoring", "feedback-loop", "nothing-to-review", "candidate-generation",
        "reranking-layer", "impression-logging", "realtime-features", "delayed-labels", "deploy-path",
        "training-data", "online-offline-split", "business-objective"],
    debatable=["unrecognized-component", "exploration", "retraining-trigger", "cold-start",
        "label-monitoring", "point-in-time-features"],
    reasoning="""The data side is right: ad server -> targeting candidates -> DeepFM pCTR (Feast online) -> auction (bid x pCTR, pacing) -> ad server; one Flink job writes CTR counters into both Feast online and offline, impressions with position and model version plus clicks go to Kafka -> HDFS -> a 30-minute click join -> daily TF training, scheduled by Airflow. A default pCTR covers model timeouts, an experiment platform splits traffic at the ad server, Grafana watches the model. Requirements (500k req/s, 15 ms pCTR budget) and the business goal are stated.
Gaps: the trained model is 'scp'd' straight from the trainer onto the serving hosts - no offline evaluation gate (log loss / AUC / calibration against the current model) and no registry, so there is no record of what is serving and no rollback; for ads a miscalibrated model moves revenue within minutes. Metrics are online-only (revenue, CTR, ROI): nothing says which offline metric decides a launch. Grafana has no alerting, and nothing watches feature or calibration drift (avg pCTR vs observed CTR per slice is the classic check).
The auction is the policy layer after the ranker, and the experiment platform is the A/B answer - those rules should not fire.""")

# ---------------------------------------------------------------- 10
add(file="10_bnpl_credit_risk.drawio",
    title="BNPL credit risk at checkout (draw.io, flat): bureau pull -> Java feature calc -> scorecard LR + XGB -> decision rules / manual underwriting; training re-derives features from monthly bureau snapshots in an analyst SQL script; 12-month bad flag as label, MLflow after model-risk sign-off; yearly manual refit, no monitoring, no challenger, no reject inference",
    problem="fraud-detection", strength="gappy", serving="online", classic=False,
    must_flag=["training-serving-skew", "feature-store", "ab-testing", "orchestration", "serving-monitoring",
        "drift-detection", "selective-labels", "action-limits"],
    must_not_flag=["requirements-stated", "metrics-stated", "request-path", "orphan-component", "data-logging",
        "label-source", "model-registry", "offline-evaluation", "fallback", "alerting", "feedback-loop",
        "nothing-to-review", "decision-layer", "delayed-labels", "label-defined", "deploy-path", "training-data"],
    debatable=["unrecognized-component", "human-review", "realtime-features", "point-in-time-features",
        "human-labels", "exploration", "retraining-trigger"],
    reasoning="""Credit risk is scored as 'fraud and risk'. The note is good: 200k applications/day, decision under 2 s, label = 90+ DPD within 12 months, Gini/KS/calibration offline and approval rate, 12-month bad rate and credit loss online. The decision flow is right: origination API -> bureau pull -> features -> PD model -> decision rules (cut-off, affordability, policy) -> approve / decline / refer, with referrals and bureau timeouts going to manual underwriting. Applications, scores, decisions and model version are stored in the Loans DB; loan performance gives the delayed label; training -> validation report -> model-risk sign-off -> MLflow -> model closes the loop (slowly).
The headline gap is skew: the Experian report is turned into features twice - by Java code inside the origination service at request time, and by an analyst's SQL script over monthly bureau snapshots for training. Two implementations of 'months since last delinquency' will disagree, and monthly snapshots are not the report the applicant was scored on. Fix: one feature definition used by both (a feature store or shared library), or log the served features and train on them.
Also missing: nothing monitors the live model - no PSI on scores and inputs, no approval-rate or referral-rate monitoring (an automated approve/decline with no action limits); the PSI in the validation report only compares the development sample. Refit is yearly and by hand, with no scheduled pipeline; there is no champion/challenger test for a new scorecard. And only approved applicants ever get a performance label: without reject inference or a small randomised approval slice, each retrain learns from a more and more selected population.""")

# ---------------------------------------------------------------- 11
add(file="11_metrics_anomaly.drawio",
    title="Anomaly detection on service metrics (draw.io, titled rectangles): Prometheus -> Kafka -> Flink rollups -> per-series z-score + isolation forest -> alert router -> PagerDuty, static thresholds as fallback, nightly Spark fit from Thanos rollups pushed in place; no notes, no backtest, no versioned params, orphan 'Incident DB (Jira)'",
    problem="generic", strength="gappy", serving="online", classic=False,
    must_flag=["requirements-stated", "metrics-stated", "orphan-component", "model-registry", "offline-evaluation"],
    must_not_flag=["request-path", "data-logging", "feature-store", "training-serving-skew", "fallback",
        "orchestration", "alerting", "nothing-to-review", "deploy-path", "training-data"],
    debatable=["unrecognized-component", "label-source", "ab-testing", "serving-monitoring", "drift-detection",
        "feedback-loop", "retraining-trigger", "label-monitoring"],
    reasoning="""A streaming design with no user request: metrics are scraped, rolled up in Flink and scored by the detector as they arrive, so request-path and request-time feature-store rules do not apply. The same Flink rollups feed the detector and (via Thanos) the nightly per-series fit, so there is one feature computation and no skew. Anomalies go to an alert router (dedupe, grouping) and PagerDuty/Slack and are logged to Elasticsearch; static thresholds keep paging when the detector lags or is down; Airflow schedules the nightly fit. Raising 'no alerting' on a system whose output is alerts would be wrong.
Gaps: there are no notes at all - how many series, what detection delay is acceptable, what alert volume on-call can take - and no metrics (precision/recall against past incidents, alerts per on-call shift, time-to-detect). The nightly fit pushes parameters 'in place' into the detector: no backtest on labelled past incidents before a new fit goes live and no versioned parameters to roll back to, so one bad fit can page every team at once.
'Incident DB (Jira)' is drawn but not connected. That is the interesting part: incidents and on-call 'false alarm' acks are exactly the labels this unsupervised system needs for evaluation and tuning. Whether the absence of supervised labels, a feedback loop from acks, shadow-running a new detector, or watching the detector's own alert rate must be raised is open for an unsupervised detector refit nightly on fresh data.""")

# ---------------------------------------------------------------- 12
add(file="12_pdf_chat_rag.mmd",
    title="'Chat with your PDFs' (Mermaid, weak): Streamlit -> LangChain RetrievalQA -> gpt-3.5-turbo with ChromaDB retrieval; PDFs split and embedded once; no notes, logging, guardrails, evals, monitoring or fallback",
    problem="rag-llm", strength="weak", serving="online", classic=True,
    must_flag=["requirements-stated", "metrics-stated", "data-logging", "serving-monitoring", "fallback",
        "guardrails", "eval-loop", "index-freshness"],
    must_not_flag=["request-path", "orphan-component", "label-source", "feature-store", "training-serving-skew",
        "model-registry", "offline-evaluation", "orchestration", "alerting", "feedback-loop",
        "nothing-to-review", "grounding", "ingestion", "deploy-path", "training-data"],
    debatable=["unrecognized-component", "ab-testing", "drift-detection", "shared-embedder",
        "permission-aware-retrieval", "serving-cache"],
    reasoning="""The tutorial RAG stack: Streamlit -> LangChain RetrievalQA -> gpt-3.5-turbo, with ChromaDB feeding the chain and PDFs split, embedded and stored. The chain reads the index and calls the LLM, so the answer is grounded, and the ingestion steps are there. Every box is connected.
As a system design it stops there. No scale, latency or cost notes and no metrics (retrieval recall, faithfulness, answer quality, user satisfaction). Nothing is logged - no questions, retrieved chunks or answers - so there is nothing to evaluate, monitor or improve from; no golden set or feedback turning into evals; no input/output guardrails (prompt injection through the PDFs themselves, hallucinated answers); no answer when OpenAI is slow or down; and the PDFs are embedded once, so the index goes stale when documents change.
Nothing is trained (hosted LLM and embeddings), so the trained-model rules (feature store, skew, registry, offline evaluation gate, training orchestration, label source, retraining loop) must not fire; alerting has no monitoring to hang from. The query side's embedding model is not drawn, so a shared-embedder finding is arguable either way.""")

# ---------------------------------------------------------------- 13
add(file="13_movie_recs.mmd",
    title="Movie recommender (Mermaid, weak): MovieLens csv -> pandas -> Surprise SVD -> model.pkl -> Flask /recommend <-> React, Postgres users/movies; trained once, nothing logged, no eval, registry, monitoring, fallback or notes",
    problem="recommendation", strength="weak", serving="online", classic=True,
    must_flag=["requirements-stated", "metrics-stated", "data-logging", "model-registry", "offline-evaluation",
        "ab-testing", "fallback", "orchestration", "serving-monitoring", "drift-detection", "feedback-loop",
        "impression-logging", "cold-start", "metrics-logged"],
    must_not_flag=["request-path", "orphan-component", "feature-store", "training-serving-skew", "alerting",
        "nothing-to-review", "deploy-path", "training-data"],
    debatable=["unrecognized-component", "label-source", "candidate-generation", "reranking-layer", "exploration"],
    reasoning="""The course-project answer: MovieLens ratings -> pandas -> Surprise SVD -> model.pkl -> Flask /recommend, called by a React front end, with Postgres for users and movies. It is connected and it serves, but it is a notebook put behind an API.
Nothing the app shows or the user does is logged, so there are no fresh ratings, no impressions, no online metric and no way back to training: the model is trained once on a public dump. There is no offline evaluation (RMSE / recall@k / NDCG on a time split), the pickle is a file rather than a versioned registry, training is not scheduled, no A/B test, no monitoring or drift watch, and no notes (how many users and titles, latency, what 'good' means).
A new user or a new movie has no factors: with no fallback (popular titles) the endpoint returns nothing or fails - cold start is the question an interviewer asks first for MF.
The model reads no computed features (Postgres is user/movie metadata for display), so feature-store and skew do not apply, and alerting has no monitoring to hang from. The ratings csv does contain explicit labels, so 'no label source' is arguable; the real gap is that labels never refresh.""")

# ---------------------------------------------------------------- 14
add(file="14_invoice_ocr.drawio",
    title="Invoice field extraction MVP (draw.io, weak; edge captions as loose text cells): upload -> Tesseract -> LayoutLM extractor -> posted straight to SAP; fine-tuned once in Colab on 500 Label Studio invoices, weights pulled from Google Drive at startup",
    problem="generic", strength="weak", serving="online", classic=False,
    must_flag=["requirements-stated", "metrics-stated", "data-logging", "model-registry", "offline-evaluation",
        "orchestration", "serving-monitoring", "drift-detection", "feedback-loop", "human-review", "metrics-logged"],
    must_not_flag=["request-path", "orphan-component", "label-source", "feature-store", "training-serving-skew",
        "alerting", "nothing-to-review", "deploy-path", "training-data"],
    debatable=["unrecognized-component", "ab-testing", "fallback", "human-labels"],
    reasoning="""The extraction chain is right - upload API -> OCR -> LayoutLM field extractor -> fields back to the API -> SAP - and the labelled set from Label Studio gives a real label source. The loose text cells ('PDF', 'words + boxes', 'vendor, total, date, IBAN') are edge captions placed by hand, as people do in draw.io: notes, not orphan boxes.
But it is an MVP, not a system. No volumes, latency or accuracy targets (field-level F1, straight-through rate, correction rate). Extracted fields are posted straight into SAP with no confidence threshold and no human check - for amounts and IBANs, low-confidence extractions must go to a clerk, and the clerk's corrections are the labels this system needs. Nothing is logged for ML (predictions, confidences, corrections, model version), so there is no feedback loop: the model is fine-tuned once on 500 invoices in Colab.
Weights on Google Drive are not a registry (no versions, no rollback), there is no evaluation before deployment, no scheduled retraining, and nothing watches extraction quality or new vendor layouts (drift). The model reads the document itself, so feature-store and skew questions do not arise; alerting has no monitoring to attach to.""")

# ---------------------------------------------------------------- 15
add(file="15_checkout_webapp.drawio",
    title="E-commerce checkout web app, no ML (draw.io): browser -> Cloudflare -> NGINX ingress -> cart/checkout/inventory services on EKS, Postgres, Redis sessions, RabbitMQ email worker, Stripe, SendGrid, Prometheus/Grafana -> PagerDuty",
    problem="generic", strength="not-ml", serving="none", classic=False,
    must_flag=["nothing-to-review"],
    must_not_flag=["orphan-component", "data-logging", "label-source", "feature-store", "training-serving-skew",
        "model-registry", "offline-evaluation", "ab-testing", "fallback", "orchestration",
        "serving-monitoring", "drift-detection", "alerting", "feedback-loop"],
    debatable=["requirements-stated", "metrics-stated", "request-path", "unrecognized-component"],
    reasoning="""A clean microservice architecture for checkout, with monitoring that pages and a note on availability and peak load - but there is no model, training or inference anywhere. It is not an ML system design, so the review is 'nothing to review'. The ML rules (labels, features, registry, evaluation, drift, feedback loop, model fallback, A/B of a model) have no premise and must not fire; every box is connected, and Prometheus/Grafana does reach PagerDuty. Whether the request-path or note rules add a line, and whether product names like SendGrid get a kind, is immaterial.""")

# ---------------------------------------------------------------- 16
add(file="16_wip_stub.mmd",
    title="Stub (Mermaid): one node 'Ad click prediction - system design (WIP)' plus %% TODO comments",
    problem="ads-ctr", strength="not-ml", serving="none", classic=False,
    must_flag=["nothing-to-review"],
    must_not_flag=["request-path", "data-logging", "label-source", "feature-store", "training-serving-skew",
        "model-registry", "offline-evaluation", "ab-testing", "fallback", "orchestration",
        "serving-monitoring", "drift-detection", "alerting", "feedback-loop"],
    debatable=["requirements-stated", "metrics-stated", "orphan-component", "unrecognized-component"],
    reasoning="""A title node and two %% comments (invisible when rendered) saying the design is still to be drawn. The words 'ad click prediction' name the problem, not a component: there is no model, training or serving to review, so the verdict is nothing-to-review. Every model/data/monitoring rule lacks its premise. Whether the lone node is also called an orphan or unrecognised, or the missing notes are listed, is immaterial.""")


def catalog_ids():
    ids = set(re.findall(r"^\| `([a-z0-9-]+)`", CATALOG.read_text(), re.M))
    assert set(FIXED) <= ids, set(FIXED) - ids
    return ids


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    ids = catalog_ids()
    out = ["# review_heldout2: labelled expectations for 9 Mermaid and 7 draw.io sketches of ML system designs.",
           "# Written by an independent judge from the drawings; never tuned to any tool.",
           "# Every fixed rule id (CONTRACT.md section 3) is in exactly one of must_flag / must_not_flag / debatable.", ""]
    for s in S:
        lists = [s["must_flag"], s["must_not_flag"], s["debatable"]]
        allr = [r for l in lists for r in l]
        assert len(allr) == len(set(allr)), (s["file"], [r for r in allr if allr.count(r) > 1])
        for r in FIXED:
            assert sum(r in l for l in lists) == 1, (s["file"], r)
        unknown = set(allr) - ids
        assert not unknown, (s["file"], unknown)
        assert (HERE / s["file"]).exists(), s["file"]
        out.append("[[sketch]]")
        for k in ("file", "title", "problem", "strength", "serving"):
            out.append(f"{k} = {q(s[k])}")
        out.append(f"classic = {'true' if s['classic'] else 'false'}")
        for k in ("must_flag", "must_not_flag", "debatable"):
            out.append(f"{k} = [" + ", ".join(q(r) for r in s[k]) + "]")
        assert "'''" not in s["reasoning"]
        out.append("reasoning = '''\n" + s["reasoning"].strip() + "\n'''")
        out.append("")
    text = "\n".join(out)
    data = tomllib.loads(text)
    assert len(data["sketch"]) == len(S) == 16
    (HERE / "expectations.toml").write_text(text, encoding="utf-8")
    print("wrote", HERE / "expectations.toml", len(S), "sketches")


if __name__ == "__main__":
    main()
