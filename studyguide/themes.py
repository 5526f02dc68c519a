"""Colour themes of the tablet editions: a stylesheet over theme.css, and the ink of formulas."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Theme:
    name: str
    stylesheet: str | None  # a template that redefines the variables of theme.css
    formula_ink: str | None  # the --ink of that stylesheet; None keeps formulas black

    def ink_formulas(self, html: str) -> Markup:
        """The HTML with every formula drawn in the theme's ink.

        Formulas are inline SVG filled with currentColor, which WeasyPrint takes from
        the <svg>'s own color attribute, never from the page's CSS. Content cannot
        add an <svg> (the sanitizer removes it, and text has its '<' escaped), so
        every '<svg ' in a page is a formula.
        """
        if self.formula_ink is None:
            return Markup(html)
        return Markup(str(html).replace("<svg ", f'<svg color="{self.formula_ink}" '))


LIGHT = Theme("light", None, None)  # the default
THEMES = {theme.name: theme for theme in (LIGHT, Theme("dark", "theme-dark.css", "#e3e0d8"))}
