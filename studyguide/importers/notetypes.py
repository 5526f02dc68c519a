"""Which fields of an Anki note are its question and which its answer, read from its note type.

A Basic-like note type shows some fields on the front of its first card and more on the
back: those become question and answer, whatever the fields are called (Basic, Basic and
reversed, optional reversed, type in the answer, a language deck's own fields). Our own
note types are known by name. A Cloze note
type's `{{cloze:Field}}` is the question, and what its back adds is the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..exports.anki import CLOZE_FIELDS, CLOZE_NOTE_TYPE, FIELDS, NOTE_TYPE
from .collection import NoteType

_REFERENCE = re.compile(r"\{\{([^{}]*)\}\}")
# An element the front hides with its style holds what the back reveals: answer, not question.
_HIDDEN = re.compile(r"<(\w+)\b[^>]*\bstyle=[\"'][^\"']*(?:visibility:\s*hidden|display:\s*none)[^>]*>"
                     r".*?</\1>", re.I | re.S)
_SPECIAL = {"FrontSide", "Tags", "Deck", "Subdeck", "Card", "CardFlag", "Type", "CardID"}


@dataclass(frozen=True)
class Roles:
    question: tuple[int, ...]  # indexes of the note's fields
    answer: tuple[int, ...]
    cloze: bool


# Our own flashcards.apkg shows its Section and Number on the front too: they are the deck and the order.
_OURS = {(NOTE_TYPE, FIELDS): Roles((0,), (1,), cloze=False),
         (CLOZE_NOTE_TYPE, CLOZE_FIELDS): Roles((0,), (1,), cloze=True)}


def roles(note_type: NoteType) -> Roles | None:
    """Where the note type's question and answer are, or None when it has no front we can read
    (an image occlusion, a note type without templates)."""
    if not note_type.templates:
        return None
    ours = _OURS.get((note_type.name, note_type.fields))
    if ours:
        return ours
    front, back = note_type.templates[0]
    shown_front, shown_back = _shown(_HIDDEN.sub("", front), note_type), _shown(back, note_type)
    if note_type.cloze:
        cloze = [index for kind, index in shown_front if kind == "cloze"]
        if len(cloze) != 1 or "image-occlusion" in front.lower():
            return None
        extra = tuple(dict.fromkeys(i for kind, i in shown_back if kind != "cloze" and i != cloze[0]))
        return Roles((cloze[0],), extra, cloze=True)
    # Typing the answer or a hint on the front shows the field only on demand: it is answer.
    question = tuple(dict.fromkeys(index for kind, index in shown_front if kind not in ("type", "hint")))
    answer = tuple(dict.fromkeys(index for _, index in shown_back if index not in question))
    return Roles(question, answer, cloze=False) if question else None


def _shown(template: str, note_type: NoteType) -> list[tuple[str, int]]:
    """The fields a template shows, in order, each with its filter (cloze, type, text, …)."""
    shown = []
    for reference in _REFERENCE.findall(template):
        reference = reference.strip()
        if reference[:1] in "#^/!":  # conditions and comments show nothing themselves
            continue
        *filters, name = reference.split(":")
        name = name.strip()
        if name in _SPECIAL or name not in note_type.fields:
            continue
        shown.append((filters[0].strip() if filters else "", note_type.fields.index(name)))
    return shown
