"""`diagramcheck init`: a commented starter config and the pre-commit hook for a study repo.
Idempotent: existing files are never overwritten; it says which exist (and, where one
lacks the hook, what to add) and succeeds."""

from __future__ import annotations

import os
from pathlib import Path

import click

from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_file
from diagramcheck.output import write_atomic


CONFIG = """\
# diagramcheck configuration (every key is described in diagramcheck's README, under Configuration)
# Every key is optional; delete what you do not need.

# Lowest severity that fails a commit: error | warning | info | never
fail_on = "error"

# Rules to skip everywhere (see `diagramcheck rules`), e.g. while you practise one stage:
ignore = []

# Only these rules, if set:
select = []

# Force the problem type instead of detecting it from your labels and notes:
# problem = "recommendation"

# Findings recorded here are not reported again (create it with --write-baseline):
# baseline = "diagramcheck-baseline.json"

# Your own words for component kinds:
# [synonyms]
# feature_store = ["Featurebox"]

# Extra pattern packs (directories of .toml rule files):
# patterns = ["my-patterns"]
"""

PRECOMMIT = """\
repos:
  # Runs the diagramcheck installed in your environment (`pip install .` in a diagramcheck checkout).
  # To let pre-commit install it instead, use the repository form shown in the README.
  - repo: local
    hooks:
      - id: diagramcheck
        name: diagramcheck
        entry: diagramcheck review --format concise --force-exclude
        language: system
        files: '\\.(excalidraw|excalidraw\\.md|excalidraw\\.svg|excalidraw\\.png|dot|gv|drawio|dio|drawio\\.png|drawio\\.svg|mmd|mermaid)$'
        exclude: '\\.fixed\\.(excalidraw|excalidraw\\.md|excalidraw\\.svg|excalidraw\\.png|dot|gv|drawio|dio|drawio\\.png|drawio\\.svg|mmd|mermaid)$'
"""


def initialise(directory: Path) -> int:
    written, missing_hook = [], False
    for name, text in ((".diagramcheck.toml", CONFIG), (".pre-commit-config.yaml", PRECOMMIT)):
        target = directory / name
        if os.path.lexists(target):  # a dangling symlink too: nothing is written through one
            click.echo(f"{target} exists; left as it is", err=True)
            if name == ".pre-commit-config.yaml" and not _has_hook(target):
                missing_hook = True
                click.echo(f"  it has no diagramcheck hook; to add one, put this under `repos:`:\n\n{_hook_entry()}", err=True)
            continue
        write_atomic(target, text.encode("utf-8"))
        written.append(target)
        click.echo(f"wrote {target}")
    if written:
        click.echo("next: `pip install pre-commit && pre-commit install`, then commit a sketch")
    elif not missing_hook:
        click.echo("nothing to do: this repo is already set up", err=True)
    return 0


def _has_hook(config: Path) -> bool:
    try:
        return b"diagramcheck" in read_file(config)  # never waits on a FIFO, never reads /dev/zero
    except DiagramError:
        return False


def _hook_entry() -> str:
    return PRECOMMIT.split("repos:\n", 1)[1]
