"""Shared fixtures: builds of the default content, and a guard against WeasyPrint warnings."""

from __future__ import annotations

import dataclasses
import functools
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.markup.convert import render_markup

from .pdfinfo import page_texts

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A 1 x 1 PNG, for content that shows an image.
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15"
       b"\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00"
       b"\x00IEND\xaeB`\x82")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "render_warnings: the test expects WeasyPrint to log warnings")


@pytest.fixture(autouse=True)
def no_render_warnings(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture):
    """Fails a test whose render logged a WeasyPrint warning, unless it is marked as expected."""
    caplog.set_level(logging.WARNING, logger="weasyprint")
    yield
    if request.node.get_closest_marker("render_warnings"):
        return
    # Renders in worker processes come back to the build, which logs them from studyguide.build.pipeline.
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
              and (r.name.startswith("weasyprint") or r.name == "studyguide.build.pipeline")]
    assert not logged, f"WeasyPrint logged warnings: {logged}"


def build_clean(options: BuildOptions, progress: Callable[[str], None] | None = None):
    """Build and insist that neither the content nor the renderer produced a warning."""
    report = build(options, progress)
    assert not report.failed, [str(failure.error) for failure in report.failed]
    assert not report.warnings, [p.format() for p in report.warnings]
    assert not report.render_warnings, report.render_warnings
    return report


@pytest.fixture(scope="session")
def guide_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """guide.pdf of the default content, on A4 and on Letter, built once per run."""
    paths = {}
    for paper in ("a4", "letter"):
        out = tmp_path_factory.mktemp(f"guide-{paper}")
        build_clean(BuildOptions(content_dir=CONTENT, out_dir=out, paper=paper, only=("guide",)))
        paths[paper] = out / "guide.pdf"
    return paths


@pytest.fixture(scope="session")
def tablet_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """tablet.pdf and quiz.pdf of the default content with the default options, built once."""
    out = tmp_path_factory.mktemp("tablet")
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=out, only=("tablet", "quiz")))
    return {name: out / f"{name}.pdf" for name in ("tablet", "quiz")}


VARIANT = BuildOptions(content_dir=CONTENT, only=("tablet", "quiz"), tablet_ratio=(10, 16),
                       theme="dark", shuffle_seed=7)


@pytest.fixture(scope="session")
def variant_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """tablet.pdf and quiz.pdf of the default content, dark, at 10:16, shuffled with seed 7."""
    out = tmp_path_factory.mktemp("variant")
    build_clean(dataclasses.replace(VARIANT, out_dir=out))
    return {name: out / f"{name}.pdf" for name in ("tablet", "quiz")}


def question_start(card) -> str:
    """The question's words up to its first formula, as they read in a PDF."""
    return card.question.value.split("$")[0].strip()


@functools.cache
def built_texts(pdf: Path) -> tuple[str, ...]:
    """page_texts of a PDF a session fixture built: read once, as it never changes."""
    return tuple(page_texts(pdf))


@pytest.fixture(scope="session")
def default_guide():
    """The default content as the build sees it, to compare PDFs against."""
    problems = Collector()
    guide = render_markup(load_guide(CONTENT, problems), problems)
    assert not problems.problems
    return guide


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the default content."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def write_guide(folder: Path, text: str) -> Path:
    """A content folder holding one guide.yaml with the given text."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "guide.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def default_exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """flashcards.apkg, .tsv and .csv of the default content, built once per run."""
    out = tmp_path_factory.mktemp("exports")
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=out, only=("apkg", "tsv", "csv")))
    return out
