"""What the markup step makes of a card: its texts as sanitized HTML and as pages show them.

A card from the content (model.Card) becomes a RenderedCard here, once; the templates and the
exporters read only rendered cards.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup

from ..content.model import Card
from .entries import contents_entry

# How a formula is written in a text: $$display$$ or $inline$, where an opening $ is followed by
# a non-space and a closing $ follows a non-space and is not followed by a digit (so "$5 and
# $10" stays text).
MATH = r"(?<![\\$])\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?=\S)(.+?)(?<![\\\s])\$(?!\d)"
# Where a formula waits in sanitized HTML for each output to draw it its own way: its number
# between two private-use characters, which no sanitized text keeps.
SLOT = "\ue000{}\ue001"
_SLOT_PATTERN = re.compile("(\\s?)\ue000(\\d+)\ue001")
# A text's first paragraph (which holds no other: a paragraph ends where a block starts), and the rest.
_LEAD = re.compile(r"\s*<p(?:\s[^>]*)?>(.*?)</p>\s*(.*)", re.S)


def lead_and_rest(html: str) -> tuple[str, str]:
    """The inside of the paragraph a text starts with ("" when it starts with another block),
    and the blocks after that paragraph."""
    match = _LEAD.fullmatch(html)
    return (match.group(1), match.group(2)) if match else ("", html.strip())


@dataclass(frozen=True)
class Formula:
    written: str  # as in the source, with its dollars
    latex: str
    display: bool


@dataclass(frozen=True)
class Sanitized:
    """Card text as sanitized HTML, each formula held out of it in a numbered slot."""

    html: str
    formulas: tuple[Formula, ...]
    removed_links: tuple[str, ...] = ()  # links the author wrote that lead where links may not
    images: tuple[str, ...] = ()  # the src of every image from the content folder
    unnamed_images: tuple[str, ...] = ()  # the src of those of them without an alt text
    remote_images: tuple[str, ...] = ()  # the src of every image on the network, now a note
    removed_tags: tuple[str, ...] = ()  # the elements the author wrote that are not allowed

    def inline(self) -> Sanitized:
        """The same without the paragraph around it, when it is one paragraph."""
        lead, rest = lead_and_rest(self.html)
        return dataclasses.replace(self, html=lead) if lead and not rest else self

    def fill(self, draw: Callable[[Formula], str], text: str | None = None, after_blank: str = "") -> str:
        """text (the HTML unless given) with each slot replaced by what draw makes of its formula.

        after_blank goes between a formula and the blank before it, if there is one.
        """
        def replace(match: re.Match) -> str:
            blank = match.group(1)
            return blank + after_blank * bool(blank) + draw(self.formulas[int(match.group(2))])

        return _SLOT_PATTERN.sub(replace, self.html if text is None else text)


@dataclass(frozen=True)
class ClozeSides:
    """The two sides of the study card that asks one cloze number."""

    number: int
    front_html: Markup  # that number's deletions blanked, the others filled in
    front_label: str  # the front as plain text, for bookmarks: it must not give the answer away
    back_html: Markup  # the whole text with that number's deletions marked


@dataclass(frozen=True, kw_only=True)
class RenderedCard(Card):
    """A card with its texts rendered: what the pages, the cards and the exporters show."""

    question_html: Markup  # its lead: the paragraph it starts with, as one line
    question_details_html: Markup  # the blocks after the lead: code, options, more paragraphs
    answer_html: Markup
    card_html: Markup  # the back of a flashcard: the short answer, else the answer
    label: str  # the question as plain text, for bookmarks and metadata
    direction: str | None  # ltr or rtl, as its text starts; None when it has no letters
    cloze_sides: tuple[ClozeSides, ...]  # one per cloze number
    # The texts the exporters show, converted once: sanitized HTML with each formula in a slot,
    # which every output fills its own way (SVG, MathJax, $LaTeX$).
    question_markup: Sanitized  # the question as written, cloze deletions and all
    flashcard_markup: Sanitized  # the back of a flashcard (see flashcard_answer)

    @property
    def contents_html(self) -> Markup:
        """The question's line in the contents (entries.py)."""
        return contents_entry(self.question_html)
