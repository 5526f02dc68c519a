"""A watcher's rebuilds compose again only the YAML files whose text changed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic import write_guide as write_synthetic
from studyguide.content import source
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from tests.conftest import CONTENT


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


def _nodes(node, found: list) -> list:
    """Every node of a tree, depth first: kind, tag, value and where it starts and ends."""
    found.append((type(node).__name__, node.tag, node.value if isinstance(node.value, str) else None,
                  node.start_mark.index, node.start_mark.line, node.start_mark.column,
                  node.end_mark.index, node.end_mark.line, node.end_mark.column))
    if isinstance(node.value, list):
        for item in node.value:
            for child in item if isinstance(item, tuple) else (item,):
                _nodes(child, found)
    return found


CLEAN = (
    "title: Ünïcode √dₖ 中文\r\nsections:\r\n  - title: ‘quoted’ 😀\r\n    cards: []\r\n",
    "q: |\n  𝒙 = 1 😀\n  ```python\n  def f(): return {'a': [1, 2]}\n  ```\n"
    "r: >\n  folded\n  text\n\n  kept\n",
    "a: !!str 5\nb: 'it''s'\nc: \"a\\u00e9\\n\"\n? key\n: value\nflow: {x: [1, 'e: f']}\n",
)


@pytest.mark.parametrize("text", [*CLEAN, *(path.read_text(encoding="utf-8")
                                            for path in sorted(CONTENT.rglob("*.yaml")))])
def test_libyaml_composes_a_clean_file_as_pyyaml_does(text: str):
    """Clean files are read with libyaml's parser, ten times quicker, into the very nodes and
    marks PyYAML's own gives."""
    file = source.SourceFile(Path("guide.yaml"), text)
    loader = source._Composer(file, problems := Collector())
    expected = loader.get_single_node()
    loader.dispose()
    assert not problems.problems
    assert _nodes(source._composed_quickly(file), []) == _nodes(expected, [])


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # a problem of ours: PyYAML's composer reports it
    "q: - a\n",  # a syntax error: in PyYAML's words
    "q: a\nr: b\t\n",  # a tab libyaml takes and PyYAML refuses
    "title: a\ufeffb\n",  # a byte order mark in a value, which libyaml drops
])
def test_a_file_libyaml_might_read_otherwise_is_left_to_pyyaml(text: str):
    assert source._composed_quickly(source.SourceFile(Path("guide.yaml"), text)) is None
