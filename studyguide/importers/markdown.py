"""Markdown question sets, in the shapes public interview-question repositories use.

Questions are numbered headings (`## 1. What is …?`), or the summaries of `<details>` that
hide each answer, or numbered paragraphs each followed by a `<details>` that reveals its answer,
or bold lines (`**What is …?**`), or else the headings one level below the
sections (`##` sections, `###` questions); a question's answer is everything up to the next
question or section, but for what it shows before a `<details>` that reveals its answer (code,
options), which stays on its front. Front matter's `title:`, a first `#` heading or an HTML `<h1>` near the
top is the title. Relative images inside the file's folder are copied; others become their
alt text, and are reported. Remote images stay as they are: a build never fetches them (see
remote.py) and says so.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..guard import images
from ..guard.files import read_limited
from ..guard.limits import MAX_IMAGE_BYTES
from ..markup import remote
from .draft import Draft, DraftCard, DraftSection, Skipped, alt_from_name, image_path, read_text
from .fields import tidy

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_LISTED_HEADING = re.compile(r"^ {0,3}(\d+[.)])\s+(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")  # 1. ### What is …?
_BACK_TO_TOP = re.compile(r"^\s*(\*\*|__)?\[[^\]]*\]\(#[^)]*\)(\*\*|__)?\s*$")  # only a link in the page
# What a label says when it only reveals the answer: "Show answer", "Solution", "Ответ", "答案".
_REVEAL = re.compile(r"^(?:show |see |the )?(?:answer|solution|hint|explanation)s?\b"
                     r"|^(?:antwort|lösung|respuesta|solución|réponse|solution|risposta|soluzione|resposta"
                     r"|antwoord|oplossing|odpowiedź|rozwiązanie|cevap|çözüm|ответ|решение|відповідь"
                     r"|розв'язання|ال[إأا]جابة|الجواب|الحل|پاسخ|جواب|תשובה|उत्तर|हल)(?!\w)"
                     r"|^(?:答案|解答|回答|答え|정답|답|해설)", re.I)
_WRAPPER = re.compile(r"^(?:\s*<br\s*/?>|\s*<b>)+|(?:</b>\s*)+$", re.I)  # <br><b>answer</b>
_IN_PAGE_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(#[^)]*\)")  # to a heading of the file: the guide has its own
_ANCHORS = re.compile(r"^(?:\s*<a\b[^>]*>\s*</a>)+\s*", re.I)  # <a name="q3"></a> before a heading's words
_NUMBERED = re.compile(r"^ {0,3}\d+[.)]\s*(?!\d)\S")  # a numbered paragraph: 1. What …? or 17.What …?
_SHOWN_LINES = 80  # the most lines a question shows (code, options) before the <details> of its answer
_SUMMARY_END = re.compile(r"</summary>", re.I)
_SUMMARY_LINES = 40  # the most lines one <summary> may run over
_HTML_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
# An answer that only holds the place of one: "Answer here", "TODO", "Coming soon", "...".
_PLACEHOLDER = re.compile(r"^\W*(?:(?:your )?answer here|todo|tbd|tba|coming soon|to be (?:added|written)"
                          r"|work in progress|wip|\.{3}|…)\W*$", re.I)
# Headings that only name a level of questions, and the difficulty each stands for.
_LEVELS = {**dict.fromkeys(("junior", "beginner", "easy", "entry level"), "easy"),
           **dict.fromkeys(("middle", "mid level", "regular", "intermediate", "medium"), "medium"),
           **dict.fromkeys(("senior", "advanced", "expert", "hard"), "hard")}
_CONTENTS = re.compile(r"^(?:table of contents|contents|toc|index)$", re.I)
# A paragraph led by a bold number: **1)** The number of ads. / **2) Factorial**. Compute n!
_LED = re.compile(r"^\s*(?:\*\*|__)\s*\d+[.)]\s*(.*\S)\s*$")
_BOLD = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
_NUMBER = re.compile(r"^(?:(?:Q(?:uestion)?\s*)?\d+\s*[.):-]\s*|Q(?:uestion)?\s*\d*\s*[.:]\s*)", re.I)
# A code fence as CommonMark reads it: a backtick fence's words (its language) hold no backtick, so
# ```const x = 1``` on a line of its own is inline code; a closing fence is the fence alone.
_FENCE = re.compile(r"^\s*(`{3,}(?=[^`]*$)|~{3,})")
_CLOSING_FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*$")
_FRONT_MATTER = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)
_TITLE = re.compile(r"^title:\s*['\"]?(.*?)['\"]?\s*$", re.M)
_DETAILS = re.compile(r"</?details[^>]*>", re.I)
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.I)
_BARE = re.compile(r"^\s*(?:</?p>|<br\s*/?>|</?details[^>]*>|-{3,}|\*{3,})?\s*$")  # blank, a tag, a rule
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"  # ![alt](src "title")
                    r"|<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>", re.I)


@dataclass(frozen=True)
class _Mark:
    line: int
    kind: str  # "heading", "bold", "details" or "numbered"
    level: int  # 1-6 for headings, 7 for bold lines, 8 for a <details>' summary, 9 for a numbered line
    text: str
    through: int = -1  # the last line it stands on, for a <summary> over several; -1: its own line

    @property
    def last(self) -> int:
        return max(self.line, self.through)


def read_markdown(path: Path) -> Draft:
    text = read_text(path)
    title = None
    front_matter = _FRONT_MATTER.match(text)
    if front_matter:
        found = _TITLE.search(front_matter.group(1))
        title = found.group(1) if found else None
        text = "\n" * front_matter.group().count("\n") + text[front_matter.end():]  # lines keep their numbers
    lines = text.splitlines()
    marks = _marks(lines)
    if marks and marks[0].level == 1 and sum(m.level == 1 for m in marks) == 1:
        title = title or _plain(marks[0].text)
        marks = marks[1:]
    html_title = _HTML_TITLE.search(text[:4096])  # READMEs often open with a centred <h1>
    title = title or (_plain(html_title.group(1)) if html_title else None)
    images_found = _Images(path.parent.resolve())
    sections = _sections(lines, marks, title or _named_by(path), images_found)
    if title is None and len(sections) == 1:  # a file of one section is called by its heading
        title = sections[0].title
    return Draft(title or _named_by(path), sections, images_found.kept, images_found.skipped)


_NAMELESS = {"readme", "index", "main", "questions", "answers"}  # file names that name no subject


def _named_by(path: Path) -> str:
    """A title from the file's name, or its folder's where the file's is README and the like:
    python-interview-questions.md gives "Python interview questions"."""
    name = path.parent.resolve().name if path.stem.lower() in _NAMELESS else path.stem
    words = re.sub(r"[-_]+", " ", name).strip() or path.stem
    return words[:1].upper() + words[1:]


class _Code:
    """Which lines are fenced code, read one after another as CommonMark reads them: a fence ends
    at its closing fence or, opened inside a list item, where a line less indented than the item's
    text ends the item (a set that forgets to close a fence in one answer keeps its next question)."""

    def __init__(self) -> None:
        self.fence: str | None = None
        self.indent = 0

    def holds(self, line: str) -> bool:
        """Whether line is code or one of its fences."""
        indent = len(line) - len(line.lstrip())
        if self.fence is not None:
            if line.strip() and indent < self.indent - 3:
                self.fence = None  # the list item ends, and the code with it
            else:
                closing = _CLOSING_FENCE.match(line)
                if closing and closing.group(1).startswith(self.fence):
                    self.fence = None
                return True
        if opened := _FENCE.match(line):
            self.fence, self.indent = opened.group(1), indent
            return True
        return False


def _marks(lines: list[str]) -> list[_Mark]:
    """Headings and bold lines outside code blocks and <details>, and the summary of each
    <details> (a question, in sets that hide each answer under its question)."""
    marks, code, details, opened_at = [], _Code(), 0, -2
    for index, line in enumerate(lines):
        if code.holds(line):
            continue
        if details == 0 and re.search(r"<details", line, re.I):
            opened_at = index
        summary, through = _summary_at(lines, index)
        if summary is not None and index - opened_at <= 1 and details <= 1:
            marks.append(_Mark(index, "details", 8, _summary_question(summary), through))
        details += len(re.findall(r"<details", line, re.I)) - len(re.findall(r"</details", line, re.I))
        if details > 0:
            continue
        if _is_marker(line):  # "### ✅ Answer": where an answer starts, not a question
            continue
        if heading := _HEADING.match(line):
            marks.append(_Mark(index, "heading", len(heading.group(1)), _ANCHORS.sub("", heading.group(2))))
        elif listed := _LISTED_HEADING.match(line):
            text = f"{listed.group(1)} {listed.group(3)}"
            marks.append(_Mark(index, "heading", len(listed.group(2)), text))
        elif bold := _BOLD.match(line):
            marks.append(_Mark(index, "bold", 7, bold.group(1)))
        elif led := _LED.match(line):
            marks.append(_Mark(index, "led", 9, tidy(re.sub(r"\*\*|__", "", led.group(1), count=1))))
        elif _NUMBERED.match(line) and _revealed_next(lines, index):
            marks.append(_Mark(index, "numbered", 9, line.strip()))
    return marks


def _revealed_next(lines: list[str], index: int) -> bool:
    """Whether a <details> that reveals an answer follows the line before the next numbered
    paragraph or heading: what the question shows (code, options) may stand between."""
    code = _Code()
    for following in range(index + 1, min(index + _SHOWN_LINES, len(lines))):
        line = lines[following]
        if code.holds(line):
            continue
        if _NUMBERED.match(line) or _HEADING.match(line) or "</details" in line.lower():
            return False
        if "<details" in line.lower():
            for number in (following, following + 1):
                summary, _ = _summary_at(lines, number) if number < len(lines) else (None, number)
                if summary is not None:
                    return bool(_REVEAL.match(_plain(summary)))
            return False
    return False


def _summary_at(lines: list[str], index: int) -> tuple[str | None, int]:
    """The HTML inside a <summary> that opens on the line, and the line it closes on: a summary
    may hold a code block over several lines."""
    if one := _SUMMARY.search(lines[index]):
        return one.group(1), index
    opening = re.search(r"<summary>(.*)$", lines[index], re.I)
    if not opening:
        return None, index
    for last in range(index + 1, min(index + _SUMMARY_LINES, len(lines))):
        if (closing := re.search(r"^(.*?)</summary>", lines[last], re.I)) is not None:
            return "\n".join([opening.group(1), *lines[index + 1:last], closing.group(1)]), last
    return None, index


def _summary_question(html_text: str) -> str:
    """A question from a summary's HTML: its words, its inline code in backticks and a code block
    it shows fenced."""
    def fenced(block: re.Match) -> str:
        code = html.unescape(re.sub(r"<[^>]+>", "", block.group(1))).strip("\n")
        return f"\n\n```\n{code}\n```\n\n"

    text = re.sub(r"<pre[^>]*>(.*?)</pre>", fenced, html_text, flags=re.S | re.I)
    return tidy(_plain(re.sub(r"</?code>", "`", text)))


def _questions(marks: list[_Mark]) -> tuple[set[int], set[int]]:
    """Which marks are questions and which are sections, by the lines they stand on."""
    headings = [m for m in marks if m.kind == "heading"]
    numbered = Counter(m.level for m in headings if _NUMBER.match(m.text))
    levels = sorted({m.level for m in headings})
    levels_numbered = [level for level, count in numbered.items() if count >= 2]
    if asking := _asking_level(headings, levels_numbered):
        levels_numbered = [asking]  # numbered headings below it are an answer's own
    if levels_numbered:
        questions = {m.line for m in headings if m.level in levels_numbered and _NUMBER.match(m.text)}
        shallowest = min(levels_numbered)
        return questions, {m.line for m in headings if m.level <= shallowest and m.line not in questions}
    led = [m for m in marks if m.kind == "led"]
    if len(led) >= 2:  # **1)** Count the active ads. then the answer
        return {m.line for m in led}, {m.line for m in headings}
    numbered_paragraphs = [m for m in marks if m.kind == "numbered"]
    if numbered_paragraphs:  # 1. What is …? then <details><summary>Answer</summary>
        return {m.line for m in numbered_paragraphs}, {m.line for m in headings}
    hidden = [m for m in marks if m.kind == "details" and not _REVEAL.match(m.text)]
    if len(hidden) >= 2:  # <details><summary>Question</summary>answer</details>
        return {m.line for m in hidden}, {m.line for m in headings}
    bold = [m for m in marks if m.kind == "bold"]
    if len(bold) >= 2 and len(levels) <= 1:
        return {m.line for m in bold}, {m.line for m in headings}
    if len(levels) >= 2:  # sections, then questions; or levels of sections over asking headings
        # A deeper level asks instead of the second when it mostly asks and has as many headings:
        # a few "#### Why?" inside answers do not.
        count = Counter(m.level for m in headings)
        asking = next((level for level in levels[1:] if _mostly_asking(headings, level)
                       and count[level] >= count[levels[1]]), levels[1])
        return {m.line for m in headings if m.level == asking}, \
            {m.line for m in headings if m.level < asking}
    return {m.line for m in headings}, set()


def _mostly_asking(headings: list[_Mark], level: int) -> bool:
    """Whether most headings of the level end in a question mark."""
    texts = [_plain(m.text) for m in headings if m.level == level]
    return 2 * sum(text.endswith("?") for text in texts) >= len(texts)


def _asking_level(headings: list[_Mark], levels: list[int]) -> int | None:
    """The shallowest of the numbered levels whose headings mostly end in a question mark, when
    there is one: `## 1. What is attention?` asks, `### 1. Scaled dot product` inside its answer
    does not."""
    for level in sorted(levels):
        texts = [_plain(m.text) for m in headings if m.level == level and _NUMBER.match(m.text)]
        if 2 * sum(text.endswith("?") for text in texts) >= len(texts):
            return level
    return None


def _sections(lines: list[str], marks: list[_Mark], title: str, found: _Images) -> list[DraftSection]:
    questions, section_lines = _questions(marks)
    by_line = {m.line: m for m in marks}
    starts = sorted(questions | section_lines)
    first = starts[0] if starts else len(lines)
    if any(not _BARE.match(line) and not _HEADING.match(line) for line in lines[:first]):
        found.skipped.add("text before the first section or question left out", f"lines 1 to {first}")
    sections: list[DraftSection] = []
    current, cards, intro, opened, difficulty = title, [], None, 0, None
    above: list[tuple[int, str]] = []  # the section headings the current one stands under, and it

    def close() -> None:
        if cards and sections and sections[-1].title == current:  # the next level of one section
            sections[-1] = replace(sections[-1], cards=(*sections[-1].cards, *cards))
        elif cards:
            sections.append(DraftSection(current, tuple(cards), intro))
        elif intro:
            found.skipped.add("sections without a question", f"line {opened + 1}: {current[:60]}")

    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        mark = by_line[start]
        after = _SUMMARY_END.split(lines[mark.last], maxsplit=1)[-1] if mark.kind == "details" else ""
        rest = lines[mark.last + 1:end]
        asked, answered = _asked_before_revealed(rest) if mark.kind != "details" else ([], [])
        hidden = mark.kind == "details" or bool(answered)
        body = _answer([after, *(answered or rest)], hidden=hidden)
        if mark.kind == "heading" and _CONTENTS.match(_plain(mark.text)):
            found.skipped.add("tables of contents left out (the guide makes its own)", f"line {start + 1}")
            continue
        if start in section_lines:
            close()
            above = [*((level, text) for level, text in above if level < mark.level),
                     (mark.level, _plain(mark.text))]
            (current, difficulty), cards, opened = _section_title(above), [], start
            intro = found.replace(body, start) or None
            continue
        question = found.replace(_NUMBER.sub("", by_line[start].text, count=1).strip(), start)
        if asked:  # the code and the options the question shows go on the front with it
            question = "\n\n".join([question, found.replace(_answer(asked), start)])
        if not body or _PLACEHOLDER.match(re.sub(r"<[^>]+>", "", body)):
            found.skipped.add("questions without an answer", f"line {start + 1}: {question[:60]}")
            continue
        cards.append(DraftCard(question, found.replace(body, start), difficulty=difficulty,
                               where=f"line {start + 1}"))
    close()
    return sections


def _section_title(above: list[tuple[int, str]]) -> tuple[str, str | None]:
    """A section's title from the headings it stands under (Python · Data structures), and the
    difficulty of its questions when its own heading only names a level (Junior, Senior): then
    its questions join the section above."""
    titles = [text for _, text in above]
    difficulty = _LEVELS.get(re.sub(r"\W+", " ", titles[-1]).strip().lower()) if len(titles) > 1 else None
    return " · ".join(titles[:-1] if difficulty else titles), difficulty


def _asked_before_revealed(lines: list[str]) -> tuple[list[str], list[str]]:
    """A question's lines split where a <details> that reveals its answer opens: what it shows
    before (code, options), and the answer; ([], []) when no such <details> follows anything."""
    code = _Code()
    for index, line in enumerate(lines):
        if code.holds(line) or not re.search(r"<details", line, re.I):
            continue
        summary = _SUMMARY.search(" ".join(lines[index:index + 2]))
        shown = [text for text in lines[:index] if not _BARE.match(text)]
        if summary and _REVEAL.match(_plain(summary.group(1))) and shown:
            return lines[:index], lines[index:]
        return [], []
    return [], []


def _answer(lines: list[str], hidden: bool = False) -> str:
    """An answer's lines as Markdown: <details> and <summary> opened up, so Markdown reads inside;
    rules between questions and links to the file's own headings left out."""
    kept, code = [], _Code()
    for line in textwrap.dedent("\n".join(lines)).split("\n"):  # answers indented under a list item
        if code.holds(line):
            kept.append(line)
            continue
        opened = _SUMMARY.sub(_summary, _DETAILS.sub("", line))
        left_out = _BARE.match(opened) or _BACK_TO_TOP.match(opened) or _is_marker(opened)
        kept.append("" if left_out else _IN_PAGE_LINK.sub(r"\1", opened))
    answer = tidy("\n".join(kept))
    return _WRAPPER.sub("", answer).strip() if hidden else answer


def _is_marker(line: str) -> bool:
    """Whether a heading or a bold line only says that the answer follows ("### ✅ Answer",
    "**Solution:**"), which the back of a card says already."""
    marked = _HEADING.match(line) or _BOLD.match(line)
    if not marked:
        return False
    words = re.sub(r"^\W+|[\s:.]+$", "", _plain(marked.group(marked.lastindex or 1)))
    return bool(_REVEAL.fullmatch(words))


def _summary(match: re.Match) -> str:
    """A <summary> opened up: in bold, unless it only said "Answer", which the card says already."""
    text = _plain(match.group(1))
    return "" if _REVEAL.fullmatch(text) else f"**{text}**"


def _plain(text: str) -> str:
    """A heading's words: no tags, no bold, no stray leading #."""
    return re.sub(r"^[#\s]+", "", re.sub(r"<[^>]+>|\*\*|__", "", text)).strip()


class _Images:
    """Images the questions show: copied when they are files in the Markdown file's folder."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.kept: dict[str, bytes] = {}
        self.paths: dict[str, str | None] = {}
        self.skipped = Skipped()

    def replace(self, text: str, line: int) -> str:
        def one(match: re.Match) -> str:
            src = match.group(2) or match.group(3)
            alt = match.group(1) or alt_from_name(src)
            if remote.is_remote(src):
                return match.group(0)
            path = self._copied(src, line)
            return f"![{alt}]({path})" if path else alt

        return _IMAGE.sub(one, text)

    def _copied(self, src: str, line: int) -> str | None:
        if src not in self.paths:
            self.paths[src] = self._copy(src, line)
        return self.paths[src]

    def _copy(self, src: str, line: int) -> str | None:
        source = (self.folder / unquote(urlsplit(src).path)).resolve()
        if urlsplit(src).scheme or not source.is_relative_to(self.folder):
            self.skipped.add("images outside the file's folder left out", f"line {line + 1}: {src[:80]}")
            return None
        problem = images.problem(source) if source.exists() else "does not exist"
        if problem:
            self.skipped.add("images that fail the checks", f"line {line + 1}: {src[:60]} {problem}")
            return None
        data = read_limited(source, MAX_IMAGE_BYTES)
        path = image_path(source.name, data)
        self.kept[path] = data
        return path

