"""Each output format, on the samples: shape, validity, and the terminal's 80 columns."""

from __future__ import annotations

import json
import os

import pytest
import re

import jsonschema

from diagramcheck.explain import rules_markdown
from diagramcheck.packs import catalog_for
from tests.conftest import ROOT, SAMPLES

# The parts of the SARIF 2.1.0 schema that code scanning relies on (required keys, enums).
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "rules": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "defaultConfiguration": {
                                                    "properties": {"level": {"enum": ["none", "note", "warning", "error"]}}
                                                }
                                            },
                                        },
                                    }
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message", "ruleId"],
                            "properties": {
                                "level": {"enum": ["none", "note", "warning", "error"]},
                                "message": {"type": "object", "required": ["text"]},
                                "ruleIndex": {"type": "integer", "minimum": 0},
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "required": ["artifactLocation"],
                                                "properties": {
                                                    "region": {"properties": {"startLine": {"type": "integer", "minimum": 1}}}
                                                },
                                            }
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_sarif_is_valid_and_rule_indexes_point_at_their_rules(cli):
    code, out, _ = cli("review", "--format", "sarif", *sorted(str(p) for p in SAMPLES.glob("*.*") if p.suffix != ".md" or "excalidraw" in p.name))
    document = json.loads(out)
    jsonschema.validate(document, SARIF_SUBSET)
    run = document["runs"][0]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    assert len(run["results"]) > 20


def test_github_annotations_escape_their_properties(cli):
    code, out, _ = cli("review", "--format", "github", str(SAMPLES / "generic_churn.excalidraw"))
    lines = out.strip().splitlines()
    assert lines and all(re.match(r"^::(error|warning|notice) file=[^,]+,line=1,title=[^:]+::", line) for line in lines)
    assert any(line.startswith("::error") and "feedback-loop" in line for line in lines)


def test_markdown_has_the_stage_table_and_findings(cli):
    code, out, _ = cli("review", "--format", "markdown", str(SAMPLES / "rag_chatbot.excalidraw"))
    assert "| 1 | Business problem & requirements |" in out
    assert "- **error** `eval-loop`" in out


def test_text_report_fits_80_columns_and_has_no_colour_when_piped(cli):
    code, out, _ = cli("review", str(SAMPLES / "search_ranking.excalidraw"))
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "weakest stage:" in out and "MLOps maturity: level" in out


def test_colour_on_request(cli):
    code, out, _ = cli("review", "--color", str(SAMPLES / "generic_churn.excalidraw"))
    assert "\x1b[" in out


def test_json_follows_the_contract(cli):
    code, out, _ = cli("review", "--format", "json", str(SAMPLES / "recommendation.excalidraw"))
    document = json.loads(out)
    assert document["version"] == 1 and document["errors"] == []
    section = document["files"][0]
    for key in ("path", "problem", "components", "connections", "findings", "stages", "score"):
        assert key in section
    assert [s["stage"] for s in section["stages"]] == [
        "requirements", "task", "metrics", "architecture", "data", "features",
        "training", "evaluation", "deployment", "mlops", "monitoring", "operations",
    ]
    ids = {c["id"] for c in section["components"]}
    for finding in section["findings"]:
        assert set(finding["components"]) <= ids
        assert finding["severity"] in ("error", "warning", "info")
        assert isinstance(finding["fix"], str) and finding["fix"]


def test_exit_codes(cli, tmp_path):
    churn = str(SAMPLES / "generic_churn.excalidraw")
    assert cli("review", churn)[0] == 1
    assert cli("review", "--fail-on", "never", churn)[0] == 0
    assert cli("review", "--select", "business-objective", churn)[0] == 0
    assert cli("review", "--select", "business-objective", "--fail-on", "info", churn)[0] == 1
    code, _, err = cli("review", "--select", "feedback-lop", churn)
    assert code == 2 and "did you mean 'feedback-loop'" in err


def test_output_file_is_written_once_and_not_overwritten(cli, tmp_path):
    target = tmp_path / "report.json"
    sample = str(SAMPLES / "generic_churn.excalidraw")
    assert cli("review", "--format", "json", "-o", str(target), "--fail-on", "never", sample)[0] == 0
    first = target.read_text()
    code, _, err = cli("review", "--format", "json", "-o", str(target), sample)
    assert code == 2 and "use --force" in err
    assert target.read_text() == first
    code, _, err = cli("graph", "-o", sample, "--force", sample)
    assert code == 2 and "refusing to overwrite an input" in err
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("link", ["symlink", "hardlink", "dot-dot"])
def test_an_input_is_never_overwritten_under_another_name(cli, tmp_path, link):
    sketch = tmp_path / "sketch.excalidraw"
    sketch.write_bytes((SAMPLES / "generic_churn.excalidraw").read_bytes())
    (tmp_path / "sub").mkdir()
    other = tmp_path / "other.excalidraw"
    if link == "symlink":
        other.symlink_to(sketch)
    elif link == "hardlink":
        os.link(sketch, other)
    else:
        other = tmp_path / "sub" / ".." / "sketch.excalidraw"
    code, _, err = cli("review", "--format", "json", "-o", str(other), "--force", str(sketch))
    assert code == 2 and "refusing to overwrite an input" in err
    assert sketch.read_bytes() == (SAMPLES / "generic_churn.excalidraw").read_bytes()


def test_docs_rules_md_is_in_sync():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(catalog_for())


def test_explain_prints_every_section(cli):
    code, out, _ = cli("explain", "training-serving-skew")
    assert code == 0
    for heading in ("Why an interviewer expects it:", "What the interviewer asks:", "Example:", "Fix:", "Study:"):
        assert heading in out


def test_an_output_that_is_a_directory_is_a_clean_error(cli, tmp_path):
    (tmp_path / "out").mkdir()
    code, _, err = cli("review", "--format", "json", "-o", str(tmp_path / "out"), "--force", str(SAMPLES / "ads_ctr.dot"))
    assert code == 2 and "out: is a directory" in err
    assert os.listdir(tmp_path / "out") == [] and not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


LOOPLESS = """digraph s {
  user [label="User"]; api [label="API"]; model [label="Ranking service"];
  lake [label="Data lake"]; train [label="Training"];
  user -> api -> model -> api;
  lake -> train -> model;
}
"""


def test_counts_of_one_read_in_the_singular(cli, tmp_path):
    """'1 warning', '1 connection', '1 finding', 'marked 1 arrow': never '1 warnings'."""
    sketch = tmp_path / "design.dot"
    sketch.write_text(LOOPLESS, encoding="utf-8")
    code, out, _ = cli("review", "--select", "feedback-loop,data-validation", str(sketch))
    assert "  1 error, 1 warning, 0 info" in out and "Total: 1 error, 1 warning, 0 info in 1 file reviewed" in out
    (tmp_path / "pair.dot").write_text('digraph p { a [label="Data lake"]; b [label="Training"]; a -> b; }\n', encoding="utf-8")
    code, out, _ = cli("review", str(tmp_path / "pair.dot"))
    assert "2 components, 1 connection\n" in out
    code, out, _ = cli("review", "--format", "html", "--select", "feedback-loop", "-o", str(tmp_path / "r.html"), str(sketch))
    assert " · 1 finding · " in (tmp_path / "r.html").read_text(encoding="utf-8")
    code, out, err = cli("fix", "--select", "model-registry", "-o", str(tmp_path / "fixed.dot"), str(sketch))
    assert code == 0 and "added 1 component and 2 connections, and marked 1 arrow to remove" in err, err
    code, out, err = cli("review", "--select", "feedback-loop", "--write-baseline", str(tmp_path / "b.json"), str(sketch))
    assert "wrote 1 finding to the baseline" in err, err
