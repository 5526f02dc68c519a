"""Flashcard sheets: faces for every card, placed front and back for duplex printing.

Sheets alternate front, back, front, back, so "print double-sided" puts every answer
behind its question. Crop marks stand in the margin around the grid, never on a face.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup

from .model import Card, Guide, Section
from .order import card_order
from .sheets import DUPLEX_MODES, GRID, GUTTER, MARK_GAP, MARK_LENGTH, SAFE_MARGIN, Duplex, Rect, SheetLayout

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
MARK_WIDTH = 0.25


@dataclass(frozen=True)
class CardOptions:
    card_size: str = GRID
    duplex: Duplex = DUPLEX_MODES[0]
    back_offset: tuple[float, float] = (0.0, 0.0)
    safe_margin: float = SAFE_MARGIN
    cut_lines: bool = False
    strict: bool = False


FIT_PREFIX = "fit-"  # the ids of the boxes that hold a card's text


@dataclass(frozen=True)
class Face:
    """One printed card: a question on the front, (part of) its answer on the back."""

    card: Card
    section: Section
    answer_html: Markup
    question_pt: float = QUESTION_PT
    answer_pt: float = ANSWER_PT
    part: int = 1
    parts: int = 1

    @property
    def front_question_pt(self) -> float:
        """A continuation card repeats the question small, under a note that it continues."""
        return self.question_pt if self.part == 1 else min(self.question_pt, CONTINUED_QUESTION_PT)

    @property
    def question_box(self) -> str:
        """The id of the box its question is set in, where the final render checks the fit."""
        return f"{FIT_PREFIX}{self.card.number}-{self.card.cloze_number or 0}-{self.part}-q"

    @property
    def answer_box(self) -> str:
        return f"{FIT_PREFIX}{self.card.number}-{self.card.cloze_number or 0}-{self.part}-a"

    @property
    def label(self) -> str:
        number = self.card.label_number
        return f"{number} ({self.part}/{self.parts})" if self.parts > 1 else number


@dataclass(frozen=True)
class Placed:
    face: Face
    rect: Rect


@dataclass(frozen=True)
class SheetSide:
    side: Literal["front", "back", "fold"]
    fronts: tuple[Placed, ...] = ()
    backs: tuple[Placed, ...] = ()
    marks: tuple[Rect, ...] = ()
    lines: tuple[Rect, ...] = field(default=())  # cut lines in the gutters, or fold lines


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
    return [Face(card, sections[card.number], card.card_html)
            for card in card_order(guide.cards, shuffle_seed)]


def sheet_sides(faces: list[Face], layout: SheetLayout, cut_lines: bool) -> list[SheetSide]:
    """The faces placed on sheets: front then back, or one side per sheet in fold mode."""
    per_sheet = layout.slots_per_sheet
    sides = []
    for start in range(0, len(faces), per_sheet):
        batch = faces[start:start + per_sheet]  # the last sheet has empty slots: padding
        fronts = tuple(Placed(face, layout.front(i)) for i, face in enumerate(batch))
        backs = tuple(Placed(face, layout.back(i)) for i, face in enumerate(batch))
        slots = [layout.slot(i) for i in range(len(batch))]
        marks = tuple(crop_marks(slots, layout))
        if layout.duplex == "fold":
            folds = tuple(Rect(p.rect.right - MARK_WIDTH / 2, p.rect.y, MARK_WIDTH, p.rect.height)
                          for p in fronts)
            sides.append(SheetSide("fold", fronts, backs, marks, folds + _gutter_lines(slots, cut_lines)))
        else:
            sides.append(SheetSide("front", fronts, (), marks, _gutter_lines(slots, cut_lines)))
            sides.append(SheetSide("back", (), backs))
    return sides


def crop_marks(slots: list[Rect], layout: SheetLayout) -> list[Rect]:
    """Short lines in the margin around the grid, continuing every edge of every card."""
    left, top = layout.origin
    right = layout.paper_width - left
    bottom = layout.paper_height - top
    columns = sorted({x for slot in slots for x in (slot.x, slot.right)})
    rows = sorted({y for slot in slots for y in (slot.y, slot.bottom)})
    half = MARK_WIDTH / 2
    marks = []
    for x in columns:
        marks.append(Rect(x - half, top - MARK_GAP - MARK_LENGTH, MARK_WIDTH, MARK_LENGTH))
        marks.append(Rect(x - half, bottom + MARK_GAP, MARK_WIDTH, MARK_LENGTH))
    for y in rows:
        marks.append(Rect(left - MARK_GAP - MARK_LENGTH, y - half, MARK_LENGTH, MARK_WIDTH))
        marks.append(Rect(right + MARK_GAP, y - half, MARK_LENGTH, MARK_WIDTH))
    return marks


def _gutter_lines(slots: list[Rect], wanted: bool) -> tuple[Rect, ...]:
    """Thin lines along the middle of the gutters between cards, for cutting with scissors."""
    if not wanted or not slots:
        return ()
    top, bottom = min(s.y for s in slots), max(s.bottom for s in slots)
    left, right = min(s.x for s in slots), max(s.right for s in slots)
    xs = sorted({s.right + GUTTER / 2 for s in slots if s.right < right})
    ys = sorted({s.bottom + GUTTER / 2 for s in slots if s.bottom < bottom})
    half = MARK_WIDTH / 4
    return (*(Rect(x - half, top, MARK_WIDTH / 2, bottom - top) for x in xs),
            *(Rect(left, y - half, right - left, MARK_WIDTH / 2) for y in ys))
