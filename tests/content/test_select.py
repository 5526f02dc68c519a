"""Subsets: the same cards, with their own numbers, in every output; choosing nothing is a usage error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from studyguide.cli.main import main
from studyguide.content.load import load_guide
from studyguide.content.selection import Selection, select
from studyguide.diagnostics import Collector, UsageError
from studyguide.editions.names import DEFAULT_OUTPUTS

from ..apkginfo import read_apkg
from ..conftest import write_guide
from ..exports.test_plaintext import read_csv, read_tsv
from ..pdfinfo import outline, page_texts

GUIDE = """title: Subsets
sections:
  - title: Inference
    cards:
      - {id: kv, question: "KV?", answer: A., tags: [inference, memory], difficulty: medium}
      - {id: batching, question: "Batching?", answer: A., tags: [inference], difficulty: hard}
  - title: Training Tricks
    cards:
      - {id: lr, question: "LR?", answer: A., tags: [training], difficulty: easy}
      - {id: lora, question: "LoRA?", answer: A., tags: [training, memory], difficulty: hard}
  - title: Evaluation
    cards:
      - {id: mmlu, question: "MMLU?", answer: A., tags: [eval]}
      - {id: judge, question: "Judge?", answer: A., difficulty: medium}
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    return write_guide(tmp_path_factory.mktemp("subsets") / "content", GUIDE)


@pytest.fixture(scope="module")
def guide(content):
    problems = Collector()
    loaded = load_guide(content, problems)
    assert not problems.problems
    return loaded


def numbers(guide) -> list[int]:
    return [card.number for card in guide.cards]


@pytest.mark.parametrize(("selection", "expected"), [
    (Selection(tags=("memory", "eval")), [1, 4, 5]),
    (Selection(sections=("training tricks", "  Evaluation ")), [3, 4, 5, 6]),
    (Selection(difficulties=("easy", "hard")), [2, 3, 4]),
    (Selection(ids=("judge", "kv")), [1, 6]),
    (Selection(tags=("memory", "inference"), difficulties=("hard",)), [2, 4]),
    (Selection(tags=("memory",), sections=("Inference",)), [1]),
])
def test_cards_keep_their_own_numbers(guide, selection, expected):
    assert numbers(select(guide, selection)) == expected


def test_sections_without_selected_cards_are_left_out_and_keep_their_numbers(guide):
    chosen = select(guide, Selection(tags=("training", "eval")))
    assert [(section.number, section.title) for section in chosen.sections] == [
        (2, "Training Tricks"), (3, "Evaluation")]


def test_no_filter_is_the_whole_guide(guide):
    assert select(guide, Selection()) is guide


def test_a_selection_of_nothing_lists_the_tags_and_sections(guide):
    with pytest.raises(UsageError) as raised:
        select(guide, Selection(tags=("eval",), difficulties=("hard",)))
    assert str(raised.value) == (
        "no card matches --tags eval --difficulty hard\n"
        "  the tags are: eval, inference, memory, training\n"
        "  the sections are: 'Inference', 'Training Tricks', 'Evaluation'")


def test_values_the_guide_lacks_are_named_with_a_suggestion(guide):
    with pytest.raises(UsageError) as raised:
        select(guide, Selection(tags=("memroy", "inference"), sections=("Evaluations",),
                                difficulties=("extreme",), ids=("batchin",)))
    first_line = str(raised.value).splitlines()[0]
    assert first_line == ("there is no tag 'memroy' (did you mean 'memory'?); "
                          "there is no section 'Evaluations' (did you mean 'Evaluation'?); "
                          "there is no difficulty 'extreme'; "
                          "there is no card id 'batchin' (did you mean 'batching'?)")
    assert "the sections are: 'Inference', 'Training Tricks', 'Evaluation'" in str(raised.value)


@pytest.mark.parametrize(("argv", "expected"), [
    (["--tags", "memory,eval"], [1, 4, 5]),
    (["--section", "Inference", "--section", "Evaluation"], [1, 2, 5, 6]),
    (["--difficulty", "medium"], [1, 6]),
    (["--ids", "lora,lr"], [3, 4]),
])
def test_every_output_holds_the_same_cards(content, tmp_path, capsys, argv, expected):
    assert main(["build", "--content", str(content), "--out", str(tmp_path), *argv]) == 0

    questions = {1: "KV?", 2: "Batching?", 3: "LR?", 4: "LoRA?", 5: "MMLU?", 6: "Judge?"}
    ids = {1: "kv", 2: "batching", 3: "lr", 4: "lora", 5: "mmlu", 6: "judge"}
    in_pdf = [child.title for part in outline(tmp_path / "guide.pdf") for child in part.children]
    assert in_pdf == [f"{n}. {questions[n]}" for n in expected]
    assert [note.fields["Number"] for note in read_apkg(tmp_path / "flashcards.apkg").notes] == \
        [str(n) for n in expected]
    assert [row[0] for row in read_tsv(tmp_path / "flashcards.tsv")] == [questions[n] for n in expected]
    assert [row[0] for row in read_csv(tmp_path / "flashcards.csv")[1:]] == [ids[n] for n in expected]
    card_fronts = page_texts(tmp_path / "flashcards.pdf")[0]
    assert [n for n in questions if questions[n] in card_fronts] == expected

    summary = capsys.readouterr().out.splitlines()
    assert len(summary) == len(DEFAULT_OUTPUTS)
    assert all(f"  {len(expected)} of 6 cards  " in line for line in summary)


def test_an_empty_selection_exits_2_and_writes_nothing(content, tmp_path, capsys):
    code = main(["build", "--content", str(content), "--out", str(tmp_path), "--tags", "eval",
                 "--difficulty", "easy"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: no card matches --tags eval --difficulty easy\n")
    assert "the tags are: eval, inference, memory, training" in err
    assert "the sections are: 'Inference', 'Training Tricks', 'Evaluation'" in err
    assert list(tmp_path.iterdir()) == []


def test_only_builds_just_the_named_outputs(content, tmp_path, capsys):
    assert main(["build", "--content", str(content), "--out", str(tmp_path), "--only", "apkg,tsv,csv"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir() if path.name != ".cache") == [
        "flashcards.apkg", "flashcards.csv", "flashcards.tsv"]
    for line in capsys.readouterr().out.splitlines():
        assert re.fullmatch(r".*flashcards\.(apkg|tsv|csv)  6 cards  \d+\.\d s", line)


def test_a_whole_build_writes_every_output_with_a_summary_line_each(content, tmp_path, capsys):
    assert main(["build", "--content", str(content), "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert sorted(path.name for path in tmp_path.iterdir() if path.name != ".cache") == [
        "flashcards.apkg", "flashcards.csv", "flashcards.pdf", "flashcards.tsv", "guide.pdf",
        "quiz.pdf", "tablet.pdf"]
    lines = captured.out.splitlines()
    assert re.fullmatch(r".*guide\.pdf  \d+ pages  6 cards  \d+\.\d s", lines[0])
    assert [line.split("  ")[0].rsplit("/", 1)[-1] for line in lines] == [
        "guide.pdf", "tablet.pdf", "quiz.pdf", "flashcards.pdf", "flashcards.apkg", "flashcards.tsv",
        "flashcards.csv"]
