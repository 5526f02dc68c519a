"""What a card's front shows: the question, or on a card that continues its answer, a reminder."""

from __future__ import annotations

from types import SimpleNamespace

from markupsafe import Markup

from studyguide.flashcards.faces import REMINDER_CHARACTERS, Face


def face(label: str, lead: str, split_index: int) -> Face:
    card = SimpleNamespace(label=label, question_html=Markup(lead))
    return Face(card, None, Markup(f"<p>{lead}</p><pre>code</pre>"), Markup("answer"),
                split_index=split_index, split_count=2)


def test_the_first_card_shows_the_question_with_its_blocks():
    assert face("Why?", "Why?", 1).front_html == "<p>Why?</p><pre>code</pre>"


def test_a_continuation_repeats_a_short_lead_alone():
    assert face("Why <b>this</b>?", "Why <b>this</b>?", 2).front_html == "Why <b>this</b>?"


def test_a_continuation_cuts_a_long_question_at_a_word():
    words = "word " * 60
    shown = face(words, words, 2).front_html
    assert shown.endswith("word…") and len(shown) <= REMINDER_CHARACTERS + 1


def test_a_continuation_leaves_out_images_and_displayed_formulas():
    shown = face("See a & b", 'See <img src="a.png"> a &amp; b', 2).front_html
    assert shown == "See a &amp; b"
