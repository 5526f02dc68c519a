"""Static instances of the variable faces, made by HarfBuzz once instead of by fontTools in every render.

WeasyPrint embeds a variable face as a static font at the weight and optical size the text is set
in, and makes that font with fontTools' instancer, in Python, in every render: 12 instances and
nearly half the time of a render of the seed guide. HarfBuzz's subset library pins a face's axes in
milliseconds. install() makes WeasyPrint's Font.clean start from that static instance, kept per
process and on disk per machine, so what it subsets and embeds is the same font, made once.
"""

from __future__ import annotations

import hashlib
import io
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cffi
from fontTools.ttLib import TTFont

from ..diagnostics import BuildError
from ..guard.files import write_atomic
from ..html import fontcache

_C = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
typedef uint32_t hb_tag_t;
typedef int hb_bool_t;
typedef struct { unsigned axis_index; hb_tag_t tag; unsigned name_id; unsigned flags;
                 float min_value; float default_value; float max_value; unsigned reserved; }
        hb_ot_var_axis_info_t;
hb_blob_t *hb_blob_create(const char *data, unsigned length, int mode, void *user_data, void *destroy);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned *length);
void hb_blob_destroy(hb_blob_t *blob);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned index);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
unsigned hb_face_get_table_tags(hb_face_t *face, unsigned start, unsigned *count, hb_tag_t *tags);
unsigned hb_face_get_glyph_count(hb_face_t *face);
void hb_face_destroy(hb_face_t *face);
unsigned hb_ot_var_get_axis_infos(hb_face_t *face, unsigned start, unsigned *count,
                                  hb_ot_var_axis_info_t *axes);
void hb_set_clear(hb_set_t *set);
void hb_set_invert(hb_set_t *set);
const char *hb_version_string(void);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned flags);
hb_bool_t hb_subset_input_pin_axis_location(hb_subset_input_t *input, hb_face_t *face, hb_tag_t tag,
                                            float value);
hb_bool_t hb_subset_input_pin_axis_to_default(hb_subset_input_t *input, hb_face_t *face, hb_tag_t tag);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
_HARFBUZZ = ("libharfbuzz.so.0", "libharfbuzz.0.dylib", "libharfbuzz-0.dll", "harfbuzz")
_SUBSET = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll",
           "harfbuzz-subset")
_GLYPH_SET, _UNICODE_SET = 0, 1  # hb_subset_sets_t
_RETAIN_GIDS, _GLYPH_NAMES = 0x2, 0x80  # hb_subset_flags_t
_SHORT_LOCA_WRAP = 0x20000  # short glyph offsets count 2-byte steps in 16 bits: they wrap at 128 KiB
_READONLY = 1  # hb_memory_mode_t: HarfBuzz reads the bytes in place; the instance keeps them alive


@cache
def install() -> bool:
    """Makes WeasyPrint start each variable face it embeds from a static instance made here; False,
    and WeasyPrint left to instance them itself, where HarfBuzz cannot pin axes (before 6.0)."""
    try:
        harfbuzz = HarfBuzz()
    except (OSError, AttributeError):
        return False
    from weasyprint.pdf import fonts  # no public API for the fonts a PDF embeds
    from weasyprint.text.ffi import ffi as weasy_ffi

    store = InstanceStore(harfbuzz, fontcache.cache_dir())
    clean = fonts.Font.clean

    def clean_static(font, to_unicode, hinting):
        if "fvar" in font.tables:
            instance = store.instance(_same_face(font.hb_face, harfbuzz.ffi), font)
            if instance is not None:
                font.file_content = instance.data
                font.hb_face = _same_face(instance.face, weasy_ffi)
                font.tables = list(instance.tables)
        clean(font, to_unicode, hinting)

    fonts.Font.clean = clean_static
    return True


def _same_face(face, ffi: cffi.FFI):
    """A pointer to a HarfBuzz face from another FFI, as a pointer of this one."""
    return ffi.cast("hb_face_t *", int(ffi.cast("uintptr_t", face)))  # any FFI casts any pointer to a number


def location(font, axes: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Where WeasyPrint places a font on its face's axes: at the variations the CSS asked for,
    else at the text's weight, at its size as optical size, upright or slanted as it is set."""
    upright, oblique, italic = 0, 1, 2  # PangoStyle
    placed = {tag: value for tag, value in font.variations.items() if tag in axes}
    usual = {"wght": font.weight, "opsz": font.font_size, "ital": int(font.style == italic)}
    if "slnt" in axes:
        low, high = axes["slnt"]
        usual["slnt"] = (low if high == 0 else high) if font.style == oblique else upright
    for tag, value in usual.items():
        if tag in axes:
            placed.setdefault(tag, value)
    return placed


class InstanceStore:
    """Static instances by face and location: kept for the process, and on disk for the machine."""

    def __init__(self, harfbuzz: HarfBuzz, directory: Path):
        self.harfbuzz = harfbuzz
        self.directory = directory
        self.kept: dict[str, LoadedFont | None] = {}

    def instance(self, face, font) -> LoadedFont | None:
        placed = location(font, self.harfbuzz.axes(face))
        key = self._key(font.file_content, font.index, placed)
        if key not in self.kept:
            self.kept[key] = self._read(key) or self._make(face, placed, key)
        return self.kept[key]

    def _key(self, file: bytes, index: int, placed: dict[str, float]) -> str:
        where = ",".join(f"{tag}={value:.4f}" for tag, value in sorted(placed.items()))
        digest = hashlib.sha256(f"{self.harfbuzz.version}|{index}|{where}|".encode())
        digest.update(file)
        return digest.hexdigest()[:32]

    def _read(self, key: str) -> LoadedFont | None:
        try:
            data = (self.directory / f"{key}.ttf").read_bytes()
        except OSError:
            return None
        return self.harfbuzz.load(data)

    def _make(self, face, placed: dict[str, float], key: str) -> LoadedFont | None:
        data = self.harfbuzz.pinned(face, placed)
        if data is None:
            return None
        with suppress(BuildError):  # a cache that cannot be written costs the next process 20 ms a face
            write_atomic(self.directory / f"{key}.ttf", data)
        return self.harfbuzz.load(data)


@dataclass(frozen=True)
class LoadedFont:
    """A font file, and HarfBuzz's face of it, which lives as long as this does."""

    data: bytes
    face: object  # hb_face_t *, of this module's FFI
    tables: tuple[str, ...]


class HarfBuzz:
    """The part of HarfBuzz that WeasyPrint does not declare: making faces and pinning axes."""

    def __init__(self):
        self.ffi = cffi.FFI()
        self.ffi.cdef(_C)
        self.core = _open(self.ffi, _HARFBUZZ)
        self.subset = _open(self.ffi, _SUBSET)
        self.subset.hb_subset_input_pin_axis_location  # noqa: B018 (HarfBuzz 6 or newer, else AttributeError)
        self.version = self.ffi.string(self.core.hb_version_string()).decode()

    def axes(self, face) -> dict[str, tuple[float, float]]:
        """Each axis of the face by tag, with its least and greatest value."""
        count = self.ffi.new("unsigned *", 64)
        infos = self.ffi.new("hb_ot_var_axis_info_t[64]")
        self.core.hb_ot_var_get_axis_infos(face, 0, count, infos)
        return {_tag_name(info.tag): (info.min_value, info.max_value) for info in infos[0:count[0]]}

    def pinned(self, face, location: dict[str, float]) -> bytes | None:
        """The face with every axis pinned: at location, or at its default where location is silent."""
        subset = self.subset
        request = self.ffi.gc(subset.hb_subset_input_create_or_fail(), subset.hb_subset_input_destroy)
        for kind in (_GLYPH_SET, _UNICODE_SET):  # an empty set inverted: keep every glyph and character
            kept = subset.hb_subset_input_set(request, kind)
            self.core.hb_set_clear(kept)
            self.core.hb_set_invert(kept)
        subset.hb_subset_input_set_flags(request, _RETAIN_GIDS | _GLYPH_NAMES)
        for tag in self.axes(face):
            if tag in location:
                subset.hb_subset_input_pin_axis_location(request, face, _tag(tag), location[tag])
            else:
                subset.hb_subset_input_pin_axis_to_default(request, face, _tag(tag))
        instance = subset.hb_subset_or_fail(face, request)
        if instance == self.ffi.NULL:
            return None
        data = self.face_data(instance)
        self.core.hb_face_destroy(instance)
        return _whole_loca(data)

    def face_data(self, face) -> bytes:
        blob = self.core.hb_face_reference_blob(face)
        length = self.ffi.new("unsigned *")
        data = bytes(self.ffi.buffer(self.core.hb_blob_get_data(blob, length), length[0]))
        self.core.hb_blob_destroy(blob)
        return data

    def load(self, data: bytes) -> LoadedFont | None:
        """The font in data, as HarfBuzz reads it; None if it finds no font there."""
        blob = self.core.hb_blob_create(data, len(data), _READONLY, self.ffi.NULL, self.ffi.NULL)
        face = self.ffi.gc(self.core.hb_face_create(blob, 0), self.core.hb_face_destroy)
        self.core.hb_blob_destroy(blob)
        if not self.core.hb_face_get_glyph_count(face):
            return None
        count = self.ffi.new("unsigned *", 64)
        tags = self.ffi.new("hb_tag_t[64]")
        self.core.hb_face_get_table_tags(face, 0, count, tags)
        return LoadedFont(data, face, tuple(_tag_name(tag) for tag in tags[0:count[0]]))


def _whole_loca(data: bytes) -> bytes:
    """The font with glyph offsets that reach all of its glyph data.

    HarfBuzz 6.0 may keep the short offsets, which end at 128 KiB, for a larger glyph table
    (Source Sans 3 at weight 600 and more): an offset past that wraps round to 0. They are counted
    up again here, and fontTools writes the table with the offsets it needs.
    """
    font = TTFont(io.BytesIO(data), lazy=True)
    if font["head"].indexToLocFormat == 1 or font.reader.tables["glyf"].length < _SHORT_LOCA_WRAP:
        return data
    offsets, wrapped, previous = font["loca"].locations, 0, 0
    for index, offset in enumerate(offsets):
        wrapped += _SHORT_LOCA_WRAP if offset < previous else 0
        previous = offset
        offsets[index] = offset + wrapped
    font["glyf"]  # noqa: B018 (read with the offsets counted up, before they are written anew)
    whole = io.BytesIO()
    font.save(whole)
    return whole.getvalue()


def _open(ffi: cffi.FFI, names: tuple[str, ...]):
    for name in names[:-1]:
        try:
            return ffi.dlopen(name)
        except OSError:
            continue
    return ffi.dlopen(names[-1])


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("latin-1").ljust(4), "big")


def _tag_name(tag: int) -> str:
    return tag.to_bytes(4, "big").decode("latin-1")
