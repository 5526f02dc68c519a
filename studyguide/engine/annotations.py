"""One link annotation for each link, not one for every box inside it.

WeasyPrint writes a link annotation for the link's own box and another for every box within
it: a contents entry (its number, its question, its page) made four, each with its place in
the structure tree, and a quiz question's link its own few. An annotation whose area lies
inside another's, leading to the same place, is dropped: the outer one is clicked there all
the same, and the PDF carries a quarter of the contents' annotations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document

_SLACK = 0.01  # px: areas that touch at the edges count as inside


def drop_covered_links(document: Document) -> None:
    """Drop each link of the laid-out document that a link before it, to the same place, covers."""
    for page in document.pages:
        kept: list[tuple] = []
        for link in page.links:
            if not any(_covers(earlier, link) for earlier in kept):
                kept.append(link)
        page.links[:] = kept


def _covers(outer: tuple, inner: tuple) -> bool:
    """Whether outer leads where inner does, over all of its area ((left, top, right, bottom))."""
    if outer[:2] != inner[:2]:
        return False
    (left, top, right, bottom), (x1, y1, x2, y2) = outer[2], inner[2]
    return left <= x1 + _SLACK and top <= y1 + _SLACK and right >= x2 - _SLACK and bottom >= y2 - _SLACK
