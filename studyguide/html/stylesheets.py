"""What the code needs to know of the stylesheets in templates/, read from them: the CSS stays
the one place a margin or a colour is written, and the code follows it.

The stylesheets read here are plain CSS (no Jinja): prose.css for the spacing of blocks that
the height guesses need, a theme's stylesheet for the ink of its formulas.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import tinycss2

from .templates import TEMPLATES_DIR


def rule(stylesheet: str, selector: str) -> dict[str, str]:
    """The declarations of the rule for selector (written as in the file) in a stylesheet of
    templates/, by property; a KeyError names what is missing. An edited stylesheet is read
    again, so that a watcher's rebuilds follow it."""
    path = TEMPLATES_DIR / stylesheet
    status = path.stat()
    rules = _rules(path, status.st_mtime_ns, status.st_size)
    if selector not in rules:
        raise KeyError(f"templates/{stylesheet} has no rule for {selector!r}")
    return rules[selector]


@lru_cache(maxsize=8)
def _rules(path: Path, modified: int, size: int) -> dict[str, dict[str, str]]:
    """The declarations of a stylesheet by selector (its blanks made single), those of later rules
    for the same selector over earlier ones; what other selectors match is not looked at."""
    rules: dict[str, dict[str, str]] = {}
    for node in tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"), skip_comments=True,
                                          skip_whitespace=True):
        if node.type == "qualified-rule":
            selector = " ".join(tinycss2.serialize(node.prelude).split())
            rules.setdefault(selector, {}).update({
                declaration.name if declaration.name.startswith("--") else declaration.lower_name:
                tinycss2.serialize(declaration.value).strip()
                for declaration in tinycss2.parse_blocks_contents(node.content, skip_comments=True,
                                                                  skip_whitespace=True)
                if declaration.type == "declaration"})
    return rules


def em(value: str) -> float:
    """A length written in em (or 0) as a number of em; a ValueError for any other unit."""
    if value == "0":
        return 0.0
    if not value.endswith("em") or value.endswith("rem"):
        raise ValueError(f"{value!r} is not a length in em")
    return float(value[:-2])


def number(value: str) -> float:
    """A unitless number, like a line height of 1.35; a ValueError for a length."""
    return float(value)
