"""flashcards.pdf: lay out the deck, fit every card, render the sheets, check nothing overflowed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .cards import CardOptions, Face, face_geometry, sheet_sides
from .diagnostics import BuildError
from .fitting import CardOverflowError, Fitted, Snippet, check_fit, fit
from .model import Guide
from .pages import PageRenderer
from .pdf import RenderedPdf, Resources, box_heights, lay_out, render_pdf
from .sheets import SheetLayout, sheet_layout

FILENAME = "flashcards.pdf"


@dataclass(frozen=True)
class CardsPdf:
    pdf: RenderedPdf
    fitted: Fitted
    sheets: int
    html: str


def layout_for(paper: str, options: CardOptions) -> SheetLayout:
    return sheet_layout(paper, options.card_size, options.duplex, options.safe_margin,
                        options.back_offset)


def sheets_html(guide: Guide, renderer: PageRenderer, layout: SheetLayout, faces: Sequence[Face],
                cut_lines: bool) -> str | None:
    """The sheets as HTML, for the faces as given (fitted or not)."""
    return renderer.render("cards.html", guide, layout=layout, geometry=face_geometry(layout),
                           sides=sheet_sides(list(faces), layout, cut_lines))


def render_cards(guide: Guide, faces: Sequence[Face], paper: str, options: CardOptions,
                 renderer: PageRenderer, resources: Resources) -> CardsPdf:
    """Fit the faces to the cards and render the sheets."""
    layout = layout_for(paper, options)
    geometry = face_geometry(layout)
    measure = _Measurer(guide, renderer, resources, geometry.body_width)
    try:
        return _render_fitted(guide, faces, options, renderer, resources, layout, measure, guess=True)
    except CardOverflowError:  # a text guessed to fit did not: measure every text this time
        try:
            return _render_fitted(guide, faces, options, renderer, resources, layout, measure, guess=False)
        except CardOverflowError:
            raise BuildError(f"{FILENAME}: a card overflowed after fitting; please report this "
                             "with the content that caused it") from None


def _render_fitted(guide: Guide, faces: Sequence[Face], options: CardOptions, renderer: PageRenderer,
                   resources: Resources, layout: SheetLayout, measure: _Measurer, guess: bool) -> CardsPdf:
    geometry = face_geometry(layout)
    fitted = fit(faces, geometry.body_width, geometry.body_height, measure, guess)
    html = sheets_html(guide, renderer, layout, fitted.faces, options.cut_lines)
    if html is None:
        raise BuildError(f"{FILENAME}: the card template failed")
    pdf = render_pdf(html, resources, FILENAME, guide.updated,
                     inspect=lambda document: check_fit(box_heights(document, "fit-"), geometry.body_height))
    sheets = -(-len(fitted.faces) // layout.slots_per_sheet)
    return CardsPdf(pdf, fitted, sheets, html)


class _Measurer:
    """Measures card texts in one render per call, at the width of a card's body."""

    def __init__(self, guide: Guide, renderer: PageRenderer, resources: Resources, width: float):
        self.guide, self.renderer, self.resources, self.width = guide, renderer, resources, width
        self.renders = 0

    def __call__(self, snippets: Sequence[Snippet]) -> list[float]:
        if not snippets:
            return []
        html = self.renderer.render("cards-measure.html", self.guide, snippets=snippets, width=self.width)
        if html is None:
            raise BuildError(f"{FILENAME}: the measuring template failed")
        self.renders += 1
        heights = box_heights(lay_out(html, self.resources, FILENAME), "measure-")
        return [heights[f"measure-{index}"] for index in range(len(snippets))]
