"""The graph predicates rules are written with. Each is a breadth-first search or
a strongly-connected-components pass: linear in the graph, never an enumeration of
simple paths.

A predicate returns a `Result`: whether it holds, and the components (and, for path
rules, the path) that explain the answer.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache
from collections import deque
from collections.abc import Sequence

import networkx as nx

from diagramcheck.model import ComponentGraph


class Result:
    """A plain slotted class: a review makes about a hundred of these per file, and a
    dataclass's factory defaults made two fresh lists for each. Components and path are
    read-only sequences (a tuple when empty)."""

    __slots__ = ("ok", "components", "path", "detail", "fix")

    def __init__(self, ok: bool, components: Sequence[str] = (), path: Sequence[str] = (), detail: str = "",
                 fix: dict | None = None) -> None:
        self.ok = ok
        self.components = components
        self.path = path
        self.detail = detail
        self.fix = fix  # a predicate that knows the repair better than the rule

    def __repr__(self) -> str:
        return f"Result(ok={self.ok!r}, components={self.components!r}, path={self.path!r}, detail={self.detail!r})"


_EXPANDED: dict[tuple[int, int], tuple[dict, dict, dict]] = {}


def _expansions(groups: dict, categories: dict) -> dict:
    """What each selector expands to, kept for every file of a run that has the same
    groups and categories (the entry holds the dicts themselves, so an id is never
    reused under it)."""
    entry = _EXPANDED.get((id(groups), id(categories)))
    if entry is None or entry[0] is not groups or entry[1] is not categories:
        entry = _EXPANDED[(id(groups), id(categories))] = (groups, categories, {})
    return entry[2]


class View:
    """The component graph as the rules see it: kinds (with roles), edges, notes."""

    def __init__(self, graph: ComponentGraph, groups: dict[str, list[str]], categories: dict[str, str], problem: str | None):
        self.graph = graph
        self.g: nx.DiGraph = graph.digraph()
        # the searches' innermost loop: networkx's own adjacency dicts, without the view
        # objects `successors()` wraps them in on every call
        self.succ: dict[str, dict] = self.g._succ
        self.pred: dict[str, dict] = self.g._pred
        self.groups = groups
        self.categories = categories
        self.problem = problem
        self.order = {c.id: i for i, c in enumerate(graph.components)}
        self.kinds: dict[str, set[str]] = {c.id: {c.kind, *c.roles} for c in graph.components}
        self.by_kind: dict[str, list[str]] = {}
        for node, kinds in self.kinds.items():
            for kind in kinds:
                self.by_kind.setdefault(kind, []).append(node)
        self.present = frozenset(self.by_kind)  # the kinds (and roles) this sketch has
        self.labels = {c.id: c.label for c in graph.components}
        self._expanded = _expansions(groups, categories)
        self._selected: dict[str | tuple, list[str]] = {}
        self._selected_sets: dict[str | tuple, frozenset[str]] = {}
        self._texts: dict[bool, str] = {}
        self._feature_reach: dict[tuple[str, ...], set[str]] = {}

    # selectors ---------------------------------------------------------------

    def expand(self, selector: str | list[str]) -> frozenset[str]:
        """Kind names a selector stands for: kinds, `category:x`, `@group`."""
        key = selector if selector.__class__ is str else tuple(selector)
        found = self._expanded.get(key)
        if found is None:
            found = self._expanded[key] = frozenset(self._expand(selector))
        return found

    def _expand(self, selector: str | list[str]) -> set[str]:
        items = [selector] if isinstance(selector, str) else list(selector)
        kinds: set[str] = set()
        for item in items:
            for alt in item.split("|"):
                alt = alt.strip().lstrip("@")
                if alt in self.groups:
                    for member in self.groups[alt]:
                        kinds |= self._expand(member)
                elif alt.startswith("category:"):
                    category = alt.split(":", 1)[1]
                    kinds |= {k for k, c in self.categories.items() if c == category}
                else:
                    kinds.add(alt)
        return kinds

    def select(self, selector: str | list[str], subject: str | None = None) -> list[str]:
        """Components of the selector's kinds, in drawing order (the rules' innermost call)."""
        if selector == "$":
            return [subject] if subject is not None else []
        key = selector if selector.__class__ is str else tuple(selector)
        found = self._selected.get(key)
        if found is None:
            # a selector stands for tens of kinds, a sketch has a few: intersect first
            kinds = self.expand(selector) & self.present
            if len(kinds) == 1:
                found = self.by_kind[next(iter(kinds))]  # already in drawing order
            else:
                nodes = {n for kind in kinds for n in self.by_kind[kind]}
                found = sorted(nodes, key=self.order.__getitem__)
            self._selected[key] = found
        return found

    def select_set(self, selector: str | list[str], subject: str | None = None) -> set[str] | frozenset[str]:
        if selector == "$":
            return {subject} if subject is not None else set()
        key = selector if selector.__class__ is str else tuple(selector)
        found = self._selected_sets.get(key)
        if found is None:
            found = self._selected_sets[key] = frozenset(self.select(selector))
        return found

    def label(self, node: str) -> str:
        return self.labels.get(node) or node

    def text(self, with_labels: bool) -> str:
        """The notes (and, if asked, every label) as one lower-cased text, for note rules."""
        if with_labels not in self._texts:
            graph = self.graph
            texts = [n.text for n in graph.notes]
            if with_labels:
                texts += [c.label for c in graph.components] + [a for c in graph.components for a in c.annotations]
                texts += [conn.label for conn in graph.connections if conn.label]
                texts += [z.label for z in graph.zones]
            self._texts[with_labels] = "\n".join(texts).lower()
        return self._texts[with_labels]

    @cached_property
    def cycles(self) -> list[set[str]]:
        """The strongly connected components with a cycle in them, found once per review."""
        return [c for c in nx.strongly_connected_components(self.g) if len(c) > 1]

    # searches ----------------------------------------------------------------

    def reach(self, sources: list[str], blocked: set[str] = frozenset(), stops: set[str] = frozenset()) -> dict[str, str | None]:
        """Multi-source BFS; returns parent pointers (sources map to None). `blocked` nodes are
        never entered; `stops` may be reached, but a path may not continue through them.
        (Sets rather than callbacks: a call per visited node was a fifth of a search.)"""
        parent: dict[str, str | None] = {s: None for s in sources}
        self._search(deque(sources), parent, blocked, stops, set(sources), None)
        return parent

    def path_between(self, sources: list[str], targets: list[str], blocked=frozenset(), stops=frozenset()) -> list[str] | None:
        """A shortest directed path (length >= 1) from a source to a target, or None."""
        parent: dict[str, str | None] = {}
        end = self._search(self._seeded(sources, blocked, parent), parent, blocked, stops, (), set(targets))
        return None if end is None else _traced(parent, set(sources), end)

    def path_tree(self, sources: list[str], blocked=frozenset(), stops=frozenset()) -> dict[str, str | None]:
        """The search `path_between` makes, run to the end: `path_from_tree` then gives the
        very path `path_between` would find to any node, one search for many targets."""
        parent: dict[str, str | None] = {}
        self._search(self._seeded(sources, blocked, parent), parent, blocked, stops, (), None)
        return parent

    def _seeded(self, sources: list[str], blocked, parent: dict) -> deque:
        """The first step out of every source (a path has at least one edge)."""
        queue: deque = deque()
        succ = self.succ
        for s in sources:
            if s not in blocked:
                for nxt in succ[s]:
                    if nxt not in parent and nxt not in blocked:
                        parent[nxt] = s
                        queue.append(nxt)
        return queue

    def _search(self, queue: deque, parent: dict, blocked, stops, seeds, targets: set[str] | None) -> str | None:
        """The BFS loop both searches share; stops at the first target reached, if any."""
        succ, popleft, append = self.succ, queue.popleft, queue.append
        while queue:
            node = popleft()
            if targets is not None and node in targets:
                return node
            if node in stops and node not in seeds:
                continue  # reached, but a path may not pass through it
            for nxt in succ[node]:
                if nxt not in parent and nxt not in blocked:
                    parent[nxt] = node
                    append(nxt)
        return None

    def reaches_by_feature_path(self, targets: list[str]) -> set[str]:
        """Every node with a path of length >= 1 to a target whose inner nodes are not
        `feature_stops` (one reverse breadth-first search instead of one search per
        source; kept per target list, as two rules ask it of the trainers)."""
        key = tuple(targets)
        if key not in self._feature_reach:
            self._feature_reach[key] = self._reaching(targets, self.feature_stops)
        return self._feature_reach[key]

    def _reaching(self, targets: list[str], stops) -> set[str]:
        found: set[str] = set()
        queue = deque()
        expanded: set[str] = set()
        for t in targets:
            for u in self.pred[t]:
                if u not in found:
                    found.add(u)
                    queue.append(u)
        while queue:
            v = queue.popleft()
            if v in expanded or v in stops:
                continue
            expanded.add(v)
            for u in self.pred[v]:
                if u not in found:
                    found.add(u)
                    queue.append(u)
        return found

    @cached_property
    def feature_stops(self) -> frozenset[str]:
        """Components a feature path may end at but not pass through (`@non_feature`)."""
        return self.select_set("@non_feature") if "non_feature" in self.groups else frozenset()


def _traced(parent: dict[str, str | None], starts: set[str], end: str) -> list[str]:
    path = [end, parent[end]]
    while path[-1] not in starts:
        path.append(parent[path[-1]])
    return list(reversed(path))


def path_from_tree(tree: dict[str, str | None], sources: set[str], end: str) -> list[str] | None:
    return _traced(tree, sources, end) if end in tree else None


# --- the predicates ------------------------------------------------------------


def p_exists(view: View, spec, subject: str | None) -> Result:
    found = view.select(spec, subject)
    return Result(bool(found), components=found[:5])


def p_edge(view: View, spec: dict, subject: str | None) -> Result:
    sources = view.select(spec["from"], subject)
    targets = view.select_set(spec["to"], subject)
    for s in sources:
        for t in view.succ[s]:
            if t in targets:
                return Result(True, components=[s, t], path=[s, t])
    return Result(False, components=(sources + list(targets))[:6])


def p_path(view: View, spec: dict, subject: str | None) -> Result:
    sources = view.select(spec["from"], subject)
    targets = view.select(spec["to"], subject)
    if not sources or not targets:
        return Result(False, components=(sources + targets)[:6])
    blocked = set(view.select(spec["avoid"], subject)) - set(sources) - set(targets) if "avoid" in spec else set()
    stops = view.feature_stops if spec.get("feature") else frozenset()
    if "via" in spec:
        vias = [v for v in view.select(spec["via"], subject) if v not in blocked]
        first = view.reach(sources, blocked, stops)
        middle = [v for v in vias if v in first and v not in sources]
        middle += [v for v in vias if v in sources]  # a source of the via kind counts
        if not middle:
            return Result(False, components=(sources + targets)[:6])
        second = view.path_between(middle, targets, blocked, stops)
        if second is None:
            return Result(False, components=(sources + targets)[:6])
        head = view.path_between(sources, [second[0]], blocked, stops) or [second[0]]
        path = head[:-1] + second
        return Result(True, components=[path[0], path[-1]], path=path)
    path = view.path_between(sources, targets, blocked, stops)
    if path is None:
        return Result(False, components=(sources + targets)[:6])
    return Result(True, components=[path[0], path[-1]], path=path)


def p_cycle(view: View, spec: dict, subject: str | None) -> Result:
    """Some node of each selector lies on one directed cycle: one strongly connected component."""
    sets = [set(view.select(sel, subject)) for sel in spec["through"]]
    for component in view.cycles:
        picks = [next(iter(sorted(s & component, key=view.order.get)), None) for s in sets]
        if all(p is not None for p in picks):
            return Result(True, components=picks)
    return Result(False, components=[n for s in sets for n in sorted(s, key=view.order.get)[:2]])


def p_adjacent(view: View, spec: dict, subject: str | None) -> Result:
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
    return Result(False, components=a_nodes[:5])


def p_note(view: View, spec: dict, subject: str | None) -> Result:
    text = view.text(bool(spec.get("labels")))
    need = spec.get("min", 1)
    hits = 0
    for pattern in spec["matches"]:
        if _lower_pattern(pattern).search(text):
            hits += 1
            if hits >= need:
                return Result(True)
    return Result(hits >= need)  # true for min = 0


@lru_cache(maxsize=256)
def _lower_pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)  # matched against lower-cased text: no re.I, which compiles slowly


def p_connected(view: View, spec, subject: str | None) -> Result:
    nodes = view.select(spec, subject)
    succ, pred = view.succ, view.pred
    loose = [n for n in nodes if not succ[n] and not pred[n]]
    return Result(not loose, components=loose)


def p_known(view: View, spec, subject: str | None) -> Result:
    nodes = view.select(spec, subject)
    unknown = [n for n in nodes if "unknown" in view.kinds.get(n, set())]
    return Result(not unknown, components=unknown)


def p_problem(view: View, spec, subject: str | None) -> Result:
    return Result(view.problem in (spec if isinstance(spec, list) else [spec]))


def p_feeds_both(view: View, spec: dict, subject: str | None) -> Result:
    """Some `source` reaches every target set, each by a feature path."""
    sources = view.select(spec["source"], subject)
    if not sources:
        return Result(False, detail="there is no feature store")
    reaching = [view.reaches_by_feature_path(view.select(target, subject)) for target in spec["targets"]]
    best_missing: list[str] | None = None
    for s in sources:
        missing = [target for target, can in zip(spec["targets"], reaching) if s not in can]
        if not missing:
            return Result(True, components=[s])
        if best_missing is None or len(missing) < len(best_missing):
            best_missing = missing
    sides = " and ".join(spec.get("names", {}).get(m, m) for m in best_missing or [])
    return Result(False, components=sources[:3], detail=f"no feature store feeds {sides}")


def p_skew(view: View, spec: dict, subject: str | None) -> Result:
    """Serving gets features another way than training: a feature path from raw data to
    a model-serving component that avoids every feature producer that feeds training."""
    stops = view.feature_stops
    trainers = view.select(spec["train"])
    producers = view.select(spec["producers"])
    feeds_training = view.reaches_by_feature_path(trainers)
    shared = {p for p in producers if p in feeds_training}
    sources = [n for n in view.select(spec["sources"]) if n not in shared]
    servers = view.select(spec["serve"]) if subject is None else [subject]
    reach = view.reach(sources, blocked=shared, stops=stops)
    offending = [s for s in servers if s in reach and (reach[s] is not None or s not in sources)]
    if not offending:
        return Result(True)
    path = view.path_between(sources, [offending[0]], blocked=shared, stops=stops) or [offending[0]]
    # one finding, but its fix covers every serving component fed another way
    fix = _skew_fix(view, offending, sources, shared, trainers, stops)
    others = f" (and {len(offending) - 1} more serving component{'s' if len(offending) > 2 else ''})" if len(offending) > 1 else ""
    return Result(False, components=[path[0], *offending], path=path, fix=fix, detail=others)


def _skew_fix(view: View, servers: list[str], sources, shared: set[str], trainers, stops) -> dict:
    """Make every feature path into the servers pass a producer that also feeds training.

    Preferred: connect the first feature producer on an offending path to the shared store
    (e.g. "also write the stream features to the offline store"); tried for the first few
    servers, one search serving all of them until a producer is connected. Whatever is
    left is rerouted in one pass: its last hop into a server goes through the shared store.
    """
    producer_kinds = view.expand("@feature_producers")
    stores = [s for s in sorted(shared, key=view.order.get) if "feature_store" in view.kinds.get(s, set())]
    hub = stores[0] if stores else (sorted(shared, key=view.order.get)[0] if shared else "fs")
    fix: dict = {"add": [], "connect": [], "remove": []}
    if hub == "fs":
        fix["add"].append({"ref": "fs", "kind": "feature_store", "label": "Feature store"})
        fix["connect"].append({"from": "fs", "to": trainers[0], "label": ""})
    covered = set(shared) | {hub}
    tree = None  # searched again only when `covered` grows
    for server in servers[:PRODUCER_TRIES]:
        for _ in range(PRODUCER_TRIES):
            if tree is None:
                starts = [n for n in sources if n not in covered]
                tree, start_set = view.path_tree(starts, blocked=covered, stops=stops), set(starts)
            path = path_from_tree(tree, start_set, server)
            producers = [n for n in (path or [])[1:-1] if view.kinds.get(n, set()) & producer_kinds]
            if not producers:
                break
            fix["connect"].append({"from": producers[0], "to": hub, "label": ""})
            covered.add(producers[0])
            tree = None
    _reroute(view, [n for n in sources if n not in covered], servers, covered, hub, fix, stops)
    return fix


PRODUCER_TRIES = 20  # bounds the searches on huge graphs; the reroute covers the rest


def p_gated(view: View, spec: dict, subject: str | None) -> Result:
    """Every path from `from` to `to` passes a `through` component (and one exists)."""
    sources = view.select(spec["from"], subject)
    targets = view.select(spec["to"], subject)
    gates = set(view.select(spec["through"], subject))
    path = view.path_between(sources, targets, blocked=gates - set(sources) - set(targets))
    if gates and path is None:
        return Result(True)
    fix: dict = {"add": [], "connect": [], "remove": []}
    gate = sorted(gates, key=view.order.get)[0] if gates else "gate"
    if not gates:
        fix["add"].append({"ref": "gate", "kind": spec["kind"], "label": spec["label"]})
        if sources:
            fix["connect"].append({"from": sources[0], "to": "gate", "label": ""})
    _reroute(view, sources, targets, {gate}, gate, fix)
    return Result(False, components=(path[0], path[-1]) and [path[0], path[-1]] if path else sources[:1], path=path or [], fix=fix)


def _reroute(view: View, sources: list[str], targets: list[str], covered: set[str], hub: str, fix: dict, stops=frozenset()) -> None:
    """Remove every last hop into a target from a node that sources reach while avoiding
    `covered`, and send it through `hub` instead. One search, however many hops."""
    starts = [n for n in sources if n not in covered]
    target_set = set(targets)
    # targets are where paths end: never walk through one (that would reroute edges that
    # a fix of the earlier hop already cuts off)
    stops = target_set | stops
    reach = view.reach(starts, blocked=covered, stops=stops)
    start_set = set(starts)
    for target in sorted(set(targets), key=lambda n: view.order.get(n, 0)):
        into = [
            u for u in view.pred[target]
            if u in reach and u not in covered and (u in start_set or u not in stops)
        ]
        for u in sorted(into, key=lambda n: view.order.get(n, 0)):
            fix["remove"].append({"from": u, "to": target})
            if u != hub:
                fix["connect"].append({"from": u, "to": hub, "label": ""})
        if into:
            fix["connect"].append({"from": hub, "to": target, "label": ""})


PREDICATES = {
    "exists": p_exists,
    "edge": p_edge,
    "path": p_path,
    "cycle": p_cycle,
    "adjacent": p_adjacent,
    "note": p_note,
    "connected": p_connected,
    "known": p_known,
    "problem": p_problem,
    "feeds_both": p_feeds_both,
    "skew": p_skew,
    "gated": p_gated,
}
LOGIC = {"all", "any", "not", "some"}


def evaluate(view: View, cond: dict, subject: str | None = None) -> Result:
    (name, spec), = cond.items() if len(cond) == 1 else (("some", cond),)
    predicate = PREDICATES.get(name)
    if predicate is not None:
        return predicate(view, spec, subject)
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
    if name == "not":
        inner = evaluate(view, spec, subject)
        return Result(not inner.ok, components=inner.components, path=inner.path)
    if name == "some":
        for node in view.select(cond["some"], subject):
            result = evaluate(view, cond["holds"], node)
            if result.ok:
                return result
        return Result(False, components=view.select(cond["some"], subject)[:5])
    raise KeyError(name)  # the pack schema admits no other name
