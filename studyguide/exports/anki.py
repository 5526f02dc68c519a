"""flashcards.apkg: the cards as an Anki package that updates in place when imported again.

One note per card, in a sub-deck per section under the guide's deck; a card
with cloze deletions is a note of a Cloze note type, from which Anki makes a
card per cloze number. Anki recognises a note it has by its GUID and a note
type by its id and the names of its fields and templates, so all of these
derive from names that stay put: the GUID from the guide's title and the
card's id (or the card's own `guid`, kept from a deck it was imported from),
the deck ids from titles, the note type from constants here. Rename a field
or a template and Anki makes a new note type and stops updating the old notes.

Anki updates a note it has only when the imported one is newer, so every time
in the package is the last modification of the files the cards come from: an
edit makes it newer, and an unchanged content folder gives the same bytes.
Math stays LaTeX between Anki's MathJax delimiters; code carries its colours
in inline styles, on a dark block that reads the same in day and night mode.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import re
import sqlite3
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

import genanki
from pygments.formatters import HtmlFormatter
from pygments.styles import get_style_by_name
from pygments.token import Token

from ..content.load import GUIDE_FILE, slugify
from ..content.model import Card, Guide, Section
from ..guard.files import read_limited, url_path
from ..guard.limits import MAX_IMAGE_BYTES
from ..markup.rendered import Formula, Sanitized

NOTE_TYPE = "Study guide card"
FIELDS = ("Question", "Answer", "Section", "Number")
_TEMPLATE = {
    "name": "Card",
    "qfmt": '<div class="meta">{{Section}} · {{Number}}</div>\n<div class="question">{{Question}}</div>',
    "afmt": '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>',
}
# Cards with cloze deletions: Anki's own Cloze kind of note type makes a card per cloze number.
CLOZE_NOTE_TYPE = "Study guide cloze"
CLOZE_FIELDS = ("Text", "Extra", "Section", "Number")
_CLOZE_TEMPLATE = {
    "name": "Cloze",
    "qfmt": '<div class="meta">{{Section}} · {{Number}}</div>\n<div class="question">{{cloze:Text}}</div>',
    "afmt": '<div class="meta">{{Section}} · {{Number}}</div>\n<div class="question">{{cloze:Text}}</div>\n'
            '<hr id="answer">\n<div class="answer">{{Extra}}</div>',
}
_CSS = """\
/* Card */
.card { font-family: "Source Serif 4", Georgia, serif; font-size: 20px; line-height: 1.45;
        text-align: left; color: #1d1f23; background: #fdfdfb; }
.card.nightMode, .card.night_mode { color: #e6e4e0; background: #1f2023; }
.meta { font-family: "Source Sans 3", sans-serif; font-size: 0.7em; color: #6a6d73; }
.nightMode .meta, .night_mode .meta { color: #a3a6ab; }
.question { font-weight: 600; }
.cloze { color: #24508a; }
.nightMode .cloze, .night_mode .cloze { color: #8fb5ea; }
/* Answers */
code { font-family: "Source Code Pro", Menlo, Consolas, monospace; font-size: 0.88em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #8888; padding: 0.2em 0.5em; }
img { max-width: 100%; }
"""
_CODE_STYLE = "github-dark"
_ID_RANGE = 1 << 30  # ids in [2^30, 2^31), as genanki advises


def to_apkg(guide: Guide) -> bytes:
    note_type = genanki.Model(_id("note type", NOTE_TYPE), NOTE_TYPE, fields=[{"name": f} for f in FIELDS],
                              templates=[dict(_TEMPLATE)], css=_CSS)
    cloze_type = genanki.Model(_id("note type", CLOZE_NOTE_TYPE), CLOZE_NOTE_TYPE,
                               fields=[{"name": f} for f in CLOZE_FIELDS], templates=[dict(_CLOZE_TEMPLATE)],
                               css=_CSS, model_type=genanki.Model.CLOZE)
    media = _Media(guide.content_dir)
    title = _deck_name(guide.title)
    decks = [genanki.Deck(_id("deck", guide.title), title, description=html.escape(guide.subtitle or ""))]
    for section in guide.sections:
        deck = genanki.Deck(_id("deck", guide.title, section.title), f"{title}::{_deck_name(section.title)}")
        for card in section.cards:
            question = _html(card.question_markup.inline(), media)
            answer = _html(card.flashcard_markup, media)
            deck.add_note(genanki.Note(
                model=cloze_type if card.cloze else note_type,
                fields=[question, answer, html.escape(section.title), str(card.number)],
                tags=_tags(card, section), guid=card.guid or genanki.guid_for(guide.title, card.id),
                due=card.number))
        decks.append(deck)
    return _packed(decks, media, _last_edit(guide, media))


def _id(*names: str) -> int:
    digest = hashlib.sha256("\x1f".join(names).encode("utf-8")).digest()
    return _ID_RANGE + int.from_bytes(digest[:8], "big") % _ID_RANGE


def _deck_name(title: str) -> str:
    """A title as one level of deck name: '::' would nest decks."""
    return title.replace("::", ":").strip()


def _tags(card: Card, section: Section) -> list[str]:
    tags = [*card.tags, f"section::{section.title.replace('::', ':')}"]
    if card.difficulty:
        tags.append(f"difficulty::{card.difficulty}")
    return [_anki_tag(tag) for tag in tags]


def _anki_tag(tag: str) -> str:
    """A tag as Anki keeps it: no blanks (they separate tags), quotes or control characters."""
    tag = re.sub(r'["\x00-\x1f\x7f]', "", unicodedata.normalize("NFC", tag))
    return re.sub(r"\s+", "_", tag.strip())


def _html(sanitized: Sanitized, media: _Media) -> str:
    return _inline_highlighting(media.linked(sanitized.fill(_mathjax)))


def _mathjax(formula: Formula) -> str:
    delimited = rf"\[{formula.latex}\]" if formula.display else rf"\({formula.latex}\)"
    return html.escape(delimited, quote=False)


def _inline_highlighting(card_html: str) -> str:
    """Pygments' classes as inline styles, so highlighting needs no style sheet of its own."""
    block = f'<div class="codehilite" style="{_code_block_style()}"><pre style="margin:0">'
    card_html = card_html.replace('<div class="codehilite"><pre>', block)
    styles = _token_styles()
    return re.sub(r'<span class="([^"]*)">',
                  lambda m: f'<span style="{styles[m.group(1)]}">' if m.group(1) in styles else "<span>",
                  card_html)


@cache
def _token_styles() -> dict[str, str]:
    classes = HtmlFormatter(style=_CODE_STYLE).class2style
    return {name: css.replace(": ", ":").replace("; ", ";") for name, (css, _, _) in classes.items() if css}


@cache
def _code_block_style() -> str:
    style = get_style_by_name(_CODE_STYLE)
    return (f"background:{style.background_color};color:#{style.style_for_token(Token.Text)['color']};"
            "padding:0.6em 0.8em;border-radius:6px;overflow-x:auto;line-height:1.35")


class _Media:
    """The images the cards show, named for Anki's one flat media folder by their content."""

    def __init__(self, content_dir: Path):
        self.content_dir = content_dir.resolve()
        self.files: dict[str, bytes] = {}
        self.paths: set[Path] = set()

    def linked(self, card_html: str) -> str:
        """The HTML with each image pointing at its media file, which joins the package."""
        return re.sub(r'(<img[^>]*\ssrc=")([^"]*)"',
                      lambda m: f'{m.group(1)}{html.escape(self._add(html.unescape(m.group(2))))}"',
                      card_html)

    def _add(self, src: str) -> str:
        path = url_path(self.content_dir, src)  # markup checked that it is an image in the folder
        data = read_limited(path, MAX_IMAGE_BYTES)  # and reads it again only as safely
        name = f"{slugify(path.stem)}-{hashlib.sha256(data).hexdigest()[:12]}{path.suffix.lower()}"
        self.files[name] = data
        self.paths.add(path)
        return name


def _last_edit(guide: Guide, media: _Media) -> int:
    """When the newest of the files the cards come from was last changed, in Unix seconds."""
    sources = {text.source.path for card in guide.cards
               for text in (card.question, card.answer, card.card) if text is not None}
    files = {guide.content_dir / GUIDE_FILE, *sources, *media.paths}
    return max(int(path.stat().st_mtime) for path in files)


def _packed(decks: list[genanki.Deck], media: _Media, timestamp: int) -> bytes:
    """The .apkg: a zip of the SQLite collection, the media index and the media files, all dated alike."""
    connection = sqlite3.connect(":memory:")
    try:
        # genanki numbers notes and cards on from the time, in milliseconds.
        genanki.Package(decks).write_to_db(connection.cursor(), timestamp, itertools.count(timestamp * 1000))
        connection.commit()
        collection = connection.serialize()
    except sqlite3.Error as error:  # SQLite may spill to a temporary file, which can fail
        raise OSError(f"the Anki collection could not be made: {error}") from error
    finally:
        connection.close()
    names = list(media.files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        entries = {"collection.anki2": collection, "media": json.dumps(dict(enumerate(names))).encode(),
                   **{str(index): media.files[name] for index, name in enumerate(names)}}
        for entry, data in entries.items():
            info = zipfile.ZipInfo(entry)  # dated 1980-01-01, whenever it is built
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
