"""The terminal report: stages in framework order, findings under their stage, a summary.

Fits an 80-column terminal; colour only on a terminal and never with NO_COLOR.
"""

from __future__ import annotations

import textwrap

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.packs import STAGES
from diagramcheck.words import plural

WIDTH = 80
_MARK = {"error": "E", "warning": "W", "info": "I"}
_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan", "pass": "green", "fail": "red", "n/a": "bright_black"}


def render(reviews: list[Review], colour: bool, errors: list[tuple[str, str]] = (), quiet: bool = False) -> str:
    """The report; `quiet` keeps only each file's name and its findings (no stage table,
    summary or total)."""
    import click

    def paint(text: str, key: str, bold: bool = False) -> str:
        return click.style(text, fg=_COLOUR.get(key), bold=bold) if colour else text

    out: list[str] = []
    for rv in reviews:
        graph = rv.graph
        names = {c.id: c.label or c.id for c in graph.components} | {z.id: f"zone {z.label}" for z in graph.zones}
        heading = paint(inert.line(graph.path) + (f" (line {graph.line})" if graph.line is not None else ""), "", bold=True)
        if quiet:
            if rv.findings:
                out.append(heading)
                out.extend(_findings(rv.findings, names, paint))
                out.append("")
            continue
        out.append(heading)
        for note in graph.warnings:  # what a draw.io page was read as: which page, drawn without connectors
            if note.startswith(("read page ", "this page ")):
                out.extend(_wrap(note, "  "))
        evidence = ", ".join(rv.problem_evidence[:3])
        out.extend(_wrap(f"problem: {rv.problem} ({evidence}) · judged at {rv.level} level · serves: {rv.mode}", "  "))
        out.append(f"  score {rv.score}/100 · MLOps maturity level {rv.maturity} · "
                   f"{plural(len(graph.components), 'component')}, {plural(len(graph.connections), 'connection')}")
        out.append("")
        for number, (stage, title) in enumerate(STAGES, 1):
            result = next(s for s in rv.stages if s.stage == stage)
            status = {"pass": "pass", "fail": "FAIL", "n/a": "n/a"}[result.status]
            count = f"  {plural(result.findings, 'finding')}" if result.findings else ""
            out.append(f"{number:>2} {title:<34} {paint(status, result.status)}{count}")
            out.extend(_findings([f for f in rv.findings if f.stage == stage], names, paint))
        out.append("")
        counts = {s: sum(1 for f in rv.findings if f.severity == s) for s in ("error", "warning", "info")}
        out.append(f"  {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info")
        covered = sum(1 for s in rv.stages if s.status == "pass")
        applied = sum(1 for s in rv.stages if s.status != "n/a")
        out.append(f"  stage coverage: {covered}/{applied} stages pass")
        if rv.weakest:
            title = dict(STAGES)[rv.weakest]
            out.extend(_wrap(f"weakest stage: {title} - study it and redraw that part next", "  "))
        out.extend(_wrap(f"MLOps maturity: level {rv.maturity}: {rv.maturity_reason}", "  "))
        for rule_id, reason in rv.suppressed:
            out.extend(_wrap(f"suppressed in the diagram: {rule_id} ({reason})", "  "))
        out.append("")
    if not quiet:
        out.append(total_line(reviews, errors))
        out.append("")
    return "\n".join(out)


def total_line(reviews: list[Review], errors: list[tuple[str, str]] = ()) -> str:
    """One line over every file of the run, as ruff's "Found N errors"."""
    counts = {s: sum(1 for rv in reviews for f in rv.findings if f.severity == s) for s in ("error", "warning", "info")}
    reviewed = len(reviews)
    line = (f"Total: {plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info "
            f"in {plural(reviewed, 'file')} reviewed")
    blocks = sum(1 for path, _ in errors if "#block" in path)  # one Mermaid block of a Markdown file
    if len(errors) > blocks:
        line += f"; {plural(len(errors) - blocks, 'file')} could not be reviewed"
    if blocks:
        line += f"; {plural(blocks, 'Mermaid block')} could not be read"
    return line


def _findings(findings, names: dict[str, str], paint) -> list[str]:
    out: list[str] = []
    for f in findings:
        head = f"   {paint(_MARK[f.severity], f.severity, bold=True)} {f.rule}: "
        out.extend(_wrap(f.message, "     ", first=head, first_len=5 + len(f.rule) + 2))
        if f.components:
            involved = ", ".join(names.get(c, c) for c in f.components[:6])
            out.extend(_wrap(f"components: {involved}", "       "))
        out.extend(_wrap(f"fix: {f.fix}", "       "))
        if f.question:
            out.extend(_wrap(f"interviewer: {f.question}", "       "))
    return out


def _wrap(text: str, indent: str, first: str | None = None, first_len: int | None = None) -> list[str]:
    """`text` (which holds labels, notes, names: input) made inert and wrapped; `first` is ours."""
    text = inert.text(text)
    if first is None:
        return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False) or [indent]
    # `first` may hold colour codes: wrap as if it were `first_len` visible characters
    lines = textwrap.wrap(text, WIDTH, initial_indent=" " * (first_len or len(first)), subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)
    if lines:
        lines[0] = first + lines[0].lstrip()
    return lines
