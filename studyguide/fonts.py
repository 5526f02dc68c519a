"""The typefaces every output uses, installed with pip so each machine prints the same.

Source Serif 4 for reading, Source Sans 3 for headings and furniture, Source
Code Pro for code; formulas use STIX Two Math through ziamath. All are
variable fonts that WeasyPrint instantiates, embeds and subsets.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path


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


def package_dir(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"font package {package} is not installed; "
                                  "run pip install -r requirements.txt")
    return Path(spec.submodule_search_locations[0])


def font_dirs() -> tuple[Path, ...]:
    """Folders the renderer may read fonts from."""
    return tuple(sorted({face.path.parent.resolve() for face in FACES}))


def face_css() -> str:
    """@font-face rules for every face, pointing at the installed files."""
    return "\n".join(
        f'@font-face {{ font-family: "{face.family}"; src: url("{face.path.as_uri()}"); '
        f'font-style: {"italic" if face.italic else "normal"}; }}'
        for face in FACES
    )


def missing_characters(text: str) -> str:
    """The characters of text that none of the bundled text faces can draw, in order."""
    covered = _covered_codepoints()
    missing = dict.fromkeys(c for c in text if ord(c) not in covered and not c.isspace())
    return "".join(missing)


MISSING_GLYPH = "\u25a1"  # □, which the sans and code faces have; the serif falls back to them


def with_placeholders(text: str) -> str:
    """text with each character no bundled face has replaced by MISSING_GLYPH.

    Left in, such a character prints as an empty box all the same, and it makes
    WeasyPrint write the line's font in a form that many PDF readers cannot turn
    back into text: the whole line would vanish from copy and search.
    """
    missing = missing_characters(text)
    return text.translate({ord(c): MISSING_GLYPH for c in missing}) if missing else text


@cache
def _covered_codepoints() -> frozenset[int]:
    from fontTools.ttLib import TTFont

    codepoints: set[int] = set()
    for face in FACES:
        with TTFont(face.path, lazy=True) as font:
            codepoints.update(font.getBestCmap())
    return frozenset(codepoints)
