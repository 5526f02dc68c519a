"""What the markup step reads from HTML: the addresses it links and shows, and how deep it nests.

Both are read with Python's own HTML parser, which keeps no tree and never
recurses, so any depth of nesting costs only time in proportion to the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


@dataclass(frozen=True)
class Scan:
    links: tuple[str, ...]  # the href of every <a>, as written, entities decoded
    images: tuple[str, ...]  # the src of every <img>
    unnamed_images: tuple[str, ...]  # the src of every <img> without an alt text
    depth: int  # the most elements open inside one another
    tags: tuple[str, ...]  # the name of every element, once each, in the order they first open


def scan(html: str) -> Scan:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return Scan(tuple(scanner.links), tuple(scanner.images), tuple(scanner.unnamed_images), scanner.deepest,
                tuple(scanner.tags))


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.images: list[str] = []
        self.unnamed_images: list[str] = []
        self.open: list[str] = []
        self.deepest = 0
        self.tags: dict[str, None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.setdefault(tag)
        if tag == "a" and attributes.get("href") is not None:
            self.links.append(attributes["href"] or "")
        elif tag == "img" and attributes.get("src") is not None:
            self.images.append(attributes["src"] or "")
            if not (attributes.get("alt") or "").strip():
                self.unnamed_images.append(attributes["src"] or "")
        if tag not in _VOID:
            self.open.append(tag)
            self.deepest = max(self.deepest, len(self.open))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:  # closes it and whatever was left open inside it
            while self.open.pop() != tag:
                pass
