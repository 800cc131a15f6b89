"""Fenced code blocks of a Markdown file, as CommonMark finds them: which are Mermaid
diagrams, where each starts, and where its content ends (so `fix` can append to it).

A fence is three or more backticks or tildes; it closes with a line of the same
character, at least as long, and nothing after it (an unclosed fence runs to the end of
the file, as in CommonMark). A fence inside another fence is content, so a ```mermaid
shown inside a ````markdown example is not a diagram. Indented fences (lists) count;
their indentation is removed from the content lines, as CommonMark does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})")
_MERMAID_INFO = re.compile(r"\{?mermaid\}?(?:[\s{]|$)", re.I)
_ANY_MERMAID_FENCE = re.compile(rb"(?:^|\n)[ \t]*(?:```|~~~)[`~]*[ \t]*\{?mermaid", re.I)


@dataclass(slots=True)
class Block:
    number: int  # 1-based, counting the Mermaid blocks of the file
    fence_line: int  # 1-based line of the opening fence
    first_line: int  # 1-based line of the first content line
    text: str  # the content, indentation of the fence removed
    start: int  # offset in the file where the content starts (the line after the fence)
    end: int  # offset in the file where the content ends (the closing fence's line starts there)
    indent: str  # the opening fence's indentation
    newline: str  # the file's line ending, "\n" or "\r\n"


def has_mermaid_fence(data: bytes) -> bool:
    """Cheap check by content, for telling a Markdown sketch from any other Markdown file."""
    return _ANY_MERMAID_FENCE.search(data) is not None


def mermaid_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    newline = "\r\n" if "\r\n" in text[:10_000] else "\n"
    pieces = text.split("\n")  # CommonMark's lines: not str.splitlines, which also splits at \x0c, \u2028...
    lines = [piece + "\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    offset = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        offset += len(line)
        i += 1
        fence_line = i
        match = _OPEN.match(line)
        if match is None:
            continue
        fence, info = match.group(1), line[match.end():].strip()
        if fence[0] == "`" and "`" in info:
            continue  # not a fence: a backtick fence's info string has no backtick
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        start = offset
        body: list[str] = []
        end = len(text)
        while i < len(lines):
            inner = lines[i]
            stripped = inner.strip()
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= len(fence):
                end = offset
                offset += len(inner)
                i += 1
                break
            body.append(_dedent(inner, len(indent)))
            offset += len(inner)
            i += 1
        if _MERMAID_INFO.match(info):
            blocks.append(Block(number=len(blocks) + 1, fence_line=fence_line, first_line=fence_line + 1,
                                text="".join(body), start=start, end=end, indent=indent, newline=newline))
    return blocks


def _dedent(line: str, width: int) -> str:
    removed = 0
    while removed < width and removed < len(line) and line[removed] in " \t":
        removed += 1
    return line[removed:]
