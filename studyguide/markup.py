"""Markdown and math in card text, turned into sanitized HTML.

Math is cut out before Markdown can touch it (so `$a_i * b_j$` keeps its
underscores and stars) and put back, as SVG, after the sanitizer has run.
Everything else the author wrote passes an allow-list: formatting survives,
scripts, styles, frames and foreign links do not.
"""

from __future__ import annotations

import dataclasses
import html
import re
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


class _MathSlots(InlineProcessor):
    """Replaces each formula with a numbered slot the sanitizer leaves alone."""

    def __init__(self, formulas: list[tuple[str, str, bool]]):
        super().__init__(_MATH)
        self.formulas = formulas

    def handleMatch(self, match: re.Match, data: str):  # noqa: N802 (Markdown's name)
        display = match.group(1) is not None
        latex = match.group(1) if display else match.group(2)
        self.formulas.append((match.group(0), latex.strip(), display))
        return _SLOT.format(len(self.formulas) - 1), match.start(0), match.end(0)


class MarkupRenderer:
    """Turns card text into HTML, reporting bad math and images as content problems."""

    def __init__(self, content_dir: Path, problems: Collector):
        self.content_dir = content_dir.resolve()
        self.problems = problems
        self._formulas: list[tuple[str, str, bool]] = []
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

    def block(self, text: Text) -> Markup:
        """Paragraphs, lists, tables, code and math."""
        return Markup(self._render(text)[0])

    def inline(self, text: Text) -> tuple[Markup, str]:
        """One line of text without the paragraph around it, as HTML and as plain text."""
        rendered, plain = self._render(text)
        return Markup(re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.S)), plain

    def _render(self, text: Text) -> tuple[str, str]:
        self._formulas.clear()
        self._markdown.reset()
        converted = self._markdown.convert(_STRAY_SLOT_CHARS.sub("", text.value))
        clean = nh3.clean(
            converted, tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes=_CLASSES,
            url_schemes={"http", "https", "mailto"}, link_rel=None,
        )
        self._check_images(clean, text)
        formulas = [self._formula(text, *formula) for formula in self._formulas]
        # A zero-width space after the blank before a formula works around a WeasyPrint
        # line-breaking bug that otherwise breaks lines far too early before an SVG.
        rendered = _SLOT_PATTERN.sub(
            lambda m: m.group(1) + "\u200b" * bool(m.group(1)) + formulas[int(m.group(2))], clean)
        plain = html.unescape(re.sub(r"<[^>]+>", "", clean)).strip()
        plain = _SLOT_PATTERN.sub(
            lambda m: m.group(1) + tex.plain(self._formulas[int(m.group(2))][1]), plain)
        return rendered, plain

    def _formula(self, text: Text, written: str, latex: str, display: bool) -> str:
        try:
            return tex.render(latex, display)
        except tex.TexError as error:
            offset = max(text.value.find(written), 0)
            self.problems.error(text.position(offset, len(written)),
                                f"invalid LaTeX in '{written}': {error}")
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
