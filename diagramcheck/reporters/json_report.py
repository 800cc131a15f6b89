"""`--format json`: the contract's document (CONTRACT.md §5), keys only ever added."""

from __future__ import annotations

import orjson

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.reporters.document import graph_section


def document(reviews: list[Review], errors: list[tuple[str, str]]) -> dict:
    files = []
    for rv in reviews:
        section = graph_section(rv.graph)
        section.update(
            {
                "problem": rv.problem,
                "problem_evidence": rv.problem_evidence,
                "findings": [
                    {
                        "rule": f.rule,
                        "stage": f.stage,
                        "severity": f.severity,
                        "title": f.title,
                        "message": f.message,
                        "components": f.components,
                        "path": f.path,
                        "fix": f.fix,
                        "fix_actions": f.fix_actions,
                        "question": f.question,
                        "key": f.key,
                    }
                    for f in rv.findings
                ],
                "stages": [{"stage": s.stage, "status": s.status, "findings": s.findings} for s in rv.stages],
                "score": rv.score,
                "level": rv.level,
                "serving": rv.mode,
                "hidden_findings": rv.hidden,
                "weakest_stage": rv.weakest,
                "maturity": {"level": rv.maturity, "reason": rv.maturity_reason},
                "notes": [{"id": n.id, "text": n.text, "zone": n.zone} for n in rv.graph.notes],
                "suppressed": [{"rule": r, "reason": why} for r, why in rv.suppressed],
            }
        )
        files.append(section)
    return {"version": 1, "files": files, "errors": [{"path": inert.path(p), "message": inert.path(m)} for p, m in errors]}


def render(reviews: list[Review], errors: list[tuple[str, str]]) -> str:
    return render_bytes(reviews, errors).decode()


def render_bytes(reviews: list[Review], errors: list[tuple[str, str]]) -> bytes:
    """What the CLI writes: orjson's UTF-8 as it is (a run over a study repo makes tens of
    megabytes, and decoding them only to encode them again cost a tenth of the report)."""
    return inert.json(orjson.dumps(document(reviews, errors), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
