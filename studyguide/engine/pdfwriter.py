"""A PDF written object by object, so that joining parts holds one part at a time, not the whole.

qpdf (pikepdf) keeps every object of a PDF in memory while it writes it: a 10,000-page quiz
joined that way needs gigabytes. Here each part is opened alone and what is taken from it is
copied out at once, its references renumbered (Copier), into a writer that keeps only the
bytes written and where each object lies (PdfWriter). Objects other than streams are packed
a hundred to an object stream, and the cross-reference table is a stream too, as qpdf
writes them; the same objects in the same order always give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from array import array

import pikepdf

OBJECTS_PER_STREAM = 100
_STREAM_ENTRY, _PACKED_ENTRY = 1, 2  # kinds of cross-reference entries: at an offset, in an object stream
# What the references in unparsed PDF syntax are told apart from: strings (qpdf escapes their
# parentheses) and hex strings, then the references themselves. A name needs no telling apart:
# qpdf escapes its delimiters, and a name's last digits before a number never make "n n R".
_TOKENS = re.compile(rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>|\d+ \d+ R", re.S)


class PdfWriter:
    """Numbers objects, takes their bodies, and writes the file around them."""

    def __init__(self, version: str):
        self._out = io.BytesIO()
        self._out.write(b"%PDF-" + version.encode("ascii") + b"\n%\xb5\xed\xae\xfb\n")
        self._kinds = bytearray(1)  # by object number; 0 (free) until written
        self._where = array("q", [0])  # an offset, or the number of the object stream holding it
        self._index = array("l", [0])  # its index in that object stream
        self._packed: list[tuple[int, bytes]] = []  # objects waiting for their object stream

    def reserve(self) -> int:
        """A number for an object to be written later."""
        self._kinds.append(0)
        self._where.append(0)
        self._index.append(0)
        return len(self._kinds) - 1

    def put(self, number: int, body: bytes) -> None:
        """An object other than a stream, by its body (PDF syntax)."""
        self._packed.append((number, body))
        if len(self._packed) == OBJECTS_PER_STREAM:
            self._pack()

    def put_stream(self, number: int, entries: bytes, data: bytes) -> None:
        """A stream, by its dictionary's entries other than /Length and its data as stored;
        data stored without a filter is compressed."""
        if b"/Filter" not in entries:
            data = zlib.compress(data)
            entries += b" /Filter /FlateDecode"
        self._kinds[number], self._where[number] = _STREAM_ENTRY, self._out.tell()
        self._out.write(b"%d 0 obj\n<<%s /Length %d >>\nstream\n" % (number, entries, len(data)))
        self._out.write(data)
        self._out.write(b"\nendstream\nendobj\n")

    def finish(self, root: int, info: int | None) -> bytes:
        """The whole file: what is still waiting packed, then the cross-reference stream."""
        if self._packed:
            self._pack()
        digest = hashlib.md5(self._out.getbuffer()).hexdigest().encode("ascii")
        number = self.reserve()
        self._kinds[number], self._where[number] = _STREAM_ENTRY, self._out.tell()
        table = b"".join(b"%c%s%s" % (kind, where.to_bytes(5, "big"), index.to_bytes(2, "big"))
                         for kind, where, index in zip(self._kinds, self._where, self._index, strict=True))
        entries = (b" /Type /XRef /W [ 1 5 2 ] /Size %d /Root %d 0 R /ID [ <%s> <%s> ]"
                   % (len(self._kinds), root, digest, digest))
        if info is not None:
            entries += b" /Info %d 0 R" % info
        start = self._out.tell()
        self.put_stream(number, entries, table)
        self._out.write(b"startxref\n%d\n%%%%EOF\n" % start)
        return self._out.getvalue()

    def _pack(self) -> None:
        """The objects waiting, written as one object stream."""
        number = self.reserve()
        offsets, bodies, length = [], [], 0
        for index, (packed, body) in enumerate(self._packed):
            self._kinds[packed], self._where[packed], self._index[packed] = _PACKED_ENTRY, number, index
            offsets.append(b"%d %d" % (packed, length))
            bodies.append(body)
            length += len(body) + 1
        header = b" ".join(offsets) + b"\n"
        self._packed = []
        self.put_stream(number, b" /Type /ObjStm /N %d /First %d" % (len(offsets), len(header)),
                        header + b"\n".join(bodies) + b"\n")


class Copier:
    """Objects of one source PDF written into a PdfWriter, each once, with what they refer to.

    An object of the source can be told to stand for one written already (alias), so that a
    source's page tree, structure root or fonts become the joined PDF's own.
    """

    def __init__(self, writer: PdfWriter, source: pikepdf.Pdf):
        self.writer = writer
        self.source = source
        self._numbers = numbers = _Numbers(writer)
        self._renumber = lambda match: numbers[match[0]]  # refers to the numbers, not the copier

    def alias(self, number: int) -> pikepdf.Object:
        """An object of the source to put where the writer's object number is meant."""
        stand_in = self.source.make_indirect(pikepdf.Dictionary())
        self._numbers.give(stand_in.objgen, number)
        return stand_in

    def stand_for(self, obj: pikepdf.Object, number: int) -> None:
        """obj, wherever the source refers to it, is the writer's object number."""
        self._numbers.give(obj.objgen, number)

    def assign(self, obj: pikepdf.Object, number: int) -> None:
        """obj to be written as the writer's object number, reserved before (to be referred to
        before obj's own source was opened)."""
        self._numbers.give(obj.objgen, number)
        self._numbers.pending.append(obj.objgen)

    def number(self, obj: pikepdf.Object) -> int:
        """The writer's number of an indirect object, written with all it refers to."""
        number = self._numbers.of(obj.objgen)
        self._drain()
        return number

    def value(self, obj: object) -> bytes:
        """A value as PDF syntax for the writer, what it refers to written."""
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            text = b"%d 0 R" % self._numbers.of(obj.objgen)
        else:
            text = self._renumbered(_direct(obj))
        self._drain()
        return text

    def entries(self, dictionary: pikepdf.Dictionary, omit: tuple[str, ...] = ()) -> bytes:
        """A dictionary's entries as PDF syntax, without its brackets and the keys omitted."""
        text = self._entries(dictionary, omit)
        self._drain()
        return text

    def _drain(self) -> None:
        pending = self._numbers.pending
        while pending:
            objgen = pending.pop()
            obj = self.source.get_object(objgen)
            number = self._numbers.of(objgen)
            if isinstance(obj, pikepdf.Stream):
                entries = self._entries(obj.stream_dict, omit=("/Length",))
                self.writer.put_stream(number, entries, obj.read_raw_bytes())
            else:
                self.writer.put(number, self._renumbered(obj.unparse(resolved=True)))

    def _entries(self, dictionary: pikepdf.Dictionary, omit: tuple[str, ...]) -> bytes:
        return b"".join(b" " + pikepdf.Name(key).unparse() + b" " + self._renumbered(_direct(value))
                        for key, value in dictionary.items() if key not in omit)

    def _renumbered(self, text: bytes) -> bytes:
        return _TOKENS.sub(self._renumber, text)


class _Numbers(dict[bytes, bytes]):
    """The writer's number of each source object, reserved at first sight, the objects not yet
    written (pending); and, as a dictionary, what each token of the source's PDF syntax that
    _TOKENS finds becomes in the writer: a reference, one to that number (kept); a string, itself.
    A part's structure tree makes some 200,000 references: each is looked up, not parsed."""

    def __init__(self, writer: PdfWriter):
        super().__init__()
        self._writer = writer
        self._given: dict[tuple[int, int], int] = {}
        self.pending: list[tuple[int, int]] = []

    def of(self, objgen: tuple[int, int]) -> int:
        if objgen not in self._given:
            self._given[objgen] = self._writer.reserve()
            self.pending.append(objgen)
        return self._given[objgen]

    def give(self, objgen: tuple[int, int], number: int) -> None:
        """The source object's number in the writer, given, not reserved."""
        self._given[objgen] = number
        self.pop(b"%d %d R" % objgen, None)  # a reference to it made before is made again

    def __missing__(self, token: bytes) -> bytes:
        if not token.endswith(b"R"):
            return token  # a string, mostly met once: not kept
        number, generation, _ = token.split()
        value = self[token] = b"%d 0 R" % self.of((int(number), int(generation)))
        return value


def _direct(obj: object) -> bytes:
    """A value's PDF syntax, its references as they are in its source."""
    if isinstance(obj, pikepdf.Object):
        if obj.is_indirect:
            return b"%d %d R" % obj.objgen
        return obj.unparse(resolved=True)
    return pikepdf.Array([obj]).unparse()[1:-1].strip()  # a number, a boolean or null, as qpdf writes it
