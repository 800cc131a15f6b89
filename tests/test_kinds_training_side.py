"""A step the graph reads as training before another training step (issue 16: 'Prepare backbone
-> Fine-tune') leaves the review's deploy path as it was: what one training step hands the next
is no deploy target. The context rules' own graph tests are in tests/test_kinds_model_stage.py."""

from __future__ import annotations

from diagramcheck.engine import review
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import catalog_for
from tests.conftest import graph_of


def test_a_training_step_that_feeds_another_is_no_deploy_target():
    dag = ('digraph { d [label="data/raw"]; p [label="Prepare backbone"]; t [label="Fine-tune ViT"];'
           ' e [label="evaluate.py"]; d -> t; p -> t -> e; }')
    graph = graph_of(dag, "t.dot")
    assert graph.by_id["p"].kind == "training"
    result = review(graph, catalog_for(), default_lexicon().category)
    assert "deploy-path" in {f.rule for f in result.findings}
