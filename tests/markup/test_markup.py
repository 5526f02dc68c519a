"""Markdown, math and sanitizing of card text."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest

from studyguide.content.source import SourceFile, Text
from studyguide.diagnostics import Collector
from studyguide.engine.weasy import Resources, render_pdf
from studyguide.html import fonts
from studyguide.markup import remote
from studyguide.markup.convert import MarkupRenderer

from ..conftest import PNG, ROOT


def text(value: str) -> Text:
    source = SourceFile(Path("guide.yaml"), f"answer: {value}")
    return Text(value, source, 8, 8 + len(value))


@pytest.fixture
def renderer(tmp_path: Path) -> MarkupRenderer:
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "plot.png").write_bytes(PNG)
    return MarkupRenderer(tmp_path, Collector())


def test_markdown_does_not_touch_math(renderer):
    html = renderer.block(text("Both $a_i * b_j$ and $c_k * d_l$ stay math."))
    assert "<em>" not in html
    assert html.count('<svg') == 2
    # A formula's title is its words, for screen readers; the comment before it keeps its LaTeX.
    drawn = re.sub(r"<title>.*?</title>|<!--latex:.*?-->", "", html)
    assert "a_i" not in drawn and "*" not in drawn


def test_escaped_dollar_is_a_dollar_and_prices_are_not_math(renderer):
    html = renderer.block(text(r"It costs \$5, or $5 and $10 for two."))
    assert "<svg" not in html
    assert "It costs $5, or $5 and $10 for two." in html


def test_display_math_is_centred_block(renderer):
    html = renderer.block(text("Attention:\n\n$$\\frac{QK^T}{\\sqrt{d_k}}$$"))
    assert 'class="math-display"' in html


def test_math_in_code_stays_code(renderer):
    html = renderer.block(text("Use `$HOME` and\n\n```sh\necho $PATH $HOME\n```"))
    assert "<svg" not in html
    assert "$HOME" in html and "$PATH" in html


def test_code_blocks_are_highlighted(renderer):
    html = renderer.block(text("```python\ndef f(x):\n    return x  # id\n```"))
    assert '<div class="codehilite">' in html
    assert '<span class="k">def</span>' in html
    assert '<span class="c1"># id</span>' in html


@pytest.mark.parametrize("written", [
    "1. Write it:\n\n    ```python\n    def f(x):\n        return x\n    ```\n\n2. Call it.",
    "- Write it:\n\n    ```python\n    def f(x):\n        return x\n    ```",
    "> Write it:\n>\n> ```python\n> def f(x):\n>     return x\n> ```",
])
def test_fenced_code_inside_a_list_item_or_a_quote_is_a_code_block(written, renderer):
    html = renderer.block(text(written))
    assert '<div class="codehilite">' in html and '<span class="k">def</span>' in html
    assert "<code>python" not in html  # not a line of inline code that starts with its language


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src="figures/plot.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="file:///etc/passwd">x</a>',
    '<iframe src="https://example.com"></iframe>',
    '<link rel="stylesheet" href="https://example.com/x.css">',
    '<base href="https://example.com/">',
    '<p style="font-size: 1e9px">big</p>',
])
def test_hostile_html_is_removed(renderer, hostile):
    html = renderer.block(text(f"Safe text. {hostile}"))
    for marker in ("<script", "onerror", "javascript:", "file:", "<iframe", "<link", "<base", "style="):
        assert marker not in html
    assert "Safe text." in html


def test_formatting_html_survives(renderer):
    html = renderer.block(text("<b>bold</b>, <sub>low</sub>, <a href=\"https://example.com\">link</a>"))
    assert "<b>bold</b>" in html and "<sub>low</sub>" in html
    assert '<a href="https://example.com">link</a>' in html


def test_images_inside_the_content_folder_are_kept(renderer):
    html = renderer.block(text("![plot](figures/plot.png)"))
    assert '<img alt="plot" src="figures/plot.png">' in html
    assert not renderer.problems.problems


@pytest.mark.parametrize(("src", "problem"), [
    ("figures/none.png", "does not exist"),
    ("../secret.png", "lies outside the content folder"),
    ("/etc/passwd", "is not a relative path"),
    ("file:///etc/passwd", "is not a relative path"),
])
def test_bad_images_are_content_errors(renderer, src, problem):
    renderer.block(text(f"![x]({src})"))
    [reported] = renderer.problems.problems
    assert problem in reported.message
    assert reported.position.column == len("answer: ![x](") + 1


def test_questions_render_inline_with_a_plain_label(renderer):
    html, label = renderer.inline(text("Why divide by $\\sqrt{d_k}$?"))
    assert not html.startswith("<p>")
    assert label == "Why divide by √dₖ?"


def test_inline_math_sits_on_the_baseline_at_text_size(tmp_path: Path, renderer):
    formula = renderer.inline(text("x $x$ x"))[0]
    html = (f"<style>{fonts.face_css()} p {{ font: 20pt 'Source Serif 4'; margin: 0 }}</style>"
            f"<p>{formula}</p>")
    pdf = render_pdf(html, Resources(tmp_path, (tmp_path, *fonts.font_dirs())), "baseline.pdf")
    (tmp_path / "b.pdf").write_bytes(pdf.data)
    with pdfplumber.open(tmp_path / "b.pdf") as document:
        page = document.pages[0]
        baseline = page.chars[0]["matrix"][5]  # y of the text baseline, from the bottom
        shapes = page.curves + page.rects
        math_bottom = page.height - max(shape["bottom"] for shape in shapes)
        math_height = max(s["bottom"] for s in shapes) - min(s["top"] for s in shapes)
    assert math_bottom == pytest.approx(baseline, abs=0.6)
    # An italic x of STIX Two Math at 20 pt stands about as tall as the text's x-height.
    assert 7 < math_height < 12


def test_image_paths_are_read_as_urls(renderer, tmp_path):
    from ..conftest import PNG

    (tmp_path / "figures" / "my plot.png").write_bytes(PNG)
    html = renderer.block(text("![plot](figures/my%20plot.png)"))
    assert not renderer.problems.problems
    assert 'src="figures/my%20plot.png"' in html


@pytest.mark.parametrize(("src", "latex"), [
    ("https://render.githubusercontent.com/render/math?math=\\lambda\\sum_{i=1}^{n} w_i^2",
     "\\lambda\\sum_{i=1}^{n} w_i^2"),
    ("https://render.githubusercontent.com/render/math?math=x%5E2%2By", "x^2+y"),
    ("https://latex.codecogs.com/svg.latex?\\dpi{120}\\bg_white\\frac{a}{b}&space;+&space;c",
     "\\frac{a}{b} + c"),
    ("https://latex.codecogs.com/png.image?\\inline%20x_1", "x_1"),
    ("https://chart.googleapis.com/chart?cht=tx&chl=x%5E2+%2B+y%5E2", "x^2 + y^2"),
    ("https://i.upmath.me/svg/%5Csqrt%7B2%7D", "\\sqrt{2}"),
    ("https://example.com/chart?chl=x", None),
    ("https://latex.codecogs.com/svg.latex", None),
])
def test_formula_image_urls_are_read_as_their_tex(src, latex):
    assert remote.formula_of(src) == latex


def test_a_formula_image_is_drawn_as_the_formula_it_encodes(renderer):
    html = renderer.block(text('L2 adds <img src="https://latex.codecogs.com/svg.latex?\\lambda&space;w^2"> '
                               "to the loss.\n\n![](https://render.githubusercontent.com/render/math?math=a%2Bb)"))
    assert not renderer.problems.problems
    assert "<img" not in html and "codecogs" not in html
    assert html.count('class="math"') == 1 and html.count('class="math-display"') == 1


def test_other_remote_images_become_a_note_and_a_warning_at_their_place(renderer):
    html = renderer.block(text("See ![The architecture](https://example.com/a.png) and "
                               '<img src="//cdn.example.org/b.gif">.'), "card 'x'")
    assert "<img" not in html
    assert "The architecture" in html and "example.com" in html and "cdn.example.org" in html
    first, second = renderer.problems.problems
    assert (first.severity, second.severity) == ("warning", "warning")
    assert first.message.startswith("card 'x': the image 'https://example.com/a.png' is on the network")
    assert first.position.column == len("answer: See ![The architecture](") + 1
    assert second.position.column == len("answer: See ![The architecture](https://example.com/a.png) and "
                                         '<img src="') + 1


def test_bad_tex_in_a_formula_image_is_an_error(renderer):
    renderer.block(text("![](https://latex.codecogs.com/svg.latex?\\frac{x})"))
    [reported] = renderer.problems.problems
    assert reported.severity == "error"
    assert "invalid LaTeX" in reported.message


def test_raw_html_from_public_sets_keeps_its_meaning(renderer):
    html = renderer.block(text('H<sub>2</sub>O<br/>E=mc<sup>2</sup>, <kbd>Ctrl</kbd>\n\n'
                               "<details><summary>Why?</summary>Because.</details>\n\n"
                               '<p align="center"><img src="figures/plot.png" alt="plot" width="120" '
                               'height="30"></p>'))
    assert not renderer.problems.problems
    for kept in ("<sub>2</sub>", "<br>", "<sup>2</sup>", "<kbd>Ctrl</kbd>",
                 "<details><summary>Why?</summary>", '<p align="center">', 'width="120" height="30"'):
        assert kept in html


def test_line_breaks_that_only_space_blocks_are_dropped_and_those_inside_lines_kept(renderer):
    html = renderer.block(text("<br/>First line<br/>second line<br/>\n\n- an item<br>\n\nLast.\n\n<br/>\n"))
    assert not renderer.problems.problems
    assert html.count("<br>") == 1
    assert "First line<br>second line</p>" in html
    assert "<li>an item</li>" in html
    assert re.sub(r"\s", "", html).endswith("<p>Last.</p>")


def test_an_image_keeps_the_width_its_html_gives_it_within_the_column(tmp_path: Path, renderer):
    html = renderer.block(text('<img src="figures/plot.png" width="90"> '
                               '<img src="figures/plot.png" width="9000">'))
    prose = (ROOT / "templates" / "prose.css").read_text(encoding="utf-8")
    page = f"<style>{prose} @page {{ size: 200px 400px; margin: 0 }} .prose {{ width: 150px }}</style>" \
           f'<div class="prose">{html}</div>'
    pdf = render_pdf(page, Resources(tmp_path, (tmp_path,)), "widths.pdf")
    (tmp_path / "w.pdf").write_bytes(pdf.data)
    with pdfplumber.open(tmp_path / "w.pdf") as document:
        widths = sorted(round(image["width"] * 96 / 72) for image in document.pages[0].images)
    assert widths == [90, 150]


def test_an_image_without_alt_text_is_a_warning_at_its_place(renderer):
    renderer.block(text("A plot: ![](figures/plot.png) and ![the loss](figures/plot.png)"), "card 'x'")
    [reported] = renderer.problems.problems
    assert reported.severity == "warning"
    assert reported.message.startswith("card 'x': the image 'figures/plot.png' has no alt text")
    assert reported.position.column == len("answer: A plot: ![](") + 1


def test_headings_in_a_text_come_below_the_question_and_skip_no_level(renderer):
    html = renderer.block(text("# Overview\n\ntext\n\n### Detail"))
    assert "<h4>Overview</h4>" in html and "<h5>Detail</h5>" in html
    html = renderer.block(text("#### Answer\n\n###### Why\n\n## Also\n\n### More"))
    assert re.findall(r"<h(\d)>", html) == ["4", "5", "4", "5"]


def test_code_on_pages_keeps_its_indents_with_their_line_and_can_wrap(renderer):
    html = renderer.block(text("```python\nclass A:\n    \"\"\"Doc.\"\"\"\n    y = 2\n```"))
    assert '<span class="sd">    """Doc."""</span>' in html and '<span class="n">    y</span>' in html
    assert "<span></span>" not in html  # after an empty box WeasyPrint would not break a long word


def test_long_words_and_only_they_may_break_anywhere(renderer):
    html = renderer.block(text("See https://example.com/a/very/long/path/to/somewhere, or `x`."))
    assert '<span class="long-word">https://example.com/a/very/long/path/to/somewhere,</span>' in html
    assert html.count("long-word") == 1


@pytest.mark.parametrize("removed", [
    '<iframe src="a"></iframe> <svg width="20" height="20"><foreignObject width="20" height="20">'
    '<iframe src="b"></iframe></foreignObject><style>p{}</style></svg>',
    '<math><mi>x</mi></math><script>alert(1)</script>',
])
def test_sanitizing_never_loses_the_text_around_what_it_removes_and_says_so(removed, renderer):
    written = text(f"{removed} Some text.\n\nA second paragraph.")
    html = renderer.block(written, "card 'a'")
    assert "Some text." in html and "A second paragraph." in html
    assert not re.search(r"<(?:iframe|svg|style|script|math|foreignobject)\b", html, re.I)
    [warning] = renderer.problems.warnings
    assert (warning.position.line, warning.position.column) == (1, 9)
    assert warning.message.startswith("card 'a': removed <")
    assert "the text around them stays" in warning.message


def test_only_a_text_of_one_paragraph_loses_it_when_set_as_a_line():
    from studyguide.markup.rendered import Sanitized

    assert Sanitized("<p>One <em>line</em></p>", ()).inline().html == "One <em>line</em>"
    assert Sanitized("<p>One</p>\n<p>Two</p>", ()).inline().html == "<p>One</p>\n<p>Two</p>"
    assert Sanitized("<pre>code</pre>", ()).inline().html == "<pre>code</pre>"


def test_a_contents_entry_keeps_a_link_s_words_and_sets_a_displayed_formula_in_the_line():
    from studyguide.markup.entries import LINE_EM, contents_entry

    lead = ('Why <a href="https://example.com">this</a>? <img alt="plot" src="figures/plot.png">'
            '<svg viewBox="0 0 10 10" style="width:2.000em;height:2.600em" class="math-display" '
            'role="img"></svg>')
    entry = contents_entry(lead)
    assert entry.startswith("Why this?") and "<a" not in entry and "<img" not in entry
    height = float(re.search(r"height:([\d.]+)em", entry).group(1))
    width = float(re.search(r"width:([\d.]+)em", entry).group(1))
    assert 'class="math"' in entry and height == pytest.approx(LINE_EM)
    assert width / height == pytest.approx(2 / 2.6)


def test_a_displayed_formula_set_in_a_contents_entry_is_still_inked_by_a_theme(renderer):
    from studyguide.markup import formulas
    from studyguide.markup.entries import contents_entry

    lead = renderer.inline(text(r"What does $$\sum_i x_i$$ sum?"))[0]
    entry = contents_entry(lead)
    assert 'class="math"' in entry and 'class="math-display"' not in entry
    assert '<svg color="#eee"' in formulas.in_ink(str(entry), "#eee")
