"""The ids by which a render tells where card text lies, named once for Python and the templates.

The templates write no id of their own: cards.html takes a face's box ids from the face,
cards-measure.html takes its ids from this module (passed to it as ids), and the renders
are read back by the same prefixes.
"""

from __future__ import annotations

from typing import Literal

FIT_PREFIX = "fit-"  # the boxes that hold a card's question or answer on the sheets
MEASURE_PREFIX = "measure-"  # the texts of the measuring page, and the pieces marked in them


def fit_box(number: int, cloze_number: int | None, part: int, side: Literal["q", "a"]) -> str:
    """The box a face's question (q) or answer (a) is set in, where the final render checks the fit."""
    return f"{FIT_PREFIX}{number}-{cloze_number or 0}-{part}-{side}"


def measure_box(index: int) -> str:
    """The index-th text of the measuring page."""
    return f"{MEASURE_PREFIX}{index}"


def measure_piece(index: int, piece: int) -> str:
    """A piece of the index-th text of the measuring page: the render tells where it lies."""
    return f"{measure_box(index)}-{piece}"
