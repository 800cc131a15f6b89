"""The graph predicates rules are written with. Each is a breadth-first search or a
strongly-connected-components pass over the view (view.py): linear in the graph, never an
enumeration of simple paths.

A predicate returns a `Result`: whether it holds, and the components (and, for path
rules, the path) that explain the answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from diagramcheck.design_checks import p_feature_parity, p_latency_budget, p_skew
from diagramcheck.result import Result
from diagramcheck.view import View, path_from_tree  # noqa: F401  (re-exported)


EDGE_SORTS = ("data", "any", "flow")


def p_exists(view: View, spec, subject: str | None) -> Result:
    found = view.select(spec, subject)
    return Result(bool(found), components=found[:5])


def p_edge(view: View, spec: dict, subject: str | None) -> Result:
    sources = view.select(spec["from"], subject)
    targets = view.select_set(spec["to"], subject)
    succ = view.adjacency(spec.get("edges", "any"))
    for s in sources:
        for t in succ[s]:
            if t in targets:
                return Result(True, components=[s, t], path=[s, t])
    return Result(False, components=(sources + list(targets))[:6])


def p_path(view: View, spec: dict, subject: str | None) -> Result:
    sources = view.select(spec["from"], subject)
    targets = view.select(spec["to"], subject)
    if not sources or not targets:
        return Result(False, components=(sources + targets)[:6])
    sort = spec.get("edges", "data")
    blocked = set(view.select(spec["avoid"], subject)) - set(sources) - set(targets) if "avoid" in spec else set()
    stops = view.feature_stops if spec.get("feature") else frozenset()
    if "via" in spec:
        vias = [v for v in view.select(spec["via"], subject) if v not in blocked]
        first = view.reach(sources, blocked, stops, sort)
        middle = [v for v in vias if v in first and v not in sources]
        middle += [v for v in vias if v in sources]  # a source of the via kind counts
        if not middle:
            return Result(False, components=(sources + targets)[:6])
        second = view.path_between(middle, targets, blocked, stops, sort)
        if second is None:
            return Result(False, components=(sources + targets)[:6])
        head = view.path_between(sources, [second[0]], blocked, stops, sort) or [second[0]]
        path = head[:-1] + second
        return Result(True, components=[path[0], path[-1]], path=path)
    path = view.path_between(sources, targets, blocked, stops, sort)
    if path is None:
        return Result(False, components=(sources + targets)[:6])
    return Result(True, components=[path[0], path[-1]], path=path)


def p_cycle(view: View, spec: dict, subject: str | None) -> Result:
    """Some node of each selector lies on one directed cycle of flow edges (a request and its
    response count both ways): one strongly connected component."""
    sets = [set(view.select(sel, subject)) for sel in spec["through"]]
    for component in view.cycles:
        picks = [next(iter(sorted(s & component, key=view.order.get)), None) for s in sets]
        if all(p is not None for p in picks):
            return Result(True, components=picks)
    return Result(False, components=[n for s in sets for n in sorted(s, key=view.order.get)[:2]])


def p_loop(view: View, spec: dict, subject: str | None) -> Result:
    """A trained model and the training that deploys it lie on one directed cycle of flow
    edges: what the model served comes back, as outcomes or fresh data, into its training."""
    trained = view.trained
    for component in view.cycles:
        for model in trained:
            if model in component and any(t in component and model in view._deploy_reach(t) and view.round_trip(t, model)
                                          for t in view.deploying):
                return Result(True, components=[model])
    if not trained:
        return Result(True)
    model = trained[0]
    trainer = next((t for t in view.deploying if model in view._deploy_reach(t)), view.deploying[0] if view.deploying else None)
    logs = view.real(view.by_kind.get("event_log", []) + view.by_kind.get("feedback", []))
    log = logs[0] if logs else "log"
    fix: dict = {"add": [] if logs else [{"ref": "log", "kind": "event_log", "label": "Outcome log"}], "connect": [], "remove": []}
    if log not in view.succ.get(model, {}):
        fix["connect"].append({"from": model, "to": log, "label": "outcomes"})
    if trainer is not None and trainer not in view.succ.get(log, {}):
        fix["connect"].append({"from": log, "to": trainer, "label": ""})
    return Result(False, components=[model, *([trainer] if trainer else [])], fix=fix)


def p_adjacent(view: View, spec: dict, subject: str | None) -> Result:
    """An `a` component touches a `b` component (either direction, any edge), directly or
    through one `via` component."""
    a_nodes = view.select(spec["a"], subject)
    b_nodes = view.select_set(spec["b"], subject)
    via = view.select_set(spec["via"], subject) if "via" in spec else set()
    for a in a_nodes:
        if a in b_nodes and subject is None:
            return Result(True, components=[a])
        neighbours = set(view.succ[a]) | set(view.pred[a])
        hit = neighbours & b_nodes
        if hit:
            return Result(True, components=[a, sorted(hit, key=view.order.get)[0]])
        for middle in sorted(neighbours & via, key=view.order.get):
            around = (set(view.succ[middle]) | set(view.pred[middle])) & b_nodes
            around.discard(a)
            if around:
                return Result(True, components=[a, middle, sorted(around, key=view.order.get)[0]])
    return Result(False, components=view.own_kind_first(a_nodes, spec["a"])[:5])


def p_note(view: View, spec: dict, subject: str | None) -> Result:
    text = view.text(bool(spec.get("labels")), bool(spec.get("zones")))
    need = spec.get("min", 1)
    hits = 0
    searched = _searches_of(text)
    for pattern in spec["matches"]:
        found = searched.get(pattern)
        if found is None:
            found = searched[pattern] = _lower_pattern(pattern).search(text) is not None
        if found:
            hits += 1
            if hits >= need:
                return Result(True)
    return Result(hits >= need)  # true for min = 0


# pattern -> found, for the last few texts searched: a fix reviews its plan again, and the
# notes read the same in every review (a megabyte of notes is read once per pattern, not
# once per review); a few texts, so a run over many files keeps little
_SEARCHED: dict[str, dict[str, bool]] = {}
_TEXTS_KEPT = 4


def _searches_of(text: str) -> dict[str, bool]:
    searched = _SEARCHED.pop(text, None)
    if searched is None:
        searched = {}
        if len(_SEARCHED) >= _TEXTS_KEPT:
            del _SEARCHED[next(iter(_SEARCHED))]  # the least recently searched
    _SEARCHED[text] = searched
    return searched


@lru_cache(maxsize=256)
def _lower_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)  # matched against lower-cased text: no re.I, which compiles slowly


def p_connected(view: View, spec, subject: str | None) -> Result:
    nodes = view.select(spec, subject)
    succ, pred = view.succ, view.pred
    loose = [n for n in nodes if not succ[n] and not pred[n]]
    return Result(not loose, components=loose)


def p_known(view: View, spec, subject: str | None) -> Result:
    """No component of the selector is of kind unknown; the detail lists their labels."""
    nodes = view.real(view.select(spec, subject))
    unknown = [n for n in nodes if "unknown" in view.kinds.get(n, set())]
    if not unknown:
        return Result(True)
    shown = [repr(_short(view.label(n))) for n in unknown[:12]]
    more = f" and {len(unknown) - 12} more" if len(unknown) > 12 else ""
    return Result(False, components=unknown, detail=", ".join(shown) + more)


def _short(label: str, limit: int = 48) -> str:
    flat = " ".join(label.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def p_problem(view: View, spec, subject: str | None) -> Result:
    return Result(view.problem in (spec if isinstance(spec, list) else [spec]))


def p_serves(view: View, spec, subject: str | None) -> Result:
    """How the design serves: 'online', 'batch' (batch-only), 'none' (no model) or 'unknown'."""
    modes = spec if isinstance(spec, list) else [spec]
    return Result(view.mode in modes, components=(view.online or view.select("@model_serving"))[:3], detail=view.mode)


def p_stub(view: View, spec: dict, subject: str | None) -> Result:
    """At least `min` components of a known kind: fewer is a stub, not a design."""
    known = [c.id for c in view.graph.components if c.kind != "unknown"]
    return Result(len(known) >= spec.get("min", 3), components=known[:5])


def p_connections(view: View, spec: dict, subject: str | None) -> Result:
    """At least `min` connections are drawn (arrows, lines, edges)."""
    return Result(len(view.graph.connections) >= spec.get("min", 1), components=[c.id for c in view.graph.components][:5])


def p_excerpt(view: View, spec: bool, subject: str | None) -> Result:
    """The sketch is (or, with false, is not) one of several diagrams of a document."""
    return Result(view.graph.excerpt is spec)


def p_monitored(view: View, spec: dict, subject: str | None) -> Result:
    """Every trained model (or, when nothing here is trained, some model on the request path)
    is watched: a monitoring component touches it, or what carries its predictions within
    a few hops (the decision layer or API in front of it, the log or table they go to), or
    it sits in a zone titled as monitoring. With `scope = "online"`: every trained model
    on a request path is watched (and there is one)."""
    observers = view.select_set(spec["by"])
    carriers = view.select_set(spec["via"])
    trained = view.trained
    # what a monitoring zone holds watches too ("forecast vs actual" inside "Monitoring (Evidently)")
    zoned = {m for z in view.zone_role_of.values() if z in observers for m in view.pred[z]}
    observers = observers | zoned if zoned else observers

    def watched(model: str) -> bool:
        seen, frontier = {model}, [model]
        for _ in range(spec.get("hops", 4)):
            following = []
            for node in frontier:
                for near in (*view.succ[node], *view.pred[node]):
                    if near in observers:
                        return True
                    if near not in seen and near in carriers:
                        seen.add(near)
                        following.append(near)
            frontier = following
        return False

    if spec.get("scope") == "online":  # the trained models requests reach, when there are some
        online = view.trained_online
        return Result(bool(online) and all(watched(m) for m in online))
    if trained:
        loose = [m for m in trained if not watched(m)]
    else:
        # nothing trained is served: one watched model on the request path will do, and a
        # trained encoder serving queries there (the model this design trains) counts too
        online = view.online + [e for e in view.deploy_targets if "embedding" in view.kinds.get(e, ())]
        # ...and so will the API in front of them, its traces watched (a hosted LLM behind guards)
        fronts = view.select("api") if online else []
        loose = [] if not online or any(watched(m) for m in online + fronts) else online[:1]
    if not loose:
        return Result(True)
    return Result(False, components=loose, detail=_names(view, loose), fix=_watch_fix(view, loose))


def _watch_fix(view: View, loose: list[str]) -> dict:
    """Connect every unwatched model to the design's monitoring (one added if it has none)."""
    existing = view.real(view.by_kind.get("monitoring", []))  # a loose monitoring box is the one to wire up
    target = existing[0] if existing else "mon"
    fix: dict = {"add": [] if existing else [{"ref": "mon", "kind": "monitoring", "label": "Model monitoring"}],
                 "connect": [{"from": m, "to": target, "label": ""} for m in loose], "remove": []}
    return fix


def _names(view: View, nodes: list[str]) -> str:
    names = [f"'{_short(view.label(n))}'" for n in nodes]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def p_gated(view: View, spec: dict, subject: str | None) -> Result:
    """No trained model is reached from training through the model chain without passing a
    `through` component (and, when it is, the fix routes that hop through one)."""
    trainers = view.select("training")
    gates = set(view.select(spec["through"], subject)) - _bare(view, spec, subject)
    trained = set(view.trained)
    if not trainers or not trained:
        return Result(True)
    inner = view.chain_nodes - gates
    parent: dict[str, str | None] = {t: None for t in trainers}
    queue = list(trainers)
    found = None
    while queue and found is None:
        node = queue.pop(0)
        for nxt in view.succ[node]:
            if nxt in parent or nxt in gates:
                continue
            parent[nxt] = node
            if nxt in trained and not _gated_twin(view, node, nxt, gates):
                found = nxt
                break
            if nxt in inner:
                queue.append(nxt)
    if found is None:
        return Result(True)
    path = [found]
    while parent[path[-1]] is not None:
        path.append(parent[path[-1]])
    path.reverse()
    fix: dict = {"add": [], "connect": [], "remove": []}
    gate = sorted(gates, key=view.order.get)[0] if gates else "gate"
    if not gates:
        fix["add"].append({"ref": "gate", "kind": spec["kind"], "label": spec["label"]})
    before = next(n for n in reversed(path[:-1]) if not view.is_virtual(n))
    if before == path[-2]:  # an arrow the user drew (not a big zone's hub)
        fix["remove"].append({"from": before, "to": found})
    fix["connect"].append({"from": before, "to": gate, "label": ""})
    fix["connect"].append({"from": gate, "to": found, "label": ""})
    return Result(False, components=[path[0], found], path=path, fix=fix)


def _gated_twin(view: View, before: str, model: str, gates: set[str]) -> bool:
    """The hop also goes through a gate: `before -> gate -> model` beside `before -> model`
    (an arrow into a zone that holds both the stored model and its server reaches both), so
    the bypass is no unambiguous evidence."""
    succ = view.succ
    return any(g in succ[before] and model in succ[g] for g in gates)


def _bare(view: View, spec: dict, subject: str | None) -> set[str]:
    """`unless_bare` components (a model file: 'model.pkl') that touch no `versioned_by`
    component (DVC, a registry, a versioned bucket): a file, not a versioned store."""
    if "unless_bare" not in spec:
        return set()
    versioning = view.select_set(spec["versioned_by"], subject) if "versioned_by" in spec else frozenset()
    pred = view.data_pred
    return {f for f in view.select(spec["unless_bare"], subject)
            if not any(n in versioning for n in (*view.succ[f], *pred[f]))}


def _logic(view: View, name: str, spec, subject: str | None) -> Result:
    if name == "all":
        last = Result(True)
        for part in spec:
            last = evaluate(view, part, subject)
            if not last.ok:
                return last
        return Result(True, components=last.components, path=last.path)
    if name == "any":
        first = None
        for part in spec:
            result = evaluate(view, part, subject)
            if result.ok:
                return result
            first = first or result
        return first or Result(False)
    inner = evaluate(view, spec, subject)  # not
    return Result(not inner.ok, components=inner.components, path=inner.path, detail=inner.detail)


def evaluate(view: View, cond: dict, subject: str | None = None) -> Result:
    (name, spec), = cond.items() if len(cond) == 1 else (("some", cond),)
    predicate = PREDICATES.get(name)
    if predicate is not None:
        return predicate(view, spec, subject)
    if name in ("all", "any", "not"):
        return _logic(view, name, spec, subject)
    if name == "some":
        for node in view.select(cond["some"], subject):
            result = evaluate(view, cond["holds"], node)
            if result.ok:
                return result
        return Result(False, components=view.select(cond["some"], subject)[:5])
    raise KeyError(name)  # the pack schema admits no other name


PREDICATES = {
    "exists": p_exists,
    "edge": p_edge,
    "path": p_path,
    "cycle": p_cycle,
    "loop": p_loop,
    "adjacent": p_adjacent,
    "note": p_note,
    "connected": p_connected,
    "known": p_known,
    "problem": p_problem,
    "serves": p_serves,
    "stub": p_stub,
    "connections": p_connections,
    "monitored": p_monitored,
    "excerpt": p_excerpt,
    "gated": p_gated,
    "feature_parity": p_feature_parity,
    "skew": p_skew,
    "latency_budget": p_latency_budget,
}
LOGIC = {"all", "any", "not", "some"}
