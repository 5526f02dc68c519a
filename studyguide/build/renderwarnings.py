"""What the renderer warns of, placed at the text that caused it when that can be told.

WeasyPrint only logs its warnings, as text. One that names something a card or a section
intro wrote (an image it could not load, a link to a place no page has) becomes a
Problem at that text, reported like the problems in the content; any other stays a
message of the output it came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..content.model import Guide
from ..content.source import Text
from ..diagnostics import Problem

_QUOTED = re.compile(r"'([^']+)'")
_MISSING_ANCHOR = re.compile(r"No anchor (#\S+)")


def render_problem(guide: Guide, filename: str, warning: str) -> Problem | None:
    """The warning of filename as a Problem at the text that wrote what it names, if any did."""
    for part in _written_parts(warning, guide.content_dir):
        written = re.compile(re.escape(part) + r"(?![\w.-])")
        for owner, text in _texts(guide):
            if written.search(text.value):
                return Problem(text.where(part), f"{filename}, {owner}: {warning}", "warning")
    return None


def _written_parts(warning: str, content_dir: Path) -> list[str]:
    """What a text would have written to cause the warning: a link's #place, an image's path."""
    base = content_dir.resolve().as_uri() + "/"
    paths = [unquote(url[len(base):]) for url in _QUOTED.findall(warning) if url.startswith(base)]
    return [*_MISSING_ANCHOR.findall(warning), *paths]


def _texts(guide: Guide) -> Iterator[tuple[str, Text]]:
    for section in guide.sections:
        if section.intro is not None:
            yield f"the intro of section {section.number}", section.intro
        for card in section.cards:
            for text in (card.question, card.answer, card.card):
                if text is not None:
                    yield f"card {card.label_number} ('{card.id}')", text
