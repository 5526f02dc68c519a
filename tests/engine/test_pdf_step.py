"""The PDF step: the fetcher's allow-list, atomic writes, and a failed, interrupted or killed build keeping
the last PDF."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build
from studyguide.diagnostics import BuildError
from studyguide.editions import registry as outputs
from studyguide.guard import files
from studyguide.guard.fetcher import RefusedURLError, SafeFetcher
from studyguide.guard.files import write_atomic

from ..conftest import CONTENT, ROOT


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    content = tmp_path / "content"
    content.mkdir()
    (content / "inside.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret", encoding="utf-8")
    return content, secret


def test_fetcher_serves_files_inside_allowed_folders(folders):
    content, _ = folders
    response = SafeFetcher((content,)).fetch((content / "inside.svg").as_uri())
    assert response.read().startswith(b"<svg")
    assert response.content_type == "image/svg+xml"


def test_fetcher_refuses_files_outside(folders):
    content, secret = folders
    with pytest.raises(RefusedURLError, match="outside"):
        SafeFetcher((content,)).fetch(secret.as_uri())
    with pytest.raises(RefusedURLError, match="outside"):
        SafeFetcher((content,)).fetch((content / ".." / "secret.txt").as_uri())


def test_fetcher_refuses_symlinks_that_lead_outside(folders):
    content, secret = folders
    (content / "link.txt").symlink_to(secret)
    with pytest.raises(RefusedURLError, match="outside"):
        SafeFetcher((content,)).fetch((content / "link.txt").as_uri())


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.png", "https://example.com/a.css",
                                 "ftp://example.com/f"])
def test_fetcher_refuses_the_network(folders, url):
    content, _ = folders
    with pytest.raises(RefusedURLError, match="network"):
        SafeFetcher((content,)).fetch(url)


def test_fetcher_refuses_special_files(tmp_path):
    with pytest.raises(RefusedURLError, match="not a regular file"):
        SafeFetcher((Path("/dev"),)).fetch("file:///dev/zero")


def test_fetcher_serves_data_urls(folders):
    content, _ = folders
    assert SafeFetcher((content,)).fetch("data:text/plain,hello").read() == b"hello"


def test_atomic_write_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.pdf"]


def test_atomic_write_that_fails_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def broken_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(BuildError, match=r"cannot write .*out.pdf: disk full"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["out.pdf"]


def test_failed_render_keeps_the_last_good_pdf(tmp_path, monkeypatch):
    out = tmp_path / "output"
    out.mkdir()
    (out / "guide.pdf").write_bytes(b"%PDF last good build")

    def failing_render(*args, **kwargs):
        raise BuildError("rendering guide.pdf failed: ZeroDivisionError")

    monkeypatch.setattr(outputs, "render_part", failing_render)
    report = build(BuildOptions(content_dir=CONTENT, out_dir=out, only=("guide", "quiz", "csv")))
    assert [(failure.path.name, str(failure.error)) for failure in report.failed] == [
        ("guide.pdf", "rendering guide.pdf failed: ZeroDivisionError"),
        ("quiz.pdf", "rendering guide.pdf failed: ZeroDivisionError")]
    assert (out / "guide.pdf").read_bytes() == b"%PDF last good build"
    assert sorted(os.listdir(out)) == [".cache", "flashcards.csv", "guide.pdf"]


def test_content_errors_write_nothing(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "guide.yaml").write_text("title: Broken\nsections: []\n", encoding="utf-8")
    out = tmp_path / "output"
    out.mkdir()
    (out / "guide.pdf").write_bytes(b"%PDF last good build")
    with pytest.raises(Exception, match="empty list"):
        build(BuildOptions(content_dir=content, out_dir=out))
    assert (out / "guide.pdf").read_bytes() == b"%PDF last good build"


def test_a_build_interrupted_while_writing_keeps_the_old_pdf_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "output"
    out.mkdir()
    (out / "guide.pdf").write_bytes(b"%PDF last good build")

    fsync = os.fsync

    def interrupted(descriptor):
        if Path(os.readlink(f"/proc/self/fd/{descriptor}")).name.startswith(".guide.pdf."):
            raise KeyboardInterrupt  # Ctrl-C after part of the new PDF was written
        fsync(descriptor)  # the parts filed in the cache, the notes of the pages

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(BuildOptions(content_dir=CONTENT, out_dir=out, only=("guide",)))
    assert (out / "guide.pdf").read_bytes() == b"%PDF last good build"
    assert [path.name for path in out.iterdir() if path.is_file()] == ["guide.pdf"]
    assert not [path for path in out.rglob("*.tmp")]


_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
from studyguide.guard.files import write_atomic

def stuck(descriptor):
    Path(sys.argv[2]).touch()  # tell the test the new bytes are half-way to the disk
    time.sleep(60)

os.fsync = stuck
write_atomic(Path(sys.argv[1]), b"%PDF new, never finished")
"""


def test_a_build_killed_while_writing_keeps_the_old_pdf_and_the_next_write_tidies_up(tmp_path):
    target = tmp_path / "guide.pdf"
    target.write_bytes(b"%PDF last good build")
    ready = tmp_path / "ready"
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(target), str(ready)],
                              cwd=ROOT)
    deadline = time.monotonic() + 20
    while not ready.exists() and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    writer.kill()
    writer.wait()
    assert ready.exists()
    assert target.read_bytes() == b"%PDF last good build"
    [leftover] = [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    past = time.time() - files.STALE_SECONDS - 1
    os.utime(tmp_path / leftover, (past, past))

    write_atomic(target, b"%PDF next build")

    assert sorted(os.listdir(tmp_path)) == ["guide.pdf", "ready"]
    assert target.read_bytes() == b"%PDF next build"


def test_a_fresh_temporary_of_another_build_is_left_alone(tmp_path):
    target = tmp_path / "guide.pdf"
    (tmp_path / ".guide.pdf.abc123.tmp").write_bytes(b"another build, writing now")
    write_atomic(target, b"%PDF")
    assert sorted(os.listdir(tmp_path)) == [".guide.pdf.abc123.tmp", "guide.pdf"]


def _write_many(path: str, marker: bytes) -> None:
    for _ in range(40):
        write_atomic(Path(path), marker * 50_000)


def test_builds_writing_into_one_folder_at_once_never_leave_a_mixed_file(tmp_path):
    target = tmp_path / "guide.pdf"
    versions = {b"A" * 50_000, b"B" * 50_000}
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(str(target), marker)) for marker in (b"A", b"B")]
    for writer in writers:
        writer.start()
    seen = set()
    while any(writer.is_alive() for writer in writers):
        if target.exists():
            seen.add(target.read_bytes())
    for writer in writers:
        writer.join(timeout=30)
        assert writer.exitcode == 0
    seen.add(target.read_bytes())
    assert seen <= versions
    assert os.listdir(tmp_path) == ["guide.pdf"]


_PATTERNS_LOADED = """
import sys, pyphen
from studyguide.engine.weasy import warm_up
for language in sys.argv[1:]:
    pyphen.hdcache.clear()
    warm_up(language)
    print(language, *sorted(path.name for path in pyphen.hdcache))
"""


def test_the_workers_start_with_the_hyphenation_patterns_of_the_guide():
    # in a process of its own: what other tests rendered is not in the patterns it finds loaded
    loaded = subprocess.run([sys.executable, "-c", _PATTERNS_LOADED, "de", "pt-BR", "ja"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    # a language without patterns (ja) is hyphenated by no one, and warms the rest
    assert loaded == ["de hyph_de_AT.dic", "pt-BR hyph_pt_BR.dic", "ja"]


def test_a_render_parses_no_c_type_for_the_glyphs_it_keeps(monkeypatch: pytest.MonkeyPatch):
    import pycparser

    from studyguide.engine.weasy import Resources, render_pdf
    from studyguide.html import fonts

    resources = Resources(CONTENT, fonts.font_dirs())

    def page(text: str) -> str:
        return f"<style>{fonts.face_css()}</style><p style='font-family: \"Source Serif 4\"'>{text}</p>"

    render_pdf(page("A first render, to parse what every render needs"), resources, "first.pdf")
    parsed = []
    parse = pycparser.CParser.parse
    monkeypatch.setattr(pycparser.CParser, "parse", lambda self, *args, **kwargs: parsed.append(args[0])
                        or parse(self, *args, **kwargs))
    render_pdf(page("Another text, with other glyphs: quiz, jumps, 0123456789"), resources, "second.pdf")
    assert parsed == []  # each new count of glyphs was a C type of its own, parsed in 3 ms
