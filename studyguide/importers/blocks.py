"""What each line of a Markdown file is, as CommonMark reads it (markdown-it-py): code, a
heading, a paragraph's, or something else (HTML, rules, blank lines). The question finder works
on these lines, so a `#` inside code, or a heading written with an underline, reads as GitHub
shows it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # its words as written, inline Markdown and HTML kept; an item's number before them
    through: int  # the last line it stands on: an underlined heading stands on two


@dataclass(frozen=True)
class Item:
    text: str  # the words of its first paragraph
    through: int  # its last line


@dataclass(frozen=True)
class Blocks:
    lines: list[str]
    code: frozenset[int]  # fenced or indented code, the fences included
    indented: frozenset[int]  # of those, the lines of code set off by indenting alone
    headings: dict[int, Heading]  # by the line each starts on
    prose: frozenset[int]  # lines of text: of paragraphs (in lists and quotes too) and HTML blocks
    items: dict[int, Item]  # the items of lists that stand on their own, by the line each starts on

    def is_code(self, line: int) -> bool:
        return line in self.code

    def span(self, line: int) -> range:
        """The lines of the block a line starts: an underlined heading's two, else the line."""
        heading = self.headings.get(line)
        return range(line, heading.through + 1 if heading else line + 1)


def read_blocks(text: str) -> Blocks:
    lines = re.split(r"\r\n?|\n", text.removesuffix("\n"))  # as the parser counts them
    code: set[int] = set()
    indented: set[int] = set()
    prose: set[int] = set()
    headings: dict[int, Heading] = {}
    items: dict[int, Item] = {}
    tokens = _PARSER.parse(text)
    item_line, number = -1, ""  # where the last list item opened, and its number, as "3."
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            item_line, number = token.map[0], f"{token.info}{token.markup}" if token.info else ""
            if token.level == 1:
                words = next((t.content for t in tokens[index:] if t.type == "inline"), "")
                items[item_line] = Item(words, token.map[1] - 1)
        elif token.type in ("fence", "code_block"):
            code.update(range(*token.map))
            if token.type == "code_block":
                indented.update(range(*token.map))
        elif token.type in ("paragraph_open", "html_block"):
            prose.update(range(*token.map))
        elif token.type == "heading_open":
            opens_item = token.map[0] == item_line  # 1. ### What is …?: the number is the question's
            # Not a heading inside an item's or a quote's text, nor one indented under an item's text
            # (GitHub ends the item there, but the author meant it to go on).
            if (token.level == 0 and not lines[token.map[0]][:1].isspace()) or opens_item:
                words = tokens[index + 1].content
                words = f"{number} {words}" if opens_item and number else words
                headings[token.map[0]] = Heading(int(token.tag[1]), words, token.map[1] - 1)
    return Blocks(lines, frozenset(code), frozenset(indented), headings, frozenset(prose), items)
