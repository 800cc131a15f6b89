"""Sources, stores and model delivery read from their words and their graph (issue 16): the
web an agent searches is a corpus, a store product decides what its data is kept in, a
runner CI hands jobs to is CI's, a condition step is a step of what it judges."""

from __future__ import annotations

import pytest

from diagramcheck.kinds import default_lexicon
from tests.conftest import graph_of

LEXICON = default_lexicon()


@pytest.mark.parametrize("label, expected", [
    ("Web search", "document_source"),  # the web searched is the corpus read
    ("Serper", "document_source"),  # a web-search API, not a typo of "server"
    ("Semantic search", "candidate_generation"),  # retrieval over the design's own index stays retrieval
    ("Postgres raw data", "database"),  # the product is the store
    ("Snowflake DB", "data_lake"),
    ("MySQL\nraw tables", "database"),  # a product named above the data it keeps is that store
    ("Kinesis\nclick events", "stream"),
    ("Dropbox files", "document_source"),  # the documents' own home
    ("S3 files", "data_lake"),
])
def test_sources_and_stores_by_their_words(label, expected):
    assert LEXICON.classify(label).kind == expected, LEXICON.classify(label)


def test_a_runner_ci_hands_jobs_to_is_ci():
    g = graph_of('digraph { ci [label="GitHub Actions"]; r [label="Runner"]; ci -> r; }', "ci.dot")
    assert g.by_id["r"].kind == "cicd"
    alone = graph_of('digraph { a [label="Feature API"]; r [label="Runner"]; a -> r; }', "r.dot")
    assert alone.by_id["r"].kind != "cicd"  # nothing says CI runs it


def test_a_condition_step_judges_what_feeds_it():
    g = graph_of('digraph { e [label="Evaluate model"]; c [label="Condition step"]; r [label="Register model"];'
                 ' e -> c; c -> r; }', "c.dot")
    assert g.by_id["c"].kind == "evaluation"


@pytest.mark.parametrize("label, expected", [
    ("model_store/features.py\nsame code offline and online", "feature_library"),  # its folder is where it lives
    ("pipelines/serve.py", "serving"),
    ("retrain.csv", "data_lake"),  # a file of data, whatever its name says
    ("weekly_sales.sql", "batch_processing"),  # a query: the step that runs it
    ("fit_model.sql", "training"),  # ...unless a verb names its step
    ("S3/GCS", "data_lake"),  # no file: read as before
])
def test_a_file_is_what_its_extension_and_name_say(label, expected):
    assert LEXICON.classify(label).kind == expected, LEXICON.classify(label)


@pytest.mark.parametrize("label, expected", [
    ("Score customers nightly", "batch_inference"),  # who is scored is no container of the verb
    ("Score users", "serving"),
    ("Rank members", "ranking"),
    ("Score cache", "cache"),  # a container noun still makes the verb a noun
    ("Search API", "api"),
])
def test_a_verb_acts_on_people_and_items(label, expected):
    assert LEXICON.classify(label).kind == expected, LEXICON.classify(label)


@pytest.mark.parametrize("label, expected", [
    ("Fallback ranker", "fallback"),  # named as the fallback, whatever it does
    ("Backup classifier", "fallback"),
    ("Predict demand every night", "batch_inference"),  # a schedule in words
    ("Package model", "cicd"),
    ("Validate features", "data_validation"),
    ("Evaluation metrics", "evaluation"),
])
def test_fallbacks_schedules_packaging_and_checks(label, expected):
    assert LEXICON.classify(label).kind == expected, LEXICON.classify(label)


def test_a_backup_server_is_no_fallback_model():
    assert LEXICON.classify("Backup server").kind != "fallback"  # it may keep a copy of data
