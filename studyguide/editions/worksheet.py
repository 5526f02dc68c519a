"""worksheet.pdf: the questions with room to answer by hand, then the answer key.

Each question gets space sized to its model answer: a line of handwriting holds fewer letters
than a printed one, so a longer answer gets more lines, between a floor and a ceiling that
still fits a page with its question. --questions N picks N of the chosen cards, the same ones
for the same --seed, so that two people can sit the same test.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Literal, get_args

from ..markup.rendered import RenderedCard

AnswerSpace = Literal["lines", "grid", "dots", "blank"]
ANSWER_SPACES: tuple[AnswerSpace, ...] = get_args(AnswerSpace)  # the first is the default
HANDWRITTEN_LETTERS_PER_LINE = 55  # across the text column of an A4 or Letter page
FEWEST_LINES = 3
MOST_LINES = 18  # 18 lines of 8 mm and the question fit the text column of an A5 page too


@dataclass(frozen=True)
class Pick:
    """A practice test: how many questions, drawn with which seed."""

    count: int
    seed: int


@dataclass(frozen=True)
class WorksheetOptions:
    answer_space: AnswerSpace = ANSWER_SPACES[0]
    pick: Pick | None = None  # None: every chosen card


def picked(deck: tuple[RenderedCard, ...], pick: Pick | None) -> tuple[RenderedCard, ...]:
    """The cards the worksheet asks, in the guide's order: all, or pick.count drawn by its seed."""
    if pick is None or pick.count >= len(deck):
        return deck
    drawn = set(random.Random(pick.seed).sample(range(len(deck)), pick.count))
    return tuple(card for index, card in enumerate(deck) if index in drawn)


def answer_lines(card: RenderedCard) -> int:
    """The lines of space to answer a card in: more for a longer model answer. A cloze card is
    answered in its blanks, and gets lines only for an answer written beside them."""
    letters = len(card.answer.value.strip())
    if card.cloze_number is not None and not letters:
        return 0
    return max(FEWEST_LINES, min(MOST_LINES, math.ceil(letters / HANDWRITTEN_LETTERS_PER_LINE)))


def asked(deck: tuple[RenderedCard, ...], options: WorksheetOptions) -> tuple[
        tuple[RenderedCard, ...], dict[str, int]]:
    """The cards the worksheet asks, and the lines of space under each card, by its anchor."""
    return picked(deck, options.pick), {card.anchor: answer_lines(card) for card in deck}
