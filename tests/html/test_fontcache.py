"""Font facts kept per machine: what a font file draws is read from its map once, then from the cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from studyguide.html import fontcache, fonts

SERIF = fonts.FACES[0].path


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The font files whose maps are read from now on."""
    read: list[Path] = []
    original = fontcache._read_map
    monkeypatch.setattr(fontcache, "_read_map", lambda path: read.append(path) or original(path))
    return read


def test_a_file_s_characters_are_its_map_s_and_read_from_the_cache_the_second_time(
        monkeypatch: pytest.MonkeyPatch):
    read = _reads(monkeypatch)
    with TTFont(SERIF, lazy=True) as font:
        expected = frozenset(font.getBestCmap())
    assert fontcache.drawn_by(SERIF) == expected
    assert fontcache.drawn_by(SERIF) == expected
    assert read == [SERIF]


def test_a_changed_file_is_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    copy = tmp_path / "face.ttf"
    shutil.copyfile(SERIF, copy)
    read = _reads(monkeypatch)
    first = fontcache.drawn_by(copy)
    shutil.copyfile(fonts.FACES[4].path, copy)  # another face in its place
    os.utime(copy, ns=(1, 1))
    assert fontcache.drawn_by(copy) != first
    assert read == [copy, copy]


def test_a_cache_that_cannot_be_written_costs_only_the_read(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    own_cache.parent.mkdir(parents=True, exist_ok=True)
    own_cache.write_text("a file where the folder should be", encoding="utf-8")
    read = _reads(monkeypatch)
    assert fontcache.drawn_by(SERIF) == fontcache.drawn_by(SERIF)
    assert read == [SERIF, SERIF]


def test_a_damaged_entry_is_read_again_from_the_font(own_cache: Path, monkeypatch: pytest.MonkeyPatch):
    expected = fontcache.drawn_by(SERIF)
    [entry] = (own_cache / "studyguide" / "fonts" / "coverage").iterdir()
    entry.write_text("20 zz\n", encoding="ascii")
    assert fontcache.drawn_by(SERIF) == expected
