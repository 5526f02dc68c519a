"""The language of an imported set, found from the scripts its text is written in.

A set written mostly in a script of its own (Chinese, Japanese, Korean, Arabic, Persian, Urdu,
Hebrew, Russian, Ukrainian, Hindi) gets its `language:`, so that its labels, direction, faces
and the PDFs' language follow. Latin-script languages cannot be told apart this way and stay
English unless the author says otherwise.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable

_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "ARABIC", "HEBREW", "CYRILLIC", "DEVANAGARI")
_SHARE = 0.3  # of the letters, for a script to name the set's language
_PERSIAN, _URDU, _UKRAINIAN = set("پچژگ"), set("ٹڈڑںےھ"), set("іїєґІЇЄҐ")


def language_of(texts: Iterable[str]) -> str | None:
    """The language the texts are mostly written in, where their script tells it; None for
    Latin script (and any other this cannot tell)."""
    scripts: Counter[str] = Counter()
    letters = 0
    seen: set[str] = set()
    for text in texts:
        for character in text:
            if not unicodedata.category(character).startswith("L"):
                continue
            letters += 1
            name = unicodedata.name(character, "")
            script = next((script for script in _SCRIPTS if name.startswith(script)), None)
            if script:
                scripts[script] += 1
                seen.add(character)
    if not letters:
        return None
    kana = scripts["HIRAGANA"] + scripts["KATAKANA"]
    han = scripts["CJK"]
    if kana >= 0.1 * (kana + han) and kana + han >= _SHARE * letters:  # Japanese writes kana among kanji
        return "ja"
    if han >= _SHARE * letters:
        return "zh"
    script, count = max(scripts.items(), key=lambda item: item[1], default=(None, 0))
    if count < _SHARE * letters:
        return None
    if script == "ARABIC":
        return "ur" if seen & _URDU else "fa" if seen & _PERSIAN else "ar"
    if script == "CYRILLIC":
        return "uk" if seen & _UKRAINIAN else "ru"
    return {"HANGUL": "ko", "HEBREW": "he", "DEVANAGARI": "hi"}.get(script)
