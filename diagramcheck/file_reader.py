"""Reading a file: the one way every file the tool opens is read (sketches, `fix` inputs,
baselines, configs, pattern packs), with the size limit, and never what is not a regular
file: a named FIFO may never get a writer and would block the run forever, `/dev/zero`
never ends. The one exception is an anonymous pipe, which has its writer by construction:
`diagramcheck review <(curl ...)` (process substitution) is read to its end, or the limit."""

from __future__ import annotations

import os
import stat

from diagramcheck.errors import DiagramError
from diagramcheck.limits import LIMITS

_KINDS = {stat.S_IFIFO: "a FIFO", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket"}
# never wait on a FIFO swapped in after the check, never become its controlling terminal
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def read_file(path: str | os.PathLike, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (default: the file size limit),
    or DiagramError with the plain reason (the caller adds the path)."""
    limit = LIMITS.max_file_bytes if limit is None else limit
    try:
        _check_readable(os.stat(path))  # a device or named FIFO is refused before it is opened
        fd = os.open(path, _FLAGS)
    except DiagramError:
        raise
    except OSError as exc:
        raise DiagramError(_reason(exc)) from None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            _check_readable(info)  # what was opened, not what was checked a moment ago
            if not stat.S_ISREG(info.st_mode):
                os.set_blocking(fd, True)  # an anonymous pipe: wait for its writer
            LIMITS.check("file size", info.st_size, limit)
            # read(n) allocates n bytes first: asking for the size stat gave (plus one, to
            # notice a file that grew) costs a sixth of asking for the limit on a sketch
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(limit + 1 - len(data))
        except OSError as exc:
            raise DiagramError(_reason(exc)) from None
    LIMITS.check("file size", len(data), limit)
    return data


def read_if_present(path: str | os.PathLike, limit: int | None = None) -> bytes | None:
    """`read_file`, or None when nothing is at `path` (the tool's own state files: the practice
    sessions and journal, which live in the repository and so are as untrusted as a sketch)."""
    if not os.path.exists(path):
        return None
    return read_file(path, limit)


def read_text(path: str | os.PathLike, limit: int | None = None) -> str:
    """A UTF-8 text file (a byte order mark is read past), through `read_file`."""
    try:
        return read_file(path, limit).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DiagramError(f"not UTF-8 text (byte {exc.start})") from None


def _check_readable(info: os.stat_result) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise DiagramError("is a directory")
    if not stat.S_ISREG(mode) and not (stat.S_ISFIFO(mode) and info.st_dev == _pipe_device()):
        raise DiagramError(f"not a regular file ({_KINDS.get(stat.S_IFMT(mode), 'a special file')})")


_PIPE_DEVICE: list[int] = []


def _pipe_device() -> int:
    """The device anonymous pipes live on (Linux's pipefs): a named FIFO lives on a disk's."""
    if not _PIPE_DEVICE:
        read_end, write_end = os.pipe()
        try:
            _PIPE_DEVICE.append(os.fstat(read_end).st_dev)
        finally:
            os.close(read_end)
            os.close(write_end)
    return _PIPE_DEVICE[0]


def _reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read file ({exc.strerror or exc})"

