"""A watcher's rebuilds compose again only the YAML files whose text changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic import write_guide as write_synthetic
from studyguide.content import source
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector


def test_only_changed_files_are_composed_again_and_problems_still_reported(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch):
    content = write_synthetic(tmp_path / "content", 6, per_section=2)
    composed_now: list[str] = []
    compose = source._composed

    def counted(file: source.SourceFile, problems: Collector):
        composed_now.append(file.path.name)
        return compose(file, problems)

    monkeypatch.setattr(source, "_composed", counted)
    memo: source.Composed = {}
    first = load_guide(content, Collector(), memo)
    assert sorted(composed_now) == ["guide.yaml", "part-001.yaml", "part-002.yaml", "part-003.yaml"]

    composed_now.clear()
    section = content / "sections" / "part-002.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("    answer: |\n", "    answer: |\n      Edited.\n", 1), encoding="utf-8")
    again = load_guide(content, Collector(), memo)
    assert composed_now == ["part-002.yaml"]
    answers = [[card.answer.value for card in guide.cards] for guide in (first, again)]
    assert answers[1] == [*answers[0][:2], "Edited.\n" + answers[0][2], *answers[0][3:]]

    composed_now.clear()  # a problem the loader finds in a kept file is reported at each load
    guide_file = content / "guide.yaml"
    guide_file.write_text(guide_file.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    for _ in range(2):
        problems = Collector()
        load_guide(content, problems, memo)
        assert [str(problem.position.line) for problem in problems.problems]
        assert "colour" in problems.problems[0].message
    assert composed_now == ["guide.yaml"]

    shutil.copy(section, tmp_path / "kept.yaml")  # a file that is not YAML is composed at each load
    section.write_text("cards: [unclosed\n", encoding="utf-8")
    composed_now.clear()
    for _ in range(2):
        problems = Collector()
        load_guide(content, problems, memo)
        assert problems.problems
    assert composed_now == ["part-002.yaml", "part-002.yaml"]
