"""Each text's Markdown is converted once per build: the markup step's result serves every output."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.content import cloze
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.markup.convert import MarkdownConverter

from ..conftest import CONTENT, build_clean, write_guide

CLOZE_GUIDE = """\
title: Cloze
sections:
  - title: One
    intro: Read *this* first.
    cards:
      - id: capital
        question: "The capital of {{c1::France}} is {{c2::Paris::a city}}, $x^2$."
        answer: Two deletions.
      - id: plain
        question: What is $a_i * b_j$?
        answer: A product, **twice**.
        card: A product.
"""


@pytest.fixture
def conversions(monkeypatch, tmp_path: Path):
    """Every text converted during a build, in the build and in its worker processes."""
    log = tmp_path / "converted.log"
    convert = MarkdownConverter.convert

    def counted(self, source: str):
        with log.open("a", encoding="utf-8") as file:
            file.write(source.replace("\\", "\\\\").replace("\n", "\\n") + "\n")
        return convert(self, source)

    monkeypatch.setattr(MarkdownConverter, "convert", counted)

    def read() -> Counter[str]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        return Counter(line.replace("\\n", "\n").replace("\\\\", "\\") for line in lines)

    return read


def texts_of(guide) -> list[str]:
    """The texts a guide's outputs show: intros, questions (a cloze one as written, marked, and
    each side), answers and short answers."""
    texts = [section.intro.value for section in guide.sections if section.intro]
    for card in guide.cards:
        texts += [card.question.value, card.answer.value, *([card.card.value] if card.card else [])]
        if card.cloze:
            texts.append(cloze.marked(card.cloze))
            for number in cloze.numbers(card.cloze):
                texts += [cloze.front(card.cloze, number), cloze.back(card.cloze, number)]
    return texts


def test_a_build_of_every_output_converts_each_text_of_the_default_content_once(conversions, tmp_path):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path / "out"))
    expected = texts_of(load_guide(CONTENT, Collector()))
    assert conversions() == Counter(expected)


def test_a_build_converts_each_text_of_cloze_cards_once(conversions, tmp_path):
    content = write_guide(tmp_path / "content", CLOZE_GUIDE)
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out",
                             only=("guide", "cards", "apkg", "tsv", "csv")))
    expected = texts_of(load_guide(content, Collector()))
    assert len(expected) == len(set(expected)) == 11
    assert conversions() == Counter(expected)
