"""The order in which the self-test editions ask their cards."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterable, Iterator

from markupsafe import Markup

from .rendered import RenderedCard


def card_order(cards: tuple[RenderedCard, ...], shuffle_seed: int | None) -> tuple[RenderedCard, ...]:
    """The study cards in the guide's order, or shuffled the same way every time for one seed."""
    cards = tuple(study_cards(cards))
    if shuffle_seed is None:
        return cards
    shuffled = list(cards)
    random.Random(shuffle_seed).shuffle(shuffled)
    return tuple(shuffled)


def study_cards(cards: Iterable[RenderedCard]) -> Iterator[RenderedCard]:
    """Each card as the quiz and the flashcards ask it: a cloze card once per cloze number,
    its front blanking that number, its back the whole text marked, then any answer."""
    for card in cards:
        if not card.cloze_sides:
            yield card
        for side in card.cloze_sides:
            yield dataclasses.replace(card, question_html=side.front_html, question_details_html=Markup(""),
                                      label=side.front_label, cloze_number=side.number,
                                      answer_html=side.back_html + card.answer_html,
                                      card_html=side.back_html + card.card_html, cloze_sides=())
