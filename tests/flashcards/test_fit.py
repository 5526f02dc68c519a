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


def lines_tall(snippets):
    """Heights of 4 mm a line of text or code, whatever its size; a snippet with pieces gets each
    piece's place, one under the other."""
    def lines(html: str) -> int:
        return max(1, html.count("\n") + html.count("<p>"))

    def height(snippet):
        if not snippet.pieces:
            return 4.0 * lines(snippet.html)
        places, top = [], 0.0
        for piece in snippet.pieces:
            places.append((top, top + 4.0 * lines(piece.html)))
            top = places[-1][1]
        return tuple(places)

    return [height(snippet) for snippet in snippets]


def test_a_code_block_too_tall_for_a_card_is_cut_and_placed_again_in_one_render():
    """The answer is rendered whole to place its pieces; the code block among them, taller than a
    card, is cut into lines, and the next render places them all: the lines are not first
    measured apart, which told nothing the next render does not."""
    code = "".join(f"line_{number} = {number}\n" for number in range(30))
    answer = Markup(f"<p>Before.</p><pre><code>{code}</code></pre><p>After.</p>")
    face = Face(SimpleNamespace(label_number="01"), None, Markup("<p>Q?</p>"), answer)
    renders = []

    def measure(snippets):
        renders.append(["placed" if snippet.pieces else "set" for snippet in snippets])
        return lines_tall(snippets)

    [fitting] = fit_each([face], 80.0, BODY_MM, measure)
    assert len(fitting.faces) == 3  # 32 lines of 4 mm on cards of 50 mm
    placed = [index for index, kinds in enumerate(renders) if "placed" in kinds]
    assert len(placed) == 2 and placed[1] == placed[0] + 1, renders


def test_pieces_a_card_gives_up_move_the_next_cards_ends_in_the_same_step():
    """Cards that start inside the code block repeat its padding, which the render of the whole
    answer did not place: each such card gives up a line, and the card after it, which takes that
    line, gives up one more in the same step, not in a render of its own."""
    code = "".join(f"line_{number} = {number}\n" for number in range(60))
    answer = Markup(f"<p>Before.</p><pre><code>{code}</code></pre>")
    face = Face(SimpleNamespace(label_number="01"), None, Markup("<p>Q?</p>"), answer)
    renders = []

    def measure(snippets):
        renders.append(["placed" if snippet.pieces else "set" for snippet in snippets])
        heights = lines_tall(snippets)
        return [height + 10.0 if not snippet.pieces and snippet.html.startswith("<pre") else height
                for snippet, height in zip(snippets, heights, strict=True)]

    [fitting] = fit_each([face], 80.0, BODY_MM, measure)
    assert len(fitting.faces) >= 5
    last_placed = max(index for index, kinds in enumerate(renders) if "placed" in kinds)
    assert len(renders) - last_placed - 1 == 2, renders  # the cards as set, then as they settled
