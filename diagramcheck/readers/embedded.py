"""Scenes embedded in other files: `.excalidraw.svg`, `.excalidraw.png`, Obsidian `.excalidraw.md`.

The SVG is never handed to an XML parser: the payload sits between two comments, so
a regular expression finds it and no entity, DTD or external reference is ever read.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib

import orjson

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS
from diagramcheck.readers.excalidraw import check_scene
from diagramcheck.readers.lzstring import decompress_from_base64

PAYLOAD_TYPE = "application/vnd.excalidraw+json"
# the markers, found one at a time: a single pattern from start to end marker scanned the
# payload's whitespace once per way to split it between three adjacent \s* (cubic)
_SVG_START = re.compile(rb"<!--\s*payload-start\s*-->")
_SVG_END = re.compile(rb"<!--\s*payload-end\s*-->")
_SVG_VERSION = re.compile(rb"<!--\s*payload-version:(\d{1,9})\s*-->")


def scene_from_svg(data: bytes) -> dict:
    if PAYLOAD_TYPE.encode() not in data:
        raise DiagramError("SVG has no embedded Excalidraw scene (export it with 'Embed scene' on)")
    start = _SVG_START.search(data)
    end = _SVG_END.search(data, start.end()) if start else None
    if not end:
        raise DiagramError("SVG's embedded scene has no payload-start/payload-end markers")
    version_match = _SVG_VERSION.search(data)
    version = int(version_match.group(1)) if version_match else 1
    try:
        raw = base64.b64decode(re.sub(rb"\s+", b"", data[start.end() : end.start()]), validate=True)
    except (binascii.Error, ValueError):
        raise DiagramError("SVG's embedded scene is not valid base64") from None
    text = raw.decode("latin-1") if version >= 2 else raw.decode("utf-8", errors="replace")
    return _unwrap_envelope(text)


def scene_from_png(data: bytes) -> dict:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise DiagramError("not a PNG file")
    offset = 8
    while offset + 8 <= len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        chunk_type = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if len(body) < length:
            raise DiagramError("PNG is truncated")
        payload = _png_text_chunk(chunk_type, body)
        if payload is not None:
            return _unwrap_envelope(payload)
        if chunk_type == b"IEND":
            break
        offset += 12 + length
    raise DiagramError("PNG has no embedded Excalidraw scene (export it with 'Embed scene' on)")


def _png_text_chunk(chunk_type: bytes, body: bytes) -> str | None:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or keyword != PAYLOAD_TYPE.encode():
        return None
    if chunk_type == b"tEXt":
        return rest.decode("latin-1")
    if chunk_type == b"zTXt":
        return _inflate(rest[1:]).decode("latin-1")
    if chunk_type == b"iTXt":  # flag, method, language\0, translated keyword\0, text
        compressed = rest[:1] == b"\x01"
        parts = rest[2:].split(b"\x00", 2)
        text = parts[2] if len(parts) == 3 else b""
        return (_inflate(text) if compressed else text).decode("utf-8", errors="replace")
    return None


def _unwrap_envelope(text: str) -> dict:
    try:
        envelope = orjson.loads(text)
    except orjson.JSONDecodeError:
        raise DiagramError("embedded scene is not valid JSON") from None
    if isinstance(envelope, dict) and "encoded" not in envelope and envelope.get("type") == "excalidraw":
        return check_scene(envelope)  # very old exports held the raw scene
    if not isinstance(envelope, dict) or not isinstance(envelope.get("encoded"), str):
        raise DiagramError("embedded scene envelope has no `encoded` payload")
    if envelope.get("encoding", "bstring") != "bstring":
        raise DiagramError(f"embedded scene encoding {str(envelope.get('encoding'))[:20]!r} is unknown")
    try:
        payload = envelope["encoded"].encode("latin-1")
    except UnicodeEncodeError:
        raise DiagramError("embedded scene payload is not a byte string") from None
    if envelope.get("compressed"):
        payload = _inflate(payload)
    try:
        scene = orjson.loads(payload)
    except orjson.JSONDecodeError:
        raise DiagramError("embedded scene is not valid JSON after decoding") from None
    return check_scene(scene)


def _inflate(data: bytes) -> bytes:
    """Inflated no further than the limit: zlib stops there, so a bomb never grows past it."""
    limit = LIMITS.decompressed_limit(len(data))
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit)
    except zlib.error:
        raise DiagramError("embedded scene is not valid zlib data") from None
    if inflater.unconsumed_tail:
        raise LimitExceeded(_over_limit(limit, len(data), "bytes"))
    return out


def _over_limit(limit: int, compressed: int, unit: str) -> str:
    if limit < LIMITS.max_decompressed_bytes:
        return (f"decompressed scene is over the limit of {limit:,} {unit} "
                f"({LIMITS.max_decompression_ratio} times its {compressed:,} compressed {unit})")
    return f"decompressed scene is over the limit of {limit:,} {unit}"


# --- Obsidian ---------------------------------------------------------------

_DRAWING_HEADING = re.compile(r"^#{1,2} Drawing\s*$", re.M)
_FENCE = re.compile(r"^```(compressed-json|json)\s*$", re.M)
_TEXT_SECTION = re.compile(r"^#{1,2} Text Elements\s*$", re.M)
_SECTION_END = re.compile(r"^(#{1,2} |%%)", re.M)
_TEXT_ENTRY = re.compile(r"(.*?) \^([A-Za-z0-9_-]{1,64})\s*$", re.S)


def scene_from_obsidian(text: str) -> tuple[dict, dict[str, str]]:
    """Returns the scene and the Text Elements section (id -> raw text), which wins over JSON."""
    heading = _DRAWING_HEADING.search(text)
    if not heading:
        raise DiagramError("Obsidian note has no '# Drawing' section")
    fence = _FENCE.search(text, heading.end())
    if not fence:
        raise DiagramError("Obsidian note's Drawing section has no ```json or ```compressed-json block")
    close = text.find("\n```", fence.end())
    block = text[fence.end() : close if close != -1 else len(text)]
    if fence.group(1) == "json":
        cut = block.rfind("}")
        if cut == -1:
            raise DiagramError("Obsidian drawing block is empty")
        raw = block[: cut + 1]
    else:
        compact = "".join(block.split())  # the same whitespace as re's \s, ten times faster
        try:
            raw = decompress_from_base64(compact, LIMITS.decompressed_limit(len(compact)))
        except LimitExceeded:
            limit = LIMITS.decompressed_limit(len(compact))
            raise LimitExceeded(_over_limit(limit, len(compact), "characters")) from None
    try:
        scene = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise DiagramError("Obsidian drawing block is not valid JSON") from None
    return check_scene(scene), _text_elements(text, heading.start())


def _text_elements(text: str, stop: int) -> dict[str, str]:
    section = _TEXT_SECTION.search(text, 0, stop)
    if not section:
        return {}
    end = _SECTION_END.search(text, section.end(), stop)
    body = text[section.end() : end.start() if end else stop]
    entries: dict[str, str] = {}
    for chunk in re.split(r"\n\s*\n", body):
        match = _TEXT_ENTRY.match(chunk.strip())
        if match:
            entries[match.group(2)] = match.group(1).strip()
    return entries
