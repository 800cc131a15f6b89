"""Hostile inputs (issue 21): every class of attack, each case run in a fresh child process
that measures its own time and peak memory (getrusage), against the budget: any input of
up to 2 MB is read, reviewed and fixed in under 2 s and under 300 MB.

Run: python benchmarks/attacks.py [--quick] [--only CLASS] [--jobs N] [--sizes 262144,1048576]
Prints one line per case, then per class: cases, failures, worst time, worst memory; and
for the regex-hostile strings, how time grows with size (doubling the input should at
most about double the time). Exit code 1 when a case failed a check or the budget.

Each case is a list of command lines (review, fix, graph...) run in one child, with a
good sketch in the same run wherever that makes sense (it must still be reviewed), and a
check of what came out (no traceback, nothing injected, nothing written where it should
not be). tests/test_attacks.py runs a fast subset of these cases.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape as xml_escape

ROOT = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 2.0
BUDGET_MB = 300.0
BUDGET_INPUT = 2 * 1024 * 1024
# The time budget is judged by the child's CPU time (user + system): on an idle machine that is
# its wall time, and on a shared one wall time also counts everyone else's work. --wall judges
# by wall time instead.
JUDGE_WALL = False


# --- what a case is ------------------------------------------------------------------


@dataclass
class Outcome:
    argv: list[str]
    code: int | None
    out: bytes
    err: bytes
    crash: str  # a traceback that escaped main(), or ""
    seconds: float
    cpu: float = 0.0  # the child's CPU seconds (user + system) for the command


@dataclass
class Plan:
    commands: list[list[str]]
    check: Callable[[list[Outcome], Path], str | None] | None = None  # a failure, or None
    good: str | None = None  # a good sketch in the same run: it must be reviewed
    input_bytes: int = 0  # size of the hostile input (the budget applies up to 2 MB)


@dataclass
class Case:
    cls: str
    name: str
    build: Callable[[Path], Plan]
    series: str = ""  # cases of one series differ only in size
    size: int = 0


@dataclass
class Result:
    case: Case
    seconds: float = 0.0  # wall time
    cpu: float = 0.0  # CPU time: what the budget is judged by (wall time on a shared machine counts the others' work)
    peak_mb: float = 0.0
    input_bytes: int = 0
    failure: str = ""
    over_budget: bool = False  # the failure is only the budget (speed: for the benchmark, not the tests)
    outcomes: list[Outcome] = field(default_factory=list)


# --- sketches ------------------------------------------------------------------------


def _element(kind: str, element_id: str, x: float, y: float, w: float, h: float, **extra) -> dict:
    return {"id": element_id, "type": kind, "x": x, "y": y, "width": w, "height": h, "angle": 0,
            "strokeColor": "#1e1e1e", "backgroundColor": "transparent", "strokeStyle": "solid",
            "groupIds": [], "frameId": None, "isDeleted": False, "boundElements": None, **extra}


def box(element_id: str, x: float, y: float, label: str, w: float = 180, h: float = 80, **extra) -> list[dict]:
    rect = _element("rectangle", element_id, x, y, w, h, **extra)
    text = _element("text", element_id + "-t", x + 10, y + 25, w - 20, 30, text=label, fontSize=20,
                    containerId=element_id)
    rect["boundElements"] = [{"type": "text", "id": text["id"]}]
    return [rect, text]


def arrow(element_id: str, a: dict, b: dict, **extra) -> dict:
    x0, y0 = a["x"] + a["width"], a["y"] + a["height"] / 2
    x1, y1 = b["x"], b["y"] + b["height"] / 2
    return _element("arrow", element_id, x0, y0, x1 - x0, y1 - y0, points=[[0, 0], [x1 - x0, y1 - y0]],
                    startBinding={"elementId": a["id"]}, endBinding={"elementId": b["id"]},
                    endArrowhead="arrow", **extra)


def text(element_id: str, x: float, y: float, content: str, **extra) -> dict:
    return _element("text", element_id, x, y, 400, 40, text=content, fontSize=20, **extra)


def scene(elements: list[dict]) -> bytes:
    return json.dumps({"type": "excalidraw", "version": 2, "source": "attacks", "elements": elements}).encode()


# a small design with gaps, so that `fix` has something to add
DESIGN = [("app", "Mobile app"), ("api", "API gateway"), ("rank", "Ranking model"), ("fs", "Feature store"),
          ("fp", "Feature pipeline"), ("lake", "Data lake"), ("train", "Training"), ("reg", "Model registry")]
EDGES = [("app", "api"), ("api", "rank"), ("fs", "rank"), ("fp", "fs"), ("lake", "fp"), ("lake", "train"),
         ("train", "reg"), ("reg", "rank")]
REQUIREMENTS = "Requirements: 10M users, 5k QPS, p99 < 100 ms"


def design_elements(prefix: str = "") -> tuple[list[dict], dict[str, dict]]:
    elements, rects = [], {}
    for i, (key, label) in enumerate(DESIGN):
        parts = box(prefix + key, 260 * (i % 4), 200 * (i // 4), label)
        rects[key] = parts[0]
        elements += parts
    for i, (a, b) in enumerate(EDGES):
        elements.append(arrow(f"{prefix}e{i}", rects[a], rects[b]))
    elements.append(text(prefix + "req", 0, -120, REQUIREMENTS))
    return elements, rects


def good_scene() -> bytes:
    return scene(design_elements()[0])


def dot_design(extra: str = "", graph_attrs: str = "") -> str:
    lines = [f"digraph design {{{graph_attrs}", f'  req [shape=note, label="{REQUIREMENTS}"];']
    lines += [f'  {key} [label="{label}"];' for key, label in DESIGN]
    lines += [f"  {a} -> {b};" for a, b in EDGES]
    return "\n".join(lines) + "\n" + extra + "\n}\n"


def dot_string(value: str) -> str:
    """A quoted DOT string holding `value` (quotes escaped, never ending on an escape)."""
    body = value.replace('"', '\\"')
    if (len(body) - len(body.rstrip("\\"))) % 2:
        body += " "
    return f'"{body}"'


def svg_with(payload_scene: bytes, raw_payload: str | None = None) -> bytes:
    envelope = json.dumps({"version": "1", "encoding": "bstring", "compressed": True,
                           "encoded": zlib.compress(payload_scene).decode("latin-1")})
    encoded = base64.b64encode(envelope.encode("latin-1")).decode() if raw_payload is None else raw_payload
    return ("<svg xmlns='http://www.w3.org/2000/svg'><!-- svg-source:excalidraw -->"
            "<!-- payload-type:application/vnd.excalidraw+json --><!-- payload-version:2 --><!-- payload-start -->"
            + encoded + "<!-- payload-end --></svg>").encode()


def png_with(payload_scene: bytes) -> bytes:
    envelope = json.dumps({"version": "1", "encoding": "bstring", "compressed": True,
                           "encoded": zlib.compress(payload_scene).decode("latin-1")}).encode("latin-1")
    body = b"application/vnd.excalidraw+json\x00" + envelope

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    ihdr = (1).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"tEXt", body) + chunk(b"IEND", b"")


def obsidian_with(elements: list[dict], text_section: str = "", before: str = "") -> bytes:
    body = json.dumps({"type": "excalidraw", "version": 2, "elements": elements}, indent=1)
    return (f"---\nexcalidraw-plugin: parsed\n---\n{before}\n# Excalidraw Data\n## Text Elements\n{text_section}\n"
            f"%%\n## Drawing\n```json\n{body}\n```\n%%\n").encode()


def mermaid_design(extra: str = "", before: str = "", front: str = "") -> str:
    """The design as a Mermaid flowchart in a Markdown file: `extra` goes at the end of the
    block, `before` into the prose above it, `front` into the block's front matter."""
    lines = ["flowchart LR", f'    req@{{ shape: text, label: "{REQUIREMENTS}" }}']
    lines += [f'    {key}["{label}"]' for key, label in DESIGN]
    lines += [f"    {a} --> {b}" for a, b in EDGES]
    head = f"---\n{front}\n---\n" if front else ""
    return f"# Design\n\n{before}\n\n```mermaid\n{head}" + "\n".join(lines) + "\n" + extra + "\n```\n"


def mermaid_string(value: str) -> str:
    """A quoted Mermaid label holding `value` (its quotes as Mermaid's entity)."""
    return '"' + value.replace('"', "#quot;") + '"'


def _attr(value: str) -> str:
    return '"' + xml_escape(value, {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}) + '"'


def drawio_cell(cell_id: str, value: str, x: float, y: float, w: float = 180, h: float = 80,
                style: str = "rounded=1;whiteSpace=wrap;html=1;", parent: str = "1", extra: str = "") -> str:
    return (f"<mxCell id={_attr(cell_id)} value={_attr(value)} style={_attr(style)} vertex=\"1\" parent={_attr(parent)}{extra}>"
            f'<mxGeometry x="{x}" y="{y}" width="{w}" height="{h}" as="geometry"/></mxCell>')


def drawio_edge(cell_id: str, source: str, target: str, value: str = "", parent: str = "1") -> str:
    return (f"<mxCell id={_attr(cell_id)} value={_attr(value)} style=\"edgeStyle=orthogonalEdgeStyle;html=1;\" edge=\"1\" "
            f"parent={_attr(parent)} source={_attr(source)} target={_attr(target)}>"
            '<mxGeometry relative="1" as="geometry"/></mxCell>')


def drawio_page(extra: str = "") -> str:
    cells = [drawio_cell("req", REQUIREMENTS, 0, -120, 400, 40, style="text;html=1;")]
    cells += [drawio_cell(key, label, 260 * (i % 4), 200 * (i // 4)) for i, (key, label) in enumerate(DESIGN)]
    cells += [drawio_edge(f"e{i}", a, b) for i, (a, b) in enumerate(EDGES)]
    return '<mxGraphModel><root><mxCell id="0"/><mxCell id="1" parent="0"/>' + "".join(cells) + extra + "</root></mxGraphModel>"


def drawio_file(page: str, name: str = "Design", compressed: bool = False) -> bytes:
    if compressed:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        body = base64.b64encode(packer.compress(quote(page, safe="~()*!.'").encode()) + packer.flush()).decode()
    else:
        body = page
    return f'<mxfile host="app.diagrams.net"><diagram name={_attr(name)} id="p1">{body}</diagram></mxfile>'.encode()


# --- regex-hostile strings, in every label and file position of every format ----------

HOSTILE = {
    "repeat": lambda n: "a" * n,
    "alternating": lambda n: "ab" * (n // 2),
    "digits": lambda n: "1" * n,
    "digit-lines": lambda n: "\n".join(["1" * (n // 3)] * 3),  # a loose box's lines, read for figures
    "separators": lambda n: "1," * (n // 2 - 60) + " " * 100 + "x",
    "spaces": lambda n: "x" + " " * n + "y",
    "newlines": lambda n: "x" + "\n" * n + "y",
    "wikilinks": lambda n: "[[" * (n // 2),
    "angles": lambda n: "<" * n,
    "br-spaces": lambda n: "<br" + " " * n,
    "backslash-newline": lambda n: "\\\n" * (n // 2),
    "underscored-words": lambda n: "recommend_" * (n // 10),
    "metric-words": lambda n: "ctr " * (n // 4),
    "comment-opens": lambda n: "/*" * (n // 2),
    "quotes": lambda n: '"' * n,
    "braces": lambda n: "{" * n,
    "dotted": lambda n: "a.b-c_d/e:" * (n // 10),
}


def _excalidraw_position(position: str, s: str) -> tuple[bytes, str]:
    elements, rects = design_elements()
    if position == "label":
        elements += box("hostile", 0, 500, s)
    elif position == "note":
        elements.append(text("hostile", 0, 700, s))
    elif position == "frame-name":
        frame = _element("frame", "frame1", -40, -40, 1200, 500, name=s)
        for element in elements:
            element["frameId"] = "frame1"
        elements.append(frame)
    elif position == "element-id":
        elements += box(s, 0, 500, "Monitoring")
        elements.append(arrow("hostile-arrow", rects["rank"], elements[-2]))
    elif position == "arrow-label":
        elements.append(text("hostile", 300, 90, s, containerId="e1"))
    elif position == "kind-tag":
        elements += box("hostile", 0, 500, "Thing", customData={"diagramcheck": {"kind": s}})
    return scene(elements), "hostile.excalidraw"


def _dot_position(position: str, s: str) -> tuple[bytes, str]:
    if position == "label":
        text_ = dot_design(f"  hostile [label={dot_string(s)}];\n  rank -> hostile;")
    elif position == "id":
        text_ = dot_design(f"  {dot_string(s)} [label=\"Monitoring\"];\n  rank -> {dot_string(s)};")
    elif position == "html-label":
        text_ = dot_design(f"  hostile [label=<{s}>];\n  rank -> hostile;")
    elif position == "graph-label":
        text_ = dot_design(f"  label={dot_string(s)};")
    elif position == "cluster-label":
        text_ = dot_design(f"  subgraph cluster_x {{ label={dot_string(s)}; mon [label=\"Monitoring\"]; }}\n  rank -> mon;")
    elif position == "edge-label":
        text_ = dot_design(f"  rank -> train [label={dot_string(s)}];")
    elif position == "comment":
        text_ = dot_design("  /* " + s.replace("*/", "* /") + " */")
    else:  # raw: straight into the graph's body, whatever it breaks
        text_ = dot_design("  " + s)
    return text_.encode("utf-8"), "hostile.dot"


def _obsidian_position(position: str, s: str) -> tuple[bytes, str]:
    elements, _ = design_elements()
    if position == "text-element":
        elements.append(text("hostile", 0, 700, "placeholder"))
        return obsidian_with(elements, text_section=f"{s} ^hostile\n"), "hostile.excalidraw.md"
    if position == "label":
        elements += box("hostile", 0, 500, s)
        return obsidian_with(elements), "hostile.excalidraw.md"
    return obsidian_with(elements, before=s), "hostile.excalidraw.md"


def _svg_position(position: str, s: str) -> tuple[bytes, str]:
    elements, _ = design_elements()
    if position == "label":
        elements += box("hostile", 0, 500, s)
        return svg_with(scene(elements)), "hostile.excalidraw.svg"
    return svg_with(b"", raw_payload=s), "hostile.excalidraw.svg"


def _png_position(position: str, s: str) -> tuple[bytes, str]:
    elements, _ = design_elements()
    elements += box("hostile", 0, 500, s)
    return png_with(scene(elements)), "hostile.excalidraw.png"


def _mermaid_position(position: str, s: str) -> tuple[bytes, str]:
    one_line = s.replace("\n", " ")
    extra, before, front = "", "", ""
    if position == "label":
        extra = f"    hostile[{mermaid_string(s)}]\n    rank --> hostile"
    elif position == "bare-label":
        extra = f"    hostile[{s}]\n    rank --> hostile"
    elif position == "edge-label":
        extra = f"    rank -->|{mermaid_string(s)}| train"
    elif position == "subgraph-title":
        extra = f"    subgraph zone [{mermaid_string(s)}]\n      mon[\"Monitoring\"]\n    end\n    rank --> mon"
    elif position == "id":
        extra = f"    {s}[\"Monitoring\"]\n    rank --> {s}"
    elif position == "comment":
        extra = f"    %% {one_line}"
    elif position == "kind-tag":
        extra = f"    %% diagramcheck: kind rank {one_line}"
    elif position == "front-matter":
        front = f"title: {one_line}"
    elif position == "markdown":
        before = s
    else:  # raw: straight into the block's body, whatever it breaks
        extra = "    " + s
    return mermaid_design(extra, before, front).encode("utf-8"), "hostile.md"


def _mmd_position(position: str, s: str) -> tuple[bytes, str]:
    data, _ = _mermaid_position(position, s)
    block = data.decode().split("```mermaid\n", 1)[1].rsplit("```", 1)[0]
    return block.encode("utf-8"), "hostile.mmd"


def _drawio_position(position: str, s: str) -> tuple[bytes, str]:
    name, compressed, extra = "Design", False, ""
    if position == "label":  # an HTML label, as the app writes them
        extra = drawio_cell("hostile", s, 0, 500)
    elif position == "plain-label":
        extra = drawio_cell("hostile", s, 0, 500, style="rounded=1;whiteSpace=wrap;")
    elif position == "style":
        extra = drawio_cell("hostile", "Monitoring", 0, 500, style="rounded=1;" + s)
    elif position == "id":
        extra = drawio_cell(s, "Monitoring", 0, 500) + drawio_edge("hostile-edge", "rank", s)
    elif position == "edge-label":
        extra = drawio_edge("hostile-edge", "rank", "train", value=s)
    elif position == "placeholder":  # a UserObject whose label names its own property
        extra = (f'<UserObject label="%x% %x%" placeholders="1" x={_attr(s)} id="hostile">'
                 '<mxCell style="rounded=1;html=1;" vertex="1" parent="1"><mxGeometry x="0" y="500" width="180" height="80" '
                 'as="geometry"/></mxCell></UserObject>')
    elif position == "page-name":
        name = s
    elif position == "compressed-label":
        extra, compressed = drawio_cell("hostile", s, 0, 500), True
    else:  # raw: straight into the page's XML, whatever it breaks
        extra = s
    return drawio_file(drawio_page(extra), name, compressed), "hostile.drawio"


def _drawio_svg_position(position: str, s: str) -> tuple[bytes, str]:
    inner = drawio_file(drawio_page(drawio_cell("hostile", s, 0, 500))).decode()
    return (f"<svg xmlns=\"http://www.w3.org/2000/svg\" content={_attr(inner)}><g/></svg>").encode(), "hostile.drawio.svg"


POSITIONS = {
    "excalidraw": (_excalidraw_position, ["label", "note", "frame-name", "element-id", "arrow-label", "kind-tag"]),
    "dot": (_dot_position, ["label", "id", "html-label", "graph-label", "cluster-label", "edge-label", "comment", "raw"]),
    "obsidian": (_obsidian_position, ["text-element", "label", "raw"]),
    "svg": (_svg_position, ["label", "payload"]),
    "png": (_png_position, ["label"]),
    "mermaid": (_mermaid_position, ["label", "bare-label", "edge-label", "subgraph-title", "id", "comment", "kind-tag",
                                    "front-matter", "markdown", "raw"]),
    "mmd": (_mmd_position, ["label", "raw"]),
    "drawio": (_drawio_position, ["label", "plain-label", "style", "id", "edge-label", "placeholder", "page-name",
                                  "compressed-label", "raw"]),
    "drawio-svg": (_drawio_svg_position, ["label"]),
}


def hostile_string_cases(sizes: list[int]) -> list[Case]:
    cases = []
    for fmt, (place, positions) in POSITIONS.items():
        for position in positions:
            for kind, make in HOSTILE.items():
                for size in sizes:
                    def build(folder: Path, place=place, position=position, make=make, size=size) -> Plan:
                        data, name = place(position, make(size))
                        return review_and_fix(folder, name, data)
                    series = f"{fmt}:{position}:{kind}"
                    cases.append(Case("hostile strings", f"{series}@{size // 1024}K", build, series=series, size=size))
    return cases


# --- common plans and checks -----------------------------------------------------------


def write(folder: Path, name: str | bytes, data: bytes) -> str:
    path = os.path.join(os.fsencode(folder), os.fsencode(name))
    with open(path, "wb") as handle:
        handle.write(data)
    return os.fsdecode(path)


def review_and_fix(folder: Path, name: str, data: bytes, check=None, fmt: str = "json") -> Plan:
    """Review the hostile file beside a good one, then fix it: what the budget is about."""
    path = write(folder, name, data)
    good = write(folder, "good.excalidraw", good_scene())
    return Plan([["review", "--format", fmt, path, good], ["fix", path, "-o", str(folder / ("fixed-" + name))]],
                check=check, good=good, input_bytes=len(data))


def _fails(outcomes: list[Outcome], plan: Plan) -> str | None:
    for o in outcomes:
        if o.crash:
            return f"{' '.join(o.argv[:2])}: traceback: {o.crash.strip().splitlines()[-1][:160]}"
        if o.code not in (0, 1, 2):
            return f"{' '.join(o.argv[:2])}: exit code {o.code}"
    if plan.good:  # (a baseline that cannot be read stops the run: that is not a file to skip)
        reviews = [o for o in outcomes if o.argv[0] == "review" and plan.good in o.argv and "--baseline" not in o.argv]
        for o in reviews:
            shown = o.out
            if b"file://" in shown or b'"uri"' in shown:  # SARIF: paths are percent-encoded URIs
                continue
            if os.path.basename(plan.good).encode() not in shown and "-o" not in o.argv:
                return f"{' '.join(o.argv[:2])}: the good file in the same run was not reviewed"
    return None


CONTROL = {*range(0, 9), *range(11, 32), 127}
C1 = [bytes([0xC2, b]) for b in range(0x80, 0xA0)]


def inert_lines(data: bytes, allow_commands: bool = False) -> str | None:
    """No control character but newline and tab, no escape sequence, and no line that a CI
    runner would take for a workflow command."""
    bad = sorted({b for b in data if b in CONTROL})
    if bad:
        return f"control character {bad[0]:#04x} in the output"
    if any(c in data for c in C1):
        return "C1 control character in the output"
    for seq in ("\u2028", "\u2029", "\x85"):
        if seq.encode() in data:
            return f"line separator U+{ord(seq):04X} in the output"
    for line in data.split(b"\n"):
        if line.lstrip().startswith(b"::") and not allow_commands:
            return f"a line starts a workflow command: {line[:80]!r}"
    return None


# --- the classes of the issue ---------------------------------------------------------


def regex_cases() -> list[Case]:
    def dot_unterminated_string(folder: Path) -> Plan:  # time doubled per pair
        return review_and_fix(folder, "string.dot", b'digraph { a [label="' + b"\\\n" * 40 + b"x]; }")

    def dot_unterminated_comment(folder: Path) -> Plan:
        return review_and_fix(folder, "comment.dot", b"digraph { a -> b; /* " + b"/* x " * 20_000)

    def svg_payload_spaces(folder: Path) -> Plan:
        return review_and_fix(folder, "spaces.excalidraw.svg", svg_with(b"", raw_payload=" " * 200_000 + "!"))

    def obsidian_wikilinks(folder: Path) -> Plan:
        elements, _ = design_elements()
        elements.append(text("t1", 0, 600, "x"))
        return review_and_fix(folder, "links.excalidraw.md", obsidian_with(elements, "[[" * 50_000 + " ^t1\n"))

    def dot_html_br(folder: Path) -> Plan:
        return review_and_fix(folder, "br.dot", dot_design("  h [label=<a<br" + " " * 50_000 + "x>b>];").encode())

    def note_separators(fmt: str) -> Callable[[Path], Plan]:
        note = "1," * 4_950 + " " * 100  # 10,000 characters: within the label cap

        def build(folder: Path) -> Plan:
            if fmt == "dot":
                notes = "".join(f"  n{i} [shape=note, label={dot_string(note)}];\n" for i in range(100))
                return review_and_fix(folder, "notes.dot", dot_design(notes).encode())
            if fmt == "mermaid":
                notes = "\n".join(f"    n{i}@{{ shape: text, label: {mermaid_string(note)} }}" for i in range(100))
                return review_and_fix(folder, "notes.md", mermaid_design(notes).encode())
            if fmt == "drawio":
                cells = "".join(drawio_cell(f"n{i}", note, 0, 800 + 60 * i, 400, 40, style="text;html=1;") for i in range(100))
                return review_and_fix(folder, "notes.drawio", drawio_file(drawio_page(cells)))
            elements, _ = design_elements()
            elements += [text(f"n{i}", 0, 800 + 60 * i, note) for i in range(100)]
            if fmt == "obsidian":
                return review_and_fix(folder, "notes.excalidraw.md", obsidian_with(elements))
            return review_and_fix(folder, "notes.excalidraw", scene(elements))
        return build

    def note_words(words: str) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            elements, _ = design_elements()
            note = (words * (10_000 // len(words)))[:10_000]
            elements += [text(f"n{i}", 0, 800 + 60 * i, note) for i in range(150)]
            return review_and_fix(folder, "words.excalidraw", scene(elements))
        return build

    return [
        Case("regex", "dot: unterminated string of backslash-newlines", dot_unterminated_string),
        Case("regex", "dot: unterminated /* comment, 100 KB", dot_unterminated_comment),
        Case("regex", "svg: payload marker then 200 KB of spaces", svg_payload_spaces),
        Case("regex", "obsidian: 50,000 [[ in a text element", obsidian_wikilinks),
        Case("regex", "dot: <br + 50,000 spaces in an HTML label", dot_html_br),
        *[Case("regex", f"{fmt}: 100 notes of '1,1,1,...' + spaces (pack note regex)", note_separators(fmt))
          for fmt in ("excalidraw", "dot", "obsidian", "mermaid", "drawio")],
        Case("regex", "excalidraw: 150 notes of 'ctr ctr ...' (a '.*' note regex)", note_words("ctr ")),
        Case("regex", "excalidraw: 150 notes of digits (latency budget regex)", note_words("1111111111")),
        Case("regex", "excalidraw: 150 notes of 'recommend_' (problem words)", note_words("recommend_")),
        *[Case("regex", f"mermaid: {what}", mermaid_raw(extra)) for what, extra in MERMAID_RAW.items()],
        *[Case("regex", f"markdown: {what}", markdown_raw(text_)) for what, text_ in MARKDOWN_RAW.items()],
        *[Case("regex", f"drawio: {what}", drawio_label(value)) for what, value in DRAWIO_LABELS.items()],
        Case("regex", "drawio svg: '<svg ' x 13,000 before any '>'", drawio_svg_tags),
        Case("regex", "drawio: a compressed page of 1 MB of %0A", drawio_escapes),
    ]


# a block's body: what each does to the Mermaid reader
MERMAID_RAW = {
    "an unterminated quoted label of 1 MB": '    hostile["' + "x" * 1_000_000,
    "a run of 500,000 dashes after a node": "    hostile " + "-" * 500_000,
    "a run of 500,000 dots in a dotted link": "    hostile -" + "." * 500_000,
    "a run of 500,000 '=' after a node": "    hostile " + "=" * 500_000,
    "a run of 500,000 '~' after a node": "    hostile " + "~" * 500_000,
    "an unterminated %%{ directive of 500 KB": "    %%{init: " + "{" * 500_000,
    "<br + 500,000 spaces in a label": '    hostile["a<br' + " " * 500_000 + 'x"]',
    "'<a' x 200,000 in a label": '    hostile["' + "<a" * 200_000 + '"]',
    "'#quot' x 200,000 in a label": '    hostile["' + "#quot" * 200_000 + '"]',
    "1 MB of '|' in an edge label": "    rank -->|" + "|" * 1_000_000 + " train",
}

MARKDOWN_RAW = {
    "100,000 lines that are not fences (backtick in the info)": "```x`\n" * 100_000,
    "100,000 ```mermaid lines in one unclosed fence": "```mermaid\n" * 100_000,
    "a fence of 500,000 backticks": "`" * 500_000 + "mermaid\nflowchart LR\n  A --> B\n",
    "1,000,000 empty lines before a block": "\n" * 1_000_000,
}

DRAWIO_LABELS = {
    "a label of 500,000 '<'": "<" * 500_000,
    "a label of '<div' x 200,000": "<div" * 200_000,
    "a label of '<br' + 500,000 spaces": "<br" + " " * 500_000,
    "a label of '< / ' x 200,000": "< / " * 200_000,
}


def mermaid_raw(extra: str) -> Callable[[Path], Plan]:
    def build(folder: Path) -> Plan:
        return review_and_fix(folder, "hostile.md", mermaid_design(extra).encode())
    return build


def markdown_raw(text_: str) -> Callable[[Path], Plan]:
    def build(folder: Path) -> Plan:
        return review_and_fix(folder, "hostile.md", mermaid_design(before=text_).encode())
    return build


def drawio_label(value: str) -> Callable[[Path], Plan]:
    def build(folder: Path) -> Plan:
        return review_and_fix(folder, "hostile.drawio", drawio_file(drawio_page(drawio_cell("hostile", value, 0, 500))))
    return build


def drawio_svg_tags(folder: Path) -> Plan:
    inner = drawio_file(drawio_page()).decode()
    data = ("<svg " * 13_000 + f"content={_attr(inner)}><g/></svg>").encode()
    return review_and_fix(folder, "hostile.drawio.svg", data)


def drawio_escapes(folder: Path) -> Plan:
    return review_and_fix(folder, "hostile.drawio", drawio_file(drawio_page(drawio_cell("hostile", "\n" * 1_000_000, 0, 500)),
                                                                compressed=True))


def growth_cases() -> list[Case]:
    def long_token(token: str) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            return review_and_fix(folder, "token.dot", dot_design(f"  t [label=\"{token}\"];\n  rank -> t;").encode())
        return build

    def zones_connected(folder: Path) -> Plan:
        elements, _ = design_elements()
        for z in range(2):
            frame = _element("frame", f"zone{z}", 5000 * z, 2000, 4500, 4500, name=f"Zone {z}")
            elements.append(frame)
            for i in range(700):
                parts = box(f"z{z}b{i}", 5000 * z + 40 + 170 * (i % 26), 2040 + 160 * (i // 26), f"Worker {i}", w=150, h=60)
                parts[0]["frameId"] = f"zone{z}"
                elements += parts
        zones = [e for e in elements if e["type"] == "frame"]
        elements += [arrow(f"zz{i}", zones[0], zones[1]) for i in range(20)]
        return review_and_fix(folder, "zones.excalidraw", scene(elements))

    def frames_pointing_at_each_other(folder: Path) -> Plan:
        elements, _ = design_elements()
        a = _element("frame", "fa", -100, -200, 2000, 2000, name="Online", frameId="fb")
        b = _element("frame", "fb", -120, -220, 2040, 2040, name="Offline", frameId="fa")
        elements += [a, b]
        for element in elements[:-2]:
            element["frameId"] = "fa"
        return review_and_fix(folder, "frames.excalidraw", scene(elements))

    def lhead_clusters(folder: Path) -> Plan:
        body = []
        for c in range(2):
            body.append(f"  subgraph cluster_{c} {{ label=\"Zone {c}\";")
            body += [f"    c{c}n{i} [label=\"Worker {i}\"];" for i in range(1000)]
            body.append("  }")
        body += [f"  c0n{i} -> c1n{i} [ltail=cluster_0, lhead=cluster_1];" for i in range(10)]
        return review_and_fix(folder, "clusters.dot", dot_design("\n".join(body), " compound=true;").encode())

    def dot_product(folder: Path) -> Plan:
        left = " ".join(f"a{i}" for i in range(2000))
        right = " ".join(f"b{i}" for i in range(2000))
        return review_and_fix(folder, "product.dot", dot_design(f"  {{{left}}} -> {{{right}}};").encode())

    def dot_name_expansion(folder: Path) -> Plan:
        name, expansions = "n" * 10_000, "\\N" * 45_000
        return review_and_fix(folder, "expand.dot", dot_design(f'  {name} [label="{expansions}"];').encode())

    def stacked_shapes(folder: Path) -> Plan:
        elements, _ = design_elements()
        for i in range(3000):
            elements += box(f"s{i}", 3000, 3000, f"Service {i}")
        return review_and_fix(folder, "stacked.excalidraw", scene(elements))

    def arrows_to_one_point(folder: Path) -> Plan:
        elements, _ = design_elements()
        for i in range(1500):
            elements += box(f"s{i}", 3000 + (i % 40) * 3, 3000 + (i // 40) * 3, f"Service {i}", w=40, h=40)
        for i in range(1500):
            a = _element("arrow", f"a{i}", 2000, 2000 + i, 1020, 1020 - i, points=[[0, 0], [1020, 1020 - i]])
            elements.append(a)
        return review_and_fix(folder, "points.excalidraw", scene(elements))

    def nested_rectangles(folder: Path) -> Plan:
        elements, _ = design_elements()
        for i in range(2500):
            elements.append(_element("rectangle", f"r{i}", 3000 + 4 * i, 3000 + 4 * i, 20_000 - 8 * i, 20_000 - 8 * i))
        elements += box("inner", 3000 + 10_000 - 90, 3000 + 10_000 - 40, "Feature store")
        return review_and_fix(folder, "nested.excalidraw", scene(elements))

    def icon_captions(folder: Path) -> Plan:
        elements, _ = design_elements()
        for i in range(2500):
            elements.append(_element("ellipse", f"i{i}", 3000, 3000, 40, 40))
            elements.append(text(f"c{i}", 2990, 3045, f"Icon {i}"))
        return review_and_fix(folder, "icons.excalidraw", scene(elements))

    def huge_shape_placement(folder: Path) -> Plan:
        elements, _ = design_elements()
        elements.append(_element("rectangle", "huge", -5e8, -5e8, 1e9, 1e9))
        return review_and_fix(folder, "huge.excalidraw", scene(elements))

    def many_dot_nodes(folder: Path) -> Plan:
        body = ";".join(f"n{i}" for i in range(BUDGET_INPUT // 8))
        return review_and_fix(folder, "nodes.dot", dot_design(body).encode()[:BUDGET_INPUT])

    def many_dot_edges(folder: Path) -> Plan:
        body = ";".join(f"n{i}->n{i + 1}" for i in range(BUDGET_INPUT // 16))
        return review_and_fix(folder, "edges.dot", dot_design(body).encode()[:BUDGET_INPUT - 2] + b"}\n")

    def many_tiny_elements(folder: Path) -> Plan:
        elements, _ = design_elements()
        tiny = [{"id": f"t{i}", "type": "text", "text": "a", "x": i % 5000, "y": i // 5000} for i in range(50_000)]
        data = scene(elements + tiny)
        return review_and_fix(folder, "tiny.excalidraw", data)

    def many_labelled_boxes(folder: Path) -> Plan:
        elements, _ = design_elements()
        for i in range(5000):
            elements += box(f"b{i}", 300 * (i % 70), 2000 + 200 * (i // 70), f"Service {i}")
        return review_and_fix(folder, "boxes.excalidraw", scene(elements))

    return [
        Case("growth", "dot: a 200,000-letter label (typo correction)", long_token("x" * 200_000)),
        Case("growth", "dot: an alternating 40,000-letter token", long_token("ab" * 20_000)),
        Case("growth", "excalidraw: 20 arrows between two zones of 700 boxes", zones_connected),
        Case("growth", "excalidraw: two frames whose frameIds point at each other", frames_pointing_at_each_other),
        Case("growth", "dot: 10 lhead/ltail edges between two 1,000-node clusters", lhead_clusters),
        Case("growth", "dot: {2,000 nodes} -> {2,000 nodes}", dot_product),
        Case("growth", "dot: \\N x 45,000 in the label of a 10,000-letter node", dot_name_expansion),
        Case("growth", "excalidraw: 3,000 labelled boxes stacked at one spot", stacked_shapes),
        Case("growth", "excalidraw: 1,500 arrows ending at one point among 1,500 boxes", arrows_to_one_point),
        Case("growth", "excalidraw: 2,500 nested rectangles", nested_rectangles),
        Case("growth", "excalidraw: 2,500 icon/caption pairs at one spot", icon_captions),
        Case("growth", "excalidraw: fix places boxes next to a 1e9-px shape", huge_shape_placement),
        Case("growth", "dot: 2 MB of nodes", many_dot_nodes),
        Case("growth", "dot: 2 MB of edges", many_dot_edges),
        Case("growth", "excalidraw: 50,000 one-letter texts", many_tiny_elements),
        Case("growth", "excalidraw: 5,000 labelled boxes (about 2 MB)", many_labelled_boxes),
        Case("growth", "mermaid: a & b & ... --> c & d & ... (2,000 x 2,000)", mermaid_product),
        Case("growth", "mermaid: 20 links between two subgraphs of 700 nodes", mermaid_zones),
        Case("growth", "mermaid: 2 MB of one-character statements", mermaid_statements),
        Case("growth", "mermaid: a chain of 20,000 nodes in one statement", mermaid_chain),
        Case("growth", "mermaid: 2 MB of nodes", mermaid_nodes),
        Case("growth", "markdown: 4,000 small flowcharts in one file", mermaid_blocks_many),
        Case("growth", "markdown: 100 flowcharts of the design (fix each)", mermaid_blocks_designs),
        Case("growth", "drawio: 3,000 labelled cells stacked at one spot", drawio_stacked),
        Case("growth", "drawio: 20 edges between two containers of 700 cells", drawio_containers),
        Case("growth", "drawio: 2 MB of cells", drawio_cells),
        Case("growth", "drawio: 100,000 pages", drawio_pages),
        Case("growth", "dot: 190 labels of 10,000 letters, each with 700 compound heads", compound_heads),
        Case("growth", "dot: 100 Russian labels of 10,000 letters, a noun and 900 genitives", russian_genitives),
        Case("growth", "excalidraw: 2,000 'Legend' texts beside 2,000 loose boxes", legend_titles),
        Case("growth", "drawio: 1,800 callouts, each a titled box and a text naming a shape", drawio_callouts),
    ]


def compound_heads(folder: Path) -> Plan:
    labels = [" ".join(f"zq{i}x{j} service" for j in range(700))[:9_990] for i in range(190)]
    return review_and_fix(folder, "heads.dot", dot_design("".join(f'  n{i} [label="{t}"];\n' for i, t in enumerate(labels))).encode())


def russian_genitives(folder: Path) -> Plan:
    labels = ["очередь " + " ".join(["операторов"] * 900) + f" {i}" for i in range(100)]
    return review_and_fix(folder, "ru.dot", dot_design("".join(f'  n{i} [label="{t}"];\n' for i, t in enumerate(labels))).encode())


def legend_titles(folder: Path) -> Plan:
    elements, _ = design_elements()
    for i in range(2000):
        elements.append(text(f"lt{i}", -5000, 100 * i, "Legend"))
        elements += box(f"lb{i}", -4000 + (i % 50) * 60, 100 * (i // 50), f"Box {i}", w=40, h=40)
    return review_and_fix(folder, "legends.excalidraw", scene(elements))


def drawio_callouts(folder: Path) -> Plan:
    callout = "shape=callout;html=1;size=20;position2=0.5;"
    cells = []
    for i in range(1800):
        x, y = (i % 100) * 200, 1000 + (i // 100) * 300
        cells += [drawio_cell(f"c{i}", "", x, y, 100, 100, style=callout),
                  drawio_cell(f"r{i}", f"Svc {i}", x + 5, y + 5, 90, 70, style="rounded=0;html=1;verticalAlign=top;"),
                  drawio_cell(f"t{i}", f"Model {i}", x + 20, y + 40, 60, 20, style="text;html=1;"),
                  drawio_cell(f"s{i}", "", x + 20, y + 100, 60, 60, style="shape=hexagon;html=1;")]
    return review_and_fix(folder, "callouts.drawio", drawio_file(drawio_page("".join(cells))))


def mermaid_product(folder: Path) -> Plan:
    left = " & ".join(f"a{i}" for i in range(2000))
    right = " & ".join(f"b{i}" for i in range(2000))
    return review_and_fix(folder, "product.md", mermaid_design(f"    {left} --> {right}").encode())


def mermaid_zones(folder: Path) -> Plan:
    body = []
    for z in range(2):
        body.append(f'    subgraph zone{z} ["Zone {z}"]')
        body += [f'      z{z}n{i}["Worker {i}"]' for i in range(700)]
        body.append("    end")
    body += ["    zone0 --> zone1"] * 20
    return review_and_fix(folder, "zones.md", mermaid_design("\n".join(body)).encode())


def mermaid_statements(folder: Path) -> Plan:
    return review_and_fix(folder, "statements.md", mermaid_design("    x\n" * (BUDGET_INPUT // 6)).encode())


def mermaid_chain(folder: Path) -> Plan:
    return review_and_fix(folder, "chain.md", mermaid_design("    " + " --> ".join(f"n{i}" for i in range(20_000))).encode())


def mermaid_nodes(folder: Path) -> Plan:
    body = "\n".join(f"    n{i}" for i in range(BUDGET_INPUT // 12))
    return review_and_fix(folder, "nodes.md", mermaid_design(body).encode()[:BUDGET_INPUT - 8] + b"\n```\n")


def mermaid_blocks_many(folder: Path) -> Plan:
    block = "```mermaid\nflowchart LR\n  A[Model server] --> B[(Feature store)]\n```\n\n"
    return review_and_fix(folder, "blocks.md", ("# Notes\n\n" + block * 4_000).encode())


def mermaid_blocks_designs(folder: Path) -> Plan:
    block = mermaid_design().split("\n\n\n\n", 1)[1]
    return review_and_fix(folder, "designs.md", ("# Notes\n\n" + (block + "\n") * 100).encode())


def drawio_stacked(folder: Path) -> Plan:
    extra = "".join(drawio_cell(f"s{i}", f"Service {i}", 3000, 3000) for i in range(3000))
    return review_and_fix(folder, "stacked.drawio", drawio_file(drawio_page(extra)))


def drawio_containers(folder: Path) -> Plan:
    cells = []
    for z in range(2):
        cells.append(drawio_cell(f"zone{z}", f"Zone {z}", 5000 * z, 2000, 4500, 4500, style="swimlane;html=1;"))
        cells += [drawio_cell(f"z{z}n{i}", f"Worker {i}", 40 + 170 * (i % 26), 40 + 160 * (i // 26), 150, 60, parent=f"zone{z}")
                  for i in range(700)]
    cells += [drawio_edge(f"zz{i}", "zone0", "zone1") for i in range(20)]
    return review_and_fix(folder, "zones.drawio", drawio_file(drawio_page("".join(cells))))


def drawio_cells(folder: Path) -> Plan:
    cells, size, i = [], 0, 0
    while size < BUDGET_INPUT - 4096:
        cell = drawio_cell(f"c{i}", f"Service {i}", 200 * (i % 100), 120 * (i // 100))
        cells.append(cell)
        size += len(cell)
        i += 1
    return review_and_fix(folder, "cells.drawio", drawio_file(drawio_page("".join(cells))))


def drawio_pages(folder: Path) -> Plan:
    page = drawio_file(drawio_page()).decode()
    head, body = page.split("<diagram", 1)
    extra = "".join(f'<diagram name="P{i}" id="q{i}"></diagram>' for i in range(100_000))
    return review_and_fix(folder, "pages.drawio", (head + "<diagram" + body.replace("</mxfile>", extra + "</mxfile>")).encode())


def _cut_check(limit: int, needle: bytes) -> Callable[[list[Outcome], Path], str | None]:
    """The longest run of `needle` in the review is within the label cap (the corrected
    copy keeps the user's own text as it is: that is the point of it)."""
    def check(outcomes: list[Outcome], folder: Path) -> str | None:
        for o in outcomes:
            run = _longest_run(o.out, needle) if o.argv[0] == "review" else 0
            if run > limit:
                return f"{o.argv[0]}: {run:,} characters of one label reached the output (cap {limit:,})"
        return None
    return check


def _longest_run(blob: bytes, needle: bytes) -> int:
    import re

    return max((len(m) for m in re.findall(re.escape(needle) + b"+", blob)), default=0)


def limit_cases() -> list[Case]:
    cap = 10_000

    def frame_name(folder: Path) -> Plan:
        data, name = _excalidraw_position("frame-name", "Z" * 1_000_000)
        return review_and_fix(folder, name, data, check=_cut_check(cap, b"Z"))

    def dot_label(folder: Path) -> Plan:
        data, name = _dot_position("label", "Q" * 1_000_000)
        return review_and_fix(folder, name, data, check=_cut_check(cap, b"Q"))

    def dot_id(folder: Path) -> Plan:
        data, name = _dot_position("id", "W" * 1_000_000)
        return review_and_fix(folder, name, data, check=_cut_check(cap, b"W"))

    def obsidian_text(folder: Path) -> Plan:
        data, name = _obsidian_position("text-element", "K" * 1_000_000)
        return review_and_fix(folder, name, data, check=_cut_check(cap, b"K"))

    def dot_nesting(depth: int) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            nested = "subgraph { " * (depth - 1) + "x -> rank;" + " }" * (depth - 1)
            plan = review_and_fix(folder, f"nest{depth}.dot", dot_design(nested).encode())

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                review = outcomes[0]
                refused = b"subgraph nesting depth" in review.err
                if depth <= 200 and refused:
                    return f"depth {depth} was refused (the limit is 200)"
                if depth > 200 and not refused:
                    return f"depth {depth} was not refused with the limit named"
                return None
            plan.check = check
            return plan
        return build

    def deep_json(depth: int) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            elements, _ = design_elements()
            elements[0]["customData"] = {"deep": "DEEP"}
            data = scene(elements).replace(b'"DEEP"', b"[" * depth + b"1" + b"]" * depth)
            return review_and_fix(folder, f"deep{depth}.excalidraw", data)
        return build

    def frame_chain(folder: Path) -> Plan:
        elements, _ = design_elements()
        for i in range(1200):
            elements.append(_element("frame", f"f{i}", -50 - i, -150 - i, 1200 + 2 * i, 600 + 2 * i, name=f"F{i}",
                                     frameId=f"f{i + 1}" if i < 1199 else None))
        return review_and_fix(folder, "chain.excalidraw", scene(elements))

    def far_rectangle(folder: Path) -> Plan:
        elements, _ = design_elements()
        elements += box("far", 1e308, 0, "Monitoring")
        return review_and_fix(folder, "far.excalidraw", scene(elements))

    def obsidian_lz_bomb(folder: Path) -> Plan:
        import lzstring  # the test extra; its compressor makes the bomb

        elements, _ = design_elements()
        elements.append(text("big", 0, 900, "a" * 20_000_000))
        body = json.dumps({"type": "excalidraw", "elements": elements})
        packed = lzstring.LZString().compressToBase64(body)
        note = (f"---\nexcalidraw-plugin: parsed\n---\n# Excalidraw Data\n## Text Elements\n%%\n## Drawing\n"
                f"```compressed-json\n{packed}\n```\n%%\n").encode()
        return review_and_fix(folder, "bomb.excalidraw.md", note)

    def zlib_bomb(folder: Path) -> Plan:
        elements, _ = design_elements()
        elements.append(text("big", 0, 900, "a" * 200_000_000))
        return review_and_fix(folder, "bomb.excalidraw.png", png_with(scene(elements)))

    def special_input(kind: str) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            good = write(folder, "good.excalidraw", good_scene())
            if kind == "fifo":
                path = str(folder / "pipe.excalidraw")
                os.mkfifo(path)
            else:
                path = "/dev/zero"
            config = folder / "cfg" / ".diagramcheck.toml"
            config.parent.mkdir()
            config.write_text(f'baseline = "{path}"\n')
            cfg_good = write(folder / "cfg", "good.excalidraw", good_scene())

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                for o in outcomes:
                    if o.code != 2:
                        return f"{' '.join(o.argv[:2])}: exit code {o.code}, not 2"
                    if b"not a regular file" not in o.err and b"over the limit" not in o.err:
                        return f"{' '.join(o.argv[:2])}: no clear error: {o.err[:120]!r}"
                return None
            return Plan([["review", "--format", "json", path, good], ["fix", path, "-o", str(folder / "out.excalidraw")],
                         ["review", "--baseline", path, good], ["review", cfg_good]], check=check, good=good)
        return build

    return [
        Case("limits", "excalidraw: a 1,000,000-character frame name", frame_name),
        Case("limits", "dot: a 1,000,000-character label", dot_label),
        Case("limits", "dot: a 1,000,000-character node id", dot_id),
        Case("limits", "obsidian: a 1,000,000-character text element", obsidian_text),
        *[Case("limits", f"dot: subgraphs nested {d} deep", dot_nesting(d)) for d in (197, 200, 201)],
        *[Case("limits", f"excalidraw: JSON nested {d} deep (fix)", deep_json(d)) for d in (600, 1000)],
        Case("limits", "excalidraw: a chain of 1,200 frames", frame_chain),
        Case("limits", "excalidraw: a rectangle at x = 1e308", far_rectangle),
        Case("limits", "obsidian: LZString bomb (20 MB of text)", obsidian_lz_bomb),
        Case("limits", "png: zlib bomb (200 MB of text)", zlib_bomb),
        Case("limits", "/dev/zero as input, baseline and config baseline", special_input("device")),
        Case("limits", "a FIFO as input, baseline and config baseline", special_input("fifo")),
        Case("limits", "mermaid: a 1,000,000-character label", capped("mermaid", "label", b"Q")),
        Case("limits", "mermaid: a 1,000,000-character subgraph title", capped("mermaid", "subgraph-title", b"Q")),
        Case("limits", "mermaid: a 1,000,000-character node id", capped("mermaid", "id", b"W")),
        *[Case("limits", f"mermaid: subgraphs nested {d} deep", mermaid_nesting(d)) for d in (200, 201)],
        Case("limits", "drawio: a 1,000,000-character label", capped("drawio", "label", b"Q")),
        Case("limits", "drawio: a 1,000,000-character cell id", capped("drawio", "id", b"W")),
        Case("limits", "drawio: a 1,000,000-character page name (two pages)", drawio_page_name),
        Case("limits", "drawio: placeholders naming a 1 MB property 200,000 times", drawio_placeholders),
        Case("limits", "drawio: deflate bomb in a compressed page", drawio_bomb),
        Case("limits", "drawio: a chain of 5,000 nested containers", drawio_nested),
        Case("limits", "drawio: XML nested 100,000 deep", drawio_deep_xml),
    ]


def capped(fmt: str, position: str, letter: bytes) -> Callable[[Path], Plan]:
    def build(folder: Path) -> Plan:
        place, _ = POSITIONS[fmt]
        data, name = place(position, letter.decode() * 1_000_000)
        return review_and_fix(folder, name, data, check=_cut_check(10_000, letter))
    return build


def mermaid_nesting(depth: int) -> Callable[[Path], Plan]:
    def build(folder: Path) -> Plan:
        nested = "".join(f"    subgraph s{i}\n" for i in range(depth)) + "    x --> rank\n" + "    end\n" * depth
        plan = review_and_fix(folder, f"nest{depth}.md", mermaid_design(nested).encode())

        def check(outcomes: list[Outcome], folder: Path) -> str | None:
            refused = b"subgraph nesting depth" in outcomes[0].err
            if (depth > 200) != refused:
                return f"depth {depth} was {'' if refused else 'not '}refused (the limit is 200)"
            return None
        plan.check = check
        return plan
    return build


def drawio_page_name(folder: Path) -> Plan:
    page = drawio_page()
    data = (f'<mxfile><diagram name={_attr("N" * 1_000_000)} id="a">{page}</diagram>'
            f'<diagram name="Other" id="b">{page}</diagram></mxfile>').encode()
    return review_and_fix(folder, "pages.drawio", data, check=_cut_check(1_000, b"N"))


def drawio_placeholders(folder: Path) -> Plan:
    extra = (f'<UserObject label="{"%x%" * 200_000}" placeholders="1" x={_attr("P" * 1_000_000)} id="hostile">'
             '<mxCell style="rounded=1;" vertex="1" parent="1"><mxGeometry x="0" y="500" width="180" height="80" '
             'as="geometry"/></mxCell></UserObject>')
    return review_and_fix(folder, "placeholders.drawio", drawio_file(drawio_page(extra)), check=_cut_check(10_000, b"P"))


def drawio_bomb(folder: Path) -> Plan:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = packer.compress(b"%3C" + b"A" * 300_000_000) + packer.flush()
    data = f'<mxfile><diagram name="P" id="p">{base64.b64encode(bomb).decode()}</diagram></mxfile>'.encode()
    return review_and_fix(folder, "bomb.drawio", data)


def drawio_nested(folder: Path) -> Plan:
    cells = [drawio_cell(f"n{i}", f"Zone {i}", 1, 1, 20_000 - 3 * i, 20_000 - 3 * i, style="swimlane;html=1;",
                         parent="1" if i == 0 else f"n{i - 1}") for i in range(5000)]
    return review_and_fix(folder, "nested.drawio", drawio_file(drawio_page("".join(cells))))


def drawio_deep_xml(folder: Path) -> Plan:
    return review_and_fix(folder, "deep.drawio", drawio_file(drawio_page("<a>" * 100_000 + "</a>" * 100_000)))


NON_UTF8 = b"sketch-\xff\xfe.excalidraw"


def crash_cases() -> list[Case]:
    def non_utf8_name(fmt: str, kind: str = "excalidraw") -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            if kind == "mermaid":  # two blocks, one that cannot be read: block names and errors carry the name
                path = write(folder, b"notes-\xff\xfe.md", (mermaid_design() + "\n```mermaid\nflowchart LR\n  A[\"x\n```\n").encode())
            elif kind == "drawio":
                path = write(folder, b"design-\xff\xfe.drawio", drawio_file(drawio_page()))
            elif kind == "dot":
                path = write(folder, b"design-\xff\xfe.dot", dot_design().encode())
            elif kind == "obsidian":
                path = write(folder, b"design-\xff\xfe.excalidraw.md", obsidian_with(design_elements()[0]))
            else:
                path = write(folder, NON_UTF8, good_scene())
            good = write(folder, "good.excalidraw", good_scene())
            commands = [["review", "--format", fmt, path, good]]
            if fmt == "json":
                commands.append(["review", "--format", "json", "-o", str(folder / "report.json"), path, good])
                commands.append(["graph", "--format", "json", path, good])
                commands.append(["fix", path])

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                for o in outcomes:
                    if o.argv[0] == "review" and "-o" not in o.argv and b"\\xff" not in o.out and b"%FF" not in o.out:
                        return f"{fmt}: the name is not shown with escapes"
                return None
            return Plan(commands, check=check, good=good)
        return build

    def bad_baseline(content: bytes) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            good = write(folder, "good.excalidraw", good_scene())
            baseline = write(folder, "baseline.json", content)

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                return None if outcomes[0].code == 2 and b"baseline" in outcomes[0].err else "no clear baseline error"
            return Plan([["review", "--baseline", baseline, good]], check=check)
        return build

    def progress_non_utf8(folder: Path) -> Plan:
        repo = folder / "repo"
        repo.mkdir()
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        write(repo, NON_UTF8, good_scene())
        write(repo, "good.excalidraw", good_scene())
        git = ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b"]
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", "x"], check=True)
        return Plan([["progress", str(repo)]])

    return [
        *[Case("crash", f"non-UTF-8 file name, --format {fmt}", non_utf8_name(fmt))
          for fmt in ("text", "json", "sarif", "markdown", "github", "concise", "html")],
        *[Case("crash", f"non-UTF-8 name of a {kind} file, --format {fmt}", non_utf8_name(fmt, kind))
          for kind in ("mermaid", "drawio", "dot", "obsidian") for fmt in ("text", "json", "sarif", "github", "pylint")],
        Case("crash", "a Markdown file that is not UTF-8", not_utf8_markdown),
        Case("crash", "drawio: a compressed page with a broken escape", drawio_broken_escape),
        Case("crash", "baseline whose components are a number", bad_baseline(
            b'{"version": 1, "findings": [{"file": "good.excalidraw", "rule": "x", "components": 3}]}')),
        Case("crash", "baseline whose file is a list", bad_baseline(
            b'{"version": 1, "findings": [{"file": [], "rule": "x", "components": []}]}')),
        Case("crash", "progress over a non-UTF-8 tracked name", progress_non_utf8),
    ]


def not_utf8_markdown(folder: Path) -> Plan:
    return review_and_fix(folder, "latin.md", mermaid_design('    caf["Caf\xe9"]').encode("latin-1"))


def drawio_broken_escape(folder: Path) -> Plan:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    page = quote(drawio_page(), safe="~()*!.'") + "%zz%"
    body = base64.b64encode(packer.compress(page.encode()) + packer.flush()).decode()
    return review_and_fix(folder, "broken.drawio", f'<mxfile><diagram name="P" id="p">{body}</diagram></mxfile>'.encode())


def write_cases() -> list[Case]:
    def unchanged(paths: dict[str, bytes]) -> Callable[[list[Outcome], Path], str | None]:
        def check(outcomes: list[Outcome], folder: Path) -> str | None:
            for path, before in paths.items():
                now = Path(path).read_bytes() if Path(path).exists() else None
                if now != before:
                    return f"{path} was changed"
            return None
        return check

    def baseline_onto_input(folder: Path) -> Plan:
        good = write(folder, "good.excalidraw", good_scene())
        plan = Plan([["review", "--write-baseline", good, good]], good=None)
        inner = unchanged({good: good_scene()})
        plan.check = lambda o, f: inner(o, f) or (None if o[0].code == 2 else "writing a baseline onto an input did not fail")
        return plan

    def through_link(command: str, dangling: bool, force: bool) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            good = write(folder, "good.excalidraw", good_scene())
            target = folder / "elsewhere" / "target.txt"
            target.parent.mkdir()
            if not dangling:
                target.write_bytes(b"precious")
            if command == "init":
                link = folder / "repo" / ".diagramcheck.toml"
                link.parent.mkdir()
                argv = ["init", str(link.parent)]
            elif command == "fix":
                link = folder / "good.fixed.excalidraw"
                argv = ["fix", good] + (["--force"] if force else [])
            else:
                link = folder / "report.json"
                argv = ["review", "--format", "json", "-o", str(link), good] + (["--force"] if force else [])
            link.symlink_to(target)

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                after = target.read_bytes() if target.exists() else None
                if after != (None if dangling else b"precious"):
                    return "the symlink's target was written"
                if force and command != "init":
                    if link.is_symlink():
                        return "--force did not replace the link itself"
                elif outcomes[0].code != 2 and not (command == "init" and b"left as it is" in outcomes[0].err):
                    return "writing through a symlink was not refused"
                return None
            return Plan([argv], check=check)
        return build

    def onto_input(kind: str) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            good = write(folder, "good.excalidraw", good_scene())
            other = folder / "other.json"
            if kind == "hard link":
                os.link(good, other)
            elif kind == "symlink":
                other.symlink_to(good)
            target = good if kind == "input" else str(other)
            plan = Plan([["review", "--format", "json", "--force", "-o", target, good]])
            inner = unchanged({good: good_scene()})
            plan.check = lambda o, f: inner(o, f) or (None if o[0].code == 2 else "overwriting an input was not refused")
            return plan
        return build

    return [
        Case("write", "--write-baseline onto an input", baseline_onto_input),
        *[Case("write", f"{cmd} through a {'dangling' if d else 'live'} symlink{' with --force' if f else ''}",
               through_link(cmd, d, f))
          for cmd in ("review -o", "fix", "init") for d in (True, False) for f in ((False, True) if cmd != "init" else (False,))],
        *[Case("write", f"-o onto the input ({k}), with --force", onto_input(k)) for k in ("input", "hard link", "symlink")],
        *[Case("write", f"{what} onto the Markdown file of the block reviewed", onto_markdown(what))
          for what in ("review -o", "graph -o", "fix -o", "--write-baseline")],
    ]


def onto_markdown(what: str) -> Callable[[Path], Plan]:
    """`notes.md#block1` is read from notes.md: no output may replace it."""
    def build(folder: Path) -> Plan:
        doc = folder / "notes.md"
        before = (mermaid_design() + "\n" + mermaid_design()).encode()
        doc.write_bytes(before)
        block = f"{doc}#block1"
        argv = {"review -o": ["review", "--format", "json", "--force", "-o", str(doc), block],
                "graph -o": ["graph", "--format", "json", "--force", "-o", str(doc), block],
                "fix -o": ["fix", block, "--force", "-o", str(doc)],
                "--write-baseline": ["review", "--write-baseline", str(doc), block]}[what]

        def check(outcomes: list[Outcome], folder: Path) -> str | None:
            if doc.read_bytes() != before:
                return "the Markdown file was overwritten"
            return None if outcomes[0].code == 2 and b"input" in outcomes[0].err else "no clear refusal"
        return Plan([argv], check=check)
    return build


INJECT = "x\n::warning file=pwned.txt::injected\x1b[31mRED\x1b]8;;http://evil/\x07link\x1b]8;;\x07\x1b]52;c;cHduZWQ=\x07\r\x85\u2028"
MARKDOWN = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) `tick` <script>alert(2)</script>"


def injection_cases() -> list[Case]:
    def hostile_sketch(folder: Path) -> tuple[str, str]:
        elements, rects = design_elements()
        elements += box("mon\n::error::id", 0, 500, "Monitoring " + INJECT)
        elements.append(arrow("arr\n::error::arrow", rects["rank"], elements[-2]))
        elements.append(text("note", 0, 800, "Note " + INJECT + MARKDOWN))
        elements += box("md", 300, 500, "Thing " + MARKDOWN)
        frame = _element("frame", "fr", 280, 480, 300, 200, name="Zone " + INJECT)
        elements[-2]["frameId"] = "fr"
        elements.append(frame)
        name = "evil\n::warning file=a::b\x1b[2J\x1b]0;title\x07.excalidraw"
        return write(folder, name, scene(elements)), write(folder, "good.excalidraw", good_scene())

    def hostile_mermaid(folder: Path) -> str:
        """Labels, a subgraph title, an edge label and a note, and a subgraph left open (a
        warning quoting its title), and a second block that cannot be read (an error)."""
        extra = (f"    mon[{mermaid_string('Monitoring ' + INJECT)}]\n    rank -->|{mermaid_string(INJECT)}| mon\n"
                 f"    md[{mermaid_string('Thing ' + MARKDOWN)}]\n"
                 f"    note@{{ shape: text, label: {mermaid_string('Note ' + INJECT + MARKDOWN)} }}\n"
                 f"    subgraph open [{mermaid_string('Zone ' + INJECT)}]\n      md\n")
        broken = "\n```mermaid\nflowchart LR\n  A[\"" + INJECT + "\n```\n"
        return write(folder, "evil\n::warning file=a::b\x1b[2J\x1b]0;title\x07.md", (mermaid_design(extra) + broken).encode())

    def hostile_drawio(folder: Path) -> str:
        """XML holds no C0 control but tab and line breaks: the rest of the injection."""
        inject = "".join(c for c in INJECT if c in "\n\r\t" or ord(c) >= 32)
        extra = (drawio_cell("mon\n::error::id", "Monitoring " + inject, 0, 500) + drawio_edge("arr", "rank", "mon\n::error::id")
                 + drawio_cell("note", "Note " + inject + MARKDOWN, 0, 800, style="text;html=0;")
                 + drawio_cell("md", "Thing " + MARKDOWN, 300, 500, style="rounded=1;"))
        page = drawio_page(extra)
        data = (f'<mxfile><diagram name={_attr("Page " + inject)} id="a">{page}</diagram>'
                f'<diagram name="Other" id="b">{page}</diagram></mxfile>').encode()
        return write(folder, "evil\n::warning file=a::b\x1b[2J\x1b]0;title\x07.drawio", data)

    def hostile_dot(folder: Path) -> str:
        """An id, a label, a cluster title, an edge label and a note."""
        extra = (f"  {dot_string('mon' + INJECT)} [label={dot_string('Monitoring ' + INJECT)}];\n"
                 f"  rank -> {dot_string('mon' + INJECT)} [label={dot_string(INJECT)}];\n"
                 f"  subgraph cluster_z {{ label={dot_string('Zone ' + INJECT)}; md [label={dot_string('Thing ' + MARKDOWN)}]; }}\n"
                 f"  note [shape=note, label={dot_string('Note ' + INJECT + MARKDOWN)}];\n")
        return write(folder, "evil\n::warning file=a::b\x1b[2J\x1b]0;title\x07.dot", dot_design(extra).encode())

    def hostile_obsidian(folder: Path) -> str:
        """The Excalidraw elements in an Obsidian note, a text element's text from its section."""
        elements, rects = design_elements()
        elements += box("mon", 0, 500, "Monitoring")
        elements.append(arrow("arr", rects["rank"], elements[-2]))
        elements.append(text("note", 0, 800, "x"))
        data = obsidian_with(elements, f"Note {INJECT}{MARKDOWN} ^note\n\nMonitoring {INJECT} ^mon-t\n")
        return write(folder, "evil\n::warning file=a::b\x1b[2J\x1b]0;title\x07.excalidraw.md", data)

    def output(fmt: str, command: str = "review") -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            path, good = hostile_sketch(folder)
            missing = str(folder / "missing\n::error::x\x1b[31m.dot")
            argv = [command, "--format", fmt, path, hostile_mermaid(folder), hostile_drawio(folder), hostile_dot(folder),
                    hostile_obsidian(folder), good, missing]
            if command == "review" and fmt == "text":
                argv.insert(1, "--no-color")

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                o = outcomes[0]
                problem = inert_lines(o.err)
                if problem:
                    return "stderr: " + problem
                if fmt in ("json", "sarif", "html"):
                    body = o.out
                    problem = inert_lines(body.replace(b"\n", b" "))  # terminals show these too
                    if problem and "workflow command" not in problem:
                        return f"{fmt}: {problem}"
                    if fmt == "html" and (b"<img" in body or b"<script>alert" in body):
                        return "raw HTML from a label in the page"
                    if fmt == "sarif":
                        uris = [loc["physicalLocation"]["artifactLocation"]["uri"]
                                for run in json.loads(body)["runs"] for r in run["results"] for loc in r["locations"]]
                        if any(not all(c.isalnum() or c in "-._~/%:" for c in uri) for uri in uris):
                            return f"a SARIF URI is not percent-encoded: {uris[0]!r}"
                    return None
                problem = inert_lines(o.out, allow_commands=fmt == "github")
                if problem:
                    return f"{fmt}: {problem}"
                if fmt == "github":
                    for line in o.out.splitlines():
                        if line and not line.startswith((b"::error ", b"::warning ", b"::notice ")):
                            return f"github: a line is not one annotation: {line[:60]!r}"
                if fmt == "markdown":
                    import re

                    for raw in (rb"<img", rb"<script", rb"(?<!\\)\]\(javascript:"):
                        if re.search(raw, o.out):
                            return f"markdown: {raw.decode()!r} passed through"
                return None
            return Plan([argv], check=check, good=good)
        return build

    def dot_fix(kind: str) -> Callable[[Path], Plan]:
        def build(folder: Path) -> Plan:
            if kind == "brace in a trailing comment":
                data = (dot_design() + "// the end }\n/* } */\n").encode()
            elif kind == "latin1 charset":
                data = dot_design('  caf [label="Café données"];\n  rank -> caf;', ' charset="latin1";').encode("latin-1")
            else:
                data = dot_design('  "mon\\itor" [label="Monitoring"];\n  rank -> "mon\\itor";').encode()
            path = write(folder, "design.dot", data)
            out = folder / "fixed.dot"

            def check(outcomes: list[Outcome], folder: Path) -> str | None:
                sys.path.insert(0, str(ROOT))
                from diagramcheck.readers import read_bytes

                fixed = out.read_bytes()
                if kind == "latin1 charset":
                    if "Café données".encode("latin-1") not in fixed:
                        return "the latin1 text was re-encoded"
                before = read_bytes(data, "design.dot")
                after = read_bytes(fixed, "fixed.dot")
                old = {s.id for s in before.shapes}
                new = {s.id for s in after.shapes}
                if not old <= new:
                    return f"nodes lost: {sorted(old - new)[:3]}"
                added = [s for s in after.shapes if s.id not in old]
                if not added:
                    return "nothing was added inside the graph"
                for link in after.links:
                    for end in (link.start, link.end):
                        if end not in new:
                            return f"an edge to a phantom node {end!r}"
                phantom = [s.id for s in added if not s.id.startswith("fix") and s.id.replace("\\\\", "\\") in old]
                if phantom:
                    return f"a phantom copy of an existing node: {phantom[0]!r}"
                return None
            return Plan([["fix", path, "-o", str(out)]], check=check)
        return build

    return [
        *[Case("injection", f"ids, labels, zone titles, notes and file names: --format {fmt}", output(fmt))
          for fmt in ("text", "concise", "github", "markdown", "sarif", "json", "html")],
        *[Case("injection", f"the same in graph --format {fmt}", output(fmt, "graph")) for fmt in ("text", "dot")],
        *[Case("injection", f"dot fix: {k}", dot_fix(k)) for k in ("brace in a trailing comment", "latin1 charset",
                                                                    "backslash in an id")],
        *[Case("injection", f"{fmt} fix: a 300-character id reads back as the same element", long_id_fix(fmt))
          for fmt in ("dot", "mermaid", "drawio", "excalidraw")],
        Case("injection", "mermaid fix: hostile labels, fences in labels, an open subgraph", mermaid_fix_hostile),
    ]


def _read_back(data: bytes, name: str):
    sys.path.insert(0, str(ROOT))
    from diagramcheck.readers import parts_of

    return [p.sketch for p in parts_of(data, name) if p.sketch is not None]


def _joined(before, after) -> str | None:
    """Every element of `before` is in `after`, and every link of `after` ends at an element."""
    old = {s.id for s in before.shapes} | {t.id for t in before.texts}
    new = {s.id for s in after.shapes} | {t.id for t in after.texts}
    if not old <= new:
        return f"elements lost: {sorted(old - new)[:3]}"
    for link in after.links:
        for end in (link.start, link.end):
            if end is not None and end not in new and (before.bindings_exact or before.format in ("dot", "mermaid")):
                return f"a link to a missing element {end[:40]!r}"
    if before.format in ("dot", "mermaid"):
        phantom = [i for i in new - old if not i.startswith(("fix-", "diagramcheck", "dc_fix"))]
        if phantom:
            return f"a new node that is no addition: {phantom[0][:60]!r}"
    return None


def long_id_fix(fmt: str) -> Callable[[Path], Plan]:
    def build(folder: Path) -> Plan:
        place, _ = POSITIONS[fmt]
        data, name = place("element-id" if fmt == "excalidraw" else "id", "W" * 300)
        path = write(folder, name, data)
        out = folder / ("fixed-" + name)

        def check(outcomes: list[Outcome], folder: Path) -> str | None:
            before, after = _read_back(data, name)[0], _read_back(out.read_bytes(), name)[0]
            problem = _joined(before, after)
            if problem:
                return problem
            long_id = next(s.id for s in before.shapes if s.id.startswith("WWW"))
            ends = lambda sketch: sum(long_id in (link.start, link.end) for link in sketch.links)  # noqa: E731
            return None if ends(after) > ends(before) else "no added connection reached the element with the long id"
        return Plan([["fix", path, "-o", str(out)]], check=check, input_bytes=len(data))
    return build


def mermaid_fix_hostile(folder: Path) -> Plan:
    extra = (f"    mon[{mermaid_string('Monitoring ```' + INJECT + ' --> x %% y')}]\n    rank --> mon\n"
             f"    subgraph open [{mermaid_string('Serving ~~~')}]\n      api\n")
    data = ("Intro with ```` and ~~~ inside a line.\n\n" + mermaid_design(extra)).encode()
    path = write(folder, "notes.md", data)
    out = folder / "fixed.md"

    def check(outcomes: list[Outcome], folder: Path) -> str | None:
        fixed = out.read_bytes()
        if not fixed.startswith(data[: data.index(b"```mermaid")]):
            return "the text before the block changed"
        before, after = _read_back(data, "notes.md"), _read_back(fixed, "notes.md")
        if len(before) != len(after):
            return f"{len(before)} blocks became {len(after)}"
        return _joined(before[0], after[0])
    return Plan([["fix", path, "-o", str(out)]], check=check)


# A fast subset for the test suite (tests/test_attacks.py): every class, the cases that
# build quickly, and the hostile strings at a small size in every position of every format.
CI_NAMES = (
    "unterminated string", "unterminated /*", "payload marker", "[[ in a text", "<br +", "'1,1,1", "'ctr ctr",
    "200,000-letter", "alternating 40,000", "frameIds point", "{2,000 nodes}", "\\N x 45,000", "stacked at one spot",
    "arrows ending at one point", "nested rectangles", "icon/caption", "1e9-px", "1,000,000-character",
    "nested 197", "nested 200", "nested 201", "JSON nested 600", "chain of 1,200", "x = 1e308", "/dev/zero", "FIFO",
    "unterminated quoted label", "'<div' x", "'<svg ' x", "```mermaid lines", "(2,000 x 2,000)", "XML nested",
    "deflate bomb", "placeholders naming",
)


def ci_cases() -> list[Case]:
    chosen = [c for c in [*regex_cases(), *growth_cases(), *limit_cases()] if any(n in c.name for n in CI_NAMES)]
    strings = hostile_string_cases([16_384])
    per_place: dict[str, list[Case]] = {}
    for case in strings:
        per_place.setdefault(case.series.rsplit(":", 1)[0], []).append(case)
    sample = [cases[(n + step) % len(cases)] for n, cases in enumerate(per_place.values()) for step in (0, 5, 11)]
    return chosen + crash_cases() + write_cases() + injection_cases() + sample


def all_cases(sizes: list[int]) -> list[Case]:
    return [*regex_cases(), *growth_cases(), *limit_cases(), *crash_cases(), *write_cases(), *injection_cases(),
            *hostile_string_cases(sizes)]


# --- running a case in a child ----------------------------------------------------------


def child(plan_path: str, result_path: str) -> None:
    """Runs the commands in-process, after the imports and the pack and lexicon loads that
    every run pays (those are cold-start, measured in speed.py), and reports its own rusage."""
    limit = 4 << 30  # a runaway case fails here instead of taking the machine
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    sys.path.insert(0, str(ROOT))
    from diagramcheck import cli
    from diagramcheck.kinds import default_lexicon
    from diagramcheck.packs import catalog_for
    import diagramcheck.correct, diagramcheck.engine, diagramcheck.pipeline  # noqa: E401,F401

    catalog_for()
    default_lexicon()
    plans = json.loads(Path(plan_path).read_text())
    if plans and isinstance(plans[0], dict):  # a batch: each plan in its own folder
        batch = []
        for plan in plans:
            os.chdir(plan["cwd"])
            batch.append(_run_commands(cli, plan["commands"]))
        Path(result_path).write_text(json.dumps({"batch": batch, "peak_mb": _peak_kb() / 1024}))
        return
    results = _run_commands(cli, plans)
    Path(result_path).write_text(json.dumps({"results": results, "peak_mb": _peak_kb() / 1024}))


def _run_commands(cli, commands: list[list[str]]) -> list[dict]:
    results = []
    real_out, real_err = sys.stdout, sys.stderr
    for argv in commands:
        out, err = io.BytesIO(), io.BytesIO()
        # a strict UTF-8 stream, as a terminal or a CI log is: a name that cannot be encoded must not crash
        sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
        sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="strict", write_through=True)
        wrappers = (sys.stdout, sys.stderr)
        crash, code = "", None
        start, start_cpu = time.perf_counter(), time.process_time()
        try:
            code = cli.main(list(argv))
        except BaseException:  # noqa: BLE001 - a traceback is what we look for
            crash = traceback.format_exc()
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
        for wrapper in wrappers:
            try:
                wrapper.flush()
                wrapper.detach()  # or closing the wrapper closes the buffer
            except Exception:  # noqa: BLE001 - a closed or broken stream: keep what was written
                pass
        sys.stdout, sys.stderr = real_out, real_err
        results.append({"argv": argv, "code": code, "out": base64.b64encode(out.getvalue()).decode(),
                        "err": base64.b64encode(err.getvalue()).decode(), "crash": crash, "seconds": seconds,
                        "cpu": cpu})
    return results


def _peak_kb() -> int:
    """This process's peak resident memory since it started Python. Linux keeps ru_maxrss
    across exec, so it would count the parent's memory at the fork; VmHWM is the new one's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_case(case: Case, timeout: float) -> Result:
    result = Result(case)
    folder = Path(tempfile.mkdtemp(prefix="attack-"))
    try:
        try:
            plan = case.build(folder)
        except ImportError as exc:
            result.failure = f"skipped ({exc})"
            return result
        except Exception as exc:  # noqa: BLE001 - a case that cannot be built is reported, not fatal
            result.failure = f"could not build the case: {type(exc).__name__}: {exc}"
            return result
        result.input_bytes = plan.input_bytes
        plan_file, result_file = folder / ".plan.json", folder / ".result.json"
        plan_file.write_text(json.dumps(plan.commands))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": ""}
        try:
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(plan_file), str(result_file)],
                                  cwd=folder, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            result.failure = f"did not finish in {timeout:.0f} s"
            result.seconds = timeout
            return result
        if not result_file.exists():
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            result.failure = f"child died ({done.returncode}): {tail[0][:120]}"
            return result
        data = json.loads(result_file.read_text())
        result.peak_mb = data["peak_mb"]
        result.outcomes = [Outcome(r["argv"], r["code"], base64.b64decode(r["out"]), base64.b64decode(r["err"]),
                                   r["crash"], r["seconds"], r["cpu"]) for r in data["results"]]
        result.seconds = sum(o.seconds for o in result.outcomes)
        result.cpu = sum(o.cpu for o in result.outcomes)
        failure = _fails(result.outcomes, plan) or (plan.check(result.outcomes, folder) if plan.check else None)
        if failure is None and case.cls not in ("crash", "write"):
            seconds, megabytes = budget(result.input_bytes)
            spent = result.seconds if JUDGE_WALL else result.cpu
            if spent > seconds:
                failure = f"over the time budget ({spent:.2f} s {'wall' if JUDGE_WALL else 'CPU'} > {seconds:.1f} s)"
            elif result.peak_mb > megabytes:
                failure = f"over the memory budget ({result.peak_mb:.0f} MB > {megabytes:.0f} MB)"
            result.over_budget = failure is not None
        result.failure = failure or ""
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_batch(cases: list[Case], timeout: float) -> list[Result]:
    """The cases run one after another in one child (the test suite's way: checks, not
    budgets; a hang fails the whole batch at the timeout)."""
    results = [Result(case) for case in cases]
    folders = [Path(tempfile.mkdtemp(prefix="attack-")) for _ in cases]
    try:
        plans, built = [], []
        for result, folder in zip(results, folders):
            try:
                plan = result.case.build(folder)
            except ImportError as exc:
                result.failure = f"skipped ({exc})"
                continue
            plans.append({"cwd": str(folder), "commands": plan.commands})
            built.append((result, folder, plan))
        batch_dir = Path(tempfile.mkdtemp(prefix="attack-batch-"))
        folders.append(batch_dir)
        (batch_dir / "plan.json").write_text(json.dumps(plans))
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": ""}
        try:
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", str(batch_dir / "plan.json"),
                                   str(batch_dir / "result.json")], cwd=batch_dir, capture_output=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            for result, _, _ in built:
                result.failure = f"the batch did not finish in {timeout:.0f} s"
            return results
        if not (batch_dir / "result.json").exists():
            tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["no output"]
            for result, _, _ in built:
                result.failure = f"child died ({done.returncode}): {tail[0][:120]}"
            return results
        for (result, folder, plan), runs in zip(built, json.loads((batch_dir / "result.json").read_text())["batch"]):
            result.outcomes = [Outcome(r["argv"], r["code"], base64.b64decode(r["out"]), base64.b64decode(r["err"]),
                                       r["crash"], r["seconds"], r["cpu"]) for r in runs]
            result.failure = _fails(result.outcomes, plan) or (plan.check(result.outcomes, folder) if plan.check else None) or ""
        return results
    finally:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def budget(input_bytes: int) -> tuple[float, float]:
    """Seconds and megabytes allowed: the budget up to 2 MB, growing linearly above."""
    scale = max(1.0, input_bytes / BUDGET_INPUT)
    return BUDGET_SECONDS * scale, BUDGET_MB * scale


FLAT_SECONDS = 0.25


def growth_exponents(results: list[Result]) -> list[tuple[str, float, float]]:
    """(series, exponent, seconds at the largest size): time ~ size ** exponent between the
    smallest and the largest size of each series (1 is linear)."""
    by_series: dict[str, list[Result]] = {}
    for r in results:
        if r.case.series and not r.failure.startswith("skipped"):
            by_series.setdefault(r.case.series, []).append(r)
    out = []
    for series, rs in by_series.items():
        rs.sort(key=lambda r: r.case.size)
        small, large = rs[0], rs[-1]
        if small is large or small.cpu <= 0 or large.cpu < FLAT_SECONDS:
            continue  # under FLAT_SECONDS at the largest size, the ratio is timer noise, not growth
        # the part of the time that depends on the input: minus a run's fixed cost (the good
        # file and the pipeline on an empty sketch), so that small inputs do not hide growth
        base = 0.05
        exponent = math.log(max(large.cpu - base, 1e-3) / max(small.cpu - base, 1e-3)) / math.log(large.case.size / small.case.size)
        out.append((series, exponent, large.cpu))
    return sorted(out, key=lambda t: -t[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="the hostile strings at two small sizes only")
    parser.add_argument("--sizes", default="262144,1048576", help="sizes of the regex-hostile strings, in characters")
    parser.add_argument("--only", default="", help="only the classes (comma-separated) or names containing this")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--wall", action="store_true", help="judge the time budget by wall time, not CPU time")
    args = parser.parse_args(argv)
    global JUDGE_WALL
    JUDGE_WALL = args.wall
    if args.child:
        child(*args.child)
        return 0
    sizes = [65536, 131072] if args.quick else [int(s) for s in args.sizes.split(",")]
    cases = all_cases(sizes)
    if args.only:
        wanted = args.only.split(",")
        cases = [c for c in cases if c.cls in wanted or any(w in c.name for w in wanted)]
    results: list[Result] = []
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for r in pool.map(lambda c: run_case(c, args.timeout), cases):
            results.append(r)
            mark = "FAIL" if r.failure and not r.failure.startswith("skipped") else ("skip" if r.failure else " ok ")
            print(f"{mark} {r.case.cls:<15} {r.cpu:6.2f} s CPU {r.seconds:6.2f} s wall {r.peak_mb:6.0f} MB  {r.case.name}"
                  + (f"\n       {r.failure}" if r.failure else ""), flush=True)
    print()
    print(f"{'class':<16} {'cases':>5} {'failed':>6} {'worst CPU':>10} {'worst wall':>11} {'worst memory':>13}   "
          f"(budget: {BUDGET_SECONDS:.0f} s, {BUDGET_MB:.0f} MB up to 2 MB of input)")
    for cls in dict.fromkeys(r.case.cls for r in results):
        rs = [r for r in results if r.case.cls == cls]
        failed = sum(1 for r in rs if r.failure and not r.failure.startswith("skipped"))
        slowest = max(rs, key=lambda r: r.cpu)
        biggest = max(rs, key=lambda r: r.peak_mb)
        print(f"{cls:<16} {len(rs):>5} {failed:>6} {slowest.cpu:>8.2f} s {max(r.seconds for r in rs):>9.2f} s "
              f"{biggest.peak_mb:>10.0f} MB   slowest: {slowest.case.name[:60]}")
    exponents = growth_exponents(results)
    if exponents:
        print()
        print(f"growth with size of the regex-hostile strings taking {FLAT_SECONDS} s or more at the largest size "
              "(CPU time ~ size^k; 1 is linear), steepest first:")
        for series, k, seconds in exponents[:10]:
            print(f"  k = {k:4.2f}  {seconds:6.2f} s at the largest size  {series}")
    return 1 if any(r.failure and not r.failure.startswith("skipped") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
