"""The output folder, written by one build at a time, and left with nothing of the build's own.

A build holds a lock on the folder while it writes, so that what it records as written is what
the folder holds. While it holds it, no temporary file in the folder can be another build's:
the build removes those a killed build left (the outputs' and the part cache's), and keeps its
renders' temporary files (WeasyPrint's copies of the fonts) in a folder of its own, which it
removes when it ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ..diagnostics import BuildError
from .freshness import CACHE_DIR

SCRATCH = CACHE_DIR / "tmp"  # the renders' temporary files; the workers inherit tempfile's folder


@contextmanager
def held(out_dir: Path) -> Iterator[None]:
    """The output folder for this build alone; a BuildError when another build holds it."""
    try:
        (out_dir / CACHE_DIR).mkdir(parents=True, exist_ok=True)
        folder = os.open(out_dir, os.O_RDONLY)  # the lock is the folder's own: no file to leave
    except OSError as error:
        raise BuildError(f"cannot write {out_dir}: {error.strerror or error}") from None
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildError(f"another build is writing into {out_dir}; wait for it to end, or build "
                             "into another folder with --out") from None
        _sweep(out_dir)
        scratch = out_dir / SCRATCH
        scratch.mkdir()
        previous, tempfile.tempdir = tempfile.tempdir, str(scratch)
        try:
            yield
        finally:
            tempfile.tempdir = previous
            _sweep(out_dir)
    finally:
        os.close(folder)  # and with it the lock


def _sweep(out_dir: Path) -> None:
    """Remove what builds leave only when they are stopped: temporary files and the scratch folder."""
    for leftover in (*out_dir.glob(".*.tmp"), *(out_dir / CACHE_DIR).rglob(".*.tmp")):
        with suppress(OSError):
            leftover.unlink()
    shutil.rmtree(out_dir / SCRATCH, ignore_errors=True)
