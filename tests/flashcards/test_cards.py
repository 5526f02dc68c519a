"""flashcards.pdf, checked from the PDF itself: page order, duplex geometry, marks, fitting."""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import assume, given, settings

from studyguide.build.options import BuildOptions
from studyguide.cli.main import main
from studyguide.flashcards.faces import CardOptions
from studyguide.flashcards.render import layout_for
from studyguide.flashcards.sheets import MARK_LENGTH

from ..conftest import CONTENT, PNG, build_clean, write_guide
from ..pdfinfo import MM_PER_PT, Box, Word, card_labels, page_boxes, page_size_mm, page_texts, page_words
from ..test_robustness import MARKUP, RENDERED, card


def deck_content(folder: Path, count: int, answer=lambda n: f"Answer {n:02d} is short.") -> Path:
    cards = "".join(f"      - id: card-{n}\n        question: Question {n:02d}?\n"
                    f"        answer: \"{answer(n)}\"\n" for n in range(1, count + 1))
    return write_guide(folder, f"title: Deck test\nsections:\n  - title: Deck\n    cards:\n{cards}")


def build_cards(tmp_path: Path, content: Path, paper: str = "a4", **card_options) -> tuple:
    out = tmp_path / "out"
    report = build_clean(BuildOptions(content_dir=content, out_dir=out, paper=paper, only=("cards",),
                                      cards=CardOptions(**card_options)))
    return out / "flashcards.pdf", report.outputs[0]


def header_left(words: list[Word], label: Word) -> Word:
    """The section name that starts the header line of the card whose number is label."""
    return max((w for w in words if w.text == "DECK" and abs(w.top - label.top) < 0.5 and w.x0 < label.x0),
               key=lambda w: w.x0)


def card_edges(boxes: list[Box], width: float, height: float) -> tuple[list[float], list[float]]:
    """The x and y of the card edges, read from the crop marks in the margin of a front page."""
    def mark(long: float, short: float) -> bool:
        return short < 0.5 and abs(long - MARK_LENGTH) < 0.1

    xs = sorted({round((b.x0 + b.x1) / 2, 2) for b in boxes if mark(b.bottom - b.top, b.x1 - b.x0)})
    ys = sorted({round((b.top + b.bottom) / 2, 2) for b in boxes if mark(b.x1 - b.x0, b.bottom - b.top)})
    return xs, ys


def enclosing(edges: list[float], value: float) -> tuple[float, float]:
    lower = max(e for e in edges if e <= value)
    upper = min(e for e in edges if e > value)
    return lower, upper


def test_default_content_makes_one_front_and_one_back_sheet(tmp_path):
    pdf, output = build_cards(tmp_path, CONTENT)
    assert output.pages == 2
    front, back = card_labels(pdf)
    assert sorted(front) == sorted(back) == [f"{n:02d}" for n in range(1, 9)]
    xs, ys = card_edges(page_boxes(pdf)[0], *page_size_mm(pdf))
    assert len(xs) == 4 and len(ys) == 8  # two columns and four rows of cards, two edges each
    assert card_edges(page_boxes(pdf)[1], *page_size_mm(pdf)) == ([], [])  # marks are on fronts only


@pytest.mark.parametrize(("paper", "duplex", "size", "offset"), [
    ("a4", "long-edge", "grid", (0, 0)),
    ("a4", "short-edge", "grid", (0, 0)),
    ("letter", "long-edge", "grid", (0, 0)),
    ("letter", "short-edge", "grid", (0, 0)),
    ("a4", "long-edge", "poker", (1.5, -0.8)),
    ("letter", "short-edge", "index-3x5", (-1, 2)),
    ("a4", "short-edge", "business", (0, 0)),
    ("letter", "long-edge", "a7", (0.5, 0.5)),
])
def test_backs_land_behind_their_fronts(tmp_path, paper, duplex, size, offset):
    pdf, _ = build_cards(tmp_path, deck_content(tmp_path / "content", 5), paper, card_size=size,
                         duplex=duplex, back_offset=offset)
    width, height = page_size_mm(pdf)
    assert (round(width, 1), round(height, 1)) == {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}[paper]
    words, boxes = page_words(pdf), page_boxes(pdf)
    seen, numbers = [], card_labels(pdf)
    for sheet in range(0, len(words), 2):
        seen += _check_mirrored(words[sheet], words[sheet + 1], numbers[sheet], numbers[sheet + 1],
                                boxes[sheet], width, height, duplex, offset)
    assert sorted(seen) == ["01", "02", "03", "04", "05"]


def _check_mirrored(front_words, back_words, fronts, backs, front_boxes, width, height, duplex,
                    offset) -> list[str]:
    xs, ys = card_edges(front_boxes, width, height)
    assert sorted(fronts) == sorted(backs)
    dx, dy = offset
    for number, front in fronts.items():
        back = backs[number]
        front_x = (header_left(front_words, front).x0 + front.x1) / 2
        back_x = (header_left(back_words, back).x0 + back.x1) / 2
        top, bottom = enclosing(ys, front.top)
        if duplex == "long-edge":
            assert back_x == pytest.approx(width - front_x + dx, abs=1.0)
            assert back.top == pytest.approx(front.top + dy, abs=1.0)
        else:
            assert back_x == pytest.approx(front_x + dx, abs=1.0)
            assert back.top == pytest.approx(height - bottom + (front.top - top) + dy, abs=1.0)
        left, right = enclosing(xs, front_x)
        assert left < front_x < right
    return list(fronts)


def test_no_text_lies_outside_its_card(tmp_path):
    content = deck_content(tmp_path / "content", 6, answer=lambda n: "Words of an answer. " * (12 * n))
    pdf, _ = build_cards(tmp_path, content)
    width, height = page_size_mm(pdf)
    words, boxes = page_words(pdf), page_boxes(pdf)
    for front in range(0, len(words), 2):
        xs, ys = card_edges(boxes[front], width, height)
        columns = list(zip(xs[::2], xs[1::2], strict=True))
        rows = list(zip(ys[::2], ys[1::2], strict=True))
        cards = [Box(left, top, right, bottom) for left, right in columns for top, bottom in rows]
        backs = [Box(width - card.x1, card.top, width - card.x0, card.bottom) for card in cards]
        for page, rects in ((front, cards), (front + 1, backs)):
            for word in words[page]:
                assert any(card.x0 - 0.1 <= word.x0 and word.x1 <= card.x1 + 0.1
                           and card.top - 0.1 <= word.top and word.bottom <= card.bottom + 0.1
                           for card in rects), (page, word)


def test_long_answers_shrink_and_very_long_answers_split_without_losing_words(tmp_path, capsys):
    medium = " ".join(f"Shrink{n:03d} word." for n in range(45))
    huge = " ".join(f"Split{n:03d} sentence goes on here." for n in range(260))
    content = deck_content(tmp_path / "content", 3,
                           answer=lambda n: {1: "Fits.", 2: medium, 3: huge}[n])
    out = tmp_path / "out"
    assert main(["build", "--content", str(content), "--out", str(out), "--only", "cards"]) == 0
    summary = capsys.readouterr().out
    shrunk = re.search(r"card 02 set smaller to fit: answer (\d+(?:\.5)?) pt", summary)
    split = re.search(r"card 03 continues on (\d+) cards", summary)
    assert shrunk and 7 <= float(shrunk.group(1)) < 9
    assert split and int(split.group(1)) >= 2
    parts = int(split.group(1))
    words = page_words(out / "flashcards.pdf")
    text = " ".join(w.text for page in words for w in page)
    for n in range(45):
        assert f"Shrink{n:03d}" in text
    for n in range(260):
        assert f"Split{n:03d}" in text
    for part in range(1, parts + 1):
        assert text.count(f"03 ({part}/{parts})") == 2  # on the front and on the back
    sizes = {w.size for page in words for w in page if w.text.startswith("Shrink")}
    assert sizes == {float(shrunk.group(1))}


def test_strict_makes_a_split_an_error(tmp_path, capsys):
    content = deck_content(tmp_path / "content", 1, answer=lambda n: "A sentence of an answer. " * 300)
    code = main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "cards",
                 "--strict"])
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"guide.yaml:7:17: error: card 01 \('card-1'\) needs \d+ cards even at 7 pt", err)
    assert not (tmp_path / "out" / "flashcards.pdf").exists()


def test_a_strict_split_fails_the_cards_alone_and_keeps_their_last_good_file(tmp_path, capsys):
    out = tmp_path / "out"
    short = deck_content(tmp_path / "content", 1, answer=lambda n: "Short.")
    assert main(["build", "--content", str(short), "--out", str(out), "--only", "cards,guide,csv"]) == 0
    good = (out / "flashcards.pdf").read_bytes()
    long = deck_content(tmp_path / "content", 1, answer=lambda n: "A sentence of an answer. " * 300)

    code = main(["build", "--content", str(long), "--out", str(out), "--only", "cards,guide,csv", "--strict"])

    captured = capsys.readouterr()
    assert code == 1
    assert f"1 error; {out / 'flashcards.pdf'} keeps its last good version" in captured.err
    assert (out / "flashcards.pdf").read_bytes() == good
    assert "A sentence of an answer." in (out / "flashcards.csv").read_text(encoding="utf-8-sig")
    assert re.search(r"guide.pdf  \d+ pages", captured.out)
    assert main(["build", "--content", str(long), "--out", str(out), "--only", "cards,guide,csv"]) == 0
    assert "flashcards.pdf  " in capsys.readouterr().out  # the failed output was not marked up to date


@pytest.mark.parametrize("count", [1, 8, 9, 17])
def test_last_sheet_is_padded_and_padding_has_no_marks(tmp_path, count):
    pdf, output = build_cards(tmp_path, deck_content(tmp_path / "content", count))
    sheets = math.ceil(count / 8)
    assert output.pages == 2 * sheets
    boxes = page_boxes(pdf)
    on_last = count - 8 * (sheets - 1)
    numbers = card_labels(pdf)
    assert len(numbers[-2]) == len(numbers[-1]) == on_last
    for page in range(0, 2 * sheets, 2):  # fronts then backs carry the same numbers
        assert sorted(numbers[page]) == sorted(numbers[page + 1])
    width, height = page_size_mm(pdf)
    xs, ys = card_edges(boxes[-2], width, height)
    columns = min(on_last, 2)
    rows = math.ceil(on_last / 2)
    assert (len(xs), len(ys)) == (2 * columns, 2 * rows)


def test_fold_mode_puts_question_and_answer_side_by_side(tmp_path):
    pdf, output = build_cards(tmp_path, deck_content(tmp_path / "content", 5), duplex="fold")
    assert output.pages == 2  # four cards a page, one side only
    texts = page_texts(pdf)
    for n in range(1, 5):
        assert f"Question {n:02d}?" in texts[0] and f"Answer {n:02d} is short." in texts[0]
    words = page_words(pdf)[0]
    question = next(w for w in words if w.text == "01")
    answer_number = [w for w in words if w.text == "01" and w is not question]
    assert answer_number and answer_number[0].x0 > question.x0 + 50


def test_calibration_sheet_backs_mirror_the_targets(tmp_path, capsys):
    assert main(["calibrate", "--out", str(tmp_path), "--duplex", "long-edge"]) == 0
    pdf = tmp_path / "calibration.pdf"
    boxes = page_boxes(pdf)
    width, _ = page_size_mm(pdf)
    crosses = [b for b in boxes[1] if b.x1 - b.x0 > 20]  # the long bars of the back crosses
    centres = sorted(round((b.x0 + b.x1) / 2, 1) for b in crosses)
    assert centres == sorted(round(x, 1) for x in (width / 2, width - 45, 45, width - 45, 45))
    text = page_texts(pdf)[0]
    assert "--back-offset X,Y" in text


def test_a_wrong_guess_is_caught_by_the_final_render_and_measured(tmp_path, monkeypatch):
    from studyguide.flashcards import fit as fitting

    monkeypatch.setattr(fitting, "guess_height", lambda *text: 0.0)  # "everything fits"
    content = deck_content(tmp_path / "content", 2, answer=lambda n: "A sentence of an answer. " * 60 * n)
    pdf, output = build_cards(tmp_path, content)
    assert any("continues on" in note or "smaller" in note for note in output.notes)
    words = [w.text for page in page_words(pdf)[1::2] for w in page]  # the backs
    assert words.count("A") == 180  # every sentence, however its words were hyphenated


def test_a_question_too_long_for_a_card_goes_on_over_its_back_above_the_answer(tmp_path):
    listing = "\n".join(f"          print({n})" for n in range(90))
    content = write_guide(tmp_path / "content", (
        "title: Long\nsections:\n  - title: S\n    cards:\n      - id: long\n        question: |-\n"
        f"          Which number does it print last?\n\n          ```python\n{listing}\n          ```\n"
        "        answer: Eighty-nine, the last of them.\n"))
    pdf, _ = build_cards(tmp_path, content)
    labels = card_labels(pdf)
    count = len(labels[0])
    assert count > 1 and len(page_texts(pdf)) == 2
    front = card_text(pdf, 0, labels[0][f"01(1/{count})"])
    backs = [card_text(pdf, 1, labels[1][f"01({k}/{count})"]) for k in range(1, count + 1)]
    assert front.startswith("Which number does it print last?")
    assert front.endswith("The question continues on the back, above the answer.")
    # Every line of the listing is on the first front or a back, once and in order, then the answer.
    printed = [int(n) for text in (front, *backs) for n in re.findall(r"print\((\d+)\)", text)]
    assert printed == list(range(90)) and "print(" in front and "print(" in backs[0]
    back_text = "\n".join(backs)
    assert back_text.index("print(89)") < back_text.index("Eighty-nine, the last of them.")


def card_text(pdf: Path, page: int, label: Word) -> str:
    """The text of the card whose header number is label, on that page."""
    layout = layout_for("a4", CardOptions())
    left, top = label.x1 - layout.card_width + 3, label.top - 5  # the number ends a face's padding in
    with pdfplumber.open(pdf) as document:
        box = (left, top, label.x1 + 1, top + layout.slot_height - 2)
        area = document.pages[page].within_bbox(tuple(mm / MM_PER_PT for mm in box))
        return " ".join(area.extract_text().split("\n")[1:])  # without the header line


def test_a_broken_measuring_template_is_found_by_check_with_its_line(tmp_path, capsys):
    import shutil

    from studyguide.build.pipeline import check

    templates = tmp_path / "templates"
    shutil.copytree(CONTENT.parent / "templates", templates)
    page = templates / "cards-measure.html"
    broken = page.read_text(encoding="utf-8").replace("{{ texts[loop.index0]|lifted(3) }}", "{{ textz }}")
    page.write_text(broken, encoding="utf-8")
    from studyguide.diagnostics import ContentError

    with pytest.raises(ContentError) as raised:
        check(BuildOptions(content_dir=CONTENT, templates_dir=templates, only=("cards",)))
    assert raised.value.problems[0].position.path.name == "cards-measure.html"


def guesses_and_heights(content: Path) -> list[tuple[str, float | None, float]]:
    """Each question and answer of the content at its default size: its start, its guessed
    height and its measured height, in mm, or [] when the content has errors."""
    from studyguide.content.load import load_guide
    from studyguide.diagnostics import Collector
    from studyguide.engine.weasy import Resources
    from studyguide.flashcards.estimate import guess_height
    from studyguide.flashcards.faces import ANSWER_PT, QUESTION_PT, deck, face_geometry
    from studyguide.flashcards.fit import Snippet
    from studyguide.flashcards.render import _Measurer, layout_for
    from studyguide.html import fonts
    from studyguide.html.templates import PageRenderer
    from studyguide.markup.convert import render_markup

    problems = Collector()
    guide = load_guide(content, problems)
    guide = render_markup(guide, problems) if guide is not None else None
    if guide is None or problems.errors:
        return []
    geometry = face_geometry(layout_for("a4", CardOptions()))
    width = geometry.body_width
    snippets = [Snippet("question", face.question_html, QUESTION_PT) for face in deck(guide)]
    snippets += [Snippet("answer", face.answer_html, ANSWER_PT) for face in deck(guide)]
    resources = Resources(content, (content, *fonts.font_dirs()))
    renderer = PageRenderer(CONTENT.parent / "templates", problems)
    measured = _Measurer(guide, renderer, resources, width, geometry.body_height)(snippets)
    return [(snippet.html[:60], guess_height(snippet.kind, snippet.html, snippet.size_pt, width), height)
            for snippet, height in zip(snippets, measured, strict=True)]


def test_height_guesses_are_never_short_of_the_measured_heights():
    checked = guesses_and_heights(CONTENT)
    assert checked
    for start, guess, height in checked:
        assert guess is not None and guess >= height - 0.05, (start, guess, height)


@settings(RENDERED, max_examples=40)  # one render each, most of them short
@given(MARKUP)
def test_height_guesses_of_generated_markdown_are_never_short(markdown):
    with tempfile.TemporaryDirectory() as folder:
        content = write_guide(Path(folder), card(markdown))
        (content / "figures").mkdir()
        (content / "figures" / "ok.png").write_bytes(PNG)
        checked = guesses_and_heights(content)
    assume(checked)
    for start, guess, height in checked:
        assert guess is None or guess >= height - 0.05, (start, guess, height)


def test_a_question_of_several_paragraphs_fits_its_card(tmp_path):
    paragraphs = "".join(f"          Paragraph {n} of a front imported from a note with many fields.\n\n"
                         for n in range(1, 11))  # set smaller to fit, so that it fills its card
    content = write_guide(tmp_path / "content", "title: Fronts\nsections:\n  - title: S\n    cards:\n"
                          f"      - question: |\n{paragraphs}        answer: A.\n")
    pdf, output = build_cards(tmp_path, content)
    words = " ".join(w.text for page in page_words(pdf) for w in page)
    assert all(f"Paragraph {n}" in words for n in range(1, 11))


def test_a_long_section_title_stops_before_the_card_number_and_question_code_wraps_in_its_face(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: T\nsections:\n  - title: A very long section title about retrieval augmented generation "
        "and vector databases at scale\n    cards:\n"
        "      - question: What does `torch.nn.functional.scaled_dot_product_attention` compute?\n"
        "        answer: The attention output.\n"))
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("cards",)))
    with pdfplumber.open(tmp_path / "flashcards.pdf") as pdf:
        front = pdf.pages[0]
        number = next(word for word in front.extract_words() if word["text"] == "01")
        header = [char for char in front.chars
                  if abs(char["top"] - number["top"]) < 1 and char["x1"] <= number["x0"]]
        assert header and max(char["x1"] for char in header) < number["x0"] - 1  # apart, not under it
        code = [char for char in front.chars if "Code" in char["fontname"]]
        assert "".join(char["text"] for char in code) == "torch.nn.functional.scaled_dot_product_attention"
        assert max(char["x1"] for char in code) <= number["x1"] + 0.5  # the number stands at the text's edge


def test_an_image_in_a_question_is_scaled_to_fit_its_card(tmp_path):
    from PIL import Image

    content = write_guide(tmp_path / "content", (
        "title: T\nsections:\n  - title: A\n    cards:\n"
        "      - question: 'What does this plot show? ![a tall plot of losses](figures/tall.png)'\n"
        "        answer: Overfitting.\n"))
    (content / "figures").mkdir()
    Image.new("RGB", (400, 1200), "navy").save(content / "figures" / "tall.png")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("cards",)))
    with pdfplumber.open(tmp_path / "flashcards.pdf") as pdf:
        front = pdf.pages[0]
        [image] = front.images
        number = next(word for word in front.extract_words() if word["text"] == "01")
        card_height = front.height / 4  # the grid: four rows of cards
        assert number["top"] < image["top"] and image["bottom"] < card_height + number["top"]
