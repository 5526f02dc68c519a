"""Markdown and math in card text, turned into sanitized HTML.

Math is cut out before Markdown can touch it (so `$a_i * b_j$` keeps its
underscores and stars) and put back after the sanitizer has run: as SVG here,
for print; the exporters put it back as LaTeX source. Everything else the
author wrote passes an allow-list: formatting survives, scripts, styles,
frames and foreign links do not.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor
from markupsafe import Markup
from pygments.token import STANDARD_TYPES

from . import fonts, tex
from .diagnostics import Collector
from .model import Card, Guide
from .source import Text

_SLOT = "\ue000{}\ue001"
_SLOT_PATTERN = re.compile("(\\s?)\ue000(\\d+)\ue001")
_STRAY_SLOT_CHARS = re.compile("[\ue000\ue001]")
# $$display$$ or $inline$: an opening $ is followed by a non-space, a closing $ follows
# a non-space and is not followed by a digit (so "$5 and $10" stays text).
_MATH = r"(?<![\\$])\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?=\S)(.+?)(?<![\\\s])\$(?!\d)"
_IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
}
_CLASSES = {
    "div": {"codehilite"},
    "span": {name for name in STANDARD_TYPES.values() if name},
}


@dataclass(frozen=True)
class Formula:
    written: str  # as in the source, with its dollars
    latex: str
    display: bool


@dataclass(frozen=True)
class Sanitized:
    """Card text as sanitized HTML, each formula held out of it in a numbered slot."""

    html: str
    formulas: tuple[Formula, ...]

    def inline(self) -> Sanitized:
        """The same without the paragraph around one line of text."""
        return dataclasses.replace(self, html=re.sub(r"^<p>(.*)</p>$", r"\1", self.html, flags=re.S))

    def fill(self, draw: Callable[[Formula], str], text: str | None = None, after_blank: str = "") -> str:
        """text (the HTML unless given) with each slot replaced by what draw makes of its formula.

        after_blank goes between a formula and the blank before it, if there is one.
        """
        def replace(match: re.Match) -> str:
            blank = match.group(1)
            return blank + after_blank * bool(blank) + draw(self.formulas[int(match.group(2))])

        return _SLOT_PATTERN.sub(replace, self.html if text is None else text)


class _MathSlots(InlineProcessor):
    """Replaces each formula with a numbered slot the sanitizer leaves alone."""

    def __init__(self, formulas: list[Formula]):
        super().__init__(_MATH)
        self.formulas = formulas

    def handleMatch(self, match: re.Match, data: str):  # noqa: N802 (Markdown's name)
        display = match.group(1) is not None
        latex = match.group(1) if display else match.group(2)
        self.formulas.append(Formula(match.group(0), latex.strip(), display))
        return _SLOT.format(len(self.formulas) - 1), match.start(0), match.end(0)


class MarkdownConverter:
    """Markdown to sanitized HTML with the math held out: the first step of every rendering."""

    def __init__(self) -> None:
        self._formulas: list[Formula] = []
        self._markdown = markdown.Markdown(
            extensions=["tables", "fenced_code", "codehilite", "sane_lists", "smarty"],
            extension_configs={
                "codehilite": {"guess_lang": False, "css_class": "codehilite"},
                "tables": {"use_align_attribute": True},
            },
        )
        self._markdown.ESCAPED_CHARS.append("$")
        # Above Markdown's escapes (180), below its code spans (190).
        self._markdown.inlinePatterns.register(_MathSlots(self._formulas), "math", 185)

    def convert(self, source: str) -> Sanitized:
        self._formulas.clear()
        self._markdown.reset()
        converted = self._markdown.convert(_STRAY_SLOT_CHARS.sub("", source))
        clean = nh3.clean(
            converted, tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes=_CLASSES,
            url_schemes={"http", "https", "mailto"}, link_rel=None,
        )
        return Sanitized(clean, tuple(self._formulas))


class MarkupRenderer:
    """Turns card text into HTML with math as SVG, reporting bad math and images as content problems."""

    def __init__(self, content_dir: Path, problems: Collector):
        self.content_dir = content_dir.resolve()
        self.problems = problems
        self._converter = MarkdownConverter()

    def block(self, text: Text) -> Markup:
        """Paragraphs, lists, tables, code and math."""
        return Markup(self._drawn(text, self._converter.convert(text.value)))

    def inline(self, text: Text) -> tuple[Markup, str]:
        """One line of text without the paragraph around it, as HTML and as plain text."""
        sanitized = self._converter.convert(text.value).inline()
        plain = html.unescape(re.sub(r"<[^>]+>", "", sanitized.html)).strip()
        return Markup(self._drawn(text, sanitized)), sanitized.fill(lambda f: tex.plain(f.latex), plain)

    def _drawn(self, text: Text, sanitized: Sanitized) -> str:
        self._check_images(sanitized.html, text)
        drawn = {formula: self._formula(text, formula) for formula in sanitized.formulas}
        # A zero-width space after the blank before a formula works around a WeasyPrint
        # line-breaking bug that otherwise breaks lines far too early before an SVG.
        return sanitized.fill(drawn.__getitem__, after_blank="\u200b")

    def _formula(self, text: Text, formula: Formula) -> str:
        try:
            return tex.render(formula.latex, formula.display)
        except tex.TexError as error:
            offset = max(text.value.find(formula.written), 0)
            self.problems.error(text.position(offset, len(formula.written)),
                                f"invalid LaTeX in '{formula.written}': {error}")
            return ""

    def _check_images(self, clean_html: str, text: Text) -> None:
        for source in re.findall(r'<img[^>]*\ssrc="([^"]*)"', clean_html):
            src = html.unescape(source)
            problem = self._image_problem(src)
            if problem:
                offset = text.value.find(src)
                self.problems.error(text.position(max(offset, 0), len(src) if offset >= 0 else 0),
                                    f"image '{src}' {problem}")

    def _image_problem(self, src: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^\\", src, re.I):
            return "is not a relative path; images must be files inside the content folder"
        path = (self.content_dir / src).resolve()
        if not path.is_relative_to(self.content_dir):
            return "lies outside the content folder; images must be files inside it"
        if not path.is_file():
            return "does not exist in the content folder"
        if path.suffix.lower() not in _IMAGE_SUFFIXES:
            return f"is not an image; use one of {', '.join(sorted(_IMAGE_SUFFIXES))}"
        return None


def render_markup(guide: Guide, problems: Collector) -> Guide:
    """The guide with the HTML of every question, answer and section intro filled in."""
    renderer = MarkupRenderer(guide.content_dir, problems)
    sections = tuple(
        dataclasses.replace(
            section,
            intro_html=renderer.block(section.intro) if section.intro else Markup(""),
            cards=tuple(_render_card(renderer, card) for card in section.cards),
        )
        for section in guide.sections
    )
    return dataclasses.replace(guide, sections=sections)


def _render_card(renderer: MarkupRenderer, card: Card) -> Card:
    for text in (card.question, card.answer, card.card):
        if text is not None:
            _warn_missing_glyphs(text, card, renderer.problems)
    question_html, label = renderer.inline(card.question)
    answer_html = renderer.block(card.answer)
    card_html = renderer.block(card.card) if card.card else answer_html
    return dataclasses.replace(card, question_html=question_html, label=label,
                               answer_html=answer_html, card_html=card_html)


def _warn_missing_glyphs(text: Text, card: Card, problems: Collector) -> None:
    """Characters no bundled font has would print as empty boxes: say which, and where."""
    missing = fonts.missing_characters(re.sub(_MATH, " ", text.value, flags=re.S))
    if missing:
        codes = ", ".join(f"U+{ord(c):04X}" for c in missing)
        first = text.value.find(missing[0])
        problems.warning(text.position(first, len(missing[0])),
                         f"card '{card.id}' uses characters no bundled font has: {missing} ({codes}); "
                         "they may print as empty boxes")
