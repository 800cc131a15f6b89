"""The problem bank (patterns/problems): it validates, every problem's reference architecture
is one an interviewer passes at staff level, and a bad problem file fails with file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck import problem_bank, reference
from diagramcheck.engine import review
from diagramcheck.errors import PatternError
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import LEVELS, PROBLEMS, STAGE_IDS, catalog_for
from diagramcheck.pipeline import load_graph
from diagramcheck.problem_bank import (
    INTERVIEW_MINUTES, answered, bank_for, builtin_problems_dir, expectations, load_bank, load_problem,
    problem_catalog, stage_plan,
)
from diagramcheck.reference import available

BANK = bank_for()
IDS = list(BANK.problems)
LEXICON = default_lexicon()
KINDS = set(LEXICON.kinds) | {"unknown"}


def test_the_bank_holds_the_classic_problems_across_every_type():
    assert len(BANK) >= 24
    assert {p.type for p in BANK} == set(PROBLEMS)
    for classic in ("video-recommendation", "news-feed-ranking", "people-you-may-know", "ads-click-prediction",
                    "product-search-ranking", "query-autocomplete", "visual-search", "harmful-content-detection",
                    "spam-detection", "payment-fraud-detection", "eta-prediction", "demand-forecasting",
                    "dynamic-pricing", "rag-support-bot", "code-assistant"):
        assert classic in BANK.problems


@pytest.mark.parametrize("problem_id", IDS)
def test_each_question_counts_as_answered_once_its_answer_is_written_down(problem_id):
    """The patterns that tell a live session which questions the notes answer recognise at
    least the interviewer's own answer, and not an empty sketch."""
    for question in BANK.problems[problem_id].questions:
        assert answered(question, [question.answer]), question.ask
        assert not answered(question, ["Online", "Offline"]), question.ask


@pytest.mark.parametrize("problem_id", IDS)
def test_reference_architecture_passes_a_staff_review_of_its_type(problem_id, cli, tmp_path):
    """As a user would check it: draw the reference, review it at staff level as its type:
    100, and no finding at all (a design an interviewer passes)."""
    problem = BANK.problems[problem_id]
    drawing = tmp_path / f"{problem_id}.excalidraw"
    code, _, err = cli("reference", problem_id, "-o", str(drawing))
    assert code == 0, err
    code, report, err = cli("review", "--level", "staff", "--problem", problem.type, "--format", "json", str(drawing))
    section = json.loads(report)["files"][0]
    assert [(f["rule"], f["message"]) for f in section["findings"]] == []  # not even information
    assert section["score"] == 100
    assert code == 0, err
    assert section["problem"] == problem.type


@pytest.mark.parametrize("problem_id", [p.id for p in BANK if p.rules])
def test_reference_architecture_meets_the_problems_extra_rules(problem_id, cli, tmp_path):
    problem = BANK.problems[problem_id]
    drawing = tmp_path / f"{problem_id}.excalidraw"
    assert cli("reference", problem_id, "-o", str(drawing))[0] == 0
    catalog = problem_catalog(catalog_for(), problem)
    result = review(load_graph(drawing), catalog, LEXICON.category, problem=problem.type, level="staff")
    assert {rule: result.outcomes[rule] for rule in problem.rules} == {rule: "pass" for rule in problem.rules}
    assert [f.rule for f in result.findings] == [] and result.score == 100


def test_extra_rules_are_enforced_only_for_their_problem():
    """A problem's extra rule applies to a review with its catalog, not to the type at large."""
    problem = next(p for p in BANK if "delayed-labels" in p.rules and p.type == "forecasting")
    base = catalog_for()
    widened = problem_catalog(base, problem)
    assert "forecasting" not in base.by_id("delayed-labels").problems
    assert "forecasting" in widened.by_id("delayed-labels").problems
    assert problem_catalog(base, problem) is widened
    stub = next(p for p in BANK if not p.rules)
    assert problem_catalog(base, stub) is base


def test_an_extra_rule_fires_on_a_design_that_misses_it():
    """The ETA reference without its label joiner: the type's own review does not ask for
    delayed labels, the problem's review does."""
    problem = BANK.problems["eta-prediction"]
    graph, _ = reference.load("eta-prediction", KINDS)
    joiner = next(c.id for c in graph.components if c.kind == "feedback")
    graph.connections = [c for c in graph.connections if joiner not in (c.source, c.target)]
    graph.components = [c for c in graph.components if c.id != joiner]
    plain = review(graph, catalog_for(), LEXICON.category, problem="forecasting", level="senior")
    held = review(graph, problem_catalog(catalog_for(), problem), LEXICON.category, problem="forecasting", level="senior")
    assert plain.outcomes["delayed-labels"] == "n/a"
    assert held.outcomes["delayed-labels"] == "fail"
    assert [f.severity for f in held.findings if f.rule == "delayed-labels"] == ["warning"]


@pytest.mark.parametrize("problem_id", [p.id for p in BANK if p.reference])
def test_own_reference_architectures_draw_without_overlapping_boxes(problem_id, cli, tmp_path):
    drawing = tmp_path / "r.excalidraw"
    assert cli("reference", problem_id, "-o", str(drawing))[0] == 0
    boxes = [(e["x"], e["y"], e["width"], e["height"]) for e in json.loads(drawing.read_text())["elements"] if e["type"] == "rectangle"]
    graph, _ = reference.load(problem_id, KINDS)
    assert len(boxes) == len(graph.components)
    for i, a in enumerate(boxes):
        for b in boxes[:i]:
            assert not (min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1]))


def test_problems_without_their_own_reference_reuse_their_types():
    reused = [p for p in BANK if not p.reference]
    assert reused
    for problem in reused:
        assert Path(problem.reference_path) == available()[problem.type]
    for problem in BANK:
        if problem.reference:
            assert Path(problem.reference_path).parent == builtin_problems_dir() / "reference"


@given(problem_id=st.sampled_from(IDS), minutes=st.integers(12, 240))
@settings(max_examples=200, deadline=None)
def test_the_stage_plan_scales_to_any_length_keeping_its_proportions(problem_id, minutes):
    problem = BANK.problems[problem_id]
    plan = stage_plan(problem, minutes)
    assert [stage for stage, _ in plan] == STAGE_IDS
    assert sum(m for _, m in plan) == minutes
    assert all(m >= 1 for _, m in plan)
    scaled = dict(plan)
    for a in STAGE_IDS:
        for b in STAGE_IDS:
            if problem.plan[a] > problem.plan[b]:
                assert scaled[a] >= scaled[b], (a, b)


@pytest.mark.parametrize("problem_id", IDS)
def test_the_plan_as_written_is_a_45_minute_interview_and_each_level_expects_more(problem_id):
    problem = BANK.problems[problem_id]
    assert stage_plan(problem) == [(s, problem.plan[s]) for s in STAGE_IDS]
    assert sum(problem.plan.values()) == INTERVIEW_MINUTES
    counts = []
    for level in LEVELS:
        by_stage = expectations(problem, level)
        assert list(by_stage) == STAGE_IDS
        counts.append(sum(len(items) for items in by_stage.values()))
    assert counts == sorted(counts) and counts[-1] == len(problem.expect)
    assert all(expectations(problem, "staff")[s] for s in STAGE_IDS)


# --- a bad problem file fails with file and line --------------------------------------------------


@pytest.fixture
def bad_bank(tmp_path):
    """A copy of one real problem and its reference, to break one thing at a time."""
    folder = tmp_path / "problems"
    (folder / "reference").mkdir(parents=True)
    source = builtin_problems_dir() / "query-autocomplete.toml"
    shutil.copy(builtin_problems_dir() / "reference" / "query-autocomplete.toml", folder / "reference")
    target = folder / "query-autocomplete.toml"
    original = source.read_text(encoding="utf-8")

    def load_with(old: str, new: str, count: int = 1) -> tuple[str, str]:
        assert old in original
        text = original.replace(old, new, count)
        target.write_text(text, encoding="utf-8")
        with pytest.raises(PatternError) as caught:
            load_problem(target, catalog_for(), KINDS)
        return str(caught.value), text

    load_with.target = target
    return load_with


def _line(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


@pytest.mark.parametrize(("old", "new", "marker", "says"), [
    ('stage = "data"\nask = "What is logged', 'stage = "dta"\nask = "What is logged', 'stage = "dta"', "questions.4.stage"),
    ('level = "mid"\nask = "Which markets', 'level = "principal"\nask = "Which markets', 'level = "principal"', "questions.2.level"),
    ('rules = ["realtime-features"]', 'rules = ["realtime-feature"]', "rules =", "unknown rule id 'realtime-feature'"),
    ('rules = ["realtime-features"]', 'rules = ["candidate-generation"]', "rules =", "already applies to every search-ranking"),
    ('kinds = ["candidate_generation", "ranking"]', 'kinds = ["candidate_generator"]', "candidate_generator", "unknown kind 'candidate_generator'"),
    ("monitoring = 2\n", "monitoring = 1\n", "[plan]", "add up to 44, not 45"),
    ("mlops = 2\n", "", "[plan]", "no minutes for mlops"),
    ("mlops = 2\n", "mlops = 0\ntask = 3\n", "[plan]", "invalid TOML"),
    ("mlops = 2\n", "mlops = 0\n", "[plan]", "plan.mlops: minutes must be a whole number of at least 1"),
    ("'\\bqps\\b'", "'(qps'", "'(qps'", "bad regex"),
    ("'\\bqps\\b'", "'x*'", "'x*'", "matches the empty string"),
    ('id = "query-autocomplete"', 'id = "query-autocomplet"', "id =", "must be the file's name"),
    ('id = "query-autocomplete"', 'id = "Query Autocomplete"', "id =", "must be kebab-case"),
    ("summary =", "sumary =", "sumary =", "unknown key"),
    ('reference = "query-autocomplete"', 'reference = "nowhere"', "reference =", "no file"),
    ('type = "search-ranking"', 'type = "rag-llm"', "reference =", "is a search-ranking design"),
    ('type = "search-ranking"', 'type = "weather"', "type =", "unknown problem type 'weather'"),
    ('[[follow_ups]]\nstage = "features"\nlevel = "senior"', '[[follow_ups]]\nstage = "features"\nlevel = "senior"\nanswer = "x"', 'answer = "x"', "follow_ups.0.answer: unknown key"),
])
def test_a_mistake_names_the_file_and_its_line(bad_bank, old, new, marker, says):
    message, text = bad_bank(old, new)
    if says == "invalid TOML":  # tomllib's own message gives the position
        assert message.startswith(f"{bad_bank.target}: invalid TOML") and "line" in message
        return
    assert message.startswith(f"{bad_bank.target}:{_line(text, marker)}: "), message
    assert says in message


def test_a_stage_without_expectations_is_refused(bad_bank):
    old = '[[expect]]\nstage = "mlops"'
    message, _ = bad_bank(old, '[[expect]]\nstage = "monitoring"')
    assert "no expectation for the stages mlops" in message


def test_two_problems_with_one_id_are_refused(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        (folder / "reference").mkdir(parents=True)
        shutil.copy(builtin_problems_dir() / "query-autocomplete.toml", folder)
        shutil.copy(builtin_problems_dir() / "reference" / "query-autocomplete.toml", folder / "reference")
    with pytest.raises(PatternError, match=r"b/query-autocomplete.toml:\d+: duplicate problem id 'query-autocomplete'"):
        load_bank([first, second], catalog_for(), KINDS)


def test_a_study_groups_own_problems_come_from_its_pattern_directory(tmp_path, cli, monkeypatch):
    own = tmp_path / "my-patterns" / "problems"
    (own / "reference").mkdir(parents=True)
    text = (builtin_problems_dir() / "query-autocomplete.toml").read_text(encoding="utf-8")
    (own / "shop-autocomplete.toml").write_text(
        text.replace('id = "query-autocomplete"', 'id = "shop-autocomplete"').replace('reference = "query-autocomplete"', 'reference = "shop"'),
        encoding="utf-8")
    shutil.copy(builtin_problems_dir() / "reference" / "query-autocomplete.toml", own / "reference" / "shop.toml")
    (tmp_path / ".diagramcheck.toml").write_text('patterns = ["my-patterns"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(problem_bank, "_BANKS", {})
    code, out, _ = cli("problems", "--format", "json")
    assert code == 0
    assert {"shop-autocomplete", "query-autocomplete"} <= {p["id"] for p in json.loads(out)["problems"]}
    (own / "broken.toml").write_text('id = "broken"\n', encoding="utf-8")
    problem_bank._BANKS.clear()  # a new run: the on-disk cache sees the new file
    code, _, err = cli("problems")
    assert code == 2 and f"{own / 'broken.toml'}:1: " in err


# --- the command line -------------------------------------------------------------------------


def test_problems_lists_the_bank(cli):
    code, out, _ = cli("problems")
    assert code == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == IDS
    code, out, _ = cli("problems", "--type", "forecasting", "--format", "json")
    document = json.loads(out)
    assert document["version"] == 1
    assert {p["type"] for p in document["problems"]} == {"forecasting"}
    assert {p["id"] for p in document["problems"]} == {p.id for p in BANK if p.type == "forecasting"}
    code, out, _ = cli("problems", "--focus", "operations", "--format", "json")
    assert all("operations" in p["focus"] for p in json.loads(out)["problems"])


def test_show_prints_the_prompt_questions_answers_and_plan(cli):
    problem = BANK.problems["query-autocomplete"]
    code, out, _ = cli("problems", "show", "query-autocomplete", "--level", "junior")
    assert code == 0
    flat = " ".join(out.split())
    assert " ".join(problem.prompt.split()) in flat
    for question in problem.questions:
        assert " ".join(question.ask.split()) in flat and " ".join(question.answer.split()) in flat
    assert "Stage plan (45 minutes)" in out and "0-5" in out and "43-45" in out
    junior_only = [e.text for e in problem.expect if e.level == "junior"]
    staff_only = [e.text for e in problem.expect if e.level == "staff"]
    assert all(" ".join(t.split()) in flat for t in junior_only)
    assert not any(" ".join(t.split()) in flat for t in staff_only)


def test_show_as_json_scales_the_plan(cli):
    code, out, _ = cli("problems", "show", "eta-prediction", "--format", "json", "--minutes", "60", "--level", "staff")
    assert code == 0
    document = json.loads(out)
    assert document["id"] == "eta-prediction" and document["type"] == "forecasting"
    assert sum(s["minutes"] for s in document["plan"]) == 60
    assert [s["stage"] for s in document["plan"]] == STAGE_IDS
    assert len(document["expect"]) == len(BANK.problems["eta-prediction"].expect)
    assert all({"stage", "ask", "answer", "answered_by", "level"} <= set(q) for q in document["questions"])


def test_an_unknown_problem_is_a_clear_error(cli):
    code, _, err = cli("problems", "show", "query-autocomplet")
    assert code == 2
    assert "no problem 'query-autocomplet'" in err and "did you mean 'query-autocomplete'" in err
    code, _, err = cli("reference", "no-such-problem", "-o", "unused.excalidraw")
    assert code == 2 and "no reference architecture for 'no-such-problem'" in err


def test_problem_text_cannot_drive_the_terminal(tmp_path, cli, monkeypatch):
    own = tmp_path / "pats" / "problems"
    (own / "reference").mkdir(parents=True)
    text = (builtin_problems_dir() / "query-autocomplete.toml").read_text(encoding="utf-8")
    text = text.replace('title = "Query autocomplete for a search engine"', 'title = "Evil \\u001b]0;pwned\\u0007 title"')
    (own / "evil-problem.toml").write_text(text.replace('id = "query-autocomplete"', 'id = "evil-problem"'), encoding="utf-8")
    shutil.copy(builtin_problems_dir() / "reference" / "query-autocomplete.toml", own / "reference")
    (tmp_path / ".diagramcheck.toml").write_text('patterns = ["pats"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for args in (("problems",), ("problems", "show", "evil-problem")):
        code, out, _ = cli(*args)
        assert code == 0 and "Evil" in out
        assert "\x1b" not in out and "\x07" not in out
