"""What Python and the templates both rely on, named once and checked from both sides: the ids a
render is read back by, the classes markup writes and prose.css styles, the spacing of blocks
the height guesses take from prose.css, the size of a formula beside its drawing."""

from __future__ import annotations

import re

import pytest
import tinycss2
from markupsafe import Markup

from studyguide.diagnostics import Collector
from studyguide.engine.weasy import Resources, box_heights, lay_out
from studyguide.flashcards import ids
from studyguide.flashcards.blocks import CONTINUED, CONTINUES, join, split_block, top_level_blocks
from studyguide.flashcards.estimate import PT_MM, block_gap_em
from studyguide.flashcards.faces import ANSWER_PT, CardOptions, deck, face_geometry
from studyguide.flashcards.fit import Snippet
from studyguide.flashcards.render import _Measurer, layout_for, sheets_html
from studyguide.html import fonts
from studyguide.html.templates import TEMPLATES_DIR, PageRenderer
from studyguide.html.themes import THEMES
from studyguide.markup import formulas as tex
from studyguide.markup import remote
from studyguide.markup.convert import LONG_WORD_CLASS, WIDE_TABLES, MarkdownConverter

from ..conftest import CONTENT


def styled_classes(stylesheet: str) -> set[str]:
    """Every class a selector of the stylesheet names."""
    text = (TEMPLATES_DIR / stylesheet).read_text(encoding="utf-8")
    classes = set()
    for node in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if node.type == "qualified-rule":
            classes.update(re.findall(r"\.([A-Za-z][\w-]*)", tinycss2.serialize(node.prelude)))
    return classes


@pytest.mark.parametrize("name", [LONG_WORD_CLASS, *(name for _, name in WIDE_TABLES), CONTINUED, CONTINUES,
                                  tex.INLINE_CLASS, tex.DISPLAY_CLASS, remote.NOTE_CLASS, remote.HOST_CLASS])
def test_every_class_the_code_writes_is_styled_by_prose_css(name):
    assert name in styled_classes("prose.css")


@pytest.fixture(scope="module")
def measuring(default_guide):
    """Measures snippets at the width of a card's body, as fitting does."""
    problems = Collector()
    geometry = face_geometry(layout_for("a4", CardOptions()))
    renderer = PageRenderer(TEMPLATES_DIR, problems)
    resources = Resources(CONTENT, (CONTENT, *fonts.font_dirs()))
    return _Measurer(default_guide, renderer, resources, geometry.body_width, geometry.body_height)


def html_of(markdown: str) -> Markup:
    return Markup(MarkdownConverter().convert(markdown).html)


@pytest.mark.parametrize("first", ["A paragraph.", "| A | B |\n|---|---|\n| 1 | 2 |", "```\ncode\n```",
                                   "- an item", "> a quote"])
def test_the_estimated_gap_between_blocks_is_the_largest_that_prose_css_gives(measuring, first):
    """Two blocks stand apart by no more than the estimated gap, and after a table (the largest
    margin) by just that: the guesses follow prose.css instead of a copy of its numbers."""
    after = "A paragraph after it."
    together, alone, paragraph = measuring([Snippet("answer", html_of(f"{first}\n\n{after}"), ANSWER_PT),
                                           Snippet("answer", html_of(first), ANSWER_PT),
                                           Snippet("answer", html_of(after), ANSWER_PT)])
    gap, estimated = together - alone - paragraph, block_gap_em() * ANSWER_PT * PT_MM
    assert gap <= estimated + 0.01
    if first.startswith("|"):
        assert gap == pytest.approx(estimated, abs=0.01)


def test_the_measuring_page_tells_where_every_marked_piece_lies(measuring):
    [block] = top_level_blocks(html_of("One sentence. Another sentence. A third sentence."))
    pieces = tuple(split_block(block, 0))
    [places] = measuring([Snippet("answer", Markup(join(list(pieces))), ANSWER_PT, pieces=pieces)])
    assert len(places) == 3
    assert [top for top, _ in places] == sorted(top for top, _ in places)


def test_the_sheets_hold_a_box_for_every_face_by_its_fit_id(default_guide):
    """The final render checks the fit of the boxes it finds by ids.FIT_PREFIX: every face's must be there."""
    layout = layout_for("a4", CardOptions())
    faces = deck(default_guide)
    html = sheets_html(default_guide, PageRenderer(TEMPLATES_DIR, Collector()), layout, faces, False)
    document = lay_out(html, Resources(CONTENT, (CONTENT, *fonts.font_dirs())), "flashcards.pdf")
    boxes = box_heights(document, ids.FIT_PREFIX)
    assert set(boxes) == {box for face in faces for box in (face.question_box, face.answer_box)}


def test_a_formula_s_size_is_the_size_its_drawing_is_set_at():
    for display in (False, True):
        svg = str(tex.render(r"\frac{a}{b} + \sqrt{x}", display))
        drawing = tex.drawing_of(re.match(r"<svg[^>]*>", svg).group())
        assert drawing.display == display and drawing.svg == svg
        assert f"width:{drawing.width_em:.3f}em;height:{drawing.height_em:.3f}em" in drawing.opening


def test_the_dark_theme_inks_formulas_with_its_stylesheet_s_ink():
    svg = str(tex.render("x^2"))
    inked = THEMES["dark"].ink_formulas(f"<p>{svg}</p>")
    ink = re.search(r"--ink:\s*([^;]+);", (TEMPLATES_DIR / "theme-dark.css").read_text(encoding="utf-8"))
    assert f'<svg color="{ink.group(1).strip()}" ' in inked
    assert THEMES["light"].ink_formulas(svg) == svg


def test_a_stylesheet_edited_while_watching_is_read_again(tmp_path, monkeypatch):
    from studyguide.html import stylesheets

    monkeypatch.setattr(stylesheets, "TEMPLATES_DIR", tmp_path)
    sheet = tmp_path / "theme-test.css"
    sheet.write_text(":root { --ink: #111; }\n:root { --rule: #333; }\n", encoding="utf-8")
    assert stylesheets.rule("theme-test.css", ":root") == {"--ink": "#111", "--rule": "#333"}
    sheet.write_text(":root { --ink: #222222; }\n", encoding="utf-8")
    assert stylesheets.rule("theme-test.css", ":root") == {"--ink": "#222222"}
    with pytest.raises(KeyError, match="no rule for '.prose p'"):
        stylesheets.rule("theme-test.css", ".prose p")
