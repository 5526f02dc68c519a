"""Cards' markup kept in the output folder's cache, so that a build in a new process renders the
markup of the cards that changed, not of every card (a watcher keeps it in memory: convert.py).

Kept as JSON, by a digest of what a card says, for the code that rendered it: a card whose
markup had a problem, or that shows an image (whose file may change), is not kept. A build
keeps the cards it rendered or read, so the file holds one guide's cards, not every card ever.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from markupsafe import Markup

from ..content.model import Card
from ..guard.files import write_atomic
from .rendered import ClozeSides, Formula, RenderedCard, Sanitized

_MARKUP = ("question_html", "question_details_html", "answer_html", "card_html")


class KeptMarkup:
    def __init__(self, path: Path, salt: str, reading: bool = True):
        self.path = path
        self.salt = salt
        self._before = _read(path, salt) if reading else {}  # not reading: every card rendered again
        self._beside: dict[str, dict] = {}  # rendered for this build by helpers (beside.py)
        self._now: dict[str, dict] = {}

    def get(self, key: str, card: Card) -> RenderedCard | None:
        """The card rendered as a build before rendered it, or a helper beside this one, or None."""
        fields = self._before.get(key, self._beside.get(key))
        if fields is None:
            return None
        try:
            rendered = _restored(card, fields)
        except (KeyError, TypeError, ValueError):
            return None  # written by other code after all: rendered again
        self._now[key] = fields
        return rendered

    def put(self, key: str, rendered: RenderedCard) -> None:
        self._now[key] = _saved(rendered)

    def holds(self, key: str) -> bool:
        return key in self._before or key in self._beside

    def add(self, rendered: dict[str, RenderedCard]) -> None:
        """Cards rendered for this build in other processes, by key: got as if kept."""
        self._beside.update({key: _saved(card) for key, card in rendered.items()})

    def save(self) -> None:
        """Write what this build rendered and read, if it differs from what was there."""
        if self._now != self._before:
            write_atomic(self.path, json.dumps({"salt": self.salt, "cards": self._now}).encode())


def key_of(card: Card, language: str) -> str:
    """What a card's markup depends on but the code: what it says, and the language it is read in
    (a formula's spoken words). Cards with images, whose files the content folder holds, are not kept."""
    said = (card.question.value, card.answer.value, card.card.value if card.card else None, card.cloze,
            language)
    return hashlib.sha256(repr(said).encode()).hexdigest()


def _read(path: Path, salt: str) -> dict[str, dict]:
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(saved, dict) or saved.get("salt") != salt or not isinstance(saved.get("cards"), dict):
        return {}
    return saved["cards"]


def _saved(rendered: RenderedCard) -> dict:
    return {**{name: str(getattr(rendered, name)) for name in _MARKUP}, "label": rendered.label,
            "direction": rendered.direction,
            "cloze_sides": [[side.number, str(side.front_html), side.front_label, str(side.back_html)]
                            for side in rendered.cloze_sides],
            "question_markup": dataclasses.asdict(rendered.question_markup),
            "flashcard_markup": dataclasses.asdict(rendered.flashcard_markup)}


def _restored(card: Card, fields: dict) -> RenderedCard:
    def sanitized(saved: dict) -> Sanitized:
        return Sanitized(**{name: tuple(value) if isinstance(value, list) else value
                            for name, value in saved.items() if name != "formulas"},
                         formulas=tuple(Formula(**formula) for formula in saved["formulas"]))

    return RenderedCard(
        **{field.name: getattr(card, field.name) for field in dataclasses.fields(Card)},
        **{name: Markup(fields[name]) for name in _MARKUP},
        label=fields["label"], direction=fields["direction"],
        cloze_sides=tuple(ClozeSides(number, Markup(front), label, Markup(back))
                          for number, front, label, back in fields["cloze_sides"]),
        question_markup=sanitized(fields["question_markup"]),
        flashcard_markup=sanitized(fields["flashcard_markup"]))
