"""Give every component of a graph its kind: tag first, then lexicon, then context.

Context (what feeds a component, the zone it sits in) decides only what the label
cannot: a bare "model" box, or a Redis box fed by a feature pipeline. Every such
decision is written into `kind_note`, so the output says when context broke a tie.
"""

from __future__ import annotations

from diagramcheck.kinds import Lexicon, strip_tag, tag_kind, words
from diagramcheck.model import ComponentGraph

_FEATURE_FEEDERS = {"feature_pipeline", "stream_processing", "feature_store"}
_ONLINE_FEEDERS = {"client", "api", "feature_store", "cache", "stream"}
_OFFLINE_FEEDERS = {"data_lake", "batch_processing", "feature_pipeline", "labeling", "database", "document_source"}


def assign_kinds(graph: ComponentGraph, lexicon: Lexicon) -> None:
    known = set(lexicon.kinds)
    for component in graph.components:
        label, label_tag = strip_tag(component.label, known)
        component.label = label
        hint = component.kind if component.kind_source == "icon" else None  # draw.io icon: below the label
        tag = label_tag or (tag_kind(component.kind) if component.kind != "unknown" and hint is None else None)
        if tag is not None:
            if tag in known:
                component.kind, component.kind_source = tag, "tag"
                continue
            graph.warnings.append(f"{component.id}: kind tag {tag!r} is not a kind; typed from its label instead")
        match = lexicon.classify(label)  # cached: never mutate the result
        note = match.note
        if match.kind == "unknown" and component.annotations:
            match = lexicon.classify(" ".join([label, *component.annotations]))
            if match.kind != "unknown":
                note = "; ".join(filter(None, [match.note, "typed from the text under the label"]))
        if match.kind == "unknown" and hint in known:
            component.kind_source = "icon"  # kind and note as the reader set them
            continue
        component.kind, component.roles, component.kind_note = match.kind, list(match.roles), note
        component.kind_source = "lexicon" if match.kind != "unknown" else "none"
    _resolve_by_context(graph, lexicon)


def _resolve_by_context(graph: ComponentGraph, lexicon: Lexicon) -> None:
    predecessors: dict[str, set[str]] = {c.id: set() for c in graph.components}
    by_id = graph.by_id
    for conn in graph.connections:
        if conn.source in by_id and conn.target in predecessors:
            predecessors[conn.target].add(by_id[conn.source].kind)
        if not conn.directed and conn.target in by_id and conn.source in predecessors:
            predecessors[conn.source].add(by_id[conn.target].kind)
    online_words = set(lexicon.spec.context.online_zone_words)
    offline_words = set(lexicon.spec.context.offline_zone_words)
    for component in graph.components:
        if component.kind_source == "tag":
            continue
        feeders = predecessors.get(component.id, set())
        if lexicon.is_model_word(component.label):
            zone_words = set(words(component.zone or ""))
            if feeders & _ONLINE_FEEDERS:
                kind, why = "serving", "fed by " + ", ".join(sorted(feeders & _ONLINE_FEEDERS))
            elif zone_words & online_words:
                kind, why = "serving", f"in zone {component.zone!r}"
            elif feeders and feeders <= _OFFLINE_FEEDERS:
                kind, why = "training", "fed only by offline data"
            elif zone_words & offline_words:
                kind, why = "training", f"in zone {component.zone!r}"
            else:
                kind, why = "serving", "a bare model box defaults to serving"
            component.kind, component.kind_source = kind, "context"
            component.kind_note = f"bare {component.label!r} read as {kind}: {why}"
        elif component.kind in ("cache", "database") and feeders & _FEATURE_FEEDERS:
            old = component.kind
            component.kind, component.kind_source = "feature_store", "context"
            component.kind_note = f"{old} fed by " + ", ".join(sorted(feeders & _FEATURE_FEEDERS)) + " read as feature_store"
