"""Which files hold a sketch: the one table of formats the folder walk, explicit paths and
stdin all consult.

A format claims names outright (`.excalidraw`, `.dot`) or, for names that many other files
share (`.md`, `.json`, `.svg`, `.png`), only when a quick look at the content finds its own
marks. A new reader adds one `Format` here (or calls `register`); nothing in the walk
changes. Which reader parses a claimed file stays `readers.read_bytes`' business.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

HEAD_BYTES = 64 * 1024  # what a sniff may read from the start of a file
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_MAX_CHUNKS = 4096  # headers skipped in search of a text chunk: bounded, however the file is built


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...] = ()  # a name ending so is this format, whatever it holds
    sniffed: tuple[str, ...] = ()  # a name ending so may be: `sniff` decides on the content
    sniff: Callable[[BinaryIO], bool] | None = None  # reads from the start; the caller rewinds


# Text documents that often hold no drawing at all (a README beside the sketches). Named
# explicitly and holding none, such a file is skipped with a notice, not refused.
DOCUMENTS = (".md", ".markdown", ".mdx")
NO_DRAWING = "no Mermaid flowchart and no Excalidraw drawing in this document"
_BLOCK_NAME = re.compile(r"(.*)#block([0-9]{1,9})")


def split_block_name(name: str) -> tuple[str, int | None]:
    """A Markdown file's Mermaid blocks are sketches of their own, named `notes.md#block2`
    (counted from 1): (`notes.md`, 2). Any other name: (name, None)."""
    match = _BLOCK_NAME.fullmatch(name)
    if match and match.group(1).lower().endswith(DOCUMENTS):
        return match.group(1), int(match.group(2))
    return name, None


def _head(stream: BinaryIO, size: int = HEAD_BYTES) -> bytes:
    return stream.read(size)


_SCENE_TYPE = re.compile(rb'"type"\s*:\s*"excalidraw(?:/clipboard)?"')


def is_excalidraw_json(stream: BinaryIO) -> bool:
    head = _head(stream, 4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"{") and _SCENE_TYPE.search(head) is not None


_DRAWING_BLOCK = re.compile(rb"^#{1,2} Drawing[ \t]*\r?\n\s{0,200}?```(?:compressed-)?json", re.M)


def is_obsidian_drawing(stream: BinaryIO) -> bool:
    """The plugin's key in the front matter, or a drawing block: a compressed one, or a json
    one under the `Drawing` heading (a design doc's `## Drawing` section of Mermaid blocks is
    no Obsidian note)."""
    head = _head(stream)
    return b"excalidraw-plugin" in head[:4096] or b"```compressed-json" in head or _DRAWING_BLOCK.search(head) is not None


def is_mermaid_markdown(stream: BinaryIO) -> bool:
    """A Markdown file holding a fenced mermaid block that is a flowchart (the only kind
    reviewed): a README whose only diagram is a sequence diagram is no sketch."""
    from diagramcheck.limits import LIMITS
    from diagramcheck.readers.markdown import has_mermaid_fence
    from diagramcheck.readers.mermaid import holds_flowchart

    head = _head(stream)
    if not has_mermaid_fence(head) and len(head) < HEAD_BYTES:
        return False
    return holds_flowchart(head + stream.read(LIMITS.max_file_bytes))


def is_mermaid_text(stream: BinaryIO) -> bool:
    """For names with no suffix (stdin, `pipeline`): a Mermaid flowchart's header first."""
    from diagramcheck.readers.mermaid import looks_like_mermaid

    return looks_like_mermaid(_head(stream, 4096))


def is_excalidraw_svg(stream: BinaryIO) -> bool:
    head = _head(stream)
    return head.lstrip().startswith(b"<") and (b"svg-source:excalidraw" in head or b"application/vnd.excalidraw+json" in head)


def png_text_keywords(stream: BinaryIO) -> list[bytes]:
    """The keywords of a PNG's tEXt/zTXt/iTXt chunks, read by skipping from header to header
    (Excalidraw writes its chunk after the image data, 90 KB into a small export)."""
    if stream.read(8) != _PNG_SIGNATURE:
        return []
    keywords = []
    for _ in range(_PNG_MAX_CHUNKS):
        header = stream.read(8)
        if len(header) < 8:
            break
        length, kind = int.from_bytes(header[:4], "big"), header[4:]
        if kind in (b"tEXt", b"zTXt", b"iTXt"):
            keywords.append(stream.read(min(length, 80)).split(b"\0", 1)[0])
            stream.seek(length - min(length, 80) + 4, 1)
        elif kind == b"IEND":
            break
        else:
            stream.seek(length + 4, 1)
    return keywords


def is_excalidraw_png(stream: BinaryIO) -> bool:
    return b"application/vnd.excalidraw+json" in png_text_keywords(stream)


_GRAPH_KEYWORD = re.compile(rb"(?:strict\s+)?(?:di)?graph\b", re.I)


def is_dot(stream: BinaryIO) -> bool:
    """For names with no suffix (stdin, `pipeline`): a graph keyword after any comments.
    Skipped by hand, not by one regex, so no arrangement of comments can make it backtrack."""
    head = _head(stream, 4096).removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while pos < len(head):
        if head[pos:pos + 1].isspace():
            pos += 1
        elif head.startswith((b"//", b"#"), pos):
            end = head.find(b"\n", pos)
            pos = len(head) if end < 0 else end + 1
        elif head.startswith(b"/*", pos):
            end = head.find(b"*/", pos + 2)
            pos = len(head) if end < 0 else end + 2
        else:
            return _GRAPH_KEYWORD.match(head, pos) is not None
    return False


def _without_prolog(head: bytes) -> bytes:
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(b"<?xml"):
        end = head.find(b"?>")
        head = head[end + 2:].lstrip() if end >= 0 else b""
    return head


def is_drawio_xml(stream: BinaryIO) -> bool:
    return _without_prolog(_head(stream, 4096)).startswith((b"<mxfile", b"<mxGraphModel"))


def is_drawio_svg(stream: BinaryIO) -> bool:
    """An SVG export whose root element carries the diagram in its `content` attribute."""
    head = _head(stream)
    start = head.find(b"<svg")
    end = head.find(b">", start) if start >= 0 else -1
    root = head[start:end] if end >= 0 else b""
    return b"content=" in root and (b"mxfile" in root or b"mxGraphModel" in root)


def is_drawio_png(stream: BinaryIO) -> bool:
    return any(keyword in (b"mxfile", b"mxGraphModel") for keyword in png_text_keywords(stream))


FORMATS: list[Format] = [
    Format("obsidian", suffixes=(".excalidraw.md",), sniffed=DOCUMENTS, sniff=is_obsidian_drawing),
    Format("excalidraw-svg", suffixes=(".excalidraw.svg",), sniffed=(".svg",), sniff=is_excalidraw_svg),
    Format("excalidraw-png", suffixes=(".excalidraw.png",), sniffed=(".png",), sniff=is_excalidraw_png),
    Format("excalidraw", suffixes=(".excalidraw",), sniffed=(".json",), sniff=is_excalidraw_json),
    Format("mermaid-markdown", sniffed=DOCUMENTS, sniff=is_mermaid_markdown),
    Format("mermaid", suffixes=(".mmd", ".mermaid"), sniffed=("",), sniff=is_mermaid_text),
    Format("dot", suffixes=(".dot", ".gv"), sniffed=("",), sniff=is_dot),
    Format("drawio", suffixes=(".drawio", ".dio"), sniffed=(".xml",), sniff=is_drawio_xml),
    Format("drawio-png", suffixes=(".drawio.png",), sniffed=(".png",), sniff=is_drawio_png),
    Format("drawio-svg", suffixes=(".drawio.svg",), sniffed=(".svg",), sniff=is_drawio_svg),
]


def register(fmt: Format) -> None:
    """Adds a reader's format, ahead of those already known (a newer, more specific claim
    on a shared suffix such as `.md` is asked first)."""
    FORMATS.insert(0, fmt)


def suffix(name: str) -> str:
    """The last suffix, lower case; "" for none (a leading dot alone, `.gitignore`, is no suffix)."""
    base = name.rsplit("/", 1)[-1].lower()
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def claimed(name: str) -> str | None:
    """The format a name alone decides (longest suffix first), or None."""
    lower = name.lower()
    best, best_len = None, 0
    for fmt in FORMATS:
        for suffix in fmt.suffixes:
            if len(suffix) > best_len and lower.endswith(suffix):
                best, best_len = fmt.name, len(suffix)
    return best


FIXED = ".fixed"  # `diagramcheck fix` writes NAME.fixed.EXT beside NAME.EXT (correct.default_output)


def is_fixed_copy(name: str) -> bool:
    """A corrected copy as `fix` names it: `.fixed` just before the suffix a format claims
    (`ads.fixed.dot`, `notes.fixed.excalidraw.md`) or before the last suffix
    (`design.fixed.md`, `ads.fixed.svg`). The walk passes such copies over."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].lower()
    ending = max((s for fmt in FORMATS for s in fmt.suffixes if base.endswith(s)), key=len, default=None) or suffix(base)
    return bool(ending) and base[: -len(ending)].endswith(FIXED)


def may_hold(name: str) -> bool:
    """Whether a name is worth opening at all: claimed, or a suffix some format sniffs."""
    if claimed(name) is not None:
        return True
    ending = suffix(name)
    return any(ending in fmt.sniffed for fmt in FORMATS)


def detect(name: str, stream: BinaryIO) -> str | None:
    """The format of a file: by name where the name decides, else by content among the
    formats that sniff its suffix; None when nothing claims it."""
    found = claimed(name)
    if found is not None:
        return found
    ending = suffix(name)
    for fmt in FORMATS:
        if fmt.sniff is not None and ending in fmt.sniffed:
            stream.seek(0)
            try:
                if fmt.sniff(stream):
                    return fmt.name
            except (OSError, ValueError):
                continue
    return None


def is_document(name: str) -> bool:
    return suffix(name) in DOCUMENTS
