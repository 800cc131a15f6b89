"""Pattern packs: rules as TOML data, validated on load.

A mistake in a pack names the file, the line and the rule id, so a user writing
their own pack (from config: `patterns = ["my-patterns"]`) is told exactly what to fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from diagramcheck.errors import PatternError
from diagramcheck.predicates import EDGE_SORTS, LOGIC, PREDICATES
from diagramcheck.regex_safety import quadratic_reason
from diagramcheck.view import DYNAMIC
from diagramcheck.tomlio import STRICT, SchemaError, describe, line_of, load_toml, validated

STAGES = [
    ("requirements", "Business problem & requirements"),
    ("task", "ML task framing"),
    ("metrics", "Metrics"),
    ("architecture", "High-level architecture"),
    ("data", "Data collection & labeling"),
    ("features", "Feature engineering"),
    ("training", "Model selection & training"),
    ("evaluation", "Evaluation & A/B testing"),
    ("deployment", "Deployment & serving"),
    ("mlops", "MLOps"),
    ("monitoring", "Monitoring"),
    ("operations", "Updates & failure handling"),
]
STAGE_IDS = [s for s, _ in STAGES]
LEVELS = ["junior", "mid", "senior", "staff"]
PROBLEMS = ["recommendation", "search-ranking", "ads-ctr", "fraud-detection", "content-moderation", "rag-llm", "forecasting", "generic"]
Severity = Literal["error", "warning", "info"]
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

# The pack schema: dataclasses that pydantic checks when a pack is read (tomlio.py), so
# the cached catalog is plain objects and a review never needs pydantic.


@dataclass
class FixComponent:
    __pydantic_config__ = STRICT
    ref: str
    kind: str
    label: str
    reuse: str | None = None  # selector: use an existing component of this kind instead, if any


def _toml_name(field_name: str) -> str:
    return {"source": "from", "target": "to"}.get(field_name, field_name)


@dataclass
class FixConnection:
    __pydantic_config__ = {**STRICT, "alias_generator": _toml_name, "populate_by_name": True}
    source: str  # `from` in TOML
    target: str  # `to`
    label: str = ""
    unless_path: bool = False  # skip when a path already exists


@dataclass
class Fix:
    __pydantic_config__ = STRICT
    text: str
    add: list[FixComponent] = field(default_factory=list)
    connect: list[FixConnection] = field(default_factory=list)


@dataclass
class Rule:
    __pydantic_config__ = STRICT
    id: str
    stage: str
    severity: Severity
    title: str
    message: str
    expect: dict
    rationale: str
    question: str
    study: str
    fix: Fix
    severity_by_problem: dict[str, Literal["error", "warning", "info", "off"]] = field(default_factory=dict)
    question_by_problem: dict[str, str] = field(default_factory=dict)  # the question in that problem's words
    question_batch: str = ""  # the question for a design that only scores in batch, where it differs
    fix_by_problem: dict[str, str] = field(default_factory=dict)  # the fix's advice in that problem's words
    problems: list[str] = field(default_factory=list)  # empty: every problem type
    when: dict | None = None  # applicability condition
    for_each: str | list[str] | None = None  # one finding per matching component
    example: str = ""  # a short scenario for `diagramcheck explain`
    weight: float = 1.0
    depends_on: list[str] = field(default_factory=list)  # more basic rules: not reported when one fires
    gate: bool = False  # when it fires, nothing else is reviewed (an empty or non-ML sketch)
    loose: bool = False  # the rule also sees components with no connection (others do not)
    level: Literal["junior", "mid", "senior", "staff"] = "junior"  # expected from this level; info below it
    severity_by_level: dict[str, Literal["error", "warning", "info"]] = field(default_factory=dict)
    info_when: dict | None = None  # a condition under which the finding is only information
    pack: str = ""

    def question_for(self, problem: str | None, mode: str = "") -> str:
        if mode == "batch" and self.question_batch:
            return self.question_batch
        return self.question_by_problem.get(problem or "generic", self.question)

    def fix_text_for(self, problem: str | None) -> str:
        return self.fix_by_problem.get(problem or "generic", self.fix.text)

    def severity_for(self, problem: str | None, level: str = "senior") -> str:
        severity = self.severity_by_problem.get(problem or "generic", self.severity)
        if severity == "off":
            return severity
        if LEVELS.index(level) < LEVELS.index(self.level):
            return "info"
        return self.severity_by_level.get(level, severity)


def _rule_field_mistake(rule: Rule) -> tuple[str, str] | None:
    """(key, why) for a field pydantic's types cannot judge."""
    if not _ID.match(rule.id):
        return "id", f"rule id {rule.id!r} must be kebab-case, like 'feature-store'"
    if rule.stage not in STAGE_IDS:
        return "stage", f"unknown stage {rule.stage!r} (stages: {', '.join(STAGE_IDS)})"
    return None


@dataclass
class Labelled:
    """A group of components picked by kind and by what their label says."""
    __pydantic_config__ = STRICT
    kinds: list[str]
    matches: str  # regex over the lower-cased label and the texts under it
    unless: str = ""  # regex: a component whose text also matches this is not in the group
    zones: bool = False  # the titles of the zones holding a component are read with its label


@dataclass
class PackFile:
    __pydantic_config__ = STRICT
    pack: str
    description: str = ""
    groups: dict[str, list[str]] = field(default_factory=dict)
    labelled: dict[str, Labelled] = field(default_factory=dict)
    maturity: dict[str, list[str]] = field(default_factory=dict)
    problem_words: dict[str, list[str]] = field(default_factory=dict)
    problem_signals: dict[str, list[str]] = field(default_factory=dict)  # words enough on their own
    rules: list[Rule] = field(default_factory=list)


class Catalog:
    """Every rule from every pack, with the groups they share."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.groups: dict[str, list[str]] = {}
        self.labelled: dict[str, Labelled] = {}
        self.maturity: dict[str, list[str]] = {}
        self.problem_words: dict[str, list[str]] = {}
        self.problem_signals: dict[str, set[str]] = {}
        self.origins: dict[str, str] = {}

    def by_id(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def load_catalog(directories: list[Path], kinds: set[str], categories: set[str]) -> Catalog:
    catalog = Catalog()
    files: list[Path] = []
    for directory in directories:
        if not directory.is_dir():
            raise PatternError(f"{directory}: pattern directory does not exist")
        files += sorted(p for p in directory.glob("*.toml") if p.name != "kinds.toml")
    pending: list[tuple[Path, str, PackFile]] = []
    for path in files:
        data, text = load_toml(path)
        if "rules" not in data and "pack" not in data:
            continue  # not a pack (e.g. reference architectures)
        try:
            pack = validated(PackFile, data)
        except SchemaError as exc:
            raise PatternError(_locate(path, text, data, exc)) from None
        for index, rule in enumerate(pack.rules):
            mistake = _rule_field_mistake(rule)
            if mistake:
                key, why = mistake
                raise PatternError(f"{path}:{line_of(text, 'rules', key, index)}: rule {rule.id!r}: rules.{index}.{key}: {why}")
        pending.append((path, text, pack))
        catalog.groups.update(pack.groups)
        for name, group in pack.labelled.items():
            where = f"{path}:{line_of(text, 'labelled', name)}: labelled.{name}"
            for pattern in filter(None, (group.matches, group.unless)):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise PatternError(f"{where}: bad regex {pattern!r}: {exc}") from None
                problem = regex_problem(pattern)  # one that could take quadratic time or worse
                if problem:
                    raise PatternError(f"{where}: {pattern!r}: {problem}")
            catalog.labelled[name] = group
        catalog.maturity.update(pack.maturity)
        for table in ("problem_signals", "problem_words"):  # a phrase naming the problem is tried before a word in it
            for problem, words in getattr(pack, table).items():
                where = f"{path}:{line_of(text, table, problem)}: {table}.{problem}"
                if problem not in PROBLEMS or problem == "generic":
                    raise PatternError(f"{where}: unknown problem type (known: {', '.join(PROBLEMS[:-1])})")
                for word in words:
                    reason = check_problem_word(word)
                    if reason:
                        raise PatternError(f"{where}: {word!r}: {reason}")
                catalog.problem_words.setdefault(problem, []).extend(words)
                if table == "problem_signals":
                    catalog.problem_signals.setdefault(problem, set()).update(words)
    for path, text, pack in pending:
        for index, rule in enumerate(pack.rules):
            where = f"{path}:{line_of(text, 'rules', None, index)}: rule {rule.id!r}"
            if rule.id in catalog.origins:
                raise PatternError(f"{where}: duplicate rule id (first defined in {catalog.origins[rule.id]})")
            _check_rule(rule, where, kinds, categories, {**catalog.groups, **catalog.labelled})
            rule.pack = pack.pack
            catalog.origins[rule.id] = f"{path}:{line_of(text, 'rules', None, index)}"
            catalog.rules.append(rule)
    for rule in catalog.rules:
        for basic in rule.depends_on:
            if basic not in catalog.origins or basic == rule.id:
                raise PatternError(f"{catalog.origins[rule.id]}: rule {rule.id!r}: depends_on: unknown rule {basic!r}")
        for level in rule.severity_by_level:
            if level not in LEVELS:
                raise PatternError(f"{catalog.origins[rule.id]}: rule {rule.id!r}: severity_by_level: unknown level {level!r} (levels: {', '.join(LEVELS)})")
    _check_dependency_cycles(catalog)
    return catalog


def _check_dependency_cycles(catalog: Catalog) -> None:
    depends = {r.id: r.depends_on for r in catalog.rules}
    for start in depends:
        seen, stack = set(), list(depends[start])
        while stack:
            rule_id = stack.pop()
            if rule_id == start:
                raise PatternError(f"{catalog.origins[start]}: rule {start!r}: depends_on makes a cycle")
            if rule_id not in seen:
                seen.add(rule_id)
                stack.extend(depends.get(rule_id, []))


def regex_problem(pattern: object) -> str | None:
    """Why a pack's regex cannot be used, if it cannot: it does not compile, or it could take
    time quadratic or worse in the length of the text it reads (regex_safety.py)."""
    if not isinstance(pattern, str):
        return f"{pattern!r} is not a regex string"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"bad regex: {exc}"
    reason = quadratic_reason(pattern)
    if reason:
        return (f"the regex could take time quadratic or worse in the length of a note: {reason}; "
                f"bound a repeat ({{0,40}}), make it possessive (*+, ++) or put a character between the repeats "
                f"that neither can match")
    return None


def check_problem_word(word: str) -> str | None:
    """Why a problem word cannot be used, if it cannot. The words of every pack are joined
    into one pattern (problems.py), so a word may not name its groups or refer back to
    one (the numbers and names would clash), nor set flags; and a word that matches
    nothing at all would be evidence everywhere."""
    problem = regex_problem(word)
    if problem:
        return problem
    parsed = re._parser.parse(word)
    try:
        re.compile(f"x(?:{word})")
    except re.error:  # global flags are only allowed at the start of the whole pattern
        return "flags must be scoped, as in (?i:...) (the words of all packs are joined into one pattern)"
    if parsed.state.groupdict:
        return "named groups are not allowed (the words of all packs are joined into one pattern)"
    if any(op in _BACK_REFERENCES for op in _opcodes(parsed)):
        return "back references are not allowed (the words of all packs are joined into one pattern)"
    if parsed.getwidth()[0] == 0:
        return "matches the empty string"
    return None


_BACK_REFERENCES = {re._constants.GROUPREF, re._constants.GROUPREF_EXISTS}


def _opcodes(pattern) -> list:
    """Every opcode of a parsed regex, nested ones too (re's own parser: the one exact
    answer to "does it refer back", whatever the escaping)."""
    found, pending = [], [pattern]
    while pending:
        item = pending.pop()
        if isinstance(item, re._parser.SubPattern):
            for op, argument in item:
                found.append(op)
                pending.append(argument)
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return found


def _locate(path: Path, text: str, data: dict, exc: SchemaError) -> str:
    loc = exc.errors[0]["loc"]
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        index = loc[1]
        rules = data.get("rules") or []
        rule_id = rules[index].get("id", f"#{index + 1}") if index < len(rules) and isinstance(rules[index], dict) else f"#{index + 1}"
        key = str(loc[2]) if len(loc) > 2 else None
        line = line_of(text, "rules", key, index)
        return f"{path}:{line}: rule {rule_id!r}: {describe(exc)}"
    return f"{path}:{line_of(text, None, str(loc[0]) if loc else None)}: {describe(exc)}"


def _check_rule(rule: Rule, where: str, kinds: set[str], categories: set[str], groups: dict) -> None:
    for problem in [*rule.problems, *rule.severity_by_problem, *rule.question_by_problem, *rule.fix_by_problem]:
        if problem not in PROBLEMS:
            raise PatternError(f"{where}: unknown problem type {problem!r} (known: {', '.join(PROBLEMS)})")

    def selector(value, what: str) -> None:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not items:
            raise PatternError(f"{where}: {what} must be a selector (a kind, 'category:x', '@group' or '$')")
        for item in items:
            if not isinstance(item, str):
                raise PatternError(f"{where}: {what}: {item!r} is not a string")
            for alt in item.split("|"):
                alt = alt.strip()
                if alt in DYNAMIC:
                    continue
                if alt.startswith("is:"):
                    raise PatternError(f"{where}: {what}: unknown selector {alt!r} (known: {', '.join(DYNAMIC)})")
                if alt == "$":
                    if rule.for_each is None and "some" not in str(rule.expect) + str(rule.when) + str(rule.info_when):
                        raise PatternError(f"{where}: {what} uses '$' but the rule has no for_each")
                    continue
                name = alt.lstrip("@")
                if name.startswith("category:"):
                    if name.split(":", 1)[1] not in categories:
                        raise PatternError(f"{where}: {what}: unknown category in {alt!r}")
                elif alt.startswith("@"):
                    if name not in groups:
                        raise PatternError(f"{where}: {what}: unknown group {alt!r}")
                elif name not in kinds and name not in groups:
                    raise PatternError(f"{where}: {what}: unknown kind {alt!r}")

    def condition(cond, what: str) -> None:
        if not isinstance(cond, dict) or not cond:
            raise PatternError(f"{where}: {what} must be a table such as {{ exists = 'training' }}")
        if "some" in cond:
            if set(cond) != {"some", "holds"}:
                raise PatternError(f"{where}: {what}: 'some' needs exactly 'some' and 'holds'")
            selector(cond["some"], f"{what}.some")
            condition(cond["holds"], f"{what}.holds")
            return
        if len(cond) != 1:
            raise PatternError(f"{where}: {what} has several keys {sorted(cond)}; wrap them in all = [...]")
        (name, spec), = cond.items()
        if name in ("all", "any"):
            if not isinstance(spec, list) or not spec:
                raise PatternError(f"{where}: {what}.{name} must be a non-empty list")
            for i, part in enumerate(spec):
                condition(part, f"{what}.{name}[{i}]")
        elif name == "not":
            condition(spec, f"{what}.not")
        elif name in ("exists", "connected", "known"):
            selector(spec, f"{what}.{name}")
        elif name == "serves":
            for mode in spec if isinstance(spec, list) else [spec]:
                if mode not in ("online", "batch", "none", "unknown"):
                    raise PatternError(f"{where}: {what}.serves: {mode!r} is not one of online, batch, none, unknown")
        elif name == "excerpt":
            if not isinstance(spec, bool):
                raise PatternError(f"{where}: {what}.excerpt must be true or false")
        elif name in ("stub", "connections"):
            _keys(spec, set(), {"min"}, f"{what}.{name}")
        elif name == "monitored":
            _keys(spec, {"by", "via"}, {"hops", "scope"}, f"{what}.monitored")
            selector(spec["by"], f"{what}.monitored.by")
            selector(spec["via"], f"{what}.monitored.via")
        elif name == "loop":
            _keys(spec, set(), set(), f"{what}.loop")
        elif name == "feature_parity":
            _keys(spec, set(), {"featureless"}, f"{what}.feature_parity")
            if "featureless" in spec:
                selector(spec["featureless"], f"{what}.feature_parity.featureless")
        elif name == "latency_budget":
            _keys(spec, {"llm_ms", "heavy_ms", "heavy", "mitigations"}, set(), f"{what}.latency_budget")
            for key in ("heavy", "mitigations"):
                problem = regex_problem(spec[key])
                if problem:
                    raise PatternError(f"{where}: {what}.latency_budget.{key}: {spec[key]!r}: {problem}")
        elif name == "problem":
            for p in spec if isinstance(spec, list) else [spec]:
                if p not in PROBLEMS:
                    raise PatternError(f"{where}: {what}: unknown problem type {p!r}")
        elif name == "note":
            if not isinstance(spec, dict) or not isinstance(spec.get("matches"), list):
                raise PatternError(f"{where}: {what}.note needs matches = [regex, ...]")
            for pattern in spec["matches"]:
                problem = regex_problem(pattern)
                if problem:
                    raise PatternError(f"{where}: {what}.note: {pattern!r}: {problem}")
        elif name in ("edge", "path"):
            _keys(spec, {"from", "to"}, {"via", "avoid", "feature", "edges"}, f"{what}.{name}")
            if spec.get("edges", "data") not in EDGE_SORTS:
                raise PatternError(f"{where}: {what}.{name}.edges must be one of {', '.join(EDGE_SORTS)}")
            for key in ("from", "to", "via", "avoid"):
                if key in spec:
                    selector(spec[key], f"{what}.{name}.{key}")
        elif name == "cycle":
            _keys(spec, {"through"}, set(), f"{what}.cycle")
            for sel in spec["through"]:
                selector(sel, f"{what}.cycle.through")
        elif name == "adjacent":
            _keys(spec, {"a", "b"}, {"via"}, f"{what}.adjacent")
            for key in ("a", "b", "via"):
                if key in spec:
                    selector(spec[key], f"{what}.adjacent.{key}")
        elif name == "feeds_both":
            _keys(spec, {"source", "targets"}, {"names"}, f"{what}.feeds_both")
        elif name == "gated":
            _keys(spec, {"through", "kind", "label"}, {"unless_bare", "versioned_by"}, f"{what}.gated")
            for key in ("through", "unless_bare", "versioned_by"):
                if key in spec:
                    selector(spec[key], f"{what}.gated.{key}")
        elif name == "skew":
            _keys(spec, set(), set(), f"{what}.skew")
        else:
            known = ", ".join(sorted(set(PREDICATES) | LOGIC))
            raise PatternError(f"{where}: {what}: unknown predicate {name!r} (known: {known})")

    def _keys(spec, required: set[str], optional: set[str], what: str) -> None:
        if not isinstance(spec, dict):
            raise PatternError(f"{where}: {what} must be a table")
        missing = required - set(spec)
        extra = set(spec) - required - optional
        if missing:
            raise PatternError(f"{where}: {what} is missing {', '.join(sorted(missing))}")
        if extra:
            raise PatternError(f"{where}: {what} has unknown keys {', '.join(sorted(extra))}")

    if rule.for_each is not None:
        selector(rule.for_each, "for_each")
    if rule.when is not None:
        condition(rule.when, "when")
    if rule.info_when is not None:
        condition(rule.info_when, "info_when")
    condition(rule.expect, "expect")
    refs = {c.ref for c in rule.fix.add}
    for comp in rule.fix.add:
        if comp.kind not in kinds:
            raise PatternError(f"{where}: fix adds unknown kind {comp.kind!r}")
        if comp.reuse:
            selector(comp.reuse, "fix.add.reuse")
    for conn in rule.fix.connect:
        for end in (conn.source, conn.target):
            if end in refs or end == "$":
                continue
            if not end.startswith("@"):
                raise PatternError(f"{where}: fix endpoint {end!r} must be an added ref, '$' or '@selector'")
            selector(end[1:] if end[1:].split("|")[0].lstrip("@") not in groups else end, "fix.connect")


_CATALOGS: dict[tuple[str, ...], Catalog] = {}


def catalog_for(extra_dirs: list[Path] | None = None) -> Catalog:
    """The built-in packs plus any directories from config; loaded and validated once."""
    from diagramcheck.kinds import builtin_patterns_dir, default_lexicon

    dirs = [builtin_patterns_dir() / "packs", *(extra_dirs or [])]
    key = tuple(str(d) for d in dirs)
    if key not in _CATALOGS:
        from diagramcheck.cache import cached

        lexicon = default_lexicon()
        kinds = set(lexicon.kinds) | {"unknown"}
        sources = [p for d in dirs if d.is_dir() for p in d.glob("*.toml")] + [builtin_patterns_dir() / "kinds.toml"]
        _CATALOGS[key] = cached(
            "catalog", sources, "\0".join(key), lambda: load_catalog(dirs, kinds, set(lexicon.category.values()))
        )
    return _CATALOGS[key]
