"""Anki packages written by Anki itself, imported, built, and exported back into Anki."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.cli.main import main
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.editions.names import OUTPUT_NAMES
from studyguide.importers import import_source

from ..ankidecks import write_deck
from ..apkginfo import read_apkg
from ..conftest import PNG, build_clean
from ..pdfinfo import page_texts

FORMATS = {"legacy apkg": dict(legacy=True), "current apkg": dict(legacy=False),
           "current colpkg": dict(legacy=False, colpkg=True)}


@pytest.fixture(scope="module", params=FORMATS, ids=list(FORMATS))
def imported(request, tmp_path_factory):
    """A deck written by Anki in one format, and the content folder imported from it."""
    folder = tmp_path_factory.mktemp("anki")
    written = write_deck(folder / "anki", **FORMATS[request.param])
    report = import_source(written.package, folder / "content")
    return written, report


def loaded(folder: Path):
    problems = Collector()
    guide = load_guide(folder, problems)
    assert not problems.problems, [p.format() for p in problems.problems]
    return guide


def test_the_packages_collection_and_format_are_read(imported):
    written, report = imported
    assert (report.cards, report.sections, report.images) == (4, 2, 1)
    assert report.warnings == ()


def test_decks_become_sections_in_ankis_order_under_the_decks_title(imported):
    _, report = imported
    guide = loaded(report.folder)
    assert guide.title == "Biology"
    assert [section.title for section in guide.sections] == ["Cells", "Genes › Expression"]


def test_basic_notes_become_question_and_answer_with_math_images_and_tags(imported):
    written, report = imported
    first = loaded(report.folder).cards[0]
    assert first.question.value == "What is the area of a cell of radius $r$?"
    # An image without alt text gets its file name as alt.
    assert first.answer.value.startswith("About $$\\pi r^2$$\n\n![cell diagram](images/cell-diagram-")
    assert first.tags == ("cells", "exam::week1")
    assert first.guid == written.guids["basic"]
    image = report.folder / first.answer.value.split("](")[1].rstrip(")")
    assert image.read_bytes() == PNG


def test_reversed_notes_are_one_card_by_their_first_template(imported):
    written, report = imported
    card = loaded(report.folder).cards[1]
    assert (card.question.value, card.answer.value, card.guid) == (
        "Organelle", "A **part** of a cell", written.guids["reversed"])


def test_cloze_notes_become_cloze_cards(imported):
    written, report = imported
    card = loaded(report.folder).cards[2]
    assert card.question.value == "{{c1::Transcription}} makes {{c2::RNA::a molecule}} from DNA."
    assert card.answer.value == "It happens in the nucleus."
    assert card.guid == written.guids["cloze"]


def test_what_cannot_be_printed_is_reported_with_examples(imported):
    _, report = imported
    assert any(line.startswith("sounds and videos left out (not printable): 1 (e.g. hello.mp3 in note ")
               for line in report.skipped), report.skipped
    assert any(line.startswith("scripts, styles or frames removed from fields: 1") for line in report.skipped)
    assert any(line.startswith("notes of note types that cannot be printed: 1 (e.g. 'Static' (note ")
               for line in report.skipped), report.skipped
    script = loaded(report.folder).cards[3]
    assert script.answer.value == "Yes indeed"


def test_the_imported_guide_builds_every_output_with_no_braces_on_paper(imported, tmp_path):
    _, report = imported
    build_clean(BuildOptions(content_dir=report.folder, out_dir=tmp_path, only=OUTPUT_NAMES))
    for name in ("guide", "tablet", "quiz", "flashcards", "booklet"):
        text = "\n".join(page_texts(tmp_path / f"{name}.pdf"))
        assert "{{" not in text and "Transcription" in text, name
    package = read_apkg(tmp_path / "flashcards.apkg")
    assert package.note_types["Study guide cloze"] == ("Text", "Extra", "Section", "Number")
    assert list(package.media.values()) == [PNG]


def test_exported_back_anki_updates_the_same_notes_and_keeps_their_reviews(tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    written = write_deck(tmp_path / "anki", legacy=False)
    content = tmp_path / "content"
    import_source(written.package, content)
    guide = content / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace("A **part** of a cell", "A part, edited"),
                     encoding="utf-8")
    stat = guide.stat()
    os.utime(guide, (stat.st_atime, stat.st_mtime + 3600))  # newer than the notes in Anki
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("apkg",)))

    collection = Collection(str(written.collection))
    try:
        card = collection.get_card(collection.find_cards('"Front:Organelle"')[0])
        card.start_timer()
        collection.sched.answerCard(card, 3)
        notes = set(collection.find_notes(""))
        request = ImportAnkiPackageRequest(package_path=str(tmp_path / "out" / "flashcards.apkg"),
                                           options=ImportAnkiPackageOptions(merge_notetypes=True))
        log = collection.import_anki_package(request).log
        assert (len(log.new), len(log.updated)) == (0, 4)
        assert set(collection.find_notes("")) == notes
        card = collection.get_card(card.id)
        assert card.reps == 1
        assert card.note()["Answer"] == "<p>A part, edited</p>"
    finally:
        collection.close()


def test_a_folder_that_is_not_empty_is_kept_without_force(tmp_path, capsys):
    written = write_deck(tmp_path / "anki", legacy=True)
    content = tmp_path / "content"
    content.mkdir()
    (content / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["import", str(written.package), "--content", str(content)]) == 2
    assert "is not empty" in capsys.readouterr().err and not (content / "guide.yaml").exists()
    assert main(["import", str(written.package), "--content", str(content), "--force"]) == 0
    out = capsys.readouterr().out
    assert f"{content}: 4 cards, 2 sections, 1 image; check passes" in out
    assert (content / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_our_own_deck_imports_and_exports_back_as_the_same_notes(default_exports, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageRequest

    import_source(default_exports / "flashcards.apkg", tmp_path / "content")
    guide = loaded(tmp_path / "content")
    original = read_apkg(default_exports / "flashcards.apkg")
    assert "Explain the ‘KV Cache’ and why it’s critical for real-time LLM applications." in [
        card.question.value for card in guide.cards]
    assert [section.title for section in guide.sections] == [
        "Architecture & Theory", "Creative & Problem Solving", "Training & Production"]
    build_clean(BuildOptions(content_dir=tmp_path / "content", out_dir=tmp_path / "out", only=("apkg",)))
    again = read_apkg(tmp_path / "out" / "flashcards.apkg")
    # Sections come in Anki's order of decks, by name: the same notes, not in the same order.
    assert sorted(note.guid for note in again.notes) == sorted(note.guid for note in original.notes)
    assert again.note_types == original.note_types

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        for package, kind in ((default_exports / "flashcards.apkg", "new"),
                              (tmp_path / "out" / "flashcards.apkg", "updated")):
            log = collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(package))).log
            assert len(getattr(log, kind)) == 8, kind  # no merging of note types needed: they are ours
        assert collection.note_count() == 8
    finally:
        collection.close()


def test_an_image_that_fails_the_checks_is_left_out_and_reported(tmp_path):
    import zipfile

    content = tmp_path / "source"
    (content / "figures").mkdir(parents=True)
    (content / "figures" / "plot.png").write_bytes(PNG)
    (content / "guide.yaml").write_text(
        "title: Plots\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        answer: 'See ![a plot](figures/plot.png)'\n", encoding="utf-8")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("apkg",)))
    with zipfile.ZipFile(tmp_path / "out" / "flashcards.apkg") as original, \
            zipfile.ZipFile(tmp_path / "broken.apkg", "w") as broken:
        for info in original.infolist():
            broken.writestr(info, b"not a PNG at all" if info.filename == "0" else original.read(info))

    report = import_source(tmp_path / "broken.apkg", tmp_path / "content")
    (line,) = [line for line in report.skipped if line.startswith("images that fail the checks: 1")]
    assert "is not a PNG image that can be read" in line
    assert loaded(report.folder).cards[0].answer.value == "See a plot"
    assert not (report.folder / "images").exists()


def test_fields_the_front_hides_until_the_back_are_answer():
    from studyguide.importers.collection import NoteType
    from studyguide.importers.notetypes import roles

    vocabulary = NoteType("Vocabulary", False, ("Word", "Reading", "Meaning"), ((
        '<div class="word">{{Word}}</div><div style="visibility: hidden">{{Reading}}</div>'
        '<span style="display:none">{{Meaning}}</span>{{type:Meaning}}',
        "{{FrontSide}}<hr id=answer>{{Reading}} {{Meaning}}"),))
    found = roles(vocabulary)
    assert (found.question, found.answer, found.cloze) == ((0,), (1, 2), False)


@pytest.mark.parametrize("field", ["https://example.com/figure.png", "notes.txt"])
def test_a_field_that_reads_like_an_address_imports_as_text_without_a_python_warning(field):
    from studyguide.importers.draft import Skipped
    from studyguide.importers.fields import FieldConverter

    # pytest turns every warning into an error (pyproject.toml): BeautifulSoup's would fail here
    assert FieldConverter(lambda src: None, Skipped()).markdown(field, "note 1") == field
