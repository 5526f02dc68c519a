"""Watch mode, as a user runs it: a subprocess that rebuilds on save and survives broken edits."""

from __future__ import annotations

import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from threading import Event

import pytest

from studyguide.build.options import BuildOptions
from studyguide.build.pipeline import build
from studyguide.cli import watch as watching

from ..conftest import CONTENT, ROOT
from ..pdfinfo import page_texts

WAIT = 60  # seconds: a generous bound for one rebuild on a busy machine


class Watcher:
    """python build.py watch in a subprocess, its output read line by line."""

    def __init__(self, content: Path, out: Path):
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "build.py"), "watch", "--content", str(content), "--out", str(out),
             "--only", "guide"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str) -> list[str]:
        """The lines up to and including the first that contains text."""
        seen, deadline = [], time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            seen.append(line)
            if text in line:
                return seen
        raise AssertionError(f"no line with {text!r} within {WAIT} s; got {seen}")

    def quiet_for(self, seconds: float) -> list[str]:
        lines, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                lines.append(self.lines.get(timeout=deadline - time.monotonic()))
            except queue.Empty:
                break
        return lines


@pytest.fixture
def watched(tmp_path: Path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    watcher = Watcher(content, tmp_path / "out")
    watcher.wait_for("guide.pdf  6 pages")
    yield watcher, content / "guide.yaml", tmp_path / "out" / "guide.pdf"
    if watcher.process.poll() is None:
        watcher.process.kill()
    watcher.process.wait()
    watcher.reader.join(timeout=WAIT)
    watcher.process.stdout.close()


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_an_edit_rebuilds_and_a_broken_edit_keeps_the_last_good_pdf(watched):
    watcher, guide, pdf = watched

    edit(guide, "we predict tokens one by one", "we predict WATCHED tokens one by one")
    *_, written, rebuilt = watcher.wait_for("changed: rebuilt")
    assert re.fullmatch(r"  guide\.pdf rewritten after \d+\.\d s", written)  # as soon as it is there
    assert "rebuilt guide.pdf" in rebuilt
    assert "we predict WATCHED tokens" in " ".join(page_texts(pdf))
    good = pdf.read_bytes()

    edit(guide, "difficulty: medium", "difficulty: [medium")
    lines = watcher.wait_for("watching on")
    assert any("guide.yaml:" in line and "error: YAML syntax error" in line for line in lines)
    assert "Traceback" not in "\n".join(lines)
    assert pdf.read_bytes() == good
    assert watcher.process.poll() is None

    edit(guide, "difficulty: [medium", "difficulty: medium")  # back as it was: nothing to redo
    assert re.search(r"rebuilt nothing in \d+\.\d s$", watcher.wait_for("changed: rebuilt")[-1])
    edit(guide, "WATCHED", "FIXED")
    assert "rebuilt guide.pdf" in watcher.wait_for("changed: rebuilt")[-1]
    assert "we predict FIXED tokens" in " ".join(page_texts(pdf))


def test_a_burst_of_writes_makes_one_rebuild(watched):
    watcher, guide, _ = watched
    for n in range(3):
        edit(guide, "significantly reducing latency", f"significantly reducing latency{'!' * (n + 1)}")
        edit(guide, f"latency{'!' * (n + 1)}", "latency")
        guide.write_text(guide.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    watcher.wait_for("changed: rebuilt")
    assert not [line for line in watcher.quiet_for(3) if "changed" in line]


def test_ctrl_c_stops_cleanly(watched):
    watcher, _, _ = watched
    watcher.process.send_signal(signal.SIGINT)
    assert watcher.process.wait(timeout=WAIT) == 0
    rest = watcher.quiet_for(1)
    assert "stopped watching" in rest and not [line for line in rest if "Traceback" in line]


@pytest.mark.parametrize("how", ["copied back", "moved in"])
def test_a_replaced_content_folder_is_watched_anew(watched, how, tmp_path):
    watcher, guide, pdf = watched
    content = guide.parent
    replacement = tmp_path / "replacement"
    shutil.copytree(content, replacement)
    edit(replacement / "guide.yaml", "we predict tokens one by one", "we predict REPLACED tokens one by one")
    if how == "copied back":
        shutil.rmtree(content)
        shutil.copytree(replacement, content)
    else:
        content.rename(tmp_path / "old")
        replacement.rename(content)
    assert "rebuilt guide.pdf" in watcher.wait_for("changed: rebuilt")[-1]
    assert "we predict REPLACED tokens" in " ".join(page_texts(pdf))
    edit(guide, "REPLACED", "EDITED")  # and the new folder is watched
    assert "rebuilt guide.pdf" in watcher.wait_for("changed: rebuilt")[-1]
    assert "we predict EDITED tokens" in " ".join(page_texts(pdf))


@pytest.mark.parametrize(("built_before", "warmed"), [(True, True), (False, False)])
def test_a_watch_whose_first_build_has_nothing_to_do_warms_up_for_the_first_edit(
        built_before, warmed, tmp_path, monkeypatch):
    options = BuildOptions(content_dir=CONTENT, out_dir=tmp_path / "out", only=("guide",))
    if built_before:
        build(options)
    warmed_with = []
    monkeypatch.setattr(watching, "warm", lambda *args: warmed_with.append(args))
    stop = Event()
    watching.watch(options, lambda rebuild: stop.set(), stop)
    assert bool(warmed_with) == warmed  # a first build that renders warms the process itself
