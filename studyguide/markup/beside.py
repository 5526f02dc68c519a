"""The cards' markup rendered beside the build, in helper processes, while it does something else.

A cold build of many cards spends seconds on their Markdown and formulas, one card after the
other, before anything else can start. Helpers forked for it render the cards that neither a
watcher's memory nor the output folder's cache holds, while the build warms WeasyPrint up.
The cards are shared out evenly by cost, a card going to the helper that draws its formulas
already: a formula (a tenth of a second, some of them) is drawn once, not once in each helper.
What a helper rendered with no problem comes back as if the cache had kept it, with the
formulas it drew; render_markup then takes those cards from the cache and renders the others
itself, as it always does, reporting their problems. A helper that fails costs nothing but
time: its cards are rendered by the build.
"""

from __future__ import annotations

import gc
import multiprocessing
import re
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection

from ..content.model import Card, Guide
from . import formulas
from .convert import MarkupMemo, rendered_clean, unrendered
from .kept import KeptMarkup
from .rendered import MATH

HELPED_CARDS = 100  # fewer cards to render are rendered by the build alone: a fork costs more
FORMULA_COST = 10  # a formula drawn, in cards rendered without one
_MATH = re.compile(MATH, re.S)


@contextmanager
def rendering(guide: Guide, rendered: MarkupMemo | None, kept: KeptMarkup | None,
              jobs: int) -> Iterator[None]:
    """While inside, up to jobs helpers render the markup of the guide's cards that would be
    rendered; on leaving, kept holds those they rendered with no problem."""
    cards = unrendered(guide, rendered, kept) if kept is not None and jobs > 1 else []
    if len(cards) < HELPED_CARDS:
        yield
        return
    context = multiprocessing.get_context("fork")
    helpers = []
    try:
        for share in _shares(cards, jobs):
            receiver, sender = context.Pipe(duplex=False)
            helper = context.Process(target=_render, args=(guide, share, sender), daemon=True)
            helper.start()
            sender.close()
            helpers.append((helper, receiver))
        yield
        for _, receiver in helpers:
            try:
                cards_rendered, drawings = receiver.recv()
            except EOFError:  # the helper failed: the build renders its cards
                continue
            kept.add(cards_rendered)
            formulas.take(drawings)
    finally:
        for helper, receiver in helpers:
            receiver.close()
            helper.kill()
            helper.join()


def _shares(cards: list[Card], jobs: int) -> list[list[Card]]:
    """The cards shared out among the helpers, each card where it costs least: a card costs
    one, and each formula it shows that its helper has not drawn yet FORMULA_COST more."""
    shares: list[list[Card]] = [[] for _ in range(jobs)]
    drawn: list[set[str]] = [set() for _ in range(jobs)]
    loads = [0] * jobs
    for card in cards:
        found = _formulas_in(card)
        costs = [1 + FORMULA_COST * len(found - drawn[helper]) for helper in range(jobs)]
        helper = min(range(jobs), key=lambda helper: loads[helper] + costs[helper])
        shares[helper].append(card)
        drawn[helper] |= found
        loads[helper] += costs[helper]
    return [share for share in shares if share]


def _formulas_in(card: Card) -> set[str]:
    return {match.group() for text in (card.question, card.answer, card.card) if text is not None
            for match in _MATH.finditer(text.value)}


def _render(guide: Guide, cards: list[Card], sender: Connection) -> None:
    """In a helper: the cards rendered clean, and the drawings made for them, sent back. Ctrl-C
    is the build's to act on; a failure sends nothing, and the build meets it again itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # the build's objects, which collections here need not walk
    had = formulas.drawn().keys()
    try:
        clean = rendered_clean(cards, guide.content_dir, guide.language)
        sender.send((clean, {key: drawing for key, drawing in formulas.drawn().items() if key not in had}))
    except Exception:  # noqa: BLE001 - the build renders these cards and reports what fails
        pass
    finally:
        sender.close()
