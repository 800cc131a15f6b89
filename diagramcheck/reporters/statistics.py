"""`--statistics`: how often each rule fired across the run, most frequent first, as
ruff's `--statistics` (a table, or JSON with `--format json`)."""

from __future__ import annotations

from collections import Counter

import orjson

from diagramcheck.engine import Review

_MARK = {"error": "E", "warning": "W", "info": "I"}


def counts(reviews: list[Review]) -> list[dict]:
    """One row per rule and severity (a rule's severity can differ by problem type)."""
    counted = Counter((f.rule, f.severity) for rv in reviews for f in rv.findings)
    titles = {f.rule: f.title for rv in reviews for f in rv.findings}
    files = Counter(key for rv in reviews for key in {(f.rule, f.severity) for f in rv.findings})
    rows = [{"rule": rule, "severity": severity, "count": count, "files": files[(rule, severity)], "title": titles[rule]}
            for (rule, severity), count in counted.items()]
    return sorted(rows, key=lambda row: (-row["count"], row["rule"], row["severity"]))


def render(reviews: list[Review]) -> str:
    rows = counts(reviews)
    if not rows:
        return ""
    width = max(len(row["rule"]) for row in rows)
    return "".join(f"{row['count']:>5}  {_MARK[row['severity']]} {row['rule']:<{width}}  {row['title']}\n" for row in rows)


def render_json(reviews: list[Review]) -> bytes:
    return orjson.dumps(counts(reviews), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)
