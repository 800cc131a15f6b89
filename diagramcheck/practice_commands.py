"""`diagramcheck practice [PROBLEM]`, `practice done` and `watch FILE`: parse, call
practice.py / watch.py / journal.py, print."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from diagramcheck import inert
from diagramcheck.packs import LEVELS


class _StartByDefault(click.Group):
    """`practice [PROBLEM] [options]` starts a session, `practice done` ends one: anything
    that is not a subcommand's name goes to the hidden `start`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands:
            args = ["start", *args]
        return super().parse_args(ctx, args)


class _Start(click.Command):
    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage("diagramcheck practice", "[PROBLEM] [OPTIONS]")


@click.group(cls=_StartByDefault)
def practice() -> None:
    """A practice interview: `practice [PROBLEM]` starts one, `practice done` records it."""


@practice.command("start", cls=_Start, hidden=True)
@click.argument("problem_id", required=False, metavar="[PROBLEM]")
@click.option("--level", type=click.Choice(LEVELS), help="Level to practise at (default: your last attempt's, else the config's).")
@click.option("--minutes", type=click.IntRange(12, 240), default=45, show_default=True, help="Length of the interview.")
@click.option("--format", "fmt", type=click.Choice(["excalidraw", "mermaid", "dot", "drawio"]), default="excalidraw", show_default=True,
              help="The format you draw in.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write the starter (default: PROBLEM-DATE.EXT here).")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option("--no-open", is_flag=True, help="Do not open the live page in the browser.")
@click.option("--no-watch", is_flag=True, help="Write the starter and print the plan, without the live page.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port of the live page (default: a free one).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
def start(problem_id, level, minutes, fmt, output, force, no_open, no_watch, port, config_path) -> int:
    """Start a practice interview: PROBLEM from the bank (`diagramcheck problems`), or,
    without one, the next problem your journal suggests. Writes a starter sketch (the prompt
    as a note, empty Online and Offline zones), prints the prompt and the stage plan, and
    serves the live page until Ctrl-C, which records the attempt.

    `diagramcheck practice done [SKETCH] --reflection TEXT` records an attempt without the
    live page (after --no-watch, or from another terminal), or adds your reflection to the
    attempt Ctrl-C recorded."""
    from diagramcheck import journal, practice as sessions
    from diagramcheck.output import write_atomic
    from diagramcheck.problem_bank import stage_plan
    from diagramcheck.problem_commands import clean, para, plan_lines

    from diagramcheck.config import find_config, load_config
    from diagramcheck.problem_commands import bank_of

    bank = bank_of(config_path)
    config = load_config(Path(config_path) if config_path else find_config(Path.cwd()))
    root = sessions.study_root(Path.cwd())
    history = journal.read(root).attempts
    picked = None
    if problem_id is None:
        picked = journal.suggest(bank, history)
        if picked is None:
            raise click.UsageError("the problem bank is empty")
        problem_id = picked.problem
    problem = bank.get(problem_id)
    level = level or (history[-1].level if history and history[-1].level in LEVELS else config.level)
    target = output or Path(sessions.default_name(problem.id, fmt))
    write_atomic(target, sessions.starter(problem, fmt), force=force)
    session = sessions.Session(sketch=sessions.sketch_key(root, target), problem=problem.id, level=level, minutes=minutes,
                               started=time.time(), format=fmt)
    sessions.begin(root, session)
    out = [clean(problem.title), f"{problem.id} · {problem.type} · {level} · {minutes} minutes"]
    if picked is not None:
        out.append(f"picked from your journal: {picked.reason}")
    out += ["", *para(problem.prompt), "", f"Stage plan ({minutes} minutes)", *plan_lines(stage_plan(problem, minutes))]
    asked = sum(1 for q in problem.questions if LEVELS.index(q.level) <= LEVELS.index(level))
    out += ["", f"Ask your clarifying questions first ({asked} a {level} candidate asks): write each assumption as a note,",
            "and the live page shows which your notes answer.", "",
            f"Starter sketch: {target} (draw in its Online and Offline zones)"]
    click.echo("\n".join(out))
    if no_watch:
        click.echo(f"When you are done: diagramcheck practice done {target}")
        return 0
    return _watch(target, no_open, port)


@practice.command()
@click.argument("sketch", required=False, type=click.Path(path_type=Path))
@click.option("--reflection", help="What went well, and what you would change (asked for when not given, on a terminal).")
def done(sketch: Path | None, reflection: str | None) -> int:
    """Record a practice attempt in the journal: the sketch's review now (score, stages),
    the minutes used, its commit, and your reflection. SKETCH: the sketch of an open session
    (default: the one started last). After Ctrl-C on the live page recorded the attempt,
    this adds the reflection to it."""
    from diagramcheck import practice as sessions
    from diagramcheck.errors import DiagramError

    if sketch is not None:
        found = sessions.session_of(sketch)
        root, session = found if found is not None else (sessions.study_root(sketch.parent), None)
    else:
        root = sessions.study_root(Path.cwd())
        session = sessions.latest_session(root)
    if session is None:
        _reflect_on_recorded(root, sketch, reflection)
        return 0
    _record(root, session, reflection)
    return 0


def _reflect_on_recorded(root: Path, sketch: Path | None, reflection: str | None) -> None:
    """No session open: the live page's end recorded the attempt already (as the weekly loop
    goes: Ctrl-C, then `practice done`); the reflection it was recorded without is added."""
    from diagramcheck import journal, practice as sessions
    from diagramcheck.errors import DiagramError

    where = f"{sketch}: no practice session is open for this file" if sketch is not None else "no practice session is open here"
    key = sessions.sketch_key(root, sketch) if sketch is not None else None
    attempts = [a for a in journal.read(root).attempts if key is None or a.sketch == key]
    if not attempts or attempts[-1].reflection.strip() or not _recent(attempts[-1].finished):
        raise DiagramError(f"{where}, and no recorded attempt waits for a reflection (`diagramcheck practice` starts one)")
    if reflection is None:
        reflection = _ask_reflection()
    if not reflection.strip():
        raise DiagramError(f"{where}; the last attempt is recorded: give --reflection TEXT to add what went well and what to change")
    attempt = journal.add_reflection(root, key, reflection)
    if attempt is None:
        raise DiagramError(f"{where}, and no recorded attempt waits for a reflection")
    click.echo(f"reflection added to the attempt recorded when the live page ended: {attempt.problem}, "
               f"{attempt.finished[:16].replace('T', ' ')}, score {attempt.score}/100")


def _recent(finished: str, hours: float = 12) -> bool:
    """Whether an attempt ended within the last hours (a reflection is added to this
    session's attempt, never to one of weeks ago)."""
    from datetime import datetime

    try:
        ended = datetime.strptime(finished, "%Y-%m-%dT%H:%M:%S%z").timestamp()
    except (TypeError, ValueError):
        return False
    return 0 <= time.time() - ended <= hours * 3600


def _record(root: Path, session, reflection: str | None, review=None) -> None:
    from diagramcheck import practice as sessions
    from diagramcheck.journal import journal_path

    if reflection is None:
        reflection = _ask_reflection()
    attempt = sessions.record(root, session, reflection, review=review)
    click.echo(f"recorded: {attempt.problem} at {attempt.level}, score {attempt.score}/100, {attempt.minutes_used} of "
               f"{attempt.minutes_planned} minutes" + (f"; stages missed: {', '.join(attempt.failed)}" if attempt.failed else ""))
    click.echo(f"journal: {journal_path(root)}; `diagramcheck progress` suggests the next problem")
    if not attempt.reflection:
        click.echo('add your reflection: diagramcheck practice done --reflection "what went well; what to change"')


def _ask_reflection() -> str:
    """The two questions of a reflection, on a terminal; nothing elsewhere (a script, CI)."""
    if not (sys.stdin is not None and sys.stdin.isatty()):
        return ""
    well = click.prompt("What went well?", default="", show_default=False)
    change = click.prompt("What would you change next time?", default="", show_default=False)
    return "\n".join(part for part in (f"Went well: {well}" if well else "", f"Change: {change}" if change else "") if part)


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--no-open", is_flag=True, help="Do not open the page in the browser.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port to serve on (default: a free one).")
def watch(file: Path, no_open: bool, port: int) -> int:
    """Serve a live page on 127.0.0.1 that shows FILE as you draw it and its review, again on
    every save: the findings by stage, the question an interviewer would ask next and, for a
    practice sketch, the clock against the stage plan and the clarifying questions your notes
    answer. Ctrl-C stops it (and records a practice sketch's attempt)."""
    return _watch(file, no_open, port)


def _watch(file: Path, no_open: bool, port: int) -> int:
    from diagramcheck import practice as sessions
    from diagramcheck.errors import DiagramError
    from diagramcheck.watch import serve

    def announce(url: str) -> None:
        click.echo(f"live page: {url}  (Ctrl-C to stop)")
        sys.stdout.flush()

    serve(file, port=port, open_browser=not no_open, announce=announce)
    click.echo("", err=True)
    try:
        found = sessions.session_of(file)
    except DiagramError:
        found = None
    if found is None:
        return 0
    root, session = found
    try:
        _record(root, session, None)
    except DiagramError as exc:
        # the reader's message quotes the sketch (a label, an id): one inert line, as every error
        click.echo(f"diagramcheck: the attempt is not recorded: {inert.line(str(exc))}; fix the sketch and run "
                   f"`diagramcheck practice done {inert.line(str(file))}`", err=True)
        return 2
    return 0
