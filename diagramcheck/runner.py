"""One review run, for every front end: the CLI's `review` and `graph` today, a watcher or
a practice session tomorrow. Each calls `review_files` (or `graph_files`) with parsed
options and gets the results and the exit status back; nothing here prints.

The loop: find the files (folders walked, stdin read), give each file the config that
applies to it (the nearest one, found once per folder), prepare the packs and lexicon once
per config, read and review each sketch of the file (most files hold one; a Markdown file
holds one per Mermaid flowchart block, each reviewed and reported on its own as
`notes.md#block2`), then apply the baseline and work out the exit status.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from diagramcheck import formats
from diagramcheck.config import Config, ConfigError, find_config, load_config, unknown_rule
from diagramcheck.errors import DiagramError, PatternError
from diagramcheck.files import STDIN, Excluder, Found, Patterns, Target, collect
from diagramcheck.limits import LIMITS

FAIL_LEVELS = {"info": 0, "warning": 1, "error": 2, "never": 99}


class NothingToReview(DiagramError):
    """A document named for review that holds no sketch (a README): skipped, not failed."""


class RunError(Exception):
    """The run cannot go ahead at all (a misspelt rule id on the command line, a baseline
    that cannot be read): no report, exit status 2."""


@dataclass
class ReviewOptions:
    paths: list[str]
    config: str | None = None  # one config for every file, instead of the nearest one
    stdin_filename: str | None = None  # the name `-` stands for: format, config and report
    exclude: list[str] = field(default_factory=list)  # gitignore-style, relative to the current folder
    force_exclude: bool = False  # exclusions apply to files named explicitly too (pre-commit)
    respect_gitignore: bool | None = None  # None: as the config says (yes by default)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    problem: str | None = None
    level: str | None = None
    fail_on: str | None = None
    baseline: Path | None = None
    write_baseline: Path | None = None
    page: str | None = None  # draw.io: the page to read, by name or number
    bank_problem: str | None = None  # a problem of the bank (a practice sketch): its type and extra rules apply


@dataclass
class RunResult:
    reviews: list = field(default_factory=list)  # engine.Review, in the order the files were named and found
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): files (or Mermaid blocks) not reviewed
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): named, nothing to review; blocks of other diagram types
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, message): read tolerantly (a Mermaid block GitHub will not render)
    stale: list[str] = field(default_factory=list)  # baseline entries that no longer match
    catalog: object = None  # the packs of the last config used (SARIF describes its rules)
    baseline_written: int | None = None  # findings recorded by write_baseline
    exit_code: int = 0


@dataclass
class GraphResult:
    graphs: list = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int = 0


class Configs:
    """The config of each folder, found once per folder (the nearest config file above it,
    or the one given), each config file read once."""

    def __init__(self, explicit: str | None) -> None:
        self.explicit = Path(explicit) if explicit else None
        self._file_of: dict[Path, Path | None] = {}
        self._loaded: dict[Path | None, Config | PatternError] = {}  # config file -> its config or its mistake
        self._excludes: dict[int, Patterns | None] = {}

    def for_folder(self, folder: Path) -> Config:
        source = self.explicit if self.explicit else self._nearest(folder)
        return _once(self._loaded, source, lambda: load_config(source))

    def for_path(self, name: str) -> Config:
        return self.for_folder(Path(name).parent if name != STDIN else Path.cwd())

    def _nearest(self, folder: Path) -> Path | None:
        if folder not in self._file_of:  # by the folder as named: find_config resolves it once
            self._file_of[folder] = find_config(folder)
        return self._file_of[folder]

    def exclude_patterns(self, folder: Path) -> Patterns | None:
        """The `exclude` patterns of the config that governs `folder` (none if it is broken:
        the review of each file under it reports the config's error)."""
        try:
            config = self.for_folder(folder)
        except PatternError:
            return None
        if id(config) not in self._excludes:
            self._excludes[id(config)] = Patterns(config.base(), config.exclude) if config.exclude else None
        return self._excludes[id(config)]


@dataclass
class _Prepared:
    config: Config
    catalog: object
    lexicon: object


class _Session:
    """What a run keeps between files: configs, and packs and lexicon per config."""

    def __init__(self, options: ReviewOptions, stdin: BinaryIO | None) -> None:
        self.options = options
        self.stdin = stdin
        self.configs = Configs(options.config)
        self._prepared: dict[int, _Prepared | PatternError] = {}  # id(config) -> packs and lexicon, or the mistake
        self.reported_config_errors: set[str] = set()

    def find(self) -> Found:
        if self.options.config and not Path(self.options.config).is_file():
            raise RunError(f"{self.options.config}: config file does not exist")
        respect = self.options.respect_gitignore
        if respect is None:
            try:
                respect = self.configs.for_folder(Path.cwd()).respect_gitignore
            except PatternError:
                respect = True
        excluder = Excluder(self.options.exclude, respect, self.configs.exclude_patterns)
        found = collect(self.options.paths, excluder, self.options.force_exclude)
        if self.options.stdin_filename and self.options.force_exclude and any(t.path == STDIN for t in found.targets):
            named = Path(self.options.stdin_filename)
            if excluder.excluded_by_name(named):
                found.targets = [t for t in found.targets if t.path != STDIN]
        return found

    def prepare(self, name: str) -> _Prepared:
        """The config, packs and lexicon for a file (once per config); PatternError if its config is broken."""
        config = self.configs.for_path((self.options.stdin_filename or name) if name == STDIN else name)
        return _once(self._prepared, id(config), lambda: self._prepare(config))

    def _prepare(self, config: Config) -> _Prepared:
        from diagramcheck.packs import catalog_for
        from diagramcheck.pipeline import lexicon_for

        try:
            catalog = catalog_for(config.pattern_dirs())
        except PatternError as exc:
            raise (config.error("patterns", str(exc)) if config.patterns else exc) from None
        known = {rule.id for rule in catalog.rules}
        _check_cli_rule_ids(known, self.options)
        config.check_rule_ids(known)
        return _Prepared(config, catalog, lexicon_for(config))

    def parts(self, target: Target, lexicon) -> list:
        """The sketches of one target, each (Part, typed graph or None), named as the target is
        (`notes.md#block2` for a Mermaid block); DiagramError when the file cannot be read."""
        from diagramcheck.pipeline import load_parts, parts_from_bytes

        if target.path != STDIN:
            return load_parts(target.path, lexicon, page=self.options.page)
        name = self.options.stdin_filename or STDIN
        data = _read_stdin(self.stdin)
        if self.options.stdin_filename and formats.detect(name, io.BytesIO(data)) is None:
            if formats.is_document(name):
                raise NothingToReview(formats.NO_DRAWING)
            if not _reader_decides(name):
                raise DiagramError("unsupported file type")
        return parts_from_bytes(data, name, lexicon, page=self.options.page)

    def error_of(self, target: Target, exc: Exception) -> tuple[str, str] | None:
        """The (path, reason) an exception gives; None for a config error already listed."""
        if isinstance(exc, ConfigError):
            if exc.path in self.reported_config_errors:
                return None
            self.reported_config_errors.add(exc.path)
            return (exc.path, f"line {exc.line}: {exc.reason}" if exc.line else exc.reason)
        if isinstance(exc, PatternError):
            text = str(exc)
            if text in self.reported_config_errors:
                return None
            self.reported_config_errors.add(text)
            return (self.display(target), text)
        return (self.display(target), str(exc))

    def display(self, target: Target) -> str:
        return (self.options.stdin_filename or STDIN) if target.path == STDIN else target.path


def _once(cache: dict, key, make):
    """`make()` the first time `key` is asked for, its value (or the PatternError it raised,
    raised again) every time after."""
    if key not in cache:
        try:
            cache[key] = make()
        except PatternError as exc:
            cache[key] = exc
    found = cache[key]
    if isinstance(found, PatternError):
        raise found
    return found


def _reader_decides(name: str) -> bool:
    """A name whose reader gives the precise complaint (an SVG without a scene) rather than
    'unsupported file type'."""
    return formats.may_hold(name) and bool(formats.suffix(name)) and not formats.is_document(name)


def _read_stdin(stdin: BinaryIO | None) -> bytes:
    if stdin is None:
        raise DiagramError("no standard input to read")
    data = stdin.read(LIMITS.max_file_bytes + 1)
    LIMITS.check("file size", len(data), LIMITS.max_file_bytes)
    return data


def _check_cli_rule_ids(known: set[str], options: ReviewOptions) -> None:
    for flag, ids in (("--select", options.select), ("--ignore", options.ignore)):
        for rule_id in ids:
            if rule_id not in known:
                raise RunError(f"{flag}: {unknown_rule(rule_id, known)}")


def _each_graph(session: _Session, found: Found, result: RunResult | GraphResult) -> Iterator[tuple[_Prepared, object]]:
    """(prepared, graph) for each sketch that reads, one per part of a file (a Mermaid block
    of a Markdown file); what does not goes to `result.errors` (a file, or one block while
    the others are still reviewed) or `result.skipped` (a document with no sketch, a block of
    another diagram type), and what was read tolerantly to `result.warnings`."""
    from diagramcheck.gcpause import paused_then_frozen

    for target in found.targets:
        with paused_then_frozen():  # see gcpause.py
            try:
                prepared = session.prepare(target.path)
                parts = session.parts(target, prepared.lexicon)
            except NothingToReview as exc:
                result.skipped.append((session.display(target), str(exc)))
                continue
            except (DiagramError, PatternError) as exc:
                entry = session.error_of(target, exc)
                if entry is not None:
                    result.errors.append(entry)
                continue
            except (RunError, ConfigError):
                raise  # what stops the whole run
            except Exception as exc:  # a bug: this file is reported, the others still reviewed
                result.errors.append((session.display(target), internal_error(exc)))
                continue
            for part, graph in parts:
                result.warnings.extend((part.name, warning) for warning in part.warnings)
                if part.skipped is not None:
                    result.skipped.append((part.name, f"line {part.line}: {part.skipped}" if part.line else part.skipped))
                elif part.error is not None:
                    result.errors.append((part.name, part.error))
                else:
                    graph.path = part.name
                    yield prepared, graph


def internal_error(exc: Exception) -> str:
    """What a user sees of a bug: one line, not a traceback (DIAGRAMCHECK_DEBUG=1 raises it)."""
    if os.environ.get("DIAGRAMCHECK_DEBUG"):
        raise exc
    return f"internal error ({type(exc).__name__}: {exc}); this is a bug in diagramcheck, please report it with this file"


def review_files(options: ReviewOptions, stdin: BinaryIO | None = None) -> RunResult:
    """Reviews every file the options name; RunError when the run cannot start."""
    from diagramcheck.engine import SEVERITY_ORDER, review

    session = _Session(options, stdin)
    found = session.find()
    result = RunResult(errors=list(found.errors), skipped=list(found.skipped))
    thresholds: list[int] = []
    baseline_path = options.baseline
    for prepared, graph in _each_graph(session, found, result):
        config = prepared.config
        catalog, problem = _held_to(prepared, options.bank_problem)
        try:
            reviewed = review(
                graph, catalog, prepared.lexicon.category,
                problem=options.problem or problem or config.problem,
                select=options.select or config.select,
                ignore=[*options.ignore, *config.ignore],
                level=options.level or config.level,
            )
        except Exception as exc:  # a bug: this file is reported, the others still reviewed
            result.errors.append((graph.path, internal_error(exc)))
            continue
        result.reviews.append(reviewed)
        result.catalog = catalog
        thresholds.append(FAIL_LEVELS[options.fail_on or config.fail_on])
        if baseline_path is None and config.baseline and not options.write_baseline:
            baseline_path = config.base() / config.baseline
    if options.write_baseline is not None:
        from diagramcheck import baseline

        try:
            # the files read, and those that could not be; a Mermaid block `notes.md#block2` is in notes.md
            named = [rv.graph.path for rv in result.reviews] + [path for path, _ in result.errors]
            inputs = named + [formats.split_block_name(path)[0] for path in named]
            result.baseline_written = baseline.write(result.reviews, options.write_baseline, inputs=inputs)
        except DiagramError as exc:
            raise RunError(str(exc)) from None
        result.exit_code = 2 if result.errors else 0
        return result
    if baseline_path is not None:
        from diagramcheck import baseline

        try:
            result.stale = baseline.apply(result.reviews, baseline_path, baseline.load(baseline_path))
        except DiagramError as exc:
            raise RunError(str(exc)) from None
    failing = any(SEVERITY_ORDER[f.severity] >= threshold
                  for rv, threshold in zip(result.reviews, thresholds) for f in rv.findings)
    result.exit_code = 2 if result.errors else 1 if failing else 0
    return result


def _held_to(prepared: _Prepared, bank_problem: str | None) -> tuple[object, str | None]:
    """The catalog and problem type a sketch is reviewed with: a bank problem's type, and
    its extra rules held too (a practice sketch); else the config's."""
    if bank_problem is None:
        return prepared.catalog, None
    from diagramcheck.problem_bank import bank_for, problem_catalog

    problem = bank_for(prepared.config.pattern_dirs()).get(bank_problem)
    return problem_catalog(prepared.catalog, problem), problem.type


def graph_files(options: ReviewOptions, stdin: BinaryIO | None = None) -> GraphResult:
    """What was understood of every file the options name (`diagramcheck graph`)."""
    session = _Session(options, stdin)
    found = session.find()
    result = GraphResult(errors=list(found.errors), skipped=list(found.skipped))
    for _, graph in _each_graph(session, found, result):
        result.graphs.append(graph)
    result.exit_code = 2 if result.errors else 0
    return result
