"""Rendered parts kept between builds in the output folder, so a build renders only what changed;
and beside them, whatever else a build makes from parts that is worth keeping (fontmerge.py).

A part is filed under a digest of its HTML (which holds its cards, styles, fonts' URLs, page
side and numbers) and of everything else its render depends on: the code and libraries,
the files in the content folder it may read (images), whether it is tagged, and where its
URLs resolve. Entries are written atomically, header and PDF in one file, so a build killed
mid-write leaves either a whole entry or none. The least recently used entries go once the
cache passes its size. An entry whose PDF does not match the digest in its header is not used.
The worker that renders a part files it, and the build keeps only the part's facts and the
entry's path: its PDF is read again when the parts are joined.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

from ..guard.files import write_atomic
from .parts import PartPdf

CACHE_BYTES = 256 * 2**20  # the most the cache of an output folder keeps
_SUFFIX = ".part"


class PartCache:
    def __init__(self, folder: Path, salt: str, reading: bool = True, limit: int = CACHE_BYTES):
        self.folder = folder
        self.salt = salt
        self.reading = reading  # False: every part is rendered again (--rebuild), and kept
        self.limit = limit

    def get(self, key: str) -> PartPdf | None:
        found = self.entry(key)
        if found is None:
            return None
        facts, _ = found
        return PartPdf(b"", tuple(facts["pages"]), facts["anchors"], tuple(facts["warnings"]),
                       facts["scaled"], stored=self._path(key))

    def put(self, key: str, part: PartPdf) -> PartPdf:
        self.file(key, {"pages": part.pages, "anchors": part.anchors, "warnings": part.warnings,
                        "scaled": part.scaled}, part.pdf())
        return replace(part, data=b"", stored=self._path(key))

    def entry(self, key: str) -> tuple[dict, bytes] | None:
        """The facts and the bytes filed under key, or None when there are none or they are damaged."""
        if not self.reading:
            return None
        path = self._path(key)
        try:
            header, data = path.read_bytes().split(b"\n", 1)
            facts = json.loads(header)
            if facts["sha256"] != hashlib.sha256(data).hexdigest():
                return None  # damaged: made again, and written whole
            os.utime(path)  # recently used
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return facts, data

    def file(self, key: str, facts: dict, data: bytes) -> None:
        """Bytes and the facts about them, filed under key: any JSON, written with the bytes at once."""
        header = json.dumps({**facts, "sha256": hashlib.sha256(data).hexdigest()}, sort_keys=True).encode()
        write_atomic(self._path(key), header + b"\n" + data)

    def recall(self, name: str) -> object:
        """What the last build noted under name, or None."""
        if not self.reading:
            return None
        try:
            return json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def note(self, name: str, value: object) -> None:
        write_atomic(self.folder / f"{name}.json", json.dumps(value).encode())

    def prune(self) -> None:
        """Remove the least recently used entries until the cache fits its size."""
        entries = []
        for path in self.folder.glob(f"*{_SUFFIX}"):
            try:
                entries.append((path.stat().st_mtime, path.stat().st_size, path))
            except OSError:
                continue
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.limit:
                break
            path.unlink(missing_ok=True)
            total -= size

    def _path(self, key: str) -> Path:
        digest = hashlib.sha256(self.salt.encode() + b"\0" + key.encode()).hexdigest()
        return self.folder / f"{digest}{_SUFFIX}"
