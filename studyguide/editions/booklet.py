"""booklet.pdf: the guide set on half sheets, imposed two pages to a side for saddle stitching.

Printed double-sided, flipping on the short edge, each signature's sheets stack, fold in the
middle and read in page order. A long guide is cut into signatures of at most SIGNATURE_SHEETS
sheets, each folded on its own and then laid one after another, as bookbinders gather them.
"""

from __future__ import annotations

import io
import math

from ..html.papers import PAPERS, Paper

SIGNATURE_SHEETS = 10  # 40 pages: about what folds flat and a long-arm stapler closes
PT_PER_MM = 72 / 25.4
# The paper each booklet's pages are set on, by the sheet it is printed on.
HALF_SHEETS = {"a4": "a5", "a5": "a5", "letter": "half-letter", "half-letter": "half-letter"}
SHEETS = {"a5": "a4", "half-letter": "letter"}

Side = tuple[int | None, int | None]  # the pages (1-based, None for a blank) left and right of the fold


def page_paper(paper: str) -> Paper:
    """The paper a booklet printed on sheets of paper is set on: half of it."""
    return PAPERS[HALF_SHEETS[paper]]


def sheet_paper(paper: str) -> Paper:
    return PAPERS[SHEETS[HALF_SHEETS[paper]]]


def signatures(pages: int) -> list[int]:
    """How many pages each signature holds: multiples of four, as even as they can be."""
    padded = max(4, math.ceil(pages / 4) * 4)
    count = math.ceil(padded / (4 * SIGNATURE_SHEETS))
    size = math.ceil(padded / count / 4) * 4
    return [size] * (count - 1) + [padded - size * (count - 1)]


def sides(pages: int) -> list[Side]:
    """The sides of every sheet in printing order, front then back, signature after signature."""
    result: list[Side] = []
    first = 1
    for size in signatures(pages):
        last = first + size - 1
        for sheet in range(size // 4):
            front = (last - 2 * sheet, first + 2 * sheet)
            back = (first + 2 * sheet + 1, last - 2 * sheet - 1)
            result += [front, back]
        first = last + 1
    return [tuple(page if page <= pages else None for page in side) for side in result]


def impose(pdf: bytes, paper: str) -> tuple[bytes, int]:
    """The booklet's sheets from the guide's half-sized pages, and how many sides they are."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(io.BytesIO(pdf))
    sheet = sheet_paper(paper)
    width, height = sheet.height_mm * PT_PER_MM, sheet.width_mm * PT_PER_MM  # landscape
    writer = PdfWriter()
    writer.add_metadata({key: value for key, value in (reader.metadata or {}).items()})
    layout = sides(len(reader.pages))
    for left, right in layout:
        side = writer.add_blank_page(width, height)
        for number, at_fold in ((left, False), (right, True)):
            if number is None:
                continue
            page = reader.pages[number - 1]
            page_width, page_height = float(page.mediabox.width), float(page.mediabox.height)
            x = width / 2 if at_fold else width / 2 - page_width  # inner margins meet at the fold
            side.merge_transformed_page(page, Transformation().translate(x, (height - page_height) / 2))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(layout)
