"""The flashcards as plain text: flashcards.tsv for Quizlet's and Anki's text import, flashcards.csv
for spreadsheets and other apps.

Card text is the sanitized HTML the markup step made for the PDFs (converted once,
within its limits), read back as text: paragraphs and list items on lines of their
own, links followed by their address, math as its LaTeX source between `$`.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser

from ..content.model import Guide
from ..markup.rendered import Formula, RenderedCard, Sanitized

CSV_HEADER = ("id", "section", "question", "answer", "tags", "difficulty")

_BLOCKS = {"p", "div", "pre", "blockquote", "ul", "ol", "dl", "table", "hr", "figure",
           "h1", "h2", "h3", "h4", "h5", "h6"}
_LINES = {"li", "tr", "dt", "dd", "caption", "figcaption"}
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def to_tsv(guide: Guide) -> bytes:
    """question TAB answer, one card per line: tabs and line breaks in a field become spaces."""
    lines = ("\t".join(" ".join(text(sanitized).split()) for sanitized in _texts(card))
             for card in guide.cards)
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def to_csv(guide: Guide) -> bytes:
    """RFC 4180 CSV with a header row; fields keep their line breaks, quoted.

    UTF-8 with a byte-order mark, so that Excel too reads it as UTF-8. A field
    that a spreadsheet would run as a formula starts with an apostrophe.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section in guide.sections:
        for card in section.cards:
            question, answer = (text(sanitized) for sanitized in _texts(card))
            row = (card.id, section.title, question, answer, ", ".join(card.tags), card.difficulty or "")
            writer.writerow([_inert(field) for field in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def text(sanitized: Sanitized) -> str:
    """Card text as readable plain text, with math as $LaTeX$ or $$LaTeX$$."""
    reader = _TextReader()
    reader.feed(sanitized.html)
    reader.close()
    return sanitized.fill(_dollars, reader.text())


def _texts(card: RenderedCard) -> tuple[Sanitized, Sanitized]:
    return card.question_markup, card.flashcard_markup


def _dollars(formula: Formula) -> str:
    return f"$${formula.latex}$$" if formula.display else f"${formula.latex}$"


def _inert(field: str) -> str:
    return "'" + field if field.startswith(SPREADSHEET_FORMULA) else field


class _Container:
    """A list item or block quote: what its first line starts with, and what the others do."""

    def __init__(self, first: str, rest: str):
        self.first, self.rest, self.started = first, rest, False

    def prefix(self) -> str:
        prefix = self.rest if self.started else self.first
        self.started = True
        return prefix


class _TextReader(HTMLParser):
    """Sanitized card HTML read back as lines of text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.inline = ""  # text of the line being read, with HTML's white space
        self.containers: list[_Container] = []
        self.lists: list[list[int]] = []  # the next number of each open list; 0 for bullets
        self.links: list[tuple[str, int]] = []  # address and where its text starts in self.inline
        self.cells = 0
        self.pre = False
        self.gap = False  # a blank line before the next one

    def text(self) -> str:
        self._end_line()
        return "\n".join(self.lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in _BLOCKS or tag in _LINES or tag == "br":
            self._end_line()
        if tag in ("ul", "ol"):
            self.lists.append([int(attributes.get("start") or 1) if tag == "ol" else 0])
        elif tag == "li" and self.lists:
            number = self.lists[-1][0]
            marker = f"{number}. " if number else "• "
            self.lists[-1][0] += bool(number)
            self.containers.append(_Container(marker, " " * len(marker)))
        elif tag == "blockquote":
            self.containers.append(_Container("> ", "> "))
        elif tag == "pre":
            self.pre = True
        elif tag == "tr":
            self.cells = 0
        elif tag in ("td", "th"):
            self.inline += " | " if self.cells else ""
            self.cells += 1
        elif tag == "img":
            alt = " ".join((attributes.get("alt") or "").split())
            self.inline += f"[image: {alt}]" if alt else "[image]"
        elif tag == "a":
            self.links.append((attributes.get("href") or "", len(self.inline)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href, start = self.links.pop()
            label = _HTML_SPACE.sub(" ", self.inline[start:]).strip()
            if href and href.removeprefix("mailto:") != label:
                self.inline += f" ({href})"
            return
        if tag in _BLOCKS or tag in _LINES:
            self._end_line()
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag in ("li", "blockquote") and self.containers:
            self.containers.pop()
        elif tag == "pre":
            self.pre = False
        if tag in _BLOCKS and not self.containers:
            self.gap = True

    def handle_data(self, data: str) -> None:
        self.inline += data

    def _end_line(self) -> None:
        if self.pre:
            lines = self.inline.rstrip("\n").split("\n") if self.inline.strip() else []
        else:
            line = _HTML_SPACE.sub(" ", self.inline).strip()
            lines = [line] if line else []
        self.inline = ""
        for line in lines:
            if self.gap and self.lines:
                self.lines.append("")
            self.gap = False
            prefix = "".join(container.prefix() for container in self.containers)
            self.lines.append((prefix + line).rstrip())
