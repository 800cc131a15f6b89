"""draw.io files: find the `mxfile` document in a `.drawio`/`.xml` file, a PNG export
(`tEXt`/`zTXt`/`iTXt` chunk `mxfile`) or an SVG export (the root's `content`
attribute), list its pages, choose one and decode it (plain, or base64 of raw deflate
of URL-encoded XML, as the app writes a compressed page).

Every XML parse goes through defusedxml: a DTD that declares entities, or any external
reference, is refused, so no entity is ever expanded (billion laughs, external files).
An inflate stops at the decompression limit however small its input.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_KEYWORDS = (b"mxfile", b"mxGraphModel")
_SVG_CONTENT = re.compile(rb"<svg\b[^>]*?\scontent\s*=", re.S)
MATCH_SHARE = 0.6  # of a page name that must appear in the file name to match it
MAX_PNG_CHUNKS = 100_000  # a real export has a dozen; a file of empty chunks stops here


@dataclass
class Page:
    name: str
    element: Element  # the <diagram> element, or the bare <mxGraphModel>
    number: int  # 1-based


@dataclass
class Document:
    root: Element  # <mxfile>, or a bare <mxGraphModel>
    pages: list[Page]
    container: str  # xml, png or svg: what the file was


def has_drawio_payload(data: bytes) -> bool:
    """Whether a PNG or SVG (or any file) carries a draw.io diagram: cheap marker checks."""
    if data.startswith(PNG_MAGIC):
        return any(kind + key + b"\x00" in data for kind in (b"tEXt", b"zTXt", b"iTXt") for key in _PNG_KEYWORDS)
    head = data[:4096]
    if b"<mxfile" in head or b"<mxGraphModel" in head:
        return True
    return bool(_SVG_CONTENT.search(data[:65536])) and (b"mxfile" in data or b"mxGraphModel" in data)


def parse_xml(text: str | bytes, what: str, allow_doctype: bool = False) -> Element:
    try:
        return fromstring(text, forbid_dtd=not allow_doctype, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DiagramError(f"{what} declares a DTD, entities or external references, which are refused ({type(exc).__name__})") from None
    except ParseError as exc:
        raise DiagramError(f"{what} is not well-formed XML ({str(exc)[:100]})") from None
    except (ValueError, RecursionError):
        raise DiagramError(f"{what} is not well-formed XML") from None


def read_document(data: bytes) -> Document:
    if data.startswith(PNG_MAGIC):
        return _document(_text_from_png(data), "png")
    stripped = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _SVG_CONTENT.search(stripped[:65536]) and not stripped.startswith((b"<mxfile", b"<mxGraphModel")):
        svg = parse_xml(stripped, "SVG", allow_doctype=True)
        if not svg.tag.endswith("svg"):
            raise DiagramError(f"not a draw.io SVG (the root element is <{_local(svg.tag)[:40]}>)")
        content = svg.get("content")
        if not content:
            raise DiagramError("SVG has no embedded draw.io diagram (export it with 'Include a copy of my diagram' on)")
        return _document(_maybe_compressed(content), "svg")
    return _document(stripped, "xml")


def _document(text: str | bytes, container: str) -> Document:
    root = parse_xml(text, "draw.io document")
    tag = _local(root.tag)
    if tag == "mxGraphModel":
        return Document(root, [Page("Page-1", root, 1)], container)
    if tag != "mxfile":
        raise DiagramError(f"not a draw.io file (the root element is <{tag[:40]}>, not <mxfile>)")
    diagrams = [child for child in root if _local(child.tag) == "diagram"]
    if not diagrams:
        raise DiagramError("draw.io file has no pages (no <diagram> element)")
    LIMITS.check("page count", len(diagrams), LIMITS.max_elements)
    pages = [Page(d.get("name") or f"Page-{i}", d, i) for i, d in enumerate(diagrams, 1)]
    return Document(root, pages, container)


def choose_page(document: Document, file_name: str, wanted: str | None) -> tuple[Page, str | None]:
    """The page to read and, when the file has several, a sentence saying which and why."""
    pages = document.pages
    names = ", ".join(repr(p.name) for p in pages[:12]) + (", ..." if len(pages) > 12 else "")
    if wanted is not None:
        chosen = _by_request(pages, wanted)
        if chosen is None:
            raise DiagramError(f"no page {wanted!r} in this draw.io file (pages: {names})")
        why = "as --page asked"
    else:
        chosen, why = _matching_file(pages, file_name), "its name matches the file's"
        if chosen is None:
            chosen, why = pages[0], "the first page; none is named like the file"
    if len(pages) == 1:
        return chosen, None
    return chosen, (f"read page {chosen.number} of {len(pages)}, {chosen.name!r} ({why}); "
                    f"--page NAME or NUMBER reads another (pages: {names})")


def _by_request(pages: list[Page], wanted: str) -> Page | None:
    for page in pages:
        if page.name == wanted:
            return page
    folded = [p for p in pages if p.name.casefold() == wanted.casefold()]
    if folded:
        return folded[0]
    if wanted.isdigit() and 1 <= int(wanted) <= len(pages):
        return pages[int(wanted) - 1]
    return None


def _squash(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _matching_file(pages: list[Page], file_name: str) -> Page | None:
    """The page named like the file or its folder: `Prediction-cache-pattern/diagram.png`
    matches a page `PredictionCachePattern`, `Microservice-vertical-pattern/diagram1.png`
    one named `MicroserviceVerticalPattern1`. A page matches when most of its name (case,
    spaces and punctuation aside) appears in the file's name or folder's; the page with
    the largest such share wins, then the longer name."""
    from difflib import SequenceMatcher

    path = PurePath(file_name)
    targets = [t for t in (_squash(path.name.split(".")[0]), _squash(path.parent.name)) if t]
    best: tuple[float, int, Page] | None = None
    for page in pages:
        name = _squash(page.name)
        if len(name) < 3:
            continue
        for target in targets:
            match = SequenceMatcher(None, name, target, autojunk=False).find_longest_match(0, len(name), 0, len(target))
            share = match.size / len(name)
            if match.size >= 4 and share >= MATCH_SHARE and (best is None or (share, len(name)) > best[:2]):
                best = (share, len(name), page)
    return best[2] if best else None


def page_model(page: Page) -> Element:
    """The page's <mxGraphModel>, decoding a compressed page."""
    element = page.element
    if _local(element.tag) == "mxGraphModel":
        return element
    for child in element:
        if _local(child.tag) == "mxGraphModel":
            return child
    text = (element.text or "").strip()
    if not text:
        raise DiagramError(f"page {page.name!r} is empty")
    model = parse_xml(_maybe_compressed(text), f"page {page.name!r}")
    if _local(model.tag) != "mxGraphModel":
        raise DiagramError(f"page {page.name!r} does not hold an <mxGraphModel> (found <{_local(model.tag)[:40]}>)")
    return model


def _maybe_compressed(text: str) -> str:
    """Plain XML as it is; otherwise base64 of raw deflate of URL-encoded XML; otherwise
    URL-encoded XML (older exports)."""
    stripped = text.strip()
    if stripped.startswith("<"):
        return stripped
    if stripped.startswith("%3C") or stripped.startswith("%3c"):
        return unquote(stripped)
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", stripped), validate=True)
    except (binascii.Error, ValueError):
        raise DiagramError("compressed draw.io page is not valid base64") from None
    inflated = inflate(raw, wbits=-15).decode("latin-1")
    decoded = unquote(inflated) if not inflated.lstrip().startswith("<") else inflated
    if not decoded.lstrip().startswith("<"):
        raise DiagramError("compressed draw.io page does not decode to XML")
    return decoded


def inflate(data: bytes, wbits: int) -> bytes:
    """zlib (wbits 15) or raw deflate (-15), stopped at the decompression limit: the output
    is produced in bounded steps and the total is checked as it grows."""
    inflater = zlib.decompressobj(wbits)
    limit = LIMITS.max_decompressed_bytes
    parts: list[bytes] = []
    total = 0
    pending = data
    try:
        while True:
            chunk = inflater.decompress(pending, 1 << 20)
            total += len(chunk)
            if total > limit:
                raise LimitExceeded(f"decompressed draw.io data is over the limit of {limit:,} bytes")
            parts.append(chunk)
            pending = inflater.unconsumed_tail
            if not pending:
                break
        tail = inflater.flush()
    except zlib.error:
        raise DiagramError("compressed draw.io data is not valid deflate data") from None
    total += len(tail)
    if total > limit:
        raise LimitExceeded(f"decompressed draw.io data is over the limit of {limit:,} bytes")
    parts.append(tail)
    return b"".join(parts)


def _text_from_png(data: bytes) -> str:
    offset = 8
    chunks = 0
    while offset + 8 <= len(data):
        chunks += 1
        if chunks > MAX_PNG_CHUNKS:
            raise LimitExceeded(f"PNG chunk count is over the limit of {MAX_PNG_CHUNKS:,}")
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        chunk_type = data[offset + 4 : offset + 8]
        if chunk_type == b"IEND":
            break
        if chunk_type in (b"tEXt", b"zTXt", b"iTXt"):
            body = data[offset + 8 : offset + 8 + length]
            if len(body) < length:
                raise DiagramError("PNG is truncated")
            text = _png_text(chunk_type, body)
            if text is not None:
                return text
        offset += 12 + length
    raise DiagramError("PNG has no embedded draw.io diagram (export it with 'Include a copy of my diagram' on)")


def _png_text(chunk_type: bytes, body: bytes) -> str | None:
    keyword, sep, rest = body.partition(b"\x00")
    if not sep or keyword not in _PNG_KEYWORDS:
        return None
    if chunk_type == b"tEXt":
        raw = rest
    elif chunk_type == b"zTXt":  # compression method byte, then zlib data
        raw = inflate(rest[1:], wbits=15)
    else:  # iTXt: flag, method, language\0, translated keyword\0, text
        parts = rest[2:].split(b"\x00", 2)
        text = parts[2] if len(parts) == 3 else b""
        raw = inflate(text, wbits=15) if rest[:1] == b"\x01" else text
    # the app writes the XML URL-encoded (encodeURIComponent); an older one, plain
    text = raw.decode("latin-1")
    decoded = unquote(text, encoding="utf-8", errors="replace") if "%3C" in text[:64] or "%3c" in text[:64] else raw.decode("utf-8", "replace")
    if keyword == b"mxGraphModel" and not decoded.lstrip().startswith("<"):
        decoded = _maybe_compressed(decoded)
    return decoded


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
