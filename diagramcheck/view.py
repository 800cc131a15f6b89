"""The component graph as the rules see it, with the contract's terms (section 3) worked
out once per review: data and control edges, request/response flow, zones that mean their
titles, whether the design serves online or only in batch, and which models are trained.

The kind groups these terms rest on are data, in the core pack's [groups] (`model_serving`,
`consumer`, `control`, `model_chain`, `request_blockers`, `zone_roles`, ...); the engine
only fixes what each group is for.
"""

from __future__ import annotations

import re
from collections import deque
from functools import cached_property, wraps

import networkx as nx

from diagramcheck.model import ComponentGraph

VIRTUAL = "zone:"  # prefix of the nodes that stand for a zone's role
DYNAMIC = {
    "is:trained": "model-serving components that the model chain deploys to",
    "is:online": "model-serving components (not batch inference) on a request path",
    "is:watched_models": "the models monitoring must watch: the trained ones, else those on a request path, else every model",
    "is:deploying": "training components whose models reach serving",
    "is:deploy_targets": "what training's output reaches first past evaluation, registry and CI/CD",
    "is:trained_online": "trained models a request reaches (not batch scoring, not an untrained optimizer)",
    "is:rankers": "the ranking components, else the served models a request reaches (the ranker a sketch drew as a plain model)",
    "is:model_outputs": "what the models' outputs reach over data edges, past the models (a scores table, a CRM, a review queue)",
    "is:answer_readers": "what takes a served model's answer: the API, a decision step, the scores table (not a client, log or monitor), else the API that calls it",
}
_USE_NOT_ROLE = {"data", "processing", "features"}
_STORES = {"cache", "vector_index"}  # serving-category stores a data box may also be
_SCHEDULERS = {"orchestrator"}  # its label lists what it runs
_OBJECT_NOT_ROLE = {"evaluation", "monitoring"}  # "eval vs prod model", "drift of online feats": what is judged
_BATCH_WORDS = re.compile(r"\b(batch|nightly|daily|weekly|monthly|hourly|scheduled|offline scor\w*|precomput\w*|cron)\b")
_EXPANDED: dict[tuple[int, int], tuple[dict, dict, dict]] = {}


def _expansions(groups: dict, categories: dict) -> dict:
    """What each selector expands to, kept for every file of a run that has the same
    groups and categories (the entry holds the dicts themselves, so an id is never
    reused under it)."""
    entry = _EXPANDED.get((id(groups), id(categories)))
    if entry is None or entry[0] is not groups or entry[1] is not categories:
        entry = _EXPANDED[(id(groups), id(categories))] = (groups, categories, {})
    return entry[2]


def design_term(method):
    """A cached property of the design itself: worked out without loose components, whatever
    rule asks first."""

    @wraps(method)
    def compute(self):
        saved, self.with_loose = self.with_loose, False
        try:
            return method(self)
        finally:
            self.with_loose = saved

    return cached_property(compute)


class View:
    """Kinds (with roles), edges of three sorts, notes, and the terms rules are written in.

    Edge sorts: `any` (every connection), `data` (without the control edges that leave an
    orchestrator, CI/CD, alerting or experimentation component) and `flow` (every
    connection, and a request to or from a client/API also counts as its response).
    """

    def __init__(self, graph: ComponentGraph, groups: dict[str, list[str]], categories: dict[str, str],
                 problem: str | None, labelled: dict | None = None):
        self.graph = graph
        self.groups = groups
        self.labelled = labelled or {}
        self.categories = categories
        self.problem = problem
        self.order = {c.id: i for i, c in enumerate(graph.components)}
        self.kinds: dict[str, set[str]] = {c.id: self._kinds_of(c) for c in graph.components}
        self._drop_scheduled_roles()
        self.labels = {c.id: c.label for c in graph.components}
        self.g: nx.DiGraph = graph.digraph()
        self.zone_role_of: dict[str, str] = {}  # zone id -> the node standing for its role
        self._add_zone_roles()
        # the searches' innermost loop: networkx's own adjacency dicts, without the view
        # objects `successors()` wraps them in on every call
        self.succ: dict[str, dict] = self.g._succ
        self.pred: dict[str, dict] = self.g._pred
        self.by_kind: dict[str, list[str]] = {}
        for node in sorted(self.kinds, key=self.order.__getitem__):
            for kind in self.kinds[node]:
                self.by_kind.setdefault(kind, []).append(node)
        self.present = frozenset(self.by_kind)  # the kinds (and roles) this sketch has
        # a box with no connection is not part of the design the rules read (orphan-component
        # says so, once); rules that ask about such boxes set `with_loose`
        self.loose = frozenset(n for n in self.kinds if not self.succ.get(n) and not self.pred.get(n))
        self.with_loose = False
        self._expanded = _expansions(groups, categories)
        self._selected: dict[str | tuple, list[str]] = {}
        self._selected_sets: dict[str | tuple, frozenset[str]] = {}
        self._texts: dict[tuple, str] = {}
        self._feature_reach: dict[tuple[str, ...], set[str]] = {}

    def _kinds_of(self, component) -> set[str]:
        """A component's kind and the further roles its label names, except a model or
        training role on a box whose own kind is data, processing or features: "shared feature
        library (same code in training + serving)" says where it is used, not what it is. Nor
        does a serving or feature role of an evaluation or monitoring box ("Offline eval gate vs
        prod model", "Evidently drift online feats vs training"): it names what is judged."""
        kinds = {component.kind}
        own = self.categories.get(component.kind)
        for role in component.roles:
            category = self.categories.get(role)
            if own in _USE_NOT_ROLE and category in ("training", "serving") and role not in _STORES:
                continue
            if own in _OBJECT_NOT_ROLE and category in ("serving", "features"):
                continue
            kinds.add(role)
        return kinds

    def _drop_scheduled_roles(self) -> None:
        """A scheduler whose label lists what it runs ("Airflow DAGs: nightly scoring, monthly
        retrain") runs those boxes, it is not them, where the sketch draws them too."""
        owned = {c.kind for c in self.graph.components}
        for c in self.graph.components:
            if c.kind in _SCHEDULERS and c.roles:
                self.kinds[c.id] -= {r for r in c.roles if r in owned and r != c.kind}

    # zones that mean their titles --------------------------------------------

    def _add_zone_roles(self) -> None:
        """A zone titled like a role ("Monitoring", "Evidently (drift)", "A/B test") gives that
        role to what it holds: a node of the role's kind watches (or routes to) each member,
        and the zone's own connections are that node's too."""
        allowed = set(self._group_kinds("zone_roles"))
        if not allowed or not self.graph.zones:
            return
        from diagramcheck.kinds import default_lexicon

        lexicon = default_lexicon()
        members = self.graph.zone_members()
        for zone in self.graph.zones:
            if not zone.label or not members.get(zone.id):
                continue
            kind = lexicon.classify(zone.label).kind
            if kind not in allowed:
                continue
            node = VIRTUAL + zone.id
            self.zone_role_of[zone.id] = node
            self.kinds[node] = {kind}
            self.labels[node] = zone.label
            self.order[node] = len(self.order)
            routes = kind in set(self._group_kinds("control"))
            for member in members[zone.id]:
                if routes:
                    self.g.add_edge(node, member)
                else:
                    self.g.add_edge(member, node)
        for conn in self.graph.connections:
            source = self.zone_role_of.get(conn.source) if conn.source_is_zone else None
            target = self.zone_role_of.get(conn.target) if conn.target_is_zone else None
            if source or target:
                s, t = source or conn.source, target or conn.target
                if s in self.kinds and t in self.kinds and s != t:
                    self.g.add_edge(s, t)
                    if not conn.directed:
                        self.g.add_edge(t, s)

    def is_virtual(self, node: str) -> bool:
        return node.startswith(VIRTUAL) and node not in self.graph.by_id

    def own_kind_first(self, nodes: list[str], selector: str) -> list[str]:
        """Nodes whose own kind is the selector's before those that only have it as a further
        role ("Decision engine" before "Rules engine fallback (+reranking)"): what a fix wires."""
        if not isinstance(selector, str) or selector.startswith(("@", "is:", "category:", "$")) or "|" in selector:
            return list(nodes)
        by_id = self.graph.by_id
        return sorted(nodes, key=lambda n: n not in by_id or by_id[n].kind != selector)

    def real(self, nodes) -> list[str]:
        """Nodes that are components (a zone's role node is not), in the given order."""
        return [n for n in nodes if not self.is_virtual(n)]

    # edge sorts ----------------------------------------------------------------

    def adjacency(self, sort: str = "data") -> dict[str, dict]:
        if sort == "any":
            return self.succ
        if sort == "data":
            return self.data_succ
        if sort == "flow":
            return self.flow_succ
        raise ValueError(sort)

    @cached_property
    def data_succ(self) -> dict[str, dict]:
        control = self.expand("@control") if "control" in self.groups else frozenset()
        if not control:
            return self.succ
        by_id, kinds, categories = self.graph.by_id, self.kinds, self.categories
        # a data or processing box sends data whatever further roles its label names ("daily
        # Spark: build trie, CTR features" names a build); other boxes with a control role control
        def controls(u: str) -> bool:
            if u in by_id and categories.get(by_id[u].kind) in _USE_NOT_ROLE:
                return by_id[u].kind in control
            return bool(kinds.get(u, set()) & control)

        return {u: ({} if controls(u) else nbrs) for u, nbrs in self.succ.items()}

    @cached_property
    def data_pred(self) -> dict[str, dict]:
        pred: dict[str, dict] = {n: {} for n in self.succ}
        for u, nbrs in self.data_succ.items():
            for v in nbrs:
                pred[v][u] = None
        return pred

    @cached_property
    def flow_succ(self) -> dict[str, dict]:
        """Every edge, plus the response of each request a client or API makes or answers."""
        consumers = self.select_set("@consumer") if "consumer" in self.groups else frozenset()
        out = {u: dict(nbrs) for u, nbrs in self.succ.items()}
        for u, nbrs in self.succ.items():
            for v in nbrs:
                if u in consumers or v in consumers:
                    out[v][u] = None
        return out

    # selectors ---------------------------------------------------------------

    def _group_kinds(self, name: str) -> list[str]:
        return self.groups.get(name, [])

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
                elif alt in self.labelled:
                    for member in self.labelled[alt].kinds:
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
        key = (selector if selector.__class__ is str else tuple(selector), self.with_loose)
        found = self._selected.get(key)
        if found is None:
            found = self._select(selector)
            if self.loose and not self.with_loose:
                found = [n for n in found if n not in self.loose]
            self._selected[key] = found
        return found

    def _select(self, selector: str | list[str]) -> list[str]:
        items = [selector] if isinstance(selector, str) else list(selector)
        alts = [alt.strip() for item in items for alt in item.split("|")]
        dynamic = [a for a in alts if a.startswith("is:")]
        labelled = [a for a in alts if a.lstrip("@") in self.labelled]
        plain = [a for a in alts if a not in dynamic and a not in labelled]
        nodes: set[str] = set()
        if plain:
            kinds = self.expand(plain) & self.present  # a selector names tens of kinds, a sketch has a few
            if len(kinds) == 1 and not dynamic and not labelled:
                return self.by_kind[next(iter(kinds))]  # already in drawing order
            nodes = {n for kind in kinds for n in self.by_kind[kind]}
        for alt in dynamic:
            nodes |= set(getattr(self, alt[3:]))
        for alt in labelled:
            nodes |= set(self._labelled_nodes(alt.lstrip("@")))
        return sorted(nodes, key=self.order.__getitem__)

    def _labelled_nodes(self, name: str) -> list[str]:
        group = self.labelled[name]
        pattern, unless = re.compile(group.matches), re.compile(group.unless) if group.unless else None
        texts = self.component_texts_with_zones if group.zones else self.component_texts
        found = []
        for n in self.select(group.kinds):
            text = texts.get(n, self.labels.get(n, "").lower())
            if pattern.search(text) and not (unless and unless.search(text)):
                found.append(n)
        return found

    @cached_property
    def component_texts(self) -> dict[str, str]:
        """A component's label and the texts under it, lower-cased, for labelled groups."""
        return {c.id: "\n".join([c.label, *c.annotations]).lower() for c in self.graph.components}

    @cached_property
    def component_texts_with_zones(self) -> dict[str, str]:
        """As component_texts, with the titles of the zones that hold each component (a
        training box in "Training (Airflow, weekly)" is scheduled as its zone says)."""
        texts = dict(self.component_texts)
        titles = {z.id: z.label for z in self.graph.zones if z.label}
        for zone_id, members in self.graph.zone_members().items():
            if zone_id in titles:
                for member in members:
                    if member in texts:
                        texts[member] += "\n" + titles[zone_id].lower()
        return texts

    def select_set(self, selector: str | list[str], subject: str | None = None) -> set[str] | frozenset[str]:
        if selector == "$":
            return {subject} if subject is not None else set()
        key = (selector if selector.__class__ is str else tuple(selector), self.with_loose)
        found = self._selected_sets.get(key)
        if found is None:
            found = self._selected_sets[key] = frozenset(self.select(selector))
        return found

    def label(self, node: str) -> str:
        return self.labels.get(node) or node

    def text(self, with_labels: bool, with_zones: bool = False) -> str:
        """The notes (and, if asked, every label or zone title) as one lower-cased text."""
        key = (with_labels, with_zones)
        if key not in self._texts:
            graph = self.graph
            texts = [n.text for n in graph.notes]
            if with_labels:
                texts += [c.label for c in graph.components] + [a for c in graph.components for a in c.annotations]
                texts += [conn.label for conn in graph.connections if conn.label]
            else:  # a box with no arrows that names no component is written to the reader, as a note is
                texts += [c.label for c in graph.components if c.kind == "unknown" and c.id in self.loose]
            if with_labels or with_zones:
                texts += [z.label for z in graph.zones]
            self._texts[key] = "\n".join(texts).lower()
        return self._texts[key]

    # the contract's terms --------------------------------------------------------

    @design_term
    def online(self) -> list[str]:
        """Model-serving components other than batch inference that a request reaches: from a
        client or API, over any edges, through nothing that only runs offline."""
        consumers = self.select("@consumer")
        if not consumers:
            return []
        blocked = set(self.select("@request_blockers")) - set(consumers)
        reached = self.reach(consumers, blocked=blocked, sort="any")
        models = self.select_set("@model_serving") - self.select_set("batch_inference")
        return [n for n in self.select("@model_serving") if n in models and n in reached and (reached[n] is not None or n not in consumers)]

    @design_term
    def mode(self) -> str:
        """'online', 'batch' (models score only in batch), 'none' (no model) or 'unknown'."""
        if self.online:
            return "online"
        models = self.select("@model_serving")
        if not models:
            return "none"
        if self.select("batch_inference") or any(self._scores_in_batch(m) for m in models):
            return "batch"
        return "unknown"

    def _scores_in_batch(self, model: str) -> bool:
        """Triggered on a schedule, said to be batch, or writing to a store the app reads."""
        control = self.expand("@control") if "control" in self.groups else frozenset()
        if any(self.kinds.get(u, set()) & control for u in self.pred[model]):
            return True
        component = self.graph.by_id.get(model)
        if component is not None and _BATCH_WORDS.search(" ".join([component.label, component.zone or "", *component.annotations]).lower()):
            return True
        consumers = self.select_set("@consumer")
        stores = self.select_set("@stores")
        for store in self.data_succ.get(model, ()):
            if store in stores and (set(self.succ[store]) | set(self.pred[store])) & consumers:
                return True
        return False

    @design_term
    def model_outputs(self) -> list[str]:
        models = self.select_set("@model_serving")
        reached = self.reach(list(models))
        return sorted((n for n in reached if n not in models and not self.is_virtual(n)), key=self.order.__getitem__)

    @design_term
    def answer_readers(self) -> list[str]:
        """What takes a model's answer from it, for each model served online (or, in a batch
        design, each model): the components past it that are not another model, a client, the
        model chain, an observer, a log, a feature job, a store the model also reads from, or
        an API no request comes through (a tool an agent calls): 'LTR ranker -> Search API',
        'Credit limit model -> Approve limit', 'Nightly scoring -> Churn scores table'. A model
        drawn with no such reader answers the API a request reaches it through. A fallback answers to these
        in the model's place."""
        models = self.online or self.select("@model_serving")
        skip = self.select_set("@model_serving") | self.select_set("@not_answer_readers") | self.chain_nodes
        lookups, apis, consumers = self.select_set("@lookup_stores"), self.select_set("api"), self.select_set("@consumer")

        def serves_requests(api: str, model: str) -> bool:
            return bool((set(self.pred[api]) | set(self.succ[api])) - {model} & consumers)

        found: set[str] = set()
        for m in models:
            readers = {n for n in self.succ[m] if n not in skip and not self.is_virtual(n)
                       and not (n in lookups and m in self.succ[n])  # a cache the model reads back is its own
                       and not (n in apis and not serves_requests(n, m))}
            found |= readers or {a for a in apis if not self.is_virtual(a) and serves_requests(a, m) and m in self.reach([a])}
        return sorted(found, key=self.order.__getitem__)

    @design_term
    def trained(self) -> list[str]:
        """Model-serving components the model chain deploys to: training, then evaluation,
        registry or CI/CD components only, then the model (any edges)."""
        trainers = self.select("training")
        if not trainers:
            return []
        chain = self.chain_nodes
        models = self.select_set("@model_serving")
        found: set[str] = set()
        seen = set(trainers)
        queue = deque(trainers)
        while queue:
            node = queue.popleft()
            for nxt in self.succ[node]:
                if nxt in seen:
                    continue
                seen.add(nxt)
                if nxt in models:
                    found.add(nxt)
                elif nxt in chain:
                    queue.append(nxt)
        return sorted(found, key=self.order.__getitem__)

    @design_term
    def chain_nodes(self) -> frozenset[str]:
        """What a model passes on its way from training to serving: evaluation, registry,
        CI/CD components, and stores whose label says they hold models (`@model_artifacts`)."""
        chain = self.expand("@model_chain") if "model_chain" in self.groups else frozenset()
        nodes = {n for n, kinds in self.kinds.items() if kinds & chain}
        if "model_artifacts" in self.labelled:
            nodes |= set(self.select("@model_artifacts"))
        return frozenset(nodes)

    @design_term
    def deploy_targets(self) -> list[str]:
        chain = self.chain_nodes
        found: set[str] = set()
        trainers = self.select_set("training")
        for trainer in self.select("training"):
            for node in self._deploy_reach(trainer):  # what one training step hands the next trains still
                if node not in trainers and node not in chain and not self.is_virtual(node):
                    found.add(node)
        return sorted(found, key=self.order.__getitem__)

    @design_term
    def deploying(self) -> list[str]:
        trained = set(self.trained)
        return [t for t in self.select("training") if self._deploy_reach(t) & trained]

    def _deploy_reach(self, trainer: str) -> set[str]:
        chain, models = self.chain_nodes, self.select_set("@model_serving")
        seen, queue = {trainer}, deque([trainer])
        while queue:
            node = queue.popleft()
            for nxt in self.succ[node]:
                if nxt not in seen:
                    seen.add(nxt)
                    if nxt in chain and nxt not in models:
                        queue.append(nxt)
        return seen

    @design_term
    def trained_online(self) -> list[str]:
        online = set(self.online)
        return [m for m in self.trained if m in online]

    @design_term
    def watched_models(self) -> list[str]:
        return self.trained or self.online or self.select("@model_serving")

    @design_term
    def rankers(self) -> list[str]:
        """The ranking components; in a design that draws none, the models a request reaches
        that are served to rank, not a candidate generator, an LLM or batch scoring."""
        ranking = self.select("ranking")
        if ranking:
            return ranking
        return [m for m in (self.trained_online or self.online) if m in self.select_set("serving")]

    def takes_features(self, model: str) -> list[str]:
        """The components a data edge brings features from into `model`: anything but the
        request, other models, the model chain, an index, a fallback or operations."""
        excluded = self.expand("@not_feature_inputs")
        return [u for u in self.data_pred.get(model, ()) if not (self.kinds.get(u, set()) & excluded)]

    # searches ----------------------------------------------------------------

    @cached_property
    def cycles(self) -> list[set[str]]:
        """Strongly connected components with a cycle in them, over flow edges."""
        flow = nx.DiGraph(self.flow_succ)
        return [c for c in nx.strongly_connected_components(flow) if len(c) > 1]

    @cached_property
    def undirected_pairs(self) -> frozenset[frozenset[str]]:
        """The component pairs joined by a line without a direction (DOT `--`, Mermaid `---`)."""
        return frozenset(frozenset((c.source, c.target)) for c in self.graph.connections
                         if not c.directed and c.source != c.target)

    def round_trip(self, a: str, b: str) -> bool:
        """`a` reaches `b` and `b` reaches `a` over flow edges without walking a line that has no
        direction both ways: "train -- model" alone is one line, not a loop."""
        if not self.undirected_pairs:
            return True
        for start, end in ((a, b), (b, a)):
            out = self.path_between([start], [end], sort="flow")
            if out is None:
                continue
            used = frozenset(p for p in map(frozenset, zip(out, out[1:])) if p in self.undirected_pairs)
            if self._reaches_without(end, start, used):
                return True
        return False

    def _reaches_without(self, start: str, end: str, banned: frozenset) -> bool:
        """`start` reaches `end` over flow edges, walking none of the `banned` lines."""
        seen, queue = {start}, deque([start])
        while queue:
            node = queue.popleft()
            for nxt in self.flow_succ.get(node, ()):
                if nxt in seen or frozenset((node, nxt)) in banned:
                    continue
                if nxt == end:
                    return True
                seen.add(nxt)
                queue.append(nxt)
        return False

    def reach(self, sources: list[str], blocked=frozenset(), stops=frozenset(), sort: str = "data") -> dict[str, str | None]:
        """Multi-source BFS; returns parent pointers (sources map to None). `blocked` nodes are
        never entered; `stops` may be reached, but a path may not continue through them."""
        parent: dict[str, str | None] = {s: None for s in sources}
        self._search(deque(sources), parent, blocked, stops, set(sources), None, self.adjacency(sort))
        return parent

    def path_between(self, sources: list[str], targets, blocked=frozenset(), stops=frozenset(), sort: str = "data") -> list[str] | None:
        """A shortest directed path (length >= 1) from a source to a target, or None."""
        parent: dict[str, str | None] = {}
        succ = self.adjacency(sort)
        end = self._search(self._seeded(sources, blocked, parent, succ), parent, blocked, stops, (), set(targets), succ)
        return None if end is None else _traced(parent, set(sources), end)

    def path_tree(self, sources: list[str], blocked=frozenset(), stops=frozenset(), sort: str = "data") -> dict[str, str | None]:
        parent: dict[str, str | None] = {}
        succ = self.adjacency(sort)
        self._search(self._seeded(sources, blocked, parent, succ), parent, blocked, stops, (), None, succ)
        return parent

    def _seeded(self, sources: list[str], blocked, parent: dict, succ: dict) -> deque:
        """The first step out of every source (a path has at least one edge)."""
        queue: deque = deque()
        for s in sources:
            if s not in blocked:
                for nxt in succ[s]:
                    if nxt not in parent and nxt not in blocked:
                        parent[nxt] = s
                        queue.append(nxt)
        return queue

    def _search(self, queue: deque, parent: dict, blocked, stops, seeds, targets: set[str] | None, succ: dict) -> str | None:
        popleft, append = queue.popleft, queue.append
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
        """Every node with a data path of length >= 1 to a target whose inner nodes are not
        `feature_stops` (one reverse search, kept per target list)."""
        key = tuple(targets)
        if key not in self._feature_reach:
            self._feature_reach[key] = self._reaching(targets, self.feature_stops)
        return self._feature_reach[key]

    def _reaching(self, targets: list[str], stops) -> set[str]:
        pred = self.data_pred
        found: set[str] = set()
        queue = deque()
        expanded: set[str] = set()
        for t in targets:
            for u in pred[t]:
                if u not in found:
                    found.add(u)
                    queue.append(u)
        while queue:
            v = queue.popleft()
            if v in expanded or v in stops:
                continue
            expanded.add(v)
            for u in pred[v]:
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
