"""Hostile content packs, one route at a time: whatever a shared pack holds, no file outside it
reaches an output, no request leaves the process, no code runs, links stay on the web, and
every build ends in a safe output or a message at the file, line and column.

Routes that build share one pack (one card each) built once into every output; routes that
must fail are checked one pack each, without rendering; routes that content cannot take
(the sanitizer removes them) are rendered as HTML straight through the PDF step, as a
template gone wrong would be.
"""

from __future__ import annotations

import base64
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import BuildReport, build
from studyguide.cli.main import main
from studyguide.diagnostics import BuildError, ContentError, Problem
from studyguide.engine.weasy import Resources, render_pdf

from ..conftest import PNG, write_guide
from ..leaks import SECRET, Recorder, attachments, holds_secret, link_targets

pytestmark = pytest.mark.render_warnings  # each test asserts the exact warnings it expects
OUTPUTS = ("guide.pdf", "flashcards.pdf", "flashcards.apkg", "flashcards.tsv", "flashcards.csv")


@pytest.fixture(scope="module")
def recorder():
    server = Recorder()
    yield server
    server.close()


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    """A folder beside the content folder, full of secrets."""
    folder = tmp_path_factory.mktemp("hostile") / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "secret.png").write_bytes(PNG)
    (folder / "secret.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="20"><text id="x" y="15">{SECRET}'
        "</text></svg>", encoding="utf-8")
    (folder / "secret.css").write_text(f'p::after {{ content: "{SECRET}" }}', encoding="utf-8")
    return folder


def pdf_text(path: Path) -> str:
    document = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def guide_yaml(answers: dict[str, str]) -> str:
    """A guide with one card per answer, each answer a literal block."""
    cards = "".join(
        f"      - id: {card_id}\n        question: Route {card_id}?\n        answer: |\n"
        + "".join(f"          {line}\n" for line in answer.splitlines())
        for card_id, answer in answers.items())
    return f"title: Hostile\nsections:\n  - title: Routes\n    cards:\n{cards}"


def position(text: str, card_id: str, needle: str) -> str:
    """line:column of needle in the answer of a card in guide_yaml's text."""
    index = text.index(needle, text.index(f"id: {card_id}\n"))
    line = text.count("\n", 0, index) + 1
    return f"{line}:{index - text.rfind(chr(10), 0, index)}"


# Routes a pack may take that build: each card's answer, and the warnings it must give
# (needle to locate, message). {server} and {outside} are filled in.
LINK_RULE = "links may go only to https:, http: or mailto: addresses, or to # places in the guide"
BUILDING = {
    "relative-link": ("[notes](../outside/secret.txt)", ["../outside/secret.txt"]),
    "file-link": ("[notes](file://{outside}/secret.txt)", ["file://{outside}/secret.txt"]),
    "javascript-link": ('<a href="javascript:alert(1)">run</a>', ["javascript:alert(1)"]),
    "data-link": ("[page](data:text/html;base64,PHA+aGk8L3A+)", ["data:text/html;base64,PHA+aGk8L3A+"]),
    "host-relative-link": ("[here](//127.0.0.1/secret)", ["//127.0.0.1/secret"]),
    "attachment-anchor": ('<a rel="attachment" href="inside.txt">notes</a>', ["inside.txt"]),
    "attachment-link-tag": ('<link rel="attachment" href="inside.txt">\n<link rel="attachment" '
                            'href="file://{outside}/secret.txt">Text after links.', []),
    "stylesheet": ('<link rel="stylesheet" href="{server}/style.css">\n<style>'
                   '@import url("{server}/import.css"); @import url("file://{outside}/secret.css"); '
                   '@font-face {{ font-family: X; src: '
                   'url("{server}/font.woff") }}</style>\nStyled text.', []),
    "inline-style": ('<p style="background: url({server}/background.png); font-size: 1e9px">Big?</p>', []),
    "base-href": ('<base href="{server}/">\n![ok](figures/ok.png)', []),
    "frames-and-scripts": ("<script>fetch('{server}/script')</script><iframe src=\"{server}/frame\"></iframe>"
                           '<object data="file://{outside}/secret.txt"></object><embed src="{server}/embed">'
                           '<img src="figures/ok.png" onerror="fetch(\'{server}/onerror\')">', []),
    "svg-references": ("![diagram](figures/refs.svg)", []),
    "remote-image": ("![a chart]({server}/image.png) <img src=\"{server}/pixel.gif\">", []),
    "template-syntax": ("{{{{ 7*7 }}}} and {{% include guide %}} and {{{{ config }}}}", []),
    "allowed-links": ("[web](https://example.org/a) [plain](http://example.org/b) "
                      "[mail](mailto:ada@example.org) [back](#card-relative-link)", []),
}
REFS_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="60" '
            'height="20"><image href="{server}/svg-image.png" width="10" height="10"/>'
            '<image xlink:href="../../outside/secret.png" width="10" height="10"/>'
            '<image href="file://{outside}/secret.svg" width="10" height="10"/>'
            '<use href="file://{outside}/secret.svg#x"/><use href="{server}/use.svg#x"/>'
            '<rect width="5" height="5"/></svg>')


@dataclass(frozen=True)
class Built:
    report: BuildReport
    out: Path
    text: str
    server: Recorder
    outside: Path

    def fill(self, value: str) -> str:
        return value.format(server=self.server.url, outside=self.outside)


@pytest.fixture(scope="module")
def built(tmp_path_factory, recorder, outside) -> Built:
    root = outside.parent
    content = root / "content"
    (content / "figures").mkdir(parents=True)
    (content / "figures" / "ok.png").write_bytes(PNG)
    (content / "inside.txt").write_text(f"inside, but not to be attached: {SECRET}", encoding="utf-8")
    (content / "figures" / "refs.svg").write_text(REFS_SVG.format(server=recorder.url, outside=outside),
                                                  encoding="utf-8")
    answers = {card: answer.format(server=recorder.url, outside=outside)
               for card, (answer, _) in BUILDING.items()}
    answers["missing-glyphs"] = "Café 𓀀 and ᏣᎳᎩ done."
    text = guide_yaml(answers)
    write_guide(content, text)
    (content / "inside.txt").write_text(f"inside, but not to be attached: {SECRET}", encoding="utf-8")
    report = build(BuildOptions(content_dir=content, out_dir=root / "out"))
    return Built(report, root / "out", text, recorder, outside)


@pytest.mark.parametrize("route", BUILDING)
def test_each_route_warns_exactly_as_expected(built, route):
    expected = [f"{position(built.text, route, built.fill(link))}: warning: card '{route}': "
                f"removed the link to '{built.fill(link)}'; {LINK_RULE}" for link in BUILDING[route][1]]
    reported = [problem.format().split("\n")[0].split("guide.yaml:", 1)[1]
                for problem in built.report.warnings
                if f"card '{route}'" in problem.message and "removed the link" in problem.message]
    assert reported == expected


def test_remote_images_are_never_fetched_and_become_notes(built):
    sources = [built.fill(src) for src in ("{server}/image.png", "{server}/pixel.gif")]
    reported = [(str(problem.position).split("guide.yaml:", 1)[1], problem.message)
                for problem in built.report.warnings if "card 'remote-image'" in problem.message]
    assert reported == [(position(built.text, "remote-image", src),
                         f"card 'remote-image': the image '{src}' is on the network, which builds never "
                         "reach; the PDFs show its description instead: save it in the content folder and "
                         "write its path") for src in sources]
    assert "a chart · 127.0.0.1" in pdf_text(built.out / "guide.pdf")


@pytest.mark.parametrize("output", OUTPUTS)
def test_no_output_holds_a_secret(built, output):
    assert not holds_secret(built.out / output)
    if output.endswith(".pdf"):
        assert SECRET not in pdf_text(built.out / output)


@pytest.mark.parametrize("output", ["guide.pdf", "flashcards.pdf"])
def test_pdfs_carry_no_attachments(built, output):
    assert attachments(built.out / output) == []


def test_guide_links_only_to_the_web_mail_and_itself(built):
    targets = link_targets(built.out / "guide.pdf")
    external = sorted(target for target in targets if not target.startswith("#"))
    assert external == ["http://example.org/b", "https://example.org/a", "mailto:ada@example.org"]


def test_flashcards_link_only_to_the_web_and_mail(built):
    targets = set(link_targets(built.out / "flashcards.pdf"))
    assert targets <= {"http://example.org/b", "https://example.org/a", "mailto:ada@example.org",
                       "#card-relative-link"}


def test_no_request_left_the_process(built):
    assert built.server.requests == []


def test_the_svg_references_are_refused_with_a_warning(built):
    refused = sorted({warning.split(": ", 1)[1] for warning in built.report.render_warnings})
    server, outside = built.server.url, built.outside
    assert refused == sorted([
        f"Failed to load image at '{server}/svg-image.png': RefusedURLError: refused {server}/svg-image.png: "
        "the build reads no network resources",
        f"Failed to load image at '{outside.as_uri()}/secret.png': RefusedURLError: refused "
        f"{outside.as_uri()}/secret.png: outside the content and template folders",
        f"Failed to load image at 'file://{outside}/secret.svg': RefusedURLError: refused "
        f"file://{outside}/secret.svg: outside the content and template folders",
    ])


def test_a_link_to_a_place_an_output_lacks_is_a_warning_at_the_card(built):
    number = list(BUILDING).index("allowed-links") + 1
    reported = [(str(problem.position).split("guide.yaml:", 1)[1], problem.message)
                for problem in built.report.warnings if "No anchor" in problem.message]
    assert reported == [(position(built.text, "allowed-links", "#card-relative-link"),  # flashcards.pdf
                         f"flashcards.pdf, card {number:02d} ('allowed-links'): "  # has no card anchors
                         "No anchor #card-relative-link for internal URI reference")]


def test_template_syntax_in_content_prints_literally(built):
    text = " ".join(pdf_text(built.out / "guide.pdf").split())
    assert "{{ 7*7 }} and {% include guide %} and {{ config }}" in text
    tsv = (built.out / "flashcards.tsv").read_text("utf-8")
    assert "{{ 7*7 }} and {% include guide %} and {{ config }}" in tsv


def test_missing_glyphs_are_named_and_the_rest_still_extracts(built):
    [warning] = [p for p in built.report.warnings if "missing-glyphs" in p.message]
    assert warning.message == ("card 'missing-glyphs' uses characters no installed font has: 𓀀ᏣᎳᎩ "
                               "(U+13000, U+13E3, U+13B3, U+13A9); PDFs print □ for them")
    assert "Café □ and □□□ done." in pdf_text(built.out / "guide.pdf")
    assert "Café 𓀀 and ᏣᎳᎩ done." in (built.out / "flashcards.tsv").read_text("utf-8")


# Routes that must fail: what to put in the pack, and the exact problem it must report.

@dataclass(frozen=True)
class Refused:
    answer: str = "An answer."
    files: dict = None  # path in the pack: bytes, or a callable making it from (path, outside)
    guide: str | None = None  # the whole guide.yaml instead of one card with answer
    expected: str = ""  # "LINE:COL: message", or ":: message" for the whole file


def png_bomb(width: int, height: int) -> bytes:
    """A small PNG that claims a huge size: its header is all a decoder reads before allocating."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 4096)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def symlink_to(target: str):
    return lambda path, outside: path.symlink_to(target.format(outside=outside))


def fifo(path: Path, outside: Path) -> None:
    os.mkfifo(path)


def sparse(size: int):
    def make(path: Path, outside: Path) -> None:
        with path.open("wb") as file:
            file.truncate(size)
    return make


LAUGHS = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>'
          '<svg xmlns="http://www.w3.org/2000/svg"><text>&d;</text></svg>')
XXE = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file://{outside}/secret.txt">]>'
       '<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>')
OUTSIDE = "lies outside the content folder; images must be files inside it"
NOT_RELATIVE = "is not a relative path; images must be files inside the content folder"
GUIDE_HEAD = "title: T\nsections:\n"
IMAGE_FILES = "images must be regular files of at most 16 MiB"
YAML_FILES = "YAML files must be regular files"
ENTITIES = "declares a DOCTYPE or entities, which SVG images here may not"
DEEP = "card 'q' nests lists, block quotes or HTML tags more than 24 deep; flatten it"
SECTIONS = GUIDE_HEAD + "  - file: part.yaml\n"
REFUSED = {
    "image-parent-path": Refused(
        "![x](../outside/secret.png)", expected=f"8:16: image '../outside/secret.png' {OUTSIDE}"),
    "image-absolute-path": Refused(
        "![x]({outside}/secret.png)", expected=f"8:16: image '{{outside}}/secret.png' {NOT_RELATIVE}"),
    "image-file-url": Refused(
        '<img src="file://{outside}/secret.png">',
        expected=f"8:21: image 'file://{{outside}}/secret.png' {NOT_RELATIVE}"),
    "image-data-url": Refused(
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
        expected=f"8:21: image 'data:image/png;base64,iVBORw0KGgo=' {NOT_RELATIVE}"),
    "image-symlink-outside": Refused(
        "![x](figures/link.png)", {"figures/link.png": symlink_to("{outside}/secret.png")},
        expected=f"8:16: image 'figures/link.png' {OUTSIDE}"),
    "image-symlink-dev-zero": Refused(
        "![x](figures/zero.png)", {"figures/zero.png": symlink_to("/dev/zero")},
        expected=f"8:16: image 'figures/zero.png' {OUTSIDE}"),
    "image-fifo": Refused(
        "![x](figures/pipe.png)", {"figures/pipe.png": fifo},
        expected=f"8:16: image 'figures/pipe.png' is not a regular file; {IMAGE_FILES}"),
    "image-decompression-bomb": Refused(
        "![x](figures/bomb.png)", {"figures/bomb.png": png_bomb(100_000, 100_000)},
        expected="8:16: image 'figures/bomb.png' has more than 40,000,000 pixels (about 7,700 by 5,200), "
                 "the most an image may have: scale it down"),
    "image-too-many-bytes": Refused(
        "![x](figures/huge.png)", {"figures/huge.png": sparse(17 * 2**20)},
        expected=f"8:16: image 'figures/huge.png' is larger than 16 MiB; {IMAGE_FILES}"),
    "svg-entity-bomb": Refused(
        "![x](figures/laughs.svg)", {"figures/laughs.svg": LAUGHS.encode()},
        expected=f"8:16: image 'figures/laughs.svg' {ENTITIES}"),
    "svg-external-entity": Refused(
        "![x](figures/xxe.svg)", {"figures/xxe.svg": XXE},
        expected=f"8:16: image 'figures/xxe.svg' {ENTITIES}"),
    "yaml-python-tag": Refused(
        guide=GUIDE_HEAD + "  - title: S\n    cards:\n      - question: Q?\n"
        "        answer: !!python/object/new:os.system [echo pwned]\n",
        expected="6:17: YAML tag 'tag:yaml.org,2002:python/object/new:os.system' is not allowed"),
    "yaml-too-large": Refused(
        guide=GUIDE_HEAD + "# padding\n" * 60_000,
        expected=f"1:1: guide.yaml is larger than 512 KiB; {YAML_FILES}"),
    "guide-fifo": Refused(
        files={"guide.yaml": fifo}, expected=f"1:1: guide.yaml is not a regular file; {YAML_FILES}"),
    "guide-symlink-outside": Refused(
        files={"guide.yaml": symlink_to("{outside}/guide.yaml")},
        expected="1:1: guide.yaml is a link to a file outside the content folder"),
    "section-fifo": Refused(
        guide=SECTIONS, files={"part.yaml": fifo},
        expected=f"3:11: part.yaml is not a regular file; {YAML_FILES}"),
    "section-symlink-outside": Refused(
        guide=SECTIONS, files={"part.yaml": symlink_to("{outside}/guide.yaml")},
        expected="3:11: section file 'part.yaml' lies outside the content folder"),
    "field-too-long": Refused(
        "word " * 4001,
        expected="7:17: 'answer' is 20,006 characters long; the most a text may have is 20,000"),
    "twenty-thousand-brackets": Refused("[" * 20_000, expected="7:17: 'answer' is 20,001 characters long"),
    "many-brackets": Refused(
        "[" * 150 + " and text",
        expected="8:111: card 'q' has 150 '[' outside code blocks; at most 100 may stand in one text"),
    "deep-block-quotes": Refused("> " * 200 + "deep", expected=f"7:17: {DEEP}"),
    "deep-lists": Refused("1. " * 3000 + "deep", expected=f"7:17: {DEEP}"),
    "deep-html": Refused("<div>" * 300 + "deep", expected=f"7:17: {DEEP}"),
}


@pytest.mark.parametrize("route", REFUSED)
def test_each_refused_route_is_an_exact_error(route, tmp_path, outside, recorder, capsys, monkeypatch):
    case = REFUSED[route]
    content = tmp_path / "content"
    (content / "figures").mkdir(parents=True)
    (outside / "guide.yaml").write_text(GUIDE_HEAD + "  - title: S\n    cards:\n      - question: Q?\n"
                                        "        answer: A secret guide.\n", encoding="utf-8")
    if case.guide is not None:
        (content / "guide.yaml").write_text(case.guide, encoding="utf-8")
    elif "guide.yaml" not in (case.files or {}):
        answer = case.answer.format(server=recorder.url, outside=outside)
        write_guide(content, GUIDE_HEAD + "  - title: S\n    cards:\n      - id: q\n        question: Q?\n"
                    "        answer: |\n" + "".join(f"          {line}\n" for line in answer.splitlines()))
    for name, make in (case.files or {}).items():
        if isinstance(make, str):
            (content / name).write_text(make.format(outside=outside), encoding="utf-8")
        elif isinstance(make, bytes):
            (content / name).write_bytes(make)
        else:
            make(content / name, outside)
    monkeypatch.chdir(tmp_path)

    code = main(["build", "--content", "content", "--out", "out"])

    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    expected = case.expected.format(server=recorder.url, outside=outside)
    line_col, message = expected.split(": ", 1)
    assert err.startswith(f"content/guide.yaml:{line_col}: error: {message}"), err[:600]
    assert not (tmp_path / "out").exists()  # refused before anything was rendered
    assert recorder.requests == []


def test_an_alias_bomb_fails_at_once_without_expanding(tmp_path):
    lines = ['lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{n}: &{chr(98 + n)} [{', '.join([f'*{chr(97 + n)}'] * 9)}]" for n in range(9)]
    write_guide(tmp_path, "\n".join(lines) + "\n")
    with pytest.raises(ContentError) as raised:
        build(BuildOptions(content_dir=tmp_path, out_dir=tmp_path / "out"))
    problems: tuple[Problem, ...] = raised.value.problems
    anchors = [p for p in problems if "anchor" in p.message]
    assert str(anchors[0].position).endswith("guide.yaml:1:6")
    assert anchors[0].message == "YAML anchor '&a' is not supported; write the value out"
    assert (len(anchors), sum("alias" in p.message for p in problems)) == (10, 81)


# Routes content cannot take (the sanitizer removes them), rendered as if a template held them.
RENDERED = {
    "link-rel-attachment": ('<link rel="attachment" href="inside.txt"><p>x</p>',
                            "removed 1 attachments; PDFs carry none"),
    "a-rel-attachment": ('<p><a rel="attachment" href="inside.txt">notes</a></p>',
                         "removed the attachment link to"),
    "file-link": ('<p><a href="file://{outside}/secret.txt">x</a></p>', "removed the external link to file:"),
    "javascript-link": ('<p><a href="javascript:alert(1)">x</a></p>',
                        "removed the external link to javascript:"),
    "css-import": ('<style>@import url("{server}/import.css"); '
                   '@import url("file://{outside}/secret.css");</style><p>x</p>', "refused"),
    "font-face": ('<style>@font-face {{ font-family: X; src: url("{server}/f.woff") }} p {{ font-family: X }}'
                  "</style><p>x</p>", "Font-face 'X' cannot be loaded"),
    "css-url": ('<p style="background: url(\'file://{outside}/secret.png\')">x</p>', "outside the content"),
    "base-href": ('<base href="{server}/"><img src="x.png">', "the build reads no network resources"),
    "relative-parent": ('<img src="../outside/secret.png">', "outside the content and template folders"),
    "inline-svg": ('<svg width="20" height="20"><image href="{server}/svg.png" width="5" height="5"/>'
                   '<image href="file://{outside}/secret.svg" width="5" height="5"/></svg>', "refused"),
    "data-url-bomb": ('<img src="data:image/png;base64,{bomb}">', "has more than 40,000,000 pixels"),
    "file-bomb": ('<img src="bomb.dat">', "has more than 40,000,000 pixels"),
    "fifo": ('<img src="pipe.png">', "is not a regular file"),
}


@pytest.mark.parametrize("route", RENDERED)
def test_the_pdf_step_refuses_what_a_template_could_hold(route, tmp_path, outside, recorder):
    content = tmp_path / "content"
    content.mkdir()
    (content / "inside.txt").write_text(SECRET, encoding="utf-8")
    os.mkfifo(content / "pipe.png")
    (content / "bomb.dat").write_bytes(png_bomb(30_000, 2_000))
    html, warning = RENDERED[route]
    html = html.format(server=recorder.url, outside=outside,
                       bomb=base64.b64encode(png_bomb(100_000, 100_000)).decode())
    pdf = render_pdf(html, Resources(content, (content,)), "hostile.pdf")
    path = tmp_path / "hostile.pdf"
    path.write_bytes(pdf.data)
    assert any(warning in w for w in pdf.warnings), pdf.warnings
    assert attachments(path) == []
    assert not holds_secret(path) and SECRET not in pdf_text(path)
    assert all(target.startswith(("#", "https:", "http:", "mailto:")) for target in link_targets(path))
    assert recorder.requests == []


@pytest.mark.parametrize(("css", "error"), [("font-size: 1e9px", "ZeroDivisionError"),
                                            ("letter-spacing: 1e300px", "OverflowError")])
def test_an_exception_inside_weasyprint_is_a_build_error_naming_the_output(tmp_path, css, error):
    with pytest.raises(BuildError, match=f"^rendering hostile.pdf failed: {error}"):
        render_pdf(f'<p style="{css}">x</p>', Resources(tmp_path, (tmp_path,)), "hostile.pdf")
