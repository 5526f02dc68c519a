"""The command line's words: its commands and options, and the BuildOptions they ask for.

The options themselves are declared in optiontable.py; here they are grouped into commands.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..build.options import BuildOptions
from ..build.optiontable import NOT_GIVEN, OPTION, OPTIONS, Option, options_with
from ..diagnostics import UsageError
from ..editions.names import WORKSHEET
from ..flashcards.sheets import sheet_layout
from ..html.papers import PAPERS, TABLET_PAPER

_EXAMPLES = """examples:
  python build.py                          build every output from content/ into output/
  python build.py build --paper letter     US Letter instead of A4
  python build.py build --only guide       just output/guide.pdf
  python build.py build --only apkg,tsv    just the Anki deck and the Quizlet file
  python build.py build --tags inference --difficulty hard
                                           only the hard inference cards, in every output
  python build.py build --theme dark       tablet.pdf and quiz.pdf in light on dark
  python build.py build --shuffle --seed 7 the quiz and the cards in a random order, the same for seed 7
  python build.py build --only worksheet --questions 20 --seed 3
                                           a practice test of 20 questions, with room to answer
  python build.py check                    validate content/ and write nothing
  python build.py watch                    rebuild on every save, until Ctrl-C
  python build.py build --only cards --card-size poker --duplex short-edge
  python build.py calibrate                print a sheet that measures the printer's duplex shift
  python build.py new my-guide             start a guide: a commented my-guide/guide.yaml that builds
  python build.py import deck.apkg --content my-deck
                                           an Anki deck (or .md, .csv, .tsv) as a content folder
"""


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py", description="Build study guide PDFs from YAML content.",
        epilog=_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_options(commands.add_parser(
        "build", help="build the outputs (the default command)", epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter), COMMANDS["build"])
    _add_options(commands.add_parser(
        "watch", help="build, then rebuild on every change to the content or the templates",
        epilog="examples:\n  python build.py watch\n  python build.py watch --only guide,quiz --theme dark\n"
               "Stop with Ctrl-C.", formatter_class=argparse.RawDescriptionHelpFormatter), COMMANDS["watch"])
    _add_options(commands.add_parser(
        "calibrate", help="write calibration.pdf, which measures how a printer shifts the back side",
        epilog="example:\n  python build.py calibrate --paper letter --duplex long-edge",
        formatter_class=argparse.RawDescriptionHelpFormatter), COMMANDS["calibrate"], grouped=False)
    _add_options(commands.add_parser(
        "check", help="validate the content and templates, write nothing",
        epilog="example:\n  python build.py check --content my-guide/",
        formatter_class=argparse.RawDescriptionHelpFormatter), COMMANDS["check"])
    new_parser = commands.add_parser(
        "new", help="start a guide: a folder with a commented guide.yaml that builds at once",
        epilog="example:\n  python build.py new my-guide && python build.py --content my-guide",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    new_parser.add_argument("folder", type=Path, metavar="DIR", help="a new or empty folder")
    import_parser = commands.add_parser(
        "import", help="make a content folder from an Anki package, a Markdown question set, CSV or TSV",
        epilog="examples:\n  python build.py import deck.apkg --content my-deck\n"
               "  python build.py import interview-questions.md --content questions\n"
               "  python build.py import quizlet-set.tsv --content vocabulary --force",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    import_parser.add_argument("source", type=Path, metavar="SOURCE",
                               help="an .apkg or .colpkg from Anki, a .md, a .csv, a .tsv, "
                                    "or Anki's .txt export")
    content = OPTION["content_dir"]
    import_parser.add_argument("--content", type=Path, default=content.default, metavar="DIR",
                               help=f"folder to write the guide into (default: {content.default})")
    import_parser.add_argument("--force", action="store_true",
                               help="write into the folder even if it is not empty")
    return parser


def _add_options(parser: argparse.ArgumentParser, options: tuple[Option, ...], grouped: bool = True) -> None:
    """The options' flags, under their headings; one left out keeps the default of BuildOptions."""
    groups = {}
    for option in options:
        target = parser
        if grouped and option.group is not None:
            if option.group not in groups:
                groups[option.group] = parser.add_argument_group(option.group)
            target = groups[option.group]
        for flag in option.flags:
            settings = {"metavar": flag.metavar, "choices": flag.choices, "type": flag.type,
                        "action": flag.action}
            target.add_argument(flag.name, dest=flag.dest, default=argparse.SUPPRESS,
                                help=option.help(flag),
                                **{key: value for key, value in settings.items() if value is not None})


def with_default_command(argv: list[str]) -> list[str]:
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        return ["build", *argv]
    return argv


def options_from(args: argparse.Namespace) -> BuildOptions:
    """The BuildOptions the command line asks for, each value checked, then checked together."""
    given = {}
    for option in COMMANDS[args.command]:
        value = option.value(args)
        if value is not NOT_GIVEN:
            given[option.field] = value
    options = options_with(given)
    _check_paper(options, args.command)
    if args.command == "calibrate":
        return options
    if not options.content_dir.is_dir():
        raise UsageError(f"content folder {options.content_dir} does not exist")
    if args.command == "check":
        return options
    cards = options.cards
    if options.paper != TABLET_PAPER:
        sheet_layout(options.paper, cards.card_size, cards.duplex, cards.safe_margin)  # fits, or says why not
    limits = options.limits
    if limits.jobs < 1 or limits.seconds <= 0 or limits.memory_mb < 64:
        raise UsageError("--jobs takes 1 or more, --timeout a number of seconds above 0, "
                         "--memory 64 MB or more")
    return options


def _check_paper(options: BuildOptions, command: str) -> None:
    """--paper tablet shapes the worksheet alone: the other printed outputs go on paper."""
    if options.paper != TABLET_PAPER:
        return
    printed = [name for name in options.only if name in OPTION["paper"].affects and name != WORKSHEET]
    if command == "calibrate" or printed:
        what = "the calibration sheet prints" if command == "calibrate" else (
            f"{' and '.join(printed)} {'prints' if len(printed) == 1 else 'print'}")
        raise UsageError(f"--paper tablet is the worksheet's screen-shaped page, and {what} on paper: "
                         f"choose {', '.join(sorted(PAPERS))}, or build --only worksheet "
                         "(tablet.pdf is the guide made for a tablet)")


_BUILD = tuple(option for option in OPTIONS if option.field != "language")
COMMANDS: dict[str, tuple[Option, ...]] = {  # the options each command takes
    "build": _BUILD,
    "watch": _BUILD,
    "check": (OPTION["content_dir"],),
    "calibrate": tuple(OPTION[field] for field in ("out_dir", "paper", "cards.duplex", "cards.back_offset",
                                                     "language")),
}
