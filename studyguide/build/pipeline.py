"""The build, start to finish: check everything, choose the cards, prepare, render, then write."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..content.labels import labels_for
from ..content.load import load_guide
from ..content.model import Guide
from ..content.selection import select
from ..content.source import Composed
from ..diagnostics import BuildError, Collector, Problem, StudyguideError, UsageError
from ..editions.job import Job
from ..editions.registry import OUTPUTS, Rendered
from ..engine.partcache import PartCache
from ..engine.scheduling import run_steps
from ..engine.weasy import Resources, render_pdf, subsetting_in_python, warm_up
from ..flashcards.calibration import calibration
from ..guard.files import put_in_place, write_atomic
from ..html import fonts
from ..html.templates import PageRenderer
from ..markup import beside, convert, formulas
from ..markup.kept import KeptMarkup
from . import outfolder
from .freshness import (
    CACHE_DIR,
    code_digest,
    content_files_digest,
    file_digest,
    fingerprints,
    record,
    up_to_date,
)
from .options import BuildOptions
from .optiontable import settings
from .renderwarnings import render_problem

CALIBRATION_FILE = "calibration.pdf"
SUBSETTING_IN_PYTHON = ("fonts are subset by fontTools, as HarfBuzz's subset library is missing: "
                        "builds are slower; bash setup.sh installs it "
                        "(Debian's libharfbuzz-subset0, Homebrew's harfbuzz)")
_log = logging.getLogger(__name__)  # render warnings, also collected in the report


@dataclass(frozen=True)
class OutputReport:
    path: Path
    pages: int | None  # None for files other than PDFs
    seconds: float
    digest: str  # SHA-256 of the bytes written, which freshness.py records
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutputFailure:
    path: Path  # the output that was not written: its last good file, if any, is as it was
    error: StudyguideError


@dataclass
class BuildReport:
    cards: int = 0  # selected
    total_cards: int = 0
    outputs: list[OutputReport] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # up to date, not built again
    failed: list[OutputFailure] = field(default_factory=list)  # outputs that could not be made
    warnings: list[Problem] = field(default_factory=list)  # the content's, and the renderer's at a text
    render_warnings: list[str] = field(default_factory=list)  # the renderer's others, by output
    unrecorded: list[str] = field(default_factory=list)  # files written that the next build makes again
    machine_warnings: list[str] = field(default_factory=list)  # what this machine lacks, once each


Progress = Callable[[str], None]  # hears what the build is doing, for a status line
Written = Callable[[OutputReport], None]  # hears of each file as soon as it is written


@dataclass
class Memo:
    """What a process that builds again and again (watch) keeps from one build to the next."""

    composed: Composed = field(default_factory=dict)  # the YAML files (source.compose)
    markup: convert.MarkupMemo = field(default_factory=dict)  # the cards' (convert.render_markup)


def build(options: BuildOptions, progress: Progress | None = None, memo: Memo | None = None,
          on_written: Written | None = None) -> BuildReport:
    """Build every requested output that is not up to date already; memo keeps what a next build
    can take from this one, and on_written hears of each file as soon as it is written, while
    the others render."""
    expected = _fingerprints(options)
    stale = tuple(name for name in options.only if options.rebuild or not up_to_date(
        options.out_dir, OUTPUTS[name].filename, expected[name]))
    skipped = [options.out_dir / OUTPUTS[name].filename for name in options.only if name not in stale]
    if not stale:
        return BuildReport(skipped=skipped)
    report = _build(replace(options, only=stale), {name: expected[name] for name in stale}, progress,
                    memo, on_written)
    report.skipped = skipped
    return report


def warm(options: BuildOptions, memo: Memo) -> None:
    """Ready a process that will build again (watch) as a build that renders readies it: the
    YAML and the cards' markup kept in memo, the templates compiled, WeasyPrint and the fonts
    loaded. A build that finds every output up to date does none of this, and the first edit
    after it would wait for all of it. Problems are left for the builds to report."""
    try:
        problems = Collector()
        guide = select(_load(options, problems, memo), options.selection)
        _prepare(_job(guide, options, PageRenderer(options.templates_dir, problems)))
    except StudyguideError:
        return
    if any(OUTPUTS[name].typeset for name in options.only):
        warm_up(guide.language)


def check(options: BuildOptions) -> BuildReport:
    return _build(options, written=None)


def _build(options: BuildOptions, written: dict[str, str] | None, progress: Progress | None = None,
           memo: Memo | None = None, on_written: Written | None = None) -> BuildReport:
    """Load, choose, prepare every output; when written gives each output's fingerprint, also
    render them and write them, holding the output folder, and record them as written."""
    tell = progress or (lambda message: None)
    tell(f"reading {options.content_dir}")
    problems = Collector()
    kept = KeptMarkup(options.out_dir / CACHE_DIR / "markup.json", code_digest(), reading=not options.rebuild)
    typeset = written is not None and any(OUTPUTS[name].typeset for name in options.only)
    whole = _load(options, problems, memo, kept, meanwhile=_ready_to_typeset if typeset else None)
    guide = select(whole, options.selection)
    job = _job(guide, options, PageRenderer(options.templates_dir, problems))
    prepared = _prepare(job)
    problems.raise_errors()
    report = BuildReport(cards=len(guide.cards), total_cards=len(whole.cards), warnings=problems.warnings)
    if written is not None:
        with outfolder.held(options.out_dir):
            tell(f"rendering {', '.join(OUTPUTS[name].filename for name in prepared)}")
            _render_and_write(job, prepared, written, report, tell, on_written)
            formulas.save_drawings(_drawings(options))  # only once the build has written what it made
            kept.save()
    return report


def calibrate(options: BuildOptions) -> OutputReport:
    """Write the duplex calibration sheet for the paper and duplex mode of the options."""
    if options.cards.duplex == "fold":
        raise UsageError("--duplex fold prints on one side only; there is nothing to calibrate")
    started = time.perf_counter()
    problems = Collector()
    sheet = calibration(options.paper, options.cards.duplex, options.cards.back_offset)
    renderer = PageRenderer(options.templates_dir, problems)
    html = renderer.render_plain("calibrate.html", labels_for(options.language), sheet=sheet)
    problems.raise_errors()
    pdf = render_pdf(html, Resources(options.templates_dir, (options.templates_dir, *fonts.font_dirs())),
                     CALIBRATION_FILE)
    path = options.out_dir / CALIBRATION_FILE
    write_atomic(path, pdf.data)
    return OutputReport(path, pdf.pages, time.perf_counter() - started, hashlib.sha256(pdf.data).hexdigest())


def _fingerprints(options: BuildOptions) -> dict[str, str]:
    outputs = {name: (OUTPUTS[name].templates(options), settings(name, options)) for name in options.only}
    return fingerprints(options.content_dir, options.templates_dir, options.out_dir, outputs)


def _load(options: BuildOptions, problems: Collector, memo: Memo | None = None,
          kept: KeptMarkup | None = None, meanwhile: Callable[[Guide], None] | None = None) -> Guide:
    """The guide with its markup rendered; problems in both steps are collected together.

    Formulas drawn by earlier builds into the output folder's cache are not drawn again, nor
    are cards rendered again that kept holds. Many cards to render are rendered by helpers
    (beside.py) while meanwhile, if given, is done with the guide as read.
    """
    guide = load_guide(options.content_dir, problems, memo.composed if memo else None)
    if guide is None:
        problems.raise_errors()
    formulas.load_drawings(_drawings(options))
    with beside.rendering(guide, memo.markup if memo else None, kept, options.limits.jobs):
        if meanwhile is not None:
            meanwhile(guide)
    guide = convert.render_markup(guide, problems, memo.markup if memo else None, kept)
    problems.raise_errors()
    return guide


def _ready_to_typeset(guide: Guide) -> None:
    """What the first render waits for, readied while helpers render the markup: WeasyPrint,
    and the character maps of the faces the guide's characters need (templates.py)."""
    fonts.fallbacks_for(guide.characters)
    warm_up(guide.language)


def _drawings(options: BuildOptions) -> Path:
    return options.out_dir / CACHE_DIR / "formulas.json"


def _job(guide: Guide, options: BuildOptions, renderer: PageRenderer) -> Job:
    resources = Resources(guide.content_dir, (guide.content_dir, options.templates_dir, *fonts.font_dirs()))
    return Job(guide, options, renderer, resources, _part_cache(options, guide))


def _prepare(job: Job) -> dict[str, object]:
    """Every output up to rendering: this checks every template before anything is rendered."""
    prepared = {}
    for name in job.options.only:
        result = OUTPUTS[name].prepare(job)
        if result is not None:
            prepared[name] = result
    return prepared


def _render_and_write(job: Job, prepared: dict[str, object], fingerprints: dict[str, str],
                      report: BuildReport, tell: Progress, on_written: Written | None) -> None:
    """Every output rendered, its parts in worker processes, and written as soon as it is done,
    while the others render; each is recorded (freshness.py) under its fingerprint.

    An output that fails is reported and left out: the others are still written. The report
    lists the outputs in the order asked for, whichever was done first.
    """
    options = job.options
    by_file = {OUTPUTS[name].filename: name for name in prepared}

    def on_done(output: str, task: str, done: int, total: int) -> None:
        tell(f"rendered {output} {task} ({done} of {total} so far)")

    def on_finished(filename: str, output: Rendered, seconds: float) -> None:
        _report_warnings(job.guide, filename, output.warnings, report)
        written = _write(output, options.out_dir / filename, seconds, options.emit_html)
        report.outputs.append(written)
        try:
            record(options.out_dir, {filename: (fingerprints[by_file[filename]], written.digest)})
        except BuildError as error:  # the file is whole and new; only the next build's skip is lost
            report.unrecorded.append(f"{filename} was written, but not recorded as up to date ({error}); "
                                     "the next build makes it again")
        if on_written is not None:
            on_written(written)

    steps = {OUTPUTS[name].filename: OUTPUTS[name].render_steps(job, prepared[name]) for name in prepared}
    if any(OUTPUTS[name].typeset for name in prepared):
        warm_up(job.guide.language)
        if subsetting_in_python():
            report.machine_warnings.append(SUBSETTING_IN_PYTHON)
    outcomes = run_steps(steps, options.limits, on_done, on_finished)
    job.cache.prune()
    report.failed.extend(OutputFailure(options.out_dir / filename, error)
                         for filename, error in outcomes.failures.items())
    order = list(by_file)
    report.outputs.sort(key=lambda written: order.index(written.path.name))


def _report_warnings(guide: Guide, filename: str, warnings: tuple[str, ...], report: BuildReport) -> None:
    """A render's warnings, each at the card it is about where it can be told (renderwarnings.py)."""
    for warning in warnings:
        _log.warning("%s: %s", filename, warning)
        problem = render_problem(guide, filename, warning)
        if problem is not None:
            report.warnings.append(problem)
        else:
            report.render_warnings.append(f"{filename}: {warning}")


def _part_cache(options: BuildOptions, guide: Guide) -> PartCache:
    """The cache of rendered parts, for what else than their HTML their renders depend on."""
    salt = repr((code_digest(), content_files_digest(guide.content_dir, options.out_dir), options.tagged,
                 str(guide.content_dir.resolve()), str(options.templates_dir.resolve())))
    return PartCache(options.out_dir / CACHE_DIR / "parts", salt, reading=not options.rebuild)


def _write(output: Rendered, path: Path, seconds: float, emit_html: bool) -> OutputReport:
    if isinstance(output.data, Path):
        digest = file_digest(output.data)
        put_in_place(output.data, path)
    else:
        digest = hashlib.sha256(output.data).hexdigest()
        write_atomic(path, output.data)
    if emit_html and output.html is not None:
        write_atomic(path.with_suffix(".html"), output.html.encode())
    return OutputReport(path, output.pages, seconds, digest, output.notes)
