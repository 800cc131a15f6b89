"""The rule engine: pattern packs + component graph -> findings by stage, score, maturity."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field, replace

from diagramcheck.gcpause import paused_collection
from diagramcheck.model import ComponentGraph
from diagramcheck.packs import STAGE_IDS, Catalog, Rule
from diagramcheck.predicates import Result, View, evaluate
from diagramcheck.problems import detect_problem

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
_STAGE_ORDER = {stage: i for i, stage in enumerate(STAGE_IDS)}
WEIGHT = {"error": 3.0, "warning": 2.0, "info": 1.0}
_SUPPRESS = re.compile(r"diagramcheck:\s*ignore\s+([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)(.*)", re.I)


@dataclass
class Finding:
    rule: str
    stage: str
    severity: str
    title: str
    message: str
    components: list[str]
    path: list[str]
    fix: str
    fix_actions: dict
    question: str

    @property
    def key(self) -> str:
        """Stable across runs and edits elsewhere: rule plus the components it names."""
        return f"{self.rule}@{','.join(sorted(self.components))}"


@dataclass
class StageResult:
    stage: str
    status: str  # pass, fail, n/a
    findings: int
    applied: int
    passed: float
    total: float


@dataclass
class Review:
    graph: ComponentGraph
    problem: str
    problem_evidence: list[str]
    findings: list[Finding]
    stages: list[StageResult]
    score: int
    weakest: str | None
    maturity: int
    maturity_reason: str
    suppressed: list[tuple[str, str]] = field(default_factory=list)
    outcomes: dict[str, str] = field(default_factory=dict)  # rule id -> pass / fail / n/a / off
    level: str = "senior"  # the candidate level the review judged against
    hidden: int = 0  # findings --select / --ignore left out of `findings`
    mode: str = "unknown"  # how the design serves: online, batch, none, unknown


def review(graph: ComponentGraph, catalog: Catalog, categories: dict[str, str], problem: str | None = None,
           select: list[str] | None = None, ignore: list[str] | None = None, level: str = "senior",
           detect: bool = True) -> Review:
    """Every applicable rule runs, whatever is selected: the score and maturity come from the
    whole review, and `select`/`ignore` only choose which findings are shown. `detect=False`
    with a `problem` skips detecting one only to name it in the evidence (a fix plan's
    re-check, which judges by the first review's problem; on a long text, detection is a
    third of a review)."""
    with paused_collection():
        return _review(graph, catalog, categories, problem, select, ignore, level, detect)


def _review(graph: ComponentGraph, catalog: Catalog, categories: dict[str, str], problem: str | None,
            select: list[str] | None, ignore: list[str] | None, level: str, detect: bool = True) -> Review:
    if problem and not detect:
        evidence = [f"set by the review being fixed ({problem})"]
    else:
        detected, evidence = detect_problem(graph, catalog.problem_words, catalog.problem_signals)
        if problem:
            evidence = [f"set with --problem (detected: {detected})"]
        problem = problem or detected
    view = View(graph, catalog.groups, categories, problem, catalog.labelled)
    suppressed_ids = _suppressions(graph)
    findings: list[Finding] = []
    applicable, outcomes = _plan(catalog, problem, level)
    outcomes = dict(outcomes)
    stage_totals = {s: [0.0, 0.0] for s in STAGE_IDS}  # passed, total
    suppressed: list[tuple[str, str]] = []
    fired: set[str] = set()
    gated = False
    for rule, severity, weight in applicable:
        view.with_loose = rule.loose
        if gated or (rule.when is not None and not evaluate(view, rule.when).ok):
            outcomes[rule.id] = "n/a"
            continue
        if fired.intersection(rule.depends_on):
            outcomes[rule.id] = "n/a"  # its premise is absent: the more basic finding says so
            continue
        if rule.info_when is not None and severity != "info" and evaluate(view, rule.info_when).ok:
            severity = "info"
        unread = severity != "info" and bool(graph.unread_links) and _about_connections(rule.expect)
        rule_findings = _run_rule(view, rule, "info" if unread else severity)
        if unread:
            rule_findings = [_unread_said(f, graph.unread_links) for f in rule_findings]
        if rule.id in suppressed_ids:
            suppressed.append((rule.id, suppressed_ids[rule.id]))
            rule_findings = []
        totals = stage_totals[rule.stage]
        totals[1] += weight
        if rule_findings:
            outcomes[rule.id] = "fail"
            fired.add(rule.id)
            findings.extend(rule_findings)
            if rule.gate:
                gated = True
        else:
            totals[0] += weight
            outcomes[rule.id] = "pass"
    if gated:
        findings = [f for f in findings if catalog.by_id(f.rule).gate]
        score = 0
    else:
        all_total = sum(total for _, total in stage_totals.values())
        score = round(100 * sum(passed for passed, _ in stage_totals.values()) / all_total) if all_total else 100
    shown = [f for f in findings if (not select or f.rule in select) and not (ignore and f.rule in ignore)]
    stages = _stages(shown, stage_totals, outcomes, catalog)
    level_reached, reason = _maturity(catalog, outcomes)
    shown.sort(key=lambda f: (_STAGE_ORDER[f.stage], -SEVERITY_ORDER[f.severity], f.rule))
    return Review(graph, problem, evidence, shown, stages, score, _weakest(shown), level_reached, reason,
                  suppressed, outcomes, level=level, hidden=len(findings) - len(shown), mode=view.mode)


def _stages(shown: list[Finding], totals: dict, outcomes: dict[str, str], catalog: Catalog) -> list[StageResult]:
    applied: dict[str, int] = {}
    for rule in catalog.rules:
        if outcomes.get(rule.id) in ("pass", "fail"):
            applied[rule.stage] = applied.get(rule.stage, 0) + 1
    counts: dict[str, int] = {}
    failing = set()
    for f in shown:
        counts[f.stage] = counts.get(f.stage, 0) + 1
        if f.severity != "info":
            failing.add(f.stage)
    stages = []
    for stage in STAGE_IDS:
        passed, total = totals[stage]
        status = "n/a" if not applied.get(stage) else ("fail" if stage in failing else "pass")
        stages.append(StageResult(stage, status, counts.get(stage, 0), applied.get(stage, 0), passed, total))
    return stages


_PLANS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _plan(catalog: Catalog, problem: str, level: str) -> tuple[list[tuple[Rule, str, float]], dict[str, str]]:
    """The rules that apply to a problem type, with severity and weight, gate rules first and
    every rule after the rules it depends on; "n/a" for those that do not apply. The same
    for every file of a run, so worked out once."""
    key = (problem, level)
    plans = _PLANS.setdefault(catalog, {})
    if key not in plans:
        applicable, not_applicable = [], {}
        for rule in _dependency_order(catalog.rules):
            severity = rule.severity_for(problem, level)
            if severity == "off" or (rule.problems and problem not in rule.problems):
                not_applicable[rule.id] = "n/a"
            else:
                applicable.append((rule, severity, WEIGHT[severity] * rule.weight))
        plans[key] = (applicable, not_applicable)
    return plans[key]


def _dependency_order(rules: list[Rule]) -> list[Rule]:
    by_id = {r.id: r for r in rules}
    ordered: list[Rule] = []
    placed: set[str] = set()

    def place(rule: Rule) -> None:  # depth is bounded: packs refuse dependency cycles
        if rule.id in placed:
            return
        placed.add(rule.id)
        for basic in rule.depends_on:
            if basic in by_id:
                place(by_id[basic])
        ordered.append(rule)

    for rule in sorted(rules, key=lambda r: not r.gate):
        place(rule)
    return ordered


# predicates whose failure says a connection is missing
_CONNECTION_PREDICATES = frozenset({"path", "edge", "cycle", "loop", "adjacent", "connected", "monitored", "gated",
                                    "feature_parity", "skew"})


def _about_connections(cond) -> bool:
    """The rule's expectation asks for a connection (a path, an edge, a loop, monitoring
    attached...): a failure may then rest on an arrow the reader left unread. Rules asking
    whether a component exists are not softened: no arrow can supply a missing box."""
    if isinstance(cond, dict):
        return any(k in _CONNECTION_PREDICATES or _about_connections(v) for k, v in cond.items())
    if isinstance(cond, list):
        return any(_about_connections(c) for c in cond)
    return False


def _unread_said(finding: Finding, unread: list[str]) -> Finding:
    """A finding about a missing connection on a page with connectors left unread: only
    information, since the missing arrow may be one of them (strict evidence for a failure)."""
    shown = ", ".join(unread[:3]) + (f" and {len(unread) - 3} more" if len(unread) > 3 else "")
    note = f" (Information only: {len(unread)} arrow(s) on this page could not be read ({shown}); it may be one of them.)"
    return replace(finding, message=finding.message + note)


def _run_rule(view: View, rule: Rule, severity: str) -> list[Finding]:
    if rule.for_each is None:
        result = evaluate(view, rule.expect)
        return [] if result.ok else [_finding(view, rule, severity, result, None)]
    out = []
    for subject in view.select(rule.for_each):
        result = evaluate(view, rule.expect, subject)
        if not result.ok:
            out.append(_finding(view, rule, severity, result, subject))
    return out


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _finding(view: View, rule: Rule, severity: str, result: Result, subject: str | None) -> Finding:
    components = [subject] if subject is not None else []
    components = view.real(list(dict.fromkeys([*components, *result.components])))  # once each; a zone's role node is no component
    message, question = rule.message, rule.question_for(view.problem, view.mode)
    if _has_fields(message) or _has_fields(question):  # most have none
        values = _Blank(
            label=view.label(subject) if subject else "",
            detail=result.detail,
            path=" -> ".join([view.label(n) for n in result.path]),
        )
        message, question = message.format_map(values), question.format_map(values)
    view.with_loose, loose = True, view.with_loose  # a fix reuses a box the user drew but left unconnected
    try:
        actions = resolve_fix(view, rule, result, subject)
    finally:
        view.with_loose = loose
    return Finding(
        rule=rule.id,
        stage=rule.stage,
        severity=severity,
        title=rule.title,
        message=message.strip(),
        components=components,
        path=view.real(result.path),
        fix=_fix_text(view, rule.fix_text_for(view.problem), actions),
        fix_actions=actions,
        question=question,
    )


def _has_fields(template: str) -> bool:
    return "{" in template or "}" in template  # "}}" too: format_map would make it "}"


def resolve_fix(view: View, rule: Rule, result: Result, subject: str | None) -> dict:
    """The rule's fix with every endpoint made concrete: component ids or new refs."""
    if result.fix is not None:
        return _dedupe(result.fix)
    actions: dict = {"add": [], "connect": [], "remove": []}
    refs: dict[str, str] = {}
    for comp in rule.fix.add:
        existing = _design_first(view, view.real(view.select(comp.reuse))) if comp.reuse else []
        if existing:
            refs[comp.ref] = _prefer(comp.reuse, result.components, view)
        else:
            refs[comp.ref] = comp.ref
            actions["add"].append({"ref": comp.ref, "kind": comp.kind, "label": comp.label})

    def end(token: str) -> str | None:
        if token == "$":
            return subject
        if token in refs:
            return refs[token]
        return _prefer(token[1:], result.components, view, subject)

    for conn in rule.fix.connect:
        source, target = end(conn.source), end(conn.target)
        if source is None or target is None or source == target:
            continue
        succ = view.succ
        if source in succ and target in succ:
            if target in succ[source]:
                continue
            if conn.unless_path and view.path_between([source], [target]):
                continue
        actions["connect"].append({"from": source, "to": target, "label": conn.label})
    return actions


def _dedupe(actions: dict) -> dict:
    seen: set[tuple[str, str]] = set()
    connect = []
    for conn in actions.get("connect", []):
        if (conn["from"], conn["to"]) not in seen:
            seen.add((conn["from"], conn["to"]))
            connect.append(conn)
    return {**actions, "connect": connect}


def _prefer(selector: str, involved: list[str], view: View, subject: str | None = None) -> str | None:
    """The component a fix endpoint (or reuse) stands for. Its alternatives are tried in the
    order written, so `@reranking|is:rankers|model_serving` wires to the ranker before an LLM
    drawn earlier; within one alternative, a component the finding names comes first, then
    the first in drawing order."""
    for alt in _alternatives(selector):
        wanted = view.select_set(alt, subject)
        for node in involved:
            if node in wanted and not view.is_virtual(node):
                return node
        candidates = _design_first(view, view.real(view.select(alt, subject)))
        if candidates:
            return candidates[0]
    return None


def _alternatives(selector: str) -> list[str]:
    """`@api|model_serving` -> ['@api', 'model_serving']; a group's leading `@` marks the
    whole selector, so each alternative keeps the spelling select() reads."""
    return [alt.strip() for alt in selector.split("|") if alt.strip()] if selector != "$" else ["$"]


def _design_first(view: View, nodes: list[str]) -> list[str]:
    """Connected components before loose ones (a fix may wire up a loose box, but prefers
    the design's own)."""
    return sorted(nodes, key=lambda n: n in view.loose)


def _fix_text(view: View, advice: str, actions: dict) -> str:
    added = {a["ref"]: a["label"] for a in actions["add"]}
    label = view.label
    parts = [advice.strip()]
    if actions["add"]:
        parts.append("Add " + ", ".join([f"{a['label']} ({a['kind']})" for a in actions["add"]]) + ".")
    for verb, key in (("Connect", "connect"), ("Remove", "remove")):
        if actions.get(key):
            pairs = [f"{added.get(c['from']) or label(c['from'])} -> {added.get(c['to']) or label(c['to'])}" for c in actions[key]]
            parts.append(f"{verb} {', '.join(pairs)}.")
    return " ".join(parts)


def _suppressions(graph: ComponentGraph) -> dict[str, str]:
    found: dict[str, str] = {}
    for note in graph.notes:
        for line in note.text.splitlines():
            match = _SUPPRESS.search(line)
            if match:
                for rule_id in re.split(r"\s*,\s*", match.group(1).lower()):
                    found[rule_id] = match.group(2).strip(" :-") or "no reason given"
    return found


_STAGE_WEIGHT = {"error": 3, "warning": 1, "info": 0}


def _weakest(shown: list[Finding]) -> str | None:
    """The stage whose shown findings weigh most (an error three warnings); never a stage
    that passes. Ties go to the earlier stage: it comes first in the interview."""
    weight: dict[str, int] = {}
    for f in shown:
        weight[f.stage] = weight.get(f.stage, 0) + _STAGE_WEIGHT[f.severity]
    scored = [(-w, _STAGE_ORDER[stage], stage) for stage, w in weight.items() if w > 0]
    return min(scored)[2] if scored else None


def _maturity(catalog: Catalog, outcomes: dict[str, str]) -> tuple[int, str]:
    def missing(level: str) -> list[str]:
        return [r for r in catalog.maturity.get(level, []) if outcomes.get(r) != "pass"]

    gaps1, gaps2 = missing("level1"), missing("level2")
    if not catalog.maturity:
        return 0, "no maturity model in the pattern packs"
    if gaps1:
        return 0, "level 1 (automated training pipeline) needs: " + ", ".join(gaps1)
    if gaps2:
        return 1, "level 2 (CI/CD of the pipeline) needs: " + ", ".join(gaps2)
    return 2, "orchestrated, validated, evaluated and continuously delivered"
