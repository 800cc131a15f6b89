"""The problem bank: classic ML system design interview problems as data, in
patterns/problems/*.toml (one problem a file, named after its id).

Each problem holds the prompt as an interviewer states it, the clarifying questions a
strong candidate asks with the interviewer's answers, what each framework stage should
show and from which level, a stage plan for a 45-minute interview and a reference
architecture: the problem type's own (patterns/reference/<type>.toml) or the problem's
(patterns/problems/reference/<id>.toml, same schema). A file is checked on load against
the stages, levels, kinds and rule ids of the catalog and fails with file and line; the
validated bank is cached like the packs (cache.py).

Practice front ends use the helpers at the end: the plan scaled to the minutes at hand,
the expectations up to a level, which questions a sketch's notes already answer, and a
catalog that also holds the problem to its extra rules.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from diagramcheck.errors import PatternError
from diagramcheck.file_reader import read_text
from diagramcheck.packs import LEVELS, PROBLEMS, STAGE_IDS, Catalog, check_problem_word
from diagramcheck.tomlio import STRICT, SchemaError, describe, line_of, load_toml, validated

INTERVIEW_MINUTES = 45
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
Stage = Literal[tuple(STAGE_IDS)]
Level = Literal[tuple(LEVELS)]


@dataclass
class Question:
    """A clarifying question, the interviewer's answer, and how to tell that a sketch's
    notes already answer it."""
    __pydantic_config__ = STRICT
    stage: Stage
    ask: str
    answer: str
    answered_by: list[str]  # regexes over the lower-cased notes; one match answers the question
    level: Level = "junior"  # asked by candidates from this level up


@dataclass
class Expectation:
    """What the interviewer wants to see at a stage, from this level up."""
    __pydantic_config__ = STRICT
    stage: Stage
    level: Level
    text: str
    kinds: list[str] = field(default_factory=list)  # component kinds that show it on a drawing


@dataclass
class FollowUp:
    """A deeper question the interviewer asks once the stage is covered."""
    __pydantic_config__ = STRICT
    stage: Stage
    level: Level
    ask: str
    look_for: str  # what a strong answer says


@dataclass
class Problem:
    __pydantic_config__ = STRICT
    id: str
    title: str
    type: str  # a problem type (CONTRACT.md section 4): its pack and reference apply
    summary: str  # one line, for lists
    prompt: str
    focus: list[Stage]  # the stages this problem exercises most
    plan: dict[str, int]  # minutes per stage for a 45-minute interview
    questions: list[Question]
    expect: list[Expectation]
    follow_ups: list[FollowUp] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # rule ids beyond the type's own that hold here
    reference: str = ""  # the name of a file in reference/ next to the problem; "" = the type's
    source: str = field(default="", init=False)  # the file it was read from, never from the file
    reference_path: str = field(default="", init=False)


class Bank:
    """Every problem of the bank, by id, in file order."""

    def __init__(self) -> None:
        self.problems: dict[str, Problem] = {}

    def get(self, problem_id: str) -> Problem:
        if problem_id not in self.problems:
            import difflib

            close = difflib.get_close_matches(problem_id, list(self.problems), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise PatternError(f"no problem {problem_id!r} in the bank{hint}; `diagramcheck problems` lists them")
        return self.problems[problem_id]

    def __iter__(self):
        return iter(self.problems.values())

    def __len__(self) -> int:
        return len(self.problems)


def builtin_problems_dir() -> Path:
    from diagramcheck.kinds import builtin_patterns_dir

    return builtin_patterns_dir() / "problems"


def problem_dirs(pattern_dirs: list[Path] | None = None) -> list[Path]:
    """The built-in bank, then a `problems` folder in each extra pattern directory."""
    extra = [d / "problems" for d in pattern_dirs or [] if (d / "problems").is_dir()]
    return [builtin_problems_dir(), *extra]


def load_bank(directories: list[Path], catalog: Catalog, kinds: set[str]) -> Bank:
    bank = Bank()
    for directory in directories:
        if not directory.is_dir():
            raise PatternError(f"{directory}: problem directory does not exist")
        for path in sorted(directory.glob("*.toml")):
            problem = load_problem(path, catalog, kinds)
            if problem.id in bank.problems:
                raise PatternError(f"{path}:{line_of(read_text(path), None, 'id')}: "
                                   f"duplicate problem id {problem.id!r} (first in {bank.problems[problem.id].source})")
            bank.problems[problem.id] = problem
    return bank


def load_problem(path: Path, catalog: Catalog, kinds: set[str]) -> Problem:
    data, text = load_toml(path)
    try:
        problem = validated(Problem, data)
    except SchemaError as exc:
        raise PatternError(f"{path}:{_schema_line(text, exc)}: {describe(exc)}") from None
    problem.source = str(path)
    mistake = _mistake(problem, path, catalog, kinds)
    if mistake is not None:
        (table, key, nth), why = mistake
        raise PatternError(f"{path}:{line_of(text, table, key, nth)}: {why}")
    problem.reference_path = str(_reference_file(problem, path))
    _check_reference(problem, path, text, kinds)
    return problem


def _schema_line(text: str, exc: SchemaError) -> int:
    """The line of the first mistake that is in the file: a misspelt key, not the missing
    key it was meant to be (that has no line)."""
    present = [e for e in exc.errors if e["type"] not in ("missing", "missing_argument")]
    loc = (present or exc.errors)[0]["loc"]
    if len(loc) >= 2 and isinstance(loc[1], int) and loc[0] in ("questions", "expect", "follow_ups"):
        return line_of(text, str(loc[0]), str(loc[2]) if len(loc) > 2 else None, loc[1])
    if loc and loc[0] == "plan":
        return line_of(text, "plan", str(loc[1]) if len(loc) > 1 else None)
    return line_of(text, None, str(loc[0]) if loc else None)


Where = tuple[str | None, str | None, int]  # (table, key, nth) for line_of


def _mistake(problem: Problem, path: Path, catalog: Catalog, kinds: set[str]) -> tuple[Where, str] | None:
    """What pydantic's types cannot judge: the first mistake, and where it is."""
    return (_header_mistake(problem, path) or _rules_mistake(problem, catalog)
            or _items_mistake(problem, kinds) or _coverage_mistake(problem))


def _header_mistake(problem: Problem, path: Path) -> tuple[Where, str] | None:
    if not _ID.match(problem.id):
        return (None, "id", 0), f"problem id {problem.id!r} must be kebab-case, like 'query-autocomplete'"
    if problem.id != path.stem:
        return (None, "id", 0), f"problem id {problem.id!r} must be the file's name ({path.stem!r})"
    if problem.type not in PROBLEMS:
        return (None, "type", 0), f"unknown problem type {problem.type!r} (types: {', '.join(PROBLEMS)})"
    for name in ("title", "summary", "prompt"):
        if not getattr(problem, name).strip():
            return (None, name, 0), f"{name} is empty"
    if not problem.focus:
        return (None, "focus", 0), "focus names no stage (the stages this problem exercises most)"
    plan = _plan_mistake(problem.plan)
    return (("plan", None, 0), plan) if plan else None


def _rules_mistake(problem: Problem, catalog: Catalog) -> tuple[Where, str] | None:
    known = {rule.id: rule for rule in catalog.rules}
    for rule_id in problem.rules:
        if rule_id not in known:
            return (None, "rules", 0), f"rules: unknown rule id {rule_id!r}; `diagramcheck rules` lists them"
        if _applies(known[rule_id], problem.type):
            return (None, "rules", 0), (f"rules: {rule_id!r} already applies to every {problem.type} problem; "
                                        "list only rules beyond the type's own")
    return None


def _items_mistake(problem: Problem, kinds: set[str]) -> tuple[Where, str] | None:
    for table, items in (("questions", problem.questions), ("expect", problem.expect)):
        if not items:
            return (None, None, 0), f"no [[{table}]]"
        for index, item in enumerate(items):
            for key in ("ask", "answer", "text"):
                if hasattr(item, key) and not getattr(item, key).strip():
                    return (table, key, index), f"{table}.{index}.{key} is empty"
    for index, question in enumerate(problem.questions):
        if not question.answered_by:
            return ("questions", "answered_by", index), f"questions.{index}.answered_by: no pattern"
        for pattern in question.answered_by:
            reason = check_problem_word(pattern)  # the checks a pack's problem words get
            if reason:
                return ("questions", "answered_by", index), f"questions.{index}.answered_by: {pattern!r}: {reason}"
    for index, expectation in enumerate(problem.expect):
        for kind in expectation.kinds:
            if kind not in kinds:
                return ("expect", "kinds", index), f"expect.{index}.kinds: unknown kind {kind!r}"
    return None


def _coverage_mistake(problem: Problem) -> tuple[Where, str] | None:
    missing = [s for s in STAGE_IDS if not any(e.stage == s for e in problem.expect)]
    if missing:
        return (None, None, 0), f"no expectation for the stages {', '.join(missing)}: every stage needs one"
    if not any(q.stage == "requirements" for q in problem.questions):
        return (None, None, 0), "no clarifying question for the requirements stage"
    return None


def _plan_mistake(plan: dict[str, int]) -> str | None:
    unknown = [s for s in plan if s not in STAGE_IDS]
    if unknown:
        return f"plan: unknown stage {unknown[0]!r} (stages: {', '.join(STAGE_IDS)})"
    missing = [s for s in STAGE_IDS if s not in plan]
    if missing:
        return f"plan: no minutes for {', '.join(missing)}"
    bad = [s for s, m in plan.items() if type(m) is not int or m < 1]
    if bad:
        return f"plan.{bad[0]}: minutes must be a whole number of at least 1"
    total = sum(plan.values())
    if total != INTERVIEW_MINUTES:
        return f"plan: the minutes add up to {total}, not {INTERVIEW_MINUTES}"
    return None


def _applies(rule, problem_type: str) -> bool:
    if rule.problems and problem_type not in rule.problems:
        return False
    return rule.severity_by_problem.get(problem_type) != "off"


def _reference_file(problem: Problem, path: Path) -> Path:
    if not problem.reference:
        from diagramcheck.reference import available

        return available()[problem.type]
    return path.parent / "reference" / f"{problem.reference}.toml"


def _check_reference(problem: Problem, path: Path, text: str, kinds: set[str]) -> None:
    from diagramcheck.reference import load_file

    where = f"{path}:{line_of(text, None, 'reference' if problem.reference else 'type')}"
    reference = Path(problem.reference_path)
    if not reference.is_file():
        raise PatternError(f"{where}: reference {problem.reference!r}: no file {reference}")
    _, ref = load_file(reference, kinds)
    if ref.problem != problem.type:
        raise PatternError(f"{where}: the reference {reference.name} is a {ref.problem} design, "
                           f"but the problem's type is {problem.type}")


_BANKS: dict[tuple[str, ...], Bank] = {}


def bank_for(pattern_dirs: list[Path] | None = None) -> Bank:
    """The built-in bank plus the problems of any pattern directories from config; loaded,
    validated against their catalog and cached once."""
    from diagramcheck.kinds import builtin_patterns_dir, default_lexicon
    from diagramcheck.packs import catalog_for

    dirs = problem_dirs(pattern_dirs)
    key = tuple(str(d) for d in [*dirs, *(pattern_dirs or [])])
    if key not in _BANKS:
        from diagramcheck.cache import cached

        def build() -> Bank:  # the catalog and lexicon only when the bank is not cached
            kinds = set(default_lexicon().kinds) | {"unknown"}
            return load_bank(dirs, catalog_for(pattern_dirs), kinds)

        builtin = builtin_patterns_dir()
        sources = [p for d in dirs for p in [*d.glob("*.toml"), *d.glob("reference/*.toml")]]
        sources += [*(builtin / "reference").glob("*.toml"), *(builtin / "packs").glob("*.toml"), builtin / "kinds.toml"]
        sources += [p for d in pattern_dirs or [] if d.is_dir() for p in d.glob("*.toml")]
        _BANKS[key] = cached("problems", sources, "\0".join(key), build)
    return _BANKS[key]


# --- for practice front ends ---------------------------------------------------------


def stage_plan(problem: Problem, minutes: int = INTERVIEW_MINUTES) -> list[tuple[str, int]]:
    """(stage, minutes) in framework order, scaled to `minutes` in whole minutes that add up
    to it (largest remainders first), each stage keeping at least one when there is room; at
    45 minutes, the plan as written."""
    floor = 1 if minutes >= len(STAGE_IDS) else 0
    spare = minutes - floor * len(STAGE_IDS)
    extra = {s: problem.plan[s] - 1 for s in STAGE_IDS}
    weight = sum(extra.values()) or 1
    shares = {s: spare * extra[s] / weight for s in STAGE_IDS}
    whole = {s: int(shares[s]) for s in STAGE_IDS}
    order = sorted(STAGE_IDS, key=lambda s: (-(shares[s] - whole[s]), STAGE_IDS.index(s)))
    for stage in order[: spare - sum(whole.values())]:
        whole[stage] += 1
    return [(s, floor + whole[s]) for s in STAGE_IDS]


def expectations(problem: Problem, level: str = "senior") -> dict[str, list[Expectation]]:
    """What each stage should show from a candidate at `level` (everything expected of the
    levels below it too), by stage in framework order."""
    rank = LEVELS.index(level)
    return {s: [e for e in problem.expect if e.stage == s and LEVELS.index(e.level) <= rank] for s in STAGE_IDS}


def answered(question: Question, notes: list[str]) -> bool:
    """Whether some note already answers the question (its scale, latency, label...)."""
    text = "\n".join(notes).lower()
    return any(re.search(pattern, text) for pattern in question.answered_by)


_WITH_RULES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def problem_catalog(catalog: Catalog, problem: Problem) -> Catalog:
    """The catalog with the problem's extra rules applying to its type as well, so that a
    review with `problem=problem.type` also holds the design to them (e.g. delayed labels
    for an ETA, whose label arrives when the trip ends). The same catalog when there are none."""
    if not problem.rules:
        return catalog
    per_catalog = _WITH_RULES.setdefault(catalog, {})
    key = (problem.type, tuple(problem.rules))
    if key not in per_catalog:
        widened = Catalog()
        widened.__dict__.update(catalog.__dict__)
        extra = set(problem.rules)
        widened.rules = [_widen(rule, problem.type) if rule.id in extra else rule for rule in catalog.rules]
        per_catalog[key] = widened
    return per_catalog[key]


def _widen(rule, problem_type: str):
    severities = {p: s for p, s in rule.severity_by_problem.items() if not (p == problem_type and s == "off")}
    problems = [*rule.problems, problem_type] if rule.problems else []
    return replace(rule, problems=problems, severity_by_problem=severities)
