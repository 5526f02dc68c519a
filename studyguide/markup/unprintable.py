"""Characters no installed face has: PDFs print them as placeholders, and the build says so.

A face that a system package would bring (Noto Sans CJK, say) is one warning for the whole
guide, naming the package and the cards that need it, not one for each card: a Chinese guide on
a machine without fonts-noto-cjk would otherwise repeat itself for every card. Characters that
no package here covers are a warning at each card.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..content.source import Text
from ..diagnostics import Collector
from ..html import fonts
from .rendered import MATH

_SHOWN_CARDS = 5  # named in a warning; the others are counted


@dataclass
class Unprintable:
    """What the texts of a guide hold that no installed face can draw, gathered text by text."""

    found: list[tuple[Text, str, str]] = field(default_factory=list)  # text, card id, characters

    def note(self, text: Text, card_id: str) -> None:
        missing = fonts.missing_characters(re.sub(MATH, " ", text.value, flags=re.S))  # formulas are drawn
        if missing:
            self.found.append((text, card_id, missing))

    def report(self, problems: Collector) -> None:
        """One warning per package that would draw some of the characters, one per card for the rest."""
        by_package: dict[str, list[tuple[Text, str, str]]] = {}
        for text, card_id, missing in self.found:
            unpackaged = "".join(c for c in missing if fonts.package_for(c) is None)
            if unpackaged:
                _warn(problems, text, f"card '{card_id}'", unpackaged, "")
            for character in missing:
                if (package := fonts.package_for(character)) is not None:
                    by_package.setdefault(package, []).append((text, card_id, character))
        for package, places in by_package.items():
            cards = list(dict.fromkeys(card_id for _, card_id, _ in places))
            named = ", ".join(f"'{card_id}'" for card_id in cards[:_SHOWN_CARDS])
            more = f" and {len(cards) - _SHOWN_CARDS} more" if len(cards) > _SHOWN_CARDS else ""
            owner = f"card {named}" if len(cards) == 1 else f"{len(cards)} cards ({named}{more})"
            characters = "".join(dict.fromkeys(character for _, _, character in places))
            text = places[0][0]
            _warn(problems, text, owner, characters, package, first=places[0][2])


def _warn(problems: Collector, text: Text, owner: str, characters: str, package: str,
          first: str | None = None) -> None:
    shown = characters if len(characters) <= 12 else f"{characters[:12]}…"
    codes = ", ".join(f"U+{ord(c):04X}" for c in characters[:12]) + (", …" if len(characters) > 12 else "")
    first = first or characters[0]
    install = f"; install the Debian package {package} to print them" if package else ""
    verb = "uses" if owner.startswith("card '") else "use"
    problems.warning(text.position(text.value.find(first), len(first)),
                     f"{owner} {verb} characters no installed font has: {shown} ({codes}); "
                     f"PDFs print {fonts.MISSING_GLYPH} for them{install}")
