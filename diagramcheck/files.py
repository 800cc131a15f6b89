"""Which files a run reviews, as ruff finds Python files: paths named on the command line,
folders walked recursively, `-` for standard input.

A folder is walked for the files some format claims (formats.py), skipping `.git`,
virtualenvs and the like, paths matched by `exclude` (config) or `--exclude`, and, inside
a git repository, what its `.gitignore` files and `.git/info/exclude` ignore. A file named
explicitly is always reviewed (unless `--force-exclude`, for pre-commit): one of a type no
reader takes is an error, where the walk would have passed it over.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from diagramcheck import formats
from diagramcheck.errors import DiagramError
from diagramcheck.file_reader import read_file

STDIN = "-"

# ruff's default exclusions (folders of tools, caches and environments), plus __pycache__
DEFAULT_EXCLUDES = frozenset((
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache", ".nox",
    ".pants.d", ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv", ".vscode", "__pycache__",
    "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules", "site-packages", "venv",
))


@dataclass(frozen=True)
class Target:
    path: str  # as named or found (joined onto the folder named); "-" for stdin
    explicit: bool  # named on the command line, not found by walking


@dataclass
class Found:
    targets: list[Target] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): explicit paths refused
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): explicit, nothing to review


class Patterns:
    """gitignore-style patterns anchored at a folder (`.gitignore`, `exclude`, `--exclude`)."""

    def __init__(self, base: Path, lines: Iterable[str]) -> None:
        import pathspec  # only for a run that has patterns to match (~18 ms to import)

        self.base = base
        self._prefix = str(base).rstrip(os.sep) + os.sep
        self.spec = pathspec.GitIgnoreSpec.from_lines([line for line in lines if line.strip()])

    def decides(self, path: Path, is_dir: bool) -> bool | None:
        """True: excluded, False: re-included by a `!pattern`, None: no pattern matches."""
        name = str(path)
        if not name.startswith(self._prefix):
            return None
        relative = name[len(self._prefix):].replace(os.sep, "/")
        result = self.spec.check_file(relative + ("/" if is_dir else ""))
        return result.include


class Excluder:
    """Decides, folder by folder, whether a path is excluded. Folders are absolute here."""

    def __init__(self, cli_patterns: list[str], respect_gitignore: bool,
                 config_patterns: Callable[[Path], Patterns | None]) -> None:
        self.cli = Patterns(Path.cwd().resolve(), cli_patterns) if cli_patterns else None
        self.respect_gitignore = respect_gitignore
        self.config_patterns = config_patterns
        self._ignores: dict[Path, tuple[Patterns, ...]] = {}
        self._roots: dict[Path, Path | None] = {}

    def excluded(self, path: Path, is_dir: bool) -> bool:
        if is_dir and (path.name in DEFAULT_EXCLUDES or (path / "pyvenv.cfg").is_file()):
            return True
        if not is_dir and formats.is_fixed_copy(path.name):  # what `diagramcheck fix` wrote beside a sketch
            return True
        if self.cli is not None and self.cli.decides(path, is_dir):
            return True
        config = self.config_patterns(path.parent)
        if config is not None and config.decides(path, is_dir):
            return True
        if self.respect_gitignore:
            for patterns in reversed(self._gitignores(path.parent)):  # the deepest file has the last word
                decided = patterns.decides(path, is_dir)
                if decided is not None:
                    return decided
        return False

    def excluded_by_name(self, path: Path) -> bool:
        """For a path named explicitly (`--force-exclude`): it, or a folder above it, excluded."""
        path = path.resolve()
        if self.excluded(path, path.is_dir()):
            return True
        cwd = Path.cwd().resolve()  # folders above the project (a home under /build) decide nothing
        return any(self.excluded(folder, True) for folder in path.parents if folder != cwd and folder.is_relative_to(cwd))

    def _git_root(self, folder: Path) -> Path | None:
        if folder not in self._roots:
            if (folder / ".git").exists():
                self._roots[folder] = folder
            elif folder.parent == folder:
                self._roots[folder] = None
            else:
                self._roots[folder] = self._git_root(folder.parent)
        return self._roots[folder]

    def _gitignores(self, folder: Path) -> tuple[Patterns, ...]:
        """The ignore files that apply in `folder`, outermost first (only inside a git
        repository: git reads no .gitignore outside one)."""
        if folder in self._ignores:
            return self._ignores[folder]
        root = self._git_root(folder)
        if root is None:
            found: tuple[Patterns, ...] = ()
        elif folder == root:
            found = tuple(p for p in (_read_patterns(root, root / ".git" / "info" / "exclude"),
                                      _read_patterns(root, root / ".gitignore")) if p is not None)
        else:
            own = _read_patterns(folder, folder / ".gitignore")
            found = self._gitignores(folder.parent) + ((own,) if own is not None else ())
        self._ignores[folder] = found
        return found


def _read_patterns(base: Path, file: Path) -> Patterns | None:
    try:  # as every file is read: within the size limit, never a FIFO or a device
        text = read_file(file).decode("utf-8", errors="replace")
    except DiagramError:
        return None
    return Patterns(base, text.splitlines()) if text.strip() else None


def collect(paths: Iterable[str], excluder: Excluder, force_exclude: bool = False) -> Found:
    found = Found()
    seen: set[str] = set()

    def add(target: Target) -> None:
        key = target.path if target.path == STDIN else os.path.normpath(os.path.abspath(target.path))
        if key not in seen:
            seen.add(key)
            found.targets.append(target)

    for name in paths:
        if name == STDIN:
            add(Target(STDIN, explicit=True))
            continue
        path = Path(name)
        held_in = path if path.exists() else Path(formats.split_block_name(name)[0])  # notes.md#block2: in notes.md
        if force_exclude and held_in.exists() and excluder.excluded_by_name(held_in):
            continue
        if path.is_dir():
            for walked in walk(name, excluder):
                add(Target(walked, explicit=False))
            continue
        verdict = explicit_verdict(name)
        if verdict is None:
            add(Target(name, explicit=True))
        elif verdict[0] == "skip":
            found.skipped.append((name, verdict[1]))
        else:
            found.errors.append((name, verdict[1]))
    return found


def explicit_verdict(name: str) -> tuple[str, str] | None:
    """None: review it; ("skip", why): a document with no drawing; ("error", why): a type
    no reader takes. A path that does not exist is reviewed, so its reader says so."""
    if formats.claimed(name) is not None or not os.path.isfile(name):
        return None
    if formats.may_hold(name):
        if _sniffed(name) is not None:
            return None
        if formats.is_document(name):
            return ("skip", formats.NO_DRAWING)
        if formats.suffix(name):  # .json, .svg, .png: the reader says what is missing
            return None
    return ("error", "unsupported file type")


def _sniffed(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return formats.detect(path, handle)
    except OSError:
        return None


def walk(top: str, excluder: Excluder) -> list[str]:
    """Files under `top` that a format claims, sorted; iterative (the depth of a tree is
    the input's), symlinked folders not followed (no cycles), only regular files."""
    out: list[str] = []
    stack = [(top, Path(top).resolve())]
    while stack:
        folder, absolute = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        subfolders = []
        for entry in listed:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not excluder.excluded(absolute / entry.name, True):
                        subfolders.append((os.path.join(folder, entry.name), absolute / entry.name))
                elif formats.suffix(entry.name) and formats.may_hold(entry.name) and entry.is_file():
                    if excluder.excluded(absolute / entry.name, False):
                        continue
                    if formats.claimed(entry.name) is None and _sniffed(entry.path) is None:
                        continue
                    out.append(os.path.normpath(entry.path))
            except OSError:
                continue
        stack.extend(reversed(subfolders))
    return sorted(out, key=_sort_key)


def _sort_key(path: str) -> tuple:
    return tuple(Path(path).parts)
