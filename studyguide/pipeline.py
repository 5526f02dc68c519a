"""The build, start to finish: gather and check everything first, then render, then write."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import fonts
from .content import load_guide
from .diagnostics import Collector, Problem
from .markup import render_markup
from .model import Guide
from .order import card_order
from .pages import PAPERS, TEMPLATES_DIR, PageRenderer, tablet_page
from .pdf import render_pdf, write_atomic
from .themes import THEMES


@dataclass(frozen=True)
class Output:
    name: str
    filename: str
    template: str


OUTPUTS = {output.name: output for output in (
    Output("guide", "guide.pdf", "guide.html"),
    Output("tablet", "tablet.pdf", "tablet.html"),
    Output("quiz", "quiz.pdf", "quiz.html"),
)}


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("output")
    templates_dir: Path = TEMPLATES_DIR
    paper: str = "a4"
    only: tuple[str, ...] = tuple(OUTPUTS)
    tablet_ratio: tuple[int, int] = (3, 4)  # width:height of the tablet editions' pages
    theme: str = "light"  # of the tablet editions, a name in THEMES
    shuffle_seed: int | None = None  # None asks the quiz in the guide's order


@dataclass(frozen=True)
class OutputReport:
    path: Path
    pages: int
    seconds: float


@dataclass
class BuildReport:
    cards: int = 0
    outputs: list[OutputReport] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    render_warnings: list[str] = field(default_factory=list)


def build(options: BuildOptions, write: bool = True) -> BuildReport:
    """Build every requested output; with write=False, only check that it would build."""
    problems = Collector()
    guide = _load(options, problems)
    problems.raise_errors()
    documents = _render_pages(guide, options, problems)
    problems.raise_errors()
    report = BuildReport(cards=len(guide.cards), warnings=problems.warnings)
    if write:
        for name, html in documents.items():
            report.outputs.append(_write_pdf(OUTPUTS[name], html, guide, options, report))
    return report


def check(options: BuildOptions) -> BuildReport:
    return build(options, write=False)


def _load(options: BuildOptions, problems: Collector) -> Guide:
    """The guide with its markup rendered; problems in both steps are collected together."""
    guide = load_guide(options.content_dir, problems)
    if guide is None:
        problems.raise_errors()
    return render_markup(guide, problems)


def _render_pages(guide: Guide, options: BuildOptions, problems: Collector) -> dict[str, str]:
    renderer = PageRenderer(options.templates_dir, problems)
    context = {
        "paper": PAPERS[options.paper],
        "screen": tablet_page(*options.tablet_ratio),
        "theme": THEMES[options.theme],
        "deck": card_order(guide.cards, options.shuffle_seed),
        "shuffle_seed": options.shuffle_seed,
    }
    documents = {}
    for name in options.only:
        html = renderer.render(OUTPUTS[name].template, guide, **context)
        if html is not None:
            documents[name] = html
    return documents


def _write_pdf(output: Output, html: str, guide: Guide, options: BuildOptions,
               report: BuildReport) -> OutputReport:
    started = time.perf_counter()
    allowed = (guide.content_dir, options.templates_dir, *fonts.font_dirs())
    pdf = render_pdf(html, guide.content_dir, allowed, output.filename, guide.updated)
    path = options.out_dir / output.filename
    write_atomic(path, pdf.data)
    report.render_warnings.extend(f"{output.filename}: {message}" for message in pdf.warnings)
    return OutputReport(path, pdf.pages, time.perf_counter() - started)
