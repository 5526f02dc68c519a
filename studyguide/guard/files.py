"""Files in and out: reading what a content pack names, safely; writing outputs atomically.

A path may name a FIFO that blocks forever, /dev/zero that never ends, or a file
swapped for something else after it was checked. So the file is opened without
blocking and checked through the open descriptor: what is checked is what is read.
"""

from __future__ import annotations

import glob
import os
import stat
import tempfile
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..diagnostics import BuildError


class FileRefusedError(ValueError):
    """The file is not read; the message says why, to follow the file's name."""


def url_path(folder: Path, url: str) -> Path:
    """The file a relative URL names from inside folder, read as a browser would:
    percent-escapes decoded, any ?query or #fragment left off. It may lie outside folder."""
    return (folder / url2pathname(unquote(urlsplit(url).path))).resolve()


def read_limited(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most limit bytes."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as error:
        raise FileRefusedError(f"cannot be read: {error.strerror}") from None
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise FileRefusedError("is not a regular file")
        data = file.read(limit + 1)
    if len(data) > limit:
        raise FileRefusedError(f"is larger than {size_text(limit)}")
    return data


def size_text(size: int) -> str:
    """A size in bytes as people say it: 512 KiB, 16 MiB."""
    for unit, factor in (("MiB", 2**20), ("KiB", 2**10)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write the file in one step: readers see the old content or the new, never half.

    The temporary file beside it has a name no other build can pick (mkstemp), so
    builds writing into the same folder at once never mix their bytes. One left by a
    build that was killed while writing is removed by the next write.
    """
    put_in_place(write_aside(path, data), path)


def write_aside(path: Path, data: bytes) -> Path:
    """The first step of write_atomic, which a worker can take: data in a temporary file
    beside path, on disk, for put_in_place to make it path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temporaries(path)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise BuildError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        os.fchmod(descriptor, 0o666 & ~_umask())  # as open() would have made it, not mkstemp's 0600
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise BuildError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def put_in_place(temporary: Path, path: Path) -> None:
    """The second step of write_atomic: the temporary file becomes path."""
    try:
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise BuildError(f"cannot write {path}: {error.strerror or error}") from None


STALE_SECONDS = 600  # a write takes well under a second; a temporary this old lost its build


def _remove_stale_temporaries(path: Path) -> None:
    now = datetime.now(UTC).timestamp()
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with suppress(OSError):  # another build may remove it first
            if now - leftover.stat().st_mtime > STALE_SECONDS:
                leftover.unlink()
