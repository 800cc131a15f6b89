"""The DOT tokenizer: identifiers, numerals, quoted and HTML strings, edge operators,
punctuation; comments and `#` preprocessor lines are dropped. Also bounds the subgraph
nesting depth before the parser walks into it.

Linear time on any input: every alternative of the token pattern consumes each character
one way only (a quoted string is runs of plain characters or backslash pairs, read
possessively), and an unterminated string or comment is an error at once instead of a
scan to the end of the file from each of its characters.
"""

from __future__ import annotations

import re

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

# IDs: a letter, "_" or any character from U+0080 up, then the same or digits, written as
# negated ASCII classes (the same sets; a range up to U+10FFFF takes 10 ms to compile).
# Strings as Graphviz's scanner reads them: a backslash pairs with the next character
# (`\"` is a quote, `\\` stays two backslashes, backslash-newline is dropped later).
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/|(?m:^\#[^\n]*))
  | (?P<open_comment>/\*)
  | (?P<string>"(?:[^"\\]++|\\.)*+")
  | (?P<open_string>")
  | (?P<edgeop>->|--)
  | (?P<id>[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
  | (?P<punct>[{}\[\];,=:<])
  | (?P<other>.)
    """,
    re.S | re.X,
)
_ANGLE = re.compile(r"[<>]")


def tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end); HTML strings `<...>` become one `html` token."""
    out: list[tuple[str, str, int, int]] = []
    append = out.append
    pos = 0
    while True:
        for match in _TOKEN.finditer(text, pos):
            kind = match.lastgroup
            if kind == "ws" or kind == "comment":
                continue
            start = match.start()
            if kind == "punct" and text[start] == "<":  # as in Graphviz: an HTML string wherever an ID may be
                pos = _html_end(text, start)
                append(("html", text[start:pos], start, pos))
                break  # go on scanning after the HTML string
            if kind == "open_string":
                raise DiagramError(f"unterminated quoted string in DOT (line {_line(text, start)})")
            if kind == "open_comment":
                raise DiagramError(f"unterminated /* comment in DOT (line {_line(text, start)})")
            append((kind, match.group(), start, match.end()))
        else:
            return out


def _html_end(text: str, start: int) -> int:
    depth = 0
    for match in _ANGLE.finditer(text, start):
        if match.group() == "<":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    raise DiagramError(f"unterminated HTML label in DOT (line {_line(text, start)})")


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def check_depth(toks: list[tuple[str, str, int, int]]) -> None:
    depth = deepest = 0
    for kind, value, _, _ in toks:
        if kind == "punct" and value == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "punct" and value == "}":
            depth -= 1
    LIMITS.check("subgraph nesting depth", deepest, LIMITS.max_nesting)
