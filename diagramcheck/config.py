"""Project configuration: `[tool.diagramcheck]` in pyproject.toml or `.diagramcheck.toml`.

Found by walking up from the reviewed file (or the current directory), nearest wins.
Every key is validated; a mistake names the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from diagramcheck.errors import PatternError
from diagramcheck.tomlio import STRICT, SchemaError, describe, validated


@dataclass
class Config:
    """The schema of a config file (checked by pydantic when one is read: tomlio.py)."""

    __pydantic_config__ = STRICT

    select: list[str] = field(default_factory=list)  # only these rule ids
    ignore: list[str] = field(default_factory=list)  # never these rule ids
    fail_on: Literal["error", "warning", "info", "never"] = "error"
    problem: str | None = None  # force a problem type
    level: Literal["junior", "mid", "senior", "staff"] = "senior"  # the candidate level judged against
    synonyms: dict[str, list[str]] = field(default_factory=dict)  # kind -> extra phrases
    patterns: list[str] = field(default_factory=list)  # extra pattern directories, relative to the config file
    baseline: str | None = None
    source: str | None = field(default=None, init=False)  # where it was read from, never from the file

    def pattern_dirs(self) -> list[Path]:
        base = Path(self.source).parent if self.source else Path.cwd()
        return [(base / p).resolve() for p in self.patterns]


def find_config(start: Path) -> Path | None:
    directory = start if start.is_dir() else start.parent
    directory = directory.resolve()
    for folder in (directory, *directory.parents):
        own = folder / ".diagramcheck.toml"
        if own.is_file():
            return own
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_section(pyproject):
            return pyproject
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        return "tool.diagramcheck" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()  # the defaults need no validating (nor pydantic, ~100 ms to import)
    import tomllib  # only when there is a config file (~18 ms of every run otherwise)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise PatternError(f"{path}: cannot read config ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise PatternError(f"{path}: invalid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("diagramcheck", {})
    try:
        config = validated(Config, data)
    except SchemaError as exc:
        raise PatternError(f"{path}: invalid diagramcheck config: {describe(exc)}") from None
    config.source = str(path)
    return config
