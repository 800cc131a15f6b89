"""`--format concise`: one block per file, one line per finding (the pre-commit hook's output)."""

from __future__ import annotations

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.words import plural

_MARK = {"error": "E", "warning": "W", "info": "I"}


def render(reviews: list[Review], errors: list[tuple[str, str]], stale: list[str] | None = None) -> str:
    lines: list[str] = []
    for rv in reviews:
        if not rv.findings:
            continue
        lines.append(f"{rv.graph.path}: score {rv.score}/100, {plural(len(rv.findings), 'finding')} ({rv.problem})")
        for f in rv.findings:
            lines.append(f"  {_MARK[f.severity]} {f.rule} [{f.stage}] {f.message}")
    for entry in stale or []:
        lines.append(f"stale baseline entry (fixed or renamed): {entry}")
    # one line each, whatever a label or file name holds (a line break in one would start a
    # line of its own: the pre-commit hook's output is read by CI runners)
    return "".join(inert.line(line) + "\n" for line in lines)
