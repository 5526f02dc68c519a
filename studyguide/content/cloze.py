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
    parts: tuple[Part, ...]  # what the deletion hides
    hint: str | None = None


Part = str | Deletion


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


def parse(text: str) -> tuple[Part, ...]:
    """The text as plain parts and deletions; raises ClozeError at the first mistake."""
    root: list[Part] = []
    open_ones: list[tuple[re.Match, list[Part], list[str] | None]] = []  # opener, parts, hint
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
            match, parts, hint = open_ones.pop()
            if not parts and not hint:
                raise ClozeError(match.start(), index + 2 - match.start(),
                                 f"the deletion '{text[match.start():index + 2]}' is empty; write its answer")
            deletion = Deletion(int(match.group(1)), tuple(parts), "".join(hint).strip() if hint else None)
            (open_ones[-1][1] if open_ones else root).append(deletion)
            index += 2
            continue
        if open_ones and open_ones[-1][2] is None and text.startswith("::", index):
            match, parts, _ = open_ones[-1]
            open_ones[-1] = (match, parts, [])
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


def _append_text(parts: list, char: str) -> None:
    if parts and isinstance(parts[-1], str):
        parts[-1] += char
    else:
        parts.append(char)


def numbers(parts: tuple[Part, ...]) -> tuple[int, ...]:
    """The cloze numbers used, in order: one study card each."""
    found: set[int] = set()

    def visit(items: tuple[Part, ...]) -> None:
        for part in items:
            if isinstance(part, Deletion):
                found.add(part.number)
                visit(part.parts)

    visit(parts)
    return tuple(sorted(found))


def marked(parts: tuple[Part, ...]) -> str:
    """The text with every deletion marked, for the guide."""
    return "".join(part if isinstance(part, str) else f"<mark>{marked(part.parts)}</mark>" for part in parts)


def front(parts: tuple[Part, ...], number: int) -> str:
    """The text with the deletions of one number blanked (their hint shown) and the others filled."""
    return "".join(
        part if isinstance(part, str)
        else f"<mark>[{part.hint}]</mark>" if part.number == number and part.hint
        else f"<mark>{BLANK}</mark>" if part.number == number
        else front(part.parts, number)
        for part in parts)


def back(parts: tuple[Part, ...], number: int) -> str:
    """The whole text with the deletions of one number marked."""
    return "".join(
        part if isinstance(part, str)
        else f"<mark>{back(part.parts, number)}</mark>" if part.number == number
        else back(part.parts, number)
        for part in parts)


def filled(parts: tuple[Part, ...]) -> str:
    """The text with every deletion filled in and nothing marked."""
    return back(parts, 0)
