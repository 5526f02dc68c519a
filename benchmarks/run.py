"""The build benchmark: python -m benchmarks.run [--sizes 100,250,1000] [--json results.json] [--profile]

The seed guide (content/) is built cold first, every default output and its HTML; then the
watcher times a one-word edit to it until guide.pdf is rewritten (--only guide) and until every
output is, each against one render of that HTML by WeasyPrint alone in a warm process. Every number comes from
one run on this machine, each build a fresh process as a user would start it. For guide.pdf and
flashcards.pdf it compares our whole build of that output with WeasyPrint alone rendering and
writing the exact HTML our build produced (same fonts, same fetcher, tagged as ours are), so
their ratio is what we add around WeasyPrint.
The cost of tagging is guide.pdf built as it is against guide.pdf built --untagged; guide.pdf
is also compared with pandoc making a PDF of the same cards through WeasyPrint, when pandoc is
installed. A rebuild is timed twice after a one-answer edit: by the watcher, and by a fresh build
that finds the parts of the last one in the output folder's cache. Sizes given with --large
(5000, say) are only built cold: time, largest process, and pages per second of each PDF (its
pages over the seconds until it was written, all outputs rendering together); and guide.pdf is
built alone, against pandoc. With --profile, it prints where the time of three builds goes, by
phase (phases.py): the seed guide's edit, the same edit at 250 cards, and guide.pdf of 1,000
cards built cold.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks import phases
from benchmarks.phases import edit_answer
from benchmarks.synthetic import write_guide

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(ROOT / "build.py")]
ALONE = """
import sys, time
from pathlib import Path
from studyguide.html import fonts
from studyguide.guard.fetcher import SafeFetcher
import weasyprint
html, content, templates, out, renders = sys.argv[1:]
allowed = (Path(content), Path(templates), *fonts.font_dirs())
base_url = Path(content).resolve().as_uri() + "/"
for _ in range(int(renders)):  # each render and write timed, the first cold, the others warm
    started = time.perf_counter()
    weasyprint.HTML(string=Path(html).read_text(encoding="utf-8"), base_url=base_url,
                    url_fetcher=SafeFetcher(allowed)).write_pdf(out, presentational_hints=True,
                                                                pdf_variant="pdf/ua-1")
    print(time.perf_counter() - started)
"""


def timed(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds of a command that must succeed, the peak resident memory in MB of its
    largest process (it or a worker it waited for), and what it printed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               cwd=ROOT)
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)  # its own usage, not that of earlier commands
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


def build(content: Path, out: Path, *options: str) -> float:
    return timed([*BUILD, "build", "--content", str(content), "--out", str(out), *options])[0]


def weasyprint_alone(html: Path, content: Path, out: Path) -> float:
    """Seconds for a new process to render and write the HTML with WeasyPrint alone."""
    return timed([*_alone(html, content, out), "1"])[0]


def warm_render(html: Path, content: Path, out: Path, renders: int = 5) -> float:
    """Seconds for WeasyPrint alone to render and write the HTML in a process that rendered it
    before: the median of the renders after the first."""
    printed = timed([*_alone(html, content, out), str(renders)])[2]
    return statistics.median(float(line) for line in printed.split()[1:])


def _alone(html: Path, content: Path, out: Path) -> list[str]:
    return [sys.executable, "-c", ALONE, str(html), str(content), str(ROOT / "templates"), str(out)]


def watched_edit(content: Path, out: Path, *options: str, ready: str = "flashcards.csv",
                 done: tuple[str, ...] = ("changed: rebuilt",)) -> dict[str, float]:
    """Seconds from saving a one-answer edit until the watcher says each of done, by the first
    line it printed of each; ready is in the last line of its first build."""
    watcher = subprocess.Popen([*BUILD, "watch", "--content", str(content), "--out", str(out), *options],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in watcher.stdout:
            lines.put(line)
        lines.put(None)  # the watcher stopped

    threading.Thread(target=read, daemon=True).start()
    try:
        _wait_for(lines, ready)
        time.sleep(0.5)  # the watch is set up once the first build is reported
        edit_answer(content, "watched")
        saved = time.perf_counter()
        seconds = {}
        for text in done:
            _wait_for(lines, text)
            seconds[text] = time.perf_counter() - saved
        return seconds
    finally:
        watcher.terminate()
        watcher.wait()
        watcher.stdout.close()


def _wait_for(lines: queue.Queue[str | None], text: str, limit: float = 1800) -> str:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        if line is None:
            raise RuntimeError(f"the watcher stopped before printing {text!r}")
        if text in line:
            return line
    raise TimeoutError(f"no {text!r} within {limit:g} s")


def pandoc(content: Path, folder: Path) -> float | None:
    """Seconds for pandoc to make a PDF of the same cards through WeasyPrint (# section, ## question,
    then the answer), or None when pandoc is not installed."""
    if shutil.which("pandoc") is None:
        return None
    from studyguide.content.load import load_guide
    from studyguide.diagnostics import Collector

    guide = load_guide(content, Collector())
    lines = [f"---\ntitle: {json.dumps(guide.title)}\n---\n"]
    for section in guide.sections:
        lines.append(f"# {section.title}\n")
        lines += [f"## {card.question.value}\n\n{card.answer.value}\n" for card in section.cards]
    markdown = folder / "pandoc.md"
    markdown.write_text("\n".join(lines), encoding="utf-8")
    return timed(["pandoc", "-s", "--toc", "--pdf-engine=weasyprint", str(markdown),
                  "-o", str(folder / "pandoc.pdf")])[0]


def seed_figures(folder: Path, html: Path) -> dict[str, float]:
    """The seed guide's one-word edit in the watcher, against one warm render of its HTML (html,
    guide.html as a build emitted it) by WeasyPrint alone: until guide.pdf is rewritten,
    watching it alone and watching every output, and until every output is."""
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    render = warm_render(html, content, folder / "alone.pdf")
    alone = watched_edit(content, folder / "guide", "--only", "guide", ready="guide.pdf  ",
                         done=("guide.pdf rewritten",))
    every = watched_edit(content, folder / "all", done=("guide.pdf rewritten", "changed: rebuilt"))
    return {"seed_render_s": render, "seed_watch_guide_s": alone["guide.pdf rewritten"],
            "seed_guide_over_render": alone["guide.pdf rewritten"] / render,
            "seed_watch_all_guide_s": every["guide.pdf rewritten"],
            "seed_watch_all_s": every["changed: rebuilt"],
            "seed_all_over_render": every["changed: rebuilt"] / render}


def profiles(folder: Path) -> str:
    """Where the time goes (phases.py): the seed guide's edit, the same at 250 cards, and
    guide.pdf of 1,000 cards built cold."""
    seed = folder / "seed"
    shutil.copytree(ROOT / "content", seed)
    return "\n\n".join((
        phases.table("seed guide, one word edited, every output",
                     phases.profile_edit(seed, folder / "seed-out")),
        phases.table("250 cards, one word edited, every output",
                     phases.profile_edit(write_guide(folder / "250", 250), folder / "250-out")),
        phases.table("1,000 cards, guide.pdf, first build", phases.profile_cold(
            write_guide(folder / "1000", 1000), folder / "1000-out", ("guide",)))))


def measure(cards: int, folder: Path, full: bool = True) -> dict[str, float]:
    """Every figure for a guide of this many cards; without full, only the cold build and its
    pages, and guide.pdf alone against pandoc."""
    content = write_guide(folder / "content", cards)
    out = folder / "out"
    result: dict[str, float] = {"cards": cards}
    result["cold_build_s"], result["peak_rss_mb"], printed = timed(
        [*BUILD, "build", "--content", str(content), "--out", str(out), "--emit-html"])
    for line in printed.splitlines():  # "/…/guide.pdf  102 pages  250 cards  9.5 s"
        if match := re.match(r".*/(\w+)\.pdf\s+(\d+) pages.*?(\d+\.\d+) s$", line):
            name, pages, seconds = match.group(1), int(match.group(2)), float(match.group(3))
            result[f"{name}_pages"] = pages
            result[f"{name}_pages_per_s"] = pages / seconds
    # each output alone, built as a user builds it
    result["guide_build_s"] = build(content, folder / "only-guide", "--only", "guide")
    if (pandoc_s := pandoc(content, folder)) is not None:
        result["pandoc_guide_s"] = pandoc_s
        result["guide_over_pandoc"] = result["guide_build_s"] / pandoc_s
    if not full:
        return result
    result["noop_build_s"] = build(content, out, "--emit-html")
    result["cards_build_s"] = build(content, folder / "only-cards", "--only", "cards")
    for name, filename in (("guide", "guide"), ("cards", "flashcards")):  # on the cold build's HTML
        alone = weasyprint_alone(out / f"{filename}.html", content, folder / f"alone-{filename}.pdf")
        result[f"{name}_weasyprint_s"] = alone
        result[f"{name}_overhead"] = result[f"{name}_build_s"] / alone
    result["guide_untagged_s"] = build(content, folder / "only-guide-untagged", "--only", "guide",
                                       "--untagged")
    result["tagging_cost"] = result["guide_build_s"] / result["guide_untagged_s"]
    # the cold build again on one core: what the default --jobs gains
    result["all_jobs1_s"] = build(content, folder / "jobs-1", "--jobs", "1", "--emit-html")
    result["jobs_ratio"] = result["cold_build_s"] / result["all_jobs1_s"]
    result["watch_rebuild_s"] = watched_edit(content, out)["changed: rebuilt"]
    edit_answer(content, "again")
    result["cached_build_s"] = build(content, out)
    result["noop_share"] = result["noop_build_s"] / result["cold_build_s"]
    result["watch_share"] = result["watch_rebuild_s"] / result["cold_build_s"]
    result["cached_share"] = result["cached_build_s"] / result["cold_build_s"]
    return result


SEED_ROWS = [("seed_render_s", "{:.2f}"), ("seed_watch_guide_s", "{:.2f}"),
             ("seed_guide_over_render", "{:.2f}"), ("seed_watch_all_guide_s", "{:.2f}"),
             ("seed_watch_all_s", "{:.2f}"), ("seed_all_over_render", "{:.2f}")]
TARGETS = {"seed_guide_over_render": 1.3, "seed_all_over_render": 3.0, "watch_share": 0.08,
           "cached_share": 0.15, "guide_overhead": 0.7, "guide_over_pandoc": 1.3, "peak_rss_mb": 400}
ROWS = [("cards", "{:.0f}"), ("cold_build_s", "{:.1f}"), ("peak_rss_mb", "{:.0f}"),
        ("guide_build_s", "{:.1f}"), ("guide_weasyprint_s", "{:.1f}"), ("guide_overhead", "{:.2f}"),
        ("pandoc_guide_s", "{:.1f}"), ("guide_over_pandoc", "{:.2f}"),
        ("cards_build_s", "{:.1f}"), ("cards_weasyprint_s", "{:.1f}"), ("cards_overhead", "{:.2f}"),
        ("guide_untagged_s", "{:.1f}"), ("tagging_cost", "{:.2f}"),
        ("noop_build_s", "{:.2f}"), ("noop_share", "{:.3f}"),
        ("watch_rebuild_s", "{:.2f}"), ("watch_share", "{:.3f}"),
        ("cached_build_s", "{:.1f}"), ("cached_share", "{:.3f}"),
        ("all_jobs1_s", "{:.1f}"), ("jobs_ratio", "{:.2f}")]
ROWS += [(f"{name}_{figure}", form) for name in ("guide", "tablet", "quiz", "flashcards")
         for figure, form in (("pages", "{:.0f}"), ("pages_per_s", "{:.1f}"))]


def table(results: list[dict[str, float]], rows: list[tuple[str, str]] = ROWS) -> str:
    lines = []
    for key, form in rows:
        if any(key in r for r in results):
            target = f"  (target <= {TARGETS[key]:g})" if key in TARGETS else ""
            lines.append(f"{key:<24}" + "".join(f"{form.format(r[key]) if key in r else '-':>10}"
                                               for r in results) + target)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,250,1000",
                        help="guide sizes in cards (default: 100,250,1000)")
    parser.add_argument("--large", default="", metavar="SIZES",
                        help="sizes built cold only, for time, largest process and pages per second "
                             "(e.g. 5000)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--profile", action="store_true",
                        help="also print where the time of three builds goes, by phase")
    args = parser.parse_args(argv)
    sizes = [(int(size), True) for size in args.sizes.split(",") if size]
    sizes += [(int(size), False) for size in args.large.split(",") if size]
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        seed_s = build(ROOT / "content", Path(scratch) / "seed", "--emit-html")
        print(f"{'seed_build_s':<24}{seed_s:>10.1f}  (content/, every default output and its HTML, cold)",
              flush=True)
        seed = seed_figures(Path(scratch) / "seed-watch", Path(scratch) / "seed" / "guide.html")
        print(table([seed], SEED_ROWS), end="\n\n", flush=True)
        for size, full in sizes:
            results.append(measure(size, Path(scratch) / str(size), full))
            print(table(results[-1:]), end="\n\n", flush=True)  # each size as soon as it is measured
        if args.profile:
            print(profiles(Path(scratch) / "profiles"), end="\n\n", flush=True)
    summary = {"machine": {"cpus": os.cpu_count()}, "seed_build_s": seed_s, **seed, "results": results}
    by_size = {r["cards"]: r for r in results}
    for large, small in ((1000, 250), (5000, 1000)):
        if large in by_size and small in by_size:
            summary[f"scaling_{large}_over_{small}"] = (by_size[large]["cold_build_s"]
                                                        / by_size[small]["cold_build_s"])
    print(table(results))
    for large, small in ((1000, 250), (5000, 1000)):
        if f"scaling_{large}_over_{small}" in summary:
            print(f"{f'time({large})/time({small})':<24}{summary[f'scaling_{large}_over_{small}']:>10.2f}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
