"""The faces of the flashcards: a question on the front, (part of) its answer on the back.

A face carries its text sizes and the ids of the boxes its texts are set in; Geometry is
the face as cards.html draws it, in mm, and leaves the body that fitting fills.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup

from ..content.model import Card, Guide, Section
from ..markup.order import card_order
from ..markup.rendered import RenderedCard
from .ids import fit_box
from .sheets import DUPLEX_MODES, GRID, SAFE_MARGIN, Duplex, SheetLayout

# The face of a card, in mm: a colour band, a header line, then the body.
PADDING_X = 5.0
PADDING_Y = 3.5
BAND = 1.6
HEADER = 4.2
HEADER_GAP = 1.8
QUESTION_PT = 12.0
ANSWER_PT = 9.0
FLOOR_PT = 7.0  # the smallest text a card is ever set in
CONTINUED_QUESTION_PT = 8.0
REMINDER_CHARACTERS = 160  # the most of a question a card that continues its answer repeats
_LARGE = re.compile(r"<img\b|math-display")  # what a reminder of the question leaves out


@dataclass(frozen=True)
class CardOptions:
    card_size: str = GRID
    duplex: Duplex = DUPLEX_MODES[0]
    back_offset: tuple[float, float] = (0.0, 0.0)
    safe_margin: float = SAFE_MARGIN
    cut_lines: bool = False
    strict: bool = False


@dataclass(frozen=True)
class Face:
    """One printed card: a question on the front, (part of) its answer on the back."""

    card: Card
    section: Section
    question_html: Markup  # the front's text: the question, or as much of it as fits one card
    answer_html: Markup  # the back's: the answer, after the rest of a question too long for the front
    question_pt: float = QUESTION_PT
    answer_pt: float = ANSWER_PT
    split_index: int = 1  # which of the cards an answer is split over, from 1
    split_count: int = 1
    question_continues: bool = False  # the rest of the question is on the back, before the answer

    @property
    def front_html(self) -> Markup:
        """What its front shows: the question (as much as fits a card), or on a card that continues
        the answer, a reminder of it that leaves room for the note: its lead, or its first words."""
        if self.split_index == 1:
            return self.question_html
        label = self.card.label
        if len(label) <= REMINDER_CHARACTERS:
            return Markup.escape(label) if _LARGE.search(self.card.question_html) else self.card.question_html
        cut = label.rfind(" ", 0, REMINDER_CHARACTERS)
        return Markup.escape(label[:cut if cut > 0 else REMINDER_CHARACTERS].rstrip() + "…")

    @property
    def front_question_pt(self) -> float:
        """A continuation card repeats the question small, under a note that it continues."""
        return self.question_pt if self.split_index == 1 else min(self.question_pt, CONTINUED_QUESTION_PT)

    @property
    def question_box(self) -> str:
        """The id of the box its question is set in, where the final render checks the fit."""
        return fit_box(self.card.number, self.card.cloze_number, self.split_index, "q")

    @property
    def answer_box(self) -> str:
        return fit_box(self.card.number, self.card.cloze_number, self.split_index, "a")

    @property
    def label(self) -> str:
        number = self.card.label_number
        return f"{number} ({self.split_index}/{self.split_count})" if self.split_count > 1 else number


@dataclass(frozen=True)
class Geometry:
    """A card face in mm, as the template draws it; the body holds the question or the answer."""

    body_width: float
    body_height: float
    padding_x: float = PADDING_X
    padding_y: float = PADDING_Y
    band: float = BAND
    header: float = HEADER
    header_gap: float = HEADER_GAP


def face_geometry(layout: SheetLayout) -> Geometry:
    return Geometry(layout.card_width - 2 * PADDING_X,
                    layout.slot_height - 2 * PADDING_Y - BAND - HEADER - HEADER_GAP)


def deck(guide: Guide, shuffle_seed: int | None = None) -> list[Face]:
    """A face for every card at the default sizes, in the guide's order or shuffled by the seed."""
    sections = {card.number: section for section in guide.sections for card in section.cards}
    return [Face(card, sections[card.number], _front(card), card.card_html)
            for card in card_order(guide.cards, shuffle_seed)]


def _front(card: RenderedCard) -> Markup:
    """A card's question as its front sets it: the lead alone as a line, or with the blocks after it."""
    if not card.question_details_html:
        return card.question_html
    lead = Markup("<p>{}</p>").format(card.question_html) if card.question_html else Markup("")
    return lead + card.question_details_html
