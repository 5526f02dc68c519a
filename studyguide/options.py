"""What a build was asked to do: folders, paper, outputs, and the options of each output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .cards import CardOptions
from .pages import TEMPLATES_DIR

OUTPUT_NAMES = ("guide", "cards")


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    out_dir: Path = Path("output")
    templates_dir: Path = TEMPLATES_DIR
    paper: str = "a4"
    only: tuple[str, ...] = OUTPUT_NAMES
    cards: CardOptions = field(default_factory=CardOptions)
