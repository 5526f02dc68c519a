"""The typefaces every output uses, installed with pip so each machine prints the same.

Source Serif 4 for reading, Source Sans 3 for headings and furniture, Source
Code Pro for code; formulas use STIX Two Math through ziamath. All are
variable fonts that WeasyPrint instantiates, embeds and subsets.

Other scripts and emoji come from fallback faces, after the text faces in every
font stack: Noto Sans for each script the text faces lack, Noto Emoji (plain
outlines, which print in any ink), Noto Sans Symbols and STIX Two Math (which
ziamath brings for formulas), from pip; Chinese, Japanese and Korean from Noto
Sans CJK, which is too large for pip and comes from the system (Debian's
fonts-noto-cjk). A document gets only the fallbacks
its characters need, so a Latin guide reads, embeds and weighs no more than before.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import fontcache


@dataclass(frozen=True)
class FontFace:
    family: str
    package: str
    filename: str
    italic: bool = False

    @property
    def path(self) -> Path:
        return package_dir(self.package) / "files" / self.filename


FACES = (
    FontFace("Source Serif 4", "fontpkg_source_serif_4", "SourceSerif4[opsz,wght].ttf"),
    FontFace("Source Serif 4", "fontpkg_source_serif_4", "SourceSerif4-Italic[opsz,wght].ttf", True),
    FontFace("Source Sans 3", "fontpkg_source_sans_3", "SourceSans3[wght].ttf"),
    FontFace("Source Sans 3", "fontpkg_source_sans_3", "SourceSans3-Italic[wght].ttf", True),
    FontFace("Source Code Pro", "fontpkg_source_code_pro", "SourceCodePro[wght].ttf"),
    FontFace("Source Code Pro", "fontpkg_source_code_pro", "SourceCodePro-Italic[wght].ttf", True),
)


@dataclass(frozen=True)
class Fallback:
    """A face for the characters the text faces lack, after them in every font stack."""

    family: str
    files: tuple[tuple[str, Path], ...]  # (@font-face descriptors, file); "" for a variable font
    debian_package: str | None = None  # where it comes from, when not from pip
    ranges: tuple[tuple[int, int], ...] = ()  # what it is for, known even when it is missing

    @property
    def installed(self) -> bool:
        return all(path.is_file() for _, path in self.files)

    def css(self) -> str:
        return "\n".join(f'@font-face {{ font-family: "{self.family}"; src: url("{path.as_uri()}");'
                         f"{descriptors} }}" for descriptors, path in self.files)


_NOTO_PACKAGE = "manimgx_fonts"  # Noto Sans for many scripts, Noto Emoji and Noto Sans Symbols
_NOTO_SCRIPTS = ("Arabic", "Hebrew", "Devanagari", "Bengali", "Gujarati", "Gurmukhi", "Kannada",
                 "Malayalam", "Oriya", "Sinhala", "Tamil", "Telugu", "Thai", "Lao", "Khmer", "Myanmar",
                 "Armenian", "Georgian", "Ethiopic")
CJK_DIR = Path("/usr/share/fonts/opentype/noto")  # where Debian's fonts-noto-cjk puts its files
CJK_RANGES = ((0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x312F),
              (0x3130, 0x318F), (0x3190, 0x31FF), (0x3200, 0x9FFF), (0xA960, 0xA97F), (0xAC00, 0xD7FF),
              (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3134F))
_BOLD, _ITALIC = " font-weight: 700;", " font-style: italic;"


def _noto(family: str, filename: str) -> Fallback:
    return Fallback(family, (("", package_dir(_NOTO_PACKAGE) / filename),))


@cache
def fallbacks() -> tuple[Fallback, ...]:
    """Every fallback face, in the order they stand in the font stacks.

    Arabic comes first from Amiri, which draws each letter as a glyph of its own, so the
    PDF's text copies out right. Noto Sans Arabic (and Cairo, Almarai) build letters from
    shared shapes and dots, or join them in ligatures, which WeasyPrint maps back to the
    wrong letters.
    """
    amiri = package_dir("fontpkg_amiri") / "files"
    return (
        Fallback("Amiri", (("", amiri / "Amiri-Regular.ttf"), (_BOLD, amiri / "Amiri-Bold.ttf"),
                           (_ITALIC, amiri / "Amiri-Italic.ttf"),
                           (_BOLD + _ITALIC, amiri / "Amiri-BoldItalic.ttf"))),
        *(_noto(f"Noto Sans {script}", f"NotoSans{script}[wght].ttf") for script in _NOTO_SCRIPTS),
        Fallback("Noto Sans CJK", ((" font-weight: 400;", CJK_DIR / "NotoSansCJK-Regular.ttc"),
                                   (_BOLD, CJK_DIR / "NotoSansCJK-Bold.ttc")),
                 debian_package="fonts-noto-cjk", ranges=CJK_RANGES),
        _noto("Noto Emoji", "NotoEmoji[wght].ttf"),
        _noto("Noto Sans Symbols", "NotoSansSymbols[wght].ttf"),
        # Mathematical letters (𝐇𝐨𝐰, 𝑥, ℝ), which text pasted from the web uses for bold and italic.
        Fallback("STIX Two Math", (("", package_dir("ziamath") / "fonts" / "STIXTwoMath-Regular.ttf"),)),
    )


def package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"font package {package} is not installed; "
                                  "run pip install -r requirements.txt")
    return Path(spec.submodule_search_locations[0])


def font_dirs() -> tuple[Path, ...]:
    """Folders the renderer may read fonts from."""
    files = [face.path for face in FACES] + [path for face in _installed() for _, path in face.files]
    return tuple(sorted({path.parent.resolve() for path in files}))


@cache
def face_css(needed: tuple[Fallback, ...] = ()) -> str:
    """@font-face rules for every text face and the fallbacks needed, pointing at the installed
    files; made once for each set of fallbacks, as every render's HTML holds them."""
    return "\n".join([
        *(f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
          f'font-style: {"italic" if face.italic else "normal"}; }}' for face in FACES),
        *(face.css() for face in needed)])


def stack(needed: tuple[Fallback, ...]) -> str:
    """The fallback families as they follow a text face in a font-family list: ' "A", "B",'."""
    return "".join(f' "{face.family}",' for face in needed)


def fallbacks_for(characters: frozenset[str] | str) -> tuple[Fallback, ...]:
    """The installed fallbacks that draw some character the faces before them lack."""
    return _drawn({ord(c) for c in characters})[0]


def missing_characters(text: str) -> str:
    """The characters of text that no installed face can draw, in order."""
    _, left = _drawn({ord(c) for c in set(text) if not _needs_no_glyph(c)})
    return "".join(dict.fromkeys(c for c in text if ord(c) in left)) if left else ""


def _drawn(codepoints: set[int]) -> tuple[tuple[Fallback, ...], set[int]]:
    """The fallbacks that draw some of the codepoints the text faces lack, and those none draws.
    A fallback's characters are read only when some are still left, so a text the text faces
    draw whole reads no other font (Noto Sans CJK's table alone takes a tenth of a second)."""
    left = codepoints - _covered_by((*FACES,))
    if not left:
        return (), left
    needed = []
    for face in _installed():
        if not left:
            break
        drawn = left & _covered_by((face,))
        if drawn:
            needed.append(face)
            left -= drawn
    return tuple(needed), left


def install_hint(missing: str) -> str:
    """What to install for characters that a face not installed here would draw, if any."""
    packages = dict.fromkeys(package for c in missing if (package := package_for(c)) is not None)
    return f"; install the Debian package {' and '.join(packages)} to print them" if packages else ""


def package_for(character: str) -> str | None:
    """The Debian package of a face not installed here that would draw the character, if any."""
    return next((face.debian_package for face in fallbacks() if not face.installed
                 and face.debian_package and _in(character, face.ranges)), None)


def _needs_no_glyph(character: str) -> bool:
    """White space, and marks that only select or join (variation selectors, joiners, bidi marks)."""
    return character.isspace() or unicodedata.category(character) == "Cf" or \
        0xFE00 <= ord(character) <= 0xFE0F or 0xE0100 <= ord(character) <= 0xE01EF


def _in(character: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(start <= ord(character) <= end for start, end in ranges)


def _installed() -> tuple[Fallback, ...]:
    return tuple(face for face in fallbacks() if face.installed)


MISSING_GLYPH = "\u25a1"  # □, which the sans and code faces have; the serif falls back to them


def with_placeholders(text: str) -> str:
    """text with each character no installed face has replaced by MISSING_GLYPH.

    Left in, such a character prints as an empty box all the same, and it makes
    WeasyPrint write the line's font in a form that many PDF readers cannot turn
    back into text: the whole line would vanish from copy and search.
    """
    missing = missing_characters(text)
    return text.translate({ord(c): MISSING_GLYPH for c in missing}) if missing else text


@cache
def _covered_by(faces: tuple[FontFace | Fallback, ...]) -> frozenset[int]:
    paths = [path for face in faces
             for path in ([face.path] if isinstance(face, FontFace) else [path for _, path in face.files])]
    return frozenset().union(*map(fontcache.drawn_by, paths))
