"""Colour themes of the tablet editions: a stylesheet over theme.css, and the ink of formulas."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ..markup import formulas
from . import stylesheets


@dataclass(frozen=True)
class Theme:
    name: str
    stylesheet: str | None  # a template that redefines the variables of theme.css; None keeps them

    @property
    def formula_ink(self) -> str | None:
        """The --ink its stylesheet sets, which formulas are drawn in; None keeps them black."""
        return stylesheets.rule(self.stylesheet, ":root")["--ink"] if self.stylesheet else None

    def ink_formulas(self, html: str) -> Markup:
        """The HTML with every formula drawn in the theme's ink.

        Formulas are inline SVG filled with currentColor, which WeasyPrint takes from
        the <svg>'s own color attribute, never from the page's CSS: tex sets it on the
        drawings it made.
        """
        if self.formula_ink is None:
            return Markup(html)
        return Markup(formulas.in_ink(str(html), self.formula_ink))


LIGHT = Theme("light", None)  # the default
THEMES = {theme.name: theme for theme in (LIGHT, Theme("dark", "theme-dark.css"))}
