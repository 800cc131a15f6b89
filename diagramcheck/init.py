"""`diagramcheck init`: a commented starter config and the pre-commit hook for a study repo.
Existing files are never overwritten: what would have been written is printed instead."""

from __future__ import annotations

from pathlib import Path

import click


CONFIG = """\
# diagramcheck configuration (https://pypi.org/project/diagramcheck/)
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
  # Runs the diagramcheck installed in your environment (pip install diagramcheck).
  # To let pre-commit install it instead, use the repository form shown in the README.
  - repo: local
    hooks:
      - id: diagramcheck
        name: diagramcheck
        entry: diagramcheck review --format concise
        language: system
        files: '\\.(excalidraw|excalidraw\\.md|excalidraw\\.svg|excalidraw\\.png|dot|gv|drawio|dio|drawio\\.png|drawio\\.svg)$'
"""


def initialise(directory: Path) -> int:
    status = 0
    for name, text in ((".diagramcheck.toml", CONFIG), (".pre-commit-config.yaml", PRECOMMIT)):
        target = directory / name
        if target.exists():
            click.echo(f"{target} exists; not overwritten. What diagramcheck would add:\n\n{text}", err=True)
            status = 1
            continue
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {target}")
    if status == 0:
        click.echo("next: `pip install pre-commit && pre-commit install`, then commit a sketch")
    return status
