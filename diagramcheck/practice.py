"""Practice sessions: a problem of the bank, a starter sketch to draw on, a clock, and an
attempt recorded in the journal at the end (journal.py).

A study repo keeps its practice state in `.diagramcheck/` at its root (the git work tree's
top, else the nearest folder above that has one, else the folder practice started in):
`sessions.json`, the sessions open now (sketch, problem, level, minutes, start time), and
`journal.jsonl`, one line per attempt. `watch` finds out from the sessions that the file it
watches is a practice sketch: its clock, its problem's questions, its review held to the
problem's type and extra rules.

A starter sketch holds the prompt as a note and empty Online and Offline zones, nothing
else, in the format the user draws in: an Excalidraw scene (frames), a Mermaid flowchart
(subgraphs, the prompt in a braces note), Graphviz DOT (clusters, a note-shaped node) or a
draw.io page (empty swimlanes, the prompt a text cell).
"""

from __future__ import annotations

import json
import textwrap
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_if_present

STATE_DIR = ".diagramcheck"
SESSIONS = "sessions.json"
SUFFIXES = {"excalidraw": ".excalidraw", "mermaid": ".mmd", "dot": ".dot", "drawio": ".drawio"}
ZONES = ("Online", "Offline")


@dataclass
class Session:
    sketch: str  # relative to the study root, with forward slashes
    problem: str
    level: str
    minutes: int
    started: float  # seconds since the epoch
    format: str


def study_root(start: Path) -> Path:
    """Where `.diagramcheck/` lives for a folder: the git work tree's top, else the nearest
    folder at or above it that has one, else the folder itself."""
    import subprocess

    folder = start.resolve()
    try:
        done = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True, check=False)
    except OSError:
        done = None
    if done is not None and done.returncode == 0 and done.stdout.strip():
        return Path(done.stdout.decode("utf-8", "surrogateescape").strip())
    for candidate in (folder, *folder.parents):
        if (candidate / STATE_DIR).is_dir():
            return candidate
    return folder


def state_dir(root: Path) -> Path:
    return root / STATE_DIR


def ensure_state_dir(root: Path) -> Path:
    """`.diagramcheck/`, made on first use with a .gitignore that keeps the open sessions out
    of commits (the journal is meant to be committed: it is the study's history)."""
    folder = state_dir(root)
    if not folder.is_dir():
        try:
            folder.mkdir()
            (folder / ".gitignore").write_text(f"# open practice sessions: this machine's, not the study's\n{SESSIONS}\n",
                                               encoding="utf-8")
        except OSError as exc:
            raise DiagramError(f"{folder}: cannot create ({exc.strerror or exc})") from None
    return folder


def sketch_key(root: Path, sketch: Path) -> str:
    """A sketch's name in the sessions and the journal: relative to the root where it can be."""
    resolved = sketch.resolve()
    try:
        return resolved.relative_to(root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def open_sessions(root: Path) -> dict[str, Session]:
    path = state_dir(root) / SESSIONS
    try:
        raw = read_if_present(path)
        if raw is None:
            return {}
        data = json.loads(raw.decode("utf-8"))
    except (DiagramError, ValueError) as exc:
        raise DiagramError(f"{path}: cannot read the open practice sessions ({exc}); delete the file to start afresh") from None
    names = {f.name for f in fields(Session)}
    sessions = {}
    for entry in data.get("sessions", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and names <= set(entry):
            try:
                session = Session(**{k: entry[k] for k in names})
            except TypeError:
                continue
            sessions[session.sketch] = session
    return sessions


def _save_sessions(root: Path, sessions: dict[str, Session]) -> None:
    from diagramcheck.output import write_atomic

    folder = ensure_state_dir(root)
    document = {"version": 1, "sessions": [asdict(s) for s in sessions.values()]}
    write_atomic(folder / SESSIONS, (json.dumps(document, indent=2) + "\n").encode(), force=True)


def begin(root: Path, session: Session) -> None:
    sessions = open_sessions(root)
    sessions[session.sketch] = session
    _save_sessions(root, sessions)


def close(root: Path, sketch: str) -> None:
    sessions = open_sessions(root)
    if sessions.pop(sketch, None) is not None:
        _save_sessions(root, sessions)


def session_of(sketch: Path) -> tuple[Path, Session] | None:
    """The open session a sketch belongs to, with its study root; None for any other file."""
    root = study_root(sketch.parent)
    found = open_sessions(root).get(sketch_key(root, sketch))
    return (root, found) if found is not None else None


def latest_session(root: Path) -> Session | None:
    sessions = open_sessions(root)
    return max(sessions.values(), key=lambda s: s.started) if sessions else None


# --- starter sketches ------------------------------------------------------------------


def default_name(problem_id: str, fmt: str, when: float | None = None) -> str:
    return f"{problem_id}-{time.strftime('%Y-%m-%d', time.localtime(when))}{SUFFIXES[fmt]}"


def prompt_text(problem) -> str:
    """The prompt as the interviewer says it, its paragraphs wrapped at 72 characters."""
    paragraphs = [" ".join(p.split()) for p in problem.prompt.strip().split("\n\n")]
    return "\n\n".join("\n".join(textwrap.wrap(p, 72, break_on_hyphens=False, break_long_words=False)) for p in paragraphs if p)


def prompt_note(problem) -> str:
    """The note a starter holds: the title, then the prompt."""
    return " ".join(problem.title.split()) + "\n\n" + prompt_text(problem)


def starter(problem, fmt: str) -> bytes:
    if fmt == "excalidraw":
        return _excalidraw(problem)
    if fmt == "mermaid":
        return _mermaid(problem)
    if fmt == "dot":
        return _dot(problem)
    if fmt == "drawio":
        return _drawio(problem)
    raise ValueError(fmt)


def _excalidraw(problem) -> bytes:
    from diagramcheck.writers.excalidraw import SceneBuilder, text_size

    s = SceneBuilder(seed=1)
    note = prompt_note(problem)
    _, height = text_size(note, 16)
    s.text(note, 0, 0, font_size=16)
    top = height + 70  # a frame's name is drawn above it
    for n, zone in enumerate(ZONES):
        s.frame(zone, n * 760, top, 700, 560)
    return (json.dumps(s.scene(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _mermaid(problem) -> bytes:
    from diagramcheck.writers.mermaid_fix import _quoted

    title = " ".join(problem.title.split()).replace('"', "'").replace("\\", "/")
    lines = [
        "---", f'title: "{title}"', "---",
        "%% diagramcheck practice: draw inside the two subgraphs; notes are nodes with shape: braces",
        "flowchart LR",
        f"    prompt@{{ shape: braces, label: {_quoted(prompt_text(problem))} }}",
    ]
    for zone in ZONES:
        lines += [f"    subgraph {zone.lower()} [{zone}]", "    end"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _dot(problem) -> bytes:
    from diagramcheck.reporters.graphview import dot_quote

    lines = [
        "// diagramcheck practice: add nodes inside the two clusters; notes are nodes with shape=note",
        "digraph practice {",
        "  rankdir=LR;",
        "  node [shape=box];",
        f"  prompt [shape=note, label={dot_quote(prompt_note(problem))}];",
    ]
    for zone in ZONES:
        lines += [f"  subgraph cluster_{zone.lower()} {{", f"    label={dot_quote(zone)};", "  }"]
    return ("\n".join(lines) + "\n}\n").encode("utf-8")


def _drawio(problem) -> bytes:
    """One page: the prompt a text cell, the zones empty swimlanes (draw.io makes a shape
    dropped on one its child). Labels are plain text (html=0), escaped by the XML writer."""
    from xml.etree.ElementTree import Element, SubElement, indent, tostring

    note = prompt_note(problem)
    height = 20 * (note.count("\n") + 2)
    document = Element("mxfile", host="diagramcheck")
    page = SubElement(document, "diagram", id="practice", name="Practice")
    model = SubElement(page, "mxGraphModel", grid="1", gridSize="10", guides="1", page="0")
    root = SubElement(model, "root")
    SubElement(root, "mxCell", id="0")
    SubElement(root, "mxCell", id="1", parent="0")

    def cell(cell_id: str, value: str, style: str, x: int, y: int, width: int, height: int) -> None:
        vertex = SubElement(root, "mxCell", id=cell_id, value=value, style=style, vertex="1", parent="1")
        SubElement(vertex, "mxGeometry", {"x": str(x), "y": str(y), "width": str(width), "height": str(height),
                                          "as": "geometry"})

    cell("prompt", note, "text;html=0;whiteSpace=wrap;align=left;verticalAlign=top;fontSize=14;", 0, 0, 700, height)
    for n, zone in enumerate(ZONES):
        cell(zone.lower(), zone, "swimlane;html=0;startSize=30;container=1;", n * 760, height + 40, 700, 560)
    indent(document)
    return tostring(document, encoding="utf-8", xml_declaration=False) + b"\n"


def own_notes(notes: list[str], problem) -> list[str]:
    """The notes with the starter's own words taken out (the prompt answers no question)."""
    given = [" ".join(problem.title.split()), *(" ".join(p.split()) for p in problem.prompt.split("\n\n"))]
    out = []
    for note in notes:
        text = " ".join(note.split())
        for words in sorted(given, key=len, reverse=True):  # a title may be part of the prompt
            if words:
                text = text.replace(words, " ")
        if text.strip():
            out.append(text)
    return out


def questions_answered(problem, notes: list[str], level: str) -> list[tuple[object, bool]]:
    """The problem's clarifying questions up to a level, each with whether the notes answer it."""
    from diagramcheck.packs import LEVELS
    from diagramcheck.problem_bank import answered

    mine = own_notes(notes, problem)
    rank = LEVELS.index(level)
    return [(q, answered(q, mine)) for q in problem.questions if LEVELS.index(q.level) <= rank]



# --- an attempt ------------------------------------------------------------------------


def review_options(sketch: Path, session: Session | None):
    """How a sketch is reviewed: a practice sketch as its problem, at its level."""
    from diagramcheck.runner import ReviewOptions

    if session is None:
        return ReviewOptions(paths=[str(sketch)], fail_on="never")
    return ReviewOptions(paths=[str(sketch)], fail_on="never", level=session.level, bank_problem=session.problem)


def record(root: Path, session: Session, reflection: str, review=None, now: float | None = None):
    """Reviews the sketch (unless given its review), appends the attempt to the journal and
    closes the session; DiagramError when the sketch cannot be read (the session stays open)."""
    from diagramcheck.journal import Attempt, append

    sketch = _sketch_path(root, session)
    if review is None:
        review = review_now(sketch, session)
    now = time.time() if now is None else now
    commit, changed = _commit_of(root, sketch)
    attempt = Attempt(
        problem=session.problem,
        level=session.level,
        started=_iso(session.started),
        finished=_iso(now),
        minutes_planned=session.minutes,
        minutes_used=max(0, round((now - session.started) / 60)),
        score=review.score,
        stages={s.stage: s.status for s in review.stages},
        failed=[s.stage for s in review.stages if s.status == "fail"],
        sketch=session.sketch,
        commit=commit,
        changed_since_commit=changed,
        reflection=reflection.strip(),
        findings=len(review.findings),
    )
    append(root, attempt)
    close(root, session.sketch)
    return attempt


def review_now(sketch: Path, session: Session | None):
    """The sketch's review now, or DiagramError saying why there is none."""
    from diagramcheck.runner import RunError, review_files

    try:
        result = review_files(review_options(sketch, session))
    except RunError as exc:
        raise DiagramError(str(exc)) from None
    if result.errors:
        path, reason = result.errors[0]
        raise DiagramError(f"{path}: {reason}")
    if not result.reviews:
        raise DiagramError(f"{sketch}: no sketch to review" + (f" ({result.skipped[0][1]})" if result.skipped else ""))
    return result.reviews[0]


def _sketch_path(root: Path, session: Session) -> Path:
    path = Path(session.sketch)
    return path if path.is_absolute() else root / path


def _commit_of(root: Path, sketch: Path) -> tuple[str | None, bool]:
    """The last commit that changed the sketch, and whether the file differs from it now."""
    from diagramcheck.progress import _git

    name = sketch_key(root, sketch)
    try:
        commit = _git(root, "log", "-1", "--format=%H", "--", name).decode().strip() or None
        status = _git(root, "status", "--porcelain", "--", name).decode().strip() if commit else ""
    except DiagramError:
        return None, False
    return commit, bool(status)


def _iso(when: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(when))
