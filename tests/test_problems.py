"""Problem detection: which interview problem a sketch answers, from its words."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from diagramcheck.model import Component, ComponentGraph, Note
from diagramcheck.packs import catalog_for
from diagramcheck.problems import detect_problem, words_found

WORDS = catalog_for().problem_words
SAMPLE_WORDS = ["recommendation", "recs", "vector search", "vector", "trust and safety", "anomalous transactions", "news feed", "ads", "ctr", "search", "queries", "fraud", "chargeback",
                "moderation", "toxic", "llm", "rag", "chatbot", "eta", "forecasting", "demand", "feature store",
                "model", "kafka", "a", "-", "_", "2", "é", "for you", "q & a", "gpt-4o"]


def _grouped(patterns, corpus):
    """The obvious way: one alternation, a named group per word."""
    body = "|".join(f"(?P<w{i}>{p})" for i, p in enumerate(patterns))
    pattern = re.compile(r"(?<![a-z0-9])(?:" + body + r")(?![a-z0-9])")
    return [(int(m.lastgroup[1:]), m.group(0)) for m in pattern.finditer(corpus)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SAMPLE_WORDS), max_size=30), st.sampled_from(["", " ", "\n", "s", "ing "]))
def test_words_found_for_every_problem_as_its_own_grouped_alternation_finds_them(words, glue):
    """One scan of every problem's words, then matches where they start, finds what a scan
    per problem does, also where words of two problems overlap ("vector search")."""
    corpus = glue.join(words).lower()
    found = words_found(WORDS, corpus)
    assert list(found) == list(WORDS)
    for problem, patterns in WORDS.items():
        assert found[problem] == _grouped(patterns, corpus)


def test_overlapping_words_of_two_problems_both_count():
    found = words_found(WORDS, "vector search for trust and safety")
    assert [text for _, text in found["rag-llm"]] == ["vector search"]
    assert [text for _, text in found["search-ranking"]] == ["search"]
    assert [text for _, text in found["content-moderation"]] == ["trust and safety"]


def _graph(labels, notes=(), path="sketch.dot"):
    return ComponentGraph(
        path=path, format="dot",
        components=[Component(id=f"n{i}", label=label) for i, label in enumerate(labels)],
        notes=[Note(id=f"t{i}", text=t) for i, t in enumerate(notes)],
    )


def test_needs_two_distinct_words():
    assert detect_problem(_graph(["Fraud model"]), WORDS)[0] == "generic"
    problem, evidence = detect_problem(_graph(["Fraud model", "Chargebacks"]), WORDS)
    assert problem == "fraud-detection"
    assert evidence == ["fraud", "chargebacks"]


def test_the_same_word_twice_is_one_piece_of_evidence():
    assert detect_problem(_graph(["Fraud scoring", "Fraudulent orders"]), WORDS)[0] == "generic"


SIGNALS = catalog_for().problem_signals


def test_a_word_that_names_the_problem_is_enough_on_its_own():
    assert detect_problem(_graph(["ETA model", "Trip API"]), WORDS, SIGNALS)[0] == "forecasting"
    assert detect_problem(_graph(["People you may know"]), WORDS, SIGNALS)[0] == "recommendation"
    assert detect_problem(_graph(["Ranking model", "Kafka"]), WORDS, SIGNALS)[0] == "generic"
    assert detect_problem(_graph(["Pick time prediction per order line", "score.py"]), WORDS, SIGNALS)[0] == "forecasting"


def test_on_a_tie_the_problem_named_outright_wins():
    # a news feed logs impressions and clicks (ads words) but is a recommendation problem
    graph = _graph(["News feed ranker", "Impressions", "CTR dashboard"])
    assert detect_problem(graph, WORDS, SIGNALS)[0] == "recommendation"


def test_words_inside_other_words_do_not_count():
    # "metadata" holds "eta", "threads" holds "ads", "ragged" holds "rag"
    assert detect_problem(_graph(["Metadata store", "Threads", "Ragged arrays"]), WORDS)[0] == "generic"


def test_the_file_name_is_evidence():
    graph = _graph(["Ranking model", "Query understanding"], path="study/search_ranking.dot")
    assert detect_problem(graph, WORDS)[0] == "search-ranking"


def test_abuse_identity_and_credit_risk_are_fraud_and_risk_scoring():
    """The contract's fraud-detection is fraud, abuse and risk scoring: bots at login, KYC
    face match, credit default risk."""
    for labels in (["Bot detection model", "Login API"], ["KYC face match", "Selfie upload"],
                   ["Credit risk model (BNPL)", "Checkout"], ["Liveness check", "ID document OCR"],
                   ["Credit limit model", "Card application"], ["Credit line decisioning", "Bureau pull"]):
        assert detect_problem(_graph(labels), WORDS, SIGNALS)[0] == "fraud-detection", labels


def test_a_valuation_by_a_price_model_is_forecasting():
    """Estimating a price (a used car's value) is regression on outcomes, the forecasting family."""
    assert detect_problem(_graph(["Valuation API", "price model XGBoost regressor"]), WORDS, SIGNALS)[0] == "forecasting"


def test_words_people_use_for_other_things_do_not_name_a_problem():
    """Support agents are people, not LLM agents; moderators confirm duplicates as well as
    harmful posts; embeddings and guardrails serve recommenders too; a #pricing channel is no
    pricing model."""
    assert detect_problem(_graph(["Intent classifier", "Zendesk", "Manual triage for support agents"]), WORDS, SIGNALS)[0] == "generic"
    assert detect_problem(_graph(["Duplicate pair classifier", "Review UI (moderators)"]), WORDS, SIGNALS)[0] == "generic"
    assert detect_problem(_graph(["Item embeddings", "Substitution guardrail", "Ranker"]), WORDS, SIGNALS)[0] == "generic"
    assert detect_problem(_graph(["Anomaly detector", "Slack #pricing-alerts"]), WORDS, SIGNALS)[0] == "generic"
    assert detect_problem(_graph(["LLM agent with tool calls", "Orders API"]), WORDS, SIGNALS)[0] == "rag-llm"
    assert detect_problem(_graph(["Playlist continuation model", "Track embeddings"]), WORDS, SIGNALS)[0] == "recommendation"
    # an expert review queue and weekly reports are no moderation; a wait time is a time to predict
    assert detect_problem(_graph(["Leaf disease classifier", "Agronomist review queue", "Weekly reports"]), WORDS, SIGNALS)[0] == "generic"
    assert detect_problem(_graph(["Wait time model", "Waitlist API"]), WORDS, SIGNALS)[0] == "forecasting"


def test_a_phrase_naming_the_problem_wins_over_a_word_inside_it():
    """'Ad picker model' names ad selection: the phrase is found where the plain word 'ad'
    starts too, and counts as the signal it is."""
    problem, evidence = detect_problem(_graph(["Ad picker model", "Listener app", "Ad completion tracking"]), WORDS, SIGNALS)
    assert problem == "ads-ctr" and evidence[0] == "ad picker"
