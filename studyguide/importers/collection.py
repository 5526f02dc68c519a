"""The notes of an Anki collection, read from its SQLite database in either schema.

The legacy schema (collection.anki2 and .anki21) keeps note types and decks as JSON in the
`col` table; the current one (.anki21b, Anki 2.1.50 on) has tables of their own, with the
settings Anki needs here in small protobuf messages, decoded below. The database comes
from a stranger: it is opened read-only and immutable, with untrusted schema code off, and
every query is stopped after MAX_QUERY_SECONDS.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import ImportSourceError
from ..guard.limits import MAX_IMPORT_NOTES, MAX_QUERY_SECONDS


@dataclass(frozen=True)
class NoteType:
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str], ...]  # (front, back) of each card the note type makes


@dataclass(frozen=True)
class Note:
    id: int
    guid: str
    note_type: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: tuple[str, ...]  # the deck of its first card, as a path: ("Biology", "Cells")


@dataclass(frozen=True)
class Collection:
    note_types: dict[int, NoteType]
    notes: tuple[Note, ...]


def read_collection(path: Path, name: str) -> Collection:
    """The collection in the SQLite file at path; name is what the user knows it as, for messages."""
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as error:
        raise ImportSourceError(f"{name}: cannot open the collection: {error}") from None
    deadline = time.monotonic() + MAX_QUERY_SECONDS
    connection.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
    try:
        connection.execute("PRAGMA trusted_schema = OFF")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"notes", "cards"} <= tables:
            raise ImportSourceError(f"{name}: not an Anki collection (it has no notes table)")
        current = "notetypes" in tables
        note_types = _note_types(connection) if current else _legacy_note_types(connection)
        decks = _decks(connection) if current else _legacy_decks(connection)
        return Collection(note_types, _notes(connection, decks, name))
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise ImportSourceError(f"{name}: reading the collection took more than {MAX_QUERY_SECONDS} s; "
                                    "refused") from None
        raise ImportSourceError(f"{name}: not a readable Anki collection: {error}") from None
    except sqlite3.DatabaseError as error:
        raise ImportSourceError(f"{name}: not a readable Anki collection: {error}") from None
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise ImportSourceError(f"{name}: the collection's note types or decks are malformed ({error!r})") \
            from None
    finally:
        connection.close()


def _notes(connection: sqlite3.Connection, decks: dict[int, tuple[str, ...]], name: str) -> tuple[Note, ...]:
    rows = connection.execute(
        "SELECT n.id, n.guid, n.mid, n.flds, n.tags, "
        "(SELECT c.did FROM cards c WHERE c.nid = n.id ORDER BY c.ord LIMIT 1) "
        "FROM notes n ORDER BY n.id LIMIT ?", (MAX_IMPORT_NOTES + 1,)).fetchall()
    if len(rows) > MAX_IMPORT_NOTES:
        raise ImportSourceError(f"{name}: more than {MAX_IMPORT_NOTES:,} notes, the most one import takes; "
                                "export a smaller deck from Anki")
    return tuple(Note(int(note_id), str(guid), int(note_type), tuple(str(fields).split("\x1f")),
                      tuple(str(tags).split()), decks.get(deck, ("Default",)))
                 for note_id, guid, note_type, fields, tags, deck in rows)


def _legacy_note_types(connection: sqlite3.Connection) -> dict[int, NoteType]:
    (models,) = connection.execute("SELECT models FROM col").fetchone()
    types = {}
    for key, model in json.loads(models).items():
        fields = tuple(f["name"] for f in sorted(model["flds"], key=lambda f: f["ord"]))
        templates = tuple((t["qfmt"], t["afmt"]) for t in sorted(model["tmpls"], key=lambda t: t["ord"]))
        types[int(key)] = NoteType(str(model["name"]), model.get("type") == 1, fields, templates)
    return types


def _legacy_decks(connection: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    (decks,) = connection.execute("SELECT decks FROM col").fetchone()
    return {int(key): tuple(deck["name"].split("::")) for key, deck in json.loads(decks).items()}


def _note_types(connection: sqlite3.Connection) -> dict[int, NoteType]:
    fields: dict[int, list[str]] = {}
    for type_id, field in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(type_id, []).append(field)
    templates: dict[int, list[tuple[str, str]]] = {}
    for type_id, config in connection.execute("SELECT ntid, config FROM templates ORDER BY ntid, ord"):
        message = proto_fields(config)
        templates.setdefault(type_id, []).append((_text(message, 1), _text(message, 2)))
    return {type_id: NoteType(name, proto_fields(config).get(1, [0])[0] == 1, tuple(fields.get(type_id, ())),
                              tuple(templates.get(type_id, ())))
            for type_id, name, config in connection.execute("SELECT id, name, config FROM notetypes")}


def _decks(connection: sqlite3.Connection) -> dict[int, tuple[str, ...]]:
    rows = connection.execute("SELECT id, name FROM decks")
    return {deck_id: tuple(name.split("\x1f")) for deck_id, name in rows}


def _text(message: dict[int, list], number: int) -> str:
    value = message.get(number, [b""])[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def proto_fields(data: bytes) -> dict[int, list[int | bytes]]:
    """A protobuf message's fields by number: integers, or bytes for strings and messages.
    Raises ValueError when the data is not a protobuf message."""
    fields: dict[int, list[int | bytes]] = {}
    index = 0
    while index < len(data):
        key, index = _varint(data, index)
        number, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, index = _varint(data, index)
        elif wire_type in (1, 2, 5):
            length, index = (8, index) if wire_type == 1 else (4, index) if wire_type == 5 else \
                _varint(data, index)
            if index + length > len(data):
                raise ValueError("a protobuf field runs past the end of its message")
            value, index = bytes(data[index:index + length]), index + length
        else:
            raise ValueError(f"protobuf wire type {wire_type} is not one Anki writes")
        fields.setdefault(number, []).append(value)
    return fields


def _varint(data: bytes, index: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if index >= len(data) or shift > 63:
            raise ValueError("a protobuf number runs past the end of its message")
        byte = data[index]
        value |= (byte & 0x7F) << shift
        index, shift = index + 1, shift + 7
        if not byte & 0x80:
            return value, index
