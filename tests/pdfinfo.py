"""Reading PDFs back for the tests: text per page, outline, links, fonts, sizes, colours."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import outloud
import pdfplumber
import pikepdf
import pymupdf
import pypdfium2
from PIL import Image
from pypdf import PdfReader


def normalize(text: str) -> str:
    """Text as extracted, with typographic quotes, soft breaks and spacing made plain."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u200b": ""}))
    text = re.sub(r"-\n", "", text)  # words hyphenated at line ends
    return re.sub(r"\s+", " ", text).strip()


def page_texts(path: Path, numbers: Iterable[int] | None = None) -> list[str]:
    """Each page's text in reading order, line by line from the top; only the pages of numbers
    (counted from 0), if given. Read as pdfplumber reads it (words of characters less than
    3 pt apart, lines of words whose tops are less than 3 pt apart), from MuPDF's characters:
    ten times quicker."""
    with pymupdf.open(path) as document:
        pages = document if numbers is None else [document[number] for number in numbers]
        return [normalize(_text(_chars(page))) for page in pages]


@dataclass(frozen=True)
class _Char:
    text: str  # one character, or a ligature's
    x0: float  # pt from the left
    x1: float
    top: float  # pt from the top: the baseline less the size and the font's descent, as pdfminer
    # takes it (MuPDF's descent differs from the font descriptor's pdfminer reads by 1 to 2.5 pt)


_AS_DRAWN = pymupdf.TEXT_INHIBIT_SPACES | pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
_TOLERANCE = 3  # pt, pdfplumber's default in both directions


def _chars(page: pymupdf.Page) -> list[_Char]:
    """The page's characters in the order they are drawn, only the spaces drawn among them."""
    found: list[_Char] = []
    for block in page.get_text("rawdict", flags=_AS_DRAWN)["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                size = span["size"]
                for char in span["chars"]:
                    x0, _, x1, _ = char["bbox"]
                    if found and x1 - x0 < 0.01 and found[-1].x1 == x0:  # the rest of a ligature's text
                        found[-1] = replace(found[-1], text=found[-1].text + char["c"])
                    else:
                        top = char["origin"][1] - size * (1 + span["descender"])
                        found.append(_Char(char["c"], x0, x1, top))
    return found


def _words(chars: list[_Char]) -> list[list[_Char]]:
    """The characters by word: a space, a step back or a gap of more than the tolerance ends one."""
    words: list[list[_Char]] = []
    word: list[_Char] = []
    for char in chars:
        if word and (char.text.isspace() or char.x0 < word[-1].x0 - 0.01
                     or char.x0 > word[-1].x1 + _TOLERANCE or abs(char.top - word[-1].top) > _TOLERANCE):
            words.append(word)
            word = []
        if not char.text.isspace():
            word.append(char)
    return [*words, word] if word else words


def _text(chars: list[_Char]) -> str:
    lines: list[list[list[_Char]]] = []
    for word in sorted(_words(chars), key=lambda word: word[0].top):
        if lines and word[0].top - lines[-1][-1][0].top <= _TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return "\n".join(" ".join("".join(char.text for char in word)
                              for word in sorted(line, key=lambda word: word[0].x0)) for line in lines)


def reads(text: str, phrase: str) -> bool:
    """Whether the phrase stands in the extracted text, however its hyphens broke at line ends."""
    return phrase.replace("-", "") in text.replace("-", "")


def inner_texts(path: Path, top: float, bottom: float) -> list[str]:
    """Each page's text without its top and bottom margins (in pt), where headers and footers
    live; read with pdfium, which is quick but may space out letter-spaced words."""
    document = pypdfium2.PdfDocument(path)
    try:
        texts = []
        for page in document:
            width, height = page.get_size()
            texts.append(normalize(page.get_textpage().get_text_bounded(0, bottom, width, height - top)))
        return texts
    finally:
        document.close()


def band_text(path: Path, page_number: int, top: float, bottom: float) -> str:
    """The text between two heights (in pt from the top of the page) on a 1-based page."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        box = (0, top, page.width, min(bottom, page.height))
        return normalize(page.crop(box).extract_text() or "")


@dataclass(frozen=True)
class Link:
    name: str  # the named destination, e.g. card-kv-cache
    text: str  # the text under the link's box
    target: int  # 1-based page
    page: int  # 1-based page the link is on
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pt from the page's top left

    @property
    def area(self) -> float:
        x0, top, x1, bottom = self.box
        return (x1 - x0) * (bottom - top)


def page_links(path: Path, page_numbers: Iterable[int]) -> list[Link]:
    """Every box of every internal link on the pages; a link broken over lines has several."""
    reader = PdfReader(path)
    links = []
    with pdfplumber.open(path) as pdf:
        for number in page_numbers:
            page = pdf.pages[number - 1]
            for annotation, target in _link_annotations(reader, number):
                x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
                box = (min(x0, x1), page.height - max(y0, y1), max(x0, x1), page.height - min(y0, y1))
                empty = box[0] == box[2] or box[1] == box[3]  # WeasyPrint leaves some at line ends
                text = "" if empty else normalize(page.within_bbox(box).extract_text() or "")
                links.append(Link(str(annotation["/Dest"]), text, target, number, box))
    return links


def named_links(path: Path, page_number: int) -> list[Link]:
    """The internal links of a page, one per destination (its largest box), in the order they first appear."""
    largest: dict[str, Link] = {}
    for link in page_links(path, [page_number]):
        if link.name not in largest or link.area > largest[link.name].area:
            largest[link.name] = link
    return list(largest.values())


def link_destinations(path: Path) -> list[tuple[int, str, int | None]]:
    """Every internal link as (page, destination, target page), None where it leads nowhere."""
    with pikepdf.open(path) as pdf:
        names, numbers = _destinations(pdf), _page_numbers(pdf)
        found = []
        for number, page in enumerate(pdf.pages, 1):
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                    name = str(annotation.Dest)
                    found.append((number, name, _target(annotation.Dest, names, numbers)))
    return found


def _destinations(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Object]:
    """The named destinations, by name."""
    names = pdf.Root.get("/Names", {}).get("/Dests")
    return {} if names is None else {str(name): dest for name, dest in pikepdf.NameTree(names).items()}


def _page_numbers(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: number for number, page in enumerate(pdf.pages, 1)}


def _target(destination: pikepdf.Object | None, names: dict[str, pikepdf.Object],
            numbers: dict[tuple[int, int], int]) -> int | None:
    """The page number a destination leads to: a name, [page /XYZ ...], or a dictionary holding
    one in /D; None where it leads nowhere."""
    if isinstance(destination, (pikepdf.String, pikepdf.Name)):
        destination = names.get(str(destination))
    if isinstance(destination, pikepdf.Dictionary):
        destination = destination.get("/D")
    return None if destination is None else numbers.get(destination[0].objgen)


def uris(path: Path) -> list[str]:
    """The web addresses the PDF's links open."""
    found = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A", {})
            if action.get("/S") == "/URI":
                found.append(str(action["/URI"]))
    return found


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int  # 1-based
    children: tuple[Bookmark, ...]


def outline(path: Path) -> list[Bookmark]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as bookmarks:
        names, numbers = _destinations(pdf), _page_numbers(pdf)

        def walk(items) -> list[Bookmark]:
            return [Bookmark(item.title, _target(item.destination, names, numbers),
                             tuple(walk(item.children))) for item in items]

        return walk(bookmarks.root)


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


def body_text_size(path: Path) -> float:
    """The size, in pt, of most characters set in the text face (Source Serif 4)."""
    sizes: Counter[float] = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            sizes.update(round(char["size"], 2) for char in page.chars
                         if "Source-Serif-4" in char["fontname"])
    return sizes.most_common(1)[0][0]


def text_lines(path: Path, page_number: int, size: float) -> list[str]:
    """The lines of a page set in the text face at the given size."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1].filter(
            lambda o: o.get("object_type") != "char"
            or ("Source-Serif-4" in o["fontname"] and abs(o["size"] - size) < 0.01))
        return [line["text"] for line in page.extract_text_lines()]


def colours(path: Path, page_number: int) -> tuple[set[tuple[float, ...]], set[tuple[float, ...]]]:
    """The fill colours of a page's text in the text face, and of the shapes drawn among
    that text: the formulas (buttons and rules lie outside it or are not curves)."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_number - 1]
        chars = [c for c in page.chars if "Source-Serif-4" in c["fontname"]]
        top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
        shapes = {tuple(curve["non_stroking_color"]) for curve in page.curves
                  if top <= (curve["top"] + curve["bottom"]) / 2 <= bottom}
        return {tuple(c["non_stroking_color"]) for c in chars}, shapes


def luminance(colour: tuple[float, ...]) -> float:
    """Relative brightness from 0 (black) to 1 (white) of an RGB or gray colour in 0..1."""
    if len(colour) == 1:
        return colour[0]
    red, green, blue = colour[:3]
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def page_image(path: Path, page_number: int, dpi: float = 40) -> Image.Image:
    """The page drawn as an RGB image."""
    document = pypdfium2.PdfDocument(path)
    try:
        return document[page_number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        document.close()


def page_drawn(path: Path) -> list[list[tuple[str, Box]]]:
    """Everything drawn on every page, as (kind, box in mm): each glyph, image, rectangle,
    curve and line."""
    kinds = ("chars", "images", "rects", "curves", "lines")
    with pdfplumber.open(path) as pdf:
        return [[(kind, Box(*(o[edge] * MM_PER_PT for edge in ("x0", "top", "x1", "bottom"))))
                 for kind in kinds for o in getattr(page, kind)
                 if kind != "chars" or not o["text"].isspace()] for page in pdf.pages]


def card_labels(path: Path) -> list[dict[str, Word]]:
    """The number in the header of every card, page by page, by its text: found by its place in
    the tagged structure (a card, its header first, the number the header's last text)."""
    with pdfplumber.open(path) as pdf:
        return [_card_labels(page) for page in pdf.pages]


def _card_labels(page) -> dict[str, Word]:
    [document] = page.structure_tree
    cards = [card for sheet in document["children"] for card in sheet["children"] if card["type"] == "Div"]
    labels = {}
    for card in cards:
        *_, mcid = _mcids(card["children"][0])
        chars = [c for c in page.chars if c.get("mcid") == mcid and c["text"].strip()]
        label = Word("".join(c["text"] for c in chars), min(c["x0"] for c in chars) * MM_PER_PT,
                     max(c["x1"] for c in chars) * MM_PER_PT, min(c["top"] for c in chars) * MM_PER_PT,
                     max(c["bottom"] for c in chars) * MM_PER_PT, round(chars[0]["size"], 2))
        labels[label.text] = label
    return labels


def _mcids(element: dict) -> list[int]:
    """The marked content of an element of the structure tree and of those inside it, in order."""
    return [*element.get("mcids", []), *(m for child in element.get("children", []) for m in _mcids(child))]


def accessibility_failures(pdf: Path) -> list[str]:
    """What an independent PDF/UA-1 checker finds wrong: its errors, its failed Matterhorn checkpoints."""
    result = outloud.check(str(pdf))
    assert result.error is None, result.error
    errors = [f"{finding.rule}: {finding.message}" for finding in result.findings
              if finding.severity == "error"]
    failed = [f"Matterhorn {point['id']} {point['name']}" for point in result.criteria["pdfua1"]
              if point["status"] == "fail"]
    return errors + failed
