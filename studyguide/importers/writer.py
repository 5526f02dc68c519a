"""A Draft written out as a content folder: guide.yaml, a file per section when the guide is
large, and the images. Every card gets an id; where each card was written is remembered, so
that a problem the check finds can be traced back to the card that caused it."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content import cloze
from ..content.load import GUIDE_FILE, derived_id, slugify
from ..guard.files import write_atomic
from ..guard.limits import MAX_YAML_BYTES
from .draft import Draft, DraftCard, DraftSection
from .language import language_of

INLINE_BYTES = 128 * 1024  # a guide.yaml larger than this is split into a file per section
_SECTION_BYTES = MAX_YAML_BYTES * 3 // 4  # a section larger than this goes on in a file of its own


@dataclass(frozen=True)
class Placed:
    """Where a card, or a section's intro, was written: lines first to last, counted from 1."""

    path: Path
    first: int
    last: int
    card: DraftCard | DraftSection


def write_content(draft: Draft, folder: Path, source: str) -> list[Placed]:
    """Write the folder's guide.yaml, section files and images; where each card stands."""
    ids = _ids(draft)
    sections: list[tuple[DraftSection, list[tuple[str, DraftCard]]]]
    sections = [(section, [(_card_yaml(c, ids[id(c)]), c) for c in section.cards])
                for section in draft.sections]
    total = sum(len(text) for _, cards in sections for text, _ in cards)
    language = language_of([draft.title, *(text for section in draft.sections for card in section.cards
                                          for text in (card.question, card.answer))])
    head = f"# Imported from {source} by studyguide: {draft.cards} cards.\n" + _yaml(
        {"title": draft.title, **({"language": language} if language else {})})
    placed: list[Placed] = []
    if total <= INLINE_BYTES:
        path = folder / GUIDE_FILE
        text = head + "sections:\n"
        for section, cards in sections:
            text = _place(text, [(_yaml([_head(section.title, section.intro)]), section)], path, placed, 2)
            text = _place(text + "    cards:\n", cards, path, placed, indent=4)
        files = {path: text}
    else:
        files, names = {}, []
        for number, (title, section, cards) in enumerate(_parts(sections), 1):
            name = f"sections/{number:03d}-{slugify(title, 40)}.yaml"
            path = folder / name
            text = _place("", [(_yaml(_head(title, section and section.intro)), section)], path, placed, 0) \
                if section else _yaml(_head(title, None))
            files[path] = _place(text + "cards:\n", cards, path, placed, indent=0)
            names.append(name)
        files[folder / GUIDE_FILE] = head + _yaml({"sections": [{"file": name} for name in names]})
    for path, text in files.items():
        write_atomic(path, text.encode("utf-8"))
    for name, data in draft.images.items():
        write_atomic(folder / name, data)
    return placed


def _head(title: str, intro: str | None) -> dict[str, str]:
    return {"title": title, **({"intro": intro} if intro else {})}


def _place(text: str, items: list[tuple[str, DraftCard]] | list[tuple[str, DraftSection]], path: Path,
           placed: list[Placed], indent: int) -> str:
    """text with each item's YAML added, indented; where each stands is added to placed."""
    for item_text, item in items:
        first = text.count("\n") + 1
        text += _indent(item_text, indent)
        placed.append(Placed(path, first, text.count("\n"), item))
    return text


def _parts(sections: list[tuple[DraftSection, list[tuple[str, DraftCard]]]]):
    """Each section in parts of at most _SECTION_BYTES: ('Title', section, cards), ('Title (2)', None, …)"""
    for section, cards in sections:
        parts: list[list[tuple[str, DraftCard]]] = [[]]
        size = 0
        for card in cards:
            if parts[-1] and size + len(card[0]) > _SECTION_BYTES:
                parts.append([])
                size = 0
            parts[-1].append(card)
            size += len(card[0])
        for number, part in enumerate(parts, 1):
            yield (section.title, section, part) if number == 1 else \
                (f"{section.title} ({number})", None, part)


def _ids(draft: Draft) -> dict[int, str]:
    """A unique id for every card: its own if it has one, else made from its question as the
    loader would make it, so that editing the question later keeps the card's id."""
    used: set[str] = set()
    ids = {}
    for section in draft.sections:
        for card in section.cards:
            base = card.id or derived_id(_plain_question(card.question))
            card_id, number = base, 2
            while card_id in used:
                card_id, number = f"{base}-{number}", number + 1
            used.add(card_id)
            ids[id(card)] = card_id
    return ids


def _plain_question(question: str) -> str:
    """The question's words, without cloze syntax or HTML tags, to make its id from."""
    with contextlib.suppress(cloze.ClozeError):  # the check reports it, at its place
        question = cloze.filled(cloze.parse(question)) if cloze.has_cloze(question) else question
    return re.sub(r"<[^>]*>", " ", question)


def _card_yaml(card: DraftCard, card_id: str) -> str:
    data: dict[str, object] = {"id": card_id, "question": card.question}
    if card.answer:
        data["answer"] = card.answer
    if card.tags:
        data["tags"] = list(card.tags)
    if card.difficulty:
        data["difficulty"] = card.difficulty
    if card.guid:
        data["guid"] = card.guid
    return _yaml([data])


def _indent(text: str, by: int = 2) -> str:
    return "".join(" " * by + line if line.strip() else line for line in text.splitlines(keepends=True))


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


def _list(dumper: yaml.SafeDumper, value: list) -> yaml.SequenceNode:
    """Tags in a line of their own, [like, this]; sections and cards as blocks."""
    flow = all(isinstance(item, str) for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


_Dumper.add_representer(str, _text)
_Dumper.add_representer(list, _list)


def _yaml(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
