"""Reading .apkg files back for the tests as Anki does: a zip holding a SQLite collection and media."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Note:
    guid: str
    fields: dict[str, str]
    tags: tuple[str, ...]
    deck: str
    modified: int  # Unix seconds


@dataclass(frozen=True)
class Package:
    notes: tuple[Note, ...]
    decks: tuple[str, ...]
    note_types: dict[str, tuple[str, ...]]  # name: field names
    media: dict[str, bytes]  # file name: content

    def note(self, number: int) -> Note:
        return next(note for note in self.notes if note.fields["Number"] == str(number))


def read_apkg(path: Path) -> Package:
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        names = json.loads(archive.read("media"))
        media = {name: archive.read(index) for index, name in names.items()}
        collection = sqlite3.connect(":memory:")
        collection.deserialize(archive.read("collection.anki2"))
    try:
        assert collection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        models_json, decks_json = collection.execute("SELECT models, decks FROM col").fetchone()
        models = {int(key): model for key, model in json.loads(models_json).items()}
        decks = {int(key): deck["name"] for key, deck in json.loads(decks_json).items()}
        notes = tuple(
            Note(guid, dict(zip([f["name"] for f in models[mid]["flds"]], fields.split("\x1f"), strict=True)),
                 tuple(tags.split()), decks[did], modified)
            for guid, mid, fields, tags, modified, did in collection.execute(
                "SELECT n.guid, n.mid, n.flds, n.tags, n.mod, c.did "
                "FROM notes n JOIN cards c ON c.nid = n.id ORDER BY n.id"))
    finally:
        collection.close()
    note_types = {model["name"]: tuple(f["name"] for f in model["flds"]) for model in models.values()}
    return Package(notes, tuple(sorted(decks.values())), note_types, media)
