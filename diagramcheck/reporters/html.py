"""`--format html`: one self-contained page (no network, no external assets) with the
corrected diagram as SVG, additions in dashed red, and beside it the findings by stage;
clicking a finding highlights its components in the diagram."""

from __future__ import annotations

import re
from html import escape

from diagramcheck.engine import Review
from diagramcheck.fixes import apply_fixes
from diagramcheck.packs import STAGES

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1e1e1e;background:#fafafa}
header{padding:12px 20px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:18px;margin:0 0 4px}
.meta{color:#555;font-size:14px}
main{display:flex;gap:16px;padding:16px;align-items:flex-start}
.diagram{flex:3;background:#fff;border:1px solid #ddd;border-radius:6px;overflow:auto;max-height:85vh}
.diagram svg{display:block;max-width:none}
.findings{flex:2;max-height:85vh;overflow:auto}
.stage{background:#fff;border:1px solid #ddd;border-radius:6px;margin-bottom:10px;padding:8px 12px}
.stage h2{font-size:15px;margin:4px 0;display:flex;justify-content:space-between}
.badge{font-size:12px;padding:1px 8px;border-radius:10px;color:#fff}
.pass{background:#2f9e44}.fail{background:#e03131}.na{background:#adb5bd}
.finding{border-left:4px solid #adb5bd;padding:6px 8px;margin:6px 0;cursor:pointer;border-radius:3px}
.finding:hover,.finding.active{background:#fff4e6}
.finding.error{border-color:#e03131}.finding.warning{border-color:#f08c00}.finding.info{border-color:#1c7ed6}
.rule{font-family:ui-monospace,Consolas,monospace;font-size:13px}
.fix,.question{font-size:13px;color:#444;margin-top:3px}
.question{font-style:italic}
g.node.hl polygon,g.node.hl path,g.node.hl ellipse{stroke:#f76707!important;stroke-width:5!important}
.nodiagram{padding:20px;color:#555}
"""

SCRIPT = """
document.querySelectorAll('.finding').forEach(function (item) {
  item.addEventListener('click', function () {
    var section = item.closest('section.file');
    section.querySelectorAll('g.node.hl').forEach(function (n) { n.classList.remove('hl'); });
    section.querySelectorAll('.finding.active').forEach(function (n) { n.classList.remove('active'); });
    item.classList.add('active');
    (item.dataset.components || '').split(' ').forEach(function (id) {
      if (!id) return;
      var node = section.querySelector('#' + id);
      if (node) { node.classList.add('hl'); node.scrollIntoView({block: 'nearest', inline: 'nearest'}); }
    });
  });
});
// a link to report.html#<finding id> opens with that finding selected
if (location.hash.length > 1) {
  var chosen = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (chosen && chosen.classList.contains('finding')) { chosen.click(); }
}
"""


def render(reviews: list[Review], errors: list[tuple[str, str]]) -> str:
    sections = [_file_section(rv, n) for n, rv in enumerate(reviews)]
    problems = "".join(f"<p class='meta'>error: {escape(path)}: {escape(message)}</p>" for path, message in errors)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>diagramcheck review</title><style>{CSS}</style></head><body>"
        + "".join(sections) + problems
        + f"<script>{SCRIPT}</script></body></html>\n"
    )


def _file_section(rv: Review, n: int) -> str:
    ids = {c.id: f"f{n}c{i}" for i, c in enumerate(rv.graph.components)}
    names = {c.id: c.label or c.id for c in rv.graph.components}
    diagram = _diagram(rv, ids)
    stages = []
    for number, (stage, title) in enumerate(STAGES, 1):
        result = next(s for s in rv.stages if s.stage == stage)
        badge = {"pass": "pass", "fail": "fail", "n/a": "na"}[result.status]
        items = []
        for index, f in enumerate(rv.findings):
            if f.stage != stage:
                continue
            anchor = f"file{n}-{index}"  # by position: equal findings (same rule, same box) stay distinct
            targets = " ".join(ids[c] for c in f.components if c in ids)
            involved = ", ".join(names.get(c, c) for c in f.components[:6])
            items.append(
                f"<div class='finding {f.severity}' id='{anchor}' data-components='{targets}' tabindex='0'>"
                f"<span class='rule'>{escape(f.severity)} · {escape(f.rule)}</span><div>{escape(f.message)}</div>"
                + (f"<div class='fix'>components: {escape(involved)}</div>" if involved else "")
                + f"<div class='fix'>fix: {escape(f.fix)}</div>"
                + (f"<div class='question'>interviewer: {escape(f.question)}</div>" if f.question else "")
                + "</div>"
            )
        stages.append(
            f"<div class='stage'><h2><span>{number}. {escape(title)}</span><span class='badge {badge}'>{escape(result.status)}</span></h2>"
            + "".join(items) + "</div>"
        )
    weakest = dict(STAGES).get(rv.weakest or "", "none")
    header = (
        f"<header><h1>{escape(rv.graph.path)}</h1><div class='meta'>problem: {escape(rv.problem)} · score {rv.score}/100 · "
        f"MLOps maturity level {rv.maturity} · weakest stage: {escape(weakest)} · "
        f"{len(rv.findings)} findings · the diagram shows your sketch plus the fixes, dashed red</div></header>"
    )
    return f"<section class='file'>{header}<main><div class='diagram'>{diagram}</div><div class='findings'>{''.join(stages)}</div></main></section>"


def _diagram(rv: Review, ids: dict[str, str]) -> str:
    from diagramcheck.writers.layout import GraphvizMissing
    from diagramcheck.writers.render import render as run_dot, render_dot

    findings = [f for f in rv.findings if f.fix_actions.get("add") or f.fix_actions.get("connect")]
    fixed = apply_fixes(rv.graph, findings)
    known = {c.id for c in rv.graph.components}
    added = {c.id for c in fixed.components if c.id not in known}
    edges = {(c.source, c.target) for c in fixed.connections if c.id.startswith("fix:")}
    try:
        svg = run_dot(render_dot(fixed, added, edges, node_ids=ids), "svg").decode("utf-8")
    except (GraphvizMissing, RuntimeError, OSError) as exc:
        return f"<p class='nodiagram'>No diagram: {escape(str(exc))}</p>"
    svg = re.sub(r"<\?xml[^>]*>\s*|<!DOCTYPE[^>]*>\s*", "", svg)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S)
