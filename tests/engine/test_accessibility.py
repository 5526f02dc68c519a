"""Tagged PDFs as an independent checker sees them: no PDF/UA-1 error, no failed Matterhorn checkpoint."""

from __future__ import annotations

import io
from pathlib import Path

import outloud
import pikepdf
import pytest

from studyguide.build.options import BuildOptions
from studyguide.engine import tagging
from studyguide.engine.weasy import Resources, render_pdf
from studyguide.html import fonts

from ..conftest import FIXTURES, build_clean
from ..pdfinfo import accessibility_failures


@pytest.fixture(scope="module", params=["zh", "ar"])
def language(request, tmp_path_factory) -> Path:
    """The tagged editions of a guide in Chinese, and of one written right to left."""
    out = tmp_path_factory.mktemp(request.param)
    build_clean(BuildOptions(content_dir=FIXTURES / "languages" / request.param, out_dir=out,
                             only=("guide", "tablet", "quiz", "cards")))
    return out


@pytest.mark.parametrize(("fixture", "key"), [("guide_pdfs", "a4"), ("tablet_pdfs", "tablet"),
                                              ("tablet_pdfs", "quiz")])
def test_the_default_editions_pass_the_checker(fixture, key, request):
    assert accessibility_failures(request.getfixturevalue(fixture)[key]) == []


@pytest.mark.parametrize("name", ["guide", "tablet", "quiz", "flashcards"])
def test_a_chinese_and_an_arabic_guide_pass_the_checker(language, name):
    assert accessibility_failures(language / f"{name}.pdf") == []


def test_a_link_over_several_boxes_is_one_link_element_that_owns_its_annotations_and_prints(tmp_path):
    html = ('<html lang="en"><title>T</title><p><a href="#x"><b>1</b> <i>two words</i></a></p>'
            '<h1 id="x">X</h1>')
    pdf = render_pdf(html, Resources(tmp_path, fonts.font_dirs()), "links.pdf", tagged=True)
    with pikepdf.open(io.BytesIO(pdf.data)) as document:
        annotations = list(document.pages[0].Annots)
        owners = tagging._parent_tree(document.Root.StructTreeRoot)
        assert len(annotations) > 1  # WeasyPrint's: one per box
        assert all(int(annotation.F) & 4 for annotation in annotations)
        assert {owners[int(annotation.StructParent)].get("/S") for annotation in annotations} == {"/Link"}


def test_a_link_over_several_boxes_in_a_running_head_owns_its_annotations_too(tmp_path):
    """WeasyPrint leaves a running head out of the structure tree; one that holds a link is put
    back in it, and its link is repaired as any other."""
    html = ('<html lang="en"><title>T</title><style>@page { @top-center { content: element(head) } }'
            'header { position: running(head) }</style>'
            '<header><a href="#x"><b>1</b> <i>two words</i></a></header><h1 id="x">X</h1>')
    pdf = render_pdf(html, Resources(tmp_path, fonts.font_dirs()), "head.pdf", tagged=True)
    with pikepdf.open(io.BytesIO(pdf.data)) as document:
        annotations = list(document.pages[0].Annots)
        owners = tagging._parent_tree(document.Root.StructTreeRoot)
        assert len(annotations) > 1
        assert {owners[int(annotation.StructParent)].get("/S") for annotation in annotations} == {"/Link"}


IMPORTED = """\
title: Imported
sections:
  - title: Output
    cards:
      - id: typeof
        question: |-
          What does this print?

          ```js
          console.log(typeof NaN)
          ```

          - A: `"number"`
          - B: `"NaN"`
        answer: |-
          #### Answer: A

          NaN is a number.

          ###### Why

          IEEE 754 says so.
"""


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    """A set as imports make them: code and options in the question, answers opening on `####`."""
    root = tmp_path_factory.mktemp("imported")
    content = root / "content"
    content.mkdir()
    (content / "guide.yaml").write_text(IMPORTED, encoding="utf-8")
    build_clean(BuildOptions(content_dir=content, out_dir=root / "out",
                             only=("guide", "tablet", "quiz", "cards", "worksheet")))
    return root / "out"


@pytest.mark.parametrize("name", ["guide", "tablet", "quiz", "flashcards", "worksheet"])
def test_headings_in_answers_skip_no_level_in_any_edition(imported, name):
    assert accessibility_failures(imported / f"{name}.pdf") == []


def test_folios_and_running_heads_are_pagination_artifacts(guide_pdfs):
    findings = outloud.check(str(guide_pdfs["a4"])).findings
    assert not [finding.message for finding in findings if finding.rule == "PAG-001"]
    with pikepdf.open(guide_pdfs["a4"]) as document:
        assert b"/Artifact <</Type /Pagination>> BDC" in document.pages[3].Contents.read_bytes()


def test_a_formula_s_figure_reads_in_words_and_keeps_its_latex_as_its_expansion(guide_pdfs):
    with pikepdf.open(guide_pdfs["a4"]) as document:
        figures = {str(element.get("/Alt")): str(element.get("/E", ""))
                   for element in tagging._elements(document.Root.StructTreeRoot)
                   if element.get("/S") == "/Figure"}
    assert figures["the square root of d sub k"] == r"\sqrt{d_k}"
