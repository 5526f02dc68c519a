"""Making every card's text fit its card: measure once, then re-set only what overflowed.

A text that is too tall is set smaller, half a point at a time, down to a readable
floor. An answer still too tall at the floor goes on as many cards as it needs, cut
between blocks, sentences or list items. Nothing is ever clipped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from markupsafe import Markup

from .blocks import Piece, join, split_block, top_level_blocks, whole
from .cards import ANSWER_PT, FLOOR_PT, QUESTION_PT, Face
from .diagnostics import BuildError

STEP_PT = 0.5
TOLERANCE_MM = 0.2


@dataclass(frozen=True)
class Snippet:
    """Text to measure: a question or an answer (part), at a size, in the body's width."""

    kind: str  # question or answer
    html: Markup
    size_pt: float


Measure = Callable[[Sequence[Snippet]], list[float]]  # heights in mm, in the same order


@dataclass(frozen=True)
class Fitted:
    faces: tuple[Face, ...]
    shrunk: tuple[Face, ...]  # first faces of cards set below the default sizes
    split: tuple[Face, ...]  # first faces of cards that went on to more cards


def fit(faces: Sequence[Face], body_height: float, measure: Measure) -> Fitted:
    """Faces that fit a body of body_height mm, measuring only what needs measuring."""
    heights = measure([_question(f, QUESTION_PT) for f in faces] + [_answer(f, ANSWER_PT) for f in faces])
    question_heights, answer_heights = heights[:len(faces)], heights[len(faces):]
    tall_questions = [i for i, h in enumerate(question_heights) if h > body_height]
    tall_answers = [i for i, h in enumerate(answer_heights) if h > body_height]
    question_sizes = _smaller_sizes(faces, tall_questions, body_height, measure, _question)
    answer_sizes = _smaller_sizes(faces, tall_answers, body_height, measure, _answer)
    for index in tall_questions:
        if index not in question_sizes:
            raise BuildError(f"the question of card {faces[index].label} is too long for a card even at "
                             f"{FLOOR_PT:g} pt; shorten it or choose a larger --card-size")

    fitted, shrunk, split = [], [], []
    for index, face in enumerate(faces):
        face = replace(face, question_pt=question_sizes.get(index, QUESTION_PT),
                       answer_pt=answer_sizes.get(index, ANSWER_PT))
        if index in tall_answers and index not in answer_sizes:
            parts = _split(face, body_height, measure)
            fitted.extend(parts)
            split.append(parts[0])
        else:
            fitted.append(face)
            if index in question_sizes or index in answer_sizes:
                shrunk.append(face)
    return Fitted(tuple(fitted), tuple(shrunk), tuple(split))


def _question(face: Face, size: float) -> Snippet:
    return Snippet("question", face.card.question_html, size)


def _answer(face: Face, size: float) -> Snippet:
    return Snippet("answer", face.answer_html, size)


def _smaller_sizes(faces: Sequence[Face], tall: list[int], body_height: float, measure: Measure,
                   snippet: Callable[[Face, float], Snippet]) -> dict[int, float]:
    """The largest size at which each tall text fits, for those that fit at the floor."""
    if not tall:
        return {}
    start = QUESTION_PT if snippet is _question else ANSWER_PT
    sizes = [start - STEP_PT * k for k in range(1, int((start - FLOOR_PT) / STEP_PT) + 1)]
    heights = measure([snippet(faces[i], size) for i in tall for size in sizes])
    chosen = {}
    for n, index in enumerate(tall):
        for size, height in zip(sizes, heights[n * len(sizes):(n + 1) * len(sizes)], strict=True):
            if height <= body_height:
                chosen[index] = size
                break
    return chosen


def _split(face: Face, body_height: float, measure: Measure) -> list[Face]:
    """The answer at the floor size, cut into as many faces as it needs.

    The answer is cut into its smallest pieces (sentences, list items, whole blocks), then
    each card takes the longest run of pieces that fits, measured as it will be set.
    """
    pieces = _fine_pieces(face.answer_html)
    heights = _measure_pieces(pieces, measure)
    while any(h > body_height for h in heights):
        pieces, heights = _cut_tall_pieces(face, pieces, heights, body_height, measure)
    parts: list[list[Piece]] = []
    start = 0
    while start < len(pieces):
        end = _longest_fitting_run(pieces, heights, start, body_height, measure)
        parts.append(pieces[start:end])
        start = end
    return [replace(face, answer_html=Markup(join(part)), answer_pt=FLOOR_PT, part=k, parts=len(parts))
            for k, part in enumerate(parts, 1)]


def _longest_fitting_run(pieces: list[Piece], heights: list[float], start: int, body_height: float,
                         measure: Measure) -> int:
    """The end of the longest run of pieces from start that fits one card (one piece at least).

    Runs are measured in batches: first those whose pieces, measured apart, fill two cards;
    while the longest of a batch still fits, the next batch tries twice as many.
    """
    best, first, budget = start + 1, start + 1, 2 * body_height
    while first <= len(pieces):
        last, total = first, sum(heights[start:first])
        while last < len(pieces) and total + heights[last] <= budget:
            total += heights[last]
            last += 1
        ends = range(first, last + 1)
        runs = measure([Snippet("answer", Markup(join(pieces[start:end])), FLOOR_PT) for end in ends])
        fitting = [end for end, height in zip(ends, runs, strict=True) if height <= body_height]
        best = max([best, *fitting])
        if len(fitting) < len(ends) or last == len(pieces):
            return best
        first, budget = last + 1, 2 * budget
    return best


def _fine_pieces(answer_html: str) -> list[Piece]:
    pieces = []
    for number, block in enumerate(top_level_blocks(answer_html)):
        pieces.extend(split_block(block, number) or [whole(block, number)])
    return pieces


def _measure_pieces(pieces: list[Piece], measure: Measure) -> list[float]:
    return measure([Snippet("answer", Markup(p.html), FLOOR_PT) for p in pieces])


def _cut_tall_pieces(face: Face, pieces: list[Piece], heights: list[float], body_height: float,
                     measure: Measure) -> tuple[list[Piece], list[float]]:
    """Pieces too tall for a card cut smaller (and measured), the rest kept as they are."""
    new_pieces: list[Piece] = []
    pending: list[int] = []
    for piece, height in zip(pieces, heights, strict=True):
        if height <= body_height:
            new_pieces.append(piece)
            continue
        smaller = _cut(piece)
        if smaller is None:
            raise BuildError(f"card {face.label} has a block (code, table, formula or image) too tall "
                             f"for a card even at {FLOOR_PT:g} pt; shorten it or choose a larger "
                             "--card-size")
        pending.extend(range(len(new_pieces), len(new_pieces) + len(smaller)))
        new_pieces.extend(smaller)
    measured = iter(_measure_pieces([new_pieces[i] for i in pending], measure))
    kept = iter(h for h in heights if h <= body_height)
    remeasured = set(pending)
    new_heights = [next(measured) if i in remeasured else next(kept) for i in range(len(new_pieces))]
    return new_pieces, new_heights



def _cut(piece: Piece) -> list[Piece] | None:
    blocks = top_level_blocks(piece.html)
    if len(blocks) != 1:
        return None
    return split_block(blocks[0], piece.block)


def check_fit(heights: dict[str, float], body_height: float, labels: dict[str, str]) -> None:
    """Raise if the final render set any text taller than its card's body (a safety net)."""
    over = [labels[key] for key, height in heights.items() if height > body_height + TOLERANCE_MM]
    if over:
        raise BuildError(f"cards {', '.join(sorted(set(over)))} overflowed after fitting; "
                         "please report this with the content that caused it")
