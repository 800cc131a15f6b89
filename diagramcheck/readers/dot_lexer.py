"""A small DOT tokenizer for the two things pydot cannot do for us.

1. Bound the subgraph nesting depth before pyparsing recurses into it.
2. Rewrite Graphviz's comma node lists (`a, b -> c`, which `dot` accepts) into the
   equivalent anonymous subgraph (`{a b} -> c`) that pydot's grammar knows.
"""

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
        if kind == "punct" and match.group() == "<" and _after_equals(out):
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


def _after_equals(out: list) -> bool:
    return bool(out) and out[-1][1] == "="


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


def rewrite_node_lists(text: str, toks: list[tuple[str, str, int, int]]) -> str:
    """`a, b:p -> c` becomes `{a b:p} -> c`; everything else is left byte for byte."""
    edits: list[tuple[int, int, str]] = []
    i, n, bracket = 0, len(toks), 0
    while i < n:
        kind, value = toks[i][0], toks[i][1]
        if value == "[":
            bracket += 1
        elif value == "]":
            bracket -= 1
        if bracket == 0 and kind in ("id", "string"):
            j = _node_ref_end(toks, i)
            run = [(i, j)]
            while j < n and toks[j][1] == "," and j + 1 < n and toks[j + 1][0] in ("id", "string"):
                k = _node_ref_end(toks, j + 1)
                if k < n and toks[k][1] == "=":
                    break
                run.append((j + 1, k))
                j = k
            near_edge = (j < n and toks[j][0] == "edgeop") or (i > 0 and toks[i - 1][0] == "edgeop")
            if len(run) > 1 and near_edge:
                edits.append((toks[i][2], toks[i][2], "{"))
                for (_, end_prev), (start_next, _) in zip(run, run[1:]):
                    comma = toks[end_prev]
                    edits.append((comma[2], comma[3], " "))
                edits.append((toks[j - 1][3], toks[j - 1][3], "}"))
            i = j
            continue
        i += 1
    for start, end, replacement in reversed(edits):
        text = text[:start] + replacement + text[end:]
    return text


def _node_ref_end(toks: list[tuple[str, str, int, int]], i: int) -> int:
    """Index after a node reference: ID, optionally `:port` and `:compass`."""
    j = i + 1
    while j + 1 < len(toks) and toks[j][1] == ":" and toks[j + 1][0] in ("id", "string"):
        j += 2
    return j
