"""Cutting sanitized answer HTML into pieces that can go on separate cards.

An answer is a run of top-level blocks. A paragraph can be cut between sentences (and,
failing that, between words), a list between items (numbering carries on); other blocks
(code, tables, quotes, display math) stay whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html.parser import HTMLParser

_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "path", "rect", "line"}
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")


@dataclass(frozen=True)
class Block:
    html: str
    tag: str
    inner_start: int  # where the content inside the outer tag starts, in html
    inner_end: int


def top_level_blocks(html: str) -> list[Block]:
    """The top-level elements of a fragment, in order; stray text becomes a paragraph."""
    html = str(html)  # plain text: pieces of Markup would escape what they are joined with
    parser = _TopLevel()
    parser.feed(html)
    parser.close()
    return parser.blocks(html)


@dataclass(frozen=True)
class Piece:
    """Part of a block: the block's own tags around some of its content."""

    block: int  # which block of the answer it comes from
    opening: str
    inner: str
    closing: str

    @property
    def html(self) -> str:
        return f"{self.opening}{self.inner}{self.closing}"


def whole(block: Block, number: int) -> Piece:
    return Piece(number, block.html[:block.inner_start],
                 block.html[block.inner_start:block.inner_end], block.html[block.inner_end:])


def split_block(block: Block, number: int) -> list[Piece] | None:
    """Smaller pieces of one block, each valid HTML on its own, or None when it cannot be cut."""
    piece = whole(block, number)
    if block.tag == "p":
        parts = _cut_text(piece.inner, _SENTENCE_END) or _halves(_cut_text(piece.inner, re.compile(r"\s+")))
        return [Piece(number, piece.opening, part, piece.closing) for part in parts] or None
    if block.tag in ("ol", "ul"):
        items = [b.html for b in top_level_blocks(piece.inner) if b.tag == "li"]
        if len(items) < 2:
            return None
        start = re.search(r'start="(\d+)"', piece.opening)
        first = int(start.group(1)) if start else 1
        return [Piece(number, f'<ol start="{first + offset}">' if block.tag == "ol" else "<ul>",
                      item, piece.closing) for offset, item in enumerate(items)]
    return None


def join(pieces: list[Piece], marked: bool = False) -> str:
    """The pieces as HTML, neighbours cut from the same block put back into one element.

    With marked, the k-th piece carries the id piece-k, so that a render can tell where it lies.
    """
    if marked:
        pieces = [_with_id(piece, f"piece-{k}") for k, piece in enumerate(pieces)]
    html, run = [], []
    for piece in [*pieces, None]:
        if run and (piece is None or piece.block != run[0].block):
            separator = " " if run[0].opening.startswith("<p") else ""
            html.append(run[0].opening + separator.join(p.inner for p in run) + run[0].closing)
            run = []
        if piece is not None:
            run.append(piece)
    return "".join(html)


def _with_id(piece: Piece, element_id: str) -> Piece:
    if piece.inner.startswith("<li"):
        return replace(piece, inner=piece.inner.replace("<li", f'<li id="{element_id}"', 1))
    if piece.opening.startswith("<p"):  # a sentence: its own inline box within the paragraph
        return replace(piece, inner=f'<span id="{element_id}">{piece.inner}</span>')
    return replace(piece, opening=re.sub(r"^<([a-zA-Z0-9]+)", rf'<\1 id="{element_id}"', piece.opening,
                                           count=1))


def _halves(words: list[str]) -> list[str]:
    """Words joined back into two halves: a sentence too long for a card is cut in the middle."""
    if len(words) < 2:
        return []
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])]


def _cut_text(inner: str, boundary: re.Pattern) -> list[str]:
    """inner cut at boundaries that lie outside any tag, or [] when there is none."""
    depth, cuts = 0, []
    for token in re.finditer(r"<(/?)([a-zA-Z0-9]+)[^>]*?(/?)>|[^<]+", inner):
        if token.group(2):
            name = token.group(2).lower()
            if token.group(1):
                depth -= 1
            elif not token.group(3) and name not in _VOID:
                depth += 1
        elif depth == 0:
            for match in boundary.finditer(token.group()):
                cuts.append(token.start() + match.end())
    if not cuts:
        return []
    edges = [0, *cuts, len(inner)]
    return [inner[a:b].strip() for a, b in zip(edges, edges[1:], strict=False) if inner[a:b].strip()]


class _TopLevel(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.spans: list[tuple[str, int, int, int, int]] = []  # tag, start, inner start, inner end, end
        self._open: tuple[str, int, int] | None = None
        self._offsets: list[int] = []

    def feed(self, data: str) -> None:
        # Line starts as HTMLParser counts lines: after "\n" only (not U+2028 and the like).
        self._offsets = [0, *(match.end() for match in re.finditer("\n", data))]
        super().feed(data)

    def _position(self) -> int:
        line, column = self.getpos()
        return self._offsets[line - 1] + column

    def handle_starttag(self, tag: str, attrs) -> None:
        start = self._position()
        end = start + len(self.get_starttag_text() or "")
        if tag in _VOID:
            if self.depth == 0:
                self.spans.append((tag, start, end, end, end))
            return
        if self.depth == 0:
            self._open = (tag, start, end)
        self.depth += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        if self.depth == 0:
            start = self._position()
            end = start + len(self.get_starttag_text() or "")
            self.spans.append((tag, start, end, end, end))

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if self.depth == 0 and self._open is not None:
            start = self._position()
            name, open_start, inner_start = self._open
            end = start + len(f"</{tag}>")
            self.spans.append((name, open_start, inner_start, start, end))
            self._open = None

    def blocks(self, html: str) -> list[Block]:
        result, previous = [], 0
        for tag, start, inner_start, inner_end, end in self.spans:
            stray = html[previous:start].strip()
            if stray:
                result.append(Block(f"<p>{stray}</p>", "p", 3, 3 + len(stray)))
            result.append(Block(html[start:end], tag, inner_start - start, inner_end - start))
            previous = end
        stray = html[previous:].strip()
        if stray:
            result.append(Block(f"<p>{stray}</p>", "p", 3, 3 + len(stray)))
        return result
