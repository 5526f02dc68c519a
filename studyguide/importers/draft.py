"""What an importer reads from a file, before it becomes a content folder: plain data, and a
record of everything that could not be mapped, so that nothing is dropped in silence."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from ..content.load import slugify
from ..diagnostics import ImportSourceError
from ..guard.files import FileRefusedError, read_limited, size_text
from ..guard.limits import MAX_TEXT_IMPORT_BYTES

EXAMPLES_KEPT = 3  # examples shown per kind of thing left out


@dataclass(frozen=True)
class DraftCard:
    question: str  # Markdown, as the content format takes it
    answer: str  # may be empty for a cloze question
    tags: tuple[str, ...] = ()
    guid: str | None = None
    id: str | None = None  # kept when the source names its cards (our own CSV)
    difficulty: str | None = None
    where: str = ""  # where the card came from, for reports: "note 1612345678", "line 12"


@dataclass(frozen=True)
class DraftSection:
    title: str
    cards: tuple[DraftCard, ...]
    intro: str | None = None


@dataclass
class Skipped:
    """What the import left out or changed, by kind, with a few examples of each."""

    counts: dict[str, int] = field(default_factory=dict)
    examples: dict[str, list[str]] = field(default_factory=dict)
    changes: set[str] = field(default_factory=set)  # the kinds kept in another form, not left out

    def add(self, kind: str, example: str, changed: bool = False) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        kept = self.examples.setdefault(kind, [])
        if len(kept) < EXAMPLES_KEPT:
            kept.append(example)
        if changed:
            self.changes.add(kind)

    def lines(self, changed: bool = False) -> list[str]:
        """One line per kind left out (with changed, per kind kept in another form): its count
        and its examples."""
        return [f"{kind}: {count} (e.g. {'; '.join(self.examples[kind])})"
                for kind, count in self.counts.items() if (kind in self.changes) == changed]


@dataclass
class Draft:
    title: str
    sections: list[DraftSection]
    images: dict[str, bytes] = field(default_factory=dict)  # path in the content folder: bytes
    skipped: Skipped = field(default_factory=Skipped)

    @property
    def cards(self) -> int:
        return sum(len(section.cards) for section in self.sections)


def image_path(name: str, data: bytes) -> str:
    """Where an imported image goes in the content folder: named by its content, so images of one
    name from different places never collide, and no name from the source becomes a path."""
    path = PurePosixPath(name)
    return f"images/{slugify(path.stem, 40)}-{hashlib.sha256(data).hexdigest()[:10]}{path.suffix.lower()}"


def read_text(path: Path) -> str:
    """A Markdown, CSV or TSV file to import, as text."""
    try:
        return read_limited(path, MAX_TEXT_IMPORT_BYTES).decode("utf-8-sig")
    except FileRefusedError as refused:
        raise ImportSourceError(f"{path.name} {refused}; a file to import may have at most "
                                f"{size_text(MAX_TEXT_IMPORT_BYTES)}") from None
    except UnicodeDecodeError:
        raise ImportSourceError(f"{path.name} is not UTF-8 text; save it as UTF-8") from None


def alt_from_name(src: str) -> str:
    """Words for an image that came without any: its file name, as the source's reader saw it."""
    return " ".join(re.split(r"[-_.\s]+", PurePosixPath(unquote(urlsplit(src).path)).stem)).strip() or "image"
