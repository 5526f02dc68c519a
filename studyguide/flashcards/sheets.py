"""Where cards go on a sheet of paper: sizes, the grid, duplex mirroring. Pure geometry, in mm.

A front sheet and its back are printed on the two sides of one piece of paper. When
the printer turns the paper over its long edge, a card at x on the front has its back
at width - x; over the short edge, at height - y. Printers also shift the back side a
little: --back-offset moves the back sheets to make up for it.

Sheets alternate front, back, front, back, so "print double-sided" puts every answer
behind its question. Crop marks stand in the margin around the grid, never on a face.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar, get_args

from ..diagnostics import UsageError
from ..html.papers import MM_PER_INCH, PAPERS

Duplex = Literal["long-edge", "short-edge", "fold"]
DUPLEX_MODES: tuple[Duplex, ...] = get_args(Duplex)  # the first is the default

MARK_LENGTH = 4.0  # crop marks, in the space between the cards and the safe margin
MARK_GAP = 1.0  # between a crop mark and the card edge it continues
GUTTER = 4.0  # between neighbouring cards
SAFE_MARGIN = 6.0  # the default margin the printer can print inside
MARK_WIDTH = 0.25  # of crop marks and fold lines; cut lines are half as wide

CARD_SIZES = {  # width x height in mm, portrait
    "index-3x5": (3 * MM_PER_INCH, 5 * MM_PER_INCH),
    "index-4x6": (4 * MM_PER_INCH, 6 * MM_PER_INCH),
    "a7": (74.0, 105.0),
    "business": (55.0, 85.0),
    "poker": (63.0, 88.0),
}
GRID = "grid"  # the default: the sheet divided into 2 x 4 cards
MIN_CARD = (40.0, 25.0)  # mm, long side and short side: room for a header and a few lines
CARD_SIZE_NAMES = (GRID, *CARD_SIZES)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class SheetLayout:
    """A grid of equal slots centred on the sheet; fold mode pairs each slot's two halves."""

    paper_width: float
    paper_height: float
    slot_width: float
    slot_height: float
    columns: int
    rows: int
    duplex: Duplex = DUPLEX_MODES[0]
    back_offset: tuple[float, float] = (0.0, 0.0)

    @property
    def slots_per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def card_width(self) -> float:
        """A card's width: in fold mode each slot holds the question and the answer side by side."""
        return self.slot_width / 2 if self.duplex == "fold" else self.slot_width

    @property
    def origin(self) -> tuple[float, float]:
        used_width = self.columns * self.slot_width + (self.columns - 1) * GUTTER
        used_height = self.rows * self.slot_height + (self.rows - 1) * GUTTER
        return (self.paper_width - used_width) / 2, (self.paper_height - used_height) / 2

    def slot(self, index: int) -> Rect:
        """The slot of the index-th card of a sheet, on the front, row by row."""
        row, column = divmod(index, self.columns)
        left, top = self.origin
        return Rect(left + column * (self.slot_width + GUTTER), top + row * (self.slot_height + GUTTER),
                    self.slot_width, self.slot_height)

    def front(self, index: int) -> Rect:
        slot = self.slot(index)
        return Rect(slot.x, slot.y, self.card_width, slot.height)

    def back(self, index: int) -> Rect:
        """Where the back of the index-th card goes on its back sheet (or beside it, in fold mode)."""
        front = self.front(index)
        if self.duplex == "fold":
            return Rect(front.right, front.y, front.width, front.height)
        dx, dy = self.back_offset
        if self.duplex == "long-edge":
            return Rect(self.paper_width - front.right + dx, front.y + dy, front.width, front.height)
        return Rect(front.x + dx, self.paper_height - front.bottom + dy, front.width, front.height)


Face = TypeVar("Face")  # what a slot holds: the geometry does not look inside it


@dataclass(frozen=True)
class PlacedFace(Generic[Face]):
    face: Face
    rect: Rect


@dataclass(frozen=True)
class SheetSide(Generic[Face]):
    side: Literal["front", "back", "fold"]
    fronts: tuple[PlacedFace[Face], ...] = ()
    backs: tuple[PlacedFace[Face], ...] = ()
    marks: tuple[Rect, ...] = ()
    lines: tuple[Rect, ...] = field(default=())  # cut lines in the gutters, or fold lines


def sheet_sides(faces: Sequence[Face], layout: SheetLayout, cut_lines: bool) -> list[SheetSide[Face]]:
    """The faces placed on sheets: front then back, or one side per sheet in fold mode."""
    per_sheet = layout.slots_per_sheet
    sides = []
    for start in range(0, len(faces), per_sheet):
        batch = faces[start:start + per_sheet]  # the last sheet has empty slots: padding
        fronts = tuple(PlacedFace(face, layout.front(i)) for i, face in enumerate(batch))
        backs = tuple(PlacedFace(face, layout.back(i)) for i, face in enumerate(batch))
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


def sheet_layout(paper: str, card_size: str, duplex: Duplex = DUPLEX_MODES[0],
                 safe_margin: float = SAFE_MARGIN,
                 back_offset: tuple[float, float] = (0.0, 0.0)) -> SheetLayout:
    """The grid for a card size on a paper, in the orientation that fits the most cards."""
    if duplex not in DUPLEX_MODES:
        raise UsageError(f"--duplex takes {', '.join(DUPLEX_MODES)}; got {duplex!r}")
    paper_width, paper_height = PAPERS[paper].width_mm, PAPERS[paper].height_mm
    usable_width = paper_width - 2 * (safe_margin + MARK_LENGTH + MARK_GAP)
    usable_height = paper_height - 2 * (safe_margin + MARK_LENGTH + MARK_GAP)
    if card_size == GRID:
        columns, rows = (1, 4) if duplex == "fold" else (2, 4)
        width = (usable_width - (columns - 1) * GUTTER) / columns
        height = (usable_height - (rows - 1) * GUTTER) / rows
        if not _big_enough(width / (2 if duplex == "fold" else 1), height):
            raise UsageError(f"a {safe_margin:g} mm safe margin leaves cards of the grid too small to "
                             f"write on; choose a smaller --safe-margin")
        return SheetLayout(paper_width, paper_height, width, height, columns, rows, duplex, back_offset)
    width, height = parse_card_size(card_size)
    if not _big_enough(width, height):
        raise UsageError(f"cards of {card_size} are too small to write on; cards need at least "
                         f"{MIN_CARD[0]:g} x {MIN_CARD[1]:g} mm")
    slot_factor = 2 if duplex == "fold" else 1
    best: SheetLayout | None = None
    for card_width, card_height in ((width, height), (height, width)):
        slot_width = card_width * slot_factor
        columns = int((usable_width + GUTTER) // (slot_width + GUTTER))
        rows = int((usable_height + GUTTER) // (card_height + GUTTER))
        if columns and rows and (best is None or columns * rows > best.slots_per_sheet):
            best = SheetLayout(paper_width, paper_height, slot_width, card_height, columns, rows,
                               duplex, back_offset)
    if best is None:
        raise UsageError(
            f"cards of {card_size} ({width:g} x {height:g} mm) do not fit on {paper} paper "
            f"inside a {safe_margin:g} mm safe margin with room for crop marks; "
            "choose a smaller --card-size or a smaller --safe-margin")
    return best


def _big_enough(width: float, height: float) -> bool:
    return max(width, height) >= MIN_CARD[0] and min(width, height) >= MIN_CARD[1]


def parse_card_size(text: str) -> tuple[float, float]:
    """A preset name or WxH with a unit, like 80x50mm or 3x5in, as (width, height) in mm."""
    if text in CARD_SIZES:
        return CARD_SIZES[text]
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*x\s*(\d+(?:\.\d+)?)\s*(mm|in)\s*", text, re.I)
    if not match or float(match.group(1)) <= 0 or float(match.group(2)) <= 0:
        raise UsageError(f"--card-size takes one of {', '.join(CARD_SIZE_NAMES)} or WxH in mm or in, "
                         f"like 80x50mm or 3x5in; got {text!r}")
    scale = MM_PER_INCH if match.group(3).lower() == "in" else 1.0
    return float(match.group(1)) * scale, float(match.group(2)) * scale


def parse_offset(text: str) -> tuple[float, float]:
    """X,Y in mm, like 1.5,-0.5."""
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*", text)
    if not match:
        raise UsageError(f"--back-offset takes X,Y in mm, like 1.5,-0.5; got {text!r}")
    x, y = float(match.group(1)), float(match.group(2))
    if abs(x) > 20 or abs(y) > 20:
        raise UsageError(f"--back-offset {text} is more than 20 mm; printers shift by a few mm at most")
    return x, y
