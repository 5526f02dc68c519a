"""setup.sh, the README's first command: it installs only what is missing, and says what."""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from weasyprint.pdf import fonts as weasyprint_fonts

from studyguide.build.pipeline import SUBSETTING_IN_PYTHON
from studyguide.cli.main import main

from .conftest import ROOT, write_guide

DEBIAN_PACKAGES = ["libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-noto-cjk"]


def _dry_run(tmp_path: Path, installed: list[str]) -> str:
    """setup.sh --dry-run on a Debian machine whose dpkg knows only the installed packages."""
    tools = tmp_path / "bin"
    tools.mkdir()
    dpkg_query = tools / "dpkg-query"
    dpkg_query.write_text("#!/bin/sh\ncase \" $INSTALLED \" in *\" $3 \"*) printf 'install ok installed';; "
                          "*) exit 1;; esac\n")
    dpkg_query.chmod(0o755)
    environment = {**os.environ, "PATH": f"{tools}:{os.environ['PATH']}", "INSTALLED": " ".join(installed)}
    result = subprocess.run(["bash", str(ROOT / "setup.sh"), "--dry-run"], capture_output=True, text=True,
                            env=environment, check=True)
    return result.stdout


def test_dry_run_lists_every_missing_system_package_and_installs_nothing(tmp_path):
    out = _dry_run(tmp_path, installed=["libpango-1.0-0"])
    assert "apt-get: libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk\n" in out
    assert "pip install -r requirements.txt" in out


def test_dry_run_on_a_machine_that_has_everything_installs_no_system_package(tmp_path):
    out = _dry_run(tmp_path, installed=DEBIAN_PACKAGES)
    assert "system packages: all there" in out
    assert "apt-get" not in out


@pytest.mark.render_warnings  # WeasyPrint logs its fontTools warning; the build folds it into one line
def test_a_machine_without_the_subset_library_hears_it_once(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(weasyprint_fonts, "harfbuzz_subset", None)  # fontTools subsets: a guide of one card
    content = write_guide(tmp_path / "content", "title: T\nsections:\n  - title: S\n    cards:\n"
                          "      - question: Q?\n        answer: A *b* `c`.\n")
    code = main(["build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "guide,quiz"])
    err = capsys.readouterr().err
    assert code == 0
    assert err.splitlines() == [f"warning: {SUBSETTING_IN_PYTHON}"]


def test_pip_install_gives_the_studyguide_command_and_every_file(tmp_path):
    source = tmp_path / "source"  # a copy: building writes build/ and *.egg-info beside the project
    for name in ("studyguide", "templates"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements.txt", "README.md"):
        shutil.copy(ROOT / name, source / name)
    subprocess.run(["python", "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "wheel"), str(source)], check=True, capture_output=True)
    wheel = zipfile.ZipFile(next((tmp_path / "wheel").glob("studyguide-*.whl")))
    names = set(wheel.namelist())
    entry_points = next(name for name in names if name.endswith("entry_points.txt"))
    assert "studyguide = studyguide.cli.main:main" in wheel.read(entry_points).decode()
    package = ROOT / "studyguide"
    shipped = {f"studyguide/{path.relative_to(package)}" for path in package.rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    shipped |= {f"studyguide/templates/{path.name}" for path in (ROOT / "templates").iterdir()}
    assert shipped - names == set()
