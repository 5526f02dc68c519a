"""Images from a content pack, checked before anything decodes them.

A raster image's header tells its size, so one too large to decode safely (a
decompression bomb: kilobytes that expand to gigabytes) is refused before a
pixel is decoded. An SVG may not declare entities (which expand, or read other
files) and must be well-formed XML.
"""

from __future__ import annotations

import io
import math
import warnings
import xml.parsers.expat
from pathlib import Path

from .files import FileRefusedError, read_limited, size_text
from .limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS

SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg")


def problem(path: Path) -> str | None:
    """What is wrong with the image file at path, in words that follow its name; None if nothing."""
    if path.suffix.lower() not in SUFFIXES:
        return f"is not an image; use one of {', '.join(SUFFIXES)}"
    try:
        data = read_limited(path, MAX_IMAGE_BYTES)
    except FileRefusedError as refused:
        return f"{refused}; images must be regular files of at most {size_text(MAX_IMAGE_BYTES)}"
    if path.suffix.lower() == ".svg":
        return _svg_problem(data)
    pixels = raster_pixels(data)
    if pixels is None:
        return f"is not a {path.suffix.lower().lstrip('.').upper()} image that can be read"
    return pixels_problem(pixels)


def raster_pixels(data: bytes) -> float | None:
    """Width times height from a raster image's header, or None when data is not a raster image."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():  # Pillow warns, or refuses, above its own limit: ours is lower
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                return width * height
        except Image.DecompressionBombError:
            return math.inf
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            return None


def pixels_problem(pixels: float) -> str | None:
    if pixels > MAX_IMAGE_PIXELS:
        return (f"has more than {MAX_IMAGE_PIXELS:,} pixels (about 7,700 by 5,200), "
                "the most an image may have: scale it down")
    return None


def _svg_problem(data: bytes) -> str | None:
    parser = xml.parsers.expat.ParserCreate()

    def refuse(*_) -> None:
        raise _RefusedError("declares a DOCTYPE or entities, which SVG images here may not")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(data, True)
    except _RefusedError as refused:
        return str(refused)
    except xml.parsers.expat.ExpatError as error:
        return f"is not well-formed SVG: {xml.parsers.expat.errors.messages[error.code]} " \
               f"at line {error.lineno}"
    return None


class _RefusedError(Exception):
    pass
