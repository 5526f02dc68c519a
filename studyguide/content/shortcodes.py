"""Emoji shortcodes, as question sets from GitHub write them (:white_check_mark:), read as the
emoji they stand for, in every output. Code keeps them as written, and so does anything
between colons that names no emoji (10:30:00, :notanemoji:)."""

from __future__ import annotations

import re

import emoji

# Code fences, inline code and HTML tags, which keep their colons as written.
CODE_OR_TAG = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1|`[^`]*`|<[^>]*>", re.M | re.S)


def emojized(text: str) -> str:
    """The text with each shortcode outside code replaced by its emoji."""
    if ":" not in text:
        return text
    pieces, last = [], 0
    for code in CODE_OR_TAG.finditer(text):
        pieces += [emoji.emojize(text[last:code.start()], language="alias"), code.group()]
        last = code.end()
    return "".join([*pieces, emoji.emojize(text[last:], language="alias")])
