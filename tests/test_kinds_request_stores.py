"""Request-path and store kinds read as a person reads them (issue 16): connectors are not
users, a model's task is that model, Elasticsearch is kept or searched by what touches it."""

from __future__ import annotations

import pytest

from diagramcheck.kinds import default_lexicon
from tests.conftest import graph_of

LEXICON = default_lexicon()


def kind(label: str) -> str:
    return LEXICON.classify(label).kind


@pytest.mark.parametrize("label, expected", [
    ("Postgres client", "unknown"),  # a client library of a store is code, not the end user
    ("SQS client", "unknown"),
    ("CassandraReader", "unknown"),
    ("Tool caller", "unknown"),
    ("Mobile client", "client"),  # the device is the user's
    ("Caller", "client"),
    ("Reader", "client"),
])
def test_a_connector_is_no_end_user(label, expected):
    assert kind(label) == expected, LEXICON.classify(label)


@pytest.mark.parametrize("label, expected", [
    ("Defect detection", "serving"),
    ("Image classification", "serving"),
    ("Face recognition", "serving"),
    ("Covariate shift detection", "drift_detection"),  # a role before the task word decides
    ("Toxicity detection", "guardrails"),
    ("Churn classification service", "serving"),
    ("Detection summary", "unknown"),  # what the model output: a word no kind knows is the head
    ("Drift detection service", "drift_detection"),
])
def test_a_models_task_is_that_model(label, expected):
    assert kind(label) == expected, LEXICON.classify(label)


def test_a_task_named_model_is_still_a_model_for_the_graph():
    assert LEXICON.classify("Recognition model").model


def test_a_models_task_in_a_roles_zone_takes_the_zone():
    g = graph_of('digraph { subgraph cluster_m { label="Monitoring"; a [label="Anomaly detection"]; } }', "m.dot")
    assert g.by_id["a"].kind == "monitoring"  # a generic word: the zone decides


def test_managed_model_monitors_detect_drift():
    assert kind("SageMaker Model Monitor") == kind("Vertex AI Model Monitoring") == "drift_detection"
    assert kind("Model monitoring") == "monitoring"


def test_es_is_elasticsearch_kept_or_searched_by_its_neighbours():
    assert kind("ES cluster") == "vector_index"
    g = graph_of('digraph { s [label="es://events/{day}"]; j [label="Spark job"]; s -> j;'
                 ' e [label="ES index"]; r [label="Retriever"]; e -> r; }', "e.dot")
    assert g.by_id["s"].kind == "database" and "only data steps" in g.by_id["s"].kind_note
    assert g.by_id["e"].kind == "vector_index"  # retrieval reads it


def test_an_api_that_hands_the_request_on_is_the_front_api():
    g = graph_of('digraph { u [label="Web app"]; a [label="Prediction API"];'
                 ' r [label="Shadow router"]; m [label="TorchServe"]; u -> a -> r -> m;'
                 ' u2 [label="Mobile app"]; s [label="Scoring API"]; f [label="Feature store"]; u2 -> s -> f; }', "f.dot")
    assert g.by_id["a"].kind == "api" and "hands it on" in g.by_id["a"].kind_note
    assert g.by_id["s"].kind == "serving"  # it reads its features and answers: the model's own API
    g = graph_of('digraph { c [label="Chat client"]; i [label="Inference API"]; x [label="Context assembly"];'
                 ' w [label="LLM gateway"]; m [label="Self-hosted model"]; c -> i -> x -> w -> m; }', "l.dot")
    assert g.by_id["i"].kind == "api" and "leads to serving" in g.by_id["i"].kind_note  # a bare model is a model


def test_a_product_at_the_end_of_a_describing_detail_narrows_nothing():
    # the property test_appending_a_word_never_changes_a_stated_role found it: a detail that
    # names other roles describes the box, it does not name the narrower member
    assert kind("Accuracy dashboard: forecast vs actual Ray Tune") == "monitoring"
    assert kind("Metrics: MLflow") == "experiment_tracking"  # a detail that is only the member narrows


def test_an_api_whose_output_reaches_no_model_is_the_model():
    g = graph_of('digraph { c [label="Checkout service"]; f [label="Fraud scoring API"]; p [label="Payment service"];'
                 ' c -> f -> p; }', "p.dot")
    assert g.by_id["f"].kind == "serving"  # nothing it hands on leads to a model: it is the model
