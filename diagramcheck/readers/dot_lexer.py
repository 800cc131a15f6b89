"""The DOT tokenizer: identifiers, numerals, quoted and HTML strings, edge operators,
punctuation; comments and `#` preprocessor lines are dropped. Also bounds the subgraph
nesting depth before the recursive-descent parser walks into it."""

from __future__ import annotations

import re

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

# IDs: a letter, "_" or any character from U+0080 up, then the same or digits, written as
# negated ASCII classes (the same sets; a range up to U+10FFFF takes 10 ms to compile)
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/|(?m:^\#[^\n]*))
  | (?P<string>"(?:[^"\\]|\\.|\\\n)*")
  | (?P<edgeop>->|--)
  | (?P<id>[^\x00-\x40\x5b-\x5e\x60\x7b-\x7f][^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
  | (?P<punct>[{}\[\];,=:<])
  | (?P<other>.)
    """,
    re.S | re.X,
)


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
            value = match.group()
            start = match.start()
            if kind == "punct" and value == "<":  # as in Graphviz: an HTML string wherever an ID may be
                pos = _html_end(text, start)
                append(("html", text[start:pos], start, pos))
                break  # go on scanning after the HTML string
            if kind == "string" and not value.endswith('"'):
                raise DiagramError("unterminated quoted string in DOT")
            append((kind, value, start, match.end()))
        else:
            return out


def _html_end(text: str, start: int) -> int:
    depth = 0
    for i in range(start, len(text)):
        ch = text[i]
        if ch == "<":
            depth += 1
        elif ch == ">":
            depth -= 1
            if depth == 0:
                return i + 1
    raise DiagramError("unterminated HTML label in DOT")


def check_depth(toks: list[tuple[str, str, int, int]]) -> None:
    depth = deepest = 0
    for kind, value, _, _ in toks:
        if kind == "punct" and value == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "punct" and value == "}":
            depth -= 1
    LIMITS.check("subgraph nesting depth", deepest, LIMITS.max_nesting)
