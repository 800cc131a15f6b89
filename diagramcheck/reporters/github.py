"""`--format github`: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.reporters.location import error_place, locate

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    """Text from the input as an annotation's data: no control character, and no line break
    (a runner reads any line starting with `::` as a command)."""
    return inert.line(text).replace("%", "%25")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(reviews: list[Review], errors: list[tuple[str, str]]) -> str:
    lines = []
    for rv in reviews:
        for f in rv.findings:
            title = f"{f.rule} ({f.stage})"
            where = locate(rv.graph, f)
            text = f.message + where.suffix() + " Fix: " + f.fix
            lines.append(f"::{_LEVEL[f.severity]} file={_prop(where.path)},line={where.line_or_first},title={_prop(title)}::{_data(text)}")
    for path, message in errors:
        file, text = error_place(path, message)
        lines.append(f"::error file={_prop(file)},title=diagramcheck::{_data(text)}")
    return "\n".join(lines) + ("\n" if lines else "")
