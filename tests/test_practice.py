"""Practice sessions: every problem's starter sketch in every format reviews as an empty
design should (the architecture stage fails with nothing-to-review, nothing else is judged,
no traceback); the journal is read whatever it holds and suggests a problem that targets
the weakest stage; a scripted practice run goes end to end: starter, a user's edits seen by
the live page, `practice done`, `progress`."""

from __future__ import annotations

import html
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from diagramcheck import journal, practice
from diagramcheck.packs import STAGE_IDS
from diagramcheck.problem_bank import bank_for
from diagramcheck.runner import ReviewOptions, graph_files, review_files
from tests.drawing import Drawing

BANK = bank_for()
IDS = list(BANK.problems)
FORMATS = ["excalidraw", "mermaid", "dot", "drawio"]


@pytest.fixture
def here(tmp_path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_command_writes_a_starter_and_prints_the_prompt_and_plan(here, cli, fmt):
    code, out, err = cli("practice", "eta-prediction", "--format", fmt, "--minutes", "60", "--level", "mid", "--no-watch")
    assert code == 0, err
    written = here / practice.default_name("eta-prediction", fmt)
    assert written.is_file()
    problem = BANK.problems["eta-prediction"]
    assert problem.title in out and " ".join(problem.prompt.split()[:8]) in " ".join(out.split())
    plan = re.findall(r"^\s+(\d+)-(\d+)\s+min\s+(.+)$", out, re.M)
    assert len(plan) == len(STAGE_IDS) and plan[0][0] == "0" and plan[-1][1] == "60"
    sessions = practice.open_sessions(here)
    assert list(sessions) == [written.name]
    assert (sessions[written.name].problem, sessions[written.name].level, sessions[written.name].minutes) == ("eta-prediction", "mid", 60)
    code, _, err = cli("practice", "eta-prediction", "--format", fmt, "--no-watch")
    assert code == 2 and "output exists; use --force" in err  # a drawing is never overwritten unasked
    assert cli("practice", "eta-prediction", "--format", fmt, "--no-watch", "--force")[0] == 0


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("problem_id", IDS)
def test_each_starter_reviews_as_an_empty_design(tmp_path, problem_id, fmt):
    """The prompt as a note, Online and Offline zones, nothing else; reviewed as its problem,
    only the architecture stage is judged, and it fails: there is no design yet."""
    problem = BANK.problems[problem_id]
    sketch = tmp_path / f"start{practice.SUFFIXES[fmt]}"
    sketch.write_bytes(practice.starter(problem, fmt))
    read = graph_files(ReviewOptions(paths=[str(sketch)]))
    assert read.errors == [] and read.warnings == [] and len(read.graphs) == 1
    graph = read.graphs[0]
    assert sorted(z.label for z in graph.zones) == ["Offline", "Online"]
    assert graph.components == [] and graph.connections == []
    words = " ".join(" ".join(n.text for n in graph.notes).split())
    assert " ".join(problem.prompt.split()) in words
    session = practice.Session(sketch.name, problem_id, "staff", 45, time.time(), fmt)
    result = review_files(practice.review_options(sketch, session))
    assert result.errors == [] and len(result.reviews) == 1
    review = result.reviews[0]
    assert review.problem == problem.type
    assert {s.stage: s.status for s in review.stages} == {s: "fail" if s == "architecture" else "n/a" for s in STAGE_IDS}
    assert [f.rule for f in review.findings] == ["nothing-to-review"] and review.score == 0
    # the prompt's own words answer none of its questions
    assert [q.ask for q, yes in practice.questions_answered(problem, [n.text for n in graph.notes], "staff") if yes] == []
    if fmt == "dot" and shutil.which("dot"):  # and Graphviz itself draws it
        drawn = subprocess.run(["dot", "-Tsvg", str(sketch)], capture_output=True, text=True)
        assert drawn.returncode == 0 and drawn.stderr == "", drawn.stderr
        assert html.escape(problem.prompt.split()[1]) in drawn.stdout


def test_starter_notes_hold_hostile_titles_as_text(tmp_path):
    """A study group's own problem file is data: quotes, markup and line breaks in its title
    and prompt stay text in every format."""
    problem = BANK.problems["spam-detection"]
    hostile = type(problem)(**{**{k: getattr(problem, k) for k in problem.__dataclass_fields__ if k not in ("source", "reference_path")},
                               "title": 'Spam "filter" \\ <b>bold</b> } ]', "prompt": 'Say "hi" -->\n}\n%% end\n<script>x</script> ]'})
    for fmt in FORMATS:
        sketch = tmp_path / f"h{practice.SUFFIXES[fmt]}"
        sketch.write_bytes(practice.starter(hostile, fmt))
        read = graph_files(ReviewOptions(paths=[str(sketch)]))
        assert read.errors == [], (fmt, read.errors)
        graph = read.graphs[0]
        assert graph.components == [] and sorted(z.label for z in graph.zones) == ["Offline", "Online"], fmt
        assert "<script>x</script>" in " ".join(n.text for n in graph.notes), fmt


# --- the journal --------------------------------------------------------------------------


def attempt(problem: str, failed: list[str], level: str = "senior", day: int = 1) -> journal.Attempt:
    return journal.Attempt(problem=problem, level=level, started=f"2026-01-{day:02d}T10:00:00+0000",
                           finished=f"2026-01-{day:02d}T10:45:00+0000", minutes_planned=45, minutes_used=45,
                           score=60, stages={s: "fail" if s in failed else "pass" for s in STAGE_IDS}, failed=failed,
                           sketch=f"{problem}.excalidraw")


def test_without_a_journal_the_first_problem_is_the_classic_recommender(here, cli):
    code, out, err = cli("practice", "--no-watch")
    assert code == 0, err
    assert "video-recommendation" in out and "a first problem" in out
    assert (here / practice.default_name("video-recommendation", "excalidraw")).is_file()


def test_the_suggestion_targets_the_stage_missed_most_and_skips_recent_problems():
    attempts = [attempt("news-feed-ranking", ["monitoring", "data"], day=1),
                attempt("spam-detection", ["monitoring"], day=2),
                attempt("eta-prediction", ["monitoring", "features"], day=3)]
    assert journal.most_missed(attempts)[0] == ("monitoring", 3)
    picked = journal.suggest(BANK, attempts)
    assert picked.stage == "monitoring"
    focused = [p.id for p in BANK if "monitoring" in p.focus and p.id not in {a.problem for a in attempts}]
    assert focused and picked.problem == focused[0]
    assert "missed in 3 of your last 3 attempts" in picked.reason
    # only the last five count: monitoring, missed long ago, gives way to what is missed now
    later = attempts + [attempt(p, ["evaluation"], day=4 + n) for n, p in enumerate(
        ["visual-search", "code-assistant", "churn-prediction", "ride-dispatch", "voice-assistant"])]
    picked = journal.suggest(BANK, later)
    assert picked.stage == "evaluation"
    assert picked.problem not in {a.problem for a in later[-5:]}
    assert "evaluation" in BANK.problems[picked.problem].focus


def test_a_stage_no_problem_focuses_on_picks_the_problem_that_expects_most_there():
    attempts = [attempt("query-autocomplete", ["architecture"])]
    picked = journal.suggest(BANK, attempts)
    assert picked.stage == "architecture" and picked.problem != "query-autocomplete"
    from diagramcheck.problem_bank import expectations

    counts = {p.id: len(expectations(p, "senior")["architecture"]) for p in BANK if p.id != "query-autocomplete"}
    assert counts[picked.problem] == max(counts.values())


def test_nothing_missed_moves_to_another_type():
    picked = journal.suggest(BANK, [attempt("spam-detection", [])])
    assert picked.stage is None and BANK.problems[picked.problem].type != "content-moderation"


_ATTEMPT_LINE = json.dumps(journal.asdict(attempt("spam-detection", ["data"])))


@given(st.lists(st.one_of(st.just(_ATTEMPT_LINE), st.text(max_size=80), st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
                          st.just('{"problem": 3}'), st.just("[1, 2]"), st.just('{"problem": "x", "failed": "data"}')),
                max_size=12))
@settings(max_examples=150, deadline=None)
def test_the_journal_reads_whatever_a_line_holds(tmp_path_factory, lines):
    root = tmp_path_factory.mktemp("j")
    (root / ".diagramcheck").mkdir()
    (root / ".diagramcheck" / "journal.jsonl").write_text("\n".join(lines), encoding="utf-8")
    read = journal.read(root)
    assert len(read.attempts) == sum(1 for line in lines if line == _ATTEMPT_LINE)
    assert all(isinstance(a.failed, list) for a in read.attempts)
    journal.table(read, BANK)  # and prints, whatever it kept
    journal.document(read, BANK)


def test_appending_keeps_every_earlier_line(tmp_path):
    journal.append(tmp_path, attempt("spam-detection", ["data"]))
    path = journal.journal_path(tmp_path)
    path.write_bytes(path.read_bytes() + b'{"half a line')  # an editor left the last line unfinished
    journal.append(tmp_path, attempt("eta-prediction", ["features"]))
    read = journal.read(tmp_path)
    assert [a.problem for a in read.attempts] == ["spam-detection", "eta-prediction"] and read.unreadable == [2]


@given(st.text(max_size=80))
@settings(max_examples=60, deadline=None)
def test_any_reflection_reads_back_as_written(tmp_path_factory, words):
    """Line and paragraph separators (U+2028, U+0085) stay inside their JSON line."""
    root = tmp_path_factory.mktemp("j")
    journal.append(root, replace(attempt("spam-detection", ["data"]), reflection=words + "\u2028\x85"))
    journal.append(root, attempt("eta-prediction", ["features"]))
    read = journal.read(root)
    assert [a.reflection for a in read.attempts] == [words + "\u2028\x85", ""] and read.unreadable == []


def test_progress_shows_the_journal_outside_git_too(tmp_path, cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    journal.append(tmp_path, attempt("spam-detection", ["monitoring"]))
    code, out, err = cli("progress", str(tmp_path))
    assert code == 0, err
    assert "spam-detection" in out and "next:" in out and "monitoring" in out
    code, out, err = cli("progress", "--format", "json", str(tmp_path))
    document = json.loads(out)
    assert document["points"] == [] and document["journal"]["next"]["stage"] == "monitoring"


def test_done_without_a_session_says_so(here, cli):
    code, _, err = cli("practice", "done", "--reflection", "x")
    assert code == 2 and "no practice session is open" in err


# --- a scripted practice run, end to end ----------------------------------------------------


def diagramcheck(*args: str, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "diagramcheck", *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=env)


def url_of(process: subprocess.Popen, timeout: float = 60.0) -> str:
    """The address the live page printed; a process that prints none within `timeout`
    seconds is killed (a bound on a hang, no speed claim) and the test fails."""
    found: list[str] = []

    def read() -> None:
        for line in process.stdout:
            match = re.search(r"live page: (http://127\.0\.0\.1:\d+/)", line)
            if match:
                found.append(match.group(1))
                return

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout)
    if not found:
        process.kill()
        reader.join(10)
        raise AssertionError(f"no live page address printed: {process.stderr.read()}")
    return found[0]


def review_json(url: str) -> dict:
    with urllib.request.urlopen(url + "review.json", timeout=10) as answer:
        return json.loads(answer.read())


def wait_for(check, timeout: float = 30.0):
    """Polls until `check()` is truthy; `timeout` bounds a hang, it is no speed claim."""
    end = time.monotonic() + timeout
    while not (value := check()):
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)
    return value


def stop(process: subprocess.Popen) -> tuple[int, str, str]:
    """Ctrl-C, as the user ends the page; a process still running a minute later is killed
    and the test fails (never a process left behind)."""
    process.send_signal(signal.SIGINT)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"the live page did not end on Ctrl-C: {err}") from None
    return process.returncode, out, err


def test_a_practice_run_end_to_end(study_repo, cli, monkeypatch):
    monkeypatch.chdir(study_repo)
    running = diagramcheck("practice", "query-autocomplete", "-o", "week1.excalidraw", "--no-open", cwd=study_repo)
    try:
        url = url_of(running)
        sketch = study_repo / "week1.excalidraw"
        assert review_json(url)["files"][0]["components"] == []
        # the user draws: a request path online, logs and training offline, a scale note
        d = Drawing(sketch)
        app, api = d.box("Search box (app)", "Online", 0, 0), d.box("Suggest API", "Online", 1, 0)
        trie, ranker = d.box("Prefix index (trie)", "Online", 2, 0), d.box("LTR ranker", "Online", 1, 1)
        logs, train = d.box("Query logs", "Offline", 0, 0), d.box("Training (LambdaMART)", "Offline", 1, 0)
        for a, b in ((app, api), (api, trie), (trie, ranker), (ranker, api), (api, logs), (logs, train), (train, ranker)):
            d.arrow(a, b)
        d.note("Scale: 60k QPS at peak, p99 30 ms on the server", 0, -120)
        d.save()
        seen = wait_for(lambda: (r := review_json(url))["files"] and len(r["files"][0]["components"]) == 6 and r)
        assert seen["files"][0]["problem"] == "search-ranking"
        subprocess.run(["git", "-C", str(study_repo), "add", "week1.excalidraw"], check=True)
        subprocess.run(["git", "-C", str(study_repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid",
                        "commit", "-q", "-m", "week 1"], check=True)
        code, out, err = cli("practice", "done", "--reflection", "Asked about scale first; forgot monitoring")
        assert code == 0, err
        assert "recorded: query-autocomplete" in out
    finally:
        code, out, err = stop(running)
    assert code == 0, err
    assert "recorded" not in out  # the session was closed by `practice done`: one attempt, not two
    lines = (study_repo / ".diagramcheck" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    entry = json.loads(lines[0])
    head = subprocess.run(["git", "-C", str(study_repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    assert entry["problem"] == "query-autocomplete" and entry["level"] == "senior"
    assert entry["sketch"] == "week1.excalidraw" and entry["commit"] == head and entry["changed_since_commit"] is False
    assert entry["reflection"] == "Asked about scale first; forgot monitoring"
    assert entry["score"] == seen["files"][0]["score"] > 0
    assert entry["stages"]["requirements"] == "pass" and "monitoring" in entry["failed"]
    assert practice.open_sessions(study_repo) == {}
    ignored = subprocess.run(["git", "-C", str(study_repo), "check-ignore", "-q", ".diagramcheck/sessions.json"])
    assert ignored.returncode == 0  # the journal is the study's history, open sessions are not
    assert subprocess.run(["git", "-C", str(study_repo), "check-ignore", "-q", ".diagramcheck/journal.jsonl"]).returncode == 1

    code, out, err = cli("progress", "--format", "json")
    assert code == 0, err
    kept = json.loads(out)["journal"]
    assert [a["score"] for a in kept["attempts"]] == [entry["score"]]
    # beside it, the git history reviews the committed sketch as the attempt was reviewed
    [committed] = [p for p in json.loads(out)["points"] if p["path"] == "week1.excalidraw"]
    assert (committed["score"], committed["failed_stages"]) == (entry["score"], entry["failed"])
    weakest = kept["most_missed"][0]["stage"]
    assert kept["next"]["stage"] == weakest and kept["next"]["problem"] != "query-autocomplete"
    suggested = BANK.problems[kept["next"]["problem"]]
    others = [p for p in BANK if p.id != "query-autocomplete"]
    assert weakest in suggested.focus or not any(weakest in p.focus for p in others)
    code, out, err = cli("progress")
    assert "week1.excalidraw" in out and "practice journal" in out
    assert f"next: {suggested.id}" in out and f"diagramcheck practice {suggested.id}" in out
    # and the next practice, without a problem, is that one
    code, out, err = cli("practice", "--no-watch")
    assert code == 0 and f"{suggested.id} · " in out


def test_ending_watch_of_a_practice_sketch_records_the_attempt(here, cli):
    assert cli("practice", "spam-detection", "--format", "dot", "-o", "spam.dot", "--no-watch")[0] == 0
    running = diagramcheck("watch", "spam.dot", "--no-open", cwd=here)
    try:
        url_of(running)
    finally:
        code, out, err = stop(running)
    assert code == 0, err
    assert "recorded: spam-detection" in out
    [entry] = journal.read(here).attempts
    assert entry.sketch == "spam.dot" and entry.commit is None and entry.reflection == "" and entry.failed == ["architecture"]
    assert practice.open_sessions(here) == {}
    assert "practice done --reflection" in out
    # the weekly loop's next command adds the reflection the attempt was recorded without
    path = journal.journal_path(here)
    path.write_bytes(b'{"hand": "edited"}\n' + path.read_bytes())
    code, out, err = cli("practice", "done", "spam.dot", "--reflection", "Asked about volume first")
    assert code == 0, err
    assert "reflection added" in out and "spam-detection" in out
    assert path.read_bytes().startswith(b'{"hand": "edited"}\n')  # every other line kept as it was
    [entry] = journal.read(here).attempts
    assert entry.reflection == "Asked about volume first" and entry.score == 0
    code, _, err = cli("practice", "done", "--reflection", "again")
    assert code == 2 and "no recorded attempt waits for a reflection" in err


def test_a_reflection_is_never_added_to_an_old_attempt(here, cli):
    journal.append(here, attempt("spam-detection", ["architecture"]))
    journal.append(here, replace(attempt("eta-prediction", ["metrics"]), reflection="", finished="2020-01-01T10:00:00+0000"))
    before = journal.journal_path(here).read_bytes()
    code, _, err = cli("practice", "done", "--reflection", "late")
    assert code == 2 and "no practice session is open here" in err
    assert journal.journal_path(here).read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_done_on_a_terminal_asks_what_went_well_and_what_to_change(here, cli):
    import pty

    assert cli("practice", "payment-fraud-detection", "--no-watch")[0] == 0
    leader, follower = pty.openpty()
    done = subprocess.Popen([sys.executable, "-m", "diagramcheck", "practice", "done"], cwd=here, stdin=follower,
                            stdout=follower, stderr=follower)
    os.close(follower)
    transcript = b""
    try:
        for question, answer in ((b"What went well?", b"Stated QPS and latency first\n"),
                                 (b"What would you change next time?", b"Draw monitoring before the clock runs out\n")):
            while question not in transcript:
                ready, _, _ = select.select([leader], [], [], 60)
                assert ready, transcript
                transcript += os.read(leader, 1024)
            os.write(leader, answer)
        assert done.wait(timeout=60) == 0
    finally:
        done.kill()
        os.close(leader)
    [entry] = journal.read(here).attempts
    assert entry.reflection == "Went well: Stated QPS and latency first\nChange: Draw monitoring before the clock runs out"
