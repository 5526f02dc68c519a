"""Static instances of the variable faces: made by HarfBuzz once, kept on disk, and printing the
pages WeasyPrint's own instances print."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy
import pytest
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from studyguide.build.options import BuildOptions
from studyguide.engine import instances
from studyguide.engine.weasy import Resources, render_pdf
from studyguide.html import fonts as faces

from ..conftest import CONTENT, build_clean
from ..pdfinfo import fonts, page_image

SERIF = faces.FACES[0].path  # Source Serif 4, with a weight axis and an optical size axis


@pytest.fixture(scope="module")
def emitted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The HTML the guide, the tablet edition and the card sheets are rendered from."""
    out = tmp_path_factory.mktemp("emitted")
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=out, only=("guide", "tablet", "cards"),
                             emit_html=True))
    return out


@pytest.mark.parametrize("name", ["guide", "tablet", "flashcards"])
def test_pages_look_as_with_weasyprints_own_instances(emitted, tmp_path, name):
    html = (emitted / f"{name}.html").read_text(encoding="utf-8")
    ours = tmp_path / "ours.pdf"
    ours.write_bytes(render_pdf(html, Resources(CONTENT, (CONTENT, *faces.font_dirs())), "ours.pdf").data)
    theirs = tmp_path / "theirs.pdf"
    weasyprint_alone = ("import sys, weasyprint; weasyprint.HTML(sys.argv[1], base_url=sys.argv[2])"
                        ".write_pdf(sys.argv[3], presentational_hints=True)")
    subprocess.run([sys.executable, "-c", weasyprint_alone, emitted / f"{name}.html", CONTENT.as_uri() + "/",
                    theirs], check=True)
    for page in (1, 2):
        drawn = [numpy.asarray(page_image(pdf, page, dpi=150).convert("L"), dtype=int)
                 for pdf in (ours, theirs)]
        differ = numpy.abs(drawn[0] - drawn[1]) > 64
        assert differ.mean() < 0.0005, f"{name} page {page}: {differ.mean():.4%} of its pixels differ"


def test_a_render_instances_no_font_in_python(emitted, monkeypatch):
    """fontTools' instancer, WeasyPrint's way, is never called: each variable face comes static."""
    from weasyprint.pdf import fonts

    def refuse(*args, **kwargs):
        raise AssertionError("fontTools instanced a font")

    monkeypatch.setattr(fonts, "instantiateVariableFont", refuse)
    html = (emitted / "guide.html").read_text(encoding="utf-8")
    pdf = render_pdf(html, Resources(CONTENT, (CONTENT, *faces.font_dirs())), "guide.pdf")
    assert pdf.warnings == ()  # WeasyPrint logs a warning for a font it fails to instance


def test_each_face_is_embedded_once_and_static(emitted):
    embedded = fonts(emitted / "guide.pdf")
    names = [name.split("+", 1)[-1] for name in embedded]
    assert len(names) == len(set(names)) >= 4, names
    for name, descriptor in embedded.items():
        program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
        assert "fvar" not in program and "gvar" not in program, name


def test_an_instance_is_static_and_made_once_per_machine(tmp_path, monkeypatch):
    harfbuzz = instances.HarfBuzz()
    variable = harfbuzz.load(SERIF.read_bytes())
    font = _font(variable, weight=600, size=9.5)
    made = instances.InstanceStore(harfbuzz, tmp_path).instance(variable.face, font)

    tables = set(TTFont(io.BytesIO(made.data)).keys())
    assert "fvar" not in tables and "gvar" not in tables and {"glyf", "hmtx", "cmap"} <= tables
    assert [path.suffix for path in tmp_path.iterdir()] == [".ttf"]

    monkeypatch.setattr(harfbuzz, "pinned", lambda *args: pytest.fail("made again, not read"))
    read = instances.InstanceStore(harfbuzz, tmp_path).instance(variable.face, font)
    assert read.data == made.data


def test_a_damaged_instance_on_disk_is_made_again(tmp_path):
    harfbuzz = instances.HarfBuzz()
    variable = harfbuzz.load(SERIF.read_bytes())
    font = _font(variable, weight=400, size=12.0)
    made = instances.InstanceStore(harfbuzz, tmp_path).instance(variable.face, font)
    [path] = tmp_path.iterdir()
    path.write_bytes(b"not a font")
    assert instances.InstanceStore(harfbuzz, tmp_path).instance(variable.face, font).data == made.data


def test_different_places_on_the_axes_are_different_instances(tmp_path):
    harfbuzz = instances.HarfBuzz()
    variable = harfbuzz.load(SERIF.read_bytes())
    store = instances.InstanceStore(harfbuzz, tmp_path)
    made = {(weight, size): store.instance(variable.face, _font(variable, weight, size)).data
            for weight, size in [(400, 9.0), (700, 9.0), (400, 40.0)]}
    assert len(set(made.values())) == 3


def _font(variable: instances.LoadedFont, weight: int, size: float) -> SimpleNamespace:
    """What the store reads of one of WeasyPrint's fonts: upright, at this weight and size."""
    return SimpleNamespace(variations={}, weight=weight, font_size=size, style=0, index=0,
                           file_content=variable.data)


@pytest.mark.parametrize(("font", "axes", "placed"), [
    (dict(weight=700, font_size=9.5, style=0), {"wght": (200, 900), "opsz": (8, 60)},
     {"wght": 700, "opsz": 9.5}),
    (dict(weight=400, font_size=12.0, style=0, variations={"wght": 530.0}), {"wght": (200, 900)},
     {"wght": 530.0}),
    (dict(weight=400, font_size=12.0, style=1), {"slnt": (-12, 0)}, {"slnt": -12}),
    (dict(weight=400, font_size=12.0, style=1), {"slnt": (0, 10)}, {"slnt": 10}),
    (dict(weight=400, font_size=12.0, style=0), {"slnt": (-12, 0)}, {"slnt": 0}),
    (dict(weight=400, font_size=12.0, style=2), {"ital": (0, 1), "wght": (300, 700)},
     {"ital": 1, "wght": 400}),
])
def test_a_font_is_placed_on_its_axes_where_weasyprint_places_it(font, axes, placed):
    font = SimpleNamespace(**{"variations": {}, **font})
    assert instances.location(font, axes) == placed


def test_a_glyph_table_past_128_kib_is_read_whole():
    """HarfBuzz 6 gives Source Sans 3 Bold more glyph data than its short offsets reach: each glyph
    must still be read whole, the last one too."""
    harfbuzz = instances.HarfBuzz()
    variable = harfbuzz.load(faces.FACES[2].path.read_bytes())
    font = TTFont(io.BytesIO(harfbuzz.pinned(variable.face, {"wght": 700})))
    assert font["maxp"].numGlyphs == TTFont(faces.FACES[2].path)["maxp"].numGlyphs
    glyphs = font.getGlyphSet()
    last = font.getGlyphOrder()[-1]
    pen = RecordingPen()
    glyphs[last].draw(pen)
    assert pen.value and glyphs[last].width > 0
