"""booklet.pdf: A5 (or half-letter) pages of their own, imposed in saddle-stitch order on A4 (or Letter)."""

from __future__ import annotations

import pdfplumber
import pytest

from studyguide.build.options import BuildOptions
from studyguide.editions.booklet import SIGNATURE_SHEETS, sides, signatures

from ..conftest import CONTENT, build_clean
from ..pdfinfo import normalize, page_texts

PT_PER_MM = 72 / 25.4


def test_a_ten_page_guide_folds_from_three_sheets_in_page_order():
    assert sides(10) == [(None, 1), (2, None), (10, 3), (4, 9), (8, 5), (6, 7)]  # 11 and 12 are blank


def test_long_guides_become_signatures_of_even_size_each_in_its_own_order():
    assert signatures(4 * SIGNATURE_SHEETS) == [40]
    assert signatures(41) == [24, 20]
    layout = sides(44)
    assert layout[0] == (24, 1) and layout[11] == (12, 13)  # the first signature closes on itself
    assert layout[12] == (44, 25) and layout[-1] == (34, 35)
    assert sorted(page for side in layout for page in side) == list(range(1, 45))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("booklet")
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=out, only=("guide", "booklet"), paper="a5"))
    return out


def test_the_guide_on_a5_is_a5_with_its_own_type(built):
    with pdfplumber.open(built / "guide.pdf") as pdf:
        page = pdf.pages[4]
        assert (page.width, page.height) == pytest.approx((148 * PT_PER_MM, 210 * PT_PER_MM), abs=0.1)
        sizes = {round(char["size"], 1) for char in page.chars}
    assert 9.5 in sizes and 10.5 not in sizes  # set for the page, not an A4 page shrunk


def test_each_side_holds_the_a5_pages_its_place_calls_for(built):
    a5 = page_texts(built / "guide.pdf")
    with pdfplumber.open(built / "booklet.pdf") as pdf:
        assert len(pdf.pages) == len(sides(len(a5)))
        for sheet_side, (left, right) in zip(pdf.pages, sides(len(a5)), strict=True):
            assert (sheet_side.width, sheet_side.height) == pytest.approx((297 * PT_PER_MM, 210 * PT_PER_MM),
                                                                           abs=0.1)
            middle = sheet_side.width / 2
            halves = [normalize(sheet_side.crop(box).extract_text() or "")
                      for box in ((0, 0, middle, sheet_side.height), (middle, 0, sheet_side.width,
                                                                      sheet_side.height))]
            assert halves == [a5[left - 1] if left else "", a5[right - 1] if right else ""]


def test_a_letter_booklet_is_half_letter_pages_on_letter_sheets(tmp_path):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path, only=("booklet",), paper="letter"))
    with pdfplumber.open(tmp_path / "booklet.pdf") as pdf:
        assert (pdf.pages[0].width, pdf.pages[0].height) == pytest.approx((792, 612), abs=0.1)
