"""The review loop freezes what each file leaves instead of letting the cyclic collector
walk it (gcpause.py). That is only sound while reading, building, reviewing and reporting
make no reference cycles: a cycle made before the freeze would never be freed."""

from __future__ import annotations

import gc

import pytest

from diagramcheck.cli import main
from diagramcheck.model import ComponentGraph, Component, Zone
from tests.conftest import SAMPLES


def cyclic_garbage_of(run) -> int:
    run()  # first use compiles patterns, loads or builds the caches (pydantic validates on a miss)
    gc.unfreeze()
    gc.collect()
    run()
    gc.unfreeze()  # the freeze would hide exactly the garbage looked for
    return gc.collect()


@pytest.mark.parametrize("fmt", ["json", "text", "sarif", "markdown", "github", "html"])
def test_reviews_make_no_reference_cycles(tmp_path, fmt, capsys):
    bad = tmp_path / "truncated.excalidraw"
    bad.write_text('{"type": "excalidraw", "elements": [{"type": "rect', encoding="utf-8")
    broken_dot = tmp_path / "broken.dot"
    broken_dot.write_text("digraph { a -> ", encoding="utf-8")
    files = [str(p) for p in sorted(SAMPLES.iterdir()) if p.name != "README.md"]
    files += [str(bad), str(broken_dot), str(tmp_path / "missing.excalidraw")]
    out = tmp_path / "report"

    def run():
        main(["review", "--format", fmt, "--fail-on", "never", "-o", str(out), "--force", *files])

    assert cyclic_garbage_of(run) == 0
    capsys.readouterr()


def test_the_check_sees_a_cycle_when_there_is_one():
    def run():
        graph = ComponentGraph(path="x", format="excalidraw", components=[Component(id="a", label="A")],
                               zones=[Zone(id="z", label="Z")])
        graph.zones[0].sources.append(graph)  # graph -> zone -> graph

    assert cyclic_garbage_of(run) > 0
