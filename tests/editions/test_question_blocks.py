"""A question with blocks after its first paragraph (code, options): the paragraph is its heading,
its contents entry and its bookmark; the blocks stand under the heading, set as in an answer."""

from __future__ import annotations

import pytest

from studyguide.build.options import BuildOptions

from ..conftest import build_clean, write_guide
from ..pdfinfo import outline, page_texts

QUESTION = """\
title: Blocks
sections:
  - title: Output
    cards:
      - id: printed
        question: |-
          What does this print?

          ```js
          console.log(typeof NaN)
          ```

          - A: `"number"`
          - B: `"NaN"`
        answer: A, for NaN is a number.
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("blocks")
    content = write_guide(root / "content", QUESTION)
    build_clean(BuildOptions(content_dir=content, out_dir=root / "out",
                             only=("guide", "tablet", "quiz", "worksheet")))
    return root / "out"


@pytest.mark.parametrize("name", ["guide.pdf", "tablet.pdf", "quiz.pdf", "worksheet.pdf"])
def test_the_bookmark_is_the_first_paragraph(built, name):
    titles = [mark.title for top in outline(built / name) for mark in (top, *top.children)]
    assert {"1. What does this print?", "01. What does this print?"} & set(titles)
    assert not any("console" in title or "number" in title for title in titles)


@pytest.mark.parametrize("name", ["guide.pdf", "tablet.pdf"])
def test_the_contents_entry_is_the_first_paragraph(built, name):
    contents = next(text for text in page_texts(built / name) if "What does this print?" in text)
    assert "console.log" not in contents


@pytest.mark.parametrize("name", ["guide.pdf", "tablet.pdf", "quiz.pdf", "worksheet.pdf"])
def test_the_code_and_options_stand_under_the_question(built, name):
    page = next(text for text in page_texts(built / name) if "console.log(typeof NaN)" in text)
    assert "1 What does this print? console.log(typeof NaN) • A: \"number\" • B: \"NaN\"" in page
