"""How editions are cut into parts: small enough that an edit renders little again, few enough
that what each render costs whatever its length is paid seldom."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.synthetic import write_guide as write_synthetic
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.editions import registry
from studyguide.editions.sectionbreaks import section_characters


def synthetic(folder: Path, cards: int):
    return load_guide(write_synthetic(folder, cards, per_section=1), Collector())


def part_sizes(guide) -> list[int]:
    parts = registry.by_section(guide, guide.cards, {}).body
    assert [section for part in parts for section in part.sections] == list(guide.sections)
    return [sum(map(section_characters, part.sections)) for part in parts]


def test_guide_parts_are_small_until_there_would_be_more_than_twenty(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(registry, "PART_CHARACTERS", 1_000)
    small = part_sizes(synthetic(tmp_path / "small", 20))
    assert 5 <= len(small) <= registry.SMALL_PARTS
    assert all(size >= 1_000 for size in small[:-1]) and any(size < 2_000 for size in small[:-1])
    grown = part_sizes(synthetic(tmp_path / "grown", 60))
    assert len(grown) <= registry.SMALL_PARTS
    assert all(size >= 2_000 for size in grown[:-1])


@pytest.mark.parametrize(("questions", "parts"), [(1, [1]), (8, [8]), (9, [9]), (10, [5, 5]),
                                                   (14, [5, 9]), (24, [5, 5, 5, 9])])
def test_quiz_parts_hold_five_questions_the_last_the_rest(tmp_path: Path, questions: int, parts: list[int]):
    guide = synthetic(tmp_path, questions)
    edition = registry.by_questions(guide, guide.cards, {})
    assert [len(part.cards) for part in edition.body] == parts
    assert [card for part in edition.body for card in part.cards] == list(guide.cards)
