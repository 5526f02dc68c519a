"""Paper sizes, for every edition: the printed guide's sheets and pages, the card sheets, the tablet screen.

A Paper is a page size in mm with the guide's page set on it (its margins and text size);
PAPERS are the sheets a printer takes, tablet_page the shape of a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class GuidePage:
    """The printed guide's page on one size of paper: its margins in mm (inner at the binding),
    its text size, and the scale of its display type and spacing (cover, contents, part titles)."""

    top: float = 22.0
    bottom: float = 24.0
    inner: float = 24.0
    outer: float = 42.0  # wide: the question numbers hang in it
    text_pt: float = 10.5
    scale: float = 1.0


@dataclass(frozen=True)
class Paper:
    name: str
    width_mm: float
    height_mm: float
    guide: GuidePage = GuidePage()

    @property
    def width(self) -> str:  # as CSS writes it
        return f"{self.width_mm:g}mm"

    @property
    def height(self) -> str:
        return f"{self.height_mm:g}mm"


SMALL_GUIDE_PAGE = GuidePage(top=15.0, bottom=17.0, inner=15.0, outer=24.0, text_pt=9.5, scale=0.7)
A4 = Paper("a4", 210.0, 297.0)  # the default
PAPERS = {paper.name: paper for paper in (
    A4, Paper("letter", 215.9, 279.4),
    Paper("a5", 148.0, 210.0, SMALL_GUIDE_PAGE), Paper("half-letter", 139.7, 215.9, SMALL_GUIDE_PAGE))}

TABLET_WIDTH_MM = 150  # near the width of a 10- to 11-inch tablet screen in portrait


def tablet_page(width: int, height: int) -> Paper:
    """A page shaped like a tablet screen of ratio width:height."""
    return Paper(f"tablet {width}:{height}", TABLET_WIDTH_MM, round(TABLET_WIDTH_MM * height / width, 3))


TABLET_PAPER = "tablet"  # --paper tablet: the worksheet on a screen, to write on with a pen
TABLET_SHEET = GuidePage(top=12.0, bottom=14.0, inner=12.0, outer=12.0, text_pt=10.5, scale=0.85)


def worksheet_page(paper: str, ratio: tuple[int, int]) -> Paper:
    """The worksheet's page for --paper: a sheet of PAPERS, or with tablet a page of the
    screen's shape with narrow margins, its answer space as on paper."""
    if paper == TABLET_PAPER:
        return replace(tablet_page(*ratio), guide=TABLET_SHEET)
    return PAPERS[paper]
