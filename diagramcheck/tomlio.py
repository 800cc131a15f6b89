"""Loading TOML data files with errors that say file and line.

tomllib reports syntax errors with a position; for a schema error found later by
pydantic we find the line of the offending table or key in the text ourselves.
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from diagramcheck.errors import PatternError


def load_toml(path: Path) -> tuple[dict, str]:
    import tomllib  # only when a pack is read, not on a run that finds the packs cached (~18 ms)

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{path}: cannot read ({exc})") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise PatternError(f"{path}: invalid TOML: {exc}") from None


def line_of(text: str, table: str | None = None, key: str | None = None, nth: int = 0) -> int:
    """1-based line of `[table]` (or the nth `[[table]]`), then of `key =` inside it."""
    lines = text.splitlines()
    start = 0
    if table is not None:
        pattern = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        if hits:
            start = hits[min(nth, len(hits) - 1)]
    if key is not None:
        key_pattern = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start, len(lines)):
            if i > start and lines[i].lstrip().startswith("[") and table is not None:
                break
            if key_pattern.match(lines[i]):
                return i + 1
    return start + 1


def describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else error["msg"])
    return "; ".join(parts)
