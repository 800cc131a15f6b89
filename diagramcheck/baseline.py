"""Baselines: adopt the hook on a repo full of old sketches without fixing them first.

`--write-baseline FILE` records today's findings, keyed by file (relative to the baseline
file), rule and the stable ids of the components involved; later runs with `--baseline FILE`
report only findings not in it, and list baseline entries that no longer match (fixed, or
the sketch was redrawn) so the baseline can be refreshed.
"""

from __future__ import annotations

import os
from pathlib import Path

import orjson

from diagramcheck.engine import Review
from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_file
from diagramcheck.output import write_atomic


def _relative(path: str, base: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), base.resolve())).as_posix()


def entries(reviews: list[Review], baseline: Path) -> list[dict]:
    base = baseline.parent
    out = []
    for rv in reviews:
        file = _relative(rv.graph.path, base)
        for f in rv.findings:
            out.append({"file": file, "rule": f.rule, "components": sorted(f.components), "message": f.message})
    return out


def key(entry: dict) -> str:
    return f"{entry['file']}::{entry['rule']}@{','.join(entry['components'])}"


def write(reviews: list[Review], baseline: Path, inputs=()) -> int:
    """Records the findings; a baseline is rewritten as a matter of course, but never onto
    one of the `inputs` (the sketches reviewed) nor through a symbolic link."""
    found = entries(reviews, baseline)
    document = {"version": 1, "tool": "diagramcheck", "findings": found}
    if os.path.islink(baseline):
        raise DiagramError(f"{baseline}: is a symbolic link; a baseline is written to a plain file")
    write_atomic(baseline, orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n", force=True, inputs=inputs)
    return len(found)


def load(baseline: Path) -> list[dict]:
    try:
        data = read_file(baseline)
    except DiagramError as exc:
        if str(exc) == "no such file":
            raise DiagramError(f"{baseline}: baseline file does not exist (create it with --write-baseline)") from None
        raise DiagramError(f"{baseline}: cannot read the baseline: {exc}") from None
    try:
        document = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise DiagramError(f"{baseline}: baseline is not readable JSON ({exc})") from None
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list) or not all(_is_entry(e) for e in findings):
        raise DiagramError(f"{baseline}: not a diagramcheck baseline")
    return findings


def _is_entry(entry: object) -> bool:
    """A finding as `write` records it: a file and a rule (strings) and the components (a list of strings)."""
    return (isinstance(entry, dict) and isinstance(entry.get("file"), str) and isinstance(entry.get("rule"), str)
            and isinstance(entry.get("components"), list) and all(isinstance(c, str) for c in entry["components"]))


def apply(reviews: list[Review], baseline: Path, known: list[dict]) -> list[str]:
    """Drops baselined findings from the reviews; returns stale entries of the reviewed files."""
    base = baseline.parent
    wanted = {key(e): e for e in known}
    matched: set[str] = set()
    reviewed_files = set()
    for rv in reviews:
        file = _relative(rv.graph.path, base)
        reviewed_files.add(file)
        kept = []
        for f in rv.findings:
            k = key({"file": file, "rule": f.rule, "components": sorted(f.components)})
            if k in wanted:
                matched.add(k)
            else:
                kept.append(f)
        rv.findings = kept
    return sorted(k for k, e in wanted.items() if e["file"] in reviewed_files and k not in matched)
