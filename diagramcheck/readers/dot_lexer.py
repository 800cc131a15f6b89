"""The DOT tokenizer: identifiers, numerals, quoted and HTML strings, edge operators,
punctuation; comments and `#` preprocessor lines are dropped. Also bounds the subgraph
nesting depth before the recursive-descent parser walks into it."""

from __future__ import annotations

import re

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/|(?m:^\#[^\n]*))
  | (?P<string>"(?:[^"\\]|\\.|\\\n)*")
  | (?P<edgeop>->|--)
  | (?P<id>[A-Za-z_\x80-\U0010ffff][A-Za-z_0-9\x80-\U0010ffff]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?))
  | (?P<punct>[{}\[\];,=:<])
  | (?P<other>.)
    """,
    re.S | re.X,
)


def tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, value, start, end); HTML strings `<...>` become one `html` token."""
    out: list[tuple[str, str, int, int]] = []
    pos, n = 0, len(text)
    while pos < n:
        match = _TOKEN.match(text, pos)
        if match is None:  # pragma: no cover - the `other` branch matches any char
            break
        kind = match.lastgroup or "other"
        if kind == "punct" and match.group() == "<":  # as in Graphviz: an HTML string wherever an ID may be
            end = _html_end(text, pos)
            out.append(("html", text[pos:end], pos, end))
            pos = end
            continue
        if kind == "string" and not match.group().endswith('"'):
            raise DiagramError("unterminated quoted string in DOT")
        if kind not in ("ws", "comment"):
            out.append((kind, match.group(), pos, match.end()))
        pos = match.end()
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
