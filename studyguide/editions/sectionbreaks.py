"""Where the printed guide starts each part: on a right-hand page, on the next page, or on the same
page after a rule. Unless asked, the content decides: short parts do not each waste a page, and
a long guide starts a page with each part, so that it renders in parts (parts.py)."""

from __future__ import annotations

from ..content.model import Guide, Section
from ..html.papers import Paper

PART_BREAKS = ("right", "page", "none")
# About what an A4 page of the guide holds: answers with their questions, spacing and meta lines.
CHARACTERS_PER_A4_PAGE = 2800
A4_AREA_MM2 = 210.0 * 297.0
CARD_OVERHEAD_CHARACTERS = 250  # a question's rule, heading, spacing and meta line
RUN_ON_PAGES = 60  # the longest guide whose parts run on: it is one render


def part_breaks(guide: Guide, paper: Paper, asked: str | None) -> str:
    """asked, or what suits the guide: parts mostly under a page run on (in a guide of
    RUN_ON_PAGES or fewer), under two pages start a page, longer ones a right-hand page, as
    books do."""
    if asked is not None:
        return asked
    pages = sorted(_pages(section, paper) for section in guide.sections)
    median = pages[len(pages) // 2]
    if median < 1:
        return "none" if sum(pages) <= RUN_ON_PAGES else "page"
    return "page" if median < 2 else "right"


def _pages(section: Section, paper: Paper) -> float:
    per_page = CHARACTERS_PER_A4_PAGE * paper.width_mm * paper.height_mm / A4_AREA_MM2
    return section_characters(section) / per_page


def section_characters(section: Section) -> int:
    """How much a section prints, in characters, its questions' furniture counted."""
    return sum(len(card.question.value) + len(card.answer.value) + CARD_OVERHEAD_CHARACTERS
               for card in section.cards)
