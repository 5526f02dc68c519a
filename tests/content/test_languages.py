"""Guides in other languages and scripts: labels, dates, fonts and right to left, read from the PDFs."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pyphen
import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import check
from studyguide.cli.main import main
from studyguide.content import labels
from studyguide.html import fonts as faces

from ..conftest import FIXTURES, build_clean, write_guide
from ..pdfinfo import fonts, inner_texts, normalize

LANGUAGES = FIXTURES / "languages"
PDFS = ("guide", "tablet", "quiz", "flashcards")
# The cover date of 2026-11-28 as each language writes it.
COVER_DATES = {"de": "Stand: 28. November 2026", "ru": "Обновлено 28 ноября 2026 г.",
               "ar": "آخر تحديث: 28 نوفمبر 2026", "he": "עודכן: 28 בנובמבר 2026",
               "hi": "अद्यतन: 28 नवंबर 2026", "zh": "更新于 2026年11月28日", "ja": "更新日：2026年11月28日"}
# The face each script must be printed in, as pdffonts names it.
SCRIPT_FACES = {"ar": "Amiri", "he": "Noto-Sans-Hebrew", "hi": "Noto-Sans-Devanagari", "zh": "Noto-Sans-CJK",
                "ja": "Noto-Sans-CJK"}
FALLBACK_FACES = ("Amiri", "Noto", "Cairo")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every output of each language's guide, built once; no warning of any kind allowed."""
    outs = {}
    for language in COVER_DATES:
        out = tmp_path_factory.mktemp(language)
        build_clean(BuildOptions(content_dir=LANGUAGES / language, out_dir=out))
        outs[language] = out
    return outs


def built_from(tmp_path: Path, guide: str, **options) -> Path:
    """The output folder of a clean build of a guide.yaml with the given text."""
    content, out = write_guide(tmp_path / "content", guide), tmp_path / "out"
    build_clean(BuildOptions(content_dir=content, out_dir=out, **options))
    return out


def texts(pdf: Path) -> list[str]:
    """Each page's text in logical order (pdfium reads right-to-left lines as they are written)."""
    return inner_texts(pdf, 0, 0)


def english_phrases(language: str) -> list[str]:
    """The words of every English label that the language's catalog says otherwise."""
    own = labels.labels_for(language).messages
    phrases = set()
    for name in labels.label_names():
        english, theirs = (labels.message_texts(catalog[name]) for catalog in (labels.catalog("en"), own))
        for text in english:
            for literal, *_ in string.Formatter().parse(text):
                phrase = literal.strip(" .,:;·→↑()")
                if len(phrase) >= 4 and not any(phrase in their for their in theirs):
                    phrases.add(phrase)
    return sorted(phrases)


@pytest.mark.parametrize("language", COVER_DATES)
def test_no_english_label_in_any_pdf(built, language):
    phrases = english_phrases(language)
    assert "Show answer" in phrases and "Contents" in phrases
    for name in PDFS:
        text = " ".join(texts(built[language] / f"{name}.pdf")).casefold()
        found = [phrase for phrase in phrases if re.search(rf"\b{re.escape(phrase.casefold())}\b", text)]
        assert not found, f"{name}.pdf of the {language} guide prints English labels: {found}"


@pytest.mark.parametrize("language", COVER_DATES)
def test_the_cover_dates_the_guide_as_its_language_does(built, language):
    cover = texts(built[language] / "guide.pdf")[0]
    assert normalize(COVER_DATES[language]) in cover


# Devanagari is left out: WeasyPrint maps some of its shaped glyphs back to the wrong letters,
# so its text layer does not read exactly as written (see the README).
@pytest.mark.parametrize("language", [language for language in COVER_DATES if language != "hi"])
def test_labels_come_from_the_catalog_with_plural_forms(built, language):
    words = labels.labels_for(language)
    counts = words("count_line", questions=words("questions", count=3), parts=words("parts", count=2))
    assert normalize(counts) in texts(built[language] / "guide.pdf")[0]
    quiz = " ".join(texts(built[language] / "quiz.pdf"))
    assert normalize(words("show_answer")) in quiz and normalize(words("back_to_contents")) in quiz


@pytest.mark.parametrize("language", SCRIPT_FACES)
def test_each_script_prints_in_its_face(built, language):
    embedded = fonts(built[language] / "guide.pdf")
    assert any(SCRIPT_FACES[language] in name for name in embedded), list(embedded)


def test_a_latin_guide_embeds_no_fallback_face(built):
    for language in ("de", "ru"):
        embedded = fonts(built[language] / "guide.pdf")
        assert not [name for name in embedded if any(face in name for face in FALLBACK_FACES)]


def test_russian_plurals_follow_the_number():
    words = labels.labels_for("ru")
    assert [words("questions", count=n) for n in (1, 3, 5, 21)] == \
        ["1 вопрос", "3 вопроса", "5 вопросов", "21 вопрос"]


def test_an_unknown_language_falls_back_to_english_with_a_warning(tmp_path):
    content = write_guide(tmp_path / "content", "title: T\nlanguage: qq\nsections:\n  - title: S\n"
                          "    cards:\n      - question: Q?\n        answer: A.\n")
    report = check(BuildOptions(content_dir=content, out_dir=tmp_path / "out"))
    [warning] = report.warnings
    assert (warning.position.line, warning.position.column) == (2, 11)
    assert "language 'qq' has no catalog of labels, so the guide's labels are in English" in warning.message


def test_labels_in_the_guide_override_the_catalog(tmp_path):
    out = built_from(tmp_path, (
        "title: T\nlanguage: de\nupdated: 2026-11-28\nlabels:\n  contents: Inhaltsverzeichnis\n"
        "  questions: {one: '{count} Karte', other: '{count} Karten'}\nsections:\n  - title: S\n"
        "    cards:\n      - question: Frage?\n        answer: Antwort.\n"), only=("guide",))
    pages = texts(out / "guide.pdf")
    assert "1 Karte in 1 Teil" in pages[0]
    assert "Inhaltsverzeichnis" in pages[2]


def test_every_catalog_has_every_label_with_the_same_values():
    for language in labels.catalogs():
        catalog = labels.catalog(language)
        assert set(catalog) - {labels.DATE_KEY} == set(labels.label_names()), language
        for name in labels.label_names():
            used = set(labels.field_names(labels.message_texts(catalog[name])))
            assert used <= labels.placeholders(name), (language, name, used)
            if labels.is_plural(name):
                assert set(catalog[name]) <= set(labels.plural_categories(language)), (language, name)


def test_the_catalogs_the_readme_promises_exist():
    promised = {"en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "ar", "he", "fa", "ur",
                "hi", "zh", "ja", "ko"}
    assert promised <= set(labels.catalogs())


# Right to left, from the PDF.

@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: list[dict]  # pdfplumber's, in pt from the top left
    lines: list[dict]


def arabic_pages(built) -> list[Page]:
    with pdfplumber.open(built["ar"] / "guide.pdf") as pdf:
        return [Page(page.width, page.height, page.extract_words(extra_attrs=["size"]),
                     page.extract_text_lines()) for page in pdf.pages]


def test_right_to_left_parts_start_on_the_left_hand_page(tmp_path):
    out = tmp_path / "out"
    build_clean(BuildOptions(content_dir=LANGUAGES / "ar", out_dir=out, only=("guide",), part_breaks="right"))
    pages = texts(out / "guide.pdf")
    part_pages = [number for number, text in enumerate(pages, 1) if text.startswith("الجزء")]
    assert part_pages and all(number % 2 == 1 for number in part_pages), part_pages  # page 1 is a left page


def test_right_to_left_running_heads_and_page_numbers_sit_on_the_outer_corners(built):
    checked = set()  # the sides seen: True for left-hand pages
    for number, page in enumerate(arabic_pages(built), 1):
        words = page.words
        foot = [w for w in words if w["top"] > page.height - 24 / 25.4 * 72 and w["text"] == str(number)]
        head = [w for w in words if w["bottom"] < 22 / 25.4 * 72]
        if not foot or not head:
            continue
        left_page = number % 2 == 1
        for word in (*foot, *head):
            assert (word["x1"] < page.width / 2) == left_page, (number, word["text"])
        checked.add(left_page)
    assert checked == {True, False}


def test_right_to_left_paragraphs_are_aligned_right(built):
    number = next(n for n, text in enumerate(texts(built["ar"] / "guide.pdf"), 1) if "الذاكرة" in text)
    page = arabic_pages(built)[number - 1]
    title = max(page.words, key=lambda word: word["size"])  # the part's title
    answer = [line for line in page.lines if line["bottom"] < page.height - 24 / 25.4 * 72][-1]  # one line
    assert abs(answer["x1"] - title["x1"]) < 1
    assert answer["x0"] > title["x1"] - 0.6 * (title["x1"] - 24 / 25.4 * 72)


def test_a_mixed_arabic_and_english_line_reads_in_logical_order(built):
    text = " ".join(texts(built["ar"] / "guide.pdf"))
    assert "ما هو نموذج Transformer في التعلم العميق؟" in text
    hebrew = " ".join(texts(built["he"] / "guide.pdf"))
    assert "כותבים את הקוד בשפת Python ברוב הפרויקטים." in hebrew


def test_code_reads_left_to_right_in_a_right_to_left_guide(built):
    assert "scores = q @ k.T / math.sqrt(d_k)" in " ".join(texts(built["ar"] / "guide.pdf"))


def test_a_card_in_the_other_direction_gets_its_own(tmp_path):
    out = built_from(tmp_path, (
        "title: دليل\nlanguage: ar\nsections:\n  - title: قسم\n    cards:\n"
        "      - id: english\n        question: What is attention?\n        answer: A weighting of values.\n"
        "      - id: arabic\n        question: ما هو الانتباه؟\n        answer: ترجيح القيم.\n"),
        only=("guide",), emit_html=True)
    html = (out / "guide.html").read_text("utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert 'id="card-english" dir="ltr"' in html
    assert 'id="card-arabic">' in html


# Emoji and symbols.

EMOJI = "👶 ⭐️ 🚀 ✅ ❌ 💡 🔥 ⚠️"


def test_emoji_print_as_glyphs_that_copy_out(tmp_path):
    out = built_from(tmp_path, ("title: Emoji\nsections:\n  - title: Signs\n    cards:\n"
                                f"      - question: Which signs?\n        answer: 'Signs {EMOJI} end.'\n"),
                     only=("guide", "cards"))
    assert any("Noto-Emoji" in name for name in fonts(out / "guide.pdf"))
    plain = EMOJI.replace("\ufe0f", "")  # the emoji-style selectors draw nothing and copy out as nothing
    assert f"Signs {plain} end." in " ".join(texts(out / "guide.pdf"))


def test_mathematical_letters_pasted_for_bold_print_and_copy_out(tmp_path):
    bold = "𝐇𝐨𝐰 𝐰𝐨𝐮𝐥𝐝 𝐲𝐨𝐮"  # U+1D400 and on: bold made of letters, as social sites paste it
    out = built_from(tmp_path, ("title: Letters\nsections:\n  - title: Bold\n    cards:\n"
                                f"      - question: {bold} do it?\n        answer: With care.\n"),
                     only=("guide",))
    assert any("STIX-Two-Math" in name for name in fonts(out / "guide.pdf"))
    assert "How would you do it?" in " ".join(texts(out / "guide.pdf"))  # texts() folds 𝐇 into H


@pytest.fixture
def without_cjk(monkeypatch):
    """A machine without fonts-noto-cjk: its face is known, but not installed."""
    missing = faces.Fallback("Noto Sans CJK", (("", Path("/nonexistent/NotoSansCJK-Regular.ttc")),),
                             debian_package="fonts-noto-cjk", ranges=faces.CJK_RANGES)
    monkeypatch.setattr(faces, "fallbacks", lambda: (missing,))


def test_a_text_its_faces_draw_whole_reads_no_fallback_font():
    faces._covered_by.cache_clear()
    assert faces.missing_characters("Plain words, “quoted”") == ""
    assert faces.fallbacks_for("Plain words") == ()
    assert faces._covered_by.cache_info().currsize == 1  # the text faces' characters only
    assert faces.fallbacks_for("漢字")[0].family == "Noto Sans CJK"


@pytest.mark.usefixtures("without_cjk")
def test_a_missing_system_face_is_a_warning_naming_the_package():
    assert faces.missing_characters("漢字 ok") == "漢字"
    assert faces.install_hint("漢字") == "; install the Debian package fonts-noto-cjk to print them"
    assert faces.install_hint("𓀀") == ""


def test_the_default_guide_embeds_only_its_own_faces(guide_pdfs):
    embedded = fonts(guide_pdfs["a4"])
    assert embedded and all("Source" in name for name in embedded), list(embedded)


def test_the_calibration_sheet_speaks_the_language_asked_for(tmp_path, capsys):
    assert main(["calibrate", "--language", "de", "--out", str(tmp_path)]) == 0
    front = texts(tmp_path / "calibration.pdf")[0]
    assert "Drucken Sie diese Datei beidseitig, Wenden an der langen Kante" in front
    assert "Print this file" not in front
    assert main(["calibrate", "--language", "dee", "--out", str(tmp_path)]) == 2
    assert "(did you mean 'de'?)" in capsys.readouterr().err


@pytest.mark.usefixtures("without_cjk")
def test_labels_that_need_a_missing_system_face_are_a_warning_naming_the_package(tmp_path):
    content = write_guide(tmp_path / "content", "title: T\nlanguage: ja\nsections:\n  - title: S\n"
                          "    cards:\n      - question: Q?\n        answer: A.\n")
    [warning] = check(BuildOptions(content_dir=content, out_dir=tmp_path / "out")).warnings
    assert (warning.position.line, warning.position.column) == (2, 11)
    assert warning.message == ("the labels in language 'ja' use characters no installed font has, which "
                               "print as □; install the Debian package fonts-noto-cjk to print them")


@pytest.mark.parametrize(("language", "direction"), [
    ("ar", "rtl"), ("he", "rtl"), ("fa", "rtl"), ("ur", "rtl"), ("de", "ltr"), ("zh", "ltr"), ("qq", "ltr")])
def test_the_direction_of_a_language_comes_from_its_locale(language, direction):
    assert labels.labels_for(language).direction == direction


def test_a_german_guide_hyphenates_by_german_rules(built):
    with pdfplumber.open(built["de"] / "guide.pdf") as pdf:
        raw = "\n".join(page.extract_text() or "" for page in pdf.pages)
    broken = re.findall(r"(\w+)-\n(\w+)", raw)
    assert len(broken) >= 2, raw
    german = pyphen.Pyphen(lang="de")
    for start, end in broken:
        assert len(start) in german.positions(start + end), (start, end)


@pytest.mark.usefixtures("without_cjk")
def test_cards_that_need_a_missing_system_face_are_one_warning_naming_the_package_and_the_cards(tmp_path):
    cards = "".join(f"      - id: c{n}\n        question: 问题{n}?\n        answer: 答案{n}.\n"
                    for n in range(1, 8))
    content = write_guide(tmp_path / "content", f"title: T\nsections:\n  - title: S\n    cards:\n{cards}")
    [warning] = check(BuildOptions(content_dir=content, out_dir=tmp_path / "out")).warnings
    assert (warning.position.line, warning.position.column) == (6, 19)
    assert warning.message == ("7 cards ('c1', 'c2', 'c3', 'c4', 'c5' and 2 more) use characters no "
                               "installed font has: 问题答案 (U+95EE, U+9898, U+7B54, U+6848); PDFs print "
                               "□ for them; install the Debian package fonts-noto-cjk to print them")
