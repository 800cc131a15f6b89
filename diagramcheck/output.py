"""Writing outputs: atomically (temp file + rename), never over an input, never over
an existing file unless asked."""

from __future__ import annotations

import os
import stat
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
    try:
        existing = os.stat(resolved)
    except OSError:
        existing = None
    if existing is not None:
        if stat.S_ISDIR(existing.st_mode):
            raise DiagramError(f"{target}: is a directory")
        # the same file, by device and inode: through a symlink or a hard link too, and one
        # stat per input (resolving 500 input paths walked every folder of each)
        for source in inputs:
            try:
                found = os.stat(source)
            except OSError:
                continue
            if (found.st_dev, found.st_ino) == (existing.st_dev, existing.st_ino):
                raise DiagramError(f"{target}: refusing to overwrite an input file")
        if not force:
            raise DiagramError(f"{target}: output exists; use --force to overwrite it")
    directory = resolved.parent
    if not directory.is_dir():
        raise DiagramError(f"{target}: directory {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise DiagramError(f"{target}: cannot write ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, resolved)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):  # a full disk, a file system that refuses the rename
            raise DiagramError(f"{target}: cannot write ({exc.strerror or exc})") from None
        raise
