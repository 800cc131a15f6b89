"""Counted nouns in what the tool says: "1 warning", "2 warnings", never "1 warnings"."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, the word in the plural (`many`, or the word + "s") unless one."""
    return f"{count} {word if count == 1 else many or word + 's'}"
