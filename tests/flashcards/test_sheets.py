"""Sheet geometry: presets fit the papers they claim, duplex backs mirror their fronts."""

from __future__ import annotations

import pytest

from studyguide.diagnostics import UsageError
from studyguide.flashcards.sheets import (
    CARD_SIZES,
    GUTTER,
    MARK_GAP,
    MARK_LENGTH,
    parse_card_size,
    parse_offset,
    sheet_layout,
)
from studyguide.html.papers import PAPERS as PAPER_TABLE

PAPER_MM = {name: (p.width_mm, p.height_mm) for name, p in PAPER_TABLE.items()}
PAPERS = sorted(PAPER_MM)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("size", ["grid", *CARD_SIZES])
def test_every_preset_fits_inside_the_safe_margin_with_room_for_marks(paper, size):
    layout = sheet_layout(paper, size)
    width, height = PAPER_MM[paper]
    room = 6.0 + MARK_LENGTH + MARK_GAP
    slots = [layout.slot(i) for i in range(layout.slots_per_sheet)]
    assert min(s.x for s in slots) >= room - 1e-6
    assert min(s.y for s in slots) >= room - 1e-6
    assert max(s.right for s in slots) <= width - room + 1e-6
    assert max(s.bottom for s in slots) <= height - room + 1e-6
    for a, b in zip(slots, slots[1:], strict=False):  # neighbours never overlap
        assert a.right + GUTTER <= b.x + 1e-6 or a.bottom + GUTTER <= b.y + 1e-6


def test_grid_is_two_by_four():
    layout = sheet_layout("a4", "grid")
    assert (layout.columns, layout.rows) == (2, 4)


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("size", sorted(CARD_SIZES))
def test_orientation_is_chosen_to_fit_the_most_cards(paper, size):
    layout = sheet_layout(paper, size)
    width, height = CARD_SIZES[size]
    assert (layout.card_width, layout.slot_height) in [(width, height), (height, width)]
    usable_width, usable_height = (side - 2 * (6.0 + MARK_LENGTH + MARK_GAP) for side in PAPER_MM[paper])

    def count(w: float, h: float) -> int:
        return int((usable_width + GUTTER) // (w + GUTTER)) * int((usable_height + GUTTER) // (h + GUTTER))

    assert layout.slots_per_sheet == max(count(width, height), count(height, width))


@pytest.mark.parametrize("paper", PAPERS)
def test_long_edge_mirrors_columns_and_short_edge_mirrors_rows(paper):
    width, height = PAPER_MM[paper]
    long_edge = sheet_layout(paper, "poker", "long-edge")
    short_edge = sheet_layout(paper, "poker", "short-edge")
    for i in range(long_edge.slots_per_sheet):
        front, back = long_edge.front(i), long_edge.back(i)
        assert back.x + back.width / 2 == pytest.approx(width - (front.x + front.width / 2))
        assert back.y == pytest.approx(front.y)
        front, back = short_edge.front(i), short_edge.back(i)
        assert back.y + back.height / 2 == pytest.approx(height - (front.y + front.height / 2))
        assert back.x == pytest.approx(front.x)


def test_back_offset_moves_only_the_backs():
    plain = sheet_layout("a4", "grid", back_offset=(0, 0))
    shifted = sheet_layout("a4", "grid", back_offset=(1.5, -0.5))
    assert shifted.front(3) == plain.front(3)
    assert shifted.back(3).x == pytest.approx(plain.back(3).x + 1.5)
    assert shifted.back(3).y == pytest.approx(plain.back(3).y - 0.5)


def test_fold_puts_the_answer_beside_the_question():
    layout = sheet_layout("a4", "grid", "fold")
    front, back = layout.front(0), layout.back(0)
    assert back.x == pytest.approx(front.right)
    assert (back.y, back.width) == pytest.approx((front.y, front.width))


@pytest.mark.parametrize(("text", "mm"), [("80x50mm", (80, 50)), ("3x5in", (76.2, 127)),
                                          ("2.5 x 3.5 in", (63.5, 88.9)), ("poker", (63, 88))])
def test_card_sizes_parse_in_mm_and_inches(text, mm):
    assert parse_card_size(text) == pytest.approx(mm)


@pytest.mark.parametrize("text", ["80x50", "80x50cm", "x50mm", "0x50mm", "big"])
def test_bad_card_sizes_are_usage_errors(text):
    with pytest.raises(UsageError, match="--card-size takes"):
        parse_card_size(text)


def test_a_size_that_does_not_fit_says_why():
    with pytest.raises(UsageError, match=r"cards of 300x200mm \(300 x 200 mm\) do not fit on a4 paper"):
        sheet_layout("a4", "300x200mm")


@pytest.mark.parametrize("text", ["1,2,3", "a,b", "30,0"])
def test_bad_offsets_are_usage_errors(text):
    with pytest.raises(UsageError, match="--back-offset"):
        parse_offset(text)


def test_cards_too_small_to_write_on_are_refused():
    with pytest.raises(UsageError, match="too small to write on"):
        sheet_layout("a4", "20x20mm")
    with pytest.raises(UsageError, match="choose a smaller --safe-margin"):
        sheet_layout("a4", "grid", safe_margin=95)
