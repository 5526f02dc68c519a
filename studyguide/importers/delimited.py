"""Cards from CSV and TSV: Quizlet's export (term TAB definition), Anki's text export (with its
`#separator:`, `#html:`, `#tags column:` … lines), other spreadsheets with a header row, and
studyguide's own flashcards.csv, which imports as the cards it was made from.

A header row is recognised by its column names (question/front/term, answer/back/definition,
id, section/deck, tags, difficulty, guid); without one, the columns are question, answer. A
first row of other column names or of languages (`fr,en`, `English;German`) is skipped, and
said so. A column beyond those is never dropped: one of short words reads as tags, any other
goes under the answer; the report says which.
Plain text is kept as written: its line breaks stay, and what Markdown would read as
formatting is escaped. HTML (Anki's `#html:true`) goes through the same converter as Anki's
fields.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..content.model import DIFFICULTIES
from ..diagnostics import ImportSourceError
from ..exports.plaintext import CSV_HEADER, SPREADSHEET_FORMULA
from ..guard.limits import MAX_IMPORT_NOTES
from .draft import Draft, DraftCard, DraftSection, Skipped, read_text
from .fields import FieldConverter, tidy

_NAMES = {
    "question": ("question", "front", "term", "prompt", "text"),
    "answer": ("answer", "back", "definition", "response", "back extra"),
    "id": ("id",), "section": ("section", "deck"), "tags": ("tags", "tag"),
    "difficulty": ("difficulty",), "guid": ("guid",),
}
_SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_DIRECTIVE = re.compile(r"^#([a-z ]+):(.*)$")
_MATH = re.compile(r"\$\$.+?\$\$|\$[^$\s](?:[^$\n]*?[^$\s\\])?\$")
_LINE_START = re.compile(r"^(\s*)([#>+\-*]|\d+[.)])(?=\s|$)")
_INLINE = re.compile(r"([\\`*_\[\]<])")
# What else spreadsheets call their columns; a first row of these (or of languages) is no card.
_OTHER_NAMES = {"word", "words", "meaning", "translation", "example", "examples", "sentence", "note",
                "notes", "extra", "hint", "category", "topic", "level", "source", "q", "a", "reading",
                "pronunciation", "comment", "comments", "explanation", "type", "part of speech"}
_TAGS = re.compile(r"[\w:/#-]{1,40}(?: +[\w:/#-]{1,40}){0,7}")  # a cell that reads as tags


def read_table(path: Path) -> Draft:
    text = read_text(path)
    directives, body = _directives(text)
    separator = _SEPARATORS.get(directives.get("separator", "").lower()) or _separator(path, body)
    rows = _rows(path, body, separator, text.count("\n") - body.count("\n"))
    if len(rows) > MAX_IMPORT_NOTES + 1:
        raise ImportSourceError(f"{path.name}: more than {MAX_IMPORT_NOTES:,} rows, "
                                "the most one import takes")
    columns, header, ours = _columns(rows[0] if rows else [], directives)
    skipped = Skipped()
    if not header and rows and _names_columns(rows[0]):
        header = True
        skipped.add("a first row of column names, not a card", f"row 1: {', '.join(rows[0])}")
    first = 2 if header else 1  # the row number of the first card, for reports
    rows = rows[1:] if header else rows
    columns |= _extra_columns(rows, columns, not header, skipped)
    under_answer = [name for name in columns if name.startswith("column ")]
    html = directives.get("html", "").lower() == "true"
    converter = FieldConverter(lambda src: None, skipped)
    sections: dict[str, list[DraftCard]] = {}
    for number, row in enumerate(rows, first):
        def cell(name: str, row=row) -> str:
            index = columns.get(name)
            value = row[index].strip() if index is not None and index < len(row) else ""
            return value[1:] if ours and value[:2] in {"'" + c for c in SPREADSHEET_FORMULA} else value

        def text(name: str, number=number) -> str:
            return converter.markdown(cell(name), f"row {number}") if html else plain_markdown(cell(name))

        question, answer = text("question"), text("answer")
        answer = "\n\n".join(part for part in [answer, *map(text, under_answer)] if part) if answer else ""
        if not question or not answer:
            skipped.add("rows with an empty question or answer", f"row {number}")
            continue
        difficulty = cell("difficulty").lower()
        if difficulty and difficulty not in DIFFICULTIES:
            skipped.add("difficulties other than easy, medium or hard", f"row {number}: {difficulty}")
        separators = r"\s*,\s*" if ours else r"[\s,]+"
        tags = tuple(tag for tag in re.split(separators, cell("tags")) if tag)
        section = cell("section").split("::")[-1].strip() or path.stem
        sections.setdefault(section, []).append(DraftCard(
            question, answer, tags, guid=cell("guid") or None, id=cell("id") or None,
            difficulty=difficulty if difficulty in DIFFICULTIES else None, where=f"row {number}"))
    return Draft(path.stem, [DraftSection(title, tuple(cards)) for title, cards in sections.items()],
                 skipped=skipped)


def plain_markdown(text: str) -> str:
    """Plain text as Markdown that reads back as the same text: lines kept, formatting escaped."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return tidy("\n\n".join("<br>\n".join(_escaped(line) for line in paragraph.split("\n"))
                            for paragraph in paragraphs))


def _escaped(line: str) -> str:
    parts, last = [], 0
    for formula in _MATH.finditer(line):
        parts.append(_INLINE.sub(r"\\\1", line[last:formula.start()]))
        parts.append(formula.group(0))
        last = formula.end()
    parts.append(_INLINE.sub(r"\\\1", line[last:]))
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}", "".join(parts))


def _directives(text: str) -> tuple[dict[str, str], str]:
    """Anki's header lines (#separator:tab, #html:true, #tags column:3, …) and the rest."""
    directives, lines = {}, text.split("\n")
    while lines and (match := _DIRECTIVE.match(lines[0].rstrip("\r"))):
        directives[match.group(1).strip().lower()] = match.group(2).strip()
        lines.pop(0)
    return directives, "\n".join(lines)


def _rows(path: Path, body: str, separator: str, header_lines: int) -> list[list[str]]:
    """The rows that hold anything; a row the csv module cannot read is an error at the line of
    the file it starts on, below the header_lines of Anki's directives."""
    reader = csv.reader(io.StringIO(body, newline=""), delimiter=separator)
    rows = []
    while True:
        starts = header_lines + reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as error:
            limit = f"{csv.field_size_limit():,}"
            reason = (f"a field runs past {limit} characters, most often because a quote opens a "
                      'field and never closes: close it, or write "" for a quote inside a quoted field'
                      if "field limit" in str(error) else str(error))
            raise ImportSourceError(f"{path.name}, line {starts}: {reason}") from error
        if row is None:
            return rows
        if any(row):
            rows.append(row)


def _names_columns(row: list[str]) -> bool:
    """Whether a first row names columns rather than holding a card: two cells or more, each a
    column's name or a language's code or English name."""
    from babel import Locale

    languages = {name.lower() for name in Locale("en").languages.values()}
    cells = [cell.strip().lower() for cell in row if cell.strip()]
    return len(cells) >= 2 and all(cell in _OTHER_NAMES or cell in languages or _language_code(cell)
                                   for cell in cells)


def _language_code(cell: str) -> bool:
    from babel import localedata

    code = re.fullmatch(r"[a-z]{2,3}(?:[-_][a-z]{2,4})?", cell)
    return code is not None and localedata.exists(cell.replace("-", "_"))


def _tags(values: list[str]) -> bool:
    """Whether a column's values read as tags: a few words each, without sentence punctuation,
    some of them all lower case."""
    return all(_TAGS.fullmatch(value) for value in values) and any(value == value.lower() for value in values)


def _extra_columns(rows: list[list[str]], columns: dict[str, int], guess_tags: bool,
                   skipped: Skipped) -> dict[str, int]:
    """The columns that hold something beyond those in columns, by a name for each: "tags" for the
    first one of short words, when there is no tags column and guess_tags; "column N" for the
    others, which go under the answer. Each is reported."""
    used = set(columns.values())
    width = max((len(row) for row in rows), default=0)
    extra: dict[str, int] = {}
    for index in range(width):
        values = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
        if index in used or not values:
            continue
        example = f"column {index + 1}: {values[0][:40]}"
        if guess_tags and "tags" not in columns | extra and _tags(values):
            extra["tags"] = index
            skipped.add("columns besides question and answer, read as tags", example, changed=True)
        else:
            extra[f"column {index + 1}"] = index
            skipped.add("columns besides question and answer, added under the answer", example, changed=True)
    return extra


def _separator(path: Path, body: str) -> str:
    first = body.split("\n", 1)[0]
    if path.suffix.lower() in (".tsv", ".txt") or "\t" in first:
        return "\t"
    try:
        return csv.Sniffer().sniff(body[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _columns(first: list[str], directives: dict[str, str]) -> tuple[dict[str, int], bool, bool]:
    """Which column holds what, whether the first row is a header, and whether the file is our
    own flashcards.csv."""
    names = [cell.strip().lower() for cell in first]
    if tuple(names) == CSV_HEADER:
        return {name: index for index, name in enumerate(CSV_HEADER)}, True, True
    found = {key: names.index(name) for key, choices in _NAMES.items() for name in choices if name in names}
    if "question" in found and "answer" in found:
        return found, True, False
    # Anki's text export numbers its special columns from 1; the fields fill the others in order.
    special = {key: int(directives[f"{key} column"]) - 1 for key in ("guid", "tags", "deck", "notetype")
               if directives.get(f"{key} column", "").isdigit()}
    fields = [index for index in range(max(len(first), 2 + len(special))) if index not in special.values()]
    columns = {"question": fields[0], "answer": fields[1], **special}
    if "deck" in columns:
        columns["section"] = columns.pop("deck")
    return columns, False, False
