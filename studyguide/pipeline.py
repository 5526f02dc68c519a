"""The build, start to finish: gather and check everything, choose the cards, make every file, then write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import anki, fonts, plaintext
from .content import load_guide
from .diagnostics import Collector, Problem
from .markup import render_markup
from .model import Guide
from .pages import PAPERS, TEMPLATES_DIR, PageRenderer
from .pdf import render_pdf, write_atomic
from .select import Selection, select


@dataclass(frozen=True)
class Output:
    """One file of the build: a PDF drawn from a template, or a file an exporter makes."""

    name: str
    filename: str
    template: str | None = None
    export: Callable[[Guide], bytes] | None = None


OUTPUTS = {output.name: output for output in (
    Output("guide", "guide.pdf", template="guide.html"),
    Output("apkg", "flashcards.apkg", export=anki.to_apkg),
    Output("tsv", "flashcards.tsv", export=plaintext.to_tsv),
    Output("csv", "flashcards.csv", export=plaintext.to_csv),
)}


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("output")
    templates_dir: Path = TEMPLATES_DIR
    paper: str = "a4"
    only: tuple[str, ...] = tuple(OUTPUTS)
    selection: Selection = Selection()


@dataclass(frozen=True)
class OutputReport:
    path: Path
    pages: int | None  # None for files other than PDFs
    seconds: float


@dataclass
class BuildReport:
    cards: int = 0  # selected
    total_cards: int = 0
    outputs: list[OutputReport] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    render_warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _File:
    output: Output
    data: bytes
    seconds: float
    pages: int | None = None


def build(options: BuildOptions, write: bool = True) -> BuildReport:
    """Build every requested output; with write=False, only check that it would build."""
    problems = Collector()
    whole = _load(options, problems)
    problems.raise_errors()
    guide = select(whole, options.selection)
    outputs = [OUTPUTS[name] for name in options.only]
    documents = _render_pages(guide, outputs, options, problems)
    problems.raise_errors()
    exports = {output.name: _export(output, guide) for output in outputs if output.export}
    report = BuildReport(cards=len(guide.cards), total_cards=len(whole.cards), warnings=problems.warnings)
    if write:
        files = [exports[output.name] if output.export else
                 _draw_pdf(output, documents[output.name], guide, options, report) for output in outputs]
        for file in files:
            path = options.out_dir / file.output.filename
            write_atomic(path, file.data)
            report.outputs.append(OutputReport(path, file.pages, file.seconds))
    return report


def check(options: BuildOptions) -> BuildReport:
    return build(options, write=False)


def _load(options: BuildOptions, problems: Collector) -> Guide:
    """The guide with its markup rendered; problems in both steps are collected together."""
    guide = load_guide(options.content_dir, problems)
    if guide is None:
        problems.raise_errors()
    return render_markup(guide, problems)


def _render_pages(guide: Guide, outputs: list[Output], options: BuildOptions,
                  problems: Collector) -> dict[str, str]:
    renderer = PageRenderer(options.templates_dir, problems)
    paper = PAPERS[options.paper]
    documents = {}
    for output in outputs:
        if output.template:
            html = renderer.render(output.template, guide, paper=paper)
            if html is not None:
                documents[output.name] = html
    return documents


def _export(output: Output, guide: Guide) -> _File:
    started = time.perf_counter()
    data = output.export(guide)
    return _File(output, data, time.perf_counter() - started)


def _draw_pdf(output: Output, html: str, guide: Guide, options: BuildOptions,
              report: BuildReport) -> _File:
    started = time.perf_counter()
    allowed = (guide.content_dir, options.templates_dir, *fonts.font_dirs())
    pdf = render_pdf(html, guide.content_dir, allowed, output.filename, guide.updated)
    report.render_warnings.extend(f"{output.filename}: {message}" for message in pdf.warnings)
    return _File(output, pdf.data, time.perf_counter() - started, pdf.pages)
