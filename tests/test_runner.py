"""The runner every front end calls (the CLI today, a watcher or practice session later):
parsed options in, results and the exit status out, nothing printed."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from diagramcheck.runner import ReviewOptions, RunError, graph_files, review_files
from tests.conftest import SAMPLES


@pytest.fixture
def repo(tmp_path, monkeypatch):
    for name in ("ads_ctr.dot", "eta_forecasting.gv"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    (tmp_path / "broken.dot").write_text("digraph {", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_front_end_gets_the_same_reviews_as_the_cli(repo, cli, capsys):
    result = review_files(ReviewOptions(paths=["."]))
    assert capsys.readouterr() == ("", "")  # the runner prints nothing
    code, out, _ = cli("review", "--format", "json", ".")
    document = json.loads(out)
    assert result.exit_code == code == 2
    assert [rv.graph.path for rv in result.reviews] == [f["path"] for f in document["files"]]
    assert [[f.rule for f in rv.findings] for rv in result.reviews] == [[f["rule"] for f in x["findings"]] for x in document["files"]]
    assert result.errors == [("broken.dot", "DOT syntax error at line 1, column 10: expected '}', found end of file")]


def test_exit_status_follows_the_fail_level_of_each_files_config(repo):
    (repo / "broken.dot").unlink()
    assert review_files(ReviewOptions(paths=["."], fail_on="never")).exit_code == 0
    assert review_files(ReviewOptions(paths=["."], fail_on="info")).exit_code == 1
    (repo / ".diagramcheck.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    assert review_files(ReviewOptions(paths=["."])).exit_code == 0


def test_packs_and_lexicon_are_prepared_once_per_config(repo, monkeypatch):
    import diagramcheck.packs

    calls = []
    real = diagramcheck.packs.catalog_for
    monkeypatch.setattr(diagramcheck.packs, "catalog_for", lambda dirs=None: calls.append(dirs) or real(dirs))
    (repo / "sub").mkdir()
    shutil.copy(SAMPLES / "ads_ctr.dot", repo / "sub" / "a.dot")
    shutil.copy(SAMPLES / "ads_ctr.dot", repo / "sub" / "b.dot")
    (repo / "sub" / ".diagramcheck.toml").write_text('level = "staff"\n', encoding="utf-8")
    result = review_files(ReviewOptions(paths=["."]))
    assert len(result.reviews) == 4 and len(calls) == 2  # the default config, and sub/'s
    assert [rv.level for rv in result.reviews] == ["senior", "senior", "staff", "staff"]


def test_a_baseline_and_stdin_through_the_runner(repo):
    baseline = repo / "baseline.json"
    data = (SAMPLES / "ads_ctr.dot").read_bytes()
    written = review_files(ReviewOptions(paths=["-"], stdin_filename="piped.dot", write_baseline=baseline),
                           stdin=io.BytesIO(data))
    assert written.exit_code == 0 and written.baseline_written and written.reviews[0].graph.path == "piped.dot"
    again = review_files(ReviewOptions(paths=["-"], stdin_filename="piped.dot", baseline=baseline), stdin=io.BytesIO(data))
    assert again.exit_code == 0 and again.reviews[0].findings == [] and again.stale == []


def test_what_stops_a_run_is_an_exception_not_a_print(repo):
    with pytest.raises(RunError, match="--select: unknown rule id 'feature-stor'"):
        review_files(ReviewOptions(paths=["ads_ctr.dot"], select=["feature-stor"]))
    with pytest.raises(RunError, match="baseline file does not exist"):
        review_files(ReviewOptions(paths=["ads_ctr.dot"], baseline=repo / "missing.json"))


def test_graph_files_shares_the_walk_and_configs(repo):
    result = graph_files(ReviewOptions(paths=["."]))
    assert [g.path for g in result.graphs] == ["ads_ctr.dot", "eta_forecasting.gv"] and result.exit_code == 2


DESIGN_DOC = """# Design

```mermaid
flowchart LR
  App[Mobile app] --> API[Ranking API] --> M[Ranker]
```

```mermaid
sequenceDiagram
  App->>API: feed
```

```mermaid
flowchart LR
  A[Feature job --> B
```

```mermaid
graph TD
  T[Trainer (nightly)] --> R[(Model registry)]
```
"""


def test_a_markdown_file_is_reviewed_block_by_block(tmp_path, monkeypatch, capsys):
    """Each Mermaid flowchart block is its own sketch; a block of another type is skipped, one
    that cannot be read is an error for that block alone, one read tolerantly warns."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "design.md").write_text(DESIGN_DOC, encoding="utf-8")
    result = review_files(ReviewOptions(paths=["."]))
    assert capsys.readouterr() == ("", "")
    assert [(rv.graph.path, rv.graph.line) for rv in result.reviews] == [("design.md#block1", 3), ("design.md#block4", 18)]
    assert result.skipped == [("design.md#block2", "line 8: a sequence diagram (only flowchart and graph blocks are reviewed)")]
    assert [path for path, _ in result.errors] == ["design.md#block3"] and result.exit_code == 2
    assert [path for path, _ in result.warnings] == ["design.md#block4"]
    assert "GitHub will not render this block" in result.warnings[0][1]
    one = review_files(ReviewOptions(paths=["design.md#block1"]))
    assert [rv.graph.path for rv in one.reviews] == ["design.md#block1"] and not one.errors and not one.skipped
    graphs = graph_files(ReviewOptions(paths=["-"], stdin_filename="design.md"), stdin=io.BytesIO(DESIGN_DOC.encode()))
    assert [g.path for g in graphs.graphs] == ["design.md#block1", "design.md#block4"] and graphs.exit_code == 2


def test_a_block_named_on_the_command_line_is_excluded_with_its_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "design.md").write_text(DESIGN_DOC, encoding="utf-8")
    (tmp_path / ".diagramcheck.toml").write_text('exclude = ["drafts/"]\n', encoding="utf-8")
    named = ReviewOptions(paths=["drafts/design.md#block1"], force_exclude=True)
    assert review_files(named).reviews == []
    named.force_exclude = False
    assert [rv.graph.path for rv in review_files(named).reviews] == ["drafts/design.md#block1"]


def test_a_bug_in_one_file_is_one_error_line_and_the_others_are_still_reviewed(repo, cli, monkeypatch):
    import diagramcheck.engine

    real = diagramcheck.engine.review

    def broken_on_eta(graph, *args, **kwargs):
        if graph.path.endswith("eta_forecasting.gv"):
            raise IndexError("list index out of range")
        return real(graph, *args, **kwargs)

    monkeypatch.setattr(diagramcheck.engine, "review", broken_on_eta)
    monkeypatch.delenv("DIAGRAMCHECK_DEBUG", raising=False)
    code, out, err = cli("review", "ads_ctr.dot", "eta_forecasting.gv")
    assert code == 2 and "Traceback" not in err
    assert "diagramcheck: error: eta_forecasting.gv: internal error (IndexError: list index out of range)" in err
    assert "ads_ctr.dot" in out  # reviewed all the same
    monkeypatch.setenv("DIAGRAMCHECK_DEBUG", "1")
    with pytest.raises(IndexError):
        review_files(ReviewOptions(paths=["eta_forecasting.gv"]))


def test_a_bug_outside_any_one_file_is_still_one_error_line(repo, cli, monkeypatch):
    import diagramcheck.runner

    def broken(*args, **kwargs):
        raise ValueError("a reporter broke")

    monkeypatch.setattr(diagramcheck.runner, "review_files", broken)
    monkeypatch.delenv("DIAGRAMCHECK_DEBUG", raising=False)
    code, out, err = cli("review", "ads_ctr.dot")
    assert code == 2 and "Traceback" not in err
    assert err.startswith("diagramcheck: error: internal error (ValueError: a reporter broke)")
