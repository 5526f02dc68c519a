"""HTML from another app's cards (Anki's fields) as Markdown for the content format.

markdownify does the conversion. Math is cut out first, so that it is never escaped: MathJax
`\\(…\\)` and `\\[…\\]` (and Anki's older `[$]…[/$]`, `[$$]…[/$$]`, `[latex]…[/latex]`) become
`$…$` and `$$…$$`. Images are renamed by the caller's lookup, which may refuse them (remote
images stay as they are: a build never fetches them, see remote.py); links that
lead where links may not, scripts and sounds are left out; each is recorded in Skipped.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Callable

import yaml
from bs4 import MarkupResemblesLocatorWarning
from markdownify import MarkdownConverter

from ..guard import links
from ..markup import remote
from .draft import Skipped, alt_from_name

_MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]"  # \(…\) and \[…\]
                   r"|\[\$\](.+?)\[/\$\]|\[\$\$\](.+?)\[/\$\$\]|\[latex\](.+?)\[/latex\]", re.S | re.I)
_SOUND = re.compile(r"\[sound:([^\]]*)\]")
_ACTIVE = re.compile(r"<\s*(script|style|iframe|object|embed|form)\b", re.I)
_SLOT = "\ue010{}\ue011"
_SLOTS = re.compile("\ue010(\\d+)\ue011")
_SLOTS_CHARS = re.compile("[\ue010\ue011]")
_TAG = re.compile(r"<[^>]*>")
_UNPRINTABLE = yaml.reader.Reader.NON_PRINTABLE  # characters YAML refuses

ImageLookup = Callable[[str], str | None]  # an image's src: its path in the content folder, or None


class FieldConverter:
    def __init__(self, image_path: ImageLookup, skipped: Skipped):
        self.image_path, self.skipped = image_path, skipped

    def markdown(self, field_html: str, where: str) -> str:
        """The field as Markdown; where names the card, for the record of what was left out."""
        if _ACTIVE.search(field_html):
            self.skipped.add("scripts, styles or frames removed from fields", where)
        for sound in _SOUND.findall(field_html):
            self.skipped.add("sounds and videos left out (not printable)", f"{sound} in {where}")
        formulas: list[str] = []

        def cut(match: re.Match) -> str:
            index = next(i for i in range(1, 6) if match.group(i) is not None)
            latex = " ".join(html.unescape(_TAG.sub(" ", match.group(index))).split())
            formulas.append(f"${latex}$" if index in (1, 3) else f"$${latex}$$")
            return _SLOT.format(len(formulas) - 1)

        field_html = _SLOTS_CHARS.sub("", field_html)  # only the slots below may use them
        source = _MATH.sub(cut, _SOUND.sub("", field_html)).replace("$", "&#36;")
        with warnings.catch_warnings():  # a field that is only an address is text, as it reads
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            converted = _Markdown(self, where).convert(source)
        converted = _SLOTS.sub(lambda m: formulas[int(m.group(1))], converted.replace("$", "\\$"))
        return tidy(converted)


def tidy(text: str) -> str:
    """Markdown as it is best kept in YAML: no characters YAML refuses, line breaks as <br>,
    no runs of blank lines, no blanks at the ends of lines; the first line keeps its indent (code)."""
    text = _UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[ \t]{2,}\n", "<br>\n", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    return re.sub(r"^\s*\n", "", re.sub(r"\n{3,}", "\n\n", text)).rstrip()


class _Markdown(MarkdownConverter):
    def __init__(self, fields: FieldConverter, where: str):
        super().__init__(heading_style="ATX", bullets="-", escape_misc=False)
        self.fields, self.where = fields, where

    def convert_img(self, el, text, parent_tags):  # noqa: ARG002 (markdownify's signature)
        src = el.get("src") or ""
        path = src if remote.is_remote(src) else self.fields.image_path(src)
        alt = " ".join((el.get("alt") or "").split()).replace("]", "") or alt_from_name(src)
        return f"![{alt}]({path})" if path else alt

    def convert_a(self, el, text, parent_tags):
        href = el.get("href") or ""
        if href and not links.allowed(href):
            self.fields.skipped.add("links removed (they led where links may not)",
                                    f"{href[:60]} in {self.where}")
            return text
        return super().convert_a(el, text, parent_tags)
