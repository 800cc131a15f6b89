"""`--format sarif`: SARIF 2.1.0 for code scanning. One result per finding, located at the
line of its node or edge where the format has lines (DOT; Mermaid, in the Markdown file that
holds the block), else at line 1 with the drawing's element ids in the message (Excalidraw);
the components are in the message."""

from __future__ import annotations

import orjson

from diagramcheck import __version__, inert
from diagramcheck.engine import Review
from diagramcheck.packs import Catalog
from diagramcheck.reporters.location import error_place, locate

_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def document(reviews: list[Review], errors: list[tuple[str, str]], catalog: Catalog) -> dict:
    used = sorted({f.rule for rv in reviews for f in rv.findings})
    rules = []
    index = {}
    for rule_id in used:
        rule = catalog.by_id(rule_id)
        index[rule_id] = len(rules)
        rules.append(
            {
                "id": rule_id,
                "name": rule_id.title().replace("-", ""),
                "shortDescription": {"text": rule.title if rule else rule_id},
                "fullDescription": {"text": rule.rationale if rule else rule_id},
                "help": {"text": f"{rule.rationale}\nStudy: {rule.study}" if rule else rule_id},
                "defaultConfiguration": {"level": _LEVEL[rule.severity] if rule else "warning"},
                "properties": {"tags": ["ml-system-design", rule.stage if rule else "architecture"]},
            }
        )
    results = []
    for rv in reviews:
        names = {c.id: c.label or c.id for c in rv.graph.components}
        for f in rv.findings:
            involved = ", ".join(names.get(c, c) for c in f.components[:6])
            where = locate(rv.graph, f)
            text = f.message + (f" Components: {involved}." if involved else "") + where.suffix() + f" Fix: {f.fix}"
            results.append(
                {
                    "ruleId": f.rule,
                    "ruleIndex": index[f.rule],
                    "level": _LEVEL[f.severity],
                    "message": {"text": text},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": inert.uri(where.path)},
                                "region": {"startLine": where.line_or_first},
                            }
                        }
                    ],
                    "partialFingerprints": {"diagramcheckFinding/v1": f.key},
                    "properties": {"stage": f.stage, "components": f.components, "elements": list(where.elements)},
                }
            )
    notifications = [
        {"level": "error", "message": {"text": inert.path(f"{path}: {message}")},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": inert.uri(error_place(path, message)[0])}}}]}
        for path, message in errors
    ]
    run = {
        "tool": {"driver": {"name": "diagramcheck", "version": __version__, "rules": rules}},
        "results": results,
        "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notifications}],
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(reviews: list[Review], errors: list[tuple[str, str]], catalog: Catalog) -> str:
    return inert.json(orjson.dumps(document(reviews, errors, catalog), option=orjson.OPT_INDENT_2)).decode() + "\n"
