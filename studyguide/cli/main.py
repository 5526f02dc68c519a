"""The command line's edge: run a command, print what happened, turn errors into exit codes."""

from __future__ import annotations

import logging
import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..build.pipeline import BuildReport, OutputReport, build, calibrate, check
from ..diagnostics import ContentError, StudyguideError, UsageError
from .arguments import options_from, parser, with_default_command
from .starter import new_guide
from .watch import Rebuild, watch

if TYPE_CHECKING:
    from ..importers import ImportReport

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def main(argv: list[str] | None = None) -> int:
    # Libraries log through the root logger, which would otherwise print on its own;
    # the build collects the warnings that matter and prints them below.
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())
    args = parser().parse_args(with_default_command(sys.argv[1:] if argv is None else argv))
    try:
        if args.command == "new":
            print(f"{new_guide(args.folder)}: a starter guide; build it with: "
                  f"python build.py --content {args.folder}")
            return EXIT_OK
        if args.command == "import":
            from ..importers import import_source  # Anki, Markdown and CSV readers: only here (0.15 s)

            try:
                _print_import(import_source(args.source, args.content, args.force))
            except ContentError as error:
                _print_error(error, kept=f"{args.content} was written but does not build: fix these, "
                             "then run check")
                return EXIT_ERRORS
            return EXIT_OK
        options = options_from(args)
        if args.command == "check":
            report = check(options)
            _print_warnings(report)
            print(f"{options.content_dir}: {report.cards} cards, no errors")
        elif args.command == "calibrate":
            output = calibrate(options)
            print(f"{output.path}  {output.pages} pages  {output.seconds:.1f} s")
        elif args.command == "watch":
            print(f"watching {options.content_dir} and {options.templates_dir}; stop with Ctrl-C")
            watch(options, _print_rebuild, on_written=_print_written)
            print("stopped watching")
        else:
            with _status_line() as status:
                report = build(options, progress=status)
            _print_build(report)
            if report.failed:
                return EXIT_ERRORS
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except StudyguideError as error:
        _print_error(error)
        return EXIT_ERRORS
    except KeyboardInterrupt:
        if args.command == "watch":
            print("stopped watching")
            return EXIT_OK
        print("interrupted; every file is either as it was or complete", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader of our output stopped early, as `| head` does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


@contextmanager
def _status_line():
    """A line on a terminal's stderr that says what the build is doing; nothing in a log."""
    if not sys.stderr.isatty():
        yield None
        return

    def show(message: str) -> None:
        sys.stderr.write(f"\r\033[K{message}…")
        sys.stderr.flush()

    try:
        yield show
    finally:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def _print_build(report: BuildReport) -> None:
    _print_warnings(report)
    for path in report.skipped:
        print(f"{path}  unchanged")
    for output in report.outputs:
        pages = f"  {output.pages} pages" if output.pages is not None else ""
        print(f"{output.path}{pages}  {_cards(report)}  {output.seconds:.1f} s")
        for note in output.notes:
            print(f"  {note}")
    _print_failures(report)


def _print_failures(report: BuildReport) -> None:
    """Outputs that failed alone: the others were written."""
    for failure in report.failed:
        kept = "keeps its last good version" if failure.path.exists() else "was not written"
        _print_error(failure.error, kept=f"{failure.path} {kept}")


def _print_import(report: ImportReport) -> None:
    for problem in report.warnings:
        print(problem.format(), file=sys.stderr)
    for line in report.skipped:
        print(f"left out: {line}", file=sys.stderr)
    for line in report.changed:
        print(f"changed: {line}", file=sys.stderr)
    counts = ", ".join(_count(n, word) for n, word in ((report.cards, "card"), (report.sections, "section"),
                                                       (report.images, "image")))
    print(f"{report.folder}: {counts}; check passes; "
          f"build it with: python build.py --content {report.folder}")


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def _print_rebuild(rebuild: Rebuild) -> None:
    if rebuild.error is not None:
        _print_error(rebuild.error, kept="the last good files are kept; watching on")
    elif not rebuild.changed:
        _print_build(rebuild.report)
    else:
        _print_warnings(rebuild.report)
        names = ", ".join(path.name for path in rebuild.changed)
        built = ", ".join(output.path.name for output in rebuild.report.outputs) or "nothing"
        print(f"{names} changed: rebuilt {built} in {rebuild.seconds:.1f} s", flush=True)
        _print_failures(rebuild.report)


def _print_written(output: OutputReport, seconds: float) -> None:
    """A file a rebuild rewrote, as soon as it is there, and how long after the save."""
    print(f"  {output.path.name} rewritten after {seconds:.1f} s", flush=True)


def _print_error(error: StudyguideError, kept: str = "nothing was written") -> None:
    if isinstance(error, ContentError):
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        count = len([p for p in error.problems if p.severity == "error"])
        print(f"{count} error{'s' if count != 1 else ''}; {kept}", file=sys.stderr, flush=True)
    else:
        print(f"error: {error}; {kept}", file=sys.stderr, flush=True)


def _cards(report: BuildReport) -> str:
    if report.cards < report.total_cards:
        return f"{report.cards} of {report.total_cards} cards"
    return f"{report.cards} cards"


def _print_warnings(report: BuildReport) -> None:
    for problem in report.warnings:
        print(problem.format(), file=sys.stderr)
    for message in (*report.render_warnings, *report.unrecorded, *report.machine_warnings):
        print(f"warning: {message}", file=sys.stderr)
