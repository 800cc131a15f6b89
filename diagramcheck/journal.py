"""The practice journal: `.diagramcheck/journal.jsonl` at the study root, one JSON object a
line per attempt (problem, level, minutes, score and stage results, the sketch and its
commit, the reflection), appended by `practice done` or at the end of `watch` on a
practice sketch. From it: the stages missed most over the last attempts, and the problem
to practise next (one that exercises the stage missed most and was not practised lately).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_if_present
from diagramcheck.packs import LEVELS, STAGE_IDS

JOURNAL = "journal.jsonl"
LAST = 5  # attempts the weakest stages and "practised lately" look back over
FIRST_PROBLEM = "video-recommendation"  # with no journal: the classic first problem, every stage in play


@dataclass
class Attempt:
    problem: str
    level: str
    started: str  # ISO 8601, local time with its offset
    finished: str
    minutes_planned: int
    minutes_used: int
    score: int
    stages: dict[str, str]  # stage -> pass / fail / n/a
    failed: list[str]
    sketch: str  # relative to the study root
    commit: str | None = None  # the last commit that changed the sketch, if it is tracked
    changed_since_commit: bool = False
    reflection: str = ""
    findings: int = 0
    version: int = 1


@dataclass
class Suggestion:
    problem: str
    title: str
    reason: str
    stage: str | None = None  # the stage it targets, when one was missed


@dataclass
class Journal:
    attempts: list[Attempt] = field(default_factory=list)
    unreadable: list[int] = field(default_factory=list)  # line numbers left out


def journal_path(root: Path) -> Path:
    from diagramcheck.practice import state_dir

    return state_dir(root) / JOURNAL


def append(root: Path, attempt: Attempt) -> Path:
    """Adds one line, written atomically with the lines before it (a crash leaves the old
    journal whole, never half a line)."""
    from diagramcheck.output import write_atomic
    from diagramcheck.practice import ensure_state_dir

    ensure_state_dir(root)
    path = journal_path(root)
    try:
        before = read_if_present(path) or b""
    except DiagramError as exc:
        raise DiagramError(f"{path}: cannot read ({exc})") from None
    if before and not before.endswith(b"\n"):
        before += b"\n"
    write_atomic(path, before + _line(attempt), force=True)
    return path


def add_reflection(root: Path, sketch: str | None, reflection: str) -> Attempt | None:
    """Gives the last attempt (of `sketch`, when named) the reflection it was recorded
    without (ending the live page off a terminal records none), rewriting that one line;
    None when that attempt has a reflection already, or there is none. Every other line is
    kept byte for byte."""
    from diagramcheck.output import write_atomic

    path = journal_path(root)
    try:
        data = read_if_present(path)
    except DiagramError as exc:
        raise DiagramError(f"{path}: cannot read ({exc})") from None
    if data is None:
        return None
    lines = data.splitlines(keepends=True)
    for number in range(len(lines) - 1, -1, -1):
        attempt = _attempt(lines[number].decode("utf-8", "replace"))
        if attempt is None or (sketch is not None and attempt.sketch != sketch):
            continue
        if attempt.reflection.strip():
            return None
        attempt.reflection = reflection.strip()
        lines[number] = _line(attempt)
        write_atomic(path, b"".join(line if line.endswith(b"\n") else line + b"\n" for line in lines), force=True)
        return attempt
    return None


def _line(attempt: Attempt) -> bytes:
    return json.dumps(asdict(attempt), ensure_ascii=False, separators=(", ", ": ")).encode("utf-8") + b"\n"


def _attempt(line: str) -> Attempt | None:
    """The attempt a journal line holds, or None (a hand-edited or badly merged line)."""
    if not line.strip():
        return None
    names = {f.name for f in fields(Attempt)}
    try:
        data = json.loads(line)
        attempt = Attempt(**{k: v for k, v in data.items() if k in names})
        if not isinstance(attempt.failed, list) or not isinstance(attempt.stages, dict) or not isinstance(attempt.reflection, str):
            raise TypeError
    except (ValueError, TypeError, AttributeError):
        return None
    return attempt


def read(root: Path) -> Journal:
    """The attempts in order; a line that is no attempt (hand-edited, merged badly) is left
    out and its number kept, never a reason to fail."""
    journal = Journal()
    try:  # as every file is read: within the size limit, never a FIFO or a device
        text = (read_if_present(journal_path(root)) or b"").decode("utf-8", errors="replace")
    except DiagramError:
        return journal
    for number, line in enumerate(text.split("\n"), 1):  # not splitlines: a reflection may hold U+2028
        if not line.strip():
            continue
        attempt = _attempt(line)
        if attempt is None:
            journal.unreadable.append(number)
            continue
        journal.attempts.append(attempt)
    return journal


def sketches(journal: Journal, bank) -> dict:
    """Each practice sketch (its path from the study root) -> its problem and level, as its
    last attempt was reviewed; a problem no longer in the bank is left out."""
    return {a.sketch: (bank.problems[a.problem], a.level) for a in journal.attempts
            if a.problem in bank.problems and a.level in LEVELS}


def most_missed(attempts: list[Attempt], last: int = LAST) -> list[tuple[str, int]]:
    """(stage, attempts that failed it) over the last attempts, most first, then in framework order."""
    counts = Counter(stage for a in attempts[-last:] for stage in dict.fromkeys(a.failed) if stage in STAGE_IDS)
    return sorted(counts.items(), key=lambda item: (-item[1], STAGE_IDS.index(item[0])))


def suggest(bank, attempts: list[Attempt], last: int = LAST) -> Suggestion | None:
    """The problem to practise next: one that exercises the stage missed most over the last
    attempts and is not among the problems of those attempts. A problem exercises a stage
    most where the stage is in its focus (earlier in the focus, more); where no such problem
    is left, the one whose interviewer expects most at that stage (at the last attempt's
    level). Never practised beats practised long ago. With nothing missed, the problem
    practised least lately, of another type than the last one; with no journal, the classic
    first problem."""
    from diagramcheck.problem_bank import expectations

    problems = list(bank)
    if not problems:
        return None
    if not attempts:
        first = bank.problems.get(FIRST_PROBLEM) or problems[0]
        return Suggestion(first.id, first.title, "a first problem: a recommender puts every stage of the framework in play")
    recent = {a.problem for a in attempts[-last:]}
    fresh = [p for p in problems if p.id not in recent] or problems
    last_seen = {a.problem: n for n, a in enumerate(attempts)}
    level = attempts[-1].level if attempts[-1].level in LEVELS else "senior"

    def order(p) -> tuple:  # never practised first, then practised longest ago, then bank order
        return (last_seen.get(p.id, -1), problems.index(p))

    missed = most_missed(attempts, last)
    if missed:
        stage, count = missed[0]
        focused = [p for p in fresh if stage in p.focus]
        if focused:
            pick = min(focused, key=lambda p: (p.focus.index(stage), *order(p)))
            how = f"{_title(stage)} is in its focus"
        else:
            expected = {p.id: len(expectations(p, level)[stage]) for p in fresh}
            pick = min(fresh, key=lambda p: (-expected[p.id], *order(p)))
            things = expected[pick.id]
            how = f"its interviewer expects {things} thing{'s' if things != 1 else ''} at {_title(stage)} from a {level} candidate"
        when = "not practised yet" if pick.id not in last_seen else f"last practised {attempts[last_seen[pick.id]].finished[:10]}"
        shown = len(attempts[-last:])
        return Suggestion(pick.id, pick.title, f"{how}, the stage you missed in {count} of your last {shown} "
                                               f"attempt{'s' if shown != 1 else ''}; {when}", stage)
    last_type = bank.problems[attempts[-1].problem].type if attempts[-1].problem in bank.problems else None
    pick = min(fresh, key=lambda p: (p.type == last_type, *order(p)))
    return Suggestion(pick.id, pick.title, "no stage missed lately: a problem of another type, practised least lately")


def _title(stage: str) -> str:
    from diagramcheck.packs import STAGES

    return dict(STAGES)[stage]


def document(journal: Journal, bank, last: int = LAST) -> dict:
    suggestion = suggest(bank, journal.attempts, last)
    return {
        "attempts": [asdict(a) for a in journal.attempts],
        "unreadable_lines": journal.unreadable,
        "last": last,
        "most_missed": [{"stage": s, "attempts": n} for s, n in most_missed(journal.attempts, last)],
        "next": asdict(suggestion) if suggestion else None,
    }


def table(journal: Journal, bank, last: int = LAST) -> str:
    """The journal as `progress` prints it: score per attempt, the stages missed most over
    the last attempts, the problem to practise next."""
    from diagramcheck.problem_commands import clean

    lines = ["practice journal"]
    if not journal.attempts:
        lines.append("  no attempts yet")
    width = max([len("problem"), *(len(clean(a.problem)) for a in journal.attempts)])
    if journal.attempts:
        lines.append(f"  {'date':<10} {'problem':<{width}} {'level':<6} {'min':>4} {'score':>5}  stages  reflection")
    for a in journal.attempts:
        applied = [s for s, status in a.stages.items() if status != "n/a"]
        passed = len([s for s in applied if s not in a.failed])
        reflection = " ".join(clean(a.reflection).split())
        reflection = reflection if len(reflection) <= 40 else reflection[:39] + "…"
        lines.append(f"  {clean(a.finished[:10]):<10} {clean(a.problem):<{width}} {clean(a.level):<6} {a.minutes_used:>4} "
                     f"{a.score:>5}  {passed:>2}/{len(applied):<3}  {reflection}")
    if journal.unreadable:
        lines.append(f"  (lines {', '.join(map(str, journal.unreadable))} of the journal are no attempt: left out)")
    missed = most_missed(journal.attempts, last)
    if missed:
        shown = min(last, len(journal.attempts))
        lines += ["", f"stages missed most (last {shown} attempt{'s' if shown != 1 else ''}):"]
        lines += [f"  {stage:<14} {count}" for stage, count in missed]
    suggestion = suggest(bank, journal.attempts, last)
    if suggestion is not None:
        lines += ["", f"next: {suggestion.problem} ({clean(suggestion.title)})", f"  why: {suggestion.reason}",
                  f"  start: diagramcheck practice {suggestion.problem}"]
    return "\n".join(lines) + "\n"
