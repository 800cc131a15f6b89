"""A rule as documentation: the same sections for every rule, as ruff does it."""

from __future__ import annotations

from diagramcheck.packs import STAGES, Rule


def explain_rule(rule: Rule, markdown: bool = False) -> str:
    stage = dict(STAGES)[rule.stage]
    scope = ", ".join(rule.problems) if rule.problems else "every problem type"
    overrides = ", ".join(f"{p}: {s}" for p, s in rule.severity_by_problem.items())
    fix = rule.fix.text
    if rule.fix.add:
        fix += " Adds: " + ", ".join(f"{c.label} ({c.kind})" for c in rule.fix.add) + "."
    sections = [
        ("What it checks", rule.title + "."),
        ("When it fires", rule.message.replace("{label}", "<component>").replace("{detail}", "<detail>").replace("{path}", "<path>")),
        ("Why an interviewer expects it", rule.rationale),
        ("What the interviewer asks", rule.question.replace("{label}", "<component>")),
        ("Example", rule.example or "-"),
        ("Fix", fix),
        ("Study", rule.study),
    ]
    head = f"{rule.id} ({stage}; {rule.severity}{'; ' + overrides if overrides else ''}; applies to {scope}; pack {rule.pack})"
    if markdown:
        body = [f"### `{rule.id}`", "", f"Stage: {stage} · severity: {rule.severity}"
                + (f" ({overrides})" if overrides else "") + f" · applies to: {scope} · pack: `{rule.pack}`", ""]
        for title, text in sections:
            body += [f"**{title}.** {text}", ""]
        return "\n".join(body)
    lines = [head, ""]
    for title, text in sections:
        lines += [f"{title}:", f"  {text}", ""]
    return "\n".join(lines).rstrip() + "\n"
