"""A formula read aloud: the alt text a screen reader speaks for a drawn formula.

The LaTeX is turned into MathML (latex2mathml, as for drawing) and the MathML read as a listener
wants it, in the manner of MathSpeak: "the square root of d sub k", "Q K transpose", "big O of
1". The words are the guide's language where a table below has them (English, German, French,
Spanish), else English; never LaTeX.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from functools import lru_cache

_WORDS = {
    "en": {
        "+": "plus",
        "−": "minus",
        "-": "minus",
        "=": "equals",
        "×": "times",
        "·": "times",
        "⋅": "times",
        "*": "times",
        "/": "over",
        "±": "plus or minus",
        "<": "is less than",
        ">": "is greater than",
        "≤": "is less than or equal to",
        "≥": "is greater than or equal to",
        "≠": "is not equal to",
        "≈": "is approximately",
        "∝": "is proportional to",
        "∈": "in",
        "→": "tends to",
        "∞": "infinity",
        "∂": "partial",
        "∇": "nabla",
        "…": "and so on",
        "⋯": "and so on",
        "|": "absolute value",
        "′": "prime",
        ",": ",",
        "of": "of",
        "over": "over",
        "fraction": "the fraction {0} over {1}, end fraction",
        "root": "the square root of {0}",
        "nth root": "the {1}-th root of {0}",
        "end root": ", end root",
        "sub": "{0} sub {1}",
        "power": "{0} to the power {1}",
        "squared": "{0} squared",
        "cubed": "{0} cubed",
        "transpose": "{0} transpose",
        "inverse": "{0} inverse",
        "sum": "the sum from {0} to {1} of",
        "sum under": "the sum over {0} of",
        "product": "the product from {0} to {1} of",
        "integral": "the integral from {0} to {1} of",
        "integral alone": "the integral of",
        "limit": "the limit as {0} of",
        "matrix": "the {0} by {1} matrix: {2}",
        "row": "row {0}: {1}",
        "big O": "big O",
        "capital": "{0}",
        "blackboard R": "the real numbers",
    },
    "de": {
        "+": "plus",
        "−": "minus",
        "-": "minus",
        "=": "gleich",
        "×": "mal",
        "·": "mal",
        "⋅": "mal",
        "*": "mal",
        "/": "durch",
        "±": "plus minus",
        "<": "kleiner als",
        ">": "größer als",
        "≤": "kleiner oder gleich",
        "≥": "größer oder gleich",
        "≠": "ungleich",
        "≈": "ungefähr gleich",
        "∝": "proportional zu",
        "∈": "in",
        "→": "gegen",
        "∞": "unendlich",
        "∂": "partiell",
        "∇": "Nabla",
        "…": "und so weiter",
        "⋯": "und so weiter",
        "|": "Betrag",
        "′": "Strich",
        ",": ",",
        "of": "von",
        "over": "durch",
        "fraction": "der Bruch {0} durch {1}, Ende des Bruchs",
        "root": "die Wurzel aus {0}",
        "nth root": "die {1}-te Wurzel aus {0}",
        "end root": ", Ende der Wurzel",
        "sub": "{0} Index {1}",
        "power": "{0} hoch {1}",
        "squared": "{0} Quadrat",
        "cubed": "{0} hoch drei",
        "transpose": "{0} transponiert",
        "inverse": "{0} invers",
        "sum": "die Summe von {0} bis {1} über",
        "sum under": "die Summe über {0} von",
        "product": "das Produkt von {0} bis {1} über",
        "integral": "das Integral von {0} bis {1} über",
        "integral alone": "das Integral über",
        "limit": "der Grenzwert für {0} von",
        "matrix": "die {0}-mal-{1}-Matrix: {2}",
        "row": "Zeile {0}: {1}",
        "big O": "groß O",
        "capital": "{0}",
        "blackboard R": "die reellen Zahlen",
    },
    "fr": {
        "+": "plus",
        "−": "moins",
        "-": "moins",
        "=": "égale",
        "×": "fois",
        "·": "fois",
        "⋅": "fois",
        "*": "fois",
        "/": "sur",
        "±": "plus ou moins",
        "<": "inférieur à",
        ">": "supérieur à",
        "≤": "inférieur ou égal à",
        "≥": "supérieur ou égal à",
        "≠": "différent de",
        "≈": "environ égal à",
        "∝": "proportionnel à",
        "∈": "appartient à",
        "→": "tend vers",
        "∞": "l’infini",
        "∂": "d rond",
        "∇": "nabla",
        "…": "et ainsi de suite",
        "⋯": "et ainsi de suite",
        "|": "valeur absolue",
        "′": "prime",
        ",": ",",
        "of": "de",
        "over": "sur",
        "fraction": "la fraction {0} sur {1}, fin de la fraction",
        "root": "la racine carrée de {0}",
        "nth root": "la racine {1}-ième de {0}",
        "end root": ", fin de la racine",
        "sub": "{0} indice {1}",
        "power": "{0} puissance {1}",
        "squared": "{0} au carré",
        "cubed": "{0} au cube",
        "transpose": "{0} transposée",
        "inverse": "{0} inverse",
        "sum": "la somme de {0} à {1} de",
        "sum under": "la somme sur {0} de",
        "product": "le produit de {0} à {1} de",
        "integral": "l’intégrale de {0} à {1} de",
        "integral alone": "l’intégrale de",
        "limit": "la limite quand {0} de",
        "matrix": "la matrice {0} par {1} : {2}",
        "row": "ligne {0} : {1}",
        "big O": "grand O",
        "capital": "{0}",
        "blackboard R": "l’ensemble des réels",
    },
    "es": {
        "+": "más",
        "−": "menos",
        "-": "menos",
        "=": "igual a",
        "×": "por",
        "·": "por",
        "⋅": "por",
        "*": "por",
        "/": "entre",
        "±": "más o menos",
        "<": "menor que",
        ">": "mayor que",
        "≤": "menor o igual que",
        "≥": "mayor o igual que",
        "≠": "distinto de",
        "≈": "aproximadamente igual a",
        "∝": "proporcional a",
        "∈": "pertenece a",
        "→": "tiende a",
        "∞": "infinito",
        "∂": "parcial",
        "∇": "nabla",
        "…": "etcétera",
        "⋯": "etcétera",
        "|": "valor absoluto",
        "′": "prima",
        ",": ",",
        "of": "de",
        "over": "entre",
        "fraction": "la fracción {0} entre {1}, fin de la fracción",
        "root": "la raíz cuadrada de {0}",
        "nth root": "la raíz {1}-ésima de {0}",
        "end root": ", fin de la raíz",
        "sub": "{0} subíndice {1}",
        "power": "{0} elevado a {1}",
        "squared": "{0} al cuadrado",
        "cubed": "{0} al cubo",
        "transpose": "{0} traspuesta",
        "inverse": "{0} inversa",
        "sum": "la suma desde {0} hasta {1} de",
        "sum under": "la suma sobre {0} de",
        "product": "el producto desde {0} hasta {1} de",
        "integral": "la integral desde {0} hasta {1} de",
        "integral alone": "la integral de",
        "limit": "el límite cuando {0} de",
        "matrix": "la matriz de {0} por {1}: {2}",
        "row": "fila {0}: {1}",
        "big O": "O grande",
        "capital": "{0}",
        "blackboard R": "los números reales",
    },
}
_GREEK = {
    "α": "alpha",
    "β": "beta",
    "γ": "gamma",
    "δ": "delta",
    "ε": "epsilon",
    "ϵ": "epsilon",
    "ζ": "zeta",
    "η": "eta",
    "θ": "theta",
    "ι": "iota",
    "κ": "kappa",
    "λ": "lambda",
    "μ": "mu",
    "ν": "nu",
    "ξ": "xi",
    "π": "pi",
    "ρ": "rho",
    "σ": "sigma",
    "τ": "tau",
    "υ": "upsilon",
    "φ": "phi",
    "ϕ": "phi",
    "χ": "chi",
    "ψ": "psi",
    "ω": "omega",
    "Γ": "capital gamma",
    "Δ": "capital delta",
    "Θ": "capital theta",
    "Λ": "capital lambda",
    "Σ": "capital sigma",
    "Φ": "capital phi",
    "Ψ": "capital psi",
    "Ω": "capital omega",
}
_OPENING, _CLOSING = "([{⟨", ")]}⟩"


@lru_cache(maxsize=8192)
def spoken(latex: str, language: str = "en") -> str:
    """The formula as words in the language (its base: de for de-AT), English where it has none."""
    from latex2mathml.converter import convert_to_element

    words = _WORDS.get(language.split("-")[0].lower(), _WORDS["en"])
    try:
        mathml = convert_to_element(latex)
    except Exception:  # the drawing reports the error; a listener gets the letters
        return re.sub(r"\\([A-Za-z]+)", r"\1", latex)
    return _tidy(_Reader(words).read(mathml))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,:])", r"\1", text)


class _Reader:
    def __init__(self, words: dict[str, str]):
        self.words = words

    def read(self, element: ET.Element) -> str:
        tag = element.tag.rsplit("}", 1)[-1]
        reader = getattr(self, f"_{tag}", None)
        return reader(element) if reader else self._row(element)

    def _row(self, element: ET.Element) -> str:
        parts: list[str] = []
        kids = list(element)
        for index, kid in enumerate(kids):
            tag = kid.tag.rsplit("}", 1)[-1]
            text = _text(kid)
            before = kids[index - 1] if index else None
            if tag == "mo" and text in _OPENING:
                after_name = (
                    before is not None
                    and before.tag.rsplit("}", 1)[-1] in ("mi", "mtext")
                    and not _is_sum(before)
                )
                parts.append(self.words["of"] if after_name else "")
            elif tag == "mo" and text in _CLOSING:
                parts.append(",")
            else:
                parts.append(self.read(kid))
        return " ".join(parts).rstrip(" ,")

    def _math(self, element: ET.Element) -> str:
        return self._row(element)

    def _mi(self, element: ET.Element) -> str:
        text = _text(element)
        if text == "ℝ":
            return self.words["blackboard R"]
        if text == "O":
            return self.words["big O"]
        return _GREEK.get(text, text)

    def _mn(self, element: ET.Element) -> str:
        return _text(element)

    def _mtext(self, element: ET.Element) -> str:
        return _text(element)

    def _mo(self, element: ET.Element) -> str:
        text = _text(element)
        return self.words.get(text, text)

    def _mspace(self, element: ET.Element) -> str:
        return ""

    def _mfrac(self, element: ET.Element) -> str:
        numerator, denominator = (self.read(kid) for kid in element)
        if _simple(element[0]) and _simple(element[1]):
            return f"{numerator} {self.words['over']} {denominator}"
        return self.words["fraction"].format(numerator, denominator)

    def _msqrt(self, element: ET.Element) -> str:
        inside = self._row(element)
        end = "" if _simple(element) else self.words["end root"]
        return self.words["root"].format(inside) + end

    def _mroot(self, element: ET.Element) -> str:
        base, index = (self.read(kid) for kid in element)
        return self.words["nth root"].format(base, index)

    def _msub(self, element: ET.Element) -> str:
        base, below = element
        if _is_limit(base):
            return self.words["limit"].format(self.read(below))
        if _is_sum(base):
            return self.words["sum under"].format(self.read(below))
        return self.words["sub"].format(self.read(base), self.read(below))

    def _msup(self, element: ET.Element) -> str:
        base, above = element
        power = self.read(above)
        name = {"2": "squared", "3": "cubed", "T": "transpose", "⊤": "transpose"}.get(power)
        if power in (self.words["−"] + " 1", "−1", "-1"):
            name = "inverse"
        if power == "′":
            return f"{self.read(base)} {self.words['′']}"
        return self.words[name or "power"].format(self.read(base), power)

    def _msubsup(self, element: ET.Element) -> str:
        base, below, above = element
        if _is_sum(base):
            key = "product" if _text(base) == "∏" else "sum"
            return self.words[key].format(self.read(below), self.read(above))
        if _text(base) == "∫":
            return self.words["integral"].format(self.read(below), self.read(above))
        return self.words["power"].format(
            self.words["sub"].format(self.read(base), self.read(below)), self.read(above)
        )

    _munder = _msub
    _mover = _msup
    _munderover = _msubsup

    def _mtable(self, element: ET.Element) -> str:
        rows = [[self.read(cell) for cell in row] for row in element]
        read = "; ".join(
            self.words["row"].format(number, ", ".join(cells)) for number, cells in enumerate(rows, start=1)
        )
        return self.words["matrix"].format(len(rows), max((len(row) for row in rows), default=0), read)


def _text(element: ET.Element) -> str:
    return html.unescape(element.text or "").strip()


def _simple(element: ET.Element) -> bool:
    """Whether a part holds no operator, so that no words need mark where it ends."""
    return not any(kid.tag.rsplit("}", 1)[-1] == "mo" for kid in element.iter())


def _is_sum(element: ET.Element) -> bool:
    return element.tag.rsplit("}", 1)[-1] == "mo" and _text(element) in ("∑", "∏")


def _is_limit(element: ET.Element) -> bool:
    return _text(element) == "lim"
