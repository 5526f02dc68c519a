"""Every bad input is a fixture that names the exact line, column and message it must produce."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import check
from studyguide.cli.main import main
from studyguide.diagnostics import ContentError

from ..conftest import FIXTURES

ERROR_FIXTURES = sorted((FIXTURES / "errors").glob("*.yaml"))
_EXPECT = re.compile(rb"^# expect: (\d+):(\d+): (.+)$", re.M)


def expectations(fixture: Path) -> list[tuple[int, int, str]]:
    return [(int(line), int(column), message.decode())
            for line, column, message in _EXPECT.findall(fixture.read_bytes())]


@pytest.mark.parametrize("fixture", ERROR_FIXTURES, ids=lambda path: path.stem)
def test_bad_content_reports_exact_positions(fixture: Path, tmp_path: Path, capsys, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(fixture, content / "guide.yaml")
    monkeypatch.chdir(tmp_path)

    code = main(["check", "--content", "content"])

    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    expected = expectations(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    reported = [line for line in err.splitlines() if line.startswith("content/guide.yaml:")]
    for line, column, message in expected:
        prefix = f"content/guide.yaml:{line}:{column}: error: "
        assert any(r.startswith(prefix) and message in r for r in reported), \
            f"missing {prefix}{message}\ngot:\n{err}"
    assert len(reported) == len(expected), err


def test_all_problems_in_a_pack_are_reported_at_once(tmp_path: Path, capsys, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    (content / "guide.yaml").write_text(
        "title: Many\nsections:\n  - title: One\n    cards:\n"
        "      - question: Q?\n        anwser: A.\n"
        "      - question: R?\n        answer: B.\n        difficulty: extreme\n"
        "      - question: S?\n        answer: $\\frac{x}$\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["check", "--content", "content"]) == 1

    err = capsys.readouterr().err
    assert "content/guide.yaml:6:9: error: unknown key 'anwser'" in err
    assert "content/guide.yaml:9:21: error: difficulty 'extreme'" in err
    assert "content/guide.yaml:11:17: error: invalid LaTeX" in err
    assert err.rstrip().endswith("errors; nothing was written")


def test_error_shows_the_source_line_with_a_caret(tmp_path: Path, capsys, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "errors", content)
    shutil.copy(content / "bad-difficulty.yaml", content / "guide.yaml")
    monkeypatch.chdir(tmp_path)

    main(["check", "--content", "content"])

    lines = capsys.readouterr().err.splitlines()
    assert lines[1] == "    " + "        difficulty: hardd"
    assert lines[2] == "    " + " " * 20 + "^"


def test_section_file_errors_name_that_file(tmp_path: Path, capsys, monkeypatch):
    content = tmp_path / "content"
    (content / "sections").mkdir(parents=True)
    (content / "guide.yaml").write_text(
        "title: Split\nsections:\n  - file: sections/one.yaml\n  - file: ../elsewhere.yaml\n",
        encoding="utf-8")
    (content / "sections" / "one.yaml").write_text(
        "title: One\ncards:\n  - question: Q?\n    answer: A.\n    level: hard\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    assert main(["check", "--content", "content"]) == 1

    err = capsys.readouterr().err
    assert "content/sections/one.yaml:5:5: error: unknown key 'level'" in err
    assert "content/guide.yaml:4:11: error: section file '../elsewhere.yaml' lies outside" in err


# A page of its own, so that a test names the line it breaks whatever becomes of the real templates.
SMALL_PAGE = """\
<!doctype html>
<html lang="{{ guide.language }}">
<head><title>{{ guide.title }}</title></head>
<body>
{% for section in guide.sections %}
  <h2>{{ section.title }}</h2>
  {% for card in section.cards %}
    <p>{{ card.question_html }}</p>
  {% endfor %}
{% endfor %}
</body>
</html>
"""


def check_with_broken_template(tmp_path: Path, line: int, added: str):
    """The problem check reports after added is put at the end of a line of a small guide.html."""
    templates = tmp_path / "templates"
    templates.mkdir()
    lines = SMALL_PAGE.splitlines()
    lines[line - 1] += added
    (templates / "guide.html").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        check(BuildOptions(templates_dir=templates, only=("guide",)))
    return raised.value.problems


def test_the_small_page_itself_checks(tmp_path: Path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "guide.html").write_text(SMALL_PAGE, encoding="utf-8")
    assert check(BuildOptions(templates_dir=templates, only=("guide",))).cards == 8


def test_template_error_names_template_and_line(tmp_path: Path):
    problem, = check_with_broken_template(tmp_path, 8, " {{ card.no_such_field }}")
    assert (problem.position.path.name, problem.position.line) == ("guide.html", 8)
    assert "no_such_field" in problem.message


def test_template_syntax_error_names_template_and_line(tmp_path: Path):
    problem, = check_with_broken_template(tmp_path, 6, " {{ 1 + }}")
    assert (problem.position.path.name, problem.position.line) == ("guide.html", 6)
    assert "unexpected" in problem.message
