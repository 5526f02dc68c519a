"""The cards a command line asks for, chosen once so every output agrees.

Within one filter a card needs any of the values (--tags a,b: tag a or tag b);
across filters it needs all of them. Cards and sections keep their own
numbers, so card 7 is card 7 in every output, whatever else was left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from ..diagnostics import UsageError, did_you_mean
from .model import DIFFICULTIES, Card, Guide


@dataclass(frozen=True)
class Selection:
    tags: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()  # section titles, in any case
    difficulties: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not (self.tags or self.sections or self.difficulties or self.ids)

    def describe(self) -> str:
        """The selection as it was asked for on the command line."""
        parts = [f"--tags {','.join(self.tags)}" if self.tags else "",
                 *(f"--section {title!r}" for title in self.sections),
                 f"--difficulty {','.join(self.difficulties)}" if self.difficulties else "",
                 f"--ids {','.join(self.ids)}" if self.ids else ""]
        return " ".join(part for part in parts if part)


def select(guide: Guide, selection: Selection) -> Guide:
    """The guide with only the selected cards, and only the sections that keep some.

    Raises UsageError for a value the guide does not have, and for a selection
    that matches no card; both messages list what there is to choose from.
    """
    if selection.everything:
        return guide
    _check_values(guide, selection)
    wanted = {_folded(title) for title in selection.sections}
    sections = []
    for section in guide.sections:
        if wanted and _folded(section.title) not in wanted:
            continue
        cards = tuple(card for card in section.cards if _matches(card, selection))
        if cards:
            sections.append(dataclasses.replace(section, cards=cards))
    if not sections:
        raise UsageError(f"no card matches {selection.describe()}\n{_choices(guide)}")
    return dataclasses.replace(guide, sections=tuple(sections))


def _matches(card: Card, selection: Selection) -> bool:
    return ((not selection.tags or any(tag in card.tags for tag in selection.tags))
            and (not selection.difficulties or card.difficulty in selection.difficulties)
            and (not selection.ids or card.id in selection.ids))


def _check_values(guide: Guide, selection: Selection) -> None:
    """A value that matches nothing in the guide is a typo, not an empty choice: say so."""
    titles = {_folded(section.title): section.title for section in guide.sections}
    ids = [card.id for card in guide.cards]
    unknown = [
        *(_unknown("tag", tag, guide.tags) for tag in selection.tags if tag not in guide.tags),
        *(_unknown("section", title, titles.values()) for title in selection.sections
          if _folded(title) not in titles),
        *(_unknown("difficulty", value, DIFFICULTIES) for value in selection.difficulties
          if value not in DIFFICULTIES),
        *(_unknown("card id", card_id, ids) for card_id in selection.ids if card_id not in ids),
    ]
    if unknown:
        raise UsageError(f"{'; '.join(unknown)}\n{_choices(guide)}")


def _unknown(kind: str, value: str, known: Iterable[str]) -> str:
    return f"there is no {kind} {value!r}{did_you_mean(value, known)}"


def _choices(guide: Guide) -> str:
    sections = ", ".join(repr(section.title) for section in guide.sections)
    return f"  the tags are: {', '.join(guide.tags) or '(none)'}\n  the sections are: {sections}"


def _folded(title: str) -> str:
    return " ".join(title.casefold().split())
