"""Give every component of a graph its kind: tag first, then its label read as a
phrase (kinds.py, reading.py), then the graph for what the label leaves open.

The graph decides only what the label cannot: a bare "Model" or "XGBoost model" box
(trained where it feeds the registry, served where the request or the registry feeds
it), a generic "Storage" or an unreadable box inside a zone titled like a role, a
store only serving reads, a processor fed by a stream, a Redis box fed by a feature
pipeline. Every such decision and its reason go into `kind_note`; `kind_why` says
which words decided the label's own reading.
"""

from __future__ import annotations

from diagramcheck.kinds import Lexicon, Match, strip_tag, tag_kind, words
from diagramcheck.model import Component, ComponentGraph

_FEATURE_FEEDERS = {"feature_pipeline", "stream_processing", "feature_store"}
_ONLINE_FEEDERS = {"client", "api", "feature_store", "cache", "stream", "model_registry"}
_OFFLINE_FEEDERS = {"data_lake", "batch_processing", "feature_pipeline", "labeling", "database", "document_source"}
_TRAINING_OUTPUTS = {"model_registry", "evaluation", "experiment_tracking"}
_STREAMS = {"stream", "stream_processing"}
_ONLINE_READERS = {"api", "client", "serving", "ranking", "candidate_generation", "reranking", "llm", "fallback"}
_OFFLINE_READERS = {"training", "batch_processing", "feature_pipeline", "batch_inference", "evaluation",
                    "stream_processing", "data_validation", "embedding", "labeling", "drift_detection"}
_BATCH_WORDS = {"batch", "nightly", "daily", "hourly", "weekly", "monthly", "cron", "backfill", "etl", "elt"}


def assign_kinds(graph: ComponentGraph, lexicon: Lexicon) -> None:
    known = set(lexicon.kinds)
    matches: dict[str, Match] = {}
    for component in graph.components:
        label, label_tag = strip_tag(component.label, known)
        component.label = label
        hint = component.kind if component.kind_source == "icon" else None  # draw.io icon: below the label
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
        if match.kind == "unknown" and match.weak and not match.model and hint in known:
            component.kind_source, component.kind_why = "icon", "icon"  # kind and note as the reader set them
            continue
        component.kind, component.roles, component.kind_note = match.kind, list(match.roles), note
        component.kind_why = match.why
        component.kind_source = "lexicon" if match.kind != "unknown" else "none"
        matches[component.id] = match
    _resolve_by_context(graph, lexicon, matches)


def _resolve_by_context(graph: ComponentGraph, lexicon: Lexicon, matches: dict[str, Match]) -> None:
    by_id = graph.by_id
    feeders: dict[str, set[str]] = {c.id: set() for c in graph.components}
    readers: dict[str, set[str]] = {c.id: set() for c in graph.components}
    for conn in graph.connections:
        if conn.source in by_id and conn.target in by_id:
            feeders[conn.target].add(by_id[conn.source].kind)
            readers[conn.source].add(by_id[conn.target].kind)
            if not conn.directed:
                feeders[conn.source].add(by_id[conn.target].kind)
                readers[conn.target].add(by_id[conn.source].kind)
    zone_kinds = _zone_kinds(graph, lexicon)
    online_words = set(lexicon.spec.context.online_zone_words)
    offline_words = set(lexicon.spec.context.offline_zone_words)
    for component in graph.components:
        match = matches.get(component.id)
        if match is None:
            continue  # tagged
        fed, read_by = feeders[component.id], readers[component.id]
        zone_kind = zone_kinds.get(component.zone_id or "")
        if match.model:
            kind, why = _model_kind(component, fed, read_by, online_words, offline_words, match.kind)
            _set(component, kind, f"a model, read as {kind}: {why}")
        elif match.weak and zone_kind and (match.kind == "unknown" or zone_kind != match.kind):
            _set(component, zone_kind, f"{'unread' if match.kind == 'unknown' else 'generic'} label in zone "
                                       f"{component.zone!r}: {zone_kind}")
        elif component.kind in ("cache", "database") and fed & _FEATURE_FEEDERS:
            _set(component, "feature_store", f"{component.kind} fed by {', '.join(sorted(fed & _FEATURE_FEEDERS))}: "
                                             "feature_store")
        elif component.kind == "batch_processing" and fed & _STREAMS and not _says_batch(component, lexicon):
            _set(component, "stream_processing", f"processing fed by {', '.join(sorted(fed & _STREAMS))}: "
                                                 "stream_processing")
        elif component.kind == "data_lake" and match.weak and read_by and read_by <= _ONLINE_READERS:
            _set(component, "database", f"store read only by {', '.join(sorted(read_by))}: database")


def _set(component: Component, kind: str, note: str) -> None:
    component.kind, component.kind_source = kind, "context"
    component.kind_note = "; ".join(filter(None, [component.kind_note, note]))


def _model_kind(component: Component, fed: set[str], read_by: set[str], online_words: set[str],
                offline_words: set[str], default: str) -> tuple[str, str]:
    """A box that says "a model" and no more: where it sits in the graph decides."""
    zone_words = set(words(component.zone or ""))
    batch = default == "batch_inference"
    if read_by & _TRAINING_OUTPUTS and not fed & {"model_registry", "client", "api"}:
        return "training", "it feeds " + ", ".join(sorted(read_by & _TRAINING_OUTPUTS))
    if fed & _ONLINE_FEEDERS:
        kind = "batch_inference" if batch else "serving"
        return kind, "fed by " + ", ".join(sorted(fed & _ONLINE_FEEDERS))
    if zone_words & online_words:
        return ("batch_inference" if batch else "serving"), f"in zone {component.zone!r}"
    if fed and fed <= _OFFLINE_FEEDERS:
        return "training", "fed only by offline data"
    if zone_words & offline_words:
        return "training", f"in zone {component.zone!r}"
    if batch:
        return "batch_inference", "run in batch"
    return "serving", "a bare model box defaults to serving"


def _zone_kinds(graph: ComponentGraph, lexicon: Lexicon) -> dict[str, str]:
    """Zones whose title names a role that holds its boxes ("Model storage", "Monitoring");
    areas ("Online serving", "Training pipeline") and product names do not type a box."""
    holding = set(lexicon.spec.context.zone_role_kinds)
    found = {}
    for zone in graph.zones:
        if zone.label:
            match = lexicon.classify(zone.label)
            if match.kind in holding and match.basis in ("head", "stated", "compound"):
                found[zone.id] = match.kind
    return found


def _says_batch(component: Component, lexicon: Lexicon) -> bool:
    return bool(_BATCH_WORDS & set(lexicon.label_words(component.label)))
