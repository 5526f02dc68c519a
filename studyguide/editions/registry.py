"""The files a build can write: how each is prepared (and so checked), then rendered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from ..build.options import BuildOptions
from ..content.model import CARD_ANCHOR, Card, Guide, Section
from ..diagnostics import BuildError, ContentError, Problem
from ..engine.join import edition_beside, join_edition
from ..engine.parts import Parted, Span, render_in_parts, render_whole
from ..engine.scheduling import Steps
from ..engine.weasy import measure_part, render_part
from ..exports import anki, plaintext
from ..flashcards.faces import ANSWER_PT, FLOOR_PT, QUESTION_PT, Face, deck
from ..flashcards.render import layout_for, render_cards, templates_work
from ..html.papers import PAPERS, tablet_page, worksheet_page
from ..html.themes import THEMES
from ..markup.order import card_order
from . import booklet, names, worksheet
from .job import Job
from .sectionbreaks import part_breaks, section_characters


@dataclass(frozen=True)
class Rendered:
    data: bytes | Path  # the file's bytes, or a temporary file beside it that holds them (a PDF's)
    pages: int | None  # None for files other than PDFs
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the reader should know, e.g. cards set smaller to fit
    html: str | None = None  # the HTML a PDF was rendered from


Prepared = TypeVar("Prepared")


class Output(Protocol[Prepared]):
    name: str
    filename: str
    typeset: ClassVar[bool]  # rendered by WeasyPrint, so the workers should start with it loaded

    def templates(self, options: BuildOptions) -> tuple[str, ...]:
        """The templates it starts from (their includes are followed), for these options."""

    def prepare(self, job: Job) -> Prepared | None:
        """All that can fail before rendering (a PDF's HTML), and nothing that only writing
        needs; None when a template failed, which the renderer has reported."""

    def render_steps(self, job: Job, prepared: Prepared) -> Steps:
        """The file's bytes, in steps: the renders it needs are yielded, to run in the workers
        (scheduling.py), and it returns its Rendered."""


@dataclass(frozen=True)
class Edition:
    """An edition's template context, and the parts it renders in."""

    context: dict[str, object]
    front: tuple[Span, ...]  # the front matter's parts
    body: tuple[Span, ...]
    starts_recto: tuple[bool, ...]  # whether each part of the body starts on a recto page


Split = Callable[[Guide, tuple[Card, ...], dict[str, object]], Edition]
QUIZ_GROUP = 5  # questions in a part of the quiz: 10 pages or more, each a page break
PART_CHARACTERS = 15_000  # text in a part of the guide or the tablet edition: some 5 to 10 pages,
# so that an edit renders little again
SMALL_PARTS = 20  # an edition that would have more parts has parts twice as long: what every render
# and join costs whatever a part's length (styles, fonts, a process) is paid half as often
CONTENTS_ENTRIES = 400  # lines of the contents in a part of the front matter: some 10 to 20 pages


def by_section(guide: Guide, deck: tuple[Card, ...], context: dict[str, object]) -> Edition:
    """Parts of whole sections, each of PART_CHARACTERS or more but the last (twice that past
    SMALL_PARTS parts); one for them all when the guide runs its parts on. Each part of the
    front matter lists whole sections."""
    context, front = _front(context, [(section.anchor, 1 + len(section.cards)) for section in guide.sections])
    breaks = context.get("part_breaks", "page")
    if breaks == "none":
        return Edition(context, front, (Span(sections=guide.sections),), (False,))
    groups = _grouped(guide.sections, PART_CHARACTERS)
    if len(groups) > SMALL_PARTS:
        groups = _grouped(guide.sections, 2 * PART_CHARACTERS)
    parts = tuple(Span(sections=tuple(group)) for group in groups)
    return Edition(context, front, parts, (breaks == "right",) * len(parts))


def _grouped(sections: tuple[Section, ...], characters: int) -> list[list[Section]]:
    """Sections in groups of characters or more, but the last."""
    groups: list[list[Section]] = [[]]
    for section in sections:
        if sum(map(section_characters, groups[-1])) >= characters:
            groups.append([])
        groups[-1].append(section)
    return groups


def by_questions(guide: Guide, deck: tuple[Card, ...], context: dict[str, object]) -> Edition:
    """A part per QUIZ_GROUP questions, in the order they are asked, the last taking the rest:
    a quiz of fewer than twice QUIZ_GROUP questions is one part."""
    starts = range(0, max(1, len(deck) // QUIZ_GROUP) * QUIZ_GROUP, QUIZ_GROUP)
    ends = [*starts[1:], len(deck)]
    groups = tuple(Span(cards=deck[start:end]) for start, end in zip(starts, ends, strict=True))
    context, front = _front(context, [(card.anchor, 1) for card in deck])
    return Edition(context, front, groups, (False,) * len(groups))


def as_worksheet(guide: Guide, deck: tuple[Card, ...], context: dict[str, object]) -> Edition:
    """One part, from the header to the key: a worksheet runs its questions on from page to page."""
    cards, lines = worksheet.asked(deck, context["worksheet"])
    context = {**context, "asked": cards, "answer_lines": lines}
    return Edition(context, (), (Span(cards=cards),), (False,))


def _front(context: dict[str, object], entries: list[tuple[str, int]]
           ) -> tuple[dict[str, object], tuple[Span, ...]]:
    """The front matter's parts, each listing CONTENTS_ENTRIES lines of the contents or more but
    the last, given the anchor and lines of each of the contents' entries (which are not split);
    and the context, which names the entries that start a part, and so a page, as
    contents_page_breaks: the whole edition breaks its contents' pages there too."""
    starts, lines = [0], 0
    for index, (_, count) in enumerate(entries):
        if lines >= CONTENTS_ENTRIES:
            starts.append(index)
            lines = 0
        lines += count
    front = tuple(Span(front=True, listed=(start, stop))
                  for start, stop in zip(starts, [*starts[1:], None], strict=True))
    return {**context, "contents_page_breaks": frozenset(entries[start][0] for start in starts[1:])}, front


@dataclass(frozen=True)
class TemplatePdf:
    """A PDF made from one template, rendered in parts (parts.py): the guide, the tablet editions."""

    typeset: ClassVar[bool] = True

    name: str
    filename: str
    template: str
    context_of: Callable[[BuildOptions], dict[str, object]]  # what the options give the template
    split: Split
    mirrored: bool = False  # left and right pages differ, so a part is rendered for its side
    # what the content makes of that context, e.g. the part breaks a guide calls for
    resolve: Callable[[Guide, dict[str, object]], dict[str, object]] = lambda guide, context: context

    def templates(self, options: BuildOptions) -> tuple[str, ...]:
        theme = self.context_of(options).get("theme")  # its stylesheet is included by name at render time
        return (self.template, *([theme.stylesheet] if theme and theme.stylesheet else []))

    def prepare(self, job: Job) -> Edition | None:
        """The parts to render; the template is tried on the whole edition, so its errors show now."""
        guide = job.guide
        context = self.resolve(guide, self.context_of(job.options))
        deck = card_order(guide.cards, context.get("shuffle_seed"))
        following = {card.number: after for card, after in zip(guide.cards, guide.cards[1:], strict=False)}
        places = {card.anchor: place for place, card in enumerate(deck, start=1)}
        context = {**context, "deck": deck, "following": following, "places": places}
        edition = self.split(guide, deck, context)
        whole = Span(front=True, sections=guide.sections, cards=deck, draws_folios=True)
        if job.renderer.render(self.template, guide, part=whole, **edition.context) is None:
            return None
        return edition

    def render_steps(self, job: Job, edition: Edition) -> Steps:
        parted = yield from self.parts(job, edition)
        target = job.options.out_dir / self.filename
        if parted.one_render:  # its PDF is the edition's: copied beside the target here, not in a worker
            data = edition_beside(parted, target)
        else:
            data = (yield {"join": partial(edition_beside, parted, target, job.cache)})["join"]
        scaled = parted.scaled
        owners = {anchor: card for card in job.guide.cards for anchor in (card.anchor, card.answer_anchor)}
        counts = Counter({owners[owner]: count for owner, count in scaled.items() if owner in owners})
        notes = tuple(_scaled(f"{card.number:02d}", count) for card, count in counts.items())
        return Rendered(data, len(parted.layout.page_names()), parted.warnings, notes, html=parted.html)

    def parts(self, job: Job, edition: Edition) -> Steps:
        """The edition's parts rendered and laid out, ready to join."""
        guide, options, renderer, cache = job.guide, job.options, job.renderer, job.cache

        def html_of(span: Span) -> str:
            html = renderer.render(self.template, guide, part=span, **edition.context)
            renderer.problems.raise_errors()
            return html

        def task_of(html: str, elsewhere: tuple[str, ...]):
            return partial(render_part, html, elsewhere, job.resources, self.filename, guide.updated,
                           options.tagged, CARD_ANCHOR)

        def measure_of(html: str):
            return partial(measure_part, html, job.resources, self.filename)

        if len(edition.body) == 1:
            return (yield from render_whole(edition.body[0], html_of, task_of, cache, self.name,
                                            options.emit_html))
        memo = cache.recall(self.name)
        predicted = (tuple(map(tuple, memo[0])), tuple(memo[1])) if _noted_layout(memo) else None
        parted: Parted = yield from render_in_parts(edition.front, edition.body, edition.starts_recto,
                                                    self.mirrored, html_of, task_of, measure_of, cache,
                                                    predicted, options.emit_html)
        cache.note(self.name, [[list(part.pages) for part in parted.front], list(parted.layout.sides())])
        return parted


@dataclass(frozen=True)
class FlashcardsPdf:
    """Card sheets: the texts are fitted to the cards before the sheets are rendered."""

    typeset: ClassVar[bool] = True

    name: str = names.CARDS
    filename: str = "flashcards.pdf"

    def templates(self, options: BuildOptions) -> tuple[str, ...]:
        return "cards.html", "cards-measure.html"

    def prepare(self, job: Job) -> list[Face] | None:
        """The faces in their order; the sheets are only made once their text is fitted."""
        guide, options = job.guide, job.options
        faces = deck(guide, options.shuffle_seed)
        layout = layout_for(options.paper, options.cards)
        return faces if templates_work(guide, job.renderer, layout, faces, options.cards.cut_lines) else None

    def render_steps(self, job: Job, faces: list[Face]) -> Steps:
        cards = yield from render_cards(job, faces, job.options.out_dir / self.filename)
        if job.options.cards.strict and cards.fitted.split:
            raise ContentError(Problem(
                face.card.flashcard_answer.position(),
                f"card {face.card.number:02d} ('{face.card.id}') needs {face.split_count} cards even at "
                f"{FLOOR_PT:g} pt (--strict); shorten it, write a shorter 'card:' answer, "
                "or choose a larger --card-size") for face in cards.fitted.split)
        notes = tuple(
            [f"card {face.label} set smaller to fit: {_sizes(face)}" for face in cards.fitted.shrunk]
            + [f"card {face.card.number:02d} continues on {face.split_count} cards"
               for face in cards.fitted.split]
            + [_scaled(face.label, 1) for face in cards.scaled])
        return Rendered(cards.data, cards.pages, cards.warnings, notes, cards.html)


def _noted_layout(memo: object) -> bool:
    """Whether memo is what TemplatePdf.parts notes of a build: the names of the front's pages
    (a list for each of its parts), the body's sides."""
    return (isinstance(memo, list) and len(memo) == 2 and all(isinstance(item, list) for item in memo)
            and all(isinstance(pages, list) for pages in memo[0]))


def _imposed(parted: Parted, paper: str) -> tuple[bytes, int]:
    """In a worker: the half-sheet guide joined, then imposed on sheets to fold."""
    return booklet.impose(join_edition(parted), paper)


def _scaled(label: str, count: int) -> str:
    return f"card {label}: {'an image or formula' if count == 1 else f'{count} images or formulas'} " \
           "scaled down to fit"


def _sizes(face: Face) -> str:
    sizes = (("question", face.question_pt, QUESTION_PT), ("answer", face.answer_pt, ANSWER_PT))
    changed = [f"{name} {size:g} pt" for name, size, default in sizes if size != default]
    return ", ".join(changed)


@dataclass(frozen=True)
class BookletPdf:
    """The printed guide set on half sheets and imposed two pages to a side, to fold (booklet.py)."""

    typeset: ClassVar[bool] = True

    guide: TemplatePdf
    name: str = names.BOOKLET
    filename: str = "booklet.pdf"

    def templates(self, options: BuildOptions) -> tuple[str, ...]:
        return self.guide.templates(self._half(options))

    def prepare(self, job: Job) -> Edition | None:
        return self.guide.prepare(replace(job, options=self._half(job.options)))

    def render_steps(self, job: Job, edition: Edition) -> Steps:
        half = replace(self._half(job.options), tagged=False)  # folding undoes any tags
        parted = yield from self.guide.parts(replace(job, options=half), edition)
        imposed = (yield {"impose": partial(_imposed, parted, job.options.paper)})["impose"]
        return Rendered(*imposed, parted.warnings, html=parted.html)

    @staticmethod
    def _half(options: BuildOptions) -> BuildOptions:
        return replace(options, paper=booklet.page_paper(options.paper).name)


@dataclass(frozen=True)
class Export:
    """A file for study apps, made from the cards directly."""

    typeset: ClassVar[bool] = False

    name: str
    filename: str
    export: Callable[[Guide], bytes]

    def templates(self, options: BuildOptions) -> tuple[str, ...]:
        return ()

    def prepare(self, job: Job) -> tuple[()]:
        """Nothing: the cards are checked already, and the file is made when rendered."""
        return ()

    def render_steps(self, job: Job, prepared: tuple[()]) -> Steps:
        return (yield {"export": partial(self.render, job.guide)})["export"]

    def render(self, guide: Guide) -> Rendered:
        """In a worker: the file's bytes."""
        try:
            return Rendered(self.export(guide), None)
        except OSError as error:  # an image that went away, a full or unwritable temporary folder
            where = f" ({error.filename})" if error.filename else ""
            raise BuildError(f"making {self.filename} failed: {error.strerror or error}{where}") from error


GUIDE = TemplatePdf(names.GUIDE, "guide.pdf", "guide.html",
                    lambda options: {"paper": PAPERS[options.paper], "part_breaks": options.part_breaks},
                    by_section, mirrored=True,
                    resolve=lambda guide, context: {**context, "part_breaks": part_breaks(
                        guide, context["paper"], context["part_breaks"])})
TABLET = TemplatePdf(names.TABLET, "tablet.pdf", "tablet.html", lambda options: {
    "screen": tablet_page(*options.tablet_ratio), "theme": THEMES[options.theme]}, by_section)
QUIZ = TemplatePdf(names.QUIZ, "quiz.pdf", "quiz.html", lambda options: {
    "screen": tablet_page(*options.tablet_ratio), "theme": THEMES[options.theme],
    "shuffle_seed": options.shuffle_seed}, by_questions)
WORKSHEET = TemplatePdf(names.WORKSHEET, "worksheet.pdf", "worksheet.html", lambda options: {
    "paper": worksheet_page(options.paper, options.tablet_ratio), "worksheet": options.worksheet},
    as_worksheet)
FLASHCARDS = FlashcardsPdf()
BOOKLET = BookletPdf(GUIDE)
OUTPUTS: dict[str, Output[Any]] = {output.name: output for output in (
    GUIDE, TABLET, QUIZ, FLASHCARDS, WORKSHEET,
    Export(names.APKG, "flashcards.apkg", anki.to_apkg),
    Export(names.TSV, "flashcards.tsv", plaintext.to_tsv),
    Export(names.CSV, "flashcards.csv", plaintext.to_csv),
    BOOKLET,
)}
