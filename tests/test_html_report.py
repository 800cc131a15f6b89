"""The HTML report: self-contained, every finding on the page, the user's own drawing fitted
to its pane (the fixes dashed red), and clicking a finding highlights its components
(checked in headless Chromium when it is installed)."""

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
    assert "<svg" in html and "#e03131" in html and 'class="sketch"' in html
    targets = set(" ".join(re.findall(r"data-components='([^']*)'", html)).split())
    halos = set(re.findall(r'<rect class="halo" data-c="(f0[ca]\d+)"', html))
    assert targets and targets <= halos


def test_report_draws_the_users_own_drawing_as_drawn(cli, tmp_path):
    """Shapes where the user put them, with their texts, not a re-layout."""
    html = report(cli, tmp_path).read_text(encoding="utf-8")
    scene = json.loads(SAMPLE.read_text(encoding="utf-8"))
    shopper = next(e for e in scene["elements"] if e["type"] == "text" and e["text"] == "Shopper")
    box = next(e for e in scene["elements"] if e["id"] == shopper["containerId"])
    assert f'<rect x="{box["x"]:g}" y="{box["y"]:g}" width="{box["width"]:g}" height="{box["height"]:g}"' in html
    assert ">Shopper</tspan>" in html
    assert 'stroke="#e03131"' in html and "stroke-dasharray" in html  # the additions, dashed red


def test_labels_cannot_inject_markup(cli, tmp_path):
    scene = json.loads(SAMPLE.read_text(encoding="utf-8"))
    for e in scene["elements"]:
        if e["type"] == "text" and e["text"] == "Shopper":
            e["text"] = e["originalText"] = "<script>alert(1)</script>"
        if e["type"] in ("rectangle", "arrow"):
            e["strokeColor"] = '"/><script>alert(2)</script>'
            e["backgroundColor"] = "url(javascript:alert(3))"
    hostile = tmp_path / "hostile.excalidraw"
    hostile.write_text(json.dumps(scene), encoding="utf-8")
    out = tmp_path / "r.html"
    code, _, err = cli("review", "--format", "html", "-o", str(out), "--fail-on", "never", str(hostile))
    assert code == 0, err
    page = out.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "javascript:" not in page and "&lt;script&gt;alert(1)" in page


def test_dot_sketch_is_drawn_by_graphviz(cli, tmp_path):
    if not shutil.which("dot"):
        pytest.skip("Graphviz is not installed")
    out = tmp_path / "r.html"
    code, _, err = cli("review", "--format", "html", "-o", str(out), "--fail-on", "never", str(SAMPLES / "ads_ctr.dot"))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    targets = set(" ".join(re.findall(r"data-components='([^']*)'", html)).split())
    nodes = set(re.findall(r'<g id="(f0[ca]\d+)" class="node"', html))
    assert 'class="sketch"' in html and targets and targets <= nodes


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_clicking_a_finding_highlights_its_components_in_chromium(cli, tmp_path):
    page = report(cli, tmp_path)
    html = page.read_text(encoding="utf-8")
    anchor, targets = next((a, t) for a, t in re.findall(r"id='(file0-\d+)' data-components='([^']+)'", html))
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0"]
    dom = subprocess.run([*flags, "--window-size=1280,800", "--dump-dom", f"{page.as_uri()}#{anchor}"], capture_output=True,
                         text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for target in targets.split():
        assert re.search(rf'<rect class="halo hl" data-c="{target}"', dom.stdout), target
    assert len(re.findall(r'class="halo hl"', dom.stdout)) == len(targets.split())
    # a drawing whose text is readable fitted opens fitted: the viewBox is its whole extent
    view, fit = re.search(r'<svg[^>]*class="sketch"[^>]*viewBox="([^"]*)"[^>]*data-fit="([^"]*)"', dom.stdout).groups()
    assert view == fit
    assert f"id=\"{anchor}\"" in dom.stdout and "finding" in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    assert console == [], console
    shot = tmp_path / "shot.png"
    done = subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1400,900", page.as_uri()], capture_output=True, timeout=120)
    assert done.returncode == 0 and shot.read_bytes().startswith(b"\x89PNG")


def screenshot(page, tmp_path, name: str, width: int = 1400, height: int = 1000):
    """What `chromium --headless --screenshot` shows of the page: its rows of pixels."""
    from tests.pngread import rows

    shot = tmp_path / f"{name}.png"
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},{height}"]
    done = subprocess.run([*flags, f"--screenshot={shot}", page], capture_output=True, timeout=120)
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    return rows(shot.read_bytes())


def inked_rows(shot) -> int:
    """Rows of the screenshot's upper three quarters that hold more than one colour."""
    _, bpp, lines = shot
    return sum(1 for line in lines[: len(lines) * 3 // 4] if len({line[i:i + 3] for i in range(0, len(line), bpp)}) > 1)


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_a_link_to_a_finding_of_the_second_file_shows_it(cli, tmp_path):
    """report.html#file1-3 opens on the second file with that finding selected; it was a
    blank page in headless Chromium, whose screenshot of a page scrolled to its anchor is
    empty (the report now scrolls in its own box)."""
    out = tmp_path / "report.html"
    code, _, err = cli("review", "--format", "html", "-o", str(out), "--fail-on", "never",
                       str(SAMPLES / "ads_ctr.dot"), str(SAMPLES / "rag_chatbot.excalidraw"))
    assert code == 0, err
    for anchor in ("file0-3", "file1-3"):
        assert inked_rows(screenshot(f"{out.as_uri()}#{anchor}", tmp_path, anchor)) > 500, anchor
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--dump-dom", f"{out.as_uri()}#file1-3"], capture_output=True, text=True, timeout=120)
    assert re.search(r"class=\"finding \w+ active\" id=\"file1-3\"", dom.stdout)


def opened_view(page, tmp_path, width: int, height: int) -> tuple[list[float], list[float], float]:
    """The viewBox a drawing opens at in headless Chromium, its fit, and its text size."""
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={width},{height}"]
    dom = subprocess.run([*flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    svg = re.search(r'<svg[^>]*class="sketch"[^>]*>', dom.stdout).group(0)
    view, fit, text = (re.search(rf'\b{name}="([^"]*)"', svg).group(1) for name in ("viewBox", "data-fit", "data-text"))
    return [float(v) for v in view.split()], [float(v) for v in fit.split()], float(text)


def wide_scene(columns: int) -> dict:
    """Three swimlane-like frames, `columns` boxes wide: a drawing many times wider than a screen."""
    from diagramcheck.writers.excalidraw import SceneBuilder

    builder = SceneBuilder(seed=7)
    stages = ["Clickstream events", "Feature pipeline", "Feature store", "Model training", "Model registry",
              "Ranking model", "Re-ranking", "A/B testing", "Monitoring", "Alerting"]
    previous = None
    for i in range(columns):
        box = builder.box(f"{stages[i % len(stages)]} {i}", 40 + i * 240, 60 + (i % 3) * 140)
        if previous is not None:
            builder.arrow(previous, box)
        previous = box
    return {"type": "excalidraw", "version": 2, "elements": builder.elements, "appState": {}, "files": {}}


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
@pytest.mark.parametrize("size", [(1280, 800), (1400, 900)])
def test_a_small_drawing_opens_fitted_and_a_very_wide_one_at_a_readable_size(cli, tmp_path, size):
    small = report(cli, tmp_path)
    view, fit, _ = opened_view(small, tmp_path, *size)
    assert view == fit
    wide = tmp_path / "wide.excalidraw"
    wide.write_text(json.dumps(wide_scene(40)), encoding="utf-8")
    page = tmp_path / "wide.html"
    code, _, err = cli("review", "--format", "html", "-o", str(page), "--fail-on", "never", str(wide))
    assert code == 0, err
    view, fit, text = opened_view(page, tmp_path, *size)
    assert fit[2] > 9000  # 40 boxes across
    pane = size[0] * 3 / 5 - 20  # the drawing's pane: three fifths of the page, less margins
    assert text * pane / fit[2] < 8  # fitted, its text would be a few pixels high
    assert view[:2] == fit[:2]  # it opens at the drawing's top-left corner ...
    shown = text * pane / view[2]  # ... at a scale where its text is readable
    assert 9 <= shown <= 14, shown
    html = page.read_text(encoding="utf-8")
    assert "data-zoom='fit'" in html  # and "fit" shows it all


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium")
def test_a_huge_label_wraps_in_the_findings_pane_instead_of_widening_it(cli, tmp_path):
    """A 10,000-character label gave the findings pane a horizontal scrollbar."""
    sketch = tmp_path / "long.dot"
    sketch.write_text('digraph g { u [label="User"]; a [label="API"]; m [label="Ranking model %s"]; u -> a -> m; }'
                      % ("A" * 10_000), encoding="utf-8")
    page = tmp_path / "long.html"
    code, _, err = cli("review", "--format", "html", "-o", str(page), "--fail-on", "never", str(sketch))
    assert code == 0, err
    probe = tmp_path / "probe.html"  # the report, plus a line that writes the pane's widths where --dump-dom shows them
    probe.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", "<script>var f=document.querySelector('.findings');"
                   "document.body.setAttribute('data-widths', f.scrollWidth + ' ' + f.clientWidth);</script></body>"),
        encoding="utf-8")
    flags = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,800"]
    dom = subprocess.run([*flags, "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=120)
    scroll, client = map(int, re.search(r'data-widths="(\d+) (\d+)"', dom.stdout).groups())
    assert 0 < client and scroll <= client
