"""The command line: commands, summaries, exit codes, warnings."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from studyguide.cli.main import main
from studyguide.editions.names import DEFAULT_OUTPUTS

from ..conftest import CONTENT, ROOT, write_guide


def test_build_writes_guide_and_prints_one_line_per_output(tmp_path, capsys):
    code = main(["build", "--content", str(CONTENT), "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == len(DEFAULT_OUTPUTS)
    files = {"guide.pdf": True, "tablet.pdf": True, "quiz.pdf": True, "flashcards.pdf": True,
             "flashcards.apkg": False,
             "flashcards.tsv": False, "flashcards.csv": False}
    for line, (filename, paged) in zip(lines, files.items(), strict=True):
        pages = r"  \d+ pages" if paged else ""
        assert re.fullmatch(rf"{re.escape(str(tmp_path / filename))}{pages}  8 cards  \d+\.\d s", line)
        assert (tmp_path / filename).stat().st_size > 0


def test_check_validates_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--content", str(CONTENT)]) == 0
    assert "8 cards, no errors" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", [
    ["build", "--paper", "a3"],
    ["build", "--only", "poster"],
    ["build", "--content", "no/such/folder"],
    ["frobnicate"],
])
def test_usage_errors_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as raised:
        code = main(argv)
        raise SystemExit(code)
    assert raised.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_calibrate_takes_the_duplex_modes_of_build_and_says_why_fold_has_nothing_to_measure(tmp_path, capsys):
    assert main(["calibrate", "--duplex", "fold", "--out", str(tmp_path)]) == 2
    assert "error: --duplex fold prints on one side only; there is nothing to calibrate" in \
        capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [[], ["build"], ["check"]])
def test_every_command_has_help_with_examples(command, capsys):
    with pytest.raises(SystemExit) as raised:
        main([*command, "--help"])
    assert raised.value.code == 0
    assert "example" in capsys.readouterr().out


def test_missing_glyphs_are_a_warning_naming_the_card(tmp_path, capsys):
    content = write_guide(tmp_path / "content", (
        "title: Glyphs\nsections:\n  - title: One\n    cards:\n"
        "      - id: glyphs\n        question: Which sign?\n        answer: The sign \U00013000 sat.\n"))
    code = main(["check", "--content", str(content)])
    err = capsys.readouterr().err
    assert code == 0
    assert re.search(r"guide.yaml:7:26: warning: card 'glyphs' uses characters no installed font has: "
                     r"\U00013000 \(U\+13000\)", err)


def test_content_errors_exit_1_without_traceback(tmp_path):
    content = write_guide(tmp_path / "content", "title: [unclosed\n")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(content)],
                            capture_output=True, text=True, cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert "guide.yaml:2:1: error: YAML syntax error" in result.stderr
    assert "Traceback" not in result.stderr


def test_progress_shows_on_a_terminal_and_stays_out_of_logs(tmp_path):
    import os
    import pty

    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(CONTENT), "--out",
               str(tmp_path / "out"), "--only", "guide,tsv"]
    logged = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=True)
    assert "\033[K" not in logged.stderr and "rendered" not in logged.stderr

    leader, follower = pty.openpty()
    shown = subprocess.run([*command, "--rebuild"], stdout=subprocess.PIPE, stderr=follower, cwd=ROOT,
                           check=True)
    os.close(follower)
    terminal = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        terminal += chunk
    os.close(leader)
    assert b"rendered guide.pdf whole (" in terminal and terminal.endswith(b"\r\033[K")
    assert b"guide.pdf  6 pages" in shown.stdout


def test_an_output_folder_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["build", "--content", str(CONTENT), "--out", str(blocker), "--only", "tsv"]) == 1
    err = capsys.readouterr().err
    assert f"error: cannot write {blocker}" in err and "Traceback" not in err


def test_a_failed_output_that_never_was_is_not_said_to_keep_a_last_good_version(tmp_path, capsys):
    content = write_guide(tmp_path / "content", "title: T\nsections:\n  - title: A\n    cards:\n"
                          "      - question: Q?\n        answer: A.\n")
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "guide",
                 "--timeout", "0.01"]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'out' / 'guide.pdf'} was not written" in err
    assert "last good version" not in err
