"""Cards from elsewhere made into a content folder: Anki packages, Markdown question sets, CSV and TSV.

Each reader turns its file into a Draft (draft.py); writer.py writes the folder; then the
folder is checked as a build would check it. Cards the check refuses are left out, each
reported, and the folder is written again, so that what is written builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from ..build.options import BuildOptions
from ..build.pipeline import check
from ..diagnostics import ContentError, ImportSourceError, Problem, UsageError
from .apkg import read_package
from .delimited import read_table
from .draft import Draft, DraftSection
from .markdown import read_markdown
from .writer import Placed, write_content

READERS: dict[str, Callable[[Path], Draft]] = {
    ".apkg": read_package, ".colpkg": read_package,
    ".md": read_markdown, ".markdown": read_markdown,
    ".csv": read_table, ".tsv": read_table, ".txt": read_table,
}


@dataclass(frozen=True)
class ImportReport:
    folder: Path
    cards: int
    sections: int
    images: int
    skipped: tuple[str, ...]  # one line per kind of thing left out, with examples
    changed: tuple[str, ...]  # one line per kind of thing kept in another form, with examples
    warnings: tuple[Problem, ...]


def import_source(source: Path, folder: Path, force: bool = False) -> ImportReport:
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        raise UsageError(f"cannot import {source.name}: import takes {', '.join(READERS)} files")
    if not source.is_file():
        raise UsageError(f"{source} does not exist or is not a file")
    _check_folder(folder, force)
    draft = reader(source)
    if not draft.cards:
        raise ImportSourceError(f"{source.name}: found no cards to import"
                                + "".join(f"\n  {line}" for line in draft.skipped.lines()))
    placed = write_content(draft, folder, source.name)
    problems = _check(folder)
    if any(p.severity == "error" for p in problems):
        draft = _without_refused(draft, placed, problems)
        write_content(draft, folder, source.name)
        problems = _check(folder)
        if any(p.severity == "error" for p in problems):
            raise ContentError(problems)
    return ImportReport(folder, draft.cards, len(draft.sections), len(draft.images),
                        tuple(draft.skipped.lines()), tuple(draft.skipped.lines(changed=True)),
                        tuple(problems))


def _check_folder(folder: Path, force: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise UsageError(f"{folder} is not empty; choose another folder with --content, "
                         "or add --force to write over it")


def _check(folder: Path) -> list[Problem]:
    try:
        return check(BuildOptions(content_dir=folder)).warnings
    except ContentError as error:
        return list(error.problems)


def _without_refused(draft: Draft, placed: list[Placed], problems: list[Problem]) -> Draft:
    """The draft without the cards and intros that the check's errors stand in; each recorded as left out."""
    refused = {}
    for problem in problems:
        if problem.severity != "error":
            continue
        where = problem.position
        item = next((p.card for p in placed if p.path.resolve() == where.path.resolve()
                     and p.first <= where.line <= p.last), None)
        if item is None:
            raise ContentError(problems)
        if id(item) not in refused:
            refused[id(item)] = item
            kind, name = ("section intros", item.title) if isinstance(item, DraftSection) else \
                ("cards", item.where or "a card")
            draft.skipped.add(f"{kind} that would not build", f"{name}: {problem.message}")
    sections = [DraftSection(s.title, kept, None if id(s) in refused else s.intro) for s in draft.sections
                if (kept := tuple(c for c in s.cards if id(c) not in refused))]
    if not sections:
        raise ContentError(problems)
    return replace(draft, sections=sections)
