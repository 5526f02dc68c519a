"""Cutting sanitized answer HTML into pieces that can go on separate cards.

An answer is a run of top-level blocks. A paragraph can be cut between sentences (and,
failing that, between words), a list between items (numbering carries on), a code block
between lines, a table between rows (its header goes with every piece), a block quote
between the blocks it holds. Other blocks (display math, images) stay whole; the card's
CSS scales them down to fit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import Literal

_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "path", "rect", "line"}
_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+")
_LINE_END = re.compile(r"\n")
# A code block as Markdown (codehilite) or raw HTML writes it: the tags around its lines.
_CODE = re.compile(r"^((?:<div[^>]*>)?<pre[^>]*>(?:<span></span>)?(?:<code[^>]*>)?)(.*?)"
                   r"((?:</code>)?</pre>(?:</div>)?)$", re.S)
# A table whose rows can go on separate pieces: what stands before its body rows and after them.
_TABLE = re.compile(r"^(<table[^>]*>\s*(?:<caption>.*?</caption>\s*)?(?:<colgroup>.*?</colgroup>\s*)?"
                    r"(?:<thead>.*?</thead>\s*)?<tbody>)(.*)(</tbody>\s*</table>)$", re.S)
_CHARACTER = re.compile(r"&#?[a-zA-Z0-9]+;|.", re.S)  # a character of HTML text, entities whole
_EMPTY_LINE = "\u200b"  # gives the box of an empty line of code something to measure
_HEADING_TAG = re.compile(r"\s*<h[1-6]\b")
_BLOCK_START = re.compile(r"\s*<(?:p|ul|ol|div|pre|table|blockquote|h[1-6]|figure|dl|details|hr)\b")
CONTINUED, CONTINUES = "continued", "continues"  # classes of a block's first and last piece on a card
QUESTION_REST, QUESTION_END = "question-rest", "question-end"  # a question carried over to the back
FLOWING = ("p", "ol", "ul")  # blocks cut wherever a card ends; the others only when too tall for one


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


# What a piece's inner part is: a whole block's content, an element of a list, table or quote,
# a sentence of a paragraph, or a line of code.
Kind = Literal["whole", "element", "sentence", "line"]


@dataclass(frozen=True)
class Piece:
    """Part of a block: the block's own tags around some of its content."""

    block: int  # which block of the answer it comes from
    opening: str
    inner: str
    closing: str
    kind: Kind = "whole"
    first: bool = True  # the first piece of its block
    last: bool = True  # the last piece of its block

    @property
    def html(self) -> str:
        return f"{self.opening}{self.inner}{self.closing}"

    @property
    def leads(self) -> bool:
        """Whether it belongs with what comes after it, so that no card should end with it: a
        heading, or the first line of a code block cut between cards."""
        opens_code = self.kind == "line" and self.first and not self.last
        return opens_code or bool(_HEADING_TAG.match(self.opening))


def whole(block: Block, number: int) -> Piece:
    return Piece(number, block.html[:block.inner_start],
                 block.html[block.inner_start:block.inner_end], block.html[block.inner_end:])


def split_block(block: Block, number: int) -> list[Piece] | None:
    """Smaller pieces of one block, each valid HTML on its own, or None when it cannot be cut."""
    opening, inner, closing = block.html[:block.inner_start], block.html[block.inner_start:block.inner_end], \
        block.html[block.inner_end:]
    if block.tag in ("p", "blockquote"):
        return _split_container(opening, inner, closing, number)
    if block.tag in ("ol", "ul"):
        return _split_list(block, number)
    if block.tag in ("div", "pre") and (code := _CODE.match(block.html)):
        lines = _cut_text(code.group(2), _LINE_END, keep_edges=True)
        return _pieces(number, code.group(1), lines if len(lines) > 1 else _halves_of_line(code.group(2)),
                       code.group(3), "line")
    if block.tag == "table" and (table := _TABLE.match(block.html)):
        rows = [b.html for b in top_level_blocks(table.group(2)) if b.tag == "tr"]
        head, rows = _header_row(table.group(1), rows)
        return _pieces(number, head, rows, table.group(3), "element")
    return None


def _split_list(block: Block, number: int) -> list[Piece] | None:
    """A list's items, numbering kept; a list of one item, that item's content."""
    opening, closing = block.html[:block.inner_start], block.html[block.inner_end:]
    items = [b for b in top_level_blocks(block.html[block.inner_start:block.inner_end]) if b.tag == "li"]
    if len(items) == 1:
        [item] = items
        item_opening = item.html[:item.inner_start]
        pieces = _split_container(opening + item_opening, item.html[item.inner_start:item.inner_end],
                                  item.html[item.inner_end:] + closing, number)
        rest = opening + _with_classes(item_opening, [CONTINUED])  # no second bullet for the same item
        return [pieces[0], *(replace(p, opening=rest + p.opening[len(opening + item_opening):])
                             for p in pieces[1:])] if pieces else None
    start = re.search(r'start="(\d+)"', opening)
    first = int(start.group(1)) if start else 1
    pieces = _pieces(number, "", [item.html for item in items], closing, "element")
    return [replace(p, opening=f'<ol start="{first + k}">' if block.tag == "ol" else "<ul>")
            for k, p in enumerate(pieces)] if pieces else None


def _pieces(number: int, opening: str, inners: list[str], closing: str, kind: Kind) -> list[Piece] | None:
    if len(inners) < 2:
        return None
    return [Piece(number, opening, inner, closing, kind, first=k == 0, last=k == len(inners) - 1)
            for k, inner in enumerate(inners)]


def _split_container(opening: str, inner: str, closing: str, number: int) -> list[Piece] | None:
    """The pieces of what stands between opening and closing: text between sentences (or, for a
    sentence too long, between words), blocks between blocks, a lone block by its own pieces."""
    if not _BLOCK_START.match(inner):
        parts = _cut_text(inner, _SENTENCE_END) or _halves(_cut_text(inner, re.compile(r"\s+")))
        return _pieces(number, opening, parts, closing, "sentence")
    children = top_level_blocks(inner)
    if len(children) == 1:
        pieces = split_block(children[0], number)
        return [replace(p, opening=opening + p.opening, closing=p.closing + closing) for p in pieces] \
            if pieces else None
    return _pieces(number, opening, [child.html for child in children], closing, "element")


def _header_row(opening: str, rows: list[str]) -> tuple[str, list[str]]:
    """A table without <thead> whose first row holds only header cells: that row heads every piece."""
    if "<thead>" in opening or not rows or re.search(r"<td\b", rows[0]) or not re.search(r"<th\b", rows[0]):
        return opening, rows
    return opening + rows[0], rows[1:]


def join(pieces: list[Piece], piece_id: Callable[[int], str] | None = None) -> str:
    """The pieces as HTML, neighbours cut from the same block put back into one element
    (pieces cut at the same depth of a block end with the same closing tags).

    A block that goes on from an earlier card or on to a later one carries the class
    CONTINUED or CONTINUES. With piece_id, the k-th piece carries the id piece_id(k), so
    that a render can tell where it lies.
    """
    if piece_id is not None:
        pieces = [_with_id(piece, piece_id(k)) for k, piece in enumerate(pieces)]
    html, run = [], []
    for piece in [*pieces, None]:
        if run and (piece is None or (piece.block, piece.closing) != (run[0].block, run[0].closing)):
            separator = " " if run[0].kind == "sentence" else ""
            classes = [CONTINUED] * (not run[0].first) + [CONTINUES] * (not run[-1].last)
            html.append(_with_classes(run[0].opening, classes) + separator.join(p.inner for p in run)
                        + run[0].closing)
            run = []
        if piece is not None:
            run.append(piece)
    return "".join(html)


def carried(html: str) -> str:
    """The rest of a question, carried to a card's back: each block marked as question text,
    with a rule under the last, where the answer starts."""
    marked = (_with_classes(block.html[:block.inner_start], [QUESTION_REST]) + block.html[block.inner_start:]
              for block in top_level_blocks(html))
    return "".join(marked) + f'<hr class="{QUESTION_END}">'


def _with_classes(opening: str, classes: list[str]) -> str:
    """The opening tags with classes added to the outermost element, for the kinds cut between elements."""
    if not classes or not opening:
        return opening
    tag = re.match(r"<[a-zA-Z0-9]+[^>]*>", opening).group()
    if ' class="' in tag:
        marked = tag.replace(' class="', f' class="{" ".join(classes)} ', 1)
    else:
        marked = tag[:-1] + f' class="{" ".join(classes)}">'
    return marked + opening[len(tag):]


def _with_id(piece: Piece, element_id: str) -> Piece:
    if piece.kind == "element":
        return replace(piece, inner=re.sub(r"^(\s*<[a-zA-Z0-9]+)", rf'\1 id="{element_id}"', piece.inner,
                                           count=1))
    if piece.kind in ("sentence", "line"):  # its own inline box within the paragraph or the code
        text = piece.inner.rstrip("\n")
        return replace(piece, inner=f'<span id="{element_id}">{text or _EMPTY_LINE}</span>'
                                    f"{piece.inner[len(text):]}")
    return replace(piece, opening=re.sub(r"^<([a-zA-Z0-9]+)", rf'<\1 id="{element_id}"', piece.opening,
                                           count=1))


def _halves_of_line(line: str) -> list[str]:
    """A line of code too long for a card, cut in two near its middle, at a space if one is near:
    its highlighting goes (a token may run across the cut), its characters stay as they were."""
    text = re.sub(r"</?span[^>]*>", "", line)
    body = text.rstrip("\n")
    units = _CHARACTER.findall(body)
    if len(units) < 2:
        return []
    middle = len(units) // 2
    near = [k for k in range(len(units) // 4, 3 * len(units) // 4) if units[k] == " "]
    cut = min(near, key=lambda k: abs(k - middle)) + 1 if near else middle
    return ["".join(units[:cut]), "".join(units[cut:]) + text[len(body):]]


def _halves(words: list[str]) -> list[str]:
    """Words joined back into two halves: a sentence too long for a card is cut in the middle."""
    if len(words) < 2:
        return []
    middle = len(words) // 2
    return [" ".join(words[:middle]), " ".join(words[middle:])]


def _cut_text(inner: str, boundary: re.Pattern, keep_edges: bool = False) -> list[str]:
    """inner cut at boundaries that lie outside any tag, or [] when there is none.

    Each part ends with the boundary that cut it; stripped of blanks at both ends unless keep_edges.
    """
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
    parts = [inner[a:b] if keep_edges else inner[a:b].strip() for a, b in zip(edges, edges[1:], strict=False)]
    return [part for part in parts if part]


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
