"""`--format html`: one self-contained page (no network, no external assets). For each
file: the user's own drawing as SVG (shapes, texts, arrows and frames as drawn, with the
fix plan's additions dashed red), fitted to its pane (a drawing so wide or tall that fitted
its text would be unreadable opens at a readable scale from its top-left corner), with zoom
(wheel, buttons, "fit") and pan (drag); beside it the findings by stage. Clicking a finding highlights its components on
the drawing. DOT sketches, which state no geometry, are drawn by Graphviz's layout."""

from __future__ import annotations

import re
from html import escape

from diagramcheck import inert
from diagramcheck.engine import Review
from diagramcheck.errors import DiagramError
from diagramcheck.packs import STAGES
from diagramcheck.words import plural

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1e1e1e;background:#fafafa}
header{padding:10px 20px;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:18px;margin:0 0 4px}
.meta{color:#555;font-size:14px}
main{display:flex;gap:16px;padding:12px 16px;align-items:stretch}
.diagram{flex:3;min-width:0;background:#fff;border:1px solid #ddd;border-radius:6px;position:relative;height:calc(100vh - 110px);overflow:hidden}
.diagram svg.sketch{display:block;width:100%;height:100%;cursor:grab;touch-action:none}
.diagram svg.sketch.panning{cursor:grabbing}
.tools{position:absolute;right:8px;top:8px;display:flex;gap:4px}
.tools button{font:13px system-ui,sans-serif;padding:2px 8px;border:1px solid #ccc;border-radius:4px;background:#fff;cursor:pointer}
.tools button.more{border-color:#1c7ed6;color:#1c7ed6;font-weight:600}
.findings{flex:2;min-width:0;height:calc(100vh - 110px);overflow:auto;overflow-wrap:anywhere}
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
.halo{fill:rgba(247,103,7,.14);stroke:#f76707;stroke-width:6;display:none}
.halo.hl{display:inline}
g.node.hl polygon,g.node.hl path,g.node.hl ellipse{stroke:#f76707!important;stroke-width:5!important}
.nodiagram{padding:20px;color:#555}
.report{position:fixed;inset:0;overflow:auto}
"""

SCRIPT = """
function viewBoxOf(svg) { return svg.getAttribute('viewBox').split(/[ ,]+/).map(Number); }
function setViewBox(svg, v) { svg.setAttribute('viewBox', v.join(' ')); }
function zoom(svg, factor, cx, cy) {
  var v = viewBoxOf(svg);
  if (cx === undefined) { cx = v[0] + v[2] / 2; cy = v[1] + v[3] / 2; }
  setViewBox(svg, [cx - (cx - v[0]) * factor, cy - (cy - v[1]) * factor, v[2] * factor, v[3] * factor]);
}
function toDrawing(svg, event) {
  var point = svg.createSVGPoint(); point.x = event.clientX; point.y = event.clientY;
  return point.matrixTransform(svg.getScreenCTM().inverse());
}
// The opening view: the whole drawing when its text is readable so; else (a very wide or tall
// drawing) its top-left corner at a scale where text is READABLE px, "fit" a click away.
var READABLE = 11, TOO_SMALL = 8;
function openView(svg) {
  var fit = svg.dataset.fit.split(/[ ,]+/).map(Number), box = svg.getBoundingClientRect();
  var text = Number(svg.dataset.text) || 14;
  if (!(box.width > 0 && box.height > 0 && fit[2] > 0 && fit[3] > 0)) return svg.dataset.fit;
  var scale = Math.min(box.width / fit[2], box.height / fit[3]);
  if (scale * text >= TOO_SMALL) return svg.dataset.fit;
  var readable = READABLE / text;
  return [fit[0], fit[1], box.width / readable, box.height / readable].join(' ');
}
function bindReport(root) {
root.querySelectorAll('svg.sketch').forEach(function (svg) {
  var start = null;
  svg.dataset.open = openView(svg);
  svg.setAttribute('viewBox', svg.dataset.open);
  if (svg.dataset.open !== svg.dataset.fit) {
    var pane = svg.closest('.diagram'), hint = pane && pane.querySelector('.tools button[data-zoom="fit"]');
    if (hint) { hint.classList.add('more'); hint.title = 'Shown at a readable size from its top-left corner: fit the whole drawing (or double-click it)'; }
  }
  svg.addEventListener('wheel', function (event) {
    event.preventDefault();
    var p = toDrawing(svg, event);
    zoom(svg, event.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, {passive: false});
  svg.addEventListener('pointerdown', function (event) {
    start = {x: event.clientX, y: event.clientY, v: viewBoxOf(svg), ctm: svg.getScreenCTM()};
    svg.classList.add('panning'); svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener('pointermove', function (event) {
    if (!start) return;
    var scale = start.ctm.a || 1;
    var v = start.v.slice();
    v[0] -= (event.clientX - start.x) / scale; v[1] -= (event.clientY - start.y) / scale;
    setViewBox(svg, v);
  });
  ['pointerup', 'pointercancel'].forEach(function (name) {
    svg.addEventListener(name, function () { start = null; svg.classList.remove('panning'); });
  });
  svg.addEventListener('dblclick', function () { svg.setAttribute('viewBox', svg.dataset.fit); });
});
root.querySelectorAll('.tools button').forEach(function (button) {
  button.addEventListener('click', function () {
    var svg = button.closest('.diagram').querySelector('svg.sketch');
    if (!svg) return;
    if (button.dataset.zoom === 'fit') svg.setAttribute('viewBox', svg.dataset.fit);
    else zoom(svg, Number(button.dataset.zoom));
  });
});
root.querySelectorAll('.finding').forEach(function (item) {
  item.addEventListener('click', function () {
    var section = item.closest('section.file');
    section.querySelectorAll('.hl').forEach(function (n) { n.classList.remove('hl'); });
    section.querySelectorAll('.finding.active').forEach(function (n) { n.classList.remove('active'); });
    item.classList.add('active');
    (item.dataset.components || '').split(' ').forEach(function (id) {
      if (!id) return;
      section.querySelectorAll('[data-c="' + id + '"], g#' + id).forEach(function (n) { n.classList.add('hl'); });
    });
  });
});
}
bindReport(document);
// a link to report.html#<finding id> opens with that finding selected
if (location.hash.length > 1) {
  var chosen = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (chosen && chosen.classList.contains('finding')) {
    chosen.click();
    window.addEventListener('load', function () {  // after the browser's own scroll to the anchor
      chosen.closest('section.file').scrollIntoView({block: 'start'});  // its file from the top, then the finding in its list
      chosen.scrollIntoView({block: 'nearest'});
    });
  }
}
"""

TOOLS = ("<div class='tools'><button data-zoom='0.8' title='Zoom in'>+</button><button data-zoom='1.25' title='Zoom out'>"
         "&minus;</button><button data-zoom='fit' title='Fit the drawing (or double-click it)'>fit</button></div>")
DRAWN = {"excalidraw", "excalidraw-svg", "excalidraw-png", "obsidian"}


def render(reviews: list[Review], errors: list[tuple[str, str]], catalog=None) -> str:
    sections = [_file_section(rv, n, catalog) for n, rv in enumerate(reviews)]
    problems = "".join(f"<p class='meta'>error: {escape(path)}: {escape(message)}</p>" for path, message in errors)
    page = (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>diagramcheck review</title><style>{CSS}</style></head><body>"
        # the files scroll in their own box, not the page: a link to a finding of the second
        # file (report.html#file1-3) then shows it in every browser, where headless
        # Chromium's --screenshot of a page scrolled by its anchor is blank
        + "<div class='report'>" + "".join(sections) + problems + "</div>"
        + f"<script>{SCRIPT}</script></body></html>\n"
    )
    # escaped for HTML above; controls and the bytes of a name that is not UTF-8 shown as
    # escapes too, since the page is as often printed to a terminal as opened in a browser
    return inert.text(page)


def _file_section(rv: Review, n: int, catalog) -> str:
    meta, diagram, stages = section_parts(rv, n, catalog)
    header = f"<header><h1>{escape(rv.graph.path)}</h1><div class='meta'>{meta} · your drawing plus the fixes, dashed red (scroll to zoom, drag to pan)</div></header>"
    return (f"<section class='file'>{header}<main><div class='diagram'>{TOOLS}{diagram}</div>"
            f"<div class='findings'>{stages}</div></main></section>")


def section_parts(rv: Review, n: int, catalog, fixes: bool = True) -> tuple[str, str, str]:
    """One file's summary line, its drawing (the fix plan dashed red in it, with `fixes`)
    and its findings by stage, as HTML; finding and component ids are numbered by `n`, the
    file's place on the page."""
    from diagramcheck.plan import FixPlan

    plan = _plan(rv, catalog) if fixes else FixPlan()
    ids = {c.id: f"f{n}c{i}" for i, c in enumerate(rv.graph.components)}
    ids.update({c.id: f"f{n}a{i}" for i, c in enumerate(plan.components)})
    names = {c.id: c.label or c.id for c in rv.graph.components}
    diagram = _diagram(rv, plan, ids)
    stages = []
    for number, (stage, title) in enumerate(STAGES, 1):
        result = next(s for s in rv.stages if s.stage == stage)
        badge = {"pass": "pass", "fail": "fail", "n/a": "na"}[result.status]
        items = []
        for index, f in enumerate(rv.findings):
            if f.stage != stage:
                continue
            anchor = f"file{n}-{index}"  # by position: equal findings (same rule, same box) stay distinct
            added = [c.id for c in plan.components if f.rule in c.rules]
            targets = " ".join(ids[c] for c in [*f.components, *added] if c in ids)
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
            f"<div class='stage' data-stage='{stage}'><h2><span>{number}. {escape(title)}</span><span class='badge {badge}'>{escape(result.status)}</span></h2>"
            + "".join(items) + "</div>"
        )
    weakest = dict(STAGES).get(rv.weakest or "", "none")
    meta = (f"problem: {escape(rv.problem)} · score {rv.score}/100 · MLOps maturity level {rv.maturity} · "
            f"weakest stage: {escape(weakest)} · {plural(len(rv.findings), 'finding')}")
    return meta, diagram, "".join(stages)


def _plan(rv: Review, catalog):
    from diagramcheck.correct import plan_review
    from diagramcheck.kinds import default_lexicon
    from diagramcheck.packs import catalog_for

    return plan_review(rv.graph, rv, catalog or catalog_for(), default_lexicon().category, level=rv.level)


def _diagram(rv: Review, plan, ids: dict[str, str]) -> str:
    if rv.graph.format in DRAWN:
        drawn = _drawing(rv, plan, ids)
        if drawn is not None:
            return drawn
    return _graphviz(rv, plan, ids)


def _drawing(rv: Review, plan, ids: dict[str, str]) -> str | None:
    """The sketch as the user drew it, re-read from its file, with the plan drawn in."""
    from diagramcheck.correct import _scene
    from diagramcheck.file_reader import read_file
    from diagramcheck.writers.corrected import corrected_scene
    from diagramcheck.writers.scene_svg import scene_svg

    try:
        scene, _ = _scene(read_file(rv.graph.path), rv.graph.format)
        boxes: dict = {}
        corrected = corrected_scene(scene, rv.graph, plan, boxes_out=boxes)
    except (OSError, DiagramError, ValueError, KeyError, TypeError, RecursionError):
        return None
    return scene_svg(corrected, {ids[c]: box for c, box in boxes.items() if c in ids})


def _graphviz(rv: Review, plan, ids: dict[str, str]) -> str:
    from diagramcheck.writers.layout import GraphvizMissing
    from diagramcheck.writers.render import render as run_dot, render_dot

    fixed = plan.apply(rv.graph, remove=False)
    removals = {(r.source, r.target): r.note for r in plan.removals}
    try:
        svg = run_dot(render_dot(fixed, {c.id for c in plan.components}, {(c.source, c.target) for c in plan.connections},
                                 node_ids=ids, removals=removals), "svg").decode("utf-8")
    except (GraphvizMissing, RuntimeError, OSError) as exc:
        return f"<p class='nodiagram'>No diagram: {escape(str(exc))}</p>"
    svg = re.sub(r"<\?xml[^>]*>\s*|<!DOCTYPE[^>]*>\s*", "", svg)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    # fitted to the pane like a drawn sketch: no fixed size, the viewBox is the fit
    match = re.search(r"<svg\b[^>]*>", svg)
    if match:
        head = re.sub(r'\s(width|height)="[^"]*"', "", match.group(0))
        view = re.search(r'viewBox="([^"]*)"', head)
        extra = f' class="sketch" preserveAspectRatio="xMidYMid meet" data-fit="{view.group(1)}" data-text="14"' if view else ""
        svg = svg[: match.start()] + head[:-1] + extra + ">" + svg[match.end():]
    return svg
