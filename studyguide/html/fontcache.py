"""What is learnt of the font files once, kept on disk for every build on this machine.

Choosing a guide's fallback faces reads the character map of each face its characters reach:
for the seed guide some thirty files, 0.7 s with fontTools, in every build process. What a
file draws is kept here as ranges of codepoints, filed by the file's path, size and time of
change, and read back in milliseconds. The static instances of the variable faces
(engine/instances.py) are kept in the same folder.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import suppress
from pathlib import Path

from ..diagnostics import BuildError
from ..guard.files import write_atomic


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "studyguide" / "fonts"


def drawn_by(path: Path) -> frozenset[int]:
    """The codepoints the font file maps to glyphs (its first font, in a collection)."""
    stat = path.stat()
    filed = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    kept = cache_dir() / "coverage" / f"{hashlib.sha256(filed.encode()).hexdigest()[:32]}.txt"
    with suppress(OSError, ValueError):
        return _from_ranges(kept.read_text(encoding="ascii"))
    codepoints = _read_map(path)
    with suppress(BuildError):  # a cache that cannot be written costs the next process this read
        write_atomic(kept, _ranges(codepoints).encode("ascii"))
    return codepoints


def _read_map(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap())


def _ranges(codepoints: frozenset[int]) -> str:
    """The codepoints as lines of 'first last', in hexadecimal."""
    lines = []
    ordered = sorted(codepoints)
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index] != ordered[index - 1] + 1:
            lines.append(f"{ordered[start]:x} {ordered[index - 1]:x}\n")
            start = index
    return "".join(lines)


def _from_ranges(text: str) -> frozenset[int]:
    codepoints: set[int] = set()
    for line in text.splitlines():
        first, last = (int(value, 16) for value in line.split())
        codepoints.update(range(first, last + 1))
    return frozenset(codepoints)
