"""The order in which the self-test editions ask their cards."""

from __future__ import annotations

import random

from .model import Card


def card_order(cards: tuple[Card, ...], shuffle_seed: int | None) -> tuple[Card, ...]:
    """The cards in the guide's order, or shuffled the same way every time for one seed."""
    if shuffle_seed is None:
        return cards
    shuffled = list(cards)
    random.Random(shuffle_seed).shuffle(shuffled)
    return tuple(shuffled)
