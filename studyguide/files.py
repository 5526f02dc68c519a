"""Reading a file named by a content pack: regular files only, and never more than a limit.

A path may name a FIFO that blocks forever, /dev/zero that never ends, or a file
swapped for something else after it was checked. So the file is opened without
blocking and checked through the open descriptor: what is checked is what is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefusedError(ValueError):
    """The file is not read; the message says why, to follow the file's name."""


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
