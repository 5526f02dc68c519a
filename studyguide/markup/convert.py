"""Markdown and math in card text, turned into sanitized HTML.

Math is cut out before Markdown can touch it (so `$a_i * b_j$` keeps its
underscores and stars) and put back after the sanitizer has run: as SVG here,
for print; the exporters put it back as LaTeX source. Everything else the
author wrote passes an allow-list: formatting survives, scripts, styles,
frames and foreign links do not. Text that would take Markdown or WeasyPrint
too long, or too deep, is refused first (see limits.py).
"""

from __future__ import annotations

import dataclasses
import html
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote

import markdown
import nh3
from markdown.inlinepatterns import InlineProcessor
from markupsafe import Markup, escape
from pygments.token import STANDARD_TYPES

from ..content import cloze
from ..content.model import Card, Guide
from ..content.shortcodes import CODE_OR_TAG, emojized
from ..content.source import Text
from ..diagnostics import Collector
from ..guard import images, links
from ..guard.files import url_path
from ..guard.limits import MAX_BRACKETS, MAX_FORMULAS, MAX_NESTING, MAX_WORD_CHARS, long_word
from ..html import fonts
from . import formulas, remote
from .htmlscan import scan
from .kept import KeptMarkup, key_of
from .rendered import MATH, SLOT, ClozeSides, Formula, RenderedCard, Sanitized, lead_and_rest
from .speech import spoken
from .unprintable import Unprintable

_TITLE = re.compile(r"<title>.*?</title>", re.S)
_STRAY_SLOT_CHARS = re.compile("[\ue000\ue001]")
_FENCE = re.compile(r"^[ \t]*(```|~~~)", re.M)


_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "sup",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "p": {"align"},
    "td": {"align"},
    "th": {"align"},
    "abbr": {"title"},
}
# The roots of SVG and MathML written into a text. Their tags go before the sanitizer parses
# the text: inside them the HTML parser reads on in foreign content, and the sanitizer, which
# drops a foreign element whole, would take the text after them with it. Their own tags are
# removed like any other that is not allowed, and their text stays.
_FOREIGN_ROOT = re.compile(r"</?(?:svg|math)\b[^>]*>", re.I)
_CLASSES = {
    "div": {"codehilite"},
    "span": {name for name in STANDARD_TYPES.values() if name},
}


class TooDeepError(ValueError):
    """The text nests lists, quotes or tags deeper than MAX_NESTING."""


class _MathSlots(InlineProcessor):
    """Replaces each formula with a numbered slot the sanitizer leaves alone."""

    def __init__(self, formulas: list[Formula]):
        super().__init__(MATH)
        self.formulas = formulas

    def handleMatch(self, match: re.Match, data: str):  # noqa: N802 (Markdown's name)
        display = match.group(1) is not None
        latex = match.group(1) if display else match.group(2)
        self.formulas.append(Formula(match.group(0), latex.strip(), display))
        return SLOT.format(len(self.formulas) - 1), match.start(0), match.end(0)


class MarkdownConverter:
    """Markdown to sanitized HTML with the math held out: the first step of every rendering."""

    def __init__(self) -> None:
        self._formulas: list[Formula] = []
        self._markdown = markdown.Markdown(
            # SuperFences reads fences inside list items and quotes too (fenced_code, only at the
            # top), highlighting them as codehilite does the indented code blocks.
            extensions=["tables", "pymdownx.superfences", "pymdownx.highlight", "codehilite", "sane_lists",
                        "smarty"],
            extension_configs={
                "codehilite": {"guess_lang": False, "css_class": "codehilite"},
                "pymdownx.highlight": {"guess_lang": False, "css_class": "codehilite"},
                "tables": {"use_align_attribute": True},
            },
        )
        self._markdown.ESCAPED_CHARS.append("$")
        # Above Markdown's escapes (180), below its code spans (190).
        self._markdown.inlinePatterns.register(_MathSlots(self._formulas), "math", 185)

    def convert(self, source: str) -> Sanitized:
        """Raises TooDeepError for text nested deeper than MAX_NESTING."""
        self._formulas.clear()
        self._markdown.reset()
        try:
            converted = self._markdown.convert(emojized(_STRAY_SLOT_CHARS.sub("", source)))
        except RecursionError:  # Markdown recurses once per level of lists or quotes
            raise TooDeepError() from None
        written = scan(converted)
        clean = nh3.clean(
            _FOREIGN_ROOT.sub("", converted), tags=_TAGS, attributes=_ATTRIBUTES, allowed_classes=_CLASSES,
            url_schemes=set(links.SCHEMES), link_rel=None, attribute_filter=_drop_unsafe_links,
        )
        if scan(clean).depth > MAX_NESTING:
            raise TooDeepError()
        clean, on_network = remote.replace_remote_images(clean, self._formula_image)
        removed = tuple(dict.fromkeys(href for href in written.links if not links.allowed(href)))
        local = tuple(src for src in written.images if not remote.is_remote(src))
        unnamed = tuple(src for src in written.unnamed_images if not remote.is_remote(src))
        dropped = tuple(tag for tag in written.tags if tag not in _TAGS and f"<{tag}" in source.lower())
        return Sanitized(clean, tuple(self._formulas), removed, local, unnamed, on_network, dropped)

    def _formula_image(self, image: remote.RemoteFormula) -> str:
        """A slot for the formula an image URL encodes, like one written between dollars."""
        self._formulas.append(Formula(image.src, image.latex, image.display))
        return SLOT.format(len(self._formulas) - 1)


def _set_for_pages(clean: str) -> str:
    """Sanitized HTML made ready for the pages: code that wraps, tables that fit, headings in order,
    no empty lines at the edges of blocks."""
    for step in (_code_wraps, _indents_kept, _with_table_widths, _headings_demoted, _long_words_marked,
                 _breaks_before_inline, _edge_breaks_dropped):
        clean = step(clean)
    return clean


LONG_WORD_CHARACTERS = 24  # a word this long breaks anywhere (prose.css: the class below)
LONG_WORD_CLASS = "long-word"
_LONG_WORD = re.compile(rf"[^\s<>]{{{LONG_WORD_CHARACTERS},}}")
_CODE_BLOCK = re.compile(r"(<pre\b.*?</pre>)", re.S)


def _long_words_marked(clean: str) -> str:
    """Words too long for a narrow column (URLs, identifiers) marked as breakable anywhere, so
    that the rest of the text, and a table's columns, keep their words whole. Code blocks wrap
    anywhere already."""
    def marked(text: str) -> str:
        return re.sub(r"(?<=>)[^<]+|^[^<]+", lambda m: _LONG_WORD.sub(
            lambda word: f'<span class="{LONG_WORD_CLASS}">{word.group()}</span>', m.group()), text)

    parts = _CODE_BLOCK.split(clean)
    return "".join(part if part.startswith("<pre") else marked(part) for part in parts)


# WeasyPrint misses the break opportunity of a blank followed by an inline element (code, a link,
# emphasis), and so runs a line of them past the column; a zero-width space after the blank
# gives it one. Not in code blocks, whose text is copied as it is.
_INLINE_TAGS = "a|abbr|b|code|del|em|i|ins|kbd|mark|q|s|small|span|strong|sub|sup|u"
_BLANK_BEFORE_INLINE = re.compile(rf" (?=<(?:{_INLINE_TAGS})\b)")


def _breaks_before_inline(clean: str) -> str:
    parts = _CODE_BLOCK.split(clean)
    return "".join(part if part.startswith("<pre") else _BLANK_BEFORE_INLINE.sub(" \u200b", part)
                   for part in parts)


# Texts from the web often space their blocks with <br> (a paragraph that is only "<br/>" ends
# every answer of some public sets): at a block's start or end it adds an empty line, which can
# push an answer's last line, or the link after it, onto a page of its own.
_BLOCKS = "p|li|td|th|dd|dt|blockquote|div|summary|details"
_LEADING_BREAKS = re.compile(rf"(<(?:{_BLOCKS})\b[^>]*>)(?:\s*<br>)+\s*")
_TRAILING_BREAKS = re.compile(rf"(?:\s*<br>)+\s*(?=</(?:{_BLOCKS})>)")
_EMPTY_PARAGRAPH = re.compile(r"<p\b[^>]*>\s*</p>\s*")


def _edge_breaks_dropped(clean: str) -> str:
    return _EMPTY_PARAGRAPH.sub("", _TRAILING_BREAKS.sub("", _LEADING_BREAKS.sub(r"\1", clean)))


def _code_wraps(clean: str) -> str:
    """Pygments opens every code block with an empty <span>; after an empty inline box WeasyPrint
    never breaks a long word, so a line of 3,000 characters would run off the page."""
    return clean.replace("<pre><span></span>", "<pre>")


# Pygments writes a line's indent as a whitespace token or as bare text before the line's first
# token. WeasyPrint breaks a wrapped line after the indent rather than inside the token after it,
# which leaves the indent alone on a line and the code at the margin; inside the first token's
# span, the indent stays with it.
_INDENT = re.compile(r'(^|\n)(?:<span class="w">([ \t]+)</span>|([ \t]+))(<span class="[^"]+">)?')


def _indents_kept(clean: str) -> str:
    return _INDENT.sub(lambda m: m.group(1) + (m.group(4) or "") + (m.group(2) or m.group(3)), clean)


_HEADING = re.compile(r"<(/?)h([1-6])>")
FIRST_TEXT_HEADING = 4  # the pages' own headings are title, part and question: a text's come below


def _headings_demoted(clean: str) -> str:
    """Headings in a text below the question's, from FIRST_TEXT_HEADING down, in the order of
    their levels and never more than one level below the heading before: a set whose answers
    start at `####` skips no level, so a tagged PDF's outline stays in order."""
    levels = sorted({int(level) for level in re.findall(r"<h([1-6])>", clean)})
    ranked = {level: FIRST_TEXT_HEADING + rank for rank, level in enumerate(levels)}
    last = FIRST_TEXT_HEADING - 1

    def demoted(heading: re.Match) -> str:
        nonlocal last
        if not heading.group(1):
            last = min(ranked[int(heading.group(2))], last + 1, 6)
        return f"<{heading.group(1)}h{last}>"

    return _HEADING.sub(demoted, clean)


_UNNAMED_IMAGE = re.compile(r'<img((?:(?! alt=)[^>])*?)(?: alt="\s*")?((?:(?! alt=)[^>])*)>')


def _images_named(clean: str) -> str:
    """Every image with an alt text: one its author did not describe is named by its file,
    which is what a screen reader would say, and what a tagged PDF may not do without."""
    def named(match: re.Match) -> str:
        src = re.search(r'src="([^"]*)"', match.group())
        name = Path(unquote(html.unescape(src.group(1)).split("?")[0])).stem if src else ""
        return f'<img{match.group(1)} alt="{html.escape(name or "image")}"{match.group(2)}>'

    return _UNNAMED_IMAGE.sub(named, clean)


_TABLE_OPEN = re.compile(r"<table>(.*?)</tr>", re.S)
WIDE_TABLES = ((9, "very-wide"), (6, "wide"))  # columns from which prose.css sets a table smaller


def _with_table_widths(clean: str) -> str:
    """Tables of many columns marked with a class that sets them smaller, to fit the column."""
    def marked(match: re.Match) -> str:
        columns = len(re.findall(r"<t[hd][\s>]", match.group(1)))
        name = next((name for least, name in WIDE_TABLES if columns >= least), None)
        return match.group().replace("<table>", f'<table class="{name}">', 1) if name else match.group()

    return _TABLE_OPEN.sub(marked, clean)


def _drop_unsafe_links(tag: str, attribute: str, value: str) -> str | None:
    """The sanitizer's own check lets relative links through, which a PDF would make file: links."""
    return None if tag == "a" and attribute == "href" and not links.allowed(value) else value


class MarkupRenderer:
    """Turns card text into HTML with math as SVG, reporting bad math and images as content problems."""

    def __init__(self, content_dir: Path, problems: Collector, language: str = "en"):
        self.content_dir = content_dir.resolve()
        self.problems = problems
        self.language = language  # of the words a formula's alt text is read in
        self.unprintable = Unprintable()  # reported once the whole guide is read
        self._converter = MarkdownConverter()

    def block(self, text: Text, owner: str = "the text") -> Markup:
        """Paragraphs, lists, tables, code and math; owner names the card, for warnings."""
        return self.drawn_block(text, self.converted(text, owner), owner)

    def inline(self, text: Text, owner: str = "the text") -> tuple[Markup, str]:
        """One line of text without the paragraph around it, as HTML and as plain text."""
        return self.drawn_inline(text, self.converted(text, owner), owner)

    def drawn_block(self, text: Text, sanitized: Sanitized | None, owner: str) -> Markup:
        """block for a text already converted; nothing for one that could not be."""
        return Markup(self._drawn(text, sanitized, owner)) if sanitized else Markup("")

    def drawn_inline(self, text: Text, sanitized: Sanitized | None, owner: str) -> tuple[Markup, str]:
        """inline for a text already converted; its plain words for one that could not be."""
        if sanitized is None:
            return Markup(""), text.value
        sanitized = sanitized.inline()
        return Markup(self._drawn(text, sanitized, owner)), _plain(sanitized, sanitized.html)

    def drawn_question(self, text: Text, sanitized: Sanitized | None, owner: str
                       ) -> tuple[Markup, Markup, str]:
        """A question already converted, as its lead (the paragraph it starts with, without the
        paragraph around it: a heading's or a contents entry's line), the blocks after it (code,
        options, more paragraphs), and the lead's plain words (the whole text's without a lead)."""
        if sanitized is None:
            return Markup(""), Markup(""), text.value
        lead, details = lead_and_rest(self._drawn(text, sanitized, owner))
        words = lead_and_rest(sanitized.html)[0] or sanitized.html
        return Markup(lead), Markup(details), _plain(sanitized, words)

    def converted(self, text: Text, owner: str = "the text") -> Sanitized | None:
        """The text converted, or None with a problem when it would take too long or nest too deep."""
        brackets = _brackets_outside_code(text.value)
        if len(brackets) > MAX_BRACKETS:
            self.problems.error(text.position(brackets[MAX_BRACKETS], 1),
                                f"{owner} has {len(brackets)} '[' outside code blocks; at most "
                                f"{MAX_BRACKETS} may stand in one text (Markdown slows down on more): "
                                "put code in ``` blocks, or split the text")
            return None
        try:
            return self._converter.convert(text.value)
        except TooDeepError:
            self.problems.error(text.position(), f"{owner} nests lists, block quotes or HTML tags more "
                                f"than {MAX_NESTING} deep; flatten it")
            return None

    def _drawn(self, text: Text, sanitized: Sanitized, owner: str) -> str:
        self._check_images(sanitized.images, text)
        self._warn_unnamed_images(sanitized.unnamed_images, text, owner)
        self._warn_removed_links(sanitized.removed_links, text, owner)
        self._warn_removed_tags(sanitized.removed_tags, text, owner)
        self._warn_remote_images(sanitized.remote_images, text, owner)
        if not self._within_limits(sanitized, text, owner):
            return ""
        drawn = {formula: self._formula(text, formula) for formula in sanitized.formulas}
        # A zero-width space after the blank before a formula works around a WeasyPrint
        # line-breaking bug that otherwise breaks lines far too early before an SVG.
        # Characters no installed face has become visible placeholders (see fonts.with_placeholders).
        pages = _set_for_pages(sanitized.html)
        return fonts.with_placeholders(_images_named(sanitized.fill(drawn.__getitem__, pages,
                                                                    after_blank="\u200b")))

    def _formula(self, text: Text, formula: Formula) -> str:
        try:
            drawing = formulas.render(formula.latex, formula.display)
        except formulas.TexError as error:
            offset = max(text.value.find(formula.written), 0)
            written = formula.written if len(formula.written) <= 80 else f"{formula.written[:60]}…"
            what = "cannot draw" if isinstance(error, formulas.FormulaTooDeepError) else "invalid LaTeX in"
            self.problems.error(text.position(offset, len(formula.written)), f"{what} '{written}': {error}")
            return ""
        # The drawing's title is its alt text in a tagged PDF: the formula read aloud, not its LaTeX,
        # which goes before it in a comment, for readers that want it (engine/tagging.py makes it the
        # figure's /E); the drawing itself stays as formulas.py made it, which finds it by its tag.
        titled = _TITLE.sub(lambda _: f"<title>{escape(spoken(formula.latex, self.language))}</title>",
                            drawing, count=1)
        # No "--", which would end the comment, and no blank, where a card could cut a sentence.
        latex = re.sub(r"[-\s]", lambda character: f"&#{ord(character.group())};", str(escape(formula.latex)))
        return Markup(f"<!--latex:{latex}-->{titled}")

    def _within_limits(self, sanitized: Sanitized, text: Text, owner: str) -> bool:
        """Whether the text's formulas and printed words are few and short enough to lay out in
        seconds (limits.py); an error at the text when they are not."""
        if len(sanitized.formulas) > MAX_FORMULAS:
            self.problems.error(text.position(), f"{owner} has {len(sanitized.formulas):,} formulas; "
                                f"a text may have {MAX_FORMULAS}: split it over several cards")
            return False
        if word := long_word(html.unescape(re.sub(r"<[^>]+>", " ", sanitized.html))):
            self.problems.error(text.where(word[:40]), f"{owner} has a word of {len(word):,} characters "
                                f"('{word[:20]}…'); a word may have {MAX_WORD_CHARS:,}, more takes too long "
                                "to set and fits no card: break it with spaces, or shorten it")
            return False
        return True

    def _check_images(self, sources: tuple[str, ...], text: Text) -> None:
        for src in sources:
            problem = self._image_problem(src)
            if problem:
                self.problems.error(text.where(src), f"image '{src}' {problem}")

    def _image_problem(self, src: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:|^/|^\\", src, re.I):
            return "is not a relative path; images must be files inside the content folder"
        path = url_path(self.content_dir, src)
        if not path.is_relative_to(self.content_dir):
            return "lies outside the content folder; images must be files inside it"
        if not path.exists():
            return "does not exist in the content folder"
        return images.problem(path)

    def _warn_removed_links(self, removed: tuple[str, ...], text: Text, owner: str) -> None:
        for href in removed:
            self.problems.warning(text.where(href), f"{owner}: removed the link to '{href}'; {links.RULE}")


    def _warn_removed_tags(self, tags: tuple[str, ...], text: Text, owner: str) -> None:
        """One warning for the elements removed from a text, at the first of them."""
        if tags:
            first = min(text.value.lower().find(f"<{tag}") for tag in tags)
            names = ", ".join(f"<{tag}>" for tag in tags)
            self.problems.warning(text.position(first, 1), f"{owner}: removed {names}: cards hold no "
                                  "scripts, styles, frames, forms or drawings; the text around them stays")

    def _warn_unnamed_images(self, sources: tuple[str, ...], text: Text, owner: str) -> None:
        for src in sources:
            self.problems.warning(text.where(src), f"{owner}: the image '{src}' has no alt text, so a "
                                  "screen reader says nothing for it: describe it, like "
                                  f"![what it shows]({src})")

    def _warn_remote_images(self, sources: tuple[str, ...], text: Text, owner: str) -> None:
        for src in sources:
            self.problems.warning(text.where(src), f"{owner}: the image '{src}' is on the network, which "
                                  "builds never reach; the PDFs show its description instead: save it "
                                  "in the content folder and write its path")


def _brackets_outside_code(value: str) -> list[int]:
    """Where each '[' stands that is not inside a fenced code block."""
    found, start, fenced = [], 0, False
    for fence in [*_FENCE.finditer(value), None]:
        end = fence.start() if fence else len(value)
        if not fenced:
            found.extend(i for i in range(start, end) if value[i] == "[")
        start, fenced = end, not fenced
    return found


def render_markup(guide: Guide, problems: Collector, rendered: MarkupMemo | None = None,
                  kept: KeptMarkup | None = None) -> Guide:
    """The guide with the HTML of every question, answer and section intro filled in.

    rendered, if given, keeps the cards rendered with no problem from one call to the next (a
    watcher's rebuilds), so that a card which says the same is not rendered again; kept, if
    given, does the same from one process to the next (kept.py).
    """
    rendered = {} if rendered is None else rendered
    renderer = MarkupRenderer(guide.content_dir, problems, guide.language)
    # The sides of a cloze card hold nothing the guide's text does not, whose problems are reported.
    sides = MarkupRenderer(guide.content_dir, Collector())
    sections = tuple(
        dataclasses.replace(
            section,
            intro_html=renderer.block(section.intro, f"the intro of section {section.number}")
            if section.intro else Markup(""),
            cards=tuple(_remembered(renderer, sides, card, rendered, kept) for card in section.cards),
        )
        for section in guide.sections
    )
    renderer.unprintable.report(problems)
    return dataclasses.replace(guide, sections=sections)


MarkupMemo = dict[tuple[Path, Card], RenderedCard]  # cards rendered with no problem, by what they say
_REMEMBERED = 20_000  # cards; past this, the memory starts again
_IMAGE = re.compile(r"!\[|<img", re.I)


def _remembered(renderer: MarkupRenderer, sides: MarkupRenderer, card: Card, rendered: MarkupMemo,
                kept: KeptMarkup | None) -> RenderedCard:
    """The card rendered, or as it was rendered before when it says the same, placed where it
    is now (so any later message about it points at its current line). A card showing images
    is rendered each time: the image files may have changed."""
    key = _memo_key(renderer.content_dir, card)
    kept_key = key_of(card, renderer.language) if kept is not None else ""
    if (earlier := rendered.get(key)) is not None:
        done = dataclasses.replace(earlier, question=card.question, answer=card.answer, card=card.card)
    elif kept is not None and (done := kept.get(kept_key, card)) is not None:
        rendered[key] = done
        return done  # kept.get keeps it for the next build too
    else:
        before = _tally(renderer)
        done = _render_card(renderer, sides, card)
        if _tally(renderer) != before or _shows_image(card):
            return done
        if len(rendered) >= _REMEMBERED:
            rendered.clear()
        rendered[key] = done
    if kept is not None:
        kept.put(kept_key, done)
    return done


def unrendered(guide: Guide, rendered: MarkupMemo | None, kept: KeptMarkup) -> list[Card]:
    """The cards render_markup would render, but for those showing images: neither remembered
    nor kept."""
    content_dir = guide.content_dir.resolve()
    return [card for card in guide.cards
            if not kept.holds(key_of(card, guide.language)) and not _shows_image(card)
            and _memo_key(content_dir, card) not in (rendered or {})]


def rendered_clean(cards: Sequence[Card], content_dir: Path, language: str) -> dict[str, RenderedCard]:
    """The cards rendered, those with no problem (which render_markup reports), by their kept
    key: what a build may take as kept (beside.py renders them in helper processes)."""
    renderer = MarkupRenderer(content_dir, Collector(), language)
    sides = MarkupRenderer(content_dir, Collector())
    clean = {}
    for card in cards:
        before = _tally(renderer)
        done = _render_card(renderer, sides, card)
        if _tally(renderer) == before:
            clean[key_of(card, language)] = done
    return clean


def _memo_key(content_dir: Path, card: Card) -> tuple[Path, Card]:
    """What a card is remembered by: the folder, and what it says, not where it says it."""
    said = {name: getattr(card, name).value if getattr(card, name) is not None else None
            for name in ("question", "answer", "card")}
    return content_dir, dataclasses.replace(card, **said)


def _tally(renderer: MarkupRenderer) -> tuple[int, int]:
    """How many problems and unprintable texts the renderer has found: a card that adds none is clean."""
    return len(renderer.problems.problems), len(renderer.unprintable.found)


def _shows_image(card: Card) -> bool:
    texts = (card.question, card.answer, card.card)
    return any(text is not None and _IMAGE.search(text.value) for text in texts)


def _render_card(renderer: MarkupRenderer, sides: MarkupRenderer, card: Card) -> RenderedCard:
    for text in (card.question, card.answer, card.card):
        if text is not None:
            renderer.unprintable.note(text, card.id)
    owner = f"card '{card.id}'"
    # Each text is converted once; the exporters take the question as written, a cloze card's
    # with its deletions in Anki's syntax, whose problems the marked question reports.
    written = (sides if card.cloze else renderer).converted(card.question, owner)
    if card.cloze:
        question_html, label = renderer.inline(_as(card.question, cloze.marked(card.cloze)), owner)
        question_details_html = Markup("")
    else:
        question_html, question_details_html, label = renderer.drawn_question(card.question, written, owner)
    answer = renderer.converted(card.answer, owner)
    answer_html = renderer.drawn_block(card.answer, answer, owner)
    short = renderer.converted(card.card, owner) if card.card else answer
    card_html = renderer.drawn_block(card.card, short, owner) if card.card else answer_html
    cloze_sides = tuple(
        ClozeSides(number, *sides.inline(_as(card.question, cloze.front(card.cloze, number)), owner),
                   sides.block(_as(card.question, cloze.back(card.cloze, number)), owner))
        for number in cloze.numbers(card.cloze))
    return RenderedCard(**{field.name: getattr(card, field.name) for field in dataclasses.fields(Card)},
                        question_html=question_html, question_details_html=question_details_html,
                        label=label, answer_html=answer_html,
                        card_html=card_html, cloze_sides=cloze_sides, question_markup=written,
                        flashcard_markup=short,
                        direction=text_direction(card.question.value) or text_direction(card.answer.value))


def _plain(sanitized: Sanitized, part: str) -> str:
    """Part of a text's sanitized HTML as plain words, its formulas as LaTeX."""
    words = html.unescape(re.sub(r"<[^>]+>", "", part)).strip()
    return sanitized.fill(lambda f: formulas.plain(f.latex), words)


def _as(text: Text, value: str) -> Text:
    """The text written differently, at the same place in its file."""
    return dataclasses.replace(text, value=value)


def text_direction(text: str) -> str | None:
    """ltr or rtl, the direction of the first letter outside formulas and code; None without letters."""
    prose = re.sub(CODE_OR_TAG, " ", re.sub(MATH, " ", text, flags=re.S))
    for character in prose:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None
