"""Cloze deletions in a question, in Anki's syntax: {{c1::answer}} and {{c1::answer::hint}}.

A question with deletions makes one study card per cloze number: its front blanks that
number's deletions (showing the hint, if any) and fills in the others, its back marks
them. The guide marks every deletion. Deletions may nest, as in Anki. Only `{{c` followed
by digits or `::` opens a deletion, so other text in double braces stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"\{\{c(\d*)::")
BLANK = "[…]"


@dataclass(frozen=True)
class Deletion:
    number: int
    segments: tuple[Segment, ...]  # what the deletion hides
    hint: str | None = None


Segment = str | Deletion


class ClozeError(ValueError):
    """A mistake in the cloze syntax, at offset (and length) in the text."""

    def __init__(self, offset: int, length: int, message: str):
        super().__init__(message)
        self.offset, self.length = offset, length


def has_cloze(text: str) -> bool:
    return _OPEN.search(text) is not None


def first_opener(text: str) -> re.Match | None:
    """Where the first deletion opens, like {{c1::."""
    return _OPEN.search(text)


def parse(text: str) -> tuple[Segment, ...]:
    """The text as plain segments and deletions; raises ClozeError at the first mistake."""
    root: list[Segment] = []
    open_ones: list[tuple[re.Match, list[Segment], list[str] | None]] = []  # opener, segments, hint
    index = 0
    while index < len(text):
        opener = _OPEN.match(text, index)
        if opener and not (open_ones and open_ones[-1][2] is not None):
            if not opener.group(1) or int(opener.group(1)) == 0:
                raise ClozeError(index, len(opener.group(0)), f"'{opener.group(0)}' has no cloze number; "
                                 "number the deletions from 1, like {{c1::answer}}")
            open_ones.append((opener, [], None))
            index = opener.end()
            continue
        if open_ones and text.startswith("}}", index):
            match, segments, hint = open_ones.pop()
            if not segments and not hint:
                raise ClozeError(match.start(), index + 2 - match.start(),
                                 f"the deletion '{text[match.start():index + 2]}' is empty; write its answer")
            deletion = Deletion(int(match.group(1)), tuple(segments), "".join(hint).strip() if hint else None)
            (open_ones[-1][1] if open_ones else root).append(deletion)
            index += 2
            continue
        if open_ones and open_ones[-1][2] is None and text.startswith("::", index):
            match, segments, _ = open_ones[-1]
            open_ones[-1] = (match, segments, [])
            index += 2
            continue
        target = open_ones[-1][2] if open_ones and open_ones[-1][2] is not None else \
            (open_ones[-1][1] if open_ones else root)
        _append_text(target, text[index])
        index += 1
    if open_ones:
        opener = open_ones[-1][0]
        raise ClozeError(opener.start(), len(opener.group(0)), f"'{opener.group(0)}' is never closed; "
                         "end the deletion with }}")
    return tuple(root)


def _append_text(segments: list, char: str) -> None:
    if segments and isinstance(segments[-1], str):
        segments[-1] += char
    else:
        segments.append(char)


def numbers(segments: tuple[Segment, ...]) -> tuple[int, ...]:
    """The cloze numbers used, in order: one study card each."""
    found: set[int] = set()

    def visit(items: tuple[Segment, ...]) -> None:
        for segment in items:
            if isinstance(segment, Deletion):
                found.add(segment.number)
                visit(segment.segments)

    visit(segments)
    return tuple(sorted(found))


def marked(segments: tuple[Segment, ...]) -> str:
    """The text with every deletion marked, for the guide."""
    return "".join(segment if isinstance(segment, str) else f"<mark>{marked(segment.segments)}</mark>"
                   for segment in segments)


def front(segments: tuple[Segment, ...], number: int) -> str:
    """The text with the deletions of one number blanked (their hint shown) and the others filled."""
    return "".join(
        segment if isinstance(segment, str)
        else f"<mark>[{segment.hint}]</mark>" if segment.number == number and segment.hint
        else f"<mark>{BLANK}</mark>" if segment.number == number
        else front(segment.segments, number)
        for segment in segments)


def back(segments: tuple[Segment, ...], number: int) -> str:
    """The whole text with the deletions of one number marked."""
    return "".join(
        segment if isinstance(segment, str)
        else f"<mark>{back(segment.segments, number)}</mark>" if segment.number == number
        else back(segment.segments, number)
        for segment in segments)


def filled(segments: tuple[Segment, ...]) -> str:
    """The text with every deletion filled in and nothing marked."""
    return back(segments, 0)
