"""Content as people paste it from public question sets builds every output, and nothing
runs past the text column or off a card: checked from the PDFs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.markup.convert import MarkdownConverter

from .conftest import FIXTURES
from .flashcards.test_cards import card_edges
from .pdfinfo import MM_PER_PT, Box, accessibility_failures, page_drawn, page_size_mm, page_texts

WILD = FIXTURES / "wild"
TOLERANCE_MM = 0.5  # WeasyPrint lets the hyphen of a justified line overhang by up to about 0.4 mm
# The text block of each edition, from guide.css and tablet.css: (left, right) margins in mm of
# odd and even pages. The guide's question numbers hang this far into the inner margin.
GUIDE_MARGINS = {1: (24, 42), 0: (42, 24)}
TABLET_MARGINS = {1: (11, 11), 0: (11, 11)}
HANGING_NUMBER_MM = 10


@pytest.fixture(scope="module")
def wild(tmp_path_factory) -> tuple[Path, object]:
    """The wild content with its large images, built into every output."""
    root = tmp_path_factory.mktemp("wild")
    content = root / "content"
    shutil.copytree(WILD, content)
    (content / "figures").mkdir()
    heatmap = Image.new("RGB", (4000, 3000), (30, 30, 60))
    stripes = ImageDraw.Draw(heatmap)
    for x in range(0, 4000, 250):
        stripes.rectangle([x, 0, x + 120, 3000], fill=(200, 120, 40))
    heatmap.save(content / "figures" / "heatmap.png", optimize=True)
    Image.new("RGB", (300, 100), (40, 90, 160)).save(content / "figures" / "logo.png")
    report = build(BuildOptions(content_dir=content, out_dir=root / "out"))
    return root / "out", report


def test_every_output_is_written_and_only_the_expected_warnings_are_given(wild):
    out, report = wild
    assert not report.failed
    assert sorted(path.name for path in out.iterdir() if path.is_file()) == [
        "flashcards.apkg", "flashcards.csv", "flashcards.pdf", "flashcards.tsv", "guide.pdf", "quiz.pdf",
        "tablet.pdf"]
    assert [(p.position.line, p.position.column, p.message.split(": ")[1][:28]) for p in report.warnings] == [
        (123, 54, "the image 'https://example.c")]  # emoji print, formula images are formulas
    assert not report.render_warnings
    notes = {output.path.name: output.notes for output in report.outputs}
    assert "card 01 continues on 6 cards" in notes["flashcards.pdf"]  # the 60-line listing, cut between lines
    assert any(re.fullmatch(r"card 02 continues on \d cards", note) for note in notes["flashcards.pdf"])
    for pdf in ("guide.pdf", "tablet.pdf", "quiz.pdf", "flashcards.pdf"):  # the 4,000 x 3,000 heat map
        assert "card 04: an image or formula scaled down to fit" in notes[pdf]


def answer_words() -> dict[int, list[str]]:
    """Each card's answer as the words a reader sees, formulas (drawn, not text) left out."""
    guide = load_guide(WILD, Collector())
    converter = MarkdownConverter()
    words = {}
    for card in guide.cards:
        html = converter.convert(card.answer.value).fill(lambda formula: " ")
        text = re.sub(r"<[^>]+>", " ", html).replace("&gt;", ">").replace("&lt;", "<").replace("&quot;", '"')
        words[card.number] = [_letters(word) for word in text.split() if _letters(word)]
    return words



def _letters(text: str) -> str:
    return re.sub(r"\W", "", text).replace("_", "")


@pytest.mark.parametrize(("output", "head_mm", "foot_mm"), [("guide.pdf", 22, 24), ("tablet.pdf", 16, 13)])
def test_every_answer_word_is_printed_on_the_pages(wild, output, head_mm, foot_mm):
    """Read without running heads and page numbers, so that a word cut over two pages reads whole."""
    out, _ = wild
    printed = _letters("".join(body_texts(out / output, head_mm, foot_mm)))
    missing = {number: [w for w in words if w not in printed] for number, words in answer_words().items()}
    assert not any(missing.values()), missing


def test_every_answer_word_is_printed_on_the_cards(wild):
    backs = card_backs(wild[0] / "flashcards.pdf")
    missing = {number: [w for w in words if w not in _letters(backs[number])]
               for number, words in answer_words().items()}
    assert not any(missing.values()), missing


def body_texts(pdf: Path, head_mm: float, foot_mm: float) -> list[str]:
    with pdfplumber.open(pdf) as document:
        return [page.crop((0, head_mm / MM_PER_PT, page.width, page.height - foot_mm / MM_PER_PT))
                .extract_text() or "" for page in document.pages]


def card_backs(pdf: Path) -> dict[int, str]:
    """Each card's answer as its backs print it, its parts in order; every back is read on its
    own, since cards side by side share their lines."""
    width, height = page_size_mm(pdf)
    parts: dict[tuple[int, int], str] = {}
    drawn = page_drawn(pdf)
    with pdfplumber.open(pdf) as document:
        for front in range(0, len(document.pages), 2):
            page = document.pages[front + 1]
            for card in card_boxes(drawn[front], width, height)[1]:
                text = page.crop([edge / MM_PER_PT for edge in (card.x0, card.top, card.x1, card.bottom)]
                                 ).extract_text() or ""
                header, _, body = text.partition("\n")  # the section, and the label 07 or 07 (2/3)
                label = re.search(r"(\d+)(?: \((\d+)/\d+\))?$", header)
                if label:
                    parts[(int(label.group(1)), int(label.group(2) or 1))] = body
    backs: dict[int, str] = {}
    for (number, _), body in sorted(parts.items()):
        backs[number] = backs.get(number, "") + body
    return backs


def card_boxes(front: list[tuple[str, Box]], width: float, height: float) -> tuple[list[Box], list[Box]]:
    """The cards of a front page (what page_drawn found on it) and of the back behind it, from
    the front's crop marks."""
    xs, ys = card_edges([box for kind, box in front if kind == "rects"], width, height)
    cards = [Box(x0, top, x1, bottom) for x0, x1 in zip(xs[::2], xs[1::2], strict=True)
             for top, bottom in zip(ys[::2], ys[1::2], strict=True)]
    return cards, [Box(width - card.x1, card.top, width - card.x0, card.bottom) for card in cards]


def inside(box: Box, area: Box) -> bool:
    return (area.x0 - TOLERANCE_MM <= box.x0 and box.x1 <= area.x1 + TOLERANCE_MM
            and area.top - TOLERANCE_MM <= box.top and box.bottom <= area.bottom + TOLERANCE_MM)


@pytest.mark.parametrize(("output", "margins"), [
    ("guide.pdf", GUIDE_MARGINS), ("tablet.pdf", TABLET_MARGINS), ("quiz.pdf", TABLET_MARGINS)])
def test_nothing_runs_past_the_text_column(wild, output, margins):
    out, _ = wild
    width, height = page_size_mm(out / output)
    page = Box(0, 0, width, height)
    strays = []
    for number, drawn in enumerate(page_drawn(out / output), 1):
        if output == "guide.pdf" and number == 1:
            continue  # the cover has a layout of its own
        left, right = margins[number % 2]
        column = Box(left - HANGING_NUMBER_MM * (output == "guide.pdf"), 0, width - right, height)
        strays += [(number, kind, box) for kind, box in drawn
                   if not inside(box, column) and not (kind == "rects" and _same(box, page))]
    assert not strays


def test_nothing_runs_off_its_card(wild):
    out, _ = wild
    pdf = out / "flashcards.pdf"
    width, height = page_size_mm(pdf)
    pages = page_drawn(pdf)
    strays = []
    for front in range(0, len(pages), 2):
        cards, backs = card_boxes(pages[front], width, height)
        for page, rects in ((front, cards), (front + 1, backs)):
            strays += [(page + 1, kind, box) for kind, box in pages[page]
                       if not any(inside(box, card) for card in rects) and not _crop_mark(kind, box)]
    assert not strays


def _same(box: Box, other: Box) -> bool:
    return all(abs(a - b) < TOLERANCE_MM for a, b in zip(
        (box.x0, box.top, box.x1, box.bottom), (other.x0, other.top, other.x1, other.bottom), strict=True))


def _crop_mark(kind: str, box: Box) -> bool:
    return kind == "rects" and min(box.x1 - box.x0, box.bottom - box.top) < 0.5


def test_formula_images_print_as_formulas_not_images_or_addresses(wild):
    out, _ = wild
    for output in ("guide.pdf", "tablet.pdf", "flashcards.pdf"):
        text = " ".join(page_texts(out / output))
        assert not re.search(r"codecogs|googleapis|githubusercontent|render/math", text)
    guide = out / "guide.pdf"
    texts = page_texts(guide)
    [page] = [n for n, text in enumerate(texts) if "L2 regularization adds" in text]
    with pdfplumber.open(guide) as document:
        words = document.pages[page].extract_words()
        top = next(w["top"] for w in words if w["text"] == "L2")
        below = document.pages[page].crop((0, top, document.pages[page].width, document.pages[page].height))
        assert len(below.curves) > 20  # λ, Σ, ∇ and the rest, drawn as outlines
        assert not below.images  # the heat map of the question before stands above


@pytest.mark.parametrize("name", ["guide.pdf", "tablet.pdf", "quiz.pdf", "flashcards.pdf"])
def test_every_tagged_pdf_passes_the_accessibility_checker(wild, name):
    out, _ = wild
    assert accessibility_failures(out / name) == []
