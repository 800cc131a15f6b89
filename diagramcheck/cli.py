"""The command line. `main(argv) -> int` is what tests call; `run()` is the console script."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from diagramcheck import __version__
from diagramcheck.config import Config, find_config, load_config
from diagramcheck.errors import DiagramError, PatternError
from diagramcheck.output import write_output


def error(message: str) -> None:
    click.echo(f"diagramcheck: error: {message}", err=True)


def config_for(path: Path, explicit: str | None) -> Config:
    if explicit:
        return load_config(Path(explicit))
    return load_config(find_config(path))


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
def graph(files: tuple[Path, ...], fmt: str, output: Path | None, force: bool, config_path: str | None) -> int:
    """Print what was understood: components with kinds and zones, connections, notes, and what was ignored."""
    from diagramcheck.pipeline import lexicon_for, load_graph
    from diagramcheck.reporters.document import graph_document
    from diagramcheck.reporters.graphview import graph_dot, graph_text

    graphs, errors = [], []
    for path in files:
        try:
            config = config_for(path, config_path)
            graphs.append(load_graph(path, lexicon_for(config)))
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


def main(argv: list[str] | None = None) -> int:
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
    sys.exit(main())
