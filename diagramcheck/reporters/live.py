"""The live page of `diagramcheck watch`: the HTML report's drawing and findings by stage
(reporters/html.py's pieces, not a copy), and beside them the question an interviewer would
ask next, the clock against the stage plan of a practice sketch, and which of its
problem's clarifying questions the notes already answer. A parse error shows above the
last good review, which stays until the next good save.

The server pushes each new review as one JSON event (`update`); the page swaps the body in
and binds the report's handlers again. Everything from the sketch is escaped here, and the
page runs under a Content-Security-Policy that allows only its own nonce'd script and
style, and connections to its own origin.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from html import escape

from diagramcheck.packs import LEVELS, STAGE_IDS, STAGES
from diagramcheck.reporters import html as report

_TITLES = dict(STAGES)

CSS = """
.live-head{display:flex;gap:14px;align-items:baseline;flex-wrap:wrap}
.live-head .state{margin-left:auto;font-size:13px;color:#555}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;background:#adb5bd;margin-right:5px}
.dot.on{background:#2f9e44}.dot.off{background:#e03131}
.banner{margin:10px 16px 0;padding:10px 14px;border-radius:6px;background:#fff5f5;border:1px solid #e03131;color:#c92a2a;white-space:pre-wrap;font-family:ui-monospace,Consolas,monospace;font-size:13px}
.notice{margin:8px 16px 0;padding:6px 12px;border-radius:6px;background:#f1f3f5;color:#495057;font-size:13px}
.stale .diagram,.stale .stage{opacity:.55}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;margin-bottom:10px;padding:8px 12px}
.card h2{font-size:15px;margin:4px 0 6px}
.ask{font-size:16px;font-style:italic}
.ask-stage{font-size:12px;color:#555;margin-top:4px}
.plan{width:100%;border-collapse:collapse;font-size:13px}
.plan td{padding:2px 4px}.plan td.min{text-align:right;color:#555;white-space:nowrap}
.plan tr.now{background:#fff4e6;font-weight:600}.plan tr.over td.min{color:#e03131}
.clock{font-size:22px;font-variant-numeric:tabular-nums}.clock.late{color:#e03131}
.questions{margin:0;padding-left:0;list-style:none;font-size:13px}
.questions li{margin:4px 0}.questions .yes{color:#2f9e44}.questions .no{color:#868e96}
.questions details{margin-left:20px;color:#444}
.hint{font-size:12px;color:#666}
.section-meta{padding:8px 16px 0}
"""

SCRIPT = """
(function () {
  var live = document.getElementById('live');
  function tick() {
    var clock = document.getElementById('clock');
    if (!clock) return;
    var started = Number(clock.dataset.started), total = Number(clock.dataset.minutes);
    var elapsed = Math.max(0, (Date.now() - started) / 1000), minutes = elapsed / 60;
    var m = Math.floor(elapsed / 60), s = Math.floor(elapsed % 60);
    clock.textContent = m + ':' + (s < 10 ? '0' : '') + s + ' of ' + total + ':00';
    clock.classList.toggle('late', minutes > total);
    var rows = document.querySelectorAll('.plan tr[data-from]'), current = '';
    rows.forEach(function (row) {
      var from = Number(row.dataset.from), to = Number(row.dataset.to);
      var now = minutes >= from && minutes < to;
      row.classList.toggle('now', now);
      row.classList.toggle('over', minutes >= to && row.dataset.status === 'fail');
      if (now) current = row.dataset.title;
    });
    var stage = document.getElementById('clock-stage');
    if (stage) stage.textContent = current ? 'now: ' + current : (minutes >= total ? 'time is up' : '');
  }
  function views() {
    return Array.prototype.map.call(live.querySelectorAll('svg.sketch'), function (svg) {
      var view = svg.getAttribute('viewBox');
      return view !== (svg.dataset.open || svg.dataset.fit) ? view : null;  // one the user zoomed or panned to
    });
  }
  function apply(update) {
    var kept = views();
    live.innerHTML = update.body;
    bindReport(live);  // opens each drawing at its opening view; one the user had moved stays where it was
    live.querySelectorAll('svg.sketch').forEach(function (svg, i) { if (kept[i]) svg.setAttribute('viewBox', kept[i]); });
    document.title = update.title;
    document.body.dataset.seq = update.seq;
    tick();
  }
  var state = document.getElementById('connection');
  var source = new EventSource('/events');
  source.addEventListener('update', function (event) { apply(JSON.parse(event.data)); });
  source.addEventListener('open', function () { state.className = 'dot on'; state.title = 'live'; });
  source.addEventListener('error', function () { state.className = 'dot off'; state.title = 'reconnecting'; });
  setInterval(tick, 1000);
  tick();
})();
"""


@dataclass
class Practice:
    """What a practice sketch adds to the page: its problem, level, plan and start."""
    problem: object  # problem_bank.Problem
    level: str
    minutes: int
    started: float  # seconds since the epoch


def sections(reviews: list, catalog, practice: Practice | None, fixes: bool) -> str:
    """Each review's drawing and findings (the cards of the practice beside the first)."""
    return "".join(_section(rv, n, catalog, practice if n == 0 else None, fixes) for n, rv in enumerate(reviews))


def update(seq: int, name: str, body: str, error: str | None, practice: Practice | None, score: int | None,
           problems: list[tuple[str, str]] | None = None) -> dict:
    """One update of the page, its title and body. When the file does not read now (`error`
    says why), `body` is the last good review's, shown faded under the error."""
    stale = error is not None
    parts = []
    if error is not None:
        parts.append(f"<div class='banner' id='parse-error'>{escape(error)}\n"
                     + ("The review below is from the last save that read; it comes back on the next good save."
                        if body else "Nothing has read yet: the review appears on the first good save.") + "</div>")
    for path, message in problems or []:
        parts.append(f"<div class='notice'>skipped {escape(path)}: {escape(message)}</div>")
    if stale:
        parts.append(f"<div class='stale'>{body}</div>")
    else:
        parts.append(body or "<p class='nodiagram'>No sketch in this file yet.</p>")
    shown = f" · {score}/100" if score is not None and not stale else ""
    header = (f"<header class='live-head'><h1>{escape(name)}</h1><span class='meta'>"
              + (escape(f"{practice.problem.title} · {practice.level}") if practice else "live review")
              + f"{escape(shown)}</span><span class='state'><span id='connection' class='dot on' title='live'></span>"
              f"reviewed {time.strftime('%H:%M:%S')}</span></header>")
    return {"seq": seq, "title": f"{'✗ ' if stale else ''}{name}{shown} · diagramcheck watch",
            "body": header + "".join(parts), "ok": not stale}


def page(first: dict, nonce: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(first['title'])}</title><style nonce='{nonce}'>{report.CSS}{CSS}</style></head>"
        f"<body data-seq='{first['seq']}'><div id='live'>{first['body']}</div>"
        f"<script nonce='{nonce}'>{report.SCRIPT}{SCRIPT}</script></body></html>\n"
    )


def _section(rv, n: int, catalog, practice: Practice | None, fixes: bool) -> str:
    meta, diagram, stages = report.section_parts(rv, n, catalog, fixes=fixes and practice is None)
    cards = _next_card(rv, practice)
    if practice is not None:
        cards += _clock_card(rv, practice) + _questions_card(rv, practice)
    drawn = ("your drawing plus the fixes, dashed red" if fixes and practice is None
             else "your drawing (fixes hidden while practising: `diagramcheck fix` draws them)")
    return (f"<section class='file'><div class='meta section-meta'>{escape(rv.graph.path)} · {meta} · {drawn}</div>"
            f"<main><div class='diagram'>{report.TOOLS}{diagram}</div><div class='findings'>{cards}{stages}</div></main></section>")


def next_question(rv, practice: Practice | None) -> tuple[str | None, str]:
    """(stage, question): the interviewer's question at the first failing stage in framework
    order; when no stage fails, a follow-up of the problem on a stage that passes."""
    failing = [s.stage for s in rv.stages if s.status == "fail"]
    if failing:
        first = min(failing, key=STAGE_IDS.index)
        for finding in rv.findings:
            if finding.stage == first and finding.severity != "info" and finding.question:
                return first, finding.question
        return first, f"What does your design do about {_TITLES[first].lower()}?"
    if practice is not None:
        passing = {s.stage for s in rv.stages if s.status == "pass"}
        rank = LEVELS.index(practice.level)
        for follow_up in sorted(practice.problem.follow_ups, key=lambda f: STAGE_IDS.index(f.stage)):
            if follow_up.stage in passing and LEVELS.index(follow_up.level) <= rank:
                return follow_up.stage, follow_up.ask
    return None, "No stage fails: walk me through one request, end to end, and then one retraining."


def _next_card(rv, practice: Practice | None) -> str:
    stage, ask = next_question(rv, practice)
    where = f"{STAGE_IDS.index(stage) + 1}. {_TITLES[stage]}" if stage else "every stage passes"
    return (f"<div class='card' id='next-question'><h2>The interviewer asks next</h2><div class='ask'>{escape(ask)}</div>"
            f"<div class='ask-stage'>{escape(where)}</div></div>")


def _clock_card(rv, practice: Practice) -> str:
    from diagramcheck.problem_bank import stage_plan

    statuses = {s.stage: s.status for s in rv.stages}
    rows, clock = [], 0
    for stage, minutes in stage_plan(practice.problem, practice.minutes):
        title = _TITLES[stage]
        status = statuses.get(stage, "n/a")
        badge = {"pass": "pass", "fail": "fail"}.get(status, "na")
        rows.append(f"<tr data-from='{clock}' data-to='{clock + minutes}' data-status='{escape(status)}' data-title='{escape(title)}'>"
                    f"<td class='min'>{clock}-{clock + minutes}</td><td>{escape(title)}</td>"
                    f"<td><span class='badge {badge}'>{escape(status)}</span></td></tr>")
        clock += minutes
    started = int(practice.started * 1000)
    return (f"<div class='card' id='practice-clock'><h2>Clock <span id='clock' class='clock' data-started='{started}' "
            f"data-minutes='{practice.minutes}'></span></h2><div class='hint' id='clock-stage'></div>"
            f"<table class='plan'>{''.join(rows)}</table></div>")


def _questions_card(rv, practice: Practice) -> str:
    from diagramcheck.practice import questions_answered

    asked = questions_answered(practice.problem, [note.text for note in rv.graph.notes], practice.level)
    done = sum(1 for _, yes in asked if yes)
    items = []
    for question, yes in asked:
        mark = "<span class='yes'>&#10003;</span>" if yes else "<span class='no'>&#9675;</span>"
        answer = f"<details><summary>the interviewer's answer</summary>{escape(question.answer)}</details>" if yes else ""
        items.append(f"<li data-answered='{'yes' if yes else 'no'}'>{mark} <span class='rule'>[{escape(question.stage)}]</span> "
                     f"{escape(question.ask)}{answer}</li>")
    return (f"<div class='card' id='clarifying'><h2>Clarifying questions: {done} of {len(asked)} answered in your notes</h2>"
            f"<ul class='questions'>{''.join(items)}</ul>"
            "<div class='hint'>Write the answer you would assume as a note; its interviewer's answer then shows here.</div></div>")


def dumps(update_: dict) -> bytes:
    """The event's data: one line of JSON (line breaks inside strings escaped)."""
    return json.dumps(update_, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
