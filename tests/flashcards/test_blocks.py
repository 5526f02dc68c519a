"""Cutting answers into pieces for cards: each piece valid HTML, nothing lost, cut where a reader expects."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from markupsafe import Markup

from studyguide.diagnostics import ContentError
from studyguide.flashcards.blocks import CONTINUED, CONTINUES, join, split_block, top_level_blocks
from studyguide.flashcards.faces import deck
from studyguide.flashcards.fit import _fine_pieces, _not_after_leading, fit
from studyguide.markup.convert import MarkdownConverter


def pieces_of(markdown: str):
    [block] = top_level_blocks(MarkdownConverter().convert(markdown).html)
    return block, split_block(block, 0)


def tags_only(html: str) -> str:
    return re.sub(r">\s+<", "><", html)


def test_a_card_ends_neither_with_a_heading_nor_with_the_first_line_of_a_code_block():
    pieces = _fine_pieces("<p>One. Two.</p><h4>Title</h4><p>Three.</p>")
    pieces += pieces_of("```\nfirst\nsecond\nthird\n```")[1]
    assert [p.leads for p in pieces] == [False, False, True, False, True, False, False]
    assert _not_after_leading(pieces, 0, 3) == 2  # the heading goes on with its text
    assert _not_after_leading(pieces, 3, 5) == 4  # and the code's first line with the next lines
    assert _not_after_leading(pieces, 2, 3) == 3  # a card of the heading alone keeps it
    assert _not_after_leading(pieces, 0, 7) == 7  # the last card ends as the answer does


def test_a_list_is_cut_between_items_and_keeps_its_numbers():
    _, pieces = pieces_of("3. three\n4. four\n5. five")
    assert [p.html for p in pieces] == [f'<ol start="{n}"><li>{word}</li></ol>'
                                        for n, word in ((3, "three"), (4, "four"), (5, "five"))]
    assert join(pieces[1:]) == f'<ol start="4" class="{CONTINUED}"><li>four</li><li>five</li></ol>'


def test_a_sentence_too_long_is_cut_at_a_word():
    _, pieces = pieces_of("one two three four")
    assert [p.inner for p in pieces] == ["one two", "three four"]


def test_code_is_cut_between_lines_with_its_highlighting_and_blank_lines():
    block, pieces = pieces_of("```python\nx = 1\n\n    y = 'two'\n```")
    assert len(pieces) == 3
    assert all(p.html.startswith('<div class="codehilite"><pre><span></span><code>') for p in pieces)
    assert pieces[1].inner == "\n"
    assert pieces[2].inner.startswith("    ")
    assert join(pieces) == block.html
    assert join(pieces[:2]).startswith(f'<div class="{CONTINUES} codehilite">')
    assert join(pieces[2:]).startswith(f'<div class="{CONTINUED} codehilite">')


def test_a_table_is_cut_between_rows_and_every_piece_keeps_the_header():
    block, pieces = pieces_of("| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |")
    assert len(pieces) == 3
    assert all("<th>A</th>" in p.html and p.html.count("<tr>") == 2 for p in pieces)
    assert tags_only(join(pieces)) == tags_only(block.html)


def test_a_raw_html_table_with_a_header_row_repeats_that_row():
    _, pieces = pieces_of("<table><tr><th>K</th></tr><tr><td>a</td></tr><tr><td>b</td></tr></table>")
    assert [p.html.count("<th>K</th>") for p in pieces] == [1, 1]
    assert [("<td>a</td>" in p.html, "<td>b</td>" in p.html) for p in pieces] == [
        (True, False), (False, True)]


def test_a_quote_is_cut_between_its_blocks_and_a_lone_block_inside_it_is_cut_itself():
    _, pieces = pieces_of("> First paragraph.\n>\n> Second paragraph.")
    assert [p.inner for p in pieces] == ["<p>First paragraph.</p>", "<p>Second paragraph.</p>"]
    assert all(p.opening.startswith("<blockquote>") for p in pieces)
    _, pieces = pieces_of("> One sentence. Another sentence.")
    assert [p.inner for p in pieces] == ["One sentence.", "Another sentence."]
    assert all(p.html.startswith("<blockquote>") and p.html.endswith("</blockquote>") for p in pieces)


def test_blocks_that_cannot_be_cut_say_so():
    for markdown in ("$$x$$", "![x](figures/x.png)", "```\nx\n```", "| A |\n|---|\n| 1 |"):
        assert pieces_of(markdown)[1] is None, markdown


def test_marked_pieces_carry_ids_a_render_can_find():
    _, pieces = pieces_of("```\na\n\nb\n```")
    marked = join(pieces, lambda k: f"piece-{k}")
    assert marked.count('id="piece-') == 3
    assert '<span id="piece-1">\u200b</span>\n' in marked  # an empty line still has a box


def test_a_list_of_one_long_item_is_cut_inside_it_without_a_second_bullet():
    block, pieces = pieces_of("* First sentence. Second sentence.")
    assert [p.inner for p in pieces] == ["First sentence.", "Second sentence."]
    assert tags_only(pieces[0].html) == "<ul><li>First sentence.</li></ul>"
    rest = tags_only(join(pieces[1:]))
    assert rest == f'<ul class="{CONTINUED}"><li class="{CONTINUED}">Second sentence.</li></ul>'

    assert tags_only(join(pieces)) == tags_only(block.html)


def test_a_single_line_too_long_is_cut_near_its_middle_keeping_every_character():
    line = "x = [" + ", ".join(f"'item{n}'" for n in range(40)) + "]"
    block, pieces = pieces_of(f"```python\n{line}\n```")
    assert len(pieces) == 2 and all(p.kind == "line" for p in pieces)
    assert pieces[0].inner.endswith(" ")  # cut at a space
    text = "".join(re.sub(r"<[^>]+>", "", p.inner) for p in pieces).replace("&#39;", "'")
    assert text.rstrip("\n") == line


# Fitting with a stand-in for the render: a text is as tall as its characters, so that every
# cut can be followed without rendering. A card's body holds 28 characters at the floor size.
BODY_MM = 10.0


def stand_in_heights(snippets) -> list[float]:
    """Answers as tall as their characters, an image as 40 of them; questions take no room."""
    def characters(html: str) -> int:
        return len(re.sub(r"<[^>]+>", "", html).strip()) + 40 * html.count("<img")

    return [characters(str(s.html)) * 0.05 * s.size_pt * (s.kind == "answer") for s in snippets]


def fitted_answers(default_guide, markdown: str) -> list[str]:
    """The answer parts the fitting gives, set apart as measured exactly (no guesses)."""
    face = replace(deck(default_guide)[0], answer_html=Markup(MarkdownConverter().convert(markdown).html))
    fitted = fit([face], 80.0, BODY_MM, stand_in_heights, guess=False)
    return [str(part.answer_html) for part in fitted.faces]


def test_a_list_split_over_cards_carries_its_numbering_on(default_guide):
    parts = fitted_answers(default_guide, "\n".join(f"{n}. Item number {n} here." for n in range(1, 5)))
    assert [re.search(r'<ol start="(\d+)"', part).group(1) for part in parts] == ["1", "2", "3", "4"]
    assert all(re.search(rf'<ol [^>]*class="[^"]*\b{CONTINUED}\b', part) for part in parts[1:])


def test_a_sentence_longer_than_a_card_is_cut_between_two_words(default_guide):
    words = [f"word{n}" for n in range(1, 9)]  # 55 characters with their blanks: two cards
    parts = fitted_answers(default_guide, " ".join(words))
    texts = [re.sub(r"<[^>]+>", "", part) for part in parts]
    assert len(parts) == 2 and " ".join(texts).split() == words


def test_a_block_too_tall_for_a_card_is_cut_smaller(default_guide):
    lines = [f"line_{n} = {n:02d}" for n in range(1, 6)]  # 12 characters each: two lines to a card
    parts = fitted_answers(default_guide, "```\n" + "\n".join(lines) + "\n```")
    assert len(parts) == 3
    assert all(part.startswith('<div class="') and "codehilite" in part for part in parts)
    assert re.findall(r"line_\d", re.sub(r"<[^>]+>", "", "".join(parts))) == [line[:6] for line in lines]


def test_a_block_too_tall_that_cannot_be_cut_is_an_error_at_its_card(default_guide):
    with pytest.raises(ContentError) as raised:
        fitted_answers(default_guide, "![A figure](figures/x.png)")
    [problem] = raised.value.problems
    assert "too tall for a card" in problem.message and problem.position.line > 1
