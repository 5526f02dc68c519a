"""tablet.pdf, the reading edition, and what it shares with quiz.pdf: page shape, type, links, theme."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from statistics import median

import pytest
from pypdf import PdfReader

from studyguide.cli.main import main

from ..conftest import CONTENT, built_texts, question_start, write_guide
from ..pdfinfo import (
    body_text_size,
    colours,
    inner_texts,
    link_destinations,
    luminance,
    named_links,
    outline,
    page_image,
    page_links,
    reads,
    text_lines,
    uris,
)

MM = 72 / 25.4
EDITIONS = ("tablet", "quiz")
URL = "https://arxiv.org/abs/2203.15556"
SMALL_GUIDE = f"""\
title: Small
sections:
  - title: Only part
    cards:
      - question: Where was Chinchilla published?
        answer: |
          In [the Chinchilla paper]({URL}).

          ```python
          tokens = 20 * parameters  # compute-optimal
          ```
      - question: What comes next?
        answer: Nothing.
"""


def first_part_page(path: Path) -> int:
    return outline(path)[0].page


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize(("build", "ratio"), [("tablet_pdfs", (3, 4)), ("variant_pdfs", (10, 16))])
def test_pages_are_shaped_like_the_tablet_screen(request, build, ratio, edition):
    pages = PdfReader(request.getfixturevalue(build)[edition]).pages
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width == pytest.approx(150 * MM, abs=0.1)
        assert width / height == pytest.approx(ratio[0] / ratio[1], abs=0.001)


def test_body_text_is_at_least_1_4_times_the_guides_relative_to_page_width(tablet_pdfs, guide_pdfs):
    def relative_size(path: Path) -> float:
        return body_text_size(path) / float(PdfReader(path).pages[0].mediabox.width)

    guide = relative_size(guide_pdfs["a4"])
    for edition in EDITIONS:
        assert relative_size(tablet_pdfs[edition]) >= 1.4 * guide, edition


def test_the_measure_stays_comfortable(tablet_pdfs, default_guide):
    pdf = tablet_pdfs["tablet"]
    size = body_text_size(pdf)
    lines = text_lines(pdf, first_part_page(pdf), size)
    assert len(lines) >= 5
    assert 50 <= median(len(line) for line in lines) <= 75


@pytest.mark.parametrize("build", ["tablet_pdfs", "variant_pdfs"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_has_text_besides_its_header_and_footer(request, build, edition):
    texts = inner_texts(request.getfixturevalue(build)[edition], top=16 * MM, bottom=13 * MM)
    assert [i for i, text in enumerate(texts, 1) if len(text) < 20] == []


@pytest.mark.parametrize("build", ["tablet_pdfs", "variant_pdfs"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_internal_link_lands_on_a_page_of_the_document(request, build, edition):
    pdf = request.getfixturevalue(build)[edition]
    pages = len(PdfReader(pdf).pages)
    links = link_destinations(pdf)
    assert len(links) > pages
    for page, name, target in links:
        assert target is not None and 1 <= target <= pages, f"page {page}: link to {name} leads nowhere"


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_page_after_the_contents_has_a_header_linking_to_the_contents(tablet_pdfs, edition):
    pdf = tablet_pdfs[edition]
    pages = range(first_part_page(pdf), len(PdfReader(pdf).pages) + 1)
    heads = {link.page: link for link in page_links(pdf, pages)
             if link.name == "contents" and link.box[3] <= 16.5 * MM}  # the header band, 16 mm
    assert sorted(heads) == list(pages)
    for head in heads.values():
        assert head.target == 1
        assert "CONTENTS" in head.text.upper()


def test_outline_nests_questions_under_sections(tablet_pdfs, default_guide):
    pdf = tablet_pdfs["tablet"]
    marks = outline(pdf)
    assert [m.title for m in marks] == [section.title for section in default_guide.sections]
    for mark, section in zip(marks, default_guide.sections, strict=True):
        assert [c.title for c in mark.children] == [f"{card.number}. {card.label}" for card in section.cards]
        assert mark.page == mark.children[0].page
    texts = built_texts(pdf)
    for mark, card in zip([c for m in marks for c in m.children], default_guide.cards, strict=True):
        assert reads(texts[mark.page - 1], question_start(card))


def test_contents_links_every_section_and_question_to_its_page(tablet_pdfs, default_guide):
    pdf = tablet_pdfs["tablet"]
    texts = built_texts(pdf)
    links = [link for page in range(1, first_part_page(pdf)) for link in named_links(pdf, page)]
    expected = [name for section in default_guide.sections
                for name in (section.anchor, *(card.anchor for card in section.cards))]
    assert [link.name for link in links] == expected
    targets = {link.name: link.target for link in links}
    for card in default_guide.cards:
        assert reads(texts[targets[card.anchor] - 1], question_start(card))


def test_each_answer_ends_with_a_link_to_the_next_question(tablet_pdfs, default_guide):
    pdf = tablet_pdfs["tablet"]
    texts = built_texts(pdf)
    nexts = [link for link in page_links(pdf, range(first_part_page(pdf), len(texts) + 1))
             if link.text.startswith(("Next question", "Back to contents"))]
    cards = default_guide.cards
    assert [link.name for link in nexts] == [card.anchor for card in cards[1:]] + ["contents"]
    for link, card in zip(nexts, cards[1:], strict=False):
        assert reads(texts[link.target - 1], question_start(card))


@pytest.mark.parametrize(("build", "dark"), [("tablet_pdfs", False), ("variant_pdfs", True)])
@pytest.mark.parametrize("edition", EDITIONS)
def test_theme_colours_the_whole_page_text_and_formulas(request, build, dark, edition, default_guide):
    pdf = request.getfixturevalue(build)[edition]
    math_card = default_guide.cards[1]  # Why do we divide by √dk …
    page = next(i for i, text in enumerate(built_texts(pdf), 1)
                if reads(text, question_start(math_card)) and "As the dimension" in text)
    image = page_image(pdf, page)
    width, height = image.size
    corners_and_middle = [image.getpixel(xy) for xy in
                          ((1, 1), (width - 2, 1), (1, height - 2), (width - 2, height - 2), (width // 2, 3))]
    for pixel in corners_and_middle:
        assert (luminance(tuple(v / 255 for v in pixel)) < 0.15) == dark
    text, formulas = colours(pdf, page)
    assert text and formulas
    if dark:
        assert formulas == text  # themes.py inks formulas like theme-dark.css inks text
    for colour in text | formulas:
        assert (luminance(colour) > 0.75) == dark, colour
        assert (luminance(colour) < 0.15) == (not dark), colour


@pytest.mark.parametrize("edition", EDITIONS)
def test_metadata_and_language_come_from_the_content(tablet_pdfs, edition):
    reader = PdfReader(tablet_pdfs[edition])
    assert reader.metadata.title == "LLM Interview Prep"
    assert reader.metadata["/CreationDate"].startswith("D:20261128")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def build_small(root: Path) -> tuple[int, Path, str, str]:
    """The command line building only the tablet editions of a small guide: code, folder, output."""
    content = write_guide(root / "content", SMALL_GUIDE)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["--content", str(content), "--out", str(root / "out"), "--only", "tablet,quiz"])
    return code, root / "out", out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, str, str]:
    return build_small(tmp_path_factory.mktemp("small"))


def test_only_tablet_and_quiz_builds_just_those(small_build):
    code, out, printed, errors = small_build
    assert (code, errors) == (0, "")
    assert sorted(path.name for path in out.iterdir() if path.name != ".cache") == ["quiz.pdf", "tablet.pdf"]
    lines = printed.splitlines()
    assert [line.split()[0] for line in lines] == [str(out / "tablet.pdf"), str(out / "quiz.pdf")]


@pytest.mark.parametrize("edition", EDITIONS)
def test_external_links_in_answers_stay_clickable(small_build, edition):
    _, out, _, _ = small_build
    assert uris(out / f"{edition}.pdf") == [URL]


def test_rebuilding_gives_byte_identical_pdfs(small_build, tmp_path):
    _, out, _, _ = small_build
    _, again, _, _ = build_small(tmp_path)
    for edition in EDITIONS:
        assert (again / f"{edition}.pdf").read_bytes() == (out / f"{edition}.pdf").read_bytes()


@pytest.mark.parametrize(("ratio", "message"), [
    ("10x16", "--tablet-ratio takes WIDTH:HEIGHT in whole numbers, like 3:4 or 10:16; got '10x16'"),
    ("0:4", "--tablet-ratio 0:4 is not a screen in portrait"),
    ("4:3", "--tablet-ratio 4:3 is not a screen in portrait"),
])
def test_a_bad_tablet_ratio_is_a_usage_error(ratio, message, capsys):
    assert main(["--content", str(CONTENT), "--only", "tablet", "--tablet-ratio", ratio]) == 2
    assert message in capsys.readouterr().err
