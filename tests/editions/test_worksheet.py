"""worksheet.pdf: each question with room to answer sized to its model answer, the key at the back,
and practice tests of N questions that the same seed picks again."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from studyguide.build.options import BuildOptions
from studyguide.cli.main import main
from studyguide.editions.worksheet import FEWEST_LINES, MOST_LINES, Pick, WorksheetOptions

from ..conftest import build_clean, write_guide
from ..pdfinfo import MM_PER_PT, outline, page_texts, page_words

LINE_MM = 8  # worksheet.html: the space under a question is its lines times 8 mm
SPACE_LEFT_MM = 30  # A4's margin is 24 mm; a space starts 10 mm in, under the question's text
WORDS = "attention scales the dot product by the root of the key dimension " * 40


def _guide(folder: Path, answers: list[str], cloze: bool = False) -> Path:
    cards = "".join(f"      - question: Question number {n}?\n        answer: \"{answer}\"\n"
                    for n, answer in enumerate(answers, start=1))
    if cloze:
        cards += "      - question: \"The {{c1::KV cache}} keeps the keys and values of earlier tokens.\"\n"
    return write_guide(folder, f"title: Practice\nsections:\n  - title: All\n    cards:\n{cards}")


def _worksheet(tmp_path: Path, answers: list[str], cloze: bool = False, **worksheet) -> Path:
    content = _guide(tmp_path / "content", answers, cloze)
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("worksheet",),
                             worksheet=WorksheetOptions(**worksheet)))
    return tmp_path / "out" / "worksheet.pdf"


def _question_tops(pdf: Path) -> list[tuple[int, float]]:
    """The page and the top (mm) of every question's first word, in order."""
    return [(page, word.top) for page, words in enumerate(page_words(pdf))
            for word in words if word.text == "Question"]


def _spaces(pdf: Path, left_mm: float = SPACE_LEFT_MM) -> list[list[tuple[float, float]]]:
    """The top and height (mm) of each space drawn with --answer-space blank, page by page."""
    with pdfplumber.open(pdf) as document:
        return [sorted({(round(rect["top"] * MM_PER_PT, 1), round(rect["height"] * MM_PER_PT))
                        for rect in page.rects if rect["x0"] * MM_PER_PT > left_mm
                        and rect["height"] * MM_PER_PT > FEWEST_LINES * LINE_MM - 1})
                for page in document.pages]


def test_a_longer_model_answer_gets_more_room(tmp_path):
    pdf = _worksheet(tmp_path, [WORDS[:30], WORDS[:250], WORDS[:500], "Short."])
    tops = _question_tops(pdf)
    assert len({page for page, _ in tops[:3]}) == 1  # on one page, so the gaps are the spaces
    gaps = [after - before for (_, before), (_, after) in zip(tops, tops[1:3], strict=False)]
    assert gaps[0] + 2 * LINE_MM <= gaps[1]


def test_each_space_is_its_answers_lines_and_stays_on_its_questions_page(tmp_path):
    lengths = [10, 200, 2_000, 600, 50, 1_500, 900, 20, 300, 1_200]
    pdf = _worksheet(tmp_path, [WORDS[:length] for length in lengths], answer_space="blank")
    spaces = _spaces(pdf)
    expected = [max(FEWEST_LINES, min(MOST_LINES, -(-length // 55))) * LINE_MM for length in lengths]
    assert [height for page in spaces for _, height in page] == expected
    questions = Counter(page for page, _ in _question_tops(pdf))
    assert len(questions) > 1  # the test means something only across page breaks
    assert [len(page) for page in spaces] == [questions[number] for number in range(len(spaces))]


def test_the_key_follows_a_page_break_with_the_same_numbers_and_fills_the_cloze_blanks(tmp_path):
    pdf = _worksheet(tmp_path, [WORDS[:40], WORDS[:80]], cloze=True)
    texts = page_texts(pdf)
    key_page = next(number for number, text in enumerate(texts) if "Answer key" in text)
    questions, key = " ".join(texts[:key_page]), " ".join(texts[key_page:])
    assert re.findall(r"^(\d\d(?: c\d)?) ", questions.replace(" 0", "\n0"), re.M) == ["01", "02", "03 c1"]
    assert re.findall(r"\b(0\d(?: c\d)?)\b", key) == ["01", "02", "03 c1"]
    assert "KV cache" not in questions and "keeps the keys and values" in questions
    assert "KV cache" in key
    assert [mark.title for mark in outline(pdf)][-1] == "Answer key"


@pytest.fixture(scope="module")
def thirty(tmp_path_factory) -> Path:
    return _guide(tmp_path_factory.mktemp("thirty"), [f"Answer {n}." for n in range(1, 31)])


def _practice(content: Path, out: Path, seed: int) -> list[str]:
    """The numbers the header of a 20-question test names, checked against the questions asked."""
    build_clean(BuildOptions(content_dir=content, out_dir=out, only=("worksheet",),
                             worksheet=WorksheetOptions(pick=Pick(20, seed))))
    texts = page_texts(out / "worksheet.pdf")
    named = re.search(r"questions ([\d,\s]+), picked with seed (\d+)", texts[0])
    assert int(named.group(2)) == seed
    numbers = re.split(r",\s*", named.group(1))
    title, _ = outline(out / "worksheet.pdf")
    asked = [mark.title.split(".")[0] for mark in title.children]
    assert asked == numbers
    return numbers


def test_a_seed_picks_the_same_practice_test_and_another_seed_another(thirty, tmp_path):
    first = _practice(thirty, tmp_path / "a", 3)
    assert len(first) == 20 and first == sorted(first)
    assert _practice(thirty, tmp_path / "b", 3) == first
    assert _practice(thirty, tmp_path / "c", 4) != first


def test_questions_without_a_seed_draw_one_and_the_header_names_it(thirty, tmp_path, capsys):
    asked = ["--content", str(thirty), "--out", str(tmp_path), "--only", "worksheet", "--questions", "5"]
    assert main(asked) == 0
    assert re.search(r"picked with seed \d+", page_texts(tmp_path / "worksheet.pdf")[0])
    assert main(["--content", str(thirty), "--only", "worksheet", "--questions", "0"]) == 2
    assert "--questions takes a number of questions of 1 or more" in capsys.readouterr().err


@pytest.mark.parametrize("ratio", [(3, 4), (10, 16)])
def test_on_a_tablet_the_worksheet_takes_the_screens_shape_and_the_same_space(tmp_path, ratio):
    lengths = [10, 200, 2_000, 600, 1_500]
    content = _guide(tmp_path / "content", [WORDS[:length] for length in lengths])
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("worksheet",),
                             paper="tablet", tablet_ratio=ratio,
                             worksheet=WorksheetOptions(answer_space="blank")))
    pdf = tmp_path / "out" / "worksheet.pdf"
    width = 150  # papers.TABLET_WIDTH_MM
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            assert (round(page.width * MM_PER_PT), round(page.height * MM_PER_PT)) == (
                width, round(width * ratio[1] / ratio[0]))
            for word in page.extract_words():  # nothing past the narrow margins
                assert word["x0"] * MM_PER_PT >= 11.5 and word["x1"] * MM_PER_PT <= width - 11.5, word
    spaces = [height for page in _spaces(pdf, left_mm=15) for _, height in page]
    assert spaces == [max(FEWEST_LINES, min(MOST_LINES, -(-length // 55))) * LINE_MM for length in lengths]


def test_paper_tablet_is_the_worksheets_alone(tmp_path, capsys):
    content = _guide(tmp_path / "content", ["An answer."])
    assert main(["--content", str(content), "--out", str(tmp_path / "out"), "--paper", "tablet"]) == 2
    assert ("--paper tablet is the worksheet's screen-shaped page, and guide and cards print on paper: "
            "choose a4, a5, half-letter, letter, or build --only worksheet") in capsys.readouterr().err
    assert main(["calibrate", "--out", str(tmp_path / "out"), "--paper", "tablet"]) == 2
    assert "and the calibration sheet prints on paper" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
