"""The command line: parse arguments, run the pipeline, turn errors into messages and exit codes."""

from __future__ import annotations

import argparse
import logging
import re
import secrets
import sys
from pathlib import Path

from .diagnostics import ContentError, StudyguideError, UsageError
from .pages import PAPERS
from .pipeline import OUTPUTS, BuildOptions, BuildReport, build, check
from .themes import THEMES

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2

_EXAMPLES = """examples:
  python build.py                          build every output from content/ into output/
  python build.py build --paper letter     US Letter instead of A4
  python build.py build --only guide       just output/guide.pdf
  python build.py build --theme dark       tablet.pdf and quiz.pdf in light on dark
  python build.py build --shuffle --seed 7 the quiz in a random order, the same for seed 7
  python build.py check                    validate content/ and write nothing
"""


def main(argv: list[str] | None = None) -> int:
    # Libraries log through the root logger, which would otherwise print on its own;
    # the build collects the warnings that matter and prints them below.
    logging.getLogger().addHandler(logging.NullHandler())
    parser = _parser()
    args = parser.parse_args(_with_default_command(sys.argv[1:] if argv is None else argv))
    try:
        options = _options(args)
        if args.command == "check":
            report = check(options)
            _print_warnings(report)
            print(f"{options.content_dir}: {report.cards} cards, no errors")
        else:
            report = build(options)
            _print_warnings(report)
            for output in report.outputs:
                print(f"{output.path}  {output.pages} pages  {output.seconds:.1f} s")
    except UsageError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ContentError as error:
        for problem in error.problems:
            print(problem.format(), file=sys.stderr)
        count = len([p for p in error.problems if p.severity == "error"])
        print(f"{count} error{'s' if count != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_ERRORS
    except StudyguideError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build study guide PDFs from YAML content.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    build_parser = commands.add_parser(
        "build", help="build the outputs (the default command)", epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_argument(build_parser)
    build_parser.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                              help="folder for the outputs (default: output)")
    build_parser.add_argument("--paper", choices=sorted(PAPERS), default="a4",
                              help="paper size of the printed outputs (default: a4)")
    build_parser.add_argument("--only", default=",".join(OUTPUTS), metavar="NAME,...",
                              help=f"outputs to build, from: {', '.join(OUTPUTS)} (default: all)")
    build_parser.add_argument("--tablet-ratio", default="3:4", metavar="W:H",
                              help="screen shape of tablet.pdf and quiz.pdf in portrait, "
                                   "e.g. 10:16 for most Android tablets (default: 3:4, iPad)")
    build_parser.add_argument("--theme", choices=sorted(THEMES), default="light",
                              help="colours of tablet.pdf and quiz.pdf (default: light)")
    build_parser.add_argument("--shuffle", action="store_true",
                              help="ask the quiz in a random order, shown with its seed")
    build_parser.add_argument("--seed", type=int, metavar="N",
                              help="with --shuffle: the same N gives the same order")
    check_parser = commands.add_parser(
        "check", help="validate the content and templates, write nothing",
        epilog="example:\n  python build.py check --content my-guide/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_argument(check_parser)
    return parser


def _content_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="folder holding guide.yaml (default: content)")


def _with_default_command(argv: list[str]) -> list[str]:
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        return ["build", *argv]
    return argv


def _options(args: argparse.Namespace) -> BuildOptions:
    if not args.content.is_dir():
        raise UsageError(f"content folder {args.content} does not exist")
    if args.command == "check":
        return BuildOptions(content_dir=args.content)
    only = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = [name for name in only if name not in OUTPUTS]
    if unknown or not only:
        raise UsageError(f"--only takes names from {', '.join(OUTPUTS)}; got {args.only!r}")
    return BuildOptions(content_dir=args.content, out_dir=args.out, paper=args.paper, only=only,
                        tablet_ratio=_ratio(args.tablet_ratio), theme=args.theme,
                        shuffle_seed=_shuffle_seed(args))


def _ratio(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", text)
    if not match:
        raise UsageError(f"--tablet-ratio takes WIDTH:HEIGHT in whole numbers, like 3:4 or 10:16; "
                         f"got {text!r}")
    width, height = int(match.group(1)), int(match.group(2))
    if not 0 < width <= height <= 2.5 * width:
        raise UsageError(f"--tablet-ratio {text} is not a screen in portrait: the height must be "
                         "1 to 2.5 times the width, like 3:4 or 10:16")
    return width, height


def _shuffle_seed(args: argparse.Namespace) -> int | None:
    if not args.shuffle:
        if args.seed is not None:
            raise UsageError("--seed only applies with --shuffle; add --shuffle")
        return None
    return secrets.randbelow(10_000) if args.seed is None else args.seed


def _print_warnings(report: BuildReport) -> None:
    for problem in report.warnings:
        print(problem.format(), file=sys.stderr)
    for message in report.render_warnings:
        print(f"warning: {message}", file=sys.stderr)
