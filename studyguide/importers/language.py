"""The language of an imported set, found from the scripts its text is written in.

A set written mostly in a script of its own (Chinese, Japanese, Korean, Arabic, Persian, Urdu,
Hebrew, Russian, Ukrainian, Hindi) gets its `language:`, so that its labels, direction, faces
and the PDFs' language follow. A set in Latin script is told by its commonest words (German,
Spanish, French, Italian, Dutch, Polish, Portuguese, Turkish); English is no `language:` at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "ARABIC", "HEBREW", "CYRILLIC", "DEVANAGARI")
_SHARE = 0.3  # of the letters, for a script to name the set's language
_PERSIAN, _URDU, _UKRAINIAN = set("پچژگ"), set("ٹڈڑںےھ"), set("іїєґІЇЄҐ")
# Words each Latin-script language writes often and the others seldom.
_COMMON_WORDS = {
    "en": "the of and to is that it for with are this be on not you which what how why",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem wird werden was wie",
    "es": "el los las del que por para con una es se al lo como más qué cómo es un su",
    "fr": "le les des et est une que qui pour dans du pas sur au ce ces sont avec qu quoi comment",
    "it": "il gli di che è della per con non del un una sono alla nel cosa come perché",
    "nl": "het een en van is dat niet te op voor met zijn wordt wat hoe waarom ook",
    "pl": "i w na się nie to jest że do jak co czy od przez dla",
    "pt": "o os do da que não em um uma para com é dos das como por qual",
    "tr": "ve bir bu için ile ne nedir gibi daha çok olarak nasıl neden",
}
_WORD_SETS = {language: frozenset(words.split()) for language, words in _COMMON_WORDS.items()}
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)  # whose words are a program's, not the language's
_LEAD = 1.5  # how many times the runner-up's count the commonest language's must be
_WORDS_SHARE = 0.08  # of the words, the least a language's common words make up in its own text


def language_of(texts: Iterable[str]) -> str | None:
    """The language the texts are mostly written in, where their script tells it; None for
    Latin script (and any other this cannot tell)."""
    texts = list(texts)
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
    if sum(scripts.values()) < _SHARE * letters:
        return _latin_language(texts)
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


def _latin_language(texts: Iterable[str]) -> str | None:
    """The Latin-script language whose common words the texts use most, clearly ahead of the
    others and often enough to be its own; None for English, or when no language leads (the
    languages without a catalog, Indonesian or Czech, say)."""
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        words = re.findall(r"\w+", _CODE.sub(" ", text).lower())
        total += len(words)
        for word in words:
            counts.update(language for language, common in _WORD_SETS.items() if word in common)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][0] == "en" or ranked[0][1] < _WORDS_SHARE * total:
        return None
    if len(ranked) > 1 and ranked[0][1] < _LEAD * ranked[1][1]:
        return None
    return ranked[0][0]
