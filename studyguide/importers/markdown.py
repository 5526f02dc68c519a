"""Markdown question sets, in the shapes public interview-question repositories use.

The file is read as CommonMark reads it (blocks.py): headings, code, paragraphs. Questions are
numbered headings (`## 1. What is …?`), or the summaries of `<details>` that hide each answer,
or numbered paragraphs each followed by a `<details>` that reveals its answer, or bold lines
(`**What is …?**`), or else the headings one level below the sections (`##` sections, `###`
questions). A question's answer is everything up to the next question or section, but for what
it shows before the line that opens its answer (a `<details>` that reveals it, or a label such
as `**Answer: B**`): code and options, which stay on its front. Front matter's `title:`, a first
`#` heading or an HTML `<h1>` near the top is the title. Relative images inside the file's
folder are copied; others become their alt text, and are reported. Remote images stay as they
are: a build never fetches them (see remote.py) and says so.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..guard import images
from ..guard.files import read_limited
from ..guard.limits import MAX_IMAGE_BYTES
from ..markup import remote
from .blocks import Blocks, read_blocks
from .draft import Draft, DraftCard, DraftSection, Skipped, alt_from_name, image_path, read_text
from .fields import tidy

# A line that only links within the file, in Markdown or HTML: **[⬆ Back to Top](#contents)**,
# <b><a href="#table-of-contents">↥ back to top</a></b>.
_BACK_TO_TOP = re.compile(r"^\s*(?:<[a-z]+[^>]*>\s*|\*\*|__)*(?:\[[^\]]*\]\(#[^)]*\)"
                          r"|<a\s[^>]*href=[\"']#[^\"']*[\"'][^>]*>[^<]*</a>)"
                          r"(?:\s*</[a-z]+>|\*\*|__)*\s*$", re.I)
# "Answer", "Solution", "Ответ", "答案" in the languages sets are written in.
_ANSWER = (r"(?:answer|solution)s?\b"
           r"|(?:antwort|lösung|respuesta|solución|réponse|risposta|soluzione|resposta"
           r"|antwoord|oplossing|odpowiedź|rozwiązanie|cevap|çözüm|ответ|решение|відповідь"
           r"|розв'язання|ال[إأا]جابة|الجواب|الحل|پاسخ|جواب|תשובה|उत्तर|हल)(?!\w)"
           r"|(?:答案|解答|回答|答え|정답|답)")
# What a label says when it only reveals the answer: "Show answer", "Solution", "Hint", "해설".
_REVEAL = re.compile(rf"^(?:show |see |the )?(?:{_ANSWER}|(?:hint|explanation)s?\b|해설)", re.I)
# A heading or bold words that open an answer: "### ✅ Answer", "**Answer: B) 5**", "**Solution:** …".
_ANSWER_LABEL = re.compile(rf"^(?:the )?(?:{_ANSWER})\s*(?:[:：.)–—-]|$)", re.I)
# A bold label the answer opens with: "**Answer:** text" reads "text", "**Answer: B) 5**" reads "**B) 5**".
_LEADING_LABEL = re.compile(rf"^(\*\*|__)\W*(?:{_ANSWER})\s*(?:[:：.–—-]\s*(\1\s*)?|(\1\s*))", re.I)
# A paragraph labelled as a question, and the one labelled as its answer: "Q: What is …?", "A: It is …".
_ASKED = re.compile(r"^\s*(?:\*\*|__|\*|_)?\s*(?:Q|Question|Frage|Pregunta|Domanda|Pergunta|Вопрос|Питання"
                    r"|Soru|Pytanie|问题|問題|질문|سؤال|سوال|प्रश्न)\s*\d*\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?"
                    r"\s*(?P<words>\S.*?)\s*(?:\*\*|__|\*|_)?\s*$", re.I)
_ANSWERED = re.compile(rf"^\s*(?:\*\*|__)?\s*(?:A|{_ANSWER})\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?\s*", re.I)
_BOLD_START = re.compile(r"^\s*(?:\*\*|__)(.+?)(?:\*\*|__)")
_WRAPPER = re.compile(r"^(?:\s*<br\s*/?>|\s*<b>)+|(?:</b>\s*)+$", re.I)  # <br><b>answer</b>
_INDENTED_FENCE = re.compile(r"^( {1,3})(?:`{3,}|~{3,})")  # which the build would not read as a fence
# A question's link to where it comes from: What is bias? [[src](https://…)], or [[src]](https://…).
_SOURCE = re.compile(r"\s*\[?\[(?:src|source)\]\]?\((\S+?)\)\]?", re.I)
_IN_PAGE_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(#[^)]*\)")  # to a heading of the file: the guide has its own
_ANCHORS = re.compile(r"^(?:\s*<a\b[^>]*>\s*</a>)+\s*", re.I)  # <a name="q3"></a> before a heading's words
_NAMED = re.compile(r"<a\s+(?:name|id)=[^>]*>(.*?)</a>", re.I)  # <a name='toc'>Contents</a>: its words
_NUMBERED = re.compile(r"^ {0,3}\d+[.)]\s*(?!\d)\S")  # a numbered paragraph: 1. What …? or 17.What …?
_SHOWN_LINES = 80  # the most lines a question shows (code, options) before the <details> of its answer
_SUMMARY_END = re.compile(r"</summary>", re.I)
_SUMMARY_LINES = 40  # the most lines one <summary> may run over
_HTML_TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.I | re.S)
# An answer that only holds the place of one: "Answer here", "TODO", "Coming soon", "...".
_PLACEHOLDER = re.compile(r"^\W*(?:(?:your )?answer here|todo|tbd|tba|coming soon|to be (?:added|written)"
                          r"|work in progress|wip|\.{3}|…)\W*$", re.I)
# Headings that only name a level of questions, and the difficulty each stands for.
_LEVELS = {**dict.fromkeys(("junior", "beginner", "easy", "entry level", "basic", "principiante", "básico",
                             "basico", "fácil", "facil", "débutant", "facile", "anfänger", "einfach",
                             "iniciante", "начальный", "легкий", "лёгкий", "初级", "初級", "初心者", "초급"),
                           "easy"),
           **dict.fromkeys(("middle", "mid level", "regular", "intermediate", "medium", "intermedio", "medio",
                             "intermédiaire", "moyen", "fortgeschritten", "mittel", "intermediário",
                             "средний", "中级", "中級", "中級者", "중급"), "medium"),
           **dict.fromkeys(("senior", "advanced", "expert", "hard", "avanzado", "experto", "difícil",
                             "dificil", "avancé", "difficile", "experte", "schwer", "avançado", "difícil",
                             "продвинутый", "сложный", "高级", "高級", "上級者", "고급"), "hard")}
_ASKS = ("?", "？", "؟")  # how a question ends
_TRAILING = 4  # headings with answers after the questions, one after another, that are questions too
# A table of contents' heading, in the languages sets are written in.
_CONTENTS = re.compile(r"^(?:table of contents|contents|toc|index|índice|indice|contenidos?|sommaire"
                       r"|table des matières|inhaltsverzeichnis|inhalt|sumário|conteúdo|содержание|оглавление"
                       r"|зміст|spis treści|içindekiler|inhoudsopgave|目录|目錄|目次|목차|المحتويات"
                       r"|תוכן העניינים)$", re.I)
# A paragraph led by a bold number: **1)** The number of ads. / **2) Factorial**. Compute n!
_LED = re.compile(r"^\s*(?:\*\*|__)\s*\d+[.)]\s*(.*\S)\s*$")
_BOLD = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$")
# A question's number: "3. ", "Q3: ", "Q. ", and numbers in parts, "Q 16.2 " or "1.1 ".
_NUMBER = re.compile(r"^(?:(?:Q(?:uestion)?\s*)?\d+(?:\.\d+)+\.?\s+|(?:Q(?:uestion)?\s*)?\d+\s*[.):-]\s*"
                     r"|Q(?:uestion)?\s*\d*\s*[.:]\s*)", re.I)
_FRONT_MATTER = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.S)
_TITLE = re.compile(r"^title:\s*['\"]?(.*?)['\"]?\s*$", re.M)
_DETAILS = re.compile(r"</?details[^>]*>", re.I)
_SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.I)
# A line that holds nothing to read: blank, a lone tag, a rule.
_BARE = re.compile(r"^\s*(?:</?p>|<br\s*/?>|</?(?:details|div)[^>]*>|-{3,}|\*{3,})?\s*$")
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)"  # ![alt](src "title")
                    r"|<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"'][^>]*>", re.I)


@dataclass(frozen=True)
class _Mark:
    line: int
    kind: str  # "heading", "bold", "details" or "numbered"
    level: int  # 1-6 for headings, 7 for bold lines, 8 for a <details>' summary, 9 for a numbered line
    text: str
    through: int = -1  # the last line it stands on, for a <summary> over several; -1: its own line
    answered: bool = False  # a heading with text right under it, not at once another heading

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
    blocks = read_blocks(text)
    marks = _marks(blocks)
    if marks and marks[0].level == 1 and _titles_the_file(marks):
        title = title or _plain(marks[0].text)
        marks = marks[1:]
    html_title = _HTML_TITLE.search(text[:4096])  # READMEs often open with a centred <h1>
    title = title or (_plain(html_title.group(1)) if html_title else None)
    images_found = _Images(path.parent.resolve())
    sections = _sections(blocks, marks, title or _named_by(path), images_found)
    if title is None and len(sections) == 1:  # a file of one section is called by its heading
        title = sections[0].title
    return Draft(title or _named_by(path), sections, images_found.kept, images_found.skipped)


def _titles_the_file(marks: list[_Mark]) -> bool:
    """Whether the # heading the file opens with is its title: the only # heading, or one that a
    section follows, not a question (the # headings after it are then sections)."""
    if sum(mark.level == 1 for mark in marks) == 1:
        return True
    questions, _ = _questions(marks)
    return len(marks) > 1 and marks[1].line not in questions


_NAMELESS = {"readme", "index", "main", "questions", "answers"}  # file names that name no subject


def _named_by(path: Path) -> str:
    """A title from the file's name, or its folder's where the file's is README and the like:
    python-interview-questions.md gives "Python interview questions"."""
    name = path.parent.resolve().name if path.stem.lower() in _NAMELESS else path.stem
    words = re.sub(r"[-_]+", " ", name).strip() or path.stem
    return words[:1].upper() + words[1:]


def _marks(blocks: Blocks) -> list[_Mark]:
    """Headings and bold lines outside code blocks and <details>, and the summary of each
    <details> (a question, in sets that hide each answer under its question)."""
    lines = blocks.lines
    marks, details, opened_at = [], 0, -2
    for index, line in enumerate(lines):
        if blocks.is_code(index):
            continue
        if details == 0 and re.search(r"<details", line, re.I):
            opened_at = index
        summary, through = _summary_at(lines, index)
        if summary is not None and index - opened_at <= 1 and details <= 1:
            marks.append(_Mark(index, "details", 8, _summary_question(summary), through))
        details += len(re.findall(r"<details", line, re.I)) - len(re.findall(r"</details", line, re.I))
        if details > 0:
            continue
        if _labels_answer(blocks, index):  # "### ✅ Answer": where an answer starts, not a question
            continue
        if heading := blocks.headings.get(index):
            text = _NAMED.sub(r"\1", _ANCHORS.sub("", heading.text))
            following = next((line for line in range(heading.through + 1, len(lines))
                              if not _BARE.match(lines[line])), None)
            answered = following is not None and following not in blocks.headings
            marks.append(_Mark(index, "heading", heading.level, text, heading.through, answered))
        elif index not in blocks.prose:
            continue
        elif asked := _ASKED.match(line):
            marks.append(_Mark(index, "asked", 9, _plain(asked.group("words"))))
        elif bold := _BOLD.match(line):
            marks.append(_Mark(index, "bold", 7, bold.group(1)))
        elif led := _LED.match(line):
            marks.append(_Mark(index, "led", 9, tidy(re.sub(r"\*\*|__", "", led.group(1), count=1))))
        elif _NUMBERED.match(line) and _revealed_next(blocks, index):
            marks.append(_Mark(index, "numbered", 9, line.strip()))
    return marks


def _revealed_next(blocks: Blocks, index: int) -> bool:
    """Whether a <details> that reveals an answer follows the line before the next numbered
    paragraph or heading: what the question shows (code, options) may stand between."""
    lines = blocks.lines
    for following in range(index + 1, min(index + _SHOWN_LINES, len(lines))):
        line = lines[following]
        if blocks.is_code(following):
            continue
        numbered = following in blocks.prose and _NUMBERED.match(line)
        if numbered or following in blocks.headings or "</details" in line.lower():
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
    count = Counter(m.level for m in headings)
    numbered = Counter(m.level for m in headings if _NUMBER.match(m.text))
    levels = sorted(count)
    # A level of numbered questions: most of its headings numbered ("1.1 Requirements" and the
    # like, here and there in a large set, are an answer's steps).
    levels_numbered = [level for level, many in numbered.items() if many >= 2 and 2 * many >= count[level]]
    if asking := _asking_level(headings, levels_numbered):
        levels_numbered = [asking]  # numbered headings below it are an answer's own
    if levels_numbered:
        questions = {m.line for m in headings if m.level in levels_numbered and _NUMBER.match(m.text)}
        shallowest = min(levels_numbered)
        return questions, {m.line for m in headings if m.level <= shallowest and m.line not in questions}
    led = [m for m in marks if m.kind == "led"]
    if len(led) >= 2:  # **1)** Count the active ads. then the answer
        return {m.line for m in led}, {m.line for m in headings}
    asked = [m for m in marks if m.kind == "asked"]
    if len(asked) >= 2:  # Q: What is …? then A: It is …
        return {m.line for m in asked}, {m.line for m in headings}
    numbered_paragraphs = [m for m in marks if m.kind == "numbered"]
    if numbered_paragraphs:  # 1. What is …? then <details><summary>Answer</summary>
        return {m.line for m in numbered_paragraphs}, {m.line for m in headings}
    hidden = [m for m in marks if m.kind == "details" and not _REVEAL.match(m.text)]
    if len(hidden) >= 2:  # <details><summary>Question</summary>answer</details>
        return {m.line for m in hidden}, {m.line for m in headings}
    bold = [m for m in marks if m.kind == "bold"]
    if len(bold) >= 2 and len(levels) <= 1:
        return {m.line for m in bold}, {m.line for m in headings}
    if len(levels) >= 2:  # sections over questions
        return _by_level(headings)
    return {m.line for m in headings}, set()


def _by_level(headings: list[_Mark]) -> tuple[set[int], set[int]]:
    """Questions and sections in a set of headings at several levels. The questions are the
    level whose headings most often have text right under them (an answer) rather than another
    heading at once (as a section has its first question): counted, one less for each of the
    latter, the deeper level where two are even. Above it, a heading with an answer and no
    heading of its own below it, among the questions, is a question too ("## What is the GIL"
    after "## Strings" and its "###" questions); after the last, one that asks, or a run of
    _TRAILING of them (a set's closing sections, Resources or Contributing, are fewer)."""
    score = Counter()
    for mark, following in zip(headings, [*headings[1:], None], strict=True):
        if _CONTENTS.match(_plain(mark.text)):
            continue
        score[mark.level] += 1 if mark.answered else -(following is not None and following.level > mark.level)
    if not score:  # only tables of contents
        return set(), {m.line for m in headings}
    asking = max(sorted(score, reverse=True), key=lambda level: score[level])
    questions = {m.line for m in headings if m.level == asking}
    first, last = min(questions), max(questions)
    leaves = [mark for mark, following in zip(headings, [*headings[1:], None], strict=True)
              if mark.level < asking and mark.answered and mark.line > first
              and not (following is not None and following.level > mark.level)]  # no headings of its own
    after = [mark for mark in leaves if mark.line > last]
    questions |= {mark.line for mark in leaves if mark.line < last or len(after) >= _TRAILING
                  or _plain(mark.text).endswith(_ASKS)}
    return questions, {m.line for m in headings if m.level < asking and m.line not in questions}


def _asking_level(headings: list[_Mark], levels: list[int]) -> int | None:
    """The shallowest of the numbered levels whose headings mostly end in a question mark, when
    there is one: `## 1. What is attention?` asks, `### 1. Scaled dot product` inside its answer
    does not."""
    for level in sorted(levels):
        texts = [_plain(m.text) for m in headings if m.level == level and _NUMBER.match(m.text)]
        if 2 * sum(text.endswith("?") for text in texts) >= len(texts):
            return level
    return None


def _sections(blocks: Blocks, marks: list[_Mark], title: str, found: _Images) -> list[DraftSection]:
    lines = blocks.lines
    questions, section_lines = _questions(marks)
    by_line = {m.line: m for m in marks}
    starts = sorted(questions | section_lines)
    first = starts[0] if starts else len(lines)
    accounted = {line for start in blocks.headings for line in blocks.span(start)}  # and reported:
    accounted |= _unanswered(blocks, range(first), found.skipped)
    if any(not _BARE.match(lines[index]) and index not in accounted for index in range(first)):
        found.skipped.add("text before the first section or question left out", f"lines 1 to {first}")
    sections: list[DraftSection] = []
    current, cards, intro, opened, difficulty = title, [], None, 0, None
    above: list[tuple[int, str]] = []  # the section headings the current one stands under, and it

    def close(end: int) -> None:
        if cards and sections and sections[-1].title == current:  # the next level of one section
            sections[-1] = replace(sections[-1], cards=(*sections[-1].cards, *cards))
        elif cards:
            sections.append(DraftSection(current, tuple(cards), intro))
        elif intro and not _unanswered(blocks, range(by_line[opened].last + 1, end), found.skipped):
            found.skipped.add("sections without a question", f"line {opened + 1}: {current[:60]}")

    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        mark = by_line[start]
        if mark.kind == "heading" and _only_lists(blocks, range(mark.last + 1, end), mark.text):
            questions.discard(start)  # "## Coding questions" over a list of them: a section
            section_lines.add(start)
        after = _SUMMARY_END.split(lines[mark.last], maxsplit=1)[-1] if mark.kind == "details" else ""
        asks = start in questions and mark.kind != "details"
        revealed = _revealed_at(blocks, mark.last + 1, end, mark.kind == "asked") if asks else None
        if revealed is None and asks and _plain(_SOURCE.sub("", mark.text)).endswith((":", "：")):
            revealed = _code_shown(blocks, mark.last + 1, end)
        hidden = mark.kind == "details" or revealed is not None
        body = _answer(blocks, range(revealed or mark.last + 1, end), lead=after, hidden=hidden)
        if mark.kind == "asked":  # the answer is what its label opens, and nothing when none does
            body = _ANSWERED.sub("", body, count=1) if revealed is not None else ""
        if mark.kind == "heading" and _CONTENTS.match(_plain(mark.text)):
            found.skipped.add("tables of contents left out (the guide makes its own)", f"line {start + 1}")
            continue
        if start in section_lines:
            close(start)
            above = [*((level, text) for level, text in above if level < mark.level),
                     (mark.level, _plain(mark.text))]
            (current, difficulty), cards, opened = _section_title(above), [], start
            intro = found.replace(body, start) or None
            continue
        question = found.replace(_NUMBER.sub("", by_line[start].text, count=1).strip(), start)
        sources = _SOURCE.findall(question)
        if sources and body:  # a link to where the question comes from goes under its answer
            question = _SOURCE.sub("", question).strip()
            body = "\n\n".join([body, " · ".join(f"[Source]({url})" for url in sources)])
        if revealed is not None:  # the code and the options the question shows go on the front with it
            shown = found.replace(_answer(blocks, range(mark.last + 1, revealed)), start)
            question = "\n\n".join(filter(None, [question, shown]))
        if not body or _PLACEHOLDER.match(re.sub(r"<[^>]+>", "", body)):
            found.skipped.add("questions without an answer", f"line {start + 1}: {question[:60]}")
            continue
        cards.append(DraftCard(question, found.replace(body, start), difficulty=difficulty,
                               where=f"line {start + 1}"))
    close(len(lines))
    return sections


def _listed(blocks: Blocks, span: range) -> dict[int, str]:
    """The questions the span lists, by line: its items that end in a question mark, or all of
    them when most do ("Describe floats." among "What is …?") or when the span holds nothing
    else ("Write a debounce function." among them)."""
    items = {start: _plain(item.text) for start, item in blocks.items.items() if start in span}
    asking = {start: text for start, text in items.items() if text.endswith(_ASKS)}
    return items if 2 * len(asking) >= len(items) or asking and _only_items(blocks, span, items) else asking


def _only_items(blocks: Blocks, span: range, starts: Iterable[int]) -> bool:
    """Whether the span holds nothing but these items and the code they show."""
    lines = _item_lines(blocks, starts)
    return all(index in lines or blocks.is_code(index) or _BARE.match(blocks.lines[index]) for index in span)


def _only_lists(blocks: Blocks, span: range, heading: str) -> bool:
    """Whether a heading that does not ask stands over questions listed without answers alone."""
    listed = _listed(blocks, span)
    return bool(listed) and not _plain(heading).endswith(_ASKS) and _only_items(blocks, span, listed)


def _unanswered(blocks: Blocks, span: range, skipped: Skipped) -> set[int]:
    """The lines of the questions the span lists without answers, each reported."""
    listed = _listed(blocks, span)
    for start, text in sorted(listed.items()):
        skipped.add("questions without an answer", f"line {start + 1}: {text[:60]}")
    return _item_lines(blocks, listed)


def _item_lines(blocks: Blocks, starts: Iterable[int]) -> set[int]:
    return {line for start in starts for line in range(start, blocks.items[start].through + 1)}


def _section_title(above: list[tuple[int, str]]) -> tuple[str, str | None]:
    """A section's title from the headings it stands under (Python · Data structures), and the
    difficulty of its questions when its own heading only names a level (Junior, Senior): then
    its questions join the section above, if it has one."""
    titles = [text for _, text in above]
    difficulty = _LEVELS.get(re.sub(r"\W+", " ", titles[-1]).strip().lower())
    return " · ".join(titles[:-1] if difficulty and len(titles) > 1 else titles), difficulty


def _code_shown(blocks: Blocks, first: int, end: int) -> int | None:
    """Where the answer starts of a question that ends on a colon and shows code right after it:
    past the code; None when what follows first is not code."""
    shown = next((index for index in range(first, end) if not _BARE.match(blocks.lines[index])), None)
    if shown is None or not blocks.is_code(shown):
        return None
    return next((index for index in range(shown, end) if not blocks.is_code(index)), end)


def _revealed_at(blocks: Blocks, first: int, end: int, labelled: bool = False) -> int | None:
    """The line where the question's answer opens, with a <details> that reveals it or a label
    ("**Answer: B**"), when the question shows something before it (code, options); None when
    nothing is shown or no such line follows. A question labelled "Q:" has its answer where the
    first "A:" is, whatever comes before it."""
    lines = blocks.lines
    for index in range(first, end):
        if blocks.is_code(index):
            continue
        if labelled:
            if index in blocks.prose and _ANSWERED.match(lines[index]):
                return index
            continue
        if re.search(r"<details", lines[index], re.I):
            summary = _SUMMARY.search(" ".join(lines[index:index + 2]))
            opens = bool(summary and _REVEAL.match(_plain(summary.group(1))))
        elif _labels_answer(blocks, index):
            opens = True
        else:
            continue
        shown = any(not _BARE.match(line) for line in lines[first:index])
        return index if opens and shown else None
    return None


def _answer(blocks: Blocks, span: range, lead: str = "", hidden: bool = False) -> str:
    """An answer's lines as Markdown, after the lead (what its mark's line holds past the mark):
    <details> and <summary> opened up, so Markdown reads inside; rules between questions, lines
    that only say "Answer" and links to the file's own headings left out."""
    texts = _dedented(blocks, span, lead)
    kept = [lead.strip()]
    left_out = {line for index in span if _is_marker(blocks, index) for line in blocks.span(index)}
    outdent = 0  # the spaces a fence stands in from the text around it, taken off each of its lines
    for index, line in zip(span, texts, strict=True):
        if blocks.is_code(index) and not (index in blocks.indented and _BACK_TO_TOP.match(line)):
            if not blocks.is_code(index - 1):
                fence = _INDENTED_FENCE.match(line) if index not in blocks.indented else None
                outdent = len(fence.group(1)) if fence else 0
            kept.append(re.sub(f"^ {{0,{outdent}}}", "", line))
            continue
        opened = _SUMMARY.sub(_summary, _DETAILS.sub("", line))
        skipped = index in left_out or _BARE.match(opened) or _BACK_TO_TOP.match(opened)
        kept.append("" if skipped else _IN_PAGE_LINK.sub(r"\1", opened))
    answer = tidy("\n".join(kept))
    answer = _LEADING_LABEL.sub(_unlabelled, answer, count=1)
    return _WRAPPER.sub("", answer).strip() if hidden else answer


def _dedented(blocks: Blocks, span: range, lead: str) -> list[str]:
    """The span's lines less the indent they share, as answers indented under a list item are,
    measured on their text, not on code set off by indenting (which keeps its own)."""
    measured = [blocks.lines[index] for index in span if index not in blocks.indented]
    margin = min((len(line) - len(line.lstrip(" ")) for line in [lead, *measured] if line.strip()), default=0)
    return [re.sub(f"^ {{0,{margin}}}", "", blocks.lines[index]) for index in span]


def _label(blocks: Blocks, index: int) -> str | None:
    """The words of a heading, or of the bold words a paragraph's line opens with."""
    if heading := blocks.headings.get(index):
        return re.sub(r"^\W+", "", _plain(heading.text))
    bold = _BOLD_START.match(blocks.lines[index]) if index in blocks.prose else None
    return re.sub(r"^\W+", "", _plain(bold.group(1))) if bold else None


def _labels_answer(blocks: Blocks, index: int) -> bool:
    """Whether a heading or a bold line opens an answer: "### ✅ Answer", "**Answer: B**"."""
    return bool(_ANSWER_LABEL.match(_label(blocks, index) or ""))


def _unlabelled(label: re.Match) -> str:
    """An answer's opening label left out, and its bold with it when the bold held only the label."""
    closed = label.group(2) or label.group(3)
    return "" if closed else label.group(1)


def _is_marker(blocks: Blocks, index: int) -> bool:
    """Whether a heading or a bold line only says that the answer follows ("### ✅ Answer",
    "**Solution:**"), which the back of a card says already."""
    whole = index in blocks.headings or (index in blocks.prose and _BOLD.match(blocks.lines[index]))
    return bool(whole) and bool(_REVEAL.fullmatch(re.sub(r"[\s:.]+$", "", _label(blocks, index) or "")))



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

