"""GitHub's emoji shortcodes print as emoji in every output; code and times keep their colons."""

from __future__ import annotations

import pytest

from studyguide.build.options import BuildOptions
from studyguide.content.shortcodes import emojized

from ..conftest import build_clean, write_guide
from ..pdfinfo import page_texts


@pytest.mark.parametrize(("written", "read"), [
    (":white_check_mark: Answer", "✅ Answer"),
    ("Ship it :rocket:!", "Ship it 🚀!"),
    ("at 10:30:00, :notanemoji:", "at 10:30:00, :notanemoji:"),
    ("`:keep_this:` and\n```\n:rocket:\n```\n:rocket:", "`:keep_this:` and\n```\n:rocket:\n```\n🚀"),
    ('<img alt=":rocket:">', '<img alt=":rocket:">'),
])
def test_shortcodes_outside_code_become_emoji(written, read):
    assert emojized(written) == read


def test_titles_questions_and_answers_show_the_emoji_in_every_output(tmp_path):
    content = write_guide(tmp_path / "content", (
        'title: "Prep :rocket:"\nsections:\n  - title: ":white_check_mark: Basics"\n    cards:\n'
        '      - question: "Done? :white_check_mark:"\n        answer: "Yes :rocket:, not `:rocket:`."\n'))
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide", "tsv")))
    assert (tmp_path / "out" / "flashcards.tsv").read_text(encoding="utf-8").strip() == \
        "Done? ✅\tYes 🚀, not :rocket:."
    guide = " ".join(page_texts(tmp_path / "out" / "guide.pdf"))
    assert "✅ Basics" in guide and "white_check_mark" not in guide
