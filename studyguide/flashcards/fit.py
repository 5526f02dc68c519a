"""Making every card's text fit its card: measure once, then re-set only what overflowed.

A text that is too tall is set smaller, half a point at a time, down to a readable
floor. An answer still too tall at the floor goes on as many cards as it needs, cut
between blocks, sentences or list items. Nothing is ever clipped.

Each card is fitted by a generator that yields the snippets it needs measured and
receives their heights. The deck's generators advance together, so one render measures
what every card needs at that step: the number of renders is the number of steps the
hardest card takes, not the number of cards.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..diagnostics import BuildError, ContentError, Problem
from .blocks import FLOWING, Piece, carried, join, split_block, top_level_blocks, whole
from .estimate import PT_MM, guess_height, line_height
from .faces import ANSWER_PT, FLOOR_PT, QUESTION_PT, Face

STEP_PT = 0.5
SURE_SHARE = 0.8  # a text guessed at under this share of a card is taken to fit, unmeasured
FAR_BELOW_FLOOR = 0.85  # a text whose size to fit is predicted this far under the floor is split
RUN_BUDGET = 1.6  # cards' worth of pieces, each set apart, tried at first for one card
TOLERANCE_MM = 0.2


@dataclass(frozen=True)
class Snippet:
    """Text to measure: a question or an answer (part), at a size, in the body's width."""

    kind: str  # question or answer
    html: Markup
    size_pt: float
    # Pieces whose places the render is to tell: the measuring page gives each an id (ids.measure_piece).
    pieces: tuple[Piece, ...] = ()
    continues: bool = False  # a question's front, set with the note that the rest is on the back


# A snippet's height in mm, or for a snippet with pieces, each piece's top and bottom in mm
# from the snippet's top.
Measured = float | tuple[tuple[float, float], ...]
Measure = Callable[[Sequence[Snippet]], list[Measured]]  # in the same order as the snippets
Steps = Generator[list[Snippet], list[Measured], "Fitting"]  # yields what to measure, gets it


@dataclass(frozen=True)
class Fitting:
    """One card, fitted: its faces (more than one when the answer was split)."""

    faces: tuple[Face, ...]
    shrunk: bool = False


@dataclass(frozen=True)
class Fitted:
    faces: tuple[Face, ...]
    shrunk: tuple[Face, ...]  # first faces of cards set below the default sizes
    split: tuple[Face, ...]  # first faces of cards that went on to more cards


def fit(faces: Sequence[Face], body_width: float, body_height: float, measure: Measure,
        guess: bool = True) -> Fitted:
    """Faces that fit a body of body_width x body_height mm, measuring only what needs measuring.

    With guess=False every text is measured, none is taken as fitting on a guess.
    """
    return fitted(fit_each(faces, body_width, body_height, measure, guess))


def fit_each(faces: Sequence[Face], body_width: float, body_height: float, measure: Measure,
             guess: bool = True) -> list[Fitting]:
    """Each face fitted (see fit), in their order."""
    return _run_together([_fit(face, body_height, body_width if guess else None) for face in faces], measure)


def fitted(fittings: Sequence[Fitting]) -> Fitted:
    """The deck of these cards' fittings."""
    return Fitted(
        faces=tuple(face for fitting in fittings for face in fitting.faces),
        shrunk=tuple(f.faces[0] for f in fittings if f.shrunk and len(f.faces) == 1),
        split=tuple(f.faces[0] for f in fittings if len(f.faces) > 1),
    )


def _run_together(steps: list[Steps], measure: Measure) -> list[Fitting]:
    """Advance every card's steps in lockstep, measuring all their requests in one render."""
    results: list[Fitting | None] = [None] * len(steps)
    requests: dict[int, list[Snippet]] = {}

    def advance(index: int, heights: list[float] | None) -> None:
        try:
            requests[index] = steps[index].send(heights)
        except StopIteration as done:
            results[index] = done.value

    for index in range(len(steps)):
        advance(index, None)
    while requests:
        batch = sorted(requests.items())
        requests.clear()
        heights = iter(measure([snippet for _, wanted in batch for snippet in wanted]))
        for index, wanted in batch:
            advance(index, [next(heights) for _ in wanted])
    return [result for result in results if result is not None]


def _fit(face: Face, body_height: float, body_width: float | None) -> Steps:
    """The steps of fitting one card: default sizes, then smaller, then split."""
    texts = [_question(face, QUESTION_PT), _answer(face, ANSWER_PT)]
    guesses = [guess_height(text.kind, text.html, text.size_pt, body_width) if body_width else None
               for text in texts]
    unsure = [text for text, guess in zip(texts, guesses, strict=True)
              if guess is None or guess > SURE_SHARE * body_height]
    measured = iter((yield unsure) if unsure else [])
    question_height, answer_height = (next(measured) if text in unsure else guess
                                      for text, guess in zip(texts, guesses, strict=True))
    question_pt, answer_pt = QUESTION_PT, ANSWER_PT
    if question_height > body_height:
        question_pt = yield from _largest_fitting(face, _question, QUESTION_PT, question_height, body_height)
        if question_pt is None:
            moved = yield from _carried_over(face, body_height)
            question_pt = FLOOR_PT
            if moved.question_continues:
                face = moved
                answer_height = (yield [_answer(face, ANSWER_PT)])[0]
    if answer_height > body_height:
        answer_pt = yield from _largest_fitting(face, _answer, ANSWER_PT, answer_height, body_height)
    face = replace(face, question_pt=question_pt, answer_pt=answer_pt or FLOOR_PT)
    if answer_pt is None:
        parts = yield from _split(face, body_height, body_width)
        return Fitting(tuple(parts), shrunk=True)
    return Fitting((face,), shrunk=(question_pt, answer_pt) != (QUESTION_PT, ANSWER_PT))


def _question(face: Face, size: float) -> Snippet:
    return Snippet("question", face.question_html, size)


def _carried_over(face: Face, body_height: float) -> Generator[list[Snippet], list[Measured], Face]:
    """A question too long for a card at the floor size: as much of it as fits on the front,
    under a note that it goes on, and the rest on the back, before the answer.

    One render of the whole question, cut into its smallest pieces (sentences, items, lines
    of code, rows), tells where they lie; the front is then measured as set, with its note,
    and gives up its last piece until it fits. A question that fits whole at the floor size
    after all (its size was predicted, not measured) stays whole.
    """
    pieces = _fine_pieces(face.question_html, every_block=True)
    while True:
        marked = Snippet("question", Markup(join(pieces)), FLOOR_PT, pieces=tuple(pieces))
        places = (yield [marked])[0]
        top, bottom = places[0]
        if bottom - top <= body_height:
            break
        pieces = [*_cut_or_fail(face, pieces[0], "question"), *pieces[1:]]
    if places[-1][1] - places[0][0] <= body_height:
        return face
    end = max(1, sum(1 for _, bottom in places if bottom <= body_height))
    while True:
        end = _not_after_leading(pieces, 0, end)
        front = Snippet("question", Markup(join(pieces[:end])), FLOOR_PT, continues=True)
        if (yield [front])[0] <= body_height:
            break
        if end == 1:
            pieces = [*_cut_or_fail(face, pieces[0], "question"), *pieces[1:]]
            end = 2
        end -= 1
    return replace(face, question_html=front.html, question_continues=True,
                   answer_html=Markup(carried(join(pieces[end:]))) + face.answer_html)


def _answer(face: Face, size: float) -> Snippet:
    return Snippet("answer", face.answer_html, size)


def _largest_fitting(face: Face, snippet: Callable[[Face, float], Snippet], start: float, height: float,
                     body_height: float) -> Generator[list[Snippet], list[float], float | None]:
    """The largest size below start, down to the floor, at which the text fits, or None.

    The text has been measured at start, height mm tall, more than the body_height it
    must fit in. The sizes to try are start minus half a point, minus one point, ... down
    to FLOOR_PT, largest first; a text is taken to grow with its size, so the answer is
    the largest size that fits, and the size half a point above it does not.

    Every yield is one step of the lockstep (see _run_together): one render, shared with
    every other card that needs something measured at that step. A render costs about the
    same for one snippet as for a dozen, so the search spends snippets to save steps: it
    measures a batch of sizes at once rather than halving an interval one render at a time.

    The batches come from a prediction. Text set smaller takes less room as the square of
    its size (shorter lines, and more words on each), so the size that fits is about
    predicted = start * sqrt(body_height / height); code, whose lines stay as they are, takes
    less room only as its size, so there it is start * body_height / height. When that is far
    under the floor (under FAR_BELOW_FLOOR of it) nothing is measured: the answer is None at
    once, and an answer goes on to be split. Otherwise, with first the largest size no more than half a
    point above the prediction (the floor when every size is), the batches are, in order:

    1. sizes[first:first + 3], three sizes from the prediction down: the usual answer;
    2. sizes[first + 3:], every smaller size, when none of those three fits;
    3. sizes[:first], every larger size, when no smaller size fits either (then only
       a larger one can: the prediction was far too low).

    A batch settles the search when one of its sizes fits and the size above the largest
    of those is known not to: it was measured in the same batch, or there is none (the
    batch starts at the largest size). When the largest size of a batch fits, the sizes
    above it are measured together in one more step (_largest_fitting_above): the largest
    of them that fits is the answer, and if none does, the batch's top size is. So a card
    takes one step when the prediction is right, two when it was a little off, and at
    most three; None means no size down to the floor fits.

    After batch 1 found nothing, a fit at the top of batch 2 still measures every size
    above it, though those of batch 1 were just measured too tall: that step can only
    change the answer if a text set smaller ever came out taller.
    """
    sizes = [start - STEP_PT * k for k in range(1, int((start - FLOOR_PT) / STEP_PT) + 1)]
    # Code keeps its lines: set smaller, it only takes less room as its size.
    shrinks = 1.0 if "<pre" in snippet(face, start).html else 0.5
    predicted = start * (body_height / height) ** shrinks
    if predicted < FLOOR_PT * FAR_BELOW_FLOOR:
        return None
    first = next((i for i, size in enumerate(sizes) if size <= predicted + STEP_PT), len(sizes) - 1)
    for batch in (sizes[first:first + 3], sizes[first + 3:], sizes[:first]):
        if not batch:
            continue
        heights = yield [snippet(face, size) for size in batch]
        fitting = [size for size, measured in zip(batch, heights, strict=True) if measured <= body_height]
        if fitting and (batch[0] == sizes[0] or fitting[0] != batch[0]):
            return fitting[0]  # the largest that fits, and the one above it does not
        if fitting:
            larger = yield from _largest_fitting_above(face, snippet, sizes[:sizes.index(batch[0])],
                                                       body_height)
            return larger or fitting[0]
    return None


def _largest_fitting_above(face: Face, snippet: Callable[[Face, float], Snippet], sizes: list[float],
                           body_height: float) -> Generator[list[Snippet], list[float], float | None]:
    heights = yield [snippet(face, size) for size in sizes]
    return next((size for size, height in zip(sizes, heights, strict=True) if height <= body_height), None)


def _split(face: Face, body_height: float, body_width: float | None
           ) -> Generator[list[Snippet], list[Measured], list[Face]]:
    """The answer at the floor size, cut into as many faces as it needs.

    The answer is cut into its smallest pieces (sentences, list items, whole blocks), and
    each card takes as many as fit: where one render of the whole answer places them, or,
    when guessing is off, as runs of pieces measured exactly as each card will set them.
    """
    pieces = _fine_pieces(face.answer_html)
    if body_width is None:
        parts = yield from _split_by_runs(face, pieces, body_height)
    else:
        parts = yield from _split_by_places(face, pieces, body_height)
    return [replace(face, answer_html=Markup(join(part)), answer_pt=FLOOR_PT, split_index=k,
                    split_count=len(parts)) for k, part in enumerate(parts, 1)]


def _split_by_places(face: Face, pieces: list[Piece], body_height: float
                     ) -> Generator[list[Snippet], list[Measured], list[list[Piece]]]:
    """Parts found from one render of the whole answer, which tells where each piece lies.

    A card ends after the last piece that lies within a card's height of the first; when a
    card starts inside a paragraph, a line is kept spare, as its first line sets anew. Then
    the parts are measured as the cards will set them (a block cut between cards repeats its
    padding, a table its header): pieces of a part that is still too tall move on to the next.
    """
    while True:
        marked = Snippet("answer", Markup(join(pieces)), FLOOR_PT, pieces=tuple(pieces))
        places = (yield [marked])[0]
        heights = [bottom - top for top, bottom in places]
        if all(height <= body_height for height in heights):
            break
        pieces, _ = _cut_tall(face, pieces, heights, body_height)  # placed by the next render of them all
    line = FLOOR_PT * PT_MM * line_height("answer")
    ends, start = [], 0
    while start < len(pieces):
        mid_block = start > 0 and pieces[start].block == pieces[start - 1].block
        limit = places[start][0] + body_height - (line if mid_block else 0.0) - 0.25 * line
        end = start + 1
        while end < len(pieces) and places[end][1] <= limit:
            end += 1
        end = _not_after_leading(pieces, start, end)
        ends.append(end)
        start = end
    return (yield from _settled(pieces, places, ends, body_height))


def _settled(pieces: list[Piece], places: tuple[tuple[float, float], ...], ends: list[int],
             body_height: float) -> Generator[list[Snippet], list[Measured], list[list[Piece]]]:
    """The parts ending at ends, measured as set; from a part too tall, enough of its last
    pieces to make up the excess move on to the next part, which gives up as many more as they
    add to it, until every part fits."""
    while True:
        parts = [pieces[start:end] for start, end in zip([0, *ends], ends, strict=False)]
        heights = yield [Snippet("answer", Markup(join(part)), FLOOR_PT) for part in parts]
        moved: list[int] = []
        for height, start, end in zip(heights, [0, *ends], ends, strict=False):
            first = moved[-1] if moved else 0  # the pieces the part before gave up come first
            excess = height - body_height + sum(bottom - top for top, bottom in places[first:start])
            new_end = end
            while excess > 0 and new_end - 1 > first:
                new_end -= 1
                excess -= places[new_end][1] - places[new_end][0]
            moved.append(_not_after_leading(pieces, first, new_end))
        if moved == ends:
            return parts
        ends = sorted(set(moved) | {len(pieces)})


def _split_by_runs(face: Face, pieces: list[Piece], body_height: float
                   ) -> Generator[list[Snippet], list[Measured], list[list[Piece]]]:
    """Parts found by measuring runs of pieces exactly as each card will set them."""
    heights = yield _pieces(pieces)
    while any(h > body_height for h in heights):
        pieces, heights = yield from _cut_tall_pieces(face, pieces, heights, body_height)
    parts: list[list[Piece]] = []
    start = 0
    while start < len(pieces):
        end = _not_after_leading(pieces, start, (yield from _longest_fitting_run(pieces, heights, start,
                                                                                 body_height)))
        parts.append(pieces[start:end])
        start = end
    return parts


def _not_after_leading(pieces: list[Piece], start: int, end: int) -> int:
    """The end of a card's run of pieces from start, moved back past pieces that lead into the
    next (a heading, a code block's first line), so that they go on the card with what they lead to."""
    while start < end - 1 and end < len(pieces) and pieces[end - 1].leads:
        end -= 1
    return end


def _pieces(pieces: Sequence[Piece]) -> list[Snippet]:
    return [Snippet("answer", Markup(piece.html), FLOOR_PT) for piece in pieces]


def _longest_fitting_run(pieces: list[Piece], heights: list[float], start: int,
                         body_height: float) -> Generator[list[Snippet], list[float], int]:
    """The end of the longest run of pieces from start that fits one card (one piece at least).

    Runs are measured in batches: first those whose pieces, set apart, fill RUN_BUDGET cards;
    while the longest of a batch still fits, the next batch tries twice as many.
    """
    best, first, budget = start + 1, start + 1, RUN_BUDGET * body_height
    while first <= len(pieces):
        last, total = first, sum(heights[start:first])
        while last < len(pieces) and total + heights[last] <= budget:
            total += heights[last]
            last += 1
        ends = range(first, last + 1)
        runs = yield [Snippet("answer", Markup(join(pieces[start:end])), FLOOR_PT) for end in ends]
        fitting = [end for end, height in zip(ends, runs, strict=True) if height <= body_height]
        best = max([best, *fitting])
        if len(fitting) < len(ends) or last == len(pieces):
            return best
        first, budget = last + 1, 2 * budget
    return best


def _fine_pieces(html: str, every_block: bool = False) -> list[Piece]:
    """The blocks of html cut into their smallest pieces: the flowing ones (paragraphs and
    lists), or with every_block, also those cut only when too tall (code, tables)."""
    pieces = []
    for number, block in enumerate(top_level_blocks(html)):
        cut = split_block(block, number) if every_block or block.tag in FLOWING else None
        pieces.extend(cut or [whole(block, number)])
    return pieces


def _cut_tall_pieces(face: Face, pieces: list[Piece], heights: list[float], body_height: float
                     ) -> Generator[list[Snippet], list[float], tuple[list[Piece], list[float]]]:
    """Pieces too tall for a card cut smaller (and measured), the rest kept as they are."""
    new_pieces, pending = _cut_tall(face, pieces, heights, body_height)
    measured = iter((yield _pieces([new_pieces[i] for i in pending])))
    kept = iter(h for h in heights if h <= body_height)
    remeasured = set(pending)
    new_heights = [next(measured) if i in remeasured else next(kept) for i in range(len(new_pieces))]
    return new_pieces, new_heights


def _cut_tall(face: Face, pieces: list[Piece], heights: list[float], body_height: float
              ) -> tuple[list[Piece], list[int]]:
    """Pieces too tall for a card cut smaller, the rest kept as they are; and where the smaller ones are."""
    new_pieces: list[Piece] = []
    cut: list[int] = []
    for piece, height in zip(pieces, heights, strict=True):
        if height <= body_height:
            new_pieces.append(piece)
            continue
        smaller = _cut_or_fail(face, piece, "answer")
        cut.extend(range(len(new_pieces), len(new_pieces) + len(smaller)))
        new_pieces.extend(smaller)
    return new_pieces, cut


def _cut_or_fail(face: Face, piece: Piece, side: str) -> list[Piece]:
    """A piece too tall for a card cut smaller; a ContentError at the text when it cannot be."""
    blocks = top_level_blocks(piece.html)
    smaller = split_block(blocks[0], piece.block) if len(blocks) == 1 else None
    if smaller is None:
        text = face.card.question if side == "question" else face.card.flashcard_answer
        raise ContentError([Problem(text.position(),
                                    f"the {side} of card {face.label} has a block (code, table, formula or "
                                    f"image) too tall for a card even at {FLOOR_PT:g} pt; shorten it or "
                                    "choose a larger --card-size")])
    return smaller


class CardOverflowError(BuildError):
    """The final render set some text taller than its card: a guess was wrong."""


def check_fit(heights: dict[str, float], body_height: float) -> None:
    """Raise CardOverflowError if the final render set any text taller than its card's body."""
    if any(height > body_height + TOLERANCE_MM for height in heights.values()):
        raise CardOverflowError
