"""How messages name what they are about."""

from __future__ import annotations

import pytest

from studyguide.diagnostics import cards_named


@pytest.mark.parametrize(("numbers", "named"), [
    ([], ""),
    ([7], "card 07"),
    ([12, 13, 14, 12], "cards 12 to 14"),
    ([21, 3], "cards 03 and 21"),
    ([17, 3, 21], "cards 03, 17 and 21"),
    ([40, 3, 17, 21, 9, 120], "cards 03, 09, 17 and 3 more"),
])
def test_a_render_names_its_cards_by_their_numbers(numbers: list[int], named: str):
    assert cards_named(numbers) == named
