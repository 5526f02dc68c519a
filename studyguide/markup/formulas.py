"""LaTeX formulas rendered to vector SVG at build time (ziamath, STIX Two Math).

WeasyPrint runs no JavaScript and has no MathML, so formulas become inline
SVG sized in em: they scale with the surrounding text, and inline formulas sit
on its baseline through vertical-align. Each drawing keeps its size as data
(a Drawing), found again by the opening tag of its <svg>, so that the height
guesses of the cards need not read it back out of the SVG.

Formulas are drawn in currentColor, which WeasyPrint takes from the <svg>'s own
color attribute (black when absent), never from the page's CSS: in_ink sets it
on the drawings of a page, for the dark theme.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from markupsafe import Markup

from ..guard.files import write_atomic

RENDER_SIZE = 20.0  # px; any size works, everything is converted to em
INLINE_CLASS, DISPLAY_CLASS = "math", "math-display"  # the classes prose.css sets formulas by
_MARGIN = 1.0
_COMMAND = re.compile(r"\\[A-Za-z]+")
_SUPERSCRIPTS = str.maketrans("0123456789+-=()inT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿᵀ")
_SCRIPTS = {"msub": "_", "msup": "^", "msubsup": "_^"}
_SUBSCRIPTS = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")


MAX_FORMULA_DEPTH = 40  # groups in groups: latex2mathml and ziamath recurse once per level


class TexError(ValueError):
    """The LaTeX source cannot be rendered; the message says why."""


class FormulaTooDeepError(TexError):
    """Valid LaTeX, perhaps, but nested deeper than the drawing can follow."""


@dataclass(frozen=True)
class Drawing:
    """A formula drawn: its <svg> element, and the size it is drawn at in em of the text around it."""

    svg: str
    width_em: float
    height_em: float
    display: bool

    @property
    def opening(self) -> str:
        """The <svg ...> tag that starts it."""
        return self.svg[:self.svg.index(">") + 1]


# Drawings already made, by formula: kept for the life of the process (a watcher's rebuilds
# reuse them) and between runs in a file of the output folder's cache.
_drawings: dict[str, Drawing] = {}
_new_drawings = False
# The drawings by their opening tag, which holds their size: drawings of one size share one.
_by_opening: dict[str, Drawing] = {}
_by_shape: set[str] = set()  # the same openings without their size and class, which a page may change


def render(latex: str, display: bool = False) -> Markup:
    """An <svg> element for the formula, sized in em to match the text around it."""
    global _new_drawings
    key = _key(latex, display)
    if key not in _drawings:
        _keep(key, _draw(latex, display))
        _new_drawings = True
    return Markup(_drawings[key].svg)


def drawn() -> dict[str, Drawing]:
    """Every drawing this process has, by formula: to tell another process's new ones (take)."""
    return dict(_drawings)


def take(drawings: dict[str, Drawing]) -> None:
    """Drawings another process made, kept as if made here, and saved with them."""
    global _new_drawings
    for key, drawing in drawings.items():
        if key not in _drawings:
            _keep(key, drawing)
            _new_drawings = True


def drawing_of(opening: str) -> Drawing | None:
    """The drawing (its size) an <svg ...> tag of a page starts, or None if none made here does."""
    return _by_opening.get(opening)


def in_ink(html: str, ink: str) -> str:
    """The HTML with the formulas drawn here set in ink (a CSS colour), through their color attribute."""
    def inked(match: re.Match) -> str:
        opening = match.group()
        ours = opening in _by_opening or _shape(opening) in _by_shape  # as drawn, or set at another size
        return f'<svg color="{ink}" {opening[len("<svg "):]}' if ours else opening

    return SVG_OPENING.sub(inked, html)


SVG_OPENING = re.compile(r"<svg\b[^>]*>")  # the opening tag of a drawing, as pages hold it


def drawings_in(html: str) -> list[Drawing | None]:
    """The drawing of each <svg> in html, in order; None for one this module did not make."""
    return [drawing_of(opening) for opening in SVG_OPENING.findall(html)]


def _key(latex: str, display: bool) -> str:
    return f"{'display' if display else 'inline'}:{latex}"


def _keep(key: str, drawing: Drawing) -> None:
    _drawings[key] = drawing
    _by_opening[drawing.opening] = drawing
    _by_shape.add(_shape(drawing.opening))


def _shape(opening: str) -> str:
    """An <svg> tag without its style and class: a contents entry sets a displayed formula in the line."""
    return re.sub(r' (?:style|class)="[^"]*"', "", opening)


def load_drawings(path: Path) -> None:
    """Take in the drawings a previous run saved, if they were made by this very code."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(saved, dict) or saved.get("version") != _version():
        return
    drawings = saved.get("drawings", {})
    if isinstance(drawings, dict):
        for key, fields in drawings.items():
            drawing = _saved_drawing(key, fields)
            if drawing is not None:
                _keep(key, drawing)


def _saved_drawing(key: object, fields: object) -> Drawing | None:
    """A drawing as saved, or None for anything that is not one this module made."""
    if not (isinstance(key, str) and key.startswith(("inline:", "display:")) and isinstance(fields, dict)):
        return None
    svg, width, height = fields.get("svg"), fields.get("width_em"), fields.get("height_em")
    if not isinstance(svg, str) or not _only_drawing(svg) or not all(
            isinstance(size, float) for size in (width, height)):
        return None
    return Drawing(svg, width, height, key.startswith("display:"))


_DRAWING_TAGS = {"svg", "/svg", "title", "/title", "path", "rect", "g", "/g"}
_DRAWING_ATTRIBUTES = {"role", "class", "viewBox", "xmlns", "xmlns:xlink", "style", "d", "fill", "x", "y",
                       "width", "height", "transform", "stroke", "stroke-width"}


def _only_drawing(svg: str) -> bool:
    """Whether a saved drawing holds only what this module draws: the cache is a file on disk,
    and what it holds goes into pages unsanitized, so anything else is drawn again."""
    tags = set(re.findall(r"<(/?[A-Za-z][\w:-]*)", svg))
    attributes = set(re.findall(r"\s([A-Za-z][\w:-]*)\s*=", svg))
    return (svg.startswith("<svg ") and tags <= _DRAWING_TAGS and attributes <= _DRAWING_ATTRIBUTES
            and "url(" not in svg)


def save_drawings(path: Path) -> None:
    """Keep the drawings for the next run, if this run made new ones."""
    global _new_drawings
    if not _new_drawings:
        return
    drawings = {key: {"svg": d.svg, "width_em": d.width_em, "height_em": d.height_em}
                for key, d in _drawings.items()}
    write_atomic(path, json.dumps({"version": _version(), "drawings": drawings}).encode())
    _new_drawings = False


@lru_cache(maxsize=1)
def _version() -> str:
    """What the drawings depend on: this module's code and the version of ziamath."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"{code}-ziamath-{metadata.version('ziamath')}"


def _draw(latex: str, display: bool) -> Drawing:
    import ziamath  # imported here: loading the math font costs time on every start

    ziamath.config.svg2 = False  # glyphs as paths: no ids to clash between formulas
    ziamath.config.math.color = "currentColor"

    _check_braces(latex)
    try:
        formula = ziamath.Latex(latex, size=RENDER_SIZE, inline=not display, margin=_MARGIN)
        _check_commands(formula.mathml)
        svg = formula.svgxml()
    except TexError:
        raise
    except RecursionError:
        raise FormulaTooDeepError("it nests too deep to draw; a formula needs a few levels") from None
    except Exception as error:  # latex2mathml and ziamath raise many kinds
        raise TexError(_explain(error)) from None
    return _sized(svg, formula.node.bbox.ymin, display, latex)


def _sized(svg: ET.Element, depth: float, display: bool, latex: str) -> Drawing:
    """The drawing sized in em, with its source as the title that tagged PDFs give as its alt text."""
    width = float(f"{float(svg.attrib.pop('width')) / RENDER_SIZE:.3f}")  # as its style writes it
    height = float(f"{float(svg.attrib.pop('height')) / RENDER_SIZE:.3f}")
    baseline = (depth - _MARGIN) / RENDER_SIZE
    style = f"width:{width:.3f}em;height:{height:.3f}em"
    if not display:
        style += f";vertical-align:{baseline:.3f}em"
    svg.set("style", style)
    svg.set("class", DISPLAY_CLASS if display else INLINE_CLASS)
    svg.set("role", "img")
    title = ET.Element("title")
    title.text = latex
    svg.insert(0, title)
    return Drawing(ET.tostring(svg, encoding="unicode"), width, height, display)


def _check_braces(latex: str) -> None:
    depth = 0
    for match in re.finditer(r"\\.|[{}]", latex):
        token = match.group()
        depth += {"{": 1, "}": -1}.get(token, 0)
        if depth < 0:
            raise TexError("a '}' closes a group that was never opened")
        if depth > MAX_FORMULA_DEPTH:
            raise FormulaTooDeepError(f"it nests groups more than {MAX_FORMULA_DEPTH} deep; a formula "
                                      "needs a few levels")
    if depth:
        raise TexError("a '{' is never closed")


def _check_commands(mathml: ET.Element) -> None:
    for element in mathml.iter():
        unknown = _COMMAND.match(element.text or "")
        if unknown:
            raise TexError(f"unknown command {unknown.group()}")


def _explain(error: Exception) -> str:
    name = type(error).__name__
    if name in ("AssertionError", "NoAvailableTokensError", "IndexError"):
        return "the formula ends too early; is a command missing an argument?"
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower().removesuffix(" error")
    detail = f": {error}" if str(error) else ""
    return f"{words}{detail}"


@lru_cache(maxsize=8192)
def plain(latex: str) -> str:
    """A readable plain-text stand-in for a formula, for bookmarks: \\sqrt{d_k} gives √dk."""
    from latex2mathml.converter import convert_to_element

    try:
        mathml = convert_to_element(latex)
    except Exception:  # render() reports the error; the label keeps the source
        return latex
    return html.unescape("".join(_plain_parts(mathml)))


def _plain_parts(element: ET.Element):
    if element.tag in ("msqrt", "mroot"):
        yield "√"
    yield (element.text or "").strip()
    for index, child in enumerate(element):
        part = "".join(_plain_parts(child))
        if element.tag == "mfrac" and index == 1:
            part = "/" + part
        elif element.tag in _SCRIPTS and index > 0:
            part = _script(part, _SCRIPTS[element.tag][index - 1])
        yield part
        yield (child.tail or "").strip()


def _script(text: str, kind: str) -> str:
    table = _SUBSCRIPTS if kind == "_" else _SUPERSCRIPTS
    if all(ord(char) in table for char in text):
        return text.translate(table)
    return f"{kind}{text}" if len(text) == 1 else f"{kind}({text})"
