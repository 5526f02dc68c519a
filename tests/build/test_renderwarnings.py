"""The renderer's warnings: at the card that caused them when it is known, else by output."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build
from studyguide.build.renderwarnings import render_problem
from studyguide.cli.main import main
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.markup.convert import render_markup

from ..conftest import PNG, build_clean, write_guide

GUIDE = """\
title: Warnings
sections:
  - title: One
    cards:
      - id: first
        question: What is first?
        answer: Nothing.
      - id: lost
        question: Where is it?
        answer: |
          Look [further on](#nowhere), or at ![the figure](figures/ok.png).
"""
pytestmark = pytest.mark.render_warnings  # each test asserts the warnings it expects


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = write_guide(tmp_path / "content", GUIDE)
    (folder / "figures").mkdir()
    (folder / "figures" / "ok.png").write_bytes(PNG)
    return folder


def test_a_warning_about_what_a_card_wrote_is_a_problem_at_the_card(content, tmp_path):
    report = build(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide",)))
    assert [(str(p.position), p.severity, p.message) for p in report.warnings] == [
        (f"{content / 'guide.yaml'}:11:29", "warning",
         "guide.pdf, card 02 ('lost'): No anchor #nowhere for internal URI reference")]
    assert report.render_warnings == []


def test_the_cli_prints_it_as_it_prints_content_problems(content, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--content", "content", "--out", "out", "--only", "guide"]) == 0
    err = capsys.readouterr().err
    assert "content/guide.yaml:11:29: warning: guide.pdf, card 02 ('lost'): No anchor #nowhere for " \
           "internal URI reference\n" in err


def test_a_clean_build_fails_on_such_a_warning(content, tmp_path):
    with pytest.raises(AssertionError, match="No anchor #nowhere"):
        build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide",)))


@pytest.fixture
def guide(content):
    problems = Collector()
    return render_markup(load_guide(content, problems), problems)


def test_an_image_that_failed_to_load_is_placed_at_its_path(guide, content):
    url = f"{content.resolve().as_uri()}/figures/ok.png"
    problem = render_problem(guide, "flashcards.pdf", f"Failed to load image at '{url}': broken")
    assert (problem.position.line, problem.position.column) == (11, 60)
    assert problem.message == f"flashcards.pdf, card 02 ('lost'): Failed to load image at '{url}': broken"


@pytest.mark.parametrize("warning", [
    "Ignored `colour: red` at 3:5, unknown property.",  # a template's style sheet
    "Failed to load image at 'file:///elsewhere/ok.png': refused",  # named by an image, not a card
    "No anchor #nowhere-else for internal URI reference",  # no text links there
])
def test_a_warning_no_text_caused_is_not_placed(guide, warning):
    assert render_problem(guide, "guide.pdf", warning) is None
