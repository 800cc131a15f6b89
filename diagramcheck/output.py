"""Writing outputs: atomically (temp file + rename), never over an input, never over
an existing file unless asked."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from diagramcheck.errors import DiagramError


def write_output(text: str | bytes, output: Path | None, force: bool = False, inputs=()) -> None:
    if output is None or str(output) == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomic(Path(output), text.encode("utf-8") if isinstance(text, str) else text, force=force, inputs=inputs)


def write_atomic(target: Path, data: bytes, force: bool = False, inputs=()) -> None:
    resolved = target.resolve()
    for source in inputs:
        try:
            if Path(source).resolve() == resolved:
                raise DiagramError(f"{target}: refusing to overwrite an input file")
        except OSError:
            continue
    if target.exists() and not force:
        raise DiagramError(f"{target}: output exists; use --force to overwrite it")
    directory = resolved.parent
    if not directory.is_dir():
        raise DiagramError(f"{target}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, resolved)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
