"""What the code needs to know of the stylesheets in templates/, read from them: the CSS stays
the one place a margin or a colour is written, and the code follows it.

The stylesheets read here are plain CSS (no Jinja): prose.css for the spacing of blocks that
the height guesses need, a theme's stylesheet for the ink of its formulas.
"""

from __future__ import annotations

from functools import cache

import tinycss2

from .pages import TEMPLATES_DIR


@cache
def rule(stylesheet: str, selector: str) -> dict[str, str]:
    """The declarations of the rule for selector (written as in the file) in a stylesheet of
    templates/, by property; a KeyError names what is missing."""
    text = (TEMPLATES_DIR / stylesheet).read_text(encoding="utf-8")
    for node in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if node.type == "qualified-rule" and " ".join(tinycss2.serialize(node.prelude).split()) == selector:
            return {declaration.name if declaration.name.startswith("--") else declaration.lower_name:
                    tinycss2.serialize(declaration.value).strip()
                    for declaration in tinycss2.parse_blocks_contents(
                        node.content, skip_comments=True, skip_whitespace=True)
                    if declaration.type == "declaration"}
    raise KeyError(f"templates/{stylesheet} has no rule for {selector!r}")


def em(value: str) -> float:
    """A length written in em (or 0) as a number of em; a ValueError for any other unit."""
    if value == "0":
        return 0.0
    if not value.endswith("em") or value.endswith("rem"):
        raise ValueError(f"{value!r} is not a length in em")
    return float(value[:-2])
