"""An edition rendered in parts: each part its own WeasyPrint render, the parts joined into one PDF.

WeasyPrint lays out a document as a whole, in one process, and its time per page grows with
the document's length. Our editions start a page wherever a part begins (a section of the
guide or of the tablet edition, a group of quiz questions), so a part can be laid out alone:
the parts of every edition share the workers, and a part whose HTML did not change comes
from the part cache (partcache.py) instead of being rendered again.

Two things cross parts, and WeasyPrint is left to work out neither:
- Page numbers. Parts are rendered without folios. Once the pages are counted, sheets of
  folios (the same pages, empty but for their numbers, drawn by the same @page rules) are
  rendered and laid over the joined pages (join.py). So a part never depends on its first
  page's number, and an edit that adds a page renders only that part, the contents and
  the folios again.
- The contents' page numbers. The front matter (cover, contents) is rendered after the body,
  with literal numbers: no render needs WeasyPrint's second pass for target-counter(). A long
  contents is rendered in parts too, each listing some hundreds of entries and starting a page.

What a part does take from the parts before it is the side its first page falls on: the
guide mirrors its margins. Sides are predicted (from the last build, else recto) and a part
that lands on the other side is rendered again for it, until every side is right. The
front matter's pages, on which every side after them depends, are predicted in the same way.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol

from ..diagnostics import BuildError, cards_named

BLANK_PAGE = "blank"  # the name a folio sheet gives the empty pages inserted before a recto part
FOLIOS_PER_SHEET = 150  # WeasyPrint's time per page grows with a document: folio sheets stay short
PLACEHOLDER_PAGE = 888  # the contents' page numbers before the pages are counted


@dataclass(frozen=True)
class Span:
    """What one render of an edition's template holds, and where it sits among the others."""

    front: bool = False  # the front matter: the contents, and the cover if it opens them
    listed: tuple[int, int | None] = (0, None)  # which of the contents' entries the front matter
    # lists (its sections, or the quiz's questions), from and to
    sections: tuple = ()  # the guide's and the tablet edition's parts
    cards: tuple = ()  # the quiz's questions
    side: str = "recto"  # of its first page
    first_page: int = 1  # the number of its first page, which only folio sheets print
    page_of: Mapping[str, int] = field(default_factory=dict)  # the page of each anchor
    folio_pages: tuple[str, ...] = ()  # a folio sheet: the name of each of its pages
    draws_folios: bool = False  # whether its @page rules print page numbers
    total_pages: int | None = None  # the edition's, for a folio sheet; None: WeasyPrint counts them
    measuring: bool = False  # laid out only to count its pages: what moves no text may be left out

    def page(self, anchor: str) -> int:
        """The number the contents print for an anchor."""
        return self.page_of.get(anchor, PLACEHOLDER_PAGE)

    @property
    def opens(self) -> bool:
        """Whether it is the front matter's first render, which holds the cover and the contents' heading."""
        return self.front and self.listed[0] == 0

    def listing(self, entries: Sequence) -> Sequence:
        """Those of the contents' entries it lists."""
        return entries[self.listed[0]:self.listed[1]]


@dataclass(frozen=True)
class PartPdf:
    """One part, rendered."""

    data: bytes  # the PDF; empty once it is kept in the part cache instead (stored)
    pages: tuple[str, ...]  # each page's name, as its folio must be named: "", "cover", "blank"...
    anchors: Mapping[str, int]  # the page, counted from 0 in the part, of every anchor in it
    warnings: tuple[str, ...] = ()
    scaled: Mapping[str, int] = field(default_factory=dict)  # images set smaller, by card anchor
    stored: Path | None = None  # the part cache's entry holding the PDF

    def pdf(self) -> bytes:
        """The PDF, from memory or from its cache entry (a line of facts, then the PDF: partcache.py)."""
        return self.data if self.stored is None else self.stored.read_bytes().partition(b"\n")[2]


@dataclass(frozen=True)
class Layout:
    """How the parts of an edition fall on its pages."""

    front: tuple[str, ...]  # the names of the front matter's pages, all its parts'
    body: tuple[PartPdf, ...]
    starts_recto: tuple[bool, ...]  # whether each body part must start on a recto (odd) page
    mirrored: bool  # whether left and right pages differ, so that a part's side shapes it

    def starts(self) -> tuple[tuple[int, bool], ...]:
        """For each body part, its first page number (from 1) and whether a blank page precedes it."""
        page = len(self.front) + 1
        starts = []
        for part, recto in zip(self.body, self.starts_recto, strict=True):
            blank = recto and page % 2 == 0
            page += blank
            starts.append((page, blank))
            page += len(part.pages)
        return tuple(starts)

    def sides(self) -> tuple[str, ...]:
        """The side each body part must be rendered for."""
        return tuple(side_of(page) if self.mirrored else "recto" for page, _ in self.starts())

    def page_names(self) -> tuple[str, ...]:
        """Every page of the joined edition, by name."""
        names = list(self.front)
        for part, (_, blank) in zip(self.body, self.starts(), strict=True):
            names += [BLANK_PAGE] * blank + list(part.pages)
        return tuple(names)

    def page_of(self) -> dict[str, int]:
        """The page number of every anchor in the body."""
        return {anchor: start + index for part, (start, _) in zip(self.body, self.starts(), strict=True)
                for anchor, index in part.anchors.items()}


def side_of(page: int) -> str:
    return "recto" if page % 2 else "verso"


Render = Callable[[Span], str]  # a span's HTML
# The task that renders a part's HTML, where the anchors its links lead to in other parts are.
TaskOf = Callable[[str, tuple[str, ...]], Callable[[], PartPdf]]
# The task that lays out a part's HTML and writes nothing: the names of its pages.
MeasureOf = Callable[[str], Callable[[], tuple[str, ...]]]


class Store(Protocol):
    """Where rendered parts are kept, by what they are made from (their HTML, or a digest of it
    and more: partcache.py); a part got or put is the stored one, its PDF read when needed."""

    def get(self, key: str) -> PartPdf | None: ...
    def put(self, key: str, part: PartPdf) -> PartPdf: ...
    def recall(self, name: str) -> object: ...
    def note(self, name: str, value: object) -> None: ...


Tasks = dict[str, Callable[[], PartPdf]]  # renders to run, by name
Steps = Generator[Tasks, dict[str, PartPdf], "Parted"]


@dataclass(frozen=True)
class Parted:
    """An edition's parts, rendered and laid out: what join.py makes one PDF of."""

    front: tuple[PartPdf, ...]
    body: tuple[PartPdf, ...]
    layout: Layout
    folio_sheets: tuple[PartPdf, ...]
    html: str | None  # the whole edition as one document, its page numbers filled in, when asked

    @property
    def one_render(self) -> bool:
        """Whether the edition is one part, folios and all (render_whole): nothing to join."""
        return len(self.front) + len(self.body) == 1 and not self.folio_sheets

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(warning for part in (*self.front, *self.body) for warning in part.warnings)

    @property
    def scaled(self) -> Counter[str]:
        return sum((Counter(part.scaled) for part in (*self.front, *self.body)), Counter())


def render_in_parts(front: tuple[Span, ...], body: tuple[Span, ...], starts_recto: tuple[bool, ...],
                    mirrored: bool, html_of: Render, task_of: TaskOf, measure_of: MeasureOf, cache: Store,
                    predicted: tuple[tuple[tuple[str, ...], ...], tuple[str, ...]] | None = None,
                    whole: bool = False) -> Steps:
    """The parts of an edition: yields the renders it needs, in rounds, and is sent their results.

    front holds the spans of the front matter, each starting a page, and body the spans after
    it, starts_recto whether each starts on a recto page; html_of makes a span's HTML and
    task_of(html, elsewhere) the task that renders it, elsewhere naming the anchors of other
    parts its links lead to (a link to an anchor that is nowhere is left to WeasyPrint, which
    drops it with a warning). Parts are taken from the cache when it has them and given to it
    when rendered. predicted, the names of the front's pages (a tuple for each of its spans) and
    the body's sides of the last build, saves measuring the front matter (measure_of: laid out
    beside the body, with placeholder page numbers, and not written). With whole, the
    result holds the HTML of the whole edition too (for --emit-html).
    """
    front_pages, sides = predicted or (None, ("recto",) * len(body))
    if front_pages is not None and len(front_pages) != len(front):
        front_pages = None
    if len(sides) != len(body):
        sides = ("recto",) * len(body)
    htmls: dict[tuple, str] = {}  # a span's HTML, by _span_key, until its part is had
    digests: dict[tuple, str] = {}  # what a span's part is made from: its HTML and links elsewhere
    had: dict[str, PartPdf] = {}  # parts by that digest, from this build, the cache or the workers

    def markup(span: Span) -> str:
        """The span's HTML, made once: rounds ask for the same spans again."""
        if (key := _span_key(span)) not in htmls:
            htmls[key] = html_of(span)
        return htmls[key]

    known = frozenset().union(*(_ids(markup(replace(span, side=side))) for span, side
                                in zip((*body, *front), (*sides, *("recto",) * len(front)), strict=True)))

    def elsewhere(html: str) -> tuple[str, ...]:
        return tuple(sorted(_links(html) & known - _ids(html)))

    def digest(span: Span) -> str:
        if (key := _span_key(span)) not in digests:
            html = markup(span)
            digests[key] = _digest(html, elsewhere(html))
        return digests[key]

    def needed(spans: dict[str, Span], measured: dict[str, Span] | None = None) -> Steps:
        """The parts for these spans, from this build, the cache or the workers, and the names of
        the pages of the measured spans, from the workers."""
        measured = measured or {}
        wanted = {name: digest(span) for name, span in spans.items()}
        for key in set(wanted.values()) - had.keys():
            if (part := cache.get(key)) is not None:
                had[key] = part
        missing = {key: name for name, key in wanted.items() if key not in had}
        renders = []
        for key, name in missing.items():
            html = markup(spans[name])
            renders.append((len(html), name, kept(task_of(html, elsewhere(html)), cache, key)))
        # the longest first and the measures, shorter, last: the workers run out of work together
        tasks = {name: task for _, name, task in sorted(renders, key=lambda render: -render[0])}
        tasks |= {name: measure_of(markup(span)) for name, span in measured.items()}
        results = (yield tasks) if tasks else {}
        had.update({key: results[name] for key, name in missing.items()})
        for span in (*spans.values(), *measured.values()):  # done with: its HTML is not needed again
            htmls.pop(_span_key(span), None)
        return {name: had[key] for name, key in wanted.items()}, {name: results[name] for name in measured}

    def front_spans(pages: tuple[tuple[str, ...], ...] | None, page_of: Mapping[str, int]) -> dict[str, Span]:
        """The front matter's spans, each on the side its pages before it put it."""
        starts = [1 + sum(map(len, (pages or ())[:index])) for index in range(len(front))]
        return {f"contents {number}": replace(span, page_of=page_of,
                                              side=side_of(start) if mirrored and pages else "recto")
                for number, (span, start) in enumerate(zip(front, starts, strict=True), start=1)}

    measuring = {} if front_pages is not None else {
        name: replace(span, measuring=True) for name, span in front_spans(None, {}).items()}
    for _ in range(len(body) + len(front) + 3):  # each round settles at least one more part's side
        spans = {f"part {number}{_holding(span)}": replace(span, side=side)
                 for number, (span, side) in enumerate(zip(body, sides, strict=True), start=1)}
        parts, measured = yield from needed(spans, measuring)
        if measuring:
            front_pages = tuple(measured[name] for name in measuring)
            measuring = {}
        body_parts = tuple(parts[name] for name in spans)
        layout = Layout(sum(front_pages, ()), body_parts, starts_recto, mirrored)
        if layout.sides() == sides:
            # the folio sheets are rendered with the contents, for the pages the front had so far
            contents = front_spans(front_pages, layout.page_of())
            folio_spans = _folio_sheets(layout.page_names())
            rendered, _ = yield from needed({**contents, **folio_spans})
            fronts = tuple(rendered[name] for name in contents)
            if tuple(part.pages for part in fronts) == front_pages:
                edition = Span(front=True, sections=_joined(body, "sections"), cards=_joined(body, "cards"),
                               page_of=layout.page_of(), draws_folios=True)
                return Parted(fronts, body_parts, layout, tuple(rendered[name] for name in folio_spans),
                              html_of(edition) if whole else None)
            front_pages = tuple(part.pages for part in fronts)
        sides = Layout(sum(front_pages, ()), layout.body, starts_recto, mirrored).sides()
    raise BuildError("the parts' pages did not settle: each render moved the next part to the other side")


def render_whole(body: Span, html_of: Render, task_of: TaskOf, cache: Store, name: str,
                 whole: bool = False) -> Steps:
    """An edition whose body is one part, rendered as one document with its front matter and
    folios: one render where the parts would take the body's, the contents' and the folios'.

    The contents print the pages the last build found (noted in the cache under name), else
    placeholders; the document is rendered again until the pages it prints are those it has.
    """
    noted = cache.recall(name)
    page_of = noted if isinstance(noted, dict) else {}
    for _ in range(4):  # placeholders, the pages they gave, and room for a line they rewrapped
        html = html_of(Span(front=True, sections=body.sections, cards=body.cards, page_of=page_of,
                            draws_folios=True))
        key = _digest(html, ())
        if (part := cache.get(key)) is None:
            part = (yield {"whole": kept(task_of(html, ()), cache, key)})["whole"]
        found = {anchor: index + 1 for anchor, index in part.anchors.items()}
        if found == page_of:
            cache.note(name, found)
            return Parted((part,), (), Layout(part.pages, (), (), False), (), html if whole else None)
        page_of = found
    raise BuildError("the contents' page numbers did not settle: each render moved the pages again")


_ID = re.compile(r'\sid="([^"]+)"')
_LINK = re.compile(r'\shref="#([^"]+)"')


def kept(task: Callable[[], PartPdf | None], cache: Store, key: str) -> Callable[[], PartPdf | None]:
    """task, to run in a worker, its part put in the cache there under key: only the part's
    facts travel back, and the build holds no part's PDF."""
    return partial(_render_and_keep, task, cache, key)


def _render_and_keep(task: Callable[[], PartPdf | None], cache: Store, key: str) -> PartPdf | None:
    part = task()
    return None if part is None else cache.put(key, part)


def _holding(span: Span) -> str:
    """The cards a part holds, as its task's name says them, so that a render that fails or
    runs out of time points at them."""
    named = cards_named([card.number for section in span.sections for card in section.cards]
                        + [card.number for card in span.cards])
    return f" ({named})" if named else ""


def _ids(html: str) -> set[str]:
    return set(_ID.findall(html))


def _links(html: str) -> set[str]:
    return set(_LINK.findall(html))


def _span_key(span: Span) -> tuple:
    """What tells spans apart: the same sections or cards, on the same side, with the same numbers."""
    return (span.front, span.listed, id(span.sections), id(span.cards), span.side, span.first_page,
            tuple(span.page_of.items()), span.folio_pages, span.draws_folios, span.total_pages,
            span.measuring)


def _digest(html: str, elsewhere: tuple[str, ...]) -> str:
    """What a part is made from, as the part cache files it."""
    return hashlib.sha256("\0".join((html, *elsewhere)).encode()).hexdigest()


def _folio_sheets(names: tuple[str, ...]) -> dict[str, Span]:
    """Sheets of folios for pages of these names, none longer than FOLIOS_PER_SHEET pages."""
    return {f"folios {index + 1}": Span(
        side=side_of(first + 1), first_page=first + 1, draws_folios=True, total_pages=len(names),
        folio_pages=names[first:first + FOLIOS_PER_SHEET])
        for index, first in enumerate(range(0, len(names), FOLIOS_PER_SHEET))}


def _joined(spans: tuple[Span, ...], name: str) -> tuple:
    return tuple(item for span in spans for item in getattr(span, name))
