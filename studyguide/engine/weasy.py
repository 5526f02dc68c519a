"""HTML to PDF through WeasyPrint, and PDFs written so a failure never costs the last good one."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import BuildError
from ..guard.links import remove_unsafe_links
from . import fontarrays, instances, tagging
from .annotations import drop_covered_links
from .parts import BLANK_PAGE, PartPdf

if TYPE_CHECKING:
    from collections.abc import Callable

    from weasyprint import Document


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Resources:
    """What a render may read: relative URLs resolve in base_dir, files only in allowed_dirs."""

    base_dir: Path
    allowed_dirs: tuple[Path, ...]


def render_pdf(html: str, resources: Resources, name: str, dated: date | None = None,
               inspect: Callable[[Document], None] | None = None, tagged: bool = False) -> RenderedPdf:
    """The PDF for an HTML document; the same HTML and date always give the same bytes.

    inspect, if given, sees the laid-out document before it is written and may raise. A tagged
    PDF is PDF/UA-1: its structure (headings, lists, tables, links, figures with their alt text)
    follows the HTML's, for screen readers and reading views.
    """
    instances.install()
    fontarrays.install()
    with _captured_warnings() as warnings, _source_date(dated), _failures_named(name), _fonts_folder():
        document = _lay_out(html, resources)
        remove_unsafe_links(document, name)
        drop_covered_links(document)
        if inspect is not None:
            inspect(document)
        data = document.write_pdf(pdf_identifier=name.encode(), attachments=[],
                                  pdf_variant="pdf/ua-1" if tagged else None)
    return RenderedPdf(tagging.repaired(data, tagging.formulas_in(html)) if tagged else data,
                       len(document.pages), tuple(warnings))


def render_part(html: str, elsewhere: tuple[str, ...], resources: Resources, name: str,
                dated: date | None, tagged: bool, owner_prefix: str) -> PartPdf:
    """One part of an edition (parts.py): its PDF, and what joining it to the others needs to know
    of its pages; images set smaller than their own size are counted by the owner_prefix anchor
    around them.

    WeasyPrint drops a link to an anchor it does not find, and a part links to others (the
    contents to every question, a question to the next): the anchors elsewhere names are put
    on the part's first page, so their links are written, and the join takes each anchor from
    its own part.
    """
    facts: dict[str, object] = {}

    def inspect(document: Document) -> None:
        facts["pages"] = tuple(_page_name(page) for page in document.pages)
        anchors = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                anchors.setdefault(anchor, index)
        facts["anchors"] = anchors
        facts["scaled"] = dict(scaled_figures(document, owner_prefix))
        if document.pages:
            document.pages[0].anchors.update({anchor: (0, 0, 0, 0) for anchor in elsewhere
                                              if anchor not in anchors})

    pdf = render_pdf(html, resources, name, dated, inspect, tagged)
    return PartPdf(pdf.data, facts["pages"], facts["anchors"], pdf.warnings, facts["scaled"])


def measure_part(html: str, resources: Resources, name: str) -> tuple[str, ...]:
    """The names of the pages a part lays out on, as render_part gives them, for less: nothing
    is written. Its warnings are left to the render of the same text that follows."""
    return tuple(_page_name(page) for page in lay_out(html, resources, name).pages)


def _page_name(page) -> str:
    """The page's name as a folio sheet gives it: blank, or its named page (layout tree; no public API)."""
    page_type = page._page_box.page_type
    return BLANK_PAGE if page_type.blank else page_type.name


@cache
def warm_up(language: str) -> None:
    """Load WeasyPrint, the fonts and the hyphenation patterns of the language now, once per
    process, so that the workers forked later start warm: a worker that loads them itself
    spends a third of a part's render on it (the patterns alone 0.1 s)."""
    import pyphen  # WeasyPrint's hyphenator, which keeps the patterns it has read for the process

    from ..html import fonts

    if pyphen.language_fallback(language):
        pyphen.Pyphen(lang=language)

    html = (f"<style>{fonts.face_css()}</style><p style='font-family: \"Source Serif 4\"'>Warm "
            "<b>up</b> <i>now</i></p><p style='font-family: \"Source Sans 3\"'>"
            "<code style='font-family: \"Source Code Pro\"'>up</code></p>")
    render_pdf(html, Resources(Path.cwd(), fonts.font_dirs()), "warm-up.pdf")


def lay_out(html: str, resources: Resources, name: str) -> Document:
    """The laid-out document, for measuring boxes; nothing is written."""
    with _captured_warnings(), _failures_named(name), _fonts_folder():
        return _lay_out(html, resources)


def box_heights(document: Document, id_prefix: str) -> dict[str, float]:
    """Border-box heights in mm of the elements whose id starts with id_prefix, over all pages."""
    heights: dict[str, float] = {}
    for page in document.pages:
        seen = set()  # the first box of an element on a page is its own; later ones are anonymous
        for box in page._page_box.descendants(placeholders=True):  # layout tree; no public API
            element_id = box.element.get("id", "") if box.element is not None else ""
            if element_id.startswith(id_prefix) and element_id not in seen:
                seen.add(element_id)
                heights[element_id] = heights.get(element_id, 0.0) + box.border_height() * _MM_PER_PX
    return heights


def box_extents(document: Document, id_prefix: str) -> dict[str, tuple[float, float]]:
    """Top and bottom in mm, counted down from the top of the first page, of the elements
    whose id starts with id_prefix; an element over several lines spans all of them."""
    extents: dict[str, tuple[float, float]] = {}
    offset = 0.0
    for page in document.pages:
        for box in page._page_box.descendants(placeholders=True):  # layout tree; no public API
            element_id = box.element.get("id", "") if box.element is not None else ""
            if element_id.startswith(id_prefix):
                top = offset + box.position_y * _MM_PER_PX
                bottom = top + box.margin_height() * _MM_PER_PX
                old_top, old_bottom = extents.get(element_id, (top, bottom))
                extents[element_id] = (min(top, old_top), max(bottom, old_bottom))
        offset += page.height * _MM_PER_PX
    return extents


def scaled_figures(document: Document, id_prefix: str) -> Counter[str]:
    """How many images and formulas the layout set narrower than their own size (to fit the
    column or the card), by the id of the element around them that starts with id_prefix."""
    from weasyprint.formatting_structure.boxes import ReplacedBox

    scaled: Counter[str] = Counter()
    for page in document.pages:
        stack = [(page._page_box, "")]  # layout tree; no public API
        while stack:
            box, owner = stack.pop()
            element_id = box.element.get("id", "") if box.element is not None else ""
            owner = element_id if element_id.startswith(id_prefix) else owner
            if isinstance(box, ReplacedBox) and owner and box.width < _own_width(box) - _SCALED_PX:
                scaled[owner] += 1
            stack.extend((child, owner) for child in getattr(box, "children", ()))
    return scaled


def _own_width(box) -> float:
    """The width an image or formula asks for: the width it was given, or its own."""
    width = box.style["width"]
    if width != "auto":
        return width.value if width.unit == "px" else 0.0
    intrinsic = box.replacement.get_intrinsic_size(box.style["image_resolution"], box.style["font_size"])[0]
    return intrinsic or 0.0


_SCALED_PX = 0.5
_MM_PER_PX = 25.4 / 96


def _lay_out(html: str, resources: Resources) -> Document:
    import weasyprint  # imported here: the import alone takes most of a second

    from ..guard.fetcher import SafeFetcher

    base_url = resources.base_dir.resolve().as_uri() + "/"
    # Presentational hints honour the width and height an author gave an image in HTML.
    return weasyprint.HTML(string=html, base_url=base_url,
                           url_fetcher=SafeFetcher(resources.allowed_dirs)).render(presentational_hints=True)


@contextmanager
def _fonts_folder():
    """A temporary folder for the render, removed when it ends. WeasyPrint copies a document's
    fonts into a folder of its own there (tens of MB), which it removes only when the document's
    font configuration is collected: a forked worker would leave it, or collect for it."""
    folder = tempfile.mkdtemp(prefix="render-")
    previous, tempfile.tempdir = tempfile.tempdir, folder
    try:
        yield
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _failures_named(name: str):
    """Whatever goes wrong inside WeasyPrint becomes a BuildError that names the output."""
    from weasyprint.urls import FatalURLFetchingError

    try:
        yield
    except (BuildError, MemoryError):
        raise
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise BuildError(f"rendering {name} failed: {type(error).__name__}: {error}") from error
        raise BuildError(f"rendering {name} failed: no space is left on the disk of "
                         f"{error.filename or tempfile.gettempdir()}, where WeasyPrint keeps the fonts "
                         "of each render (the temporary folder, $TMPDIR): free some space, or set TMPDIR "
                         "to a folder on a larger disk") from error
    except (Exception, FatalURLFetchingError) as error:
        raise BuildError(f"rendering {name} failed: {type(error).__name__}: {error}") from error


@contextmanager
def _source_date(dated: date | None):
    """Pins the timestamp fontTools writes into the fonts it instantiates for the PDF."""
    epoch = 0 if dated is None else int(datetime.combine(dated, time(), UTC).timestamp())
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def subsetting_in_python() -> bool:
    """Whether WeasyPrint lacks HarfBuzz's subset library (4.1 or newer), and so subsets the fonts
    it embeds with fontTools: slower, and a warning for every font of every render."""
    from weasyprint.pdf import fonts

    return fonts.harfbuzz_subset is None or not fonts.harfbuzz.hb_version_atleast(4, 1, 0)


# The start of that warning, which the build folds into one line of its own (subsetting_in_python).
_SUBSETTING_IN_PYTHON = "Using fontTools instead of HarfBuzz-Subset"


@contextmanager
def _captured_warnings():
    """Collects what WeasyPrint and the link check log as warnings, which would otherwise be printed."""
    records: list[str] = []
    handler = _ListHandler(records)
    loggers = [logging.getLogger(name) for name in ("weasyprint", "studyguide")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


class _ListHandler(logging.Handler):
    def __init__(self, records: list[str]):
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_SUBSETTING_IN_PYTHON):
            self.records.append(message)
