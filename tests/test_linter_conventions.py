"""The conventions of the linters people already use: any terminal encoding, --quiet,
--statistics, a one-line-per-finding format, FORCE_COLOR/NO_COLOR, a total line, source
lines where the format has them, rules as JSON with a problem's own severities."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from diagramcheck.cli import FORMATS
from tests.conftest import ROOT, SAMPLES

ANSI = re.compile(r"\x1b\[[0-9;]*m")
UNICODE_DOT = """digraph design {
  note [shape=note, label="Requirements: 10k QPS, p99 < 100 ms → π budget; Metrics: NDCG@10 offline, CTR online"];
  user [label="User → app"];
  api [label="API gateway"];
  model [label="Ranking model π"];
  lake [label="Data lake"];
  train [label="Training"];
  user -> api -> model;
  lake -> train -> model;
}
"""


def python_m(*args: str, env: dict | None = None, cwd: Path = ROOT, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "diagramcheck", *args], capture_output=True, cwd=cwd, input=data,
                          env={**os.environ, **(env or {})}, timeout=600)


def corpus_files(corpus: Path) -> list[str]:
    return sorted(str(p) for p in corpus.rglob("*") if p.is_file())


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_cp1252_terminal_never_gets_a_traceback_in_any_format(corpus, fmt, tmp_path):
    """Every corpus file, named explicitly (unsupported ones included), in one call per format."""
    sketch = tmp_path / "unicode.dot"
    sketch.write_text(UNICODE_DOT, encoding="utf-8")
    done = python_m("review", "--format", fmt, str(sketch), *corpus_files(corpus), env={"PYTHONIOENCODING": "cp1252"})
    assert b"Traceback" not in done.stderr, done.stderr.decode("cp1252", "replace")[-2000:]
    assert done.returncode == 2  # some corpus files are of no format we read, and say so
    assert b"unsupported file type" in done.stderr
    assert done.stdout
    if fmt in ("json", "sarif"):  # machine formats stay UTF-8 whatever the terminal
        text = done.stdout.decode("utf-8")
        json.loads(text)
        assert "Ranking model π" in text
    elif fmt in ("text", "concise", "pylint", "markdown", "github"):
        text = done.stdout.decode("cp1252")
        assert "\\u2192" in text or "\\u03c0" in text  # what cp1252 cannot show, escaped


def test_stderr_never_fails_on_a_name_the_terminal_cannot_show(tmp_path):
    bad = tmp_path / "π-sketch→.dot"
    bad.write_text("digraph {", encoding="utf-8")
    done = python_m("review", str(bad), env={"PYTHONIOENCODING": "cp1252"})
    assert done.returncode == 2 and b"Traceback" not in done.stderr
    assert b"\\u03c0-sketch\\u2192.dot" in done.stderr


def test_an_output_file_is_utf8_whatever_the_terminal(tmp_path):
    sketch = tmp_path / "unicode.dot"
    sketch.write_text(UNICODE_DOT, encoding="utf-8")
    report = tmp_path / "report.md"
    done = python_m("review", "--format", "markdown", "-o", str(report), str(sketch), env={"PYTHONIOENCODING": "cp1252"})
    assert done.returncode in (0, 1), done.stderr
    assert "Ranking model π" in report.read_text(encoding="utf-8") or "User → app" in report.read_text(encoding="utf-8")


def test_quiet_prints_findings_only(cli):
    sample = str(SAMPLES / "ads_ctr.dot")
    code, full, _ = cli("review", sample)
    code_quiet, quiet, err = cli("review", "--quiet", sample, str(SAMPLES / "README.md"))
    assert code == code_quiet
    assert err == ""  # not even the notice that README.md holds no sketch
    assert "Total:" in full and "Total:" not in quiet
    assert "stage coverage" in full and "stage coverage" not in quiet
    assert " 1 Business problem" not in quiet
    findings = [line for line in full.splitlines() if re.match(r"\s+[EWI] [a-z-]+: ", line)]
    assert findings and all(line in quiet.splitlines() for line in findings)


def test_the_total_line_counts_every_file(cli, tmp_path):
    broken = tmp_path / "broken.dot"
    broken.write_text("digraph {", encoding="utf-8")
    samples = [str(p) for p in sorted(SAMPLES.glob("*.dot"))] + [str(SAMPLES / "recommendation.excalidraw")]
    code, out, err = cli("review", "--no-color", *samples, str(broken))
    code, js, _ = cli("review", "--format", "json", *samples, str(broken))
    found = [f["severity"] for file in json.loads(js)["files"] for f in file["findings"]]
    total = out.rstrip().splitlines()[-1]
    assert total == (f"Total: {found.count('error')} errors, {found.count('warning')} warnings, {found.count('info')} info "
                     f"in {len(samples)} files reviewed; 1 file could not be reviewed")


def test_statistics_count_findings_per_rule(cli):
    samples = [str(p) for p in sorted(SAMPLES.iterdir()) if p.name != "README.md"]
    code, out, _ = cli("review", "--format", "json", *samples)
    expected: dict[tuple[str, str], int] = {}
    for file in json.loads(out)["files"]:
        for f in file["findings"]:
            expected[(f["rule"], f["severity"])] = expected.get((f["rule"], f["severity"]), 0) + 1
    code_stats, out, _ = cli("review", "--statistics", "--format", "json", *samples)
    rows = json.loads(out)
    assert code_stats == code
    assert {(r["rule"], r["severity"]): r["count"] for r in rows} == expected
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    code, table, _ = cli("review", "--statistics", *samples)
    first = table.splitlines()[0].split()
    assert int(first[0]) == rows[0]["count"] and first[2] == rows[0]["rule"]
    code, out, err = cli("review", "--statistics", "--format", "sarif", *samples)
    assert code == 2 and "--statistics works with --format text or json" in err


def test_pylint_format_gives_dot_source_lines(cli):
    path = SAMPLES / "ads_ctr.dot"
    source = path.read_text(encoding="utf-8").splitlines()
    code, out, _ = cli("review", "--format", "pylint", str(path))
    code, js, _ = cli("review", "--format", "json", str(path))
    findings = json.loads(js)["files"][0]["findings"]
    lines = out.splitlines()
    assert len(lines) == len(findings)
    located = 0
    for line, finding in zip(lines, findings):
        match = re.match(rf"{re.escape(str(path))}:(\d+): \[([EWI]) ([a-z-]+)\] (.*)$", line)
        assert match, line
        number, mark, rule, message = match.groups()
        assert rule == finding["rule"] and mark == finding["severity"][0].upper()
        assert message.startswith(finding["message"])
        if finding["components"]:  # the line states one of the components the finding names
            stated = source[int(number) - 1]
            assert any(re.search(rf"\b{re.escape(c)}\b", stated) for c in finding["components"]), (stated, finding)
            located += 1
    assert located


def test_a_path_finding_points_at_its_first_edge(cli, tmp_path):
    sketch = tmp_path / "skew.dot"
    sketch.write_text("""digraph {
  user [label="User"]; api [label="API"]; model [label="Ranking model"];
  lake [label="Data lake"]; train [label="Training"]; reg [label="Model registry"];
  logs [label="Interaction log"];
  user -> api -> model;
  lake -> train;
  train -> reg;
  reg -> model;
  model -> logs;
}
""", encoding="utf-8")
    code, out, _ = cli("review", "--format", "json", str(sketch))
    from diagramcheck.pipeline import load_graph
    from diagramcheck.reporters.location import locate

    graph = load_graph(sketch)
    assert graph.source_lines["e2"] == 5 and graph.source_lines["reg"] == 3 and graph.source_lines["e4"] == 7
    from diagramcheck.engine import Finding

    finding = Finding("x", "data", "error", "", "", ["train", "reg"], ["train", "reg", "model"], "", {}, "")
    assert locate(graph, finding).line == 7  # train -> reg, not where train is declared
    assert locate(graph, Finding("x", "data", "error", "", "", ["reg"], [], "", {}, "")).line == 3


def test_sarif_and_github_locate_dot_findings_and_name_excalidraw_elements(cli):
    dot, scene = str(SAMPLES / "ads_ctr.dot"), str(SAMPLES / "recommendation.excalidraw")
    code, pylint_out, _ = cli("review", "--format", "pylint", dot, scene)
    expected = [(m.group(1), int(m.group(2))) for m in re.finditer(r"^(.*?):(\d+): ", pylint_out, re.M)]
    code, sarif_out, _ = cli("review", "--format", "sarif", dot, scene)
    results = json.loads(sarif_out)["runs"][0]["results"]
    got = [(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results]
    assert got == expected
    assert any(line > 1 for path, line in got if path.endswith(".dot"))
    scene_results = [r for r in results if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".excalidraw")]
    named = [r for r in scene_results if r["properties"]["components"]]
    assert named and all("(element" in r["message"]["text"] for r in named)
    assert all(e in r["message"]["text"] for r in named for e in r["properties"]["elements"])
    code, github_out, _ = cli("review", "--format", "github", dot)
    lines = [int(m.group(1)) for m in re.finditer(r",line=(\d+),", github_out)]
    assert lines == [line for path, line in expected if path == dot]


def test_colour_follows_force_color_and_no_color(cli, monkeypatch):
    sample = str(SAMPLES / "ads_ctr.dot")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ANSI.search(cli("review", sample)[1])  # not a terminal, coloured all the same
    assert not ANSI.search(cli("review", "--no-color", sample)[1])
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(cli("review", sample)[1])  # NO_COLOR wins, as pytest has it
    assert ANSI.search(cli("review", "--color", sample)[1])
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "0")
    assert not ANSI.search(cli("review", sample)[1])


def test_rules_as_json_with_a_problems_own_severities(cli):
    code, out, _ = cli("rules", "--format", "json")
    default = {r["id"]: r for r in json.loads(out)["rules"]}
    code, out, _ = cli("rules", "--format", "json", "--problem", "ads-ctr")
    ads = {r["id"]: r for r in json.loads(out)["rules"]}
    assert default.keys() == ads.keys()
    assert default["ab-testing"]["severity"] == "warning" and ads["ab-testing"]["severity"] == "error"
    assert not ads["grounding"]["applies"] and ads["grounding"]["severity"] == "off"
    code, text, _ = cli("rules", "--problem", "ads-ctr")
    assert re.search(r"^\s+ab-testing\s+error\s", text, re.M) and "grounding" not in text
    code, text, _ = cli("rules")
    assert re.search(r"^\s+ab-testing\s+warning\*", text, re.M) and "--problem P" in text


def test_rules_problem_severities_are_what_a_review_of_that_problem_reports(cli):
    """The listing agrees with the engine: each finding of a review has the severity
    `rules --problem` shows for the review's problem and level."""
    for sample in sorted(SAMPLES.iterdir()):
        if sample.name == "README.md":
            continue
        code, out, _ = cli("review", "--format", "json", str(sample))
        file = json.loads(out)["files"][0]
        code, listed, _ = cli("rules", "--format", "json", "--problem", file["problem"], "--level", file["level"])
        severity = {r["id"]: r["severity"] for r in json.loads(listed)["rules"]}
        for finding in file["findings"]:
            # info_when can lower a finding to info on a given design; it never raises one
            assert finding["severity"] == severity[finding["rule"]] or finding["severity"] == "info", (sample.name, finding["rule"])


def test_long_words_are_never_cut_in_the_text_report(cli, tmp_path):
    word = "s3://bucket/" + "very-long-prefix/" * 6 + "features.parquet"
    sketch = tmp_path / "long.dot"
    design = (SAMPLES / "ads_ctr.dot").read_text(encoding="utf-8")
    sketch.write_text(design[: design.rindex("}")] + f'  stray [label="{word}"];\n}}\n', encoding="utf-8")
    code, out, err = cli("review", "--no-color", str(sketch))
    assert "orphan-component" in out and word in out


def test_a_broken_block_of_a_reviewed_note_is_counted_as_a_block(cli, tmp_path):
    """One good and one broken Mermaid block in a note: the file was reviewed, one of its
    blocks could not be read (not "1 file reviewed; 1 file could not be reviewed")."""
    note = tmp_path / "mixed.md"
    note.write_text("# n\n```mermaid\nflowchart LR\n  a[App] --> b[Model]\n```\n"
                    "```mermaid\nflowchart LR\n  A[x --> \n```\n", encoding="utf-8")
    code, out, err = cli("review", "--no-color", str(note))
    assert code == 2 and out.rstrip().splitlines()[-1].endswith("in 1 file reviewed; 1 Mermaid block could not be read")
