"""HTML documents from the Jinja templates, one per output.

One Environment with autoescape and StrictUndefined: card HTML arrives as
sanitized Markup, everything else the author wrote is escaped, and a name the
template misspells is an error with the template's file and line.
"""

from __future__ import annotations

import re
import traceback
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..content.labels import Labels
from ..content.model import Guide
from ..diagnostics import Collector, Position
from . import fonts

# Beside the package in a checkout; inside it once installed (pyproject.toml puts it there).
_PACKAGE_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = next(folder for folder in (_PACKAGE_DIR / "templates", _PACKAGE_DIR.parent / "templates")
                     if folder.is_dir())


_ISOLATES = {"ltr": "\u2066", "rtl": "\u2067"}  # left-to-right and right-to-left isolate
_POP_ISOLATE = "\u2069"


def isolated(text: str, direction: str | None, within: str) -> Markup:
    """text set apart from the line around it when it runs in another direction than the line.

    WeasyPrint ignores unicode-bidi, so the isolate is made of Unicode's own isolate characters.
    """
    text = Markup.escape(text)
    if direction and direction != within:
        return Markup(_ISOLATES[direction]) + text + Markup(_POP_ISOLATE)
    return text


def lifted(html: str, levels: int) -> Markup:
    """A text's headings (h4 and below, markup/convert.py) that many levels up, for an edition
    whose questions stand higher than the guide's."""
    return Markup(re.sub(r"<(/?)h([4-6])\b", lambda tag: f"<{tag.group(1)}h{int(tag.group(2)) - levels}",
                         str(html)))


@cache
def _environment(templates_dir: Path) -> jinja2.Environment:
    """One environment per templates folder for the process, so that a watcher's rebuilds reuse
    the compiled templates; Jinja compiles a template again when its file changes."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["isolated"] = isolated
    environment.filters["lifted"] = lifted
    return environment


class PageRenderer:
    def __init__(self, templates_dir: Path, problems: Collector):
        self.templates_dir = templates_dir
        self.problems = problems
        self.environment = _environment(templates_dir)

    def render(self, template: str, guide: Guide, **context: object) -> str | None:
        """The HTML for one output, or None with a problem naming the template line."""
        return self._render(template, guide.labels, guide.characters, guide=guide, **context)

    def render_plain(self, template: str, labels: Labels, **context: object) -> str | None:
        """A template that needs no guide, like the calibration sheet."""
        return self._render(template, labels, frozenset(labels.text), **context)

    def _render(self, template: str, labels: Labels, characters: frozenset[str],
                **context: object) -> str | None:
        """The HTML, with the fonts for its characters and the labels in its language."""
        fallbacks = fonts.fallbacks_for(characters)
        try:
            return self.environment.get_template(template).render(
                font_faces=Markup(fonts.face_css(fallbacks)), font_fallbacks=Markup(fonts.stack(fallbacks)),
                labels=labels, **context)
        except jinja2.TemplateSyntaxError as error:
            path = Path(error.filename) if error.filename else self.templates_dir / template
            self.problems.error(Position(path, error.lineno or 1), f"template error: {error.message}")
        except jinja2.TemplateNotFound as error:
            self.problems.error(Position(self.templates_dir / template),
                                f"template '{error.name}' not found in {self.templates_dir}")
        except Exception as error:  # raised while rendering: blame the template line
            self.problems.error(self._blame(error, template), f"template error: {error}")
        return None

    def _blame(self, error: Exception, template: str) -> Position:
        templates = str(self.templates_dir.resolve())
        frames = [f for f in traceback.extract_tb(error.__traceback__)
                  if str(Path(f.filename).resolve()).startswith(templates)]
        if frames:
            return Position(Path(frames[-1].filename), frames[-1].lineno or 1)
        return Position(self.templates_dir / template)
