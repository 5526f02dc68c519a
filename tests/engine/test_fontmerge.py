"""Fonts merged in a join: one font per face, and kept in the part cache from one join to the next."""

from __future__ import annotations

import io
from pathlib import Path

import pikepdf
import pytest

from studyguide.engine import fontmerge
from studyguide.engine.join import join
from studyguide.engine.partcache import PartCache
from studyguide.engine.parts import PartPdf
from studyguide.engine.weasy import Resources, render_pdf
from studyguide.html import fonts
from tests.pdfinfo import page_texts


@pytest.fixture
def merges(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many fonts each join merged from their subsets, rather than read back."""
    counts = [0]
    merged = fontmerge._Face._merged

    def counted(face):
        counts[-1] += 1
        return merged(face)

    monkeypatch.setattr(fontmerge._Face, "_merged", counted)
    return counts


def parts(tmp_path: Path, *texts: str) -> list[PartPdf]:
    resources = Resources(tmp_path, (tmp_path, *fonts.font_dirs()))
    return [PartPdf(render_pdf(f"<p>{text}</p>", resources, "joined.pdf").data, ("",), {}) for text in texts]


def fonts_of(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sorted(str(font.BaseFont) for page in pdf.pages for font in page.Resources.Font.values())


def test_a_join_reads_back_the_merged_fonts_of_subsets_it_has_merged_before(tmp_path, merges):
    store = PartCache(tmp_path / "cache", "salt")
    first = join(parts(tmp_path, "one two", "three four"), (False, False), store=store)
    assert merges == [1]  # Source Serif's two subsets, made one font
    merges.append(0)
    assert join(parts(tmp_path, "one two", "three four"), (False, False), store=store) == first
    assert merges == [1, 0]
    merges.append(0)
    assert join(parts(tmp_path, "one two", "three four"), (False, False)) == first  # and without a store
    assert merges == [1, 0, 1]
    merges.append(0)
    changed = join(parts(tmp_path, "one two", "three fox"), (False, False), store=store)  # an x: a new glyph
    assert merges == [1, 0, 1, 1]
    assert page_texts_of(changed, tmp_path) == ["one two", "three fox"]
    assert len(set(fonts_of(changed))) == 1  # one font for the face on both pages


def page_texts_of(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "joined.pdf"
    path.write_bytes(data)
    return [text.strip() for text in page_texts(path)]
