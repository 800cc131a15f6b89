"""A small on-disk cache for what every run would otherwise rebuild: the validated
pattern catalog and the compiled lexicon. Keyed by the content of the source files, the
diagramcheck version and the code that builds and validates them, so an edited pack,
lexicon or validator (in a development install, where the version stays put) is never
served stale.

It lives in $XDG_CACHE_HOME/diagramcheck (or ~/.cache/diagramcheck); any error
(read-only home, a corrupt file) falls back to building, and DIAGRAMCHECK_NO_CACHE=1
turns it off. Every upgrade, edited pack or pack folder makes a new key, so after each
write only the most recently used entries of a kind are kept (`KEEP`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Callable, TypeVar

from diagramcheck import __version__
from diagramcheck.file_reader import read_file
from diagramcheck.gcpause import paused_collection

T = TypeVar("T")
KEEP = 8  # entries per kind: a few configs with their own packs, a version or two
_BUILDERS = [Path(__file__).with_name(name) for name in ("packs.py", "kinds.py", "reading.py", "tomlio.py", "problem_bank.py", "reference.py")]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "diagramcheck"


def cached(kind: str, sources: list[Path], extra: str, build: Callable[[], T]) -> T:
    if os.environ.get("DIAGRAMCHECK_NO_CACHE"):
        return build()
    try:
        digest = hashlib.sha256(f"{__version__}\0{kind}\0{extra}".encode())
        for path in [*sorted(sources), *_BUILDERS]:
            digest.update(str(path).encode() + b"\0" + read_file(path) + b"\0")
        target = cache_dir() / f"{kind}-{digest.hexdigest()[:32]}.pickle"
        if target.is_file():
            data = target.read_bytes()
            with paused_collection():  # unpickling ~100k objects would trigger full collections
                value = pickle.loads(data)
            _touch(target)
            return value
    except Exception:  # a cache must never be the reason a run fails
        return build()
    value = build()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, target)
        _prune(target.parent, kind)
    except Exception:
        pass
    return value


def _touch(entry: Path) -> None:
    """Marks an entry used (its modification time), so pruning keeps what runs still read;
    at most once an hour, not a write on every run."""
    try:
        if time.time() - entry.stat().st_mtime > 3600:
            os.utime(entry)
    except OSError:
        pass


def _prune(folder: Path, kind: str) -> None:
    """Drops all but the KEEP most recently used entries of a kind, and temporary files
    an interrupted write left behind over an hour ago."""
    now = time.time()
    entries = []
    for path in folder.glob(f"{kind}-*.pickle"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:
            continue
    entries.sort(reverse=True)
    stale = [path for _, path in entries[KEEP:]]
    for path in folder.glob(".tmp-*"):
        try:
            if now - path.stat().st_mtime > 3600:
                stale.append(path)
        except OSError:
            continue
    for path in stale:
        try:
            path.unlink()
        except OSError:
            pass
