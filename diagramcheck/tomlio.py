"""Loading TOML data files with errors that say file and line.

tomllib reports syntax errors with a position; for a schema error found later by
pydantic we find the line of the offending table or key in the text ourselves.

The schemas are stdlib dataclasses, checked by pydantic only when a file is actually
read (`validated`): a run that finds its packs and lexicon cached unpickles plain
objects and never imports pydantic (some 100 ms of every cold start).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypeVar

from diagramcheck.errors import DiagramError, PatternError

T = TypeVar("T")

# every schema's pydantic config (a plain dict: naming pydantic's ConfigDict would import
# it): a key the schema does not know is a mistake to report, never silently dropped
STRICT = {"extra": "forbid"}

# TOML words for what pydantic says in terms of Python: an unknown key, whether reported
# for a dataclass ("unexpected keyword argument") or a mapping ("extra inputs"), and a
# table where it found something else ("a dictionary or an instance of Rule")
_IN_TOML_WORDS = {
    "extra_forbidden": "unknown key",
    "unexpected_keyword_argument": "unknown key",
    "dataclass_type": "should be a table",
    "dict_type": "should be a table",
}


class SchemaError(Exception):
    """pydantic's errors for data that does not fit its schema (`errors` as pydantic's
    `ValidationError.errors()` gives them, each with a `loc`)."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.errors = errors


def validated(schema: type[T], data: object) -> T:
    """`data` as an instance of the dataclass `schema`, or SchemaError."""
    from pydantic import TypeAdapter, ValidationError

    adapter = _ADAPTERS.get(schema)
    if adapter is None:
        adapter = _ADAPTERS[schema] = TypeAdapter(schema)
    try:
        return adapter.validate_python(data)
    except ValidationError as exc:
        raise SchemaError(exc.errors()) from None


_ADAPTERS: dict[type, object] = {}


def load_toml(path: Path) -> tuple[dict, str]:
    import tomllib  # only when a pack is read, not on a run that finds the packs cached (~18 ms)

    from diagramcheck.file_reader import read_text

    try:
        text = read_text(path)
    except DiagramError as exc:
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


def describe(exc: SchemaError) -> str:
    parts = []
    for error in exc.errors[:3]:
        where = ".".join(str(p) for p in error["loc"])
        message = _IN_TOML_WORDS.get(error["type"], error["msg"])
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)
