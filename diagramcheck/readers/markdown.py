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
from functools import lru_cache

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


PROSE_MAX = 20_000  # characters of a document's design sections read as its diagrams' notes
_HEADING = re.compile(r"(?m)^[ \t]{0,3}#{1,6}[ \t]+(.*)$")
# sections a design write-up states its frame in; a project README's other prose (install,
# usage, a tour of the code) is no note of the diagram
_DESIGN_HEADING = re.compile(r"\b(requirements?|scale|assumptions?|constraints?|non[- ]functional|nfrs?|slas?|slos?|"
                             r"business|goals?|objectives?|problem|task|framing|labels?|labell?ing|metrics?|kpis?|"
                             r"evaluation|success criteria|trade[- ]?offs?|design decisions?|"
                             r"risks?|failure modes?|open questions?)\b", re.I)


def prose(text: str, fenced: list[tuple[int, int]]) -> str:
    """The title of a Markdown document and its sections whose headings frame a design
    (requirements, task, label, metrics, trade-offs...), outside its fenced blocks (`fenced`: where each fence line
    starts and its block ends), up to PROSE_MAX characters: what a study note writes around
    its diagram, and what an interviewer reads with it."""
    kept, done = [], 0
    for start, end in fenced:
        kept.append(text[done:start])
        done = end
    kept.append(text[done:])
    outside = "".join(kept)
    headings = list(_HEADING.finditer(outside))
    sections = [headings[0].group(0).strip()] if headings else []  # the title names what is designed
    for i, heading in enumerate(headings):
        if _DESIGN_HEADING.search(heading.group(1)):
            end = headings[i + 1].start() if i + 1 < len(headings) else len(outside)
            sections.append(outside[heading.start() : end].strip())
    return "\n\n".join(sections)[:PROSE_MAX]


def has_mermaid_fence(data: bytes) -> bool:
    """Cheap check by content, for telling a Markdown sketch from any other Markdown file."""
    return _ANY_MERMAID_FENCE.search(data) is not None


def mermaid_blocks(text: str, fenced: list[tuple[int, int]] | None = None) -> list[Block]:
    """The Mermaid blocks of a Markdown text (and, into `fenced`, where every fenced block of
    any language starts and ends). Fences are found by patterns over the whole text, not line
    by line in Python: a file of a million empty lines is read at the speed of a search (a
    loop per line took 3 s a megabyte)."""
    blocks: list[Block] = []
    newline = "\r\n" if "\r\n" in text[:10_000] else "\n"
    pos, line_number, counted = 0, 1, 0  # line_number: the line `counted` is on
    while True:
        match = _OPEN_LINE.search(text, pos)
        if match is None:
            return blocks
        fence = match.group(1)
        line_start = match.start()
        line_end = text.find("\n", match.end())
        after = len(text) if line_end == -1 else line_end + 1
        info = text[match.end() : after].strip()
        if fence[0] == "`" and "`" in info:
            pos = after  # not a fence: a backtick fence's info string has no backtick
            if pos >= len(text):
                return blocks
            continue
        line_number += text.count("\n", counted, line_start)
        counted = line_start
        fence_line = line_number
        indent = text[line_start : match.start(1)]
        closing = _closing(fence).search(text, after)
        end = len(text) if closing is None else closing.start()
        if fenced is not None:
            close_line_end = len(text) if closing is None else text.find("\n", closing.start())
            fenced.append((line_start, len(text) if close_line_end == -1 else close_line_end))
        if _MERMAID_INFO.match(info):
            body = text[after:end]
            if indent:  # removed from each content line, as far as it goes (CommonMark)
                body = re.sub("(?m)^[ \t]{0,%d}" % len(indent), "", body)
            blocks.append(Block(number=len(blocks) + 1, fence_line=fence_line, first_line=fence_line + 1,
                                text=body, start=after, end=end, indent=indent, newline=newline))
        if closing is None:
            return blocks
        close_end = text.find("\n", closing.start())
        pos = len(text) if close_end == -1 else close_end + 1
        if pos >= len(text):
            return blocks


_OPEN_LINE = re.compile(r"(?m)^[ \t]*(`{3,}|~{3,})")


@lru_cache(maxsize=64)
def _closing(fence: str) -> re.Pattern:
    """A line that closes `fence`: its character, as many times or more, and only
    whitespace around (what str.strip() removes; `\\s` is the same set)."""
    return re.compile("(?m)^[^\\S\\n]*%s{%d,}[^\\S\\n]*$" % (re.escape(fence[0]), len(fence)))
