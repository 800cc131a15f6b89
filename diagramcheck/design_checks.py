"""The predicates behind the features rules and the latency check, as CONTRACT.md section 3
defines them: where a design computes features for training and for serving, and whether
the model it serves fits the latency it states.

Evidence is weighed asymmetrically: a pass may rest on any plausible path, a failure only
on an unambiguous one.
"""

from __future__ import annotations

import re

from diagramcheck.result import Result
from diagramcheck.view import View


def p_feature_parity(view: View, spec: dict, subject: str | None) -> Result:
    """Every trained model on the request path that takes features shares a feature
    computation with training, or trains on the features it was served (log and wait).
    Where every training fits a method that learns from ids alone (`featureless`: matrix
    factorisation, collaborative filtering), what the served model reads is not features."""
    trainers = view.select("training")
    if "featureless" in spec and set(trainers) <= view.select_set(spec["featureless"]):
        return Result(True)
    online = set(view.online)
    models = [m for m in view.trained if m in online and view.takes_features(m)]
    if not trainers or not models:
        return Result(True)
    computations = view.select_set("@feature_computation")
    feeds_training = view.reaches_by_feature_path(trainers) | _reaches_training_past_offline_models(view, trainers)
    failing = []
    for model in models:
        if computations & feeds_training & view.reaches_by_feature_path([model]):
            continue
        if _trains_on_served_features(view, model, trainers):
            continue
        if _reads_what_training_reads(view, model, trainers):
            continue
        failing.append(model)
    if not failing:
        return Result(True)
    names = ", ".join(f"'{view.label(m)}'" for m in failing)
    inputs = sorted({u for m in failing for u in view.takes_features(m)}, key=view.order.get)
    return Result(False, components=[*failing, *inputs[:3]], detail=names)


def _reaches_training_past_offline_models(view: View, trainers: list[str]) -> set[str]:
    """What reaches training through an untrained model no request reaches ('feature store ->
    candidate generation models -> two-tower training' in an offline zone): whether features
    pass through such a box is unclear, and a failure needs unambiguous evidence."""
    offline = view.select_set("@model_serving") - set(view.online) - set(view.trained)
    if not offline:
        return set()
    return view._reaching(trainers, view.feature_stops - offline)


def _reads_what_training_reads(view: View, model: str, trainers: list[str]) -> bool:
    """Every input the model takes, training reads straight from the same store (a
    cross-encoder and its training both read question text from the questions DB): no
    feature is computed on either side, so none can be computed twice."""
    inputs = view.takes_features(model)
    return bool(inputs) and all(any(t in view.data_succ[u] for t in trainers) for u in inputs)


def _trains_on_served_features(view: View, model: str, trainers: list[str]) -> bool:
    logs = view.select("@feature_logs")
    if not logs:
        return False
    reached = view.reach([model], sort="data")
    return any(log in reached and view.path_between([log], trainers) for log in logs)


def p_skew(view: View, spec: dict, subject: str | None) -> Result:
    """A raw source that feeds training also feeds a trained model, and its features are
    computed twice: (a) one computation serves only the model and another only training,
    or (b) the model reads the source with no computation between while training reads it
    through one, and nothing feeds both sides, or (c) the source reaches training through a
    shared computation while a computation of serving's own (live traffic by Flink into the
    online store only) brings the model features training never saw."""
    trainers = view.select("training")
    if not trainers:
        return Result(True)
    computations = view.select_set("@feature_computation")
    consumers = view.select_set("@consumer")
    stops = view.feature_stops
    feeds_training = view.reaches_by_feature_path(trainers)
    for model in view.trained:
        feeds_model = view.reaches_by_feature_path([model])
        shared = computations & feeds_training & feeds_model
        if _trains_on_served_features(view, model, trainers):
            continue
        to_model = view._reaching([model], stops | shared)
        to_training = view._reaching(trainers, stops | shared)
        for source in view.select("@raw"):
            if source not in feeds_training or source not in feeds_model:
                continue
            reached = view.reach([source], blocked=shared, stops=stops)
            model_only = [c for c in computations if c in reached and c in to_model and c not in feeds_training]
            train_only = [c for c in computations if c in reached and c in to_training and c not in feeds_model]
            if not train_only and not (model_only and shared):
                continue  # (c) below: serving computes its own features beside the shared ones
            if model_only:
                model_path = view.path_between([source], [model], blocked=shared | set(train_only), stops=stops)
            elif not shared:
                model_path = view.path_between([source], [model], blocked=computations | consumers, stops=stops)
            else:
                model_path = None
            if model_path is None:
                continue
            on_shared = not train_only  # (c): training's side is the shared computation
            train_path = view.path_between([source], trainers, blocked=set(model_only) | (set() if on_shared else shared),
                                           stops=stops)
            if train_path is None:
                continue
            if on_shared:  # the fix: serving's own computation also writes what training reads
                sides = [n for n in train_path if n in shared]
                if not sides:
                    continue  # training reads the source around every computation: (b) covers that
                own = next((n for n in model_path if n in model_only), None)
                if own is None:
                    continue
                fix = {"add": [], "connect": [{"from": own, "to": sides[-1], "label": "features"}], "remove": []}
                return _skew_result(view, source, model, model_path, train_path, [sides[-1]], fix)
            return _skew_result(view, source, model, model_path, train_path, train_only)
    return Result(True)


def _skew_result(view: View, source: str, model: str, model_path: list[str], train_path: list[str],
                 train_only: list[str], fix: dict | None = None) -> Result:
    """The finding; its fix serves the model from training's computation unless given one."""
    label = view.label
    training_side = next((n for n in reversed(train_path) if n in train_only), train_only[0])
    detail = "; training: " + " -> ".join(label(n) for n in train_path)
    if fix is None:
        last_hop = next((n for n in reversed(model_path[:-1]) if not view.is_virtual(n)), model_path[0])
        fix = {
            "add": [],
            "connect": [{"from": training_side, "to": model, "label": "features"}],
            "remove": [{"from": last_hop, "to": model}] if last_hop == model_path[-2] else [],
        }
    return Result(False, components=[source, model, training_side], path=model_path, detail=detail, fix=fix)


# --- latency budget ------------------------------------------------------------------

# (?<!\d): a number is read from its first digit only. The same matches as without it (a
# match from inside a run of digits would also match from the run's start), in linear time
# (without it, every digit of a long run started a scan to the run's end)
_DURATION = re.compile(r"(?<!\d)(\d+(?:\.\d+)?)\s?(ms|msec|milliseconds?|millis|s|sec|secs|seconds?)\b")
_LATENCY_CONTEXT = re.compile(r"latency|p\d\d|sla|slo|budget|response|respond|under|within|<|≤|real[- ]?time")


def stated_budget_ms(text: str) -> float | None:
    """The tightest latency budget a note states ('p99 < 200 ms', 'latency under 1 s')."""
    best = None
    for match in _DURATION.finditer(text):
        before = text[max(0, match.start() - 40):match.start()]
        if not _LATENCY_CONTEXT.search(before):
            continue
        value = float(match.group(1)) * (1 if match.group(2).startswith("m") else 1000)
        if value > 0 and (best is None or value < best):
            best = value
    return best


def p_latency_budget(view: View, spec: dict, subject: str | None) -> Result:
    """The models on the request path fit the stated budget: an LLM generating under a tight
    budget, or a heavy model scoring every item without a cheaper stage before it, does not,
    unless the design names what makes it fit (caching, distillation, streaming...)."""
    budget = stated_budget_ms(view.text(False))
    if budget is None or not view.online:
        return Result(True)
    mitigations = re.compile(spec["mitigations"])
    if mitigations.search(view.text(True)):
        return Result(True)
    heavy = re.compile(spec["heavy"])
    texts = view.component_texts
    retrievers = view.select_set("candidate_generation")
    for model in view.online:
        kinds = view.kinds.get(model, set())
        if "llm" in kinds and budget < spec["llm_ms"]:
            return Result(False, components=[model], detail=f"'{view.label(model)}' generates text under a {budget:g} ms budget")
        if heavy.search(texts.get(model, "")) and budget < spec["heavy_ms"]:
            before = view._reaching([model], frozenset())
            if not before & retrievers:
                return Result(False, components=[model], detail=f"'{view.label(model)}' scores every item under a {budget:g} ms budget")
    return Result(True)
