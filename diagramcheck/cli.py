"""The command line. `main(argv) -> int` is what tests call; `run()` is the console script."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from diagramcheck import __version__, inert
from diagramcheck.config import Config, find_config, load_config
from diagramcheck.errors import DiagramError, PatternError
from diagramcheck.output import never_failing_standard_streams, utf8, write_output
from diagramcheck.packs import LEVELS, PROBLEMS
from diagramcheck.words import plural


def error(message: str) -> None:
    click.echo(f"diagramcheck: error: {inert.line(message)}", err=True)  # paths and reasons hold input


def config_for(path: Path, explicit: str | None) -> Config:
    if explicit:
        return load_config(Path(explicit))
    return load_config(find_config(path))


def page_option(command):
    return click.option("--page", help="draw.io: the page to read, by name or number (default: the page named like "
                                       "the file, else the first).")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diagramcheck")
def cli() -> None:
    """Critique ML system design sketches (Excalidraw, draw.io, Graphviz DOT, Mermaid) like a senior interviewer."""


def _file_options(command):
    """The options every command that takes sketches shares: which files, which config."""
    for option in reversed([
        click.argument("paths", nargs=-1, type=click.Path(path_type=str)),
        click.option("--stdin-filename", help="The name `-` (standard input) stands for: its format, config and report."),
        click.option("--exclude", multiple=True, metavar="PATTERN",
                     help="Skip paths matching these gitignore-style patterns when walking folders (repeat or comma-separate)."),
        click.option("--force-exclude", is_flag=True, help="Apply exclusions to files named explicitly too (for pre-commit)."),
        click.option("--respect-gitignore/--no-respect-gitignore", default=None,
                     help="Skip what .gitignore ignores when walking folders (default: yes)."),
        click.option("--config", "config_path", type=click.Path(path_type=str), help="Config file to use."),
        page_option,
    ]):
        command = option(command)
    return command


def _options(paths, stdin_filename, exclude, force_exclude, respect_gitignore, config_path, **rest):
    from diagramcheck.runner import ReviewOptions

    default = ["-"] if stdin_filename else ["."]  # as ruff: --stdin-filename alone reads standard input
    return ReviewOptions(paths=list(paths) or default, stdin_filename=stdin_filename, exclude=_split(exclude),
                         force_exclude=force_exclude, respect_gitignore=respect_gitignore, config=config_path, **rest)


def _report_problems(result, quiet: bool) -> None:
    """What the run could not review (errors), and, unless quiet, what it read tolerantly
    (warnings) and what it passed over (skipped)."""
    for path, message in result.errors:
        error(f"{path}: {message}")
    if not quiet:  # names and messages hold input (a Mermaid block's warning quotes its ids): one inert line each
        for path, message in result.warnings:
            click.echo(f"diagramcheck: warning: {inert.line(path)}: {inert.line(message)}", err=True)
        for path, reason in result.skipped:
            click.echo(f"diagramcheck: skipped {inert.line(path)}: {inert.line(reason)}", err=True)


@cli.command()
@_file_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "dot"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def graph(fmt: str, output: Path | None, force: bool, **files) -> int:
    """Print what was understood: components with kinds and zones, connections, notes, and what was ignored.

    PATHS are files, folders (walked for sketches) or - for standard input; default: the current folder."""
    from diagramcheck.reporters.document import graph_document
    from diagramcheck.reporters.graphview import graph_dot, graph_text
    from diagramcheck.output import check_target
    from diagramcheck.runner import RunError, graph_files

    if output is not None and str(output) != "-":
        check_target(output, force=force)  # refused before the run, not after it
    try:
        result = graph_files(_options(**files), stdin=_stdin())
    except RunError as exc:
        error(str(exc))
        return 2
    _report_problems(result, quiet=False)
    graphs = result.graphs
    if not graphs and not result.errors and not result.skipped:
        click.echo("diagramcheck: no sketches found in the given paths", err=True)
    if fmt == "json":
        import orjson

        text: str | bytes = inert.json(orjson.dumps(graph_document(graphs, result.errors), option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    elif fmt == "dot":
        text = "".join(graph_dot(g) for g in graphs)
    else:
        text = "\n\n".join(graph_text(g) for g in graphs) + ("\n" if graphs else "")
    write_output(text, output, force=force, inputs=_inputs(graphs))
    return result.exit_code


FORMATS = ["text", "concise", "pylint", "json", "markdown", "sarif", "github", "html"]


@cli.command()
@_file_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="pylint: one line per finding, path:line: [S rule] message.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline", type=click.Path(path_type=Path), help="Record today's findings as the baseline.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--select", multiple=True, help="Only these rule ids (repeat or comma-separate).")
@click.option("--ignore", multiple=True, help="Skip these rule ids (repeat or comma-separate).")
@click.option("--problem", type=click.Choice(PROBLEMS), help="Problem type, instead of detecting it.")
@click.option("--level", type=click.Choice(LEVELS), help="Candidate level to judge against (default: senior).")
@click.option("-q", "--quiet", is_flag=True, help="Findings only: no stage table, summaries, totals or notices.")
@click.option("--statistics", is_flag=True, help="Count the findings per rule instead of listing them (text or json).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal; NO_COLOR turns it off, FORCE_COLOR on).")
def review(fmt, output, force, baseline_path, write_baseline, fail_on, select, ignore, problem, level, quiet, statistics, color,
           **files) -> int:
    """Review sketches: findings by framework stage, a score, and how to fix each gap.

    PATHS are files, folders (walked for sketches, honouring .gitignore) or - for standard
    input; default: the current folder. Exit status: 0 clean, 1 findings at or above the
    fail level, 2 a file could not be reviewed or a usage error."""
    from diagramcheck.runner import RunError, review_files

    if statistics and fmt not in ("text", "json"):
        raise click.UsageError("--statistics works with --format text or json")
    if output is not None and str(output) != "-":
        from diagramcheck.output import check_target

        check_target(output, force=force)  # refused before the run, not after it
    options = _options(**files, baseline=baseline_path, write_baseline=write_baseline, fail_on=fail_on,
                       select=_split(select), ignore=_split(ignore), problem=problem, level=level)
    try:
        result = review_files(options, stdin=_stdin())
    except RunError as exc:
        error(str(exc))
        return 2
    _report_problems(result, quiet)
    if result.baseline_written is not None:
        click.echo(f"diagramcheck: wrote {plural(result.baseline_written, 'finding')} to the baseline {inert.line(str(write_baseline))}", err=True)
        return result.exit_code
    if not result.reviews and not result.errors and not result.skipped and not quiet:
        click.echo("diagramcheck: no sketches found in the given paths", err=True)
    if statistics:
        from diagramcheck.reporters import statistics as stats

        text: str | bytes = stats.render_json(result.reviews) if fmt == "json" else stats.render(result.reviews)
    else:
        text = _render(fmt, result, color, quiet)
    write_output(text, output, force=force, inputs=_inputs(r.graph for r in result.reviews))
    if result.stale and fmt != "concise" and not quiet:
        for entry in result.stale:
            click.echo(f"diagramcheck: stale baseline entry (fixed or renamed): {inert.line(entry)}", err=True)
    return result.exit_code


def _stdin():
    """Standard input's bytes, for `-` (opened only when read)."""
    return sys.stdin.buffer if sys.stdin is not None and hasattr(sys.stdin, "buffer") else None


def _inputs(graphs) -> list[str]:
    """The files read: a Mermaid block `notes.md#block2` is its Markdown file's."""
    from diagramcheck.formats import split_block_name

    return [split_block_name(g.path)[0] if g.line is not None else g.path for g in graphs if g.path != "-"]


def _split(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _check_rule_ids(catalog, ids: list[str]) -> None:
    from diagramcheck.config import unknown_rule

    known = {r.id for r in catalog.rules}
    for rule_id in ids:
        if rule_id not in known:
            raise click.UsageError(unknown_rule(rule_id, known))


def colour_wanted(flag: bool | None, stream=None) -> bool:
    """--color/--no-color, then NO_COLOR (any value turns colour off), then FORCE_COLOR
    (any value but 0 turns it on), then whether the output is a terminal."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def _render(fmt: str, result, color, quiet: bool) -> str | bytes:
    reviews, errors = result.reviews, result.errors
    if fmt == "html":
        from diagramcheck.reporters import html

        return utf8(html.render(reviews, errors, result.catalog))
    if fmt == "concise":
        from diagramcheck.reporters import concise

        return concise.render(reviews, errors, result.stale)
    if fmt == "pylint":
        from diagramcheck.reporters import pylint

        return pylint.render(reviews, errors)
    if fmt == "json":
        from diagramcheck.reporters import json_report

        return json_report.render_bytes(reviews, errors)
    if fmt == "markdown":
        from diagramcheck.reporters import markdown

        return markdown.render(reviews, errors)
    if fmt == "sarif":
        from diagramcheck.packs import catalog_for
        from diagramcheck.reporters import sarif

        return utf8(sarif.render(reviews, errors, result.catalog or catalog_for()))
    if fmt == "github":
        from diagramcheck.reporters import github

        return github.render(reviews, errors)
    from diagramcheck.reporters import text

    return text.render(reviews, colour=colour_wanted(color), errors=errors, quiet=quiet)


@cli.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="markdown writes the full rule reference (docs/rules.md).")
@click.option("--problem", type=click.Choice(PROBLEMS), help="Show the severities a review of this problem type reports.")
@click.option("--level", type=click.Choice(LEVELS), help="Show the severities at this candidate level (default: senior).")
def rules(config_path: str | None, fmt: str, problem: str | None, level: str | None) -> int:
    """List the rules by framework stage."""
    from diagramcheck.explain import rule_rows, rules_markdown, rules_text
    from diagramcheck.packs import catalog_for

    catalog = catalog_for(config_for(Path.cwd(), config_path).pattern_dirs())
    if fmt == "markdown":
        click.echo(rules_markdown(catalog), nl=False)
    elif fmt == "json":
        import orjson

        document = {"version": 1, "problem": problem, "level": level, "rules": rule_rows(catalog, problem, level)}
        write_output(orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE), None)
    else:
        click.echo(rules_text(catalog, problem, level), nl=False)
    return 0


@cli.command()
@click.argument("rule_id")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
def explain(rule_id: str, config_path: str | None) -> int:
    """Print the full explanation of a rule, with an example."""
    from diagramcheck.explain import explain_rule
    from diagramcheck.packs import catalog_for

    catalog = catalog_for(config_for(Path.cwd(), config_path).pattern_dirs())
    rule = catalog.by_id(rule_id)
    if rule is None:
        _check_rule_ids(catalog, [rule_id])
    click.echo(explain_rule(rule))
    return 0


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Where to write (default: NAME.fixed.EXT next to the input).")
@click.option("--format", "out_format", type=click.Choice(["auto", "svg", "png"]), default="auto", show_default=True,
              help="auto: the input's own format (Excalidraw, Obsidian note, DOT, draw.io or Mermaid); svg/png: render with Graphviz.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--problem", type=click.Choice(PROBLEMS), help="Problem type, instead of detecting it.")
@click.option("--select", multiple=True, help="Only fix these rule ids.")
@click.option("--ignore", multiple=True, help="Do not fix these rule ids.")
@click.option("--level", type=click.Choice(LEVELS), help="Candidate level to judge against (default: senior).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@page_option
@click.option("--dry-run", is_flag=True, help="Print the fix plan as JSON and write nothing.")
def fix(file, output, out_format, force, problem, select, ignore, level, config_path, page, dry_run) -> int:
    """Write a corrected copy: your sketch untouched, plus what is missing, dashed red."""
    from diagramcheck.correct import correct
    from diagramcheck.packs import catalog_for
    from diagramcheck.pipeline import lexicon_for
    from diagramcheck.writers.layout import GraphvizMissing

    try:
        config = config_for(file, config_path)
        catalog = catalog_for(config.pattern_dirs())
        _check_rule_ids(catalog, [*_split(select), *_split(ignore)])
        result = correct(file, lexicon_for(config), catalog, problem=problem or config.problem,
                         select=_split(select) or config.select, ignore=[*_split(ignore), *config.ignore], out_format=out_format,
                         level=level or config.level, page=page, dry_run=dry_run)
    except GraphvizMissing as exc:
        error(str(exc))
        return 2
    except (DiagramError, OSError) as exc:
        error(f"{file}: {exc}" if not isinstance(exc, OSError) else f"{file}: {exc.strerror or exc}")
        return 2
    from diagramcheck.correct import report_fix

    return report_fix(result, file, output, force, dry_run, out_format)


@cli.command()
@click.argument("problem")
@click.option("--format", "fmt", type=click.Choice(["excalidraw", "dot", "svg", "png"]), default="excalidraw", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file (default: stdout for text formats).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def reference(problem: str, fmt: str, output: Path | None, force: bool) -> int:
    """Draw the reference architecture of a problem type, laid out by stage, online and offline.

    PROBLEM is a problem type (recommendation, search-ranking, ads-ctr, fraud-detection,
    content-moderation, rag-llm, forecasting, generic) or a problem of the bank
    (`diagramcheck problems` lists them).
    """
    import json as _json

    from diagramcheck.kinds import default_lexicon
    from diagramcheck.reference import load
    from diagramcheck.writers.layout import GraphvizMissing

    graph, ref = load(problem, set(default_lexicon().kinds))
    try:
        if fmt == "excalidraw":
            from diagramcheck.writers.scene_from_graph import scene_from_graph

            scene, _ = scene_from_graph(graph, title=ref.title, notes=ref.notes)
            data: str | bytes = _json.dumps(scene, indent=2, ensure_ascii=False) + "\n"
        elif fmt == "dot":
            from diagramcheck.reporters.graphview import dot_quote, graph_dot

            notes = "".join(f"  note{i} [shape=note, label={dot_quote(n)}];\n" for i, n in enumerate(ref.notes))
            text = graph_dot(graph)
            data = text[: text.rfind("}")] + notes + "}\n"
        else:
            from diagramcheck.writers.render import render, render_dot

            data = render(render_dot(graph, set(), set(), title=ref.title, notes=ref.notes), fmt)
    except GraphvizMissing as exc:
        error(str(exc))
        return 2
    if isinstance(data, bytes) and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    write_output(data, output, force=force)
    return 0


from diagramcheck.problem_commands import problems  # noqa: E402 (the problem bank, kept in its own module)

cli.add_command(problems)

from diagramcheck.practice_commands import practice, watch  # noqa: E402 (practice sessions and the live page)

cli.add_command(practice)
cli.add_command(watch)


@cli.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--svg", "svg_path", type=click.Path(path_type=Path), help="Also write the score-over-time chart as SVG.")
@click.option("--force", is_flag=True, help="Overwrite an existing SVG file.")
@click.option("--last", type=click.IntRange(1, 1000), default=5, show_default=True,
              help="Practice attempts the stages missed most are counted over.")
def progress(path: Path, fmt: str, svg_path: Path | None, force: bool, last: int) -> int:
    """Score and stage coverage of each sketch at every commit that changed it (read from git,
    following renames), and beside it the practice journal: score per attempt, the stages
    missed most over the last attempts, and the problem to practise next."""
    from diagramcheck import journal
    from diagramcheck.output import check_target
    from diagramcheck.practice import study_root
    from diagramcheck.problem_commands import bank_of
    from diagramcheck.progress import document, history, svg_chart, table

    if svg_path is not None:
        check_target(svg_path, force=force)  # before anything is printed: a refused chart fails the run
    root = study_root(path if path.is_dir() else path.parent)
    practised = journal.read(root)
    bank = bank_of(None)
    try:
        points = history(path, journal.sketches(practised, bank))
    except DiagramError:
        if not practised.attempts:
            raise
        points = []  # a journal outside git: the journal alone
    if fmt == "json":
        import orjson

        whole = document(points) | {"journal": journal.document(practised, bank, last)}
        write_output(orjson.dumps(whole, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE), None)
    else:
        if points:
            click.echo(table(points), nl=False)
        elif not practised.attempts:
            click.echo("no sketches under version control here", err=True)
        if points or practised.attempts:
            click.echo(("\n" if points else "") + journal.table(practised, bank, last), nl=False)
    if svg_path is not None and points:
        write_output(svg_chart(points), svg_path, force=force)
        click.echo(f"chart written to {inert.line(str(svg_path))}", err=fmt == "json")
    return 0


@cli.command()
@click.argument("directory", required=False, default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
def init(directory: Path) -> int:
    """Set up a study repo: a commented .diagramcheck.toml and the pre-commit hook."""
    from diagramcheck.init import initialise

    return initialise(directory)


def main(argv: list[str] | None = None) -> int:
    gc.freeze()  # the imported modules live for the whole run: keep them out of every collection
    gc.set_threshold(50_000, 20, 100)  # a run allocates many small objects and few cycles: collect rarely
    never_failing_standard_streams()
    try:
        result = cli.main(args=argv, prog_name="diagramcheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Abort:
        return 2
    except (DiagramError, PatternError) as exc:
        error(str(exc))
        return 2
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug past the per-file guard (a report, a writer): one line, no traceback
        from diagramcheck.runner import internal_error

        error(internal_error(exc))
        return 2
    return result if isinstance(result, int) else 0


def run() -> None:
    code = main()
    # Exit without tearing the interpreter down, as mypy does: a run's modules and its
    # last graph are hundreds of thousands of objects, and freeing them one by one only
    # delays the exit (~35M instructions for one sketch). Our outputs are written and
    # closed by now; only the standard streams need flushing.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        code = code or 1
    except OSError:
        pass
    os._exit(code)
