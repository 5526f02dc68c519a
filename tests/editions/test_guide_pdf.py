"""guide.pdf of the default content, checked by its structure."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from studyguide.build.options import BuildOptions
from studyguide.content.load import load_guide
from studyguide.diagnostics import Collector
from studyguide.editions.sectionbreaks import part_breaks
from studyguide.html.papers import PAPERS

from ..conftest import CONTENT, build_clean, write_guide
from ..pdfinfo import band_text, fonts, named_links, normalize, outline, page_image, page_texts

QUESTIONS = [
    "Explain the 'KV Cache' and why it's critical for real-time LLM applications.",
    "Why do we divide by",  # followed by a formula
    "Compare LoRA and Prefix-Tuning as PEFT methods.",
    "How do you detect and mitigate 'catastrophic forgetting' when fine-tuning an LLM?",
    "What is 'RLHF' and why can't we just use Supervised Fine-Tuning (SFT) for alignment?",
    "Describe the 'Chinchilla' scaling laws in your own words.",
    "An LLM is hallucinating a legal fact. How do you solve this without training?",
    "Your model is too large to fit on a single 80GB A100 GPU. What are your options?",
]
SECTIONS = ["Architecture & Theory", "Training & Production", "Creative & Problem Solving"]


@pytest.fixture(scope="module")
def a4(guide_pdfs) -> Path:
    return guide_pdfs["a4"]


def test_every_question_and_answer_is_in_the_text(a4):
    text = " ".join(page_texts(a4))
    for question in QUESTIONS:
        assert question in text
    assert "This anchors the model in reality" in text
    assert "you should train on approximately 20 tokens." in text


def test_math_is_drawn_not_printed_as_source(a4):
    text = " ".join(page_texts(a4))
    for source in ("$", "\\sqrt", "d_k", "QK^T", "O(L)"):
        assert source not in text


def test_cover_comes_first_without_page_number(a4):
    cover = page_texts(a4)[0]
    assert cover == ("STUDY GUIDE LLM Interview Prep Questions and model answers "
                     "8 questions in 3 parts Updated 28 November 2026")


def contents_page(texts: list[str]) -> int:
    return next(i for i, text in enumerate(texts, 1) if text.startswith("Contents"))


def part_starts(pdf: Path) -> list[int]:
    texts = page_texts(pdf)
    return [next(i for i, text in enumerate(texts, 1) if f"PART {n} {title}" in text)
            for n, title in enumerate(SECTIONS, 1)]


@pytest.mark.parametrize(("breaks", "starts", "pages"), [
    ("right", [5, 7, 9], 9), ("page", [4, 5, 6], 6), ("none", [4, 5, 6], 6)])
def test_parts_start_where_part_breaks_say_under_a_running_head(tmp_path, breaks, starts, pages):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path, only=("guide",), part_breaks=breaks))
    pdf = tmp_path / "guide.pdf"
    assert part_starts(pdf) == starts
    assert len(PdfReader(pdf).pages) == pages
    for page, title in zip(starts, SECTIONS, strict=True):  # right-hand pages name the part
        assert band_text(pdf, page, 0, 60) == (title.upper() if page % 2 else "LLM INTERVIEW PREP")
        assert band_text(pdf, page, 780, 842) == str(page)
    contents = page_texts(pdf)[contents_page(page_texts(pdf)) - 1]
    for number, (title, page) in enumerate(zip(SECTIONS, starts, strict=True), 1):
        assert f"{number} {title} {page}" in contents


def test_parts_run_on_after_a_rule_when_they_are_short(tmp_path):
    sections = "".join(f"  - title: Part {s}\n    cards:\n" + "".join(
        f"      - question: Q{s}{n}?\n        answer: Short answer {n}.\n" for n in range(2))
        for s in ("one", "two", "three"))
    content = write_guide(tmp_path / "content", f"title: Short\nsections:\n{sections}")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("guide",)))
    texts = page_texts(tmp_path / "guide.pdf")
    assert len(texts) == 4  # cover, its back, contents, and every part on one page
    assert all(f"Part {s}" in texts[3] for s in ("one", "two", "three"))



def test_a_long_guide_of_short_parts_starts_a_page_with_each_so_it_renders_in_parts(tmp_path):
    def guide(sections: int):
        body = "".join(f"  - title: Part {s}\n    cards:\n" + "".join(
            f"      - question: Q{s}.{n}?\n        answer: Short answer {n}.\n" for n in range(3))
            for s in range(sections))
        problems = Collector()
        return load_guide(write_guide(tmp_path / str(sections), f"title: Short\nsections:\n{body}"), problems)

    # a part of three short cards is under a third of a page: some 200 such parts fill 60 pages
    assert part_breaks(guide(100), PAPERS["a4"], None) == "none"
    assert part_breaks(guide(300), PAPERS["a4"], None) == "page"
    assert part_breaks(guide(300), PAPERS["a4"], "none") == "none"  # asked for, it is one render

def test_long_parts_start_on_right_hand_pages(tmp_path):
    answer = "A sentence of a long answer. " * 120
    sections = "".join(f"  - title: Part {s}\n    cards:\n" + "".join(
        f"      - question: Q{s}{n}?\n        answer: {answer}\n" for n in range(4)) for s in ("one", "two"))
    content = write_guide(tmp_path / "content", f"title: Long\nsections:\n{sections}")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("guide",)))
    texts = page_texts(tmp_path / "guide.pdf")
    starts = [next(i for i, text in enumerate(texts, 1) if f"PART {n}" in text) for n in (1, 2)]
    assert all(start % 2 == 1 for start in starts)


def test_left_pages_carry_the_guide_title_and_blank_pages_stay_blank(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    long_answer = "A long answer that fills pages. " * 400
    (content / "guide.yaml").write_text(
        f"title: Heads\nsections:\n  - title: Only part\n    cards:\n"
        f"      - question: Q?\n        answer: {long_answer}\n", encoding="utf-8")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("guide",)))
    pdf = tmp_path / "guide.pdf"
    texts = page_texts(pdf)
    assert texts[1] == "" and texts[3] == ""  # backs of the cover and of the contents
    assert len(texts) >= 7
    for page in range(5, len(texts) + 1):
        assert band_text(pdf, page, 0, 60) == ("HEADS" if page % 2 == 0 else "ONLY PART")
        assert band_text(pdf, page, 780, 842) == str(page)


def test_outline_nests_questions_under_sections(a4):
    marks = outline(a4)
    assert [m.title for m in marks] == SECTIONS
    assert [len(m.children) for m in marks] == [3, 3, 2]
    titles = [normalize(c.title) for m in marks for c in m.children]
    assert titles[0] == "1. " + QUESTIONS[0]
    assert titles[1] == "2. Why do we divide by √dk in the scaled dot-product attention formula?"
    for mark in marks:
        assert mark.page == mark.children[0].page


def test_contents_links_land_on_the_pages_of_their_entries(a4):
    texts = page_texts(a4)
    links = named_links(a4, contents_page(texts))
    assert [link.name for link in links] == [
        "section-1", "card-kv-cache", "card-attention-scaling", "card-lora-vs-prefix-tuning",
        "section-2", "card-catastrophic-forgetting", "card-rlhf-vs-sft", "card-chinchilla-scaling",
        "section-3", "card-legal-hallucination", "card-model-too-large"]
    cards = [link for link in links if link.name.startswith("card-")]
    contents = texts[contents_page(texts) - 1]
    for link, question in zip(cards, QUESTIONS, strict=True):
        assert question in texts[link.target - 1]
        assert link.text.startswith(question.split(" ")[0])
        # The entry ends with the number of the page it links to (after the formula, in one case).
        entry = re.escape(question.replace("-", "")) + "[^0-9]{0,80}? " + str(link.target) + r"\b"
        assert re.search(entry, contents.replace("-", "")), question


def test_contents_page_numbers_stand_flush_right_after_a_dot_leader(a4):
    page = contents_page(page_texts(a4))
    with pdfplumber.open(a4) as pdf:
        lines, height = pdf.pages[page - 1].extract_text_lines(), pdf.pages[page - 1].height
    section = next(line for line in lines if line["text"].endswith(f"{SECTIONS[0]} 4"))
    entry = next(line for line in lines if line["text"].endswith("formula? 4"))
    number, question_end = entry["chars"][-1], entry["chars"][-2]  # the page (4) and the question's "?"
    assert number["x1"] == pytest.approx(section["x1"], abs=0.1)  # the column's right edge
    # Along the baseline between the question and its page number, a dot every 2.6 pt or so.
    dpi = 144
    image = page_image(a4, page, dpi).convert("L")
    scale = dpi / 72
    row = round((height - number["matrix"][5] - 0.05 * number["size"]) * scale)  # the dots' middle
    span = range(round((question_end["x1"] + 4) * scale), round((number["x0"] - 4) * scale))
    dark = [image.getpixel((x, row)) < 200 for x in span]
    dots = sum(1 for before, now in zip(dark, dark[1:], strict=False) if now and not before)
    assert dots == pytest.approx(len(span) / scale / 2.6, abs=3)


def test_contents_lists_parts_with_their_pages(a4):
    texts = page_texts(a4)
    contents = texts[contents_page(texts) - 1]
    for number, (title, page) in enumerate(zip(SECTIONS, [4, 5, 6], strict=True), 1):
        assert f"{number} {title} {page}" in contents


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612, 792))])
def test_page_size_follows_paper_option(guide_pdfs, paper, size):
    for page in PdfReader(guide_pdfs[paper]).pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.1)


def test_metadata_comes_from_the_content(a4):
    reader = PdfReader(a4)
    info = reader.metadata
    assert info.title == "LLM Interview Prep"
    assert info.subject == "Questions and model answers"
    assert "attention" in info["/Keywords"] and "rag" in info["/Keywords"]
    assert info["/CreationDate"].startswith("D:20261128")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_fonts_are_embedded_and_subset(a4):
    used = fonts(a4)
    names = " ".join(used)
    assert "SourceSerif4" in names.replace(" ", "").replace("-", "") or "Source-Serif-4" in names
    assert "Source-Sans-3" in names or "SourceSans3" in names
    for name, descriptor in used.items():
        assert "+" in name, f"{name} is not subset"
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), name


def test_rebuilding_gives_byte_identical_pdf(a4, tmp_path):
    build_clean(BuildOptions(content_dir=CONTENT, out_dir=tmp_path, only=("guide",)))
    assert (tmp_path / "guide.pdf").read_bytes() == a4.read_bytes()


def test_a_guide_of_one_question_says_so_in_the_singular(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "guide.yaml").write_text(
        "title: One\nsections:\n  - title: Only\n    cards:\n      - question: Q?\n        answer: A.\n",
        encoding="utf-8")
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=("guide", "tablet")))
    assert "1 question in 1 part" in page_texts(tmp_path / "guide.pdf")[0]
    assert "1 question in 1 part" in page_texts(tmp_path / "tablet.pdf")[0]
