"""Give every component of a graph its kind: tag first, then its label read as a
phrase (kinds.py, reading.py), then the graph for what the label leaves open.

The graph decides through kinds.toml's [[context.rules]], in order, the first that fits
deciding: what feeds a box and what it feeds, its zone's title, whether it is a
decision ("Metrics pass?"). A bare "Model" box is trained where it feeds the registry
and served where the request reaches it; a processor fed by a stream streams; a
"Storage" box in a zone titled "Model storage" is the registry. Every such decision
and its evidence go into `kind_note`; `kind_why` says which words decided the label's
own reading.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from diagramcheck.kinds import OUTSIDE, ContextRule, Lexicon, Match, strip_tag, tag_kind
from diagramcheck.model import Component, ComponentGraph

_PASSES = 2  # a second pass lets a box decided by context settle the open boxes beside it (and,
# by rules marked after_context, labelled ones: "model.pkl" is stored, so the API loading it serves)


def assign_kinds(graph: ComponentGraph, lexicon: Lexicon) -> None:
    known = set(lexicon.kinds)
    matches: dict[str, Match] = {}
    icons: dict[str, str] = {}  # the kind a draw.io icon suggests, for the context rules
    outlines: dict[str, tuple[str, str]] = {}  # a store's outline (a cylinder): its kind where nothing else tells
    for component in graph.components:
        label, label_tag = strip_tag(component.label, known)
        component.label = label
        hint = component.kind if component.kind_source == "icon" else None  # draw.io icon: below the label
        if hint is not None and component.kind_note.startswith("typed from its outline"):
            outlines[component.id] = (hint, component.kind_note)  # weaker than context: applied after it
            component.kind, component.kind_note, hint = "unknown", "", None
        if hint is not None:
            icons[component.id] = hint
        tag = label_tag or (tag_kind(component.kind) if component.kind != "unknown" and hint is None else None)
        if tag is not None:
            if tag in known:
                component.kind, component.kind_source = tag, "tag"
                component.kind_why = "tagged"
                continue
            graph.warnings.append(f"{component.id}: kind tag {tag!r} is not a kind; typed from its label instead")
        match = lexicon.classify(strip_tag(component.lines, known)[0] if component.lines else label)  # cached: never mutate
        note = match.note
        if match.kind == "unknown" and match.weak and not match.model and component.annotations:
            with_text = lexicon.classify(" ".join([label, *component.annotations]))
            if with_text.kind != "unknown" or with_text.model:
                match = with_text
                note = "; ".join(filter(None, [match.note, "typed from the text under the label"]))
        if (match.kind == "unknown" and match.weak and not match.model and hint in known
                and not _is_decision(component, lexicon)):  # a decision is a step of its flow, whatever its icon
            component.kind_source, component.kind_why = "icon", "icon"  # kind and note as the reader set them
            continue
        component.kind, component.roles, component.kind_note = match.kind, list(match.roles), note
        component.kind_why = match.why
        component.kind_source = "lexicon" if match.kind != "unknown" else "none"
        matches[component.id] = match
    if matches:
        _resolve_by_context(graph, lexicon, matches, icons)
    for component in graph.components:
        if component.id in outlines and component.kind == "unknown" and _reading(matches[component.id]) == "unread":
            component.kind, component.kind_note = outlines[component.id]
            component.kind_source, component.kind_why = "icon", "outline"


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a box stands: its neighbours' kinds and its zone."""

    fed: frozenset[str]
    read_by: frozenset[str]
    zone_kind: str | None
    zone_title: str  # the title that gave zone_kind, else the innermost zone's
    zone_words: frozenset[str]  # the words of every zone around it
    icon: str | None  # the kind its draw.io icon suggests
    said_in: tuple[tuple[str, str], ...] = ()  # its incoming arrows' labels: (framed words, as drawn)
    said_out: tuple[tuple[str, str], ...] = ()
    downstream: Callable[[], frozenset[str]] = frozenset  # the kinds its arrows lead to, within _REACH arrows


def _resolve_by_context(graph: ComponentGraph, lexicon: Lexicon, matches: dict[str, Match], icons: dict[str, str]) -> None:
    by_id = graph.by_id
    feeders: dict[str, list[str]] = {c.id: [] for c in graph.components}
    readers: dict[str, list[str]] = {c.id: [] for c in graph.components}
    for conn in graph.connections:
        if conn.source in by_id and conn.target in by_id and conn.source != conn.target:
            feeders[conn.target].append(conn.source)
            readers[conn.source].append(conn.target)
            if not conn.directed:
                feeders[conn.source].append(conn.target)
                readers[conn.target].append(conn.source)
    zones = _zones(graph, lexicon)
    rules = lexicon.context_rules()
    said_in, said_out = _arrow_labels(graph, lexicon, rules)
    decided: set[str] = set()
    retyped: set[str] = set()
    models = frozenset(i for i, m in matches.items() if m.model)  # bare models: served or trained, models either way
    for second in range(_PASSES):
        kinds = {c.id: c.kind for c in graph.components}  # this pass reads the last one's kinds
        changed = False
        for component in graph.components:
            match = matches.get(component.id)
            if match is None or component.id in decided:
                continue
            candidates = rules
            if second and not (match.weak or _is_decision(component, lexicon)):
                # a box its label types is judged again only beside a box context retyped, by the
                # rules written for that
                if not any(n in retyped for n in (*feeders[component.id], *readers[component.id])):
                    continue
                candidates = [r for r in rules if r.after_context]
            zone = zones.get(component.zone_id or "", (None, "", frozenset()))
            place = _Place(frozenset(kinds[i] for i in feeders[component.id]),
                           frozenset(kinds[i] for i in readers[component.id]), *zone, icons.get(component.id),
                           said_in.get(component.id, ()), said_out.get(component.id, ()),
                           partial(_downstream, component.id, readers, kinds, models))
            for rule in candidates:
                found = _fits(rule, component, match, place, lexicon)
                if found is None:
                    continue
                kind, evidence = found
                decided.add(component.id)
                if kind != component.kind:
                    retyped.add(component.id)
                    component.kind, component.kind_source = kind, "context"
                    said = f"{rule.why}: {evidence}" if evidence else rule.why
                    component.kind_note = "; ".join(filter(None, [component.kind_note, said]))
                    changed = True
                break
        if not changed:
            break
    _copy_to_replicas(graph, matches, decided, retyped, feeders, readers)


def _copy_to_replicas(graph: ComponentGraph, matches: dict[str, Match], decided: set[str], retyped: set[str],
                      feeders: dict[str, list[str]], readers: dict[str, list[str]]) -> None:
    """A box drawn again with the same label inside the same zone (a pool of "Workers",
    replicas, whose arrows meet one copy or another), or outside any zone with no arrows of its
    own, is a copy of its twin: one no context rule decided takes the kind the context gave its
    twin, when all its retyped twins agree."""
    if not retyped:
        return
    def key(c: Component) -> tuple[str | None, str]:
        return c.zone_id, " ".join(c.label.lower().split())
    twins: dict[tuple[str | None, str], set[str]] = {}
    for c in graph.components:
        if c.id in retyped:
            twins.setdefault(key(c), set()).add(c.kind)
    for c in graph.components:
        found = twins.get(key(c))
        if c.id in decided or c.id not in matches or not found or len(found) != 1:
            continue
        if c.zone_id is None and (feeders[c.id] or readers[c.id]):
            continue
        kind = next(iter(found))
        if kind != c.kind:
            c.kind, c.kind_source = kind, "context"
            c.kind_note = "; ".join(filter(None, [c.kind_note, "a copy of the box drawn beside it with the same label"]))


def _arrow_labels(graph: ComponentGraph, lexicon: Lexicon, rules: list[ContextRule]
                  ) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, tuple[tuple[str, str], ...]]]:
    """Per box, the labels of the arrows into it and out of it, read only when a rule asks
    (an undirected line's label counts both ways, as its ends count as feeders both ways)."""
    said_in: dict[str, list[tuple[str, str]]] = {}
    said_out: dict[str, list[tuple[str, str]]] = {}
    if any(rule.in_words or rule.out_words for rule in rules):
        for conn in graph.connections:
            if not conn.label.strip() or conn.source == conn.target:
                continue
            said = (lexicon.arrow_words(conn.label), " ".join(conn.label.split()))
            said_out.setdefault(conn.source, []).append(said)
            said_in.setdefault(conn.target, []).append(said)
            if not conn.directed:
                said_in.setdefault(conn.source, []).append(said)
                said_out.setdefault(conn.target, []).append(said)
    return ({k: tuple(v) for k, v in said_in.items()}, {k: tuple(v) for k, v in said_out.items()})


# a threshold in the name: "Coverage > 90%", "AUC >= 0.8", "p95 ≤ 200 ms"
_THRESHOLD = re.compile(r"(?:[<>≤≥]=?|=>|=<)\s*[-+]?\.?\d")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _is_decision(component: Component, lexicon: Lexicon) -> bool:
    """A question ("Metrics pass?"), a threshold ("Coverage > 90%") or a name ending in a
    word that judges ("Online error + p95 gate")."""
    label = component.label.rstrip()
    if label.endswith("?"):
        return True
    name = _BRACKETED.sub(" ", label.split("\n", 1)[0])  # "(XGBoost, p99 < 40 ms)" is a target, not a test
    if _THRESHOLD.search(name):
        return True
    words = lexicon.label_words(name)  # "p95 gate", or a phrase: "Condition step"
    return bool(words) and (words[-1] in lexicon.decision_words or " ".join(words[-2:]) in lexicon.decision_words)


_REACH = 4  # arrows followed for `reaches`: a front API is a hop or three before its model
_REACH_NODES = 256  # boxes visited at most (a 10,000-box scene stays cheap)


def _downstream(start: str, readers: dict[str, list[str]], kinds: dict[str, str], models: frozenset[str]) -> frozenset[str]:
    """The kinds of the boxes `start`'s arrows lead to, within _REACH arrows; a bare model
    ("Provider or self-hosted model") counts as serving before context has placed it."""
    seen = {start}
    frontier = [start]
    found: set[str] = set()
    for _ in range(_REACH):
        frontier = [n for c in frontier for n in readers[c] if n not in seen]
        seen.update(frontier)
        found.update("serving" if n in models and kinds[n] == "unknown" else kinds[n] for n in frontier)
        if not frontier or len(seen) > _REACH_NODES:
            break
    return frozenset(found - {"unknown"})


def _reading(match: Match) -> str:
    if match.model:
        return "model"
    if match.outside:
        return "outside"
    if match.kind == "unknown" and match.basis == "none":
        return "unread"
    return match.kind


def _fits(rule: ContextRule, component: Component, match: Match, place: _Place,
          lexicon: Lexicon) -> tuple[str, str] | None:
    """The kind a rule gives this box, with its evidence; None when a condition fails."""
    reading = _reading(match)
    if (rule.reading or rule.not_reading) and (reading not in (rule.reading or [reading]) or reading in rule.not_reading):
        if not ("open" in rule.reading and (match.model or match.weak) and reading not in rule.not_reading):
            return None
    if rule.generic and not match.weak:
        return None
    if rule.phrases and match.phrase not in rule.phrases:
        return None
    if rule.decision and not _is_decision(component, lexicon):
        return None
    if rule.unless or rule.words:  # the box's own words: its label and the text drawn under it ("Model" / "Job")
        said = set(lexicon.label_words(" ".join([component.label, *component.annotations])))
        if rule.unless and said & set(rule.unless):
            return None
        if rule.words and not said & set(rule.words):
            return None
    if rule.connected and not (place.fed or place.read_by):
        return None
    if rule.labelled and match.note == "empty label":
        return None
    fed, read_by = place.fed - {"unknown"}, place.read_by - {"unknown"}
    if rule.not_fed_by and fed & set(rule.not_fed_by):
        return None
    if rule.not_near and (fed | read_by) & set(rule.not_near):
        return None
    evidence = []
    if rule.zone:
        if place.zone_kind not in rule.zone:
            return None
        evidence.append(f"in zone {place.zone_title!r}")
    if rule.zone_words:
        if not place.zone_words & set(rule.zone_words):
            return None
        evidence.append(f"in zone {place.zone_title!r}")
    if rule.icon:
        if place.icon not in rule.icon:
            return None
        evidence.append(f"drawn with a {place.icon} icon")
    for phrases, said, say in ((rule.in_words, place.said_in, "an arrow in says"),
                               (rule.out_words, place.said_out, "an arrow out says")):
        if phrases:
            heard = next((drawn for words, drawn in said if any(p in words for p in phrases)), None)
            if heard is None:
                return None
            evidence.append(f"{say} {heard!r}")
    for names, have, say in ((rule.fed_by, fed, "fed by"), (rule.feeds, read_by, "feeds"), (rule.near, fed | read_by, "next to")):
        if names:
            shared = have & set(names)
            if not shared:
                return None
            evidence.append(f"{say} {', '.join(sorted(shared))}")
    if rule.reaches:
        reached = place.downstream() & set(rule.reaches)
        if not reached:
            return None
        evidence.append(f"leads to {', '.join(sorted(reached))}")
    for names, have, say in ((rule.only_fed_by, fed, "fed only by"), (rule.only_feeds, read_by, "read only by")):
        if names:
            if not have or not have <= set(names):
                return None
            evidence.append(f"{say} {', '.join(sorted(have))}")
    kind = rule.kind
    if kind in ("zone", "icon", "feeder"):  # the kind where the box stands: (that kind, evidence, stated already)
        found, said, stated = {
            "zone": (place.zone_kind, f"in zone {place.zone_title!r}", rule.zone),
            "icon": (place.icon, f"drawn with a {place.icon} icon", rule.icon),
            "feeder": (next(iter(fed)) if len(fed) == 1 else None, f"fed by {', '.join(sorted(fed))}", rule.fed_by),
        }[kind]
        if found is None:
            return None
        kind = found
        if not stated:
            evidence.append(said)
    if rule.decision:
        evidence.insert(0, "a decision")
    return kind, ", ".join(evidence)


def _zones(graph: ComponentGraph, lexicon: Lexicon) -> dict[str, tuple[str | None, str, frozenset[str]]]:
    """Per zone: the role its title (or the nearest enclosing title that names one) reads
    as, that title, and the words of every title around it. A title names a role by its
    head noun or a stated role ("Model storage", "Data quality"); product names and
    generic words ("Platform") name none. Only the words some context rule asks about are
    kept (each zone holds those of every title around it: all of them would be a set per
    zone as long as the nesting is deep, 600 MB for 5,000 nested containers)."""
    by_id = {z.id: z for z in graph.zones}
    asked = frozenset(word for rule in lexicon.context_rules() for word in rule.zone_words or ())
    own: dict[str, tuple[str | None, frozenset[str]]] = {}
    for zone in graph.zones:
        kind = None
        if zone.label:
            match = lexicon.classify(zone.label)
            if match.kind != OUTSIDE and match.basis in ("head", "stated", "compound", "verb"):
                kind = match.kind
        own[zone.id] = (kind, asked.intersection(lexicon.label_words(zone.label or "")))
    found: dict[str, tuple[str | None, str, frozenset[str]]] = {}
    for zone in graph.zones:
        chain, on_chain, current = [], set(), zone
        while current is not None and current.id not in found and current.id not in on_chain:  # a cycle ends the chain
            chain.append(current)
            on_chain.add(current.id)
            current = by_id.get(current.parent or "")
        outer = found.get(current.id) if current is not None else None
        for link in reversed(chain):  # outermost first, so each zone adds to what encloses it
            kind, words = own[link.id]
            if outer is None:
                found[link.id] = (kind, link.label or "", words)
            else:
                found[link.id] = (kind, link.label or "", words | outer[2]) if kind else (outer[0], outer[1], words | outer[2])
            outer = found[link.id]
    return found
