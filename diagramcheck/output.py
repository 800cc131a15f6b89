"""Writing outputs: to the terminal through streams that never fail on a character the
terminal's encoding lacks; to files as UTF-8, atomically (temp file + rename), never over an
input, never over an existing file unless asked."""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from pathlib import Path

from diagramcheck.errors import DiagramError


def never_failing_standard_streams() -> None:
    """Standard output and error write what their encoding cannot hold as backslash escapes
    (a cp1252 console, PYTHONIOENCODING=ascii, a Windows pre-commit): `\u2192` rather than a
    UnicodeEncodeError traceback and a lost report. Streams that are not plain text files
    (a test's capture) are left as they are."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors in ("strict", "surrogateescape"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


def utf8(text: str | bytes) -> bytes:
    """What a file gets: UTF-8; a lone surrogate (a file name that was not UTF-8) as an escape."""
    return text if isinstance(text, bytes) else text.encode("utf-8", "backslashreplace")


def write_output(text: str | bytes, output: Path | None, force: bool = False, inputs=()) -> None:
    """Bytes go out as they are (JSON and SARIF are UTF-8 whatever the terminal), text
    through the standard output's own encoding (see never_failing_standard_streams)."""
    if output is None or str(output) == "-":
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return
    write_atomic(Path(output), utf8(text), force=force, inputs=inputs)


def check_target(target: Path, force: bool = False, inputs=()) -> Path:
    """The checks a write makes before it writes, for a command to make before it does its
    work: the absolute target, or DiagramError (exists without --force, is an input, is a
    folder, its folder is missing). A symbolic link is never followed: one at the target,
    live or dangling, is refused unless `force`, and then the link itself is replaced, never
    the file it points to. An input, by device and inode (through a symlink or a hard link
    too), is never written, `force` or not."""
    target = Path(target)
    try:
        own = os.lstat(target)
    except OSError:
        own = None
    if own is not None:
        if stat.S_ISDIR(own.st_mode):
            raise DiagramError(f"{target}: is a directory")
        pointed = _stat(target) if stat.S_ISLNK(own.st_mode) else None
        # one stat per input (resolving 500 input paths walked every folder of each)
        claimed = {(own.st_dev, own.st_ino)} | ({(pointed.st_dev, pointed.st_ino)} if pointed else set())
        for source in inputs:
            found = _stat(source)
            if found is not None and (found.st_dev, found.st_ino) in claimed:
                raise DiagramError(f"{target}: refusing to overwrite an input file")
        if not force:
            if stat.S_ISLNK(own.st_mode):
                raise DiagramError(f"{target}: is a symbolic link; use --force to replace the link itself "
                                   "(the file it points to is never written)")
            raise DiagramError(f"{target}: output exists; use --force to overwrite it")
    resolved = target.absolute()
    directory = resolved.parent
    if not directory.is_dir():
        raise DiagramError(f"{target}: directory {directory} does not exist")
    return resolved


def write_atomic(target: Path, data: bytes, force: bool = False, inputs=()) -> None:
    resolved = check_target(target, force, inputs)
    directory = resolved.parent
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


def _stat(path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except (OSError, ValueError):
        return None
