"""Reading PDFs back for the tests: text per page, outline, links, fonts."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader


def normalize(text: str) -> str:
    """Text as extracted, with typographic quotes, soft breaks and spacing made plain."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u200b": ""}))
    text = re.sub(r"-\n", "", text)  # words hyphenated at line ends
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path) -> list[str]:
    """Each page's text in reading order, line by line from the top."""
    with pdfplumber.open(path) as pdf:
        return [normalize(page.extract_text() or "") for page in pdf.pages]


def band_text(path: Path, page_number: int, top: float, bottom: float) -> str:
    """The text between two heights (in pt from the top of the page) on a 1-based page."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        box = (0, top, page.width, min(bottom, page.height))
        return normalize(page.crop(box).extract_text() or "")


@dataclass(frozen=True)
class Link:
    name: str  # the named destination, e.g. card-kv-cache
    text: str  # the text under the link's largest box
    target: int  # 1-based page


def named_links(path: Path, page_number: int) -> list[Link]:
    """The internal links of a page, one per destination, in the order they first appear."""
    reader = PdfReader(path)
    largest: dict[str, tuple[float, tuple[float, ...], int]] = {}
    for annotation, target in _link_annotations(reader, page_number):
        x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
        area = abs((x1 - x0) * (y1 - y0))
        name = str(annotation["/Dest"])
        if name not in largest or area > largest[name][0]:
            largest[name] = (area, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), target)
    links = []
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        for name, (_, (x0, y0, x1, y1), target) in largest.items():
            box = (x0, page.height - y1, x1, page.height - y0)
            links.append(Link(name, normalize(page.within_bbox(box).extract_text() or ""), target))
    return links


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based
    children: tuple[Bookmark, ...]


def outline(path: Path) -> list[Bookmark]:
    reader = PdfReader(path)

    def walk(items) -> list[Bookmark]:
        marks: list[Bookmark] = []
        for item in items:
            if isinstance(item, list):
                last = marks.pop()
                marks.append(Bookmark(last.title, last.page, tuple(walk(item))))
            else:
                marks.append(Bookmark(item.title, reader.get_destination_page_number(item) + 1, ()))
        return marks

    return walk(reader.outline)


def _link_annotations(reader: PdfReader, page_number: int):
    page = reader.pages[page_number - 1]
    for annotation in page.get("/Annots", []):
        annotation = annotation.get_object()
        if annotation.get("/Subtype") != "/Link":
            continue
        destination = reader.named_destinations[str(annotation["/Dest"])]
        yield annotation, reader.get_destination_page_number(destination) + 1


def fonts(path: Path) -> dict[str, dict]:
    """Every font the PDF uses, by base name, with its descriptor."""
    found = {}
    for page in PdfReader(path).pages:
        resources = page.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            found[str(font["/BaseFont"])] = descendant.get("/FontDescriptor", {}).get_object()
    return found


MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Word:
    text: str
    x0: float  # mm from the left
    x1: float
    top: float  # mm from the top
    bottom: float
    size: float  # pt

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float


def page_words(path: Path) -> list[list[Word]]:
    """The words of every page, with positions in mm and font sizes in pt."""
    with pdfplumber.open(path) as pdf:
        return [[Word(w["text"], w["x0"] * MM_PER_PT, w["x1"] * MM_PER_PT, w["top"] * MM_PER_PT,
                      w["bottom"] * MM_PER_PT, round(w["size"], 2))
                 for w in page.extract_words(extra_attrs=["size"])] for page in pdf.pages]


def page_boxes(path: Path) -> list[list[Box]]:
    """The filled rectangles of every page (rules, marks, bands), in mm."""
    with pdfplumber.open(path) as pdf:
        return [[Box(r["x0"] * MM_PER_PT, r["top"] * MM_PER_PT, r["x1"] * MM_PER_PT,
                     r["bottom"] * MM_PER_PT) for r in page.rects] for page in pdf.pages]


def page_size_mm(path: Path) -> tuple[float, float]:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        return page.width * MM_PER_PT, page.height * MM_PER_PT
