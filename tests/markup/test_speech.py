"""A formula's alt text is the formula read aloud, in the guide's language, never its LaTeX."""

from __future__ import annotations

import pikepdf
import pytest

from studyguide.build.options import BuildOptions
from studyguide.markup.speech import spoken

from ..conftest import build_clean, write_guide


@pytest.mark.parametrize(("latex", "words"), [
    (r"\sqrt{d_k}", "the square root of d sub k"),
    (r"QK^T", "Q K transpose"),
    (r"O(1)", "big O of 1"),
    (r"\frac{QK^T}{\sqrt{d_k}}", "Q K transpose over the square root of d sub k"),
    (r"\frac{a+1}{b}", "the fraction a plus 1 over b, end fraction"),
    (r"\sqrt[3]{x}", "the 3-th root of x"),
    (r"x^2 + y^{-1} - z^3", "x squared plus y inverse minus z cubed"),
    (r"e^{i\pi}", "e to the power i pi"),
    (r"\alpha \leq \beta \neq \gamma", "alpha is less than or equal to beta is not equal to gamma"),
    (r"\sum_{i=1}^{n} x_i", "the sum from i equals 1 to n of x sub i"),
    (r"\int_0^1 f(x)\,dx", "the integral from 0 to 1 of f of x, d x"),
    (r"\lim_{x \to 0} \frac{\sin x}{x}", "the limit as x tends to 0 of sin x over x"),
    (r"\log p(x)", "log p of x"),
    (r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", "the 2 by 2 matrix: row 1: a, b; row 2: c, d"),
    (r"W \in \mathbb{R}^{d \times r}", "W in the real numbers to the power d times r"),
])
def test_each_construct_reads_as_words(latex, words):
    assert spoken(latex) == words


@pytest.mark.parametrize(("language", "words"), [
    ("de", "die Wurzel aus d Index k"), ("de-AT", "die Wurzel aus d Index k"),
    ("fr", "la racine carrée de d indice k"), ("es", "la raíz cuadrada de d subíndice k"),
    ("ja", "the square root of d sub k"),  # no words of its own yet: English, never LaTeX
])
def test_the_words_are_the_guides_language(language, words):
    assert spoken(r"\sqrt{d_k}", language) == words


def test_the_guides_formulas_carry_their_words_as_alt_text(tmp_path):
    content = write_guide(tmp_path / "content", (
        "title: T\nlanguage: de\nsections:\n  - title: S\n    cards:\n"
        "      - question: Warum $\\sqrt{d_k}$?\n        answer: Weil $QK^T$ wächst.\n"))
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide",)))
    with pikepdf.open(tmp_path / "out" / "guide.pdf") as pdf:
        alts = {str(element.Alt) for element in pdf.objects
                if isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Figure"}
    assert {"die Wurzel aus d Index k", "Q K transponiert"} <= alts
    assert not any("\\" in alt or "^" in alt for alt in alts)
