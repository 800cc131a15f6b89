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
    ],
)
def test_context_leaves_these_alone(dot, box, kind):
    assert graph_of(dot, "g.dot").by_id[box].kind == kind
