"""Contents entries hold one line of plain question: a link, an image, a displayed formula or a
second paragraph in the question does not spill out of the entry, and every page number stands
level with its entry's last line, clear of the question, in either direction of writing."""

from __future__ import annotations

import pdfplumber
import pytest

from studyguide.build.options import BuildOptions

from ..conftest import PNG, build_clean, write_guide
from ..pdfinfo import MM_PER_PT, outline, page_texts

EDITIONS = ("guide.pdf", "tablet.pdf", "quiz.pdf")
QUESTIONS = [
    "What is gradient descent? [[src](https://example.com/a/long/address/of/the/source)]",
    "Which curve is this? ![plot](figures/plot.png)",
    r"What does $$\sum_{i=1}^{n} x_i^2$$ measure?",
    "|-\n          First paragraph of the question.\n\n          Second paragraph, longer than the first.",
    *(" ".join(["Why does a transformer need positions when attention"] + ["is order blind"] * k) + "?"
      for k in range(1, 9)),
    # Last lines one letter longer each, so that some entry fills its line to the page number's column.
    *(f"Which entry ends in the word {'o' * k}?" for k in range(10, 70)),
]
ARABIC = [" ".join(["كيف يتغير انتباه المحول مع طول التسلسل"] + ["ولماذا يهم ذلك"] * k) + "؟"
          for k in range(1, 13)]


def guide(questions: list[str], head: str = "title: Entries") -> str:
    cards = "".join(f"      - id: q{n}\n        question: {q}\n        answer: Yes.\n"
                    for n, q in enumerate(questions))
    return f"{head}\nsections:\n  - title: Part\n    cards:\n{cards}"


def build(root, text: str):
    content = write_guide(root / "content", text)
    (content / "figures").mkdir()
    (content / "figures" / "plot.png").write_bytes(PNG)
    build_clean(BuildOptions(content_dir=content, out_dir=root / "out", only=("guide", "tablet", "quiz")))
    return root / "out"


@pytest.fixture(scope="module")
def left_to_right(tmp_path_factory):
    return build(tmp_path_factory.mktemp("ltr"), guide(QUESTIONS))


@pytest.fixture(scope="module")
def right_to_left(tmp_path_factory):
    return build(tmp_path_factory.mktemp("rtl"), guide(ARABIC, "title: مدخلات\nlanguage: ar"))


def contents_pages(pdf) -> list[int]:
    """The pages before the first part's or question's that link to three places or more (the
    contents' entries, one link each; the cover links nowhere)."""
    body = min(mark.page for mark in outline(pdf)) - 1
    with pdfplumber.open(pdf) as document:
        return [k for k in range(body) if len(document.pages[k].annots) >= 3]


def page_numbers_and_text(pdf, page: int, rtl: bool) -> tuple[list[dict], list[dict]]:
    """The characters of the question entries' page numbers (the digits within 7 mm of the lines'
    end, where no question reaches) and of the other text from the first of them down, above the
    folio."""
    with pdfplumber.open(pdf) as document:
        sheet = document.pages[page]
        chars = [c for c in sheet.chars if c["text"].strip() and c["bottom"] < sheet.height * 0.93]
    side = "x0" if rtl else "x1"
    edge = (min if rtl else max)(c[side] for c in chars)
    numbers = [c for c in chars if c["text"].isdigit() and abs(c[side] - edge) < 7 / MM_PER_PT]
    first = min(c["top"] for c in numbers)
    return numbers, [c for c in chars if c not in numbers and c["bottom"] > first]


def baseline(char: dict) -> float:
    return char["matrix"][5]


@pytest.mark.parametrize("name", EDITIONS)
def test_an_entry_is_the_question_s_first_line_as_plain_text(left_to_right, name):
    pages = contents_pages(left_to_right / name)
    text = " ".join(page_texts(left_to_right / name, pages))
    assert "What is gradient descent? [src]" in text
    assert "First paragraph of the question." in text and "Second paragraph" not in text
    with pdfplumber.open(left_to_right / name) as document:
        assert not any(document.pages[k].images for k in pages)


@pytest.mark.parametrize("name", EDITIONS)
@pytest.mark.parametrize("rtl", [False, True])
def test_every_page_number_stands_level_with_its_entry_and_clear_of_it(left_to_right, right_to_left,
                                                                       name, rtl):
    pdf = (right_to_left if rtl else left_to_right) / name
    pages = contents_pages(pdf)
    assert pages
    for page in pages:
        numbers, text = page_numbers_and_text(pdf, page, rtl)
        assert numbers
        for number in numbers:
            level = [c for c in text if abs(baseline(c) - baseline(number)) < 2]
            assert level, f"page {page + 1}: the page number {number['text']} stands on a line of its own"
        if rtl:
            assert max(n["x1"] for n in numbers) < min(w["x0"] for w in text)
        else:
            assert min(n["x0"] for n in numbers) > max(w["x1"] for w in text)
