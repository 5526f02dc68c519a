"""flashcards.pdf: lay out the deck, fit every card, render the sheets, check nothing overflowed."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..content.model import Guide
from ..diagnostics import BuildError, Collector, cards_named
from ..editions.job import Job
from ..engine.join import join_beside
from ..engine.parts import PartPdf, Store, kept
from ..engine.scheduling import Steps
from ..engine.weasy import Resources, box_extents, box_heights, lay_out, render_pdf, scaled_figures
from ..html.templates import PageRenderer
from . import ids
from .blocks import join
from .faces import ANSWER_PT, CardOptions, Face, face_geometry
from .fit import CardOverflowError, Fitted, Fitting, Measured, Snippet, check_fit, fit_each, fitted
from .sheets import SheetLayout, sheet_layout, sheet_sides

if TYPE_CHECKING:
    from weasyprint import Document

FILENAME = "flashcards.pdf"


SIDES_PER_PART = 4  # pages of sheets rendered together: fronts and backs, so parts keep them paired


@dataclass(frozen=True)
class CardsPdf:
    data: Path  # a temporary file beside the output (files.write_aside)
    pages: int
    warnings: tuple[str, ...]
    fitted: Fitted
    html: str | None  # the whole deck's sheets, when asked
    scaled: tuple[Face, ...]  # faces with an image or formula scaled down to fit


def layout_for(paper: str, options: CardOptions) -> SheetLayout:
    return sheet_layout(paper, options.card_size, options.duplex, options.safe_margin,
                        options.back_offset)


def sheets_html(guide: Guide, renderer: PageRenderer, layout: SheetLayout, faces: Sequence[Face],
                cut_lines: bool) -> str | None:
    """The sheets as HTML, for the faces as given (fitted or not)."""
    return _sides_html(guide, renderer, layout, sheet_sides(list(faces), layout, cut_lines))


def _sides_html(guide: Guide, renderer: PageRenderer, layout: SheetLayout, sides: list) -> str | None:
    return renderer.render("cards.html", guide, layout=layout, geometry=face_geometry(layout), sides=sides)


def render_cards(job: Job, faces: Sequence[Face], target: Path) -> Steps:
    """The faces fitted to the cards and the sheets rendered, in steps (scheduling.py): the
    fitting in a worker, then the sheets in parts of SIDES_PER_PART pages, each from the cache
    when it has them, then the join, into a temporary file beside target. With --emit-html the
    result holds the HTML of every sheet."""
    guide, options, renderer, resources, cache = (job.guide, job.options, job.renderer, job.resources,
                                                  job.cache)
    layout = layout_for(options.paper, options.cards)
    for guess in (True, False):  # a text guessed to fit that did not: measure every text this time
        fitted = yield from _fit_steps(guide, faces, layout, options.templates_dir, resources, cache, guess)
        sides = sheet_sides(list(fitted.faces), layout, options.cards.cut_lines)
        pieces = yield from _sheet_steps(guide, renderer, layout, sides, resources, cache, options.tagged)
        if pieces is not None:
            break
    else:
        raise BuildError(f"{FILENAME}: a card overflowed after fitting; please report this "
                         "with the content that caused it")
    data = (yield {"join": partial(join_beside, target, pieces, (False,) * len(pieces), cache)})["join"]
    scaled = Counter()
    for piece in pieces:
        scaled.update(piece.scaled)
    return CardsPdf(data, sum(len(piece.pages) for piece in pieces),
                    tuple(warning for piece in pieces for warning in piece.warnings), fitted,
                    _sides_html(guide, renderer, layout, sides) if options.emit_html else None,
                    tuple(face for face in fitted.faces if scaled[face.answer_box]))


def _sheet_steps(guide: Guide, renderer: PageRenderer, layout: SheetLayout, sides: list, resources: Resources,
                 cache: Store, tagged: bool) -> Steps:
    """The sheets in parts of SIDES_PER_PART pages, from the cache or the workers; None when a
    text ran taller than its card."""
    groups = [sides[first:first + SIDES_PER_PART] for first in range(0, len(sides), SIDES_PER_PART)]
    htmls = {f"sheets {number} ({_cards_on(group)})": _sides_html(guide, renderer, layout, group)
             for number, group in enumerate(groups, start=1)}
    renderer.problems.raise_errors()
    done = {name: part for name, html in htmls.items() if (part := cache.get(html)) is not None}
    render = partial(_sheets_part, resources=resources, body_height=face_geometry(layout).body_height,
                     dated=guide.updated, tagged=tagged)
    done |= yield {name: kept(partial(render, html), cache, html)
                   for name, html in htmls.items() if name not in done}
    return None if any(part is None for part in done.values()) else [done[name] for name in htmls]


def _cards_on(sides: list) -> str:
    return cards_named(placed.face.card.number for side in sides for placed in (*side.fronts, *side.backs))


FITTINGS = "fittings"  # what the cache notes of the last build's fitted cards
FITTING_CHUNK = 120  # cards fitted together in one worker: the chunks are fitted side by side


def _fit_steps(guide: Guide, faces: Sequence[Face], layout: SheetLayout, templates_dir: Path,
               resources: Resources, cache: Store, guess: bool) -> Steps:
    """The faces fitted: those whose texts and card are as in the last build as they were then
    fitted, the others in a worker."""
    geometry = face_geometry(layout)
    keys = [_fitting_key(face, geometry.body_width, geometry.body_height, guess) for face in faces]
    known = cache.recall(FITTINGS)
    known = known if isinstance(known, dict) else {}
    todo = [face for face, key in zip(faces, keys, strict=True) if key not in known]
    chunks = [todo[first:first + FITTING_CHUNK] for first in range(0, len(todo), FITTING_CHUNK)]
    tasks = {f"fitting {number} ({cards_named(face.card.number for face in chunk)})":
             partial(_fitted, guide, chunk, layout, templates_dir, resources, guess)
             for number, chunk in enumerate(chunks, start=1)}
    results = (yield tasks) if tasks else {}
    new = iter([fitting for name in tasks for fitting in results[name]])
    fittings = [_restored(face, known[key]) if key in known else next(new)
                for face, key in zip(faces, keys, strict=True)]
    cache.note(FITTINGS, {key: _noted(each) for key, each in zip(keys, fittings, strict=True)})
    return fitted(fittings)


def _fitting_key(face: Face, width: float, height: float, guess: bool) -> str:
    said = (str(face.question_html), str(face.answer_html), face.question_pt, face.answer_pt, width,
            height, guess)
    return hashlib.sha256(repr(said).encode()).hexdigest()


def _noted(fitting: Fitting) -> list:
    return [fitting.shrunk, [[str(face.question_html), str(face.answer_html), face.question_pt,
                              face.answer_pt, face.split_index, face.split_count, face.question_continues]
                             for face in fitting.faces]]


def _restored(face: Face, noted: list) -> Fitting:
    shrunk, faces = noted
    return Fitting(tuple(replace(face, question_html=Markup(front), answer_html=Markup(back),
                                 question_pt=question_pt, answer_pt=answer_pt, split_index=index,
                                 split_count=count, question_continues=continues)
                         for front, back, question_pt, answer_pt, index, count, continues in faces), shrunk)


def _fitted(guide: Guide, faces: Sequence[Face], layout: SheetLayout, templates_dir: Path,
            resources: Resources, guess: bool) -> list[Fitting]:
    """In a worker: each face fitted, measured in the fewest renders (fit.py)."""
    problems = Collector()
    renderer = PageRenderer(templates_dir, problems)
    geometry = face_geometry(layout)
    measure = _Measurer(guide, renderer, resources, geometry.body_width, geometry.body_height)
    try:
        return fit_each(faces, geometry.body_width, geometry.body_height, measure, guess)
    finally:
        problems.raise_errors()  # the measuring template failed: say where, not just that


def _sheets_part(html: str, resources: Resources, body_height: float, dated: date | None,
                 tagged: bool) -> PartPdf | None:
    """In a worker: some sheets rendered, or None when a text ran taller than its card."""
    facts: dict[str, object] = {}

    def inspect(document: Document) -> None:
        check_fit(box_heights(document, ids.FIT_PREFIX), body_height)
        facts["scaled"] = dict(scaled_figures(document, ids.FIT_PREFIX))
        facts["pages"] = len(document.pages)

    try:
        pdf = render_pdf(html, resources, FILENAME, dated, inspect=inspect, tagged=tagged)
    except CardOverflowError:
        return None
    return PartPdf(pdf.data, ("",) * facts["pages"], {}, pdf.warnings, facts["scaled"])


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
