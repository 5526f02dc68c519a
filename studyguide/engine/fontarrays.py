"""Glyph arrays for HarfBuzz made in one C type, not in a new one for every length.

WeasyPrint passes HarfBuzz the glyphs it keeps as an array typed by its length
('hb_codepoint_t[57]'), and cffi parses each type it has not met with pycparser, some 3 ms
each. A worker forked for a render starts with none parsed: 0.06 s of a 0.35 s render of the
seed guide went on it. Here those arrays are made open-sized ('hb_codepoint_t[]', as long as
what fills them), the same array in one type parsed once per process.
"""

from __future__ import annotations

import re
from functools import cache

_SIZED = re.compile(r"(\w+)\[(\d+)\]")


class _OpenArrays:
    """WeasyPrint's FFI, but that an array filled as it is made is made open-sized."""

    def __init__(self, ffi):
        self._ffi = ffi

    def new(self, cdecl: str, init=None):
        match = _SIZED.fullmatch(cdecl)
        if match and init is not None and len(init) == int(match.group(2)):
            return self._ffi.new(f"{match.group(1)}[]", init)
        return self._ffi.new(cdecl, init)

    def __getattr__(self, name: str):
        return getattr(self._ffi, name)


@cache
def install() -> None:
    from weasyprint.pdf import fonts  # no public API for the fonts a PDF embeds

    fonts.ffi = _OpenArrays(fonts.ffi)
