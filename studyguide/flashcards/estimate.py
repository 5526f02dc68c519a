"""A safe guess of how tall card text will be, without rendering it.

With characters taken wider than Source Serif's and Source Sans' average, a guess is
never short of the real height; fitting measures only what a guess cannot settle.
Every size and line height is read from prose.css and cards.css (stylesheets.py), so the
guesses follow the stylesheets; the widths of characters are what the faces measure.
"""

from __future__ import annotations

import html
import math
import re

from markupsafe import Markup

from ..html import stylesheets
from ..markup import formulas
from .blocks import Block, top_level_blocks

PT_MM = 25.4 / 72
CHAR_WIDTH_EM = 0.56
MONO_WIDTH_EM = 0.62  # Source Code Pro is 0.6 em a character
_UNSURE = re.compile(r"<(?:img|h\d|hr|dl|figure)\b")
# The rules of prose.css that set the margins of the blocks guessed here.
BLOCK_RULES = (".prose p", ".prose ul, .prose ol", ".prose blockquote", ".prose pre, .prose .codehilite",
               ".prose table")


def block_gap_em() -> float:
    """The largest space prose.css puts between two blocks (margins collapse: the larger one
    counts), in em of the card's text: a margin in em of a block set smaller is smaller."""
    gaps = []
    for selector in BLOCK_RULES:
        declarations = stylesheets.rule("prose.css", selector)
        scale = stylesheets.em(declarations.get("font-size", "1em"))
        gaps.extend(stylesheets.em(margin) * scale for margin in declarations["margin"].split())
    return max(gaps)


def line_height(kind: str) -> float:
    """The line height of a card's question or answer, in em (cards.css)."""
    return stylesheets.number(stylesheets.rule("cards.css", f".card-{kind}")["line-height"])


def guess_height(kind: str, text: Markup, size_pt: float, width: float) -> float | None:
    """A height in mm no lower than the text will take, or None for what cannot be guessed."""
    if _UNSURE.search(text) or None in formulas.drawings_in(text):
        return None
    em = size_pt * PT_MM
    line = em * line_height(kind)
    # A question is inline text, unless it holds paragraphs of its own (an imported note's front).
    blocks = top_level_blocks(f"<p>{text}</p>" if kind == "question" and "<p>" not in text else text)
    heights = [_block_height(block, em, line, width) for block in blocks]
    if None in heights:
        return None
    return sum(heights) + block_gap_em() * em * max(len(blocks) - 1, 0)  # no gap without blocks


def _block_height(block: Block, em: float, line: float, width: float) -> float | None:
    """A safe height for one top-level block of card text (prose.css sets its sizes)."""
    inner = block.html[block.inner_start:block.inner_end]
    if block.tag == "div" and "codehilite" in block.html[:block.inner_start]:
        code = html.unescape(re.sub(r"<[^>]+>", "", inner)).rstrip("\n").split("\n")
        code_rule = stylesheets.rule("prose.css", ".prose pre code")
        code_em, text_width = stylesheets.em(code_rule["font-size"]) * em, width - 1.6 * em
        rows = sum(max(1, math.ceil(len(row) * MONO_WIDTH_EM * code_em / text_width)) for row in code)
        return rows * code_em * stylesheets.number(code_rule["line-height"]) + 1.8 * em  # padding, margin
    if block.tag == "table":
        cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
                 for row in re.findall(r"<tr>(.*?)</tr>", inner, re.S)]
        columns = max((len(row) for row in cells), default=1)
        cell_em = stylesheets.em(stylesheets.rule("prose.css", ".prose table")["font-size"]) * em
        rows = [max((_lines(cell, cell_em, width / columns - 0.7 * cell_em) for cell in row), default=1)
                for row in cells]
        return sum(rows) * cell_em * line_height("answer") + len(rows) * 0.5 * cell_em
    if block.tag in ("ul", "ol"):
        items = re.split(r"<li\b", inner)[1:]  # from each item's start, nested ones too; an empty one: a line
        return sum(_lines(item, em, width - 1.4 * em) * line + 0.3 * em for item in items)
    if block.tag in ("p", "blockquote"):
        inset = 0.9 * em if block.tag == "blockquote" else 0.0
        return _lines(inner, em, width - inset) * line + _tall_formulas(inner, em, line)
    return None


def _lines(fragment: str, em: float, width: float) -> int:
    """How many lines a fragment of HTML takes at most, its formulas counted as letters."""
    paragraphs = [part for part in re.split(r"<br\s*/?>|<p>|</p>", fragment) if _text(part)]
    return sum(math.ceil(len(_text(part)) * CHAR_WIDTH_EM * em / width) for part in paragraphs) or 1


def _text(fragment: str) -> str:
    formulas_as_letters = re.sub(rf"({formulas.SVG_OPENING.pattern}).*?</svg>",
                                 lambda m: "x" * _formula_letters(m.group(1)), fragment, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", formulas_as_letters)).strip()


def _formula_letters(opening: str) -> int:
    return math.ceil(formulas.drawing_of(opening).width_em / CHAR_WIDTH_EM) + 1


def _tall_formulas(fragment: str, em: float, line: float) -> float:
    """Formulas taller than a line push lines apart: display formulas most of all."""
    extra = 0.0
    for drawing in formulas.drawings_in(fragment):
        size = drawing.height_em * em
        if drawing.display:
            extra += size + 1.0 * em
        elif size > line:
            extra += size - line
    return extra
