"""Readers: one per file format, each giving a Sketch. `read_path` picks by name, then by content.

A file usually holds one sketch; a Markdown file holds one per Mermaid block.
`read_parts` gives every part of a file (each sketch, or why a part could not be read
or was skipped); `read_path` and `read_bytes` give the one sketch of a file, or of
`notes.md#block2`.
"""

from __future__ import annotations

import io
from pathlib import Path

from diagramcheck import formats
from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_file
from diagramcheck.limits import LIMITS
from diagramcheck.readers.stream import STREAM_ABOVE
from diagramcheck.sketch import Part, Sketch, within_limits

DRAWIO_FORMATS = ("drawio", "drawio-png", "drawio-svg")
MERMAID_SUFFIXES = (".mmd", ".mermaid")


_BOM = b"\xef\xbb\xbf"


def markdown_format(data: bytes) -> str:
    """Which reader takes a Markdown file: `obsidian` (an Excalidraw drawing), `mermaid` (it
    has a mermaid block, of any type: the blocks that are no flowchart are skipped with the
    reason), or `markdown` (neither: not a sketch). By content, as formats.py sniffs it."""
    from diagramcheck.readers.mermaid import holds_mermaid

    if formats.is_obsidian_drawing(io.BytesIO(data)):
        return "obsidian"
    if holds_mermaid(data):
        return "mermaid"
    return "markdown"


def detect_format(name: str, head: bytes) -> str:
    """By name, then by content. `head` may be the whole file (Markdown is told by what
    it holds) or its first bytes."""
    lower = name.lower()
    if lower.endswith((".drawio", ".dio", ".xml")):
        return "drawio"
    if lower.endswith(".drawio.png"):
        return "drawio-png"
    if lower.endswith(".drawio.svg"):
        return "drawio-svg"
    if lower.endswith(MERMAID_SUFFIXES):
        return "mermaid"
    if lower.endswith(".excalidraw.md"):
        return "obsidian"
    if lower.endswith(formats.DOCUMENTS):
        return markdown_format(head)
    head = head[:512]
    if lower.endswith(".svg"):
        return "excalidraw-svg"
    if lower.endswith(".png"):
        return "excalidraw-png"
    if lower.endswith((".dot", ".gv")):
        return "dot"
    if lower.endswith((".excalidraw", ".json")):
        return "excalidraw"
    stripped = head.removeprefix(_BOM).lstrip()
    if head.startswith(b"\x89PNG"):
        return "excalidraw-png"
    if stripped.startswith(b"{"):
        return "excalidraw"
    if stripped.startswith((b"<mxfile", b"<mxGraphModel")):
        return "drawio"
    if stripped.startswith(b"<"):
        return "excalidraw-svg"
    if stripped.startswith(b"---") or b"excalidraw-plugin" in head:
        return "obsidian"
    from diagramcheck.readers.mermaid import looks_like_mermaid

    if looks_like_mermaid(head):
        return "mermaid"
    return "dot"


def sniff_format(name: str, data: bytes) -> str:
    """The format by name, then by content; a PNG or SVG not named for one app is read as
    whichever app's diagram it carries (Excalidraw's scene, or draw.io's `mxfile`)."""
    fmt = detect_format(name, data)
    if fmt in ("excalidraw-png", "excalidraw-svg") and not name.lower().endswith((".excalidraw.png", ".excalidraw.svg")):
        from diagramcheck.readers.drawio_file import has_drawio_payload
        from diagramcheck.readers.embedded import PAYLOAD_TYPE

        if PAYLOAD_TYPE.encode() not in data and has_drawio_payload(data):
            return "drawio-png" if fmt == "excalidraw-png" else "drawio-svg"
    return fmt


def read_path(path: str | Path, page: str | None = None) -> Sketch:
    return only_sketch(read_parts(path, page), str(path))


def read_parts(path: str | Path, page: str | None = None) -> list[Part]:
    """Every part of a file, named from `path` as given; `notes.md#block2` (when no file has
    that name) is that block alone."""
    name = str(path)
    file_name, block = formats.split_block_name(name)
    if block is not None and Path(name).exists():
        file_name, block = name, None
    return _select(parts_of([read_file(file_name)], file_name, page=page), file_name, block)


def parts_of(data: bytes | list[bytes], name: str, fmt: str | None = None, page: str | None = None) -> list[Part]:
    """The parts of a file's bytes: its Mermaid blocks (each named `notes.md#block2`), or the
    one sketch of any other format. Every sketch leaves with its labels and ids within the
    limits (sketch.within_limits), whichever reader made it."""
    holder = data if isinstance(data, list) else [data]
    if not holder[0].strip():
        raise DiagramError("file is empty")
    fmt = fmt or sniff_format(name, holder[0])
    size = len(holder[0])
    if fmt == "mermaid":
        parts = _mermaid_parts(holder.pop(), name)
    elif fmt == "markdown":
        raise DiagramError(formats.NO_DRAWING)
    else:
        parts = [Part(name=name, sketch=_read_one(holder, name, fmt, page))]
    sketches = [part.sketch for part in parts if part.sketch is not None]
    LIMITS.check_density(sum(len(s.shapes) + len(s.texts) + len(s.links) + len(s.decorations) for s in sketches), size)
    for sketch in sketches:
        within_limits(sketch, LIMITS.max_label_chars)
    return parts


def _select(parts: list[Part], file_name: str, block: int | None) -> list[Part]:
    if block is None:
        return parts
    blocks = parts if parts[0].name != file_name else []
    if not 1 <= block <= len(blocks):
        raise DiagramError(f"has no Mermaid block {block} (it has {len(blocks)})")
    return [blocks[block - 1]]


def _mermaid_parts(data: bytes, name: str) -> list[Part]:
    from diagramcheck.readers import mermaid

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DiagramError("not UTF-8 text") from None
    return mermaid.read_parts(text, name, whole_file=not name.lower().endswith(formats.DOCUMENTS), size=len(data))


def only_sketch(parts: list[Part], name: str) -> Sketch:
    """The one sketch of a file; a Markdown file with several Mermaid flowcharts names one."""
    flowcharts = [p for p in parts if p.skipped is None]
    if not flowcharts:
        raise DiagramError(f"skipped: {parts[0].skipped}" if len(parts) == 1 else
                           f"no Mermaid flowchart among its {len(parts)} Mermaid blocks")
    if len(flowcharts) > 1:
        raise DiagramError(f"holds {len(flowcharts)} Mermaid flowcharts: name one as {name}#blockN")
    if flowcharts[0].error is not None:
        raise DiagramError(flowcharts[0].error)
    return flowcharts[0].sketch


def read_bytes(data: bytes | list[bytes], name: str, fmt: str | None = None, page: str | None = None) -> Sketch:
    """The one sketch of a file's bytes (or of the block `notes.md#block2` names).
    `data` may be a one-item list, which is emptied once parsed so the bytes can be freed."""
    file_name, block = formats.split_block_name(name)
    return only_sketch(_select(parts_of(data, file_name, fmt, page), file_name, block), file_name)


def _read_one(holder: list[bytes], name: str, fmt: str, page: str | None) -> Sketch:
    """A file of a format that holds one sketch."""
    data = holder[0]
    if fmt in DRAWIO_FORMATS:
        from diagramcheck.readers import drawio

        return drawio.read_drawio(data, name, fmt, page)
    if fmt == "dot":
        from diagramcheck.readers import dot

        return dot.read_dot(data, name)
    from diagramcheck.readers import embedded, excalidraw

    if fmt == "excalidraw" and len(data) > STREAM_ABOVE:
        holder.clear()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DiagramError("not valid JSON (the file is not UTF-8 text)") from None
        del data  # only the text is needed from here on
        return excalidraw.stream_to_sketch(text, name, fmt)
    if fmt == "excalidraw":
        # the app reads files as text, which drops a byte order mark; orjson refuses one
        scene = excalidraw.parse_scene_bytes(data.removeprefix(_BOM))
        holder.clear()
        del data
        return excalidraw.scene_to_sketch(scene, name, fmt)
    if fmt in ("excalidraw-svg", "excalidraw-png"):
        try:
            scene = embedded.scene_from_svg(data) if fmt == "excalidraw-svg" else embedded.scene_from_png(data)
        except DiagramError as exc:
            if "has no embedded Excalidraw scene" in str(exc) and not name.lower().endswith((".excalidraw.svg", ".excalidraw.png")):
                kind = "SVG" if fmt == "excalidraw-svg" else "PNG"
                raise DiagramError(f"{kind} has no embedded Excalidraw scene or draw.io diagram (export it with 'Embed scene' "
                                   "on in Excalidraw, or 'Include a copy of my diagram' in draw.io)") from None
            raise
        return excalidraw.scene_to_sketch(scene, name, fmt)
    if fmt == "obsidian":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DiagramError("Obsidian note is not UTF-8 text") from None
        scene, overrides = embedded.scene_from_obsidian(text)
        return excalidraw.scene_to_sketch(scene, name, fmt, overrides)
    raise DiagramError(f"unknown format {fmt!r}")
