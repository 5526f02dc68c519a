"""The files a build can write, each with how to make its HTML and how to render it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .cards import FLOOR_PT, deck
from .diagnostics import ContentError, Problem
from .flashcards import layout_for, render_cards, sheets_html
from .model import Guide
from .options import BuildOptions
from .pages import PAPERS, PageRenderer
from .pdf import Resources, render_pdf


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the reader should know, e.g. cards set smaller to fit


class Output(Protocol):
    name: str
    filename: str

    def page(self, guide: Guide, options: BuildOptions, renderer: PageRenderer) -> str | None:
        """The HTML, or None when the template failed (the renderer has the problem)."""

    def render(self, guide: Guide, html: str, options: BuildOptions, renderer: PageRenderer,
               resources: Resources) -> Rendered:
        """The file's bytes."""


@dataclass(frozen=True)
class TemplatePdf:
    """A PDF made from one template, as it is: the printed guide."""

    name: str
    filename: str
    template: str

    def page(self, guide: Guide, options: BuildOptions, renderer: PageRenderer) -> str | None:
        return renderer.render(self.template, guide, paper=PAPERS[options.paper])

    def render(self, guide: Guide, html: str, options: BuildOptions, renderer: PageRenderer,
               resources: Resources) -> Rendered:
        pdf = render_pdf(html, resources, self.filename, guide.updated)
        return Rendered(pdf.data, pdf.pages, pdf.warnings)


@dataclass(frozen=True)
class FlashcardsPdf:
    """Card sheets: the texts are fitted to the cards before the sheets are rendered."""

    name: str = "cards"
    filename: str = "flashcards.pdf"

    def page(self, guide: Guide, options: BuildOptions, renderer: PageRenderer) -> str | None:
        layout = layout_for(options.paper, options.cards)
        return sheets_html(guide, renderer, layout, deck(guide), options.cards.cut_lines)

    def render(self, guide: Guide, html: str, options: BuildOptions, renderer: PageRenderer,
               resources: Resources) -> Rendered:
        cards = render_cards(guide, options.paper, options.cards, renderer, resources)
        if options.cards.strict and cards.fitted.split:
            raise ContentError(Problem(
                (face.card.card or face.card.answer).position(),
                f"card {face.card.number:02d} ('{face.card.id}') needs {face.parts} cards even at "
                f"{FLOOR_PT:g} pt (--strict); shorten it, write a shorter 'card:' answer, "
                "or choose a larger --card-size") for face in cards.fitted.split)
        notes = tuple(
            [f"card {face.label} set at {face.answer_pt:g} pt to fit" for face in cards.fitted.shrunk]
            + [f"card {face.card.number:02d} continues on {face.parts} cards" for face in cards.fitted.split])
        return Rendered(cards.pdf.data, cards.pdf.pages, cards.pdf.warnings, notes)


OUTPUTS: dict[str, Output] = {
    output.name: output
    for output in (TemplatePdf("guide", "guide.pdf", "guide.html"), FlashcardsPdf())
}
