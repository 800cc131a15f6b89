"""Readers: one per file format, each giving a Sketch. `read_path` picks by name, then by content."""

from __future__ import annotations

from pathlib import Path

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS
from diagramcheck.readers.stream import STREAM_ABOVE
from diagramcheck.sketch import Sketch

SUFFIXES = (".excalidraw.md", ".excalidraw.svg", ".excalidraw.png", ".excalidraw", ".dot", ".gv", ".json", ".svg", ".png", ".md",
            ".drawio", ".dio", ".xml")
DRAWIO_FORMATS = ("drawio", "drawio-png", "drawio-svg")


_BOM = b"\xef\xbb\xbf"


def detect_format(name: str, head: bytes) -> str:
    lower = name.lower()
    if lower.endswith((".drawio", ".dio", ".xml")):
        return "drawio"
    if lower.endswith(".drawio.png"):
        return "drawio-png"
    if lower.endswith(".drawio.svg"):
        return "drawio-svg"
    if lower.endswith(".md"):
        return "obsidian"
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
    return "dot"


def sniff_format(name: str, data: bytes) -> str:
    """The format by name, then by content; a PNG or SVG not named for one app is read as
    whichever app's diagram it carries (Excalidraw's scene, or draw.io's `mxfile`)."""
    fmt = detect_format(name, data[:512])
    if fmt in ("excalidraw-png", "excalidraw-svg") and not name.lower().endswith((".excalidraw.png", ".excalidraw.svg")):
        from diagramcheck.readers.drawio_file import has_drawio_payload
        from diagramcheck.readers.embedded import PAYLOAD_TYPE

        if PAYLOAD_TYPE.encode() not in data and has_drawio_payload(data):
            return "drawio-png" if fmt == "excalidraw-png" else "drawio-svg"
    return fmt


def read_path(path: str | Path, page: str | None = None) -> Sketch:
    path = Path(path)
    try:
        size = path.stat().st_size
        LIMITS.check("file size", size, LIMITS.max_file_bytes)
        with path.open("rb") as handle:
            # read(n) allocates n bytes first: asking for the size stat gave (plus one, to
            # notice a file that grew, or a pipe whose size is 0) costs a sixth of
            # asking for the limit on a typical sketch
            data = handle.read(size + 1)
            if len(data) > size:
                data += handle.read(LIMITS.max_file_bytes + 1 - len(data))
    except IsADirectoryError:
        raise DiagramError("is a directory") from None
    except FileNotFoundError:
        raise DiagramError("no such file") from None
    except PermissionError:
        raise DiagramError("permission denied") from None
    except OSError as exc:
        raise DiagramError(f"cannot read file ({exc.strerror or exc})") from None
    LIMITS.check("file size", len(data), LIMITS.max_file_bytes)
    holder = [data]
    del data  # read_bytes drops the last reference once parsed
    return read_bytes(holder, str(path), page=page)


def read_bytes(data: bytes | list[bytes], name: str, fmt: str | None = None, page: str | None = None) -> Sketch:
    """`data` may be a one-item list, which is emptied once parsed so the bytes can be freed."""
    holder = data if isinstance(data, list) else [data]
    data = holder[0]
    if not data.strip():
        raise DiagramError("file is empty")
    fmt = fmt or sniff_format(name, data)
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
