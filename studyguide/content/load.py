"""Load and validate a content folder into a Guide, reporting every problem at once."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Collector, Position, did_you_mean, display_path
from ..guard.limits import MAX_FIELD_CHARS, MAX_WORD_CHARS, long_word
from ..html import fonts
from . import cloze, labels
from .model import DIFFICULTIES, Card, Guide, Section
from .shortcodes import emojized
from .source import REFUSED_TAG, Composed, SourceFile, Text, compose, read_source

GUIDE_FILE = "guide.yaml"

_GUIDE_KEYS = {"title": True, "subtitle": False, "author": False, "language": False,
               "updated": False, "labels": False, "sections": True}
_PLAIN_TEXT = {"title", "subtitle", "author"}  # printed as written; the others are Markdown
_SECTION_KEYS = {"title": True, "intro": False, "cards": True}
_SECTION_FILE_KEYS = {"file": True}
_CARD_KEYS = {"id": False, "question": True, "answer": False, "card": False, "tags": False,
              "difficulty": False, "guid": False}  # answer: required unless the question is a cloze

_ID = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_FORMULA = re.compile(r"\$[^$]*\$")
_HASH_DIGITS = 10  # 40 bits: 20,000 questions without Latin letters share one in about 1 of 5,000 guides
_KINDS = {ScalarNode: "text", SequenceNode: "a list", MappingNode: "a mapping"}


def load_guide(content_dir: Path, problems: Collector, composed: Composed | None = None) -> Guide | None:
    """The guide in content_dir/guide.yaml, or None when it cannot be read at all; composed
    keeps the files as composed from one call to the next (source.compose)."""
    path = content_dir / GUIDE_FILE
    if not path.exists():
        problems.error(Position(path), f"no {GUIDE_FILE} in the content folder {content_dir}")
        return None
    if not path.resolve().is_relative_to(content_dir.resolve()):
        problems.error(Position(path), f"{GUIDE_FILE} is a link to a file outside the content folder; "
                       "content files must lie inside it")
        return None
    loaded = _load_file(path, problems, composed=composed)
    if loaded is None:
        return None
    fields = _Fields(*loaded, problems, _GUIDE_KEYS, "the guide")
    if not fields.valid:
        return None
    title = fields.text("title")
    language = _language(fields, problems)
    sections = _Sections(content_dir, problems, composed).read(fields)
    guide = Guide(
        title=emojized(title.value) if title else "",
        sections=sections,
        content_dir=content_dir,
        subtitle=_value(fields.text("subtitle")),
        author=_value(fields.text("author")),
        language=language,
        updated=_updated(fields, problems),
        labels=labels.labels_for(language, _label_overrides(fields, language)),
    )
    return guide


def _load_file(path: Path, problems: Collector, where: Position | None = None,
               composed: Composed | None = None) -> tuple[Node, SourceFile] | None:
    source = read_source(path, problems, where)
    if source is None:
        return None
    root = compose(source, problems, composed)
    return None if root is None else (root, source)


class _Fields:
    """The keys of one YAML mapping, checked against the keys it may have."""

    def __init__(self, node: Node, source: SourceFile, problems: Collector,
                 allowed: dict[str, bool], what: str):
        self.node, self.source, self.problems, self.what = node, source, problems, what
        self.values: dict[str, Node] = {}
        self.valid = isinstance(node, MappingNode)
        if not self.valid:
            problems.error(self.where(node),
                           f"{what} is {_kind(node)}; expected a mapping of keys to values")
            return
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name in allowed:
                self.values.setdefault(name, value)
            else:
                problems.error(self.where(key), _unknown_key(name, allowed, what))
        for name, required in allowed.items():
            if required and name not in self.values:
                problems.error(self.where(node), f"{what} has no '{name}'; it is required")

    def where(self, node: Node) -> Position:
        return self.source.mark_position(node.start_mark)

    def text(self, name: str) -> Text | None:
        node = self.values.get(name)
        if node is None or node.tag == REFUSED_TAG:
            return None
        if not isinstance(node, ScalarNode):
            self.problems.error(self.where(node), f"'{name}' is {_kind(node)}; expected text")
            return None
        if not node.value.strip():
            self.problems.error(self.where(node), f"'{name}' is empty; write some text or remove the key")
            return None
        if len(node.value) > MAX_FIELD_CHARS:
            self.problems.error(self.where(node), f"'{name}' is {len(node.value):,} characters long; "
                                f"the most a text may have is {MAX_FIELD_CHARS:,}: shorten it, or split "
                                "the card in two")
            return None
        if name in _PLAIN_TEXT and (word := long_word(node.value)):
            self.problems.error(self.where(node), f"'{name}' has a word of {len(word):,} characters "
                                f"('{word[:20]}…'); a word may have {MAX_WORD_CHARS:,}, more takes too long "
                                "to set: break it with spaces, or shorten it")
            return None
        return Text.of(node, self.source)

    def sequence(self, name: str, example: str, needs_items: str | None = None) -> list[Node]:
        """The items of a list; needs_items names what an empty list lacks, if it may not be empty."""
        node = self.values.get(name)
        if node is None:
            return []
        if not isinstance(node, SequenceNode):
            self.problems.error(self.where(node),
                                f"'{name}' is {_kind(node)}; expected a list like {example}")
            return []
        if needs_items and not node.value:
            self.problems.error(self.where(node), f"'{name}' is an empty list; {needs_items}")
        return node.value


class _Sections:
    """Reads the sections of a guide, inline or from their own files."""

    def __init__(self, content_dir: Path, problems: Collector, composed: Composed | None):
        self.content_dir = content_dir
        self.problems = problems
        self.composed = composed
        self.next_card = 1
        self.ids: dict[str, Position] = {}  # where each card id was given or derived
        self.questions: dict[str, str] = {}  # the question each derived id was derived from
        self.guids: dict[str, Position] = {}  # where each Anki note GUID was given

    def read(self, guide: _Fields) -> tuple[Section, ...]:
        nodes = guide.sequence("sections", "[- title: …, cards: […]]",
                               needs_items="a guide needs at least one section")
        sections = (self._section(node, guide.source, number) for number, node in enumerate(nodes, 1))
        return tuple(section for section in sections if section is not None)

    def _section(self, node: Node, source: SourceFile, number: int) -> Section | None:
        if isinstance(node, MappingNode) and any(k.value == "file" for k, _ in node.value):
            loaded = self._included(_Fields(node, source, self.problems, _SECTION_FILE_KEYS, "a section"))
            if loaded is None:
                return None
            node, source = loaded
        fields = _Fields(node, source, self.problems, _SECTION_KEYS, f"section {number}")
        if not fields.valid:
            return None
        title = fields.text("title")
        card_nodes = fields.sequence("cards", "[- question: …, answer: …]",
                                     needs_items="a section needs at least one card")
        cards = tuple(card for card in (self._card(node, source) for node in card_nodes) if card)
        return Section(number=number, title=emojized(title.value) if title else "", cards=cards,
                       intro=fields.text("intro"))

    def _included(self, fields: _Fields) -> tuple[Node, SourceFile] | None:
        name = fields.text("file")
        if name is None:
            return None
        path = (self.content_dir / name.value).resolve()
        if not path.is_relative_to(self.content_dir.resolve()):
            self.problems.error(name.position(),
                                f"section file '{name.value}' lies outside the content folder")
            return None
        if not path.exists():
            self.problems.error(name.position(), f"section file '{name.value}' does not exist")
            return None
        return _load_file(path, self.problems, name.position(), self.composed)

    def _card(self, node: Node, source: SourceFile) -> Card | None:
        fields = _Fields(node, source, self.problems, _CARD_KEYS, "a card")
        if not fields.valid:
            return None
        question, answer = fields.text("question"), fields.text("answer")
        card_id = fields.text("id")
        if card_id is not None and not _ID.match(card_id.value):
            self.problems.error(card_id.position(), f"id '{card_id.value}' is not a slug; "
                                "use lowercase letters, digits and hyphens, like kv-cache")
        deletions, short = self._cloze(question), fields.text("card")
        for text in (answer, short):
            opener = cloze.first_opener(text.value) if text else None
            if text and opener:
                self.problems.error(text.position(opener.start(), len(opener.group(0))),
                                    f"'{opener.group(0)}' in an answer; cloze deletions belong in the "
                                    "question, which then needs no answer")
        if "answer" not in fields.values and not (question and cloze.has_cloze(question.value)):
            self.problems.error(fields.where(node), "a card has no 'answer'; it is required "
                                "(only a question with cloze deletions like {{c1::…}} may go without)")
        if question is None or (answer is None and not deletions):
            return None
        number, self.next_card = self.next_card, self.next_card + 1
        return Card(
            number=number,
            id=self._unique_id(card_id, question),
            question=question,
            answer=answer or Text("", question.source, question.end, question.end),
            card=short,
            tags=self._tags(fields),
            difficulty=self._difficulty(fields),
            guid=self._guid(fields.text("guid")),
            cloze=deletions,
        )

    def _guid(self, guid: Text | None) -> str | None:
        """The card's Anki note GUID; two cards with one would be one note in Anki."""
        if guid is None:
            return None
        where = guid.position()
        first = self.guids.setdefault(guid.value, where)
        if first != where:
            self.problems.error(where, f"guid '{guid.value}' is already the card's at "
                                f"{_place(first, where)}; Anki would make them one note")
        return guid.value

    def _cloze(self, question: Text | None) -> tuple[cloze.Segment, ...]:
        """The question's cloze deletions, or () when it has none or they are malformed (reported)."""
        if question is None or not cloze.has_cloze(question.value):
            return ()
        try:
            return cloze.parse(question.value)
        except cloze.ClozeError as error:
            self.problems.error(question.position(error.offset, error.length), error.args[0])
            return ()

    def _unique_id(self, given: Text | None, question: Text) -> str:
        if given is not None:
            return self._claim(given.value, given.position())
        text = _normalized(question.value)
        card_id = derived_id(question.value)
        if card_id in self.ids:
            if self.questions.get(card_id) == text:
                self.problems.error(question.position(), "this card asks the same question as the card at "
                                    f"{_place(self.ids[card_id], question.position())}; remove one, "
                                    "or give one an 'id'")
                return card_id
            card_id = hashed_id(question.value)  # the same words as another's, in other case or punctuation
        self.questions[card_id] = text
        return self._claim(card_id, question.position())

    def _claim(self, card_id: str, where: Position) -> str:
        first = self.ids.setdefault(card_id, where)
        if first is not where:
            self.problems.error(where, f"card id '{card_id}' is already used by the card at "
                                f"{_place(first, where)}; give each card its own 'id'")
        return card_id

    def _tags(self, fields: _Fields) -> tuple[str, ...]:
        tags = []
        for item in fields.sequence("tags", "[inference, attention]"):
            if not isinstance(item, ScalarNode) or not item.value.strip() or "," in item.value:
                found = "empty" if isinstance(item, ScalarNode) and not item.value.strip() else \
                    "text with a comma" if isinstance(item, ScalarNode) else _kind(item)
                self.problems.error(fields.where(item),
                                    f"a tag is {found}; tags are short words like inference")
            else:
                tags.append(item.value.strip())
        return tuple(tags)

    def _difficulty(self, fields: _Fields) -> str | None:
        text = fields.text("difficulty")
        if text is None:
            return None
        value = text.value.strip().lower()
        if value not in DIFFICULTIES:
            self.problems.error(text.position(), f"difficulty '{text.value}' is not one of "
                                f"{', '.join(DIFFICULTIES)}{did_you_mean(value, DIFFICULTIES)}")
            return None
        return value


def slugify(text: str, max_length: int = 48) -> str:
    """Lowercase words joined by hyphens, formulas left out, as many as fit in max_length."""
    slug = ""
    for word in _slug_words(text):
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "card"


def derived_id(question: str) -> str:
    """The id of a card that has none, made from its question alone, so that it stays the same
    whatever other cards do: the question's slug when that holds every word of it, else the
    slug followed by a hash of the whole question (a long question, one with formulas, or
    one with words in a script other than Latin)."""
    slug = slugify(question)
    complete = (slug == "-".join(_slug_words(question)) and not _FORMULA.search(question)
                and all(_is_latin(c) for c in question if c.isalnum()))
    return slug if complete else hashed_id(question)


def hashed_id(question: str) -> str:
    digest = hashlib.sha256(_normalized(question).encode()).hexdigest()[:_HASH_DIGITS]
    return f"{slugify(question)}-{digest}"


def _slug_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _FORMULA.sub(" ", text.lower().replace("'", "")))


def _is_latin(character: str) -> bool:
    return character.isascii() or "LATIN" in unicodedata.name(character, "")


def _normalized(question: str) -> str:
    """The question as a reader sees it: line breaks in the YAML change nothing."""
    return " ".join(question.split())


def _place(first: Position, where: Position) -> str:
    return f"line {first.line}" if first.path == where.path else f"{display_path(first.path)}:{first.line}"


def _language(fields: _Fields, problems: Collector) -> str:
    text = fields.text("language")
    if text is None:
        return "en"
    if not _LANGUAGE.match(text.value):
        problems.error(text.position(), f"language '{text.value}' is not a language tag like en or en-GB")
    elif labels.catalog_for(text.value) is None:
        problems.warning(text.position(), f"language '{text.value}' has no catalog of labels, so the "
                         f"guide's labels are in English{did_you_mean(text.value, labels.catalogs())}; "
                         f"there are catalogs for {', '.join(labels.catalogs())}, and 'labels:' can "
                         "give any label in the guide's own words")
    elif missing := fonts.missing_characters(labels.labels_for(text.value).text):
        problems.warning(text.position(), f"the labels in language '{text.value}' use characters "
                         f"no installed font has, which print as {fonts.MISSING_GLYPH}"
                         f"{fonts.install_hint(missing)}")
    return text.value


def _label_overrides(fields: _Fields, language: str) -> dict[str, labels.Message]:
    """The labels the guide gives in its own words, each checked against the labels there are."""
    node = fields.values.get("labels")
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        fields.problems.error(fields.where(node), f"'labels' is {_kind(node)}; expected a mapping "
                              "of labels to texts, like {contents: Inhalt}")
        return {}
    overrides: dict[str, labels.Message] = {}
    names = labels.label_names()
    for key, value in node.value:
        name = key.value if isinstance(key, ScalarNode) else ""
        if name not in names:
            fields.problems.error(fields.where(key), f"unknown label '{name}'{did_you_mean(name, names)}; "
                                  f"the labels are {', '.join(names)}")
            continue
        message = _label_message(fields, name, value, language)
        if message is not None:
            overrides[name] = message
    return overrides


def _label_message(fields: _Fields, name: str, node: Node, language: str) -> labels.Message | None:
    """One label's text, or its plural forms merged over the catalog's."""
    if isinstance(node, MappingNode) and labels.is_plural(name):
        categories = labels.plural_categories(language)
        forms = dict(labels.labels_for(language).messages[name])
        for key, value in node.value:
            category = key.value if isinstance(key, ScalarNode) else ""
            if category not in categories:
                fields.problems.error(fields.where(key), f"'{category}' is not a plural form of "
                                      f"language '{language}'{did_you_mean(category, categories)}; "
                                      f"its forms are {', '.join(categories)}")
            elif (text := _label_text(fields, name, value)) is not None:
                forms[category] = text
        return forms
    if not isinstance(node, ScalarNode):
        expected = "text, or a mapping of plural forms" if labels.is_plural(name) else "text"
        fields.problems.error(fields.where(node), f"label '{name}' is {_kind(node)}; expected {expected}")
        return None
    text = _label_text(fields, name, node)
    return {"other": text} if text is not None and labels.is_plural(name) else text


def _label_text(fields: _Fields, name: str, node: Node) -> str | None:
    """The text of a label, if each {name} in it is one the label has."""
    if not isinstance(node, ScalarNode) or not node.value.strip():
        found = "empty" if isinstance(node, ScalarNode) else _kind(node)
        fields.problems.error(fields.where(node), f"label '{name}' is {found}; expected text")
        return None
    text, allowed = Text.of(node, fields.source), labels.placeholders(name)
    try:
        used = labels.field_names((node.value,))
    except ValueError as error:
        fields.problems.error(text.position(), f"label '{name}': {error}; it has {_names(allowed)}, "
                              "and a brace is written {{ or }}")
        return None
    unknown = [used_name for used_name in used if used_name not in allowed]
    if unknown:
        fields.problems.error(text.position(node.value.find("{" + unknown[0]), len(unknown[0]) + 2),
                              f"label '{name}' has no value {{{unknown[0]}}}"
                              f"{did_you_mean(unknown[0], allowed)}; it has {_names(allowed)}")
        return None
    return node.value


def _names(names: frozenset[str]) -> str:
    return ", ".join(f"{{{name}}}" for name in sorted(names)) or "no values"


def _updated(fields: _Fields, problems: Collector) -> date | None:
    text = fields.text("updated")
    if text is None:
        return None
    try:
        return date.fromisoformat(text.value.strip())
    except ValueError:
        problems.error(text.position(), f"updated '{text.value}' is not a date like 2026-11-28")
        return None


def _value(text: Text | None) -> str | None:
    return text.value if text else None


def _kind(node: Node) -> str:
    return _KINDS.get(type(node), "something else")


def _unknown_key(name: str | None, allowed: dict[str, bool], what: str) -> str:
    if name is None:
        return f"{what} has a key that is not text"
    expected = ", ".join(allowed)
    return f"unknown key '{name}' in {what}{did_you_mean(name, allowed)}; expected one of {expected}"

