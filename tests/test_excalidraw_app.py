"""The real app opens our output: corrected and reference scenes are loaded with the npm
package @excalidraw/excalidraw (0.18.1, its `restore` and `exportToSvg`) in headless Chromium.
Every element survives restore, every added arrow stays bound at both ends (and is listed
in its shapes' boundElements), and the exported SVG shows every label."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from diagramcheck.correct import correct
from diagramcheck.kinds import default_lexicon
from diagramcheck.packs import PROBLEMS, catalog_for
from tests.conftest import CORPUS, ROOT, SAMPLES, npm_harness

APP = ROOT / "tests" / "excalidraw_app"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or shutil.which("npm") is None, reason="needs Debian's chromium and npm"
)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    work = npm_harness(tmp_path_factory, APP, ("check.jsx",), "Excalidraw")
    build = subprocess.run(
        [str(work / "node_modules" / ".bin" / "esbuild"), "check.jsx", "--bundle", "--format=iife", "--platform=browser",
         "--outfile=bundle.js", "--loader:.woff2=empty", "--loader:.css=empty", '--define:process.env.NODE_ENV="production"',
         "--log-level=error"],
        cwd=work, capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr
    return work / "bundle.js"


def open_in_app(bundle: Path, scene: dict, arrows: list[str], tmp_path: Path, original: dict | None = None) -> dict:
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
        f"<script>window.SCENE={json.dumps(scene)};window.CHECK_ARROWS={json.dumps(arrows)};"
        f"window.ORIGINAL={json.dumps(original or {})};</script>"
        f"<script src='{bundle.as_uri()}'></script></body></html>",
        encoding="utf-8",
    )
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic", f"--user-data-dir={tmp_path / 'profile'}",
         "--allow-file-access-from-files", "--virtual-time-budget=15000", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    match = re.search(r'<pre id="result">(.*?)</pre>', done.stdout, re.S)
    assert match, done.stderr[-2000:]
    return json.loads(html.unescape(match.group(1)))


def check(result: dict, labels: list[str]) -> None:
    assert result["ok"], result.get("error")
    assert result["missing"] == [] and result["restoredCount"] == result["inputCount"]
    assert result["unbound"] == []
    assert result.get("moved", []) == []
    shown = " ".join(result["svgText"].split())
    for label in labels:
        assert " ".join(label.split()) in shown, label


def corrected_files() -> list[Path]:
    samples = sorted(p for p in SAMPLES.iterdir() if ".excalidraw" in p.name)
    corpus = CORPUS / "excalidraw"
    picked = [corpus / name for name in CORPUS_PICKS if (corpus / name).exists()]
    return samples + picked


CORPUS_PICKS = ["DJCordhose__mlops-drift__docs__architecture.excalidraw",
                "Azure-Samples__azure-openai-rag-workshop__docs__assets__azure-architecture.excalidraw",
                "Enfant-de-lumiere__mlops__architecture.excalidraw.png"]


@pytest.mark.parametrize("path", corrected_files(), ids=lambda p: p.name[:60])
def test_corrected_sketches_open_in_excalidraw(bundle, path, tmp_path):
    """Every element survives restore, the user's stay where they were drawn (zones may only
    grow), and every added arrow is bound at both ends."""
    result = correct(path, default_lexicon(), catalog_for())
    from diagramcheck.readers import embedded

    data = path.read_bytes()
    before = (embedded.scene_from_obsidian(data.decode())[0] if path.name.endswith(".md")
              else embedded.scene_from_png(data) if path.name.endswith(".png") else json.loads(data))
    scene = embedded.scene_from_obsidian(result.data.decode())[0] if path.name.endswith(".md") else json.loads(result.data)
    zones = {s for z in result.graph.zones for s in z.sources}
    original = {e["id"]: [e["x"], e["y"], e["width"], e["height"]] for e in before["elements"]
                if not e.get("isDeleted") and e["id"] not in zones and e.get("type") not in ("arrow", "line", "freedraw")
                and all(isinstance(e.get(k), (int, float)) for k in ("x", "y", "width", "height"))
                and e["width"] >= 0 and e["height"] >= 0}
    added = [e for e in scene["elements"] if e.get("strokeColor") == "#e03131"]
    arrows = [e["id"] for e in added if e["type"] == "arrow"]  # every added arrow must be bound at both ends
    labels = [e["originalText"] for e in added if e["type"] == "text" and e.get("containerId")]
    check(open_in_app(bundle, scene, arrows, tmp_path, original), labels)


@pytest.mark.parametrize("problem", PROBLEMS)
def test_reference_architectures_open_in_excalidraw(bundle, problem, tmp_path, cli):
    out = tmp_path / "ref.excalidraw"
    assert cli("reference", problem, "-o", str(out))[0] == 0
    scene = json.loads(out.read_text())
    arrows = [e["id"] for e in scene["elements"] if e["type"] == "arrow"]
    labels = [e["originalText"] for e in scene["elements"] if e["type"] == "text"]
    check(open_in_app(bundle, scene, arrows, tmp_path), labels)


@pytest.mark.parametrize("problem_id", ["query-autocomplete", "rag-support-bot"])
def test_practice_starters_open_in_excalidraw(bundle, problem_id, tmp_path):
    """The starter of `practice`: the prompt note and the two frames survive the app's restore
    and its export shows the prompt."""
    from diagramcheck.practice import prompt_note, starter
    from diagramcheck.problem_bank import bank_for

    problem = bank_for().get(problem_id)
    scene = json.loads(starter(problem, "excalidraw"))
    assert sorted(e["type"] for e in scene["elements"]) == ["frame", "frame", "text"]
    check(open_in_app(bundle, scene, [], tmp_path), [prompt_note(problem).split("\n\n")[1].split("\n")[0]])
