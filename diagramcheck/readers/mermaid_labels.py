"""Mermaid label text -> the words a reader sees.

A label may hold HTML (`<br/>` line breaks, `<b>`, entities such as `&amp;`), Mermaid's
own entity codes (`#quot;`, `#35;`), a literal `\\n`, Font Awesome icons (`fa:fa-user`)
and, in Markdown strings, `**bold**`. Every pattern here is a single character class or
a bounded repeat, so cleaning is linear in the label's length.
"""

from __future__ import annotations

import html
import re

from diagramcheck.limits import LIMITS

_BREAK = re.compile(r"<br\s{0,20}/?>|\\n", re.I)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MERMAID_ENTITY = re.compile(r"#([A-Za-z]{2,31}|[0-9]{1,7});")
_ICON = re.compile(r"\bfa[bklrsd]?:fa-[\w-]{1,64}")
_MARKDOWN = re.compile(r"\*\*|__")
_MARKUP = re.compile(r"[<&#\\\n:]")


def clean_label(raw: str, markdown: bool = False) -> str:
    """The label as text: line breaks kept as newlines, markup and icons removed."""
    if not markdown and not _MARKUP.search(raw):  # most labels: plain words on one line
        return " ".join(raw.split())[: LIMITS.max_label_chars]
    text = raw[: LIMITS.max_label_chars * 4]  # markup is removed below: cut generously first
    text = _MERMAID_ENTITY.sub(_entity, text)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = html.unescape(text)
    text = _ICON.sub("", text)
    if markdown:
        text = _MARKDOWN.sub("", text)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)[: LIMITS.max_label_chars]


def _entity(match: re.Match) -> str:
    name = match.group(1)
    decoded = html.unescape(f"&#{name};" if name.isdigit() else f"&{name};")
    if decoded.startswith("&") or not decoded.isprintable():
        return match.group(0)  # not an entity: keep what was written
    return decoded
