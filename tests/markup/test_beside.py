"""The cards' markup rendered by helper processes (beside.py) is the markup the build renders alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.markup import beside, formulas
from studyguide.markup.convert import render_markup
from studyguide.markup.kept import KeptMarkup, key_of

from ..conftest import write_guide

CARDS = beside.HELPED_CARDS + 20
BAD = 61  # the card whose formula is broken


def _guide_text(bad: int | None = None) -> str:
    lines = ["title: Many", "sections:", "  - title: All", "    cards:"]
    for number in range(1, CARDS + 1):
        formula = r"$\frac{a$" if number == bad else f"$x^{number % 3} + y$"
        lines += [f"      - id: c{number}", f"        question: Question {number} about $d_{number % 4}$?",
                  f"        answer: The answer {number} is {formula}, and `code {number}`."]
    return "\n".join(lines) + "\n"


@pytest.fixture
def fresh_drawings(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process that has drawn no formula yet."""
    monkeypatch.setattr(formulas, "_drawings", {})
    monkeypatch.setattr(formulas, "_by_opening", {})
    monkeypatch.setattr(formulas, "_by_shape", set())


def _built(content: Path, jobs: int, tmp_path: Path) -> tuple[list, list, list]:
    """The cards' markup and the problems, with helpers beside (jobs 2) or without (jobs 1)."""
    problems = Collector()
    guide = load_guide(content, problems)
    kept = KeptMarkup(tmp_path / f"markup-{jobs}.json", "salt", reading=False)
    with beside.rendering(guide, None, kept, jobs):
        pass
    helped = [kept.holds(key_of(card, guide.language)) for card in guide.cards]
    rendered = render_markup(guide, problems, None, kept)
    cards = [(card.question_html, card.answer_html, card.card_html, card.label) for card in rendered.cards]
    return cards, helped, [problem.format() for problem in problems.problems]


def test_helpers_render_the_markup_the_build_renders_alone_and_tell_it_their_formulas(tmp_path,
                                                                                      fresh_drawings):
    content = write_guide(tmp_path / "content", _guide_text())
    helped_cards, helped, _ = _built(content, 2, tmp_path)
    assert all(helped)
    drawn = formulas.drawn()
    assert {"inline:x^0 + y", "inline:x^1 + y", "inline:x^2 + y", "inline:d_3"} <= drawn.keys()
    assert all(drawing is not None for card in helped_cards for drawing in formulas.drawings_in(card[1]))

    alone_cards, not_helped, _ = _built(content, 1, tmp_path)
    assert not any(not_helped)
    assert helped_cards == alone_cards


def test_a_card_with_a_problem_is_rendered_and_reported_by_the_build_at_its_line(tmp_path):
    content = write_guide(tmp_path / "content", _guide_text(bad=BAD))
    _, helped, problems = _built(content, 2, tmp_path)
    assert helped.count(False) == 1 and not helped[BAD - 1]
    assert problems == _built(content, 1, tmp_path)[2]
    assert len(problems) == 1 and problems[0].startswith(f"{content / 'guide.yaml'}:{5 + 3 * (BAD - 1) + 2}:")


def test_a_helper_that_fails_leaves_its_cards_to_the_build_and_prints_nothing(tmp_path, monkeypatch, capfd):
    content = write_guide(tmp_path / "content", _guide_text())

    def failing(*args):
        raise RuntimeError("a bug")

    monkeypatch.setattr(beside, "rendered_clean", failing)
    cards, helped, problems = _built(content, 2, tmp_path)
    assert not any(helped) and not problems
    assert cards == _built(content, 1, tmp_path)[0]
    assert capfd.readouterr().err == ""


def test_cards_that_show_one_formula_go_to_one_helper_and_the_shares_cost_the_same(tmp_path):
    lines = ["title: Shared", "sections:", "  - title: All", "    cards:"]
    for number in range(60):
        formula = ("$a^2$", "$b^2$", "no formula")[number % 3]
        lines += [f"      - id: c{number}", f"        question: Q{number}?",
                  f"        answer: It is {formula}."]
    guide = load_guide(write_guide(tmp_path / "content", "\n".join(lines) + "\n"), Collector())
    shares = beside._shares(list(guide.cards), 2)
    showing = [{formula for card in share for formula in ("$a^2$", "$b^2$") if formula in card.answer.value}
               for share in shares]
    assert sorted(map(sorted, showing)) == [["$a^2$"], ["$b^2$"]]
    assert abs(len(shares[0]) - len(shares[1])) <= beside.FORMULA_COST
