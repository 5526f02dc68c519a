"""The command line's words: its commands and options, and the BuildOptions they ask for."""

from __future__ import annotations

import argparse
import re
import secrets
from pathlib import Path

from .diagnostics import UsageError, did_you_mean
from .flashcards.faces import CardOptions
from .flashcards.sheets import CARD_SIZE_NAMES, DUPLEX_MODES, GRID, parse_offset, sheet_layout
from .labels import catalog_for, catalogs
from .model import DIFFICULTIES
from .options import DEFAULT_OUTPUTS, OUTPUT_NAMES, BuildOptions
from .papers import PAPERS
from .partbreaks import PART_BREAKS
from .select import Selection
from .themes import THEMES
from .workers import Limits

_EXAMPLES = """examples:
  python build.py                          build every output from content/ into output/
  python build.py build --paper letter     US Letter instead of A4
  python build.py build --only guide       just output/guide.pdf
  python build.py build --only apkg,tsv    just the Anki deck and the Quizlet file
  python build.py build --tags inference --difficulty hard
                                           only the hard inference cards, in every output
  python build.py build --theme dark       tablet.pdf and quiz.pdf in light on dark
  python build.py build --shuffle --seed 7 the quiz and the cards in a random order, the same for seed 7
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
    _build_arguments(commands.add_parser(
        "build", help="build the outputs (the default command)", epilog=_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter))
    _build_arguments(commands.add_parser(
        "watch", help="build, then rebuild on every change to the content or the templates",
        epilog="examples:\n  python build.py watch\n  python build.py watch --only guide,quiz --theme dark\n"
               "Stop with Ctrl-C.", formatter_class=argparse.RawDescriptionHelpFormatter))
    calibrate_parser = commands.add_parser(
        "calibrate", help="write calibration.pdf, which measures how a printer shifts the back side",
        epilog="example:\n  python build.py calibrate --paper letter --duplex long-edge",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    calibrate_parser.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                                  help="folder for calibration.pdf (default: output)")
    calibrate_parser.add_argument("--paper", choices=sorted(PAPERS), default="a4",
                                  help="paper size (default: a4)")
    calibrate_parser.add_argument("--duplex", choices=("long-edge", "short-edge"), default="long-edge",
                                  help="how the printer turns the paper (default: long-edge)")
    calibrate_parser.add_argument("--back-offset", default="0,0", metavar="X,Y",
                                  help="print the back already shifted by X,Y mm, to check a correction")
    calibrate_parser.add_argument("--language", default="en", metavar="LANG",
                                  help=f"the language of the instructions: {', '.join(catalogs())} "
                                       "(default: en)")
    check_parser = commands.add_parser(
        "check", help="validate the content and templates, write nothing",
        epilog="example:\n  python build.py check --content my-guide/",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _content_argument(check_parser)
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
    _content_argument(import_parser, "folder to write the guide into (default: content)")
    import_parser.add_argument("--force", action="store_true",
                               help="write into the folder even if it is not empty")
    return parser


def _build_arguments(parser: argparse.ArgumentParser) -> None:
    _content_argument(parser)
    parser.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                        help="folder for the outputs (default: output)")
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4",
                        help="paper size of the printed outputs (default: a4)")
    parser.add_argument("--part-breaks", choices=PART_BREAKS,
                        help="guide.pdf starts each part on a right-hand page, on the next page, or on "
                             "the same page after a rule (default: as suits the guide: short parts run on)")
    parser.add_argument("--only", default=",".join(DEFAULT_OUTPUTS), metavar="NAME,...",
                        help=f"outputs to build, from: {', '.join(OUTPUT_NAMES)} (default: all but "
                             f"{', '.join(n for n in OUTPUT_NAMES if n not in DEFAULT_OUTPUTS)})")
    _selection_arguments(parser)
    tablet = parser.add_argument_group("tablet.pdf and quiz.pdf")
    tablet.add_argument("--tablet-ratio", default="3:4", metavar="W:H",
                        help="screen shape of tablet.pdf and quiz.pdf in portrait, "
                             "e.g. 10:16 for most Android tablets (default: 3:4, iPad)")
    tablet.add_argument("--theme", choices=sorted(THEMES), default="light",
                        help="colours of tablet.pdf and quiz.pdf (default: light)")
    order = parser.add_argument_group("order of quiz.pdf and flashcards.pdf")
    order.add_argument("--shuffle", action="store_true",
                       help="ask the quiz and lay out the cards in a random order; the quiz names its seed")
    order.add_argument("--seed", type=int, metavar="N",
                       help="with --shuffle: the same N gives the same order")
    _card_arguments(parser)
    _limit_arguments(parser)


def _card_arguments(parser: argparse.ArgumentParser) -> None:
    cards = parser.add_argument_group("flashcards.pdf")
    cards.add_argument("--card-size", default=GRID, metavar="SIZE",
                       help=f"{', '.join(CARD_SIZE_NAMES)}, or WxH in mm or in like 80x50mm "
                            "(default: grid, the sheet divided into 2 x 4 cards)")
    cards.add_argument("--duplex", choices=DUPLEX_MODES, default="long-edge",
                       help="long-edge or short-edge: how the printer turns the paper; fold: question "
                            "and answer side by side on one side, to fold (default: long-edge)")
    cards.add_argument("--back-offset", default="0,0", metavar="X,Y",
                       help="shift the backs by X,Y mm to make up for the printer; "
                            "python build.py calibrate measures it (default: 0,0)")
    cards.add_argument("--safe-margin", type=float, default=6.0, metavar="MM",
                       help="margin the printer can print inside, in mm (default: 6)")
    cards.add_argument("--cut-lines", action="store_true",
                       help="also draw thin lines along the middle of the gutters")
    cards.add_argument("--strict", action="store_true",
                       help="an answer that needs more than one card is an error")


def _limit_arguments(parser: argparse.ArgumentParser) -> None:
    limits = parser.add_argument_group("rendering")
    limits.add_argument("--jobs", type=int, default=Limits.jobs, metavar="N",
                        help=f"outputs rendered at once, each in its own process (default: {Limits.jobs})")
    limits.add_argument("--timeout", type=float, default=Limits.seconds, metavar="SECONDS",
                        help=f"stop a render that takes longer (default: {Limits.seconds:g})")
    limits.add_argument("--rebuild", action="store_true",
                        help="build every output, even those whose inputs did not change")
    limits.add_argument("--untagged", action="store_true",
                        help="PDFs without the tags that screen readers and reading views read "
                             "(by default they are tagged, PDF/UA-1)")
    limits.add_argument("--emit-html", action="store_true",
                        help="also write the HTML each PDF is rendered from, beside it (for debugging "
                             "templates in a browser)")
    limits.add_argument("--memory", type=int, default=Limits.memory_mb, metavar="MB",
                        help=f"stop a render that needs more memory (default: {Limits.memory_mb})")


def _content_argument(parser: argparse.ArgumentParser,
                      description: str = "folder holding guide.yaml (default: content)") -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help=description)


def _selection_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("choosing cards (the same for every output; card numbers stay)")
    group.add_argument("--tags", type=_names, default=(), metavar="TAG,...",
                       help="cards that have any of these tags")
    group.add_argument("--section", action="append", default=[], metavar="TITLE",
                       help="cards of the section with this title (repeat for more sections)")
    group.add_argument("--difficulty", type=_names, default=(), metavar="LEVEL,...",
                       help=f"cards of these difficulties, from: {', '.join(DIFFICULTIES)}")
    group.add_argument("--ids", type=_names, default=(), metavar="ID,...", help="the cards with these ids")


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


def with_default_command(argv: list[str]) -> list[str]:
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        return ["build", *argv]
    return argv


def options_from(args: argparse.Namespace) -> BuildOptions:
    if args.command == "calibrate":
        cards = CardOptions(duplex=args.duplex, back_offset=parse_offset(args.back_offset))
        if catalog_for(args.language) is None:
            raise UsageError(f"--language takes one of {', '.join(catalogs())}"
                             f"{did_you_mean(args.language, catalogs())}; got {args.language!r}")
        return BuildOptions(out_dir=args.out, paper=args.paper, cards=cards, language=args.language)
    if not args.content.is_dir():
        raise UsageError(f"content folder {args.content} does not exist")
    if args.command == "check":
        return BuildOptions(content_dir=args.content)
    only = tuple(name.strip() for name in args.only.split(",") if name.strip())
    unknown = [name for name in only if name not in OUTPUT_NAMES]
    if unknown or not only:
        raise UsageError(f"--only takes names from {', '.join(OUTPUT_NAMES)}; got {args.only!r}")
    if args.safe_margin < 0:
        raise UsageError(f"--safe-margin takes a size in mm of 0 or more; got {args.safe_margin:g}")
    cards = CardOptions(card_size=args.card_size, duplex=args.duplex,
                        back_offset=parse_offset(args.back_offset), safe_margin=args.safe_margin,
                        cut_lines=args.cut_lines, strict=args.strict)
    sheet_layout(args.paper, cards.card_size, cards.duplex, cards.safe_margin)  # fits, or says why not
    selection = Selection(tags=args.tags, sections=tuple(args.section),
                          difficulties=tuple(level.lower() for level in args.difficulty), ids=args.ids)
    if args.jobs < 1 or args.timeout <= 0 or args.memory < 64:
        raise UsageError("--jobs takes 1 or more, --timeout a number of seconds above 0, "
                         "--memory 64 MB or more")
    return BuildOptions(content_dir=args.content, out_dir=args.out, paper=args.paper, only=only,
                        selection=selection, cards=cards,
                        limits=Limits(jobs=args.jobs, seconds=args.timeout, memory_mb=args.memory),
                        emit_html=args.emit_html, rebuild=args.rebuild,
                        tablet_ratio=_ratio(args.tablet_ratio), theme=args.theme,
                        shuffle_seed=_shuffle_seed(args), tagged=not args.untagged,
                        part_breaks=args.part_breaks)


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
