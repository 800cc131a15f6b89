from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagramcheck.classify import assign_kinds
from diagramcheck.build import build_graph
from diagramcheck.cli import main
from diagramcheck.kinds import default_lexicon
from diagramcheck.readers import read_bytes

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_diagrams"
CORPUS = ROOT.parent / "shared" / "corpus"


def graph_of(data: bytes | dict | str, name: str = "sketch.excalidraw"):
    if isinstance(data, dict):
        data = json.dumps(data).encode()
    elif isinstance(data, str):
        data = data.encode()
    graph = build_graph(read_bytes(data, name))
    assign_kinds(graph, default_lexicon())
    return graph


def edges(graph) -> set[tuple[str, str]]:
    """Connections as (source label, target label); undirected ones both ways; zones in brackets."""
    names = {c.id: c.label for c in graph.components} | {z.id: f"[{z.label}]" for z in graph.zones}
    out = set()
    for c in graph.connections:
        out.add((names[c.source], names[c.target]))
        if not c.directed:
            out.add((names[c.target], names[c.source]))
    return out


def labels(graph) -> list[str]:
    return sorted(c.label for c in graph.components)


@pytest.fixture
def cli(capsys):
    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def npm_harness(tmp_path_factory, app: Path, files: tuple[str, ...], package: str) -> Path:
    """A copy of a test harness folder (package.json, its lock, a script) with its npm
    packages installed by `npm ci`; the test is skipped when npm cannot install them."""
    import shutil
    import subprocess

    work = tmp_path_factory.mktemp(app.name)
    for name in ("package.json", "package-lock.json", *files):
        shutil.copyfile(app / name, work / name)
    install = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=work, capture_output=True, text=True, timeout=600)
    if install.returncode != 0:
        pytest.skip(f"npm could not install the {package} package: {install.stderr.strip()[-300:]}")
    return work


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS


@pytest.fixture
def study_repo(tmp_path) -> Path:
    """An empty git repository, as a learner's study repo starts."""
    import shutil
    import subprocess

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "study"
    repo.mkdir()
    subprocess.run(["git", "-C", str(repo), "init", "-q"], check=True, capture_output=True)
    return repo
