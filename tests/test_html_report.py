"""The HTML report: self-contained, every finding on the page, and clicking a finding
highlights its components (checked in headless Chromium when it is installed)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "search_ranking.excalidraw"


def report(cli, tmp_path):
    out = tmp_path / "report.html"
    code, _, err = cli("review", "--format", "html", "-o", str(out), "--fail-on", "never", str(SAMPLE))
    assert code == 0, err
    return out


def test_report_is_self_contained_and_lists_every_finding(cli, tmp_path):
    html = report(cli, tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", html, re.I)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "@import" not in html
    _, out, _ = cli("review", "--format", "json", str(SAMPLE))
    findings = json.loads(out)["files"][0]["findings"]
    for finding in findings:
        assert f"· {finding['rule']}</span>" in html
    if shutil.which("dot"):
        assert "<svg" in html and "#e03131" in html
        targets = set(" ".join(re.findall(r"data-components='([^']*)'", html)).split())
        svg_ids = set(re.findall(r'<g id="(f0c\d+)" class="node"', html))
        assert targets and targets <= svg_ids


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None or shutil.which("dot") is None, reason="needs Chromium and Graphviz")
def test_clicking_a_finding_highlights_its_components_in_chromium(cli, tmp_path):
    page = report(cli, tmp_path)
    html = page.read_text(encoding="utf-8")
    anchor, targets = next((a, t) for a, t in re.findall(r"id='(file0-\d+)' data-components='([^']+)'", html))
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*flags, "--dump-dom", f"{page.as_uri()}#{anchor}"], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for target in targets.split():
        assert re.search(rf'<g id="{target}" class="node hl"', dom.stdout), target
    assert f"id=\"{anchor}\"" in dom.stdout and "finding" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    shot = tmp_path / "shot.png"
    done = subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1400,900", page.as_uri()], capture_output=True, timeout=120)
    assert done.returncode == 0 and shot.read_bytes().startswith(b"\x89PNG")
