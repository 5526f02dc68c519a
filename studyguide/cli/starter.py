"""A new guide in one command: a folder with a commented guide.yaml that builds at once."""

from __future__ import annotations

from pathlib import Path

from ..content.load import GUIDE_FILE
from ..diagnostics import UsageError
from ..guard.files import write_atomic

STARTER = r"""# Your study guide. Build it with:  python build.py --content {folder}
# Every value is text; Markdown and LaTeX math ($…$ inline, $$…$$ displayed) work in
# questions, answers and intros. The README's "The content format" tells the rest.

title: My Study Guide                  # required: the cover and the name of the Anki deck
subtitle: Questions and answers         # optional
# author: Your Name                     # optional
# updated: 2026-12-01                   # optional: shown on the cover

sections:                               # at least one; each becomes a part of the guide
  - title: First Steps
    intro: A section may open with a short paragraph of **Markdown**.
    cards:
      - question: What does *Markdown* look like in an answer?   # required
        answer: |                       # required: as long as you like
          Paragraphs, *emphasis*, **bold**, and lists:

          - one item
          - another item

          | Table | Too |
          |-------|-----|
          | yes   | yes |
        tags: [markdown, basics]        # optional: choose cards with --tags markdown
        difficulty: easy                # optional: easy, medium or hard

      - id: pythagoras                  # optional: a stable name (Anki updates the same note)
        question: What is the length of the hypotenuse $c$ of a right triangle?
        answer: |
          With legs $a$ and $b$:

          $$c = \sqrt{{a^2 + b^2}}$$
        card: $c = \sqrt{{a^2 + b^2}}$  # optional: a short answer for the flashcards
        tags: [math]
        difficulty: medium

      - question: How do you reverse a list in Python?
        answer: |
          Slicing makes a reversed copy; `reverse()` turns the list itself around:

          ```python
          numbers = [1, 2, 3]
          print(numbers[::-1])  # [3, 2, 1]
          numbers.reverse()
          ```
        tags: [python]
        difficulty: hard

      - question: The {{{{c1::mitochondria}}}} is the {{{{c2::powerhouse::what kind of house?}}}} of the cell.
        # A cloze card: each {{{{c1::…}}}} becomes a card of its own that hides it;
        # an answer is optional here, for extra notes.
        tags: [biology]
"""


def new_guide(folder: Path) -> Path:
    """Write the starter guide.yaml into folder, which must be new or empty; its path."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not an empty folder; choose a new folder")
    path = folder / GUIDE_FILE
    write_atomic(path, STARTER.format(folder=folder).encode("utf-8"))
    return path
