"""The build benchmark: python -m benchmarks.run [--sizes 100,250,1000] [--json results.json]

Every number comes from one run on this machine, each build a fresh process as a user
would start it. For guide.pdf and flashcards.pdf it compares our whole build of that
output with WeasyPrint alone rendering and writing the exact HTML our build produced
(same fonts, same fetcher, tagged as ours are), so their ratio is what we add around WeasyPrint.
The cost of tagging is guide.pdf built as it is against guide.pdf built --untagged.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchmarks.synthetic import write_guide

ROOT = Path(__file__).resolve().parent.parent
BUILD = [sys.executable, str(ROOT / "build.py")]
ALONE = """
import sys, time
from pathlib import Path
from studyguide import fonts
from studyguide.fetcher import SafeFetcher
import weasyprint
html, content, templates, out = sys.argv[1:]
allowed = (Path(content), Path(templates), *fonts.font_dirs())
base_url = Path(content).resolve().as_uri() + "/"
weasyprint.HTML(string=Path(html).read_text(encoding="utf-8"), base_url=base_url,
                url_fetcher=SafeFetcher(allowed)).write_pdf(out, presentational_hints=True,
                                                            pdf_variant="pdf/ua-1")
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds of a command that must succeed, and the peak resident memory in MB of
    its largest process (it or a worker it waited for)."""
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
    return seconds, usage.ru_maxrss / 1024


def build(content: Path, out: Path, *options: str) -> float:
    return timed([*BUILD, "build", "--content", str(content), "--out", str(out), *options])[0]


def weasyprint_alone(html: Path, content: Path, out: Path) -> float:
    return timed([sys.executable, "-c", ALONE, str(html), str(content), str(ROOT / "templates"), str(out)])[0]


def warm_rebuild(content: Path, out: Path) -> float:
    """Seconds from saving a one-card edit to the watcher's rebuilt files, as it reports them."""
    watcher = subprocess.Popen([*BUILD, "watch", "--content", str(content), "--out", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in watcher.stdout:
            lines.put(line)
        lines.put(None)  # the watcher stopped

    threading.Thread(target=read, daemon=True).start()
    try:
        _wait_for(lines, "flashcards.csv")  # the first build has reported every output
        part = content / "sections" / "part-001.yaml"
        text = part.read_text(encoding="utf-8")
        part.write_text(text.replace("case 1?", "case one?", 1), encoding="utf-8")
        line = _wait_for(lines, "changed: rebuilt")
        return float(re.search(r"in (\d+\.\d+) s", line).group(1))
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


def measure(cards: int, folder: Path) -> dict[str, float]:
    content = write_guide(folder / "content", cards)
    out = folder / "out"
    result: dict[str, float] = {"cards": cards}
    result["cold_build_s"], result["peak_rss_mb"] = timed(
        [*BUILD, "build", "--content", str(content), "--out", str(out), "--emit-html"])
    result["noop_build_s"] = build(content, out, "--emit-html")
    for name, filename in (("guide", "guide"), ("cards", "flashcards")):
        ours = build(content, folder / f"only-{name}", "--only", name, "--emit-html")
        html = folder / f"only-{name}" / f"{filename}.html"
        alone = weasyprint_alone(html, content, folder / f"alone-{filename}.pdf")
        result[f"{name}_build_s"], result[f"{name}_weasyprint_s"] = ours, alone
        result[f"{name}_overhead"] = ours / alone
    result["guide_untagged_s"] = build(content, folder / "only-guide", "--only", "guide", "--untagged")
    result["tagging_cost"] = result["guide_build_s"] / result["guide_untagged_s"]
    result["all_jobs1_s"] = build(content, out, "--rebuild", "--jobs", "1")
    result["all_jobs_default_s"] = build(content, out, "--rebuild")
    result["jobs_ratio"] = result["all_jobs_default_s"] / result["all_jobs1_s"]
    result["warm_rebuild_s"] = warm_rebuild(content, out)
    result["noop_share"] = result["noop_build_s"] / result["cold_build_s"]
    result["warm_share"] = result["warm_rebuild_s"] / result["cold_build_s"]
    return result


def table(results: list[dict[str, float]]) -> str:
    rows = [("cards", "{:.0f}"), ("cold_build_s", "{:.1f}"), ("guide_build_s", "{:.1f}"),
            ("guide_weasyprint_s", "{:.1f}"), ("guide_overhead", "{:.2f}"), ("cards_build_s", "{:.1f}"),
            ("cards_weasyprint_s", "{:.1f}"), ("cards_overhead", "{:.2f}"), ("guide_untagged_s", "{:.1f}"),
            ("tagging_cost", "{:.2f}"), ("noop_build_s", "{:.2f}"),
            ("noop_share", "{:.3f}"), ("warm_rebuild_s", "{:.1f}"), ("warm_share", "{:.2f}"),
            ("all_jobs1_s", "{:.1f}"), ("all_jobs_default_s", "{:.1f}"), ("jobs_ratio", "{:.2f}"),
            ("peak_rss_mb", "{:.0f}")]
    lines = []
    for key, form in rows:
        lines.append(f"{key:<20}" + "".join(f"{form.format(r[key]):>10}" for r in results))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,250,1000",
                        help="guide sizes in cards (default: 100,250,1000)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            results.append(measure(size, Path(scratch) / str(size)))
            print(table(results[-1:]), end="\n\n", flush=True)  # each size as soon as it is measured
    summary = {"machine": {"cpus": os.cpu_count()}, "results": results}
    by_size = {r["cards"]: r for r in results}
    if 250 in by_size and 1000 in by_size:
        summary["scaling_1000_over_250"] = by_size[1000]["cold_build_s"] / by_size[250]["cold_build_s"]
    print(table(results))
    if "scaling_1000_over_250" in summary:
        print(f"{'time(1000)/time(250)':<20}{summary['scaling_1000_over_250']:>10.2f}")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
