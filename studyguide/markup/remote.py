"""Images that point at the network: never fetched, shown as what they stand for.

Public question sets often draw formulas with a service that renders the TeX in its
URL (`https://latex.codecogs.com/svg.latex?\\frac{a}{b}`): such an image is read back as
the formula it encodes and drawn like any `$…$`. Any other remote image becomes a small
framed note with its alt text and host, and the build says so at the card.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

# An image alone in its paragraph, or any other: nh3 writes every tag the same way.
_IMAGE = re.compile(r"<p>\s*(?P<alone><img\s[^>]*>)\s*</p>|(?P<inline><img\s[^>]*>)")
_ATTRIBUTE = re.compile(r'([a-zA-Z-]+)="([^"]*)"')
_REMOTE = re.compile(r"^(?:https?:)?//", re.I)

# Commands that only tell a service how to draw (resolution, background, size), not TeX to keep.
_SERVICE_COMMANDS = re.compile(
    r"\\(?:dpi|bg|fg)\{[^}]*\}|\\(?:bg|fg)_[a-zA-Z]+|\\(?:inline|tiny|small|normalsize|large|Large|LARGE"
    r"|huge|Huge|displaystyle)(?![a-zA-Z])")


@dataclass(frozen=True)
class FormulaService:
    """A service that draws the TeX written in its image URLs."""

    host: str
    latex_of: Callable[[str, str, dict[str, list[str]]], str | None]  # (path, query, parameters) -> TeX


def _parameter(name: str) -> Callable[[str, str, dict[str, list[str]]], str | None]:
    return lambda path, query, parameters: (parameters.get(name) or [None])[0]


def _whole_query(path: str, query: str, parameters: dict[str, list[str]]) -> str | None:
    return unquote(query.replace("&space;", " ")) if query else None


def _path_after(prefix: str) -> Callable[[str, str, dict[str, list[str]]], str | None]:
    return lambda path, query, parameters: unquote(path[len(prefix):]) if path.startswith(prefix) else None


SERVICES = (
    FormulaService("render.githubusercontent.com", _parameter("math")),
    FormulaService("latex.codecogs.com", _whole_query),
    FormulaService("chart.googleapis.com", _parameter("chl")),
    FormulaService("math.now.sh", _parameter("from")),
    FormulaService("i.upmath.me", _path_after("/svg/")),
    FormulaService("www.zhihu.com", _parameter("tex")),
)


@dataclass(frozen=True)
class RemoteFormula:
    src: str
    latex: str
    display: bool


def is_remote(src: str) -> bool:
    return bool(_REMOTE.match(src.strip()))


def formula_of(src: str) -> str | None:
    """The TeX a formula service's image URL encodes, or None for any other URL."""
    parts = urlsplit(src.strip())
    service = next((s for s in SERVICES if parts.hostname == s.host), None)
    if service is None:
        return None
    latex = service.latex_of(parts.path, parts.query, parse_qs(parts.query))
    latex = _SERVICE_COMMANDS.sub(" ", latex or "").strip()
    return latex or None


def replace_remote_images(clean_html: str, formula_slot: Callable[[RemoteFormula], str]
                          ) -> tuple[str, tuple[str, ...]]:
    """Sanitized HTML with every remote image replaced, and the sources of those that are not
    formulas. formula_slot gives what stands for a formula (a slot the math step fills); a
    formula image alone in its paragraph is displayed."""
    notes: list[str] = []

    def replace(match: re.Match) -> str:
        tag = match.group("alone") or match.group("inline")
        attributes = {name: html.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}
        src = attributes.get("src", "")
        if not is_remote(src):
            return match.group()
        latex = formula_of(src)
        if latex is not None:
            display = match.group("alone") is not None or "mode=display" in src
            replacement = formula_slot(RemoteFormula(src, latex, display))
        else:
            notes.append(src)
            replacement = _note(attributes.get("alt", ""), urlsplit(src.strip()).hostname or "")
        return match.group().replace(tag, replacement)

    return _IMAGE.sub(replace, clean_html), tuple(notes)


NOTE_CLASS, HOST_CLASS = "remote-image", "remote-host"  # the classes prose.css sets the note by


def _note(alt: str, host: str) -> str:
    label = html.escape(alt.strip()) or "image"
    return (f'<span class="{NOTE_CLASS}">{label}<span class="{HOST_CLASS}"> · {html.escape(host)}'
            '</span></span>')
