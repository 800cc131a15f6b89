"""Context rules that place a step on the training side, the processing side or the batch side
of a design when its label leaves that open (issue 16): what feeds it, what it writes to, the
zone it stands in. Each graph is small and made up."""

from __future__ import annotations

import pytest

from tests.conftest import graph_of


@pytest.mark.parametrize(
    "dot, box, kind, said",
    [
        # a model evaluation hands on to storage, with no request near it, is the trained model
        ('digraph { e [label="Evaluate candidate"]; m [label="LightGBM model"]; s [label="S3 bucket"]; e -> m -> s; }',
         "m", "training", "fed by evaluation"),
        ('digraph { e [label="Offline evaluation"]; m [label="Model v2"]; s [label="Snowflake"]; e -> m -> s; }', "m",
         "training", "fed by evaluation"),
        # what a training zone writes to the model registry, its label naming no role, trains
        ('digraph { subgraph cluster_t { label="Model training"; x [label="Stacking engine"]; }'
         ' r [label="Model registry"]; x -> r; }', "x", "training", "feeds model_registry"),
        # a scikit-learn pipeline logged to tracking or the registry is the model being trained
        ('digraph { p [label="sklearn.pipeline.Pipeline"]; w [label="Weights & Biases"]; p -> w; }', "p", "training",
         "feeds experiment_tracking"),
        # a bare model whose own text (a bullet under its label) runs it as a job scores in batch
        ('digraph { m [label="XGBoost model\\n- runs as a Kubernetes job"]; }', "m", "batch_inference", "as a job"),
        ('digraph { m [label="Model\\n- cron, every night"]; }', "m", "batch_inference", "as a job"),
        # a box inside a CI server's frame is one of its jobs
        ('digraph { subgraph cluster_j { label="Jenkins"; b [label="webshop-nightly"]; } }', "b", "cicd",
         "CI server"),
        ('digraph { subgraph cluster_j { label="jenkins (ci.example.org)"; b [label="event-streams-smoke"]; } }', "b",
         "cicd", "CI server"),
    ],
)
def test_context_places_a_step_on_the_training_side(dot, box, kind, said):
    component = graph_of(dot, "g.dot").by_id[box]
    assert component.kind == kind and component.kind_source == "context"
    assert said in component.kind_note


@pytest.mark.parametrize(
    "dot, box, kind",
    [
        # a model evaluation hands on that keeps nothing in a store is left to the other rules
        ('digraph { a [label="Scoring API"]; e [label="Shadow evaluation"]; m [label="Model"]; a -> e -> m; }', "m",
         "serving"),
        # a box outside any training zone that writes to the registry is left to its label
        ('digraph { x [label="Stacking engine"]; r [label="Model registry"]; x -> r; }', "x", "unknown"),
        # a model whose text under the label says it is online is not moved by a batch zone
        ('digraph { subgraph cluster_b { label="Batch jobs"; r [label="Ranking model\\n- online endpoint"]; } }', "r",
         "ranking"),
        # a role a CI job runs stays that role in a CI server's frame
        ('digraph { subgraph cluster_j { label="Jenkins"; t [label="Retrain model"]; } }', "t", "training"),
        # a scikit-learn pipeline that feeds the feature store stays feature work
        ('digraph { p [label="sklearn Pipeline"]; f [label="Feast feature store"]; p -> f; }', "p", "feature_pipeline"),
    ],
)
def test_context_leaves_these_to_their_labels(dot, box, kind):
    assert graph_of(dot, "g.dot").by_id[box].kind == kind
