"""`--format pylint`: one line per finding, `path:line: [S rule-id] message`, the format
editors, grep and pylint-aware tools read. The line is the statement's in DOT and Mermaid (a
block's path is its Markdown file, so an editor opens the right one); where a format has no
lines (Excalidraw) it is 1 and the message names the drawing's elements."""

from __future__ import annotations

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.reporters.location import error_place, locate

_MARK = {"error": "E", "warning": "W", "info": "I"}


def render(reviews: list[Review], errors: list[tuple[str, str]]) -> str:
    lines = []
    for rv in reviews:
        for f in rv.findings:
            where = locate(rv.graph, f)
            lines.append(f"{where.path}:{where.line_or_first}: [{_MARK[f.severity]} {f.rule}] {f.message}{where.suffix()}")
    for path, message in errors:
        file, text = error_place(path, message)
        lines.append(f"{file}:1: [E error] {text}")
    return "".join(inert.line(line) + "\n" for line in lines)  # one line each, whatever a label or name holds
