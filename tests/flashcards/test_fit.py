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
