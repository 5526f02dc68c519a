"""How much work a content pack may ask for: every limit in one place, each with its reason.

Content packs get shared, so a build must end within seconds whatever a pack holds.
Each limit is far above what real study content needs and far below where a
library slows down or fails (measured: Python-Markdown takes 12 s on 10,000 `[`,
WeasyPrint dies of recursion near 140 nested elements, PyYAML composes about
250 KiB a second). Going over a limit is a content error at the file, line and
column it happened, never a hang or a traceback.
"""

import re

MAX_YAML_BYTES = 512 * 1024
"""One YAML file (guide.yaml or a section file): about 800 cards, composed in about 2 s."""

MAX_YAML_DEPTH = 16
"""Lists and mappings inside one another in a YAML file; the format itself needs 6."""

MAX_FIELD_CHARS = 20_000
"""One text value (a question, an answer, a title): about eight printed pages."""

MAX_WORD_CHARS = 4_000
"""Characters in one word as printed (no blank in it), like a minified line of code: WeasyPrint's
time to break a word over lines grows with the square of its length (4,000 characters take 1 s,
16,000 take 15 s)."""

MAX_FORMULAS = 300
"""Formulas in one text: a page holds some 60, and each takes about 36 ms to draw (5,000 took
180 s)."""

MAX_BRACKETS = 100
"""'[' in one field outside code: Python-Markdown's time grows with their number times the
field's length (100 in 20,000 characters take about 0.4 s)."""

MAX_NESTING = 24
"""Elements inside one another in one field's HTML: lists in lists, quotes in quotes, tags.
Python-Markdown recurses once per level and WeasyPrint fails near 140 levels."""

MAX_IMAGE_BYTES = 16 * 1024 * 1024
"""One image file."""

MAX_IMAGE_PIXELS = 40_000_000
"""One raster image's width times height, read from its header before anything decodes it:
a full A4 page at 600 dpi is 35 million. Decoded, 40 million pixels take 160 MB."""

MAX_RESOURCE_BYTES = 32 * 1024 * 1024
"""Any file the renderer reads (images, the bundled fonts)."""


# Importing: an Anki package is a zip and a SQLite database from a stranger, so every size is
# bounded before it is read, and reads stop at the bound whatever the zip's headers claim.

MAX_ARCHIVE_MEMBERS = 100_000
"""Files in one package: a deck with an image on every card of 50,000 cards, twice over."""

MAX_COLLECTION_BYTES = 512 * 1024 * 1024
"""The SQLite collection inside a package, unpacked: 100,000 notes take about 100 MB. A zip
bomb's member claims more than this and is refused before it is unpacked."""

MAX_IMPORT_NOTES = 20_000
"""Notes or rows imported from one file: a guide of 20,000 cards is 5,000 printed pages."""

MAX_QUERY_SECONDS = 60
"""Reading the collection's tables: a hostile database can make a query run for ever (a view
that recurses); reading 100,000 notes takes about a second."""

MAX_TEXT_IMPORT_BYTES = 16 * 1024 * 1024
"""A Markdown, CSV or TSV file to import: 16 MiB of questions is about 8,000 printed pages."""


def long_word(text: str) -> str | None:
    """The first word of text longer than MAX_WORD_CHARS, if any."""
    match = re.search(rf"\S{{{MAX_WORD_CHARS + 1},}}", text)
    return match.group() if match else None
