"""Every build option, declared once: its flags, help, the field of BuildOptions it sets, how a
given value is read and checked, and the outputs it shapes.

The command line (arguments.py), its --help and the freshness of each output all read this
table; the defaults are those of BuildOptions and the options it holds (CardOptions, Selection,
Limits), shown in --help as the command line writes them.
"""

from __future__ import annotations

import argparse
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from operator import attrgetter
from pathlib import Path

from ..content.labels import catalog_for, catalogs
from ..content.model import DIFFICULTIES
from ..diagnostics import UsageError, did_you_mean
from ..editions.names import DEFAULT_OUTPUTS, OUTPUT_NAMES
from ..editions.registry import BOOKLET, FLASHCARDS, GUIDE, OUTPUTS, QUIZ, TABLET, WORKSHEET, Output
from ..editions.sectionbreaks import PART_BREAKS
from ..editions.worksheet import ANSWER_SPACES, Pick
from ..flashcards.sheets import CARD_SIZE_NAMES, DUPLEX_MODES, parse_offset
from ..html.papers import PAPERS, TABLET_PAPER
from ..html.themes import THEMES
from .options import BuildOptions

NOT_GIVEN = object()  # an option left out of the command line keeps its default


def _on(*outputs: Output) -> frozenset[str]:
    return frozenset(output.name for output in outputs)


EVERY_OUTPUT = frozenset(OUTPUTS)
PDFS = frozenset(name for name, output in OUTPUTS.items() if output.filename.endswith(".pdf"))


@dataclass(frozen=True)
class Flag:
    """One word of the command line, as argparse takes it."""

    name: str  # like --paper
    help: str  # {default} stands for the option's default, as the command line writes it
    metavar: str | None = None
    choices: tuple[str, ...] | None = None
    type: Callable[[str], object] | None = None  # argparse's conversion, with argparse's message
    action: str | None = None  # store_true, store_false, append

    @property
    def dest(self) -> str:
        return self.name.lstrip("-").replace("-", "_")


@dataclass(frozen=True)
class Option:
    field: str  # of BuildOptions; cards.duplex is the duplex field of its CardOptions
    flags: tuple[Flag, ...]
    affects: frozenset[str] = frozenset()  # the outputs it shapes: they are stale when it changes
    group: str | None = None  # its heading in --help
    parse: Callable[[object], object] = lambda value: value  # a given value as the field's, or UsageError
    written: Callable[[object], str] = str  # a value as the command line writes it
    read: Callable[[argparse.Namespace], object] | None = None  # the value of several flags together

    @property
    def default(self) -> object:
        return attrgetter(self.field)(BuildOptions())

    def value(self, args: argparse.Namespace) -> object:
        """The value the command line asks for, or NOT_GIVEN."""
        if self.read is not None:
            return self.read(args)
        given = getattr(args, self.flags[0].dest, NOT_GIVEN)
        return given if given is NOT_GIVEN else self.parse(given)

    def help(self, flag: Flag) -> str:
        return flag.help.replace("{default}", self.written(self.default))


def _only(text: str) -> tuple[str, ...]:
    only = _names(text)
    if not only or any(name not in OUTPUT_NAMES for name in only):
        raise UsageError(f"--only takes names from {', '.join(OUTPUT_NAMES)}; got {text!r}")
    return only


def _names(value: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in value.split(",") if name.strip())


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


def _shuffle_seed(args: argparse.Namespace) -> object:
    shuffle, seed = getattr(args, "shuffle", False), getattr(args, "seed", None)
    if not shuffle:
        if seed is not None and getattr(args, "questions", None) is None:
            raise UsageError("--seed only applies with --shuffle or --questions; add one of them")
        return NOT_GIVEN
    return _seed(seed)


def _seed(seed: int | None) -> int:
    """The seed asked for, or one drawn, which the outputs it orders or picks name."""
    return secrets.randbelow(10_000) if seed is None else seed


def _pick(args: argparse.Namespace) -> object:
    count = getattr(args, "questions", None)
    if count is None:
        return NOT_GIVEN
    if count < 1:
        raise UsageError(f"--questions takes a number of questions of 1 or more; got {count}")
    return Pick(count, _seed(getattr(args, "seed", None)))


def _written_pick(pick: Pick | None) -> str:
    return "all" if pick is None else f"{pick.count} (seed {pick.seed})"


def _safe_margin(margin: float) -> float:
    if margin < 0:
        raise UsageError(f"--safe-margin takes a size in mm of 0 or more; got {margin:g}")
    return margin


def _language(language: str) -> str:
    if catalog_for(language) is None:
        raise UsageError(f"--language takes one of {', '.join(catalogs())}"
                         f"{did_you_mean(language, catalogs())}; got {language!r}")
    return language


def _offset(offset: tuple[float, float]) -> str:
    return ",".join(f"{mm:g}" for mm in offset)


_SELECTION = "choosing cards (the same for every output; card numbers stay)"
_TABLET = "tablet.pdf and quiz.pdf"
_ORDER = "order of quiz.pdf and flashcards.pdf"
_CARDS = "flashcards.pdf"
_WORKSHEET = "worksheet.pdf (--only worksheet)"
_RENDERING = "rendering"

OPTIONS: tuple[Option, ...] = (
    Option("content_dir", (Flag("--content", "folder holding guide.yaml (default: {default})",
                                metavar="DIR", type=Path),)),
    Option("out_dir", (Flag("--out", "folder for the outputs (default: {default})", metavar="DIR",
                            type=Path),)),
    Option("paper", (Flag("--paper", "paper size of the printed outputs; tablet: the worksheet on a "
                          "page shaped like the screen of --tablet-ratio, to write on with a pen "
                          "(default: {default})", choices=(*sorted(PAPERS), TABLET_PAPER)),),
           _on(GUIDE, FLASHCARDS, WORKSHEET, BOOKLET)),
    Option("part_breaks", (Flag(
        "--part-breaks", "guide.pdf starts each part on a right-hand page, on the next page, or on "
        "the same page after a rule (default: as suits the guide: short parts run on, unless the "
        "guide is longer than some 60 pages)",
        choices=PART_BREAKS),), _on(GUIDE, BOOKLET)),
    Option("only", (Flag(
        "--only", f"outputs to build, from: {', '.join(OUTPUT_NAMES)} (default: all but "
        f"{', '.join(name for name in OUTPUT_NAMES if name not in DEFAULT_OUTPUTS)})",
        metavar="NAME,..."),), parse=_only),
    Option("selection.tags", (Flag("--tags", "cards that have any of these tags", metavar="TAG,...",
                                   type=_names),), EVERY_OUTPUT, _SELECTION),
    Option("selection.sections", (Flag(
        "--section", "cards of the section with this title (repeat for more sections)",
        metavar="TITLE", action="append"),), EVERY_OUTPUT, _SELECTION, parse=tuple),
    Option("selection.difficulties", (Flag(
        "--difficulty", f"cards of these difficulties, from: {', '.join(DIFFICULTIES)}",
        metavar="LEVEL,...", type=_names),), EVERY_OUTPUT, _SELECTION,
        parse=lambda levels: tuple(level.lower() for level in levels)),
    Option("selection.ids", (Flag("--ids", "the cards with these ids", metavar="ID,...", type=_names),),
           EVERY_OUTPUT, _SELECTION),
    Option("tablet_ratio", (Flag(
        "--tablet-ratio", "screen shape of tablet.pdf and quiz.pdf (and of the worksheet with --paper "
        "tablet) in portrait, e.g. 10:16 for most Android tablets (default: {default}, iPad)",
        metavar="W:H"),), _on(TABLET, QUIZ, WORKSHEET), _TABLET, parse=_ratio,
        written=lambda ratio: "{}:{}".format(*ratio)),
    Option("theme", (Flag("--theme", "colours of tablet.pdf and quiz.pdf (default: {default})",
                          choices=tuple(sorted(THEMES))),), _on(TABLET, QUIZ), _TABLET),
    Option("shuffle_seed", (
        Flag("--shuffle", "ask the quiz and lay out the cards in a random order; the quiz names its seed",
             action="store_true"),
        Flag("--seed", "with --shuffle or --questions: the same N gives the same order, or the same "
             "questions", metavar="N", type=int)),
        _on(QUIZ, FLASHCARDS), _ORDER, read=_shuffle_seed),
    Option("worksheet.answer_space", (Flag(
        "--answer-space", "what the space to answer in holds (default: {default})", choices=ANSWER_SPACES),),
        _on(WORKSHEET), _WORKSHEET),
    Option("worksheet.pick", (Flag(
        "--questions", "a practice test of N of the chosen questions; --seed picks the same ones again "
        "(default: {default})", metavar="N", type=int),), _on(WORKSHEET), _WORKSHEET, read=_pick,
        written=_written_pick),
    Option("cards.card_size", (Flag(
        "--card-size", f"{', '.join(CARD_SIZE_NAMES)}, or WxH in mm or in like 80x50mm "
        "(default: {default}, the sheet divided into 2 x 4 cards)", metavar="SIZE"),),
        _on(FLASHCARDS), _CARDS),
    Option("cards.duplex", (Flag(
        "--duplex", "long-edge or short-edge: how the printer turns the paper; fold: question "
        "and answer side by side on one side, to fold (default: {default})", choices=DUPLEX_MODES),),
        _on(FLASHCARDS), _CARDS),
    Option("cards.back_offset", (Flag(
        "--back-offset", "shift the backs by X,Y mm to make up for the printer; "
        "python build.py calibrate measures it (default: {default})", metavar="X,Y"),),
        _on(FLASHCARDS), _CARDS, parse=parse_offset, written=_offset),
    Option("cards.safe_margin", (Flag(
        "--safe-margin", "margin the printer can print inside, in mm (default: {default})", metavar="MM",
        type=float),), _on(FLASHCARDS), _CARDS, parse=_safe_margin, written="{:g}".format),
    Option("cards.cut_lines", (Flag("--cut-lines", "also draw thin lines along the middle of the gutters",
                                    action="store_true"),), _on(FLASHCARDS), _CARDS),
    Option("cards.strict", (Flag("--strict", "an answer that needs more than one card is an error",
                                 action="store_true"),), _on(FLASHCARDS), _CARDS),
    Option("limits.jobs", (Flag("--jobs", "renders at once (the parts of every PDF), each in its own "
                                "process (default: {default})", metavar="N", type=int),), group=_RENDERING),
    Option("limits.seconds", (Flag("--timeout", "stop a render that takes longer: one part of a PDF, a "
                                   "fitting or a join, never a whole guide (default: {default})",
                                   metavar="SECONDS", type=float),), group=_RENDERING,
           written="{:g}".format),
    Option("rebuild", (Flag("--rebuild", "build every output, even those whose inputs did not change",
                            action="store_true"),), group=_RENDERING),
    Option("tagged", (Flag("--untagged", "PDFs without the tags that screen readers and reading views "
                           "read (by default they are tagged, PDF/UA-1)", action="store_false"),),
           _on(GUIDE, TABLET, QUIZ, FLASHCARDS, WORKSHEET), _RENDERING),  # the booklet's folding undoes tags
    Option("emit_html", (Flag("--emit-html", "also write the HTML each PDF is rendered from, beside it "
                              "(for debugging templates in a browser)", action="store_true"),),
           PDFS, _RENDERING),
    Option("limits.memory_mb", (Flag("--memory", "stop a render (one part, as for --timeout) that "
                                     "needs more memory (default: {default})", metavar="MB", type=int),),
           group=_RENDERING),
    Option("language", (Flag("--language", f"the language of the instructions: {', '.join(catalogs())} "
                             "(default: {default})", metavar="LANG"),), parse=_language),
)
OPTION = {option.field: option for option in OPTIONS}


def options_with(values: Mapping[str, object], base: BuildOptions | None = None) -> BuildOptions:
    """BuildOptions with these fields set (cards.duplex sets a field of its CardOptions)."""
    base = base or BuildOptions()
    nested: dict[str, dict[str, object]] = {}
    for name, value in values.items():
        holder, _, leaf = name.rpartition(".")
        nested.setdefault(holder, {})[leaf] = value
    top = nested.pop("", {})
    return replace(base, **top, **{holder: replace(getattr(base, holder), **fields)
                                   for holder, fields in nested.items()})


def settings(output: str, options: BuildOptions) -> tuple[tuple[str, object], ...]:
    """The values of exactly the options that shape an output: what its freshness depends on."""
    return tuple((option.field, attrgetter(option.field)(options)) for option in OPTIONS
                 if output in option.affects)
