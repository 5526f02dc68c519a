"""Markdown question sets, CSV and TSV imported as content folders that build."""

from __future__ import annotations

from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.cli.main import main
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.importers import import_source

from ..conftest import CONTENT, FIXTURES, PNG, build_clean

IMPORTS = FIXTURES / "import"


def imported(source: str | Path, tmp_path: Path):
    """A fixture's or a written file's import, and the guide it loads as, checked."""
    report = import_source(IMPORTS / source, tmp_path / "content")
    problems = Collector()
    guide = load_guide(report.folder, problems)
    assert not problems.problems, [p.format() for p in problems.problems]
    return report, guide


def cards(guide) -> list[tuple[str, str, str]]:
    return [(section.title, card.question.value, card.answer.value)
            for section in guide.sections for card in section.cards]


def test_markdown_with_sections_and_question_headings(tmp_path):
    report, guide = imported("headings.md", tmp_path)
    assert guide.title == "Systems Design Questions"
    found = cards(guide)
    assert [(section, question) for section, question, _ in found] == [
        ("Caching", "What is a cache stampede?"), ("Caching", "How do you prevent it?"),
        ("Queues", "Why use a queue?")]
    stampede = found[0][2]
    assert "## this is code, not a section" in stampede  # a heading inside code stays code
    image = stampede.split("![A stampede](")[1].split(")")[0]
    assert (report.folder / image).read_bytes() == PNG
    assert "#### A sub-heading inside the answer\n\nMore detail." in found[2][2]
    # No links to the file's own headings, and no "back to top".
    assert found[1][2] == "- lock on a miss\n- serve stale values, as the queue does"
    assert report.skipped == ("text before the first section or question left out: 1 (e.g. lines 1 to 7)",
                              "questions without an answer: 1 (e.g. line 37: What is back-pressure?)")


def test_markdown_with_bold_questions(tmp_path):
    _, guide = imported("bold.md", tmp_path)
    assert guide.title == "Python Interview Questions"
    assert cards(guide) == [
        ("Basics", "What is a list comprehension?",
         "A short way to build a list: `[x * x for x in range(3)]`."),
        ("Basics", "What does `*args` collect?", "The extra positional arguments, as a tuple."),
        ("Advanced", "What is a metaclass?", "The class of a class: `type` by default.")]


def test_markdown_with_numbered_headings_and_answers_in_details(tmp_path):
    _, guide = imported("numbered.md", tmp_path)
    (_, first, answer), (_, second, _) = cards(guide)
    # The code and the options the question shows before its <details> are on the front.
    assert first == ("What does this print?\n\n```javascript\nconsole.log(typeof null);\n```\n\n"
                     "- A: `\"null\"`\n- B: `\"object\"`")
    assert second.startswith("What is `0.1 + 0.2 === 0.3`?")
    assert "<details>" not in answer and "</p>" not in answer
    # The summary only said "Answer", which a card's back says already.
    assert answer == "#### Answer: B\n\n`typeof null` is `\"object\"`, a mistake kept for compatibility."


def test_numbered_headings_inside_numbered_answers_stay_in_the_answers(tmp_path):
    report, guide = imported("numbered-answers.md", tmp_path)
    found = cards(guide)
    assert [question for _, question, _ in found] == [
        "What is a _Large Language Model_?", "How does _attention_ handle long contexts?", "What is RLHF?"]
    assert "### 1. Scale\n\nBillions of weights.\n\n### 2. Data" in found[0][2]
    assert "#### 2. Rotary embeddings\n\nEncode relative positions." in found[1][2]
    assert report.skipped == ()


def test_markdown_with_questions_in_details_summaries(tmp_path):
    _, guide = imported("details.md", tmp_path)
    assert guide.title == "Git"
    assert cards(guide) == [
        ("Basics", "How do you know a folder is a `git` repository?", 'It has a ".git" folder.'),
        ("Basics", "What does `git fetch` do?", "It downloads what the remote has, without merging it.")]


def test_quizlets_term_tab_definition(tmp_path):
    _, guide = imported("quizlet.tsv", tmp_path)
    assert [(q, a) for _, q, a in cards(guide)] == [
        ("photosynthesis", "making sugar from light"),
        ("mitosis", r"cell division into two \*identical\* cells"),  # plain text: its stars are stars
        ("osmosis", "water moving through a membrane")]


def test_ankis_text_export_with_html_and_a_tags_column(tmp_path):
    _, guide = imported("anki-export.txt", tmp_path)
    assert [(q, a) for _, q, a in cards(guide)] == [
        ("What is $e^{i\\pi}$?", "**-1**, by Euler"), ("Two<br>\nlines", 'an "answer"')]
    assert [card.tags for card in guide.cards] == [("math", "euler"), ("format",)]


def test_a_spreadsheet_with_a_header_row(tmp_path):
    _, guide = imported("spreadsheet.csv", tmp_path)
    assert [(q, a, c.tags) for (_, q, a), c in zip(cards(guide), guide.cards, strict=True)] == [
        ("Capital of France?", "Paris", ("geography",)),
        ("Capital of Peru?", "Lima", ("geography", "south-america"))]


@pytest.mark.parametrize("name", ["headings.md", "bold.md", "numbered.md", "details.md", "quizlet.tsv",
                                  "anki-export.txt", "spreadsheet.csv"])
def test_every_import_builds_with_no_errors(name, tmp_path):
    report = import_source(IMPORTS / name, tmp_path / "content")
    build_clean(BuildOptions(content_dir=report.folder, out_dir=tmp_path / "out", only=("guide", "cards")))


def test_our_own_csv_imports_as_the_same_cards(default_exports, tmp_path):
    import_source(default_exports / "flashcards.csv", tmp_path / "content")
    build_clean(BuildOptions(content_dir=tmp_path / "content", out_dir=tmp_path / "out", only=("csv",)))
    again_csv = (tmp_path / "out" / "flashcards.csv").read_bytes()
    assert again_csv == (default_exports / "flashcards.csv").read_bytes()
    problems = Collector()
    original, again = load_guide(CONTENT, problems), load_guide(tmp_path / "content", problems)
    assert [(c.id, c.tags, c.difficulty) for c in again.cards] == \
        [(c.id, c.tags, c.difficulty) for c in original.cards]
    assert [s.title for s in again.sections] == [s.title for s in original.sections]


def test_a_large_import_writes_a_file_per_section(tmp_path):
    rows = "".join(f"Question {n} in part {n % 3}?\t{'A long answer. ' * 40}{n}\n" for n in range(400))
    source = tmp_path / "large.tsv"
    source.write_text(rows, encoding="utf-8")
    report = import_source(source, tmp_path / "content")
    assert report.cards == 400
    assert sorted(p.name for p in (report.folder / "sections").iterdir()) == ["001-large.yaml"]
    assert "- file: sections/001-large.yaml" in (report.folder / "guide.yaml").read_text(encoding="utf-8")


def test_cards_that_would_not_build_are_left_out_and_named(tmp_path, capsys):
    source = tmp_path / "math.tsv"
    source.write_text("Good?\tYes\nBad math?\t$\\frac{x}$ is wrong\n", encoding="utf-8")
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 0
    captured = capsys.readouterr()
    assert ("left out: cards that would not build: 1 "
            "(e.g. row 2: invalid LaTeX in '$\\frac{x}$'") in captured.err
    assert "1 card, 1 section, 0 images; check passes" in captured.out


def test_a_file_of_no_known_kind_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "deck.pdf").write_bytes(b"%PDF")
    assert main(["import", str(tmp_path / "deck.pdf"), "--content", str(tmp_path / "content")]) == 2
    assert "import takes .apkg, .colpkg, .md, .markdown, .csv, .tsv, .txt files" in capsys.readouterr().err


def test_a_readme_that_opens_with_an_html_heading_takes_it_as_title(tmp_path):
    source = tmp_path / "README.md"
    source.write_text('<div align="center">\n  <h1>Shell Questions</h1>\n</div>\n\n'
                      "#### 1. What does `$?` hold?\n\nThe exit status of the last command.\n\n"
                      "#### 2. What does `set -e` do?\n\nStops at the first failing command.\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert guide.title == "Shell Questions"
    assert [card.question.value for card in guide.cards] == ["What does `$?` hold?", "What does `set -e` do?"]


@pytest.mark.parametrize(("text", "line"), [
    ("question,answer\nQ1," + "x" * 140_000 + "\n", 2),  # a field over the csv module's limit
    # a stray quote, below Anki's two lines of directives
    ("#separator:tab\n#html:false\nQ1\tA1\nQ2\t\"A2 runs on\nQ3\tA3\n" + "Qn\tAn\n" * 30_000, 4),
])
def test_a_field_past_the_csv_limit_is_an_error_at_the_line_it_starts_on(text, line, tmp_path, capsys):
    source = tmp_path / "set.csv"
    source.write_text(text, encoding="utf-8")
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 1
    err = capsys.readouterr().err
    assert f"set.csv, line {line}: a field runs past 131,072 characters" in err
    assert "Traceback" not in err and not (tmp_path / "content").exists()


def test_a_readme_without_a_title_is_named_by_its_folder_never_readme(tmp_path):
    folder = tmp_path / "python-interview-questions"
    folder.mkdir()
    (folder / "README.md").write_text("## Basics\n\n### What is a list?\n\nAn ordered sequence.\n\n"
                                      "## Advanced\n\n### What is the GIL?\n\nA lock.\n", encoding="utf-8")
    report = import_source(folder / "README.md", tmp_path / "content")
    guide = load_guide(report.folder, Collector())
    assert guide.title == "Python interview questions"
    assert [section.title for section in guide.sections] == ["Basics", "Advanced"]


@pytest.mark.parametrize(("question", "answer", "language"), [
    ("什么是注意力机制？", "它计算查询和键之间的相似度。", "zh"),
    ("注意機構とは何ですか？", "クエリとキーの類似度を計算します。", "ja"),
    ("ما هو الانتباه؟", "يحسب التشابه بين الاستعلام والمفتاح.", "ar"),
    ("Что такое внимание?", "Взвешенная сумма значений.", "ru"),
    ("What is attention?", "A weighted sum of values.", None),
])
def test_a_set_in_a_script_of_its_own_imports_with_its_language(question, answer, language, tmp_path):
    source = tmp_path / "set.tsv"
    source.write_text(f"{question}\t{answer}\n", encoding="utf-8")
    report = import_source(source, tmp_path / "content")
    assert load_guide(report.folder, Collector()).language == (language or "en")
    assert ("language:" in (report.folder / "guide.yaml").read_text(encoding="utf-8")) == bool(language)


def test_a_heading_or_bold_line_that_only_says_answer_is_where_the_answer_starts_not_a_question(tmp_path):
    _, guide = imported("answer-headings.md", tmp_path)
    assert [(question, answer) for _, question, answer in cards(guide)] == [
        ("Why do transformers need positions?",
         "Attention is permutation invariant, so order must be added."),
        ("What does the KV cache store?", "The keys and values of earlier tokens."),
        ("Which answer is right?", "#### Answer: B\n\nB names the cache.")]


def test_an_anchored_numbered_heading_is_a_question_like_the_others(tmp_path):
    _, guide = imported("anchored.md", tmp_path)
    assert [(section, question) for section, question, _ in cards(guide)] == [
        ("Python output questions", "What is `len([])`?"), ("Python output questions", 'What is `bool("")`?'),
        ("Python output questions", "What is `2 ** 3`?")]


def test_a_summary_over_several_lines_is_a_question_with_its_code(tmp_path):
    report, guide = imported("summary-over-lines.md", tmp_path)
    assert [(question, answer) for _, question, answer in cards(guide)] == [
        ("What does this code print?\n\n```\nprint(1 + 1)\n```", "It prints 2."),
        ("What is a tuple?", "An immutable sequence.")]
    assert report.skipped == ()  # the <details> line alone before the first question is no text lost


def test_numbered_paragraphs_each_followed_by_an_answer_in_details_are_the_questions(tmp_path):
    _, guide = imported("numbered-paragraphs.md", tmp_path)
    assert [(question, answer) for _, question, answer in cards(guide)] == [
        ("What is a p-value?", "The probability of data at least this extreme if the null hypothesis holds."),
        ("What is statistical power?", "The probability of rejecting a false null hypothesis.")]


@pytest.mark.parametrize("first", ["fr,en", "French,English", "word,meaning", "pt-BR;de"])
def test_a_first_row_of_languages_or_column_names_is_no_card_and_is_reported(first, tmp_path):
    source = tmp_path / "vocab.csv"
    separator = ";" if ";" in first else ","
    source.write_text(f"{first}\nchat{separator}cat\nchien{separator}dog\n", encoding="utf-8")
    report = import_source(source, tmp_path / "content")
    assert report.cards == 2
    assert report.skipped == (f"a first row of column names, not a card: 1 (e.g. row 1: "
                              f"{', '.join(first.split(separator))})",)


def test_a_first_row_of_words_is_a_card(tmp_path):
    source = tmp_path / "vocab.csv"
    source.write_text("chat,cat\nchien,dog\n", encoding="utf-8")
    assert import_source(source, tmp_path / "content").cards == 2


def test_a_third_column_of_short_words_reads_as_tags_and_is_reported(tmp_path):
    source = tmp_path / "terms.tsv"
    source.write_text("osmosis\twater through a membrane\tbiology cells\nmitosis\tcell division\tbiology\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [card.tags for card in guide.cards] == [("biology", "cells"), ("biology",)]
    assert report.changed == ("columns besides question and answer, read as tags: 1 "
                              "(e.g. column 3: biology cells)",)


def test_other_columns_go_under_the_answer_and_are_reported(tmp_path):
    source = tmp_path / "words.csv"
    source.write_text('word,meaning,example\nSchadenfreude,joy at harm,"He felt it, briefly."\n'
                      'Fernweh,longing for far places,\n', encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [card.answer.value for card in guide.cards] == ["joy at harm\n\nHe felt it, briefly.",
                                                          "longing for far places"]
    assert report.changed == ("columns besides question and answer, added under the answer: 1 "
                              "(e.g. column 3: He felt it, briefly.)",)


def test_sections_without_a_question_are_reported_with_their_lines(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Set\n\n## Basics\n\n### What is overfitting?\n\nLearning noise.\n\n"
                      "### Why normalise inputs?\n\n## Resources\n\n- [A book](https://example.com)\n\n"
                      "## Contributing\n\nOpen a pull request.\n", encoding="utf-8")
    report = import_source(source, tmp_path / "content")
    assert report.cards == 1
    assert report.skipped == (
        "questions without an answer: 1 (e.g. line 9: Why normalise inputs?)",
        "sections without a question: 2 (e.g. line 11: Resources; line 15: Contributing)")


@pytest.mark.parametrize("placeholder", ["Answer here", "TODO", "*Coming soon*", "..."])
def test_an_answer_that_only_holds_its_place_is_a_question_without_an_answer(placeholder, tmp_path):
    source = tmp_path / "set.md"
    source.write_text(f"# Set\n\n**What is bias?**\n\nError from assumptions.\n\n**What is variance?**\n\n"
                      f"{placeholder}\n\n<br/>\n", encoding="utf-8")
    report = import_source(source, tmp_path / "content")
    assert report.cards == 1
    assert report.skipped == ("questions without an answer: 1 (e.g. line 7: What is variance?)",)


def test_a_fence_left_open_in_a_numbered_question_ends_with_its_list_item(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Set\n\n1. ### What does freeze do?\n\n     It stops changes.\n\n     ```js\n"
                      "     Object.freeze(o);\n\n2. ### What does seal do?\n\n     It stops new keys.\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [card.question.value for card in guide.cards] == ["What does freeze do?", "What does seal do?"]


def test_levels_inside_a_section_become_difficulties_and_other_levels_join_the_title(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Python\n\n## Basics\n\n### Junior\n\n#### What is a list?\n\nA sequence.\n\n"
                      "### Senior\n\n#### How does the GIL work?\n\nOne thread at a time.\n\n"
                      "## Async\n\n### Event loops\n\n#### What is a coroutine?\n\nA pausable function.\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [(section.title, [(card.question.value, card.difficulty) for card in section.cards])
            for section in guide.sections] == [
        ("Basics", [("What is a list?", "easy"), ("How does the GIL work?", "hard")]),
        ("Async · Event loops", [("What is a coroutine?", None)])]


def test_paragraphs_led_by_a_bold_number_are_the_questions(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Tasks\n\n## Table of contents\n\n* [SQL](#sql)\n\n"
                      "## SQL\n\nThe schema: Ads(id, status).\n\n"
                      "**1)** The number of active ads.\n\n"
                      "```sql\nSELECT count(*) FROM Ads;\n```\n\n<br/>\n\n"
                      "**2) Factorial**. Compute n!\n\n```python\nmath.factorial(n)\n```\n\n<br/>\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    [section] = guide.sections
    assert section.title == "SQL" and section.intro.value == "The schema: Ads(id, status)."
    assert [(card.question.value, card.answer.value) for card in section.cards] == [
        ("The number of active ads.", "```sql\nSELECT count(*) FROM Ads;\n```"),
        ("Factorial. Compute n!", "```python\nmath.factorial(n)\n```")]


@pytest.mark.parametrize(("question", "answer", "language"), [
    ("Was ist der Unterschied zwischen einer Liste und einem Tupel?",
     "Eine Liste kann man ändern, ein Tupel nicht: es ist fest, und das ist oft von Vorteil.", "de"),
    ("¿Qué es la atención en un modelo de lenguaje?",
     "Es una suma ponderada de los valores, con pesos que se calculan para cada consulta.", "es"),
    ("Qu'est-ce que l'attention dans un modèle de langue ?",
     "C'est une somme pondérée des valeurs, et les poids sont calculés pour chaque requête.", "fr"),
    ("Che cos'è la normalizzazione del batch?",
     "È una tecnica che stabilizza l'addestramento: per ogni strato la media è fissa.", "it"),
    ("O que é uma função de perda?",
     "É uma medida do erro do modelo para cada exemplo, e o treino procura o valor mais baixo.", "pt"),
    ("Wat is het verschil tussen een lijst en een tuple?",
     "Een lijst kan veranderen en een tuple niet; dat is handig voor sleutels van een woordenboek.", "nl"),
    ("Apa itu perhatian dalam model bahasa?", "Jumlah tertimbang dari nilai-nilai untuk setiap kueri.", None),
])
def test_a_set_in_a_latin_script_language_is_told_by_its_common_words(question, answer, language, tmp_path):
    source = tmp_path / "set.tsv"
    source.write_text(f"{question}\t{answer}\n" * 3, encoding="utf-8")
    report = import_source(source, tmp_path / "content")
    assert load_guide(report.folder, Collector()).language == (language or "en")


@pytest.mark.parametrize("label", ["Ответ", "答案", "الإجابة", "Respuesta", "✅ Lösung"])
def test_an_answer_heading_in_the_set_s_language_is_where_the_answer_starts(label, tmp_path):
    source = tmp_path / "set.md"
    source.write_text(f"# Set\n\n## Q1: 2 + 2?\n\n### {label}\n\n4\n\n## Q2: 3 + 3?\n\n### {label}\n\n6\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [(card.question.value, card.answer.value) for card in guide.cards] == [("2 + 2?", "4"),
                                                                                 ("3 + 3?", "6")]


def test_triple_backticks_around_code_on_one_line_open_no_fence(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Set\n\n###### 1. What is printed?\n\nA, for\n\n```const f = x => ({ x })```\n\n"
                      "returns an object.\n\n###### 2. What else?\n\nB.\n", encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [card.question.value for card in guide.cards] == ["What is printed?", "What else?"]


def test_numbered_paragraphs_that_show_code_and_options_before_their_answer_are_the_questions(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Set\n\n1. ما هو الناتج؟\n\n```js\nconsole.log(1)\n```\n\n- A: `1`\n- B: `2`\n\n"
                      "<details><summary><b>الأجابة</b></summary>\n<p>\n\nA\n\n</p>\n</details>\n\n"
                      " 2.ما هو الناتج الآن؟\n\n```js\nconsole.log(2)\n```\n\n"
                      "<details><summary><b>الإجابة</b></summary>\n<p>\n\nB\n\n</p>\n</details>\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [(card.question.value, card.answer.value) for card in guide.cards] == [
        ("ما هو الناتج؟\n\n```js\nconsole.log(1)\n```\n\n- A: `1`\n- B: `2`", "A"),
        ("ما هو الناتج الآن؟\n\n```js\nconsole.log(2)\n```", "B")]


def test_a_few_asking_headings_inside_answers_stay_in_them(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("# Set\n\n## Basics\n\n### Explain closures\n\nA function with its scope.\n\n"
                      "#### Why?\n\nTo keep state.\n\n### Explain hoisting\n\nDeclarations move up.\n",
                      encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [card.question.value for card in guide.cards] == ["Explain closures", "Explain hoisting"]
    assert "#### Why?" in guide.cards[0].answer.value


def test_code_and_options_before_an_answer_label_go_on_the_front(tmp_path):
    report, guide = imported("labelled-answers.md", tmp_path)
    assert cards(guide) == [
        ("1. Basics", 'What does this print?\n\n```js\nconsole.log(typeof NaN)\n```\n\n'
         '- A) `"number"`\n- B) `"NaN"`',
         '**A) `"number"`**\n\n**Explanation:** NaN is a value of the number type.'),
        ("1. Basics", "Which loop logs 0, 1, 2?\n\n- A) `var` in a `for` loop with `setTimeout`\n"
         "- B) `let` in the same loop", "B: `let` makes a binding for each turn."),
        ("1. Basics", "What is hoisting?", "declarations are moved to the top of their scope.")]
    assert report.skipped == ("tables of contents left out (the guide makes its own): 1 (e.g. line 3)",)


def test_blocks_read_as_commonmark_reads_them(tmp_path):
    """Underlined headings are headings; a heading inside an item's text, or indented under it,
    and a # in its code, stay in the answer."""
    report, guide = imported("commonmark.md", tmp_path)
    assert guide.title == "Systems questions"
    assert cards(guide) == [
        ("Caching", "What is a cache stampede?", "Many requests miss at once and all go to the database.\n\n"
         "## Why it hurts\n\n```sh\n# every one of them recomputes\n```"),
        ("Caching", "How do you prevent it?", "## Locks\n\n Lock on a miss, or serve stale values.")]
    assert report.skipped == ()


def test_numbered_paragraphs_inside_html_blocks_are_the_questions(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("".join(f'<div dir="rtl">\n{number}. ما هو الناتج؟\n</div>\n\n- A: `{number}`\n\n'
                              "<details><summary><b>الإجابة</b></summary>\n\nA\n</details>\n\n---\n\n"
                              for number in (1, 2, 3)), encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert [(card.question.value, card.answer.value) for card in guide.cards] == [
        (f"ما هو الناتج؟\n\n- A: `{number}`", "A") for number in (1, 2, 3)]


def test_the_opening_hash_heading_is_the_title_when_a_section_follows_it(tmp_path):
    source = tmp_path / "README.md"
    source.write_text("# JavaScript basics\n\n## Variables\n\n## Q. What is hoisting?\n\nMoving up.\n\n"
                      "# Extras\n\n## Q. What is a closure?\n\nA function and its scope.\n", encoding="utf-8")
    report, guide = imported(source, tmp_path)
    assert guide.title == "JavaScript basics"
    assert [(section.title, len(section.cards)) for section in guide.sections] == [
        ("Variables", 1), ("Extras", 1)]


def test_paragraphs_labelled_q_and_a_are_questions_and_answers(tmp_path):
    report, guide = imported("labelled-questions.md", tmp_path)
    assert cards(guide) == [
        ("Quick questions", "What is a closure?", "A function with the scope it was made in."),
        ("Quick questions", "What does this print?\n\n```js\nconsole.log(typeof null)\n```", '`"object"`')]
    assert report.skipped == ("questions without an answer: 1 (e.g. line 12: What value is returned?)",)


def test_questions_listed_without_answers_are_each_reported(tmp_path, capsys):
    source = IMPORTS / "listed-questions.md"
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 1
    error = capsys.readouterr().err
    assert "found no cards to import" in error
    assert ("questions without an answer: 5 (e.g. line 5: What is a closure?; line 6: Describe event "
            "delegation.; line 8: What does `this` refer to in an arrow function?") in error
    assert "text before" not in error and "sections without a question" not in error


def test_the_questions_are_the_level_of_headings_with_answers_right_under_them(tmp_path):
    """Not the level of the sub-headings inside answers, nor the one whose headings asks the most;
    a heading with an answer among the questions is one, and so are those after them."""
    report, guide = imported("levels.md", tmp_path)
    assert [(section, question, card.difficulty) for (section, question, _), card
            in zip(cards(guide), guide.cards, strict=True)] == [
        ("Strings", "What a string is", None), ("Strings", "How to join strings", None),
        ("Strings", "How to split a string", None), ("Strings", "What the GIL is", None),
        ("Principiante", "What a list is", "easy"), ("Principiante", "How to append to a list", "easy"),
        ("Principiante", "How to empty a list", "easy"), ("Principiante", "How to copy a list", "easy"),
        ("Principiante", "How to sort a list", "easy"), ("Principiante", "How to reverse a list", "easy"),
        ("Principiante", "How to count items", "easy")]
    assert "#### References" in guide.cards[0].answer.value
    assert report.skipped == ("tables of contents left out (the guide makes its own): 1 (e.g. line 3)",)


def test_a_heading_over_a_list_of_questions_and_their_code_lists_them_without_answers(tmp_path, capsys):
    source = tmp_path / "set.md"
    source.write_text("# Questions\n\n## Coding questions\n\n* Make this work:\n```js\nduplicate([1, 2])\n"
                      "```\n* What does this return?\n```js\n'a' || 'b'\n```\n* Write an IIFE.\n",
                      encoding="utf-8")
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 1
    assert ("questions without an answer: 3 (e.g. line 5: Make this work:; line 9: What does this return?; "
            "line 13: Write an IIFE.)") in capsys.readouterr().err


def test_an_answer_s_own_labels_stay_whole(tmp_path):
    source = tmp_path / "set.md"
    source.write_text("## Q. Swap two numbers?\n\n**Solution 01:** with destructuring\n\n"
                      "**Solution 02:** with a third variable\n\n## Q. Reverse a string?\n\n"
                      "**Answer:** split it.\n", encoding="utf-8")
    _, guide = imported(source, tmp_path)
    assert [card.answer.value for card in guide.cards] == [
        "**Solution 01:** with destructuring\n\n**Solution 02:** with a third variable", "split it."]


def test_questions_labelled_in_italics_without_answers_are_reported(tmp_path, capsys):
    source = tmp_path / "set.md"
    source.write_text("# 代码问题\n\n*问题：`foo`的值是什么？*\n```js\nvar foo = 10 + '20';\n```\n\n"
                      "*问题：如何实现以下函数？*\n```js\nadd(2)(5);\n```\n", encoding="utf-8")
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 1
    assert "questions without an answer: 2 (e.g. line 3: `foo`的值是什么？; line 8: 如何实现以下函数？)" in \
        capsys.readouterr().err


def test_what_a_question_shows_after_a_colon_and_its_source_link_are_placed_as_readers_expect(tmp_path):
    """The code after a question that ends on a colon is its own, and so is a fence indented a
    little more than the text of an answer in a list item; a link to where the question comes
    from goes under the answer; a back-to-top link set off as code is left out."""
    source = tmp_path / "set.md"
    source.write_text(
        "# Set\n\n#### 1) Why is this split wrong: [[src](https://example.com/q1)]\n\n"
        "    rnd = np.random.rand(n)\n\nThe seed is not fixed.\n\n#### 2) What is event capturing?\n\n"
        "It is a phase.\n\n ```html\n <button>Hello</button>\n ```\n\n    **[⬆ Back to Top](#top)**\n",
        encoding="utf-8")
    _, guide = imported(source, tmp_path)
    assert [(card.question.value, card.answer.value) for card in guide.cards] == [
        ("Why is this split wrong:\n\n    rnd = np.random.rand(n)",
         "The seed is not fixed.\n\n[Source](https://example.com/q1)"),
        ("What is event capturing?", "It is a phase.\n\n```html\n<button>Hello</button>\n```")]


def test_a_file_of_contents_alone_is_no_card_and_no_traceback(tmp_path, capsys):
    source = tmp_path / "set.md"
    source.write_text("## Contents\n\n- [One](#one)\n\n### Index\n\n- [Two](#two)\n", encoding="utf-8")
    assert main(["import", str(source), "--content", str(tmp_path / "content")]) == 1
    assert "found no cards to import" in capsys.readouterr().err
