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
import codecs
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from diagramcheck.errors import DiagramError, LimitExceeded
from diagramcheck.limits import LIMITS

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_PNG_KEYWORDS = (b"mxfile", b"mxGraphModel")
_SVG_CONTENT = re.compile(rb"\scontent\s*=")
MATCH_SHARE = 0.6  # of a page name that must appear in the file name to match it
MATCHED_PAGES = 100  # pages whose names are compared with the file's (a real file has a few)
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
    return _svg_with_content(data[:65536]) and (b"mxfile" in data or b"mxGraphModel" in data)


def _svg_with_content(head: bytes) -> bool:
    r"""Whether an `<svg` tag has a `content=` attribute before its `>`, as
    re.search(rb"<svg\b[^>]*?\scontent\s*=", head, re.S) tells, in linear time (that
    pattern reads on to the next `>` from every `<svg`: quadratic on `<svg <svg <svg ...`)."""
    at = 0
    while True:
        start = head.find(b"<svg", at)
        if start == -1:
            return False
        after = start + 4
        if after < len(head) and (head[after:after + 1].isalnum() or head[after] == ord("_")):
            at = after  # `<svgx`: no word boundary, not the tag
            continue
        end = head.find(b">", after)
        if _SVG_CONTENT.search(head, after, len(head) if end == -1 else end) is not None:
            return True
        if end == -1:
            return False  # no `>` after it: none after any later `<svg` either
        at = end


def parse_xml(text: str | bytes, what: str, allow_doctype: bool = False) -> Element:
    """The XML's root, nested at most LIMITS.max_nesting deep (a real page is 8 deep; the
    parser reads any depth, but writing a corrected copy recursed: 100,000 levels raised
    RecursionError)."""
    try:
        root = fromstring(text, forbid_dtd=not allow_doctype, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DiagramError(f"{what} declares a DTD, entities or external references, which are refused ({type(exc).__name__})") from None
    except ParseError as exc:
        raise DiagramError(f"{what} is not well-formed XML ({str(exc)[:100]})") from None
    except (ValueError, RecursionError):
        raise DiagramError(f"{what} is not well-formed XML") from None
    _check_depth(root, what)
    return root


def _check_depth(root: Element, what: str) -> None:
    level, depth = [root], 1  # the elements of one level at a time: no recursion
    while level:
        if depth > LIMITS.max_nesting:
            raise LimitExceeded(f"{what}: XML nesting depth is over the limit of {LIMITS.max_nesting:,}")
        level = [child for element in level for child in element]
        depth += 1


def read_document(data: bytes) -> Document:
    if data.startswith(PNG_MAGIC):
        return _document(_text_from_png(data), "png")
    stripped = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _svg_with_content(stripped[:65536]) and not stripped.startswith((b"<mxfile", b"<mxGraphModel")):
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
    names = ", ".join(_shown(p.name) for p in pages[:12]) + (", ..." if len(pages) > 12 else "")
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
    return chosen, (f"read page {chosen.number} of {len(pages)}, {_shown(chosen.name)} ({why}); "
                    f"--page NAME or NUMBER reads another (pages: {names})")


def _shown(name: str) -> str:
    """A page name as messages show it: quoted, and cut (a name can be a megabyte long)."""
    return repr(name) if len(name) <= 80 else repr(name[:77]) + "..."


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
    the largest such share wins, then the longer name. The first MATCHED_PAGES pages are
    tried (comparing two names costs their lengths multiplied), and only names short
    enough to match at all."""
    from difflib import SequenceMatcher

    path = PurePath(file_name)
    targets = [t for t in (_squash(path.name.split(".")[0]), _squash(path.parent.name)) if t]
    longest = max((len(t) for t in targets), default=0) / MATCH_SHARE
    best: tuple[float, int, Page] | None = None
    for page in pages[:MATCHED_PAGES]:
        name = _squash(page.name)
        if len(name) < 3 or len(name) > longest:  # a longer one could not be MATCH_SHARE in a name
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
        raise DiagramError(f"page {_shown(page.name)} is empty")
    model = parse_xml(_maybe_compressed(text), f"page {_shown(page.name)}")
    if _local(model.tag) != "mxGraphModel":
        raise DiagramError(f"page {_shown(page.name)} does not hold an <mxGraphModel> (found <{_local(model.tag)[:40]}>)")
    return model


def _maybe_compressed(text: str) -> str:
    """Plain XML as it is; otherwise base64 of raw deflate of URL-encoded XML; otherwise
    URL-encoded XML (older exports)."""
    stripped = text.strip()
    if stripped.startswith("<"):
        return stripped
    if stripped.startswith("%3C") or stripped.startswith("%3c"):
        return url_decoded(stripped)
    try:
        raw = base64.b64decode(re.sub(r"\s+", "", stripped), validate=True)
    except (binascii.Error, ValueError):
        raise DiagramError("compressed draw.io page is not valid base64") from None
    inflated = inflate(raw, wbits=-15).decode("latin-1")
    decoded = url_decoded(inflated) if not inflated.lstrip().startswith("<") else inflated
    if not decoded.lstrip().startswith("<"):
        raise DiagramError("compressed draw.io page does not decode to XML")
    return decoded


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ESCAPE = re.compile(rb"%(?=[0-9A-Fa-f]{2})")


def url_decoded(text: str) -> str:
    """decodeURIComponent, as the app reads a page: what urllib's unquote gives, without a
    step of Python per escape (a page of ten million `%0A` took seconds a megabyte). The
    app writes ASCII with well-formed escapes and fails on anything else, and so do we."""
    if "%" not in text:
        return text
    if not text.isascii() or _BAD_ESCAPE.search(text):
        raise DiagramError("draw.io page is not URL-encoded text (a '%' that starts no escape, or a character "
                           "encodeURIComponent never writes)")
    escaped = _ESCAPE.sub(rb"\\x", text.encode("ascii").replace(b"\\", b"\\\\"))  # %3C -> \x3C, \ -> \\
    return codecs.escape_decode(escaped)[0].decode("utf-8", "replace")


def inflate(data: bytes, wbits: int) -> bytes:
    """zlib (wbits 15) or raw deflate (-15), stopped at the decompression limit (the size
    limit, and 16 times the compressed size: real pages inflate up to 18.7 times when a few
    KB, under the 1 MB floor, and 1.9 times at 63 KB): the output is produced in bounded
    steps and the total is checked as it grows."""
    inflater = zlib.decompressobj(wbits)
    limit = LIMITS.decompressed_limit(len(data))
    parts: list[bytes] = []
    total = 0
    pending = data
    try:
        while True:
            chunk = inflater.decompress(pending, 1 << 20)
            total += len(chunk)
            if total > limit:
                raise LimitExceeded(_over(limit, len(data)))
            parts.append(chunk)
            pending = inflater.unconsumed_tail
            if not pending:
                break
        tail = inflater.flush()
    except zlib.error:
        raise DiagramError("compressed draw.io data is not valid deflate data") from None
    total += len(tail)
    if total > limit:
        raise LimitExceeded(_over(limit, len(data)))
    parts.append(tail)
    return b"".join(parts)


def _over(limit: int, compressed: int) -> str:
    ratio = (f" ({LIMITS.max_decompression_ratio} times its {compressed:,} compressed bytes)"
             if limit < LIMITS.max_decompressed_bytes else "")
    return f"decompressed draw.io data is over the limit of {limit:,} bytes{ratio}"


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
    decoded = url_decoded(text) if "%3C" in text[:64] or "%3c" in text[:64] else raw.decode("utf-8", "replace")
    if keyword == b"mxGraphModel" and not decoded.lstrip().startswith("<"):
        decoded = _maybe_compressed(decoded)
    return decoded


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
