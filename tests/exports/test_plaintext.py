"""flashcards.tsv and flashcards.csv, read back with the csv module as importers and spreadsheets do."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from studyguide.build.pipeline import BuildOptions
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.exports.plaintext import CSV_HEADER, text
from studyguide.markup.convert import MarkdownConverter, render_markup

from ..conftest import build_clean, write_guide

# Answers that would break a naive export: tabs, line breaks, quotes, commas, code and lists.
TRICKY = """title: Tricky
sections:
  - title: One, with a comma
    cards:
      - id: tabs
        question: "Tabs\\tinside, and \\"quotes\\"?"
        answer: "A\\tB, then \\"C\\", 'D'\\n\\nand a new paragraph."
        tags: [a, b]
        difficulty: easy
      - id: code
        question: Code?
        answer: |
          Before:

          ```
          if a,b:
          \treturn "x"
          ```

          - first, item
          - second "item"
      - id: formula
        question: =SUM(A1)?
        answer: "-1, or $x_{i}^{2} \\\\le 1$"
"""


def read_tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file, strict=True))


@pytest.fixture(scope="module")
def tricky(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tricky")
    build_clean(BuildOptions(content_dir=write_guide(out / "content", TRICKY), out_dir=out,
                             only=("tsv", "csv")))
    return out


def test_tsv_has_one_card_per_line_question_tab_answer(default_exports):
    data = (default_exports / "flashcards.tsv").read_text(encoding="utf-8")
    rows = read_tsv(default_exports / "flashcards.tsv")
    assert len(data.splitlines()) == len(rows) == 8
    assert all(len(row) == 2 for row in rows)
    assert rows[1] == [
        r"Why do we divide by $\sqrt{d_k}$ in the scaled dot-product attention formula?",
        r"As the dimension $d_k$ grows, the magnitude of the dot product $QK^T$ increases. This results in "
        "very large values being passed to the Softmax function, pushing it into regions where gradients "
        r"are nearly zero (vanishing gradients). Scaling by $\sqrt{d_k}$ keeps the variance of the dot "
        "product around 1, ensuring stable gradients during training."]
    assert rows[3][1].startswith("Detect: Evaluate the model on a “general” benchmark")
    assert "forgetting has occurred. Mitigate: 1. Use a very low learning rate. 2. Use PEFT" in rows[3][1]


def test_csv_has_a_header_and_a_row_per_card(default_exports):
    rows = read_csv(default_exports / "flashcards.csv")
    assert (default_exports / "flashcards.csv").read_bytes().startswith(b"\xef\xbb\xbfid,section,")
    assert rows[0] == list(CSV_HEADER)
    assert len(rows) == 9
    assert rows[1][:2] == ["kv-cache", "Architecture & Theory"]
    assert rows[1][4:] == ["inference, attention", "medium"]
    assert rows[4][3] == (
        "Detect: Evaluate the model on a “general” benchmark (like MMLU) after fine-tuning on a specific "
        "task; if the general score drops significantly, forgetting has occurred.\n\nMitigate:\n\n"
        "1. Use a very low learning rate.\n2. Use PEFT (LoRA) which freezes the base weights.\n"
        "3. Use Experience Replay (mixing some general pre-training data into the fine-tuning set).")


def test_tabs_line_breaks_quotes_and_commas_keep_one_card_per_tsv_line(tricky):
    data = (tricky / "flashcards.tsv").read_bytes()
    assert data.count(b"\n") == 3 and b"\r" not in data
    rows = read_tsv(tricky / "flashcards.tsv")
    assert rows == [
        ["Tabs inside, and “quotes”?", "A B, then “C”, ‘D’ and a new paragraph."],
        ["Code?", 'Before: if a,b: return "x" • first, item • second “item”'],
        ["=SUM(A1)?", r"-1, or $x_{i}^{2} \le 1$"],
    ]


def test_csv_keeps_line_breaks_quotes_and_commas_inside_quoted_fields(tricky):
    rows = read_csv(tricky / "flashcards.csv")
    assert len(rows) == 4
    assert rows[1] == ["tabs", "One, with a comma", "Tabs inside, and “quotes”?",
                       "A B, then “C”, ‘D’\n\nand a new paragraph.", "a, b", "easy"]
    # Markdown turns the tab in the code into spaces.
    assert rows[2][3] == 'Before:\n\nif a,b:\n    return "x"\n\n• first, item\n• second “item”'
    # A spreadsheet would run these as formulas.
    assert rows[3][2:4] == ["'=SUM(A1)?", r"'-1, or $x_{i}^{2} \le 1$"]


def test_csv_lines_end_in_crlf(tricky):
    data = (tricky / "flashcards.csv").read_bytes()
    assert data.count(b"\r\n") == 4
    assert data.endswith(b"\r\n")


def test_short_answer_replaces_the_answer_in_both_files(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: Short\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        answer: A long answer.\n        card: '**Short** one.'\n"))
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("tsv", "csv")))
    assert read_tsv(tmp_path / "flashcards.tsv") == [["Q?", "Short one."]]
    assert read_csv(tmp_path / "flashcards.csv")[1][3] == "Short one."


@pytest.mark.parametrize(("markdown", "expected"), [
    ("*Emphasis*, **strong** and `code`.", "Emphasis, strong and code."),
    ("A [link](https://example.org) and <https://example.org/b>.",
     "A link (https://example.org) and https://example.org/b."),
    ("- one\n    - nested $x_1$\n- two\n\n3. three\n4. four",
     "• one\n  • nested $x_1$\n• two\n\n3. three\n4. four"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"),
    ("> quoted\n> text", "> quoted text"),
    ("![a plot](plot.png) and ![](other.png)", "[image: a plot] and [image]"),
    ("Shown: $$\\frac{1}{2}$$, and $5 or \\$6.", "Shown: $$\\frac{1}{2}$$, and $5 or $6."),
    ("Not <b>bold</b> <script>alert(1)</script>x", "Not bold x"),
])
def test_markdown_reads_as_plain_text(markdown, expected):
    assert text(MarkdownConverter().convert(markdown)) == expected


def test_card_field_is_rendered_like_the_answer(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: Short\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        answer: A.\n        card: 'Is $x^2$.'\n"
        "      - question: R?\n        answer: B.\n"))
    problems = Collector()
    cards = render_markup(load_guide(content, problems), problems).cards
    assert not problems.problems
    assert cards[0].card.value == "Is $x^2$."
    assert cards[0].card_html.startswith("<p>Is \u200b<!--latex:x^2--><svg")
    assert cards[0].card_html.endswith("</svg>.</p>")
    assert cards[0].flashcard_answer is cards[0].card
    assert (cards[1].card, cards[1].flashcard_answer) == (None, cards[1].answer)
    assert cards[1].card_html == cards[1].answer_html  # the flashcards print the answer


def test_text_keeps_its_own_line_breaks_only_in_code():
    converted = MarkdownConverter().convert("One\nparagraph.\n\n    code\n      indented")
    assert text(converted) == "One paragraph.\n\ncode\n  indented"
