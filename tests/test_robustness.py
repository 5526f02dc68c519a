"""Random content: any YAML structure and any Markdown or HTML either builds or fails with
file:line:col problems, never with a traceback."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build, check
from studyguide.diagnostics import BuildError, ContentError

from .conftest import PNG, write_guide

CHECKED = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
RENDERED = settings(CHECKED, max_examples=8)

KEYS = ["title", "sections", "cards", "question", "answer", "card", "id", "tags", "difficulty", "file",
        "intro", "subtitle", "language", "updated"]
SCALARS = st.one_of(st.text(max_size=20), st.sampled_from(
    ["Q?", "An answer.", "medium", "kv-cache", "en", "2026-11-28", "part.yaml", "../outside.yaml", ""]))
STRUCTURES = st.recursive(
    SCALARS, lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), children, max_size=5)),
    max_leaves=25)
YAML_NOISE = st.lists(st.sampled_from(
    ["title: T\n", "sections:\n", "  - title: S\n", "    cards:\n", "      - question: Q?\n",
     "        answer: A.\n", "&a ", "*a ", "!!python/object/apply:os.system [x] ", "[", "]", "{", "}",
     ": ", "- ",
     "\t", "  ", "|\n", "'", '"', "#", "\n", "? ", "%YAML 1.1\n", "---\n", "\ufeff", "\x00"]), max_size=40)
MARKUP = st.lists(st.sampled_from(
    ["[", "]", "(", ")", "![x](", "figures/ok.png", "../secret.png", "file:///etc/passwd", "javascript:x",
     "http://127.0.0.1:9/", "#card-q", "<a href=\"", "<img src=\"", "\">", "</a>", "<div>", "</div>", "<b>",
     "<script>", "<style>", "<base href=\"", "> ", "- ", "1. ", "    ", "\n", "\n\n", "*", "_", "`", "```\n",
     "$", "$$", "\\frac{", "}", "{", "\\", "&amp;", "&#", "|", "---", "word ", "{{ 7*7 }}", "{% if %}", "😀",
     "漢", "\u200b", "\ue000", "<!--", "-->", "<![CDATA[", "<svg>", "<table><tr><td>"]),
    max_size=120).map("".join)


def assert_positioned(error: ContentError) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.position.line >= 1 and problem.position.column >= 1
        assert str(problem.position).count(":") >= 2


def run(step, folder: Path, text: str, **options) -> None:
    write_guide(folder, text)
    (folder / "figures").mkdir(exist_ok=True)
    (folder / "figures" / "ok.png").write_bytes(PNG)
    try:
        step(BuildOptions(content_dir=folder, out_dir=folder / "out", **options))
    except ContentError as error:
        assert_positioned(error)


def card(answer: str) -> str:
    block = "".join(f"          {line}\n" for line in answer.splitlines()) or "          x\n"
    return ("title: Random\nsections:\n  - title: S\n    cards:\n      - id: q\n        question: Q?\n"
            f"        answer: |\n{block}")


@CHECKED
@given(STRUCTURES)
def test_any_yaml_structure_checks_or_fails_with_positions(structure):
    with tempfile.TemporaryDirectory() as folder:
        run(check, Path(folder), yaml.safe_dump(structure, allow_unicode=True))


@CHECKED
@given(YAML_NOISE)
def test_any_yaml_text_checks_or_fails_with_positions(pieces):
    with tempfile.TemporaryDirectory() as folder:
        run(check, Path(folder), "".join(pieces))


@CHECKED
@given(MARKUP)
def test_any_markdown_or_html_checks_or_fails_with_positions(answer):
    with tempfile.TemporaryDirectory() as folder:
        run(check, Path(folder), card(answer))


@pytest.mark.render_warnings
@RENDERED
@given(MARKUP)
def test_any_markdown_or_html_renders_or_fails_with_a_message(answer):
    with tempfile.TemporaryDirectory() as folder:
        try:
            run(build, Path(folder), card(answer), only=("guide", "cards", "tsv"))
        except BuildError as error:
            # A crash in our own code would also say "rendering X failed: SomeError: ...".
            assert not re.search(r"failed: \w*(Error|Exception):", str(error)), error
            assert str(error).startswith(("rendering guide.pdf", "rendering flashcards.pdf")), error
