"""`diagramcheck progress`: how each sketch in a study repo scored at every commit that
changed it, read straight from git (nothing is checked out), as a table, JSON or an SVG
chart. A sketch's history follows its renames (`git log --follow`), so `git mv` keeps it
one line; commits are placed on the chart by their time, each one marked."""

from __future__ import annotations

import subprocess
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path

from diagramcheck import formats
from diagramcheck import inert
from diagramcheck.errors import DiagramError


@dataclass
class Point:
    path: str  # the sketch's name today (its history is followed through renames)
    commit: str
    date: str
    score: int | None
    stages_passed: int
    stages_applied: int
    failed_stages: list[str]
    error: str = ""
    time: int = 0  # author time, seconds since the epoch
    name_then: str = ""  # its name in that commit, when it was renamed since


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except FileNotFoundError:
        raise DiagramError("git is not installed") from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise DiagramError(f"{repo}: git {args[0]} failed: {reason[0] if reason else 'exit ' + str(done.returncode)}")
    return done.stdout


def _is_sketch(name: str) -> bool:
    """Tracked files the review reads by their name alone (a PNG or SVG is not looked into:
    every blob would have to be read). A corrected copy `fix` wrote beside a sketch is not a
    sketch of its own, as in the review's walk."""
    return formats.claimed(name) is not None and not formats.is_fixed_copy(name)


def _is_note_with_sketches(root: Path, name: str) -> bool:
    """A Markdown study note whose committed version holds a Mermaid flowchart or an
    Excalidraw drawing: its one blob is read (notes are few and small in a study repo)."""
    if not name.lower().endswith(formats.DOCUMENTS) or formats.is_fixed_copy(name):
        return False
    from diagramcheck.readers import sniff_format

    try:
        return sniff_format(name, _git_blob(root, "HEAD", name)) in ("mermaid", "obsidian")
    except (_Missing, DiagramError):
        return False


class _Missing(Exception):
    pass


def _git_blob(repo: Path, commit: str, file: str) -> bytes:
    """A file as committed, read with the size limit as it arrives (a blob is as untrusted
    as any sketch: reading one whole could take all memory)."""
    from diagramcheck.limits import LIMITS

    limit = LIMITS.max_file_bytes
    with subprocess.Popen(["git", "-C", str(repo), "cat-file", "blob", f"{commit}:{file}"],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as process:
        data = process.stdout.read(limit + 1)
        if len(data) > limit:
            process.kill()
            raise DiagramError(f"file size is over the limit of {limit:,}")
    if process.returncode != 0:
        raise _Missing(file)
    return data


def history(target: Path, practised: dict | None = None) -> list[Point]:
    """Every version of every sketch under `target`; a practice sketch (`practised`: its path
    from the repository's root -> its bank Problem and level, from the journal) is reviewed as
    its attempt was, as that problem at that level, so its scores agree with the journal's."""
    from diagramcheck.build import build_graph
    from diagramcheck.classify import assign_kinds
    from diagramcheck.engine import review
    from diagramcheck.kinds import default_lexicon
    from diagramcheck.packs import catalog_for
    from diagramcheck.readers import parts_of

    start = target if target.is_dir() else target.parent
    root = Path(_git(start, "rev-parse", "--show-toplevel").decode("utf-8", "surrogateescape").strip())
    scope = str(target.resolve().relative_to(root.resolve())) if target.resolve() != root.resolve() else "."
    listed = _git(root, "ls-files", "-z", "--", scope).decode("utf-8", "surrogateescape").split("\0")
    files = [f for f in listed if f and (_is_sketch(f) or _is_note_with_sketches(root, f))]
    lexicon, catalog = default_lexicon(), catalog_for()
    points: list[Point] = []
    for file in sorted(files):
        held_to, keywords = _as_practised(catalog, (practised or {}).get(file))
        for commit, when, date, name_then in _commits(root, file):
            try:
                parts = parts_of(_git_blob(root, commit, name_then), name_then)
            except _Missing:
                continue  # the file was deleted in this commit
            except DiagramError as exc:
                points.append(Point(file, commit[:8], date, None, 0, 0, [], str(exc), when, _renamed(name_then, file)))
                continue
            for part in parts:  # a Markdown note's Mermaid blocks are sketches of their own: notes.md#block2
                path = file + part.name[len(name_then):]  # "#block2" for a Markdown note's block, as the review names it
                if part.sketch is None:
                    if part.error:
                        points.append(Point(path, commit[:8], date, None, 0, 0, [], part.error, when, _renamed(name_then, file)))
                    continue
                graph = build_graph(part.sketch)
                assign_kinds(graph, lexicon)
                result = review(graph, held_to, lexicon.category, **keywords)
                applied = [s for s in result.stages if s.status != "n/a"]
                failed = [s.stage for s in result.stages if s.status == "fail"]
                points.append(Point(path, commit[:8], date, result.score, len(applied) - len(failed), len(applied), failed,
                                    "", when, _renamed(name_then, file)))
    return points


def _as_practised(catalog, practised: tuple | None) -> tuple:
    """The catalog and review keywords a sketch is reviewed with: a practice sketch's problem
    type, extra rules and level, as its attempt was reviewed; any other sketch's defaults."""
    if practised is None:
        return catalog, {}
    from diagramcheck.problem_bank import problem_catalog

    problem, level = practised
    return problem_catalog(catalog, problem), {"problem": problem.type, "level": level}


def _renamed(then: str, now: str) -> str:
    return then if then != now else ""


def _commits(root: Path, file: str) -> list[tuple[str, int, str, str]]:
    """(commit, author time, author date, the file's name in it), oldest first, following
    renames; commits that deleted it are left out."""
    log = _git(root, "log", "--follow", "-z", "--name-status", "--format=%x01%H %at %as", "--", file)
    out = []
    for entry in log.decode("utf-8", "surrogateescape").split("\x01")[1:]:
        header, _, changes = entry.partition("\0")
        fields = [f for f in changes.lstrip("\n").split("\0") if f]
        if not fields or fields[0].startswith("D"):
            continue
        commit, when, date = header.split(" ", 2)
        name_then = fields[-1] if fields[0][:1] in ("R", "C") else fields[1] if len(fields) > 1 else file
        out.append((commit, int(when), date, name_then))
    return list(reversed(out))


def table(points: list[Point]) -> str:
    width = max([len("diagram"), *(len(p.path) for p in points)])
    lines = [f"{'diagram':<{width}} {'date':<10} {'commit':<8} {'score':>5}  stages"]
    for p in points:
        score = f"{p.score:>5}" if p.score is not None else "  err"
        stages = f"{p.stages_passed}/{p.stages_applied}" if p.score is not None else p.error  # whole, never cut
        renamed = f"  (then {p.name_then})" if p.name_then else ""
        lines.append(f"{p.path:<{width}} {p.date:<10} {p.commit:<8} {score}  {stages}{renamed}")
    missed = most_missed(points)
    if missed:
        lines.append("")
        lines.append("stages missed most often (latest version of each diagram):")
        for stage, count in missed:
            lines.append(f"  {stage:<14} {count} diagram{'s' if count != 1 else ''}")
    return "".join(inert.line(line) + "\n" for line in lines)  # a tracked name may hold anything


def document(points: list[Point]) -> dict:
    return {
        "version": 1,
        "points": [asdict(p) for p in points],
        "most_missed": [{"stage": stage, "diagrams": count} for stage, count in most_missed(points)],
    }


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
_MIN_GAP = 6.0  # px between two commits' marks, however close their times


def x_positions(times: list[int], left: float, width: float) -> list[float]:
    """x of each commit time: proportional to time, but never closer than _MIN_GAP to its
    neighbours (commits minutes apart stay apart) and within the width: a pass to the right
    pushes crowded commits apart, a pass back to the left pulls them in from the edge.
    Too many commits for the gaps: evenly spaced, in time order."""
    order = sorted(range(len(times)), key=lambda i: times[i])
    xs = [0.0] * len(times)
    if not order:
        return xs
    if _MIN_GAP * (len(order) - 1) > width:
        for rank, i in enumerate(order):
            xs[i] = left + width * rank / (len(order) - 1)
        return xs
    first, span = times[order[0]], times[order[-1]] - times[order[0]]
    placed = [(times[i] - first) / span * width if span else 0.0 for i in order]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + _MIN_GAP)
    placed[-1] = min(placed[-1], width)
    for k in range(len(placed) - 2, -1, -1):
        placed[k] = min(placed[k], placed[k + 1] - _MIN_GAP)
    for i, x in zip(order, placed):
        xs[i] = left + x
    return xs


def _clock(when: int) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(when).strftime("%H:%M") if when else ""


def svg_chart(points: list[Point]) -> str:
    """Score over time, one line per diagram; each commit a mark at its time."""
    scored = [p for p in points if p.score is not None]
    series: dict[str, list[Point]] = {}
    for p in scored:
        series.setdefault(p.path, []).append(p)
    width, height, left, top, plot_h = 760, 360, 50, 20, 240
    plot_w = width - left - 20
    commits = {p.commit: p for p in scored}  # one position per commit, shared by the sketches it changed
    xs = x_positions([p.time for p in commits.values()], left, plot_w)
    x_by_commit = dict(zip(commits, xs))
    x_of = {id(p): x_by_commit[p.commit] for p in scored}
    y = lambda score: top + plot_h * (1 - score / 100)  # noqa: E731
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 18 * len(series)}" '
        f'font-family="sans-serif" font-size="12">',
        "<title>diagramcheck progress: score over time per diagram</title>",
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for score in (0, 25, 50, 75, 100):
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(score):.1f}" y2="{y(score):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 8}" y="{y(score) + 4:.1f}" text-anchor="end">{score}</text>')
    base = top + plot_h
    for p in commits.values():  # one tick per commit on the time axis
        out.append(f'<line class="commit" x1="{x_of[id(p)]:.1f}" x2="{x_of[id(p)]:.1f}" y1="{base}" y2="{base + 5}" stroke="#888">'
                   f"<title>{escape(p.commit)} {escape(p.date)}</title></line>")
    labelled: list[float] = []
    shown_day = ""
    for p in sorted(commits.values(), key=lambda q: x_of[id(q)]):  # dates where they do not overlap
        x = x_of[id(p)]
        if not labelled or x - labelled[-1] >= 44:
            labelled.append(x)
            # a day's first label gives the date, its later ones the time: not "12-03" five times
            text = p.date[5:] if p.date != shown_day else _clock(p.time)
            shown_day = p.date
            out.append(f'<text x="{x:.1f}" y="{base + 18}" text-anchor="middle">{escape(text)}</text>')
    stacked: dict[tuple[int, int], int] = {}  # marks of several diagrams at one place: rings around the first
    for n, (path, pts) in enumerate(sorted(series.items())):
        colour = _COLOURS[n % len(_COLOURS)]
        coords = " ".join(f"{x_of[id(p)]:.1f},{y(p.score):.1f}" for p in pts)
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{coords}"/>')
        for p in pts:
            place = (round(x_of[id(p)]), round(y(p.score)))
            k = stacked[place] = stacked.get(place, -1) + 1
            look = f'r="3" fill="{colour}"' if k == 0 else f'r="{3 + 3 * k}" fill="none" stroke="{colour}" stroke-width="2"'
            out.append(f'<circle cx="{x_of[id(p)]:.1f}" cy="{y(p.score):.1f}" {look}>'
                       f"<title>{escape(inert.path(path))} {p.date} {p.commit}: {p.score}</title></circle>")
        legend_y = top + plot_h + 40 + 18 * n
        out.append(f'<rect x="{left}" y="{legend_y - 9}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{left + 18}" y="{legend_y + 1}">{escape(inert.path(path))} (latest {pts[-1].score})</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
