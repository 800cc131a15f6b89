"""The study-repo workflow: the real pre-commit tool running our hook, baselines, progress, init."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

NO_LOOP = """digraph s {
  user [label="User"]; api [label="API"]; model [label="Ranking service"];
  lake [label="Data lake"]; train [label="Training"];
  user -> api -> model -> api;
  lake -> train -> model;
}
"""
WITH_LOOP = NO_LOOP.replace("}", '  logs [label="Interaction log"]; model -> logs -> lake;\n}')


def git(repo: Path, *args: str, when: int | None = None) -> str:
    """git in `repo`, as a fixed author; `when` (seconds since the epoch) dates the commit."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env).stdout


def pre_commit() -> list[str]:
    exe = Path(sys.executable).parent / "pre-commit"
    if exe.exists():
        return [str(exe)]
    if shutil.which("pre-commit"):
        return ["pre-commit"]
    pytest.skip("pre-commit is not installed")


def test_pre_commit_hook_rejects_then_accepts_a_sketch(study_repo):
    """The real pre-commit, installing the hook from this repository, over a study repo as
    people keep them: a README.md and notes beside sketches in subfolders, and drafts the
    config excludes (the hook passes --force-exclude, so `exclude` holds for it too)."""
    sketch = study_repo / "week1" / "recsys.dot"
    sketch.parent.mkdir()
    (study_repo / "week2" / "rag").mkdir(parents=True)
    (study_repo / "drafts").mkdir()
    (study_repo / ".diagramcheck.toml").write_text('select = ["feedback-loop"]\nexclude = ["drafts/"]\n', encoding="utf-8")
    (study_repo / "README.md").write_text("# ML design practice\n\nOne design a week.\n", encoding="utf-8")
    (study_repo / "notes.txt").write_text("digraph not_a_sketch { a -> b }\n", encoding="utf-8")
    (study_repo / "drafts" / "half.dot").write_text("digraph half {", encoding="utf-8")  # unreadable: excluded
    shutil.copy(ROOT / "sample_diagrams" / "rag_chatbot.excalidraw", study_repo / "week2" / "rag" / "rag.excalidraw")
    sketch.write_text(NO_LOOP, encoding="utf-8")
    git(study_repo, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(study_repo.parent / "pc-cache")}
    run = lambda: subprocess.run(  # noqa: E731
        [*pre_commit(), "try-repo", str(ROOT), "diagramcheck", "--verbose"],
        cwd=study_repo, capture_output=True, text=True, env=env, timeout=600,
    )
    first = run()
    assert first.returncode != 0, first.stdout + first.stderr
    assert "E feedback-loop [operations]" in first.stdout
    assert "week1/recsys.dot: score" in first.stdout
    assert "README.md" not in first.stdout and "notes.txt" not in first.stdout and "half.dot" not in first.stdout
    assert "Traceback" not in first.stdout
    sketch.write_text(WITH_LOOP, encoding="utf-8")
    git(study_repo, "add", ".")
    second = run()
    assert second.returncode == 0, second.stdout + second.stderr
    git(study_repo, "commit", "-q", "-m", "week 1: recommendation system")
    assert "week 1" in git(study_repo, "log", "--oneline")


def test_hook_definition_matches_the_diagram_files():
    import re

    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    pattern = re.search(r"files: '(.+)'", text).group(1)
    for name in ["a.excalidraw", "a.excalidraw.md", "a.excalidraw.svg", "a.excalidraw.png", "a.dot", "a.gv", "a.drawio",
                 "a.drawio.png", "a.mmd", "a.mermaid"]:
        assert re.search(pattern, name), name
    for name in ["notes.md", "logo.svg", "photo.png", "a.excalidraw.json"]:
        assert not re.search(pattern, name), name
    # the corrected copies `fix` writes are left out, as the folder walk leaves them out
    from diagramcheck.formats import is_fixed_copy

    exclude = re.search(r"exclude: '(.+)'", text).group(1)
    for name in ["a.fixed.excalidraw", "week1/ads.fixed.dot", "a.fixed.excalidraw.md", "a.fixed.drawio", "a.fixed.mmd"]:
        assert re.search(pattern, name) and re.search(exclude, name) and is_fixed_copy(name), name
    for name in ["a.excalidraw", "fixed.dot", "v2.fixed-up.dot", "a.fixed/b.dot"]:
        assert not re.search(exclude, name) and not is_fixed_copy(name), name
    assert "language: python" in text and "--format concise" in text
    # the README's snippet and what `diagramcheck init` writes use the same pattern and entry
    from diagramcheck.init import PRECOMMIT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    entry = re.search(r"entry: (.+)", text).group(1)
    assert f"files: '{pattern}'" in readme and f"entry: {entry}" in readme and f"exclude: '{exclude}'" in readme
    assert f"files: '{pattern}'" in PRECOMMIT and f"entry: {entry}" in PRECOMMIT and f"exclude: '{exclude}'" in PRECOMMIT


def test_baseline_round_trip(study_repo, cli):
    sketch = study_repo / "design.dot"
    sketch.write_text(NO_LOOP, encoding="utf-8")
    baseline = study_repo / "baseline.json"
    code, out, err = cli("review", "--write-baseline", str(baseline), str(sketch))
    assert code == 0 and "wrote" in err
    recorded = json.loads(baseline.read_text())["findings"]
    assert recorded and all(e["file"] == "design.dot" for e in recorded)
    # same sketch: nothing new, exit 0 even though it still has errors
    code, out, err = cli("review", "--format", "json", "--baseline", str(baseline), str(sketch))
    assert code == 0 and json.loads(out)["files"][0]["findings"] == []
    # a new gap appears: only it is reported
    sketch.write_text(NO_LOOP.replace("  lake -> train -> model;\n", '  lake -> train -> model;\n  x [label="Grafana"];\n'), encoding="utf-8")
    code, out, err = cli("review", "--format", "json", "--baseline", str(baseline), str(sketch))
    rules = [f["rule"] for f in json.loads(out)["files"][0]["findings"]]
    assert rules == ["orphan-component"] or set(rules) >= {"orphan-component"}
    assert "feedback-loop" not in rules
    # a recorded gap is fixed: its entry is reported as stale
    sketch.write_text(WITH_LOOP, encoding="utf-8")
    code, out, err = cli("review", "--format", "concise", "--baseline", str(baseline), str(sketch))
    assert "stale baseline entry (fixed or renamed): design.dot::feedback-loop@" in out


def test_baseline_from_config(study_repo, cli):
    sketch = study_repo / "design.dot"
    sketch.write_text(NO_LOOP, encoding="utf-8")
    cli("review", "--write-baseline", str(study_repo / "bl.json"), str(sketch))
    (study_repo / ".diagramcheck.toml").write_text('baseline = "bl.json"\n', encoding="utf-8")
    code, out, err = cli("review", "--format", "concise", str(sketch))
    assert code == 0 and out == ""


def test_progress_over_commits(study_repo, cli, tmp_path):
    sketch = study_repo / "recsys.dot"
    sketch.write_text(NO_LOOP.replace('  lake -> train -> model;\n', ""), encoding="utf-8")
    git(study_repo, "add", "."); git(study_repo, "commit", "-q", "-m", "first try")
    sketch.write_text(NO_LOOP, encoding="utf-8")
    git(study_repo, "commit", "-q", "-am", "add training")
    sketch.write_text(WITH_LOOP, encoding="utf-8")
    git(study_repo, "commit", "-q", "-am", "close the loop")
    (study_repo / "broken.dot").write_text("digraph {", encoding="utf-8")
    git(study_repo, "add", "."); git(study_repo, "commit", "-q", "-m", "broken")
    chart = tmp_path / "progress.svg"
    code, out, err = cli("progress", str(study_repo), "--svg", str(chart))
    assert code == 0
    rows = [line for line in out.splitlines() if line.startswith("recsys.dot")]
    scores = [int(line.split()[3]) for line in rows]
    assert len(scores) == 3 and scores[0] < scores[1] < scores[2]
    assert any(line.startswith("broken.dot") and " err " in line for line in out.splitlines())
    assert "stages missed most often" in out
    svg = chart.read_text()
    assert svg.startswith("<svg") and svg.count("<circle") == 3 and "recsys.dot (latest" in svg


def test_init_is_idempotent_and_never_overwrites(tmp_path, cli):
    code, out, err = cli("init", str(tmp_path))
    assert code == 0
    assert (tmp_path / ".diagramcheck.toml").exists() and (tmp_path / ".pre-commit-config.yaml").exists()
    config = (tmp_path / ".diagramcheck.toml").read_text()
    (tmp_path / ".diagramcheck.toml").write_text("# mine\n", encoding="utf-8")
    code, out, err = cli("init", str(tmp_path))
    assert code == 0 and f"{tmp_path / '.diagramcheck.toml'} exists; left as it is" in err
    assert "already set up" in err
    assert (tmp_path / ".diagramcheck.toml").read_text() == "# mine\n"
    # a pre-commit config of its own, without our hook: kept, and told what to add
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    code, out, err = cli("init", str(tmp_path))
    assert code == 0 and "has no diagramcheck hook" in err and "entry: diagramcheck review" in err
    assert (tmp_path / ".pre-commit-config.yaml").read_text() == "repos: []\n"
    # the starter config is valid as written
    from diagramcheck.config import load_config

    (tmp_path / "fresh.toml").write_text(config, encoding="utf-8")
    assert load_config(tmp_path / "fresh.toml").fail_on == "error"


def test_no_config_means_the_validated_defaults(tmp_path):
    # without a config file the defaults are built unvalidated (for speed): they must be
    # exactly what validating an empty config gives, and usable the same way
    from diagramcheck.config import Config, load_config
    from diagramcheck.tomlio import validated

    default = load_config(None)
    assert default == validated(Config, {})
    default.source = str(tmp_path / "x.toml")
    assert default.pattern_dirs() == []
    default.ignore.append("orphan-component")  # each file's config is its own
    assert load_config(None).ignore == []
