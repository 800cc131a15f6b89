"""What comes from the input (labels, ids, zone titles, notes, file names) made inert for
each kind of output: one function per kind, applied by its reporter to everything it
writes from the input.

- a terminal or a log (`text`, `graph`, stderr): no control character, escape sequence
  (colours, OSC hyperlinks and clipboard writes) or bidirectional override reaches it;
  each is shown as an escape (`\\x1b`);
- a line-based format (`concise`, `github`, `graph`, stderr): the same, and no line break
  either, so nothing from a label can start a line of its own (a CI runner reads
  `::warning ...` at the start of any line as a command);
- Markdown: HTML and link syntax are shown, not interpreted;
- JSON and SARIF: the characters a terminal would act on are written as \\u escapes;
- HTML and DOT: escaped by their own writers, and controls shown as escapes, since they
  may be printed to a terminal too;
- SARIF: a path is a percent-encoded URI;
- every output: a file name that is not UTF-8 (Python keeps its bytes as lone
  surrogates) is shown with escapes (`\\xff`) and never crashes an encoder.
"""

from __future__ import annotations

import os
import re
from urllib.parse import quote

# C0 and C1 controls and DEL, line and paragraph separators, bidirectional controls, byte
# order marks, and lone surrogates (bytes of a file name that were not UTF-8)
_UNSAFE = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff"
_IN_TEXT = re.compile(f"[{_UNSAFE}]")
_IN_LINE = re.compile(f"[\n{_UNSAFE}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escaped(match: re.Match) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode as UTF-8, kept as a surrogate
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def text(value: str) -> str:
    """For a terminal or a log, where line breaks are the output's own: controls escaped."""
    return _IN_TEXT.sub(_escaped, value)


def line(value: str) -> str:
    """For one line of a line-based output: controls and line breaks escaped."""
    return _IN_LINE.sub(_escaped, value)


# the same characters as UTF-8 bytes, for JSON written by orjson: it escapes C0 controls
# itself but writes C1 controls (U+009B is a terminal's CSI), separators and bidi raw
_IN_JSON = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\x8e\x8f\xa8\xa9\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xef\xbb\xbf")


def json(data: bytes) -> bytes:
    """JSON text with those characters written as \\u escapes: the same strings once read,
    inert on a terminal."""
    return _IN_JSON.sub(lambda m: b"\\u%04x" % ord(m.group().decode("utf-8")), data)


def path(value: str | os.PathLike) -> str:
    """A file name as JSON, HTML and DOT show it: as it is, but bytes that are not UTF-8 as
    escapes (an encoder refuses the surrogates Python keeps them as)."""
    return _SURROGATE.sub(_escaped, os.fspath(value))


# what can open a construct inside a line of text (a line start is never the input's here)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~|])")


def markdown(value: str) -> str:
    """For Markdown text: every character with a meaning there shown as itself (backslash
    escapes, `<` and `&` as entities), so no HTML, link, image or emphasis comes from input."""
    escaped = line(value).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", escaped)


def markdown_code(value: str) -> str:
    """An inline code span holding `value`, fenced with more backticks than it holds."""
    value = line(value)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", value)), default=0) + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def uri(value: str | os.PathLike) -> str:
    """A path as a relative URI reference (SARIF's artifactLocation.uri): percent-encoded,
    bytes that are not UTF-8 included, `/` as the separator."""
    raw = os.fsencode(value).replace(b"\\", b"/")
    return quote(raw, safe="/")
