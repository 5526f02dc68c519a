"""Ids the author never wrote: made from the question alone, unique, and stable under edits elsewhere."""

from __future__ import annotations

from pathlib import Path

from studyguide.content.load import derived_id, load_guide
from studyguide.diagnostics import Collector

from ..conftest import write_guide

LONG = "What happens to our linear regression model if the column z is {}?"


def ids_of(tmp_path: Path, *questions: str) -> list[str]:
    cards = "".join(f"      - question: '{q}'\n        answer: A.\n" for q in questions)
    content = write_guide(tmp_path / "content", f"title: T\nsections:\n  - title: S\n    cards:\n{cards}")
    problems = Collector()
    guide = load_guide(content, problems)
    assert not problems.problems, [p.format() for p in problems.problems]
    return [card.id for card in guide.cards]


def test_questions_that_begin_alike_derive_different_ids(tmp_path):
    first, second = LONG.format("the sum of columns x and y"), LONG.format("a sum of columns x and y")

    ids = ids_of(tmp_path, first, second)

    assert ids[0] != ids[1]
    assert all(card_id.startswith("what-happens-to-our-linear-regression-model-if-") for card_id in ids)


def test_a_derived_id_depends_on_its_question_only(tmp_path):
    question = LONG.format("the sum of columns x and y")
    alone = ids_of(tmp_path, question)
    among_others = ids_of(tmp_path, "What is RAG?", LONG.format("a sum of x and y"), question)

    assert among_others[-1] == alone[0] == derived_id(question)


def test_short_questions_keep_the_slug_they_always_had():
    assert derived_id("Explain the KV cache") == "explain-the-kv-cache"
    assert derived_id("Was ist Überanpassung?") == "was-ist-beranpassung"


def test_questions_in_other_scripts_derive_real_ids(tmp_path):
    ids = ids_of(tmp_path, "什么是注意力机制？", "什么是KV缓存？", "ما هو الانتباه؟")

    assert len(set(ids)) == 3
    assert ids[0].startswith("card-") and ids[1].startswith("kv-")
    assert ids == ids_of(tmp_path, "什么是注意力机制？", "什么是KV缓存？", "ما هو الانتباه؟")


def test_two_chinese_questions_derive_two_ids_that_edits_of_other_cards_leave_alone(tmp_path):
    first, second = "什么是注意力机制？", "为什么要除以根号 d？"
    before = ids_of(tmp_path, first, "What is RAG?", second)
    after = ids_of(tmp_path, "A new card?", first, "What is RAG, really?", second)

    assert before[0] != before[2]
    assert (after[1], after[3]) == (before[0], before[2])


def test_questions_with_formulas_keep_what_the_formula_says(tmp_path):
    ids = ids_of(tmp_path, r"Why divide by $\sqrt{d_k}$?", "Why divide by $d$?")

    assert ids[0] != ids[1]


def test_words_that_differ_only_in_case_or_punctuation_still_differ(tmp_path):
    ids = ids_of(tmp_path, "What is RAG?", "What is RAG!", "what is rag")

    assert ids[0] == "what-is-rag"
    assert len(set(ids)) == 3


def test_a_derived_id_gives_way_to_one_the_author_wrote(tmp_path):
    content = write_guide(tmp_path / "content", "title: T\nsections:\n  - title: S\n    cards:\n"
                          "      - id: what-is-rag\n        question: Retrieval?\n        answer: A.\n"
                          "      - question: What is RAG?\n        answer: B.\n")
    problems = Collector()

    guide = load_guide(content, problems)

    assert not problems.problems
    assert guide.cards[1].id.startswith("what-is-rag-")
