"""What a build was asked to do: folders, paper, outputs, cards chosen, and each output's options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.labels import REFERENCE
from ..content.selection import Selection
from ..editions.names import DEFAULT_OUTPUTS
from ..editions.worksheet import WorksheetOptions
from ..engine.workers import Limits
from ..flashcards.faces import CardOptions
from ..html.papers import A4
from ..html.templates import TEMPLATES_DIR
from ..html.themes import LIGHT


@dataclass(frozen=True)
class BuildOptions:
    """The defaults of the command line's options too (optiontable.py declares the options)."""

    content_dir: Path = Path("content")
    out_dir: Path = Path("output")
    templates_dir: Path = TEMPLATES_DIR
    paper: str = A4.name
    only: tuple[str, ...] = DEFAULT_OUTPUTS
    selection: Selection = field(default_factory=Selection)
    cards: CardOptions = field(default_factory=CardOptions)
    worksheet: WorksheetOptions = field(default_factory=WorksheetOptions)
    limits: Limits = field(default_factory=Limits)
    emit_html: bool = False  # also write the HTML each PDF was rendered from
    rebuild: bool = False  # build even the outputs that are up to date
    tablet_ratio: tuple[int, int] = (3, 4)  # width:height of the tablet editions' pages
    theme: str = LIGHT.name  # of the tablet editions, a name in themes.THEMES
    shuffle_seed: int | None = None  # the quiz and the cards in a shuffled order; None keeps the guide's
    tagged: bool = True  # PDFs tagged for screen readers and reading views (PDF/UA-1)
    part_breaks: str | None = None  # where the guide starts a part (sectionbreaks.PART_BREAKS); None: as fits
    language: str = REFERENCE  # of the calibration sheet; a guide's outputs speak the guide's language
