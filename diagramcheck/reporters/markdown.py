"""`--format markdown`: a review to paste into study notes."""

from __future__ import annotations

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.packs import STAGES

_ICON = {"pass": "pass", "fail": "**fail**", "n/a": "n/a"}


def _cell(text: str) -> str:
    """Text that holds input (labels, notes) as plain Markdown text: no HTML, link or table
    syntax from a label is interpreted (inert.py)."""
    return inert.markdown(" ".join(text.split("\n")))


def render(reviews: list[Review], errors: list[tuple[str, str]]) -> str:
    out: list[str] = []
    for rv in reviews:
        names = {c.id: c.label or c.id for c in rv.graph.components}
        out.append(f"## {inert.markdown_code(rv.graph.path)}")
        out.append("")
        out.append(f"Problem: **{rv.problem}** · score **{rv.score}/100** · MLOps maturity **level {rv.maturity}**"
                   + (f" · weakest stage: **{dict(STAGES)[rv.weakest]}**" if rv.weakest else ""))
        out.append("")
        out.append("| # | Stage | Status | Findings |")
        out.append("|---|-------|--------|----------|")
        for number, (stage, title) in enumerate(STAGES, 1):
            s = next(x for x in rv.stages if x.stage == stage)
            out.append(f"| {number} | {title} | {_ICON[s.status]} | {s.findings or ''} |")
        out.append("")
        for stage, title in STAGES:
            found = [f for f in rv.findings if f.stage == stage]
            if not found:
                continue
            out.append(f"### {title}")
            out.append("")
            for f in found:
                involved = ", ".join(names.get(c, c) for c in f.components[:6])
                out.append(f"- **{f.severity}** `{f.rule}`: {_cell(f.message)}")
                if involved:
                    out.append(f"  - components: {_cell(involved)}")
                out.append(f"  - fix: {_cell(f.fix)}")
                if f.question:
                    out.append(f"  - interviewer: _{_cell(f.question)}_")
            out.append("")
        out.append(f"MLOps maturity: level {rv.maturity}; {_cell(rv.maturity_reason)}.")
        out.append("")
    for path, message in errors:
        out.append(f"- error: {inert.markdown_code(path)}: {_cell(message)}")
    return "\n".join(out).rstrip() + "\n"
