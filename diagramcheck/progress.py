"""`diagramcheck progress`: how each sketch in a study repo scored at every commit that
changed it, read straight from git (nothing is checked out), as a table and an SVG chart."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from html import escape
from pathlib import Path

from diagramcheck.errors import DiagramError

SUFFIXES = (".excalidraw", ".excalidraw.md", ".excalidraw.svg", ".excalidraw.png", ".dot", ".gv", ".drawio", ".dio",
            ".drawio.png", ".drawio.svg")


@dataclass
class Point:
    path: str
    commit: str
    date: str
    score: int | None
    stages_passed: int
    stages_applied: int
    failed_stages: list[str]
    error: str = ""


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiagramError("git is not installed") from None
    if done.returncode != 0:
        raise DiagramError(f"{repo}: git {args[0]} failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return done.stdout


def history(target: Path) -> list[Point]:
    from diagramcheck.build import build_graph
    from diagramcheck.classify import assign_kinds
    from diagramcheck.engine import review
    from diagramcheck.kinds import default_lexicon
    from diagramcheck.packs import catalog_for
    from diagramcheck.readers import read_bytes

    start = target if target.is_dir() else target.parent
    root = Path(_git(start, "rev-parse", "--show-toplevel").decode().strip())
    scope = str(target.resolve().relative_to(root.resolve())) if target.resolve() != root.resolve() else "."
    files = [f for f in _git(root, "ls-files", "-z", "--", scope).decode().split("\0") if f.endswith(SUFFIXES)]
    lexicon, catalog = default_lexicon(), catalog_for()
    points: list[Point] = []
    for file in sorted(files):
        log = _git(root, "log", "--format=%H %as", "--", file).decode().split("\n")
        for line in reversed([entry for entry in log if entry.strip()]):
            commit, date = line.split(" ", 1)
            try:
                data = _git(root, "show", f"{commit}:{file}")
            except DiagramError:
                continue  # the file was deleted in this commit
            try:
                graph = build_graph(read_bytes(data, file))
                assign_kinds(graph, lexicon)
                result = review(graph, catalog, lexicon.category)
            except DiagramError as exc:
                points.append(Point(file, commit[:8], date, None, 0, 0, [], str(exc)))
                continue
            applied = [s for s in result.stages if s.status != "n/a"]
            failed = [s.stage for s in result.stages if s.status == "fail"]
            points.append(Point(file, commit[:8], date, result.score, len(applied) - len(failed), len(applied), failed))
    return points


def table(points: list[Point]) -> str:
    lines = [f"{'diagram':<40} {'date':<10} {'commit':<8} {'score':>5}  stages"]
    for p in points:
        score = f"{p.score:>5}" if p.score is not None else "  err"
        stages = f"{p.stages_passed}/{p.stages_applied}" if p.score is not None else p.error[:40]
        lines.append(f"{p.path[-40:]:<40} {p.date:<10} {p.commit:<8} {score}  {stages}")
    missed = most_missed(points)
    if missed:
        lines.append("")
        lines.append("stages missed most often (latest version of each diagram):")
        for stage, count in missed:
            lines.append(f"  {stage:<14} {count} diagram{'s' if count != 1 else ''}")
    return "\n".join(lines) + "\n"


def most_missed(points: list[Point]) -> list[tuple[str, int]]:
    latest: dict[str, Point] = {}
    for p in points:
        if p.score is not None:
            latest[p.path] = p
    counts: dict[str, int] = {}
    for p in latest.values():
        for stage in p.failed_stages:
            counts[stage] = counts.get(stage, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]


def svg_chart(points: list[Point]) -> str:
    """Score over time, one line per diagram; dates on the x axis in commit order."""
    series: dict[str, list[Point]] = {}
    for p in points:
        if p.score is not None:
            series.setdefault(p.path, []).append(p)
    dates = sorted({p.date for p in points if p.score is not None})
    width, height, left, top, plot_h = 760, 360, 50, 20, 240
    plot_w = width - left - 20
    x_of = {d: left + (plot_w * i / max(len(dates) - 1, 1)) for i, d in enumerate(dates)}
    y = lambda score: top + plot_h * (1 - score / 100)  # noqa: E731
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 18 * len(series)}" '
        f'font-family="sans-serif" font-size="12">',
        '<title>diagramcheck progress: score over time per diagram</title>',
        f'<rect width="100%" height="100%" fill="white"/>',
    ]
    for score in (0, 25, 50, 75, 100):
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(score):.1f}" y2="{y(score):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y(score) + 4:.1f}" text-anchor="end">{score}</text>')
    for i, d in enumerate(dates):
        if len(dates) <= 12 or i % max(len(dates) // 12, 1) == 0:
            out.append(f'<text x="{x_of[d]:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(d[5:])}</text>')
    for n, (path, pts) in enumerate(sorted(series.items())):
        colour = _COLOURS[n % len(_COLOURS)]
        coords = " ".join(f"{x_of[p.date]:.1f},{y(p.score):.1f}" for p in pts)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        for p in pts:
            out.append(f'<circle cx="{x_of[p.date]:.1f}" cy="{y(p.score):.1f}" r="3" fill="{colour}">'
                       f'<title>{escape(path)} {p.date} {p.commit}: {p.score}</title></circle>')
        legend_y = top + plot_h + 40 + 18 * n
        out.append(f'<rect x="{left}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{left + 18}" y="{legend_y + 1}">{escape(path)} (latest {pts[-1].score})</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
