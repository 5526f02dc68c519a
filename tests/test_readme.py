"""The README's commands and its content example stay true."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import check
from studyguide.cli.main import main

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_starts_with_the_build_and_test_commands():
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands == ["bash setup.sh && python build.py", "bash setup.sh --dev && python -m pytest"]


def test_readme_content_example_is_valid(tmp_path: Path):
    example = re.search(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    content = tmp_path / "content"
    (content / "sections").mkdir(parents=True)
    (content / "guide.yaml").write_text(example, encoding="utf-8")
    (content / "sections" / "production.yaml").write_text(
        "title: Production\ncards:\n  - question: Q?\n    answer: A.\n", encoding="utf-8")

    report = check(BuildOptions(content_dir=content))

    assert report.cards == 3  # two in guide.yaml, one of them a cloze card; one in the section file
    assert not report.warnings


def test_readme_card_choices_choose_cards(tmp_path, capsys):
    commands = re.findall(r"^python build\.py (--(?:tags|section|difficulty|ids) .*?)(?:  +#.*)?$",
                          README.read_text(encoding="utf-8"), re.M)
    assert len(commands) == 5
    for command in commands:
        assert main([*shlex.split(command), "--out", str(tmp_path), "--only", "tsv"]) == 0, command
        assert re.search(r"  \d of 8 cards  ", capsys.readouterr().out), command
