"""`progress`: a sketch's history through renames, commits placed by time, JSON, a chart
that marks every commit, whole error texts, and an SVG target refused before any output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagramcheck.progress import x_positions
from tests.test_workflow import NO_LOOP, WITH_LOOP, git


DAY = 86_400
T0 = 1_767_225_600  # 2026-01-01


@pytest.fixture
def renamed_repo(study_repo) -> Path:
    """One sketch, drawn over a week and renamed half-way; two commits on the same day."""
    repo = study_repo
    sketch = repo / "week1.dot"
    sketch.write_text(NO_LOOP.replace("  lake -> train -> model;\n", ""), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first try", when=T0)
    sketch.write_text(NO_LOOP, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "add training", when=T0 + 600)  # ten minutes later
    (repo / "designs").mkdir()
    git(repo, "mv", "week1.dot", "designs/recsys.dot")
    git(repo, "commit", "-q", "-m", "rename", when=T0 + 2 * DAY)
    (repo / "designs" / "recsys.dot").write_text(WITH_LOOP, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "close the loop", when=T0 + 7 * DAY)
    return repo


def test_history_follows_a_rename(renamed_repo, cli):
    code, out, err = cli("progress", "--format", "json", str(renamed_repo))
    assert code == 0, err
    points = json.loads(out)["points"]
    assert [p["path"] for p in points] == ["designs/recsys.dot"] * 4
    assert [p["name_then"] for p in points] == ["week1.dot", "week1.dot", "", ""]
    assert [p["time"] for p in points] == [T0, T0 + 600, T0 + 2 * DAY, T0 + 7 * DAY]
    scores = [p["score"] for p in points]
    assert scores[0] < scores[1] and scores[2] < scores[3]  # (the new name, "recsys", names the problem)
    code, table, err = cli("progress", str(renamed_repo))
    assert "(then week1.dot)" in table and table.count("designs/recsys.dot") == 4


def test_a_corrected_copy_committed_beside_a_sketch_is_not_a_sketch_of_its_own(renamed_repo, cli):
    sketch = renamed_repo / "designs" / "recsys.dot"
    code, _, err = cli("fix", str(sketch))
    assert code in (0, 1), err
    assert (renamed_repo / "designs" / "recsys.fixed.dot").exists()
    git(renamed_repo, "add", ".")
    git(renamed_repo, "commit", "-q", "-m", "keep the corrected copy", when=T0 + 8 * DAY)
    code, out, err = cli("progress", "--format", "json", str(renamed_repo))
    assert code == 0, err
    assert {p["path"] for p in json.loads(out)["points"]} == {"designs/recsys.dot"}


def test_the_chart_places_commits_by_time_and_marks_each(renamed_repo, cli, tmp_path):
    chart = tmp_path / "progress.svg"
    code, out, err = cli("progress", str(renamed_repo), "--svg", str(chart))
    assert code == 0
    svg = chart.read_text(encoding="utf-8")
    ticks = [float(x) for x in re.findall(r'<line class="commit" x1="([\d.]+)"', svg)]
    circles = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert len(ticks) == len(circles) == 4
    assert ticks == sorted(ticks) and len(set(ticks)) == 4  # the same-day commits stay apart
    # by time: the gap between day 2 and day 7 is two and a half times that between day 0 and day 2
    assert (ticks[3] - ticks[2]) / (ticks[2] - ticks[0]) == pytest.approx(2.5, rel=0.05)


def test_an_existing_svg_fails_before_anything_is_printed(renamed_repo, cli, tmp_path):
    chart = tmp_path / "progress.svg"
    chart.write_text("<svg/>", encoding="utf-8")
    code, out, err = cli("progress", str(renamed_repo), "--svg", str(chart))
    assert code == 2 and out == "" and "output exists; use --force" in err
    assert chart.read_text(encoding="utf-8") == "<svg/>"
    code, out, err = cli("progress", str(renamed_repo), "--svg", str(chart), "--force")
    assert code == 0 and chart.read_text(encoding="utf-8").startswith("<svg")


def test_error_texts_are_never_cut(renamed_repo, cli):
    broken = renamed_repo / "broken.dot"
    broken.write_text('digraph {\n  a [label="unterminated]\n}\n', encoding="utf-8")
    git(renamed_repo, "add", ".")
    git(renamed_repo, "commit", "-q", "-m", "broken", when=T0 + 8 * DAY)
    code, out, err = cli("progress", str(renamed_repo))
    row = next(line for line in out.splitlines() if line.startswith("broken.dot"))
    code, js, _ = cli("progress", "--format", "json", str(renamed_repo))
    message = next(p["error"] for p in json.loads(js)["points"] if p["path"] == "broken.dot")
    assert len(message) > 40 and row.endswith(message)


@given(st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=200))
def test_commit_positions_keep_time_order_fit_the_width_and_never_touch(times):
    xs = x_positions(times, 50.0, 700.0)
    assert all(50.0 - 1e-9 <= x <= 750.0 + 1e-9 for x in xs)
    order = sorted(range(len(times)), key=lambda i: times[i])
    placed = [xs[i] for i in order]
    assert placed == sorted(placed)
    gap = 6.0 if 6.0 * (len(times) - 1) <= 700.0 else 700.0 / (len(times) - 1)  # evenly spaced past 117 commits
    assert all(b - a >= gap - 1e-6 for a, b in zip(placed, placed[1:]))


WEAK_NOTE = """# Week 1: video recommendations

```mermaid
flowchart LR
  app[Mobile app] --> api[Recs API] --> model[DNN model]
```
"""

BETTER_NOTE = WEAK_NOTE.replace("  app[Mobile app]", """  logs[(Watch logs)] --> lake[(Data lake)] --> train[Training job] --> reg[Model registry] --> model
  model --> logs
  model --> mon[Model monitoring]
  app[Mobile app]""")


def test_a_markdown_note_of_mermaid_blocks_has_its_history(study_repo, cli):
    """Study notes kept as Mermaid in Markdown are sketches: each block has its line, named
    as the review names it (notes.md#block2); a Markdown file with no diagram is not listed."""
    notes = study_repo / "notes"
    notes.mkdir()
    (notes / "week1.md").write_text(WEAK_NOTE, encoding="utf-8")
    (notes / "reading-list.md").write_text("# Papers\n- Rules of ML\n", encoding="utf-8")
    git(study_repo, "add", ".")
    git(study_repo, "commit", "-q", "-m", "week 1", when=T0)
    (notes / "week1.md").write_text(BETTER_NOTE, encoding="utf-8")
    git(study_repo, "commit", "-q", "-am", "close the loop", when=T0 + DAY)
    code, out, err = cli("progress", "--format", "json", str(notes / "week1.md"))
    assert code == 0, err
    points = json.loads(out)["points"]
    assert [p["path"] for p in points] == ["notes/week1.md#block1"] * 2
    assert points[0]["score"] < points[1]["score"]
    (notes / "week1.md").write_text(BETTER_NOTE + "\n```mermaid\nflowchart LR\n  a[App] --> b[Ranker]\n```\n", encoding="utf-8")
    git(study_repo, "commit", "-q", "-am", "a second block", when=T0 + 2 * DAY)
    code, out, err = cli("progress", "--format", "json", str(study_repo))
    paths = [p["path"] for p in json.loads(out)["points"]]
    assert paths.count("notes/week1.md#block1") == 3 and paths.count("notes/week1.md#block2") == 1
    assert not any("reading-list" in p for p in paths)


def test_same_day_ticks_give_the_time_and_diagrams_at_one_score_stay_visible():
    """Five commits on one day are told apart by their time, not labelled "01-01" each, and a
    second diagram with the same score at the same commit is drawn as a ring around the first."""
    from diagramcheck.progress import Point, svg_chart

    points = [Point("a.dot", f"c{i}", "2026-01-01", 50 + i, 1, 2, [], time=T0 + 3600 * i) for i in range(4)]
    points += [Point("b.dot", "c2", "2026-01-01", 52, 1, 2, [], time=T0 + 7200)]
    svg = svg_chart(points)
    labels = re.findall(r'<text x="[\d.]+" y="[\d.]+" text-anchor="middle">([^<]*)</text>', svg)
    assert labels[0] == "01-01" and len(labels) == 4
    assert all(re.fullmatch(r"\d\d:\d\d", t) for t in labels[1:])
    assert len(re.findall(r'<circle [^>]*fill="none"', svg)) == 1  # b's 52 rings a's 52
