"""Where `fix` wires what it adds, on small sketches a candidate would draw: each added box goes
where an experienced interviewer would draw it, whatever the design (exploration at the
ranker, a fallback answering to what takes the model's answer, a cache in front of the model
that answers, a log that reaches training, re-ranking back to the API, labelling fed by review)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from diagramcheck.correct import correct
from diagramcheck.engine import review
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import PROBLEMS, catalog_for
from tests.test_fix_property import graphs

SEARCH_NOTE = """# Week 3: e-commerce search with LLM query rewriting

Task: learning to rank (query, product) pairs; an LLM rewrites vague long-tail queries.

```mermaid
flowchart LR
  user([Shopper]) --> api[Search API]
  api --> rw[LLM query rewriter]
  rw <--> rwcache[(Rewrite cache)]
  rw --> bm25[BM25 retrieval - Elasticsearch]
  bm25 --> rank[LTR ranker LambdaMART]
  fs[(Feature store)] --> rank
  rank --> api
  api --> logs[Click and purchase logs]
  logs --> lake[(Data lake)]
  lake --> train[Train LambdaMART]
  train --> eval[Offline eval NDCG]
  eval --> reg[Model registry]
  reg --> rank
```
"""


def planned(path, **kw):
    [sketch] = correct(path, default_lexicon(), catalog_for(), dry_run=True, **kw).sketches
    names = {c.id: c.label for c in sketch.graph.components} | {c.id: c.label for c in sketch.plan.components}
    pairs = {(names[c.source], names[c.target]) for c in sketch.plan.connections}
    return sketch, names, pairs


def wired(pairs, label_part: str) -> set[tuple[str, str]]:
    return {p for p in pairs if label_part in p[0] or label_part in p[1]}


def test_search_exploration_log_and_reranking_sit_at_the_ranker_and_the_api(tmp_path):
    """The LLM rewriter is drawn before the ranker: exploration still goes on the ranker (the
    fix's alternatives are tried in the order written), the impression log feeds the lake
    training reads instead of ending there, and re-ranking answers to the API, not the shopper."""
    note = tmp_path / "search_llm_rewrite.md"
    note.write_text(SEARCH_NOTE, encoding="utf-8")
    sketch, names, pairs = planned(note, problem="search-ranking")
    explore = next(c for c in sketch.plan.components if "exploration" in c.rules)
    assert {t for s, t in pairs if s == explore.label} == {"LTR ranker LambdaMART"}
    assert ("Search API", "Impression log (with position)") in pairs
    assert ("Impression log (with position)", "Data lake") in pairs
    rerank = next(c.label for c in sketch.plan.components if c.kind == "reranking")
    assert ("LTR ranker LambdaMART", rerank) in pairs and (rerank, "Search API") in pairs
    assert not wired(pairs, "Shopper") and not wired(pairs, "LLM query rewriter")
    assert ("Fallback (heuristic)", "Search API") in pairs


def test_a_cache_goes_in_front_of_the_model_that_answers_not_speech_recognition(tmp_path):
    """ASR, then the intent classifier the design trains: a cache of answers, keyed on the
    request, sits in front of the classifier."""
    sketch_file = tmp_path / "voice_intent.dot"
    sketch_file.write_text("""digraph voice { rankdir=LR;
      device [label="Smart speaker / phone"]; asr [label="ASR service (speech to text)"]; api [label="Assistant API"];
      intent [label="Intent classifier service (DistilBERT, ONNX)"]; rules [label="Rule grammar fallback"];
      skills [label="Skill executor"]; logs [label="Utterance log (Kafka)"]; lake [label="Data lake"];
      train [label="Fine-tune DistilBERT"]; eval [label="Offline evaluation (macro-F1 gate)"]; reg [label="Model registry"];
      mon [label="Prediction monitoring"]; alert [label="PagerDuty alerting"];
      device -> asr -> api -> intent -> skills -> device; api -> rules -> skills; intent -> logs -> lake -> train -> eval -> reg -> intent;
      intent -> mon -> alert; }""", encoding="utf-8")
    sketch, names, pairs = planned(sketch_file)
    cache = [c for c in sketch.plan.components if c.kind == "cache"]
    assert [c.rules for c in cache] == [["serving-cache"]]
    assert {t for s, t in pairs if s == cache[0].label} == {"Intent classifier service (DistilBERT, ONNX)"}
    assert "serving-cache" in sketch.plan.fixed


def test_a_fallback_answers_to_the_decision_step_not_the_application(tmp_path):
    """Three boxes: application -> credit limit model -> approve. The fallback answers in the
    model's place to the step that takes its answer; the cache sits in front of the model."""
    note = tmp_path / "credit_limit.mmd"
    note.write_text("flowchart LR\n  app[Credit card application] --> model[Credit limit model]\n"
                    "  bureau[(Credit bureau data)] --> model\n  model --> decision[Approve limit]\n", encoding="utf-8")
    sketch, names, pairs = planned(note, problem="generic")
    assert ("Fallback (heuristic)", "Approve limit") in pairs
    assert not wired(pairs, "Credit card application")
    cache = next(c.label for c in sketch.plan.components if c.kind == "cache")
    assert (cache, "Credit limit model") in pairs


def test_a_batch_fallback_is_what_the_app_reads_when_tonight_s_run_fails(tmp_path):
    """Nightly scoring writes a scores table a CRM reads: the fallback (last good scores, a
    default) goes to that table, not into the scoring job."""
    sketch_file = tmp_path / "churn_batch.dot"
    sketch_file.write_text("""digraph churn { wh [label="Snowflake warehouse (billing, usage)"]; feats [label="Feature pipeline"];
      train [label="Train XGBoost monthly"]; eval [label="Backtest on last quarter"]; reg [label="Model registry"];
      score [label="Nightly batch scoring"]; table [label="Churn scores table"]; crm [label="Retention campaign app"];
      airflow [label="Airflow"]; wh -> feats -> train -> eval -> reg -> score; feats -> score; score -> table -> crm;
      airflow -> train; airflow -> score; }""", encoding="utf-8")
    sketch, names, pairs = planned(sketch_file)
    fallback = next(c.label for c in sketch.plan.components if c.kind == "fallback")
    assert {t for s, t in pairs if s == fallback} == {"Churn scores table"}
    assert "fallback" in sketch.plan.fixed


def test_human_labels_for_fraud_add_the_labelling_the_fix_names(tmp_path):
    """Under fraud-detection the human-labels fix says "add human labelling": the plan adds a
    labelling box, fed by the review step the sketch draws, that feeds evaluation (before, it
    wired the approval step straight into an added offline evaluation)."""
    note = tmp_path / "credit_limit.mmd"
    note.write_text("flowchart LR\n  app[Credit card application] --> model[Credit limit model]\n"
                    "  bureau[(Credit bureau data)] --> model\n  model --> decision[Approve limit]\n", encoding="utf-8")
    sketch, names, pairs = planned(note, problem="fraud-detection")
    labelling = [c for c in sketch.plan.components if "human-labels" in c.rules and c.kind == "labeling"]
    assert len(labelling) == 1 and "relevance" not in labelling[0].label
    evaluation = next(c.label for c in sketch.plan.components if c.kind == "evaluation")
    assert ("Approve limit", labelling[0].label) in pairs and (labelling[0].label, evaluation) in pairs
    assert ("Approve limit", evaluation) not in pairs
    finding = next(f for f in review(sketch.graph, catalog_for(), default_lexicon().category, problem="fraud-detection").findings
                   if f.rule == "human-labels")
    assert "Add Human labelling (labeling)" in finding.fix


# generated designs ---------------------------------------------------------------------

LEXICON = default_lexicon()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from(PROBLEMS))
def test_serving_helpers_are_never_wired_to_the_client_and_exploration_sits_on_the_slate(graph, problem):
    """On any design: the fallback and cache a fix adds are wired to a model or what takes its
    answer, never to the client; exploration goes on the re-ranking layer whenever one is drawn."""
    kinds = {c.id: c.kind for c in graph.components}
    for finding in review(graph, catalog_for(), LEXICON.category, problem=problem).findings:
        added = {a["ref"] for a in finding.fix_actions.get("add", [])}
        ends = [c["to"] for c in finding.fix_actions.get("connect", []) if c["from"] in added]
        if finding.rule in ("fallback", "serving-cache"):
            assert all(kinds.get(end) != "client" for end in ends), (finding.rule, ends)
        if finding.rule == "exploration" and "reranking" in kinds.values():
            assert ends and all(kinds[end] == "reranking" for end in ends)
