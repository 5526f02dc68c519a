"""Cloze cards: marked in the guide, a card per cloze number in the quiz and the flashcards and in Anki."""

from __future__ import annotations

import re

import pytest

from studyguide.build.options import BuildOptions
from studyguide.editions.names import OUTPUT_NAMES

from ..apkginfo import read_apkg
from ..conftest import build_clean, write_guide
from ..pdfinfo import normalize, outline, page_texts

GUIDE = r"""title: Cells
sections:
  - title: Organelles
    cards:
      - question: The {{c1::mitochondria}} is the {{c2::powerhouse::what kind?}} of the $x^2$ cell.
        answer: It makes ATP.
      - question: What holds the DNA?
        answer: The nucleus.
"""
FRONT_ONE = normalize("The […] is the powerhouse of the")
FRONT_TWO = "The mitochondria is the [what kind?] of the"
WHOLE = "The mitochondria is the powerhouse of the"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cloze")
    content = write_guide(folder / "content", GUIDE)
    build_clean(BuildOptions(content_dir=content, out_dir=folder / "out", only=OUTPUT_NAMES))
    return folder / "out"


def texts(path) -> list[str]:
    return [normalize(page) for page in page_texts(path)]


def test_no_cloze_syntax_reaches_any_pdf(built):
    for name in ("guide", "tablet", "quiz", "flashcards", "booklet"):
        text = "\n".join(texts(built / f"{name}.pdf"))
        assert "{{" not in text and "c1::" not in text and "::" not in text, name


def test_the_guide_shows_the_sentence_whole(built):
    pages = texts(built / "guide.pdf")
    assert any(WHOLE in page and "It makes ATP." in page for page in pages)
    assert not any(normalize("[…]") in page for page in pages)


def test_the_quiz_asks_each_deletion_on_a_page_of_its_own(built):
    pages = texts(built / "quiz.pdf")
    asks = [i for i, page in enumerate(pages) if re.search(r"QUESTION \d", page.upper())]
    assert len(asks) == 3  # two from the cloze card, one from the other
    first, second = pages[asks[0]], pages[asks[1]]
    assert FRONT_ONE in first and "mitochondria" not in first
    assert FRONT_TWO in second and "powerhouse" not in second
    for ask in asks[:2]:
        answer = pages[ask + 1]
        assert WHOLE in answer and "It makes ATP." in answer


def test_the_quizs_bookmarks_do_not_give_the_answers_away(built):
    marks = [mark.title for mark in outline(built / "quiz.pdf")]
    assert marks[:2] == ["1. The […] is the powerhouse of the x² cell.",
                         "1. The mitochondria is the [what kind?] of the x² cell."]


def test_the_flashcards_have_a_card_per_deletion_front_blank_back_whole(built):
    front, back = texts(built / "flashcards.pdf")
    assert FRONT_ONE in front and FRONT_TWO in front and "What holds the DNA?" in front
    assert "01 C1" in front.upper() and "01 C2" in front.upper()
    assert front.count("mitochondria") == 1 and front.count("powerhouse") == 1  # each front hides its own
    assert back.count(WHOLE) == 2 and back.count("It makes ATP.") == 2


def test_anki_gets_one_note_of_the_cloze_type_and_makes_a_card_per_deletion(built, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageRequest

    package = read_apkg(built / "flashcards.apkg")
    cloze_notes = {note.guid: note for note in package.notes if "Text" in note.fields}
    assert len(cloze_notes) == 1
    (note,) = cloze_notes.values()
    assert note.fields["Text"] == (r"The {{c1::mitochondria}} is the {{c2::powerhouse::what kind?}} "
                                   r"of the \(x^2\) cell.")
    assert note.fields["Extra"] == "<p>It makes ATP.</p>"

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(built / "flashcards.apkg")))
        (note_id,) = collection.find_notes('"note:Study guide cloze"')
        assert len(collection.get_note(note_id).cards()) == 2
        assert collection.card_count() == 3
    finally:
        collection.close()
