"""Tagged PDFs: a structure tree that screen readers and reading views can follow."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from studyguide.build.options import BuildOptions
from studyguide.markup.speech import spoken

from ..conftest import CONTENT, build_clean, write_guide


def structure(path: Path) -> list[tuple[int, str, str | None]]:
    """The structure elements of a tagged PDF in reading order: (depth, type, alt text)."""
    root = PdfReader(path).trailer["/Root"]
    found = []

    def walk(node, depth: int) -> None:
        node = node.get_object()
        if isinstance(node, ArrayObject):
            for kid in node:
                walk(kid, depth)
        elif isinstance(node, DictionaryObject) and "/S" in node:
            found.append((depth, str(node["/S"])[1:], str(node["/Alt"]) if "/Alt" in node else None))
            if "/K" in node:
                walk(node["/K"], depth + 1)

    walk(root["/StructTreeRoot"]["/K"], 0)
    return found


@pytest.fixture(scope="module")
def pdfs(guide_pdfs, tablet_pdfs) -> dict[str, Path]:
    return {"guide": guide_pdfs["a4"], **tablet_pdfs}


@pytest.mark.parametrize("name", ["guide", "tablet", "quiz"])
def test_pdfs_are_tagged_with_language_and_title(pdfs, name):
    root = PdfReader(pdfs[name]).trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]


@pytest.mark.parametrize("name", ["guide", "tablet"])
def test_headings_go_title_part_question_without_skipping_a_level(pdfs, name, default_guide):
    levels = [int(kind[1]) for _, kind, _ in structure(pdfs[name]) if re.fullmatch(r"H[1-6]", kind)]
    guide = default_guide
    assert levels[0] == 1
    assert levels.count(2) == len(guide.sections) + 1  # the contents, then each part
    assert levels.count(3) == len(guide.cards)
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:], strict=False))


@pytest.mark.parametrize("name", ["guide", "tablet", "quiz"])
def test_every_figure_has_alt_text_and_formulas_are_read_aloud(pdfs, name, default_guide):
    figures = [alt for _, kind, alt in structure(pdfs[name]) if kind == "Figure"]
    assert figures and all(alt and alt.strip() for alt in figures)
    sources = {source for card in default_guide.cards
               for source in re.findall(r"\$([^$]+)\$", card.question.value + card.answer.value)}
    assert {spoken(source, default_guide.language) for source in sources} <= set(figures)


def test_tables_have_header_cells_and_lists_their_items(tmp_path):
    content = write_guide(tmp_path / "content",
                          "title: T\nsections:\n  - title: S\n    cards:\n      - question: Q?\n"
                          "        answer: |\n          | Model | Size |\n          |---|---|\n"
                          "          | A | 1 |\n\n          - one\n          - two\n")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide",)))
    kinds = [kind for _, kind, _ in structure(tmp_path / "out" / "guide.pdf")]
    assert kinds.count("TH") == 2 and kinds.count("TD") == 2
    assert kinds.count("LI") == 2 + 2  # the contents' part and question, and the answer's two items


def test_untagged_pdfs_carry_no_structure(tmp_path):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path, only=("guide", "cards"), tagged=False))
    for name in ("guide.pdf", "flashcards.pdf"):
        assert "/StructTreeRoot" not in PdfReader(tmp_path / name).trailer["/Root"]


def test_card_sheets_are_tagged_question_by_question_then_answer_by_answer(tmp_path):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path, only=("cards",)))
    reader = PdfReader(tmp_path / "flashcards.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    fronts, backs = (page.extract_text() for page in reader.pages)
    numbers = [int(n) for n in re.findall(r"^0?(\d)$", backs, re.M)]
    assert numbers == sorted(numbers)
    assert [int(n) for n in re.findall(r"^0?(\d)$", fronts, re.M)] == numbers
