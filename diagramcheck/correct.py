"""`diagramcheck fix`: review a sketch, apply every finding's machine-readable fix, and
write the corrected diagram in the input's own format (or render it)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from diagramcheck.engine import review
from diagramcheck.errors import DiagramError
from diagramcheck.fixes import apply_fixes
from diagramcheck.readers import DRAWIO_FORMATS, sniff_format

SUFFIX_OUT = {"excalidraw": ".excalidraw", "excalidraw-svg": ".excalidraw", "excalidraw-png": ".excalidraw",
              "obsidian": ".excalidraw.md", "dot": None, "drawio": ".drawio", "drawio-png": ".drawio", "drawio-svg": ".drawio"}


@dataclass
class Result:
    data: bytes
    default_name: str
    added_components: int
    added_connections: int
    removals: int
    used_dot_layout: bool
    fixed_rules: list[str]


def default_output(path: Path, fmt: str, out_format: str) -> Path:
    name = path.name
    for suffix in (".excalidraw.md", ".excalidraw.svg", ".excalidraw.png", ".excalidraw", ".json", ".dot", ".gv",
                   ".drawio.png", ".drawio.svg", ".drawio", ".dio", ".xml", ".png", ".svg"):
        if name.lower().endswith(suffix):
            stem, original_suffix = name[: -len(suffix)], suffix
            break
    else:
        stem, original_suffix = path.stem, path.suffix
    if out_format in ("svg", "png"):
        return path.with_name(f"{stem}.fixed.{out_format}")
    suffix = SUFFIX_OUT.get(fmt) or original_suffix
    return path.with_name(f"{stem}.fixed{suffix}")


def correct(path: Path, lexicon, catalog, problem=None, select=None, ignore=None, out_format: str = "auto",
            level: str = "senior", page: str | None = None) -> Result:
    from diagramcheck.pipeline import load_graph
    from diagramcheck.writers.corrected import additions

    data = path.read_bytes()
    fmt = sniff_format(path.name, data)
    graph = load_graph(path, lexicon, page=page)
    result = review(graph, catalog, lexicon.category, problem=problem, select=select, ignore=ignore, level=level)
    findings = [f for f in result.findings if any(f.fix_actions.get(k) for k in ("add", "connect", "remove"))]
    fixed = apply_fixes(graph, findings)
    adds = additions(graph, fixed, findings)
    used_dot = False
    if out_format in ("svg", "png"):
        from diagramcheck.writers.render import render, render_dot

        added = {c.id for c in adds.components}
        edges = {(c.source, c.target) for c in adds.connections}
        blob = render(render_dot(fixed, added, edges, title=f"{path.name} corrected by diagramcheck"), out_format)
        used_dot = True
    elif fmt in DRAWIO_FORMATS:
        from diagramcheck.writers.drawio_fix import corrected_drawio

        blob, used_dot = corrected_drawio(data, str(path), fmt, page, graph, fixed, adds)
    elif fmt == "dot":
        from diagramcheck.readers.dot import decode_dot
        from diagramcheck.writers.dot_fix import corrected_dot

        names = {c.id: c.label for c in fixed.components}
        blob = corrected_dot(decode_dot(data), adds, names).encode("utf-8")
        used_dot = True  # DOT output needs no placement: Graphviz lays it out when drawn
    else:
        from diagramcheck.writers.corrected import corrected_scene

        scene, note = _scene(data, fmt)
        scene, used_dot = corrected_scene(scene, graph, fixed, adds)
        if fmt == "obsidian":
            blob = _obsidian(note, scene).encode("utf-8")
        else:
            blob = (json.dumps(scene, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return Result(blob, default_output(path, fmt, out_format).name, len(adds.components), len(adds.connections),
                  len(adds.removals), used_dot, adds.rules)


def _scene(data: bytes, fmt: str) -> tuple[dict, str]:
    from diagramcheck.readers import embedded, excalidraw

    if fmt == "excalidraw":
        return excalidraw.parse_scene_bytes(data), ""
    if fmt == "excalidraw-svg":
        return embedded.scene_from_svg(data), ""
    if fmt == "excalidraw-png":
        return embedded.scene_from_png(data), ""
    text = data.decode("utf-8-sig")
    scene, _ = embedded.scene_from_obsidian(text)
    return scene, text


_TEXT_SECTION = re.compile(r"^(#{1,2} Text Elements\s*\n)", re.M)
_DRAWING = re.compile(r"^#{1,2} Drawing\s*$", re.M)
_FENCE = re.compile(r"^```(compressed-json|json)\s*$", re.M)


def _obsidian(note: str, scene: dict) -> str:
    """The note with the drawing replaced by a plain json block (which the plugin accepts)
    and the new texts added to the Text Elements section, which the plugin reads first."""
    heading = _DRAWING.search(note)
    fence = _FENCE.search(note, heading.end()) if heading else None
    if fence is None:
        raise DiagramError("Obsidian note has no drawing block to replace")
    close = note.find("\n```", fence.end())
    body = json.dumps(scene, indent="\t", ensure_ascii=False)
    note = note[: fence.start()] + "```json\n" + body + note[close if close != -1 else len(note):]
    added = [e for e in scene["elements"] if e.get("type") == "text" and e.get("strokeColor") == "#e03131"]
    entries = "".join(f"{e['originalText']} ^{e['id']}\n\n" for e in added)
    section = _TEXT_SECTION.search(note)
    if section is None:
        heading = _DRAWING.search(note)
        return note[: heading.start()] + "## Text Elements\n" + entries + "%%\n" + note[heading.start():]
    return note[: section.end()] + entries + note[section.end():]
