"""A question's lead as a line of the contents.

The entry is itself a link, so a link in the question (a source cited in brackets) would
split it: its tags go and its words stay. Images stay with the question on its page, and a
displayed formula is set in the line, no taller than a line's capitals and descenders.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_LINK_TAG = re.compile(r"</?a\b[^>]*>")
_IMAGE = re.compile(r"\s*<img\b[^>]*>")
_DISPLAYED = re.compile(r'style="width:([\d.]+)em;height:([\d.]+)em" class="math-display"')
LINE_EM = 1.3  # the most a formula in an entry may stand, in the entry's ems


def contents_entry(lead: str) -> Markup:
    """The lead without links or images, its displayed formulas set as inline ones."""
    return Markup(_DISPLAYED.sub(_in_line, _IMAGE.sub("", _LINK_TAG.sub("", lead))))


def _in_line(displayed: re.Match) -> str:
    width, height = float(displayed.group(1)), float(displayed.group(2))
    scale = min(1.0, LINE_EM / height)
    return (f'style="width:{width * scale:.3f}em;height:{height * scale:.3f}em;vertical-align:-0.3em" '
            'class="math"')
