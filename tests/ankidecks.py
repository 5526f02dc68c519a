"""Anki packages written by Anki itself, for the import tests: every kind of note we map."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .conftest import PNG


@dataclass(frozen=True)
class Written:
    collection: Path  # the Anki collection the package was exported from
    package: Path
    guids: dict[str, str]  # what each note is: its GUID


def write_deck(folder: Path, legacy: bool, colpkg: bool = False) -> Written:
    """A collection with Basic, Basic-and-reversed and Cloze notes in nested decks, with tags,
    MathJax, an image, a sound and a script, and a note no card can show, exported as a package."""
    from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

    folder.mkdir(parents=True, exist_ok=True)
    collection = Collection(str(folder / "collection.anki2"))
    try:
        collection.media.write_data("cell diagram.png", PNG)
        collection.media.write_data("hello.mp3", b"ID3 not really audio")
        cells = collection.decks.id("Biology::Cells")
        genes = collection.decks.id("Biology::Genes::Expression")
        guids = {}

        def add(name: str, note_type: str, deck: int, tags: list[str], **fields: str) -> None:
            note = collection.new_note(collection.models.by_name(note_type))
            for field, value in fields.items():
                note[field.replace("_", " ")] = value
            note.tags = tags
            collection.add_note(note, deck)
            guids[name] = note.guid

        add("basic", "Basic", cells, ["cells", "exam::week1"],
            Front=r"What is the area of a cell of radius \(r\)?",
            Back='<div>About \\[\\pi r^2\\]</div><div><img src="cell diagram.png"></div>[sound:hello.mp3]')
        add("reversed", "Basic (and reversed card)", cells, ["vocab"],
            Front="Organelle", Back="A <b>part</b> of a cell")
        add("cloze", "Cloze", genes, ["genes"],
            Text="{{c1::Transcription}} makes {{c2::RNA::a molecule}} from DNA.",
            Back_Extra="It happens in the nucleus.")
        add("script", "Basic", genes, [], Front="Safe?", Back="Yes<script>alert('x')</script> indeed")
        # A note type whose front shows no field, only a condition on one: nothing to ask on paper.
        models = collection.models
        static = models.new("Static")
        models.add_field(static, models.new_field("Picture"))
        template = models.new_template("Card 1")
        template["qfmt"], template["afmt"] = "{{#Picture}}Look at it{{/Picture}}", "{{Picture}}"
        models.add_template(static, template)
        models.add(static)
        add("static", "Static", cells, [], Picture="A picture")
        if colpkg:
            package = folder / "deck.colpkg"
            collection.export_collection_package(str(package), include_media=True, legacy=legacy)
        else:
            package = folder / ("legacy.apkg" if legacy else "deck.apkg")
            collection.export_anki_package(
                out_path=str(package), limit=DeckIdLimit(collection.decks.id("Biology")),
                options=ExportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False,
                                                 with_media=True, legacy=legacy))
    finally:
        collection.close()
    return Written(folder / "collection.anki2", package, guids)
