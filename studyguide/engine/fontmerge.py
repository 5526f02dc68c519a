"""One embedded font per face in a PDF joined from parts, as if it had been rendered whole.

Each part embeds its own subset of every face it uses, so a joined PDF would carry a face
once per part. WeasyPrint subsets TrueType faces keeping every glyph's id, and names a face
by what it is (family, style, weight, variations), so the subsets of one face differ only in
which glyphs they hold. Merged: the glyphs of every subset in one font program, the widths
and the map back to text of them all, and every page's resources pointing at that one font.
Faces embedded otherwise (CFF, bitmaps) are left as they are.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import pikepdf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph

from .pdfwriter import Copier

_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_CMAP_BLOCK = 100  # the most entries a CMap's bfchar block may hold
_W_TOKEN = re.compile(rb"\[|\]|[-+]?(?:\d+\.?\d*|\.\d+)")


class MergeStore(Protocol):
    """Where merged fonts are kept from one join to the next (the part cache)."""

    def entry(self, key: str) -> tuple[dict, bytes] | None: ...

    def file(self, key: str, facts: dict, data: bytes) -> None: ...


class Faces:
    """The subsets of every face in a joined PDF's parts, read one part after another (read),
    then merged into the font each face is written as (merge). A store, if given, keeps each
    merged font under what its subsets hold, so that a join whose parts hold the same subsets
    of a face as last time (an edit that uses no new glyph of it) reads it back, not merges it."""

    def __init__(self, store: MergeStore | None = None) -> None:
        self._faces: dict[str, _Face] = {}
        self._store = store

    def read(self, pdf: pikepdf.Pdf) -> None:
        """The subsets a part embeds, added to those of the parts read before it."""
        for font in {font.objgen: font for font in _fonts(pdf)}.values():
            self._faces.setdefault(str(font.BaseFont), _Face()).add(font)

    def merge(self, copier: Copier, written: dict[str, int]) -> None:
        """Every face of the copier's source that parts embed more than once, made one font: the
        first of its fonts copied holds all the face's subsets, and written keeps its number (by
        face) for every other font of the face to stand for."""
        filled: dict[str, tuple[int, int]] = {}  # the font of each face filled in this source
        stand_ins: dict[str, pikepdf.Object] = {}
        for resources in _font_resources(copier.source):
            for key, font in list(resources.items()):
                face = self._faces.get(str(font.BaseFont)) if _mergeable(font) else None
                if face is None or len(face.subsets) < 2:
                    continue
                name = str(font.BaseFont)
                if name not in written:
                    face.fill(copier.source, font, self._store)
                    written[name], filled[name] = copier.number(font), font.objgen
                elif filled.get(name) != font.objgen:
                    if name not in stand_ins:
                        stand_ins[name] = copier.alias(written[name])
                    resources[key] = stand_ins[name]


@dataclass(frozen=True)
class _Subset:
    program: bytes  # the font program, decoded
    widths: bytes  # the W array, as PDF syntax
    text: bytes  # the ToUnicode CMap, decoded


class _Face:
    """One face's subsets, as the parts embed them, and what they hold together."""

    def __init__(self) -> None:
        self.subsets: list[_Subset] = []
        self.held = hashlib.sha256()  # of every subset, in order: a merged font's key

    def add(self, font: pikepdf.Dictionary) -> None:
        descendant = font.DescendantFonts[0]
        subset = _Subset(descendant.FontDescriptor.FontFile2.read_bytes(), descendant.W.unparse(),
                         font.ToUnicode.read_bytes())
        self.subsets.append(subset)
        for data in (subset.program, subset.widths, subset.text):
            self.held.update(b"%d:" % len(data) + data)

    def fill(self, pdf: pikepdf.Pdf, font: pikepdf.Dictionary, store: MergeStore | None) -> None:
        """font made to hold every subset of the face."""
        key = f"merged font {font.BaseFont} {self.held.hexdigest()}"
        found = store.entry(key) if store is not None else None
        if found is not None:
            facts, program = found
            widths = {int(gid): width for gid, width in facts["widths"]}
            text = {code.encode(): unicode.encode() for code, unicode in facts["text"]}
        else:
            program, widths, text = self._merged()
            if store is not None:
                pairs = [[code.decode(), unicode.decode()] for code, unicode in text.items()]
                store.file(key, {"widths": sorted(widths.items()), "text": pairs}, program)
        descendant = font.DescendantFonts[0]
        descendant.FontDescriptor.FontFile2 = pdf.make_stream(program, Length1=len(program))
        descendant.W = _width_array(widths)
        font.ToUnicode = pdf.make_stream(_cmap(text))

    def _merged(self) -> tuple[bytes, dict[int, float], dict[bytes, bytes]]:
        """The glyphs of every subset in one font program, and the widths and text of them all
        (the first subset's, where two say)."""
        base: TTFont | None = None  # the longest subset read, holding the glyphs of all
        present: set[int] = set()  # the glyph ids the base holds
        widths: dict[int, float] = {}
        text: dict[bytes, bytes] = {}
        for subset in self.subsets:
            held = _widths(subset.widths)
            for gid, width in held.items():
                widths.setdefault(gid, width)
            for code, unicode in _text_map(subset.text).items():
                text.setdefault(code, unicode)
            if base is not None and held.keys() <= present:
                continue  # the base holds these glyphs and their components: the program is not read
            # recalcTimestamp off: the same parts always give the same bytes
            program = TTFont(io.BytesIO(subset.program), recalcTimestamp=False)
            used = _closure(program, set(held))
            if base is None:
                base, present = program, used
                continue
            # Subsets keep the ids of the glyphs up to the last they hold: the longest can hold them all.
            if len(program.getGlyphOrder()) > len(base.getGlyphOrder()):
                program, base = base, program
                used, present = present, used
            for gid in sorted(used - present):
                _copy_glyph(program, base, gid)
                present.add(gid)
        data = io.BytesIO()
        base.save(data)
        return data.getvalue(), widths, text


def _fonts(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    for resources in _font_resources(pdf):
        yield from (font for font in resources.values() if _mergeable(font))


def _font_resources(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """The /Font dictionaries of every page and of the forms and patterns they draw, each once."""
    seen: set[tuple[int, int]] = set()
    pending = [page.obj.get("/Resources") for page in pdf.pages]
    while pending:
        resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        if resources.is_indirect:
            if resources.objgen in seen:
                continue
            seen.add(resources.objgen)
        if isinstance(fonts := resources.get("/Font"), pikepdf.Dictionary):
            yield fonts
        for group in ("/XObject", "/Pattern"):
            for drawn in (resources.get(group) or {}).values():
                if isinstance(drawn, pikepdf.Stream | pikepdf.Dictionary) and "/Resources" in drawn:
                    pending.append(drawn.Resources)


def _mergeable(font: pikepdf.Object) -> bool:
    if not isinstance(font, pikepdf.Dictionary) or font.get("/Subtype") != "/Type0" or not font.is_indirect:
        return False
    descendant = font.DescendantFonts[0]
    return (descendant.get("/Subtype") == "/CIDFontType2" and descendant.get("/CIDToGIDMap") == "/Identity"
            and "/FontFile2" in descendant.FontDescriptor and "/ToUnicode" in font)


def _widths(array: bytes) -> dict[int, float]:
    """A W array read from its PDF syntax: [first [w w ...] first last w ...] as glyph id: width."""
    items: list[object] = []
    run: list[float] | None = None
    for token in _W_TOKEN.findall(array.strip()[1:-1]):
        if token == b"[":
            run = []
        elif token == b"]":
            items.append(run)
            run = None
        elif run is not None:
            run.append(float(token))
        else:
            items.append(float(token))
    widths: dict[int, float] = {}
    index = 0
    while index < len(items):
        first = int(items[index])
        if isinstance(items[index + 1], list):
            for offset, width in enumerate(items[index + 1]):
                widths[first + offset] = width
            index += 2
        else:
            for gid in range(first, int(items[index + 1]) + 1):
                widths[gid] = items[index + 2]
            index += 3
    return widths


def _width_array(widths: dict[int, float]) -> pikepdf.Array:
    """Widths as a W array, a run of consecutive glyph ids to an entry."""
    array: list[object] = []
    for gid in sorted(widths):
        width = int(widths[gid]) if float(widths[gid]).is_integer() else widths[gid]
        if array and array[-2] + len(array[-1]) == gid:
            array[-1].append(width)
        else:
            array += [gid, [width]]
    return pikepdf.Array([pikepdf.Array(item) if isinstance(item, list) else item for item in array])


def _copy_glyph(source: TTFont, target: TTFont, gid: int) -> None:
    """A glyph and its advance, as compiled: a composite's parts are named by id, which every
    subset of a face shares, while the names subsets give their glyphs may differ."""
    source_name, target_name = source.getGlyphName(gid), target.getGlyphName(gid)
    glyphs = source["glyf"]
    glyph = glyphs.glyphs[source_name]  # as read, not decoded
    target["glyf"][target_name] = Glyph(glyph.data if hasattr(glyph, "data") else glyph.compile(glyphs))
    target["hmtx"][target_name] = source["hmtx"][source_name]


def _closure(program: TTFont, gids: set[int]) -> set[int]:
    """The glyphs and the components they are built of."""
    glyphs = program["glyf"]
    count = len(program.getGlyphOrder())
    found, pending = set(), list(gids)
    while pending:
        gid = pending.pop()
        if gid in found or gid >= count:
            continue
        found.add(gid)
        name = program.getGlyphName(gid)
        if glyphs.glyphs[name].isComposite():  # read without decoding the others
            pending.extend(program.getGlyphID(part) for part in glyphs[name].getComponentNames(glyphs))
    return found


def _text_map(data: bytes) -> dict[bytes, bytes]:
    """A ToUnicode CMap's bfchar entries: glyph code to text, both as hex."""
    entries: dict[bytes, bytes] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for code, text in _BFCHAR.findall(block):
            entries.setdefault(code.lower(), text)
    return entries


def _cmap(entries: dict[bytes, bytes]) -> bytes:
    """A ToUnicode CMap of glyph codes to text, both as hex."""
    codes = sorted(entries, key=lambda code: int(code, 16))
    blocks = []
    for first in range(0, len(codes), _CMAP_BLOCK):
        chunk = codes[first:first + _CMAP_BLOCK]
        lines = b"\n".join(b"<%s> <%s>" % (code, entries[code]) for code in chunk)
        blocks.append(b"%d beginbfchar\n%s\nendbfchar" % (len(chunk), lines))
    return (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
            b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
            b"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n"
            b"<0000> <ffff>\nendcodespacerange\n" + b"\n".join(blocks)
            + b"\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
