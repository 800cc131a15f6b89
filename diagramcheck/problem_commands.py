"""`diagramcheck problems`: the problem bank, read only (list, and one problem shown)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from diagramcheck.packs import LEVELS, PROBLEMS, STAGES

WIDTH = 80
_TITLES = dict(STAGES)


def bank_of(config_path: str | None):
    from diagramcheck.config import find_config, load_config
    from diagramcheck.problem_bank import bank_for

    config = load_config(Path(config_path) if config_path else find_config(Path.cwd()))
    return bank_for(config.pattern_dirs())


def _json(document: dict) -> None:
    import orjson

    click.echo(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())


@click.group(invoke_without_command=True)
@click.option("--type", "problem_type", type=click.Choice(PROBLEMS), help="Only problems of this type.")
@click.option("--focus", type=click.Choice([s for s, _ in STAGES]), help="Only problems that exercise this stage most.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@click.pass_context
def problems(ctx: click.Context, problem_type: str | None, focus: str | None, fmt: str, config_path: str | None) -> int:
    """The problem bank: classic ML system design interview problems to practise on.

    Without a subcommand, lists them; `problems show ID` prints one.
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = config_path
        return 0
    chosen = [p for p in bank_of(config_path) if (problem_type is None or p.type == problem_type)
              and (focus is None or focus in p.focus)]
    if fmt == "json":
        _json({"version": 1, "problems": [_summary(p) for p in chosen]})
        return 0
    width = max([len(p.id) for p in chosen] + [2])
    for p in chosen:
        click.echo(f"{clean(p.id):<{width}}  {p.type:<18}  {clean(p.title)}")
    click.echo(f"{len(chosen)} problem{'' if len(chosen) == 1 else 's'}; `diagramcheck problems show ID` prints one", err=True)
    return 0


@problems.command()
@click.argument("problem_id", metavar="ID")
@click.option("--level", type=click.Choice(LEVELS), default="senior", show_default=True,
              help="Show what is expected up to this level.")
@click.option("--minutes", type=click.IntRange(12, 240), default=45, show_default=True,
              help="Scale the stage plan to an interview of this length.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def show(config_path: str | None, problem_id: str, level: str, minutes: int, fmt: str) -> int:
    """The prompt, the clarifying questions with the interviewer's answers, the stage plan,
    and what each stage should show at a level."""
    from diagramcheck.problem_bank import expectations, stage_plan

    problem = bank_of(config_path).get(problem_id)
    plan = stage_plan(problem, minutes)
    expected = expectations(problem, level)
    if fmt == "json":
        document = _summary(problem) | {
            "prompt": problem.prompt.strip(),
            "level": level,
            "minutes": minutes,
            "plan": [{"stage": s, "minutes": m} for s, m in plan],
            "questions": [vars(q) for q in problem.questions],
            "expect": [vars(e) for stage in expected.values() for e in stage],
            "follow_ups": [vars(f) for f in problem.follow_ups if LEVELS.index(f.level) <= LEVELS.index(level)],
        }
        _json(document)
        return 0
    click.echo(_render(problem, plan, expected, level, minutes), nl=False)
    return 0


def _summary(problem) -> dict:
    return {
        "id": problem.id,
        "title": problem.title,
        "type": problem.type,
        "summary": problem.summary,
        "focus": problem.focus,
        "rules": problem.rules,
        "reference": problem.reference or problem.type,
    }


def _render(problem, plan, expected, level: str, minutes: int) -> str:
    out = [clean(problem.title), f"{problem.id} · type {problem.type} · expectations up to {level}", ""]
    out += para(problem.prompt)
    out += ["", "Clarifying questions (and the interviewer's answers)"]
    for q in problem.questions:
        out += para(f"- [{q.stage}] {q.ask}", "  ", "    ")
        out += para(f"> {q.answer}", "    ", "      ")
    out += ["", f"Stage plan ({minutes} minutes)", *plan_lines(plan)]
    out += ["", f"What each stage should show (up to {level})"]
    for number, (stage, items) in enumerate(expected.items(), 1):
        out.append(f"{number:>2} {_TITLES[stage]}")
        for e in items:
            out += para(f"- ({e.level}) {e.text}", "     ", "       ")
    follow_ups = [f for f in problem.follow_ups if LEVELS.index(f.level) <= LEVELS.index(level)]
    if follow_ups:
        out += ["", "Follow-ups the interviewer may ask"]
        for f in follow_ups:
            out += para(f"- [{f.stage}, {f.level}] {f.ask}", "  ", "    ")
            out += para(f"look for: {f.look_for}", "    ", "      ")
    out += ["", f"Reference architecture: diagramcheck reference {problem.id}"]
    return "\n".join(out) + "\n"


def plan_lines(plan: list[tuple[str, int]]) -> list[str]:
    """`  0-5   min  Business problem & requirements`: each stage's minutes on the clock."""
    out, clock = [], 0
    for stage, length in plan:
        out.append(f"  {clock:>3}-{clock + length:<3} min  {_TITLES[stage]}")
        clock += length
    return out


def para(text: str, first: str = "", rest: str | None = None) -> list[str]:
    lines = []
    for paragraph in clean(text).strip().split("\n\n"):
        lines += textwrap.wrap(" ".join(paragraph.split()), WIDTH, initial_indent=first,
                               subsequent_indent=first if rest is None else rest) or [""]
        first = rest if rest is not None else first
    return lines


def clean(text: str) -> str:
    """Text from a problem file as the terminal shows it: no escape or control characters
    (a user's own problem files are data, never terminal commands)."""
    return "".join(ch if ch in "\n\t" or (ch.isprintable()) else " " for ch in text)
