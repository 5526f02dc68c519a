"""Fitting a card's question: when its size is predicted too small to fit, it is still measured
whole at the floor size before any of it goes over to the back."""

from __future__ import annotations

from types import SimpleNamespace

from markupsafe import Markup

from studyguide.flashcards.faces import FLOOR_PT, Face
from studyguide.flashcards.fit import fit_each

BODY_MM = 50.0


def quadratic(snippets):
    """Heights as prose grows with its size (as its square), whatever the text holds."""
    def height(snippet):
        scale = 2.1 * BODY_MM / 12**2 if snippet.kind == "question" else 0.1
        total = scale * snippet.size_pt**2
        if not snippet.pieces:
            return total
        step = total / len(snippet.pieces)
        return tuple((k * step, (k + 1) * step) for k in range(len(snippet.pieces)))

    return [height(snippet) for snippet in snippets]


def test_a_question_predicted_too_tall_that_fits_at_the_floor_stays_whole_on_its_front():
    question = Markup("<p>Which?</p><pre><code>a\nb\nc\n</code></pre>")  # code: predicted to shrink slowly
    face = Face(SimpleNamespace(label_number="01"), None, question, Markup("<p>A.</p>"))
    [fitting] = fit_each([face], 80.0, BODY_MM, quadratic, guess=False)
    [fitted] = fitting.faces
    assert fitted.question_html == question and not fitted.question_continues
    assert fitted.question_pt == FLOOR_PT and fitted.answer_html == "<p>A.</p>"


def split_code(lines: int, after: str, padding_mm: float) -> tuple[int, list[list[str]]]:
    """How many cards an answer of a paragraph, code of this many lines and after (HTML) takes,
    and what each render measured ("placed": pieces, "set": as a card sets it), when a line of
    text or code is 4 mm tall and a card that starts inside the code block repeats padding_mm
    of its padding, which the render of the whole answer places nowhere."""
    code = "".join(f"line_{number} = {number}\n" for number in range(lines))
    answer = Markup(f"<p>Before.</p><pre><code>{code}</code></pre>{after}")
    face = Face(SimpleNamespace(label_number="01"), None, Markup("<p>Q?</p>"), answer)
    renders = []

    def height(snippet):
        if not snippet.pieces:
            return 4.0 * _lines(snippet.html) + (padding_mm if snippet.html.startswith("<pre") else 0.0)
        places, top = [], 0.0
        for piece in snippet.pieces:
            places.append((top, top + 4.0 * _lines(piece.html)))
            top = places[-1][1]
        return tuple(places)

    def measure(snippets):
        renders.append(["placed" if snippet.pieces else "set" for snippet in snippets])
        return [height(snippet) for snippet in snippets]

    [fitting] = fit_each([face], 80.0, BODY_MM, measure)
    return len(fitting.faces), renders


def _lines(html: str) -> int:
    return max(1, html.count("\n") + html.count("<p>"))


def test_a_code_block_too_tall_for_a_card_is_cut_and_placed_again_in_one_render():
    """The answer is rendered whole to place its pieces; the code block among them, taller than a
    card, is cut into lines, and the next render places them all: the lines are not first
    measured apart, which told nothing the next render does not."""
    cards, renders = split_code(30, "<p>After.</p>", padding_mm=0.0)
    assert cards == 3  # 32 lines of 4 mm on cards of 50 mm
    placed = [index for index, kinds in enumerate(renders) if "placed" in kinds]
    assert len(placed) == 2 and placed[1] == placed[0] + 1, renders


def test_pieces_a_card_gives_up_move_the_next_cards_ends_in_the_same_step():
    """Cards that start inside the code block repeat its padding, which the render of the whole
    answer did not place: each such card gives up a line, and the card after it, which takes that
    line, gives up one more in the same step, not in a render of its own."""
    cards, renders = split_code(60, "", padding_mm=10.0)
    assert cards >= 5
    last_placed = max(index for index, kinds in enumerate(renders) if "placed" in kinds)
    assert len(renders) - last_placed - 1 == 2, renders  # the cards as set, then as they settled
