"""Packages from strangers: each hostile one is refused with a clear message, and nothing is written."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
import zstandard

from studyguide.cli.main import main
from studyguide.diagnostics import ImportSourceError
from studyguide.importers import apkg


def package(path: Path, members: dict[str, bytes], symlinks: tuple[str, ...] = ()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (0o120777 if name in symlinks else 0o100644) << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return path


def refused(source: Path, tmp_path: Path, capsys) -> str:
    content = tmp_path / "content"
    assert main(["import", str(source), "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert not content.exists() or not any(content.iterdir())
    return err


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", 1024 * 1024)
    bomb = package(tmp_path / "bomb.apkg", {"collection.anki2": bytes(8 * 1024 * 1024)})
    assert bomb.stat().st_size < 20_000
    err = refused(bomb, tmp_path, capsys)
    assert ("bomb.apkg: collection.anki2 would unpack to 8,388,608 bytes, "
            "more than the 1 MiB it may have") in err


def test_a_zstd_bomb_is_refused_while_it_is_unpacked(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", 1024 * 1024)
    compressed = zstandard.ZstdCompressor().compress(bytes(8 * 1024 * 1024))
    bomb = package(tmp_path / "bomb.apkg", {"collection.anki21b": compressed, "meta": b"\x08\x03"})
    err = refused(bomb, tmp_path, capsys)
    assert "bomb.apkg: collection.anki21b unpacks to more than 1 MiB, the most it may have; refused" in err


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "media/../../evil"])
def test_members_that_would_lie_outside_the_folder_are_refused(name, tmp_path, capsys):
    hostile = package(tmp_path / "escape.apkg", {"collection.anki2": b"", name: b"x"})
    err = refused(hostile, tmp_path, capsys)
    assert f"escape.apkg holds a file named '{name}', which would lie outside" in err
    assert not (tmp_path / "evil.txt").exists()


def test_a_symbolic_link_member_is_refused(tmp_path, capsys):
    hostile = package(tmp_path / "link.apkg", {"collection.anki2": b"", "0": b"/etc/passwd"}, symlinks=("0",))
    assert "link.apkg holds '0' as a symbolic link" in refused(hostile, tmp_path, capsys)


def test_a_corrupt_database_is_refused(tmp_path, capsys):
    corrupt = package(tmp_path / "corrupt.apkg", {"collection.anki2": b"SQLite format 3\x00" + bytes(2000)})
    err = refused(corrupt, tmp_path, capsys)
    assert "corrupt.apkg: collection.anki2: not a readable Anki collection" in err


def test_a_database_that_is_not_ankis_is_refused(tmp_path, capsys):
    database = sqlite3.connect(":memory:")
    database.execute("CREATE TABLE other (x)")
    data = database.serialize()
    database.close()
    err = refused(package(tmp_path / "other.apkg", {"collection.anki2": data}), tmp_path, capsys)
    assert "other.apkg: collection.anki2: not an Anki collection (it has no notes table)" in err


def test_a_query_that_never_ends_is_stopped(tmp_path, capsys, monkeypatch):
    from studyguide.importers import collection

    monkeypatch.setattr(collection, "MAX_QUERY_SECONDS", 0.2)
    database = sqlite3.connect(":memory:")
    # No index on cards.nid: finding each note's cards reads every card, for every note.
    database.executescript(
        "CREATE TABLE notes (id, guid, mid, flds, tags); CREATE TABLE cards (nid, did, ord);"
        "CREATE TABLE col (models, decks); INSERT INTO col VALUES ('{}', '{}');"
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 100000) "
        "INSERT INTO cards SELECT i, 1, 0 FROM r;"
        "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 20000) "
        "INSERT INTO notes SELECT -i, '', 0, '', '' FROM r;")
    data = database.serialize()
    database.close()
    err = refused(package(tmp_path / "endless.apkg", {"collection.anki2": data}), tmp_path, capsys)
    assert "reading the collection took more than 0.2 s; refused" in err


def test_a_package_without_a_collection_is_refused(tmp_path, capsys):
    empty = package(tmp_path / "empty.apkg", {"media": json.dumps({}).encode()})
    assert "empty.apkg holds no Anki collection" in refused(empty, tmp_path, capsys)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path, capsys):
    (tmp_path / "text.apkg").write_bytes(b"just text")
    assert "text.apkg is not an Anki package" in refused(tmp_path / "text.apkg", tmp_path, capsys)


def test_the_collection_is_read_from_a_temporary_copy_opened_read_only(tmp_path, monkeypatch):
    from studyguide.importers import collection

    opened = []
    real_connect = sqlite3.connect

    def spy(database, *args, **kwargs):
        opened.append(database)
        return real_connect(database, *args, **kwargs)

    database = sqlite3.connect(":memory:")
    database.execute("CREATE TABLE other (x)")
    data = database.serialize()
    database.close()
    source = package(tmp_path / "other.apkg", {"collection.anki2": data})
    monkeypatch.setattr(collection.sqlite3, "connect", spy)
    with pytest.raises(ImportSourceError, match="not an Anki collection"):
        apkg.read_package(source)
    assert len(opened) == 1 and opened[0].endswith("?mode=ro&immutable=1")
    temporary = Path(opened[0].removeprefix("file://").split("?")[0])
    assert not temporary.exists()  # the copy went with its temporary folder
