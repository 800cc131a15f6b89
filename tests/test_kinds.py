"""Kind assignment: the labelled set's targets, the same labels through the readers,
tags, context, user synonyms and suggestions."""

from __future__ import annotations

import html
import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from benchmarks.kinds import context_free_kind, evaluate, load_labels
from diagramcheck.errors import PatternError
from diagramcheck.kinds import default_lexicon, words
from diagramcheck.writers.excalidraw import SceneBuilder
from tests.conftest import graph_of

ROWS = load_labels()


def test_labelled_set_is_large_and_covers_every_kind():
    assert len(ROWS) >= 400
    assert {kind for _, kind in ROWS} >= set(default_lexicon().kinds)


def test_accuracy_and_recall_targets():
    result = evaluate(default_lexicon(), ROWS)
    assert result["accuracy"] >= 0.95, result["wrong"]
    low = {k: r for k, (p, r, n) in result["per_kind"].items() if k != "unknown" and r < 0.85}
    assert not low, low


def test_labels_classify_the_same_inside_an_excalidraw_box():
    s = SceneBuilder(seed=99)
    sample = [(label, kind) for label, kind in ROWS if kind != "unknown"][::3]
    for i, (label, _) in enumerate(sample):
        s.box(label, (i % 20) * 250, (i // 20) * 150, 200, 100)
    graph = graph_of(s.scene())
    got = {c.label: c.kind for c in graph.components}
    lexicon = default_lexicon()
    for label, _ in sample:
        shown = " ".join(" ".join(label.split("\n")).split())
        assert got[shown] == context_free_kind(lexicon, label), label


def test_labels_classify_the_same_in_dot_html_labels():
    sample = [(label, kind) for label, kind in ROWS if kind != "unknown"][1::3]
    lines = ["digraph {"]
    for i, (label, _) in enumerate(sample):
        markup = "<BR/>".join(f"<B>{html.escape(part)}</B>" for part in label.split("\n"))
        lines.append(f"n{i} [label=<{markup}>];")
    lines.append("}")
    graph = graph_of("\n".join(lines), "k.dot")
    lexicon = default_lexicon()
    for i, (label, _) in enumerate(sample):
        assert graph.by_id[f"n{i}"].kind == context_free_kind(lexicon, label), label


def test_normalisation():
    assert words("insurance_prediction.FeatureStore") == ["insurance", "prediction", "feature", "store"]
    assert words("MLflow", default_lexicon().vocabulary) == ["mlflow"]
    assert words("ChatAPI", default_lexicon().vocabulary) == ["chat", "api"]


def test_a_known_name_with_its_version_written_on_is_that_name():
    vocabulary = default_lexicon().vocabulary
    assert words("Llama2", vocabulary) == ["llama", "2"]
    assert words("GPT4 (self-hosted)", vocabulary)[:2] == ["gpt", "4"]
    assert words("S3", vocabulary) == ["s3"]  # a name that is known with its digit stays whole
    assert words("item2vec", vocabulary) == ["item2vec"]  # letters after the digits: no version
    assert default_lexicon().classify("Qwen2 7B instruct").kind == "llm"


@pytest.mark.parametrize(
    "label, kind, roles",
    [
        ("Redis (online feature store)", "feature_store", []),
        ("Kafka event log", "stream", ["event_log"]),
        ("MLflow", "experiment_tracking", ["model_registry"]),
        ("SageMaker endpoint", "serving", []),
        ("SageMaker Pipelines", "orchestrator", []),
        ("Elasticsearch logs", "monitoring", []),
        ("Model monitoring & drift detection", "monitoring", ["drift_detection"]),
        ("Search API", "api", []),
        ("Auction\n(bid x pCTR, pacing)", "reranking", []),
        ("Text + image encoders (feature extraction)", "feature_pipeline", ["embedding"]),
    ],
)
def test_disambiguation(label, kind, roles):
    match = default_lexicon().classify(label)
    assert (match.kind, match.roles) == (kind, roles)


def test_bare_model_is_typed_by_its_connections_and_says_so():
    serving = graph_of('digraph { a [label="API"]; m [label="Model"]; a -> m; }', "m.dot")
    training = graph_of('digraph { l [label="Data lake"]; m [label="Model"]; l -> m; }', "m.dot")
    assert serving.by_id["m"].kind == "serving" and "fed by api" in serving.by_id["m"].kind_note
    assert training.by_id["m"].kind == "training" and "offline" in training.by_id["m"].kind_note


def test_zone_breaks_the_tie_for_a_bare_model():
    g = graph_of('digraph { subgraph cluster_t { label="Offline training"; m [label="model"]; } }', "m.dot")
    assert g.by_id["m"].kind == "training" and "zone" in g.by_id["m"].kind_note


def test_redis_fed_by_a_feature_pipeline_is_a_feature_store():
    g = graph_of('digraph { fp [label="Feature pipeline"]; r [label="Redis"]; fp -> r; }', "r.dot")
    assert g.by_id["r"].kind == "feature_store" and g.by_id["r"].kind_source == "context"


def test_a_question_on_a_model_metric_after_training_is_the_evaluation_gate():
    g = graph_of('digraph { t [label="train LightGBM"]; q [label="WAPE < prod?"]; r [label="MLflow"]; t -> q -> r; }', "q.dot")
    assert g.by_id["q"].kind == "evaluation" and "metric" in g.by_id["q"].kind_note
    zoned = graph_of('digraph { subgraph cluster_t { label="Training (monthly)"; q [label="PR-AUC ok by region?"]; } }', "z.dot")
    assert zoned.by_id["q"].kind == "evaluation"
    other = graph_of('digraph { t [label="train LightGBM"]; q [label="enough data?"]; t -> q; }', "o.dot")
    assert other.by_id["q"].kind != "evaluation"  # no metric named: the older rules place it


def test_a_model_library_a_request_reaches_is_served():
    g = graph_of('digraph { a [label="Claims API"]; m [label="Triage svc\\nXGBoost: fraud risk"]; a -> m; }', "m.dot")
    assert g.by_id["m"].kind == "serving" and g.by_id["m"].kind_source == "context"
    trained = graph_of('digraph { l [label="Data lake"]; m [label="XGBoost"]; l -> m; }', "t.dot")
    assert trained.by_id["m"].kind == "training"


def test_a_filter_on_what_the_llm_wrote_guards_it_and_one_before_it_reranks():
    after = graph_of('digraph { l [label="code LLM"]; f [label="post-filter: secrets, license"]; i [label="IDE plugin"]; l -> f -> i; }', "a.dot")
    assert after.by_id["f"].kind == "guardrails" and after.by_id["i"].kind == "client"
    before = graph_of('digraph { r [label="Retriever"]; f [label="post-filter: dedupe"]; l [label="LLM"]; r -> f -> l; }', "b.dot")
    assert before.by_id["f"].kind == "reranking"


def test_user_synonyms_from_config(tmp_path, cli):
    (tmp_path / "pyproject.toml").write_text('[tool.diagramcheck.synonyms]\nfeature_store = ["Zorblax"]\n', encoding="utf-8")
    sketch = tmp_path / "s.dot"
    sketch.write_text('digraph { z [label="Zorblax"]; }', encoding="utf-8")
    code, out, err = cli("graph", "--format", "json", str(sketch))
    assert '"kind": "feature_store"' in out


def test_bad_synonyms_name_the_file_and_suggest(tmp_path, cli):
    (tmp_path / ".diagramcheck.toml").write_text('[synonyms]\nfeature_stor = ["x"]\n', encoding="utf-8")
    sketch = tmp_path / "s.dot"
    sketch.write_text("digraph { a; }", encoding="utf-8")
    code, out, err = cli("graph", str(sketch))
    assert code == 2
    assert ".diagramcheck.toml" in err and "did you mean 'feature_store'" in err


def test_classification_is_deterministic():
    lexicon = default_lexicon()
    first = [lexicon._classify(label) for label, _ in ROWS]
    second = [lexicon._classify(label) for label, _ in ROWS]
    assert first == second


def test_bad_lexicon_names_the_line(tmp_path):
    from diagramcheck.kinds import load_lexicon_file

    bad = tmp_path / "kinds.toml"
    bad.write_text('version = 1\n\n[kinds.client]\ncategory = "requests"\ndescription = "x"\n', encoding="utf-8")
    with pytest.raises(PatternError, match=r"kinds.toml:4: .*unknown category 'requests'"):
        load_lexicon_file(bad)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([label for label, _ in ROWS]), st.integers(0, 10**6), st.booleans())
def test_a_number_no_phrase_uses_never_changes_the_kind(label, number, in_front):
    """Numbered boxes share one classification; this checks that sharing against the
    uncached matcher given the real number."""
    lexicon = default_lexicon()
    numbered = f"{number} {label}" if in_front else f"{label} {number}"
    expected = lexicon._read_tokens(lexicon.key(numbered, number_free=False))
    assert lexicon.classify(numbered) == lexicon.noting_language(numbered, expected)


def test_numbers_the_lexicon_knows_still_count():
    lexicon = default_lexicon()
    assert [k[0] for k in lexicon.key("GPT 4")] == ["gpt", "4"]
    assert [k[0] for k in lexicon.key("Worker 12")] == ["worker", "#"]
    assert lexicon.classify("Worker 7") == lexicon.classify("Worker 12")


_SHARED_TOKENS: dict = {}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Feature", "store", "ChatAPI", "MLflow", "BigQuery", "GPT", "4", "feast_v2", "Models",
                                 "&", "+", "-", "(", ")", " ", ".", "Kafka", "queries", "éclair", "x"]), max_size=12))
def test_token_cache_gives_the_same_words(parts):
    # the lexicon's token cache is shared by every label of a run: whatever labels came
    # before, a label's words are what the uncached split gives
    label = "".join(parts)
    vocabulary = default_lexicon().vocabulary
    assert words(label, vocabulary, _SHARED_TOKENS) == words(label, vocabulary)


@pytest.mark.parametrize("written", ["feature-store", "feature_store", "Feature-Store", " feature-store "])
def test_kind_tags_accept_hyphens_underscores_and_case(written):
    """`[feature-store]` was silently not a tag: the tag id is kebab- or snake-case alike."""
    from tests.conftest import graph_of

    dot = f'digraph {{ a [label="Magic box [{written}]"]; b [label="Thing", kind="{written.strip()}"]; a -> b; }}'
    graph = graph_of(dot, "x.dot")
    assert [(c.label, c.kind, c.kind_source) for c in graph.components] == [
        ("Magic box", "feature_store", "tag"), ("Thing", "feature_store", "tag")]
    assert graph.warnings == []


def test_a_bracket_that_is_no_kind_stays_in_the_label():
    from tests.conftest import graph_of

    graph = graph_of('digraph { a [label="Ranker [v2-beta]"]; }', "x.dot")
    assert graph.components[0].label == "Ranker [v2-beta]"


def test_a_typo_is_corrected_toward_the_word_that_makes_a_phrase_with_its_neighbour():
    lexicon = default_lexicon()
    assert lexicon.classify("moderaton model").kind == "serving"  # moderation model, not a moderator
    assert lexicon.classify("moderaton queue").kind == "human_review"
    assert lexicon.classify("Wrokers").kind == lexicon.classify("Workers").kind


def test_the_no_branch_of_a_model_gate_is_evaluation_not_a_served_model():
    lexicon = default_lexicon()
    for label in ("keep current model", "Reject candidate", "discard model"):
        assert lexicon.classify(label).kind == "evaluation", label


def test_an_api_that_loads_the_model_file_training_wrote_serves_it():
    dot = """digraph { d [label="MovieLens ratings csv"]; t [label="Train matrix factorization"]; m [label="model.pkl"];
      a [label="Flask API /recommend"]; f [label="React frontend"]; d -> t -> m -> a; f -> a -> f; }"""
    kinds = {c.label: c.kind for c in graph_of(dot, "t.dot").components}
    assert kinds["model.pkl"] == "model_registry" and kinds["Flask API /recommend"] == "serving"
    beside_a_server = dot.replace("m -> a;", 'm -> a; s [label="Model server"]; a -> s;')
    kinds = {c.label: c.kind for c in graph_of(beside_a_server, "t.dot").components}
    assert kinds["Flask API /recommend"] == "api"  # the server beside it serves; the API stays the API


def test_the_events_of_what_a_database_keeps_are_an_event_log():
    lexicon = default_lexicon()
    assert lexicon.classify("Transaction events (Kafka)").kind == "event_log"
    assert lexicon.classify("Transactions DB").kind == "database"


def test_a_generator_is_a_language_model_only_beside_one_s_parts():
    kinds = {c.label: c.kind for c in graph_of('digraph { g [label="Generators"]; p [label="Providers"]; d [label="Databases"]; g -> p; d -> p; }', "t.dot").components}
    assert kinds["Generators"] == "unknown"
    rag = 'digraph { u [label="User"]; r [label="Retriever"]; g [label="Generator"]; u -> r -> g -> u; }'
    assert {c.label: c.kind for c in graph_of(rag, "t.dot").components}["Generator"] == "llm"


def test_an_image_registry_is_hosting_unless_drawn_in_the_ci_cd():
    alone = graph_of('digraph { b [label="Build service"]; r [label="Docker Hub"]; b -> r; }', "r.dot")
    assert alone.by_id["r"].kind == "unknown"
    zoned = graph_of('digraph { subgraph cluster_c { label="CI/CD"; b [label="Unit tests"]; r [label="Quay image registry"]; '
                     'b -> r; } }', "c.dot")
    assert zoned.by_id["r"].kind == "cicd" and "CI/CD zone" in zoned.by_id["r"].kind_note


def test_a_programming_language_is_no_typo_of_a_lexicon_word():
    lexicon = default_lexicon()
    assert lexicon.classify("Spark job (Scala)").note == ""  # not Scale AI
    assert lexicon.classify("Kafak").note == "read 'kafak' as 'kafka'"


def test_a_clustering_model_its_label_schedules_scores_in_batch():
    """"HDBSCAN clustering - nightly" between the embeddings and a table is a model run on a
    schedule, batch inference; with no schedule in its words it is placed like any bare model."""
    dot = 'digraph { e [label="Article embeddings"]; m [label="HDBSCAN clustering - nightly"]; t [label="clusters table"]; e -> m -> t; }'
    assert graph_of(dot, "c.dot").by_id["m"].kind == "batch_inference"
    api = 'digraph { a [label="Search API"]; m [label="K-means clustering"]; a -> m; }'
    assert graph_of(api, "c.dot").by_id["m"].kind == "serving"


def test_a_person_a_product_serves_names_a_client_only_alone():
    lexicon = default_lexicon()
    assert lexicon.classify("Seller").kind == "client"
    assert lexicon.classify("keep existing seller copy").kind == "unknown"  # whose copy, not who
    assert lexicon.classify("Re-embed top-seller copy (weekly)").kind == "embedding"


def test_what_an_arrow_reaches_on_failure_is_the_fallback():
    dot = """digraph { api [label="Reply API"]; llm [label="LLM"]; c [label="Canned replies (top-50 templates)"];
      r [label="Redis cache"]; api -> llm; api -> c [label="timeout / all filtered"]; api -> r [label="on error"]; }"""
    g = graph_of(dot, "f.dot")
    assert g.by_id["c"].kind == "fallback" and "fails" in g.by_id["c"].kind_note
    assert g.by_id["r"].kind == "cache"  # a box its label types keeps its kind
    plain = graph_of(dot.replace("timeout / all filtered", "templates"), "f.dot")
    assert plain.by_id["c"].kind != "fallback"


@pytest.mark.parametrize("name, source", [
    ("s.mmd", 'flowchart LR\n  app[App] --> d[(dictionary)]\n  k[(Kafka)] --> app\n  s@{ shape: cyl, label: "Promo calendar" } --> app\n'),
    ("s.dot", 'digraph { app [label="App"]; d [label="dictionary", shape=cylinder]; k [label="Kafka", shape=cylinder];'
              ' s [label="Promo calendar", shape=cylinder]; app -> d; k -> app; s -> app; }'),
    ("s.drawio", '<mxfile><diagram name="p"><mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>'
                 '<mxCell id="app" value="App" vertex="1" parent="1"><mxGeometry x="0" y="0" width="100" height="60" as="geometry"/></mxCell>'
                 '<mxCell id="d" value="dictionary" style="shape=cylinder3;" vertex="1" parent="1"><mxGeometry x="300" y="0" width="80" height="80" as="geometry"/></mxCell>'
                 '<mxCell id="k" value="Kafka" style="shape=cylinder3;" vertex="1" parent="1"><mxGeometry x="0" y="300" width="80" height="80" as="geometry"/></mxCell>'
                 '<mxCell id="s" value="Promo calendar" style="shape=datastore;" vertex="1" parent="1"><mxGeometry x="300" y="300" width="80" height="80" as="geometry"/></mxCell>'
                 '<mxCell id="e1" edge="1" parent="1" source="app" target="d"><mxGeometry relative="1" as="geometry"/></mxCell>'
                 '<mxCell id="e2" edge="1" parent="1" source="k" target="app"><mxGeometry relative="1" as="geometry"/></mxCell>'
                 '<mxCell id="e3" edge="1" parent="1" source="s" target="app"><mxGeometry relative="1" as="geometry"/></mxCell>'
                 '</root></mxGraphModel></diagram></mxfile>'),
])
def test_a_cylinder_whose_label_names_no_kind_is_a_database(name, source):
    """Every format draws a store as a cylinder; a reader takes "dictionary" drawn so for a
    database, while a label that names its kind ("Kafka") keeps it."""
    graph = graph_of(source, name)
    kind = {c.label: c.kind for c in graph.components}
    assert kind == {"App": "client", "dictionary": "database", "Kafka": "stream", "Promo calendar": "database"}
    assert "outline" in next(c.kind_note for c in graph.components if c.label == "dictionary")


def test_where_a_cylinder_stands_decides_before_its_outline():
    """Context reads a cylinder first: one that training writes and serving loads is the model
    store, and the outline only types what nothing else tells."""
    graph = graph_of('flowchart LR\n  t[Train model] --> v\n  subgraph reg[Model registry]\n    v[(v3 - blessed)]\n  end\n'
                     '  v --> s[Serving API]\n', "s.mmd")
    assert {c.label: c.kind for c in graph.components}["v3 - blessed"] == "model_registry"
