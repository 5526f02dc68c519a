"""PDFs rendered in parts and joined: the same as one render of the whole edition, and rebuilt
by the parts that changed."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pikepdf
import pytest
from pypdf import PdfReader

from benchmarks.synthetic import write_guide as write_synthetic
from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build
from studyguide.editions import registry as outputs
from studyguide.engine import parts
from studyguide.engine.weasy import Resources, render_pdf
from studyguide.flashcards import render
from studyguide.html import fonts
from tests.conftest import CONTENT, ROOT, build_clean
from tests.pdfinfo import link_destinations, outline, page_texts

EDITIONS = ("guide", "tablet", "quiz")


def structure(path: Path) -> dict[str, object]:
    """What a reader meets in a PDF: its pages' sizes and text, bookmarks, links and metadata.

    Each part has its own subset of a font, whose map back to text gives the hyphen glyph the
    first character it drew: '-' in one, '‐' in another. The text is compared with both
    read as one, and words broken at a line's end joined.
    """
    with pikepdf.open(path) as pdf:
        pages = {
            "sizes": [tuple(round(float(value), 2) for value in page.mediabox) for page in pdf.pages],
            "labels": [page.label for page in pdf.pages],
            "title": str(pdf.docinfo["/Title"]) if "/Title" in pdf.docinfo else None,
            "language": str(pdf.Root.get("/Lang")),
        }
    return {
        **pages,
        "texts": [re.sub(r"-\s+", "", text.replace("\u2010", "-")) for text in page_texts(path)],
        "outline": outline(path),
        "links": sorted(link_destinations(path)),
        "fonts": embedded_fonts(path),
    }


def embedded_fonts(path: Path) -> list[str]:
    """The name of every font program the PDF embeds, as often as it embeds it."""
    with pikepdf.open(path) as pdf:
        return sorted(str(item.FontName) for item in pdf.objects
                      if isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/FontDescriptor"
                      and any(key in item for key in ("/FontFile", "/FontFile2", "/FontFile3")))


def whole(built: Path, content: Path, edition: str, tagged: bool = True) -> Path:
    """The edition's HTML (written by --emit-html) rendered by WeasyPrint as one document."""
    html = (built / f"{edition}.html").read_text(encoding="utf-8")
    resources = Resources(content, (content, CONTENT.parent / "templates", *fonts.font_dirs()))
    path = built / f"{edition}-whole.pdf"
    path.write_bytes(render_pdf(html, resources, f"{edition}.pdf", tagged=tagged).data)
    return path


@pytest.fixture(autouse=True)
def small_parts(monkeypatch: pytest.MonkeyPatch):
    """Parts small enough that a small guide has several: a section each, four pages of cards,
    ten lines of contents."""
    monkeypatch.setattr(outputs, "PART_CHARACTERS", 1)
    monkeypatch.setattr(render, "SIDES_PER_PART", 4)
    monkeypatch.setattr(outputs, "CONTENTS_ENTRIES", 10)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A guide of 24 cards in 3 sections: several parts in every edition."""
    return write_synthetic(tmp_path_factory.mktemp("synthetic") / "content", 24, per_section=8)


@pytest.mark.parametrize("which", ["default", "synthetic"])
def test_joined_editions_read_as_one_render(which: str, synthetic: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(parts, "FOLIOS_PER_SHEET", 7)  # folios from several sheets
    content = CONTENT if which == "default" else synthetic
    progress: list[str] = []
    build_clean(BuildOptions(content_dir=content, out_dir=tmp_path, only=EDITIONS, emit_html=True),
                progress.append)
    for edition in EDITIONS:
        joined = tmp_path / f"{edition}.pdf"
        assert structure(joined) == structure(whole(tmp_path, content, edition)), edition
    if which == "synthetic":  # the contents in parts: their pages break where the parts meet
        assert "contents 2" in _rendered(progress, "guide.pdf")
        assert "contents 3" in _rendered(progress, "quiz.pdf")


@pytest.mark.parametrize("breaks", ["page", "none"])
def test_a_guide_that_starts_parts_on_either_side_reads_as_one_render(breaks: str, synthetic: Path,
                                                                      tmp_path: Path):
    build_clean(BuildOptions(content_dir=synthetic, out_dir=tmp_path, only=("guide",), emit_html=True,
                             part_breaks=breaks))
    assert structure(tmp_path / "guide.pdf") == structure(whole(tmp_path, synthetic, "guide"))


def test_an_edition_of_one_render_reads_as_its_parts_joined(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    options = BuildOptions(out_dir=tmp_path / "parts", only=EDITIONS)
    build_clean(options)
    monkeypatch.setattr(outputs, "PART_CHARACTERS", 30_000)
    monkeypatch.setattr(outputs, "CONTENTS_ENTRIES", 400)
    progress: list[str] = []
    build_clean(dataclasses.replace(options, out_dir=tmp_path / "one"), progress.append)
    for edition in EDITIONS:
        assert set(_rendered(progress, f"{edition}.pdf")) == {"whole"}  # one render: no parts, no join
        one, joined = (tmp_path / folder / f"{edition}.pdf" for folder in ("one", "parts"))
        assert structure(one) == structure(joined), edition


def test_contents_print_the_page_each_entry_links_to(synthetic: Path, tmp_path: Path):
    build_clean(BuildOptions(content_dir=synthetic, out_dir=tmp_path, only=("guide",)))
    path = tmp_path / "guide.pdf"
    texts = page_texts(path)
    links = {link for link in link_destinations(path) if link[1].startswith("card-")}  # a box a line
    assert len(links) == 24
    for page, name, target in links:
        assert target is not None, name
        assert str(target) in texts[page - 1], (name, target)
    # every page but the cover and the blank pages carries its number, as its last word
    unnumbered = [number for number, text in enumerate(texts, 1) if text.split()[-1:] != [str(number)]]
    assert unnumbered[0] == 1 and all(not texts[number - 1] for number in unnumbered[1:])
    assert len(unnumbered) > 2  # blank pages before parts that start on the right


def _rendered(progress: list[str], filename: str) -> list[str]:
    return sorted(line.split(" (")[0].removeprefix(f"rendered {filename} ")
                  for line in progress if line.startswith(f"rendered {filename} "))


def test_an_edit_renders_only_its_part_again(synthetic: Path, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    options = BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide", "tablet"))
    build_clean(options)
    section = content / "sections" / "part-002.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("memory", "MEMORY", 1), encoding="utf-8")
    progress: list[str] = []
    build(options, progress=progress.append)
    # the answer's words changed, not its question: the contents stay as they were
    assert _rendered(progress, "guide.pdf") == ["join", "part 2"]
    assert _rendered(progress, "tablet.pdf") == ["join", "part 2"]
    # a render says which cards it holds, so that one that fails or runs out of time points at them
    assert any(line.startswith("rendered guide.pdf part 2 (cards 09 to 16) (") for line in progress), progress


def test_a_first_build_writes_the_contents_once_and_only_lays_out_their_measure(
        synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The contents' pages are counted with placeholder numbers before the body's pages are
    known; that render is laid out and never written, and leaves out the questions' numbers,
    which move no text (the sections' stay). The workers are forked, so each render leaves a
    line in a file."""
    log = tmp_path / "renders.txt"
    placeholder, contents = f'data-page="{parts.PLACEHOLDER_PAGE}"', 'class="toc-card"'
    section = 'class="toc-section'
    resources = Resources(synthetic, (synthetic, ROOT / "templates", *fonts.font_dirs()))

    def logged(kind: str, original):
        def run(html: str, *args):
            numbers = ""
            if kind == "measured":  # what the measure lays out, written to be read
                pdf = tmp_path / f"measure-{os.getpid()}-{time.monotonic_ns()}.pdf"
                pdf.write_bytes(render_pdf(html, resources, "measure.pdf").data)
                printed = sum(text.split().count(str(parts.PLACEHOLDER_PAGE)) for text in page_texts(pdf))
                numbers = f" {printed == html.count(section)}"
            with log.open("a", encoding="utf-8") as file:
                file.write(f"{kind} {contents in html} {placeholder in html}{numbers}\n")
            return original(html, *args)
        return run

    monkeypatch.setattr(outputs, "render_part", logged("written", outputs.render_part))
    monkeypatch.setattr(outputs, "measure_part", logged("measured", outputs.measure_part))
    build_clean(BuildOptions(content_dir=synthetic, out_dir=tmp_path / "out", only=("guide", "tablet")))
    renders = Counter(log.read_text(encoding="utf-8").splitlines())
    contents_parts = renders["measured True True True"]
    assert contents_parts >= 4, renders  # ten entries to a part: the contents of 24 cards are in parts
    assert renders["written True False"] == contents_parts, renders  # once each, with their numbers
    assert set(renders) == {"measured True True True", "written True False", "written False False"}, renders
    assert renders["written False False"] > 6, renders  # the body's parts and the folio sheets


def test_each_render_names_the_cards_it_holds(synthetic: Path, tmp_path: Path):
    progress: list[str] = []
    build_clean(BuildOptions(content_dir=synthetic, out_dir=tmp_path, only=("quiz", "cards"), shuffle_seed=5),
                progress.append)
    tasks = {re.sub(r" \(\d+ of \d+ so far\)$", "", line) for line in progress
             if line.startswith("rendered ")}
    quiz_parts = sorted(task for task in tasks if task.startswith("rendered quiz.pdf part "))
    assert len(quiz_parts) == 4 and all(  # five questions to a part (the last nine), shuffled: three named
        re.fullmatch(r"rendered quiz\.pdf part \d \(cards \d\d, \d\d, \d\d and \d more\)", task)
        for task in quiz_parts), quiz_parts
    assert "rendered flashcards.pdf fitting 1 (cards 01 to 24)" in tasks
    assert re.search(r"rendered flashcards\.pdf sheets 1 \(cards \d\d, \d\d, \d\d and \d+ more\)",
                     "\n".join(tasks))


def test_a_page_more_renumbers_every_later_page(synthetic: Path, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    options = BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide",),
                           part_breaks="right")
    build_clean(options)
    before = page_texts(tmp_path / "out" / "guide.pdf")
    section = content / "sections" / "part-001.yaml"
    long_answer = "\n\n".join(["Grown answer words spread over two pages of their own here."] * 80)
    text = section.read_text(encoding="utf-8").replace(
        "    answer: |\n", f"    answer: |\n      {long_answer.replace(chr(10), chr(10) + '      ')}\n\n", 1)
    section.write_text(text, encoding="utf-8")
    progress: list[str] = []
    build(options, progress=progress.append)
    rendered = _rendered(progress, "guide.pdf")
    assert "part 1" in rendered and "part 2" not in rendered and "part 3" not in rendered
    after = tmp_path / "out" / "guide.pdf"
    texts = page_texts(after)
    assert len(texts) > len(before)
    cold = tmp_path / "cold"
    build_clean(dataclasses.replace(options, out_dir=cold))
    assert after.read_bytes() == (cold / "guide.pdf").read_bytes()
    assert structure(after) == structure(cold / "guide.pdf")


def test_incremental_bytes_equal_cold_bytes(synthetic: Path, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    # the tablet edition is parted as the guide is, less its sides: the guide and the quiz cover it
    options = BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("guide", "quiz"))
    build_clean(options)
    sections = content / "sections"
    first = sections / "part-001.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("case 1?", "case one?"), encoding="utf-8")
    build_clean(options)
    listing = content / "guide.yaml"
    (sections / "part-003.yaml").unlink()  # a section deleted
    listing.write_text(listing.read_text(encoding="utf-8").replace("  - file: sections/part-003.yaml\n", ""),
                       encoding="utf-8")
    build_clean(options)
    fourth = sections / "part-004.yaml"  # and one added
    second = (sections / "part-002.yaml").read_text(encoding="utf-8")
    fourth.write_text(second.replace("id: card-", "id: again-").replace("in case", "again in case"),
                      encoding="utf-8")
    listing.write_text(listing.read_text(encoding="utf-8") + "  - file: sections/part-004.yaml\n",
                       encoding="utf-8")
    build_clean(options)
    cold = tmp_path / "cold"
    build_clean(dataclasses.replace(options, out_dir=cold))
    for edition in options.only:
        assert (tmp_path / "out" / f"{edition}.pdf").read_bytes() == (cold / f"{edition}.pdf").read_bytes()


def test_a_damaged_cache_entry_is_rendered_again(tmp_path: Path):
    options = BuildOptions(out_dir=tmp_path / "out", only=("guide",))
    build_clean(options)
    first = (tmp_path / "out" / "guide.pdf").read_bytes()
    parts = sorted((tmp_path / "out" / ".cache" / "parts").glob("*.part"))
    assert parts
    for entry in parts:  # as a build killed while writing would, if writes were not atomic
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    (tmp_path / "out" / "guide.pdf").unlink()
    progress: list[str] = []
    build(options, progress=progress.append)
    assert "whole" in _rendered(progress, "guide.pdf")
    assert (tmp_path / "out" / "guide.pdf").read_bytes() == first


def test_rebuild_ignores_the_cache(tmp_path: Path):
    options = BuildOptions(out_dir=tmp_path / "out", only=("quiz",))
    build_clean(options)
    progress: list[str] = []
    build(dataclasses.replace(options, rebuild=True), progress=progress.append)
    assert "whole" in _rendered(progress, "quiz.pdf")


def test_an_edition_of_one_part_is_one_render_that_prints_its_own_pages(content_copy: Path, tmp_path: Path):
    options = BuildOptions(content_dir=content_copy, out_dir=tmp_path / "out", only=("guide", "quiz"))
    progress: list[str] = []
    assert not build(options, progress=progress.append).failed
    for filename, contents in (("guide.pdf", 3), ("quiz.pdf", 1)):  # the page the contents are on
        assert _rendered(progress, filename) == ["whole", "whole"], filename  # placeholders first; no join
        path = tmp_path / "out" / filename
        texts = page_texts(path)
        links = {link for link in link_destinations(path) if link[0] == contents}
        assert len({name for _, name, _ in links}) >= 8
        for page, name, target in links:  # each contents entry prints the page it links to
            assert str(target) in texts[page - 1], (filename, name, target)
    guide_file = content_copy / "guide.yaml"
    text = guide_file.read_text(encoding="utf-8")
    guide_file.write_text(text.replace("In autoregressive models", "In autoregressive decoders", 1),
                          encoding="utf-8")
    progress.clear()
    build(options, progress=progress.append)
    # the pages the last build found still hold: one render each
    assert _rendered(progress, "guide.pdf") == _rendered(progress, "quiz.pdf") == ["whole"]


def test_ctrl_c_keeps_the_last_good_files_and_a_cache_the_next_build_uses(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    monkeypatch.undo()  # the parts of the stopped build, the command's own size
    # enough sections that the build is far from done when its second part is filed, even on a busy machine
    synthetic = write_synthetic(tmp_path / "content", 56, per_section=8)
    out = tmp_path / "out"
    out.mkdir()
    (out / "guide.pdf").write_bytes(b"%PDF last good build")
    command = [sys.executable, str(ROOT / "build.py"), "build", "--content", str(synthetic), "--out",
               str(out), "--only", "guide,quiz", "--jobs", "1"]
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "TMPDIR": str(temporary)})
    cache = out / ".cache" / "parts"
    while process.poll() is None and len(list(cache.glob("*.part"))) < 2:
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert b"Traceback" not in err
    assert (out / "guide.pdf").read_bytes() == b"%PDF last good build"
    assert not (out / "quiz.pdf").exists()
    # nothing of the stopped build's own is left: no temporary output, part or font copy
    assert not [*out.glob(".*.tmp"), *(out / ".cache").rglob(".*.tmp"), *temporary.iterdir()]
    assert not (out / ".cache" / "tmp").exists()
    kept = {path: path.stat().st_ino for path in cache.glob("*.part")}
    assert len(kept) >= 2
    report = build(BuildOptions(content_dir=synthetic, out_dir=out, only=("guide", "quiz")))
    assert not report.failed
    # the parts the stopped build filed are taken as they are: a part rendered again is filed anew
    assert {path: path.stat().st_ino for path in kept} == kept


def test_a_card_is_rendered_again_only_when_it_changed(tmp_path: Path):
    from studyguide.content.load import load_guide
    from studyguide.diagnostics import Collector
    from studyguide.markup import convert as markup

    content = write_synthetic(tmp_path / "content", 4, per_section=2)
    rendered: markup.MarkupMemo = {}
    first = markup.render_markup(load_guide(content, Collector()), Collector(), rendered)
    guide_file = content / "sections" / "part-002.yaml"
    guide_file.write_text(guide_file.read_text(encoding="utf-8").replace("case 4?", "case four?"),
                          encoding="utf-8")
    converted: list[str] = []
    convert = markup.MarkdownConverter.convert
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup.MarkdownConverter, "convert",
                      lambda self, text: converted.append(text) or convert(self, text))
        second = markup.render_markup(load_guide(content, Collector()), Collector(), rendered)
    assert [card.answer_html for card in second.cards] == [card.answer_html for card in first.cards]
    changed = second.cards[3]
    assert converted == [changed.question.value, changed.answer.value]  # the card that changed
    assert second.cards[0].question.source is not first.cards[0].question.source  # where it is now


def test_flashcards_read_as_one_render_and_an_edit_renders_one_part(synthetic: Path, tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(synthetic, content)
    options = BuildOptions(content_dir=content, out_dir=tmp_path / "out", only=("cards",), emit_html=True)
    build_clean(options)
    joined = tmp_path / "out" / "flashcards.pdf"
    assert len(PdfReader(joined).pages) > render.SIDES_PER_PART  # more than one part
    assert structure(joined) == structure(whole(tmp_path / "out", content, "flashcards"))
    section = content / "sections" / "part-003.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("memory", "MEMORY", 1), encoding="utf-8")
    progress: list[str] = []
    build(options, progress=progress.append)
    rendered = _rendered(progress, "flashcards.pdf")
    sheets = [name for name in rendered if name.startswith("sheets ")]
    parts_in_all = -(-len(PdfReader(joined).pages) // render.SIDES_PER_PART)
    assert rendered == ["fitting 1", "join", *sheets] and len(sheets) == 1 < parts_in_all, rendered
    cold = tmp_path / "cold"
    build_clean(dataclasses.replace(options, out_dir=cold))
    assert joined.read_bytes() == (cold / "flashcards.pdf").read_bytes()


def test_renders_leave_no_fonts_in_the_temporary_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # the forked workers inherit it
    build_clean(BuildOptions(out_dir=tmp_path / "out", only=("guide", "cards")))
    assert not list(scratch.glob("weasyprint-*"))


def test_a_join_opens_small_parts_once_closing_each_once_copied_and_large_ones_one_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from contextlib import contextmanager

    from studyguide.engine import join
    from studyguide.engine.parts import PartPdf

    resources = Resources(tmp_path, (tmp_path, *fonts.font_dirs()))

    def part(words: list[str], style: str = "") -> PartPdf:
        html = "".join(f'<p id="p-{word}" style="break-before: page; {style}">{word}</p>' for word in words)
        return PartPdf(render_pdf(html, resources, "joined.pdf").data, ("",) * len(words),
                       {f"p-{word}": index for index, word in enumerate(words)})

    body = [part(["one", "two"]), part(["three"]), part(["four", "five"])]
    folios = [part(["6", "7", "8"], "margin-top: 20cm"), part(["9", "10"], "margin-top: 20cm")]
    opened, most, opens = [0], [0], [0]
    opened_part = join._opened

    @contextmanager
    def counted(piece: PartPdf):
        with opened_part(piece) as pdf:
            opened[0] += 1
            opens[0] += 1
            most[0] = max(most[0], opened[0])
            try:
                yield pdf
            finally:
                opened[0] -= 1

    open_at_each_copy = []
    add = join._Joined.add

    def copied(joined, pdf, *args, **kwargs):
        open_at_each_copy.append(opened[0])
        return add(joined, pdf, *args, **kwargs)

    monkeypatch.setattr(join, "_opened", counted)
    monkeypatch.setattr(join._Joined, "add", copied)
    held = join.join(body, (False, False, False), folios)
    assert most[0] == opens[0] == 5  # parts this small are opened once, held from one read to the next
    # and each closed once copied: the third part is copied beside the two folio sheets over it
    assert open_at_each_copy == [5, 4, 3] and opened[0] == 0
    most[0] = opens[0] = 0
    monkeypatch.setattr(join, "HELD_BYTES", 0)
    path = tmp_path / "joined.pdf"
    path.write_bytes(join.join(body, (False, False, False), folios))
    assert most[0] == 2 and opens[0] == 10  # a part, and the folio sheet whose pages lie over it
    assert path.read_bytes() == held
    assert [text.split() for text in page_texts(path)] == [
        ["one", "6"], ["two", "7"], ["three", "8"], ["four", "9"], ["five", "10"]]


class _NoCache:
    def get(self, key):
        return None

    def put(self, key, part):
        return part

    def recall(self, name):
        return None

    def note(self, name, value):
        pass


def test_the_longest_parts_render_first_and_the_contents_measures_last():
    """So that the workers run out of work together: a long part started last keeps one
    worker busy while the other waits."""
    lengths = (3, 9, 1, 5)  # the sections of each body part
    body = tuple(parts.Span(sections=(SimpleNamespace(cards=()),) * length) for length in lengths)
    front = (parts.Span(front=True, listed=(0, 2)), parts.Span(front=True, listed=(2, None)))

    def html_of(span: parts.Span) -> str:
        return "<p>contents</p>" if span.front else "<p>section</p>" * len(span.sections)

    steps = parts.render_in_parts(front, body, (False,) * len(body), False, html_of,
                                  task_of=lambda html, elsewhere: lambda: html,
                                  measure_of=lambda html: lambda: (), cache=_NoCache())
    assert list(next(steps)) == ["part 2", "part 4", "part 1", "part 3", "contents 1", "contents 2"]
