"""`diagramcheck fix`: review a sketch, apply every finding's machine-readable fix, and
write the corrected diagram in the input's own format (or render it). A Markdown file
with Mermaid blocks is reviewed and corrected block by block (writers/mermaid_fix.py)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from diagramcheck.engine import review
from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_file
from diagramcheck.formats import DOCUMENTS, FIXED
from diagramcheck.plan import FixPlan, make_plan
from diagramcheck.readers import DRAWIO_FORMATS, sniff_format
from diagramcheck.words import plural

SUFFIX_OUT = {"excalidraw": ".excalidraw", "excalidraw-svg": ".excalidraw", "excalidraw-png": ".excalidraw",
              "obsidian": ".excalidraw.md", "dot": None, "drawio": ".drawio", "drawio-png": ".drawio", "drawio-svg": ".drawio",
              "mermaid": None}


@dataclass
class Planned:
    """One sketch's fix plan, and the review it comes from."""

    graph: object
    plan: FixPlan
    problem: str

    def document(self) -> dict:
        return {"path": self.graph.path, "problem": self.problem, **self.plan.to_dict(self.graph)}


@dataclass
class Result:
    data: bytes | None  # None: nothing to add, nothing written
    default_name: str
    sketches: list[Planned]  # one; for a Markdown file, one per Mermaid flowchart block that reads
    blocks_of: str | None = None  # a Markdown file corrected block by block: its name (the plan lists each block)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (block, reason): Mermaid blocks left as they were
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (block, message): Mermaid blocks read tolerantly

    @property
    def plan(self) -> FixPlan:
        """The plan of the one sketch (of the first block, for a Markdown file)."""
        return self.sketches[0].plan

    @property
    def graph(self):
        return self.sketches[0].graph

    @property
    def problem(self) -> str:
        return self.sketches[0].problem

    @property
    def added_components(self) -> int:
        return sum(len(s.plan.components) for s in self.sketches)

    @property
    def added_connections(self) -> int:
        return sum(len(s.plan.connections) for s in self.sketches)

    @property
    def removals(self) -> int:
        return sum(len(s.plan.removals) for s in self.sketches)

    @property
    def left_open(self) -> int:
        return sum(len(s.plan.open) for s in self.sketches)

    @property
    def fixed_rules(self) -> list[str]:
        return sorted({rule for s in self.sketches for rule in s.plan.rules})

    def plan_document(self) -> dict:
        if self.blocks_of is None and len(self.sketches) == 1:
            return self.sketches[0].document()
        return {"path": self.blocks_of, "blocks": [s.document() for s in self.sketches]}


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
        return path.with_name(f"{stem}{FIXED}.{out_format}")
    suffix = SUFFIX_OUT.get(fmt) or original_suffix
    return path.with_name(f"{stem}{FIXED}{suffix}")


def plan_review(graph, result, catalog, categories, select=None, ignore=None, level: str = "senior") -> FixPlan:
    """The fix plan of one review: the same rules, problem and level judge the plan again."""
    def recheck(planned):
        return review(planned, catalog, categories, problem=result.problem, select=select, ignore=ignore, level=level,
                      detect=False).findings

    return make_plan(graph, result.findings, catalog, categories, recheck, problem=result.problem)


def correct(path: Path, lexicon, catalog, problem=None, select=None, ignore=None, out_format: str = "auto",
            level: str = "senior", page: str | None = None, dry_run: bool = False) -> Result:
    from diagramcheck.formats import split_block_name
    from diagramcheck.pipeline import load_graph

    def planned(graph) -> Planned:
        result = review(graph, catalog, lexicon.category, problem=problem, select=select, ignore=ignore, level=level)
        return Planned(graph, plan_review(graph, result, catalog, lexicon.category, select=select, ignore=ignore, level=level),
                       result.problem)

    name, block = split_block_name(str(path))
    source = Path(name) if block is not None and not path.exists() else path  # notes.md#block2
    data = read_file(source)
    fmt = sniff_format(source.name, data)
    if fmt == "mermaid" and out_format == "auto":
        from diagramcheck.writers.mermaid_fix import correct_file

        done = correct_file(source, data, block if source is not path else None, lexicon, planned)
        changed = not (dry_run or all(s.plan.empty for s in done.sketches))
        whole_markdown = source is path and source.name.lower().endswith(DOCUMENTS)
        return Result(done.data if changed else None, default_output(source, fmt, out_format).name, done.sketches,
                      str(source) if whole_markdown else None, done.errors, done.warnings)
    graph = load_graph(path, lexicon, page=page)
    one = planned(graph)
    plan = one.plan
    outcome = Result(None, default_output(source, fmt, out_format).name, [one])
    if dry_run or plan.empty:
        return outcome
    if out_format in ("svg", "png"):
        from diagramcheck.writers.render import render, render_dot

        fixed = plan.apply(graph, remove=False)
        removals = {(r.source, r.target): r.note for r in plan.removals}
        outcome.data = render(render_dot(fixed, {c.id for c in plan.components}, {(c.source, c.target) for c in plan.connections},
                                         title=f"{source.name} corrected by diagramcheck", removals=removals), out_format)
    elif fmt in DRAWIO_FORMATS:
        from diagramcheck.writers.drawio_fix import corrected_drawio

        outcome.data = corrected_drawio(data, str(path), fmt, page, graph, plan)
    elif fmt == "dot":
        from diagramcheck.readers.dot import decode_dot_as
        from diagramcheck.writers.dot_fix import corrected_dot

        text, encoding = decode_dot_as(data)
        # in the file's own encoding: what latin-1 cannot hold becomes a character reference
        outcome.data = corrected_dot(text, plan, graph).encode(encoding, errors="xmlcharrefreplace")
    else:
        from diagramcheck.readers.excalidraw import check_writable
        from diagramcheck.writers.corrected import corrected_scene

        scene, note = _scene(data, fmt)
        check_writable(scene)
        scene = corrected_scene(scene, graph, plan)
        if fmt == "obsidian":
            outcome.data = _obsidian(note, scene).encode("utf-8")
        else:
            outcome.data = (json.dumps(scene, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return outcome


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
    """The note with its drawing block replaced in the encoding it had (a compressed block
    stays compressed), and the new texts added to the Text Elements section, which the
    plugin reads first."""
    heading = _DRAWING.search(note)
    fence = _FENCE.search(note, heading.end()) if heading else None
    if fence is None:
        raise DiagramError("Obsidian note has no drawing block to replace")
    close = note.find("\n```", fence.end())
    if fence.group(1) == "compressed-json":
        from diagramcheck.writers.lzstring_out import obsidian_block

        body = "```compressed-json\n" + obsidian_block(json.dumps(scene, ensure_ascii=False, separators=(",", ":"))) + "\n"
    else:
        body = "```json\n" + json.dumps(scene, indent="\t", ensure_ascii=False)
    note = note[: fence.start()] + body + note[close if close != -1 else len(note):]
    added = [e for e in scene["elements"] if e.get("type") == "text" and e.get("strokeColor") == "#e03131"]
    entries = "".join(f"{e['originalText']} ^{e['id']}\n\n" for e in added)
    section = _TEXT_SECTION.search(note)
    if section is None:
        heading = _DRAWING.search(note)
        return note[: heading.start()] + "## Text Elements\n" + entries + "%%\n" + note[heading.start():]
    return note[: section.end()] + entries + note[section.end():]


def report_fix(result: Result, path: Path, output: Path | None, force: bool, dry_run: bool, out_format: str) -> int:
    """What `fix` prints and writes: the plan as JSON (dry run), 'nothing to add', or the
    copy; then the Mermaid blocks that could not be read (exit 2, the others corrected)."""
    import click
    import orjson

    from diagramcheck import inert
    from diagramcheck.formats import split_block_name
    from diagramcheck.output import write_output

    for name, message in result.warnings:
        click.echo(f"diagramcheck: warning: {inert.line(name)}: {inert.line(message)}", err=True)
    if dry_run:
        click.echo(orjson.dumps(result.plan_document(), option=orjson.OPT_INDENT_2).decode())
    elif result.data is None:
        left = f" ({plural(result.left_open, 'fixable finding')} could not be closed)" if result.left_open else ""
        click.echo(f"{inert.line(str(path))}: nothing to add: no finding of this review has a fix to draw{left}; nothing written", err=True)
    else:
        target = output or path.with_name(result.default_name)
        write_output(result.data, target, force=force, inputs=[path, Path(split_block_name(str(path))[0])])
        removals = f", and marked {plural(result.removals, 'arrow')} to remove" if result.removals else ""
        click.echo(f"wrote {inert.line(str(target))}: added {plural(result.added_components, 'component')} and "
                   f"{plural(result.added_connections, 'connection')}"
                   f"{removals} (fixes: {', '.join(result.fixed_rules)})", err=True)
    for name, message in result.errors:
        click.echo(f"diagramcheck: error: {inert.line(name)}: {inert.line(message)}", err=True)
    return 2 if result.errors else 0
