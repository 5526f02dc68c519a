"""flashcards.apkg, opened as Anki opens it, and imported by Anki itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studyguide.build.pipeline import BuildOptions

from ..apkginfo import read_apkg
from ..conftest import CONTENT, PNG, build_clean, write_guide

DECK = "LLM Interview Prep"
SECTIONS = ["Architecture & Theory", "Training & Production", "Creative & Problem Solving"]


@pytest.fixture(scope="module")
def default(default_exports):
    return read_apkg(default_exports / "flashcards.apkg")


def build_apkg(content: Path, out: Path):
    build_clean(BuildOptions(content_dir=content, out_dir=out, only=("apkg",)))
    return read_apkg(out / "flashcards.apkg")


def touch_later(path: Path, seconds: int = 60) -> None:
    """An edit made later than the last build, whatever the clock's resolution."""
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + seconds))


def test_one_note_per_card_with_its_fields(default):
    assert default.note_types == {"Study guide card": ("Question", "Answer", "Section", "Number")}
    assert [note.fields["Number"] for note in default.notes] == [str(n) for n in range(1, 9)]
    first = default.note(1)
    assert first.fields["Question"] == (
        "Explain the ‘KV Cache’ and why it’s critical for real-time LLM applications.")
    assert first.fields["Answer"].startswith("<p>In autoregressive models, we predict tokens one by one.")
    assert first.fields["Section"] == "Architecture &amp; Theory"
    assert default.note(8).fields["Answer"].startswith("<ol>\n<li><strong>Quantization:</strong>")


def test_a_sub_deck_per_section_under_the_guides_deck(default):
    assert set(default.decks) == {"Default", DECK, *(f"{DECK}::{title}" for title in SECTIONS)}
    sections = (0, 0, 0, 1, 1, 1, 2, 2)
    assert [note.deck for note in default.notes] == [f"{DECK}::{SECTIONS[n]}" for n in sections]


def test_tags_come_from_tags_section_and_difficulty(default):
    assert default.note(1).tags == ("inference", "attention", "section::Architecture_&_Theory",
                                    "difficulty::medium")
    assert default.note(6).tags == ("scaling", "training", "section::Training_&_Production",
                                    "difficulty::easy")


def test_math_stays_latex_between_mathjax_delimiters(default):
    question = default.note(2).fields["Question"]
    assert question == r"Why do we divide by \(\sqrt{d_k}\) in the scaled dot-product attention formula?"
    assert r"the dot product \(QK^T\) increases" in default.note(2).fields["Answer"]
    fields = [field for note in default.notes for field in note.fields.values()]
    assert not any("<svg" in field or "$" in field for field in fields)


def test_displayed_math_uses_the_display_delimiters(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: Math\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        answer: |\n          Since $a<b$:\n\n"
        "          $$\\frac{a}{b} < 1$$\n"))
    answer = build_apkg(content, tmp_path).notes[0].fields["Answer"]
    assert answer.split("\n") == [r"<p>Since \(a&lt;b\):</p>", r"<p>\[\frac{a}{b} &lt; 1\]</p>"]


def test_rebuilding_gives_identical_bytes(default_exports, tmp_path):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path, only=("apkg",)))
    assert (tmp_path / "flashcards.apkg").read_bytes() == (default_exports / "flashcards.apkg").read_bytes()


def test_an_edited_card_keeps_its_guid_and_becomes_newer(content_copy, tmp_path):
    before = build_apkg(content_copy, tmp_path / "before")
    guide = content_copy / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "significantly\n          reducing latency.", "cutting latency."), encoding="utf-8")
    touch_later(guide)
    after = build_apkg(content_copy, tmp_path / "after")

    assert [n.guid for n in after.notes] == [n.guid for n in before.notes]
    assert len({n.guid for n in after.notes}) == 8
    assert after.note(1).fields["Answer"].endswith("cutting latency.</p>")
    assert after.note(1).fields["Answer"] != before.note(1).fields["Answer"]
    # Anki updates a note it has only when the imported one is newer.
    assert after.note(1).modified > before.note(1).modified


def test_guids_derive_from_guide_title_and_card_id(tmp_path):
    def guids(title: str, card_id: str, question: str):
        content = write_guide(tmp_path / f"{title}-{card_id}-{len(question)}", (
            f"title: {title}\nsections:\n  - title: One\n    cards:\n"
            f"      - id: {card_id}\n        question: {question}\n        answer: A.\n"))
        return build_apkg(content, content / "out").notes[0].guid

    same = guids("Guide", "card", "Q?")
    assert guids("Guide", "card", "A rewritten question?") == same
    assert guids("Guide", "other", "Q?") != same
    assert guids("Another guide", "card", "Q?") != same


def test_code_keeps_its_highlighting_in_inline_styles(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: Code\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        answer: |\n          ```python\n          def f(x):\n"
        "              return x  # same\n          ```\n"))
    answer = build_apkg(content, tmp_path).notes[0].fields["Answer"]
    assert '<div class="codehilite" style="background:#0d1117;color:#e6edf3;' in answer
    assert '<span style="color:#FF7B72">def</span>' in answer
    assert '<span style="color:#8B949E;font-style:italic"># same</span>' in answer
    assert "<span class=" not in answer


def test_images_travel_as_media_and_short_answers_replace_answers(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: Media\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        answer: 'Long, with ![a plot](figures/plot.png)'\n"
        "        card: 'Short, with ![a plot](figures/plot.png) and $x < y$'\n"
        "      - question: R?\n        answer: 'Long, with ![unused](figures/unused.png)'\n"
        "        card: Short, no image.\n"))
    (content / "figures").mkdir()
    (content / "figures" / "plot.png").write_bytes(PNG)
    (content / "figures" / "unused.png").write_bytes(PNG + b"\x00")
    package = build_apkg(content, tmp_path)

    assert list(package.media.values()) == [PNG]
    name = next(iter(package.media))
    assert name.startswith("plot-") and name.endswith(".png")
    assert package.note(1).fields["Answer"] == (
        rf'<p>Short, with <img alt="a plot" src="{name}"> and \(x &lt; y\)</p>')
    assert package.note(2).fields["Answer"] == "<p>Short, no image.</p>"


def test_tags_are_made_anki_safe(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: Tags\nsections:\n  - title: Two words\n    cards:\n"
        "      - question: Q?\n        answer: A.\n        tags: ['long  tag', 'say \"hi\"']\n"))
    assert build_apkg(content, tmp_path).notes[0].tags == ("long_tag", "say_hi", "section::Two_words")


def test_anki_imports_the_deck_and_updates_edited_cards_in_place(content_copy, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageRequest

    def imported(package: Path) -> dict[str, int]:
        log = collection.import_anki_package(ImportAnkiPackageRequest(package_path=str(package))).log
        return {kind: len(getattr(log, kind)) for kind in ("new", "updated", "duplicate", "conflicting")}

    build_clean(BuildOptions(content_dir=content_copy, out_dir=tmp_path / "first", only=("apkg",)))
    guide = content_copy / "guide.yaml"
    guide.write_text(guide.read_text(encoding="utf-8").replace(
        "approximately 20 tokens.", "about 20 tokens."), encoding="utf-8")
    touch_later(guide)
    build_clean(BuildOptions(content_dir=content_copy, out_dir=tmp_path / "edited", only=("apkg",)))

    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        assert imported(tmp_path / "first" / "flashcards.apkg") == {
            "new": 8, "updated": 0, "duplicate": 0, "conflicting": 0}
        card = collection.get_card(collection.find_cards('"Number:6"')[0])
        card.start_timer()
        collection.sched.answerCard(card, 3)
        assert imported(tmp_path / "first" / "flashcards.apkg")["duplicate"] == 8
        assert imported(tmp_path / "edited" / "flashcards.apkg")["updated"] == 8

        assert collection.note_count() == 8
        card = collection.get_card(card.id)
        assert card.reps == 1
        assert "about 20 tokens." in card.note()["Answer"]
        assert collection.decks.name(card.did) == f"{DECK}::Training & Production"
    finally:
        collection.close()


def test_check_makes_no_package(monkeypatch, tmp_path):
    from studyguide.build.pipeline import check
    from studyguide.exports import anki

    made = []
    monkeypatch.setattr(anki, "_packed", lambda *args: made.append(args) or b"")
    report = check(BuildOptions(content_dir=CONTENT, out_dir=tmp_path / "out", only=("apkg", "tsv", "csv")))
    assert (report.cards, made) == (8, [])
    assert not (tmp_path / "out").exists()


def test_a_package_that_cannot_be_made_is_a_build_error_with_a_message(monkeypatch, tmp_path, capsys):
    from studyguide.cli.main import main
    from studyguide.exports import anki

    def full(*args):
        raise OSError(28, "No space left on device", "/tmp/sqlite-spill")

    monkeypatch.setattr(anki, "_packed", full)
    out = tmp_path / "out"
    assert main(["build", "--content", str(CONTENT), "--out", str(out), "--only", "apkg,tsv"]) == 1
    err = capsys.readouterr().err
    assert f"error: making flashcards.apkg failed: No space left on device (/tmp/sqlite-spill); " \
           f"{out / 'flashcards.apkg'} was not written" in err
    assert "Traceback" not in err
    assert (out / "flashcards.tsv").is_file() and not (out / "flashcards.apkg").exists()


def test_a_collection_sqlite_cannot_make_is_a_build_error(monkeypatch, tmp_path):
    import sqlite3

    import genanki

    from studyguide.build.pipeline import build

    def full(*args):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(genanki.Package, "write_to_db", full)
    report = build(BuildOptions(content_dir=CONTENT, out_dir=tmp_path / "out", only=("apkg",)))
    assert [str(failure.error) for failure in report.failed] == [
        "making flashcards.apkg failed: the Anki collection could not be made: database or disk is full"]
