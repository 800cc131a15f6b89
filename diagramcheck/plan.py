"""One fix plan per sketch: every finding's fix merged into one set of changes before
anything is drawn. `fix --dry-run` prints it; every writer draws it.

A finding's machine-readable fix (engine.resolve_fix) asks, on its own, for components
(ref, kind, label), connections and removals. Drawn one by one they repeat each other
(three logs, two feature stores) and wire new boxes to whatever the rule met first. The
plan instead:

1. gives each role one component: requests of one kind become one box, and so does a
   request whose rule accepts (its `reuse` selector) the kind of a box already planned;
2. wires them as an interviewer would: data validation reads the raw events that reach
   training (event log, stream) before a lookup database; alerting, retraining triggers
   and label joins hang off the monitoring that watches a model, not a business dashboard;
3. puts each added component in the zone its role belongs to (online, offline,
   monitoring) when the sketch has such zones;
4. checks itself: the planned graph is reviewed again, and a finding the merged plan
   leaves open gets its own endpoints back, then its own components.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from diagramcheck.engine import SEVERITY_ORDER, Finding
from diagramcheck.model import Component, ComponentGraph, Connection

# the label one box gets when requests with different labels merge into it
MERGED_LABELS = {
    "event_log": "Prediction & outcome log",
    "feedback": "Outcome labels (feedback, ground truth)",
    "labeling": "Human labelling (relevance judgments)",
    "experimentation": "Experimentation (A/B tests, exploration)",
    "fallback": "Fallback (heuristic, last good answer)",
    "evaluation": "Offline evaluation (golden set)",
    "human_review": "Human review queue",
}
# ... unless one of the rules it serves names the role better (a fraud design's labels are the
# reviewers' decisions, not relevance judgments; a recommender's fallback serves new users)
MERGED_LABELS_BY_RULE = {
    ("fallback", "cold-start"): "Fallback (popular items, cold start)",
    ("labeling", "human-review"): "Review decisions (labels)",
}

# where a role lives when the sketch is split into such zones
HOME = {
    "monitoring": {"monitoring", "drift_detection", "alerting"},
    "online": {"client", "api", "serving", "candidate_generation", "ranking", "reranking", "llm", "cache", "fallback",
               "guardrails", "experimentation", "vector_index"},
    "offline": {"data_validation", "experiment_tracking", "model_registry", "evaluation", "training", "orchestrator",
                "cicd", "labeling", "feedback", "human_review", "feature_pipeline", "batch_processing", "data_lake",
                "embedding", "batch_inference", "document_source"},
}
_ZONE_TITLES = (  # the first that matches names a zone's role
    ("monitoring", re.compile(r"monitor|observab|alert")),
    ("online", re.compile(r"online|serving|inference|request|real[- ]?time|production|\bprod\b|scoring|\blive\b")),
    ("offline", re.compile(r"offline|training|\btrain|batch|learning|pipeline|model dev|data platform")),
)
_BUSINESS = re.compile(r"\b(crm|sales|marketing|business|bi|kpis?|finance|revenue|executive|tableau|looker|power ?bi|reports?)\b")
RAW_PREFERENCE = ["event_log", "stream", "data_lake", "database", "document_source"]
MODEL_SERVING = {"serving", "batch_inference", "candidate_generation", "ranking", "reranking", "llm"}
OBSERVERS = {"monitoring", "drift_detection"}


@dataclass
class PlannedComponent:
    id: str
    kind: str
    label: str
    zone_id: str | None
    zone: str | None
    rules: list[str]


@dataclass
class PlannedConnection:
    source: str
    target: str
    label: str
    rules: list[str]


@dataclass
class PlannedRemoval:
    source: str
    target: str
    rule: str
    note: str
    arrow: str = ""  # the user's arrow (source element id), when the sketch has one


@dataclass
class FixPlan:
    components: list[PlannedComponent] = field(default_factory=list)
    connections: list[PlannedConnection] = field(default_factory=list)
    removals: list[PlannedRemoval] = field(default_factory=list)
    reused: list[dict] = field(default_factory=list)  # {rule, ref, component}: a request served by an existing box
    fixed: list[str] = field(default_factory=list)  # keys of the findings the plan closes
    open: list[str] = field(default_factory=list)  # keys of fixable findings it cannot close

    @property
    def empty(self) -> bool:
        return not (self.components or self.connections or self.removals)

    @property
    def rules(self) -> list[str]:
        return sorted({r for c in self.components for r in c.rules} | {r for c in self.connections for r in c.rules}
                      | {r.rule for r in self.removals})

    def apply(self, graph: ComponentGraph, remove: bool = True) -> ComponentGraph:
        """The graph as it would be with the plan carried out (with `remove`, the arrows the
        plan asks to delete are gone; the drawings keep them and annotate them instead)."""
        fixed = copy.deepcopy(graph)
        fixed.components += [Component(id=c.id, label=c.label, kind=c.kind, kind_source="tag", zone=c.zone,
                                       zone_id=c.zone_id) for c in self.components]
        if remove:
            gone = {(r.source, r.target) for r in self.removals}
            fixed.connections = [c for c in fixed.connections if (c.source, c.target) not in gone
                                 or c.source_is_zone or c.target_is_zone]
        fixed.connections += [Connection(source=c.source, target=c.target, label=c.label, id="fix:" + ",".join(c.rules))
                              for c in self.connections]
        fixed.__dict__.pop("by_id", None)  # cached_property
        return fixed

    def to_dict(self, graph: ComponentGraph) -> dict:
        names = {c.id: c.label for c in graph.components} | {c.id: c.label for c in self.components}
        return {
            "add": [{"id": c.id, "kind": c.kind, "label": c.label, "zone": c.zone, "rules": c.rules} for c in self.components],
            "connect": [{"from": c.source, "to": c.target, "from_label": names.get(c.source, c.source),
                         "to_label": names.get(c.target, c.target), "label": c.label, "rules": c.rules}
                        for c in self.connections],
            "remove": [{"from": r.source, "to": r.target, "from_label": names.get(r.source, r.source),
                        "to_label": names.get(r.target, r.target), "rule": r.rule, "note": r.note} for r in self.removals],
            "reuse": self.reused,
            "fixes": self.fixed,
            "left_open": self.open,
        }


@dataclass
class _Request:
    finding: int
    rule: str
    ref: str
    kind: str
    label: str
    accepts: frozenset[str]


def fixable(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if any(f.fix_actions.get(k) for k in ("add", "connect", "remove"))]


class Planner:
    """Builds the plan for one graph. `recheck` reviews a graph again (same catalog, problem
    and level); `accepts(rule, ref)` names the kinds a rule's request may be served by."""

    def __init__(self, graph: ComponentGraph, findings: list[Finding], recheck: Callable[[ComponentGraph], list[Finding]],
                 accepts: Callable[[str, str, str], frozenset[str]], per_component: set[str]) -> None:
        self.graph = graph
        order = sorted(range(len(findings)), key=lambda i: (-SEVERITY_ORDER.get(findings[i].severity, 0), i))
        self.findings = [findings[i] for i in order]
        self.recheck = recheck
        self.accepts = accepts
        self.per_component = per_component
        self.by_id = {c.id: c for c in graph.components}
        self.zones = {z.id: z for z in graph.zones}
        self.digraph = graph.digraph()
        self.rechecked: tuple[FixPlan, list[Finding]] | None = None  # the plan last judged, and its review

    def plan(self) -> FixPlan:
        n = len(self.findings)
        merge, rewire = [True] * n, [True] * n
        plan = self._build(merge, rewire)
        checked = None  # what is still open in `plan`, once it has been reviewed again
        for _ in range(2 * n + 1):
            checked = self._still_open(plan)
            if not checked:
                break
            changed = False
            for i in checked:
                if rewire[i]:
                    rewire[i], changed = False, True
                elif merge[i]:
                    merge[i], changed = False, True
            if not changed:
                break
            plan, checked = self._build(merge, rewire), None
        # a review costs as much as the first one: the plan last reviewed is not reviewed twice
        open_ = set(self._still_open(plan) if checked is None else checked)
        plan.fixed = [self._key(f) for i, f in enumerate(self.findings) if i not in open_]
        plan.open = [self._key(f) for i, f in enumerate(self.findings) if i in open_]
        return plan

    def _key(self, finding: Finding) -> str:
        return _key(finding, self.per_component)

    def _still_open(self, plan: FixPlan) -> list[int]:
        self.rechecked = (plan, self.recheck(plan.apply(self.graph)))
        after = {self._key(f) for f in self.rechecked[1]}
        return [i for i, f in enumerate(self.findings) if self._key(f) in after]

    # building -------------------------------------------------------------------

    def _build(self, merge: list[bool], rewire: list[bool]) -> FixPlan:
        plan = FixPlan()
        planned: dict[str, PlannedComponent] = {}
        labels: dict[str, list[str]] = {}
        refs: list[dict[str, str]] = [{} for _ in self.findings]
        for i, finding in enumerate(self.findings):
            for entry in finding.fix_actions.get("add", []):
                request = _Request(i, finding.rule, entry["ref"], entry["kind"], entry["label"],
                                   self.accepts(finding.rule, entry["ref"], entry["kind"]))
                host = self._host(request, planned) if merge[i] else None
                if host is None:
                    host = PlannedComponent(id=f"fix-{finding.rule}-{entry['ref']}", kind=request.kind, label=request.label,
                                            zone_id=None, zone=None, rules=[])
                    planned[host.id] = host
                    labels[host.id] = []
                elif host.kind != request.kind or host.label != request.label:
                    plan.reused.append({"rule": finding.rule, "ref": entry["ref"], "component": host.id})
                if finding.rule not in host.rules:
                    host.rules.append(finding.rule)
                if request.label not in labels[host.id] and host.kind == request.kind:
                    labels[host.id].append(request.label)
                refs[i][entry["ref"]] = host.id
        for host in planned.values():
            if len(labels[host.id]) > 1:
                host.label = next((label for (kind, rule), label in MERGED_LABELS_BY_RULE.items()
                                   if kind == host.kind and rule in host.rules),
                                  MERGED_LABELS.get(host.kind, labels[host.id][0]))
        plan.components = list(planned.values())
        kinds = {c.id: c.kind for c in self.graph.components} | {c.id: c.kind for c in plan.components}
        seen: dict[tuple[str, str], PlannedConnection] = {}
        existing = {(c.source, c.target) for c in self.graph.connections}
        for i, finding in enumerate(self.findings):
            for entry in finding.fix_actions.get("connect", []):
                source, target = refs[i].get(entry["from"], entry["from"]), refs[i].get(entry["to"], entry["to"])
                if rewire[i]:
                    source, target = self._rewired(source, target, kinds, planned)
                if source == target or source not in kinds or target not in kinds or (source, target) in existing:
                    continue
                conn = seen.get((source, target))
                self._connect(plan, seen, source, target, entry.get("label", "") or "", finding.rule)
                if rewire[i]:
                    for watched in self._unwatched(source, target, entry):
                        if (watched[0], watched[1]) not in existing:
                            self._connect(plan, seen, watched[0], watched[1], "", finding.rule)
        self._chain(plan, kinds, existing)
        for i, finding in enumerate(self.findings):
            for entry in finding.fix_actions.get("remove", []):
                if entry["from"] in kinds and entry["to"] in kinds:
                    plan.removals.append(PlannedRemoval(entry["from"], entry["to"], finding.rule,
                                                        self._removal_note(entry, plan, finding, kinds)))
        self._assign_zones(plan)
        return plan

    @staticmethod
    def _connect(plan: FixPlan, seen: dict, source: str, target: str, label: str, rule: str) -> None:
        conn = seen.get((source, target))
        if conn is None:
            conn = seen[(source, target)] = PlannedConnection(source, target, label, [])
            plan.connections.append(conn)
        if rule not in conn.rules:
            conn.rules.append(rule)

    def _unwatched(self, source: str, target: str, entry: dict) -> list[tuple[str, str]]:
        """When rewiring moved an end to a monitor that watches no model, the models the
        rule's own choice watched are connected to it too."""
        out = []
        for chosen, original in ((source, entry["from"]), (target, entry["to"])):
            if chosen != original and chosen in self.by_id and original in self.by_id \
                    and self.by_id[chosen].kind in OBSERVERS and not self._watches_a_model(chosen):
                models = [n for n in self.digraph.predecessors(original) if self.by_id[n].kind in MODEL_SERVING]
                out += [(m, chosen) for m in models]
        return out

    def _chain(self, plan: FixPlan, kinds: dict[str, str], existing: set[tuple[str, str]]) -> None:
        """training -> evaluation -> registry -> model, as one chain, when the plan adds
        an evaluation gate and a registry side by side."""
        edges = existing | {(c.source, c.target) for c in plan.connections}
        registries = [n for n, k in kinds.items() if k == "model_registry"]
        for conn in list(plan.connections):
            if kinds.get(conn.source) != "evaluation":
                continue
            if kinds.get(conn.target) in MODEL_SERVING:
                registry = next((r for r in registries if (r, conn.target) in edges), None)
                if registry is None:
                    continue
                conn.target = registry
            elif kinds.get(conn.target) == "model_registry":  # the gate already deploys through it
                registry = conn.target
            else:
                continue
            for other in list(plan.connections):
                if other.target == registry and kinds.get(other.source) == "training" \
                        and (other.source, conn.source) in edges:
                    conn.rules += [r for r in other.rules if r not in conn.rules]
                    plan.connections.remove(other)
        unique: dict[tuple[str, str], PlannedConnection] = {}
        for conn in plan.connections:
            if (conn.source, conn.target) in unique:
                unique[(conn.source, conn.target)].rules += [r for r in conn.rules if r not in unique[(conn.source, conn.target)].rules]
            elif (conn.source, conn.target) not in existing:
                unique[(conn.source, conn.target)] = conn
        plan.connections = list(unique.values())

    def _host(self, request: _Request, planned: dict[str, PlannedComponent]) -> PlannedComponent | None:
        same = [c for c in planned.values() if c.kind == request.kind]
        if same:
            return same[0]
        return next((c for c in planned.values() if c.kind in request.accepts), None)

    def _rewired(self, source: str, target: str, kinds: dict[str, str], planned: dict) -> tuple[str, str]:
        """Endpoints an interviewer would choose, among what the user drew."""
        if target in planned and kinds[target] == "data_validation" and source in self.by_id \
                and (kinds[source] in RAW_PREFERENCE or kinds[source] in MODEL_SERVING):
            source = self._best_raw(source)  # raw data, never a model a role word made a store
        if source in self.by_id and kinds[source] in OBSERVERS and kinds.get(target) not in MODEL_SERVING:
            source = self._best_observer(source)
        if target in self.by_id and kinds[target] in OBSERVERS and kinds.get(source) not in MODEL_SERVING:
            target = self._best_observer(target)
        return source, target

    def _best_raw(self, chosen: str) -> str:
        trainers = [c.id for c in self.graph.components if c.kind == "training"]
        order = {c.id: i for i, c in enumerate(self.graph.components)}

        def rank(cid: str) -> tuple:
            reaches = any(self._reaches(cid, t) for t in trainers)
            return (not reaches, RAW_PREFERENCE.index(self.by_id[cid].kind), cid != chosen, order[cid])

        candidates = [c.id for c in self.graph.components if c.kind in RAW_PREFERENCE]
        return min(candidates, key=rank) if candidates else chosen

    def _best_observer(self, chosen: str) -> str:
        order = {c.id: i for i, c in enumerate(self.graph.components)}

        def rank(cid: str) -> tuple:
            business = bool(_BUSINESS.search(self.by_id[cid].label.lower()))
            return (business, not self._watches_a_model(cid), cid != chosen, order[cid])

        candidates = [c.id for c in self.graph.components if c.kind in OBSERVERS]
        return min(candidates, key=rank) if candidates else chosen

    def _watches_a_model(self, cid: str) -> bool:
        if self.by_id[cid].kind == "drift_detection":
            return True
        near = set(self.digraph.predecessors(cid)) | set(self.digraph.successors(cid))
        return any(self.by_id[n].kind in MODEL_SERVING for n in near if n in self.by_id)

    def _reaches(self, source: str, target: str) -> bool:
        import networkx as nx

        return source in self.digraph and target in self.digraph and nx.has_path(self.digraph, source, target)

    def _removal_note(self, entry: dict, plan: FixPlan, finding: Finding, kinds: dict[str, str]) -> str:
        if entry.get("note"):
            return str(entry["note"])
        names = {c.id: c.label for c in self.graph.components} | {c.id: c.label for c in plan.components}
        instead = [c for c in plan.connections if finding.rule in c.rules and c.target == entry["to"]]
        if instead and instead[0].source in names:
            source = instead[0].source
            what = instead[0].label or ("the model" if kinds.get(source) == "model_registry" else "")
            verb = f"deploy through {names[source]}" if kinds.get(source) in ("model_registry", "evaluation") \
                else f"read {what or 'its input'} from {names[source]}"
            return f"remove: {verb} instead"
        return f"remove: {finding.fix.split('.')[0].strip()}"

    # zones -----------------------------------------------------------------------

    def _assign_zones(self, plan: FixPlan) -> None:
        roles = {z.id: zone_role(z.label) for z in self.graph.zones}
        if not self.graph.zones:
            return
        neighbours: dict[str, list[str]] = {c.id: [] for c in plan.components}
        for conn in plan.connections:
            for a, b in ((conn.source, conn.target), (conn.target, conn.source)):
                if a in neighbours and b in self.by_id:
                    neighbours[a].append(b)
        for comp in plan.components:
            comp.zone_id = self._zone_for(comp, neighbours[comp.id], roles)
            comp.zone = self.zones[comp.zone_id].label if comp.zone_id else None

    def _zone_for(self, comp: PlannedComponent, near: list[str], roles: dict[str, str | None]) -> str | None:
        home = next((role for role, kinds in HOME.items() if comp.kind in kinds), None)
        near_zones = [self.by_id[n].zone_id for n in near if self.by_id[n].zone_id]
        if home is not None:
            homes = [z for z, role in roles.items() if role == home]
            if homes:
                return max(homes, key=lambda z: (near_zones.count(z), -list(self.zones).index(z)))
            if home == "monitoring":
                watched = [c.zone_id for c in self.graph.components if c.kind in HOME["monitoring"] and c.zone_id]
                if watched:
                    return watched[0]
        if not near_zones:
            return None
        best = max(set(near_zones), key=lambda z: (near_zones.count(z), -list(self.zones).index(z)))
        role = roles.get(best)
        if role is not None and home is not None and role != home:
            return None  # the neighbours' zone says it is for something else
        if role == "monitoring" and comp.kind not in HOME["monitoring"]:
            return None  # a monitoring zone would make it a monitor
        return best


def zone_role(title: str) -> str | None:
    text = (title or "").lower()
    for role, pattern in _ZONE_TITLES:
        if pattern.search(text):
            return role
    return None


def make_plan(graph: ComponentGraph, findings: list[Finding], catalog, categories: dict[str, str],
              recheck: Callable[[ComponentGraph], list[Finding]], problem: str | None = None) -> FixPlan:
    """The plan for the fixable findings of one review."""
    from diagramcheck.view import View

    view = View(graph, catalog.groups, categories, problem, catalog.labelled)

    def accepts(rule_id: str, ref: str, kind: str) -> frozenset[str]:
        rule = catalog.by_id(rule_id)
        spec = next((a for a in rule.fix.add if a.ref == ref), None) if rule is not None else None
        if spec is None or not spec.reuse:
            return frozenset({kind})
        alts = [a for a in spec.reuse.split("|") if not a.strip().startswith("is:")]
        return frozenset(view.expand(alts)) | {kind} if alts else frozenset({kind})

    per_component = {r.id for r in catalog.rules if r.for_each is not None}
    planned = fixable(findings)
    for _ in range(_FOLLOW_UPS + 1):
        planner = Planner(graph, planned, recheck, accepts, per_component)
        plan = planner.plan()
        # what the additions themselves call for (the monitoring it adds alerts no one) is
        # planned with them, so the corrected sketch does not raise new findings (the planner
        # judged the plan it returns last: its review is reused, not run again)
        judged, after = planner.rechecked
        if judged is not plan:
            after = recheck(plan.apply(graph))
        known = {_key(f, per_component) for f in planned}
        follow = [f for f in fixable(after)
                  if f.severity in ("error", "warning") and _key(f, per_component) not in known]
        if not follow:
            break
        planned = planned + follow
    return plan


_FOLLOW_UPS = 2  # rounds of what the plan's own additions call for


def _key(finding: Finding, per_component: set[str]) -> str:
    return finding.rule if finding.rule not in per_component else f"{finding.rule}@{finding.components[0]}"
