"""quiz.pdf, the self-test edition: a question per page, its answer on the next, in a seeded order."""

from __future__ import annotations

import re

import pytest

from studyguide.cli.main import main
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.markup.convert import render_markup
from studyguide.markup.order import card_order

from ..conftest import CONTENT, VARIANT, built_texts, question_start, write_guide
from ..pdfinfo import named_links, normalize, outline, page_links, page_texts, reads


def answer_start(card) -> str:
    """The first words of the answer as they read in the PDF (before any list numbers)."""
    return " ".join(normalize(re.sub(r"<[^>]+>", " ", card.answer_html)).split()[:3])


@pytest.fixture(scope="module", params=["tablet_pdfs", "variant_pdfs"])
def quiz(request, default_guide):
    """quiz.pdf in the guide's order and shuffled with seed 7, with the order it must follow."""
    seed = None if request.param == "tablet_pdfs" else VARIANT.shuffle_seed
    pdf = request.getfixturevalue(request.param)["quiz"]
    return pdf, card_order(default_guide.cards, seed), built_texts(pdf)


def question_pages(pdf) -> list[int]:
    return [mark.page for mark in outline(pdf)]


def test_outline_lists_every_question_in_quiz_order(quiz):
    pdf, deck, _ = quiz
    marks = outline(pdf)
    assert [mark.title for mark in marks] == [f"{card.number}. {card.label}" for card in deck]
    assert all(not mark.children for mark in marks)


def test_each_question_has_a_page_of_its_own_and_its_answer_the_next(quiz):
    pdf, deck, texts = quiz
    pages = question_pages(pdf)
    assert pages == sorted(pages) and len(set(pages)) == len(deck)
    for position, (card, page) in enumerate(zip(deck, pages, strict=True), 1):
        question, answer = texts[page - 1], texts[page]
        assert question.startswith(f"{position} OF {len(deck)} CONTENTS")
        assert reads(question, f"QUESTION {card.number} {question_start(card)}")
        assert "Show answer" in question
        assert answer_start(card) not in question
        assert answer.startswith(f"{position} OF {len(deck)} · ANSWER CONTENTS")
        assert reads(answer, f"{card.number} {question_start(card)}")  # the question, repeated small
        assert answer_start(card) in answer


def test_show_answer_lands_on_that_questions_answer_page(quiz):
    pdf, deck, texts = quiz
    pages = question_pages(pdf)
    shows = [link for link in page_links(pdf, pages) if link.text == "Show answer"]
    assert [link.page for link in shows] == pages
    for link, card in zip(shows, deck, strict=True):
        assert link.name == card.answer_anchor
        assert link.target == link.page + 1
        assert answer_start(card) in texts[link.target - 1]


def test_answer_pages_lead_to_the_next_question_and_back_to_the_contents(quiz):
    pdf, deck, texts = quiz
    pages = question_pages(pdf)
    links = page_links(pdf, [page + 1 for page in pages])
    nexts = [link for link in links if link.text == "Next question →"]
    assert [link.target for link in nexts] == pages[1:]
    backs = [link for link in links if link.text == "Back to contents"]
    assert [link.page for link in backs] == [page + 1 for page in pages]
    assert all(link.target == 1 for link in backs)
    assert "That was the last question." in texts[-1]


def test_contents_lists_every_question_with_a_link_to_its_page(quiz):
    pdf, deck, texts = quiz
    pages = question_pages(pdf)
    links = [link for page in range(1, pages[0]) for link in named_links(pdf, page)]
    assert [link.name for link in links] == [card.anchor for card in deck]
    assert [link.target for link in links] == pages
    for link, card in zip(links, deck, strict=True):
        assert link.text.startswith(str(card.number))


def test_a_shuffled_quiz_keeps_each_cards_own_number_and_names_its_seed(variant_pdfs, default_guide):
    texts = built_texts(variant_pdfs["quiz"])
    numbers = [int(mark.title.split(".")[0]) for mark in outline(variant_pdfs["quiz"])]
    assert sorted(numbers) == [card.number for card in default_guide.cards]
    assert numbers != sorted(numbers)
    assert "shuffled with seed 7" in texts[0]
    assert "seed" not in " ".join(built_texts(variant_pdfs["tablet"]))  # the reading edition keeps its order


def test_card_order_is_the_guides_without_a_seed_and_fixed_by_one(default_guide):
    cards = default_guide.cards
    assert card_order(cards, None) == cards
    assert card_order(cards, 7) == card_order(cards, 7)
    assert sorted(card_order(cards, 7), key=lambda card: card.number) == list(cards)
    assert len({card_order(cards, seed) for seed in range(5)}) == 5


def test_a_seed_without_shuffle_is_a_usage_error(capsys):
    assert main(["--content", str(CONTENT), "--only", "quiz", "--seed", "7"]) == 2
    assert "--seed only applies with --shuffle" in capsys.readouterr().err


def test_shuffle_without_a_seed_draws_one_and_names_it(tmp_path):
    cards = "".join(f"      - question: Question {n}?\n        answer: Answer {n}.\n" for n in range(1, 7))
    content = write_guide(tmp_path / "content", f"title: Six\nsections:\n  - title: All\n    cards:\n{cards}")

    assert main(["--content", str(content), "--out", str(tmp_path), "--only", "quiz", "--shuffle"]) == 0

    seed = int(re.search(r"shuffled with seed (\d+)", page_texts(tmp_path / "quiz.pdf")[0]).group(1))
    guide = render_markup(load_guide(content, Collector()), Collector())
    numbers = [int(mark.title.split(".")[0]) for mark in outline(tmp_path / "quiz.pdf")]
    assert numbers == [card.number for card in card_order(guide.cards, seed)]
