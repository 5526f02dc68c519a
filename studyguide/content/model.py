"""The guide as plain, frozen data: built once by the loader, read by everything after."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from .cloze import Segment
from .labels import Labels, labels_for
from .source import Text

DIFFICULTIES = ("easy", "medium", "hard")
CARD_ANCHOR = "card-"  # how the id of every card's place in a page begins


@dataclass(frozen=True)
class Card:
    number: int  # 1-based, across the whole guide
    id: str
    question: Text
    answer: Text
    card: Text | None = None  # a shorter answer written for the flashcards
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    guid: str | None = None  # the note's GUID in Anki, kept from an imported deck
    cloze: tuple[Segment, ...] = ()  # the question read as cloze deletions, when it has any
    cloze_number: int | None = None  # which deletion this study card asks, for one made from a cloze

    @property
    def anchor(self) -> str:
        return f"{CARD_ANCHOR}{self.id}" + (f"-c{self.cloze_number}" if self.cloze_number else "")

    @property
    def answer_anchor(self) -> str:
        """Where the quiz reveals the answer, on a page after the question's."""
        return f"{self.anchor}-answer"

    @property
    def label_number(self) -> str:
        """The card's number as its study cards show it: 07, or 07 c2 for its second deletion."""
        return f"{self.number:02d}" + (f" c{self.cloze_number}" if self.cloze_number else "")

    @property
    def flashcard_answer(self) -> Text:
        """The back of a flashcard: the short answer in 'card' when there is one, else the answer."""
        return self.card or self.answer


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    cards: tuple[Card, ...]
    intro: Text | None = None
    intro_html: Markup = Markup("")

    @property
    def anchor(self) -> str:
        return f"section-{self.number}"


@dataclass(frozen=True)
class Guide:
    title: str
    sections: tuple[Section, ...]
    content_dir: Path
    subtitle: str | None = None
    author: str | None = None
    language: str = "en"
    updated: date | None = None
    labels: Labels = field(default_factory=lambda: labels_for("en"))  # the words the templates print

    @property
    def cards(self) -> tuple[Card, ...]:
        return tuple(card for section in self.sections for card in section.cards)

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({tag for card in self.cards for tag in card.tags}))

    @cached_property
    def characters(self) -> frozenset[str]:
        """Every character the outputs may print: the texts, the tags and the labels."""
        texts = [self.title, self.subtitle or "", self.author or "", self.labels.text, *self.tags]
        for section in self.sections:
            texts += [section.title, section.intro.value if section.intro else ""]
            texts += [text.value for card in section.cards
                      for text in (card.question, card.answer, card.card) if text is not None]
        return frozenset("".join(texts))
