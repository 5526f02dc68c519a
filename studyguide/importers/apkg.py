"""Anki packages (.apkg, .colpkg) read into a Draft, in every format current Anki writes or reads.

A package is a zip: the collection (collection.anki2 from old Anki and genanki,
collection.anki21 from Anki 2.1, or collection.anki21b, compressed with zstd, from Anki
2.1.50 on, beside a stub collection.anki2 for old versions), a `media` list that names the
numbered media files (JSON; in the current format a zstd-compressed protobuf list, and the
media files compressed too), and a `meta` file that says which format it is.

It comes from a stranger, so nothing in it is trusted: a member whose name would lie outside
a folder or that is a link refuses the package; every member is read only up to its limit,
whatever its header claims (zip bombs); the collection is copied into a temporary folder and
opened read-only there; images are checked like any content image before they are kept.
"""

from __future__ import annotations

import contextlib
import io
import json
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import zstandard

from ..content import cloze
from ..diagnostics import ImportSourceError
from ..guard import images
from ..guard.files import size_text
from ..guard.limits import MAX_ARCHIVE_MEMBERS, MAX_COLLECTION_BYTES, MAX_IMAGE_BYTES
from .collection import Collection, Note, proto_fields, read_collection
from .draft import Draft, DraftCard, DraftSection, Skipped, image_path
from .fields import FieldConverter
from .notetypes import roles

_COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")  # the newest first
_LATEST = 3  # PackageMetadata's version of the current format
_CHUNK = 1 << 20


def read_package(path: Path) -> Draft:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ImportSourceError(f"{path.name} is not an Anki package: {error}") from None
    with archive, tempfile.TemporaryDirectory(prefix="studyguide-import-") as temporary:
        package = _Package(archive, path.name, Path(temporary))
        return _draft(package.collection(), package, path)


class _Package:
    def __init__(self, archive: zipfile.ZipFile, name: str, temporary: Path):
        self.archive, self.name, self.temporary = archive, name, temporary
        infos = archive.infolist()
        if len(infos) > MAX_ARCHIVE_MEMBERS:
            raise ImportSourceError(f"{name} holds {len(infos):,} files; a package may hold at most "
                                    f"{MAX_ARCHIVE_MEMBERS:,}")
        for info in infos:
            _check_member(info, name)
        self.members = {info.filename: info for info in infos}
        self.current = self._version() >= _LATEST
        self.media = self._media()
        self.kept: dict[str, str | None] = {}  # media name: its path in the content folder, if kept
        self.images: dict[str, bytes] = {}
        self.skipped = Skipped()

    def collection(self) -> Collection:
        member = next((name for name in _COLLECTIONS if name in self.members), None)
        if member is None:
            raise ImportSourceError(f"{self.name} holds no Anki collection (no {' or '.join(_COLLECTIONS)})")
        database = self.temporary / "collection.sqlite"
        database.write_bytes(self.read(member, MAX_COLLECTION_BYTES, member.endswith("b")))
        return read_collection(database, f"{self.name}: {member}")

    def read(self, member: str, limit: int, compressed: bool) -> bytes:
        """A member's bytes, unpacked, refused when they come to more than limit."""
        info = self.members[member]
        if info.file_size > limit:
            raise ImportSourceError(f"{self.name}: {member} would unpack to {info.file_size:,} bytes, more "
                                    f"than the {size_text(limit)} it may have; refused")
        try:
            with self.archive.open(info) as file:
                data = _bounded(file, limit)
            if compressed:
                data = _bounded(zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)), limit)
        except _TooLargeError:
            raise ImportSourceError(f"{self.name}: {member} unpacks to more than {size_text(limit)}, "
                                    "the most it may have; refused") from None
        except (zipfile.BadZipFile, zstandard.ZstdError, OSError, EOFError) as error:
            raise ImportSourceError(f"{self.name}: {member} cannot be unpacked: {error}") from None
        return data

    def _version(self) -> int:
        if "meta" not in self.members:
            return 1
        try:
            return int(proto_fields(self.read("meta", 1024, False)).get(1, [1])[0])
        except (ValueError, TypeError):
            raise ImportSourceError(f"{self.name}: its meta file is not one Anki writes") from None

    def _media(self) -> dict[str, str]:
        """Each media file's name: the member that holds it."""
        if "media" not in self.members:
            return {}
        data = self.read("media", MAX_COLLECTION_BYTES, self.current)
        try:
            if not self.current:
                return {str(name): str(member) for member, name in json.loads(data).items()}
            entries = proto_fields(data).get(1, [])
            media = {}
            for index, entry in enumerate(entries):
                fields = proto_fields(entry)
                member = fields.get(255, [index])[0]
                media[fields[1][0].decode("utf-8")] = str(member)
            return media
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise ImportSourceError(f"{self.name}: its list of media files is malformed") from None

    def image(self, src: str) -> str | None:
        """The path in the content folder of the image a field shows, or None if it is not kept."""
        name = src if src in self.media else unquote(src)
        if name not in self.kept:
            self.kept[name] = self._keep(name)
        return self.kept[name]

    def _keep(self, name: str) -> str | None:
        member = self.media.get(name)
        suffix = PurePosixPath(name).suffix.lower()
        if member is None or member not in self.members:
            self.skipped.add("images missing from the package", name)
            return None
        if suffix not in images.SUFFIXES:
            self.skipped.add("media of a kind that does not print", name)
            return None
        try:
            data = self.read(member, MAX_IMAGE_BYTES, self.current)
        except ImportSourceError as error:
            self.skipped.add("images that fail the checks", str(error))
            return None
        checked = self.temporary / f"image{len(self.kept)}{suffix}"
        checked.write_bytes(data)
        problem = images.problem(checked)
        if problem:
            self.skipped.add("images that fail the checks", f"{name} {problem}")
            return None
        path = image_path(name, data)
        self.images[path] = data
        return path


def _check_member(info: zipfile.ZipInfo, package: str) -> None:
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or ":" in info.filename:
        raise ImportSourceError(f"{package} holds a file named '{info.filename}', which would lie outside "
                                "the folder it is unpacked into; refused")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise ImportSourceError(f"{package} holds '{info.filename}' as a symbolic link; packages hold only "
                                "files; refused")


class _TooLargeError(Exception):
    pass


def _bounded(file, limit: int) -> bytes:
    chunks, total = [], 0
    while chunk := file.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise _TooLargeError
        chunks.append(chunk)
    return b"".join(chunks)


def _draft(collection: Collection, package: _Package, path: Path) -> Draft:
    converter = FieldConverter(package.image, package.skipped)
    decks: dict[tuple[str, ...], list[DraftCard]] = {}
    for note in collection.notes:
        card = _card(note, collection, converter, package.skipped)
        if card is not None:
            decks.setdefault(note.deck, []).append(card)
    order = sorted(decks, key=lambda deck: [level.casefold() for level in deck])  # as Anki lists decks
    roots = {deck[0] for deck in order}
    common = 1 if len(roots) == 1 and all(len(deck) > 1 for deck in order) else 0
    title = order[0][0] if len(roots) == 1 else path.stem
    sections = [DraftSection(" › ".join(deck[common:]), tuple(decks[deck])) for deck in order]
    return Draft(title, sections, package.images, package.skipped)


def _card(note: Note, collection: Collection, converter: FieldConverter,
          skipped: Skipped) -> DraftCard | None:
    where = f"note {note.id}"
    note_type = collection.note_types.get(note.note_type)
    found = roles(note_type) if note_type else None
    if found is None or note_type is None or len(note.fields) != len(note_type.fields):
        skipped.add("notes of note types that cannot be printed",
                    f"'{note_type.name if note_type else 'unknown'}' ({where})")
        return None

    def joined(indexes: tuple[int, ...]) -> str:
        texts = (converter.markdown(note.fields[index], where) for index in indexes)
        return "\n\n".join(text for text in texts if text)

    question, answer = joined(found.question), joined(found.answer)
    if cloze.has_cloze(answer):  # deletions on the back show as text in Anki: so they print
        with contextlib.suppress(cloze.ClozeError):
            answer = cloze.filled(cloze.parse(answer))
    if not question or not (answer or found.cloze):
        skipped.add("notes with an empty question or answer", where)
        return None
    if found.cloze and not cloze.has_cloze(question) and not answer:
        skipped.add("cloze notes without a deletion", where)
        return None
    if found.cloze and cloze.has_cloze(question):
        try:
            cloze.parse(question)
        except cloze.ClozeError as error:
            skipped.add("cloze notes whose deletions are malformed", f"{where}: {error}")
            return None
    tags = tuple(tag.replace(",", "-") for tag in note.tags if tag.strip(","))
    return DraftCard(question, answer, tags, guid=note.guid, where=where)
