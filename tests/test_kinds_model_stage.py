"""Context rules for the model-stage and MLOps kinds (issue 16): what a box's neighbours,
arrows and zone settle that its label leaves open. Each graph is small and made up."""

from __future__ import annotations

import pytest

from tests.conftest import graph_of


@pytest.mark.parametrize(
    "dot, box, kind, said",
    [
        # a channel monitoring posts to is where its alerts go
        ('digraph { g [label="Grafana"]; s [label="Slack"]; g -> s; }', "s", "alerting", "fed by monitoring"),
        # a box whose label says nothing, fed only by alerting, receives the alerts
        ('digraph { a [label="Alertmanager"]; m [label="Inbox"]; a -> m; }', "m", "alerting", "fed only by alerting"),
        # a monitor that receives drift detects it
        ('digraph { c [label="Collector"]; m [label="Model monitor"]; c -> m [label="data drift"]; }', "m",
         "drift_detection", "data drift"),
        # a serving box asked for language-model inference is the language model
        ('digraph { a [label="Agent runtime"]; v [label="SageMaker endpoint"]; a -> v [label="LLM inference"]; }', "v",
         "llm", "LLM inference"),
        # an API training hands the model to serves it
        ('digraph { t [label="Train model"]; a [label="FastAPI"]; t -> a; }', "a", "serving", "fed by training"),
        # an approval between the registry and deployment is the release gate
        ('digraph { r [label="Model registry"]; ap [label="Manual approval"]; d [label="Deploy to prod"]; r -> ap -> d; }',
         "ap", "cicd", "next to"),
        # a person a classifier hands its output to reviews it
        ('digraph { c [label="Toxicity classifier"]; h [label="Human"]; c -> h; }', "h", "human_review", "fed by serving"),
        # a bare model asked to generate a response from a prompt is the language model
        ('digraph { a [label="Chat backend"]; m [label="Models"]; a -> m [label="generate response from prompt"]; }', "m",
         "llm", "generate response"),
        # a check the generated answer goes through on its way back guards the output
        ('digraph { g [label="Gateway"]; v [label="Validation step"]; g -> v [label="answer + citations"]; }', "v",
         "guardrails", "answer"),
        # a ranker inside a nightly job scores in batch
        ('digraph { subgraph cluster_b { label="Nightly batch job"; r [label="Ranking model"]; } }', "r",
         "batch_inference", "Nightly batch job"),
        # -- the training side, the batch side, evaluation steps, a registry's stores, CI jobs --
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
        # preparing the model itself for the training it feeds is part of that training
        ('digraph { p [label="Prepare backbone"]; f [label="Fine-tune ViT"]; p -> f; }', "p", "training",
         "feeds training"),
        ('digraph { p [label="Prepare ResNet model"]; t [label="Train detector"]; p -> t; }', "p", "training",
         "feeds training"),
        # a step between evaluation steps in an evaluation zone evaluates, though it names predictions
        ('digraph { subgraph cluster_e { label="Offline evaluation"; a [label="Evaluate on holdout"];'
         ' p [label="Calibrated predictions"]; b [label="Evaluation report"]; a -> p -> b; } }', "p", "evaluation",
         "fed by evaluation"),
        # an object store inside MLflow's frame keeps its model artifacts
        ('digraph { subgraph cluster_m { label="MLflow"; s [label="S3 bucket"]; t [label="Tracking server"]; } }', "s",
         "model_registry", "MLflow"),
        # a SQL database the registry writes its records to is the database behind it
        ('digraph { r [label="Model registry"]; d [label="Registry metadata (MySQL)"]; r -> d; }', "d", "database",
         "fed only by model_registry"),
    ],
)
def test_context_settles_model_stage_kinds(dot, box, kind, said):
    component = graph_of(dot, "g.dot").by_id[box]
    assert component.kind == kind and component.kind_source == "context"
    assert said in component.kind_note


@pytest.mark.parametrize(
    "dot, box, kind",
    [
        # the user reading the answer is no reviewer, though a model's output reaches them through the API
        ('digraph { c [label="Classifier"]; a [label="API"]; u [label="Human"]; c -> a -> u; }', "u", "client"),
        # an approval in the request path is a person's review, not a release gate
        ('digraph { a [label="API"]; ap [label="Manual approval"]; a -> ap; }', "ap", "human_review"),
        # a monitor that only reports drift onwards (the receiver detects it) stays monitoring
        ('digraph { m [label="Monitor"]; t [label="Retrain"]; m -> t [label="drift"]; }', "m", "monitoring"),
        # offline evaluation of answers beside training stays evaluation
        ('digraph { t [label="Fine-tune"]; v [label="Evaluation"]; t -> v [label="generated answers"]; }', "v", "evaluation"),
        # an online endpoint in a batch zone still answers requests
        ('digraph { subgraph cluster_b { label="Batch jobs"; r [label="Online ranking endpoint"]; } }', "r", "serving"),
        # -- the training side, the batch side, evaluation steps, a registry's stores, CI jobs --
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
        # preparing the model's data for training is feature work, as before
        ('digraph { p [label="Prepare model inputs"]; t [label="Train model"]; p -> t; }', "p", "feature_pipeline"),
        # predictions the app reads in an evaluation zone are served
        ('digraph { subgraph cluster_e { label="Evaluation"; a [label="Evaluate on holdout"];'
         ' p [label="Prediction service"]; b [label="Evaluation report"]; a -> p -> b; } c [label="Web app"]; c -> p; }',
         "p", "serving"),
        # a registry on a SQL database that serving loads from is the registry itself
        ('digraph { t [label="Train"]; r [label="Model registry (Postgres)"]; s [label="Model server"]; t -> r -> s; }', "r",
         "model_registry"),
        # a scikit-learn pipeline that feeds the feature store stays feature work
        ('digraph { p [label="sklearn Pipeline"]; f [label="Feast feature store"]; p -> f; }', "p", "feature_pipeline"),
    ],
)
def test_context_leaves_these_alone(dot, box, kind):
    assert graph_of(dot, "g.dot").by_id[box].kind == kind
