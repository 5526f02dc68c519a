"""flashcards.pdf: lay out the deck, fit every card, render the sheets, check nothing overflowed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..diagnostics import BuildError
from ..model import Guide
from ..pages import PageRenderer
from ..pdf import RenderedPdf, Resources, box_extents, box_heights, lay_out, render_pdf, scaled_figures
from . import ids
from .blocks import join
from .faces import ANSWER_PT, CardOptions, Face, face_geometry
from .fit import CardOverflowError, Fitted, Measured, Snippet, check_fit, fit
from .sheets import SheetLayout, sheet_layout, sheet_sides

if TYPE_CHECKING:
    from weasyprint import Document

FILENAME = "flashcards.pdf"


@dataclass(frozen=True)
class CardsPdf:
    pdf: RenderedPdf
    fitted: Fitted
    html: str
    scaled: tuple[Face, ...]  # faces with an image or formula scaled down to fit


def layout_for(paper: str, options: CardOptions) -> SheetLayout:
    return sheet_layout(paper, options.card_size, options.duplex, options.safe_margin,
                        options.back_offset)


def sheets_html(guide: Guide, renderer: PageRenderer, layout: SheetLayout, faces: Sequence[Face],
                cut_lines: bool) -> str | None:
    """The sheets as HTML, for the faces as given (fitted or not)."""
    return renderer.render("cards.html", guide, layout=layout, geometry=face_geometry(layout),
                           sides=sheet_sides(list(faces), layout, cut_lines))


def render_cards(guide: Guide, faces: Sequence[Face], paper: str, options: CardOptions,
                 renderer: PageRenderer, resources: Resources, tagged: bool = False) -> CardsPdf:
    """Fit the faces to the cards and render the sheets (tagged: see pdf.render_pdf)."""
    layout = layout_for(paper, options)
    geometry = face_geometry(layout)
    measure = _Measurer(guide, renderer, resources, geometry.body_width, geometry.body_height)
    try:
        return _render_fitted(guide, faces, options, renderer, resources, layout, measure, True, tagged)
    except CardOverflowError:  # a text guessed to fit did not: measure every text this time
        try:
            return _render_fitted(guide, faces, options, renderer, resources, layout, measure, False, tagged)
        except CardOverflowError:
            raise BuildError(f"{FILENAME}: a card overflowed after fitting; please report this "
                             "with the content that caused it") from None


def _render_fitted(guide: Guide, faces: Sequence[Face], options: CardOptions, renderer: PageRenderer,
                   resources: Resources, layout: SheetLayout, measure: _Measurer, guess: bool,
                   tagged: bool) -> CardsPdf:
    geometry = face_geometry(layout)
    fitted = fit(faces, geometry.body_width, geometry.body_height, measure, guess)
    html = sheets_html(guide, renderer, layout, fitted.faces, options.cut_lines)
    if html is None:
        raise BuildError(f"{FILENAME}: the card template failed")
    scaled: Counter[str] = Counter()

    def inspect(document: Document) -> None:
        check_fit(box_heights(document, ids.FIT_PREFIX), geometry.body_height)
        scaled.update(scaled_figures(document, ids.FIT_PREFIX))

    pdf = render_pdf(html, resources, FILENAME, guide.updated, inspect=inspect, tagged=tagged)
    return CardsPdf(pdf, fitted, html, tuple(face for face in fitted.faces if scaled[face.answer_box]))


def templates_work(guide: Guide, renderer: PageRenderer, layout: SheetLayout, faces: Sequence[Face],
                   cut_lines: bool) -> bool:
    """Whether the sheet and measuring templates render, tried on the first card; the
    renderer holds the problem when they do not."""
    sample = list(faces[:1])
    snippets = [Snippet("answer", face.answer_html, ANSWER_PT) for face in sample]
    geometry = face_geometry(layout)
    return (sheets_html(guide, renderer, layout, sample, cut_lines) is not None
            and _measuring_page(guide, renderer, snippets, geometry.body_width,
                                geometry.body_height) is not None)


def _measuring_page(guide: Guide, renderer: PageRenderer, snippets: Sequence[Snippet],
                    width: float, body_height: float) -> str | None:
    # Pieces get ids within their own snippet's, so that no id stands twice in the page.
    texts = [Markup(join(list(snippet.pieces), partial(ids.measure_piece, index))) if snippet.pieces
             else snippet.html for index, snippet in enumerate(snippets)]
    return renderer.render("cards-measure.html", guide, snippets=snippets, texts=texts, width=width,
                           body_height=body_height, ids=ids)


class _Measurer:
    """Measures card texts in one render per call, at the width of a card's body."""

    def __init__(self, guide: Guide, renderer: PageRenderer, resources: Resources, width: float,
                 body_height: float):
        self.guide, self.renderer, self.resources = guide, renderer, resources
        self.width, self.body_height = width, body_height

    def __call__(self, snippets: Sequence[Snippet]) -> list[Measured]:
        if not snippets:
            return []
        html = _measuring_page(self.guide, self.renderer, snippets, self.width, self.body_height)
        if html is None:
            raise BuildError(f"{FILENAME}: the measuring template failed")
        extents = box_extents(lay_out(html, self.resources, FILENAME), ids.MEASURE_PREFIX)
        return [self._measured(extents, index, snippet) for index, snippet in enumerate(snippets)]

    @staticmethod
    def _measured(extents: dict[str, tuple[float, float]], index: int, snippet: Snippet) -> Measured:
        top, bottom = extents[ids.measure_box(index)]
        if not snippet.pieces:
            return bottom - top
        places = (extents[ids.measure_piece(index, k)] for k in range(len(snippet.pieces)))
        return tuple((piece_top - top, piece_bottom - top) for piece_top, piece_bottom in places)
