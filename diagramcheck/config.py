"""Project configuration: `[tool.diagramcheck]` in pyproject.toml or `.diagramcheck.toml`.

Found by walking up from the reviewed file (or the current directory), nearest wins.
Every key is validated; a mistake names the file and the key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from diagramcheck.errors import DiagramError, PatternError
from diagramcheck.file_reader import read_file, read_text
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
    exclude: list[str] = field(default_factory=list)  # gitignore-style patterns, relative to the config file
    respect_gitignore: bool = True  # skip what .gitignore ignores when walking a folder
    source: str | None = field(default=None, init=False)  # where it was read from, never from the file

    def pattern_dirs(self) -> list[Path]:
        return [(self.base() / p).resolve() for p in self.patterns]

    def base(self) -> Path:
        """The folder relative paths in the config start from: the config file's own."""
        return Path(self.source).parent.resolve() if self.source else Path.cwd().resolve()

    def check_rule_ids(self, known: set[str]) -> None:
        """A misspelt rule id in `select` or `ignore` is a config error naming file, line and key."""
        for key in ("select", "ignore"):
            for rule_id in getattr(self, key):
                if rule_id not in known:
                    raise self.error(key, unknown_rule(rule_id, known))

    def error(self, key: str, reason: str) -> PatternError:
        """A mistake found in this config after it was read, naming its file, the key's line and the key."""
        if not self.source:
            return PatternError(f"{key}: {reason}")
        return ConfigError(self.source, f"{key}: {reason}", _line(_text(Path(self.source)), key))


def unknown_rule(rule_id: str, known: set[str]) -> str:
    """What to say of a rule id that is none of `known`, with the closest one."""
    import difflib

    close = difflib.get_close_matches(rule_id, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown rule id {rule_id!r}{hint}; `diagramcheck rules` lists them"


class ConfigError(PatternError):
    """A mistake in a config file: the file, the line when known, and what is wrong with which key."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path, self.reason, self.line = str(path), reason, line
        super().__init__(f"{path}:{line}: {reason}" if line else f"{path}: {reason}")


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
        return b"tool.diagramcheck" in read_file(path)
    except DiagramError:
        return False


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()  # the defaults need no validating (nor pydantic, ~100 ms to import)
    import tomllib  # only when there is a config file (~18 ms of every run otherwise)

    try:
        text = read_text(path)
    except DiagramError as exc:
        raise ConfigError(path, f"cannot read config ({exc})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, f"invalid TOML: {exc}") from None
    data = _own_table(path, data, text)
    try:
        config = validated(Config, data)
    except SchemaError as exc:
        line = _line(text, *(exc.errors[0]["loc"] if exc.errors else ()))
        raise ConfigError(path, describe(exc), line) from None
    config.source = str(path)
    return config


def _text(path: Path) -> str:
    try:
        return read_text(path)
    except DiagramError:
        return ""


def _own_table(path: Path, data: dict, text: str) -> dict:
    """Our keys: `[tool.diagramcheck]` of pyproject.toml; the whole of .diagramcheck.toml,
    where the same `[tool.diagramcheck]` table is also accepted (the README's example,
    copied as it stands), but not beside top-level keys."""
    tool = data.get("tool")
    ours = tool.get("diagramcheck") if isinstance(tool, dict) else None
    if path.name == "pyproject.toml":
        return ours if isinstance(ours, dict) else {}
    if ours is None:
        return data
    others = sorted(k for k in data if k != "tool") + sorted(f"tool.{k}" for k in tool if k != "diagramcheck")
    if others:
        raise ConfigError(path, f"{others[0]}: keys go either at the top level or under [tool.diagramcheck], not both",
                          _line(text, others[0].removeprefix("tool.")))
    if not isinstance(ours, dict):
        raise ConfigError(path, "tool.diagramcheck: should be a table", _line(text, "tool"))
    return ours


def _line(text: str, *keys: object) -> int:
    """1-based line of the most specific of `keys` found in our table (`[tool.diagramcheck]`
    and its sub-tables where the file has them, else the whole file), as `key =` or as a
    table header (`[synonyms]`, `[tool.diagramcheck.synonyms]`); 1 when none is."""
    lines = text.splitlines()
    ours = [True] * len(lines)
    if any(re.match(r"\s*\[\s*tool\.diagramcheck\s*[.\]]", line) for line in lines):
        inside = False
        for number, line in enumerate(lines):
            if re.match(r"\s*\[", line):
                inside = re.match(r"\s*\[\s*tool\.diagramcheck\s*[.\]]", line) is not None
            ours[number] = inside
    for key in reversed([k for k in keys if isinstance(k, str)]):
        name = re.escape(key)
        pattern = re.compile(rf"^\s*(?:\"?{name}\"?\s*=|\[\s*(?:tool\.diagramcheck\.)?{name}\s*\])")
        for number, line in enumerate(lines):
            if ours[number] and pattern.match(line):
                return number + 1
    return 1
