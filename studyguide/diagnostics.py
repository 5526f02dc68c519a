"""Problems found in content, and the exceptions that carry them to the CLI."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Position:
    """A place in a file; line and column count from 1, as editors do."""

    path: Path
    line: int = 1
    column: int = 1
    excerpt: str | None = None  # the source line, shown under the message

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    position: Position
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        head = f"{self.position}: {self.severity}: {self.message}"
        excerpt = self.position.excerpt
        if excerpt is None:
            return head
        caret = " " * (self.position.column - 1) + "^"
        return f"{head}\n    {excerpt}\n    {caret}"


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as it is."""
    absolute = Path(os.path.abspath(path))
    return str(absolute.relative_to(Path.cwd())) if absolute.is_relative_to(Path.cwd()) else str(path)


def cards_named(numbers: Iterable[int]) -> str:
    """The cards a render holds, for a message about it: 'card 07', 'cards 12 to 24', or the
    first few when they do not run on ('cards 03, 17, 21 and 7 more'); '' for none."""
    ordered = sorted(set(numbers))
    labels = [f"{number:02d}" for number in ordered]
    if len(labels) <= 1:
        return f"card {labels[0]}" if labels else ""
    if ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"cards {labels[0]} to {labels[-1]}"
    if len(labels) <= 3:
        return f"cards {', '.join(labels[:-1])} and {labels[-1]}"
    return f"cards {', '.join(labels[:3])} and {len(labels) - 3} more"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ " (did you mean 'answer'?)" for a near miss among the choices, else nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class StudyguideError(Exception):
    """Base of every error the CLI reports without a traceback."""


class ContentError(StudyguideError):
    """One or more problems in a content pack or a template."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    def __reduce__(self):  # travels from a worker process as its problems, not its message
        return (ContentError, (self.problems,))


class BuildError(StudyguideError):
    """Rendering or writing an output failed."""


class ImportSourceError(StudyguideError):
    """A file to import was refused, or cannot be read as what its name says it is."""


class UsageError(StudyguideError):
    """The command line asked for something that cannot be done."""


class Collector:
    """Gathers problems so that one run reports all of them."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def error(self, position: Position, message: str) -> None:
        self.problems.append(Problem(position, message))

    def warning(self, position: Position, message: str) -> None:
        self.problems.append(Problem(position, message, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def raise_errors(self) -> None:
        """Raise every problem at once if any of them is an error."""
        if self.errors:
            raise ContentError(sorted(self.problems, key=_reading_order))


def _reading_order(problem: Problem) -> tuple[str, int, int]:
    p = problem.position
    return (str(p.path), p.line, p.column)
