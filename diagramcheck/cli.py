"""The command line. `main(argv) -> int` is what tests call; `run()` is the console script."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

import click

from diagramcheck import __version__
from diagramcheck.config import Config, find_config, load_config
from diagramcheck.errors import DiagramError, PatternError
from diagramcheck.output import write_output
from diagramcheck.packs import LEVELS, PROBLEMS


def error(message: str) -> None:
    click.echo(f"diagramcheck: error: {message}", err=True)


def config_for(path: Path, explicit: str | None) -> Config:
    if explicit:
        return load_config(Path(explicit))
    return load_config(find_config(path))


class RunConfigs:
    """The config of each reviewed file, looked up once per folder: a run is short, and
    the files of a study repo share a few folders (the walk up costs two stats a level)."""

    def __init__(self, explicit: str | None) -> None:
        self.explicit = explicit
        self.by_folder: dict[Path, Config] = {}

    def __call__(self, path: Path) -> Config:
        folder = path.parent
        if folder not in self.by_folder:
            self.by_folder[folder] = config_for(path, self.explicit)
        return self.by_folder[folder]


def page_option(command):
    return click.option("--page", help="draw.io: the page to read, by name or number (default: the page named like "
                                       "the file, else the first).")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="diagramcheck")
def cli() -> None:
    """Critique ML system design sketches (Excalidraw, Graphviz DOT) like a senior interviewer."""


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "dot"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@page_option
def graph(files: tuple[Path, ...], fmt: str, output: Path | None, force: bool, config_path: str | None, page: str | None) -> int:
    """Print what was understood: components with kinds and zones, connections, notes, and what was ignored."""
    from diagramcheck.pipeline import lexicon_for, load_graph
    from diagramcheck.reporters.document import graph_document
    from diagramcheck.reporters.graphview import graph_dot, graph_text

    graphs, errors = [], []
    configs = RunConfigs(config_path)
    for path in files:
        try:
            config = configs(path)
            graphs.append(load_graph(path, lexicon_for(config), page=page))
        except (DiagramError, PatternError) as exc:
            errors.append((str(path), str(exc)))
            error(f"{path}: {exc}" if isinstance(exc, DiagramError) else str(exc))
    if fmt == "json":
        import orjson

        text = orjson.dumps(graph_document(graphs, errors), option=orjson.OPT_INDENT_2).decode() + "\n"
    elif fmt == "dot":
        text = "".join(graph_dot(g) for g in graphs)
    else:
        text = "\n\n".join(graph_text(g) for g in graphs) + ("\n" if graphs else "")
    write_output(text, output, force=force, inputs=files)
    return 2 if errors else 0


FAIL_LEVELS = {"info": 0, "warning": 1, "error": 2, "never": 99}


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "concise", "json", "markdown", "sarif", "github", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path), help="Report only findings not recorded in this baseline.")
@click.option("--write-baseline", "write_baseline", type=click.Path(path_type=Path), help="Record today's findings as the baseline.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]), help="Lowest severity that makes the exit code 1 (default: error).")
@click.option("--select", multiple=True, help="Only these rule ids (repeat or comma-separate).")
@click.option("--ignore", multiple=True, help="Skip these rule ids (repeat or comma-separate).")
@click.option("--problem", type=click.Choice(PROBLEMS), help="Problem type, instead of detecting it.")
@click.option("--level", type=click.Choice(LEVELS), help="Candidate level to judge against (default: senior).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: on a terminal, unless NO_COLOR).")
@page_option
def review(files, fmt, output, force, baseline_path, write_baseline, fail_on, select, ignore, problem, level, config_path, color,
           page) -> int:
    """Review sketches: findings by framework stage, a score, and how to fix each gap."""
    from diagramcheck.engine import SEVERITY_ORDER, review as run_review
    from diagramcheck.gcpause import paused_then_frozen
    from diagramcheck.packs import catalog_for
    from diagramcheck.pipeline import lexicon_for, load_graph

    reviews, errors = [], []
    thresholds: list[int] = []
    worst = -1
    catalog = None
    configs = RunConfigs(config_path)
    prepared: dict[int, tuple] = {}  # id(config) -> (config, catalog, lexicon): once per config
    for path in files:
        with paused_then_frozen():  # see gcpause.py
            try:
                config = configs(path)
                if id(config) not in prepared:
                    catalog = catalog_for(config.pattern_dirs())
                    _check_rule_ids(catalog, [*_split(select), *_split(ignore), *config.select, *config.ignore])
                    prepared[id(config)] = (config, catalog, lexicon_for(config))
                _, catalog, lexicon = prepared[id(config)]
                graph = load_graph(path, lexicon, page=page)
            except PatternError as exc:
                error(str(exc))
                errors.append((str(path), str(exc)))
                continue
            except DiagramError as exc:
                error(f"{path}: {exc}")
                errors.append((str(path), str(exc)))
                continue
            result = run_review(
                graph,
                catalog,
                lexicon.category,
                problem=problem or config.problem,
                select=_split(select) or config.select,
                ignore=[*_split(ignore), *config.ignore],
                level=level or config.level,
            )
            reviews.append(result)
            thresholds.append(FAIL_LEVELS[fail_on or config.fail_on])
            if baseline_path is None and config.baseline and not write_baseline:
                baseline_path = Path(config.source).parent / config.baseline
    stale: list[str] = []
    if write_baseline is not None:
        from diagramcheck import baseline

        count = baseline.write(reviews, write_baseline)
        click.echo(f"diagramcheck: wrote {count} findings to the baseline {write_baseline}", err=True)
        return 2 if errors else 0
    if baseline_path is not None:
        from diagramcheck import baseline

        try:
            stale = baseline.apply(reviews, baseline_path, baseline.load(baseline_path))
        except DiagramError as exc:
            error(str(exc))
            return 2
    for result, threshold in zip(reviews, thresholds):
        if any(SEVERITY_ORDER[f.severity] >= threshold for f in result.findings):
            worst = 1
    text = _render(fmt, reviews, errors, catalog, color, stale)
    write_output(text, output, force=force, inputs=files)
    if stale and fmt not in ("concise",):
        for entry in stale:
            click.echo(f"diagramcheck: stale baseline entry (fixed or renamed): {entry}", err=True)
    if errors:
        return 2
    return 1 if worst >= 1 else 0


def _split(values) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _check_rule_ids(catalog, ids: list[str]) -> None:
    import difflib

    known = {r.id for r in catalog.rules}
    for rule_id in ids:
        if rule_id not in known:
            close = difflib.get_close_matches(rule_id, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise click.UsageError(f"unknown rule id {rule_id!r}{hint}; `diagramcheck rules` lists them")


def _render(fmt: str, reviews, errors, catalog, color, stale=None) -> str | bytes:
    if fmt == "html":
        from diagramcheck.reporters import html

        return html.render(reviews, errors)
    if fmt == "concise":
        from diagramcheck.reporters import concise

        return concise.render(reviews, errors, stale)
    if fmt == "json":
        from diagramcheck.reporters import json_report

        return json_report.render_bytes(reviews, errors)
    if fmt == "markdown":
        from diagramcheck.reporters import markdown

        return markdown.render(reviews, errors)
    if fmt == "sarif":
        from diagramcheck.packs import catalog_for
        from diagramcheck.reporters import sarif

        return sarif.render(reviews, errors, catalog or catalog_for())
    if fmt == "github":
        from diagramcheck.reporters import github

        return github.render(reviews, errors)
    from diagramcheck.reporters import text

    if color is None:
        color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return text.render(reviews, colour=color)


@cli.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown writes the full rule reference (docs/rules.md).")
def rules(config_path: str | None, fmt: str) -> int:
    """List the rules by framework stage."""
    from diagramcheck.packs import STAGES, catalog_for

    catalog = catalog_for(config_for(Path.cwd(), config_path).pattern_dirs())
    if fmt == "markdown":
        from diagramcheck.explain import rules_markdown

        click.echo(rules_markdown(catalog), nl=False)
        return 0
    lines = []
    for number, (stage, title) in enumerate(STAGES, 1):
        lines.append(f"{number:>2} {title}")
        for rule in (r for r in catalog.rules if r.stage == stage):
            scope = f" [{', '.join(rule.problems)}]" if rule.problems else ""
            lines.append(f"     {rule.id:<28} {rule.severity:<8} {rule.title}{scope}")
    click.echo("\n".join(lines))
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
              help="auto: the input's own format (Excalidraw, Obsidian note or DOT); svg/png: render with Graphviz.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--problem", type=click.Choice(PROBLEMS), help="Problem type, instead of detecting it.")
@click.option("--select", multiple=True, help="Only fix these rule ids.")
@click.option("--ignore", multiple=True, help="Do not fix these rule ids.")
@click.option("--level", type=click.Choice(LEVELS), help="Candidate level to judge against (default: senior).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file to use.")
@page_option
def fix(file, output, out_format, force, problem, select, ignore, level, config_path, page) -> int:
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
                         level=level or config.level, page=page)
    except GraphvizMissing as exc:
        error(str(exc))
        return 2
    except (DiagramError, OSError) as exc:
        error(f"{file}: {exc}" if not isinstance(exc, OSError) else f"{file}: {exc.strerror or exc}")
        return 2
    target = output or file.with_name(result.default_name)
    write_output(result.data, target, force=force, inputs=[file])
    layout_note = "" if result.used_dot_layout or out_format != "auto" else " (Graphviz not found: placed next to neighbours)"
    click.echo(
        f"wrote {target}: added {result.added_components} components and {result.added_connections} connections"
        f"{layout_note}" + (f"; {result.removals} removals are listed in the legend" if result.removals else ""),
        err=True,
    )
    return 0


@cli.command()
@click.argument("problem", type=click.Choice(PROBLEMS))
@click.option("--format", "fmt", type=click.Choice(["excalidraw", "dot", "svg", "png"]), default="excalidraw", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file (default: stdout for text formats).")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
def reference(problem: str, fmt: str, output: Path | None, force: bool) -> int:
    """Draw the reference architecture of a problem type, laid out by stage, online and offline."""
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

            data = render(render_dot(graph, set(), set(), title=ref.title), fmt)
    except GraphvizMissing as exc:
        error(str(exc))
        return 2
    if isinstance(data, bytes) and output is None:
        raise click.UsageError(f"--format {fmt} needs -o FILE")
    write_output(data, output, force=force)
    return 0


@cli.command()
@click.argument("path", required=False, default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--svg", "svg_path", type=click.Path(path_type=Path), help="Also write the score-over-time chart as SVG.")
@click.option("--force", is_flag=True, help="Overwrite an existing SVG file.")
def progress(path: Path, svg_path: Path | None, force: bool) -> int:
    """Score and stage coverage of each sketch at every commit that changed it (read from git)."""
    from diagramcheck.progress import history, svg_chart, table

    points = history(path)
    if not points:
        click.echo("no sketches under version control here", err=True)
        return 0
    click.echo(table(points), nl=False)
    if svg_path is not None:
        write_output(svg_chart(points), svg_path, force=force)
        click.echo(f"chart written to {svg_path}")
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
