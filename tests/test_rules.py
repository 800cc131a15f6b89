"""Rule semantics on small graphs: the four core checks exactly as the contract defines them,
and the engine's handling of applicability, suppression, selection and pack errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagramcheck.engine import review
from diagramcheck.errors import PatternError
from diagramcheck.kinds import builtin_patterns_dir, default_lexicon
from diagramcheck.packs import catalog_for, load_catalog
from tests.conftest import graph_of

CORE_OK = """
digraph ok {
  user [label="User"]; api [label="API"]; rank [label="Ranking service"];
  lake [label="Data lake"]; fp [label="Feature pipeline"]; fs [label="Feature store"];
  train [label="Training"]; reg [label="Model registry"]; logs [label="Prediction log"];
  mon [label="Monitoring"];
  user -> api -> rank -> api;
  lake -> fp -> fs; fs -> train; fs -> rank;
  train -> reg -> rank;
  rank -> logs -> lake;
  logs -> mon;
}
"""


def findings(dot: str, problem: str | None = None, **kw) -> dict[str, list]:
    graph = graph_of(dot, "t.dot")
    result = review(graph, catalog_for(), default_lexicon().category, problem=problem, **kw)
    out: dict[str, list] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_complete_core_design_passes_the_four_core_checks():
    got = findings(CORE_OK)
    for rule in ("feature-store", "training-serving-skew", "feedback-loop", "serving-monitoring"):
        assert rule not in got, (rule, got.get(rule))


def test_feature_store_fires_when_serving_reads_features_training_never_computes():
    dot = CORE_OK.replace("fs -> rank;", 'udb [label="User profile DB"]; udb -> rank;')
    got = findings(dot)
    assert "'Ranking service'" in got["feature-store"][0].message
    assert "training-serving-skew" not in got  # training never sees the profile DB: no skew


def test_a_shared_pipeline_or_library_is_a_shared_feature_computation():
    shared = CORE_OK.replace("fp -> fs; fs -> train; fs -> rank;", "fp -> train; fp -> rank;")
    assert "feature-store" not in findings(shared)
    library = CORE_OK.replace("lake -> fp -> fs; fs -> train; fs -> rank;",
                              'lib [label="Shared feature library"]; lake -> train; lib -> train; lib -> rank;')
    assert "feature-store" not in findings(library)


def test_served_features_logged_and_trained_on_need_no_feature_store():
    dot = CORE_OK.replace("fs -> rank;", 'udb [label="User DB"]; udb -> rank; flog [label="Feature log (served features)"]; rank -> flog -> train;')
    assert "feature-store" not in findings(dot)


def test_feature_path_does_not_pass_through_training_or_serving():
    # the store reaches serving only through training: that is a model, not a feature
    dot = CORE_OK.replace("fs -> rank;", 'udb [label="User DB"]; udb -> rank;')
    assert "feature-store" in findings(dot)


def test_a_store_reaching_training_through_an_offline_model_box_is_no_evidence_of_a_gap():
    # 'feature store -> candidate generation models -> two-tower training', drawn offline:
    # whether features pass through that box is unclear, so the rule stays silent
    offline = CORE_OK.replace("fs -> train;", 'cgm [label="Candidate generation models"]; fs -> cgm -> train;')
    assert "feature-store" not in findings(offline)
    # the same box on the request path is the served model itself: the gap is real
    online = offline.replace("user -> api -> rank -> api;", "user -> api -> cgm -> rank -> api;")
    assert "feature-store" in findings(online)


def test_a_model_learned_from_ids_alone_reads_lookups_not_features():
    ids_only = CORE_OK.replace('train [label="Training"]', 'train [label="Train matrix factorization (ALS)"]')
    ids_only = ids_only.replace("fs -> rank;", 'udb [label="Postgres users, movies"]; udb -> rank;')
    assert "feature-store" not in findings(ids_only)
    # beside a second training that learns from features, the ranker's inputs are features again
    both = ids_only.replace("train -> reg -> rank;", 'train -> reg -> rank; gbdt [label="Train GBDT ranker"]; lake -> gbdt -> reg;')
    assert "feature-store" in findings(both)


def test_a_zone_titled_by_its_scheduler_schedules_what_it_holds():
    dot = """digraph { lake [label="Data lake"]; subgraph cluster_n { label="Nightly pipeline - Airflow DAG (01:00)";
      train [label="Train LightGBM"]; score [label="Batch scoring"]; } reg [label="Model registry"];
      lake -> train -> reg -> score; }"""
    assert "orchestration" not in findings(dot)
    assert "orchestration" not in findings(dot.replace(" - Airflow DAG (01:00)", ""))  # nightly is a schedule
    assert "orchestration" in findings(dot.replace("Nightly pipeline - Airflow DAG (01:00)", "Offline pipeline"))


def test_a_model_and_its_training_reading_one_store_directly_compute_nothing_twice():
    raw = CORE_OK.replace("fs -> rank;", 'qdb [label="Questions DB"]; qdb -> rank; qdb -> train;')
    assert "feature-store" not in findings(raw)
    # the store feeds serving only: training never sees what the model reads
    assert "feature-store" in findings(CORE_OK.replace("fs -> rank;", 'qdb [label="Questions DB"]; qdb -> rank;'))


def test_a_model_that_takes_no_features_needs_no_feature_store():
    assert "feature-store" not in findings(CORE_OK.replace("fs -> rank;", ""))


BATCH = """
digraph batch {
  crm [label="CRM app"]; scores [label="Churn scores table"]; score [label="Nightly scoring job"];
  dwh [label="Data warehouse"]; fp [label="Feature pipeline"]; train [label="Training"]; reg [label="Model registry"];
  airflow [label="Airflow"]; mon [label="Monitoring"]; outcomes [label="Cancellations (actual churn)"];
  dwh -> fp -> train -> reg -> score; dwh -> score; score -> scores; crm -> scores;
  airflow -> score; airflow -> train; scores -> mon; crm -> outcomes -> dwh;
}
"""


def test_batch_only_design_is_not_held_to_request_time_rules():
    got = findings(BATCH)
    for rule in ("request-path", "feature-store", "no-batch-on-request-path", "realtime-features", "serving-cache"):
        assert rule not in got, (rule, got.get(rule))
    assert all(f.severity == "info" for f in got.get("fallback", []))
    assert "feedback-loop" not in got  # the app reads the scores and its outcomes come back


def test_skew_two_computations_of_the_same_events():
    dot = CORE_OK.replace("}\n", 'flink [label="Stream features (Flink)"]; sql [label="SQL feature backfill"];'
                          " logs -> flink -> rank; lake -> sql -> train;\n}\n")
    got = findings(dot)["training-serving-skew"][0]
    assert got.path == ["logs", "flink", "rank"]
    assert "training: Prediction log -> Data lake -> SQL feature backfill -> Training" in got.message
    assert got.fix_actions["remove"] == [{"from": "flink", "to": "rank"}]


def test_skew_when_serving_reads_raw_data_that_training_featurises():
    dot = """digraph { user [label="User"]; api [label="API"]; rank [label="Ranker"]; ev [label="Events"];
      fp [label="Feature pipeline"]; train [label="Training"]; reg [label="Model registry"];
      user -> api -> rank; ev -> fp -> train -> reg -> rank; ev -> rank; }"""
    got = findings(dot)["training-serving-skew"][0]
    assert got.path == ["ev", "rank"]


def test_no_skew_for_a_serving_only_store_or_one_pipeline_feeding_both_halves():
    meta = CORE_OK.replace("}\n", 'meta [label="Item metadata DB"]; meta -> api; meta -> rank;\n}\n')
    assert "training-serving-skew" not in findings(meta)
    halves = CORE_OK.replace("fp -> fs; fs -> train; fs -> rank;",
                             'off [label="Offline feature store"]; on [label="Online feature store"]; fp -> off -> train; fp -> on -> rank;')
    assert "training-serving-skew" not in findings(halves)


def test_orchestrator_triggers_carry_no_data():
    dot = CORE_OK.replace("}\n", 'air [label="Airflow"]; ev [label="Raw events"]; air -> rank; ev -> air; ev -> fp;\n}\n')
    assert "training-serving-skew" not in findings(dot)


def test_feedback_loop_needs_serving_and_training_on_one_cycle():
    assert "feedback-loop" in findings(CORE_OK.replace("rank -> logs -> lake;", "rank -> logs;"))
    assert "feedback-loop" not in findings(CORE_OK)


def test_feedback_loop_counts_a_request_and_its_response_both_ways():
    # the user's clicks come back although the arrows only go user -> api -> rank
    dot = CORE_OK.replace("user -> api -> rank -> api;", "user -> api -> rank;").replace(
        "rank -> logs -> lake;", 'clicks [label="Click log"]; user -> clicks -> lake;')
    assert "feedback-loop" not in findings(dot)


def test_findings_never_contradict_a_more_basic_one():
    dot = CORE_OK.replace("train -> reg -> rank;", "train -> reg;")
    got = findings(dot)
    assert "deploy-path" in got
    for rule in ("model-registry", "feedback-loop", "offline-evaluation", "training-serving-skew"):
        assert rule not in got, rule


def test_serving_monitoring_per_component_direct_or_through_one_log():
    got = findings(CORE_OK.replace("logs -> mon;", ""))
    assert [f.components for f in got["serving-monitoring"]] == [["rank"]]
    assert "serving-monitoring" not in findings(CORE_OK.replace("logs -> mon;", "mon -> rank;"))
    # predictions logged, streamed and read by monitoring: watched (what carries them counts)
    two_hops = CORE_OK.replace("logs -> mon;", 'k [label="Kafka"]; logs -> k -> mon;')
    assert "serving-monitoring" not in findings(two_hops)
    # but monitoring that only sees the training side does not watch the model
    offline = CORE_OK.replace("logs -> mon;", "train -> mon;")
    assert "serving-monitoring" in findings(offline)


def test_zone_connection_counts_for_its_members():
    dot = CORE_OK.replace("logs -> mon;", "").replace(
        'rank [label="Ranking service"];', 'subgraph cluster_p { label="Production"; rank [label="Ranking service"]; }'
    ).replace("}\n", "mon -> rank [lhead=cluster_p];\n}\n")
    assert "serving-monitoring" not in findings(dot)


def test_rag_without_training_is_held_to_the_eval_loop_not_the_retraining_loop():
    dot = 'digraph { u [label="User"]; a [label="Chat API"]; l [label="LLM"]; v [label="Vector DB"]; u -> a -> l; v -> l; }'
    got = findings(dot, problem="rag-llm")
    assert "feedback-loop" not in got and "eval-loop" in got
    assert "feedback-loop" not in findings(dot, problem="generic")  # nothing here is trained


def test_rag_api_that_searches_then_generates_is_grounded():
    dot = """digraph { u [label="User"]; a [label="Chat API"]; l [label="LLM"]; v [label="Vector DB"];
      d [label="Help center articles"]; e [label="Embedding model"];
      u -> a; a -> v [label="1. search"]; a -> l [label="2. generate"]; d -> e -> v; }"""
    assert "grounding" not in findings(dot, problem="rag-llm")


def test_grounding_asks_what_feeds_the_llm_not_whether_a_request_reaches_it():
    no_user = 'digraph { d [label="Documents"]; v [label="Vector search"]; l [label="LLM"]; a [label="Answer"]; d -> v -> l -> a; }'
    assert "grounding" not in findings(no_user, problem="rag-llm")
    ungrounded = 'digraph { u [label="User"]; c [label="Chat API"]; l [label="LLM"]; u -> c -> l; }'
    assert "grounding" in findings(ungrounded, problem="rag-llm")


def test_zone_titled_monitoring_monitors_what_it_holds():
    dot = CORE_OK.replace("logs -> mon;", "").replace(
        'rank [label="Ranking service"];', 'subgraph cluster_m { label="Monitoring (Evidently, Grafana)"; rank [label="Ranking service"]; }')
    got = findings(dot)
    assert "serving-monitoring" not in got and "drift-detection" not in got


def test_online_offline_zones_satisfy_the_split():
    dot = CORE_OK.replace('train [label="Training"];', 'subgraph cluster_off { label="Offline"; train [label="Training"]; }')
    assert "online-offline-split" not in findings(dot)
    assert "online-offline-split" in findings(CORE_OK)


def test_nothing_to_review_gates_empty_stub_and_non_ml_sketches():
    for dot in ("digraph { }", 'digraph { m [label="Model"]; }',
                'digraph { u [label="Browser"]; w [label="Web server"]; d [label="Postgres"]; c [label="Redis"]; u -> w -> d; w -> c; }'):
        graph = graph_of(dot, "t.dot")
        result = review(graph, catalog_for(), default_lexicon().category)
        assert [f.rule for f in result.findings] == ["nothing-to-review"], dot
        assert result.score == 0 and result.findings[0].severity == "error"


def test_score_and_maturity_come_from_the_full_review():
    graph = graph_of(CORE_OK, "t.dot")
    full = review(graph, catalog_for(), default_lexicon().category)
    only = review(graph, catalog_for(), default_lexicon().category, select=["fallback"])
    assert (only.score, only.maturity) == (full.score, full.maturity)
    assert {f.rule for f in only.findings} <= {"fallback"} and only.hidden == len(full.findings) - len(only.findings)


def test_weakest_stage_weighs_severity_and_never_names_a_passing_stage():
    graph = graph_of(CORE_OK, "t.dot")
    result = review(graph, catalog_for(), default_lexicon().category)
    failing = {s.stage for s in result.stages if s.status == "fail"}
    assert result.weakest in failing
    errors = {f.stage for f in result.findings if f.severity == "error"}
    if errors:
        assert result.weakest in errors


def test_level_changes_what_is_expected():
    graph = graph_of(CORE_OK, "t.dot")
    junior = review(graph, catalog_for(), default_lexicon().category, level="junior")
    staff = review(graph, catalog_for(), default_lexicon().category, level="staff")
    assert {f.rule: f.severity for f in junior.findings}.get("data-validation") == "info"
    assert {f.rule: f.severity for f in staff.findings}.get("business-objective") == "warning"
    assert junior.level == "junior" and staff.level == "staff"


def test_unknown_labels_are_one_info_finding_listing_them_by_label(cli, tmp_path):
    sketch = tmp_path / "u.dot"
    sketch.write_text(CORE_OK.replace("}\n", 'z1 [label="Zorblax"]; z2 [label="Quuxinator 3000"]; api -> z1; z2 -> rank;\n}\n'), encoding="utf-8")
    code, out, err = cli("review", "--format", "json", "--select", "unrecognized-component", str(sketch))
    found = json.loads(out)["files"][0]["findings"]
    assert [(f["rule"], f["severity"]) for f in found] == [("unrecognized-component", "info")]
    assert "'Zorblax', 'Quuxinator 3000'" in found[0]["message"] and "z1" not in found[0]["message"]
    assert "[feature_pipeline]" in found[0]["message"] and "kind_name" not in found[0]["message"]
    assert found[0]["components"] == ["z1", "z2"]


def test_suppression_note_in_the_diagram():
    dot = CORE_OK.replace("logs -> mon;", "").replace(
        "}\n", 'n [shape=note, label="diagramcheck: ignore serving-monitoring covered by the platform team"];\n}\n')
    graph = graph_of(dot, "t.dot")
    result = review(graph, catalog_for(), default_lexicon().category)
    assert "serving-monitoring" not in {f.rule for f in result.findings}
    assert result.suppressed == [("serving-monitoring", "covered by the platform team")]


def test_select_and_ignore():
    assert set(findings(CORE_OK, select=["fallback"])) <= {"fallback"}
    assert "fallback" not in findings(CORE_OK, ignore=["fallback"])


def test_every_contract_rule_id_exists_with_its_stage():
    contract = {
        "feature-store": "features", "training-serving-skew": "features", "feedback-loop": "operations",
        "serving-monitoring": "monitoring", "drift-detection": "monitoring", "alerting": "monitoring",
        "model-registry": "training", "offline-evaluation": "evaluation", "ab-testing": "evaluation",
        "data-logging": "data", "label-source": "data", "orchestration": "mlops", "fallback": "operations",
        "request-path": "architecture", "orphan-component": "architecture", "unrecognized-component": "architecture",
        "requirements-stated": "requirements", "metrics-stated": "metrics",
    }
    catalog = catalog_for()
    assert {r.id: r.stage for r in catalog.rules if r.id in contract} == contract
    assert len(catalog.rules) >= 30
    assert {r.stage for r in catalog.rules} >= set(contract.values()) | {"task", "deployment"}


def write_pack(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "mine.toml").write_text(body, encoding="utf-8")
    return folder


RULE = """pack = "mine"

[[rules]]
id = "shadow-first"
stage = "evaluation"
severity = "warning"
title = "Shadow first"
message = "No shadow deployment."
expect = { adjacent = { a = "experimentation", b = "@model_serving" } }
rationale = "r"
question = "q"
study = "s"
fix = { text = "Add one.", add = [{ ref = "sh", kind = "experimentation", label = "Shadow" }], connect = [{ from = "sh", to = "@model_serving" }] }
"""


def test_user_pack_from_config_needs_no_python(tmp_path, cli):
    write_pack(tmp_path, RULE)
    (tmp_path / ".diagramcheck.toml").write_text('patterns = ["packs"]\n', encoding="utf-8")
    sketch = tmp_path / "s.dot"
    sketch.write_text(CORE_OK, encoding="utf-8")
    code, out, err = cli("review", "--select", "shadow-first", str(sketch))
    assert "shadow-first: No shadow deployment." in out
    assert code == 0  # a warning does not fail by default


@pytest.mark.parametrize(
    "change, error",
    [
        ('stage = "evaluation"', "unknown stage"),
        ('id = "shadow-first"', "kebab-case"),
        ('expect = { adjacent', "unknown predicate"),
        ('b = "@model_serving"', "unknown group"),
        ('kind = "experimentation"', "fix adds unknown kind"),
        ('severity = "warning"', "rules.0.severty: unknown key"),
        ('fix = {', "rules.0.fix: should be a table"),
    ],
)
def test_pack_mistakes_name_file_line_and_rule(tmp_path, change, error):
    broken = {
        'stage = "evaluation"': RULE.replace(change, 'stage = "evalution"'),
        'id = "shadow-first"': RULE.replace(change, 'id = "Shadow First"'),
        'expect = { adjacent': RULE.replace(change, 'expect = { adjacentt'),
        'b = "@model_serving"': RULE.replace(change, 'b = "@model_servers"'),
        'kind = "experimentation"': RULE.replace(change, 'kind = "experiment"'),
        'severity = "warning"': RULE.replace(change, 'severty = "warning"'),
        'fix = {': RULE.replace("fix = {", 'fix = "Add one."\nunused = {'),
    }[change]
    folder = write_pack(tmp_path, broken)
    lexicon = default_lexicon()
    with pytest.raises(PatternError) as info:
        load_catalog([builtin_patterns_dir() / "packs", folder], set(lexicon.kinds) | {"unknown"}, set(lexicon.category.values()))
    message = str(info.value)
    assert error in message
    assert f"{folder / 'mine.toml'}:" in message
    line = int(message.split("mine.toml:")[1].split(":")[0])
    assert 3 <= line <= 16


@pytest.mark.parametrize(
    "word, error",
    [
        ("(unclosed", "bad regex: missing ), unterminated subpattern"),
        ("(?P<x>chargebacks?)", "named groups are not allowed"),
        ("(fraud)\\1", "back references are not allowed"),
        ("(?i)fraud", "flags must be scoped"),
        ("scams?|", "matches the empty string"),
    ],
)
def test_problem_word_mistakes_name_file_line_and_problem(tmp_path, word, error):
    words = f'pack = "mine"\n[problem_words]\nforecasting = ["eta"]\nfraud-detection = ["card fraud", {word!r}]\n'
    folder = write_pack(tmp_path, words.replace("'", '"'))
    lexicon = default_lexicon()
    with pytest.raises(PatternError) as info:
        load_catalog([builtin_patterns_dir() / "packs", folder], set(lexicon.kinds) | {"unknown"}, set(lexicon.category.values()))
    assert str(info.value).startswith(f"{folder / 'mine.toml'}:4: problem_words.fraud-detection: ")
    assert error in str(info.value)


def test_problem_words_for_an_unknown_problem_are_refused(tmp_path):
    folder = write_pack(tmp_path, 'pack = "mine"\n[problem_words]\nfraud = ["chargebacks?"]\n')
    lexicon = default_lexicon()
    with pytest.raises(PatternError, match=r"mine.toml:3: problem_words.fraud: unknown problem type"):
        load_catalog([folder], set(lexicon.kinds), set(lexicon.category.values()))


def test_a_bad_problem_word_is_a_clean_error_from_the_cli(tmp_path, cli):
    write_pack(tmp_path, 'pack = "mine"\n[problem_words]\nfraud-detection = ["(unclosed"]\n')
    (tmp_path / ".diagramcheck.toml").write_text('patterns = ["packs"]\n', encoding="utf-8")
    sketch = tmp_path / "s.dot"
    sketch.write_text(CORE_OK, encoding="utf-8")
    code, out, err = cli("review", str(sketch))
    assert code == 2
    assert "mine.toml:3: problem_words.fraud-detection: '(unclosed': bad regex" in err
    assert "Traceback" not in err


def test_invalid_toml_reports_its_position(tmp_path):
    folder = write_pack(tmp_path, RULE.replace('severity = "warning"', 'severity = "warning'))
    lexicon = default_lexicon()
    with pytest.raises(PatternError, match=r"mine.toml: invalid TOML: .*line 6"):
        load_catalog([folder], set(lexicon.kinds), set(lexicon.category.values()))


@pytest.mark.parametrize("note, fires", [
    ("Offline: recall@50, AUC. Online (A/B): accepted connections per user, invite-send rate", False),
    ("Offline: WAPE + pinball loss in backtest. Online: stock-out rate in a 50-store pilot", False),
    ("metrics: log loss, AUC, calibration (pred/actual CTR)", True),  # CTR as a calibration target is no online metric
    ("Metrics: offline AUC", True),
    ("scores ready by 6am for 40 retention agents; model AUC 0.81 on holdout month", True),  # a team, not a metric
    ("AUC 0.81 offline; retention and saved revenue online", False),
    ("offline: WAPE + bias per zone\\nbusiness: late deliveries %, courier idle %", False),  # a labelled line of business metrics
    ("acceptance rate, accepted chars/dev/day (online)\\npass@1 on held-out tasks (offline)", False),
    ("business: late deliveries %, courier idle %", True),  # no offline metric
    ("offline median error (m), % within 50 m by city; online: failed-delivery rate", False),  # errors named by their statistic
    ("p90 absolute error per route; online: ETA complaints (A/B)", False),
    ("online: failed-delivery rate; errors reviewed weekly", True),  # an error named by no statistic is no metric
])
def test_metrics_are_read_as_an_interviewer_reads_a_note(note, fires):
    dot = CORE_OK.replace("}\n", f'm [shape=note, label="{note}"];\n}}\n')
    assert ("metrics-stated" in findings(dot)) is fires


@pytest.mark.parametrize("note, fires", [
    ("Churn propensity for 40M subscribers. Batch only: scores ready by 06:00 UTC daily, run < 2 h.", False),
    ("3B msgs/day (~35k/s avg), added delivery latency p99 < 100 ms", False),
    ("Goal: more watch time", True),
])
def test_requirements_are_read_as_an_interviewer_reads_a_note(note, fires):
    dot = CORE_OK.replace("}\n", f'm [shape=note, label="{note}"];\n}}\n')
    assert ("requirements-stated" in findings(dot)) is fires


def test_an_online_metric_named_after_its_value_counts():
    dot = CORE_OK.replace("}\n", 'm [shape=note, label="metrics: MRR of selected suggestion (offline), acceptance rate + keystrokes saved (online)"];\n}\n')
    assert "metrics-stated" not in findings(dot)


def test_a_loose_box_is_one_orphan_finding_not_a_pile_of_premise_findings():
    dot = CORE_OK.replace("}\n", 'extra [label="Model training (Spark)"];\n}\n')
    got = findings(dot)
    assert [f.components for f in got["orphan-component"]] == [["extra"]]
    assert {rule for rule, found in got.items() for f in found if "extra" in f.components} == {"orphan-component"}
    assert {"training-data", "deploy-path"}.isdisjoint(got)


def test_a_loose_box_no_kind_names_is_still_an_orphan_but_a_loose_note_is_not():
    """Interviewers point at any drawn box left unconnected ("Promo calendar", "Tableau"),
    whether or not the tool can name its role; a loose note of figures is no box."""
    dot = CORE_OK.replace("}\n", 'promo [label="Promo calendar"];\nreq [label="p99 < 80 ms, 5k QPS peak\\noffline: NDCG@10 > 0.4"];\n}\n')
    got = findings(dot)
    assert [f.components for f in got["orphan-component"]] == [["promo"]]


def test_boxes_without_any_connection_are_not_reviewed_as_a_design():
    dot = 'digraph { u [label="Client"]; p [label="Proxy server"]; m [label="Model"]; q [label="Queue"]; l [label="Prediction log"]; }'
    graph = graph_of(dot, "t.dot")
    result = review(graph, catalog_for(), default_lexicon().category)
    assert [f.rule for f in result.findings] == ["no-connections"]
    assert result.score == 0


def test_a_streaming_feature_job_counts_whatever_its_kind():
    dot = """digraph { user [label="User"]; api [label="Ad server"]; m [label="pCTR model"]; ev [label="Click events"];
      k [label="Kafka"]; f [label="Flink streaming feats (CTR 1h)"]; r [label="Redis (online feats)"];
      lake [label="HDFS"]; t [label="Training"]; reg [label="Model registry"];
      user -> api -> m; api -> ev -> k -> f -> r -> m; k -> lake -> t -> reg -> m; }"""
    assert "realtime-features" not in findings(dot, problem="ads-ctr")
    assert "realtime-features" in findings(dot.replace('"Flink streaming feats (CTR 1h)"', '"Nightly feature batch"'), problem="ads-ctr")


def test_a_fix_wires_up_the_box_the_user_left_unconnected():
    dot = CORE_OK.replace("logs -> mon;", "")
    got = findings(dot)["serving-monitoring"][0]
    assert got.fix_actions["add"] == [] and got.fix_actions["connect"] == [{"from": "rank", "to": "mon", "label": ""}]


def test_where_a_feature_library_is_used_is_no_role():
    dot = CORE_OK.replace("fs -> rank;", 'lib [label="pymk_feats (shared feature library) same code in training + serving"]; lib -> rank; lib -> train;')
    assert "model-registry" not in findings(dot)


def test_monitoring_that_opens_an_issue_or_retrains_reaches_someone():
    opens_issue = CORE_OK.replace("logs -> mon;", 'logs -> mon; issue [label="GitHub issue"]; mon -> issue;')
    assert "alerting" not in findings(opens_issue)
    retrains = CORE_OK.replace("logs -> mon;", 'logs -> mon; air [label="Airflow"]; mon -> air -> train;')
    assert "alerting" not in findings(retrains)
    assert "alerting" in findings(CORE_OK)


def test_a_trace_store_or_log_analytics_is_where_interactions_are_logged():
    dot = 'digraph { u [label="User"]; a [label="Chat API"]; l [label="LLM"]; t [label="Trace store"]; u -> a -> l; a -> t; }'
    assert "data-logging" not in findings(dot, problem="rag-llm")
    assert "data-logging" in findings(dot.replace('"Trace store"', '"Grafana"'), problem="rag-llm")


def test_a_training_pipeline_that_deploys_nothing_is_told_so():
    dag = 'digraph { d [label="data/raw"]; p [label="prepare.py"]; t [label="train.py"]; e [label="evaluate.py"]; d -> p -> t -> e; }'
    assert "deploy-path" in findings(dag)
    # the model goes somewhere this reading cannot name: silent rather than wrong
    unnamed = dag.replace("}", 'x [label="Quuxinator"]; e -> x; }')
    assert "deploy-path" not in findings(unnamed)


def test_a_validation_step_before_training_is_data_validation_whatever_its_kind():
    dot = CORE_OK.replace("lake -> fp", 'val [label="Validation"]; lake -> val -> fp')
    assert "data-validation" not in findings(dot)
    assert "data-validation" in findings(CORE_OK)


def test_a_trained_encoder_serving_queries_is_what_monitoring_watches():
    dot = """digraph { app [label="Shop app"]; api [label="API gateway"]; det [label="Object detector (pretrained YOLO)"];
      enc [label="Image encoder service"]; ann [label="Milvus ANN index"]; rr [label="Re-rank: in stock"];
      pairs [label="Labeled pairs"]; ft [label="Fine-tune encoder"]; w [label="Model weights (S3)"]; prom [label="Grafana"];
      app -> api -> det -> enc -> ann -> rr -> api; pairs -> ft -> w -> enc; enc -> prom; }"""
    assert "serving-monitoring" not in findings(dot, problem="search-ranking")
    assert "serving-monitoring" in findings(dot.replace("enc -> prom;", ""), problem="search-ranking")


def test_an_offline_holdout_set_is_no_online_experiment():
    offline = CORE_OK.replace("}\n", 'n [shape=note, label="offline eval: precision@10 on a holdout week"];\n}\n')
    assert "ab-testing" in findings(offline)
    online = CORE_OK.replace("}\n", 'n [shape=note, label="launch: 5% random holdout of users, then ramp"];\n}\n')
    assert "ab-testing" not in findings(online)


def test_impression_logging_is_asked_of_a_feed_that_logs_nothing():
    dot = CORE_OK.replace("rank -> logs -> lake;", "").replace("logs -> mon;", "")
    assert "impression-logging" in findings(dot, problem="recommendation")
    assert "impression-logging" not in findings(CORE_OK, problem="recommendation")  # a prediction log


def test_what_an_evaluation_or_monitoring_box_judges_is_not_its_role():
    gated = CORE_OK.replace("train -> reg", 'ev [label="Offline eval gate vs prod model, per slice"]; train -> ev -> reg')
    assert "model-registry" not in findings(gated)
    assert "model-registry" in findings(gated.replace("ev -> reg -> rank", "ev -> rank"))


def test_a_scheduler_listing_what_it_runs_is_not_those_steps():
    dot = """digraph { lake [label="Data lake"]; train [label="Retrain GBM"]; ev [label="Backtest vs current model"];
      reg [label="Model registry"]; score [label="Score all policies in batch"]; table [label="Risk score table"];
      af [label="Airflow DAGs: nightly features and scoring, monthly retrain"];
      lake -> train -> ev -> reg -> score -> table; lake -> score; af -> train; af -> score; }"""
    assert "model-registry" not in findings(dot)  # the DAG triggers scoring; it is not a training that bypasses the registry
    assert "orchestration" not in findings(dot)


def test_a_loose_box_that_names_no_component_is_read_as_a_note():
    boxed = CORE_OK.replace("}\n", 'r [label="p99 < 50 ms per keystroke, ~60k QPS peak"];\n}\n')
    assert "requirements-stated" not in findings(boxed)
    assert "requirements-stated" in findings(boxed.replace("];\n}", "]; r -> api;\n}"))  # a connected box is a component


def test_a_processing_box_naming_a_build_still_sends_data():
    dot = """digraph { api [label="Suggest API"]; rank [label="Ranker"]; logs [label="Query logs"];
      sp [label="daily Spark: build trie, popularity + CTR features"]; snap [label="S3 training snapshots"]; tr [label="train LambdaMART"];
      api -> rank -> api; api -> logs -> sp -> snap -> tr -> rank; }"""
    assert "label-source" not in findings(dot)


def test_candidates_from_an_index_are_no_second_feature_computation():
    # the recipe DB reaches the ranker as candidates (embedder -> index) and training as features
    dot = """digraph { u [label="App"]; api [label="Recs API"]; idx [label="ScaNN recipe index"]; rank [label="DCN ranker"];
      db [label="Recipe DB"]; emb [label="Content embedder"]; sp [label="Spark feature jobs"]; fs [label="Feature store"];
      tr [label="Training"]; reg [label="Model registry"];
      u -> api -> idx -> rank -> api; db -> emb -> idx; db -> sp -> fs -> tr -> reg -> rank; fs -> rank; }"""
    assert "training-serving-skew" not in findings(dot)


def test_an_llm_writing_from_what_it_is_given_needs_no_retrieval():
    reply = """digraph { u [label="Chat app"]; api [label="Reply API"]; l [label="Fine-tuned 7B LLM"];
      n [shape=note, label="Smart reply: suggest 3 replies to the last message"]; u -> api -> l -> api; }"""
    grounding = findings(reply, problem="rag-llm")["grounding"]
    assert [f.severity for f in grounding] == ["info"]
    qa = reply.replace("Smart reply: suggest 3 replies to the last message", "Answer policy questions")
    assert [f.severity for f in findings(qa, problem="rag-llm")["grounding"]] == ["error"]


@pytest.mark.parametrize("note, fires", [
    ("Label = ICH present per radiologist final report", False),  # the target defined frames the task
    ("TASK\\ncontextual bandit (LinUCB), arm = thumbnail", False),
    ("Labels come from radiologists", True),
])
def test_a_note_defining_the_target_or_headed_task_frames_the_task(note, fires):
    dot = CORE_OK.replace("}\n", f'n [shape=note, label="{note}"];\n}}\n')
    assert ("task-stated" in findings(dot)) is fires


def test_a_model_box_that_says_what_it_predicts_frames_the_task():
    assert "task-stated" in findings(CORE_OK)
    says = CORE_OK.replace('label="Ranking service"', 'label="ETA residual model\\n(predicts correction to routing ETA)"')
    assert "task-stated" not in findings(says)
    residual = CORE_OK.replace('label="Ranking service"', 'label="GBDT residual model (prep + last mile)"')
    assert "task-stated" not in findings(residual)
    names_a_type_only = CORE_OK.replace('label="Ranking service"', 'label="XGBoost classifier service"')
    assert "task-stated" in findings(names_a_type_only)


def test_an_unwatched_batch_model_beside_watched_online_ones_is_a_question_not_an_error():
    batch = CORE_OK.replace("}\n", 'emb [label="GNN user embeddings (batch inference)"]; kv [label="Embeddings bucket (S3)"];\n'
                            "reg -> emb -> kv;\n}\n")
    finding = findings(batch)["serving-monitoring"][0]
    assert finding.severity == "info" and "GNN user embeddings" in finding.message
    unwatched_online = batch.replace("logs -> mon;", "")
    assert findings(unwatched_online)["serving-monitoring"][0].severity == "error"


def test_a_shadow_or_canary_rollout_step_delivers_the_model():
    rollout = CORE_OK.replace("train -> reg -> rank;", 'sh [label="Shadow deployment"]; train -> sh -> rank;')
    got = findings(rollout)
    assert "deploy-path" not in got and "model-registry" in got


def test_a_cadence_run_by_hand_is_no_schedule_and_a_labelled_corpus_gives_labels():
    spam = """digraph { mta [label="Inbound SMTP gateway"]; clf [label="Spam classifier svc"]; mon [label="Grafana"];
      corpus [label="Labeled corpus (2019 dump, 2M mails)"]; train [label="Training (monthly, manual)"];
      reg [label="Model registry"]; mta -> clf -> mon; corpus -> train -> reg -> clf; }"""
    got = findings(spam)
    assert "label-source" not in got and "orchestration" in got
    assert "orchestration" not in findings(spam.replace("monthly, manual", "monthly"))


def test_a_labelled_group_unless_regex_is_checked_on_load(tmp_path):
    folder = write_pack(tmp_path, 'pack = "mine"\n\n[labelled]\nhand = { kinds = ["training"], matches = "x", unless = "(" }\n')
    lexicon = default_lexicon()
    with pytest.raises(PatternError, match=r"mine.toml:4: labelled\.hand: bad regex"):
        load_catalog([folder], set(lexicon.kinds), set(lexicon.category.values()))


WEAK_UNDIRECTED = """graph moderation {
  users -- "upload service";
  "upload service" -- "moderaton model\\n(BERT + ResNet)";
  "moderaton model\\n(BERT + ResNet)" -- "remove / keep";
  "trainng data\\n(labeled posts)" -- train;
  train -- "moderaton model\\n(BERT + ResNet)";
}"""


def test_a_line_without_direction_is_walked_once_not_back_and_forth():
    got = findings(WEAK_UNDIRECTED)
    assert {"feedback-loop", "data-logging", "serving-monitoring"} <= set(got)
    assert "feature-store" not in got  # an unread box ('remove / keep') is no evidence of served features
    closed = WEAK_UNDIRECTED.replace("}", '"moderaton model\\n(BERT + ResNet)" -- "decision log"; "decision log" -- train;\n}')
    got = findings(closed)
    assert "feedback-loop" not in got and "data-logging" not in got


AGENT = """digraph { u [label="Customer"]; api [label="Chat API"]; ig [label="Input guard"]; agent [label="Agent loop (LangGraph)"];
  llm [label="LLM: gpt-4o"]; og [label="Output guard"]; idx [label="pgvector help articles"]; lf [label="Langfuse traces"];
  gold [label="golden set 400 tickets"]; ev [label="eval harness (promptfoo)"];
  u -> api -> ig -> agent -> og -> api; agent -> llm -> agent; idx -> agent; api -> lf; lf -> gold -> ev; }"""


def test_a_guard_on_the_response_path_carries_the_answer_to_monitoring():
    assert "serving-monitoring" not in findings(AGENT, problem="rag-llm")
    assert "serving-monitoring" in findings(AGENT.replace("api -> lf;", ""), problem="rag-llm")


def test_permissions_are_asked_where_private_documents_are_what_retrieval_searches():
    public = findings(AGENT, problem="rag-llm")["permission-aware-retrieval"][0]
    assert public.severity == "info"  # the tickets are an eval set, the index holds public help articles
    private = AGENT.replace("pgvector help articles", "pgvector over Confluence + Jira")
    assert findings(private, problem="rag-llm")["permission-aware-retrieval"][0].severity == "warning"


def test_a_web_page_a_seller_notice_or_a_long_way_round_is_no_alert():
    assert "alerting" in findings(CORE_OK.replace('label="User"', 'label="Publisher app / page"'))
    assert "alerting" in findings(CORE_OK.replace('label="API"', 'label="API (auto remove + notify seller)"'))
    wandering = CORE_OK.replace("logs -> mon;", 'logs -> mon; mon -> api; air [label="Airflow"]; lake -> air -> train;')
    assert "alerting" in findings(wandering)
    assert "alerting" not in findings(CORE_OK.replace("logs -> mon;", 'logs -> mon; n [shape=note, label="PSI > 0.2 pages the on-call"];'))


def test_skew_when_serving_computes_live_features_training_never_sees():
    eta = """digraph { rider [label="Rider app"]; api [label="Trip service"]; eta [label="ETA model"];
      ofs [label="Online feature store"]; gps [label="GPS pings (Kinesis)"]; flink [label="Stream processing (live traffic)"];
      lake [label="Data lake"]; fp [label="Feature pipeline"]; offs [label="Offline feature store"]; train [label="Training"];
      reg [label="Model registry"]; rider -> api -> eta -> api; ofs -> eta; gps -> flink -> ofs; gps -> lake -> fp -> offs -> train;
      offs -> ofs; train -> reg -> eta; }"""
    skew = findings(eta)["training-serving-skew"][0]
    assert skew.severity == "error" and skew.fix_actions["connect"] == [{"from": "flink", "to": "offs", "label": "features"}]
    assert "training-serving-skew" not in findings(eta.replace("gps -> flink -> ofs;", "gps -> flink -> ofs; flink -> offs;"))


CHURN_BATCH = """digraph { db [label="Customer DB"]; train [label="Training (weekly)"]; score [label="Batch scoring (nightly)"];
  crm [label="CRM dashboard"]; mon [label="Monitoring"];
  db -> train -> score; db -> score; score -> crm [label="churn scores"]; score -> mon; }"""


def test_batch_scores_sent_to_a_crm_are_used_and_a_scheduled_rescoring_loop_is_a_question():
    got = findings(CHURN_BATCH)
    assert "batch-output-lookup" not in got
    assert got["feedback-loop"][0].severity == "info"
    once = CHURN_BATCH.replace("Training (weekly)", "Training")
    assert findings(once)["feedback-loop"][0].severity == "error"  # trained once: the loop is missing


def test_an_api_that_logs_to_what_monitoring_reads_watches_the_models_behind_its_guards():
    rag = """digraph { u [label="User"]; gw [label="Chat API"]; ig [label="Input guardrails"]; ret [label="Retriever"];
      idx [label="Vector index"]; llm [label="LLM generator"]; og [label="Output guardrails"]; logs [label="Conversation logs"];
      mon [label="Quality and latency monitoring"]; u -> gw -> ig -> ret -> idx -> llm -> og -> gw; gw -> logs -> mon; }"""
    assert "serving-monitoring" not in findings(rag, problem="rag-llm")
    assert "serving-monitoring" in findings(rag.replace("gw -> logs -> mon;", "gw -> logs;"), problem="rag-llm")


def test_the_shared_embedder_fix_wires_the_api_not_the_user():
    rag = """digraph { u [label="User"]; gw [label="Chat API"]; ret [label="Retriever"]; idx [label="Vector index"];
      llm [label="LLM"]; docs [label="Help center docs"]; emb [label="Embedding job"];
      u -> gw -> ret -> idx -> llm -> gw; docs -> emb -> idx; }"""
    finding = findings(rag, problem="rag-llm")["shared-embedder"][0]
    assert {"from": "gw", "to": "emb", "label": ""} in finding.fix_actions["connect"]


def test_a_fix_wires_the_box_whose_own_kind_the_rule_is_about():
    fraud = """digraph { api [label="Scoring API"]; model [label="Fraud model server (XGBoost)"]; rules [label="Rules engine fallback"];
      dec [label="Decision engine"]; mon [label="Model monitoring"]; co [label="Checkout service"];
      co -> api -> model -> dec -> co; api -> rules -> dec; model -> mon; }"""
    finding = findings(fraud, problem="fraud-detection")["action-limits"][0]
    assert finding.fix_actions["connect"][0]["from"] == "dec"


@pytest.mark.parametrize("alarm, fires", [
    ("CloudWatch alarms: fast-track rate > 40%", False),  # the rate of an automated action, with a limit
    ("Alerts: decline rate spikes", False),
    ("Alerts: error rate > 1%, p99 latency", True),  # the service's health, not what the decisions do
])
def test_an_alarm_on_the_rate_of_an_action_watches_the_decision_layer(alarm, fires):
    fraud = f"""digraph {{ api [label="Scoring API"]; model [label="Fraud model server (XGBoost)"];
      dec [label="Decision engine"]; co [label="Checkout service"]; al [label="{alarm}"];
      co -> api -> model -> dec -> co; model -> al; }}"""
    assert ("action-limits" in findings(fraud, problem="fraud-detection")) is fires


def test_a_box_named_by_what_the_label_is_defines_it():
    assert "label-defined" in findings(CORE_OK, level="staff")
    named = CORE_OK.replace("}\n", 'cb [label="Chargeback labels"]; cb -> lake;\n}\n')
    assert "label-defined" not in findings(named, level="staff")
    generic = CORE_OK.replace("}\n", 'cb [label="Training labels"]; cb -> lake;\n}\n')
    assert "label-defined" in findings(generic, level="staff")


def test_the_logging_fix_draws_the_arrow_even_where_a_path_through_training_exists():
    from diagramcheck.fixes import apply_fixes

    dot = """digraph { u [label="User"]; api [label="API"]; rank [label="Ranking service"]; train [label="Training"];
      logs [label="Event log"]; u -> api -> rank -> api; rank -> train -> logs; }"""
    graph = graph_of(dot, "t.dot")
    finding = findings(dot)["data-logging"][0]
    assert finding.fix_actions["connect"] == [{"from": "rank", "to": "logs", "label": ""}]
    fixed = review(apply_fixes(graph, [finding]), catalog_for(), default_lexicon().category)
    assert "data-logging" not in {f.rule for f in fixed.findings}


def test_fresh_features_are_asked_only_where_a_trained_model_answers_requests():
    pricing = """digraph { app [label="Storefront / app"]; svc [label="Pricing svc (optimizer: max margin)"];
      tbl [label="elasticity table (Postgres)"]; score [label="Daily elasticity scoring (batch)"]; train [label="Elasticity model training"];
      dwh [label="Orders warehouse"]; app -> svc -> app; tbl -> svc; dwh -> train -> score -> tbl; dwh -> score; svc -> dwh; }"""
    assert "realtime-features" not in findings(pricing, problem="forecasting")
    assert "realtime-features" in findings(CORE_OK, problem="recommendation")


STREAM_DETECTOR = """
digraph d {
  exp [label="Metrics exporters"]; topic [label="Kafka metrics topic"]; flink [label="Flink rollups"];
  det [label="Anomaly detection model"]; router [label="Alert router"]; app [label="On-call mobile app"];
  hist [label="Metrics history (S3)"]; train [label="Nightly training"]; reg [label="Model registry"];
  exp -> topic -> flink -> det -> router -> app;
  flink -> hist -> train -> reg -> det;
}
"""


def test_a_model_pushing_its_output_to_an_app_is_called_even_without_a_request_arrow():
    # event-driven scoring: the stream calls the model and the app only receives what it says
    assert "request-path" not in findings(STREAM_DETECTOR)
    # an app that neither calls the model nor hears from it: nobody calls the model
    silent = STREAM_DETECTOR.replace("det -> router -> app;", 'det; app -> web; web [label="Web API"];')
    assert "request-path" in findings(silent)


REGISTRY = """
digraph r {
  user [label="User"]; api [label="API"]; rank [label="Ranking service"];
  lake [label="Data lake"]; train [label="Training"]; ev [label="Offline evaluation"];
  store [label="ranker.pkl"];
  user -> api -> rank; lake -> train -> ev -> store -> rank;
}
"""


def test_a_bare_model_file_is_not_a_registry_but_a_versioned_one_is():
    assert "model-registry" in findings(REGISTRY)  # the pickle is a file, not a versioned store
    versioned = REGISTRY.replace("store -> rank;", 'store -> rank; dvc [label="DVC remote (S3)"]; store -> dvc;')
    assert "model-registry" not in findings(versioned)
    assert "model-registry" not in findings(REGISTRY.replace('label="ranker.pkl"', 'label="MLflow model registry"'))


def test_a_model_baked_into_a_tagged_image_is_versioned():
    image = REGISTRY.replace('store [label="ranker.pkl"]', 'store [label="Container registry (ECR)"]')
    assert "model-registry" not in findings(image)


def test_a_bypass_that_also_passes_the_registry_is_no_evidence():
    # an arrow into a zone holding both the stored model and its server reaches both
    both = REGISTRY.replace('label="ranker.pkl"', 'label="Model registry"').replace("ev -> store -> rank;", "ev -> store -> rank; ev -> rank;")
    assert "model-registry" not in findings(both)
    only = REGISTRY.replace('label="ranker.pkl"', 'label="Model registry"').replace("ev -> store -> rank;", "ev -> rank; store;")
    assert "model-registry" in findings(only)


def test_a_missing_connection_on_a_page_with_unread_arrows_is_only_information():
    from tests.test_drawio_reader import cell, edge, model

    arrow = "html=1;shape=mxgraph.arrows2.arrow;dy=0.6;dx=40;"
    boxes = [cell("u", "User app", x=0, y=0), cell("api", "Scoring API", x=300, y=0), cell("m", "Fraud model", x=600, y=0),
             cell("t", "Training", x=600, y=800), cell("lake", "Data lake", x=300, y=800),
             edge("e1", "u", "api"), edge("e2", "api", "m"), edge("e3", "lake", "t")]
    # a block arrow drawn up from training that stops in empty paper short of the model
    graph = graph_of(model(*boxes, cell("arrow", "", style=arrow + "direction=north;", x=640, y=380, w=40, h=80)), "g.drawio")
    assert graph.unread_links == ["arrow"]
    result = review(graph, catalog_for(), default_lexicon().category, problem="fraud-detection")
    severity = {f.rule: f.severity for f in result.findings}
    logging = next(f for f in result.findings if f.rule == "data-logging")
    assert logging.severity == "info" and "could not be read" in logging.message
    assert severity["deploy-path"] == "error"  # what exists is no question of arrows: not softened
    plain = review(graph_of(model(*boxes), "h.drawio"), catalog_for(), default_lexicon().category, problem="fraud-detection")
    assert {f.rule: f.severity for f in plain.findings}["data-logging"] == "error"


def test_an_upload_a_queue_carries_to_the_model_is_an_async_request():
    dot = """digraph { p [label="Applicant portal"]; api [label="Upload API"]; s3 [label="S3 raw docs"]; q [label="SQS doc queue"];
      m [label="Document classifier"]; los [label="Loan origination system"];
      p -> api -> s3 -> q -> m -> los; }"""
    assert "request-path" not in findings(dot)
    # documents an API stores that reach the model with no queue between: an offline corpus, not a request
    assert "request-path" in findings(dot.replace("s3 -> q -> m", "s3 -> m; q"))


def test_a_fraud_model_needs_its_labels_not_only_transactions():
    dot = """digraph { app [label="Mobile app"]; api [label="Payments API"]; m [label="Fraud model"];
      db [label="Transactions DB (Postgres)"]; etl [label="Spark ETL"]; tr [label="Train model"];
      app -> api -> m -> api; api -> db -> etl -> tr -> m; }"""
    assert "label-source" in findings(dot, problem="fraud-detection")
    with_labels = dot.replace("}", 'cb [label="Chargebacks (card network)"]; cb -> db; }')
    assert "label-source" not in findings(with_labels, problem="fraud-detection")
    # elsewhere a store of transactions is the purchases a model learns from
    assert "label-source" not in findings(dot, problem="recommendation")


def test_the_interviewer_asks_in_the_problems_own_words():
    fraud = findings(CORE_OK.replace('label="Ranking service"', 'label="Fraud model"'), problem="fraud-detection", level="staff")
    recs = findings(CORE_OK, problem="recommendation", level="staff")
    assert "chargeback" in fraud["point-in-time-features"][0].question
    assert "impression" in recs["point-in-time-features"][0].question


@pytest.mark.parametrize("problem, metrics, fires", [
    ("fraud-detection", "Metrics: accuracy > 99%", True),
    ("content-moderation", "Offline metric: accuracy", True),
    ("fraud-detection", "Offline: accuracy, PR-AUC; online: fraud loss in $", False),
    ("fraud-detection", "Metrics: precision and recall at the decline threshold", False),  # accuracy never named
    ("content-moderation", "Eval: accuracy on a golden set, recall@1% FPR", False),
    ("recommendation", "Offline: accuracy of the top-10", False),  # positives are not rare there
])
def test_accuracy_alone_on_a_rare_positive_problem_is_questioned(problem, metrics, fires):
    design = f"""digraph {{ app [label="App"]; api [label="Scoring API"]; model [label="Classifier (XGBoost)"];
      k [label="Events (Kafka)"]; lake [label="S3 data lake"]; tr [label="Training job"]; reg [label="Model registry"];
      app -> api -> model -> api; api -> k -> lake -> tr -> reg -> model;
      n [shape=note, label="Task: binary classifier. {metrics}"]; }}"""
    assert ("rare-positive-metrics" in findings(design, problem=problem)) is fires


def test_a_fix_is_advised_in_the_problems_own_words(tmp_path):
    """The business-objective fix gives a fraud design a fraud goal, a recommender a
    recommender's, anything else a neutral one; a pack naming an unknown problem fails."""
    advice = {problem: findings(CORE_OK, problem=problem, level="staff")["business-objective"][0].fix
              for problem in ("fraud-detection", "recommendation", "generic")}
    assert "fraud losses" in advice["fraud-detection"] and "watch time" not in advice["fraud-detection"]
    assert "watch time" in advice["recommendation"]
    assert "watch time" not in advice["generic"] and "fraud" not in advice["generic"]
    folder = write_pack(tmp_path, RULE.replace('study = "s"', 'study = "s"\nfix_by_problem = { fraud = "Add one for fraud." }'))
    lexicon = default_lexicon()
    with pytest.raises(PatternError, match="unknown problem type 'fraud'"):
        load_catalog([builtin_patterns_dir() / "packs", folder], set(lexicon.kinds) | {"unknown"}, set(lexicon.category.values()))


@pytest.mark.parametrize("title, scheduled", [
    ("Offline training (Kubeflow Pipelines, weekly + on drift)", True),
    ("Training  (Airflow: icd_retrain_monthly)", True),
    ("Weekly batch - SageMaker Pipelines (Sun 02:00 UTC)", True),
    ("Offline training", False),  # a zone that says nothing of who starts the run
    ("Research (notebooks, weekly)", False),  # run by hand, whatever the calendar says
])
def test_a_zone_title_that_names_a_schedule_or_orchestrator_schedules_the_training_in_it(title, scheduled):
    design = f"""digraph {{ app [label="App"]; api [label="API"]; model [label="Ranker service"];
      lake [label="Data lake"]; reg [label="Model registry"]; app -> api -> model -> api;
      subgraph cluster_off {{ label="{title}"; train [label="Train LightGBM"]; }}
      lake -> train -> reg -> model; }}"""
    assert ("orchestration" in findings(design)) is not scheduled


def test_an_experiment_on_what_batch_scores_drive_tests_the_model_live():
    """A nightly LTV model: the experiment splits the campaigns the scores drive, downstream
    of the model, not the model's own box; an experiment wired to nothing the model feeds
    (the raw data) tests nothing."""
    batch = """digraph { lake [label="Snowflake orders"]; train [label="Train LTV model (nightly, Airflow)"];
      reg [label="MLflow registry"]; score [label="Batch scoring (nightly)"]; out [label="ltv_scores table"];
      crm [label="CRM campaigns"]; exp [label="Experiment: 50/50 holdout of campaigns"];
      lake -> train -> reg -> score; lake -> score; score -> out -> crm; exp -> crm; }"""
    assert "ab-testing" not in findings(batch)
    assert "ab-testing" in findings(batch.replace("exp -> crm;", "exp -> lake;").replace("50/50 holdout of campaigns", "uplift split"))


def test_claims_and_refunds_in_a_source_feeding_training_are_its_labels():
    """A warranty-return model trained from the ERP's sales and warranty claims has its
    outcomes; the same design trained from product specs alone has none."""
    design = """digraph { erp [label="ERP sales + warranty claims"]; dw [label="Snowflake"]; fe [label="Feature SQL"];
      tr [label="XGBoost training"]; sc [label="Nightly scoring"]; crm [label="CRM outreach list"];
      erp -> dw -> fe -> tr -> sc -> crm; fe -> sc; }"""
    assert "label-source" not in findings(design)
    assert "label-source" in findings(design.replace("ERP sales + warranty claims", "ERP product specs"))


def test_a_deploy_tool_whose_model_feeds_the_next_training_does_not_schedule_it():
    """OTA deploy -> edge model -> sampled frames -> labelling -> training is the loop, not a
    scheduler starting training; Airflow running the feature job before training is."""
    loop = """digraph { cam [label="Shelf cameras"]; det [label="YOLOv8 gap detector"]; app [label="Associate app"];
      s [label="Frame sampler -> S3"]; lb [label="Labelbox"]; tr [label="Training (PyTorch)"]; reg [label="W&B model registry"];
      ota [label="OTA deploy to edge (CI/CD)"]; cam -> det -> app; det -> s -> lb -> tr -> reg -> ota -> det; }"""
    assert "orchestration" in findings(loop)
    dag = loop.replace('cam [label="Shelf cameras"];', 'cam [label="Shelf cameras"]; af [label="Airflow"]; fp [label="Feature pipeline"]; af -> fp -> tr;')
    assert "orchestration" not in findings(dag)


@pytest.mark.parametrize("extra, defined", [
    ('lj [label="Label join (click within 30 min)"]; lj -> train;', True),
    ('t [shape=note, label="Task: predict whether a unit is returned under warranty within 90 days"];', True),
    ('tl [label="Training labels"]; tl -> train;', False),  # says labels exist, not what they are
    ('t [shape=note, label="Task: ranking"];', False),
])
def test_a_box_or_task_that_states_the_label_defines_it(extra, defined):
    dot = CORE_OK.replace("}\n", extra + "\n}\n")
    assert ("label-defined" not in findings(dot, level="staff")) is defined


def test_a_finding_names_each_component_once():
    """On every interviewer-set sketch (a retraining trigger reached through two paths named
    its model twice)."""
    from diagramcheck.pipeline import load_graph

    sketches = sorted(p for p in (Path(__file__).parent / "data" / "interviewer_set").rglob("*")
                      if p.suffix in (".excalidraw", ".dot", ".gv", ".mmd", ".drawio"))
    repeated = []
    for path in sketches:
        result = review(load_graph(path), catalog_for(), default_lexicon().category)
        repeated += [(path.name, f.rule) for f in result.findings if len(f.components) != len(set(f.components))]
    assert len(sketches) > 100 and repeated == []


@pytest.mark.parametrize("retriever, deploy, fires", [
    ("Candidate generation: two-tower + ANN", "", True),  # only the ranker is trained
    ("Candidate generation: two-tower + ANN", "reg -> cg;", False),
    ("Candidate generation (BM25)", "", False),  # nothing learned to train
    ("Candidate generation: two-tower + ANN", 'n [shape=note, label="two-tower retrained weekly with in-batch negatives"];', False),
])
def test_a_learned_retriever_needs_training_of_its_own(retriever, deploy, fires):
    design = f"""digraph {{ app [label="App"]; api [label="Home feed API"]; cg [label="{retriever}"]; rk [label="Ranker (DNN)"];
      logs [label="Impression logs"]; lake [label="Data lake"]; tr [label="Training"]; reg [label="Model registry"];
      app -> api -> cg -> rk -> api; api -> logs -> lake -> tr -> reg -> rk; {deploy} }}"""
    assert ("retriever-trained" in findings(design, problem="recommendation")) is fires


BATCH_FORECAST = """digraph {
  ev [label="Admissions events"]; dbt [label="dbt features"]; ft [label="Feature table"];
  tr [label="Train LightGBM"]; bt [label="Backtest vs seasonal naive"]; reg [label="MLflow registry"];
  sc [label="Batch scorer (prod)"]; shd [label="Shadow scorer (challenger)"];
  gate [label="publish gate: rows, ranges"]; out [label="forecast_72h table"]; sout [label="forecast_shadow"];
  subgraph cluster_m { label="Monitoring (Evidently + alerts)"; trk [label="Forecast vs actual: MAE per site"];
    chk [label="input checks: weather nulls, ADT lag"]; }
  ev -> dbt -> ft -> tr -> bt -> reg; reg -> sc; reg -> shd; ft -> sc; ft -> shd;
  sc -> gate -> out; shd -> sout; out -> trk; sout -> trk; ft -> chk;
  note [shape=note, label="Requirements: 6 sites, 72 h hourly forecast, ready by :20. Metrics offline: MAE; online: staffing misses"];
}"""


def test_a_tracker_inside_a_monitoring_zone_watches_the_models_whose_outputs_reach_it():
    """The tracker reads each scorer's output table (one behind a publish gate, one a shadow
    table); the zone around it says it monitors, whatever its own label's kind."""
    assert "serving-monitoring" not in findings(BATCH_FORECAST)
    unwatched = BATCH_FORECAST.replace("sout -> trk; ", "").replace("ft -> chk;", "")
    assert [f.components for f in findings(unwatched)["serving-monitoring"]] == [["shd"]]


def test_null_and_freshness_checks_on_inputs_are_data_validation_and_content_freshness_is_not():
    assert "data-validation" not in findings(BATCH_FORECAST)
    reranked = BATCH_FORECAST.replace("input checks: weather nulls, ADT lag", "Re-ranking (diversity, freshness)")
    assert "data-validation" in findings(reranked)


SERVED_ONLY = """flowchart LR
  app[Card application] --> api[Decision API]
  bureau[(Bureau data)] --> m[Credit limit model]
  api --> m
  m --> d[Approve limit]
"""


def _mermaid_findings(source: str, name: str = "t.mmd") -> dict[str, list]:
    from diagramcheck.pipeline import parts_from_bytes
    out: dict[str, list] = {}
    for _, graph in parts_from_bytes(source.encode(), name):
        for f in review(graph, catalog_for(), default_lexicon().category).findings:
            out.setdefault(f.rule, []).append(f)
    return out


def test_a_learned_model_nothing_trains_is_asked_about():
    got = _mermaid_findings(SERVED_ONLY)["model-trained"]
    assert [(f.severity, f.components) for f in got] == [("warning", ["m"])]


@pytest.mark.parametrize("change", [
    "  t[Weekly retrain] --> m\n",                        # drawn, whatever kind its label gets
    "  r[(MLflow registry)] --> m\n",                     # made somewhere upstream of a registry
    "  n[\"Note: the model is trained offline by the risk team\"]\n",
])
def test_any_sign_of_the_models_making_silences_it(change):
    assert "model-trained" not in _mermaid_findings(SERVED_ONLY + change)


@pytest.mark.parametrize("label", ["Rules engine (score thresholds)", "Whisper (pretrained) transcription", "GPT-4o via OpenAI"])
def test_rules_hosted_and_pretrained_models_are_not_learned_here(label):
    assert "model-trained" not in _mermaid_findings(SERVED_ONLY.replace("Credit limit model", label))


def test_one_block_of_a_study_note_only_asks():
    """A study note draws serving in one block and training in another: each block is a view."""
    note = "# Credit limits\n\n```mermaid\n" + SERVED_ONLY + "```\n\n```mermaid\nflowchart LR\n  a[Outcomes] --> b[Label join]\n```\n"
    got = _mermaid_findings(note, "notes.md")
    assert [f.severity for f in got["model-trained"]] == ["info"]


def test_excerpt_must_be_true_or_false(tmp_path):
    folder = write_pack(tmp_path, RULE.replace('severity = "warning"', 'severity = "warning"\ninfo_when = { excerpt = "yes" }'))
    lexicon = default_lexicon()
    with pytest.raises(PatternError, match=r"mine.toml:3: .*excerpt must be true or false"):
        load_catalog([builtin_patterns_dir() / "packs", folder], set(lexicon.kinds) | {"unknown"}, set(lexicon.category.values()))

GRADER = """digraph g {
  s [label="Student quiz page"]; api [label="Grading API"]; db [label="Rubrics & exemplars (Postgres)"];
  llm [label="LLM (Claude via Bedrock)"]; q [label="TA review queue"]; log [label="Grades log"];
  s -> api -> db; api -> llm -> api; llm -> q; api -> log; api -> s;
}"""


def test_an_llm_prompted_with_context_its_api_fetched_from_a_store_is_grounded():
    """No documents to search: the API fetches the rubric and exemplars, then prompts the LLM."""
    assert "grounding" not in findings(GRADER, problem="rag-llm")
    unfetched = GRADER.replace("s -> api -> db;", "s -> api;")
    assert "grounding" in findings(unfetched, problem="rag-llm")
    index_unused = GRADER.replace("}", 'idx [label="Vector index (pgvector)"]; docs [label="Course notes"]; docs -> idx;\n}')
    assert "grounding" in findings(index_unused, problem="rag-llm")  # documents it never reads


def test_a_path_from_the_app_through_logs_and_training_to_the_model_is_no_request_path():
    """Logged clicks retrain a model scored at upload time: the app reaches the model only
    through training, which delivers it; that is the model's making, not a request."""
    dot = """digraph t {
      up [label="Creator upload"]; fx [label="Frame extraction (ffmpeg)"]; cnn [label="Frame quality CNN"];
      cdn [label="Thumbnail CDN"]; app [label="Viewer app"]; log [label="Impression & click log"];
      tr [label="Retrain quality CNN weekly"];
      up -> fx -> cnn -> cdn -> app -> log -> tr -> cnn;
    }"""
    got = findings(dot)
    assert "no-batch-on-request-path" not in got
    assert "deploy-path" not in got  # the CNN is read as the model training delivers to
    assert "offline-evaluation" in got


def test_a_batch_design_is_asked_the_batch_question():
    """'The model times out' means nothing to a nightly job: its question is about the run."""
    batch = """digraph b {
      lake [label="Usage warehouse"]; tr [label="Train churn model"]; reg [label="Model registry"];
      sc [label="Nightly batch scoring"]; out [label="churn_scores table"]; crm [label="CRM campaign tool"];
      lake -> tr -> reg -> sc; lake -> sc -> out -> crm;
    }"""
    question = findings(batch)["fallback"][0].question
    assert "scoring run fails" in question and "times out" not in question
    online = 'digraph o { u [label="User"]; api [label="API"]; m [label="Ranking model"]; u -> api -> m -> api; }'
    assert "times out" in findings(online)["fallback"][0].question


def test_an_export_that_holds_the_outcome_is_a_label_source():
    """A one-off export 'with completed y/n' carries the outcome training learns from."""
    dot = """digraph m {
      lms [label="LMS database"]; csv [label="cohort_2023.csv (export, has completed y/n)"];
      tr [label="train.ipynb (RandomForest)"]; pkl [label="rf_model.pkl"]; sc [label="score.py weekly"];
      lms -> csv -> tr -> pkl -> sc; lms -> sc;
    }"""
    assert "label-source" not in findings(dot)
    assert "label-source" in findings(dot.replace("has completed y/n", "2023 cohort"))


def test_a_retriever_that_embeds_the_query_with_the_index_embedder_shares_it():
    """The query path may reach the embedder through the retriever, not only from the API
    (hypothesis found the fix's reuse of a retriever left the finding open)."""
    rag = """digraph r { u [label="User"]; llm [label="LLM"]; ret [label="Retriever", kind=candidate_generation];
      emb [label="Embedding model", kind=embedding]; idx [label="Vector index", kind=vector_index];
      docs [label="Docs"]; docs -> emb -> idx; u -> llm; ret -> emb; idx -> ret; ret -> llm; }"""
    assert "shared-embedder" not in findings(rag, problem="rag-llm")
    assert "shared-embedder" in findings(rag.replace("ret -> emb; ", ""), problem="rag-llm")
