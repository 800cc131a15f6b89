"""Config files as the README shows them, and config mistakes as a user meets them: the
file, the line and the key named, the command's usage never printed."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.conftest import ROOT, SAMPLES


def readme_config_examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Configuration"):]
    section = section[: section.index("\n### ")]
    return re.findall(r"```toml\n(.*?)```", section, re.S)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    shutil.copy(SAMPLES / "ads_ctr.dot", tmp_path / "ads.dot")
    (tmp_path / "drafts").mkdir()
    shutil.copy(SAMPLES / "content_moderation.dot", tmp_path / "drafts" / "moderation.dot")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def findings(out: str) -> dict[str, list[str]]:
    return {f["path"]: [x["rule"] for x in f["findings"]] for f in json.loads(out)["files"]}


def test_the_readme_has_both_forms():
    top_level, tool_table = readme_config_examples()
    assert "[tool.diagramcheck]" not in top_level and "[synonyms]" in top_level
    assert tool_table.startswith("[tool.diagramcheck]")


def test_readme_top_level_example_works_in_diagramcheck_toml(repo, cli):
    top_level, _ = readme_config_examples()
    (repo / ".diagramcheck.toml").write_text(top_level, encoding="utf-8")
    code, out, err = cli("review", "--format", "json", ".")
    assert err == "", err
    found = findings(out)
    assert list(found) == ["ads.dot"]  # drafts/ is excluded
    assert "business-objective" not in found["ads.dot"]
    assert json.loads(out)["files"][0]["problem"] == "recommendation"  # forced by the config
    assert code == 1  # fail_on = "warning" and there are warnings


@pytest.mark.parametrize("filename", ["pyproject.toml", ".diagramcheck.toml"])
def test_readme_tool_table_example_works_in_either_file(repo, cli, filename):
    _, tool_table = readme_config_examples()
    (repo / filename).write_text('[project]\nname = "study"\n\n' + tool_table if filename == "pyproject.toml" else tool_table,
                                 encoding="utf-8")
    (repo / "featurebox.dot").write_text('digraph { a [label="Featurebox"]; }', encoding="utf-8")
    code, out, err = cli("review", "--format", "json", "--select", "orphan-component,business-objective", ".")
    assert err == "", err
    found = findings(out)
    assert all("business-objective" not in rules for rules in found.values())
    code, out, err = cli("graph", "--format", "json", "featurebox.dot")
    assert json.loads(out)["files"][0]["components"][0]["kind"] == "feature_store"  # the synonyms apply


@pytest.mark.parametrize("text, line, message", [
    ('fail_on = "error"\nignore = ["feture-store"]\n', 2,
     "ignore: unknown rule id 'feture-store' (did you mean 'feature-store'?)"),
    ('# my study repo\n\nfail_on = "warn"\n', 3, "fail_on: Input should be 'error', 'warning', 'info' or 'never'"),
    ('select = []\nfail_one = "error"\n', 2, "fail_one: unknown key"),
    ('[tool.diagramcheck]\nfail_on = "error"\n\n[tool.diagramcheck.synonyms]\nfeature_store = "Featurebox"\n', 5,
     "synonyms.feature_store: Input should be a valid list"),
    ('fail_on = "error"\n[tool.diagramcheck]\nignore = []\n', 1,
     "fail_on: keys go either at the top level or under [tool.diagramcheck], not both"),
])
def test_config_mistakes_name_file_line_and_key_and_never_print_usage(repo, cli, text, line, message):
    config = repo / "drafts" / ".diagramcheck.toml"
    config.write_text(text, encoding="utf-8")
    code, out, err = cli("review", "--format", "json", ".")
    assert code == 2
    assert f"diagramcheck: error: {config}: line {line}: {message}" in err, err
    assert "Usage:" not in err and "Try 'diagramcheck" not in err
    assert err.count("diagramcheck: error:") == 1
    assert list(findings(out)) == ["ads.dot"]  # files under other configs are still reviewed
    assert json.loads(out)["errors"][0]["path"] == str(config)


def test_a_pyproject_mistake_names_its_line_in_the_tool_table(repo, cli):
    (repo / "pyproject.toml").write_text('[project]\nname = "x"\nfail_on = 3\n\n[tool.diagramcheck]\nfail_on = "sometimes"\n',
                                         encoding="utf-8")
    code, out, err = cli("review", "ads.dot")
    assert code == 2 and f"{repo / 'pyproject.toml'}: line 6: fail_on:" in err and "Usage:" not in err


def test_invalid_toml_is_reported_with_its_position(repo, cli):
    (repo / ".diagramcheck.toml").write_text('fail_on = "error\n', encoding="utf-8")
    code, out, err = cli("review", "ads.dot")
    assert code == 2 and "invalid TOML" in err and "line 1" in err and "Usage:" not in err


def test_a_misspelt_rule_on_the_command_line_names_the_option(repo, cli):
    code, out, err = cli("review", "--ignore", "feture-store", "ads.dot")
    assert code == 2 and "diagramcheck: error: --ignore: unknown rule id 'feture-store' (did you mean 'feature-store'?)" in err
    assert out == ""


def test_a_missing_config_given_by_name(repo, cli):
    code, out, err = cli("review", "--config", "nope.toml", "ads.dot")
    assert code == 2 and "nope.toml: config file does not exist" in err


def test_a_missing_pattern_folder_is_a_mistake_of_the_config(repo, cli):
    (repo / ".diagramcheck.toml").write_text('fail_on = "error"\npatterns = ["my-patterns"]\n', encoding="utf-8")
    code, out, err = cli("review", "ads.dot")
    assert code == 2
    assert f"diagramcheck: error: {repo / '.diagramcheck.toml'}: line 2: patterns: {repo / 'my-patterns'}: pattern directory does not exist" in err
